"""kg build end to end on the seeds: the facts the user named, with their evidence, and safe output."""
from __future__ import annotations

import os

import pytest

from kg import export
from kg.errors import BuildError
from kg.outputs import write_outputs
from kg.pipeline import build

from tests.conftest import SEEDS

VIDEO = "000_be274fb490424e22"
QA = "002_c0d6834590c3d383"


def _facts(G):
    label = {n: a["label"] for n, a in G.nodes(data=True) if a.get("kind") == "entity"}
    return {(label[u], a["relation"], label[v]): a for u, v, a in G.edges(data=True) if a.get("kind") == "fact"}


@pytest.mark.parametrize(
    "fact, doc, sentence_part, timestamp",
    [
        (("Europa Clipper", "operatedBy", "NASA"), VIDEO, "NASA's Europa Clipper mission", 38),
        (("JUICE", "operatedBy", "ESA"), VIDEO, "The ESA's JUICE mission is already en route to Jupiter", 854),
        (("JUICE", "orbits", "Ganymede"), VIDEO, "tight orbit around Ganymede", 867),
        (("JUICE", "flyby", "Europa"), VIDEO, "JUICE will perform a few flybys of Europa", 864),
        (("Artemis", "operatedBy", "NASA"), QA, "NASA's Artemis program", None),
        (("ESA", "collaboratesWith", "NASA"), QA, "these agencies", None),
    ],
)
def test_seed_facts_with_evidence(seed_graph, fact, doc, sentence_part, timestamp):
    facts = _facts(seed_graph)
    assert fact in facts, sorted(facts)
    evidence = [e for e in facts[fact]["evidence"] if e["doc_id"] == doc]
    assert evidence, f"{fact} has no evidence in {doc}"
    ev = next((e for e in evidence if sentence_part in e["sentence"]), None)
    assert ev is not None, [e["sentence"] for e in evidence]
    src = (SEEDS / f"{doc}.txt").read_text(encoding="utf-8")
    assert ev["start"] < ev["end"] <= len(src)
    first_word = ev["sentence"].split()[0]
    assert src[ev["start"]: ev["start"] + len(first_word)] == first_word
    if timestamp is None:
        assert ev["timestamp_url"] is None
    else:
        assert ev["timestamp"] == timestamp
        assert ev["timestamp_url"] == f"https://www.youtube.com/watch?v=DJO_9auJhJQ&t={timestamp}s"
    assert ev["rule"] and 0 < ev["confidence"] <= 1


def test_seed_entities_are_canonical(seed_graph):
    ents = {a["label"]: a for _, a in seed_graph.nodes(data=True) if a.get("kind") == "entity"}
    assert ents["ESA"]["cls"] == "Agency" and "European Space Agency" in ents["ESA"]["aliases"]
    assert ents["ESA"]["qid"] == "Q42262"
    assert not any(label.startswith("European Space Agency") for label in ents if label != "ESA")
    assert ents["JUICE"]["cls"] == "Mission"
    assert ents["Ganymede"]["cls"] == "Moon"


def test_metadata_is_not_prose(seed_graph):
    # "From: [[veritasium]]" is the channel, not an entity
    labels = {a["label"].lower() for _, a in seed_graph.nodes(data=True) if a.get("kind") == "entity"}
    assert "veritasium" not in labels
    doc = seed_graph.nodes[f"doc:{VIDEO}"]
    assert doc["channel"] == "veritasium" and doc["video_id"] == "DJO_9auJhJQ"


def test_related_articles_become_links(seed_graph):
    related = [v for u, v, k in seed_graph.edges(keys=True) if k == "related" and u == f"doc:{QA}"]
    assert len(related) == 3
    assert all(seed_graph.nodes[v]["external"] for v in related)


def test_every_exporter_wrote_its_files(seed_build):
    written = {p.name for p in seed_build.outputs}
    for exp in export.exporters().values():
        for name in exp.outputs:
            assert name.split("/")[-1] in written, f"{exp.name} did not write {name}"


def test_summary_counts(seed_build):
    assert seed_build.documents == 2 and not seed_build.skipped
    assert seed_build.entities["Agency"] >= 2
    assert seed_build.facts["operatedBy"] >= 3


def test_an_output_folder_among_the_notes_is_not_read_as_notes(tmp_path):
    import shutil

    notes = tmp_path / "vault"
    shutil.copytree(SEEDS, notes)
    first = build([notes], notes / "graph", formats=["turtle"])
    (notes / "graph" / "README.md").write_text("The Zephyrine orbiter will orbit Neptune.\n", encoding="utf-8")
    again = build([notes], notes / "graph", formats=["turtle"])
    assert again.documents == first.documents == 2
    assert "Zephyrine" not in (notes / "graph" / "graph.ttl").read_text(encoding="utf-8")
    assert (notes / "graph" / "README.md").is_file()  # kept, as the user's own file


