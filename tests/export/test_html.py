"""graph.html: one offline page; checked by reading the file and by driving a real Chromium.

Browser tests (tests/export/browser.py) need Debian's chromium and the Python playwright package
(no `playwright install`): they fail in CI and skip on a laptop when either is missing. The views
(focus, overview, timeline, the URL fragment, the keyboard) are tested in test_html_views.py.
"""
from __future__ import annotations

import json
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest

from kg.export import get
from kg.export._style import layout, load_style
from kg.export._html_views import OVERVIEW_SIZE
from kg.export import _embed
from kg.export.html import LARGE_GRAPH, embed_json, generate_html, network_data, write_html
from kg.graph import build_graph, document_nodes, entity_nodes
from kg.model import Document, Entity, Evidence, Fact
from kg.ontology import load as load_ontology
from kg.rdf import from_rdf, to_rdf
from tests.export.browser import Visit
from tests.export.conftest import HOSTILE, make_sample_graph, reordered
from tests.test_rdf import awkward_graph

# ------------------------------------------------------------------------------------------ helpers


def random_graph(n_entities: int, n_facts: int, n_docs: int = 10, seed: int = 1) -> nx.MultiDiGraph:
    """A contract graph of random entities, facts and mentions (for size tests)."""
    rng = random.Random(seed)
    classes = ["Mission", "Agency", "Planet", "Moon", "LaunchVehicle", "Country"]
    relations = ["operatedBy", "orbits", "partOf", "targets", "flyby"]
    ents = [Entity(key=f"E{i:05d}", label=f"Entity {i}", cls=rng.choice(classes)) for i in range(n_entities)]
    docs = [Document(id=f"d{i}", path=f"d{i}.md", kind="note", text="", offsets=[0], meta={"title": f"Doc {i}"})
            for i in range(n_docs)]
    facts: dict[tuple, Fact] = {}
    while len(facts) < n_facts:
        a, b = rng.sample(range(n_entities), 2)
        rel = rng.choice(relations)
        ev = Evidence(doc_id=f"d{rng.randrange(n_docs)}", sentence=f"Entity {a} {rel} Entity {b}.", start=0, end=1,
                      rule="random", confidence=0.5)
        facts[(a, rel, b)] = Fact(f"E{a:05d}", rel, f"E{b:05d}", [ev])
    mentions = {(f"d{rng.randrange(n_docs)}", f"E{rng.randrange(n_entities):05d}"): ["x"] for _ in range(n_docs * 5)}
    return build_graph(docs, ents, list(facts.values()), mentions)


