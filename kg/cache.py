"""A content-hash cache of per-document extraction results.

An entry is keyed by the document's id, path and raw bytes (its ``content_hash``), the
pipeline version, kg's own code (a hash of its Python sources, so an upgraded kg never reuses
what an older one extracted), the ontology version (a hash of every file under ``ontology/``), the
spaCy model and spaCy's version, and the ingest options.  Editing one note, or one
gazetteer line, recomputes exactly what it must.  The key needs only the file's bytes, so
an unchanged note is neither parsed nor given to spaCy.

An entry is one line of JSON naming its key and the checksum of its payload, then the
payload (JSON).  Entries are written to a temporary file and renamed into place: an entry
torn by a kill mid-write fails its checksum and is dropped and recomputed, never trusted.
Entries a build did not use are pruned at the end of a complete build, so deleted notes do
not accumulate.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson

FORMAT = 2


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of kg's Python sources: what extracts, in the version that runs."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class ExtractionCache:
    def __init__(self, directory: Path, salt: str):
        self.directory = Path(directory)
        self.salt = salt
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def salt_for(pipeline_version: str, ontology_version: str, model: str, options: dict[str, Any]) -> str:
        parts = [str(FORMAT), pipeline_version, code_version(), ontology_version, model, version("spacy"),
                 json.dumps(options, sort_keys=True, default=str)]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def key(self, doc_id: str, path: str, content_hash: str) -> str:
        h = hashlib.sha256()
        for part in (self.salt, doc_id, path, content_hash):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x1f")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The cached result under ``key`` (:meth:`key`), or None (missing, torn or from another version)."""
        self.used.add(key)
        path = self._path(key)
        try:
            header, _, payload = path.read_bytes().partition(b"\n")
            entry = _loads(header)
            ok = entry.get("key") == key and entry.get("sha256") == hashlib.sha256(payload).hexdigest()
            data = _loads(payload) if ok else None
        except (OSError, ValueError, AttributeError):
            ok = False
        if not ok:
            if path.exists():
                path.unlink(missing_ok=True)  # torn or foreign: recompute
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, payload: dict[str, Any]) -> None:
        self.used.add(key)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = _dumps(payload)
        header = _dumps({"key": key, "sha256": hashlib.sha256(body).hexdigest()})
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def prune(self) -> int:
        """Remove entries (and stray temporary files) this build did not use; returns how many."""
        removed = 0
        if not self.directory.is_dir():
            return 0
        for sub in self.directory.iterdir():
            if not sub.is_dir() or len(sub.name) != 2:  # entries live in folders named by two hex digits
                continue
            for f in sub.iterdir():
                if f.name.startswith(".tmp-") or f.stem not in self.used:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed


def _dumps(data: Any) -> bytes:
    """JSON bytes on one line; orjson, or the standard library for what orjson refuses (lone
    surrogates, which file names undecodable as UTF-8 give)."""
    try:
        return orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(data).encode("ascii")


def _loads(raw: bytes) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)
