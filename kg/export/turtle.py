"""Turtle export: ``graph.ttl``, the whole graph as RDF (see :mod:`kg.rdf` for the encoding).

pyoxigraph's Turtle serializer (Rust) writes every statement, a unit of whole subjects at a
time (:func:`kg.rdf.iter_units`), so memory stays flat however large the corpus: the whole
graph is never held as RDF terms, and the text goes to disk unit by unit.  Subjects come in a
fixed order (the dataset; each entity by key, followed by the evidence statements of its
facts; each document by id, followed by its mention statements), their predicates and
objects are sorted (``rdf:type`` first), and no blank node is minted, so the bytes depend
only on the graph's content, not on insertion order or Python's hash seed.  IRIs are
written with the prefixes of :func:`kg.rdf.prefixes` (``id:``, ``doc:``, ``stmt:`` and
the vocabularies); a blank line separates subjects.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from ..errors import ExportError
from ..graph import DEFAULT_BASE
from ..rdf import Block, graph_ontology, iter_units, prefixes
from . import iter_rdf_text, register, write_files

OUTPUT = "graph.ttl"


class TurtleUnits:
    """Turtle text for the units of :func:`kg.rdf.iter_units`: ``header`` (the prefixes), then
    ``glue(unit(blocks))`` for each unit, then ``footer``."""

    def __init__(self, G: nx.MultiDiGraph, part: int = 0):
        self.base = G.graph.get("base") or DEFAULT_BASE
        self.prefixes = prefixes(self.base, graph_ontology(G))
        sample = ox.Triple(ox.NamedNode(self.base), ox.NamedNode(self.base), ox.Literal(""))
        self._header = self._prefix_lines(self._serialize([sample]))  # what starts every serialization

    def _serialize(self, triples: list[ox.Triple]) -> str:
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes).decode("utf-8")

    @staticmethod
    def _prefix_lines(text: str) -> str:
        end = 0
        while text.startswith("@prefix ", end):
            end = text.index("\n", end) + 1
        return text[:end]

    def header(self) -> str:
        return self._header + "\n"

    def unit(self, blocks: list[Block]) -> str:
        """The text of one unit, the same wherever it stands in the file."""
        text = self._serialize([ox.Triple(s, p, o) for s, pairs in blocks for p, o in pairs])
        if not text.startswith(self._header):
            raise ExportError("pyoxigraph's Turtle did not start with kg's prefixes")
        # Literals are written on one line (newlines escaped), so " .\n" ends a subject.
        return text[len(self._header):].replace(" .\n", " .\n\n")

    def glue(self, text: str) -> str:
        """What to write for the next unit, given its :meth:`unit` text."""
        return text

    def footer(self) -> str:
        return ""


def iter_turtle(G: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as Turtle text, in pieces (the graph's RDF is never held whole)."""
    return iter_rdf_text(TurtleUnits(G), iter_units(G))


def generate_turtle(G: nx.MultiDiGraph) -> str:
    """The graph as Turtle text."""
    return "".join(iter_turtle(G))


def write_turtle(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.ttl`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: iter_turtle(G)})


register("turtle", write_turtle, (OUTPUT,), "RDF Turtle: entities, facts with evidence statements, documents",
         units=TurtleUnits)
