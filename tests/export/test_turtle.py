"""graph.ttl and ontology.ttl, checked with real clients: rapper (raptor2), pyoxigraph, rdflib, pyshacl."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal
from rdflib import namespace as ns

from kg.export import ontology as ontology_export
from kg.export.turtle import generate_turtle, write_turtle
from kg.ontology import ONTOLOGY_DIR
from kg.query import run_query
from kg.rdf import entity_iri
from kg.validate import validate
from tests.conftest import ROOT, require_executable
from tests.export.conftest import HOSTILE, make_sample_graph
from tests.test_rdf import awkward_graph, shuffled

RAPPER_INSTALL = "apt-get install raptor2-utils"
QUERIES = sorted((ROOT / "queries").glob("*.rq"))
GRAPHS = {"sample": make_sample_graph, "awkward": awkward_graph}


@pytest.fixture(scope="module", params=sorted(GRAPHS))
def exported(request, tmp_path_factory) -> Path:
    """graph.ttl and ontology.ttl of one test graph, written by the registered exporters."""
    out = tmp_path_factory.mktemp(request.param)
    G = GRAPHS[request.param]()
    write_turtle(G, out)
    ontology_export.write_ontology(G, out)
    return out


def rapper(*args: str) -> subprocess.CompletedProcess:
    exe = require_executable("rapper", RAPPER_INSTALL)
    return subprocess.run([exe, *args], capture_output=True, timeout=60)


def rapper_graph(path: Path) -> Graph:
    """``path`` as rapper reads it: rapper's N-Triples output parsed by rdflib."""
    proc = rapper("-q", "-i", "turtle", "-o", "ntriples", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    return Graph().parse(data=proc.stdout.decode("utf-8"), format="nt")


def oxigraph_literals(path: Path) -> set[str]:
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    return {q.object.value for q in store if isinstance(q.object, pyoxigraph.Literal)}


# ------------------------------------------------------------------ determinism
def test_two_runs_give_the_same_bytes(sample_graph):
    assert generate_turtle(sample_graph) == generate_turtle(sample_graph)


def test_bytes_do_not_depend_on_insertion_order(sample_graph):
    assert generate_turtle(shuffled(sample_graph)) == generate_turtle(sample_graph)


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_written_a_unit_at_a_time_the_file_is_the_whole_graph(name):
    """Turtle and JSON-LD, written one unit of subjects at a time, hold exactly to_rdf's triples."""
    from rdflib.compare import isomorphic

    from kg import rdf
    from kg.export.jsonld import generate_jsonld

    G = GRAPHS[name]()
    assert isomorphic(Graph().parse(data=generate_turtle(G), format="turtle"), rdf.to_rdf(G))
    assert isomorphic(Graph().parse(data=generate_jsonld(G), format="json-ld"), rdf.to_rdf(G))


def test_entities_come_first_each_followed_by_its_evidence(sample_graph):
    text = generate_turtle(sample_graph)
    juice = text.index("\nid:JUICE ")
    first_doc = text.index("\ndoc:")  # a document as subject
    evidence = [i for i in range(len(text)) if text.startswith("rdf:subject id:JUICE", i)]
    assert juice < first_doc
    assert any(juice < i < first_doc for i in evidence)


def test_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    script = (
        "import sys; from pathlib import Path; from kg.export.turtle import write_turtle; "
        "from tests.export.conftest import make_sample_graph; write_turtle(make_sample_graph(), Path(sys.argv[1]))"
    )
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, cwd=ROOT, env=env, timeout=120)
        outputs.append((out / "graph.ttl").read_bytes())
    assert outputs[0] == outputs[1] == generate_turtle(make_sample_graph()).encode("utf-8")


def test_write_returns_the_declared_output(tmp_path, sample_graph):
    assert write_turtle(sample_graph, tmp_path / "new") == [tmp_path / "new" / "graph.ttl"]


def test_ontology_export_is_kg_ttl_verbatim(exported):
    assert (exported / "ontology.ttl").read_bytes() == (ONTOLOGY_DIR / "kg.ttl").read_bytes()


# ------------------------------------------------------------------ rapper
@pytest.mark.client
@pytest.mark.parametrize("name", ["graph.ttl", "ontology.ttl"])
def test_rapper_accepts_the_file_with_rdflibs_triple_count(exported, name):
    path = exported / name
    proc = rapper("-i", "turtle", "-c", str(path))
    assert proc.returncode == 0, proc.stderr.decode()
    count = len(Graph().parse(path, format="turtle"))
    assert f"returned {count} triples" in proc.stderr.decode()
    assert len(rapper_graph(path)) == count


@pytest.mark.client
def test_rapper_rejects_a_broken_file(exported, tmp_path):
    broken = tmp_path / "broken.ttl"
    text = (exported / "graph.ttl").read_text(encoding="utf-8")
    broken.write_text(text.replace(" .\n", " \n", 1), encoding="utf-8")
    assert rapper("-q", "-i", "turtle", "-c", str(broken)).returncode != 0


@pytest.mark.client
def test_rapper_reads_the_same_triples_as_rdflib(exported):
    path = exported / "graph.ttl"
    assert set(rapper_graph(path)) == set(Graph().parse(path, format="turtle"))


# ------------------------------------------------------------------ hostile literals, three parsers
def _rdflib_literals(g: Graph) -> set[str]:
    return {str(o) for o in g.objects() if isinstance(o, Literal)}


PARSERS = {
    "rdflib": lambda p: _rdflib_literals(Graph().parse(p, format="turtle")),
    "rapper": lambda p: _rdflib_literals(rapper_graph(p)),
    "pyoxigraph": oxigraph_literals,
}


@pytest.mark.client
@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_hostile_literals_round_trip_exactly(tmp_path, parser):
    write_turtle(make_sample_graph(), tmp_path)
    literals = PARSERS[parser](tmp_path / "graph.ttl")
    for name in HOSTILE:
        assert name in literals
        assert name + " alias" in literals
        assert f"{name} is run by NASA." in literals


@pytest.mark.client
@pytest.mark.parametrize("parser", sorted(PARSERS))
def test_all_parsers_read_the_same_literals(exported, parser):
    path = exported / "graph.ttl"
    assert PARSERS[parser](path) == PARSERS["rdflib"](path)


def test_hostile_labels_are_the_labels(tmp_path):
    write_turtle(make_sample_graph(), tmp_path)
    g = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    labels = [str(g.value(entity_iri(f"Hostile_{i}"), ns.RDFS.label)) for i in range(len(HOSTILE))]
    assert labels == HOSTILE


# ------------------------------------------------------------------ pyoxigraph answers the queries like rdflib
@pytest.mark.client
@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_pyoxigraph_and_rdflib_answer_every_query_alike(exported, query):
    sparql = query.read_text(encoding="utf-8")
    path = exported / "graph.ttl"
    assert run_query(path, sparql, engine="oxigraph") == run_query(path, sparql, engine="rdflib")


# ------------------------------------------------------------------ SHACL
def test_graph_conforms_to_the_shapes(exported):
    report = validate(exported / "graph.ttl")
    assert report.conforms, report.violations
