"""The graph as RDF, a unit at a time (:class:`UnitWriter`, :func:`iter_units`), and whole (:func:`to_rdf`)."""
from __future__ import annotations

import json
from collections.abc import Hashable, Iterator
from typing import Any

import networkx as nx
import orjson
import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import ExportError
from ..graph import DEFAULT_BASE
from .terms import (
    Block,
    _clean,
    _DCT,
    _decimal,
    _document_ref,
    _encode,
    _entity_ref,
    graph_ontology,
    _integer,
    _is_date,
    _KG,
    literal_term,
    _OWL,
    _pair_key,
    prefixes,
    _PROV,
    _RDF,
    _RDFS,
    _SCHEMA,
    _SKOS,
    _statement_ref,
    _text,
    _TRUE,
    WIKIDATA,
    _XSD,
    YOUTUBE_WATCH,
)

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
