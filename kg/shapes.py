"""The SHACL shapes a built graph is validated against: kg's own records, and the ontology's.

:data:`RECORDS` (``record_shapes.ttl``) are the shapes of what kg writes whatever the ontology:
every evidence statement and document well formed, every entity with one plain-string label,
plain-string aliases and a well-formed Wikidata link.  The ontology's shapes are its folder's ``shapes.ttl``, or, for a folder
without one, derived from its ``kg.ttl`` (:func:`derive`): every entity has one class name among
the ontology's entity classes; the subject of each relation is in its domain and the object in
its range (a class, or a union of classes); the values of a literal relation with a range have
that datatype (a date range takes ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``, as kg writes
dates by their precision).  Each shape has an IRI under ``kgsh:``, named as in kg's own
``shapes.ttl`` (``OperatedByDomain``, ``OperatedByRange``), so violations are reported by the
same rule names.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .ontology import KG, Ontology
from .ontology_files import parse_turtle

SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg-space/shapes#")
_DATES = (XSD.date, XSD.gYearMonth, XSD.gYear)

#: The shapes of kg's own records (a Turtle file beside this module).
RECORDS = Path(__file__).resolve().parent / "record_shapes.ttl"


def _rule(relation: str, part: str) -> URIRef:
    return KGSH[relation[:1].upper() + relation[1:] + part]


def _one_of(g: Graph, shape: URIRef, constraint: URIRef, values: list[URIRef]) -> None:
    """``shape`` holds for a node that meets ``constraint`` (``sh:class``, ``sh:datatype``) with one of
    ``values``: the constraint itself for one value, an ``sh:or`` of them for several."""
    if len(values) == 1:
        g.add((shape, constraint, values[0]))
        return
    options = []
    for value in values:
        node = BNode()
        g.add((node, constraint, value))
        options.append(node)
    head = BNode()
    Collection(g, head, options)
    g.add((shape, SH["or"], head))


def _classes(onto: Ontology, classes: frozenset[str]) -> list[URIRef]:
    return [URIRef(onto.class_iri(c)) for c in sorted(classes)]


def _names(classes: frozenset[str]) -> str:
    names = sorted(classes)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def shapes_for(onto: Ontology) -> Graph:
    """Every shape a graph of ``onto`` is validated against: :data:`RECORDS`, and the folder's
    ``shapes.ttl`` or, without one, the shapes derived from its ``kg.ttl``."""
    path = onto.file("shapes.ttl")
    g = parse_turtle(path, "the SHACL shapes") if path.exists() else derive(onto)
    g += parse_turtle(RECORDS, "kg's record shapes")
    return g


def derive(onto: Ontology) -> Graph:
    """The SHACL shapes of the classes and relations of ``onto`` (see the module docstring)."""
    g = Graph()
    entity, label = KGSH.Entity, KGSH.EntityClass
    g.add((entity, RDF.type, SH.NodeShape))
    for cls in onto.entity_classes:
        g.add((entity, SH.targetClass, URIRef(onto.class_iri(cls))))
    g.add((entity, SH.nodeKind, SH.IRI))
    for prop in (KGSH.EntityLabel, label, KGSH.EntityAlias, KGSH.EntityWikidata, KGSH.EntitySameAs):
        g.add((entity, SH.property, prop))
    g.add((label, RDF.type, SH.PropertyShape))
    g.add((label, SH.path, KG.entityClass))
    g.add((label, SH.minCount, Literal(1)))
    g.add((label, SH.maxCount, Literal(1)))
    names = BNode()
    Collection(g, names, [Literal(c) for c in onto.entity_classes])
    g.add((label, SH["in"], names))
    g.add((label, SH.message, Literal("An entity has exactly one kg:entityClass, the local name of an entity class.",
                                      lang="en")))
    for name, rel in onto.relations.items():
        p = URIRef(rel.iri)
        domain = _rule(name, "Domain")
        g.add((domain, RDF.type, SH.NodeShape))
        g.add((domain, SH.targetSubjectsOf, p))
        _one_of(g, domain, SH["class"], _classes(onto, rel.domain))
        g.add((domain, SH.message, Literal(f"The subject of {name} is a {_names(rel.domain)}.", lang="en")))
        if rel.literal and rel.datatype is None:
            continue
        shape = _rule(name, "Datatype" if rel.literal else "Range")
        g.add((shape, RDF.type, SH.PropertyShape))
        g.add((shape, SH.targetSubjectsOf, p))
        g.add((shape, SH.path, p))
        if not rel.literal:
            _one_of(g, shape, SH["class"], _classes(onto, rel.range))
            g.add((shape, SH.message, Literal(f"The object of {name} is a {_names(rel.range)}.", lang="en")))
            continue
        datatypes = list(_DATES) if URIRef(rel.datatype) in _DATES else [URIRef(rel.datatype)]
        _one_of(g, shape, SH.datatype, datatypes)
        shown = " or ".join(f"xsd:{str(dt).rsplit('#', 1)[-1]}" for dt in datatypes)
        g.add((shape, SH.message, Literal(f"A value of {name} is an {shown}.", lang="en")))
    return g
