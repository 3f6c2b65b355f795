"""Launch dates as writing states them: the date of a launch clause goes to the craft launched."""
from __future__ import annotations

import pytest

CASES = [
    # passive, active with an agency, particles and places
    ("The Zephyrine probe was launched on 4 May 2031 from Kourou.", {("Zephyrine", "2031-05-04")}),
    ("The European Space Agency launched the Zephyrine orbiter on 4 May 2031.", {("Zephyrine", "2031-05-04")}),
    ("The Zephyrine orbiter lifted off on May 4, 2031, atop an Ariane 6.", {("Zephyrine", "2031-05-04")}),
    ("The Zephyrine orbiter took off on 4 May 2031.", {("Zephyrine", "2031-05-04")}),
    ("The Zephyrine orbiter was sent aloft on 4 May 2031.", {("Zephyrine", "2031-05-04")}),
    ("The Zephyrine orbiter was carried into space by an Ariane 6 in May 2031.", {("Zephyrine", "2031-05")}),
    # an opening participle: the date is the main subject's
    ("Launched on 4 May 2031, the Zephyrine orbiter reached Neptune in 2045.", {("Zephyrine", "2031-05-04")}),
    # a launch noun and its owner
    ("The Zephyrine orbiter is ready, with launch planned for 4 May 2031.", {("Zephyrine", "2031-05-04")}),
    # people rode aboard the craft
    ("On 4 May 2031 two astronauts lifted off aboard the Kestrel capsule.", {("Kestrel", "2031-05-04")}),
    # a day takes the year just named
    ("The twin Kestrel landers were ready in the spring of 2031. On June 9 the Kestrel lander was launched.",
     {("Kestrel", "2031-06-09")}),
    # the parser reads a name after an opening date as the date's; it is the subject
    ("On 20 August 1975 Viking 1 was sent up from Florida.", {("Viking 1", "1975-08-20")}),
    ("On 4 May 2031 Odyssey was carried aloft by a Delta II.", {("Mars Odyssey", "2031-05-04")}),
    # of two subjects the parser gives a verb, the named one
    ("As its final mission came Apollo 17, lifting off on 7 of december 1972 with three men aboard.",
     {("Apollo 17", "1972-12-07")}),
    # a long name after the verb, read as a second subject, is what was sent
    ("On 14 July 2023 the Indian Space Research Organisation (ISRO) sent Chandrayaan-3 Lander Module (CLM) "
     "into space atop an LVM3 rocket.", {("Chandrayaan-3", "2023-07-14")}),
    # dates of other events are no launch dates
    ("The Zephyrine orbiter lifted off on 4 May 2031 and reached Neptune on 9 June 2045.",
     {("Zephyrine", "2031-05-04")}),
    ("As of March 2030, the Zephyrine orbiter was expected to launch later.", set()),
    ("The Zephyrine orbiter was not launched on 4 May 2031.", set()),
    ("The Zephyrine orbiter rode a Long March 5 rocket.", set()),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_launch_dates(extract_text, text, expected):
    _, _, dates, _ = extract_text(text)
    assert dates == expected


@pytest.mark.parametrize("text, expected", [
    ("The 3 May 2031 launch of the Kestrel orbiter went well.", {("Kestrel", "2031-05-03")}),
    ("The September 3, 2031, ascent of the Kestrel orbiter began in Florida.", {("Kestrel", "2031-09-03")}),
    ("On 3 May 2031 ESA sent the Kestrel orbiter together with the Osprey lander into space.",
     {("Kestrel", "2031-05-03"), ("Osprey", "2031-05-03")}),
])
def test_launch_nouns_and_companions(extract_text, text, expected):
    _, _, dates, _ = extract_text(text)
    assert dates == expected
