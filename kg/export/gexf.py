"""GEXF export: ``graph.gexf`` (GEXF 1.3) for Gephi and Gephi Lite.

Both GEXF and GraphML (:mod:`kg.export.graphml`) write the same flat projection of the
graph, :func:`project`, because their writers (and Gephi's tables) take only scalar
attributes:

Nodes
    every entity and every document.  Attributes: ``kind`` (entity/document), ``class``
    (the ontology class, ``Document`` for documents), ``label``, ``wikidata``, ``aliases``
    (joined with ``"; "``), one attribute per literal relation of the ontology, named in snake
    case (``launch_date``: the dates joined with ``"; "``), ``gazetteer_id``;
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
line breaks as LF).  The GEXF file adds ``viz`` colour (per class, the ontology's ``style.json``),
size (by degree) and position (:func:`kg.export._style.layout`) to each node, and a colour
per relation to each edge, so Gephi opens it drawn.  Each edge's GEXF 1.3 ``kind`` is its
relation: Gephi keeps parallel edges (JUICE orbits / flies by Ganymede) only when their
kinds differ.

networkx's writer (``GEXFWriter``, the code behind ``nx.write_gexf(H, path, version="1.3")``)
makes every element, but it builds the whole document as one tree before writing it;
:class:`StreamingGEXFWriter` has it make a slice of nodes or edges at a time and writes each
slice out, byte for byte what the whole tree would give (tested), so memory stays flat.
networkx stamps the current date into ``<meta lastmodifieddate>``, its own version into
``<creator>`` and a ``networkx_key`` attribute into every edge; the date and the key are
left out and the creator is ``kg``, so the file depends only on the graph.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import Element, SubElement, tostring

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from ..errors import ExportError
from . import register, write_files
from ..rdf import canonical_json, graph_ontology
from ._memo import ExportMemo, fingerprint
from ._names import flat_name
from ._style import DOCUMENT, layout, load_style, node_size, rgb
from ._text import clean_text

NAME, OUTPUT = "gexf", "graph.gexf"
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
    style = load_style(graph_ontology(G))
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
                **{flat_name(rel): _joined(v.get("value") for v in values)
                   for rel, values in sorted((a.get("literals") or {}).items())},
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
        attrs: dict[str, Any] = {"relation": clean_text(relation), "label": clean_text(style.label(relation))}
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


def _add_viz(V: nx.MultiDiGraph, G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add GEXF ``viz`` data to the projection of ``G``, in place: colour, size, position; edge colours."""
    style = load_style(graph_ontology(G))
    positions = layout(list(V.nodes), V.edges())
    for node, a in V.nodes(data=True):
        r, g, b = rgb(style.for_class(a["class"]).color)
        x, y = positions[node]
        a["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}, "size": node_size(V.degree(node)),
                    "position": {"x": x, "y": -y, "z": 0.0}}
    edge_viz: dict[str, dict[str, Any]] = {}  # one per relation, shared: networkx's writer only reads it
    for _u, _v, key, a in V.edges(keys=True, data=True):
        if (viz := edge_viz.get(a["relation"])) is None:
            r, g, b = rgb(style.for_relation(a["relation"]).color)
            viz = edge_viz[a["relation"]] = {"color": {"r": r, "g": g, "b": b, "a": 1.0}}
        a["viz"] = viz
        a["id"] = key
    return V


class _Slice:
    """What ``GEXFWriter.add_nodes`` / ``add_edges`` read of a graph, for some of its nodes or edges."""

    def __init__(self, H: nx.MultiDiGraph, nodes: list | None = None, edges: list | None = None):
        self.graph, self._edges = H.graph, edges or []
        self.nodes = _SliceNodes(H, nodes or [])

    def is_multigraph(self) -> bool:
        return True

    def edges(self, data: bool = True, keys: bool = True):
        return self._edges


class _SliceNodes:
    def __init__(self, H: nx.MultiDiGraph, items: list):
        self._H, self._items = H, items

    def __call__(self, data: bool = True):
        return self._items

    def __getitem__(self, node):
        return self._H.nodes[node]


#: Node and edge fields ``GEXFWriter`` writes as XML attributes or elements, not as GEXF attributes.
_NOT_ATTRIBUTES = {"node": {"id", "label", "pid", "start", "end", "parents", "spells", "viz"},
                   "edge": {"id", "label", "weight", "type", "start", "end", "spells", "viz"}}
#: Nodes or edges turned into XML at a time.
SLICE = 2_000
_NODES_HERE, _EDGES_HERE = "kg-nodes", "kg-edges"


