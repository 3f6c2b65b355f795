"""Dates in text: full dates, months, abbreviations, days that take the year just named."""
from __future__ import annotations

import pytest

from kg.relations.dates import find_dates, last_year, parse_date


@pytest.mark.parametrize("text, year, expected", [
    ("It left Earth on 3 March 2031 at dawn.", None, ["2031-03-03"]),
    ("It left Earth on March 3rd, 2031.", None, ["2031-03-03"]),
    ("It left Earth on Mar. 3, 2031.", None, ["2031-03-03"]),
    ("It left Earth on the 3rd of March 2031.", None, ["2031-03-03"]),
    ("It left Earth on Sept 14 2029.", None, ["2029-09-14"]),
    ("It left Earth in Sept. 2029.", None, ["2029-09"]),
    ("The file says 2029-09-14.", None, ["2029-09-14"]),
    ("It flew on 14 september 2029, a typo in case.", None, ["2029-09-14"]),
    # month names writers of other languages carry over, between a day and a year
    ("It flew on 14 of mai 2029.", None, ["2029-05-14"]),
    ("It flew on 3 dezember 2029.", None, ["2029-12-03"]),
    ("It flew in Mai.", 2029, []),
    # a day without a year takes the year the text named just before
    ("On June 9 the orbiter followed, and the lander on June 30.", 2030, ["2030-06-09", "2030-06-30"]),
    ("On June 9 the orbiter followed.", None, []),
    # never a year alone, never ordinary words
    ("The probe may 10 times change course in 2030.", 2030, []),
    ("In 2030 a march across the plain began.", None, []),
])
def test_find_dates(text, year, expected):
    assert [d.value for d in find_dates(text, year)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Launched on 2 May 2030 and arriving in June 2031.", "2030-05-02"),
    ("Launched on June 2 (no year) after a delay.", None),
    ("A year alone: 2030.", None),
])
def test_parse_date_first_full_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("In the autumn of 2029 the team met; by 2031 it was done.", 2031),
    ("No year here.", None),
])
def test_last_year(text, expected):
    assert last_year(text) == expected
