"""Every exporter follows the graph's ontology folder: a class and relations kg's own ontology does
not know, values of relations with a number, a date or a boolean range, their labels and colours."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from kg import export, ontology
from kg.export.gexf import generate_gexf
from kg.export.html import network_data
from kg.export.jsonld import generate_jsonld
from kg.export.neo4j import generate_neo4j
from kg.export.turtle import generate_turtle
from kg.graph import build_graph
from kg.model import Document, Entity, Evidence, Fact
from kg.query import run_query
from kg.rdf import entity_iri, load_graph
from kg.validate import validate
from tests.conftest import extend_with_launch_sites

KG = ns.Namespace("https://w3id.org/kg-space/ontology#")
XSD = ns.XSD
VALUES = """
@prefix ex: <https://example.org/launch#> .
kg:massKg a owl:DatatypeProperty ; rdfs:label "mass (kg)"@en ; rdfs:domain kg:Mission ; rdfs:range xsd:decimal .
kg:padCount a owl:DatatypeProperty ; rdfs:label "launch pads"@en ; rdfs:domain kg:LaunchSite ;
    rdfs:range xsd:integer .
kg:openedYear a owl:DatatypeProperty ; rdfs:label "opened"@en ; rdfs:domain kg:LaunchSite ; rdfs:range xsd:gYear .
kg:crewRated a owl:DatatypeProperty ; rdfs:label "crew rated"@en ; rdfs:domain kg:LaunchSite ;
    rdfs:range xsd:boolean .
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("values") / "ontology"
    ontology.init(d)
    extend_with_launch_sites(d)
    with (d / "kg.ttl").open("a", encoding="utf-8") as fh:
        fh.write(VALUES)
    return d


def _ev(sentence: str, start: int, rule: str) -> Evidence:
    return Evidence(doc_id="n1", sentence=sentence, start=start, end=start + len(sentence), rule=rule, confidence=0.9)


@pytest.fixture(scope="module")
def graph(folder) -> nx.MultiDiGraph:
    doc = Document(id="n1", path="n1.md", kind="note", text="", offsets=[0], meta={"title": "Leaving Florida"})
    ents = [Entity(key="JUICE", label="JUICE", cls="Mission"), Entity(key="KSC", label="Kennedy Space Center",
                                                                       cls="LaunchSite", aliases=["KSC"])]
    s1 = "JUICE left from KSC."
    facts = [
        Fact("JUICE", "launchedFrom", "KSC", [_ev(s1, 0, "verb:launch")]),
        Fact("JUICE", "massKg", "6070.5", [_ev("JUICE weighs 6070.5 kg.", 30, "test")], literal=True),
        Fact("KSC", "padCount", "3", [_ev("KSC has 3 pads.", 60, "test")], literal=True),
        Fact("KSC", "openedYear", "1962", [_ev("KSC opened in 1962.", 90, "test")], literal=True),
        Fact("KSC", "crewRated", "true", [], literal=True, reference=True),
    ]
    mentions = {("n1", "JUICE"): ["JUICE"], ("n1", "KSC"): ["KSC"]}
    return build_graph([doc], ents, facts, mentions, ontology=str(folder.resolve()))


def test_turtle_and_json_ld_use_the_ontologys_terms_and_datatypes(graph):
    g = Graph().parse(data=generate_turtle(graph), format="turtle")
    juice, ksc = entity_iri("JUICE"), entity_iri("KSC")
    assert (juice, KG.launchedFrom, ksc) in g and (ksc, ns.RDF.type, KG.LaunchSite) in g
    assert (juice, KG.massKg, Literal("6070.5", datatype=XSD.decimal)) in g
    assert (ksc, KG.padCount, Literal("3", datatype=XSD.integer)) in g
    assert (ksc, KG.openedYear, Literal("1962", datatype=XSD.gYear)) in g
    assert (ksc, KG.crewRated, Literal("true", datatype=XSD.boolean)) in g
    (st,) = g.subjects(ns.RDF.predicate, KG.massKg)
    assert (st, KG.evidenceText, Literal("JUICE weighs 6070.5 kg.")) in g
    (ref,) = g.subjects(ns.RDF.predicate, KG.crewRated)
    assert (ref, KG.referenceData, Literal(True)) in g
    assert isomorphic(g, Graph().parse(data=generate_jsonld(graph), format="json-ld"))


