"""JSON-LD export: ``graph.jsonld``, the same RDF as ``graph.ttl`` (see :mod:`kg.rdf`).

rdflib's JSON-LD conversion (the ``Converter`` of its serializer) writes every node,
compacted with a ``@context`` of kg's prefixes (``id:`` is the graph's resource base), from
small graphs of whole subjects (:func:`kg.rdf.rdf_chunks`), one node at a time, so the whole
graph is never held in memory.  Nodes come in the order of ``graph.ttl`` (the dataset; each
entity by key with its facts' evidence statements; each document by id with its mention
statements) and arrays of values are sorted by their JSON text: the bytes depend only on
the graph's content.  The converter is told once that the graph holds no RDF list (kg
writes none), which spares it a lookup for every object it converts.
"""
from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, Graph
from rdflib.plugins.serializers.jsonld import Converter
from rdflib.plugins.shared.jsonld.context import Context

from ..graph import DEFAULT_BASE
from ..rdf import NAMESPACES, RESOURCE_PREFIX, rdf_chunks
from . import iter_chunked, register, write_files

OUTPUT = "graph.jsonld"


class JsonLDChunks:
    """JSON-LD text for the pieces of :func:`kg.rdf.rdf_chunks`, one ``@graph`` node at a time,
    formatted as ``json.dumps(indent=2, sort_keys=True)`` formats the whole document."""

    def __init__(self, G: nx.MultiDiGraph, part: int = 0):
        self.context = {**NAMESPACES, RESOURCE_PREFIX: G.graph.get("base") or DEFAULT_BASE}
        self.ctx = Context(self.context)
        self.first = part == 0  # a later part continues the @graph array, after a comma

    def header(self) -> str:
        return '{\n  "@context": ' + _dumps(self.context).replace("\n", "\n  ") + ',\n  "@graph": ['

    def chunk(self, graph, subjects) -> str:
        nodes = _ListlessConverter(self.ctx, use_native_types=False, use_rdf_type=False).from_graph(graph)
        by_id = {n["@id"]: n for n in nodes}
        out = []
        for subject in subjects:
            node = by_id.pop(self.ctx.shrink_iri(subject), None)  # as the converter names it
            if node is not None:
                out.append(("\n" if self.first else ",\n") + textwrap.indent(_dumps(_sorted_values(node)), "    "))
                self.first = False
        assert not by_id, f"JSON-LD nodes outside the chunk's subjects: {sorted(by_id)[:3]}"
        return "".join(out)

    def footer(self) -> str:
        return "]\n}\n" if self.first else "\n  ]\n}\n"


def iter_jsonld(G: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as compacted JSON-LD text, in pieces (the graph's RDF is never held whole)."""
    return iter_chunked(JsonLDChunks(G), rdf_chunks(G))


def generate_jsonld(G: nx.MultiDiGraph) -> str:
    """The graph as compacted JSON-LD text."""
    return "".join(iter_jsonld(G))


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


class _ListlessConverter(Converter):
    """rdflib's JSON-LD converter, skipping the RDF-list check on graphs without ``rdf:first``."""

    def from_graph(self, graph: Graph):
        self._lists = (None, RDF.first, None) in graph
        return super().from_graph(graph)

    def to_collection(self, graph: Graph, l_):
        return super().to_collection(graph, l_) if self._lists else None


def _sorted_values(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with each array of values sorted (kg writes no ``@list``, so arrays are sets)."""
    def key(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    return {k: sorted(v, key=key) if isinstance(v, list) else v for k, v in node.items()}


def write_jsonld(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.jsonld`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: iter_jsonld(G)})


register("jsonld", write_jsonld, (OUTPUT,), "JSON-LD: the same RDF as graph.ttl, compacted with kg's prefixes",
         chunks=JsonLDChunks)
