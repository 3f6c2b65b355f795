"""``kg watch``: a resident build that follows the notes as they are saved."""
from __future__ import annotations

import os
import queue
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import cli
from kg.errors import BuildError
from kg.pipeline import build
from kg.watch import Rebuild, is_note_change, watch
from tests.conftest import SEEDS

ROOT = Path("/notes").absolute()
OUT = Path("/notes/output").absolute()
CACHE = Path("/notes/.output.cache").absolute()


@pytest.mark.parametrize("path, counts", [
    ("/notes/esa.md", True),
    ("/notes/missions/Juice.MARKDOWN", True),
    ("/notes/todo.txt", True),
    ("/notes/graph.ttl", False),  # not a note
    ("/notes/missions", True),  # a folder renamed or deleted: its notes go with it
    ("/notes/.trash", False),
    ("/notes/output/README.md", False),  # the output folder: writing it must not trigger a build
    ("/notes/.output.cache/exports/x.md", False),
    ("/notes/.obsidian/workspace.md", False),  # hidden folders are not read
    ("/notes/.output.new-abc/graph.md", False),  # the build's own temporary folder
    ("/elsewhere/esa.md", False),
])
def test_which_changes_start_a_build(path, counts):
    folders = {ROOT / "missions", ROOT / ".trash"}  # folders that held notes at the last build
    assert is_note_change(Path(path), [ROOT], [OUT, CACHE], folders) is counts


@pytest.mark.parametrize("name", ["missions", "v1.2", "J. Smith"])
def test_a_folder_moved_in_or_out_is_a_change_whatever_its_name(tmp_path, name):
    (tmp_path / name).mkdir()  # moved in: inotify names only the folder
    assert is_note_change(tmp_path / name, [tmp_path], [])
    gone = tmp_path / f"gone {name}"  # moved out or deleted: it held notes at the last build
    assert is_note_change(gone, [tmp_path], [], {gone})
    assert not is_note_change(gone, [tmp_path], [])  # a file that never held notes (an editor's 4913)


def test_with_nested_roots_any_root_may_take_a_change():
    hidden_root = ROOT / ".private" / "notes"
    assert is_note_change(hidden_root / "esa.md", [ROOT, hidden_root], [])


def test_a_single_watched_file_counts():
    assert is_note_change(Path("/notes/esa.md"), [Path("/notes/esa.md").absolute()], [OUT])


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Watch:
    """``watch`` running in a thread; its builds arrive in a queue."""

    def __init__(self, notes: Path, out: Path, **options):
        self.stop = threading.Event()
        self.builds: queue.Queue[Rebuild] = queue.Queue()
        self.thread = threading.Thread(target=self._run, args=(notes, out), kwargs=options, daemon=True)
        self.thread.start()

    def _run(self, notes, out, **options):
        for rebuild in watch([notes], out, stop=self.stop, **options):
            self.builds.put(rebuild)

    def next(self) -> Rebuild:
        return self.builds.get(timeout=120)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "watch did not stop when asked"


@pytest.fixture
def notes(tmp_path):
    folder = tmp_path / "notes"
    shutil.copytree(SEEDS, folder)
    return folder


def _facts(G) -> set[tuple[str, str, str]]:
    label = {n: a["label"] for n, a in G.nodes(data=True) if a.get("kind") == "entity"}
    return {(label[u], a["relation"], label[v]) for u, v, a in G.edges(data=True) if a.get("kind") == "fact"}


