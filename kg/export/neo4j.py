"""Neo4j export: ``neo4j/nodes.csv`` + ``neo4j/relationships.csv`` and ``neo4j/import.cypher``.

Two ways into Neo4j, same nodes, labels, relationship types and property names:

* the CSV files for ``neo4j-admin database import full`` (an empty database, fastest);
* ``import.cypher`` for ``cypher-shell -f`` (any database, idempotent: run it twice and
  nothing changes).

Model
    Node ``id`` is the graph's node id (entity key, or ``doc:<document id>``).  An entity gets
    its class and every superclass as labels, ``Entity`` included (``Moon``, ``CelestialBody``,
    ``Entity``), so ``MATCH (b:CelestialBody)`` works as in the ontology; a document gets
    ``Document``.  Properties: ``name``, ``kind``, ``class``, ``aliases`` (list), ``wikidata``,
    ``gazetteer_id``, and a list per literal relation of the ontology, named in snake case and
    plural (``launch_dates``; a list of integers or floats when the relation's range is a number,
    of booleans for a boolean, of strings otherwise); documents ``doc_id``, ``title``, ``path``,
    ``url``, ``date``, ``subject``, ``keywords`` (sorted list), ``video_id``, ``channel``,
    ``doc_kind``, ``external``.  A property with no value (``None``, empty list) is left out.

    Relationship types are the relation names in upper snake case (``operatedBy`` ->
    ``OPERATED_BY``, ``mentions`` -> ``MENTIONS``, ``related`` -> ``RELATED``).  A fact has
    ``relation``, ``evidence`` (the sentences), ``documents`` and ``rules`` (one entry per
    sentence, same order), ``timestamp_urls`` (the video links among them), ``confidence`` and
    ``reference``; a mention has ``count`` and ``surfaces``.

    Labels and types come only from the ontology (checked against ``kg.ttl``; anything else
    raises :class:`~kg.errors.ExportError`), never from text, and are backtick-quoted anyway.

Text in the CSV files
    :func:`kg.export._text.clean_text` (characters XML forbids removed, line breaks as LF),
    RFC 4180 quoting (Python's ``csv``, minimal quoting: an absent value is an empty field,
    which neo4j-admin skips).  Arrays use neo4j-admin's default delimiter ``;``; a ``;`` inside
    an array element is written as U+FF1B FULLWIDTH SEMICOLON (:func:`array_field`), since
    neo4j-admin has no escape for it.  Scalar fields keep their ``;``.  Values may span lines:
    run neo4j-admin with ``--multiline-fields=true``.

Text in import.cypher
    Every string literal is made by :func:`cypher_string`, the one escaping function.  The
    script uses no parameters (``cypher-shell -f`` has none): each batch is a literal list in
    ``UNWIND [...] AS r``.  Statements end with ``;`` at the end of a line and no literal
    contains a raw line break, so splitting on ``;\\n`` is safe.  The uniqueness constraints,
    which FalkorDB and Memgraph reject, sit between ``// BEGIN NEO4J-ONLY`` and
    ``// END NEO4J-ONLY``.
"""
from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import networkx as nx

from rdflib import XSD

from .. import ontology
from ..errors import ExportError
from ..ontology import STRUCTURAL_RELATIONS, Ontology
from ..rdf import graph_ontology
from . import register, write_files
from ._names import list_name
from ._text import clean_text

FOLDER = "neo4j"
NODES, RELATIONSHIPS, SCRIPT = "nodes.csv", "relationships.csv", "import.cypher"
OUTPUTS = (f"{FOLDER}/{NODES}", f"{FOLDER}/{RELATIONSHIPS}", f"{FOLDER}/{SCRIPT}")

ARRAY_DELIMITER = ";"
#: What a ``;`` inside an array element becomes in the CSV files (U+FF1B FULLWIDTH SEMICOLON).
ARRAY_DELIMITER_STAND_IN = "\uff1b"
#: Rows per ``UNWIND`` statement in import.cypher.
BATCH = 500
NEO4J_ONLY_BEGIN = "// BEGIN NEO4J-ONLY"
NEO4J_ONLY_END = "// END NEO4J-ONLY"

ENTITY, DOCUMENT = "Entity", "Document"

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")

#: nodes.csv columns: (property, neo4j-admin type or None for string); ``:LABEL`` is added after ``class``,
#: and a column per literal relation of the ontology after ``gazetteer_id`` (see :func:`node_columns`).
ENTITY_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("id", "ID"), ("name", None), ("aliases", "string[]"), ("wikidata", None), ("class", None),
    ("kind", None), ("gazetteer_id", None),
)
DOCUMENT_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("doc_id", None), ("title", None), ("path", None), ("url", None), ("date", None), ("subject", None),
    ("keywords", "string[]"), ("video_id", None), ("channel", None), ("doc_kind", None), ("external", "boolean"),
)
#: neo4j-admin's array type for the values of a literal relation, by the relation's range.
_ARRAY_TYPES = {str(XSD.integer): "long[]", str(XSD.decimal): "double[]", str(XSD.double): "double[]",
                str(XSD.float): "double[]", str(XSD.boolean): "boolean[]"}


