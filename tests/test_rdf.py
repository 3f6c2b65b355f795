"""kg.rdf: the RDF encoding of the graph contract and its exact inverse."""
from __future__ import annotations

import random

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib import namespace as ns

from kg.errors import ExportError, GraphFileError
from kg.export.jsonld import generate_jsonld
from kg.export.turtle import generate_turtle
from kg.graph import build_graph
from kg.model import Document, Entity, Evidence, Fact, RelatedDoc
from kg.ontology import KG
from kg.rdf import (
    SCHEMA,
    document_iri,
    entity_iri,
    from_rdf,
    load_graph,
    statement_iri,
    to_rdf,
)
from tests.export.conftest import HOSTILE, make_sample_graph

BASE = "https://w3id.org/kg-space/id/"
AWKWARD_NAMES = [*HOSTILE, "a/b", "50%", "%41", "#frag", "?q=1", ".", "..", "Inc.", "v1.", "Chang'e 6", "Ōmura", "x y"]


@pytest.fixture
def sample_graph():
    return make_sample_graph()


def _nodes(G: nx.MultiDiGraph) -> dict:
    out = {}
    for n, a in G.nodes(data=True):
        a = dict(a)
        if a["kind"] == "document":  # keywords are an RDF set: compared as sorted, deduplicated lists
            a["keywords"] = sorted(set(a["keywords"]))
        out[n] = a
    return out


def _edges(G: nx.MultiDiGraph) -> dict:
    return {(u, v, k): a for u, v, k, a in G.edges(keys=True, data=True)}


def assert_same_graph(G: nx.MultiDiGraph, H: nx.MultiDiGraph) -> None:
    assert H.graph == G.graph
    assert _nodes(H) == _nodes(G)
    assert _edges(H) == _edges(G)


def _ev(doc: str, start: int, rule: str = "r", sentence: str = "A sentence.") -> Evidence:
    return Evidence(doc_id=doc, sentence=sentence, start=start, end=start + len(sentence), rule=rule, confidence=0.85)


def awkward_graph() -> nx.MultiDiGraph:
    """Keys, doc ids and values that stress IRI minting; reference facts; a month-only launch date."""
    docs = [Document(id=name, path=f"p/{i}.md", kind="note", text="", offsets=[0],
                     meta={"keywords": ["b", "a"], "date": "2024-13-01"}) for i, name in enumerate(AWKWARD_NAMES[:-1])]
    docs.append(Document(id="dir/doc", path="dir/doc.md", kind="qa_article", text="", offsets=[0],
                         meta={"url": "/x", "id": 7, "videoId": "a&b=c d"},
                         related=[RelatedDoc(ref="r/1", title="T", url="https://example.org/?a=1&b=2"),
                                  RelatedDoc(ref="z", url=f"/learn/{AWKWARD_NAMES[0]}")]))
    ents = [Entity(key=name, label=name, cls="Mission", aliases=[name + "!"]) for name in AWKWARD_NAMES]
    ents += [Entity(key="Moon", label="Moon", cls="Moon", gazetteer_id="moon", qid="Q405"),
             Entity(key="Earth", label="Earth", cls="Planet", gazetteer_id="earth"),
             Entity(key="ESA", label="ESA", cls="Agency"), Entity(key="Japan", label="Japan", cls="Country")]
    facts = [
        Fact("Moon", "orbits", "Earth", reference=True),
        Fact("Moon", "moonOf", "Earth", [_ev("dir/doc", 3)], reference=True),
        Fact("ESA", "collaboratesWith", "Japan"),
        Fact(AWKWARD_NAMES[0], "launchDate", "1990-04", [_ev("dir/doc", 9, sentence="In April 1990\x00.")],
             literal=True),
        Fact(AWKWARD_NAMES[0], "launchDate", "1990-04-24", [_ev("dir/doc", 9), _ev("..", 1, "other")], literal=True),
        Fact(AWKWARD_NAMES[1], "landsOn", "Moon", [_ev(AWKWARD_NAMES[2], 0, AWKWARD_NAMES[3], AWKWARD_NAMES[4])]),
    ]
    mentions = {(d.id, e.key): [e.label, e.label, "x"] for d in docs[:3] for e in ents[:4]}
    return build_graph(docs, ents, facts, mentions)


GRAPHS = {"sample": make_sample_graph, "plain": lambda: make_sample_graph(hostile=False), "awkward": awkward_graph}