def test_a_saved_note_is_in_the_output_as_a_fresh_build_would_write_it(notes, tmp_path):
    out = tmp_path / "output"
    w = _Watch(notes, out, formats=["turtle", "gexf", "html", "neo4j"])
    try:
        first = w.next()
        assert first.error is None and first.changed == []
        assert first.report.documents == 2
        note = sorted(notes.iterdir())[0]
        note.write_text(note.read_text(encoding="utf-8") + "\n\nThe Zephyrine orbiter will orbit Neptune.\n",
                        encoding="utf-8")
        second = w.next()
        assert second.error is None, second.error
        assert note in second.changed
        assert second.report.work["extracted"] == 1 and second.report.work["cached"] == 1
        assert ("Zephyrine", "orbits", "Neptune") in _facts(second.report.graph)
        assert ("Zephyrine", "orbits", "Neptune") in second.added_facts
        assert [e for e in second.added_entities if e.startswith("Zephyrine")] == ["Zephyrine (Mission)"]
        assert not second.removed_facts and not second.removed_entities
        fresh = build([notes], tmp_path / "fresh", cache=False, formats=["turtle", "gexf", "html", "neo4j"])
        assert _facts(fresh.graph) == _facts(second.report.graph)
        assert _files(out) == _files(tmp_path / "fresh")

        note.unlink()  # a deleted note takes its facts with it
        third = w.next()
        assert third.report.documents == 1
        assert ("Zephyrine", "orbits", "Neptune") not in _facts(third.report.graph)
        assert ("Zephyrine", "orbits", "Neptune") in third.removed_facts
        assert "Zephyrine (Mission)" in third.removed_entities
    finally:
        w.close()


def test_a_watch_reads_the_notes_with_its_ontology_folder(notes, tmp_path, launch_site_ontology):
    """With --ontology, a saved sentence of a relation of one's own shows up, as a build would write it."""
    out = tmp_path / "output"
    w = _Watch(notes, out, formats=["turtle", "neo4j"], ontology_dir=launch_site_ontology, relation_model="none")
    try:
        assert w.next().error is None
        (notes / "site.md").write_text("The Rosetta probe was launched from Guiana Space Centre.\n", encoding="utf-8")
        second = w.next()
        assert ("Rosetta", "launchedFrom", "Guiana Space Centre") in second.added_facts
        assert "Guiana Space Centre (LaunchSite)" in second.added_entities
        build([notes], tmp_path / "fresh", cache=False, formats=["turtle", "neo4j"], relation_model="none",
              ontology_dir=launch_site_ontology)
        assert _files(out) == _files(tmp_path / "fresh")
    finally:
        w.close()


def test_a_failed_build_is_reported_the_last_output_stays_and_the_watch_goes_on(notes, tmp_path):
    out = tmp_path / "output"
    w = _Watch(notes, out, formats=["turtle"], strict=True)
    try:
        assert w.next().error is None
        kept = _files(out)
        bad = notes / "broken.md"  # a file the watch has not seen
        bad.write_bytes(b"---\ntitle: [unclosed\n---\nESA launched Juice.\n")
        failed = w.next()
        assert failed.report is None and "broken.md" in str(failed.error)
        assert _files(out) == kept
        bad.unlink()
        assert w.next().error is None  # fixed: the watch builds again
    finally:
        w.close()


