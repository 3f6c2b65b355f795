"""Gold files: annotations of documents, for ``kg eval`` and ``kg train``.

One JSON object per line (``../shared/corpus/SCHEMA.md``)::

    {"doc": "dev_A01", "group": "mars"?, "entities": [{"name", "type", "aliases"?, "qid"?}],
     "triples": [[s, relation, o]], "attributes": [[s, "launchDate", "YYYY-MM(-DD)"]]}

:func:`load_gold` checks the shape of every record; given the ontology, it also checks every
class and relation name, that triples and attributes name entities the record lists, and that
their classes fit the relation's domain and range.  Each problem is an :class:`EvalError` naming
the file, the line and what is wrong, raised before anything is read or written.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import EvalError
from .ontology_files import fits

if TYPE_CHECKING:
    from .ontology import Ontology

_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def load_gold(path: Path, ontology: Ontology | None = None) -> list[dict[str, Any]]:
    """The records of one gold file, checked (against ``ontology`` too, when given)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise EvalError(f"{path}: cannot read gold file: {reason}") from exc
    records = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalError(f"{where}: invalid JSON: {exc.msg}") from exc
        _check_shape(rec, where)
        if rec["doc"] in seen:
            raise EvalError(f"{where}: document {rec['doc']!r} is annotated twice (first on line {seen[rec['doc']]})")
        seen[rec["doc"]] = lineno
        if ontology is not None:
            _check_terms(rec, where, ontology)
        records.append(rec)
    return records


def load_gold_files(paths: list[Path], ontology: Ontology | None = None) -> list[dict[str, Any]]:
    """The records of several gold files; a document annotated in two of them is an error."""
    records: list[dict[str, Any]] = []
    first: dict[str, Path] = {}
    for path in paths:
        for rec in load_gold(path, ontology):
            if rec["doc"] in first:
                raise EvalError(f"{path}: document {rec['doc']!r} is already annotated in {first[rec['doc']]}")
            first[rec["doc"]] = Path(path)
            records.append(rec)
    return records


def _check_shape(rec: Any, where: str) -> None:
    if not isinstance(rec, dict) or "doc" not in rec or "entities" not in rec:
        raise EvalError(f"{where}: a gold record needs 'doc' and 'entities'")
    if not isinstance(rec["doc"], str) or not rec["doc"]:
        raise EvalError(f"{where}: 'doc' must be a document id (the file stem)")
    if not isinstance(rec["entities"], list):
        raise EvalError(f"{where}: 'entities' must be a list")
    for e in rec["entities"]:
        if not isinstance(e, dict) or "name" not in e or "type" not in e:
            raise EvalError(f"{where}: every entity needs 'name' and 'type'")
        if not isinstance(e.get("aliases", []), list):
            raise EvalError(f"{where}: the aliases of {e['name']!r} must be a list")
    for key in ("triples", "attributes"):
        items = rec.get(key, [])
        if not isinstance(items, list) or any(
                not isinstance(t, list) or len(t) != 3 or not all(isinstance(x, str) for x in t) for t in items):
            raise EvalError(f"{where}: {key!r} must be a list of [subject, relation, object] text triples")


def _check_terms(rec: dict[str, Any], where: str, onto: Ontology) -> None:
    classes = set(onto.entity_classes)
    cls_of: dict[str, str] = {}
    for e in rec["entities"]:
        if e["type"] not in classes:
            raise EvalError(f"{where}: entity {e['name']!r} has unknown class {e['type']!r} "
                            f"(the ontology's classes: {', '.join(sorted(classes))})")
        cls_of[e["name"]] = e["type"]
    for s, r, o in rec.get("triples", []):
        rel = onto.relations.get(r)
        if rel is None or rel.literal:
            known = ", ".join(n for n, x in onto.relations.items() if not x.literal)
            raise EvalError(f"{where}: triple [{s!r}, {r!r}, {o!r}]: unknown relation {r!r} (relations: {known})")
        for name in (s, o):
            if name not in cls_of:
                raise EvalError(f"{where}: triple [{s!r}, {r!r}, {o!r}] names {name!r}, which is not among "
                                f"the document's entities")
        if not onto.allows(r, cls_of[s], cls_of[o]):
            raise EvalError(f"{where}: triple [{s!r}, {r!r}, {o!r}]: {r} does not go from {cls_of[s]} to "
                            f"{cls_of[o]} in the ontology")
    for s, r, value in rec.get("attributes", []):
        rel = onto.relations.get(r)
        if rel is None or not rel.literal:
            known = ", ".join(n for n, x in onto.relations.items() if x.literal)
            raise EvalError(f"{where}: attribute [{s!r}, {r!r}, {value!r}]: unknown attribute {r!r} (attributes: {known})")
        if s not in cls_of:
            raise EvalError(f"{where}: attribute [{s!r}, {r!r}, {value!r}] names {s!r}, which is not among the "
                            f"document's entities")
        if not onto.allows(r, cls_of[s]):
            raise EvalError(f"{where}: attribute [{s!r}, {r!r}, {value!r}]: {cls_of[s]} has no {r}")
        if rel.datatype is not None and not fits(rel.datatype, value):
            raise EvalError(f"{where}: attribute [{s!r}, {r!r}, {value!r}]: not a value of {r}'s range "
                            f"{rel.datatype.rsplit('#', 1)[-1]}")
        if rel.datatype is None and "date" in r.lower() and not _DATE.match(value):
            raise EvalError(f"{where}: attribute [{s!r}, {r!r}, {value!r}]: a date is written YYYY-MM-DD or YYYY-MM")
