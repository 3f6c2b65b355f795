"""The RDF form of the graph: :func:`to_rdf`, its exact inverse :func:`from_rdf`, and :func:`load_graph`.

Only rdflib writes RDF; nothing here formats Turtle by hand.  The Turtle and
JSON-LD exporters serialise :func:`rdf_chunks`, the same triples as :func:`to_rdf` in small
graphs of whole subjects; ``kg export graph.ttl --format X`` reads a built graph back
with :func:`load_graph` without re-running the NLP.

Encoding (``<base>`` is ``G.graph["base"]``, bound to the prefix ``id:``)
-------------------------------------------------------------------------
Dataset
    ``<base> a schema:Dataset ; dcterms:conformsTo <https://w3id.org/kg-space/ontology> ;
    schema:name G.graph["name"]``.  :func:`from_rdf` reads the base back from it.

Entity ``<base><key>``
    ``a kg:<cls>``, ``kg:entityClass "<cls>"``, ``rdfs:label`` (a plain ``xsd:string``
    literal, no language tag, so ``?e rdfs:label "ESA"`` matches), ``skos:altLabel`` per
    alias, ``kg:wikidata "Q…"`` and ``owl:sameAs wd:Q…`` when there is a qid,
    ``skos:notation`` the gazetteer id, ``kg:launchDate`` per launch date (``xsd:date`` for
    ``YYYY-MM-DD``, ``xsd:gYearMonth`` for ``YYYY-MM``, a plain literal otherwise).

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
    contract defines it.  Launch dates get the same evidence statements, with
    ``rdf:predicate kg:launchDate`` and the date literal as ``rdf:object``.

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
non-ASCII are UTF-8 percent-encoded; a key of ``.`` or ``..`` becomes ``%2E``…), so an IRI
minted from any name is valid, never a dot segment, and never collides with ``doc/`` or
``stmt/``.  Doc ids keep ``/`` (and letters, digits, ``-._~``) and percent-encode the rest,
``.`` and ``..`` segments included.  Identity comes from the IRI: :func:`from_rdf` decodes
keys and doc ids from it.
Literals carry any Unicode text except NUL, the 66 Unicode noncharacters (U+FFFE,
U+FDD0…) and lone surrogates: raptor (``rapper``) truncates a string at NUL and rejects
noncharacters, so :func:`to_rdf` replaces those characters with U+FFFD.  Every other
string, control characters, bidi marks and emoji included, round-trips exactly.
Keywords are an RDF set: :func:`from_rdf` returns them sorted and without duplicates.
"""
from __future__ import annotations

from collections.abc import Iterator

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
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .errors import ExportError, GraphFileError
from .graph import DEFAULT_BASE, doc_node
from .ontology import KG

