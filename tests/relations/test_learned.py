"""The relation model file: checked against the ontology and this kg, refused with the reason otherwise;
its facts carry "model" and a confidence, and --min-confidence filters them."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from kg import __version__, ontology
from kg.cli import main
from kg.errors import RelationModelError
from kg.relations.features import FEATURES_VERSION
from kg.relations.learned import SHIPPED, RelationModel, choose
from tests.conftest import ROOT, SEEDS

TRAIN = ROOT / "tests" / "data" / "train"


def _tampered(tmp_path, change):
    data = json.loads(SHIPPED.read_text())
    data.pop("checksum")
    change(data)
    model = RelationModel(data.pop("weights"), data.pop("intercept"), data.pop("threshold"),
                          {k: v for k, v in data.items() if k not in ("format", "format_version")})
    path = tmp_path / "model.json"
    path.write_bytes(model.dumps())
    return path


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(kg_version="0.0.1"), f"made for kg 0.0.1 (features v{FEATURES_VERSION}), this is kg {__version__}"),
    (lambda d: d.update(features_version=0), f"made for kg {__version__} (features v0)"),
    (lambda d: d.update(ontology_schema="0000000000000000"), "made for another ontology (schema 0000000000000000"),
])
def test_a_model_for_another_kg_or_ontology_is_refused(tmp_path, change, message):
    path = _tampered(tmp_path, change)
    with pytest.raises(RelationModelError) as err:
        RelationModel.load(path, ontology.load())
    assert str(err.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize("content, message", [
    (lambda text: text.replace('"threshold":', '"threshold":0.0001,"x":', 1), "checksum mismatch"),
    (lambda text: "{not json", "not a relation model (invalid JSON"),
    (lambda text: '{"format": "something else"}', 'not a kg relation model'),
])
def test_a_damaged_file_is_refused(tmp_path, content, message):
    path = tmp_path / "model.json"
    path.write_text(content(SHIPPED.read_text()))
    with pytest.raises(RelationModelError, match=message.replace("(", r"\(")):
        RelationModel.load(path, ontology.load())


def test_build_refuses_a_model_made_for_another_ontology_before_reading_notes(tmp_path):
    path = _tampered(tmp_path, lambda d: d.update(ontology_schema="0000000000000000"))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--relation-model", str(path)])
    assert result.exit_code == 1 and "made for another ontology" in " ".join(result.output.split())
    assert not out.exists()


def test_a_missing_model_file_is_named(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "o"),
                                       "--relation-model", str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "nope.json: relation model file missing" in " ".join(result.output.split())


def test_the_default_model_is_left_out_for_an_ontology_of_your_own(tmp_path):
    own = tmp_path / "ontology"
    shutil.copytree(ontology.ONTOLOGY_DIR, own)
    ttl = own / "kg.ttl"
    ttl.write_text(ttl.read_text() + "\nkg:LaunchSite a owl:Class ; rdfs:subClassOf kg:Entity ; rdfs:label \"Launch site\"@en .\n")
    assert choose("default", ontology.Ontology(own)) is None
    assert choose("default", ontology.load()) is not None
    assert choose("none", ontology.load()) is None


def _facts(graph):
    return [(a["relation"], e) for _, _, a in graph.edges(data=True) if a.get("kind") == "fact" for e in a["evidence"]]


def test_evidence_names_the_rule_or_the_model_and_min_confidence_filters(tmp_path):
    from kg.pipeline import build

    eager = _tampered(tmp_path, lambda d: d.update(threshold=0.01))  # keeps every bag it scores
    full = build([TRAIN], tmp_path / "full", formats=["turtle"], cache=False, relation_model=eager).graph
    rules = {e["rule"].split(":")[0] for _, e in _facts(full)}
    assert "model" in rules and len(rules) > 2  # the model adds facts beside the rules' own
    assert all(0 < e["confidence"] <= 1 for _, e in _facts(full))
    strict = build([TRAIN], tmp_path / "strict", formats=["turtle"], cache=False, relation_model=eager,
                   min_confidence=0.85).graph
    kept = _facts(strict)
    assert kept and all(e["confidence"] >= 0.85 for _, e in kept)
    assert len(kept) < len(_facts(full))
    none = build([TRAIN], tmp_path / "none", formats=["turtle"], cache=False, relation_model="none").graph
    assert all(e["rule"] != "model" for _, e in _facts(none))
