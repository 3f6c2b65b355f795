"""Cross-validation of the relation model by topic group: how kg does on topics it has not seen.

Each group of the gold (its ``group`` field, else the gold file's folder) is left out in turn: a
model is trained (:func:`kg.train.learn`, threshold chosen on the remaining groups alone) on the
other groups, the left-out documents are decided with it, built into a graph as ``kg build``
builds one, and scored by ``kg eval``'s own scoring.  The scores of the folds are summed (micro
averages), so the figure is that of a whole corpus whose every document was unseen.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .evaluate import EvalReport, Score, evaluate
from .assemble import assemble
from .pipeline import Extractor
from .train import C, Example, learn, retyped
from .typing_train import C as TYPING_C
from .typing_train import fit_typer


@dataclass
class CrossValidation:
    """The summed report over the held-out groups, and each group's own."""

    total: EvalReport
    folds: dict[str, EvalReport] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total.as_dict(), "thresholds": self.thresholds,
                "folds": {g: r.as_dict() for g, r in sorted(self.folds.items())}}


def _sum(reports: list[EvalReport]) -> EvalReport:
    def add(scores: list[Score]) -> Score:
        return Score(sum(s.tp for s in scores), sum(s.fp for s in scores), sum(s.fn for s in scores))

    per_rel: dict[str, list[Score]] = defaultdict(list)
    per_cls: dict[str, list[Score]] = defaultdict(list)
    for r in reports:
        for k, v in r.per_relation.items():
            per_rel[k].append(v)
        for k, v in r.per_class.items():
            per_cls[k].append(v)
    return EvalReport(
        add([r.entities for r in reports]), add([r.relations for r in reports]),
        add([r.launch_dates for r in reports]),
        {k: add(v) for k, v in per_rel.items()}, {k: add(v) for k, v in per_cls.items()},
        sum(r.documents for r in reports), [d for r in reports for d in r.missing_documents],
        {d: e for r in reports for d, e in r.errors.items()})


def cross_validate(examples: list[Example], extractor: Extractor, held_out: list[str] | None = None,
                   c: float = C, on_fold=None, typing_c: float = TYPING_C) -> CrossValidation:
    """Leave each group of ``held_out`` (default: every group) out in turn; ``on_fold(group, report)``
    is called after each fold.  Examples read with entity typing (``kg train --entity-typing``) are
    read again in each fold with the typing the other groups teach: the left-out notes' names are
    then unknown, as a new note's are."""
    groups = sorted({ex.group for ex in examples})
    held_out = groups if held_out is None else list(held_out)
    unknown = sorted(set(held_out) - set(groups))
    if unknown:
        raise ValueError(f"no gold document is in group(s) {', '.join(unknown)} (groups: {', '.join(groups)})")
    folds: dict[str, EvalReport] = {}
    thresholds: dict[str, float] = {}
    for g in held_out:
        train = [ex for ex in examples if ex.group != g]
        test = [ex for ex in examples if ex.group == g]
        if train and train[0].typing is not None:  # --entity-typing: names and classifier of the other groups
            typer = fit_typer([ex.typing for ex in train], extractor, typing_c)
            train, test = retyped(train, typer, extractor), retyped(test, typer, extractor)
        model = learn(train, {}, c)
        thresholds[g] = model.threshold
        results = [extractor.decide(ex.reading, model) for ex in test]
        report = evaluate([ex.gold for ex in test], assemble(results, extractor.ontology.directory))
        folds[g] = report
        if on_fold is not None:
            on_fold(g, report)
    return CrossValidation(_sum(list(folds.values())), folds, thresholds)
