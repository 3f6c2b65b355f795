"""graph.jsonld: deterministic, the same RDF as graph.ttl, readable by rdflib and pyoxigraph."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pyoxigraph
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.export.jsonld import generate_jsonld, write_jsonld
from kg.query import run_query
from kg.rdf import NAMESPACES, load_graph, to_rdf
from tests.conftest import ROOT
from tests.export.conftest import HOSTILE, make_sample_graph
from tests.test_rdf import assert_same_graph, awkward_graph, shuffled

GRAPHS = {"sample": make_sample_graph, "awkward": awkward_graph}


def test_two_runs_give_the_same_bytes(sample_graph):
    assert generate_jsonld(sample_graph) == generate_jsonld(sample_graph)


def test_bytes_do_not_depend_on_insertion_order(sample_graph):
    assert generate_jsonld(shuffled(sample_graph)) == generate_jsonld(sample_graph)


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    script = (
        "import sys; from pathlib import Path; from kg.export.jsonld import write_jsonld; "
        "from tests.export.conftest import make_sample_graph; write_jsonld(make_sample_graph(), Path(sys.argv[1]))"
    )
    outputs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, cwd=ROOT, env=env, timeout=120)
        outputs.append((out / "graph.jsonld").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


def test_context_declares_kg_prefixes(sample_graph):
    data = json.loads(generate_jsonld(sample_graph))
    base = "https://w3id.org/kg-space/id/"
    assert data["@context"] == {**NAMESPACES, "id": base, "doc": base + "doc/", "stmt": base + "stmt/"}
    juice = next(n for n in data["@graph"] if n["@id"] == "id:JUICE")
    assert juice["@type"] == "kg:Mission" and juice["rdfs:label"] == "JUICE"
    # the longest prefix wins: documents and statements are doc:… and stmt:…
    assert {n["@id"].split(":")[0] for n in data["@graph"]} == {"id", "doc", "stmt"}
    # the order of graph.ttl: the dataset, entities by key (each with its facts' evidence), documents by id
    heads = [n for n in data["@graph"] if "kg:Statement" not in n.get("@type", []) and "rdf:Statement" not in n.get("@type", [])]
    assert heads[0]["@id"] == "id:"
    kinds = ["document" if n.get("@type") == "kg:Document" else "entity" for n in heads[1:]]
    assert kinds == sorted(kinds, key=lambda k: k == "document")
    docs = [n["dcterms:identifier"] for n in heads[1:] if n.get("@type") == "kg:Document"]
    assert docs == sorted(docs)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_same_triples_as_to_rdf(name):
    G = GRAPHS[name]()
    assert isomorphic(Graph().parse(data=generate_jsonld(G), format="json-ld"), to_rdf(G))


def test_load_graph_round_trip(tmp_path):
    G = make_sample_graph()
    (path,) = write_jsonld(G, tmp_path)
    assert path == tmp_path / "graph.jsonld"
    assert_same_graph(G, load_graph(path))


@pytest.mark.client
def test_pyoxigraph_reads_the_same_triples_and_literals(tmp_path):
    G = make_sample_graph()
    (path,) = write_jsonld(G, tmp_path)
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.JSON_LD)
    assert len(store) == len(to_rdf(G))
    literals = {q.object.value for q in store if isinstance(q.object, pyoxigraph.Literal)}
    assert literals == {str(o) for o in to_rdf(G).objects() if isinstance(o, Literal)}
    assert set(HOSTILE) <= literals


def test_queries_run_on_json_ld(tmp_path):
    (path,) = write_jsonld(make_sample_graph(), tmp_path)
    sparql = (ROOT / "queries" / "missions_by_agency.rq").read_text(encoding="utf-8")
    ox = run_query(path, sparql, engine="oxigraph")
    assert ox == run_query(path, sparql, engine="rdflib")
    assert ("ESA", "Agency", "JUICE", "Mission") in ox.rows