class StreamingGEXFWriter(GEXFWriter):
    """networkx's GEXF writer, writing the nodes and edges of a graph a slice at a time.

    networkx builds the whole document as one ElementTree before writing it (+820 MB at
    5,000 notes).  This writer first declares every attribute (the ids networkx would give
    them, in its order), writes the document around empty ``<nodes>``/``<edges>`` as networkx
    would, then has networkx's own ``add_nodes``/``add_edges`` build :data:`SLICE` elements at a
    time, which are indented and written as whole-tree writing would have written them.
    What networkx adds that does not come from the graph is left out: the date, its version
    (the creator is ``kg``) and the ``networkx_key`` attribute; each edge's ``kind`` is its
    relation.
    """

    def __init__(self):
        super().__init__(encoding="utf-8", prettyprint=True, version=GEXF_VERSION)
        self._viz = f"{{{self.NS_VIZ}}}"

    def _declare_attributes(self, H: nx.MultiDiGraph) -> None:
        """Give every node and edge attribute its id, as ``add_nodes``/``add_edges`` would."""
        for kind, items in (("node", H.nodes(data=True)), ("edge", H.edges(keys=True, data=True))):
            default = H.graph.get(f"{kind}_default", {})
            for item in items:
                data = item[-1] if kind == "node" else {**item[-1], "key": item[2]}
                for k, v in data.items():
                    if k in _NOT_ATTRIBUTES[kind]:
                        continue
                    if type(v) not in self.xml_type:
                        raise TypeError(f"attribute value type is not allowed: {type(v)}")
                    name = "networkx_key" if k == "key" else str(k)
                    self.get_attr_id(name, self.xml_type[type(v)], kind, default, "static")

    def _skeleton(self, H: nx.MultiDiGraph) -> list[str]:
        """The document with its nodes and edges left out: the text before, between and after them."""
        for u, v, dd in H.edges(data=True):
            if dd.get("id") is not None:
                self.all_edge_ids.add(str(dd["id"]))
        self.graph_element = Element("graph", defaultedgetype="directed", mode="static",
                                     name=H.graph.get("name", ""))
        self._declare_attributes(H)
        nodes, edges = SubElement(self.graph_element, "nodes"), SubElement(self.graph_element, "edges")
        if len(H):  # a viz element, so that the root declares the viz prefix the nodes use
            SubElement(nodes, self._viz + _NODES_HERE)
        if H.number_of_edges():
            SubElement(edges, self._viz + _EDGES_HERE)
        self.xml.append(self.graph_element)
        _strip_unstable(self.xml)
        text = XML_DECLARATION + str(self).rstrip("\n") + "\n"
        before, between, after = text, "", ""
        if len(H):
            before, between = text.split(f"<viz:{_NODES_HERE} />\n    ")
        if H.number_of_edges():
            between, after = between.split(f"<viz:{_EDGES_HERE} />\n    ")
        return [before, between, after]

    def write_document(self, H: nx.MultiDiGraph, write, memo: ExportMemo | None = None) -> None:
        """Write the GEXF document of ``H`` (drawn: see :func:`_add_viz`) through ``write(str)``;
        with a ``memo``, elements whose data did not change since the last build come from it."""
        kinds = {key: a["relation"] for _u, _v, key, a in H.edges(keys=True, data=True)}
        before, between, after = self._skeleton(H)
        # the attribute ids go into every element's text: the same data gives the same text only with them
        ids = sorted((kind, sorted(declared.get("static", {}).items())) for kind, declared in self.attr.items())
        salt = repr(ids).encode()
        write(before)
        self._write_elements(H, "node", kinds, write, memo, salt)
        write(between)
        self._write_elements(H, "edge", kinds, write, memo, salt)
        write(after)

    def _write_elements(self, H: nx.MultiDiGraph, kind: str, kinds: dict[str, str], write,
                        memo: ExportMemo | None = None, salt: bytes = b"") -> None:
        """Have networkx make the elements a slice at a time; write each slice as whole-tree
        writing would (indented, the last element's tail closing the list).

        With a ``memo``, an element is looked up first by a fingerprint of its data (and of
        the attribute ids, ``salt``); an edge's text is kept with its id left out, since edge
        ids are positions (``e0``, ``e1``, ...) that shift when an edge is added before it.
        """
        items = list(H.nodes(data=True)) if kind == "node" else list(H.edges(keys=True, data=True))
        for lo in range(0, len(items), SLICE):
            part = items[lo:lo + SLICE]
            texts: list[str | None] = [None] * len(part)
            fps: list[str] = []
            if memo is not None:
                fps = [fingerprint(salt + _element_data(kind, item)) for item in part]
                texts = [memo.get(NAME, fp) for fp in fps]
            made = iter(self._make(H, kind, [item for item, t in zip(part, texts) if t is None], kinds))
            for i, item in enumerate(part):
                text = texts[i]
                if text is None:
                    text = next(made)
                    if memo is not None:
                        kept = text if kind == "node" else text.replace(f' id="{item[2]}"', _ID_SLOT, 1)
                        memo.put(NAME, fps[i], kept)
                else:
                    if memo is not None:
                        memo.put(NAME, fps[i], text)
                    if kind == "edge":
                        text = text.replace(_ID_SLOT, f' id="{item[2]}"', 1)
                write(text + ("\n    " if lo + i == len(items) - 1 else "\n      "))

    def _make(self, H: nx.MultiDiGraph, kind: str, items: list, kinds: dict[str, str]) -> list[str]:
        """The XML text of each node or edge in ``items``, made by networkx, indented, without its tail."""
        if not items:
            return []
        key_id = self.attr["edge"]["static"].get("networkx_key")
        holder = Element("graph")
        if kind == "node":
            self.add_nodes(_Slice(H, nodes=items), holder)
        else:
            self.add_edges(_Slice(H, edges=items), holder)
        container = holder[0]
        for element in container:
            for child in element.iter():
                if child.tag.startswith(self._viz):  # the prefix is declared once, on the root
                    child.tag = "viz:" + child.tag[len(self._viz):]
            if kind == "edge":
                _drop_key_value(element, key_id)
                element.set("kind", kinds[element.get("id")])
            self.indent(element, 3)
            element.tail = _CUT  # clean text holds no NUL: where one element ends
        text = tostring(container).decode("ascii")  # non-ASCII as character references, as networkx writes
        pieces = text[len(container.tag) + 2:-len(container.tag) - 3].split(_CUT)
        if len(pieces) != len(items) + 1 or pieces[-1]:
            raise ExportError("GEXF: an element's text holds a NUL character")
        return pieces[:-1]


