"""Incremental and parallel builds: the cache, --jobs and the Dask executor give the same graph."""
from __future__ import annotations

import hashlib
import json
import shutil

import networkx as nx
import pytest

from kg.assemble import assemble
from kg.pipeline import extract_corpus
from tests.conftest import SEEDS, shared


def _corpus(tmp_path, n=6):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(shared("corpus", "dev").glob("*.md"))[:n]:
        shutil.copy(f, corpus / f.name)
    return corpus


def _signature(G: nx.MultiDiGraph):
    nodes = sorted((n, a.get("cls") or a.get("kind"), a.get("label") or a.get("title")) for n, a in G.nodes(data=True))
    edges = sorted((u, v, k, tuple(sorted(e["sentence"] for e in a.get("evidence", []))))
                   for u, v, k, a in G.edges(keys=True, data=True))
    return nodes, edges


def test_cache_reuses_and_recomputes_only_what_changed(tmp_path, extractor):
    corpus = _corpus(tmp_path)
    cache_dir = tmp_path / "cache"
    first, _ = extract_corpus([corpus], cache_dir=cache_dir)
    # second run: everything from the cache
    cache_hits = []
    import kg.pipeline as P

    orig = P.ExtractionCache.get

    def spy(self, key):
        r = orig(self, key)
        cache_hits.append(r is not None)
        return r

    P.ExtractionCache.get = spy
    try:
        again, _ = extract_corpus([corpus], cache_dir=cache_dir)
        assert all(cache_hits) and len(cache_hits) == 6
        # edit one note: one miss, five hits, and the edit shows in the graph
        cache_hits.clear()
        note = sorted(corpus.glob("*.md"))[0]
        note.write_text(note.read_text() + "\n\nThe Zephyrine orbiter will orbit Neptune.\n")
        edited, _ = extract_corpus([corpus], cache_dir=cache_dir)
        assert sorted(cache_hits) == [False] + [True] * 5
    finally:
        P.ExtractionCache.get = orig
    assert _signature(assemble(again)) == _signature(assemble(first))
    labels = {a["label"] for _, a in assemble(edited).nodes(data=True) if a.get("kind") == "entity"}
    assert "Zephyrine" in labels


def test_deleting_a_file_removes_its_facts_and_lonely_entities(tmp_path, extractor):
    corpus = _corpus(tmp_path, n=3)
    cache_dir = tmp_path / "cache"
    before, _ = extract_corpus([corpus], cache_dir=cache_dir)
    gone = sorted(corpus.glob("*.md"))[0]  # dev_A01: the only one of the three about Cassini-Huygens
    gone.unlink()
    after, _ = extract_corpus([corpus], cache_dir=cache_dir)
    G = assemble(after)
    assert not [n for n, a in G.nodes(data=True) if a.get("label") == "Cassini-Huygens"]
    assert all(ev["doc_id"] != gone.stem for _, _, a in G.edges(data=True) for ev in a.get("evidence", []))
    # the cache keeps no entry for the deleted note
    assert len(list(cache_dir.glob("*/*.json"))) == 2


def test_torn_cache_entry_is_recomputed(tmp_path, extractor):
    corpus = _corpus(tmp_path, n=2)
    cache_dir = tmp_path / "cache"
    first, _ = extract_corpus([corpus], cache_dir=cache_dir)
    entry = sorted(cache_dir.glob("*/*.json"))[0]
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # a write cut off by a kill
    again, _ = extract_corpus([corpus], cache_dir=cache_dir)
    assert _signature(assemble(again)) == _signature(assemble(first))
    header, payload = entry.read_bytes().split(b"\n", 1)
    assert json.loads(header)["sha256"] == hashlib.sha256(payload).hexdigest()  # rewritten whole
    assert json.loads(payload)["facts"]


def test_tampered_payload_is_not_trusted(tmp_path, extractor):
    corpus = _corpus(tmp_path, n=1)
    cache_dir = tmp_path / "cache"
    extract_corpus([corpus], cache_dir=cache_dir)
    entry = next(cache_dir.glob("*/*.json"))
    entry.write_bytes(entry.read_bytes().replace(b"Saturn", b"Uranus"))
    results, _ = extract_corpus([corpus], cache_dir=cache_dir)
    labels = {a["label"] for _, a in assemble(results).nodes(data=True) if a.get("kind") == "entity"}
    assert "Saturn" in labels


def test_two_jobs_give_the_same_graph(tmp_path, extractor, monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "BATCH", 4)  # 8 notes in batches of 2: the worker processes run
    corpus = _corpus(tmp_path, n=8)
    one, _ = extract_corpus([corpus], jobs=1)
    two, _ = extract_corpus([corpus], jobs=2)
    assert _signature(assemble(two)) == _signature(assemble(one))


@pytest.mark.parametrize("batches, from_workers", [(1, False), (3, True)],
                         ids=["one batch: here", "several: in worker processes"])
def test_two_jobs_start_workers_only_for_more_than_one_batch(batches, from_workers):
    from kg import DEFAULT_MODEL, ingest
    from kg.executors import ExtractorSpec, LocalExecutor

    docs = [ingest.read_document(p, p.stem) for p in sorted(SEEDS.iterdir())]
    out = list(LocalExecutor(ExtractorSpec(DEFAULT_MODEL), jobs=2).map([docs[:1]] * batches))
    assert len(out) == batches
    assert all(isinstance(d, dict) is from_workers for batch in out for d in batch)  # workers send plain data


def test_dask_local_cluster_gives_the_same_graph(tmp_path, extractor):
    distributed = pytest.importorskip("distributed")
    corpus = _corpus(tmp_path, n=6)
    local, _ = extract_corpus([corpus, SEEDS])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote, _ = extract_corpus([corpus, SEEDS], executor="dask", scheduler=cluster.scheduler_address)
    assert _signature(assemble(remote)) == _signature(assemble(local))


def test_unchanged_notes_are_not_read_again(tmp_path, extractor, monkeypatch):
    corpus = _corpus(tmp_path, n=3)
    cache_dir = tmp_path / "cache"
    extract_corpus([corpus], cache_dir=cache_dir)
    import kg.ingest

    parsed = []
    real = kg.ingest.read_document
    monkeypatch.setattr(kg.ingest, "read_document",
                        lambda path, *a, **kw: parsed.append(path.name) or real(path, *a, **kw))
    note = sorted(corpus.glob("*.md"))[1]
    note.write_text(note.read_text() + "\n\nThe Zephyrine orbiter will orbit Neptune.\n")
    extract_corpus([corpus], cache_dir=cache_dir)
    assert parsed == [note.name]


def test_a_lower_text_limit_applies_to_cached_notes_too(tmp_path, extractor):
    corpus = _corpus(tmp_path, n=2)
    cache_dir = tmp_path / "cache"
    extract_corpus([corpus], cache_dir=cache_dir)
    results, errors = extract_corpus([corpus], cache_dir=cache_dir, max_chars=50)
    assert not results
    assert len(errors) == 2 and all("more than the limit of 50" in str(e) for e in errors)


def test_cache_is_keyed_by_kgs_own_code(monkeypatch):
    """An upgraded kg never reuses what an older one extracted, whatever else stayed the same."""
    from kg import cache

    before = cache.ExtractionCache.salt_for("1", "ontology", "model", {})
    monkeypatch.setattr(cache, "code_version", lambda: "another kg")
    assert cache.ExtractionCache.salt_for("1", "ontology", "model", {}) != before
