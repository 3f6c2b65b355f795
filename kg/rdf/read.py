"""RDF read back into the graph: :func:`from_rdf`, the exact inverse of :func:`~kg.rdf.to_rdf`, and files."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from .. import ontology as ontology_mod
from ..errors import GraphFileError
from ..graph import doc_node
from ..ontology import KG
from .terms import (
    _decode,
    RDF_FORMATS,
    SCHEMA,
    YOUTUBE_WATCH,
)

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