def node_columns(onto: Ontology) -> tuple[tuple[str, str | None], ...]:
    """The columns of nodes.csv for a graph of ``onto``."""
    literal = tuple((list_name(r.name), _ARRAY_TYPES.get(r.datatype or "", "string[]"))
                    for r in onto.relations.values() if r.literal)
    return ENTITY_COLUMNS + literal + DOCUMENT_COLUMNS


def _typed(values: list[str], datatype: str | None, where: str) -> list[Any]:
    """A literal relation's values as Neo4j values of its array type."""
    kind = _ARRAY_TYPES.get(datatype or "")
    try:
        if kind == "long[]":
            return [int(v) for v in values]
        if kind == "double[]":
            return [float(v) for v in values]
    except ValueError as exc:
        raise ExportError(f"{where}: {exc}") from exc
    if kind == "boolean[]":
        return [v in ("true", "1") for v in values]
    return values
#: relationships.csv columns after ``:START_ID,:END_ID,:TYPE``.
RELATIONSHIP_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("relation", None), ("evidence", "string[]"), ("documents", "string[]"), ("rules", "string[]"),
    ("timestamp_urls", "string[]"), ("confidence", "float"), ("reference", "boolean"),
    ("count", "int"), ("surfaces", "string[]"),
)


# ------------------------------------------------------------------------------------------ escaping
def cypher_string(value: str) -> str:
    """``value`` as a single-quoted Cypher string literal that reads back as exactly ``value``.

    Backslash, single quote, line feed, carriage return and tab become ``\\\\``, ``\\'``,
    ``\\n``, ``\\r`` and ``\\t``, the escapes both Neo4j and FalkorDB read.  Every other
    character is written as itself: Cypher allows any character inside quotes, and FalkorDB
    does not decode ``\\uXXXX``.  Two characters cannot be carried and are dropped: NUL (it
    ends a C string in FalkorDB) and lone surrogates (not encodable as UTF-8).  So a name can
    never end the literal early, and the literal never spans lines.
    """
    if _SURROGATE.search(value):
        value = _SURROGATE.sub("", value)
    return "'" + value.translate(_CYPHER_ESCAPES) + "'"


_CYPHER_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": None})
_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.lru_cache(maxsize=None)
def cypher_name(name: str) -> str:
    """A label, relationship type or property key, backtick-quoted after checking it is a plain name."""
    if not _NAME.match(name):
        raise ExportError(f"{name!r} cannot be a Neo4j label, type or key")
    return f"`{name}`"


