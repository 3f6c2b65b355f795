"""The gazetteer under ontology/gazetteer/: well-formed, unambiguous where it must be, broad enough."""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

import pytest

from kg import ontology

GAZ_DIR = ontology.ONTOLOGY_DIR / "gazetteer"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
#: Names whose leading "The" is part of the proper name, not an added article.
THE_NAMES = {"The Exploration Company", "The Planetary Society", "The Bahamas", "The Gambia"}


@pytest.fixture(scope="module")
def ont():
    return ontology.load()


@pytest.fixture(scope="module")
def by_name(ont):
    index = defaultdict(list)
    for e in ont.gazetteer:
        for n in e.names:
            index[n].append(e)
    return index


def test_every_file_is_json_lines():
    files = sorted(GAZ_DIR.glob("*.jsonl"))
    assert {p.name for p in files} >= {
        "agencies.jsonl", "organizations.jsonl", "bodies.jsonl", "missions.jsonl", "programs.jsonl",
        "stations.jsonl", "launch_vehicles.jsonl", "countries.jsonl", "series.jsonl",
    }
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("//"):
                assert isinstance(json.loads(line), dict), f"{path.name}:{lineno}"


def test_loads_with_valid_classes_and_unique_ids(ont):
    classes = set(ont.entity_classes)
    ids = Counter(e.id for e in ont.gazetteer)
    assert not [i for i, n in ids.items() if n > 1]
    for e in ont.gazetteer:
        assert e.cls in classes, e
        assert ID_RE.match(e.id), e.id


def test_names_are_clean(ont):
    for e in ont.gazetteer:
        assert e.name and e.name == e.name.strip(), e
        assert len(set(e.aliases)) == len(e.aliases), f"duplicate alias in {e.id}"
        assert e.name not in e.aliases, f"{e.id}: name repeated as alias"
        for n in e.names:
            assert n and n == n.strip() and "  " not in n, (e.id, n)
            assert not re.search(r"['’]s$", n), f"{e.id}: possessive {n!r}"
            assert not n.lower().startswith("the ") or n in THE_NAMES, f"{e.id}: article form {n!r}"


def test_context_classes_are_other_known_classes(ont):
    """``also`` names the classes a shared name takes in context (Janus the moon and the probes)."""
    classes = set(ont.entity_classes)
    flagged = [e for e in ont.gazetteer if e.also]
    assert {"janus", "ariel", "psyche"} <= {e.id for e in flagged}
    for e in flagged:
        assert set(e.also) <= classes and e.cls not in e.also, e


def test_launch_sites_are_places_not_organisations(by_name):
    for name in ("Kennedy Space Center", "Baikonur Cosmodrome", "Tanegashima Space Center", "Deep Space Network"):
        assert name not in by_name


def test_qids_are_wikidata_ids(ont):
    for e in ont.gazetteer:
        if e.qid is not None:
            assert QID_RE.match(e.qid), (e.id, e.qid)
    assert len({e.qid for e in ont.gazetteer if e.qid}) == len([e for e in ont.gazetteer if e.qid])


def test_no_name_shared_by_two_entries(ont, by_name):
    allowed = ont.never_merge
    clashes = []
    for name, entries in by_name.items():
        ids = {e.id for e in entries}
        if len(ids) > 1:
            pairs = {frozenset((a.name.lower(), b.name.lower())) for a in entries for b in entries if a.id != b.id}
            if not pairs <= allowed:
                clashes.append((name, sorted(ids)))
    assert not clashes


def test_never_merge_pairs_name_known_things(ont, by_name):
    known = {n.lower() for n in by_name}
    path = ont.directory / "never_merge.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        assert line.count("|") == 1, line
        a, b = (x.strip() for x in line.split("|"))
        assert a and b and a.lower() != b.lower(), line
        assert a.lower() in known or b.lower() in known, line


def test_series(ont):
    classes = set(ont.entity_classes)
    ids = ont.gazetteer_by_id
    assert len(ont.series) >= 30
    prefixes = [s.prefix for s in ont.series]
    assert len(prefixes) == len(set(prefixes))
    for s in ont.series:
        assert s.cls in classes, s
        assert s.numbering in ("arabic", "roman", "any"), s
        if s.parent is not None:
            assert s.parent in ids, s
    assert {"Apollo", "Chang'e", "Chandrayaan", "Tianwen", "Titan", "Long March", "Artemis"} <= set(prefixes)


