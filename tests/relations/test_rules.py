"""Rule families on constructions real writing uses (our own sentences, invented names where context must carry them)."""
from __future__ import annotations

import pytest

CASES = [
    # joint endeavours, listed every way
    ("The Osprey mission, a joint effort bringing together NASA, ESA and JAXA, will orbit Mars.",
     {("Osprey", "operatedBy", "NASA"), ("Osprey", "operatedBy", "ESA"), ("Osprey", "operatedBy", "JAXA"),
      ("ESA", "collaboratesWith", "NASA"), ("JAXA", "collaboratesWith", "NASA"), ("ESA", "collaboratesWith", "JAXA"),
      ("Osprey", "orbits", "Mars")}),
    ("The Osprey probe is the first joint venture between ISRO and CNES.",
     {("Osprey", "operatedBy", "ISRO"), ("Osprey", "operatedBy", "CNES"), ("CNES", "collaboratesWith", "ISRO")}),
    # with agencies among the owners, a company takes part
    ("The Osprey lander, co-developed by Airbus and ESA, will study Mars.",
     {("Airbus", "participatesIn", "Osprey"), ("Airbus", "collaboratesWith", "ESA"), ("Osprey", "operatedBy", "ESA"),
      ("Osprey", "targets", "Mars")}),
    # a lead named in another sentence: the other owners take part
    ("The Osprey mission is led by NASA. It is a cooperative project between NASA, ESA and the Italian Space Agency.",
     {("Osprey", "operatedBy", "NASA"), ("ESA", "participatesIn", "Osprey"), ("ASI", "participatesIn", "Osprey"),
      ("ESA", "collaboratesWith", "NASA"), ("ASI", "collaboratesWith", "NASA"), ("ASI", "collaboratesWith", "ESA")}),
    # builders: an agency runs what it built, a company takes part
    ("The Osprey orbiter, built by Lockheed Martin, reached Mars.",
     {("Lockheed Martin", "participatesIn", "Osprey"), ("Osprey", "targets", "Mars")}),
    ("The Osprey orbiter was developed by NASA and flew past Venus.",
     {("Osprey", "operatedBy", "NASA"), ("Osprey", "flyby", "Venus")}),
    ("The Airbus-built Osprey module is part of the Artemis program.",
     {("Airbus", "participatesIn", "Osprey"), ("Osprey", "partOf", "Artemis")}),
    ("A NASA-led mission called Osprey will visit Ceres.",
     {("Osprey", "operatedBy", "NASA"), ("Osprey", "targets", "Ceres")}),
    # partners by backing, sharing, taking part
    ("The Osprey probe is run by ESA, with backing from JAXA.",
     {("Osprey", "operatedBy", "ESA"), ("JAXA", "participatesIn", "Osprey")}),
    ("Canada will take part in the Osprey mission, which is run by NASA.",
     {("Osprey", "operatedBy", "NASA"), ("Canada", "participatesIn", "Osprey")}),
    # names a noun introduces, groups, adjectives that name a body
    ("A pair of ESA rovers on tracks, called Osprey and Kestrel, were sent toward Mars.",
     {("Osprey", "operatedBy", "ESA"), ("Kestrel", "operatedBy", "ESA"), ("Osprey", "targets", "Mars"),
      ("Kestrel", "targets", "Mars")}),
    ("Osprey, a lunar lander, is ready. The Moon has never seen one like it.", {("Osprey", "targets", "Moon")}),
    # landing and launching in other words
    ("In 2031 the Osprey lander came down on Mars.", {("Osprey", "landsOn", "Mars")}),
    ("The Osprey rover reached the surface of Mars in 2031.", {("Osprey", "landsOn", "Mars")}),
    ("The Osprey orbiter was carried aloft by an Ariane 6.", {("Osprey", "launchVehicle", "Ariane 6")}),
    ("Dispatched by NASA, the Osprey probe flew past Jupiter.",
     {("Osprey", "operatedBy", "NASA"), ("Osprey", "flyby", "Jupiter")}),
    # an orbit or a surface named by the body's adjective, when the text names the body
    ("The Osprey orbiter reached lunar orbit in May and will map the Moon for a year.",
     {("Osprey", "orbits", "Moon")}),
    ("The Osprey lander touched down on the Martian surface; Mars was in dust season.",
     {("Osprey", "landsOn", "Mars")}),
    # a passive subject fills one slot only: the traveller, never also its goal read with another class
    ("The Osprey probe left Earth in 2030. It then headed for the asteroid Bennu.",
     {("Osprey", "targets", "Bennu")}),
    # a programme by selection or as a part
    ("The Osprey mission was selected for NASA's Discovery Program.",
     {("Osprey", "partOf", "Discovery Program")}),
    # a joint list the parse breaks at a bracketed acronym, and owners joined by a slash
    ("Hera is a joint effort that brings together ESA, JAXA, the Italian Space Agency (ASI), and the Canadian "
     "Space Agency (CSA), to study Didymos.",
     {("Hera", "operatedBy", "ESA"), ("Hera", "operatedBy", "JAXA"), ("Hera", "operatedBy", "CSA"),
      ("Hera", "operatedBy", "ASI"), ("ASI", "collaboratesWith", "ESA"), ("ASI", "collaboratesWith", "CSA")}),
    ("Cassini, a collaborative NASA/Italian Space Agency (ASI) venture, will orbit Saturn.",
     {("Cassini", "operatedBy", "NASA"), ("Cassini", "operatedBy", "ASI"), ("ASI", "collaboratesWith", "NASA")}),
    # "launched by" says who flew it, not who leads the partners of a joint mission
    ("JAXA launched the Osprey probe in 2031. The Osprey probe is a joint mission of JAXA and ESA.",
     {("Osprey", "operatedBy", "JAXA"), ("Osprey", "operatedBy", "ESA")}),
    # a craft noun naming its programme or mission
    ("Lucy, a spacecraft within NASA's Discovery Program, visits asteroids.", {("Lucy", "partOf", "Discovery Program")}),
    ("Vikram, the lander of Chandrayaan-2, touched down hard.", {("Vikram", "partOf", "Chandrayaan-2")}),
    # a group's name ending in a craft noun, then its members
    ("NASA built the twin Mars Exploration Rovers Spirit and Opportunity in 2003.",
     {("Spirit", "partOf", "Mars Exploration Rover"), ("Opportunity", "partOf", "Mars Exploration Rover")}),
    # the owner of a craft's operations runs it
    ("The Juno probe's operations are managed by the Jet Propulsion Laboratory.", {("Juno", "operatedBy", "JPL")}),
    ("The Osprey probe will get to Ceres in 2035.", {("Osprey", "targets", "Ceres")}),
    ("In 2031 the Osprey lander crashed onto the Moon.", {("Osprey", "targets", "Moon")}),
    ("The Osprey probe will examine Ceres.", {("Osprey", "targets", "Ceres")}),
    ("The Dawn probe is to deliver high-resolution imaging of Vesta's surface.", {("Dawn", "targets", "Vesta")}),
    ("The Osprey orbiter will carry out a detailed study of Titan.", {("Osprey", "targets", "Titan")}),
    # "its" after possessors only: the last one of the class wanted
    ("Voyager 1 flew past Jupiter in 1979. In 1980 its instruments probed Saturn's rings as well as the haze of its "
     "largest moon, Titan.", {("Titan", "moonOf", "Saturn")}),
    # two owners joined by a hyphen before the name own it together
    ("In 2023 reviewers looked at a NASA-ESA Mars Sample Return plan.",
     {("Mars Sample Return", "operatedBy", "NASA"), ("Mars Sample Return", "operatedBy", "ESA"),
      ("ESA", "collaboratesWith", "NASA")}),
    # an orbit described by a participle, a body's part as the thing studied
    ("The Osprey orbiter will settle into an orbit sitting 500 kilometers above Mars.", {("Osprey", "orbits", "Mars")}),
    ("The Juno probe will study Jupiter's magnetosphere and interior.", {("Juno", "targets", "Jupiter")}),
    # membership by "among"
    ("Lucy ranks among NASA's most ambitious missions.", {("Lucy", "operatedBy", "NASA")}),
    ("Dawn is among the Discovery Program's missions.", {("Dawn", "partOf", "Discovery Program")}),
    # the launcher as the subject that carries the craft; a numeral ending the sentence
    ("A Falcon 9 rocket carried the Osprey probe into orbit in 2031.", {("Osprey", "launchVehicle", "Falcon 9")}),
    ("In 2031 an Ariane 6 lifted the Osprey probe up into orbit.", {("Osprey", "launchVehicle", "Ariane 6")}),
    ("The Osprey probe was launched by NASA on an Atlas V. It reached Mars a year later.",
     {("Osprey", "launchVehicle", "Atlas V")}),
    # names listed before a plural noun phrase that describes them
    ("The team drew on the results of Giotto and Rosetta, two ESA missions which each met a comet.",
     {("Rosetta", "operatedBy", "ESA"), ("Giotto", "operatedBy", "ESA")}),
    # an agency's name right before a programme's
    ("Lucy is part of the NASA Discovery Program.", {("Discovery Program", "operatedBy", "NASA")}),
    ("Osprey belongs to the NASA New Frontiers program.", {("New Frontiers", "operatedBy", "NASA")}),
    ("In 2007 the Space Shuttle Discovery brought the Harmony module up to the station.",
     {("Harmony", "launchVehicle", "Space Shuttle Discovery")}),
    # "whose goal": the owner of the relative clause; a part of a part of a body
    ("The Artemis program, whose aim is to send crews back to the Moon, is led by NASA.",
     {("Artemis", "targets", "Moon")}),
    ("The Osprey probe will analyse the composition of Mars' atmosphere.", {("Osprey", "targets", "Mars")}),
    # a flight named by a mission, "of" the craft that flies it
    ("In 2022 the Osprey probe watched the Artemis 1 shakedown flight of the Orion capsule.",
     {("Orion", "partOf", "Artemis I")}),
    # a mission that lands a rover carries it
    ("The Osprey mission will land the Kestrel rover on Mars in 2031.",
     {("Kestrel", "partOf", "Osprey"), ("Kestrel", "landsOn", "Mars")}),
    # a group named by what it includes; a contractor's customer runs the craft; a copula names the craft
    ("The Osprey mission draws on instruments from nations such as Italy, Japan and Canada.",
     {("Italy", "participatesIn", "Osprey"), ("Japan", "participatesIn", "Osprey"),
      ("Canada", "participatesIn", "Osprey")}),
    ("Airbus built the Osprey orbiter as the main contractor for the European Space Agency.",
     {("Osprey", "operatedBy", "ESA")}),
    ("The opening CLPS mission proved to be Peregrine Mission 1, built by Astrobotic.",
     {("Peregrine", "partOf", "CLPS")}),
    # an impact names a target, never a landing
    ("In 2008 the Moon Impact Probe struck the surface of the Moon near its south pole.",
     {("Moon Impact Probe", "targets", "Moon")}),
    ("Canada will join the Osprey mission in 2030.", {("Canada", "participatesIn", "Osprey")}),
    # "the Airbus-built module": the builder takes part, it does not run it
    ("The Airbus-built Columbus module rode aboard Atlantis.", {("Airbus", "participatesIn", "Columbus")}),
    # "the mission known as X" is X
    ("SLIM landed on the Moon in 2024. JAXA also provides the rover for the mission known as LUPEX.",
     {("JAXA", "participatesIn", "LUPEX")}),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_rules_read_real_constructions(extract_text, text, expected, monkeypatch):
    _, facts, _, _ = extract_text(text)
    assert expected <= facts, f"missing {expected - facts}"


@pytest.mark.parametrize("text, wrong", [
    ("The Osprey probe left Earth in 2030. It then headed for the asteroid Bennu.", ("Osprey", "targets", "Earth")),
    # a noun in "consisted of X's lander" is not its own "of"
    ("The main payload of the flight, dubbed Apollo 11, consisted of Grumman's Eagle lander.",
     ("Apollo 11", "operatedBy", "Grumman")),
    ("In 2020 Crew Dragon's second test mission (Demo-2) carried two astronauts.", ("Demo-2", "partOf", "Crew Dragon")),
    ("Voyager 1 flew past Jupiter in 1979. In 1980 its instruments probed Saturn's rings as well as the haze of its "
     "largest moon, Titan.", ("Titan", "moonOf", "Jupiter")),
    ("In 2008 the Moon Impact Probe struck the surface of the Moon near its south pole.",
     ("Moon Impact Probe", "landsOn", "Moon")),
    ("In 2022 the Osprey probe watched the Artemis 1 shakedown flight of the Orion capsule.",
     ("Osprey", "partOf", "Orion")),
    ("The Rosetta mission of ESA reached its comet in 2014.", ("Rosetta", "partOf", "ESA")),
    ("The Airbus-built Columbus module rode aboard Atlantis.", ("Columbus", "operatedBy", "Airbus")),
    ("With Danuri, South Korea joined a short list of countries that had reached the Moon.",
     ("South Korea", "participatesIn", "Danuri")),
    # "another spacecraft" is a new one, not the one named before
    ("Akatsuki entered orbit around Venus in 2015. That was days after another Japanese spacecraft had swung past "
     "Earth.", ("Akatsuki", "flyby", "Earth")),
])
def test_rules_do_not_misread(extract_text, text, wrong):
    _, facts, _, _ = extract_text(text)
    assert wrong not in facts


PART_CASES = [
    ("The Kestrel lander of the Osprey mission touched down on Mars.",
     {("Kestrel", "partOf", "Osprey"), ("Kestrel", "landsOn", "Mars")}),
    ("The Osprey telescope is the fifth of NASA's Great Observatories.", {("Osprey", "partOf", "Great Observatories")}),
    ("Since 1992 the Discovery Program has flown many missions, among them Dawn, Genesis and Kepler.",
     {("Dawn", "partOf", "Discovery Program"), ("Genesis", "partOf", "Discovery Program"),
      ("Kepler", "partOf", "Discovery Program")}),
    ("The Osprey capsule's first test flight, the Kestrel mission, ended in 2031.", {("Osprey", "partOf", "Kestrel")}),
    # the subject of the first of two coordinated verbs owns the list
    ("To date the New Frontiers program has funded and launched four missions, among them Juno, OSIRIS-REx and "
     "New Horizons.", {("Juno", "partOf", "New Frontiers"), ("New Horizons", "partOf", "New Frontiers")}),
    # a craft's flight named in brackets: the craft is part of the flight, not the other way round
    ("In 2020 Crew Dragon's second test mission (Demo-2) carried two astronauts.", {("Crew Dragon", "partOf", "Demo-2")}),
    # a launcher's own flight
    ("The Shuttle's ten-day flight STS-60 carried a Russian crew member in 1994.",
     {("STS-60", "launchVehicle", "Space Shuttle")}),
]


@pytest.mark.parametrize("text, expected", PART_CASES)
def test_parts_and_members(extract_text, text, expected):
    _, facts, _, _ = extract_text(text)
    assert expected <= facts, f"missing {expected - facts}"
