"""Incremental exports: text reused from the last build gives the same files as a fresh build."""
from __future__ import annotations

import copy

import pytest

from kg.export import get, write_rdf
from kg.export._memo import ExportMemo, code_salt
from kg.export.gexf import write_gexf
from tests.export.conftest import make_sample_graph
from tests.export.test_gexf import whole_tree_gexf
from tests.export.test_turtle import GRAPHS

RDF = [get("turtle"), get("jsonld")]


def _write(G, folder, memo=None):
    """Every incremental export of ``G``, as bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    return [p.read_bytes() for p in write_rdf(G, folder, RDF, memo) + write_gexf(G, folder, memo)]


def _edited(G):
    """``G`` after an edit: one label changed, one entity and its edges gone."""
    H = copy.deepcopy(G)
    H.nodes["Jupiter"]["label"] = "Jupiter (planet)"
    H.remove_node("Ariane_5")
    return H


def _memo_of(G, tmp_path):
    """A memo as the build of ``G`` leaves it."""
    memo = ExportMemo(tmp_path / "memo", code_salt(G.graph))
    _write(G, tmp_path / "first", memo)
    memo.commit()
    return ExportMemo(tmp_path / "memo", code_salt(G.graph))


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_a_rebuild_from_the_memo_writes_what_a_fresh_build_writes(name, tmp_path):
    G = GRAPHS[name]()
    H = _edited(G) if "Jupiter" in G else G
    memo = _memo_of(G, tmp_path)
    again = _write(H, tmp_path / "again", memo)
    assert again == _write(H, tmp_path / "fresh")
    assert again[-1].decode("utf-8") == whole_tree_gexf(H)  # what networkx's own writer gives
    assert memo.hits > 0
    if H is not G:
        assert memo.misses > 0  # the edited units were made again


def test_after_a_rebuild_the_memo_holds_only_what_that_build_wrote(tmp_path):
    G = make_sample_graph()
    memo = _memo_of(G, tmp_path)
    H = _edited(G)
    _write(H, tmp_path / "second", memo)
    memo.commit()
    again = ExportMemo(tmp_path / "memo", code_salt(H.graph))
    assert _write(H, tmp_path / "third", again) == _write(H, tmp_path / "fresh")
    assert again.misses == 0


def _tear(folder, G):
    for f in folder.glob("*.memo"):  # a write cut off by a kill
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    return G.graph


def _other_base(folder, G):  # another base IRI (as other export code) gives another salt
    return {**G.graph, "base": "https://example.org/other/"}


@pytest.mark.parametrize("spoil", [_tear, _other_base], ids=["torn", "other salt"])
def test_a_memo_that_does_not_fit_is_not_used(tmp_path, spoil):
    G = make_sample_graph()
    _memo_of(G, tmp_path)
    memo = ExportMemo(tmp_path / "memo", code_salt(spoil(tmp_path / "memo", G)))
    assert _write(G, tmp_path / "again", memo) == _write(G, tmp_path / "fresh")
    assert memo.hits == 0


def test_a_failed_build_leaves_the_last_memo(tmp_path):
    G = make_sample_graph()
    _memo_of(G, tmp_path)
    before = {f.name: f.read_bytes() for f in (tmp_path / "memo").iterdir()}
    memo = ExportMemo(tmp_path / "memo", code_salt(G.graph))
    _write(_edited(G), tmp_path / "failed", memo)
    memo.discard()
    assert {f.name: f.read_bytes() for f in (tmp_path / "memo").iterdir()} == before


# ------------------------------------------------------------------------ layout kept between builds
@pytest.fixture(autouse=True)
def _fresh_layout_memory():
    from kg.export import _style

    _style._LAST_LAYOUT.clear()  # each test starts as a new process would


def _drawn(G, folder):
    folder.mkdir(parents=True, exist_ok=True)
    return [p.read_bytes() for p in write_gexf(G, folder) + get("html").write(G, folder)]


def _relabelled(G):
    H = copy.deepcopy(G)
    H.nodes["Jupiter"]["label"] = "Jupiter (planet)"  # no edge changes
    return H


@pytest.mark.parametrize("edit, reused", [(_relabelled, True), (_edited, False)], ids=["same edges", "edge removed"])
def test_a_layout_is_reused_while_the_edges_stay_the_same(tmp_path, monkeypatch, edit, reused):
    from kg.export import _style

    G = make_sample_graph()
    with _style.kept_layouts(tmp_path / "memo"):
        _drawn(G, tmp_path / "first")
    assert (tmp_path / "memo" / "layout.npz").is_file()
    H = edit(G)
    fresh = _drawn(H, tmp_path / "fresh")
    _style._LAST_LAYOUT.clear()  # a new process: only the disk remembers
    calls = []
    real = _style._force_layout
    monkeypatch.setattr(_style, "_force_layout", lambda *a: calls.append(a) or real(*a))
    with _style.kept_layouts(tmp_path / "memo"):
        again = _drawn(H, tmp_path / "again")
    assert again == fresh  # the same files as a build that laid the graph out itself
    whole = [a for a in calls if a[0] == H.number_of_nodes()]  # (graph.html lays out its overview too, never kept)
    assert bool(whole) is not reused


def test_a_torn_layout_file_is_laid_out_again(tmp_path):
    from kg.export import _style

    G = make_sample_graph()
    with _style.kept_layouts(tmp_path / "memo"):
        first = _drawn(G, tmp_path / "first")
    saved = tmp_path / "memo" / "layout.npz"
    saved.write_bytes(saved.read_bytes()[:100])
    _style._LAST_LAYOUT.clear()
    with _style.kept_layouts(tmp_path / "memo"):
        assert _drawn(G, tmp_path / "again") == first
    assert saved.stat().st_size > 100  # written whole again