@pytest.mark.parametrize(
    "name, cls",
    [
        # bodies
        ("Sun", "Star"), ("Moon", "Moon"), ("Earth", "Planet"), ("Mercury", "Planet"), ("Mars", "Planet"),
        ("Saturn", "Planet"), ("Pluto", "DwarfPlanet"), ("Ceres", "DwarfPlanet"), ("Eris", "DwarfPlanet"),
        ("Titan", "Moon"), ("Europa", "Moon"), ("Ganymede", "Moon"), ("Enceladus", "Moon"), ("Triton", "Moon"),
        ("Charon", "Moon"), ("Phobos", "Moon"), ("Dimorphos", "Moon"), ("Dactyl", "Moon"),
        ("Bennu", "SmallBody"), ("Ryugu", "SmallBody"), ("16 Psyche", "SmallBody"), ("3 Juno", "SmallBody"),
        ("Arrokoth", "SmallBody"), ("Ultima Thule", "SmallBody"), ("67P", "SmallBody"),
        ("67P/Churyumov-Gerasimenko", "SmallBody"), ("Halley's Comet", "SmallBody"), ("Comet Halley", "SmallBody"),
        ("Tempel 1", "SmallBody"), ("Comet NEOWISE", "SmallBody"), ("'Oumuamua", "SmallBody"),
        ("Proxima Centauri", "Star"), ("TRAPPIST-1", "Star"), ("TRAPPIST-1e", "Planet"),
        # missions
        ("Europa Clipper", "Mission"), ("JUICE", "Mission"), ("Jupiter Icy Moons Explorer", "Mission"),
        ("JWST", "Mission"), ("James Webb Space Telescope", "Mission"), ("Hubble", "Mission"),
        ("Cassini", "Mission"), ("Huygens", "Mission"), ("Cassini–Huygens", "Mission"), ("Perseverance", "Mission"),
        ("Chandrayaan-3", "Mission"), ("Chandrayaan 3", "Mission"), ("Tianwen-1", "Mission"),
        ("Tianwen 1", "Mission"), ("Chang'e 6", "Mission"), ("Chang’e 4", "Mission"), ("Apollo 11", "Mission"),
        ("Artemis I", "Mission"), ("Artemis 2", "Mission"), ("Soyuz", "Mission"), ("Galileo", "Mission"),
        ("Juno", "Mission"), ("Psyche", "Mission"), ("Hope", "Mission"), ("Emirates Mars Mission", "Mission"),
        ("Mio", "Mission"), ("Mercury Magnetospheric Orbiter", "Mission"), ("BepiColombo", "Mission"),
        ("Eagle", "Mission"), ("Columbia", "Mission"), ("Space Shuttle Columbia", "LaunchVehicle"),
        ("Atlantis", "LaunchVehicle"), ("Shuttle Discovery", "LaunchVehicle"),
        ("OSIRIS-REx", "Mission"), ("Rosalind Franklin", "Mission"), ("NEOWISE", "Mission"),
        ("Luna 25", "Mission"), ("Venera 7", "Mission"), ("Crew Dragon", "Mission"), ("Orion", "Mission"),
        # programmes and stations
        ("Apollo", "Program"), ("Apollo program", "Program"), ("Artemis", "Program"),
        ("Project Mercury", "Program"), ("Mercury program", "Program"), ("Project Gemini", "Program"),
        ("Cosmic Vision", "Program"), ("Discovery Program", "Program"), ("New Frontiers", "Program"),
        ("Mars Sample Return", "Program"), ("CLPS", "Program"), ("Soyuz programme", "Program"),
        ("ISS", "SpaceStation"), ("International Space Station", "SpaceStation"), ("Mir", "SpaceStation"),
        ("Tiangong", "SpaceStation"), ("Lunar Gateway", "SpaceStation"), ("Gateway", "SpaceStation"),
        ("Salyut 7", "SpaceStation"), ("Skylab", "SpaceStation"),
        # launch vehicles
        ("Titan IVB", "LaunchVehicle"), ("Titan IIIE", "LaunchVehicle"), ("Saturn V", "LaunchVehicle"),
        ("Soyuz-Fregat", "LaunchVehicle"), ("Soyuz-2", "LaunchVehicle"), ("Ariane 5", "LaunchVehicle"),
        ("Ariane 6", "LaunchVehicle"), ("Falcon Heavy", "LaunchVehicle"), ("Falcon 9", "LaunchVehicle"),
        ("SLS", "LaunchVehicle"), ("H-IIA", "LaunchVehicle"), ("H3", "LaunchVehicle"),
        ("Long March 5", "LaunchVehicle"), ("CZ-5", "LaunchVehicle"), ("LVM3", "LaunchVehicle"),
        ("Atlas V", "LaunchVehicle"), ("Starship", "LaunchVehicle"), ("Juno I", "LaunchVehicle"),
        ("Vega-C", "LaunchVehicle"), ("Proton-M", "LaunchVehicle"),
        # agencies and organisations
        ("NASA", "Agency"), ("ESA", "Agency"), ("European Space Agency", "Agency"), ("JAXA", "Agency"),
        ("Roscosmos", "Agency"), ("CNSA", "Agency"), ("ISRO", "Agency"), ("CSA", "Agency"),
        ("UAE Space Agency", "Agency"), ("UAESA", "Agency"), ("UKSA", "Agency"), ("DLR", "Agency"),
        ("JPL", "Organization"), ("Jet Propulsion Laboratory", "Organization"), ("APL", "Organization"),
        ("SpaceX", "Organization"), ("Airbus", "Organization"), ("ISAS", "Organization"),
        ("MBRSC", "Organization"), ("IAU", "Organization"), ("RKK Energia", "Organization"),
        # countries and people
        ("United States", "Country"), ("USA", "Country"), ("Soviet Union", "Country"), ("USSR", "Country"),
        ("United Arab Emirates", "Country"), ("UAE", "Country"), ("Japan", "Country"), ("China", "Country"),
        ("Galileo Galilei", "Person"), ("Yuri Gagarin", "Person"), ("Johannes Kepler", "Person"),
    ],
)
def test_well_known_names(by_name, name, cls):
    entries = by_name.get(name)
    assert entries, f"{name!r} is not in the gazetteer"
    assert [e.cls for e in entries] == [cls]


