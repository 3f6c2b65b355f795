"""A hostile corpus through the whole pipeline: every bad file is named and skipped, and no text
from a note becomes code in any export, checked with the real clients.

The notes carry injection attempts where untrusted text really travels: titles, channels,
keywords and the evidence sentences of real facts.
"""
from __future__ import annotations

import csv
import io
import os

import pytest
from rdflib import DCTERMS, Graph, Literal

from kg.pipeline import build
from tests.export.test_gexf import read_with_graphology
from tests.export.test_graphml import igraph_read
from tests.export.browser import Visit, browser  # noqa: F401  (the fixture)
from tests.export.test_neo4j import falkordb, statements  # noqa: F401  (the fixture)
from tests.export.test_turtle import rapper_graph

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '"><img src=x onerror=window.__pwned=1>'
CYPHER = "'}) MATCH (n) DETACH DELETE n //"
QUOTES = 'Triple """ quote \\ back\\slash'


def _yaml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, extractor):
    corpus = tmp_path_factory.mktemp("hostile") / "vault"
    corpus.mkdir()
    (corpus / "script_title.md").write_text(
        f"---\ntitle: {_yaml(SCRIPT)}\nvideoId: abc123\n---\n\nFrom: [[x | {CYPHER}]]\n\n"
        f"NASA's Juno entered orbit around Jupiter &lt;script&gt;window.__pwned=1&lt;/script&gt; and {IMG.replace('<', '&lt;').replace('>', '&gt;')}."
        ' <a class="yt-timestamp" data-t="00:01:05">[00:01:05]</a>\n', encoding="utf-8")
    (corpus / "cypher_title.md").write_text(
        f"---\ntitle: {_yaml(CYPHER)}\nkeywords: [{_yaml(IMG)}, {_yaml(QUOTES)}]\n---\n\n"
        f"ESA's JUICE will orbit Ganymede {QUOTES}.\n", encoding="utf-8")
    (corpus / "qa.md").write_text(
        "---\ntitle: " + _yaml(QUOTES) + "\nanswer: >-\n    Cassini, operated by NASA, flew past Venus twice"
        " \\u202e\\u200d\\U0001F680 on its way.\\n\\n\n---\n\n&nbsp;\n", encoding="utf-8")
    # bad files that must be reported and skipped
    (corpus / "broken.md").write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    (corpus / "python_tag.md").write_text('---\ntitle: !!python/object/apply:os.system ["touch /tmp/kg-pwned"]\n---\nText\n')
    (corpus / "binary.md").write_bytes(b"\x00\x01\x02binary\x00")
    (corpus / "empty.md").write_text("")
    out = corpus.parent / "output"
    report = build([corpus], out, cache=False)
    return corpus, out, report


def test_bad_files_are_named_once_and_skipped(hostile_build):
    corpus, _, report = hostile_build
    skipped = sorted(os.path.basename(e.path) for e in report.skipped)
    assert skipped == ["binary.md", "broken.md", "empty.md", "python_tag.md"]
    assert all(e.reason for e in report.skipped)
    assert report.documents == 3
    assert not os.path.exists("/tmp/kg-pwned")


def test_facts_survive_the_noise(hostile_build):
    G = hostile_build[2].graph
    label = {n: a["label"] for n, a in G.nodes(data=True) if a.get("kind") == "entity"}
    facts = {(label[u], a["relation"], label[v]) for u, v, a in G.edges(data=True) if a.get("kind") == "fact"}
    assert {("Juno", "orbits", "Jupiter"), ("JUICE", "orbits", "Ganymede"), ("Cassini", "flyby", "Venus")} <= facts


@pytest.mark.client
def test_html_runs_nothing(hostile_build, browser):  # noqa: F811
    _, out, _ = hostile_build
    v = Visit(browser, out / "graph.html")
    try:
        v.page.evaluate("() => { for (const box of document.querySelectorAll('input[type=checkbox]')) "
                        "if (!box.checked) box.click(); }")
        v.page.wait_for_timeout(200)
        assert v.js("typeof window.__pwned") == "undefined"
        assert v.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert v.errors == [] and v.outside == []
        assert v.search("Juno")
    finally:
        v.close()


@pytest.mark.client
def test_cypher_keeps_hostile_titles_as_values_and_deletes_nothing(hostile_build, falkordb):  # noqa: F811
    _, out, _ = hostile_build
    falkordb.query("CREATE (:Sentinel {id: 'keep-me'})")
    for statement in statements((out / "neo4j" / "import.cypher").read_text(encoding="utf-8")):
        falkordb.query(statement)
    titles = {row[0] for row in falkordb.query("MATCH (d:Document) RETURN d.title").result_set}
    assert {SCRIPT, CYPHER, QUOTES} <= titles
    assert falkordb.query("MATCH (s:Sentinel) RETURN count(s)").result_set == [[1]]


@pytest.mark.client
def test_turtle_literals_come_back_exactly(hostile_build):
    _, out, _ = hostile_build
    for g in (Graph().parse(out / "graph.ttl"), rapper_graph(out / "graph.ttl")):
        titles = {str(o) for o in g.objects(None, DCTERMS.title)}
        assert {SCRIPT, CYPHER, QUOTES} <= titles
        assert any(IMG in str(o) for o in g.objects()) and Literal(IMG) in set(g.objects())
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(out / "graph.ttl"))


def test_csv_round_trips(hostile_build):
    _, out, _ = hostile_build
    rows = list(csv.DictReader(io.StringIO((out / "neo4j" / "nodes.csv").read_text(encoding="utf-8"))))
    assert {SCRIPT, CYPHER, QUOTES} <= {cell for row in rows for cell in row.values()}


@pytest.mark.client
def test_gexf_and_graphml_parse_in_their_clients(hostile_build):
    _, out, report = hostile_build
    n = report.graph.number_of_nodes()
    assert read_with_graphology(out / "graph.gexf")["order"] == n
    assert igraph_read(out / "graph.graphml").vcount() == n