SCHEMA = Namespace("http://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
ONTOLOGY_IRI = URIRef("https://w3id.org/kg-space/ontology")
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
    """Percent-encode ``name`` (UTF-8; lone surrogates pass through so decoding is exact)."""
    encoded = quote(name, safe=safe, errors="surrogatepass")
    return "/".join(s.replace(".", "%2E") if s in (".", "..") else s for s in encoded.split("/"))


def _decode(iri: Node, prefix: str) -> str:
    text = str(iri)
    if not isinstance(iri, URIRef) or not text.startswith(prefix):
        raise GraphFileError(f"{iri.n3()} is not a resource under <{prefix}>")
    return unquote(text[len(prefix):], errors="surrogatepass")


def entity_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the entity ``key``: one percent-encoded path segment under ``base``."""
    if not key:
        raise ExportError("an entity key must not be empty")
    return URIRef(base + _encode(key, _SEGMENT_SAFE))


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the document ``doc_id``: ``<base>doc/<doc_id>``, ``/`` kept."""
    if not doc_id:
        raise ExportError("a document id must not be empty")
    return URIRef(base + "doc/" + _encode(doc_id, "/"))


def statement_iri(parts: list[Any], base: str = DEFAULT_BASE) -> URIRef:
    """A stable IRI for a reified statement identified by ``parts`` (JSON-serialisable)."""
    digest = hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()[:16]
    return URIRef(base + "stmt/" + digest)


def _clean(value: Any) -> str:
    """``str(value)`` with the characters RDF clients cannot carry replaced by U+FFFD."""
    return _UNCARRIABLE.sub("\ufffd", str(value))


def text(value: Any) -> Literal:
    """A plain string literal of ``value`` (see :func:`_clean`)."""
    return Literal(_clean(value))


def _is_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def date_literal(value: str) -> Literal:
    """``xsd:date`` for a valid ``YYYY-MM-DD``, ``xsd:gYearMonth`` for ``YYYY-MM``, else a plain literal."""
    if _is_date(value):
        return Literal(value, datatype=XSD.date)
    if _YEAR_MONTH.fullmatch(value):
        return Literal(value, datatype=XSD.gYearMonth)
    return text(value)


def _decimal(value: float) -> Literal:
    """An ``xsd:decimal`` whose lexical form reads back as the same float."""
    return Literal(format(Decimal(repr(float(value))), "f"), datatype=XSD.decimal)


def new_graph(base: str = DEFAULT_BASE, store: str = "default") -> Graph:
    """An empty rdflib graph with kg's prefixes (and ``id:`` for ``base``) bound, nothing else.

    :func:`to_rdf` asks for rdflib's ``SimpleMemory`` store: one graph, no named-graph
    bookkeeping, so adding and looking up triples costs less (the exports never need contexts).
    """
    g = Graph(store=store, bind_namespaces="none")
    for prefix, ns in NAMESPACES.items():
        g.bind(prefix, ns, override=True, replace=True)
    g.bind(RESOURCE_PREFIX, base, override=True, replace=True)
    return g


# ------------------------------------------------------------------ to_rdf
class _Writer:
    """Adds the triples of one networkx graph to one rdflib graph."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.base: str = G.graph.get("base") or DEFAULT_BASE
        self.g = new_graph(self.base, store="SimpleMemory")
        self._evidence: dict[URIRef, dict[str, Any]] = {}
        self.statements: list[URIRef] = []  # statement IRIs minted since the caller last cleared it

    def entity(self, node: str) -> URIRef:
        return entity_iri(node, self.base)

    def doc(self, doc_id: str) -> URIRef:
        return document_iri(doc_id, self.base)

    def dataset(self) -> URIRef:
        ds = URIRef(self.base)
        self.g.add((ds, RDF.type, SCHEMA.Dataset))
        self.g.add((ds, DCTERMS.conformsTo, ONTOLOGY_IRI))
        if self.G.graph.get("name") is not None:
            self.g.add((ds, SCHEMA.name, text(self.G.graph["name"])))
        return ds

    def add_entity(self, key: str, a: dict[str, Any]) -> None:
        g, s, cls = self.g, self.entity(key), a["cls"]
        g.add((s, RDF.type, KG[cls]))
        g.add((s, KG.entityClass, text(cls)))
        g.add((s, RDFS.label, text(a["label"])))
        for alias in a.get("aliases") or []:
            g.add((s, SKOS.altLabel, text(alias)))
        if a.get("qid"):
            g.add((s, KG.wikidata, text(a["qid"])))
            g.add((s, OWL.sameAs, URIRef(str(WIKIDATA) + _encode(a["qid"], ""))))
        if a.get("gazetteer_id"):
            g.add((s, SKOS.notation, text(a["gazetteer_id"])))
        for launch in a.get("launch_dates") or []:
            value = date_literal(launch["value"])
            g.add((s, KG.launchDate, value))
            for ev in launch.get("evidence") or []:
                self.evidence([key, "launchDate", launch["value"]], s, KG.launchDate, value, ev, False)

    def add_document(self, a: dict[str, Any]) -> None:
        g, d = self.g, self.doc(a["doc_id"])
        g.add((d, RDF.type, KG.Document))
        g.add((d, DCTERMS.identifier, text(a["doc_id"])))
        for attr, prop in (("title", DCTERMS.title), ("path", DCTERMS.source), ("subject", DCTERMS.subject),
                           ("channel", DCTERMS.publisher), ("doc_kind", DCTERMS.type)):
            if a.get(attr) is not None:
                g.add((d, prop, text(a[attr])))
        if a.get("url") is not None:
            g.add((d, SCHEMA.url, Literal(_clean(a["url"]), datatype=XSD.anyURI)))
        if a.get("date") is not None:
            date = str(a["date"])
            g.add((d, DCTERMS.date, Literal(date, datatype=XSD.date) if _is_date(date) else text(date)))
        for keyword in a.get("keywords") or []:
            g.add((d, SCHEMA.keywords, text(keyword)))
        if a.get("video_id"):
            g.add((d, SCHEMA.video, URIRef(YOUTUBE_WATCH + _encode(a["video_id"], ""))))

    def add_fact(self, u: str, v: str, a: dict[str, Any]) -> None:
        s, p, o = self.entity(u), KG[a["relation"]], self.entity(v)
        self.g.add((s, p, o))
        reference = bool(a.get("reference"))
        evidence = a.get("evidence") or []
        for ev in evidence:
            self.evidence([u, a["relation"], v], s, p, o, ev, reference)
        if reference and not evidence:
            st = statement_iri(["reference", u, a["relation"], v], self.base)
            self._reify(st, s, p, o)
            self.g.add((st, KG.referenceData, Literal(True)))

    def _reify(self, st: URIRef, s: Node, p: URIRef, o: Node) -> None:
        self.statements.append(st)
        self.g.add((st, RDF.type, RDF.Statement))
        self.g.add((st, RDF.subject, s))
        self.g.add((st, RDF.predicate, p))
        self.g.add((st, RDF.object, o))

    def evidence(self, fact: list[Any], s: URIRef, p: URIRef, o: Node, ev: dict[str, Any], reference: bool) -> None:
        st = statement_iri([*fact, ev["doc_id"], ev["start"], ev["rule"]], self.base)
        previous = self._evidence.setdefault(st, ev)
        if previous is not ev:
            if previous != ev:
                raise ExportError(
                    f"fact {fact}: two different evidence items share document {ev['doc_id']!r}, "
                    f"start {ev['start']} and rule {ev['rule']!r}"
                )
            return
        g = self.g
        self._reify(st, s, p, o)
        g.add((st, RDF.type, KG.Statement))
        g.add((st, PROV.wasDerivedFrom, self.doc(ev["doc_id"])))
        g.add((st, KG.evidenceText, text(ev["sentence"])))
        g.add((st, KG.startOffset, Literal(int(ev["start"]))))
        g.add((st, KG.endOffset, Literal(int(ev["end"]))))
        g.add((st, KG.rule, text(ev["rule"])))
        g.add((st, KG.confidence, _decimal(ev["confidence"])))
        if ev.get("timestamp") is not None:
            g.add((st, KG.timestamp, Literal(int(ev["timestamp"]))))
        if ev.get("timestamp_url"):
            g.add((st, KG.timestampUrl, Literal(_clean(ev["timestamp_url"]), datatype=XSD.anyURI)))
        if reference:
            g.add((st, KG.referenceData, Literal(True)))

    def add_mention(self, doc_id: str, key: str, a: dict[str, Any]) -> None:
        d, e = self.doc(doc_id), self.entity(key)
        self.g.add((d, SCHEMA.mentions, e))
        st = statement_iri(["mention", doc_id, key], self.base)
        self._reify(st, d, SCHEMA.mentions, e)
        self.g.add((st, RDF.value, Literal(int(a["count"]))))
        for surface in a.get("surfaces") or []:
            self.g.add((st, SCHEMA.name, text(surface)))


def to_rdf(G: nx.MultiDiGraph) -> Graph:
    """The RDF graph of a contract graph (see the module docstring for the encoding), whole.

    The exporters use :func:`rdf_chunks` instead, which never holds it all.  Raises
    :class:`ExportError` on a node or edge the contract does not define.
    """
    return _to_rdf(G)


def _to_rdf(G: nx.MultiDiGraph) -> Graph:
    w = _Writer(G)
    for _ in _units(w, G):
        pass
    return w.g


def unit_count(G: nx.MultiDiGraph) -> int:
    """How many units :func:`rdf_chunks` writes: the dataset, and one per entity or document."""
    return 1 + G.number_of_nodes()


def _units(w: _Writer, G: nx.MultiDiGraph, lo: int = 0, hi: int | None = None) -> Iterator[list[URIRef]]:
    """Add the graph to ``w.g`` one unit at a time, yielding after each the subjects it wrote, in
    the order to write them: the dataset; each entity (by key) with the statements of its facts
    and launch dates; each document (by id) with its mention statements.  No subject is in two
    units.  ``lo``/``hi`` select a range of units (by position in that order).
    """
    if lo == 0:
        yield [w.dataset()]
    entities, documents = [], []
    for node, a in G.nodes(data=True):
        if a.get("kind") == "entity":
            entities.append((node, node, a))
        elif a.get("kind") == "document":
            documents.append((a["doc_id"], node, a))
        else:
            raise ExportError(f"node {node!r}: unknown kind {a.get('kind')!r}")
    units = [(w.entity(n), n, a) for _, n, a in sorted(entities, key=lambda x: x[0])]
    units += [(w.doc(k), n, a) for k, n, a in sorted(documents, key=lambda x: x[0])]
    for head, node, a in units[max(lo - 1, 0):None if hi is None else max(hi - 1, 0)]:
        w.statements = []
        if a["kind"] == "entity":
            w.add_entity(node, a)
        else:
            w.add_document(a)
        for u, v, key, e in G.out_edges(node, keys=True, data=True):
            kind = e.get("kind")
            if kind == "fact":
                w.add_fact(u, v, e)
            elif kind == "mention":
                w.add_mention(G.nodes[u]["doc_id"], v, e)
            elif kind == "related":
                w.g.add((w.doc(G.nodes[u]["doc_id"]), DCTERMS.relation, w.doc(G.nodes[v]["doc_id"])))
            else:
                raise ExportError(f"edge {u!r} -> {v!r} ({key!r}): unknown kind {kind!r}")
        yield [head] + sorted(set(w.statements))


#: Subjects (about ten triples each) per graph handed out by :func:`rdf_chunks`.
CHUNK_SUBJECTS = 2_000


def rdf_chunks(G: nx.MultiDiGraph, size: int | None = None, lo: int = 0,
               hi: int | None = None) -> Iterator[tuple[Graph, list[URIRef]]]:
    """The RDF of ``G`` as a sequence of small graphs, each holding whole subjects, with the order
    in which to write those subjects (see :func:`_units`).

    The union of the graphs is :func:`to_rdf`; the exporters serialise them one at a time, so
    the whole graph is never held as rdflib terms.  ``lo``/``hi`` give a range of units (see
    :func:`unit_count`), so that several processes can each write a part.
    """
    size = size or CHUNK_SUBJECTS
    w = _Writer(G)
    order: list[URIRef] = []
    for subjects in _units(w, G, lo, hi):
        order += subjects
        if len(order) >= size:
            yield w.g, order
            w.g, order = new_graph(w.base, store="SimpleMemory"), []
    if order:
        yield w.g, order


# ------------------------------------------------------------------ from_rdf
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
        datasets = sorted(s for s in g.subjects(DCTERMS.conformsTo, ONTOLOGY_IRI) if (s, RDF.type, SCHEMA.Dataset) in g)
        if len(datasets) != 1:
            raise GraphFileError(
                f"expected one dataset description (<base> a schema:Dataset ; dcterms:conformsTo "
                f"<{ONTOLOGY_IRI}>), found {len(datasets)}"
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

    def entity_attrs(self, s: URIRef) -> dict[str, Any]:
        g = self.g
        launch_dates = [
            {"value": str(lit), "evidence": self.evidence((s, KG.launchDate, lit))}
            for lit in sorted(g.objects(s, KG.launchDate), key=str)
        ]
        return {
            "kind": "entity",
            "cls": _str(g, s, KG.entityClass, required=True),
            "label": _str(g, s, RDFS.label, required=True),
            "aliases": sorted(str(a) for a in g.objects(s, SKOS.altLabel)),
            "qid": _str(g, s, KG.wikidata),
            "gazetteer_id": _str(g, s, SKOS.notation),
            "launch_dates": launch_dates,
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

    def graph(self) -> nx.MultiDiGraph:
        g = self.g
        name = _str(g, self.dataset, SCHEMA.name)
        G = nx.MultiDiGraph(base=self.base, **({} if name is None else {"name": name}))
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
                if o in entities and str(p).startswith(str(KG)):
                    facts.append((key, str(p)[len(str(KG)):], entities[o], (s, p, o)))
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


def from_rdf(g: Graph) -> nx.MultiDiGraph:
    """The contract graph encoded in ``g``: the exact inverse of :func:`to_rdf`.

    Raises :class:`GraphFileError` when ``g`` does not follow the encoding.
    """
    try:
        return _Reader(g).graph()
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


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a built graph (Turtle or JSON-LD, by suffix) back into the contract graph."""
    g = parse_file(path)
    try:
        return from_rdf(g)
    except GraphFileError as exc:
        raise GraphFileError(f"{path}: {exc}") from exc
