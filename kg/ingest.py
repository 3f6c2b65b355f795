"""Input files to :class:`~kg.model.Document` records.

:func:`discover` finds the note files under the given paths, :func:`read_document`
turns one file into a Document (plain text with offsets into the decoded file
text), and :func:`iter_documents` does both, yielding :class:`InputError` for
files it cannot read instead of raising.

Two input formats are recognised: Obsidian notes (YouTube video notes with
timestamp anchors, or plain notes) whose text is the markdown body, and Q&A
articles whose body is empty and whose text lives in YAML frontmatter fields
(``answer:`` by default).  For the latter, offsets still point into the file:
the field's YAML node is located and its parsed value aligned with the raw
characters it was read from (:mod:`kg.ingest_fields`, with the frontmatter and the body's
metadata lines).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InputError
from .ingest_fields import (
    METADATA_KEYS,
    fields_plain,
    frontmatter_keywords,
    frontmatter_meta,
    has_fields,
    read_metadata_lines,
    related,
    split_frontmatter,
    unique,
)
from .model import NOTE, QA_ARTICLE, VIDEO_NOTE, Document
from .text import to_plain

__all__ = [
    "TEXT_SUFFIXES",
    "METADATA_KEYS",
    "DEFAULT_MAX_BYTES",
    "discover",
    "document_ids",
    "read_document",
    "iter_documents",
]

#: File suffixes that are read as notes (compared case-insensitively).
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
#: Default size limit of one input file, in bytes (the CLI option ``--max-file-size``).
DEFAULT_MAX_BYTES = 20_000_000

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_BLANK_BODY = re.compile(r"(?:\s|&nbsp;|&#160;)*")


# -------------------------------------------------------------------- discovery


def discover(paths: Iterable[Path | str], skip: Iterable[Path | str] = ()) -> tuple[list[Path], list[InputError]]:
    """Every note file under ``paths`` (files or folders, recursively), sorted, and the errors met.

    Hidden folders and files (``.git``, ``.obsidian``, ``.trash``) are skipped, and so are the
    folders in ``skip`` (the build's own output, when it lies among the notes); a file reached
    twice (through a symlink) is kept once, symlink loops are cut, and unreadable folders, missing
    paths and broken symlinks are reported as :class:`InputError`.
    """
    found: dict[str, Path] = {}
    errors: list[InputError] = []
    seen_dirs: set[str] = {os.path.realpath(s) for s in skip}  # walked as if already seen
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _walk(path, found, errors, seen_dirs)
        elif path.is_file():
            if _is_note(path):
                _add(found, path)
            else:
                errors.append(InputError(path, f"not a note file (expected one of {', '.join(TEXT_SUFFIXES)})"))
        else:
            errors.append(InputError(path, "no such file or directory"))
    return sorted(found.values()), errors


def _is_note(path: Path) -> bool:
    """True for the file suffixes read as notes."""
    return path.suffix.lower() in TEXT_SUFFIXES


def _add(found: dict[str, Path], path: Path) -> None:
    """Record a file under its real path; of several paths to one file the smallest is kept."""
    real = os.path.realpath(path)
    found[real] = min(found.get(real, path), path)


def _walk(root: Path, found: dict[str, Path], errors: list[InputError], seen_dirs: set[str]) -> None:
    """Collect the note files under ``root`` into ``found`` (keyed by real path)."""
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name, reverse=True)  # so folders pop in name order
        except OSError as exc:
            errors.append(InputError(folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if _entry_is(entry.is_dir):
                stack.append(path)
            elif _entry_is(entry.is_file):
                if _is_note(path):
                    _add(found, path)
            elif entry.is_symlink() and _is_note(path):
                errors.append(InputError(path, "broken symbolic link"))


def _entry_is(test: Callable[[], bool]) -> bool:
    """``entry.is_dir()`` / ``is_file()``, False when the entry cannot be followed (e.g. a symlink loop)."""
    try:
        return test()
    except OSError:
        return False


def document_ids(files: Iterable[Path]) -> dict[Path, str]:
    """Document id of each file: its stem, or, for files sharing a stem, their path relative to their common root.

    Relative ids have no suffix and use ``/``; they keep the suffix only when that is what tells them apart.
    """
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in files:
        by_stem[path.stem].append(path)
    ids: dict[Path, str] = {}
    for stem, group in by_stem.items():
        if len(group) == 1:
            ids[group[0]] = stem
            continue
        absolute = [p.absolute() for p in group]
        root = Path(os.path.commonpath([p.parent for p in absolute]))
        relative = [p.relative_to(root) for p in absolute]
        names = [r.with_suffix("").as_posix() for r in relative]
        if len(set(names)) < len(names):
            names = [r.as_posix() for r in relative]
        ids.update(zip(group, names))
    return ids


def iter_documents(paths: Iterable[Path | str], **opts: Any) -> Iterator[Document | InputError]:
    """Discover and read every note under ``paths``; problems are yielded as :class:`InputError`, never raised.

    ``opts`` are passed on to :func:`read_document` (``text_fields``, ``max_bytes``).
    """
    for item in iter_sources(paths):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield read_document(*item, **opts)
        except InputError as exc:
            yield exc


def iter_sources(paths: Iterable[Path | str], skip: Iterable[Path | str] = ()) -> Iterator[tuple[Path, str] | InputError]:
    """Every note file under ``paths`` (but not under the folders ``skip``) with its document id,
    before anything is read; problems finding files are yielded as :class:`InputError`."""
    files, errors = discover(paths, skip)
    yield from errors
    ids = document_ids(files)
    for path in files:
        yield path, ids[path]


# ---------------------------------------------------------------------- reading


def read_document(
    path: Path | str,
    doc_id: str,
    *,
    text_fields: tuple[str, ...] = ("answer",),
    max_bytes: int = DEFAULT_MAX_BYTES,
    raw: bytes | None = None,
) -> Document:
    """Read one note file into a :class:`Document`; raise :class:`InputError` saying why it cannot be read.

    The text is the markdown body, or, when the body is empty, the frontmatter fields ``text_fields``
    (in order, separated by a blank line).  Offsets are character offsets into the decoded file text.
    ``raw`` is the file's content when the caller has read it already (:func:`read_bytes`).
    """
    path = Path(path)
    if raw is None:
        raw = read_bytes(path, max_bytes)
    text, encoding = _decode(path, raw)
    if not text.strip():
        raise InputError(path, "empty file")
    fm = split_frontmatter(path, text)
    meta: dict[str, Any] = {}
    if _BLANK_BODY.fullmatch(text, fm.body_start) and has_fields(fm.data, text_fields):
        kind = QA_ARTICLE
        plain = fields_plain(fm, text_fields)
    else:
        content_start = read_metadata_lines(text, fm.body_start, meta)
        plain = to_plain(text[content_start:], base=content_start)
        kind = VIDEO_NOTE if plain.timestamps or "videoId" in fm.data else NOTE
    if not plain.text.strip():
        fields = " or ".join(repr(name) for name in text_fields)
        raise InputError(path, f"no text: nothing readable in the body, and no {fields} field in the frontmatter")
    body_keywords = meta.pop("keywords", [])
    meta = {**meta, **frontmatter_meta(fm.data), "encoding": encoding}
    keywords = unique(frontmatter_keywords(fm.data) + body_keywords)
    if keywords:
        meta["keywords"] = keywords
    return Document(
        id=doc_id,
        path=str(path),
        kind=kind,
        text=plain.text,
        offsets=plain.offsets,
        meta=meta,
        links=plain.links,
        timestamps=plain.timestamps,
        blocks=plain.blocks,
        related=related(fm.data),
        content_hash=content_hash(raw),
    )


def content_hash(raw: bytes) -> str:
    """The hash of a file's bytes that identifies its content (:attr:`Document.content_hash`)."""
    return hashlib.sha256(raw).hexdigest()


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes; too large or unreadable files raise :class:`InputError`."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            # a buffer of the file's size, not of the limit: a 20 MB buffer per note costs more
            # than reading it (fresh memory from the system each time); one that grew is read on
            raw = f.read(min(size, max_bytes) + 1)
            if len(raw) > size:
                raw += f.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if max(size, len(raw)) > max_bytes:
        raise InputError(path, f"file is {max(size, len(raw)):,} bytes, over the {max_bytes:,}-byte size limit; "
                               "raise it with --max-file-size")
    return raw


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Decode the file (BOM stripped): UTF-8 or UTF-16 by BOM, else UTF-8, else cp1252, else Latin-1."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom):].decode(encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise InputError(path, f"cannot decode as {encoding}, which its byte-order mark announces: "
                                       f"{exc.reason} at byte {exc.start + len(bom)}") from exc
            if "\x00" in text:
                raise InputError(path, "binary file (contains NUL characters)")
            return text, encoding
    if b"\x00" in raw:
        raise InputError(path, "binary file (contains NUL bytes)")
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"
