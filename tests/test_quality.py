"""Extraction quality on the 26 annotated documents (seeds + ../shared/corpus/dev), as `kg eval` scores it."""
from __future__ import annotations

import pytest

from kg.evaluate import evaluate, load_gold
from tests.conftest import DEV

TARGETS = {"entities": 0.95, "relations": 0.85, "launch_dates": 0.90}


@pytest.fixture(scope="module")
def report(dev_graph):
    return evaluate(load_gold(DEV / "gold.jsonl"), dev_graph)


@pytest.mark.quality
@pytest.mark.parametrize("metric, target", sorted(TARGETS.items()))
def test_f1_meets_target(report, metric, target):
    score = getattr(report, metric)
    assert score.f1 >= target, f"{metric}: P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} < {target}"


@pytest.mark.quality
def test_every_gold_document_was_built(report):
    assert report.documents == 26 and not report.missing_documents


@pytest.mark.quality
@pytest.mark.parametrize("relation", ["operatedBy", "orbits", "flyby", "moonOf", "launchVehicle", "partOf",
                                      "participatesIn", "collaboratesWith", "landsOn", "targets"])
def test_each_relation_is_extracted_with_some_precision(report, relation):
    score = report.per_relation[relation]
    assert score.precision >= 0.7 and score.recall >= 0.5, score.as_dict()
