"""SPARQL over a built graph: :func:`run_query`, :func:`format_result` and :data:`PREFIXES`.

Two engines answer the same query with the same rows: pyoxigraph (the default; fast
on large graphs) and rdflib.  Result terms are normalised to plain strings so that
the engines agree and callers need no RDF library: an IRI becomes the IRI, a literal
its lexical form (datatype and language tag dropped), a blank node ``_:`` + its
engine-specific label, an unbound variable ``None``.  (Typed literals may come back in
canonical form, ``"01"^^xsd:integer`` as ``"1"``; kg writes canonical literals, so this
only matters for hand-written input.)

A query may omit the ``PREFIX`` declarations of :data:`PREFIXES`, and those the ontology's
``kg.ttl`` declares besides (``--ontology``): both engines are given them as default prefixes
(the query's own declarations win), so the query text is not rewritten and the line and column
numbers of syntax errors match it.

Parsed graph files are cached per process, keyed by path, modification time and
size, so repeated queries on a large graph pay the loading cost once.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph

from . import ontology as ontology_mod
from .errors import GraphFileError, QueryError
from .graph import DEFAULT_BASE
from .rdf import parse_file, prefixes

ENGINES = ("oxigraph", "rdflib")
FORMATS = ("table", "csv", "json")

#: The prefixes a query may use without declaring them (``id:`` is the default resource base).
DEFAULT_PREFIXES: dict[str, str] = prefixes(DEFAULT_BASE)
#: The same, as SPARQL ``PREFIX`` declarations (for a query to run elsewhere).
PREFIXES = "".join(f"PREFIX {prefix}: <{ns}>\n" for prefix, ns in DEFAULT_PREFIXES.items())

_OXIGRAPH_FORMATS = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".jsonld": pyoxigraph.RdfFormat.JSON_LD,
                     ".json": pyoxigraph.RdfFormat.JSON_LD}
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

Row = tuple[str | None, ...]


@dataclass(frozen=True)
class QueryResult:
    """Column names (variables without ``?``) and rows of normalised values.

    ``ASK`` gives one column ``ask`` with ``"true"`` or ``"false"``; ``CONSTRUCT`` and
    ``DESCRIBE`` give the columns ``subject``, ``predicate``, ``object``, rows sorted.
    """

    columns: list[str]
    rows: list[Row]


# ------------------------------------------------------------------ loading (cached)
_CACHE: dict[tuple[str, Path], tuple[tuple[int, int], Any]] = {}


def _cached(engine: str, path: Path) -> Any:
    """The parsed file for ``engine`` (a pyoxigraph Store or an rdflib Graph), loaded once per version."""
    try:
        path = path.resolve(strict=True)
        stat = path.stat()
    except OSError as exc:
        raise QueryError(f"{path}: no such graph file") from exc
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _CACHE.get((engine, path))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    loaded = _load_store(path) if engine == "oxigraph" else parse_file(path)
    _CACHE[(engine, path)] = (stamp, loaded)
    return loaded


def _load_store(path: Path) -> pyoxigraph.Store:
    fmt = _OXIGRAPH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(_OXIGRAPH_FORMATS)
        raise GraphFileError(f"{path}: unknown graph file type {path.suffix!r}; expected one of {known}")
    store = pyoxigraph.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, OSError, ValueError) as exc:
        raise GraphFileError(f"{path}: cannot parse: {exc}") from exc
    return store


def _store_of(graph: Graph) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


# ------------------------------------------------------------------ engines
def _ox_value(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + term.value
    if isinstance(term, (pyoxigraph.NamedNode, pyoxigraph.Literal)):
        return term.value
    return str(term)  # an RDF-star triple term


def _rdflib_value(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, BNode):
        return "_:" + str(term)
    return str(term)


def _triples(rows: list[Row]) -> QueryResult:
    return QueryResult(["subject", "predicate", "object"], sorted(rows, key=lambda r: tuple(x or "" for x in r)))


def _run_oxigraph(store: pyoxigraph.Store, sparql: str, known: dict[str, str]) -> QueryResult:
    result = store.query(sparql, prefixes=known)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return QueryResult(["ask"], [("true" if bool(result) else "false",)])
    if isinstance(result, pyoxigraph.QueryTriples):
        return _triples([(_ox_value(t.subject), _ox_value(t.predicate), _ox_value(t.object)) for t in result])
    variables = result.variables
    simple = (pyoxigraph.NamedNode, pyoxigraph.Literal)
    rows = []
    for solution in result:  # by position, with a fast path for IRIs and literals: large results convert 2x faster
        row = []
        for i in range(len(variables)):
            term = solution[i]
            row.append(term.value if type(term) in simple else _ox_value(term))
        rows.append(tuple(row))
    return QueryResult([v.value for v in variables], rows)


def _run_rdflib(graph: Graph, sparql: str, known: dict[str, str]) -> QueryResult:
    result = graph.query(sparql, initNs=known)
    if result.type == "ASK":
        return QueryResult(["ask"], [("true" if result.askAnswer else "false",)])
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return _triples([tuple(_rdflib_value(x) for x in t) for t in result.graph])  # type: ignore[union-attr]
    variables = list(result.vars or [])
    # result.bindings, not iteration: iterating drops the rows in which no variable is bound
    rows = [tuple(_rdflib_value(b.get(v)) for v in variables) for b in result.bindings]
    return QueryResult([str(v) for v in variables], rows)


def run_query(source: str | Path | Graph, sparql: str, engine: str = "oxigraph",
              ontology_dir: str | Path | None = None) -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE) on a graph file or an rdflib graph.

    ``source`` is a ``.ttl`` / ``.jsonld`` file (parsed once per version and cached) or an
    rdflib :class:`~rdflib.Graph`; ``ontology_dir`` the ontology folder the graph was built with
    (its prefixes are predeclared too; None: kg's own).  Raises :class:`QueryError` for an unknown
    engine, a missing file or a malformed query (with the parser's message), and
    :class:`GraphFileError` for a file that cannot be parsed.
    """
    known = DEFAULT_PREFIXES if ontology_dir is None else prefixes(DEFAULT_BASE, ontology_mod.load(ontology_dir))
    if engine not in ENGINES:
        raise QueryError(f"unknown SPARQL engine {engine!r}; known: {', '.join(ENGINES)}")
    if isinstance(source, Graph):
        data: Any = _store_of(source) if engine == "oxigraph" else source
    else:
        data = _cached(engine, Path(source))
    try:
        return _run_oxigraph(data, sparql, known) if engine == "oxigraph" else _run_rdflib(data, sparql, known)
    except SyntaxError as exc:  # pyoxigraph's parse errors
        raise QueryError(f"malformed SPARQL query: {exc}") from exc
    except Exception as exc:  # rdflib raises pyparsing and assorted errors for bad queries
        if exc.__class__.__module__.startswith("pyparsing"):
            raise QueryError(f"malformed SPARQL query: {exc}") from exc
        raise QueryError(f"SPARQL query failed ({engine}): {exc}") from exc


