"""The terms of kg's RDF: namespaces, IRIs of entities, documents and statements, literals."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote, unquote

import networkx as nx
import pyoxigraph as ox
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from .. import ontology as ontology_mod
from ..errors import ExportError, GraphFileError
from ..graph import DEFAULT_BASE
from ..ontology import KG, Ontology
from ..ontology_files import fits

SCHEMA = Namespace("http://schema.org/")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
YOUTUBE_WATCH = "https://www.youtube.com/watch?v="
#: Prefix bound to ``G.graph["base"]`` in every serialisation.
RESOURCE_PREFIX = "id"

#: The vocabularies bound in every serialisation (the resource prefix is added per graph).
NAMESPACES: dict[str, str] = {
    "kg": str(KG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
}

#: File suffix -> rdflib parser name, for :func:`parse_file`.
RDF_FORMATS: dict[str, str] = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}

_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_UNCARRIABLE = re.compile(f"[\x00\ud800-\udfff{_NONCHARACTERS}]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


# ------------------------------------------------------------------ terms
def _encode(name: str, safe: str) -> str:
    """Percent-encode ``name`` (UTF-8; lone surrogates pass through so decoding is exact).

    Dot segments and a final ``.`` are encoded too: the one is not a name, the other cannot end
    a Turtle prefixed name (rdflib's parser rejects ``id:x\\.``).
    """
    encoded = quote(name, safe=safe, errors="surrogatepass")
    encoded = "/".join(s.replace(".", "%2E") if s in (".", "..") else s for s in encoded.split("/"))
    return encoded[:-1] + "%2E" if encoded.endswith(".") else encoded


def _decode(iri: Node, prefix: str) -> str:
    text = str(iri)
    if not isinstance(iri, URIRef) or not text.startswith(prefix):
        raise GraphFileError(f"{iri.n3()} is not a resource under <{prefix}>")
    return unquote(text[len(prefix):], errors="surrogatepass")


def _entity_ref(key: str, base: str) -> str:
    if not key:
        raise ExportError("an entity key must not be empty")
    return base + _encode(key, _SEGMENT_SAFE)


def _document_ref(doc_id: str, base: str) -> str:
    if not doc_id:
        raise ExportError("a document id must not be empty")
    return base + "doc/" + _encode(doc_id, "/")


def _statement_ref(parts: list[Any], base: str) -> str:
    return base + "stmt/" + hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()[:16]


def entity_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the entity ``key``: one percent-encoded path segment under ``base``."""
    return URIRef(_entity_ref(key, base))


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of the document ``doc_id``: ``<base>doc/<doc_id>``, ``/`` kept."""
    return URIRef(_document_ref(doc_id, base))


def statement_iri(parts: list[Any], base: str = DEFAULT_BASE) -> URIRef:
    """A stable IRI for a reified statement identified by ``parts`` (JSON-serialisable)."""
    return URIRef(_statement_ref(parts, base))


def prefixes(base: str = DEFAULT_BASE, onto: Ontology | None = None) -> dict[str, str]:
    """Every prefix a serialisation binds: kg's vocabularies, those the ontology's ``kg.ttl``
    declares besides (kg's own win a clash), ``id:`` for ``base``, and ``doc:`` and ``stmt:`` for
    its documents and statements."""
    own = {**NAMESPACES, RESOURCE_PREFIX: base, "doc": base + "doc/", "stmt": base + "stmt/"}
    extra = {p: ns for p, ns in (onto.prefixes if onto is not None else {}).items()
             if p not in own and ns not in own.values()}
    return {**NAMESPACES, **extra, RESOURCE_PREFIX: base, "doc": base + "doc/", "stmt": base + "stmt/"}


def graph_ontology(G: nx.MultiDiGraph) -> Ontology:
    """The ontology a graph was built with (``G.graph["ontology"]``; none recorded: kg's own)."""
    return ontology_mod.load(G.graph.get("ontology"))


def _clean(value: Any) -> str:
    """``str(value)`` with the characters RDF clients cannot carry replaced by U+FFFD."""
    return _UNCARRIABLE.sub("\ufffd", str(value))


def _is_date(value: str) -> bool:
    if not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Vocab:
    """The pyoxigraph IRIs of one namespace, each made once (``_Vocab(KG).rule``)."""

    def __init__(self, namespace: str):
        self._namespace = str(namespace)
        self._nodes: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._nodes.get(name)
        if node is None:
            node = self._nodes[name] = ox.NamedNode(self._namespace + name)
        return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)  # found as a plain attribute from now on
        return node


_KG, _RDF, _RDFS, _OWL = _Vocab(KG), _Vocab(RDF), _Vocab(RDFS), _Vocab(OWL)
_SKOS, _PROV, _DCT, _SCHEMA, _XSD = _Vocab(SKOS), _Vocab(PROV), _Vocab(DCTERMS), _Vocab(SCHEMA), _Vocab(XSD)
_TRUE = ox.Literal("true", datatype=_XSD.boolean)
_DATE_TYPES = frozenset(str(XSD[t]) for t in ("date", "gYearMonth", "gYear"))


def _text(value: Any) -> ox.Literal:
    """A plain string literal of ``value`` (see :func:`_clean`)."""
    return ox.Literal(_clean(value))


def _integer(value: Any) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD.integer)


def _date(value: str, years: bool = False) -> ox.Literal:
    """``xsd:date`` for a valid ``YYYY-MM-DD``, ``xsd:gYearMonth`` for ``YYYY-MM`` (with ``years``,
    ``xsd:gYear`` for ``YYYY``), else a plain literal."""
    if _is_date(value):
        return ox.Literal(value, datatype=_XSD.date)
    if _YEAR_MONTH.fullmatch(value):
        return ox.Literal(value, datatype=_XSD.gYearMonth)
    if years and fits(str(XSD.gYear), value):
        return ox.Literal(value, datatype=_XSD.gYear)
    return _text(value)


def literal_term(value: str, datatype: str | None) -> ox.Literal:
    """The literal of a value of a literal relation whose range is ``datatype`` (see the module docstring)."""
    if datatype is None or datatype in _DATE_TYPES:
        return _date(value, years=datatype is not None)
    if datatype == str(XSD.string) or not fits(datatype, value):
        return _text(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _decimal(value: float) -> ox.Literal:
    """An ``xsd:decimal`` whose lexical form reads back as the same float."""
    return ox.Literal(format(Decimal(repr(float(value))), "f"), datatype=_XSD.decimal)


#: One subject of the graph and its (predicate, object) pairs, sorted (``rdf:type`` first).
Block = tuple[ox.NamedNode, list[tuple[ox.NamedNode, Any]]]


_TYPE_IRI = str(RDF.type)


def _pair_key(pair: tuple[ox.NamedNode, Any]) -> tuple[bool, str, str]:
    p = pair[0].value
    return (p != _TYPE_IRI, p, pair[1].value)  # kg never gives one predicate an IRI and a literal alike
