"""kg.validate: the sample graph conforms to ontology/shapes.ttl, and to the shapes kg derives from
kg.ttl for a folder without one; each kind of damage is named by its rule."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from kg.errors import GraphFileError, OntologyError
from kg.export.turtle import write_turtle
from kg.ontology import KG, init
from kg.rdf import document_iri, entity_iri, to_rdf
from kg.validate import ValidationReport, Violation, format_report, load_shapes, validate
from tests.export.conftest import make_sample_graph


def _statement(g: Graph, subject: str, relation: URIRef) -> URIRef:
    return next(s for s in g.subjects(ns.RDF.subject, entity_iri(subject)) if (s, ns.RDF.predicate, relation) in g)


def _set(g: Graph, s: URIRef, p: URIRef, o) -> None:
    g.remove((s, p, None))
    g.add((s, p, o))


DAMAGE: dict[str, tuple[Callable[[Graph], None], set[str]]] = {
    "moon operated by a planet": (
        lambda g: g.add((entity_iri("Ganymede"), KG.operatedBy, entity_iri("Jupiter"))),
        {"OperatedByDomain", "OperatedByRange"}),
    "mission operated by a moon": (
        lambda g: g.add((entity_iri("JUICE"), KG.operatedBy, entity_iri("Ganymede"))), {"OperatedByRange"}),
    "moon of a mission": (
        lambda g: g.add((entity_iri("Ganymede"), KG.moonOf, entity_iri("JUICE"))), {"MoonOfRange"}),
    "planet collaborates": (
        lambda g: g.add((entity_iri("Jupiter"), KG.collaboratesWith, entity_iri("ESA"))), {"CollaboratesWithDomain"}),
    "launch vehicle flies by": (
        lambda g: g.add((entity_iri("Ariane_5"), KG.flyby, entity_iri("Jupiter"))), {"FlybyDomain"}),
    "no label": (lambda g: g.remove((entity_iri("JUICE"), ns.RDFS.label, None)), {"EntityLabel"}),
    "two labels": (lambda g: g.add((entity_iri("JUICE"), ns.RDFS.label, Literal("Juice"))), {"EntityLabel"}),
    "language-tagged label": (
        lambda g: _set(g, entity_iri("JUICE"), ns.RDFS.label, Literal("JUICE", lang="en")), {"EntityLabel"}),
    "unknown entity class": (
        lambda g: _set(g, entity_iri("JUICE"), KG.entityClass, Literal("Spaceship")), {"EntityClass"}),
    "bad wikidata id": (lambda g: _set(g, entity_iri("ESA"), KG.wikidata, Literal("42262")), {"EntityWikidata"}),
    "launch date in words": (
        lambda g: _set(g, entity_iri("JUICE"), KG.launchDate, Literal("April 2023")), {"LaunchDate"}),
    "launch date of an agency": (
        lambda g: g.add((entity_iri("ESA"), KG.launchDate, Literal("2023-04-14", datatype=ns.XSD.date))),
        {"LaunchDateDomain"}),
    "statement without a source": (
        lambda g: g.remove((_statement(g, "JUICE", KG.orbits), ns.PROV.wasDerivedFrom, None)), {"StatementSource"}),
    "statement from a non-document": (
        lambda g: _set(g, _statement(g, "JUICE", KG.operatedBy), ns.PROV.wasDerivedFrom, entity_iri("ESA")),
        {"StatementSource"}),
    "statement without text": (
        lambda g: g.remove((_statement(g, "JUICE", KG.operatedBy), KG.evidenceText, None)), {"StatementText"}),
    "start after end": (
        lambda g: _set(g, _statement(g, "JUICE", KG.operatedBy), KG.startOffset, Literal(10_000)),
        {"StatementOffsets"}),
    "confidence above one": (
        lambda g: _set(g, _statement(g, "JUICE", KG.operatedBy), KG.confidence,
                       Literal("1.5", datatype=ns.XSD.decimal)), {"StatementConfidence"}),
    "document without identifier": (
        lambda g: g.remove((document_iri("qa1"), ns.DCTERMS.identifier, None)), {"DocumentIdentifier"}),
    "document mentions a document": (
        lambda g: g.add((document_iri("qa1"), URIRef("http://schema.org/mentions"), document_iri("note1"))),
        {"DocumentMentions"}),
}


@pytest.fixture
def rdf() -> Graph:
    return to_rdf(make_sample_graph())


def test_sample_graph_conforms(rdf):
    report = validate(rdf)
    assert report == ValidationReport(conforms=True, violations=[])
    assert format_report(report).startswith("Conforms: yes")


def test_a_turtle_file_conforms(tmp_path):
    (path,) = write_turtle(make_sample_graph(), tmp_path)
    assert validate(path).conforms


def test_agencies_count_as_organizations(rdf):
    assert (entity_iri("ESA"), ns.RDF.type, KG.Agency) in rdf
    assert (entity_iri("JUICE"), KG.operatedBy, entity_iri("ESA")) in rdf
    assert validate(rdf).conforms


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damage_is_reported_under_its_rule(rdf, damage):
    mutate, rules = DAMAGE[damage]
    mutate(rdf)
    report = validate(rdf)
    assert not report.conforms
    assert set(report.by_rule()) == rules
    text = format_report(report)
    assert text.startswith("Conforms: no")
    assert all(f"\n{rule} (" in text for rule in rules)


@pytest.fixture(scope="module")
def derived(tmp_path_factory):
    """A copy of kg's ontology folder without shapes.ttl: validation derives the shapes from kg.ttl."""
    folder = tmp_path_factory.mktemp("derived") / "ontology"
    init(folder)
    (folder / "shapes.ttl").unlink()
    return folder


