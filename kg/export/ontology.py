"""Ontology export: ``ontology.ttl``, a verbatim copy of ``ontology/kg.ttl``.

Shipped next to ``graph.ttl`` so that an export is self-describing: the classes,
properties, domains and ranges that the graph's ``kg:`` terms refer to.  The file
is copied byte for byte (comments and layout kept) after checking that it parses.
The SHACL shapes stay in ``ontology/shapes.ttl``; they are not exported.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from .. import ontology
from ..errors import ExportError
from . import register, write_files

OUTPUT = "ontology.ttl"


def generate_ontology(G: nx.MultiDiGraph) -> str:
    """The ontology's Turtle text; ``G`` is not read (the exporter signature is shared)."""
    onto = ontology.load()
    path = onto.directory / "kg.ttl"
    if len(onto.graph) == 0:  # parsing raises OntologyError when kg.ttl is missing or malformed
        raise ExportError(f"{path}: the ontology is empty")
    return path.read_text(encoding="utf-8")


def write_ontology(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``ontology.ttl`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: generate_ontology(G)})


register("ontology", write_ontology, (OUTPUT,), "The OWL ontology (ontology/kg.ttl) the graph's kg: terms come from")