def test_bad_file_is_skipped_and_named(tmp_path):
    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "good.md").write_text("NASA's Juno orbits Jupiter.\n")
    (corpus / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    report = build([corpus], tmp_path / "out", formats=["turtle"])
    assert report.documents == 1
    assert [e.path for e in report.skipped] == [str(corpus / "broken.md")]
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_nothing_readable_is_an_error(tmp_path):
    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    with pytest.raises(BuildError, match="no document could be read"):
        build([corpus], tmp_path / "out")


@pytest.mark.parametrize("jobs", [1, 2])  # 2: exporters run in forked processes
def test_failed_exporter_leaves_previous_output(tmp_path, seed_graph, jobs):
    out = tmp_path / "output"
    write_outputs(seed_graph, out, ["turtle"])
    before = (out / "graph.ttl").read_bytes()

    def boom(G, d):
        (d / "graph.ttl").write_text("half")
        raise RuntimeError("disk full")

    export.register("boom", boom, ("graph.ttl",), "fails on purpose")
    try:
        with pytest.raises(BuildError, match="exporter 'boom' failed: disk full"):
            write_outputs(seed_graph, out, ["turtle", "boom", "gexf"], jobs=jobs)
    finally:
        export._REGISTRY.pop("boom")
    assert (out / "graph.ttl").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


@pytest.mark.parametrize("fails", [False, True], ids=["built", "exporter failed"])
def test_a_build_leaves_the_cycle_collector_as_it_found_it(tmp_path, fails):
    import gc

    def boom(G, d):
        raise RuntimeError("disk full")

    export.register("boom", boom, ("boom.txt",), "fails on purpose")
    try:
        if fails:
            with pytest.raises(BuildError, match="disk full"):
                build([SEEDS], tmp_path / "out", formats=["turtle", "boom"])
        else:
            build([SEEDS], tmp_path / "out", formats=["turtle"])
    finally:
        export._REGISTRY.pop("boom")
    assert gc.isenabled()


def test_strict_fails_on_the_first_bad_file(tmp_path):
    from kg.errors import InputError

    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "a_good.md").write_text("NASA's Juno orbits Jupiter.\n")
    (corpus / "b_broken.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    with pytest.raises(InputError, match="b_broken.md"):
        build([corpus], tmp_path / "out", strict=True, cache=False)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("limit, option", [({"max_bytes": 60}, "--max-file-size"), ({"max_chars": 60}, "--max-doc-chars")])
def test_limits_skip_with_a_message_naming_the_option(tmp_path, limit, option):
    from kg.pipeline import extract_corpus

    corpus = tmp_path / "notes"
    corpus.mkdir()
    (corpus / "long.md").write_text("NASA's Juno orbits Jupiter. " * 5)
    (corpus / "short.md").write_text("Juno orbits Jupiter.\n")
    results, errors = extract_corpus([corpus], **limit)
    assert [r.document.id for r in results] == ["short"]
    assert [os.path.basename(e.path) for e in errors] == ["long.md"]
    assert option in errors[0].reason


def test_reference_facts_only_on_request_and_marked(extractor):
    from kg.evaluate import evaluate, load_gold
    from kg.assemble import assemble
    from kg.pipeline import extract_corpus
    from kg.rdf import to_rdf
    from rdflib import Literal
    from tests.conftest import shared

    gold_file = shared("corpus", "dev", "gold.jsonl")
    results, _ = extract_corpus([SEEDS])
    plain, with_ref = assemble(results), assemble(results, reference_facts=True)
    label = {n: a["label"] for n, a in with_ref.nodes(data=True) if a.get("kind") == "entity"}
    refs = {(label[u], a["relation"], label[v]) for u, v, a in with_ref.edges(data=True) if a.get("reference")}
    assert ("Europa", "moonOf", "Jupiter") in refs and ("Ganymede", "moonOf", "Jupiter") in refs
    assert not any(a.get("reference") for _, _, a in plain.edges(data=True))
    # text facts are never replaced, and reference facts carry no evidence
    assert all(not a["evidence"] for _, _, a in with_ref.edges(data=True) if a.get("reference"))
    text_facts = {(u, v, k) for u, v, k, a in plain.edges(keys=True, data=True) if a.get("kind") == "fact"}
    assert text_facts <= {(u, v, k) for u, v, k in with_ref.edges(keys=True)}
    # marked in RDF, and not scored by kg eval
    assert Literal(True) in set(to_rdf(with_ref).objects())
    gold = [g for g in load_gold(gold_file) if g["doc"].startswith("00")]
    assert evaluate(gold, with_ref).relations.as_dict() == evaluate(gold, plain).relations.as_dict()