# ------------------------------------------------------------------ formatting
def _escape(value: str) -> str:
    """Control, line-separator and bidi characters made visible (``\\n``, ``\\u200f``) for a terminal table."""
    out = []
    for ch in value:
        if ch in "\n\t\r":
            out.append(ch.encode("unicode_escape").decode("ascii"))
        elif unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _width(value: str) -> int:
    """Terminal columns taken by ``value``: wide characters count 2, combining and format marks 0."""
    return sum(
        0 if unicodedata.combining(ch) or unicodedata.category(ch) == "Cf"
        else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        for ch in value
    )


def _table(result: QueryResult) -> str:
    cells = [list(result.columns)] + [[_escape(v) if v is not None else "" for v in row] for row in result.rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(result.columns))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])]) + "\n"


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """``result`` as an aligned text table, CSV (header first) or JSON (``{"columns", "rows"}``).

    Unbound values are empty in the table and CSV, ``null`` in JSON.  Only the table
    escapes control and bidi characters; CSV and JSON carry values exactly.
    """
    if fmt == "table":
        return _table(result)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return buf.getvalue()
    if fmt == "json":
        rows = [dict(zip(result.columns, row)) for row in result.rows]
        return json.dumps({"columns": result.columns, "rows": rows}, ensure_ascii=False, indent=2) + "\n"
    raise QueryError(f"unknown result format {fmt!r}; known: {', '.join(FORMATS)}")
