"""graph.gexf: read back by graphology-gexf (the reader of Gephi Lite), expat and networkx.

The graphology tests run tests/clients/read_gexf.mjs with node; they fail in CI and skip on a
laptop when node or the npm packages (installed by scripts/setup-clients.sh) are missing.
"""
from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kg.export import get
from kg.export._style import load_style, rgb
from kg.export._text import clean_text
from kg.export.gexf import generate_gexf, project, write_gexf
from kg.graph import build_graph
from kg.model import Document, Entity, Evidence, Fact
from kg.rdf import from_rdf, to_rdf
from tests.conftest import ROOT, require_client, require_executable
from tests.export.conftest import HOSTILE, make_sample_graph, reordered
from tests.test_rdf import awkward_graph

CLIENTS = ROOT / "tests" / "clients"
NODE_INSTALL = "apt-get install -y nodejs npm"
NPM_INSTALL = "bash scripts/setup-clients.sh (npm ci in tests/clients)"

#: Text with every kind of character XML 1.0 forbids, and some it allows.
FORBIDDEN = "nul\x00 bell\x07 vt\x0b ff\x0c esc\x1b us\x1f lone\ud800 fffe\ufffe ffff\uffff"
ALLOWED = "tab\t lf\n del\x7f nel\x85 rtl\u200f zwj\u200d ls\u2028 rocket\U0001F680 <&>\"'"




def dirty_graph() -> nx.MultiDiGraph:
    """Names, aliases, titles and sentences holding characters XML forbids."""
    docs = [Document(id="d\x01", path="d.md", kind="video_note", text="", offsets=[0],
                     meta={"title": "Title " + FORBIDDEN, "videoId": "abcdefghijk"})]
    ents = [Entity(key="bad\x07key", label="Label " + FORBIDDEN, cls="Mission", aliases=[ALLOWED, "cr\r\nlf\rcr"]),
            Entity(key="NASA", label="NASA", cls="Agency")]
    ev = Evidence(doc_id="d\x01", sentence="Sentence " + FORBIDDEN, start=0, end=1, rule="r", confidence=0.5,
                  timestamp=3, timestamp_url="https://www.youtube.com/watch?v=abcdefghijk&t=3s")
    facts = [Fact("bad\x07key", "operatedBy", "NASA", [ev])]
    return build_graph(docs, ents, facts, {("d\x01", "bad\x07key"): ["x\x00y"]})


GRAPHS = {"sample": make_sample_graph, "awkward": awkward_graph, "dirty": dirty_graph}


def run_reader(path: Path, *nodes: str) -> subprocess.CompletedProcess:
    """tests/clients/read_gexf.mjs on ``path`` (fails in CI, skips on a laptop, without node or the npm packages)."""
    node = require_executable("node", NODE_INSTALL)
    require_client((CLIENTS / "node_modules" / "graphology-gexf").is_dir(), "graphology-gexf (npm)", NPM_INSTALL)
    return subprocess.run([node, str(CLIENTS / "read_gexf.mjs"), str(path), *nodes], capture_output=True,
                          text=True, timeout=60)


def read_with_graphology(path: Path, *nodes: str) -> dict:
    done = run_reader(path, *nodes)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def written(request, tmp_path_factory):
    G = GRAPHS[request.param]()
    [path] = write_gexf(G, tmp_path_factory.mktemp(request.param))
    return G, path


# ------------------------------------------------------------------------------------------ the one text rule
@pytest.mark.parametrize("raw,clean", [
    (FORBIDDEN, "nul bell vt ff esc us lone fffe ffff"),
    (ALLOWED, ALLOWED),
    ("crlf\r\nand cr\ronly", "crlf\nand cr\nonly"),
    ("", ""),
    (42, "42"),
])
def test_clean_text_removes_exactly_what_xml_forbids(raw, clean):
    assert clean_text(raw) == clean


def test_cleaned_text_is_accepted_by_a_strict_xml_parser():
    element = ET.Element("x", value=clean_text(FORBIDDEN + ALLOWED))
    element.text = clean_text(FORBIDDEN + ALLOWED)
    back = ET.fromstring(ET.tostring(element, encoding="unicode"))
    assert back.get("value") == back.text == clean_text(FORBIDDEN + ALLOWED)


