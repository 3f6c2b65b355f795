"""GraphML export: ``graph.graphml`` for igraph, networkx, Cytoscape, yEd.

The same flat projection as the GEXF file (:func:`kg.export.gexf.project`: entities and
documents as nodes; facts, mentions and related-document links as edges with a
``relation`` attribute; lists joined into strings; text cleaned by
:func:`kg.export._text.clean_text`), without drawing data.

Written with networkx's ElementTree-based ``GraphMLWriter`` whatever else is installed, so
the bytes do not change when lxml happens to be present (``nx.write_graphml`` would switch
to lxml).  Non-ASCII characters come out as character references (``&#128640;``).  Edge ids are the
projection's ``e0``, ``e1``, ...; the output depends only on the graph.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx
from networkx.readwrite.graphml import GraphMLWriter

from ..errors import ExportError
from . import register, write_files
from .gexf import XML_DECLARATION, project

OUTPUT = "graph.graphml"


def generate_graphml(G: nx.MultiDiGraph) -> str:
    """The GraphML document, as text."""
    try:
        writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
        writer.add_graph_element(project(G))
        return XML_DECLARATION + str(writer).rstrip("\n") + "\n"
    except (TypeError, nx.NetworkXError) as exc:
        raise ExportError(f"GraphML: {exc}") from exc


def write_graphml(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.graphml`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_graphml(G)})


register("graphml", write_graphml, (OUTPUT,), "GraphML for igraph, networkx, Cytoscape, yEd")
