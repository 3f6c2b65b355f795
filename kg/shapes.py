"""The SHACL shapes a built graph is validated against: kg's own records, and the ontology's.

:data:`RECORDS` are the shapes of what kg writes whatever the ontology: every evidence statement
and document well formed, every entity with one plain-string label, plain-string aliases and a
well-formed Wikidata link.  The ontology's shapes are its folder's ``shapes.ttl``, or, for a folder
without one, derived from its ``kg.ttl`` (:func:`derive`): every entity has one class name among
the ontology's entity classes; the subject of each relation is in its domain and the object in
its range (a class, or a union of classes); the values of a literal relation with a range have
that datatype (a date range takes ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``, as kg writes
dates by their precision).  Each shape has an IRI under ``kgsh:``, named as in kg's own
``shapes.ttl`` (``OperatedByDomain``, ``OperatedByRange``), so violations are reported by the
same rule names.
"""
from __future__ import annotations

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from .ontology import KG, Ontology
from .ontology_files import parse_turtle

SH = Namespace("http://www.w3.org/ns/shacl#")
KGSH = Namespace("https://w3id.org/kg-space/shapes#")
_DATES = (XSD.date, XSD.gYearMonth, XSD.gYear)

#: The shapes of kg's own records: evidence statements, documents, and what every entity carries.
RECORDS = """
@prefix kg:      <https://w3id.org/kg-space/ontology#> .
@prefix kgsh:    <https://w3id.org/kg-space/shapes#> .
@prefix sh:      <http://www.w3.org/ns/shacl#> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema:  <http://schema.org/> .

kgsh:EntityLabel a sh:PropertyShape ;
    sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
    sh:message "An entity has exactly one rdfs:label, a plain string."@en .

kgsh:EntityAlias a sh:PropertyShape ;
    sh:path skos:altLabel ; sh:datatype xsd:string ;
    sh:message "An alias (skos:altLabel) is a plain string."@en .

kgsh:EntityWikidata a sh:PropertyShape ;
    sh:path kg:wikidata ; sh:maxCount 1 ; sh:datatype xsd:string ; sh:pattern "^Q[1-9][0-9]*$" ;
    sh:message "kg:wikidata is one Wikidata Q-identifier such as \\"Q42262\\"."@en .

kgsh:EntitySameAs a sh:PropertyShape ;
    sh:path owl:sameAs ; sh:nodeKind sh:IRI ; sh:pattern "^http://www\\\\.wikidata\\\\.org/entity/Q[1-9][0-9]*$" ;
    sh:message "owl:sameAs links an entity to its Wikidata item."@en .

kgsh:Statement a sh:NodeShape ;
    sh:targetClass kg:Statement ;
    sh:nodeKind sh:IRI ;
    sh:property kgsh:StatementSubject, kgsh:StatementPredicate, kgsh:StatementObject, kgsh:StatementSource,
        kgsh:StatementText, kgsh:StatementOffsets, kgsh:StatementEndOffset, kgsh:StatementRule,
        kgsh:StatementConfidence, kgsh:StatementTimestamp, kgsh:StatementTimestampUrl, kgsh:StatementReference .

kgsh:StatementSubject a sh:PropertyShape ;
    sh:path rdf:subject ; sh:minCount 1 ; sh:maxCount 1 ; sh:class kg:Entity ;
    sh:message "An evidence statement has exactly one rdf:subject, an entity."@en .
kgsh:StatementPredicate a sh:PropertyShape ;
    sh:path rdf:predicate ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ;
    sh:message "An evidence statement has exactly one rdf:predicate."@en .
kgsh:StatementObject a sh:PropertyShape ;
    sh:path rdf:object ; sh:minCount 1 ; sh:maxCount 1 ;
    sh:message "An evidence statement has exactly one rdf:object."@en .
kgsh:StatementSource a sh:PropertyShape ;
    sh:path prov:wasDerivedFrom ; sh:minCount 1 ; sh:maxCount 1 ; sh:class kg:Document ;
    sh:message "An evidence statement is prov:wasDerivedFrom exactly one kg:Document."@en .
kgsh:StatementText a sh:PropertyShape ;
    sh:path kg:evidenceText ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
    sh:message "An evidence statement has exactly one kg:evidenceText, a plain string."@en .
kgsh:StatementOffsets a sh:PropertyShape ;
    sh:path kg:startOffset ; sh:maxCount 1 ; sh:datatype xsd:integer ; sh:lessThanOrEquals kg:endOffset ;
    sh:message "kg:startOffset is one xsd:integer, not after kg:endOffset."@en .
kgsh:StatementEndOffset a sh:PropertyShape ;
    sh:path kg:endOffset ; sh:maxCount 1 ; sh:datatype xsd:integer ;
    sh:message "kg:endOffset is one xsd:integer."@en .
kgsh:StatementRule a sh:PropertyShape ;
    sh:path kg:rule ; sh:maxCount 1 ; sh:datatype xsd:string ;
    sh:message "kg:rule is one plain string."@en .
kgsh:StatementConfidence a sh:PropertyShape ;
    sh:path kg:confidence ; sh:maxCount 1 ; sh:datatype xsd:decimal ;
    sh:minInclusive 0 ; sh:maxInclusive 1 ;
    sh:message "kg:confidence is one xsd:decimal between 0 and 1."@en .
kgsh:StatementTimestamp a sh:PropertyShape ;
    sh:path kg:timestamp ; sh:maxCount 1 ; sh:datatype xsd:integer ; sh:minInclusive 0 ;
    sh:message "kg:timestamp is one non-negative xsd:integer (seconds into the video)."@en .
kgsh:StatementTimestampUrl a sh:PropertyShape ;
    sh:path kg:timestampUrl ; sh:maxCount 1 ; sh:datatype xsd:anyURI ;
    sh:message "kg:timestampUrl is one xsd:anyURI."@en .
kgsh:StatementReference a sh:PropertyShape ;
    sh:path kg:referenceData ; sh:maxCount 1 ; sh:datatype xsd:boolean ;
    sh:message "kg:referenceData is one xsd:boolean."@en .

kgsh:Document a sh:NodeShape ;
    sh:targetClass kg:Document ;
    sh:nodeKind sh:IRI ;
    sh:property kgsh:DocumentIdentifier, kgsh:DocumentTitle, kgsh:DocumentUrl, kgsh:DocumentMentions,
        kgsh:DocumentRelation .

kgsh:DocumentIdentifier a sh:PropertyShape ;
    sh:path dcterms:identifier ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ;
    sh:message "A document has exactly one dcterms:identifier, its doc id."@en .
kgsh:DocumentTitle a sh:PropertyShape ;
    sh:path dcterms:title ; sh:maxCount 1 ; sh:datatype xsd:string ;
    sh:message "A document has at most one dcterms:title, a plain string."@en .
kgsh:DocumentUrl a sh:PropertyShape ;
    sh:path schema:url ; sh:maxCount 1 ; sh:datatype xsd:anyURI ;
    sh:message "A document has at most one schema:url, an xsd:anyURI."@en .
kgsh:DocumentMentions a sh:PropertyShape ;
    sh:path schema:mentions ; sh:class kg:Entity ;
    sh:message "A document mentions (schema:mentions) entities."@en .
kgsh:DocumentRelation a sh:PropertyShape ;
    sh:path dcterms:relation ; sh:class kg:Document ;
    sh:message "A related document (dcterms:relation) is a kg:Document."@en .
"""