#: Marks the end of each element in a slice's text (what the tails become once cut apart).
_CUT = "\x00"
#: Where an edge's id goes in its remembered text.
_ID_SLOT = ' id="\x00"'


def _element_data(kind: str, item: tuple) -> bytes:
    """What a node's or edge's GEXF element is made from (an edge's id, its position, left out)."""
    if kind == "node":
        return canonical_json(item)
    u, v, _key, a = item
    return canonical_json([u, v, {k: x for k, x in a.items() if k != "id"}])


def _drop_key_value(element: Element, key_id: str | None) -> None:
    for attvalues in element.iter("attvalues"):
        for value in list(attvalues):
            if value.get("for") == key_id:
                attvalues.remove(value)


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
    for attributes in root.iter("attributes"):
        if attributes.get("class") == "edge":
            for attr in list(attributes):
                if attr.get("title") == "networkx_key":
                    attributes.remove(attr)


def _write(G: nx.MultiDiGraph, write, memo: ExportMemo | None = None) -> None:
    H = _add_viz(project(G), G)  # the projection is ours: drawn in place, not copied
    try:
        StreamingGEXFWriter().write_document(H, write, memo)
    except (TypeError, nx.NetworkXError) as exc:
        raise ExportError(f"GEXF: {exc}") from exc
    finally:
        H.clear()  # freed now: a networkx graph sits in a reference cycle with its cached views


def generate_gexf(G: nx.MultiDiGraph) -> str:
    """The GEXF 1.3 document, as text."""
    out: list[str] = []
    _write(G, out.append)
    return "".join(out)


def write_gexf(G: nx.MultiDiGraph, out_dir: Path, memo: ExportMemo | None = None) -> list[Path]:
    """Write ``graph.gexf`` into ``out_dir``, a slice of nodes or edges at a time (unchanged
    elements from ``memo``, the last build's, when given)."""
    def stream(fh: BinaryIO) -> None:
        _write(G, lambda text: fh.write(text.encode("utf-8")), memo)
    return write_files(out_dir, {OUTPUT: stream})


register(NAME, write_gexf, (OUTPUT,), "GEXF 1.3 for Gephi / Gephi Lite: drawn (colours, sizes, positions)",
         incremental=True, drawn=True)