class _Page(HTMLParser):
    """Collects what a browser would parse as markup: tags, attributes, style and script texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.texts else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            self.texts[self._in].append(data)


def parse_page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def embedded_data(text: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.DOTALL)
    assert match, "no embedded graph data"
    return json.loads(match.group(1))


# ------------------------------------------------------------------------------------------ the file
def test_html_is_registered_with_its_output():
    assert get("html").outputs == ("graph.html",)


@pytest.mark.parametrize("value", [
    "</script><script>window.__pwned=1</script>",
    "<!-- comment --> & &amp; &lt;",
    "line\u2028separator\u2029paragraph",
    "lone \ud800 surrogate, emoji \U0001F680, rtl \u200f",
    {"nested": ["<b>", ">"], "<key>": 1},
])
def test_embedded_json_cannot_close_the_script_and_reads_back_exactly(value):
    text = embed_json(value)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert text.isascii()
    assert json.loads(text) == value


@pytest.mark.parametrize("value", [
    [{"id": i, "label": f"<n{i}>"} for i in range(7)],
    {f"k{i}": {"z": i, "a": [i, "&"]} for i in range(7)},
    {"nodes": list(range(9)), "info": {f"n{i}": {"x": "\u2028"} for i in range(5)}, "name": "g", "empty": []},
    {"short": {"b": 1, "a": 2}, "n": None, "f": 0.5},
    {1: "a number key", 2: "is encoded by json's own rules"},
    [],
    "text",
])
def test_embedded_json_in_pieces_is_the_same_text(value, monkeypatch):
    monkeypatch.setattr(_embed, "CHUNK", 2)
    pieces = list(_embed.iter_embedded_json(value))
    assert "".join(pieces) == embed_json(value)


def test_page_written_in_pieces_is_the_generated_page(tmp_path):
    G = random_graph(LARGE_GRAPH + 50, 5000)  # more edges than one piece holds
    write_html(G, tmp_path)
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == generate_html(G)


def test_page_points_nowhere_outside_the_file(sample_graph):
    text = generate_html(sample_graph)
    page = parse_page(text)
    outside = []
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "img", "base"), f"<{tag}> in the page"
        for name in ("src", "href", "srcset", "action", "poster", "data", "formaction"):
            value = attrs.get(name)
            if value is not None and not value.startswith(("data:", "#")):
                outside.append((tag, name, value))
    assert outside == []
    for css in page.texts["style"]:
        assert "@import" not in css
        assert [u for u in re.findall(r"url\(\s*['\"]?([^'\")]*)", css) if not u.startswith("data:")] == []
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert all("src" not in attrs for attrs in scripts)
    assert [a.get("type") for a in scripts] == ["application/json", None, None]
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "sourceMappingURL" not in text


def test_data_travels_as_inert_json_and_holds_every_node(sample_graph):
    text = generate_html(sample_graph)
    raw = re.search(r'id="kg-data">(.*?)</script>', text, re.DOTALL).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    data = embedded_data(text)
    assert data == json.loads(json.dumps(network_data(sample_graph)))
    assert {n["id"] for n in data["nodes"]} == set(sample_graph.nodes)
    assert len(data["edges"]) == sample_graph.number_of_edges()
    labels = {data["info"][f"Hostile_{i}"]["label"] for i in range(len(HOSTILE))}
    assert labels == set(HOSTILE)


def test_vis_gets_no_html_title_for_any_node_or_edge(sample_graph):
    data = network_data(sample_graph)
    assert not any("title" in item for item in data["nodes"] + data["edges"])


@pytest.mark.parametrize("node,cls", [("JUICE", "Mission"), ("ESA", "Agency"), ("Ganymede", "Moon"),
                                      ("Ariane_5", "LaunchVehicle"), ("doc:note1", "Document")])
def test_nodes_are_coloured_and_shaped_by_class(sample_graph, node, cls):
    data = network_data(sample_graph)
    vis = next(n for n in data["nodes"] if n["id"] == node)
    style = load_style().for_class(cls)
    assert (vis["color"]["background"], vis["shape"]) == (style.color, style.shape)
    legend = next(c for c in data["classes"] if c["name"] == cls)
    assert (legend["color"], legend["shape"], legend["visible"]) == (style.color, style.shape, cls != "Document")


def test_every_ontology_class_has_its_own_colour():
    style = load_style()
    classes = [*load_ontology().entity_classes, "Document"]
    assert set(classes) <= set(style.classes)
    colours = [style.for_class(c).color for c in classes]
    assert len(set(colours)) == len(colours)


def test_node_size_grows_with_degree(sample_graph):
    sizes = {n["id"]: n["size"] for n in network_data(sample_graph)["nodes"]}
    assert sizes["NASA"] > sizes["JUICE"] > sizes["Ariane_5"]


@pytest.mark.parametrize("u,v,label", [("JUICE", "ESA", "operated by"), ("JUICE", "Ganymede", "orbits"),
                                       ("Ganymede", "Jupiter", "moon of"), ("doc:note1", "JUICE", "mentions")])
def test_edges_are_labelled_with_the_relation_label(sample_graph, u, v, label):
    data = network_data(sample_graph)
    assert any(e["from"] == u and e["to"] == v and e["label"] == label for e in data["edges"])


@pytest.mark.parametrize("make", [make_sample_graph, awkward_graph], ids=["sample", "awkward"])
def test_page_bytes_do_not_depend_on_insertion_order(make):
    G = make()
    assert generate_html(G) == generate_html(reordered(G))


def test_kg_export_from_graph_ttl_gives_the_same_page(sample_graph):
    assert generate_html(from_rdf(to_rdf(sample_graph))) == generate_html(sample_graph)


def test_small_graphs_use_physics_and_large_ones_get_positions():
    small = network_data(make_sample_graph())
    assert small["large"] is False and small["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in small["nodes"])

    G = random_graph(LARGE_GRAPH + 200, 2000)
    assert G.number_of_nodes() > LARGE_GRAPH
    large = network_data(G)
    assert large["large"] is True
    assert large["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in large["nodes"])
    assert len({(n["x"], n["y"]) for n in large["nodes"]}) == len(large["nodes"])


def test_layout_takes_seconds_on_5000_nodes():
    G = random_graph(5000, 10000, n_docs=100)
    nodes = sorted(G.nodes)
    start = time.perf_counter()
    positions = layout(nodes, G.edges())
    elapsed = time.perf_counter() - start
    assert set(positions) == set(nodes)
    assert elapsed < 30, f"layout of {len(nodes)} nodes took {elapsed:.1f}s"  # about 2 s on a laptop
    assert layout(nodes, G.edges()) == positions


def test_write_html_writes_graph_html(sample_graph, tmp_path):
    [path] = write_html(sample_graph, tmp_path / "out")
    assert path == tmp_path / "out" / "graph.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ------------------------------------------------------------------------------------------ in Chromium
@pytest.mark.client
def test_page_works_offline_and_draws_entities_then_documents(visit, sample_graph, tmp_path):
    v = visit(sample_graph)
    assert v.drawn() == len(entity_nodes(sample_graph))  # documents are off at first
    v.page.check("input[data-name=Document]")
    v.wait_until("window.kgReady === true")
    assert v.drawn() == len(entity_nodes(sample_graph)) + len(document_nodes(sample_graph))
    v.page.screenshot(path=str(tmp_path / "graph.png"))
    assert (tmp_path / "graph.png").stat().st_size > 0
    assert v.outside == [] and v.errors == []


@pytest.mark.client
@pytest.mark.parametrize("query,node", [("JUICE", "JUICE"), ("juice", "JUICE"), ("Jupiter Icy Moon Explorer", "JUICE"),
                                        ("European Space Agency", "ESA"), ("Ganymede", "Ganymede"),
                                        ("Europa Clip", "Europa_Clipper")])
def test_search_focuses_and_selects_the_node(visit, sample_graph, query, node):
    v = visit(sample_graph)
    assert v.search(query) == [node]
    assert v.page.text_content("#panel h2") == sample_graph.nodes[node]["label"]
    assert v.errors == []


@pytest.mark.client
def test_typing_in_the_search_box_centres_the_view_on_the_node(visit, sample_graph):
    v = visit(sample_graph)
    v.page.click("#search")
    v.page.keyboard.type("JUICE", delay=40)  # no Enter: the page searches as you type
    v.wait_until("network.getSelectedNodes().join() === 'JUICE'")
    # the view glides to the node (a 400 ms animation): wait until it is centred on it
    v.wait_until("(() => { const a = network.getViewPosition(), b = network.getPosition('JUICE');"
                 " return Math.abs(a.x - b.x) < 5 && Math.abs(a.y - b.y) < 5; })()", timeout=10)
    assert v.page.text_content("#search-status") == "found: JUICE"
    assert v.errors == []


@pytest.mark.client
def test_clicking_a_node_shows_its_facts_evidence_and_links(visit, sample_graph):
    v = visit(sample_graph)
    v.click_node("JUICE")
    assert v.js("network.getSelectedNodes()") == ["JUICE"]
    panel = v.page.text_content("#panel")
    for expected in ("JUICE", "Mission", "Jupiter Icy Moon Explorer", "Launch date", "2023-04-14", "operated by", "ESA",
                     "The ESA's JUICE mission is already en route to Jupiter.", "Juice & Clipper <b> (note1)"):
        assert expected in panel
    links = v.js("[...document.querySelectorAll('#panel a')].map(a => [a.textContent, a.href])")
    assert ["\u25b6 14:14", "https://www.youtube.com/watch?v=DJO_9auJhJQ&t=854s"] in links
    v.search("ESA")
    links = v.js("[...document.querySelectorAll('#panel a')].map(a => a.href)")
    assert "https://www.wikidata.org/wiki/Q42262" in links
    assert v.errors == [] and v.outside == []


def with_hostile_launches(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The sample graph with a launch date on each hostile mission; the first one's date is its own name."""
    for i, name in enumerate(HOSTILE):
        G.nodes[f"Hostile_{i}"].setdefault("literals", {}).setdefault("launchDate", []).append(
            {"value": name if i == 0 else f"202{i}-0{i}", "evidence": []})
    return G


