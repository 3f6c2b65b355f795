"""JSON-LD export: ``graph.jsonld``, the same RDF as ``graph.ttl`` (see :mod:`kg.rdf`).

rdflib's JSON-LD serializer writes it, compacted with a ``@context`` of kg's prefixes
(``id:`` is the graph's resource base).  rdflib keeps the store's insertion order in
the ``@graph`` array and in arrays of values, so both are sorted here (nodes by ``@id``,
values by their JSON text): the bytes depend only on the graph's content.

The conversion is rdflib's own (``Converter`` of its JSON-LD serializer), taken as data
rather than as text that would be parsed back, and told once that the graph holds no RDF
list (kg writes none), which spares it a lookup for every object it converts.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, Graph
from rdflib.plugins.serializers.jsonld import Converter
from rdflib.plugins.shared.jsonld.context import Context
from rdflib.plugins.shared.jsonld.keys import CONTEXT, GRAPH

from ..graph import DEFAULT_BASE
from ..rdf import NAMESPACES, RESOURCE_PREFIX, to_rdf
from . import register, write_files

OUTPUT = "graph.jsonld"


def generate_jsonld(G: nx.MultiDiGraph) -> str:
    """The graph as compacted JSON-LD text."""
    context = {**NAMESPACES, RESOURCE_PREFIX: G.graph.get("base") or DEFAULT_BASE}
    data = _compacted(to_rdf(G), context)
    nodes = data["@graph"] if isinstance(data.get("@graph"), list) else None
    if nodes is not None:
        data["@graph"] = sorted((_sorted_values(n) for n in nodes), key=lambda n: n["@id"])
    else:  # a single node is written without @graph
        data = _sorted_values(data)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class _ListlessConverter(Converter):
    """rdflib's JSON-LD converter, skipping the RDF-list check on graphs without ``rdf:first``."""

    def convert(self, graph: Graph):
        self._lists = (None, RDF.first, None) in graph
        return super().convert(graph)

    def to_collection(self, graph: Graph, l_):
        return super().to_collection(graph, l_) if self._lists else None


def _compacted(graph: Graph, context: dict[str, str]) -> dict[str, Any]:
    """What ``graph.serialize(format="json-ld", context=context)`` writes, as data."""
    ctx = Context(context)
    result = _ListlessConverter(ctx, use_native_types=False, use_rdf_type=False).convert(graph)
    if isinstance(result, list):
        result = {ctx.get_key(GRAPH): result}
    result[CONTEXT] = context
    return result


def _sorted_values(node: dict[str, Any]) -> dict[str, Any]:
    """``node`` with each array of values sorted (kg writes no ``@list``, so arrays are sets)."""
    def key(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    return {k: sorted(v, key=key) if isinstance(v, list) else v for k, v in node.items()}


def write_jsonld(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.jsonld`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_jsonld(G)})


register("jsonld", write_jsonld, (OUTPUT,), "JSON-LD: the same RDF as graph.ttl, compacted with kg's prefixes", group="rdf")