def test_the_cli_prints_a_line_per_build(monkeypatch, seed_build):
    def fake_watch(paths, out_dir, **options):
        yield Rebuild([], seed_build)
        yield Rebuild([Path("notes/esa.md")], error=BuildError("exporter 'html' failed: disk full"))
        yield Rebuild([Path("notes/esa.md"), Path("notes/juice.md")], seed_build,
                      added_entities=["Zephyrine (Mission)"],
                      added_facts=[("Zephyrine", "orbits", "Neptune")],
                      removed_facts=[(f"Probe {i}", "targets", "Mars") for i in range(10)])

    monkeypatch.setattr("kg.watch.watch", fake_watch)
    result = CliRunner().invoke(cli.main, ["watch", str(SEEDS), "--out", "somewhere"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("watching ")
    assert lines[1].startswith("first build: built in ") and "2 notes" in lines[1]
    assert lines[2] == "esa.md: failed, the last output stays: exporter 'html' failed: disk full"
    assert lines[3].startswith("esa.md and 1 more: built in ")
    assert lines[4:7] == ["  + entity Zephyrine (Mission)", "  + Zephyrine orbits Neptune", "  - Probe 0 targets Mars"]
    assert lines[-1] == "  - ... and 2 more facts"


def test_the_cli_rejects_an_unknown_format_before_watching(monkeypatch):
    monkeypatch.setattr("kg.watch.watch", lambda *a, **kw: pytest.fail("watch started"))
    result = CliRunner().invoke(cli.main, ["watch", str(SEEDS), "--formats", "pdf"])
    assert result.exit_code == 1
    assert "pdf" in result.output


def test_names_with_brackets_are_printed_as_they_are(monkeypatch, seed_build):
    def fake_watch(paths, out_dir, **options):
        yield Rebuild([Path("notes/[draft] ideas.md")], seed_build, added_facts=[("[/x]", "orbits", "Mars")])
        yield Rebuild([Path("notes/[bold]b.md")], error=BuildError("notes/[bold]b.md: bad [/i] frontmatter"))

    monkeypatch.setattr("kg.watch.watch", fake_watch)
    result = CliRunner().invoke(cli.main, ["watch", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "[draft] ideas.md: built in" in result.output
    assert "  + [/x] orbits Mars" in result.output
    assert "[bold]b.md: failed, the last output stays: notes/[bold]b.md: bad [/i] frontmatter" in result.output


def _stopped_after(seconds, monkeypatch):
    """``kg watch`` through the CLI, stopped after ``seconds`` if it is still running (no test hangs)."""
    import kg.watch

    real = kg.watch.watch

    def bounded(*args, **kwargs):
        stop = threading.Event()
        threading.Timer(seconds, stop.set).start()
        return real(*args, stop=stop, **kwargs)

    monkeypatch.setattr("kg.watch.watch", bounded)


def test_a_model_that_cannot_load_ends_the_watch_with_an_error(tmp_path, monkeypatch):
    _stopped_after(60, monkeypatch)
    result = CliRunner().invoke(cli.main, ["watch", str(SEEDS), "--out", str(tmp_path / "out"),
                                           "--model", "no_such_model"])
    assert result.exit_code == 1
    assert "no_such_model" in result.output
    assert not (tmp_path / "out").exists()


def test_notes_reached_through_a_symlink_are_watched(tmp_path):
    real = tmp_path / "real"
    shutil.copytree(SEEDS, real)
    (tmp_path / "vault").symlink_to(real)
    w = _Watch(tmp_path / "vault", tmp_path / "out", formats=["turtle"])
    try:
        assert w.next().report.documents == 2
        (real / "third.md").write_text("ESA operates the Juice mission to Jupiter.\n", encoding="utf-8")
        again = w.next()
        assert again.error is None and again.report.documents == 3
    finally:
        w.close()


def _save_by_rename(note: Path, text: str) -> None:
    """How many editors save: a new file, renamed over the note."""
    tmp = note.with_name(f".{note.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, note)


def test_a_single_watched_note_is_followed_across_saves_by_rename(tmp_path):
    note = tmp_path / "notes" / "juice.md"
    note.parent.mkdir()
    note.write_text("The Zephyrine orbiter is a mission of ESA.\n", encoding="utf-8")
    (tmp_path / "notes" / "other.md").write_text("NASA operates the Europa Clipper mission.\n", encoding="utf-8")
    w = _Watch(note, tmp_path / "out", formats=["turtle"])
    try:
        assert w.next().report.documents == 1  # only the note named
        for planet in ("Neptune", "Uranus"):
            _save_by_rename(note, f"The Zephyrine orbiter will orbit {planet}.\n")
            again = w.next()
            assert again.error is None, again.error
            assert ("Zephyrine", "orbits", planet) in again.added_facts
    finally:
        w.close()


def test_a_folder_of_notes_moved_out_takes_its_notes_with_it(notes, tmp_path):
    sub = notes / "v1.2"
    sub.mkdir()
    (sub / "juice.md").write_text("The Zephyrine orbiter will orbit Neptune.\n", encoding="utf-8")
    w = _Watch(notes, tmp_path / "out", formats=["turtle"])
    try:
        assert w.next().report.documents == 3
        sub.rename(tmp_path / "elsewhere")
        again = w.next()
        assert again.report.documents == 2
        assert ("Zephyrine", "orbits", "Neptune") in again.removed_facts
    finally:
        w.close()