# ------------------------------------------------------------------ round trip
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_from_rdf_inverts_to_rdf(name):
    G = GRAPHS[name]()
    if name == "awkward":  # NUL cannot be carried (documented): it comes back as U+FFFD
        for launch in G.nodes[AWKWARD_NAMES[0]]["literals"]["launchDate"]:
            for ev in launch["evidence"]:
                ev["sentence"] = ev["sentence"].replace("\x00", "\ufffd")
    assert_same_graph(G, from_rdf(to_rdf(G)))


@pytest.mark.parametrize("suffix,generate", [(".ttl", generate_turtle), (".jsonld", generate_jsonld)])
def test_load_graph_reads_an_export_back(tmp_path, suffix, generate):
    G = make_sample_graph()
    path = tmp_path / f"graph{suffix}"
    path.write_text(generate(G), encoding="utf-8")
    assert_same_graph(G, load_graph(path))


def test_round_trip_keeps_the_evidence_of_every_fact(sample_graph):
    H = from_rdf(to_rdf(sample_graph))
    orbit = H.edges["JUICE", "Ganymede", "orbits"]
    assert [e["doc_id"] for e in orbit["evidence"]] == ["note1", "qa1"]
    assert orbit["evidence"][0]["timestamp_url"] == "https://www.youtube.com/watch?v=DJO_9auJhJQ&t=867s"
    assert orbit["evidence"][1]["timestamp"] is None
    assert H.nodes["JUICE"]["literals"]["launchDate"][0]["value"] == "2023-04-14"
    assert H.edges["doc:qa1", "doc:ext-99", "related"]["kind"] == "related"


