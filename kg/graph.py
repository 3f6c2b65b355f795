"""The one in-memory graph: a networkx ``MultiDiGraph`` that every exporter reads.

Contract (exporters and :mod:`kg.rdf` rely on it; nothing downstream re-runs the NLP):

``G.graph``
    ``base`` (IRI prefix of resources), ``name``, and ``ontology`` (the ontology folder the graph
    was built with, which the exporters read) unless it is kg's own.

Entity nodes, id = the entity key (a readable slug, also the IRI local name)
    ``kind="entity"``, ``cls`` (ontology class local name, e.g. ``"Mission"``),
    ``label`` (canonical name), ``aliases`` (sorted ``list[str]``, label excluded),
    ``qid`` (``"Q42262"`` or ``None``), ``gazetteer_id`` (or ``None``),
    ``literals``: the values of the ontology's literal relations, by relation, each sorted by value:
    ``{"launchDate": [{"value": "2011-08-05" | "1990-04", "evidence": [evidence dict]}]}``
    (``"reference": True`` too for a value from the gazetteer; a relation with no value is left out).

Document nodes, id = ``"doc:" + document id``
    ``kind="document"``, ``doc_id``, ``title``, ``path``, ``url``, ``date``, ``subject``,
    ``keywords`` (``list[str]``), ``video_id``, ``channel``, ``doc_kind``,
    ``external`` (``True`` for a related article that is not in the corpus).

Fact edges ``(subject, object, key=relation)``
    ``kind="fact"``, ``relation`` (ontology property local name, e.g. ``"orbits"``),
    ``evidence`` (``list`` of :class:`kg.model.Evidence` as dicts, sorted),
    ``confidence`` (max over evidence), ``reference`` (``True`` for gazetteer facts).
    ``collaboratesWith`` is stored once, subject key < object key.

Mention edges ``("doc:<id>", entity, key="mentions")``
    ``kind="mention"``, ``relation="mentions"``, ``count``, ``surfaces`` (sorted ``list[str]``).

Related-document edges ``("doc:<a>", "doc:<b>", key="related")``
    ``kind="related"``, ``relation="related"``.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from .model import Document, Entity, Fact

DEFAULT_BASE = "https://w3id.org/kg-space/id/"
DOC_PREFIX = "doc:"


def doc_node(doc_id: str) -> str:
    return DOC_PREFIX + doc_id


def _doc_attrs(doc: Document) -> dict[str, Any]:
    m = doc.meta
    return {
        "kind": "document",
        "doc_id": doc.id,
        "title": m.get("title"),
        "path": doc.path,
        "url": m.get("url"),
        "date": None if m.get("date") is None else str(m.get("date")),
        "subject": m.get("subject"),
        "keywords": sorted(set(m.get("keywords") or [])),
        "video_id": m.get("videoId"),
        "channel": m.get("channel"),
        "doc_kind": doc.kind,
        "external": False,
    }


def build_graph(
    documents: Iterable[Document],
    entities: Iterable[Entity],
    facts: Iterable[Fact],
    mentions: dict[tuple[str, str], list[str]],
    base: str = DEFAULT_BASE,
    ontology: str | None = None,
) -> nx.MultiDiGraph:
    """Assemble the graph from canonical records.

    ``mentions`` maps ``(doc_id, entity_key)`` to the surface forms seen; ``ontology`` is the
    ontology folder (None: kg's own).  Nodes and edges are added in sorted order so that every
    export is deterministic.
    """
    G = nx.MultiDiGraph(base=base, name="kg", **({"ontology": ontology} if ontology is not None else {}))
    docs = sorted(documents, key=lambda d: d.id)
    by_url: dict[str, str] = {}
    by_ref: dict[str, str] = {}
    for d in docs:
        G.add_node(doc_node(d.id), **_doc_attrs(d))
        if d.meta.get("url"):
            by_url[str(d.meta["url"])] = d.id
        if d.meta.get("id") is not None:
            by_ref[str(d.meta["id"])] = d.id

    for e in sorted(entities, key=lambda e: e.key):
        G.add_node(
            e.key,
            kind="entity",
            cls=e.cls,
            label=e.label,
            aliases=sorted(set(a for a in e.aliases if a != e.label)),
            qid=e.qid,
            gazetteer_id=e.gazetteer_id,
            literals={},
        )

    for f in sorted(facts, key=lambda f: (f.subject, f.relation, f.object)):
        evidence = sorted((ev.to_dict() for ev in f.evidence), key=lambda x: (x["doc_id"], x["start"], x["rule"]))
        if f.literal:
            value = {"value": f.object, "evidence": evidence, **({"reference": True} if f.reference else {})}
            G.nodes[f.subject]["literals"].setdefault(f.relation, []).append(value)
            continue
        G.add_edge(
            f.subject,
            f.object,
            key=f.relation,
            kind="fact",
            relation=f.relation,
            evidence=evidence,
            confidence=round(f.confidence, 3),
            reference=f.reference,
        )

    for (doc_id, key), surfaces in sorted(mentions.items()):
        G.add_edge(
            doc_node(doc_id),
            key,
            key="mentions",
            kind="mention",
            relation="mentions",
            count=len(surfaces),
            surfaces=sorted(set(surfaces)),
        )

    external: dict[str, dict[str, Any]] = {}
    related: set[tuple[str, str]] = set()
    for d in docs:
        for rel in d.related:
            target = by_url.get(rel.url or "") or by_ref.get(rel.ref)
            if target is None:
                node = doc_node("ext-" + (rel.ref or rel.url or ""))
                external.setdefault(node, {
                    "kind": "document", "doc_id": "ext-" + (rel.ref or rel.url or ""), "title": rel.title,
                    "path": None, "url": rel.url, "date": None, "subject": rel.subject, "keywords": [],
                    "video_id": None, "channel": None, "doc_kind": "external", "external": True,
                })
            else:
                node = doc_node(target)
            if node != doc_node(d.id):
                related.add((doc_node(d.id), node))
    for node in sorted(external):  # sorted, so a graph read back from RDF is the same graph
        G.add_node(node, **external[node])
    for u, v in sorted(related):
        G.add_edge(u, v, key="related", kind="related", relation="related")
    return G


def entity_nodes(G: nx.MultiDiGraph) -> list[str]:
    return [n for n, a in G.nodes(data=True) if a.get("kind") == "entity"]


def document_nodes(G: nx.MultiDiGraph) -> list[str]:
    return [n for n, a in G.nodes(data=True) if a.get("kind") == "document"]


def literal_values(a: dict[str, Any], relation: str) -> list[str]:
    """The values of one literal relation on an entity node's attributes ``a``."""
    return [str(v["value"]) for v in (a.get("literals") or {}).get(relation, [])]


def fact_edges(G: nx.MultiDiGraph) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(u, v, k, a) for u, v, k, a in G.edges(keys=True, data=True) if a.get("kind") == "fact"]
