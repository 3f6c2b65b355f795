"""graph.graphml: read back by python-igraph (a real client) and networkx."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from kg.export import get
from kg.export._text import clean_text
from kg.export.gexf import project
from kg.export.graphml import generate_graphml, write_graphml
from kg.rdf import from_rdf, to_rdf
from tests.conftest import require_client
from tests.export.conftest import HOSTILE, make_sample_graph, reordered
from tests.export.test_gexf import ALLOWED, FORBIDDEN, dirty_graph
from tests.test_rdf import awkward_graph

GRAPHS = {"sample": make_sample_graph, "awkward": awkward_graph, "dirty": dirty_graph}




def igraph_read(path):
    try:
        import igraph
    except ImportError:  # pragma: no cover - depends on the machine
        require_client(False, "python-igraph", "pip install igraph")
    return igraph.Graph.Read_GraphML(str(path))


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def written(request, tmp_path_factory):
    G = GRAPHS[request.param]()
    [path] = write_graphml(G, tmp_path_factory.mktemp(request.param))
    return G, path


def test_graphml_is_registered_with_its_output():
    assert get("graphml").outputs == ("graph.graphml",)


@pytest.mark.client
def test_igraph_reads_every_node_edge_and_attribute(written):
    G, path = written
    g = igraph_read(path)
    assert (g.vcount(), g.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    assert g.is_directed()
    H = project(G)
    by_id = {v["id"]: v for v in g.vs}
    assert set(by_id) == set(H.nodes)
    for node, a in H.nodes(data=True):
        assert (by_id[node]["class"], by_id[node]["label"], by_id[node]["kind"]) == (a["class"], a["label"], a["kind"])
    relations = sorted((g.vs[e.source]["id"], g.vs[e.target]["id"], e["relation"], e["weight"]) for e in g.es)
    assert relations == sorted((u, v, a["relation"], a["weight"]) for u, v, a in H.edges(data=True))


@pytest.mark.client
@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_names_round_trip_through_igraph(tmp_path, sample_graph, index):
    [path] = write_graphml(sample_graph, tmp_path)
    vertex = igraph_read(path).vs.find(id=f"Hostile_{index}")
    assert vertex["label"] == clean_text(HOSTILE[index])
    assert vertex["aliases"] == clean_text(HOSTILE[index] + " alias")


@pytest.mark.client
def test_igraph_reads_the_fact_attributes(tmp_path, sample_graph):
    [path] = write_graphml(sample_graph, tmp_path)
    g = igraph_read(path)
    orbit = g.es.find(_source=g.vs.find(id="JUICE").index, _target=g.vs.find(id="Ganymede").index)
    assert orbit["relation"] == "orbits" and orbit["label"] == "orbits" and orbit["weight"] == 2
    assert orbit["evidence"] == "\n".join(["JUICE will settle into a tight orbit around Ganymede."] * 2)
    assert orbit["documents"] == "note1; qa1"
    assert orbit["timestamp_urls"] == "https://www.youtube.com/watch?v=DJO_9auJhJQ&t=867s"
    assert g.vs.find(id="ESA")["wikidata"] == "Q42262"


def test_networkx_reads_back_the_projection(written):
    G, path = written
    ET.parse(path)  # expat: strict XML
    back = nx.read_graphml(path, force_multigraph=True)
    H = project(G)
    assert dict(back.nodes(data=True)) == dict(H.nodes(data=True))
    assert sorted((u, v, sorted(a.items())) for u, v, a in back.edges(data=True)) == \
        sorted((u, v, sorted(a.items())) for u, v, a in H.edges(data=True))


def test_dirty_names_lose_only_the_forbidden_characters(tmp_path):
    G = dirty_graph()
    [path] = write_graphml(G, tmp_path)
    back = nx.read_graphml(path)
    assert back.nodes["badkey"]["label"] == clean_text("Label " + FORBIDDEN)
    assert back.nodes["badkey"]["aliases"] == "; ".join(clean_text(x) for x in G.nodes["bad\x07key"]["aliases"])
    assert ALLOWED in back.nodes["badkey"]["aliases"] and "cr\nlf\ncr" in back.nodes["badkey"]["aliases"]


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_graphml_bytes_do_not_depend_on_insertion_order(name):
    G = GRAPHS[name]()
    text = generate_graphml(G)
    assert text == generate_graphml(reordered(G))
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n") and text.endswith("</graphml>\n")


def test_kg_export_from_graph_ttl_gives_the_same_file(sample_graph):
    assert generate_graphml(from_rdf(to_rdf(sample_graph))) == generate_graphml(sample_graph)
