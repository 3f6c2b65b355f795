"""GEXF export: ``graph.gexf`` (GEXF 1.3) for Gephi and Gephi Lite.

Both GEXF and GraphML (:mod:`kg.export.graphml`) write the same flat projection of the
graph, :func:`project`, because their writers (and Gephi's tables) take only scalar
attributes:

Nodes
    every entity and every document.  Attributes: ``kind`` (entity/document), ``class``
    (the ontology class, ``Document`` for documents), ``label``, ``wikidata``, ``aliases``
    (joined with ``"; "``), ``launch_date`` (dates joined with ``"; "``), ``gazetteer_id``;
    documents also ``doc_id``, ``title``, ``doc_kind``, ``date``, ``url``, ``video_id``,
    ``channel``, ``subject``, ``keywords`` (sorted, joined with ``"; "``).  Missing values are left out.

Edges (directed; ids ``e0``, ``e1``, ... in sorted order)
    * facts: ``relation`` (``operatedBy``), ``label`` (``operated by``), ``weight`` = the
      number of evidence sentences (at least 1: a gazetteer reference fact counts once),
      ``evidence`` (all sentences, one per line), ``documents`` (``"; "``), ``timestamp_urls``
      (one per line), ``confidence``, ``reference``;
    * mentions (document -> entity): ``relation="mentions"``, ``weight`` = ``count``, ``surfaces``;
    * related documents: ``relation="related"``, ``weight`` 1.
    Filter on ``relation`` in Gephi to see facts only.

Text goes through :func:`kg.export._text.clean_text` (characters XML 1.0 forbids removed,
line breaks as LF).  The GEXF file adds ``viz`` colour (per class, ``ontology/style.json``),
size (by degree) and position (:func:`kg.export._style.layout`) to each node, and a colour
per relation to each edge, so Gephi opens it drawn.  Each edge's GEXF 1.3 ``kind`` is its
relation: Gephi keeps parallel edges (JUICE orbits / flies by Ganymede) only when their
kinds differ.

networkx's writer (``GEXFWriter``, the code behind ``nx.write_gexf(H, path, version="1.3")``)
stamps the current date into ``<meta lastmodifieddate>``, its own version into
``<creator>`` and a ``networkx_key`` attribute into every edge; the date and the key are
removed and the creator is ``kg``, so the file depends only on the graph.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from ..errors import ExportError
from . import register, write_files
from ._style import DOCUMENT, layout, load_style, node_size, relation_label, rgb
from ._text import clean_text

OUTPUT = "graph.gexf"
GEXF_VERSION = "1.3"
XML_DECLARATION = "<?xml version='1.0' encoding='utf-8'?>\n"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
LIST_SEPARATOR = "; "


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = clean_text(value)
    return text or None


def _joined(values: Any, sep: str = LIST_SEPARATOR) -> str | None:
    items = [clean_text(v) for v in values or [] if v is not None]
    return sep.join(items) or None


def _flat(attrs: dict[str, Any]) -> dict[str, Any]:
    """Drop missing values: networkx's writers reject ``None``."""
    return {k: v for k, v in attrs.items() if v is not None}


