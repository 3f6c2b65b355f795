"""Extraction quality as `kg eval` scores it: the 26 annotated dev documents (seeds + ../shared/corpus/dev), and the
49 real passages of ../shared/corpus/real cross-validated by topic group."""
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


#: The issue's targets on the real corpus cross-validated by topic, which kg meets: a change that makes kg
#: worse on topics it has not seen fails here.
REAL_FLOORS = {"relations": 0.70, "entities": 0.93, "launch_dates": 0.90}
#: Relations must reach their F1 without giving up precision.
REAL_RELATION_PRECISION = 0.80


@pytest.fixture(scope="module")
def real_cv(extractor):
    from kg.crossval import cross_validate
    from kg.train import read_examples
    from tests.conftest import SEEDS, shared

    dev, real = shared("corpus", "dev"), shared("corpus", "real")
    examples = read_examples([dev / "gold.jsonl", real / "gold.jsonl"], [SEEDS, dev, real], extractor)
    return cross_validate(examples, extractor, sorted({ex.group for ex in examples} - {"dev"}))


@pytest.mark.quality
@pytest.mark.parametrize("metric, floor", sorted(REAL_FLOORS.items()))
def test_real_writing_cross_validated_by_topic(real_cv, metric, floor):
    score = getattr(real_cv.total, metric)
    assert len(real_cv.folds) == 7 and real_cv.total.documents == 49
    assert score.f1 >= floor, f"{metric}: P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f} < {floor}"
    if metric == "relations":
        assert score.precision >= REAL_RELATION_PRECISION, f"relations: P={score.precision:.3f} < 0.80"
