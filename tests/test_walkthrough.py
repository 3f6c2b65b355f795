"""The README's walkthrough "add a class and a relation", run as written: `kg ontology init`, the
class LaunchSite and the relation launchedFrom (tests/data/launch_sites/), then the seeds and a
note of our own built with `--ontology`; the new class and relation reach every export, and
`kg validate` passes with the extended ontology."""
from __future__ import annotations

import csv
import json
import re
import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import LAUNCH_SITES, ROOT, SEEDS, extend_with_launch_sites

FACT = ("Europa_Clipper", "launchedFrom", "Kennedy_Space_Center")


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory):
    """The folder, the notes (the seeds and our note) and the build, as the README does them."""
    tmp = tmp_path_factory.mktemp("walkthrough")
    folder = tmp / "my-ontology"
    _run("ontology", "init", str(folder))
    extend_with_launch_sites(folder)
    assert "14 entity classes, 12 relations" in _run("ontology", "check", str(folder))
    notes = tmp / "notes"
    shutil.copytree(SEEDS, notes)
    shutil.copyfile(LAUNCH_SITES / "note.md", notes / "leaving-florida.md")
    out = tmp / "out"
    _run("build", str(notes), "--out", str(out), "--ontology", str(folder), "--relation-model", "none")
    _run("build", str(notes), "--out", str(tmp / "own"), "--relation-model", "none")  # kg's own ontology
    return folder, notes, out


def test_the_snippets_are_the_readmes():
    readme = re.sub(r"^   ", "", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.M)  # list item indent
    for name in ("kg.ttl", "launch_sites.jsonl", "relations.yaml", "note.md"):
        assert (LAUNCH_SITES / name).read_text(encoding="utf-8").strip() in readme, name


def test_turtle_json_ld_and_the_ontology_have_the_class_and_the_fact(walkthrough):
    _, _, out = walkthrough
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert re.search(r"id:Europa_Clipper a kg:Mission ;.*?kg:launchedFrom id:Kennedy_Space_Center", ttl, re.S)
    assert re.search(r"id:Kennedy_Space_Center a kg:LaunchSite ;", ttl)
    jsonld = json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))["@graph"]
    site = next(n for n in jsonld if n["@id"] == "id:Kennedy_Space_Center")
    clipper = next(n for n in jsonld if n["@id"] == "id:Europa_Clipper")
    assert site["@type"] == "kg:LaunchSite" and clipper["kg:launchedFrom"] == {"@id": "id:Kennedy_Space_Center"}
    assert "kg:LaunchSite a owl:Class" in (out / "ontology.ttl").read_text(encoding="utf-8")


def test_the_html_legend_has_the_class_and_the_relation(walkthrough):
    _, _, out = walkthrough
    page = (out / "graph.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert {"name": "LaunchSite", "label": "Launch site", "color": "#8c6d31", "shape": "square", "count": 1,
            "visible": True} in data["classes"]
    assert next(r for r in data["relations"] if r["name"] == "launchedFrom")["label"] == "launched from"


def test_neo4j_has_the_label_and_the_relationship_type(walkthrough):
    _, _, out = walkthrough
    with (out / "neo4j" / "nodes.csv").open(encoding="utf-8") as fh:
        nodes = {r["id:ID"]: r for r in csv.DictReader(fh)}
    assert nodes["Kennedy_Space_Center"][":LABEL"] == "LaunchSite;Entity"
    with (out / "neo4j" / "relationships.csv").open(encoding="utf-8") as fh:
        rels = [(r[":START_ID"], r[":TYPE"], r[":END_ID"]) for r in csv.DictReader(fh)]
    assert ("Europa_Clipper", "LAUNCHED_FROM", "Kennedy_Space_Center") in rels
    assert "[e:`LAUNCHED_FROM`]" in (out / "neo4j" / "import.cypher").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, read", [("graph.gexf", nx.read_gexf), ("graph.graphml", nx.read_graphml)])
def test_gexf_and_graphml_have_the_class_and_the_fact(walkthrough, name, read):
    _, _, out = walkthrough
    H = read(out / name)
    assert H.nodes["Kennedy_Space_Center"]["class"] == "LaunchSite"
    assert any(a["relation"] == "launchedFrom" for _, _, a in H.edges("Europa_Clipper", data=True))


def test_validate_query_and_export_read_the_folder(walkthrough, tmp_path):
    folder, _, out = walkthrough
    graph = str(out / "graph.ttl")
    assert _run("validate", graph, "--ontology", str(folder)).startswith("Conforms: yes")
    assert CliRunner().invoke(main, ["validate", graph]).exit_code == 1  # kg's own ontology has no LaunchSite
    rows = _run("query", graph, "--ontology", str(folder), "--format", "csv",
                "SELECT ?site WHERE { ?m kg:launchedFrom ?s . ?s rdfs:label ?site }")
    assert rows == "site\nKennedy Space Center\n"
    _run("export", graph, "--format", "neo4j", "--out", str(tmp_path), "--ontology", str(folder))
    for name in ("nodes.csv", "relationships.csv", "import.cypher"):
        assert (tmp_path / "neo4j" / name).read_bytes() == (out / "neo4j" / name).read_bytes()


def test_the_notes_keep_every_fact_kgs_own_ontology_finds(walkthrough):
    from kg.rdf import load_graph

    folder, _, out = walkthrough

    def facts(G):
        return {(u, a["relation"], v) for u, v, a in G.edges(data=True) if a["kind"] == "fact"}

    own = facts(load_graph(out.parent / "own" / "graph.ttl"))
    assert ("Europa_Clipper", "launchVehicle", "Falcon_Heavy") in own
    assert facts(load_graph(out / "graph.ttl", folder)) == own | {FACT}


def test_kg_train_makes_a_relation_model_for_the_folder(walkthrough, tmp_path):
    """Two annotated notes of the extended ontology: the model is made for its schema, a build with
    the folder uses it, and a build with kg's own ontology refuses it."""
    folder, _, _ = walkthrough
    data = LAUNCH_SITES / "train"
    model = tmp_path / "model.json"
    _run("train", str(data / "gold.jsonl"), "--docs", str(data), "--out", str(model), "--ontology", str(folder))
    built = _run("build", str(data), "--out", str(tmp_path / "out"), "--ontology", str(folder),
                 "--relation-model", str(model))
    assert re.search(r"facts: launchedFrom\W+2\b", built) and "rules only" not in built
    refused = CliRunner().invoke(main, ["build", str(data), "--out", str(tmp_path / "own"), "--relation-model",
                                        str(model)])
    assert refused.exit_code == 1 and "train a model for it with kg train" in " ".join(refused.output.split())