# ------------------------------------------------------------------------------------------ projection
def test_gexf_is_registered_with_its_output():
    assert get("gexf").outputs == ("graph.gexf",)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_projection_keeps_every_node_and_edge_with_flat_attributes(name):
    G = GRAPHS[name]()
    H = project(G)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    for _, a in list(H.nodes(data=True)) + [(None, a) for *_, a in H.edges(data=True)]:
        assert all(isinstance(v, (str, int, float, bool)) for v in a.values()), a


@pytest.mark.parametrize("u,v,relation,weight", [
    ("JUICE", "Ganymede", "orbits", 2),      # two evidence sentences
    ("JUICE", "ESA", "operatedBy", 1),
    ("doc:note1", "ESA", "mentions", 2),      # mentioned twice
    ("doc:qa1", "doc:ext-99", "related", 1),
])
def test_edge_weight_counts_the_support(u, v, relation, weight):
    H = project(make_sample_graph())
    [a] = [a for a in H.get_edge_data(u, v).values() if a["relation"] == relation]
    assert a["weight"] == weight


def test_node_attributes_are_flattened(sample_graph):
    H = project(sample_graph)
    assert H.nodes["ESA"] == {"kind": "entity", "class": "Agency", "label": "ESA", "wikidata": "Q42262",
                              "aliases": "European Space Agency"}
    assert H.nodes["JUICE"]["launch_date"] == "2023-04-14"
    assert H.nodes["doc:qa1"]["keywords"] == "ESA; NASA"  # sorted: a set
    assert H.nodes["doc:note1"]["class"] == "Document"


# ------------------------------------------------------------------------------------------ the file
@pytest.mark.client
def test_graphology_reads_every_node_and_edge(written):
    G, path = written
    out = read_with_graphology(path)
    assert (out["order"], out["size"]) == (G.number_of_nodes(), G.number_of_edges())
    assert out["type"] == "directed"
    style = load_style()
    for node, a in G.nodes(data=True):
        attrs = out["nodes"][clean_text(node)]
        cls = a.get("cls") if a["kind"] == "entity" else "Document"
        assert attrs["class"] == cls
        label = a.get("label") if a["kind"] == "entity" else (a.get("title") or a.get("doc_id"))
        assert attrs["label"] == clean_text(label)
        assert attrs["color"] == "rgba({},{},{},1.0)".format(*rgb(style.for_class(cls).color))
        assert attrs["size"] > 0 and {"x", "y"} <= set(attrs)


@pytest.mark.client
def test_graphology_reads_the_sample_attributes(tmp_path, sample_graph):
    [path] = write_gexf(sample_graph, tmp_path)
    out = read_with_graphology(path, "JUICE", "ESA", "doc:note1")
    assert out["nodes"]["JUICE"]["aliases"] == "Jupiter Icy Moon Explorer"
    assert out["nodes"]["ESA"]["wikidata"] == "Q42262"
    assert out["nodes"]["doc:note1"]["video_id"] == "DJO_9auJhJQ"
    assert out["edges"][0] | {"source": "ESA", "target": "NASA", "relation": "collaboratesWith",
                              "label": "collaborates with", "weight": 1} == out["edges"][0]


@pytest.mark.client
@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_names_round_trip_through_graphology(tmp_path, sample_graph, index):
    [path] = write_gexf(sample_graph, tmp_path)
    attrs = read_with_graphology(path, f"Hostile_{index}")["nodes"][f"Hostile_{index}"]
    assert attrs["label"] == clean_text(HOSTILE[index])
    assert attrs["aliases"] == clean_text(HOSTILE[index] + " alias")


@pytest.mark.client
def test_graphology_refuses_a_file_with_a_forbidden_character(tmp_path, sample_graph):
    """The reader is strict: the same file with one raw control character fails."""
    [path] = write_gexf(sample_graph, tmp_path)
    bad = tmp_path / "bad.gexf"
    bad.write_text(path.read_text(encoding="utf-8").replace("Ariane 5", "Ariane\x07 5"), encoding="utf-8")
    done = run_reader(bad)
    assert done.returncode == 1 and "U+0007" in done.stderr


def test_expat_and_networkx_read_the_file(written):
    G, path = written
    root = ET.parse(path).getroot()  # expat: rejects malformed XML and forbidden characters
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    back = nx.read_gexf(path, version="1.3")
    assert (back.number_of_nodes(), back.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())


