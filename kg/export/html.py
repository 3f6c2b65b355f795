"""HTML export: ``graph.html``, one self-contained page to explore the graph offline.

pyvis builds the network data (vis-network nodes, edges and options); the page is
rendered from kg's own template (``templates/graph.html.j2``) because pyvis's template
links Bootstrap from a CDN even in ``in_line`` mode.  vis-network's JavaScript and CSS,
which pyvis ships in its package, are inlined, so the file opens from disk with no
network at all; a Content-Security-Policy with the hashes of the two inline scripts
(vis-network, and the page's own :data:`SCRIPTS` joined into one) forbids every outside
request and any other script.

What is drawn
    Every entity node and every document node goes into the page.  Entities are shown at
    first; documents (class *Document*, with their ``mentions`` and ``related`` edges) are
    behind the *Document* checkbox, off by default, because a corpus has many more
    mention edges than facts.  So when the whole graph is shown ``network.body.nodeIndices.length``
    equals the number of entity nodes; with *Document* ticked it equals entities + documents.
    A graph of more than :data:`~kg.export._html_views.START_OVERVIEW` entities opens on its
    overview instead (``OVERVIEW_SIZE`` entities), a focus draws the neighbourhood only.

Page features
    colour and shape per class (the ontology folder's ``style.json``) with a legend that doubles as the
    class filter; node size by degree; edges labelled with the relation label; relation
    filters; a search box (label or alias) with a list of hits; a side panel (click a node or
    an edge) with class, aliases, Wikidata link, the values of the ontology's literal relations
    (launch dates) and, for each fact in and out,
    the evidence sentences, their documents and YouTube timestamp links.  Views: the whole
    graph, an overview of the most connected entities (where a graph of more than
    :data:`~kg.export._html_views.START_OVERVIEW` entities opens), a focus on one node's
    neighbourhood within 1-3 hops laid out for it, and a launch timeline
    (:mod:`kg.export._html_views` computes the overview and the timeline).  The URL fragment
    (``#focus=JUICE&hops=2&rel=orbits,flyby``) holds the view, so it can be bookmarked, and
    each focus change is a browser history entry.

Safety
    The graph travels as JSON inside ``<script type="application/json">`` with ``<``, ``>``,
    ``&`` and U+2028/9 escaped (:func:`embed_json`); the page builds every element with
    ``textContent``, never ``innerHTML``, and gives vis-network no ``title`` (which it would
    render as HTML).  Links are made only from ``http(s)`` URLs and Wikidata ids ``Q<digits>``.
    What the URL fragment says is only compared with the graph's own ids and names.

Large graphs
    Above :data:`LARGE_GRAPH` nodes the positions are computed in Python
    (:func:`kg.export._style.layout`, about 2 s for 5,000 nodes) and physics is off, so the
    page is usable in seconds.  Smaller graphs are laid out by vis-network's physics, which
    is switched off once stabilised.

The bytes depend only on the graph: nodes and edges are sorted, JSON keys are sorted,
the layout is seeded, and nothing records the time.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..ontology import Ontology
from ..rdf import graph_ontology
from . import register, write_files
from ._embed import embed_json, iter_embedded_json
from ._html_views import overview_data, timeline_data
from ._style import DOCUMENT, layout, load_style, node_size

OUTPUT = "graph.html"
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The page's own scripts, in this order, joined into one inline script inside one function
#: (they share its variables; graph.js, first, reads the data and makes the drawing, start.js,
#: last, opens the first view).
SCRIPTS = ("graph.js", "layout.js", "panel.js", "views.js", "timeline.js", "search.js", "url.js", "start.js")

#: Above this many nodes (entities + documents) positions come from Python and physics is off:
#: vis-network's physics took 5 s to settle 1,000 nodes in headless Chromium, the numpy layout
#: takes a fraction of a second.
LARGE_GRAPH = 300
#: Canvas labels longer than this are shortened with an ellipsis (the panel shows them whole).
MAX_CANVAS_LABEL = 40

_QID = re.compile(r"^Q[1-9][0-9]*$")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_HTTP = re.compile(r"^https?://", re.IGNORECASE)


# ------------------------------------------------------------------------------------------ helpers
def _http_url(value: Any) -> str | None:
    return value if isinstance(value, str) and _HTTP.match(value) else None


def _canvas_label(text: str) -> str:
    return text if len(text) <= MAX_CANVAS_LABEL else text[: MAX_CANVAS_LABEL - 1] + "\u2026"


def _evidence(evidence: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    out = []
    for ev in evidence or []:
        out.append({
            "sentence": ev.get("sentence") or "",
            "doc": ev.get("doc_id"),
            "url": _http_url(ev.get("timestamp_url")),
            "seconds": ev.get("timestamp"),
            "rule": ev.get("rule"),
            "confidence": ev.get("confidence"),
        })
    return out


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS from the pyvis package (newest version shipped)."""
    try:
        import pyvis
    except ImportError as exc:  # a declared dependency; say what is missing
        raise ExportError("the HTML export needs pyvis (pip install pyvis)") from exc
    libs = Path(pyvis.__file__).resolve().parent / "templates" / "lib"

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.name))

    found = sorted(libs.glob("vis-*/vis-network.min.js"), key=version)
    if not found:
        raise ExportError(f"{libs}: pyvis ships no vis-network.min.js; cannot inline it")
    js_path = found[-1]
    try:
        js = js_path.read_text(encoding="utf-8")
        css = (js_path.parent / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{js_path.parent}: cannot read vis-network: {exc}") from exc
    # Source-map comments would make developer tools fetch a file that is not there.
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    return js, css


def _check_inline(name: str, text: str, closing: str) -> str:
    if closing in text.lower() or "<!--" in text:
        raise ExportError(f"{name}: cannot be inlined: it contains {closing!r} or '<!--'")
    return text


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


# ------------------------------------------------------------------------------------------ data
def _network():
    """A pyvis ``Network`` whose node lookups are O(1).

    pyvis checks ``source in self.get_nodes()`` (a list) for every edge, which makes
    adding 10,000 edges among 5,000 nodes take seconds; a set answers the same question.
    """
    from pyvis.network import Network

    class _Network(Network):
        def __init__(self, **kwargs: Any):
            super().__init__(**kwargs)
            self._id_set: set[str] = set()

        def add_node(self, n_id, label=None, shape="dot", color="#97c2fc", **options):
            super().add_node(n_id, label=label, shape=shape, color=color, **options)
            self._id_set.add(n_id)

        def get_nodes(self):  # pyvis returns a list; membership is all add_edge needs
            return self._id_set

    return _Network(directed=True)


def _literals(a: dict[str, Any], onto: Ontology) -> list[dict[str, Any]]:
    """The entity's values of literal relations, by relation: its label and each value with its evidence."""
    out = []
    for relation, values in sorted((a.get("literals") or {}).items()):
        rel = onto.relations.get(relation)
        label = rel.label if rel is not None else relation
        out.append({"relation": relation, "label": label[:1].upper() + label[1:],
                    "values": [{"value": str(v.get("value")), "evidence": _evidence(v.get("evidence"))}
                               for v in values]})
    return out


def _node_info(node: str, a: dict[str, Any], onto: Ontology) -> dict[str, Any]:
    kind = a.get("kind")
    if kind == "entity":
        qid = a.get("qid")
        return {
            "kind": "entity",
            "cls": a.get("cls") or "Entity",
            "label": str(a.get("label") or node),
            "aliases": [str(x) for x in a.get("aliases") or []],
            "qid": qid if isinstance(qid, str) and _QID.match(qid) else None,
            "gazetteer_id": a.get("gazetteer_id"),
            "literals": _literals(a, onto),
        }
    if kind == "document":
        video = a.get("video_id")
        return {
            "kind": "document",
            "cls": DOCUMENT,
            "label": str(a.get("title") or a.get("doc_id") or node),
            "doc_id": a.get("doc_id"),
            "title": a.get("title"),
            "doc_kind": a.get("doc_kind"),
            "date": a.get("date"),
            "subject": a.get("subject"),
            "channel": a.get("channel"),
            "path": a.get("path"),
            "url": a.get("url"),
            "link": _http_url(a.get("url")),
            "video": f"https://www.youtube.com/watch?v={video}" if isinstance(video, str) and _VIDEO_ID.match(video)
            else None,
            "keywords": sorted(str(x) for x in a.get("keywords") or []),  # a set: RDF keeps no order
            "external": bool(a.get("external")),
        }
    raise ExportError(f"node {node!r}: unknown kind {kind!r} (expected 'entity' or 'document')")


def _edge_info(u: str, v: str, a: dict[str, Any]) -> dict[str, Any]:
    kind = a.get("kind")
    rel = a.get("relation") or ""
    out: dict[str, Any] = {"rel": rel, "from": u, "to": v}
    if kind == "fact":
        out.update(evidence=_evidence(a.get("evidence")), confidence=a.get("confidence"),
                   reference=bool(a.get("reference")))
    elif kind == "mention":
        out.update(count=a.get("count"), surfaces=[str(s) for s in a.get("surfaces") or []])
    elif kind != "related":
        raise ExportError(f"edge {u!r} -> {v!r} ({rel!r}): unknown kind {kind!r}")
    return out


def network_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """Everything the page draws, as plain data (what :func:`generate_html` embeds).

    ``nodes``/``edges``/``options`` are vis-network's, built with pyvis; ``info`` (per node)
    and ``facts`` (per edge) feed the side panel; ``classes`` and ``relations`` the legend
    and filters.  ``large`` tells whether positions were precomputed and physics is off.
    ``overview`` and ``timeline`` are the two other views (:mod:`kg.export._html_views`).
    """
    onto = graph_ontology(G)
    style = load_style(onto)
    relation_label = style.label
    order = sorted(G.nodes, key=str)
    info = {str(n): _node_info(str(n), G.nodes[n], onto) for n in order}
    large = len(order) > LARGE_GRAPH
    positions = layout([str(n) for n in order], ((str(u), str(v)) for u, v in G.edges())) if large else {}

    net = _network()
    for n in order:
        nid = str(n)
        st = style.for_class(info[nid]["cls"])
        extra: dict[str, Any] = {}
        if nid in positions:
            extra["x"], extra["y"] = positions[nid]
        net.add_node(
            nid,
            label=_canvas_label(info[nid]["label"]),
            shape=st.shape,
            color={"background": st.color, "border": st.color,
                   "highlight": {"background": st.color, "border": "#222222"}},
            size=node_size(G.degree(n)),
            **extra,
        )

    raw_edges = sorted(((str(u), str(v), str(k), a) for u, v, k, a in G.edges(keys=True, data=True)),
                       key=lambda e: e[:3])
    facts: dict[str, dict[str, Any]] = {}
    parallel: dict[frozenset[str], int] = defaultdict(int)
    colors: dict[str, dict[str, str]] = {}
    for i, (u, v, _key, a) in enumerate(raw_edges):
        eid = f"e{i}"
        facts[eid] = _edge_info(u, v, a)
        rel = facts[eid]["rel"]
        st = style.for_relation(rel)
        pair = frozenset((u, v))
        nth = parallel[pair]
        parallel[pair] += 1
        options: dict[str, Any] = {
            "id": eid,
            "label": relation_label(rel),
            "color": colors.setdefault(rel, {"color": st.color, "highlight": "#222222"}),  # shared, read only
            "dashes": st.dashes,
            "width": 1 if a.get("kind") != "fact" else min(6.0, 1.5 + 0.5 * (len(a.get("evidence") or []) - 1)),
        }
        if nth:  # the second and later edges between two nodes curve away from the first
            options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * nth, 2)}
        net.add_edge(u, v, **options)

    if large:  # positions are given: no physics, straight edges (cheap to draw), hide edges while dragging
        net.toggle_physics(False)
        net.options.edges.smooth.enabled = False
        net.toggle_hide_edges_on_drag(True)
    else:
        net.barnes_hut(gravity=-4000, central_gravity=0.3, spring_length=140, spring_strength=0.03,
                       damping=0.12, overlap=0.2)
        net.options.physics.stabilization.iterations = 400
        net.set_edge_smooth("continuous")
    vis_nodes, vis_edges, _heading, _height, _width, options_json = net.get_network_data()
    options = json.loads(options_json)
    options["layout"] = {"randomSeed": 7, "improvedLayout": not large and len(order) <= 150}
    options["interaction"].update({"hover": False, "tooltipDelay": 10 ** 9, "hideEdgesOnZoom": large})
    options["edges"]["color"] = {"inherit": False}
    options["edges"]["font"] = {"size": 10, "color": "#555555", "strokeWidth": 3, "align": "horizontal"}
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    options["nodes"] = {"font": {"size": 13, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
                        "borderWidth": 1}

    class_counts: dict[str, int] = defaultdict(int)
    for nid in info:
        class_counts[info[nid]["cls"]] += 1
    rel_counts: dict[str, int] = defaultdict(int)
    for f in facts.values():
        rel_counts[f["rel"]] += 1
    classes = [
        {"name": c, "label": style.for_class(c).label, "color": style.for_class(c).color,
         "shape": style.for_class(c).shape, "count": class_counts[c], "visible": c != DOCUMENT}
        for c in sorted(class_counts, key=lambda c: (c == DOCUMENT, style.for_class(c).label.lower(), c))
    ]
    structural = {"mentions", "related"}
    relations = [
        {"name": r, "label": relation_label(r), "color": style.for_relation(r).color, "count": rel_counts[r],
         "visible": True}
        for r in sorted(rel_counts, key=lambda r: (r in structural, relation_label(r).lower(), r))
    ]
    return {
        "name": str(G.graph.get("name") or "kg"),
        "large": large,
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": options,
        "info": info,
        "facts": facts,
        "classes": classes,
        "relations": relations,
        "overview": overview_data(G),
        "timeline": timeline_data(G, style),
    }


# ------------------------------------------------------------------------------------------ page
def iter_html(G: nx.MultiDiGraph) -> Iterator[str]:
    """The whole page, in pieces: the template around the data, and the data's JSON a few
    thousand items at a time (:func:`kg.export._embed.iter_embedded_json`), each top-level
    value dropped once written, so a large graph's page is never held whole in memory."""
    from jinja2 import Environment, FileSystemLoader, TemplateError, select_autoescape

    data = network_data(G)
    vis_js, vis_css = _vis_assets()
    try:
        parts = [_check_inline(name, (TEMPLATES / name).read_text(encoding="utf-8"), "</script") for name in SCRIPTS]
        app_css = (TEMPLATES / "graph.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{TEMPLATES}: cannot read the page template: {exc}") from exc
    app_js = '(function () {\n"use strict";\n' + "\n".join(parts) + "})();\n"
    scripts = [_check_inline("vis-network.min.js", vis_js, "</script"), app_js]
    styles = [_check_inline("vis-network.css", vis_css, "</style"), _check_inline("graph.css", app_css, "</style")]
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_csp_hash(s) for s in scripts),
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      keep_trailing_newline=True)
    slot = "\x00kg-data\x00"  # where the data goes; a NUL is in no template, script or style
    try:
        page = env.get_template("graph.html.j2").render(
            title=f"{data['name']} \u2014 knowledge graph", csp=csp, styles=styles, scripts=scripts, data_json=slot)
    except TemplateError as exc:
        raise ExportError(f"{TEMPLATES / 'graph.html.j2'}: {exc}") from exc
    head, tail = page.split(slot)
    del page, scripts, styles
    yield head
    yield from iter_embedded_json(data, depth=2, drop=True)
    yield tail


def generate_html(G: nx.MultiDiGraph) -> str:
    """The whole page, as text."""
    return "".join(iter_html(G))


def write_html(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.html`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: iter_html(G)})


__all__ = ["LARGE_GRAPH", "OUTPUT", "SCRIPTS", "embed_json", "generate_html", "iter_html", "network_data", "write_html"]

register("html", write_html, (OUTPUT,),
         "interactive page (vis-network, offline): search, filters, evidence panel, focus, overview, timeline",
         drawn=True)