@pytest.mark.parametrize("suffix, generate", [(".ttl", generate_turtle), (".jsonld", generate_jsonld)])
def test_a_graph_read_back_with_its_ontology_is_the_same_graph(graph, folder, tmp_path, suffix, generate):
    path = tmp_path / f"graph{suffix}"
    path.write_text(generate(graph), encoding="utf-8")
    back = load_graph(path, folder)
    assert back.graph == graph.graph
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(graph.edges(keys=True, data=True))


def test_the_ontology_export_is_the_folders_kg_ttl(graph, folder, tmp_path):
    (path,) = export.get("ontology").write(graph, tmp_path)
    assert path.read_bytes() == (folder / "kg.ttl").read_bytes()


def test_html_shows_the_class_in_the_legend_and_the_values_in_the_panel(graph):
    data = network_data(graph)
    site = next(c for c in data["classes"] if c["name"] == "LaunchSite")
    assert (site["label"], site["color"], site["shape"]) == ("Launch site", "#8c6d31", "square")
    assert next(r for r in data["relations"] if r["name"] == "launchedFrom")["label"] == "launched from"
    panel = {lit["label"]: [v["value"] for v in lit["values"]] for lit in data["info"]["KSC"]["literals"]}
    assert panel == {"Crew rated": ["true"], "Opened": ["1962"], "Launch pads": ["3"]}
    assert data["info"]["JUICE"]["literals"][0]["values"][0]["evidence"][0]["sentence"] == "JUICE weighs 6070.5 kg."


def test_neo4j_types_the_values_and_labels_the_class(graph):
    files = generate_neo4j(graph)
    rows = {r["id:ID"]: r for r in csv.DictReader(io.StringIO(files["neo4j/nodes.csv"]))}
    ksc, juice = rows["KSC"], rows["JUICE"]
    assert (ksc[":LABEL"], ksc["pad_counts:long[]"], ksc["opened_years:string[]"], ksc["crew_rateds:boolean[]"]) == (
        "LaunchSite;Entity", "3", "1962", "true")
    assert juice["mass_kgs:double[]"] == "6070.5"
    rels = list(csv.DictReader(io.StringIO(files["neo4j/relationships.csv"])))
    assert [(r[":START_ID"], r[":TYPE"], r[":END_ID"]) for r in rels if r["relation"] != "mentions"] == [
        ("JUICE", "LAUNCHED_FROM", "KSC")]
    script = files["neo4j/import.cypher"]
    assert "`pad_counts`: [3]" in script and "`mass_kgs`: [6070.5]" in script and "`crew_rateds`: [true]" in script
    assert "n:`LaunchSite`" in script and "[e:`LAUNCHED_FROM`]" in script


def test_gexf_and_graphml_carry_the_values_and_the_relation(graph, tmp_path):
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        (path,) = export.get(fmt).write(graph, tmp_path)
        H = read(path)
        assert (H.nodes["KSC"]["class"], H.nodes["KSC"]["pad_count"], H.nodes["JUICE"]["mass_kg"]) == (
            "LaunchSite", "3", "6070.5")
        (edge,) = [a for _, _, a in H.edges(data=True) if a["relation"] == "launchedFrom"]
        assert edge["label"] == "launched from"
    viz = generate_gexf(graph)
    assert '<viz:color r="140" g="109" b="49"' in viz  # LaunchSite's #8c6d31, from style.json


def test_validation_derives_the_shapes_from_the_folders_kg_ttl(graph, folder, tmp_path):
    path = tmp_path / "graph.ttl"
    path.write_text(generate_turtle(graph), encoding="utf-8")
    assert validate(path, folder).conforms
    g = Graph().parse(path)
    g.add((entity_iri("JUICE"), KG.launchedFrom, entity_iri("JUICE")))
    g.set((entity_iri("KSC"), KG.padCount, Literal("three")))
    assert set(validate(g, folder).by_rule()) == {"LaunchedFromRange", "PadCountDatatype"}
    assert not validate(path).conforms  # kg's own ontology has no LaunchSite


def test_queries_know_the_folders_prefixes(graph, folder, tmp_path):
    (path,) = export.get("turtle").write(graph, tmp_path)
    result = run_query(path, "SELECT ?site WHERE { ?m kg:launchedFrom ?s . ?s rdfs:label ?site }", ontology_dir=folder)
    assert result.rows == [("Kennedy Space Center",)]


def test_the_folders_own_prefixes_are_bound_in_turtle_and_json_ld(graph):
    assert "@prefix ex: <https://example.org/launch#> ." in generate_turtle(graph)
    assert json.loads(generate_jsonld(graph))["@context"]["ex"] == "https://example.org/launch#"
