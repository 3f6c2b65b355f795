"""Session-wide fixtures and the real-client policy.

A test that needs a real client (Chromium, FalkorDB, node, rapper) calls
:func:`require_client`: in CI (``CI=true``) a missing client fails the test,
on a laptop it skips with the command that installs it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_client(available: bool, name: str, install: str) -> None:
    """Fail (CI) or skip (laptop) when a real client is missing."""
    if available:
        return
    msg = f"{name} is not installed; install it with: {install}"
    if IN_CI:
        pytest.fail(msg + " (CI=true: real-client tests must not skip)")
    pytest.skip(msg)


def require_executable(exe: str, install: str) -> str:
    path = shutil.which(exe)
    require_client(path is not None, exe, install)
    return path  # type: ignore[return-value]


# ------------------------------------------------------------------ pipeline fixtures (model loaded once)
@pytest.fixture(scope="session")
def extractor():
    from kg.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def extract_text(extractor):
    """Run extraction on a snippet of markdown; returns (mentions, facts with labels)."""
    from kg.model import Document
    from kg.pipeline import assemble
    from kg.text import to_plain

    def run(markdown: str, doc_id: str = "snippet"):
        plain = to_plain(markdown)
        doc = Document(id=doc_id, path=f"{doc_id}.md", kind="note", text=plain.text, offsets=plain.offsets,
                       links=plain.links, timestamps=plain.timestamps, blocks=plain.blocks)
        result = next(extractor.process([doc]))
        G = assemble([result])
        label = {n: a["label"] for n, a in G.nodes(data=True) if a.get("kind") == "entity"}
        facts = {(label[u], a["relation"], label[v]) for u, v, a in G.edges(data=True) if a.get("kind") == "fact"}
        dates = {(a["label"], ld["value"]) for _, a in G.nodes(data=True) if a.get("kind") == "entity"
                 for ld in a.get("literals", {}).get("launchDate", [])}
        mentions = {(m.text, m.cls) for m in result.mentions}
        return mentions, facts, dates, G

    return run


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory, extractor):
    """The seeds built once per session with every exporter, as `kg build seeds/` does."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed-build") / "output"
    return build([SEEDS], out)


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    return seed_build.graph


@pytest.fixture(scope="session")
def dev_graph(extractor):
    """Seeds plus the dev corpus (26 documents), the graph `kg eval` scores."""
    from kg.pipeline import assemble, extract_corpus

    require_client(DEV.is_dir(), f"the dev corpus ({DEV})", "place the shared/ folder beside the repository")
    results, errors = extract_corpus([SEEDS, DEV])
    assert not errors, errors
    return assemble(results)
