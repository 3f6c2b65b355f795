"""Dates in text: "5 August 2011", "Aug. 5th, 2011", "2011-08-05", "August 2011", and a day without
its year ("on June 10") that takes the year the text last named.  A year alone is never a date."""
from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
#: Abbreviations, with or without their full stop ("Jan.", "Sept").
SHORT_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
                "oct": 10, "nov": 11, "dec": 12}
#: Spellings that writers of other languages carry into English ("14 of mai 1973"); read only
#: between a day and a year, or before a year.
VARIANT_MONTHS = {"januar": 1, "februar": 2, "mai": 5, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
                  "janvier": 1, "avril": 4, "juin": 6, "juillet": 7, "septembre": 9, "octobre": 10,
                  "novembre": 11, "decembre": 12}
MONTH_RE = "(?:" + "|".join(MONTHS) + ")"
# A month's pattern starts by testing its first letter: the regex engine tries each name of a
# long alternation at every position otherwise, the most of the time spent finding dates.
_LONG_MONTHS = list(MONTHS) + sorted(VARIANT_MONTHS, key=len, reverse=True)
_SHORT_MONTHS = sorted(SHORT_MONTHS, key=len, reverse=True)
_ANY_MONTH = ("(?=[" + "".join(sorted({m[0] for m in _LONG_MONTHS + _SHORT_MONTHS})) + "])("
              + "|".join(_LONG_MONTHS + [rf"{m}\.?" for m in _SHORT_MONTHS]) + ")")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(\d{4})"
DATE_PATTERNS = [
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_ANY_MONTH}\s*,?\s*{_YEAR}\b", re.I), ("d", "m", "y")),
    (re.compile(rf"\b{_ANY_MONTH}\s+{_DAY}\s*,\s*{_YEAR}\b", re.I), ("m", "d", "y")),
    (re.compile(rf"\b{_ANY_MONTH}\s+{_DAY}\s+{_YEAR}\b", re.I), ("m", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "mn", "d")),
    (re.compile(rf"\b{_ANY_MONTH}\s+(?:of\s+)?{_YEAR}\b", re.I), ("m", "y")),
]
#: A day and month with no year after it ("on June 10", "on 10 June").
PARTIAL_PATTERNS = [
    (re.compile(rf"\b{_ANY_MONTH}\s+{_DAY}\b(?!\s*,?\s*\d)", re.I), ("m", "d")),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_ANY_MONTH}(?![\w.]*\s*,?\s*\d)", re.I), ("d", "m")),
]
#: What every pattern above needs somewhere: a month's name or an ISO date (one scan, before the seven).
_ANY_DATE = re.compile(rf"\b{_ANY_MONTH}|\d{{4}}-\d{{2}}-\d{{2}}", re.I)
#: Month names that are also ordinary words.
_WORDS = frozenset({"may", "march", "mar", "jan", "dec", "sept", "sep", "aug", "jun", "jul", "oct", "nov", "feb", "apr"})
_YEAR_MENTION = re.compile(r"\b(1[89]\d\d|2[01]\d\d)\b")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # character offsets in the text searched
    end: int
    value: str  # YYYY-MM-DD or YYYY-MM
    year_from_context: bool = False


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    return MONTHS.get(w) or SHORT_MONTHS.get(w) or VARIANT_MONTHS.get(w)


def _value(parts: dict[str, str], year: int | None = None) -> str | None:
    if "m" in parts and not parts["m"][0].isupper() and ("y" not in parts or parts["m"].lower() in _WORDS):
        return None  # "they may 10 times", "march on 2020": only a capital makes these words months
    if "m" in parts and "y" not in parts and parts["m"].lower() in VARIANT_MONTHS:
        return None
    month = int(parts["mn"]) if "mn" in parts else _month(parts["m"])
    y = int(parts["y"]) if "y" in parts else year
    if not month or not 1 <= month <= 12 or y is None:
        return None
    if "d" not in parts:
        return f"{y:04d}-{month:02d}"
    day = int(parts["d"])
    return f"{y:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None


def find_dates(text: str, year: int | None = None) -> list[DateMention]:
    """Every date in ``text``, in order, overlapping matches resolved in favour of the fuller one;
    with ``year`` (the year the text named last before ``text``), days without a year too."""
    found: list[DateMention] = []
    if _ANY_DATE.search(text) is None:
        return found

    def free(a: int, b: int) -> bool:
        return not any(m.start < b and a < m.end for m in found)

    for rx, order in DATE_PATTERNS:
        for m in rx.finditer(text):
            value = _value(dict(zip(order, m.groups())))
            if value and free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), value))
    for rx, order in PARTIAL_PATTERNS:
        for m in rx.finditer(text):
            own = last_year(text[: m.start()])
            value = _value(dict(zip(order, m.groups())), own or year)
            if value and free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), value, True))
    return sorted(found, key=lambda d: d.start)


def last_year(text: str) -> int | None:
    """The last year ``text`` names ("in 2003", "the summer of 1975"), or None."""
    years = _YEAR_MENTION.findall(text)
    return int(years[-1]) if years else None


def parse_date(text: str) -> str | None:
    """The first full date (YYYY-MM-DD) or month (YYYY-MM) in ``text``; years alone are skipped."""
    dates = [d for d in find_dates(text) if not d.year_from_context]
    return dates[0].value if dates else None
