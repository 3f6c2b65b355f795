"""Entities: gazetteer names, ambiguity, and names the gazetteer lacks typed from context."""
from __future__ import annotations

import pytest

CASES = [
    # gazetteer, with the traps of the issue
    ("Europa Clipper will study Europa.", {("Europa Clipper", "Mission"), ("Europa", "Moon")}, set()),
    ("Titan is a moon; the Titan IVB rocket launched Cassini.", {("Titan", "Moon"), ("Titan IVB", "LaunchVehicle")}, set()),
    ("Mercury was studied long after Project Mercury ended.", {("Mercury", "Planet"), ("Project Mercury", "Program")}, set()),
    ("The Saturn V had nothing to do with Saturn.", {("Saturn V", "LaunchVehicle"), ("Saturn", "Planet")}, set()),
    ("Galileo Galilei saw the moons that the Galileo spacecraft later visited.",
     {("Galileo Galilei", "Person"), ("Galileo", "Mission")}, set()),
    ("Many viewers asked, out of simple curiosity, about the dawn of hope.", set(), {"Curiosity", "Dawn", "Hope"}),
    # series from a known prefix and a number
    ("Apollo 17 flew in 1972 and Chang'e 6 in 2024.", {("Apollo 17", "Mission"), ("Chang'e 6", "Mission")}, set()),
    # names the gazetteer does not know, typed by context
    ("The Zephyrine orbiter reached Mars in 2031.", {("Zephyrine", "Mission"), ("Mars", "Planet")}, set()),
    ("Its rover, Tembo Kijani, drove 3 km.", {("Tembo Kijani", "Mission")}, set()),
    ("The probe flew past the asteroid Quillonia.", {("Quillonia", "SmallBody")}, set()),
    ("It was built by the Atlantis Orbital Institute.", {("Atlantis Orbital Institute", "Organization")}, set()),
    ("The Lusitanian Space Agency signed up.", {("Lusitanian Space Agency", "Agency")}, set()),
    ("Operations are led by the University of Westmark.", {("University of Westmark", "Organization")}, set()),
    ("It rode a Thunderhawk 4 rocket.", {("Thunderhawk 4", "LaunchVehicle")}, set()),
    ("Dactylos, a tiny moon of Ida, was a surprise.", {("Dactylos", "Moon")}, set()),
    ("Dr Amara Okafor leads the team.", {("Amara Okafor", "Person")}, set()),
    # acronyms defined in the text
    ("The Hellenic Space Office (HSO) joined.", {("Hellenic Space Office", "Agency"), ("HSO", "Agency")}, set()),
    # modifiers are not names: "a NASA mission", "the first Mars mission"
    ("It is a NASA mission and the first Mars mission of its kind.", {("NASA", "Agency"), ("Mars", "Planet")},
     {"NASA mission", "Mars mission"}),
]


@pytest.mark.parametrize("text, expected, absent", CASES, ids=[c[0][:40] for c in CASES])
def test_entities(extract_text, text, expected, absent):
    mentions, _, _, _ = extract_text(text)
    assert expected <= mentions, mentions
    assert not {t for t, _ in mentions} & absent, mentions


def test_a_note_without_space_context_keeps_no_ambiguous_names(extract_text):
    mentions, facts, dates, _ = extract_text(
        "Hope is the secret ingredient. Mercury rising in the kitchen means the oven is ready. "
        "Launch it into the oven on 5 May 2020 with Apollo Bakery's sourdough.")
    assert not {t for t, _ in mentions} & {"Hope", "Mercury", "Apollo"}, mentions
    assert not facts and not dates


def test_headings_do_not_make_names(extract_text):
    mentions, _, _, _ = extract_text("## Complementary Missions to Jupiter's Moons\n\nJupiter is big.\n")
    assert {t for t, _ in mentions} == {"Jupiter"}


def test_wiki_link_alias_is_the_text_and_slug_types_it(extract_text):
    mentions, _, _, _ = extract_text("The [[kestrel_lander | Kestrel]] touched down.")
    assert ("Kestrel", "Mission") in mentions