def assert_inert(v: Visit) -> None:
    assert v.js("typeof window.__pwned") == "undefined"
    assert v.js("document.querySelectorAll('img, iframe, object, embed, svg').length") == 0
    assert v.js("document.scripts.length") == 3
    assert v.errors == [] and v.outside == []


ROW = "id => [...document.querySelectorAll('#timeline .tl-rows > li')].find(li => li.dataset.id === id)"


@pytest.mark.client
@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_names_are_shown_as_text_and_run_nothing(visit, sample_graph, index):
    G = with_hostile_launches(sample_graph)
    node, name = f"Hostile_{index}", HOSTILE[index]
    v = visit(G)
    v.click_node(node)  # the panel, and the focus on its neighbourhood
    v.ready()
    assert v.page.text_content("#panel h2") == name
    assert name + " alias" in v.page.text_content("#panel dl")
    assert name in v.page.text_content("#view-status")
    assert v.drawn_ids() == {node, "NASA"}
    if "\n" not in name:  # a text box cannot hold a line break
        v.page.keyboard.press("Escape")
        v.ready()
        assert v.search(name) == [node]
    v.page.click("#tab-timeline")
    assert v.js(f"id => ({ROW})(id).querySelector('.tl-name').textContent", node) == name
    assert v.js(f"id => ({ROW})(id).querySelector('.tl-date').textContent", node).startswith(name if index == 0 else "202")
    v.js(f"id => ({ROW})(id).querySelector('button').click()", node)
    v.ready()
    assert v.js("kg.view()")["focus"] == node and v.page.is_hidden("#timeline")
    assert_inert(v)
    for fragment in (quote(node, safe=""), quote(name, safe="")):  # by id and by name
        w = visit(G, "#focus=" + fragment)
        assert w.js("kg.view()")["focus"] == node
        assert w.page.text_content("#panel h2") == name
        assert_inert(w)


