"""Writing the exports of a built graph: every exporter into a temporary folder beside the output
folder, swapped in only when all of them succeeded, in one process or several.

The RDF formats share one pass over the graph's units (and the export memo, which keeps the text
of what did not change); with several jobs the formats that draw the graph run as one task (the
layout is computed once) and the RDF formats are cut into ranges of subjects written side by side.
A killed build leaves at most a ``.<name>.new-*`` folder or a ``.<name>.old`` one, which the next
build removes or puts back (:func:`_recover`).
"""
from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import networkx as nx

from . import export
from . import ontology as ontology_mod
from .errors import BuildError, KGError
from .export._memo import ExportMemo, code_salt
from .export._style import kept_layouts


#: The graph the exporters of a parallel build read: set before the worker processes fork, so
#: they share it copy-on-write instead of receiving a pickled copy.
_EXPORT_GRAPH: nx.MultiDiGraph | None = None


def _export_task(task: tuple, tmp: Path) -> tuple[list[Path], str | None]:
    """One export task on the shared graph, in a worker process; errors come back as text.

    A task is ``("formats", names)`` (run one after the other) or ``("rdf", names, index, lo, hi)``:
    one part of the RDF formats.
    """
    G = _EXPORT_GRAPH
    assert G is not None
    try:
        if task[0] == "rdf":
            _, names, index, lo, hi = task
            chosen = [export.get(n) for n in names]
            _guard(", ".join(names), lambda: export.write_rdf_part(G, tmp, chosen, index, lo, hi))
            return [], None
        return _run_exporters(G, [export.get(n) for n in task[1]], tmp), None
    except KGError as exc:
        return [], str(exc)


def _guard(name: str, step: Callable[[], Any]) -> Any:
    """Run an exporter step; an exporter bug becomes a BuildError that names it."""
    try:
        return step()
    except KGError:
        raise
    except Exception as exc:  # an exporter bug must not leave half an output
        raise BuildError(f"exporter {name!r} failed: {exc}") from exc


def _run_exporters(G: nx.MultiDiGraph, chosen: list, tmp: Path, memo: ExportMemo | None = None) -> list[Path]:
    """Run exporters; the RDF formats share one pass over the graph's RDF units (and the memo)."""
    rdf = [exp for exp in chosen if exp.units is not None]
    written: list[Path] = []
    if rdf:
        written += _guard(", ".join(e.name for e in rdf), lambda: export.write_rdf(G, tmp, rdf, memo))
    for exp in chosen:
        if exp.units is None and exp.incremental and memo is not None:
            written += _guard(exp.name, lambda exp=exp: exp.write(G, tmp, memo=memo))
        elif exp.units is None:
            written += _guard(exp.name, lambda exp=exp: exp.write(G, tmp))
    return written


def _run_parallel(G: nx.MultiDiGraph, chosen: list, tmp: Path, jobs: int) -> list[Path]:
    """The exporters in ``jobs`` forked processes: the formats that draw the graph are one task
    (the longest, so it starts first), each other format is a task, and the RDF formats are cut
    into parts (ranges of subjects) written side by side, then joined."""
    global _EXPORT_GRAPH
    rdf = [exp.name for exp in chosen if exp.units is not None]
    parts = export.rdf_parts(G, 4 * jobs) if rdf else []
    drawn = tuple(exp.name for exp in chosen if exp.units is None and exp.drawn)
    tasks: list[tuple] = [("formats", drawn)] if drawn else []  # one process lays the graph out, once
    tasks += [("formats", (exp.name,)) for exp in chosen if exp.units is None and not exp.drawn]
    tasks += [("rdf", rdf, i, lo, hi) for i, (lo, hi) in enumerate(parts)]
    _EXPORT_GRAPH = G
    try:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=ctx) as pool:
            done = list(pool.map(_export_task, tasks, [tmp] * len(tasks)))
    finally:
        _EXPORT_GRAPH = None
    errors = [err for _, err in done if err]
    if errors:
        raise BuildError("; ".join(errors))
    written = [p for paths, _ in done for p in paths]
    if rdf:
        joined = [export.get(n) for n in rdf]
        written += _guard(", ".join(rdf), lambda: export.join_rdf_parts(G, tmp, joined, len(parts)))
    return written


def write_outputs(G: nx.MultiDiGraph, out_dir: Path, formats: Iterable[str] | None = None,
                  jobs: int = 1, memo_dir: Path | None = None, tally: Counter | None = None) -> list[Path]:
    """Run the exporters into a temporary folder beside ``out_dir``, then swap it in.

    A failing exporter leaves the previous ``out_dir`` untouched.  With ``jobs`` > 1 (and
    where processes can fork) the exporters run in that many processes at once.  With
    ``memo_dir`` (and one job), the RDF formats and the incremental exporters (GEXF) reuse the
    text of every unit or element that did not change since the last build
    (:class:`~kg.export._memo.ExportMemo`), and ``tally`` (if given) counts them
    (``"reused"``) and the others (``"made"``); with any number of jobs, the layout of the
    drawn formats is kept there too, and reused while the graph's edges stay the same.
    """
    out_dir = Path(out_dir).resolve()
    names = list(formats) if formats else list(export.exporters())
    chosen = [export.get(n) for n in names]
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _recover(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the output is an ordinary folder
    memo = None
    try:
        with kept_layouts(memo_dir):
            if jobs > 1 and len(chosen) > 1 and "fork" in multiprocessing.get_all_start_methods():
                written = _run_parallel(G, chosen, tmp, jobs)
            else:
                salt = code_salt({**G.graph, "ontology_files": ontology_mod.load(G.graph.get("ontology")).fingerprint})
                memo = ExportMemo(memo_dir, salt) if memo_dir is not None else None
                written = _run_exporters(G, chosen, tmp, memo)
        if out_dir.exists():
            for keep in out_dir.iterdir():  # files the user put there that we do not produce
                if keep.name.startswith(".") or keep.name == "README.md":
                    target = tmp / keep.name
                    if not target.exists():
                        (shutil.copytree if keep.is_dir() else shutil.copy2)(keep, target)
            old = out_dir.parent / f".{out_dir.name}.old"
            if old.exists():
                shutil.rmtree(old)
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if memo is not None:
            memo.discard()
        raise
    if memo is not None:
        memo.commit()  # only now: the memo always describes an output that was written whole
        if tally is not None:
            tally.update(reused=memo.hits, made=memo.misses)
    return [out_dir / p.relative_to(tmp) for p in written]


def _recover(out_dir: Path) -> None:
    """Undo what a killed build left: ``.<name>.old`` (killed between the two renames) is put
    back, and half-written ``.<name>.new-*`` folders are removed."""
    out_dir = Path(out_dir)
    old = out_dir.parent / f".{out_dir.name}.old"
    if old.exists() and not out_dir.exists():
        os.replace(old, out_dir)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)
    for stale in out_dir.parent.glob(f".{out_dir.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