def cypher_value(value: Any) -> str:
    """A Cypher literal for a property value: string, number, boolean, list, or map of those."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExportError(f"{value!r} cannot be stored in Neo4j")
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{cypher_name(k)}: {cypher_value(v)}" for k, v in value.items()) + "}"
    raise ExportError(f"cannot write a {type(value).__name__} as a Cypher value")


def relationship_type(relation: str, onto: Ontology | None = None) -> str:
    """``operatedBy`` -> ``OPERATED_BY``; only relations of ``onto`` (default: kg's own) and
    ``mentions``/``related``."""
    onto = onto or ontology.load()
    rels = onto.relations
    known = relation in STRUCTURAL_RELATIONS or (relation in rels and not rels[relation].literal)
    if not known:
        raise ExportError(f"relation {relation!r} is not a relation of {onto.describe()}; no relationship type "
                          f"for it (was the graph built with another --ontology?)")
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", relation).upper()


def array_field(values: Iterable[Any]) -> str:
    """A neo4j-admin array cell: elements cleaned, ``;`` inside one written as U+FF1B, joined by ``;``."""
    return ARRAY_DELIMITER.join(clean_text(v).replace(ARRAY_DELIMITER, ARRAY_DELIMITER_STAND_IN) for v in values)


# ------------------------------------------------------------------------------------------ rows
@dataclass(frozen=True)
class NodeRow:
    id: str
    labels: tuple[str, ...]  # most specific first, Entity/Document last
    props: dict[str, Any]


@dataclass(frozen=True)
class RelationshipRow:
    src: str
    dst: str
    type: str
    src_label: str  # Entity or Document: where to MATCH the ends
    dst_label: str
    props: dict[str, Any]


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and v != [] and v != ""}


def _labels(node: str, cls: str, onto: Ontology) -> tuple[str, ...]:
    chain = onto.superclasses.get(cls)
    if chain is None or chain[-1] != ENTITY:
        raise ExportError(f"node {node!r}: class {cls!r} is not an entity class of {onto.describe()} "
                          f"(was the graph built with another --ontology?)")
    return chain


def node_rows(G: nx.MultiDiGraph) -> list[NodeRow]:
    """One row per node, sorted by id, with its labels and the properties that have a value."""
    onto = graph_ontology(G)
    rows = []
    for node in sorted(G.nodes, key=str):
        a = G.nodes[node]
        nid = str(node)
        if a.get("kind") == "entity":
            cls = a.get("cls") or ""
            qid = a.get("qid")
            props = {
                "id": nid, "name": str(a.get("label") or nid), "kind": "entity", "class": cls,
                "aliases": [str(x) for x in a.get("aliases") or []],
                "wikidata": qid if isinstance(qid, str) and _QID.match(qid) else None,
                "gazetteer_id": a.get("gazetteer_id"),
            }
            for rel, values in sorted((a.get("literals") or {}).items()):
                r = onto.relations.get(rel)
                props[list_name(rel)] = _typed([str(v.get("value")) for v in values], r.datatype if r else None,
                                               f"node {nid!r}: {rel}")
            rows.append(NodeRow(nid, _labels(nid, cls, onto), _present(props)))
        elif a.get("kind") == "document":
            props = {
                "id": nid, "name": str(a.get("title") or a.get("doc_id") or nid), "kind": "document",
                "class": DOCUMENT, "doc_id": a.get("doc_id"), "title": a.get("title"), "path": a.get("path"),
                "url": a.get("url"), "date": a.get("date"), "subject": a.get("subject"),
                "keywords": sorted(str(x) for x in a.get("keywords") or []), "video_id": a.get("video_id"),
                "channel": a.get("channel"), "doc_kind": a.get("doc_kind"), "external": bool(a.get("external")),
            }
            rows.append(NodeRow(nid, (DOCUMENT,), _present(props)))
        else:
            raise ExportError(f"node {nid!r}: unknown kind {a.get('kind')!r} (expected 'entity' or 'document')")
    return rows


def relationship_rows(G: nx.MultiDiGraph) -> list[RelationshipRow]:
    """One row per edge, sorted by (type, start, end)."""
    onto = graph_ontology(G)
    base = {str(n): (DOCUMENT if a.get("kind") == "document" else ENTITY) for n, a in G.nodes(data=True)}
    rows = []
    for u, v, _key, a in G.edges(keys=True, data=True):
        relation = str(a.get("relation") or "")
        props: dict[str, Any] = {"relation": relation}
        if a.get("kind") == "fact":
            evidence = a.get("evidence") or []
            confidence = a.get("confidence")
            props.update(
                evidence=[str(e.get("sentence") or "") for e in evidence],
                documents=[str(e.get("doc_id") or "") for e in evidence],
                rules=[str(e.get("rule") or "") for e in evidence],
                timestamp_urls=[str(e["timestamp_url"]) for e in evidence if e.get("timestamp_url")],
                confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
                reference=bool(a.get("reference")),
            )
        elif a.get("kind") == "mention":
            props.update(count=int(a.get("count") or 0), surfaces=[str(s) for s in a.get("surfaces") or []])
        elif a.get("kind") != "related":
            raise ExportError(f"edge {u!r} -> {v!r} ({relation!r}): unknown kind {a.get('kind')!r}")
        rows.append(RelationshipRow(str(u), str(v), relationship_type(relation, onto), base[str(u)], base[str(v)],
                                    _present(props)))
    rows.sort(key=lambda r: (r.type, r.src, r.dst))
    return rows


# ------------------------------------------------------------------------------------------ CSV
def _cell(value: Any, kind: str | None) -> str:
    if value is None:
        return ""
    if kind == "boolean[]":
        return array_field("true" if v else "false" for v in value)
    if kind is not None and kind.endswith("[]"):
        return array_field(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("int", "float"):
        return repr(value)
    return clean_text(value)


def _header(columns: tuple[tuple[str, str | None], ...]) -> list[str]:
    return [name if kind is None else f"{name}:{kind}" for name, kind in columns]


def _csv(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text, a thousand rows at a time (a large graph's file is never held whole)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    for i, row in enumerate(rows, 1):
        writer.writerow(row)
        if i % 1000 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def iter_nodes_csv(rows: list[NodeRow], onto: Ontology) -> Iterator[str]:
    columns = node_columns(onto)
    header = _header(columns)
    header.insert(header.index("class") + 1, ":LABEL")

    def lines() -> Iterator[list[str]]:
        yield header
        for row in rows:
            cells = [_cell(row.props.get(name) if name != "id" else row.id, kind) for name, kind in columns]
            cells.insert(header.index(":LABEL"), array_field(row.labels))
            yield cells
    return _csv(lines())


def iter_relationships_csv(rows: list[RelationshipRow]) -> Iterator[str]:
    header = [":START_ID", ":END_ID", ":TYPE", *_header(RELATIONSHIP_COLUMNS)]
    return _csv(chain([header], ([clean_text(row.src), clean_text(row.dst), row.type,
                                  *(_cell(row.props.get(name), kind) for name, kind in RELATIONSHIP_COLUMNS)]
                                 for row in rows)))


# ------------------------------------------------------------------------------------------ Cypher
_SCRIPT_HEAD = """\
// kg graph for Neo4j 5: cypher-shell -a neo4j://localhost:7687 -u neo4j -p <password> -f import.cypher
// Idempotent: nodes are MERGEd on id, relationships on (start, type, end); running it twice changes nothing.
// No parameters: each batch is a literal list (UNWIND [...] AS r); every string literal escapes
// \\ ' and line breaks, so no value can end its literal early. Labels and types come from the ontology.
// Statements end with ';' at the end of a line. Graph databases other than Neo4j (FalkorDB, Memgraph)
// reject the constraints below: leave out the lines from BEGIN NEO4J-ONLY to END NEO4J-ONLY.
"""


def _batches(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), BATCH):
        yield items[i:i + BATCH]


def iter_cypher(nodes: list[NodeRow], relationships: list[RelationshipRow]) -> Iterator[str]:
    """The import script (see the module docstring), a statement at a time."""
    statements = [
        f"CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:{cypher_name(ENTITY)}) REQUIRE n.id IS UNIQUE",
        f"CREATE CONSTRAINT kg_document_id IF NOT EXISTS FOR (n:{cypher_name(DOCUMENT)}) REQUIRE n.id IS UNIQUE",
    ]
    yield from [_SCRIPT_HEAD, NEO4J_ONLY_BEGIN + "\n", *(s + ";\n" for s in statements), NEO4J_ONLY_END + "\n"]

    groups: dict[tuple[str, ...], list[NodeRow]] = defaultdict(list)
    for row in nodes:
        groups[row.labels].append(row)
    for labels in sorted(groups, key=lambda ls: (ls[-1], ls)):
        base, extra = labels[-1], labels[:-1]
        add_labels = (", n:" + ":".join(cypher_name(x) for x in extra)) if extra else ""
        for batch in _batches(groups[labels]):
            rows = ",\n".join(cypher_value({"id": r.id, "props": r.props}) for r in batch)
            yield (f"UNWIND [\n{rows}\n] AS r\nMERGE (n:{cypher_name(base)} {{id: r.id}})\n"
                   f"SET n += r.props{add_labels};\n")

    rgroups: dict[tuple[str, str, str], list[RelationshipRow]] = defaultdict(list)
    for rel in relationships:
        rgroups[(rel.type, rel.src_label, rel.dst_label)].append(rel)
    for rtype, src_label, dst_label in sorted(rgroups):
        for batch in _batches(rgroups[(rtype, src_label, dst_label)]):
            rows = ",\n".join(cypher_value({"src": r.src, "dst": r.dst, "props": r.props}) for r in batch)
            yield (f"UNWIND [\n{rows}\n] AS r\nMATCH (a:{cypher_name(src_label)} {{id: r.src}})\n"
                   f"MATCH (b:{cypher_name(dst_label)} {{id: r.dst}})\n"
                   f"MERGE (a)-[e:{cypher_name(rtype)}]->(b)\nSET e += r.props;\n")


# ------------------------------------------------------------------------------------------ export
def iter_neo4j(G: nx.MultiDiGraph) -> dict[str, Iterator[str]]:
    """The three files, keyed by their path under the output folder, each as text in pieces."""
    nodes = node_rows(G)
    relationships = relationship_rows(G)
    return {
        f"{FOLDER}/{NODES}": iter_nodes_csv(nodes, graph_ontology(G)),
        f"{FOLDER}/{RELATIONSHIPS}": iter_relationships_csv(relationships),
        f"{FOLDER}/{SCRIPT}": iter_cypher(nodes, relationships),
    }


def generate_neo4j(G: nx.MultiDiGraph) -> dict[str, str]:
    """The three files, keyed by their path under the output folder."""
    return {name: "".join(text) for name, text in iter_neo4j(G).items()}


def write_neo4j(G: nx.MultiDiGraph, out_dir: Path) -> list[Path]:
    """Write ``neo4j/nodes.csv``, ``neo4j/relationships.csv`` and ``neo4j/import.cypher`` into ``out_dir``."""
    return write_files(out_dir, iter_neo4j(G))


register("neo4j", write_neo4j, OUTPUTS,
         "Neo4j: CSV for neo4j-admin import, and an idempotent Cypher script for cypher-shell")