@pytest.mark.client
@pytest.mark.parametrize("fragment,focus", [
    ("#focus=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E", None),
    ("#focus=<script>window.__pwned=2</script>", None),
    ("#view=javascript:window.__pwned=1&hops=<svg/onload=window.__pwned=1>", None),
    ('#rel=<b>x</b>,orbits&cls=Mission,"><img src=x onerror=window.__pwned=1>', None),
    ("#focus=%E0%A4%A&expand=%ZZ", None),
    ("#focus=JUICE&expand=%3Cscript%3E,Ganymede&hops=999&context=<x>&view=<x>", "JUICE"),
])
def test_a_fragment_carrying_markup_or_script_does_nothing(visit, sample_graph, fragment, focus):
    v = visit(sample_graph, fragment)
    assert v.js("kg.view()")["focus"] == focus
    if focus is None:
        assert v.js("kg.view()")["mode"] == "all"
        assert "<" not in v.js("document.getElementById('search-status').innerHTML")
    else:
        assert v.js("kg.view()")["hops"] == 3 and v.js("kg.view()")["expand"] == ["Ganymede"]
    assert_inert(v)

@pytest.mark.client
def test_filters_hide_classes_and_relations(visit, sample_graph):
    v = visit(sample_graph)
    missions = sum(1 for n in entity_nodes(sample_graph) if sample_graph.nodes[n]["cls"] == "Mission")
    v.page.uncheck("input[data-name=Mission]")
    v.wait_until("window.kgReady === true")
    assert v.drawn() == len(entity_nodes(sample_graph)) - missions
    v.page.check("input[data-name=Mission]")
    v.wait_until("window.kgReady === true")
    operated = sum(1 for *_, a in sample_graph.edges(data=True) if a["relation"] == "operatedBy")
    before = v.js("network.body.edgeIndices.length")
    v.page.uncheck("input[data-name=operatedBy]")
    assert v.js("network.body.edgeIndices.length") == before - operated
    assert v.errors == []


@pytest.mark.client
def test_awkward_ids_draw_without_errors(visit):
    G = awkward_graph()
    v = visit(G)
    assert v.drawn() == len(entity_nodes(G))
    v.click_node(HOSTILE[4])  # node id with a tab, a newline and a control character
    assert v.page.text_content("#panel h2") == HOSTILE[4]
    assert v.errors == [] and v.outside == []


@pytest.mark.client
def test_a_large_graph_opens_on_its_overview_and_shows_all_at_once_with_physics_off(visit, tmp_path):
    G = random_graph(1200, 2400, n_docs=20)
    overview = network_data(G)["overview"]["nodes"]
    v = visit(G)
    assert v.drawn_ids() == set(overview) and len(overview) == OVERVIEW_SIZE
    status = v.page.text_content("#view-status")
    assert f"the {OVERVIEW_SIZE} most connected of 1,200 entities" in status and "Show all" in status
    assert v.ready_after < 30, f"usable after {v.ready_after:.1f}s"
    v.page.click("#show-all")
    v.ready()
    assert v.js("network.physics.options.enabled") is False
    assert v.drawn() == len(entity_nodes(G))
    v.page.screenshot(path=str(tmp_path / "large.png"))
    assert v.errors == [] and v.outside == []


def test_a_second_relation_between_two_nodes_is_drawn_curved():
    ents = [Entity(key="JUICE", label="JUICE", cls="Mission"), Entity(key="Ganymede", label="Ganymede", cls="Moon")]
    ev = [Evidence(doc_id="d", sentence="s", start=0, end=1, rule="r", confidence=0.5)]
    docs = [Document(id="d", path="d.md", kind="note", text="", offsets=[0])]
    G = build_graph(docs, ents, [Fact("JUICE", "orbits", "Ganymede", ev), Fact("JUICE", "flyby", "Ganymede", ev)], {})
    first, second = network_data(G)["edges"]
    assert "smooth" not in first
    assert second["smooth"]["type"] == "curvedCW" and second["smooth"]["roundness"] > 0
