"""Ontology export: ``ontology.ttl``, a verbatim copy of the ontology folder's ``kg.ttl``.

Shipped next to ``graph.ttl`` so that an export is self-describing: the classes,
properties, domains and ranges that the graph's terms refer to (the folder the graph was
built with, ``--ontology``, or kg's own).  The file is copied byte for byte (comments and
layout kept) after checking that it parses.  The SHACL shapes stay in the folder's
``shapes.ttl``; they are not exported.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..errors import ExportError
from ..rdf import graph_ontology
from . import register, write_files

OUTPUT = "ontology.ttl"


def generate_ontology(G: nx.MultiDiGraph) -> str:
    """The Turtle text of the graph's ontology (``G``'s nodes and edges are not read)."""
    onto = graph_ontology(G)
    path = onto.file("kg.ttl")
    if len(onto.graph) == 0:  # parsing raises OntologyError when kg.ttl is missing or malformed
        raise ExportError(f"{path}: the ontology is empty")
    return path.read_text(encoding="utf-8")


def write_ontology(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``ontology.ttl`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_ontology(G)})


register("ontology", write_ontology, (OUTPUT,), "The OWL ontology (kg.ttl of the ontology folder) the graph's terms come from")
