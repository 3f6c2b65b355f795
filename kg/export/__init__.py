"""Exporters, looked up by name in one registry (as rdflib's ``plugin.register`` does).

Each format is one module with a pure ``generate_*(G) -> str | dict[str, str]``
and a thin ``write_*(G, out_dir) -> list[Path]``; the module registers itself
with :func:`register`.  ``kg build`` runs every registered exporter unless
``--formats`` names a subset.
"""
from __future__ import annotations

import importlib
import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from ..errors import ExportError

Writer = Callable[[nx.MultiDiGraph, Path], list[Path]]


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Writer
    outputs: tuple[str, ...]  # file names relative to the output folder
    description: str
    #: Exporters of one group share work (the RDF conversion): a parallel build runs them together.
    group: str = ""
    #: For RDF formats: a class turning the pieces of :func:`kg.rdf.rdf_chunks` into text
    #: (``header``, ``chunk``, ``footer``), so several formats share one pass over the pieces.
    chunks: type | None = None


_REGISTRY: dict[str, Exporter] = {}

#: Modules that register exporters when imported.
_MODULES = ("turtle", "jsonld", "ontology", "html", "neo4j", "gexf", "graphml")


def write_files(out_dir: Path, files: dict[str, str | Iterable[str]]) -> list[Path]:
    """Write generated text files (names relative to ``out_dir``) as UTF-8 with LF line ends.

    The one place exporters touch the disk: every ``write_*`` is ``generate_*`` plus this.
    A file's text may come in pieces (an iterator), written as they come.
    """
    written = []
    for name, text in files.items():
        path = Path(out_dir) / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                if isinstance(text, str):
                    fh.write(text)
                else:
                    fh.writelines(text)
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc}") from exc
        written.append(path)
    return written


def register(name: str, write: Writer, outputs: tuple[str, ...], description: str, group: str = "",
             chunks: type | None = None) -> None:
    _REGISTRY[name] = Exporter(name, write, outputs, description, group, chunks)


def iter_chunked(formatter: Any, chunks: Iterable[tuple[Any, list]]) -> Iterator[str]:
    """One format's text from RDF pieces: the formatter's header, a piece per chunk, its footer."""
    started = False
    for graph, subjects in chunks:
        if not started:
            yield formatter.header(graph)
            started = True
        yield formatter.chunk(graph, subjects)
    if started:
        yield formatter.footer()


def write_chunked(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter]) -> list[Path]:
    """Write several RDF formats in one pass over :func:`kg.rdf.rdf_chunks`: each piece of the
    graph is converted once and handed to every format, and no format holds the whole graph."""
    from ..rdf import rdf_chunks

    paths = [Path(out_dir) / exp.outputs[0] for exp in chosen]
    formatters = [exp.chunks(G) for exp in chosen]
    try:
        with contextlib.ExitStack() as stack:
            files = [stack.enter_context(p.open("w", encoding="utf-8", newline="\n")) for p in paths]
            started = False
            for graph, subjects in rdf_chunks(G):
                for fh, fmt in zip(files, formatters):
                    if not started:
                        fh.write(fmt.header(graph))
                    fh.write(fmt.chunk(graph, subjects))
                started = True
            for fh, fmt in zip(files, formatters):
                fh.write(fmt.footer())
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot write {', '.join(p.name for p in paths)}: {exc}") from exc
    return paths


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
