"""graph.html's views: the overview and timeline data (kg.export._html_views), and in Chromium the
focus on a neighbourhood, expand, back, show all, the context, the URL fragment, the keyboard and
the launch timeline (the hostile-name checks of every view are in test_html.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import numpy as np
import pytest

from kg.export._html_views import OVERVIEW_SIZE, START_OVERVIEW, date_place, overview_data, timeline_data
from kg.export._style import kept_layouts, load_style
from kg.export.html import generate_html
from kg.graph import build_graph, entity_nodes
from kg.model import Entity, Evidence, Fact
from tests.export.browser import neighbourhood
from tests.export.test_html import random_graph

EV = [Evidence(doc_id="d", sentence="A sentence written for this test.", start=0, end=5, rule="test", confidence=0.8)]


# ------------------------------------------------------------------------------------------ data
@pytest.mark.parametrize("value,expected", [
    ("2011-08-05", (dt.date(2011, 8, 5).toordinal(), "day")),
    ("2024-10", (dt.date(2024, 10, 1).toordinal(), "month")),
    ("1990", (dt.date(1990, 1, 1).toordinal(), "year")),
    ("2011-13", (None, None)),
    ("2011-02-30", (None, None)),
    ("next spring", (None, None)),
    ("<b>2011</b>", (None, None)),
])
def test_a_launch_date_is_placed_at_its_day_month_or_year(value, expected):
    assert date_place(value) == expected


def launches_graph():
    """Missions with day, month-only, year-only, disagreeing and unreadable launch dates, and their operators."""
    ents = [Entity(key=k, label=k.replace("_", " "), cls="Mission") for k in ("Alpha", "Bravo", "Charlie", "Delta", "Echo")]
    ents += [Entity(key="Agency_One", label="Agency One", cls="Agency"), Entity(key="Agency_Two", label="Agency Two", cls="Agency")]
    dates = {"Alpha": ["2024-10", "2024-10-14"], "Bravo": ["1990-04"], "Charlie": ["2003-01-01", "2001-05-02"],
             "Delta": ["sometime soon"], "Echo": ["1990"]}
    facts = [Fact(m, "launchDate", d, EV, literal=True) for m, ds in dates.items() for d in ds]
    facts += [Fact("Alpha", "operatedBy", "Agency_One", EV), Fact("Bravo", "operatedBy", "Agency_One", EV),
              Fact("Charlie", "operatedBy", "Agency_Two", EV), Fact("Echo", "operatedBy", "Agency_Two", EV)]
    return build_graph([], ents, facts, {})


def test_timeline_rows_are_in_date_order_with_a_month_folded_into_its_day():
    style = load_style()
    rows = timeline_data(launches_graph(), style)["rows"]
    assert [(r["id"], r["date"], r["precision"], r["also"]) for r in rows] == [
        ("Echo", "1990", "year", []),
        ("Bravo", "1990-04", "month", []),
        ("Charlie", "2001-05-02", "day", []),
        ("Charlie", "2003-01-01", "day", []),  # two dates that disagree: a row each
        ("Alpha", "2024-10-14", "day", ["2024-10"]),
        ("Delta", "sometime soon", None, []),  # not a date: listed last, not placed
    ]
    assert rows[1]["at"] == dt.date(1990, 4, 1).toordinal() and rows[-1]["at"] is None


@pytest.mark.parametrize("palette,colors", [
    (("#111111", "#222222"), {"Agency_One": "#111111", "Agency_Two": "#222222"}),
    (("#111111",), {"Agency_One": "#111111", "Agency_Two": "other"}),  # past the palette: the 'other' colour
])
def test_timeline_colours_missions_by_operator_most_frequent_first(palette, colors):
    style = dataclasses.replace(load_style(), palette=palette)
    data = timeline_data(launches_graph(), style)
    colors = {k: style.palette_other if c == "other" else c for k, c in colors.items()}
    assert [(o["id"], o["missions"], o["color"]) for o in data["operators"]] == [
        ("Agency_One", 2, colors["Agency_One"]), ("Agency_Two", 2, colors["Agency_Two"])]  # a tie: by label
    by_mission = {r["id"]: r["color"] for r in data["rows"]}
    assert by_mission == {"Alpha": colors["Agency_One"], "Bravo": colors["Agency_One"], "Charlie": colors["Agency_Two"],
                          "Echo": colors["Agency_Two"], "Delta": style.palette_none}


def fact_degree(G):
    degree = dict.fromkeys(entity_nodes(G), 0)
    for u, v, a in G.edges(data=True):
        if a["kind"] == "fact":
            degree[u] += 1
            degree[v] += 1
    return degree


@pytest.mark.parametrize("entities", [START_OVERVIEW - 50, START_OVERVIEW + 100])
def test_the_overview_holds_the_most_connected_entities_and_the_facts_between_them(entities):
    G = random_graph(entities, 2 * entities, n_docs=30)
    data = overview_data(G)
    degree = fact_degree(G)
    chosen = set(data["nodes"])
    assert len(chosen) == OVERVIEW_SIZE and chosen <= set(entity_nodes(G))
    assert min(degree[n] for n in chosen) >= max(degree[n] for n in set(degree) - chosen)
    assert [degree[n] for n in data["nodes"]] == sorted((degree[n] for n in chosen), reverse=True)
    assert data["facts"] == sum(1 for u, v, a in G.edges(data=True) if a["kind"] == "fact" and {u, v} <= chosen)
    assert set(data["positions"]) == chosen and len({tuple(p) for p in data["positions"].values()}) == len(chosen)
    assert data["start"] is (entities > START_OVERVIEW)
    assert data["entities"] == entities


def test_the_overview_layout_leaves_the_kept_layout_to_the_whole_graph(tmp_path):
    G = random_graph(START_OVERVIEW + 100, 800, n_docs=20)
    with kept_layouts(tmp_path):
        generate_html(G)
    with np.load(tmp_path / "layout.npz") as kept:
        assert kept["pos"].shape == (G.number_of_nodes(), 2)


# ------------------------------------------------------------------------------------------ in Chromium
def hub_graph(neighbours: int = 40):
    """An agency operating `neighbours` missions with names of many lengths, some of them visiting one moon."""
    words = ["Aurora", "Borealis Deep Space Pathfinder", "Cygnus", "Daedalus Long Baseline Observer", "Eos", "Fenix"]
    ents = [Entity(key="Hub", label="Hub Agency", cls="Agency"), Entity(key="Moonlet", label="Moonlet", cls="Moon")]
    facts = []
    for i in range(neighbours):
        key = f"M{i:02d}"
        ents.append(Entity(key=key, label=f"{words[i % len(words)]} {i}", cls="Mission"))
        facts.append(Fact(key, "operatedBy", "Hub", EV))
        if i % 5 == 0:
            facts.append(Fact(key, "flyby", "Moonlet", EV))
    return build_graph([], ents, facts, {})


LABEL_BOXES = """() => {
  const boxes = network.body.nodeIndices.map(id => {
    const b = network.getBoundingBox(id);
    return {what: id, left: b.left, top: b.top, width: b.right - b.left, height: b.bottom - b.top + 3};
  });
  for (const id of network.body.edgeIndices) {
    const e = network.body.edges[id], s = e.labelModule.size;
    if (e.options.label && e.options.font.size > 0 && s.width > 0) {
      boxes.push({what: id, left: s.left, top: s.top, width: s.width, height: s.height});
    }
  }
  return boxes;
}"""


def overlapping(boxes):
    return [(a["what"], b["what"]) for a, b in itertools.combinations(boxes, 2)
            if a["left"] < b["left"] + b["width"] and b["left"] < a["left"] + a["width"]
            and a["top"] < b["top"] + b["height"] and b["top"] < a["top"] + a["height"]]


@pytest.mark.client
@pytest.mark.parametrize("make,name,node", [
    (None, "JUICE", "JUICE"), (None, "Ganymede", "Ganymede"), (None, "Jupiter Icy Moon Explorer", "JUICE"),
    (lambda: random_graph(START_OVERVIEW + 100, 900, n_docs=20), "Entity 7", "E00007"),
])
def test_focus_on_a_search_hit_draws_exactly_its_neighbourhood_then_two_hops(visit, sample_graph, make, name, node):
    G = make() if make else sample_graph
    v = visit(G)
    assert v.search(name) == [node]
    assert v.drawn_ids() == neighbourhood(G, node, 1) and v.drawn() == len(neighbourhood(G, node, 1))
    v.page.select_option("#hops", "2")
    assert v.drawn_when_ready() == neighbourhood(G, node, 2) and v.drawn() == len(neighbourhood(G, node, 2))
    relations = {a["relation"] for *_, a in G.edges(data=True) if a["kind"] == "fact"}
    dropped = sorted(relations)[0]
    v.page.uncheck(f"input[data-name={dropped}]")  # the relation filter still applies
    assert v.drawn_when_ready() == neighbourhood(G, node, 2, relations - {dropped})
    assert v.errors == [] and v.outside == []


@pytest.mark.client
def test_focus_on_a_node_with_40_neighbours_draws_no_label_over_another(visit):
    G = hub_graph(40)
    v = visit(G)
    v.js("kg.focus('Hub')")
    v.ready()
    assert v.drawn() == 41  # the hub and its 40 missions (the moon is two hops away)
    boxes = v.js(LABEL_BOXES)
    assert len(boxes) > 41  # some edge labels are drawn
    assert overlapping(boxes) == []
    assert v.js("network.getScale()") >= 0.5, "labels too small to read"
    free = v.js("document.getElementById('network').clientWidth - document.getElementById('panel').offsetWidth")
    xs = v.js("network.body.nodeIndices.map(id => network.canvasToDOM(network.getPosition(id)).x)")
    assert 0 <= min(xs) and max(xs) <= free, "a node lies under the panel or off the canvas"
    assert v.errors == []


@pytest.mark.client
def test_expand_adds_a_neighbours_neighbours_and_back_and_show_all_return(visit, sample_graph):
    G = sample_graph
    v = visit(G)
    v.search("Ganymede")
    first = neighbourhood(G, "Ganymede", 1)
    assert v.drawn_ids() == first
    v.click_node("JUICE")  # in a focus a click opens the panel only
    assert v.drawn_ids() == first and v.page.text_content("#panel h2") == "JUICE"
    v.page.click("#panel .expand-node")
    assert v.drawn_when_ready() == first | neighbourhood(G, "JUICE", 1)
    assert "with the neighbours of JUICE" in v.page.text_content("#view-status")
    v.page.click("#back")
    v.wait_until("kg.view().expand.length === 0")
    assert v.drawn_when_ready() == first
    v.page.click("#show-all")
    assert v.drawn_when_ready() == set(entity_nodes(G))
    assert v.errors == []


@pytest.mark.client
def test_show_context_fades_the_rest_of_the_graph_back_in(visit, sample_graph):
    v = visit(sample_graph)
    v.search("JUICE")
    v.page.check("#context")
    assert v.drawn_when_ready() == set(entity_nodes(sample_graph))
    assert "context=1" in v.js("location.hash")
    opacity = v.js("Object.fromEntries(network.body.nodeIndices.map(id => [id, network.body.nodes[id].options.opacity]))")
    near = neighbourhood(sample_graph, "JUICE", 1)
    assert {n for n, o in opacity.items() if o is not None and o < 1} == set(entity_nodes(sample_graph)) - near
    v.page.uncheck("#context")
    assert v.drawn_when_ready() == near
    assert v.errors == []


@pytest.mark.client
@pytest.mark.parametrize("fragment,focus,hops,relations", [
    ("#focus=JUICE&hops=2", "JUICE", 2, None),
    ("#focus=Europa%20Clipper", "Europa_Clipper", 1, None),  # a name works as well as an id
    ("#focus=JUICE&rel=orbits,flyby", "JUICE", 1, {"orbits", "flyby"}),
    ("#focus=Ganymede&hops=3&rel=moonOf,orbits", "Ganymede", 3, {"moonOf", "orbits"}),
])
def test_a_fragment_opens_the_page_focused(visit, sample_graph, fragment, focus, hops, relations):
    v = visit(sample_graph, fragment)
    assert v.js("kg.view()")["focus"] == focus and v.js("document.getElementById('hops').value") == str(hops)
    assert v.drawn_ids() == neighbourhood(sample_graph, focus, hops, relations)
    if relations:  # the sample graph has no flyby: only the relations it has are listed
        present = {a["relation"] for *_, a in sample_graph.edges(data=True)}
        assert {k for k, shown in v.js("kg.relationVisible").items() if shown} == relations & present
    assert v.page.text_content("#panel h2") == sample_graph.nodes[focus]["label"]
    assert v.errors == []


@pytest.mark.client
def test_back_and_forward_walk_through_focus_changes(visit, sample_graph):
    v = visit(sample_graph)
    v.search("JUICE")
    v.search("ESA")
    v.page.select_option("#hops", "2")
    v.ready()
    steps = [("go_back", "ESA", 1), ("go_back", "JUICE", 1), ("go_forward", "ESA", 1), ("go_forward", "ESA", 2)]
    for action, focus, hops in steps:
        getattr(v.page, action)()
        v.wait_until(f"kg.view().focus === {focus!r} && kg.view().hops === {hops}")
        assert v.drawn_when_ready() == neighbourhood(sample_graph, focus, hops)
    v.page.go_back()
    v.page.go_back()
    v.page.go_back()
    v.wait_until("kg.view().mode === 'all'")
    assert v.drawn_when_ready() == set(entity_nodes(sample_graph))
    assert v.errors == []


@pytest.mark.client
def test_keys_slash_arrows_tab_enter_and_escape(visit, sample_graph):
    v = visit(sample_graph)
    v.page.keyboard.press("/")
    assert v.js("document.activeElement.id") == "search"
    v.page.keyboard.type("a")
    v.wait_until("!document.getElementById('search-results').hidden")
    hits = v.js("kg.matches('a', 12).map(m => m.id)")
    assert len(hits) >= 4 and v.js("[...document.querySelectorAll('#search-results li')].length") == len(hits)
    active = "[...document.querySelectorAll('#search-results li')].findIndex(li => li.getAttribute('aria-selected') === 'true')"
    for key, index in [("ArrowDown", 1), ("Tab", 2), ("ArrowDown", 3), ("Shift+Tab", 2), ("ArrowUp", 1)]:
        v.page.keyboard.press(key)
        assert v.js(active) == index, key
    assert v.js("document.activeElement.id") == "search"  # Tab moved through the matches, not out of the box
    v.page.keyboard.press("Enter")
    v.ready()
    assert v.js("kg.view().focus") == hits[1]
    assert v.drawn_ids() == neighbourhood(sample_graph, hits[1], 1)
    v.page.keyboard.press("Escape")
    v.ready()
    assert v.js("kg.view().mode") == "all" and v.drawn_ids() == set(entity_nodes(sample_graph))
    assert v.errors == []


@pytest.mark.client
def test_the_timeline_lists_every_mission_with_a_launch_date_in_date_order(visit, dev_graph):
    G = dev_graph
    dates = {n: (G.nodes[n].get("literals") or {}).get("launchDate") or [] for n in entity_nodes(G)}
    launched = {n: {d["value"] for d in ds} for n, ds in dates.items() if ds}
    assert len(launched) >= 20
    v = visit(G, "#view=timeline")
    rows = v.js("[...document.querySelectorAll('#timeline .tl-rows > li')].map(li => [li.dataset.id, li.dataset.date,"
                " li.dataset.also, li.querySelector('.tl-date').textContent])")
    assert {r[0] for r in rows} == set(launched)
    dates = [r[1] for r in rows]
    assert dates == sorted(dates), "not in date order"
    for node, dates_of_node in launched.items():  # every stated date is a row, or named in the row of its day
        shown = {r[1] for r in rows if r[0] == node} | {a for r in rows if r[0] == node for a in r[2].split(",") if a}
        assert shown == dates_of_node, node
    assert all(("month only" in r[3]) == (len(r[1]) == 7) for r in rows)
    node, date = rows[len(rows) // 2][:2]
    v.js("([id, date]) => [...document.querySelectorAll('#timeline .tl-rows > li')]"
         ".find(li => li.dataset.id === id && li.dataset.date === date).querySelector('button').click()", [node, date])
    v.ready()
    assert v.js("kg.view().focus") == node and v.drawn_ids() == neighbourhood(G, node, 1)
    panel = v.page.text_content("#panel")
    evidence = next(d["evidence"] for d in G.nodes[node]["literals"]["launchDate"] if d["value"] == date)
    assert "Launch date" in panel and date in panel and evidence[0]["sentence"] in panel
    assert v.errors == [] and v.outside == []
