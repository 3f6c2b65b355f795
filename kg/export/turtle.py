"""Turtle export: ``graph.ttl``, the whole graph as RDF (see :mod:`kg.rdf` for the encoding).

rdflib writes it; its Turtle serializer sorts subjects, predicates and objects, and
:func:`kg.rdf.to_rdf` mints no blank nodes, so the bytes depend only on the graph's
content, not on node insertion order or Python's hash seed.

The serializer is rdflib's own, with one change: it remembers the prefixed name of each
IRI.  rdflib works it out again on every occurrence, and for IRIs it cannot shorten
(``id:stmt/…``, ``id:doc/…``) its namespace cache never stores the answer; at 270k triples
that was half the time.  The bytes are the same as ``Graph.serialize(format="turtle")``.
"""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import networkx as nx
from rdflib.plugins.serializers.turtle import TurtleSerializer

from ..rdf import to_rdf
from . import register, write_files

OUTPUT = "graph.ttl"


class MemoTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serializer, remembering each IRI's prefixed name (or that it has none)."""

    def __init__(self, store):
        super().__init__(store)
        self._pnames: dict = {}

    def get_pname(self, uri, gen_prefix: bool = True):
        key = (uri, gen_prefix)
        try:
            return self._pnames[key]
        except KeyError:
            name = self._pnames[key] = super().get_pname(uri, gen_prefix)
            return name


def generate_turtle(G: nx.MultiDiGraph) -> str:
    """The graph as Turtle text."""
    buf = BytesIO()
    MemoTurtleSerializer(to_rdf(G)).serialize(buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def write_turtle(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.ttl`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_turtle(G)})


register("turtle", write_turtle, (OUTPUT,), "RDF Turtle: entities, facts with evidence statements, documents", group="rdf")
