"""Exporters, looked up by name in one registry (as rdflib's ``plugin.register`` does).

Each format is one module with a pure ``generate_*(G) -> str | dict[str, str]``
and a thin ``write_*(G, out_dir) -> list[Path]``; the module registers itself
with :func:`register`.  ``kg build`` runs every registered exporter unless
``--formats`` names a subset.
"""
from __future__ import annotations

import importlib
import contextlib
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from ..errors import ExportError
from ..rdf import rdf_chunks, unit_count

Writer = Callable[[nx.MultiDiGraph, Path], list[Path]]


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Writer
    outputs: tuple[str, ...]  # file names relative to the output folder
    description: str
    #: For RDF formats: a class turning the pieces of :func:`kg.rdf.rdf_chunks` into text
    #: (``header``, ``chunk`` per piece, ``footer``), so several formats share one pass over them.
    chunks: type | None = None


_REGISTRY: dict[str, Exporter] = {}

#: Modules that register exporters when imported.
_MODULES = ("turtle", "jsonld", "ontology", "html", "neo4j", "gexf", "graphml")


#: A file's content for :func:`write_files`: its text, its text in pieces, or a function that
#: writes its UTF-8 bytes into a binary file (for writers that stream, like lxml's).
Content = str | Iterable[str] | Callable[[BinaryIO], None]


def write_files(out_dir: Path, files: dict[str, Content]) -> list[Path]:
    """Write generated text files (names relative to ``out_dir``) as UTF-8 with LF line ends.

    The one place exporters touch the disk: every ``write_*`` is ``generate_*`` plus this.
    A file's text may come in pieces (an iterator), written as they come, or be streamed by
    a function given the open binary file.
    """
    written = []
    for name, text in files.items():
        path = Path(out_dir) / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(text):
                with path.open("wb") as bfh:
                    text(bfh)
            else:
                with path.open("w", encoding="utf-8", newline="\n") as fh:
                    if isinstance(text, str):
                        fh.write(text)
                    else:
                        fh.writelines(text)
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc}") from exc
        written.append(path)
    return written


def register(name: str, write: Writer, outputs: tuple[str, ...], description: str,
             chunks: type | None = None) -> None:
    _REGISTRY[name] = Exporter(name, write, outputs, description, chunks)


def iter_chunked(formatter: Any, chunks: Iterable[list]) -> Iterator[str]:
    """One format's text from RDF pieces: the formatter's header, a piece per chunk, its footer."""
    yield formatter.header()
    for piece in chunks:
        yield formatter.chunk(piece)
    yield formatter.footer()


def _write_pieces(paths: list[Path], formatters: list[Any], chunks: Iterable, header: bool, footer: bool) -> None:
    """Hand each RDF piece to every formatter and append their text to their files."""
    try:
        with contextlib.ExitStack() as stack:
            files = [stack.enter_context(p.open("w", encoding="utf-8", newline="\n")) for p in paths]
            if header:
                for fh, fmt in zip(files, formatters):
                    fh.write(fmt.header())
            for piece in chunks:
                for fh, fmt in zip(files, formatters):
                    fh.write(fmt.chunk(piece))
            if footer:
                for fh, fmt in zip(files, formatters):
                    fh.write(fmt.footer())
    except OSError as exc:
        raise ExportError(f"cannot write {', '.join(str(p) for p in paths)}: {exc}") from exc


def write_chunked(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter]) -> list[Path]:
    """Write several RDF formats in one pass over :func:`kg.rdf.rdf_chunks`: each piece of the
    graph is converted once and handed to every format, and no format holds the whole graph."""
    paths = [Path(out_dir) / exp.outputs[0] for exp in chosen]
    _write_pieces(paths, [exp.chunks(G) for exp in chosen], rdf_chunks(G), True, True)
    return paths


def chunk_parts(G: nx.MultiDiGraph, parts: int) -> list[tuple[int, int]]:
    """``parts`` ranges of RDF units (:func:`kg.rdf.unit_count`) of about the same size."""
    n = unit_count(G)
    cuts = [round(i * n / parts) for i in range(parts + 1)]
    return [(lo, hi) for lo, hi in zip(cuts, cuts[1:]) if hi > lo]


def _part_path(out_dir: Path, exp: Exporter, index: int) -> Path:
    return Path(out_dir) / ".parts" / f"{exp.outputs[0]}.{index:05d}"


def write_chunked_part(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter], index: int,
                       lo: int, hi: int) -> None:
    """Write part ``index`` (units ``lo`` to ``hi``) of several RDF formats, for :func:`join_chunked`;
    parts can be written by different processes at once."""
    paths = [_part_path(out_dir, exp, index) for exp in chosen]
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    _write_pieces(paths, [exp.chunks(G, part=index) for exp in chosen], rdf_chunks(G, lo=lo, hi=hi), False, False)


def join_chunked(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter], parts: int) -> list[Path]:
    """Put the parts written by :func:`write_chunked_part` together, with each format's header and footer."""
    written = []
    for exp in chosen:
        fmt = exp.chunks(G, part=parts)  # as after the last part (it is the footer's place)
        path = Path(out_dir) / exp.outputs[0]
        try:
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(fmt.header())
                for index in range(parts):
                    part = _part_path(out_dir, exp, index)
                    with part.open(encoding="utf-8", newline="") as src:
                        shutil.copyfileobj(src, fh)
                    part.unlink()
                fh.write(fmt.footer())
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc}") from exc
        written.append(path)
    shutil.rmtree(Path(out_dir) / ".parts", ignore_errors=True)
    return written


def _load() -> None:
    for mod in _MODULES:
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as exc:  # a format module not written yet
            if exc.name != f"{__name__}.{mod}":
                raise


def exporters() -> dict[str, Exporter]:
    """All registered exporters by name, in a stable order."""
    _load()
    return dict(sorted(_REGISTRY.items()))


def get(name: str) -> Exporter:
    reg = exporters()
    if name not in reg:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(reg)}")
    return reg[name]