# ------------------------------------------------------------------ encoding
def test_entities_documents_and_facts_use_the_ontology(sample_graph):
    g = to_rdf(sample_graph)
    juice, esa, note1 = entity_iri("JUICE"), entity_iri("ESA"), document_iri("note1")
    assert (juice, ns.RDF.type, KG.Mission) in g
    assert (juice, ns.RDFS.label, Literal("JUICE")) in g
    assert (juice, ns.SKOS.altLabel, Literal("Jupiter Icy Moon Explorer")) in g
    assert (juice, KG.entityClass, Literal("Mission")) in g
    assert (juice, KG.operatedBy, esa) in g
    assert (juice, KG.launchDate, Literal("2023-04-14", datatype=ns.XSD.date)) in g
    assert (esa, ns.OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q42262")) in g
    assert (esa, KG.wikidata, Literal("Q42262")) in g
    assert (note1, ns.RDF.type, KG.Document) in g
    assert (note1, ns.DCTERMS.identifier, Literal("note1")) in g
    assert (note1, ns.DCTERMS.source, Literal("notes/note1.md")) in g
    assert (note1, SCHEMA.video, URIRef("https://www.youtube.com/watch?v=DJO_9auJhJQ")) in g
    assert (note1, SCHEMA.mentions, esa) in g
    assert (document_iri("qa1"), ns.DCTERMS.relation, document_iri("ext-99")) in g
    assert (document_iri("ext-99"), ns.DCTERMS.type, Literal("external")) in g
    assert (document_iri("qa1"), SCHEMA.url, Literal("/learn/x", datatype=ns.XSD.anyURI)) in g
    assert set(g.objects(document_iri("qa1"), SCHEMA.keywords)) == {Literal("NASA"), Literal("ESA")}


def test_each_evidence_item_is_a_statement(sample_graph):
    g = to_rdf(sample_graph)
    juice, ganymede = entity_iri("JUICE"), entity_iri("Ganymede")
    stmts = [st for st in g.subjects(ns.RDF.subject, juice)
             if (st, ns.RDF.predicate, KG.orbits) in g and (st, ns.RDF.object, ganymede) in g]
    assert len(stmts) == 2
    st = next(s for s in stmts if (s, ns.PROV.wasDerivedFrom, document_iri("note1")) in g)
    assert (st, ns.RDF.type, ns.RDF.Statement) in g and (st, ns.RDF.type, KG.Statement) in g
    assert (st, KG.evidenceText, Literal("JUICE will settle into a tight orbit around Ganymede.")) in g
    assert (st, KG.startOffset, Literal(200)) in g
    assert (st, KG.endOffset, Literal(253)) in g
    assert (st, KG.timestamp, Literal(867)) in g
    assert (st, KG.timestampUrl,
            Literal("https://www.youtube.com/watch?v=DJO_9auJhJQ&t=867s", datatype=ns.XSD.anyURI)) in g
    assert (st, KG.confidence, Literal("0.9", datatype=ns.XSD.decimal)) in g
    assert (st, KG.rule, Literal("verb:orbit")) in g
    assert not list(g.objects(st, KG.referenceData))


def test_mentions_are_reified_with_count_and_surfaces(sample_graph):
    g = to_rdf(sample_graph)
    note1, esa = document_iri("note1"), entity_iri("ESA")
    (st,) = [s for s in g.subjects(ns.RDF.object, esa)
             if (s, ns.RDF.subject, note1) in g and (s, ns.RDF.predicate, SCHEMA.mentions) in g]
    assert (st, ns.RDF.value, Literal(2)) in g
    assert set(g.objects(st, SCHEMA.name)) == {Literal("ESA"), Literal("European Space Agency")}
    assert (st, ns.RDF.type, KG.Statement) not in g


def test_reference_facts_are_marked():
    g = to_rdf(awkward_graph())
    moon, esa, japan = entity_iri("Moon"), entity_iri("ESA"), entity_iri("Japan")
    for relation in (KG.orbits, KG.moonOf):
        stmts = [s for s in g.subjects(ns.RDF.subject, moon) if (s, ns.RDF.predicate, relation) in g]
        assert stmts and all((s, KG.referenceData, Literal(True)) in g for s in stmts)
    (orbit,) = [s for s in g.subjects(ns.RDF.subject, moon) if (s, ns.RDF.predicate, KG.orbits) in g]
    assert (orbit, ns.RDF.type, KG.Statement) not in g  # no evidence: a plain rdf:Statement
    assert (esa, KG.collaboratesWith, japan) in g and (japan, KG.collaboratesWith, esa) not in g


def test_launch_date_types():
    g = to_rdf(awkward_graph())
    dates = set(g.objects(entity_iri(AWKWARD_NAMES[0]), KG.launchDate))
    assert dates == {Literal("1990-04", datatype=ns.XSD.gYearMonth), Literal("1990-04-24", datatype=ns.XSD.date)}
    assert (document_iri("."), ns.DCTERMS.date, Literal("2024-13-01")) in g  # not a date: a plain literal


def test_prefixes_are_bound(sample_graph):
    ttl = generate_turtle(sample_graph)
    for prefix in ("kg", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "schema", "id"):
        assert f"@prefix {prefix}: " in ttl
    assert "@prefix id: <https://w3id.org/kg-space/id/> ." in ttl


def shuffled(G: nx.MultiDiGraph, seed: int = 7) -> nx.MultiDiGraph:
    """``G`` with nodes and edges inserted in another order and list attributes reversed."""
    def flip(a: dict) -> dict:
        return {k: v[::-1] if isinstance(v, list) else v for k, v in a.items()}

    nodes = [(n, flip(a)) for n, a in G.nodes(data=True)]
    edges = [(u, v, k, flip(a)) for u, v, k, a in G.edges(keys=True, data=True)]
    random.Random(seed).shuffle(nodes)
    random.Random(seed).shuffle(edges)
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


def test_output_does_not_depend_on_insertion_order(sample_graph):
    H = shuffled(sample_graph)
    assert list(H.nodes) != list(sample_graph.nodes)
    assert set(to_rdf(H)) == set(to_rdf(sample_graph))
    assert generate_turtle(H) == generate_turtle(sample_graph)


def test_empty_graph_round_trips():
    G = nx.MultiDiGraph(base=BASE, name="kg")
    assert len(to_rdf(G)) == 3  # the dataset description
    assert_same_graph(G, from_rdf(to_rdf(G)))


def test_no_blank_nodes(sample_graph):
    g = to_rdf(sample_graph)
    assert not [t for t in g if any(x.n3().startswith("_:") for x in t)]


def test_custom_base(sample_graph):
    sample_graph.graph["base"] = "http://example.org/kg/"
    g = to_rdf(sample_graph)
    assert (URIRef("http://example.org/kg/JUICE"), ns.RDF.type, KG.Mission) in g
    assert from_rdf(g).graph["base"] == "http://example.org/kg/"


# ------------------------------------------------------------------ IRIs and characters
@pytest.mark.parametrize("name", [*AWKWARD_NAMES, "lone \ud800 surrogate"])
def test_iris_minted_from_any_name_are_valid_and_invertible(name):
    for iri, prefix in ((entity_iri(name), BASE), (document_iri(name), BASE + "doc/")):
        pyoxigraph.NamedNode(str(iri))  # raises ValueError on an invalid IRI
        assert str(iri).isascii() and str(iri).isprintable()
        local = str(iri)[len(prefix):]
        assert local not in (".", "..") and "/./" not in f"/{local}/" and "/../" not in f"/{local}/"
        assert "#" not in local and "?" not in local
    assert "/" not in str(entity_iri(name))[len(BASE):]
    G = nx.MultiDiGraph(base=BASE, name="kg")
    G.add_node(name, kind="entity", cls="Mission", label="x", aliases=[], qid=None, gazetteer_id=None, literals={})
    assert list(from_rdf(to_rdf(G)).nodes) == [name]


def test_iris_are_distinct_for_distinct_names():
    iris = [entity_iri(n) for n in AWKWARD_NAMES] + [document_iri(n) for n in AWKWARD_NAMES]
    assert len(set(iris)) == len(iris)


def test_statement_iris_are_stable_and_unambiguous():
    assert statement_iri(["a", "b"]) == statement_iri(["a", "b"])
    assert statement_iri(["a|b", "c"]) != statement_iri(["a", "b|c"])
    assert str(statement_iri(["x"])).startswith(BASE + "stmt/")


@pytest.mark.parametrize("empty", [lambda: entity_iri(""), lambda: document_iri("")])
def test_empty_names_are_rejected(empty):
    with pytest.raises(ExportError):
        empty()


@pytest.mark.parametrize("bad,carried", [
    ("nul\x00here", "nul\ufffdhere"),
    ("non\ufffechar", "non\ufffdchar"),
    ("\U0010ffff plane 16", "\ufffd plane 16"),
    ("lone \ud800 surrogate", "lone \ufffd surrogate"),
    ("tab\t bell\x07 del\x7f rtl\u200f \U0001F680", "tab\t bell\x07 del\x7f rtl\u200f \U0001F680"),
])
def test_characters_rdf_clients_cannot_carry_become_replacement_characters(bad, carried):
    G = make_sample_graph(hostile=False)
    G.nodes["JUICE"]["label"] = bad
    assert list(to_rdf(G).objects(entity_iri("JUICE"), ns.RDFS.label)) == [Literal(carried)]


# ------------------------------------------------------------------ errors
def test_unknown_node_kind_is_an_export_error(sample_graph):
    sample_graph.add_node("odd", kind="cluster")
    with pytest.raises(ExportError, match="odd"):
        to_rdf(sample_graph)


def test_conflicting_evidence_with_the_same_identity_is_an_export_error(sample_graph):
    ev = sample_graph.edges["JUICE", "ESA", "operatedBy"]["evidence"]
    ev.append({**ev[0], "sentence": "another sentence"})
    with pytest.raises(ExportError, match="evidence"):
        to_rdf(sample_graph)


def test_duplicate_identical_evidence_is_written_once(sample_graph):
    ev = sample_graph.edges["JUICE", "ESA", "operatedBy"]["evidence"]
    ev.append(dict(ev[0]))
    H = from_rdf(to_rdf(sample_graph))
    assert len(H.edges["JUICE", "ESA", "operatedBy"]["evidence"]) == 1


@pytest.mark.parametrize("name,content,match", [
    ("missing.ttl", None, "no such graph file"),
    ("broken.ttl", "@prefix kg: <x> .\nkg:a kg:b", "cannot parse"),
    ("broken.jsonld", "{not json", "cannot parse"),
    ("graph.xml", "<rdf/>", "unknown graph file type"),
    ("foreign.ttl", "<http://a> <http://b> <http://c> .", "dataset description"),
])
def test_load_graph_errors_name_the_file(tmp_path, name, content, match):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphFileError, match=match) as info:
        load_graph(path)
    assert str(path) in str(info.value)


def test_from_rdf_rejects_a_malformed_statement(sample_graph):
    g = to_rdf(sample_graph)
    st = next(g.subjects(ns.RDF.type, KG.Statement))
    g.remove((st, KG.startOffset, None))
    g.add((st, KG.startOffset, Literal("ten")))
    with pytest.raises(GraphFileError):
        from_rdf(g)


def test_json_ld_and_turtle_carry_the_same_triples(sample_graph):
    a = Graph().parse(data=generate_turtle(sample_graph), format="turtle")
    b = Graph().parse(data=generate_jsonld(sample_graph), format="json-ld")
    assert isomorphic(a, b)
