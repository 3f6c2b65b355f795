"""Extraction quality, measured the way the README reports it; writes bench/quality.json.

    .venv/bin/python bench/quality.py                     # about two minutes on 2 cores
    .venv/bin/python bench/quality.py --compare-learners  # also gradient-boosted trees on the same features

Rows (all scored by kg eval's own scoring, on graphs built as kg build builds them):
  * dev, shipped model: seeds + ../shared/corpus/dev with kg's model (which was trained on them too);
  * dev, rules alone;
  * dev, held out: a model trained on ../shared/corpus/real only, deciding the dev documents;
  * real, cross-validated: each of the 7 topic groups of ../shared/corpus/real left out in turn, the
    model trained on the dev corpus and the other 6 groups (threshold chosen on those alone);
  * real, rules alone.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.crossval import cross_validate  # noqa: E402
from kg.evaluate import evaluate  # noqa: E402
from kg.assemble import assemble  # noqa: E402
from kg.pipeline import Extractor  # noqa: E402
from kg.train import choose_threshold, learn, read_examples  # noqa: E402


def row(report) -> dict:
    out = {k: getattr(report, k).as_dict() for k in ("entities", "relations", "launch_dates")}
    out["per_relation"] = {r: s.as_dict() for r, s in sorted(report.per_relation.items())}
    return out


def decided(examples, extractor, model) -> dict:
    results = [extractor.decide(ex.reading, model) for ex in examples]
    return row(evaluate([ex.gold for ex in examples], assemble(results)))


def compare_learners(examples, extractor, groups) -> dict:
    """Gradient-boosted trees (scikit-learn) on the same bags and features, deciding as the shipped
    logistic regression decides (rules kept, threshold chosen on the training groups)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from kg.crossval import _sum
    from kg.relations.learned import RelationModel

    class TreeModel(RelationModel):
        def __init__(self, exs, threshold):
            super().__init__({}, 0.0, threshold)
            seen: dict[str, int] = {}
            for ex in exs:
                for feats in ex.features:
                    for f in feats:
                        seen[f] = seen.get(f, 0) + 1
            self.index = {f: i for i, f in enumerate(sorted(f for f, n in seen.items() if n >= 5))}
            rows = [(feats, lab) for ex in exs for feats, lab in zip(ex.features, ex.labels)]
            X = np.zeros((len(rows), len(self.index)), dtype=np.float32)
            for i, (feats, _) in enumerate(rows):
                X[i, [self.index[f] for f in feats if f in self.index]] = 1.0
            self.clf = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(X, [lab for _, lab in rows])

        def probability(self, features):
            x = np.zeros((1, len(self.index)), dtype=np.float32)
            x[0, [self.index[f] for f in features if f in self.index]] = 1.0
            return float(self.clf.predict_proba(x)[0, 1])

    reports = []
    for g in groups:
        train = [ex for ex in examples if ex.group != g]
        test = [ex for ex in examples if ex.group == g]
        model = TreeModel(train, 0.5)
        model.threshold = choose_threshold(train, make=lambda exs: TreeModel(exs, 0.5))
        reports.append(evaluate([ex.gold for ex in test], assemble([extractor.decide(ex.reading, model) for ex in test])))
    return row(_sum(reports))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared data folder")
    ap.add_argument("--out", default=str(ROOT / "bench" / "quality.json"))
    ap.add_argument("--compare-learners", action="store_true")
    args = ap.parse_args()
    shared = Path(args.shared)
    dev, real = shared / "corpus" / "dev", shared / "corpus" / "real"
    for p in (dev / "gold.jsonl", real / "gold.jsonl"):
        if not p.exists():
            sys.exit(f"bench/quality.py: {p} is missing (place the shared/ folder beside the repository)")
    t0 = time.perf_counter()
    extractor = Extractor(relation_model="default")
    examples = read_examples([dev / "gold.jsonl", real / "gold.jsonl"], [ROOT / "seeds", dev, real], extractor)
    dev_ex = [ex for ex in examples if ex.group == "dev"]
    real_ex = [ex for ex in examples if ex.group != "dev"]
    groups = sorted({ex.group for ex in real_ex})
    shipped = extractor.relations.model
    figures = {
        "dev, shipped model (trained on it too)": decided(dev_ex, extractor, shipped),
        "dev, rules alone": decided(dev_ex, extractor, None),
        "dev, held out (model trained on real only)": decided(dev_ex, extractor, learn(real_ex, {})),
        "real, rules alone": decided(real_ex, extractor, None),
    }
    cv = cross_validate(examples, extractor, groups)
    figures["real, cross-validated by topic group"] = row(cv.total)
    figures["real, cross-validated: thresholds"] = cv.thresholds
    if args.compare_learners:
        figures["real, cross-validated, gradient-boosted trees"] = compare_learners(examples, extractor, groups)
    figures["seconds"] = round(time.perf_counter() - t0, 1)
    Path(args.out).write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print("| rows | typed entities F1 | relations P / R / F1 | launch dates P / R / F1 |")
    print("|---|---|---|---|")
    for name, f in figures.items():
        if not isinstance(f, dict) or "relations" not in f:
            continue
        r, d = f["relations"], f["launch_dates"]
        print(f"| {name} | {f['entities']['f1']:.3f} | {r['precision']:.3f} / {r['recall']:.3f} / {r['f1']:.3f} | "
              f"{d['precision']:.3f} / {d['recall']:.3f} / {d['f1']:.3f} |")
    cvr = figures["real, cross-validated by topic group"]["per_relation"]
    print("\n| relation (real, cross-validated) | P | R | F1 | tp | fp | fn |\n|---|---|---|---|---|---|---|")
    for rel, s in cvr.items():
        print(f"| {rel} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['tp']} | {s['fp']} | {s['fn']} |")


if __name__ == "__main__":
    main()
