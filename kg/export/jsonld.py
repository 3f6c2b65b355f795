"""JSON-LD export: ``graph.jsonld``, the same RDF as ``graph.ttl`` (see :mod:`kg.rdf`).

A JSON-LD 1.1 document in compacted form: a ``@context`` of kg's prefixes
(:func:`kg.rdf.prefixes`) and a ``@graph`` array with one node object per subject, written
a unit of whole subjects at a time (:func:`kg.rdf.iter_units`), so the whole graph is never
held in memory.  Each IRI is shortened with the longest prefix that fits
(``id:``, ``doc:``, ``stmt:``, the vocabularies), ``rdf:type`` becomes ``@type``, a plain
string is a JSON string and any other literal a ``{"@value", "@type"}`` object (no native
JSON numbers or booleans, so lexical forms survive), one value stands alone and several
form a set sorted by their JSON text.  Nodes come in the order of ``graph.ttl``, so the
bytes depend only on the graph's content.  rdflib's and pyoxigraph's JSON-LD parsers read
it to the same triples as ``graph.ttl`` (tested); the node objects are built here because
rdflib's converter cost as much as the rest of the export.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import orjson
import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from ..graph import DEFAULT_BASE
from ..rdf import Block, canonical_json, graph_ontology, iter_units, prefixes
from . import iter_rdf_text, register, write_files

OUTPUT = "graph.jsonld"
_RDF_TYPE = ox.NamedNode(str(RDF.type))
_XSD_STRING = ox.NamedNode(str(XSD.string))


class JsonLDUnits:
    """JSON-LD text for the units of :func:`kg.rdf.iter_units`, one ``@graph`` node per subject,
    indented by two spaces with sorted keys, as one JSON document."""

    def __init__(self, G: nx.MultiDiGraph, part: int = 0):
        self.context = prefixes(G.graph.get("base") or DEFAULT_BASE, graph_ontology(G))
        self._longest_first = sorted(self.context.items(), key=lambda kv: -len(kv[1]))
        self._short: dict[str, str] = {}
        self.first = part == 0  # a later part continues the @graph array, after a comma

    def shrink(self, iri: str) -> str:
        """``iri`` as a compact IRI with the longest prefix that fits, or whole if none does."""
        short = self._short.get(iri)
        if short is None:
            short = iri
            for prefix, ns in self._longest_first:
                # A suffix starting with "//" would make "prefix://…" an absolute IRI.
                if iri.startswith(ns) and not iri.startswith("//", len(ns)):
                    short = f"{prefix}:{iri[len(ns):]}"
                    break
            if len(self._short) < 100_000:  # vocabulary and entities repeat; statements do not
                self._short[iri] = short
        return short

    def value(self, term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            return {"@id": self.shrink(term.value)}
        if term.datatype == _XSD_STRING:
            return term.value
        return {"@type": self.shrink(term.datatype.value), "@value": term.value}

    def node(self, subject: ox.NamedNode, pairs: list) -> dict[str, Any]:
        values: dict[str, list[Any]] = {}
        for p, o in pairs:
            if p == _RDF_TYPE:
                values.setdefault("@type", []).append(self.shrink(o.value))
            else:
                values.setdefault(self.shrink(p.value), []).append(self.value(o))
        node: dict[str, Any] = {"@id": self.shrink(subject.value)}
        for key, vals in values.items():
            node[key] = vals[0] if len(vals) == 1 else sorted(vals, key=canonical_json)
        return node

    def header(self) -> str:
        return '{\n  "@context": ' + _dumps(self.context).replace("\n", "\n  ") + ',\n  "@graph": ['

    def unit(self, blocks: list[Block]) -> str:
        """The node objects of one unit, comma-separated: the same wherever the unit stands."""
        return ",\n    ".join(_dumps(self.node(subject, pairs)).replace("\n", "\n    ") for subject, pairs in blocks)

    def glue(self, text: str) -> str:
        """What to write for the next unit, given its :meth:`unit` text: a comma after the previous one."""
        lead = "\n    " if self.first else ",\n    "
        self.first = False
        return lead + text

    def footer(self) -> str:
        return "]\n}\n" if self.first else "\n  ]\n}\n"


def iter_jsonld(G: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as compacted JSON-LD text, in pieces (the graph's RDF is never held whole)."""
    return iter_rdf_text(JsonLDUnits(G), iter_units(G))


def generate_jsonld(G: nx.MultiDiGraph) -> str:
    """The graph as compacted JSON-LD text."""
    return "".join(iter_jsonld(G))


def _dumps(value: Any) -> str:
    """``value`` as JSON, indented by two spaces, keys sorted, non-ASCII kept (orjson: the
    standard library's indenting encoder is pure Python and cost most of the export)."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode("utf-8")


def write_jsonld(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``graph.jsonld`` into ``out_dir``."""
    return write_files(out_dir, {OUTPUT: iter_jsonld(G)})


register("jsonld", write_jsonld, (OUTPUT,), "JSON-LD: the same RDF as graph.ttl, compacted with kg's prefixes",
         units=JsonLDUnits)
