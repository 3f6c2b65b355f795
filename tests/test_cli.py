"""The CLI, in-process: each command's output and exit code, good input and bad."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import ROOT, SEEDS, shared


@pytest.fixture(scope="module")
def built(tmp_path_factory, extractor):
    out = tmp_path_factory.mktemp("cli") / "output"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_build_prints_a_summary(built):
    out, text = built
    assert "documents read" in text and "facts: operatedBy" in text and "entities: Agency" in text
    assert (out / "graph.ttl").is_file()


def test_a_second_build_says_what_it_reused(built):
    out, first = built
    assert "from the cache" not in first
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "unchanged, from the cache" in result.output
    assert re.search(r"unchanged, from the cache\W+2\b", result.output)
    assert re.search(r"text reused from the last build\W+100%", result.output)


def test_eval_json(built):
    out, _ = built
    result = CliRunner().invoke(main, ["eval", str(shared("corpus", "dev", "gold.jsonl")), "--graph", str(out / "graph.ttl"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # only the two seeds are in this graph: the 24 dev documents are reported missing
    assert len(data["missing_documents"]) == 24
    assert data["relations"]["tp"] >= 6 and 0 < data["entities"]["precision"] <= 1


def test_eval_table(built):
    out, _ = built
    result = CliRunner().invoke(main, ["eval", str(shared("corpus", "dev", "gold.jsonl")), "--graph", str(out / "graph.ttl")])
    assert result.exit_code == 0
    assert "typed entities" in result.output and "operatedBy" in result.output


@pytest.mark.parametrize("fmt, marker", [("csv", "JUICE"), ("json", '"JUICE"'), ("table", "JUICE")])
def test_query_file(built, fmt, marker):
    out, _ = built
    result = CliRunner().invoke(main, ["query", str(out / "graph.ttl"), "-f", str(ROOT / "queries" / "missions_by_agency.rq"),
                                       "--format", fmt])
    assert result.exit_code == 0, result.output
    assert marker in result.output


def test_query_inline(built):
    out, _ = built
    result = CliRunner().invoke(main, ["query", str(out / "graph.ttl"),
                                       "SELECT ?m WHERE { ?m kg:operatedBy ?a . ?a rdfs:label \"ESA\" }", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "JUICE" in result.output


def test_validate_conforms(built):
    out, _ = built
    result = CliRunner().invoke(main, ["validate", str(out / "graph.ttl")])
    assert result.exit_code == 0, result.output


def test_export_from_turtle(built, tmp_path):
    out, _ = built
    result = CliRunner().invoke(main, ["export", str(out / "graph.ttl"), "--format", "turtle", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()


def test_formats_lists_exporters():
    result = CliRunner().invoke(main, ["formats"])
    assert result.exit_code == 0
    assert "turtle" in result.output and "graph.ttl" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["eval", "missing.jsonl", "--graph", "missing.ttl"], "missing.jsonl: cannot read gold file"),
        (["build", str(SEEDS), "--formats", "nope"], "unknown export format 'nope'"),
        (["query", str(SEEDS / "000_be274fb490424e22.txt"), "SELECT * WHERE {?s ?p ?o}"], "000_be274fb490424e22.txt"),
    ],
)
def test_errors_name_the_problem(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert message in result.output


def test_build_of_nothing_fails(tmp_path):
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no document could be read" in result.output
    assert not (tmp_path / "out").exists()
