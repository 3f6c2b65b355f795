"""What graph.html shows besides the whole graph: the overview of a large graph and the launch timeline.

Both are plain data computed from the graph and embedded in the page (:func:`kg.export.html.network_data`);
the page's scripts only draw them.  Everything is sorted, so the bytes depend only on the graph.

Overview
    The :data:`OVERVIEW_SIZE` entities with the most facts (ties by label, then id), the number of
    facts between them, and a force layout of those entities alone (:func:`kg.export._style.layout`,
    not remembered, so the layout of the whole graph stays the one kept for the next build).  A
    graph of more than :data:`START_OVERVIEW` entities opens on it instead of every node at once.

Timeline
    One row per mission and stated launch date, in date order.  A month-only date
    (``xsd:gYearMonth``, ``"2024-10"``) that the same mission also has as a day
    (``"2024-10-14"``) is folded into that day's row (listed in ``also``); dates that disagree
    keep a row each.  ``at`` is the day the row is placed at (the first of the month for a
    month-only date, as a proleptic Gregorian ordinal), ``precision`` says ``day``, ``month`` or
    ``year``; a value that is no date at all is listed after the others with ``at`` ``None``.
    Rows are coloured by operator (``operatedBy``): the operator of the most missions on the
    timeline gets the first colour of the style's palette, and so on; operators past the
    palette share ``other``, missions with no operator stated get ``none``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import networkx as nx

from ._style import Style, layout

#: How many entities the overview shows.
OVERVIEW_SIZE = 50
#: Above this many entities the page opens on the overview (the whole graph is a hairball by then).
START_OVERVIEW = 300
#: Pixels per unit edge length of the overview's layout (labels are about 100 px wide).
OVERVIEW_SCALE = 170.0

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _entities(G: nx.MultiDiGraph) -> list[str]:
    return sorted((str(n) for n, a in G.nodes(data=True) if a.get("kind") == "entity"))


def _label(G: nx.MultiDiGraph, n: str) -> str:
    return str(G.nodes[n].get("label") or n)


def overview_data(G: nx.MultiDiGraph, size: int = OVERVIEW_SIZE) -> dict[str, Any]:
    """The most connected entities (by number of facts), the facts between them and their positions."""
    entities = _entities(G)
    degree: Counter[str] = Counter()
    for u, v, a in G.edges(data=True):
        if a.get("kind") == "fact":
            degree[str(u)] += 1
            degree[str(v)] += 1
    connected = [n for n in entities if degree[n]] or entities
    top = sorted(connected, key=lambda n: (-degree[n], _label(G, n).lower(), n))[:size]
    chosen = set(top)
    pairs = sorted({(str(u), str(v)) for u, v, a in G.edges(data=True)
                    if a.get("kind") == "fact" and str(u) in chosen and str(v) in chosen and u != v})
    facts = sum(1 for u, v, a in G.edges(data=True) if a.get("kind") == "fact" and str(u) in chosen and str(v) in chosen)
    positions = layout(sorted(chosen), pairs, scale=OVERVIEW_SCALE, remember=False)
    return {
        "nodes": top,
        "positions": {n: list(positions[n]) for n in sorted(chosen)},
        "facts": facts,
        "entities": len(entities),
        "start": len(entities) > START_OVERVIEW,
    }


def date_place(value: str) -> tuple[int | None, str | None]:
    """``(ordinal day, precision)`` of a launch date: ``"2011-08-05"`` -> its day, ``"2011-08"`` -> the
    first of August (``"month"``), ``"2011"`` -> 1 January (``"year"``); anything else ``(None, None)``."""
    match = _DATE.match(value)
    if not match:
        return None, None
    year, month, day = match.groups()
    try:
        when = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None, None
    return when.toordinal(), "day" if day else "month" if month else "year"


def _folded(values: list[str]) -> dict[str, list[str]]:
    """Each date kept for its own row, with the less precise dates that the same mission states and it refines."""
    placed = [v for v in values if date_place(v)[0] is not None]
    rows: dict[str, list[str]] = {}
    for v in values:
        finer = [w for w in placed if w != v and w.startswith(v + "-")] if v in placed else []
        if not finer:
            rows.setdefault(v, [])
    for v in values:
        if v not in rows:  # refined by a more precise date: listed with the most precise one
            best = max((w for w in rows if w.startswith(v + "-")), key=lambda w: (len(w), w))
            rows[best].append(v)
    return {v: sorted(also) for v, also in rows.items()}


#: The literal relation the timeline places missions by (an ontology without it has no timeline rows).
LAUNCH_DATE = "launchDate"


def timeline_data(G: nx.MultiDiGraph, style: Style) -> dict[str, Any]:
    """The launch timeline: its rows in date order, and the operators with their colours."""
    operators: dict[str, list[str]] = {}
    for n in _entities(G):
        found = []
        for _, o, a in G.out_edges(n, data=True):
            if a.get("kind") == "fact" and a.get("relation") == "operatedBy":
                found.append((-len(a.get("evidence") or []), _label(G, str(o)).lower(), str(o)))
        operators[n] = [o for *_, o in sorted(set(found))]
    rows = []
    for n in _entities(G):
        dates = (G.nodes[n].get("literals") or {}).get(LAUNCH_DATE) or []
        values = sorted({str(d.get("value")) for d in dates})
        for value, also in _folded(values).items():
            at, precision = date_place(value)
            rows.append({"id": n, "date": value, "at": at, "precision": precision, "also": also,
                         "operators": operators[n]})
    # ISO text orders a year before its months and a month before its days, all placed on the same day
    rows.sort(key=lambda r: (r["at"] is None, r["at"] or 0, r["date"], _label(G, r["id"]).lower(), r["id"]))
    missions: Counter[str] = Counter()
    for n in {r["id"] for r in rows}:
        missions.update(operators[n][:1])
    ranked = sorted(missions, key=lambda o: (-missions[o], _label(G, o).lower(), o))
    legend = [{"id": o, "color": style.palette[i] if i < len(style.palette) else style.palette_other,
               "missions": missions[o]} for i, o in enumerate(ranked)]
    color = {entry["id"]: entry["color"] for entry in legend}
    for r in rows:
        r["color"] = color[r["operators"][0]] if r["operators"] else style.palette_none
    return {"rows": rows, "operators": legend, "other": style.palette_other, "none": style.palette_none,
            "palette": len(style.palette)}


__all__ = ["OVERVIEW_SIZE", "START_OVERVIEW", "date_place", "overview_data", "timeline_data"]
