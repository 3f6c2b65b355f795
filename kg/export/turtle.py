"""Turtle export: ``graph.ttl``, the whole graph as RDF (see :mod:`kg.rdf` for the encoding).

rdflib writes it; its Turtle serializer sorts subjects, predicates and objects, and
:func:`kg.rdf.to_rdf` mints no blank nodes, so the bytes depend only on the graph's
content, not on node insertion order or Python's hash seed.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..rdf import to_rdf
from . import register, write_files

OUTPUT = "graph.ttl"


def generate_turtle(G: nx.MultiDiGraph) -> str:
    """The graph as Turtle text."""
    return to_rdf(G).serialize(format="turtle")


def write_turtle(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.ttl`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_turtle(G)})


register("turtle", write_turtle, (OUTPUT,), "RDF Turtle: entities, facts with evidence statements, documents")
