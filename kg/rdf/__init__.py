"""The RDF form of the graph: :func:`to_rdf`, its exact inverse :func:`from_rdf`, and :func:`load_graph`.

The package: :mod:`~kg.rdf.terms` (namespaces, IRIs, literals), :mod:`~kg.rdf.units` (the
graph as RDF, a unit at a time, or whole) and :mod:`~kg.rdf.read` (RDF read back into a graph).

The triples are made once, as pyoxigraph terms, by one writer, a unit at a time (the
dataset, an entity with the statements of its facts, a document with its mentions:
:func:`rdf_units`, :func:`unit_blocks`).  The Turtle and JSON-LD exporters write the units
one after the other (pyoxigraph's serializer writes the Turtle), and :func:`to_rdf`
gathers them into an rdflib graph for SHACL validation and rdflib users.  A unit's triples
depend only on what :func:`unit_data` returns, so an unchanged unit's text can be reused.
``kg export graph.ttl --format X`` reads a built graph back with :func:`load_graph`
(rdflib's parsers) without re-running the NLP.

Encoding (``<base>`` is ``G.graph["base"]``, bound to the prefix ``id:``; ``doc:`` and
``stmt:`` are bound to ``<base>doc/`` and ``<base>stmt/``)
-------------------------------------------------------------------------
Dataset
    ``<base> a schema:Dataset ; dcterms:conformsTo <ontology> ; schema:name G.graph["name"]``,
    where ``<ontology>`` is the ``owl:Ontology`` of the graph's ontology folder
    (``<https://w3id.org/kg-space/ontology>`` for kg's own).  :func:`from_rdf` reads the base back
    from it.

Classes and relations are written with the IRIs their ontology declares (``kg:Mission``,
``kg:orbits`` in kg's own); kg's own records (documents, evidence statements, the entity class
name, the Wikidata id) are always in kg's namespace.

Entity ``<base><key>``
    ``a kg:<cls>``, ``kg:entityClass "<cls>"``, ``rdfs:label`` (a plain ``xsd:string``
    literal, no language tag, so ``?e rdfs:label "ESA"`` matches), ``skos:altLabel`` per
    alias, ``kg:wikidata "Q…"`` and ``owl:sameAs wd:Q…`` when there is a qid,
    ``skos:notation`` the gazetteer id, and each value of a literal relation (``kg:launchDate``):
    typed by the relation's ``rdfs:range`` when the value is a lexical form of it; a date (no
    range, or a date type) is ``xsd:date`` for ``YYYY-MM-DD``, ``xsd:gYearMonth`` for
    ``YYYY-MM`` (``xsd:gYear`` for ``YYYY`` under a date range), a plain literal otherwise.

Document ``<base>doc/<doc_id>``
    ``a kg:Document``, ``dcterms:identifier`` the doc id, ``dcterms:title``,
    ``dcterms:source`` the source path, ``schema:url`` (``xsd:anyURI``; it may be a
    site-relative path), ``dcterms:date`` (``xsd:date`` when ISO, else plain),
    ``dcterms:subject``, ``schema:keywords`` one literal each, ``schema:video`` the
    YouTube watch URL built from the video id, ``dcterms:publisher`` the channel,
    ``dcterms:type`` the document kind (``video_note``, ``qa_article``, ``note``, or
    ``external`` for a related article outside the corpus), ``dcterms:relation`` each
    related document, ``schema:mentions`` each entity the document mentions.

Fact ``(s, o, relation)``
    The plain triple ``<s> kg:<relation> <o>`` (``collaboratesWith`` once, as stored),
    plus one evidence statement per evidence item: ``<base>stmt/<hash> a rdf:Statement,
    kg:Statement`` with ``rdf:subject/predicate/object``, ``prov:wasDerivedFrom`` the
    document, ``kg:evidenceText``, ``kg:startOffset``, ``kg:endOffset``, ``kg:rule``,
    ``kg:confidence`` (``xsd:decimal``), ``kg:timestamp`` and ``kg:timestampUrl`` when
    present, ``kg:referenceData true`` for reference (gazetteer) facts.  A reference fact
    without evidence gets one plain ``rdf:Statement`` carrying ``kg:referenceData true``,
    so ``?st kg:referenceData true ; rdf:subject ?s`` finds every reference fact.  The
    edge's ``confidence`` is not stored: it is the maximum over the evidence, as the
    contract defines it.  Values of literal relations get the same evidence statements, with
    ``rdf:predicate`` the relation (``kg:launchDate``) and the value as ``rdf:object``.

Mention ``(doc, entity)``
    ``<doc> schema:mentions <entity>`` plus one reification ``<base>stmt/<hash> a
    rdf:Statement`` of that triple with ``rdf:value`` the mention count (``xsd:integer``)
    and one ``schema:name`` per distinct surface form.

Statement IRIs end in the first 16 hex digits of a SHA-256 of the JSON list
``[subject, relation, object, doc_id, start, rule]`` (``["mention", doc_id, key]`` for a
mention, ``["reference", subject, relation, object]`` for an evidence-less reference fact),
so output is deterministic and no blank node is ever written.

Names and characters
--------------------
Entity keys are percent-encoded as one IRI path segment (letters, digits and
``-._~!$&'()*+,;=:@`` stay; ``/``, ``%``, ``#``, spaces, control characters and all
non-ASCII are UTF-8 percent-encoded; a key of ``.`` or ``..`` becomes ``%2E``…, and a final
``.`` becomes ``%2E`` so that every IRI can be written as a prefixed name that rdflib reads),
so an IRI minted from any name is valid, never a dot segment, and never collides with
``doc/`` or ``stmt/``.  Doc ids keep ``/`` (and letters, digits, ``-._~``) and percent-encode the rest,
``.`` and ``..`` segments included.  Identity comes from the IRI: :func:`from_rdf` decodes
keys and doc ids from it.
Literals carry any Unicode text except NUL, the 66 Unicode noncharacters (U+FFFE,
U+FDD0…) and lone surrogates: raptor (``rapper``) truncates a string at NUL and rejects
noncharacters, so :func:`to_rdf` replaces those characters with U+FFFD.  Every other
string, control characters, bidi marks and emoji included, round-trips exactly.
Keywords are an RDF set: :func:`from_rdf` returns them sorted and without duplicates.
"""
from __future__ import annotations

from .terms import (
    Block,
    NAMESPACES,
    RDF_FORMATS,
    RESOURCE_PREFIX,
    SCHEMA,
    WIKIDATA,
    YOUTUBE_WATCH,
    document_iri,
    entity_iri,
    graph_ontology,
    literal_term,
    prefixes,
    statement_iri,
)
from .units import (
    UnitWriter,
    canonical_json,
    iter_units,
    new_graph,
    rdf_units,
    to_rdf,
    unit_blocks,
    unit_count,
    unit_data,
)
from .read import (
    from_rdf,
    load_graph,
    parse_file,
)

__all__ = [
    "Block",
    "NAMESPACES",
    "RDF_FORMATS",
    "RESOURCE_PREFIX",
    "SCHEMA",
    "UnitWriter",
    "WIKIDATA",
    "YOUTUBE_WATCH",
    "canonical_json",
    "document_iri",
    "entity_iri",
    "from_rdf",
    "graph_ontology",
    "iter_units",
    "literal_term",
    "load_graph",
    "new_graph",
    "parse_file",
    "prefixes",
    "rdf_units",
    "statement_iri",
    "to_rdf",
    "unit_blocks",
    "unit_count",
    "unit_data",
]
