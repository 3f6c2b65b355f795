"""Reading the files of an ontology folder: Turtle, YAML and JSON Lines with messages that name the
file and line, the gazetteer and its series, the folder's data files, the lexical forms of literal
values, and a copy of a folder to start from (``kg ontology init``)."""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph

from .errors import OntologyError


def _local(term: Any) -> str:
    """The local name of an IRI: what follows its last ``#`` (or ``/``)."""
    text = str(term)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name: str
    cls: str
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    ambiguous: bool = False  # the name is also an ordinary word or another thing's name
    lowercase_ok: bool = False  # may also match in lower case (e.g. "the moon")
    also: tuple[str, ...] = ()  # classes the name takes where the context says so (Janus the moon, the probes)
    facts: tuple[tuple[str, str], ...] = ()  # reference knowledge: (relation, gazetteer id or value), used on request
    where: str = field(default="", compare=False)  # "file:line" of the entry, for messages

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Series:
    """A family whose numbered members are named ``<prefix> <number>`` (Apollo 11, Titan IVB, Chang'e 6)."""

    prefix: str
    cls: str
    numbering: str  # arabic | roman | any
    parent: str | None = None  # gazetteer id of the programme, if any



_LEXICAL = {
    "integer": re.compile(r"^[+-]?[0-9]+$"),
    "decimal": re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"),
    "double": re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$|^(INF|-INF|NaN)$"),
    "boolean": re.compile(r"^(true|false|1|0)$"),
    "date": re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"),
    "gYearMonth": re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
    "gYear": re.compile(r"^[0-9]{4}$"),
    "dateTime": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$"),
}
_LEXICAL["float"] = _LEXICAL["double"]


def fits(datatype: str | None, value: str) -> bool:
    """Whether ``value`` is a lexical form of ``datatype`` (an XSD IRI; None or a string type: any text)."""
    pattern = _LEXICAL.get(_local(datatype)) if datatype else None
    return pattern is None or bool(pattern.match(value))


def data_files(directory: Path) -> list[Path]:
    """The files of an ontology folder, sorted; hidden files and Python's (``__init__.py``, caches) left out."""
    directory = Path(directory)
    return [p for p in sorted(directory.rglob("*")) if p.is_file() and p.suffix not in (".py", ".pyc")
            and not any(part.startswith((".", "__")) for part in p.relative_to(directory).parts)]


def parse_turtle(path: Path, what: str) -> Graph:
    """An rdflib graph of a Turtle file; a missing file or a syntax error names the file and line."""
    from rdflib.plugins.parsers.notation3 import BadSyntax

    try:
        return Graph(bind_namespaces="none").parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise OntologyError(f"{path}: {what} file missing") from exc
    except BadSyntax as exc:  # the line of the position it stopped at (its own count is off at the end)
        line = exc._str[: exc._i].count(b"\n") + 1 if isinstance(exc._str, bytes) else exc.lines + 1
        raise OntologyError(f"{path}:{line}: Turtle syntax error: {exc._why}") from exc
    except Exception as exc:  # rdflib raises several other parser errors
        raise OntologyError(f"{path}: cannot parse {what}: {exc}") from exc


def read_yaml(path: Path, what: str) -> dict[str, Any]:
    """A YAML mapping (safe loader); a syntax error names the file and line."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OntologyError(f"{path}: {what} missing") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        context = (f" ({exc.context} on line {exc.context_mark.line + 1})"
                   if exc.problem and exc.context and exc.context_mark is not None else "")
        raise OntologyError(f"{where}: YAML syntax error: {exc.problem or exc.context}{context}") from exc
    except (OSError, yaml.YAMLError) as exc:
        raise OntologyError(f"{path}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise OntologyError(f"{path}: expected a mapping of names to values, found a {type(data).__name__}")
    return data


def read_jsonl(path: Path):
    """``(line number, record)`` of a JSON Lines file (blank lines and ``//`` comments skipped)."""
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise OntologyError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc
            if not isinstance(rec, dict):
                raise OntologyError(f"{path}:{lineno}: expected a JSON object, found {type(rec).__name__}")
            yield lineno, rec


def read_gazetteer(folder: Path, classes: Collection[str], relations: Collection[str]) -> list[GazetteerEntry]:
    """The entries of every ``*.jsonl`` of a gazetteer folder but ``series.jsonl``; each class must be
    one of ``classes`` and each relation of its facts one of ``relations``."""
    entries: list[GazetteerEntry] = []
    seen: dict[str, Path] = {}
    for path in sorted(Path(folder).glob("*.jsonl")):
        if path.name == "series.jsonl":
            continue
        for lineno, rec in read_jsonl(path):
            try:
                entry = GazetteerEntry(
                    id=rec["id"],
                    name=rec["name"],
                    cls=rec["class"],
                    aliases=tuple(rec.get("aliases", ())),
                    qid=rec.get("qid"),
                    ambiguous=bool(rec.get("ambiguous", False)),
                    lowercase_ok=bool(rec.get("lowercase_ok", False)),
                    also=tuple(rec.get("also", ())),
                    facts=tuple((rel, str(target)) for rel, targets in sorted((rec.get("facts") or {}).items())
                                for target in targets),
                    where=f"{path}:{lineno}",
                )
            except KeyError as exc:
                raise OntologyError(f"{path}:{lineno}: missing field {exc}") from exc
            except (TypeError, AttributeError) as exc:
                raise OntologyError(f"{path}:{lineno}: malformed entry: {exc}") from exc
            bad_cls = next((c for c in (entry.cls, *entry.also) if c not in classes), None)
            if bad_cls is not None:
                raise OntologyError(f"{path}:{lineno}: {_undeclared(bad_cls)}")
            bad = [rel for rel, _ in entry.facts if rel not in relations]
            if bad:
                raise OntologyError(f"{path}:{lineno}: unknown relation {bad[0]!r} in facts")
            if entry.id in seen:
                raise OntologyError(f"{path}:{lineno}: duplicate id {entry.id!r} (first in {seen[entry.id]})")
            seen[entry.id] = path
            entries.append(entry)
    return entries


def read_series(path: Path, classes: Collection[str], ids: Collection[str]) -> list[Series]:
    """The series of ``series.jsonl`` (none without the file); a parent must be one of ``ids``."""
    if not path.exists():
        return []
    out = []
    for lineno, r in read_jsonl(path):
        try:
            s = Series(prefix=r["prefix"], cls=r["class"], numbering=r.get("numbering", "any"), parent=r.get("parent"))
        except KeyError as exc:
            raise OntologyError(f"{path}:{lineno}: missing field {exc}") from exc
        if s.cls not in classes:
            raise OntologyError(f"{path}:{lineno}: {_undeclared(s.cls)}")
        if s.parent is not None and s.parent not in ids:
            raise OntologyError(f"{path}:{lineno}: parent {s.parent!r} is not a gazetteer id")
        out.append(s)
    return out


def _undeclared(cls: str) -> str:
    return f"class {cls!r} is not declared in kg.ttl (a subclass of kg:Entity)"


def init_folder(source: Path, dest: Path) -> list[Path]:
    """Write a copy of the ontology folder ``source`` to ``dest`` (a new or empty folder), to edit."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise OntologyError(f"{dest}: exists and is not an empty folder; choose a new one")
    written = []
    for src in data_files(source):
        target = dest / src.relative_to(source)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
        except OSError as exc:
            raise OntologyError(f"{target}: cannot write: {exc}") from exc
        written.append(target)
    return written