def _rule(relation: str, part: str) -> URIRef:
    return KGSH[relation[:1].upper() + relation[1:] + part]


def _classes(g: Graph, shape: URIRef, onto: Ontology, classes: frozenset[str]) -> None:
    """``shape`` holds for a node of one of ``classes`` (sh:class, or sh:or of them)."""
    iris = [URIRef(onto.class_iri(c)) for c in sorted(classes)]
    if len(iris) == 1:
        g.add((shape, SH["class"], iris[0]))
        return
    options = []
    for iri in iris:
        node = BNode()
        g.add((node, SH["class"], iri))
        options.append(node)
    head = BNode()
    Collection(g, head, options)
    g.add((shape, SH["or"], head))


def _names(classes: frozenset[str]) -> str:
    names = sorted(classes)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def shapes_for(onto: Ontology) -> Graph:
    """Every shape a graph of ``onto`` is validated against: :data:`RECORDS`, and the folder's
    ``shapes.ttl`` or, without one, the shapes derived from its ``kg.ttl``."""
    path = onto.file("shapes.ttl")
    g = parse_turtle(path, "the SHACL shapes") if path.exists() else derive(onto)
    g.parse(data=RECORDS, format="turtle")
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
        _classes(g, domain, onto, rel.domain)
        g.add((domain, SH.message, Literal(f"The subject of {name} is a {_names(rel.domain)}.", lang="en")))
        if rel.literal and rel.datatype is None:
            continue
        shape = _rule(name, "Datatype" if rel.literal else "Range")
        g.add((shape, RDF.type, SH.PropertyShape))
        g.add((shape, SH.targetSubjectsOf, p))
        g.add((shape, SH.path, p))
        if not rel.literal:
            _classes(g, shape, onto, rel.range)
            g.add((shape, SH.message, Literal(f"The object of {name} is a {_names(rel.range)}.", lang="en")))
            continue
        datatypes = _DATES if URIRef(rel.datatype) in _DATES else (URIRef(rel.datatype),)
        options = []
        for dt in datatypes:
            node = BNode()
            g.add((node, SH.datatype, dt))
            options.append(node)
        head = BNode()
        Collection(g, head, options)
        g.add((shape, SH["or"], head))
        shown = " or ".join(f"xsd:{str(dt).rsplit('#', 1)[-1]}" for dt in datatypes)
        g.add((shape, SH.message, Literal(f"A value of {name} is an {shown}.", lang="en")))
    return g
