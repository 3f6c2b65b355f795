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
#: The shared data (seeds, corpus/dev, corpus/real): beside the repository, or where KG_SHARED says
#: (a second git worktree lies one folder further down).
SHARED = Path(os.environ.get("KG_SHARED") or ROOT.parent / "shared")
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


def shared(*parts: str) -> Path:
    """A path under the shared data (../shared or $KG_SHARED); in CI its absence fails the test with a
    message naming it (never an IndexError on an empty folder), on a laptop the test skips."""
    path = SHARED.joinpath(*parts)
    require_client(path.exists(), f"the shared corpus ({path})",
                   "place the shared/ folder beside the repository, or set KG_SHARED to where it is")
    return path


def require_executable(exe: str, install: str) -> str:
    path = shutil.which(exe)
    require_client(path is not None, exe, install)
    return path  # type: ignore[return-value]


# ------------------------------------------------------------------ an ontology of your own
LAUNCH_SITES = ROOT / "tests" / "data" / "launch_sites"


def extend_with_launch_sites(folder: Path) -> Path:
    """The README's walkthrough on a copy of kg's ontology folder: the class LaunchSite and the
    relation launchedFrom (kg.ttl), a gazetteer of launch sites, a trigger, their colours, and
    shapes derived from kg.ttl (shapes.ttl removed).  The pieces are tests/data/launch_sites/."""
    import json

    with (folder / "kg.ttl").open("a", encoding="utf-8") as fh:
        fh.write((LAUNCH_SITES / "kg.ttl").read_text(encoding="utf-8"))
    shutil.copyfile(LAUNCH_SITES / "launch_sites.jsonl", folder / "gazetteer" / "launch_sites.jsonl")
    rules = folder / "relations.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("triggers:\n", "triggers:\n" + (LAUNCH_SITES / "relations.yaml").read_text(
        encoding="utf-8"), 1), encoding="utf-8")
    style = json.loads((folder / "style.json").read_text(encoding="utf-8"))
    for key, entries in json.loads((LAUNCH_SITES / "style.json").read_text(encoding="utf-8")).items():
        style[key].update(entries)
    (folder / "style.json").write_text(json.dumps(style, indent=2) + "\n", encoding="utf-8")
    (folder / "shapes.ttl").unlink()
    return folder


@pytest.fixture(scope="session")
def launch_site_ontology(tmp_path_factory) -> Path:
    from kg import ontology

    folder = tmp_path_factory.mktemp("own-ontology") / "my-ontology"
    ontology.init(folder)
    return extend_with_launch_sites(folder)


# ------------------------------------------------------------------ pipeline fixtures (model loaded once)
@pytest.fixture(scope="session")
def extractor():
    from kg.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def extract_text(extractor):
    """Run extraction on a snippet of markdown; returns (mentions, facts with labels)."""
    from kg.model import Document
    from kg.assemble import assemble
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
    from kg.assemble import assemble
    from kg.pipeline import extract_corpus

    require_client(DEV.is_dir(), f"the dev corpus ({DEV})",
                   "place the shared/ folder beside the repository, or set KG_SHARED to where it is")
    results, errors = extract_corpus([SEEDS, DEV])
    assert not errors, errors
    return assemble(results)
