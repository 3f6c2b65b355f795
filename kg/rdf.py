"""The RDF form of the graph: :func:`to_rdf`, its exact inverse :func:`from_rdf`, and :func:`load_graph`.

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

from collections.abc import Hashable, Iterator

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
import orjson
import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from . import ontology as ontology_mod
from .errors import ExportError, GraphFileError
from .graph import DEFAULT_BASE, doc_node
from .ontology import KG, Ontology
from .ontology_files import fits

SCHEMA = Namespace("http://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
YOUTUBE_WATCH = "https://www.youtube.com/watch?v="
#: Prefix bound to ``G.graph["base"]`` in every serialisation.
RESOURCE_PREFIX = "id"

#: The vocabularies bound in every serialisation (the resource prefix is added per graph).
NAMESPACES: dict[str, str] = {
    "kg": str(KG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
}

#: File suffix -> rdflib parser name, for :func:`parse_file`.
RDF_FORMATS: dict[str, str] = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}

_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_UNCARRIABLE = re.compile(f"[\x00\ud800-\udfff{_NONCHARACTERS}]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


# ------------------------------------------------------------------ terms
def _encode(name: str, safe: str) -> str:
    """Percent-encode ``name`` (UTF-8; lone surrogates pass through so decoding is exact).

    Dot segments and a final ``.`` are encoded too: the one is not a name, the other cannot end
    a Turtle prefixed name (rdflib's parser rejects ``id:x\\.``).
    """
    encoded = quote(name, safe=safe, errors="surrogatepass")
    encoded = "/".join(s.replace(".", "%2E") if s in (".", "..") else s for s in encoded.split("/"))
    return encoded[:-1] + "%2E" if encoded.endswith(".") else encoded


def _decode(iri: Node, prefix: str) -> str:
    text = str(iri)
    if not isinstance(iri, URIRef) or not text.startswith(prefix):
        raise GraphFileError(f"{iri.n3()} is not a resource under <{prefix}>")
    return unquote(text[len(prefix):], errors="surrogatepass")


def _entity_ref(key: str, base: str) -> str:
    if not key:
        raise ExportError("an entity key must not be empty")
    return base + _encode(key, _SEGMENT_SAFE)


def _document_ref(doc_id: str, base: str) -> str:
    if not doc_id:
        raise ExportError("a document id must not be empty")
    return base + "doc/" + _encode(doc_id, "/")


def _statement_ref(parts: list[Any], base: str) -> str:
    return base + "stmt/" + hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()[:16]


def entity_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the entity ``key``: one percent-encoded path segment under ``base``."""
    return URIRef(_entity_ref(key, base))


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the document ``doc_id``: ``<base>doc/<doc_id>``, ``/`` kept."""
    return URIRef(_document_ref(doc_id, base))


def statement_iri(parts: list[Any], base: str = DEFAULT_BASE) -> URIRef:
    """A stable IRI for a reified statement identified by ``parts`` (JSON-serialisable)."""
    return URIRef(_statement_ref(parts, base))


def prefixes(base: str = DEFAULT_BASE, onto: Ontology | None = None) -> dict[str, str]:
    """Every prefix a serialisation binds: kg's vocabularies, those the ontology's ``kg.ttl``
    declares besides (kg's own win a clash), ``id:`` for ``base``, and ``doc:`` and ``stmt:`` for
    its documents and statements."""
    own = {**NAMESPACES, RESOURCE_PREFIX: base, "doc": base + "doc/", "stmt": base + "stmt/"}
    extra = {p: ns for p, ns in (onto.prefixes if onto is not None else {}).items()
             if p not in own and ns not in own.values()}
    return {**NAMESPACES, **extra, RESOURCE_PREFIX: base, "doc": base + "doc/", "stmt": base + "stmt/"}


def graph_ontology(G: nx.MultiDiGraph) -> Ontology:
    """The ontology a graph was built with (``G.graph["ontology"]``; none recorded: kg's own)."""
    return ontology_mod.load(G.graph.get("ontology"))


def _clean(value: Any) -> str:
    """``str(value)`` with the characters RDF clients cannot carry replaced by U+FFFD."""
    return _UNCARRIABLE.sub("\ufffd", str(value))


def _is_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Vocab:
    """The pyoxigraph IRIs of one namespace, each made once (``_Vocab(KG).rule``)."""

    def __init__(self, namespace: str):
        self._namespace = str(namespace)
        self._nodes: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._nodes.get(name)
        if node is None:
            node = self._nodes[name] = ox.NamedNode(self._namespace + name)
        return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)  # found as a plain attribute from now on
        return node


_KG, _RDF, _RDFS, _OWL = _Vocab(KG), _Vocab(RDF), _Vocab(RDFS), _Vocab(OWL)
_SKOS, _PROV, _DCT, _SCHEMA, _XSD = _Vocab(SKOS), _Vocab(PROV), _Vocab(DCTERMS), _Vocab(SCHEMA), _Vocab(XSD)
_TRUE = ox.Literal("true", datatype=_XSD.boolean)
_DATE_TYPES = frozenset(str(XSD[t]) for t in ("date", "gYearMonth", "gYear"))


def _text(value: Any) -> ox.Literal:
    """A plain string literal of ``value`` (see :func:`_clean`)."""
    return ox.Literal(_clean(value))


def _integer(value: Any) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD.integer)


def _date(value: str, years: bool = False) -> ox.Literal:
    """``xsd:date`` for a valid ``YYYY-MM-DD``, ``xsd:gYearMonth`` for ``YYYY-MM`` (with ``years``,
    ``xsd:gYear`` for ``YYYY``), else a plain literal."""
    if _is_date(value):
        return ox.Literal(value, datatype=_XSD.date)
    if _YEAR_MONTH.fullmatch(value):
        return ox.Literal(value, datatype=_XSD.gYearMonth)
    if years and fits(str(XSD.gYear), value):
        return ox.Literal(value, datatype=_XSD.gYear)
    return _text(value)


def literal_term(value: str, datatype: str | None) -> ox.Literal:
    """The literal of a value of a literal relation whose range is ``datatype`` (see the module docstring)."""
    if datatype is None or datatype in _DATE_TYPES:
        return _date(value, years=datatype is not None)
    if datatype == str(XSD.string) or not fits(datatype, value):
        return _text(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _decimal(value: float) -> ox.Literal:
    """An ``xsd:decimal`` whose lexical form reads back as the same float."""
    return ox.Literal(format(Decimal(repr(float(value))), "f"), datatype=_XSD.decimal)


#: One subject of the graph and its (predicate, object) pairs, sorted (``rdf:type`` first).
Block = tuple[ox.NamedNode, list[tuple[ox.NamedNode, Any]]]


_TYPE_IRI = str(RDF.type)


def _pair_key(pair: tuple[ox.NamedNode, Any]) -> tuple[bool, str, str]:
    p = pair[0].value
    return (p != _TYPE_IRI, p, pair[1].value)  # kg never gives one predicate an IRI and a literal alike


# ------------------------------------------------------------------ to_rdf
class UnitWriter:
    """Turns the nodes and edges of one networkx graph into blocks of pyoxigraph terms."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.base: str = G.graph.get("base") or DEFAULT_BASE
        self.onto = graph_ontology(G)
        self._terms: dict[str, ox.NamedNode] = {}  # class and relation IRIs by name
        self._iris: dict[str, ox.NamedNode] = {}
        self._docs: dict[str, ox.NamedNode] = {}
        self._evidence: dict[str, dict[str, Any]] = {}
        self.subjects: dict[ox.NamedNode, list] = {}  # the unit being written: subject -> pairs
        self.statements: list[ox.NamedNode] = []  # statement IRIs of that unit

    def entity(self, key: str) -> ox.NamedNode:
        node = self._iris.get(key)
        if node is None:
            node = self._iris[key] = ox.NamedNode(_entity_ref(key, self.base))
        return node

    def doc(self, doc_id: str) -> ox.NamedNode:
        node = self._docs.get(doc_id)
        if node is None:
            node = self._docs[doc_id] = ox.NamedNode(_document_ref(doc_id, self.base))
        return node

    def term(self, name: str, relation: bool) -> ox.NamedNode:
        """The IRI of an ontology class or relation."""
        node = self._terms.get(name)
        if node is None:
            iri = self.onto.relation_iri(name) if relation else self.onto.class_iri(name)
            node = self._terms[name] = ox.NamedNode(iri)
        return node

    def pairs(self, s: ox.NamedNode) -> list:
        pairs = self.subjects.get(s)
        if pairs is None:
            pairs = self.subjects[s] = []
        return pairs

    def dataset(self) -> ox.NamedNode:
        ds = ox.NamedNode(self.base)
        pairs = self.pairs(ds)
        pairs += [(_RDF.type, _SCHEMA.Dataset), (_DCT.conformsTo, ox.NamedNode(self.onto.iri))]
        if self.G.graph.get("name") is not None:
            pairs.append((_SCHEMA.name, _text(self.G.graph["name"])))
        return ds

    def add_entity(self, key: str, a: dict[str, Any]) -> ox.NamedNode:
        s, cls = self.entity(key), a["cls"]
        pairs = self.pairs(s)
        pairs += [(_RDF.type, self.term(cls, False)), (_KG.entityClass, _text(cls)), (_RDFS.label, _text(a["label"]))]
        pairs += [(_SKOS.altLabel, _text(alias)) for alias in a.get("aliases") or []]
        if a.get("qid"):
            pairs.append((_KG.wikidata, _text(a["qid"])))
            pairs.append((_OWL.sameAs, ox.NamedNode(str(WIKIDATA) + _encode(a["qid"], ""))))
        if a.get("gazetteer_id"):
            pairs.append((_SKOS.notation, _text(a["gazetteer_id"])))
        for relation, values in sorted((a.get("literals") or {}).items()):
            p = self.term(relation, True)
            rel = self.onto.relations.get(relation)
            for item in values:
                value = literal_term(str(item["value"]), rel.datatype if rel is not None else None)
                pairs.append((p, value))
                self.add_evidence([key, relation, item["value"]], s, p, value, item.get("evidence") or [],
                                  bool(item.get("reference")))
        return s

    def add_document(self, a: dict[str, Any]) -> ox.NamedNode:
        d = self.doc(a["doc_id"])
        pairs = self.pairs(d)
        pairs += [(_RDF.type, _KG.Document), (_DCT.identifier, _text(a["doc_id"]))]
        for attr, prop in (("title", _DCT.title), ("path", _DCT.source), ("subject", _DCT.subject),
                           ("channel", _DCT.publisher), ("doc_kind", _DCT.type)):
            if a.get(attr) is not None:
                pairs.append((prop, _text(a[attr])))
        if a.get("url") is not None:
            pairs.append((_SCHEMA.url, ox.Literal(_clean(a["url"]), datatype=_XSD.anyURI)))
        if a.get("date") is not None:
            date = str(a["date"])
            pairs.append((_DCT.date, ox.Literal(date, datatype=_XSD.date) if _is_date(date) else _text(date)))
        pairs += [(_SCHEMA.keywords, _text(keyword)) for keyword in a.get("keywords") or []]
        if a.get("video_id"):
            pairs.append((_SCHEMA.video, ox.NamedNode(YOUTUBE_WATCH + _encode(a["video_id"], ""))))
        return d

    def add_fact(self, u: str, v: str, a: dict[str, Any]) -> None:
        s, p, o = self.entity(u), self.term(a["relation"], True), self.entity(v)
        self.pairs(s).append((p, o))
        self.add_evidence([u, a["relation"], v], s, p, o, a.get("evidence") or [], bool(a.get("reference")))

    def add_evidence(self, fact: list[Any], s: ox.NamedNode, p: ox.NamedNode, o: Any, evidence: list[dict[str, Any]],
                     reference: bool) -> None:
        """The evidence statements of one fact (``[subject key, relation, object key or value]``); a
        reference fact without evidence gets one plain statement carrying ``kg:referenceData``."""
        for ev in evidence:
            self.evidence(fact, s, p, o, ev, reference)
        if reference and not evidence:
            st = self._reify(_statement_ref(["reference", *fact], self.base), s, p, o)
            self.pairs(st).append((_KG.referenceData, _TRUE))

    def _reify(self, ref: str, s: ox.NamedNode, p: ox.NamedNode, o: Any) -> ox.NamedNode:
        st = ox.NamedNode(ref)
        self.statements.append(st)
        self.pairs(st).extend(((_RDF.type, _RDF.Statement), (_RDF.subject, s), (_RDF.predicate, p), (_RDF.object, o)))
        return st

    def evidence(self, fact: list[Any], s: ox.NamedNode, p: ox.NamedNode, o: Any, ev: dict[str, Any],
                 reference: bool) -> None:
        ref = _statement_ref([*fact, ev["doc_id"], ev["start"], ev["rule"]], self.base)
        previous = self._evidence.setdefault(ref, ev)
        if previous is not ev:
            if previous != ev:
                raise ExportError(
                    f"fact {fact}: two different evidence items share document {ev['doc_id']!r}, "
                    f"start {ev['start']} and rule {ev['rule']!r}"
                )
            return
        pairs = self.pairs(self._reify(ref, s, p, o))
        pairs += [
            (_RDF.type, _KG.Statement),
            (_PROV.wasDerivedFrom, self.doc(ev["doc_id"])),
            (_KG.evidenceText, _text(ev["sentence"])),
            (_KG.startOffset, _integer(ev["start"])),
            (_KG.endOffset, _integer(ev["end"])),
            (_KG.rule, _text(ev["rule"])),
            (_KG.confidence, _decimal(ev["confidence"])),
        ]
        if ev.get("timestamp") is not None:
            pairs.append((_KG.timestamp, _integer(ev["timestamp"])))
        if ev.get("timestamp_url"):
            pairs.append((_KG.timestampUrl, ox.Literal(_clean(ev["timestamp_url"]), datatype=_XSD.anyURI)))
        if reference:
            pairs.append((_KG.referenceData, _TRUE))

    def add_mention(self, doc_id: str, key: str, a: dict[str, Any]) -> None:
        d, e = self.doc(doc_id), self.entity(key)
        self.pairs(d).append((_SCHEMA.mentions, e))
        st = self._reify(_statement_ref(["mention", doc_id, key], self.base), d, _SCHEMA.mentions, e)
        pairs = self.pairs(st)
        pairs.append((_RDF.value, _integer(a["count"])))
        pairs += [(_SCHEMA.name, _text(surface)) for surface in a.get("surfaces") or []]

    def unit(self, head: ox.NamedNode) -> list[Block]:
        """The blocks written since the last call: ``head``, then its statements by IRI."""
        order = [head, *sorted(set(self.statements), key=lambda st: st.value)]
        blocks = [(s, sorted(set(self.subjects[s]), key=_pair_key)) for s in order]
        self.subjects, self.statements = {}, []
        return blocks


def to_rdf(G: nx.MultiDiGraph) -> Graph:
    """The RDF graph of a contract graph (see the module docstring for the encoding), whole, as
    an rdflib graph (for SHACL validation and for rdflib users).

    The exporters use :func:`iter_units` instead, which never holds it all.  Raises
    :class:`ExportError` on a node or edge the contract does not define.
    """
    base = G.graph.get("base") or DEFAULT_BASE
    g = new_graph(base, store="SimpleMemory")
    terms: dict[Any, Node] = {}

    def term(t: Any) -> Node:
        node = terms.get(t)
        if node is None:
            if isinstance(t, ox.NamedNode):
                node = URIRef(t.value)
            elif t.datatype == _XSD.string:
                node = Literal(t.value)
            else:
                node = Literal(t.value, datatype=URIRef(t.datatype.value))
            terms[t] = node
        return node

    for blocks in iter_units(G):
        for s, pairs in blocks:
            subject = term(s)
            for p, o in pairs:
                g.add((subject, term(p), term(o)))
    return g


def new_graph(base: str = DEFAULT_BASE, store: str = "default") -> Graph:
    """An empty rdflib graph with kg's prefixes (see :func:`prefixes`) bound, nothing else.

    :func:`to_rdf` asks for rdflib's ``SimpleMemory`` store: one graph, no named-graph
    bookkeeping, so adding and looking up triples costs less.
    """
    g = Graph(store=store, bind_namespaces="none")
    for prefix, ns in prefixes(base).items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def unit_count(G: nx.MultiDiGraph) -> int:
    """How many units :func:`rdf_units` gives: the dataset, and one per entity or document."""
    return 1 + G.number_of_nodes()


def rdf_units(G: nx.MultiDiGraph, lo: int = 0, hi: int | None = None) -> list[Hashable | None]:
    """The units of the graph's RDF in the order to write them, as their nodes: ``None`` for the
    dataset, then each entity (by key), then each document (by id).  No subject is in two
    units.  ``lo``/``hi`` select a range of units (by position in that order), so that several
    processes can each write a part.
    """
    entities, documents = [], []
    for node, a in G.nodes(data=True):
        if a.get("kind") == "entity":
            entities.append((node, node))
        elif a.get("kind") == "document":
            documents.append((a["doc_id"], node))
        else:
            raise ExportError(f"node {node!r}: unknown kind {a.get('kind')!r}")
    units: list[Hashable | None] = [None]
    units += [node for _, node in sorted(entities, key=lambda x: x[0])]
    units += [node for _, node in sorted(documents, key=lambda x: x[0])]
    return units[lo:hi]


def unit_data(G: nx.MultiDiGraph, node: Hashable | None) -> bytes:
    """Everything the triples of one unit are made from, as bytes: the base IRI, the node's
    attributes, its outgoing edges with theirs, and the ids of the documents they point to.
    Two units with the same data have the same triples (:func:`unit_blocks`)."""
    base = G.graph.get("base") or DEFAULT_BASE
    if node is None:
        return canonical_json([base, G.graph.get("name")])
    edges = sorted(canonical_json([v, key, e, G.nodes[v].get("doc_id")])
                   for _, v, key, e in G.out_edges(node, keys=True, data=True))  # insertion order does not count
    return b"\n".join([canonical_json([base, node, G.nodes[node]]), *edges])


def canonical_json(data: Any) -> bytes:
    """``data`` as JSON bytes with sorted keys, what fingerprints are taken of (orjson; the
    standard library for lone surrogates)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=repr)
    except TypeError:
        return json.dumps(data, sort_keys=True, default=repr).encode("ascii")


def unit_blocks(w: UnitWriter, node: Hashable | None) -> list[Block]:
    """The triples of one unit (see :func:`rdf_units`), as blocks in the order to write them."""
    G = w.G
    if node is None:
        return w.unit(w.dataset())
    a = G.nodes[node]
    head = w.add_entity(node, a) if a["kind"] == "entity" else w.add_document(a)
    for u, v, key, e in G.out_edges(node, keys=True, data=True):
        kind = e.get("kind")
        if kind == "fact":
            w.add_fact(u, v, e)
        elif kind == "mention":
            w.add_mention(a["doc_id"], v, e)
        elif kind == "related":
            w.pairs(head).append((_DCT.relation, w.doc(G.nodes[v]["doc_id"])))
        else:
            raise ExportError(f"edge {u!r} -> {v!r} ({key!r}): unknown kind {kind!r}")
    return w.unit(head)


def iter_units(G: nx.MultiDiGraph, lo: int = 0, hi: int | None = None) -> Iterator[list[Block]]:
    """The blocks of each unit of ``G`` (or of units ``lo`` to ``hi``), one unit at a time:
    together they are :func:`to_rdf`, and the whole graph is never held as RDF terms."""
    w = UnitWriter(G)
    for node in rdf_units(G, lo, hi):
        yield unit_blocks(w, node)


# ------------------------------------------------------------------ from_rdf
#: What an entity carries besides its relations: these are not literal relations.
_ENTITY_ATTRIBUTES = frozenset({KG.entityClass, RDFS.label, SKOS.altLabel, KG.wikidata, SKOS.notation})


def _relation_name(p: Node) -> str:
    """A relation's name: the local name of its IRI."""
    text = str(p)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _one(g: Graph, s: Node, p: URIRef, required: bool = False) -> Node | None:
    values = list(g.objects(s, p))
    if len(values) > 1:
        raise GraphFileError(f"{s.n3()} has {len(values)} values for {p.n3()}, expected one")
    if not values and required:
        raise GraphFileError(f"{s.n3()} has no {p.n3()}")
    return values[0] if values else None


def _str(g: Graph, s: Node, p: URIRef, required: bool = False) -> str | None:
    value = _one(g, s, p, required)
    return None if value is None else str(value)


class _Reader:
    """Reads the contract graph back from an rdflib graph written by :func:`to_rdf`."""

    def __init__(self, g: Graph):
        self.g = g
        datasets = sorted({s for s in g.subjects(DCTERMS.conformsTo, None) if (s, RDF.type, SCHEMA.Dataset) in g})
        if len(datasets) != 1:
            raise GraphFileError(
                f"expected one dataset description (<base> a schema:Dataset ; dcterms:conformsTo "
                f"<ontology>), found {len(datasets)}"
            )
        self.dataset = datasets[0]
        self.base = str(self.dataset)
        self.statements: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
        for st in g.subjects(RDF.type, RDF.Statement):
            spo = tuple(_one(g, st, p, required=True) for p in (RDF.subject, RDF.predicate, RDF.object))
            self.statements[spo].append(st)  # type: ignore[index]

    def key(self, iri: Node) -> str:
        return _decode(iri, self.base)

    def doc_id(self, iri: Node) -> str:
        return _decode(iri, self.base + "doc/")

    def evidence(self, spo: tuple[Node, Node, Node]) -> list[dict[str, Any]]:
        g, out = self.g, []
        for st in self.statements.get(spo, []):
            if (st, RDF.type, KG.Statement) not in g:
                continue
            ts = _one(g, st, KG.timestamp)
            out.append({
                "doc_id": self.doc_id(_one(g, st, PROV.wasDerivedFrom, required=True)),
                "sentence": _str(g, st, KG.evidenceText, required=True),
                "start": int(_str(g, st, KG.startOffset, required=True)),  # type: ignore[arg-type]
                "end": int(_str(g, st, KG.endOffset, required=True)),  # type: ignore[arg-type]
                "rule": _str(g, st, KG.rule, required=True),
                "confidence": float(_str(g, st, KG.confidence, required=True)),  # type: ignore[arg-type]
                "timestamp": None if ts is None else int(str(ts)),
                "timestamp_url": _str(g, st, KG.timestampUrl),
            })
        return sorted(out, key=lambda x: (x["doc_id"], x["start"], x["rule"]))

    def is_reference(self, spo: tuple[Node, Node, Node]) -> bool:
        return any((st, KG.referenceData, Literal(True)) in self.g for st in self.statements.get(spo, []))

    def literals(self, s: URIRef) -> dict[str, list[dict[str, Any]]]:
        """The values of the entity's literal relations: every literal it has besides kg's own."""
        out: dict[str, list[dict[str, Any]]] = {}
        for p, lit in self.g.predicate_objects(s):
            if isinstance(lit, Literal) and p not in _ENTITY_ATTRIBUTES:
                value = {"value": str(lit), "evidence": self.evidence((s, p, lit))}
                if self.is_reference((s, p, lit)):
                    value["reference"] = True
                out.setdefault(_relation_name(p), []).append(value)
        return {rel: sorted(values, key=lambda v: v["value"]) for rel, values in sorted(out.items())}

    def entity_attrs(self, s: URIRef) -> dict[str, Any]:
        g = self.g
        return {
            "kind": "entity",
            "cls": _str(g, s, KG.entityClass, required=True),
            "label": _str(g, s, RDFS.label, required=True),
            "aliases": sorted(str(a) for a in g.objects(s, SKOS.altLabel)),
            "qid": _str(g, s, KG.wikidata),
            "gazetteer_id": _str(g, s, SKOS.notation),
            "literals": self.literals(s),
        }

    def document_attrs(self, d: URIRef) -> dict[str, Any]:
        g = self.g
        video = _one(g, d, SCHEMA.video)
        doc_kind = _str(g, d, DCTERMS.type)
        return {
            "kind": "document",
            "doc_id": self.doc_id(d),
            "title": _str(g, d, DCTERMS.title),
            "path": _str(g, d, DCTERMS.source),
            "url": _str(g, d, SCHEMA.url),
            "date": _str(g, d, DCTERMS.date),
            "subject": _str(g, d, DCTERMS.subject),
            "keywords": sorted({str(k) for k in g.objects(d, SCHEMA.keywords)}),
            "video_id": None if video is None else _decode(video, YOUTUBE_WATCH),
            "channel": _str(g, d, DCTERMS.publisher),
            "doc_kind": doc_kind,
            "external": doc_kind == "external",
        }

    def graph(self, ontology: str | None = None) -> nx.MultiDiGraph:
        g = self.g
        name = _str(g, self.dataset, SCHEMA.name)
        G = nx.MultiDiGraph(base=self.base, **({} if name is None else {"name": name}),
                            **({} if ontology is None else {"ontology": ontology}))
        docs = {d: self.document_attrs(d) for d in g.subjects(RDF.type, KG.Document)}
        entities = {s: self.key(s) for s in g.subjects(KG.entityClass, None)}
        # Same node order as kg.graph.build_graph: corpus documents, entities, external documents.
        for d, a in sorted(docs.items(), key=lambda x: (x[1]["external"], x[1]["doc_id"])):
            if not a["external"]:
                G.add_node(doc_node(a["doc_id"]), **a)
        for s, key in sorted(entities.items(), key=lambda x: x[1]):
            G.add_node(key, **self.entity_attrs(s))
        for d, a in sorted(docs.items(), key=lambda x: x[1]["doc_id"]):
            if a["external"]:
                G.add_node(doc_node(a["doc_id"]), **a)

        facts = []
        for s, key in entities.items():
            for p, o in g.predicate_objects(s):
                if o in entities:
                    facts.append((key, _relation_name(p), entities[o], (s, p, o)))
        for u, relation, v, spo in sorted(facts, key=lambda f: f[:3]):
            evidence = self.evidence(spo)
            G.add_edge(u, v, key=relation, kind="fact", relation=relation, evidence=evidence,
                       confidence=round(max((e["confidence"] for e in evidence), default=0.0), 3),
                       reference=self.is_reference(spo))

        mentions = []
        for d, a in docs.items():
            for e in g.objects(d, SCHEMA.mentions):
                if e not in entities:
                    raise GraphFileError(f"{d.n3()} mentions {e.n3()}, which is not an entity")
                reified = self.statements.get((d, SCHEMA.mentions, e), [])
                if len(reified) != 1:
                    raise GraphFileError(f"{d.n3()} schema:mentions {e.n3()}: expected one mention statement")
                surfaces = sorted(str(x) for x in g.objects(reified[0], SCHEMA.name))
                count = int(_str(g, reified[0], RDF.value, required=True))  # type: ignore[arg-type]
                mentions.append((a["doc_id"], entities[e], count, surfaces))
        for doc_id, key, count, surfaces in sorted(mentions):
            G.add_edge(doc_node(doc_id), key, key="mentions", kind="mention", relation="mentions",
                       count=count, surfaces=surfaces)

        related = sorted(
            (docs[a]["doc_id"], docs[b]["doc_id"]) for a, b in g.subject_objects(DCTERMS.relation)
            if a in docs and b in docs
        )
        for a_id, b_id in related:
            G.add_edge(doc_node(a_id), doc_node(b_id), key="related", kind="related", relation="related")
        return G


def from_rdf(g: Graph, ontology_dir: str | Path | None = None) -> nx.MultiDiGraph:
    """The contract graph encoded in ``g``: the exact inverse of :func:`to_rdf`, for a graph
    built with the ontology folder ``ontology_dir`` (None: kg's own).

    Raises :class:`GraphFileError` when ``g`` does not follow the encoding.
    """
    try:
        return _Reader(g).graph(ontology_mod.directory_of(ontology_mod.load(ontology_dir)))
    except ValueError as exc:  # an int() or float() of a malformed literal
        raise GraphFileError(f"malformed literal: {exc}") from exc


# ------------------------------------------------------------------ files
def parse_file(path: str | Path) -> Graph:
    """Parse a Turtle (``.ttl``) or JSON-LD (``.jsonld``, ``.json``) file into an rdflib graph."""
    path = Path(path)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(RDF_FORMATS)
        raise GraphFileError(f"{path}: unknown graph file type {path.suffix!r}; expected one of {known}")
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file")
    try:
        return Graph(bind_namespaces="none").parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many unrelated exception types
        raise GraphFileError(f"{path}: cannot parse as {fmt}: {exc}") from exc


def load_graph(path: str | Path, ontology_dir: str | Path | None = None) -> nx.MultiDiGraph:
    """Read a built graph (Turtle or JSON-LD, by suffix) back into the contract graph, for a graph
    built with the ontology folder ``ontology_dir`` (None: kg's own)."""
    g = parse_file(path)
    try:
        return from_rdf(g, ontology_dir)
    except GraphFileError as exc:
        raise GraphFileError(f"{path}: {exc}") from exc
