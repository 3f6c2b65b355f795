"""A content-hash cache of per-document extraction results.

An entry is keyed by the document's id, path and raw bytes (its ``content_hash``), the
pipeline version, the ontology version (a hash of every file under ``ontology/``), the
spaCy model and spaCy's version, and the ingest options.  Editing one note, or one
gazetteer line, recomputes exactly what it must.

Entries are written to a temporary file and renamed into place, and carry a checksum
of their payload: an entry torn by a kill mid-write is detected, dropped and recomputed,
never trusted.  Entries a build did not use are pruned at the end of a complete build,
so deleted notes do not accumulate.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import spacy

from .model import Document

FORMAT = 1


class ExtractionCache:
    def __init__(self, directory: Path, salt: str):
        self.directory = Path(directory)
        self.salt = salt
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def salt_for(pipeline_version: str, ontology_version: str, model: str, options: dict[str, Any]) -> str:
        parts = [str(FORMAT), pipeline_version, ontology_version, model, spacy.__version__,
                 json.dumps(options, sort_keys=True, default=str)]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def key(self, doc: Document) -> str:
        h = hashlib.sha256()
        for part in (self.salt, doc.id, doc.path, doc.content_hash):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x1f")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, doc: Document) -> dict[str, Any] | None:
        """The cached result of ``doc``, or None (missing, torn or from another version)."""
        key = self.key(doc)
        self.used.add(key)
        path = self._path(key)
        try:
            raw = path.read_bytes()
            entry = json.loads(raw)
            payload = entry["payload"]
            ok = entry.get("key") == key and entry.get("sha256") == _digest(payload)
        except (OSError, ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            if path.exists():
                path.unlink(missing_ok=True)  # torn or foreign: recompute
            self.misses += 1
            return None
        self.hits += 1
        return payload

    def put(self, doc: Document, payload: dict[str, Any]) -> None:
        key = self.key(doc)
        self.used.add(key)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"key": key, "sha256": _digest(payload), "payload": payload})
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
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
            if not sub.is_dir():
                continue
            for f in sub.iterdir():
                if f.name.startswith(".tmp-") or f.stem not in self.used:
                    f.unlink(missing_ok=True)
                    removed += 1
        return removed


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()