def test_dirty_names_lose_only_the_forbidden_characters(tmp_path):
    G = dirty_graph()
    [path] = write_gexf(G, tmp_path)
    back = nx.read_gexf(path, version="1.3")
    assert back.nodes["badkey"]["label"] == clean_text("Label " + FORBIDDEN)
    assert back.nodes["badkey"]["aliases"] == "; ".join(clean_text(x) for x in G.nodes["bad\x07key"]["aliases"])
    assert ALLOWED in back.nodes["badkey"]["aliases"] and "cr\nlf\ncr" in back.nodes["badkey"]["aliases"]
    [edge] = [a for u, v, a in back.edges(data=True) if a.get("relation") == "operatedBy"]
    assert edge["evidence"] == clean_text("Sentence " + FORBIDDEN)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_gexf_bytes_do_not_depend_on_insertion_order_or_the_day(name):
    G = GRAPHS[name]()
    text = generate_gexf(G)
    assert text == generate_gexf(reordered(G))
    assert "lastmodifieddate" not in text and "networkx_key" not in text and "NetworkX" not in text
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n")


def parallel_graph() -> nx.MultiDiGraph:
    """Two relations between the same two nodes."""
    ents = [Entity(key="JUICE", label="JUICE", cls="Mission"), Entity(key="Ganymede", label="Ganymede", cls="Moon")]
    ev = [Evidence(doc_id="d", sentence="s", start=0, end=1, rule="r", confidence=0.5)]
    docs = [Document(id="d", path="d.md", kind="note", text="", offsets=[0])]
    facts = [Fact("JUICE", "orbits", "Ganymede", ev), Fact("JUICE", "flyby", "Ganymede", ev)]
    return build_graph(docs, ents, facts, {})


def test_every_edge_kind_is_its_relation(tmp_path):
    [path] = write_gexf(parallel_graph(), tmp_path)
    edges = ET.parse(path).getroot().iter("{http://gexf.net/1.3}edge")
    assert sorted(e.get("kind") for e in edges) == ["flyby", "orbits"]


@pytest.mark.client
def test_parallel_relations_stay_two_edges(tmp_path):
    [path] = write_gexf(parallel_graph(), tmp_path)
    out = read_with_graphology(path)
    assert (out["multi"], out["size"]) == (True, 2)
    assert sorted(e["relation"] for e in out["edges"]) == ["flyby", "orbits"]


def test_kg_export_from_graph_ttl_gives_the_same_file(sample_graph):
    assert generate_gexf(from_rdf(to_rdf(sample_graph))) == generate_gexf(sample_graph)


def whole_tree_gexf(G: nx.MultiDiGraph) -> str:
    """What networkx's own GEXFWriter writes for the drawn projection, whole, minus what does not
    come from the graph (the date, networkx's version, ``networkx_key``), with relation kinds."""
    from networkx.readwrite.gexf import GEXFWriter

    from kg.export import gexf

    H = gexf._add_viz(project(G), G)
    kinds = {key: a["relation"] for _u, _v, key, a in H.edges(keys=True, data=True)}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.3")
    writer.add_graph(H)
    root = writer.xml
    root.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    meta = root.find("meta")
    meta.attrib.pop("lastmodifieddate")
    meta.find("creator").text = "kg"
    drop = set()
    for attributes in root.iter("attributes"):
        for attr in list(attributes):
            if attr.get("title") == "networkx_key":
                drop.add(attr.get("id"))
                attributes.remove(attr)
    for attvalues in root.iter("attvalues"):
        for value in [v for v in attvalues if v.get("for") in drop]:
            attvalues.remove(value)
    for edge in root.iter("edge"):
        edge.set("kind", kinds[edge.get("id")])
    return "<?xml version='1.0' encoding='utf-8'?>\n" + str(writer).rstrip("\n") + "\n"


@pytest.mark.parametrize("slice_size", [1, 3, 2_000])
@pytest.mark.parametrize("name", [*sorted(GRAPHS), "parallel", "empty", "no edges"])
def test_streamed_file_is_what_networkx_writes_whole(monkeypatch, tmp_path, name, slice_size):
    from kg.export import gexf

    G = {"parallel": parallel_graph, "empty": nx.MultiDiGraph,
         "no edges": lambda: awkward_graph().subgraph(["Moon", "ESA"]).copy(), **GRAPHS}[name]()
    monkeypatch.setattr(gexf, "SLICE", slice_size)
    expected = whole_tree_gexf(G)
    assert generate_gexf(G) == expected
    [path] = write_gexf(G, tmp_path)
    assert path.read_text(encoding="utf-8") == expected
