"""Exporters, looked up by name in one registry (as rdflib's ``plugin.register`` does).

Each format is one module with a pure ``generate_*(G) -> str | dict[str, str]``
and a thin ``write_*(G, out_dir) -> list[Path]``; the module registers itself
with :func:`register`.  ``kg build`` runs every registered exporter unless
``--formats`` names a subset.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


_REGISTRY: dict[str, Exporter] = {}

#: Modules that register exporters when imported.
_MODULES = ("turtle", "jsonld", "ontology", "html", "neo4j", "gexf", "graphml")


def write_files(out_dir: Path, files: dict[str, str]) -> list[Path]:
    """Write generated text files (names relative to ``out_dir``) as UTF-8 with LF line ends.

    The one place exporters touch the disk: every ``write_*`` is ``generate_*`` plus this.
    """
    written = []
    for name, text in files.items():
        path = Path(out_dir) / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc}") from exc
        written.append(path)
    return written


def register(name: str, write: Writer, outputs: tuple[str, ...], description: str, group: str = "") -> None:
    _REGISTRY[name] = Exporter(name, write, outputs, description, group)


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