@pytest.mark.parametrize(
    "name",
    ["Mercury", "Galileo", "Hope", "Dawn", "Curiosity", "Spirit", "Opportunity", "Genesis", "Juno", "Eagle",
     "Columbia", "Phoenix", "Ulysses", "Magellan", "Apollo", "Artemis", "Kepler", "Lucy", "Psyche"],
)
def test_ordinary_words_are_flagged_ambiguous(by_name, name):
    assert all(e.ambiguous for e in by_name[name])


@pytest.mark.parametrize(
    "name",
    ["Galileo", "Kepler", "Hubble", "Juno", "Psyche", "Titan", "Saturn", "Europa", "Mercury", "Apollo"],
)
def test_shared_word_is_not_an_alias_of_the_longer_thing(by_name, name):
    """The short name belongs to exactly one entry; the namesakes carry their full names."""
    assert len(by_name[name]) == 1


def test_people_never_take_a_mission_name(ont):
    craft = {n for e in ont.gazetteer if e.cls in ("Mission", "Program", "SpaceStation", "LaunchVehicle") for n in e.names}
    for e in ont.gazetteer:
        if e.cls == "Person":
            assert not set(e.names) & craft, e


@pytest.mark.parametrize(
    "cls, minimum",
    [("Agency", 50), ("Organization", 80), ("Mission", 300), ("Program", 40), ("SpaceStation", 15),
     ("Moon", 50), ("SmallBody", 60), ("DwarfPlanet", 9), ("Planet", 8), ("Star", 5),
     ("LaunchVehicle", 80), ("Country", 190), ("Person", 30)],
)
def test_minimum_coverage(ont, cls, minimum):
    assert sum(e.cls == cls for e in ont.gazetteer) >= minimum


def test_certain_qids(ont, by_name):
    expected = {"NASA": "Q23548", "ESA": "Q42262", "Earth": "Q2", "Moon": "Q405", "Sun": "Q525", "Mars": "Q111",
                "Jupiter": "Q319", "Pluto": "Q339", "ISS": "Q25271", "Hubble": "Q2513", "JWST": "Q186447",
                "Apollo 11": "Q43653", "United States": "Q30", "Soviet Union": "Q15180", "India": "Q668"}
    for name, qid in expected.items():
        assert by_name[name][0].qid == qid, name