def test_sample_graph_conforms_to_the_derived_shapes(rdf, derived):
    assert validate(rdf, derived) == ValidationReport(conforms=True, violations=[])


# kg.ttl gives launchDate no range, so only the hand-written shapes.ttl checks its datatype
@pytest.mark.parametrize("damage", sorted(set(DAMAGE) - {"launch date in words"}))
def test_derived_shapes_report_damage_under_the_same_rule(rdf, derived, damage):
    mutate, rules = DAMAGE[damage]
    mutate(rdf)
    assert set(validate(rdf, derived).by_rule()) == rules


def test_derived_shapes_check_the_datatype_of_a_literal_range(rdf, tmp_path):
    folder = tmp_path / "ontology"
    init(folder)
    (folder / "shapes.ttl").unlink()
    ttl = folder / "kg.ttl"
    ttl.write_text(ttl.read_text(encoding="utf-8").replace(
        "rdfs:domain kg:Mission .\n\nkg:wikidata", "rdfs:domain kg:Mission ; rdfs:range xsd:date .\n\nkg:wikidata"),
        encoding="utf-8")
    assert validate(rdf, folder).conforms  # 2023-04-14 is an xsd:date
    _set(rdf, entity_iri("JUICE"), KG.launchDate, Literal("April 2023"))
    (v,) = validate(rdf, folder).violations
    assert (v.rule, v.value) == ("LaunchDateDatatype", "April 2023")


def test_wrong_typed_fact_names_focus_path_and_value(rdf):
    rdf.add((entity_iri("Ganymede"), KG.operatedBy, entity_iri("Jupiter")))
    (rng,) = validate(rdf).by_rule()["OperatedByRange"]
    assert rng == Violation(rule="OperatedByRange", focus=str(entity_iri("Ganymede")), path="kg:operatedBy",
                            message="The object of kg:operatedBy is an Organization (or Agency).",
                            value=str(entity_iri("Jupiter")))


def test_every_shape_has_a_name_and_a_message():
    shapes = load_shapes()
    sh = ns.Namespace("http://www.w3.org/ns/shacl#")
    for kind in (sh.NodeShape, sh.PropertyShape):
        for shape in shapes.subjects(ns.RDF.type, kind):
            assert isinstance(shape, URIRef), "anonymous shape: its violations would have no rule name"
            if (shape, sh.property, None) not in shapes:
                assert (shape, sh.message, None) in shapes, shape


def test_missing_graph_file_is_a_graph_file_error(tmp_path):
    with pytest.raises(GraphFileError, match="nope.ttl"):
        validate(tmp_path / "nope.ttl")


def test_a_broken_shapes_file_is_an_ontology_error_naming_its_line(tmp_path):
    init(tmp_path / "onto")
    (tmp_path / "onto" / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nsh:a sh:b sh:c\nsh:d sh:e sh:f .\n", encoding="utf-8")
    with pytest.raises(OntologyError) as err:
        load_shapes(tmp_path / "onto")
    assert str(err.value) == (f"{tmp_path / 'onto' / 'shapes.ttl'}:4: Turtle syntax error: "
                              f"expected '.' or '}}' or ']' at end of statement")