def project(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The flat projection written to GEXF and GraphML (see the module docstring).

    Nodes and edges are added in sorted order and edge keys are ``e0``, ``e1``, ..., so the
    projection, and the files written from it, do not depend on insertion order.
    """
    H = nx.MultiDiGraph(name=_text(G.graph.get("name")) or "kg")
    ids: dict[Any, str] = {}
    for node in sorted(G.nodes, key=str):
        nid = clean_text(node)
        if not nid or nid in ids.values():
            raise ExportError(f"node {node!r}: its id is empty or collides with another once cleaned for XML")
        ids[node] = nid
        a = G.nodes[node]
        kind = a.get("kind")
        if kind == "entity":
            attrs = {
                "kind": "entity",
                "class": _text(a.get("cls")) or "Entity",
                "label": _text(a.get("label")) or nid,
                "wikidata": _text(a.get("qid")),
                "aliases": _joined(a.get("aliases")),
                "launch_date": _joined(d.get("value") for d in a.get("launch_dates") or []),
                "gazetteer_id": _text(a.get("gazetteer_id")),
            }
        elif kind == "document":
            attrs = {
                "kind": "document",
                "class": DOCUMENT,
                "label": _text(a.get("title")) or _text(a.get("doc_id")) or nid,
                "doc_id": _text(a.get("doc_id")),
                "title": _text(a.get("title")),
                "doc_kind": _text(a.get("doc_kind")),
                "date": _text(a.get("date")),
                "url": _text(a.get("url")),
                "video_id": _text(a.get("video_id")),
                "channel": _text(a.get("channel")),
                "subject": _text(a.get("subject")),
                "keywords": _joined(sorted(str(x) for x in a.get("keywords") or [])),
            }
        else:
            raise ExportError(f"node {node!r}: unknown kind {kind!r} (expected 'entity' or 'document')")
        H.add_node(nid, **_flat(attrs))

    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (ids[e[0]], ids[e[1]], str(e[2])))
    for i, (u, v, _key, a) in enumerate(edges):
        relation = str(a.get("relation") or "")
        attrs: dict[str, Any] = {"relation": clean_text(relation), "label": clean_text(relation_label(relation))}
        kind = a.get("kind")
        if kind == "fact":
            evidence = a.get("evidence") or []
            confidence = a.get("confidence")
            attrs.update(
                weight=max(1, len(evidence)),
                evidence=_joined((e.get("sentence") for e in evidence), "\n"),
                documents=_joined(dict.fromkeys(e.get("doc_id") for e in evidence if e.get("doc_id"))),
                timestamp_urls=_joined((e.get("timestamp_url") for e in evidence if e.get("timestamp_url")), "\n"),
                confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
                reference=bool(a.get("reference")),
            )
        elif kind == "mention":
            attrs.update(weight=int(a.get("count") or 1), surfaces=_joined(a.get("surfaces")))
        elif kind == "related":
            attrs.update(weight=1)
        else:
            raise ExportError(f"edge {u!r} -> {v!r} ({relation!r}): unknown kind {kind!r}")
        H.add_edge(ids[u], ids[v], key=f"e{i}", **_flat(attrs))
    return H


def _add_viz(V: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add GEXF ``viz`` data to the projection, in place: colour, size, position; edge colours."""
    style = load_style()
    positions = layout(list(V.nodes), V.edges())
    for node, a in V.nodes(data=True):
        r, g, b = rgb(style.for_class(a["class"]).color)
        x, y = positions[node]
        a["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": node_size(V.degree(node)),
                    "position": {"x": x, "y": -y, "z": 0.0}}
    for _u, _v, key, a in V.edges(keys=True, data=True):
        r, g, b = rgb(style.for_relation(a["relation"]).color)
        a["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        a["id"] = key
    return V


def _strip_unstable(root: Element) -> None:
    """Remove what networkx adds that does not come from the graph: the date, its version, ``networkx_key``.

    Also set the XML Schema instance namespace right (networkx writes ``http://w3.org/...``).
    networkx builds the GEXF elements without a namespace (it writes ``xmlns`` as a plain
    attribute), so they are found by their bare names.
    """
    if "xmlns:xsi" in root.attrib:
        root.set("xmlns:xsi", _XSI)
    for meta in root.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
        for creator in meta.iter("creator"):
            creator.text = "kg"
    drop: set[str] = set()
    for attributes in root.iter("attributes"):
        if attributes.get("class") == "edge":
            for attr in list(attributes):
                if attr.get("title") == "networkx_key":
                    drop.add(attr.get("id", ""))
                    attributes.remove(attr)
    for attvalues in root.iter("attvalues"):
        for value in list(attvalues):
            if value.get("for") in drop:
                attvalues.remove(value)


def _set_edge_kinds(root: Element, kinds: dict[str, str]) -> None:
    """GEXF 1.3 ``kind`` = the relation, so that Gephi keeps parallel edges of different relations apart."""
    for edge in root.iter("edge"):
        if edge.get("id") in kinds:
            edge.set("kind", kinds[edge.get("id")])


def generate_gexf(G: nx.MultiDiGraph) -> str:
    """The GEXF 1.3 document, as text."""
    H = project(G)
    kinds = {key: a["relation"] for _u, _v, key, a in H.edges(keys=True, data=True)}
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version=GEXF_VERSION)
    try:
        writer.add_graph(_add_viz(H))  # the projection is ours: drawn in place, not copied
    except (TypeError, nx.NetworkXError) as exc:
        raise ExportError(f"GEXF: {exc}") from exc
    del H
    _strip_unstable(writer.xml)
    _set_edge_kinds(writer.xml, kinds)
    return XML_DECLARATION + str(writer).rstrip("\n") + "\n"


def write_gexf(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.gexf`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_gexf(G)})


register("gexf", write_gexf, (OUTPUT,), "GEXF 1.3 for Gephi / Gephi Lite: drawn (colours, sizes, positions)")
