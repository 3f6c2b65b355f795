"""Turtle export: ``graph.ttl``, the whole graph as RDF (see :mod:`kg.rdf` for the encoding).

rdflib writes every statement, from small graphs of whole subjects
(:func:`kg.rdf.rdf_chunks`), so memory stays flat however large the corpus: the whole
graph is never held as rdflib terms, and the text goes to disk piece by piece.  Subjects
come in a fixed order (the dataset; each entity by key, followed by the evidence statements
of its facts; each document by id, followed by its mention statements); within a subject
rdflib sorts predicates and objects, and no blank node is minted, so the bytes depend only
on the graph's content, not on insertion order or Python's hash seed.

The serializer remembers the prefixed name of each IRI: rdflib works it out again on every
occurrence, and for IRIs it cannot shorten (``id:stmt/…``) its namespace cache never stores
the answer (half the time at 270k triples).
"""
from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer

from ..graph import DEFAULT_BASE
from ..rdf import NAMESPACES, RESOURCE_PREFIX, rdf_chunks
from . import iter_chunked, register, write_files

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


class TurtleChunks:
    """Turtle text for the pieces of :func:`kg.rdf.rdf_chunks`: ``header``, then ``chunk`` for
    each piece, then ``footer``, each as ``TurtleSerializer.serialize`` writes that part."""

    def __init__(self, G: nx.MultiDiGraph, part: int = 0):
        self.ser = MemoTurtleSerializer(Graph())
        self.namespaces = {**NAMESPACES, RESOURCE_PREFIX: G.graph.get("base") or DEFAULT_BASE}

    def _text(self, write) -> str:
        buf = BytesIO()
        self.ser.stream = buf
        write()
        return buf.getvalue().decode("utf-8")

    def header(self) -> str:
        self.ser.reset()
        for prefix, ns in self.namespaces.items():
            self.ser.addNamespace(prefix, URIRef(ns))
        return self._text(self.ser.startDocument)

    def chunk(self, graph, subjects) -> str:
        ser = self.ser
        ser.store = graph
        ser.reset()
        ser.preprocess()

        def write():
            for subject in subjects:
                if not ser.isDone(subject) and subject in ser._subjects:
                    ser.statement(subject)
                    ser.write("\n")
        return self._text(write)

    def footer(self) -> str:
        return self._text(self.ser.endDocument) + "\n"


def iter_turtle(G: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as Turtle text, in pieces (the graph's RDF is never held whole)."""
    return iter_chunked(TurtleChunks(G), rdf_chunks(G))


def generate_turtle(G: nx.MultiDiGraph) -> str:
    """The graph as Turtle text."""
    return "".join(iter_turtle(G))


def write_turtle(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.ttl`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: iter_turtle(G)})


register("turtle", write_turtle, (OUTPUT,), "RDF Turtle: entities, facts with evidence statements, documents",
         chunks=TurtleChunks)
