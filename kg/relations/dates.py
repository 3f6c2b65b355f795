"""Dates in text: "5 August 2011", "August 5th, 2011", "2011-08-05", "August 2011" (never a year alone)."""
from __future__ import annotations

import re

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTH_RE = "(?:" + "|".join(MONTHS) + ")"
DATE_PATTERNS = [
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE})\s*,?\s+(\d{{4}})\b", re.I), ("d", "m", "y")),
    (re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.I), ("m", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "mn", "d")),
    (re.compile(rf"\b({MONTH_RE})\s+(?:of\s+)?(\d{{4}})\b", re.I), ("m", "y")),
]


def parse_date(text: str) -> str | None:
    """The first full date (YYYY-MM-DD) or month (YYYY-MM) in ``text``; years alone are skipped."""
    best = None
    for rx, order in DATE_PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        y = int(parts["y"])
        mo = int(parts["mn"]) if "mn" in parts else MONTHS[parts["m"].lower()]
        if "d" in parts:
            value = f"{y:04d}-{mo:02d}-{int(parts['d']):02d}"
        else:
            value = f"{y:04d}-{mo:02d}"
        if best is None or m.start() < best[0] or (m.start() == best[0] and len(value) > len(best[1])):
            best = (m.start(), value)
    return best[1] if best else None
