"""Nothing is lost, and the same input gives the same bytes.

* a build killed with SIGKILL at any moment leaves the previous ``output/`` complete and unchanged;
* two builds of the same corpus write byte-identical files in every format, whatever the order
  of files on disk, the number of jobs or the executor.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg import export
from kg.outputs import _recover
from kg.pipeline import build
from tests.conftest import ROOT, SEEDS, shared


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _corpus(tmp_path: Path, files: list[Path], name: str = "corpus") -> Path:
    corpus = tmp_path / name
    corpus.mkdir()
    for f in files:
        shutil.copy(f, corpus / f.name)
    return corpus


@pytest.fixture(scope="module")
def small_corpus_files():
    return sorted(SEEDS.glob("*")) + sorted(shared("corpus", "dev").glob("*.md"))[:6]


def test_same_input_same_bytes_whatever_the_file_order(tmp_path, small_corpus_files, extractor):
    a = _corpus(tmp_path, small_corpus_files, "a")
    # the same notes, written in the reverse order and in nested folders of another name
    b = tmp_path / "b"
    for i, f in enumerate(reversed(small_corpus_files)):
        (b / f"z{i}").mkdir(parents=True)
        shutil.copy(f, b / f"z{i}" / f.name)
    out_a = build([a], tmp_path / "out-a", cache=False).outputs
    out_b = build([b], tmp_path / "out-b", cache=False).outputs
    assert out_a and len(out_a) == len(out_b)
    da, db = _digest(tmp_path / "out-a"), _digest(tmp_path / "out-b")
    # document paths differ between the two corpora by design; everything else is identical
    differing = [name for name in da if da[name] != db[name]]
    for name in differing:
        text_a = (tmp_path / "out-a" / name).read_text(encoding="utf-8").replace(str(a), "ROOT")
        text_b = (tmp_path / "out-b" / name).read_text(encoding="utf-8")
        for i in range(len(small_corpus_files)):
            text_b = text_b.replace(f"{b}/z{i}", "ROOT")
        assert text_a == text_b, f"{name} differs beyond the document paths"


def test_same_bytes_with_two_jobs_and_a_rebuild(tmp_path, small_corpus_files, extractor, monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "BATCH", 4)  # batches of 2: the extraction runs in worker processes
    corpus = _corpus(tmp_path, small_corpus_files)
    build([corpus], tmp_path / "one", cache=False, jobs=1)
    build([corpus], tmp_path / "two", cache=False, jobs=2)
    build([corpus], tmp_path / "cached", cache_dir=tmp_path / "cache")
    build([corpus], tmp_path / "cached", cache_dir=tmp_path / "cache")  # from the cache this time
    one = _digest(tmp_path / "one")
    assert one == _digest(tmp_path / "two")
    assert one == _digest(tmp_path / "cached")
    assert set(one) >= {name for exp in export.exporters().values() for name in exp.outputs}


def test_a_rebuild_after_an_edit_writes_what_a_fresh_build_writes(tmp_path, small_corpus_files, extractor):
    """The second build reuses the extraction of unchanged notes and the text of unchanged units."""
    corpus = _corpus(tmp_path, small_corpus_files)
    build([corpus], tmp_path / "cached", cache_dir=tmp_path / "cache")
    note = sorted(corpus.glob("*.md"))[2]
    text = note.read_text(encoding="utf-8")
    note.write_text(text.replace("\n\n", "\n\nThe Zephyrine orbiter will orbit Neptune.\n\n", 1), encoding="utf-8")
    build([corpus], tmp_path / "cached", cache_dir=tmp_path / "cache")
    build([corpus], tmp_path / "fresh", cache=False)
    assert _digest(tmp_path / "cached") == _digest(tmp_path / "fresh")
    assert "Zephyrine" in (tmp_path / "fresh" / "graph.ttl").read_text(encoding="utf-8")
    memos = sorted(p.name for p in (tmp_path / "cache" / "exports").glob("*.memo"))
    assert memos == ["gexf.memo", "jsonld.memo", "turtle.memo"]


KILL_SCRIPT = """
import sys
from kg.outputs import _recover
from kg.pipeline import build
build([sys.argv[1]], sys.argv[2], cache=False)
"""


@pytest.mark.parametrize("fraction", [0.3, 0.7, 0.9, 0.97])
def test_sigkill_mid_build_leaves_previous_output(tmp_path, small_corpus_files, fraction, extractor):
    corpus = _corpus(tmp_path, small_corpus_files)
    out = tmp_path / "output"
    build([SEEDS], out, cache=False)  # the previous, good output
    before = _digest(out)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(corpus), str(tmp_path / "timing")], cwd=ROOT, check=True)
    full = time.perf_counter() - t0
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(corpus), str(out)], cwd=ROOT)
    time.sleep(full * fraction)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # a kill between the two renames leaves the old output aside; the next build puts it back first
    _recover(out)
    after = _digest(out)
    complete_new = _digest(tmp_path / "timing")  # builds are deterministic: this is what a finished one writes
    # never a mix: the previous output untouched, or (killed after its swap) the new one, whole
    assert after in (before, complete_new), "a killed build left a partial or mixed output"
    if proc.returncode != -signal.SIGKILL:
        assert after == complete_new
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output.")], "temporary folders left behind"
