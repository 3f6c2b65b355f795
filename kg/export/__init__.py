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
from ..rdf import UnitWriter, rdf_units, unit_blocks, unit_count, unit_data
from ._memo import ExportMemo, fingerprint

Writer = Callable[[nx.MultiDiGraph, Path], list[Path]]


@dataclass(frozen=True)
class Exporter:
    name: str
    write: Writer
    outputs: tuple[str, ...]  # file names relative to the output folder
    description: str
    #: For RDF formats: a class turning the units of :func:`kg.rdf.iter_units` into text
    #: (``header``, ``unit`` and ``glue`` per unit, ``footer``), so several formats share one
    #: pass over them, and an unchanged unit's text can be taken from the last build.
    units: type | None = None
    #: ``write`` takes ``memo=``: the last build's text of unchanged elements (:mod:`kg.export._memo`).
    incremental: bool = False
    #: Draws the graph with :func:`kg.export._style.layout`: a parallel build runs the exporters
    #: that draw in one process, which computes the layout once for all of them.
    drawn: bool = False


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
             units: type | None = None, incremental: bool = False, drawn: bool = False) -> None:
    _REGISTRY[name] = Exporter(name, write, outputs, description, units, incremental, drawn)


def iter_rdf_text(formatter: Any, units: Iterable[list]) -> Iterator[str]:
    """One format's text from the graph's RDF units: the formatter's header, each unit, its footer."""
    yield formatter.header()
    for blocks in units:
        yield formatter.glue(formatter.unit(blocks))
    yield formatter.footer()


def _write_units(G: nx.MultiDiGraph, paths: list[Path], chosen: list[Exporter], formatters: list[Any],
                 lo: int, hi: int | None, header: bool, footer: bool, memo: ExportMemo | None) -> None:
    """Write units ``lo`` to ``hi`` of the graph's RDF in several formats at once: each unit's
    triples are made once and handed to every format.  With a ``memo``, a unit whose data
    did not change since the last build takes its text from there, and its triples are not made."""
    names = [exp.name for exp in chosen]
    writer = UnitWriter(G)
    try:
        with contextlib.ExitStack() as stack:
            files = [stack.enter_context(p.open("w", encoding="utf-8", newline="\n")) for p in paths]
            if header:
                for fh, fmt in zip(files, formatters):
                    fh.write(fmt.header())
            for node in rdf_units(G, lo, hi):
                texts: list[str | None] = [None] * len(names)
                if memo is not None:
                    fp = fingerprint(unit_data(G, node))
                    texts = [memo.get(name, fp) for name in names]
                if None in texts:
                    blocks = unit_blocks(writer, node)
                    texts = [t if t is not None else fmt.unit(blocks) for t, fmt in zip(texts, formatters)]
                for fh, fmt, text in zip(files, formatters, texts):
                    fh.write(fmt.glue(text))
                if memo is not None:
                    for name, text in zip(names, texts):
                        memo.put(name, fp, text)
            if footer:
                for fh, fmt in zip(files, formatters):
                    fh.write(fmt.footer())
    except OSError as exc:
        raise ExportError(f"cannot write {', '.join(str(p) for p in paths)}: {exc}") from exc


def write_rdf(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter], memo: ExportMemo | None = None) -> list[Path]:
    """Write several RDF formats in one pass over the graph's RDF units (:func:`kg.rdf.rdf_units`):
    each unit is converted once and handed to every format, and no format holds the whole graph."""
    paths = [Path(out_dir) / exp.outputs[0] for exp in chosen]
    _write_units(G, paths, chosen, [exp.units(G) for exp in chosen], 0, None, True, True, memo)
    return paths


def rdf_parts(G: nx.MultiDiGraph, parts: int) -> list[tuple[int, int]]:
    """``parts`` ranges of RDF units (:func:`kg.rdf.unit_count`) of about the same size."""
    n = unit_count(G)
    cuts = [round(i * n / parts) for i in range(parts + 1)]
    return [(lo, hi) for lo, hi in zip(cuts, cuts[1:]) if hi > lo]


def _part_path(out_dir: Path, exp: Exporter, index: int) -> Path:
    return Path(out_dir) / ".parts" / f"{exp.outputs[0]}.{index:05d}"


def write_rdf_part(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter], index: int,
                   lo: int, hi: int) -> None:
    """Write part ``index`` (units ``lo`` to ``hi``) of several RDF formats, for :func:`join_rdf_parts`;
    parts can be written by different processes at once."""
    paths = [_part_path(out_dir, exp, index) for exp in chosen]
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    _write_units(G, paths, chosen, [exp.units(G, part=index) for exp in chosen], lo, hi, False, False, None)


def join_rdf_parts(G: nx.MultiDiGraph, out_dir: Path, chosen: list[Exporter], parts: int) -> list[Path]:
    """Put the parts written by :func:`write_rdf_part` together, with each format's header and footer."""
    written = []
    for exp in chosen:
        fmt = exp.units(G, part=parts)  # as after the last part (it is the footer's place)
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
