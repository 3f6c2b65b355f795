"""Build again whenever a note changes: ``kg watch``.

A resident build keeps what a one-shot ``kg build`` has to load every time: the spaCy model
(loaded once, before the first change arrives), and the per-note results of the last build
(in memory, on top of the cache on disk).  A save in the editor then costs the extraction of
that one note, the merge, and the exports, which take the last build's text and layout
for everything that did not change.  The output folder is replaced whole, as by ``kg build``,
so a viewer never sees half a build, and a build that fails leaves the last good output.

File events come from `watchfiles <https://watchfiles.helpmanual.io>`_ (the OS's notify
API, events grouped over a short pause so that an editor's save-and-rename is one change).
Only changes to note files count: the output folder, its cache and hidden folders are
ignored, so writing the output never triggers another build.
"""
from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import DEFAULT_MODEL, ingest
from .errors import BuildError, KGError
from .graph import entity_nodes, fact_edges
from .assemble import DocDigest
from .pipeline import BuildReport, default_cache_dir, extractor_spec
from .pipeline import build as run_build


Statement = tuple[str, str, str]  # (subject label, relation, object label)


@dataclass
class Rebuild:
    """One build of a watch: what set it off (empty for the first), and its report or its error;
    and what the graph gained and lost since the last build that succeeded (by label)."""

    changed: list[Path] = field(default_factory=list)
    report: BuildReport | None = None
    error: KGError | None = None
    added_entities: list[str] = field(default_factory=list)
    removed_entities: list[str] = field(default_factory=list)
    added_facts: list[Statement] = field(default_factory=list)
    removed_facts: list[Statement] = field(default_factory=list)


def knowledge(G: Any) -> tuple[set[str], set[Statement]]:
    """The entities (labels with their class) and the facts (by label) of a built graph."""
    label = {n: G.nodes[n].get("label", str(n)) for n in entity_nodes(G)}
    entities = {f"{label[n]} ({G.nodes[n].get('cls')})" for n in label}
    facts = {(label[u], a["relation"], label[v]) for u, v, _, a in fact_edges(G)}
    facts |= {(label[n], rel, str(v["value"])) for n in label
              for rel, values in (G.nodes[n].get("literals") or {}).items() for v in values}
    return entities, facts


def is_note_change(path: Path, roots: Iterable[Path], ignored: Iterable[Path],
                   folders: Collection[Path] = ()) -> bool:
    """Whether a change to ``path`` can change the graph: a note file (by suffix), a folder (moved
    in, whatever its name), or one of ``folders``, those that held notes at the last build
    (renamed, moved out or deleted, its notes with it), under one of ``roots``, not inside a
    hidden folder below that root, and not under an ``ignored`` folder."""
    path = Path(path).absolute()
    if path.suffix.lower() not in ingest.TEXT_SUFFIXES and path not in folders and not path.is_dir():
        return False
    if any(path.is_relative_to(folder) for folder in ignored):
        return False
    return any(path == root or (path.is_relative_to(root) and
                                not any(part.startswith(".") for part in path.relative_to(root).parts))
               for root in roots)


def _note_folders(notes: Iterable[Path], roots: Iterable[Path]) -> set[Path]:
    """Every folder between a root and a note in it (the ones whose removal removes notes)."""
    folders: set[Path] = set()
    roots = list(roots)
    for note in notes:
        for parent in Path(note).absolute().parents:
            if parent in folders or not any(parent.is_relative_to(r) and parent != r for r in roots):
                break
            folders.add(parent)
    return folders


def watch(
    paths: list[Path],
    out_dir: Path,
    *,
    stop: threading.Event | None = None,
    cache_dir: Path | None = None,
    model: str = DEFAULT_MODEL,
    preload: bool = True,
    **options: Any,
) -> Iterator[Rebuild]:
    """Build ``paths`` into ``out_dir`` now, then again after every change to a note under them.

    Yields a :class:`Rebuild` per build; a build that fails (no note readable, an exporter
    error, a full disk) is yielded with its error and the watch goes on.  Ends when ``stop`` is
    set (or the caller stops iterating).  ``options`` go to :func:`kg.pipeline.build`.
    """
    watched = [Path(p).absolute() for p in paths]
    roots = list(dict.fromkeys(watched + [p.resolve() for p in watched]))  # events may name either
    out_dir = Path(out_dir)
    if cache_dir is None:
        cache_dir = default_cache_dir(out_dir)
    ignored = [out_dir.absolute(), out_dir.resolve(), Path(cache_dir).absolute(), Path(cache_dir).resolve()]
    memory: dict[str, DocDigest] = {}
    stop = stop if stop is not None else threading.Event()

    last: tuple[set[str], set[Statement]] | None = None  # what the last good build knew
    folders: set[Path] = set()  # the folders that held notes at the last build
    user_on_document = options.pop("on_document", None)

    def once(changed: list[Path]) -> Rebuild:
        nonlocal last
        notes: list[Path] = []

        def on_document(doc) -> None:
            notes.append(Path(doc.path))
            if user_on_document:
                user_on_document(doc)

        try:
            report = run_build(paths, out_dir, cache_dir=cache_dir, model=model, memory=memory,
                               on_document=on_document, **options)
        except KGError as exc:
            return Rebuild(changed, error=exc)
        except OSError as exc:  # a full disk, a folder removed mid-build: the next save may fare better
            return Rebuild(changed, error=BuildError(f"build failed: {exc}"))
        folders.clear()
        folders.update(_note_folders(notes, roots))
        now = knowledge(report.graph)
        rebuild = Rebuild(changed, report)
        if last is not None:
            (old_entities, old_facts), (entities, facts) = last, now
            rebuild.added_entities, rebuild.removed_entities = sorted(entities - old_entities), sorted(old_entities - entities)
            rebuild.added_facts, rebuild.removed_facts = sorted(facts - old_facts), sorted(old_facts - facts)
        last = now
        return rebuild

    from watchfiles import watch as changes

    first = True
    # the watcher starts before the first build reads a note, so a note saved during that build
    # (or while the model loads) is built next; events wait in the watcher while a build runs
    # a folder is watched as such; a single note through its folder, since an editor's save
    # (a new file renamed over the note) would leave a watch on the file itself on the old file
    places = list(dict.fromkeys(p if p.is_dir() else p.parent for p in watched))
    for batch in changes(*places, watch_filter=lambda _, p: is_note_change(Path(p), roots, ignored, folders),
                         recursive=any(p.is_dir() for p in watched), stop_event=stop, rust_timeout=200,
                         yield_on_timeout=True, raise_interrupt=False):
        if first:
            first = False
            if preload and options.get("executor", "local") == "local":
                # loaded now, even when every note comes from the cache: the next change should
                # cost its one note, not the model's load (a batch of a few notes is extracted
                # in this process even with --jobs)
                from .executors import process_extractor

                spec, _ = extractor_spec(model, options.get("relation_model", "default"), options.get("ontology_dir"))
                process_extractor(spec)
            yield once([])
            continue
        changed = sorted({Path(p) for _, p in batch})
        if changed:
            yield once(changed)
