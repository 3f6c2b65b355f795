"""The text of each unit of the last build's exports, reused where the unit did not change.

A rebuild after editing one note changes a few entities and documents; the rest of the
graph, and so most of each export, is what the last build wrote.  An :class:`ExportMemo`
keeps, per format, the text of every unit (see :func:`kg.rdf.rdf_units`) under a
fingerprint of the unit's data (:func:`kg.rdf.unit_data`): an exporter asks for a
unit's text by fingerprint and makes it only when it is missing.  Output is byte-identical
to a build without the memo (tested).

One file per format in the memo folder: the texts one after the other, then a JSON index
(the salt, and each fingerprint's offset and length), then the index's offset as 8 bytes.
The salt covers kg's export code, the libraries that write the text, the Python version
and the graph's base and name, so a changed exporter never reuses old text.  A build
writes a complete new file beside the old one, and :meth:`ExportMemo.commit` renames it
into place only once the build's output is in place; a failed or killed build leaves the
previous memo as it was.
"""
from __future__ import annotations

import hashlib
import os
import struct
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from ..rdf import canonical_json

_TRAILER = struct.Struct("<Q")
#: The sources whose change changes the exported text.
_CODE = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "rdf")


def code_salt(graph_attrs: dict[str, Any]) -> str:
    """The salt of a memo: kg's export code, the libraries and Python that write the text, the graph's attributes."""
    h = hashlib.sha256()
    for place in _CODE:
        for path in sorted(place.rglob("*.py")) if place.is_dir() else [place]:
            h.update(path.name.encode())
            h.update(path.read_bytes())
    for lib in ("pyoxigraph", "orjson", "networkx", "lxml"):
        h.update(f"{lib}={version(lib)};".encode())
    h.update(sys.version.encode())
    h.update(canonical_json(graph_attrs))
    return h.hexdigest()


def fingerprint(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ExportMemo:
    """Unit texts by format and fingerprint, from the last build (:meth:`get`) and for the next one (:meth:`put`)."""

    def __init__(self, directory: Path, salt: str):
        self.directory = Path(directory)
        self.salt = salt
        self._old: dict[str, tuple[dict[str, list[int]], BinaryIO] | None] = {}
        self._new: dict[str, tuple[dict[str, list[int]], BinaryIO, str]] = {}
        self.hits = 0
        self.misses = 0

    # ---------------------------------------------------------------- reading the last build's
    def _path(self, fmt: str) -> Path:
        return self.directory / f"{fmt}.memo"

    def _open_old(self, fmt: str) -> tuple[dict[str, list[int]], BinaryIO] | None:
        if fmt not in self._old:
            self._old[fmt] = None
            try:
                fh = self._path(fmt).open("rb")
            except OSError:
                return None
            try:
                fh.seek(-_TRAILER.size, os.SEEK_END)
                end = fh.tell()
                (start,) = _TRAILER.unpack(fh.read(_TRAILER.size))
                fh.seek(start)
                index = orjson.loads(fh.read(end - start))
                if index.get("salt") == self.salt:
                    self._old[fmt] = (index["units"], fh)
                    return self._old[fmt]
            except (OSError, ValueError, struct.error, AttributeError, KeyError, TypeError):
                pass  # torn, foreign or from other code: start afresh
            fh.close()
        return self._old[fmt]

    def get(self, fmt: str, fp: str) -> str | None:
        """The text the last build wrote for the unit with fingerprint ``fp``, or None."""
        old = self._open_old(fmt)
        where = old[0].get(fp) if old else None
        if where is None:
            self.misses += 1
            return None
        fh = old[1]
        fh.seek(where[0])
        raw = fh.read(where[1])
        if len(raw) != where[1]:
            self.misses += 1
            return None
        self.hits += 1
        return raw.decode("utf-8", "surrogatepass")

    # ---------------------------------------------------------------- writing this build's
    def put(self, fmt: str, fp: str, text: str) -> None:
        """Remember the text of one unit of this build (written at once to the new memo file)."""
        new = self._new.get(fmt)
        if new is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{fmt}.", suffix=".new", dir=self.directory)
            new = self._new[fmt] = ({}, os.fdopen(fd, "wb"), tmp)
        index, fh, _ = new
        if fp not in index:
            raw = text.encode("utf-8", "surrogatepass")
            index[fp] = [fh.tell(), len(raw)]
            fh.write(raw)

    def commit(self) -> None:
        """Make this build's texts the memo of the next build (each format's file replaced whole)."""
        self._close_old()
        for fmt, (index, fh, tmp) in self._new.items():
            start = fh.tell()
            fh.write(orjson.dumps({"salt": self.salt, "units": index}))
            fh.write(_TRAILER.pack(start))
            fh.close()
            os.replace(tmp, self._path(fmt))
        self._new = {}
        for stale in self.directory.glob(".*.new"):  # left by a build that was killed
            stale.unlink(missing_ok=True)

    def discard(self) -> None:
        """Forget this build's texts (the build failed); the last build's memo stays."""
        self._close_old()
        for _, fh, tmp in self._new.values():
            fh.close()
            Path(tmp).unlink(missing_ok=True)
        self._new = {}

    def _close_old(self) -> None:
        for old in self._old.values():
            if old:
                old[1].close()
        self._old = {}
