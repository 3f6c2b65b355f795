"""``kg train``: the relation model, learned from gold files and the documents they annotate.

1. Every gold file is read and checked against the ontology (:mod:`kg.gold`); every annotated
   document must be found under the document paths.
2. Each document is read as a build reads it (spaCy, entities, the rules) and its candidate
   bags (:mod:`kg.relations.candidates`) are labelled from the gold: a bag is positive when its
   two entities, matched to the gold's by name or alias as ``kg eval`` matches them, stand in
   the gold in that relation (or with that launch date).
3. A logistic regression (scikit-learn) learns the bags' features, seeded and on one thread, so
   the same inputs give the same model bytes.  The decision threshold is the one with the best
   F1 when each topic group of the gold (its ``group`` field, else the gold file's folder) is in
   turn left out of training and predicted (averaged with its neighbours on the grid, so one
   lucky point does not decide): a threshold chosen on topics the model did not see.
4. The model file records the kg version, the feature version, the ontology's schema, the spaCy
   model, the gold files' checksums and the learner's settings, with a checksum of its own.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import DEFAULT_MODEL, __version__, ingest
from .canonical import normalise
from .errors import EvalError, KGError
from .evaluate import Score, _align, _Pred
from .gold import load_gold_files
from .model import Document
from .pipeline import Extractor, Reading
from .relations.candidates import Bag
from .relations.features import FEATURES_VERSION, Featurizer
from .relations.learned import RelationModel, document_bags

#: The learner's settings (recorded in the model file).
C = 0.3
SEED = 0
MAX_ITER = 5000
#: A feature seen in fewer training bags than this is left out (it would only memorise them).
MIN_COUNT = 2
#: Thresholds tried when choosing the decision threshold.
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 19))
#: Neighbours on each side of a threshold its left-out F1 is averaged with (see :func:`best_threshold`).
SMOOTHING = 1


@dataclass
class Example:
    """One annotated document, read: its gold record, its reading and its labelled bags."""

    doc_id: str
    group: str
    gold: dict[str, Any]
    reading: Reading
    names: dict[str, str]  # local entity key -> gold entity name
    bags: list[Bag] = field(default_factory=list)
    features: list[list[str]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    symmetric: frozenset[str] = frozenset()  # the ontology's symmetric relations
    typing: Any = None  # with --entity-typing: what entity typing learns from it (kg.typing_train.TypingSource)
    typer: Any = None  # with --entity-typing: the entity typing its reading used

    def gold_facts(self) -> set[tuple[str, str, str]]:
        out = {self.key(s, r, o) for s, r, o in self.gold.get("triples", [])}
        return out | {(s, r, v) for s, r, v in self.gold.get("attributes", [])}

    def name(self, key: str, literal: bool = False) -> str:
        return key if literal else self.names.get(key, "\x00" + key)


    def key(self, s: str, r: str, o: str) -> tuple[str, str, str]:
        """A fact as scoring compares it: a symmetric relation's two ends in one order."""
        return (o, r, s) if r in self.symmetric and o < s else (s, r, o)


# ---------------------------------------------------------------------------------------- reading
def read_examples(gold_paths: Iterable[Path], doc_paths: Iterable[Path], extractor: Extractor,
                  entity_typing: bool = False) -> list[Example]:
    """Check the gold, find and read every document it annotates, and label the bags; with
    ``entity_typing``, read them with the entity typing the gold teaches (:mod:`kg.typing_train`)."""
    gold_paths = [Path(p) for p in gold_paths]
    doc_paths = [Path(p) for p in doc_paths]
    onto = extractor.ontology
    records = load_gold_files(gold_paths, onto)
    group_of = {}
    for path in gold_paths:
        for rec in load_gold_files([path]):
            group_of[rec["doc"]] = str(rec.get("group") or path.resolve().parent.name or path.stem)
    wanted = {rec["doc"]: rec for rec in records}
    files: dict[str, Path] = {}
    for item in ingest.iter_sources(doc_paths):
        if isinstance(item, KGError):
            raise item
        path, doc_id = item
        if doc_id in wanted and doc_id not in files:
            files[doc_id] = path
    missing = sorted(set(wanted) - set(files))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise EvalError(f"{len(missing)} annotated document(s) have no file under "
                        f"{', '.join(str(p) for p in doc_paths)}: {shown}")
    ids = sorted(files)
    documents = [ingest.read_document(files[i], i) for i in ids]
    later = ["ner"] if extractor.entities.ner is not None else []
    parsed: Iterable = extractor.nlp.pipe(((d.text, d) for d in documents), as_tuples=True, disable=later)
    sources: dict[str, Any] = {}
    typer = None
    if entity_typing:  # names and a span classifier first (kg.typing_train); the relation examples are
        # then read with them, on the mentions a build with the model will see
        from .typing_train import TypingSource, fit_typer

        parsed = list(parsed)
        sources = {d.id: TypingSource.read(extractor, doc, d, wanted[d.id], group_of[d.id]) for doc, d in parsed}
        typer = fit_typer([sources[i] for i in ids], extractor)
    reader = extractor if typer is None else extractor.with_typer(typer)
    return [example(reader, spacy_doc, document, wanted[document.id], group_of[document.id],
                    sources.get(document.id), typer) for spacy_doc, document in parsed]


def example(extractor: Extractor, spacy_doc: Any, document: Document, gold: dict[str, Any], group: str,
            typing: Any = None, typer: Any = None) -> Example:
    """One annotated document read by ``extractor``, its bags labelled."""
    onto = extractor.ontology
    reading = extractor.read(spacy_doc, document)
    ex = Example(document.id, group, gold, reading, gold_names(gold, reading, onto),
                 symmetric=frozenset(r for r, rel in onto.relations.items() if rel.symmetric), typing=typing, typer=typer)
    label(ex)
    return ex


def retyped(examples: list[Example], typer: Any, extractor: Extractor) -> list[Example]:
    """The examples read again with another entity typing (a cross-validation fold's, learnt
    without the fold's own names)."""
    reader = extractor.with_typer(typer)
    return [example(reader, ex.reading.run.doc, ex.reading.document, ex.gold, ex.group, ex.typing, typer)
            for ex in examples]


def gold_names(rec: dict[str, Any], reading: Reading, onto) -> dict[str, str]:
    """Local entity key -> gold name, matched as ``kg eval`` matches a graph's entities."""
    preds = []
    for le in reading.local:
        names = {normalise(s) for s in le.surfaces}
        qid = None
        if le.gazetteer_id and le.gazetteer_id in onto.gazetteer_by_id:
            entry = onto.gazetteer_by_id[le.gazetteer_id]
            names |= {normalise(n) for n in entry.names}
            qid = entry.qid
        preds.append(_Pred(le.key, le.key, le.cls, frozenset(names), qid))
    return _align(rec["entities"], preds)


def label(ex: Example) -> None:
    """The example's bags, their features and their labels."""
    run, found = ex.reading.run, ex.reading.found
    fz = Featurizer(run, found)
    gold = ex.gold_facts()
    ex.bags = [bag for bag in document_bags(run, found) if fz.affirmed(bag)]  # as the model sees them
    ex.features = [fz.bag(b) for b in ex.bags]
    ex.labels = [int(ex.key(ex.name(b.subject), b.relation, ex.name(b.object, b.literal)) in gold) for b in ex.bags]


# ---------------------------------------------------------------------------------------- learning
def fit(examples: list[Example], c: float = C) -> tuple[dict[str, float], float]:
    """Weights and intercept of a logistic regression over the examples' bags."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    seen: dict[str, int] = {}
    for ex in examples:
        for feats in ex.features:
            for f in feats:
                seen[f] = seen.get(f, 0) + 1
    names = sorted(f for f, n in seen.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    rows, cols, y = [], [], []
    for ex in examples:
        for feats, lab in zip(ex.features, ex.labels):
            r = len(y)
            kept = [index[f] for f in feats if f in index]
            rows += [r] * len(kept)
            cols += kept
            y.append(lab)
    if len(set(y)) < 2:
        raise EvalError("the gold gives nothing to learn from: no candidate pair of the documents is "
                        + ("a gold fact" if not any(y) else "outside the gold"))
    X = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(y), len(names)))
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=MAX_ITER, tol=1e-6, random_state=SEED)
    with threadpool_limits(1):
        clf.fit(X, y)
    weights = {f: float(w) for f, w in zip(names, clf.coef_[0]) if w != 0.0}
    return weights, float(clf.intercept_[0])


def predicted(model: RelationModel, examples: list[Example]) -> dict[str, list[tuple[float, Bag]]]:
    """Each example's bags with the model's probability."""
    return {ex.doc_id: [(model.probability(f), b) for f, b in zip(ex.features, ex.bags)] for ex in examples}


def bag_score(examples: list[Example], probs: dict[str, list[tuple[float, Bag]]], threshold: float,
              only: str | None = None) -> Score:
    """Document-level facts kept at ``threshold`` (with the rules' own) against the gold, on gold names
    (as ``kg eval`` scores)."""
    score = Score()
    for ex in examples:
        kept = {ex.key(ex.name(b.subject), b.relation, ex.name(b.object, b.literal))
                for p, b in probs[ex.doc_id] if p >= threshold}
        kept |= {ex.key(ex.name(f.subject), f.relation, ex.name(f.object, f.literal)) for f in ex.reading.found}
        gold = ex.gold_facts()
        if only is not None:
            kept, gold = {k for k in kept if k[1] == only}, {k for k in gold if k[1] == only}
        score.add(kept, gold)
    return score


def inner_predictions(examples: list[Example], c: float = C, make=None) -> tuple[dict, dict]:
    """Each group's examples, and every example's bags scored by a model trained on the other groups
    (``make(examples)`` trains it; default: :func:`fit`'s logistic regression).  A group whose other
    groups teach only one kind of pair (all related or none) is not judged."""
    by_group: dict[str, list[Example]] = defaultdict(list)
    for ex in examples:
        by_group[ex.group].append(ex)
    probs: dict[str, list[tuple[float, Bag]]] = {}
    if len(by_group) < 2:
        return {}, probs
    for g, held in sorted(by_group.items()):
        rest = [ex for ex in examples if ex.group != g]
        if len({lab for ex in rest for lab in ex.labels}) < 2:
            continue
        model = make(rest) if make is not None else RelationModel(*fit(rest, c), 0.5)
        probs.update(predicted(model, held))
    return {g: exs for g, exs in by_group.items() if all(ex.doc_id in probs for ex in exs)}, probs


def choose_threshold(examples: list[Example], c: float = C, make=None) -> float:
    """The threshold with the best F1 over left-out groups, averaged over the groups (0.5 when there
    is only one group)."""
    return best_threshold(*inner_predictions(examples, c, make))


def best_threshold(by_group: dict, probs: dict) -> float:
    """The threshold whose F1 over left-out groups (averaged over the groups), averaged again with its
    neighbours on the grid, is best: with a few dozen documents per group the raw curve is jagged, and
    its single highest point moves with every small change of the rules; its smoothed top does not."""
    if not by_group:
        return 0.5
    groups = sorted(by_group)

    def quality(t: float) -> float:  # each group weighs the same, however many facts it has
        return sum(bag_score(by_group[g], probs, t).f1 for g in groups) / len(groups)

    raw = [quality(t) for t in THRESHOLDS]

    def smoothed(i: int) -> float:
        window = raw[max(0, i - SMOOTHING): i + SMOOTHING + 1]
        return sum(window) / len(window)

    best = max(range(len(THRESHOLDS)), key=lambda i: (round(smoothed(i), 6), -abs(THRESHOLDS[i] - 0.5)))
    return THRESHOLDS[best]


def helpful_relations(by_group: dict, probs: dict, threshold: float, relations: list[str]) -> list[str]:
    """The relations whose facts the model should add: those where, on left-out groups, the rules
    with the model's additions score at least the F1 of the rules alone (averaged over the groups
    where the relation occurs)."""
    if not by_group:
        return sorted(relations)
    keep = []
    for r in sorted(relations):
        gains = []
        for g, exs in sorted(by_group.items()):
            with_model = bag_score(exs, probs, threshold, only=r)
            rules_alone = bag_score(exs, probs, 2.0, only=r)
            if with_model.tp + with_model.fp + with_model.fn:
                gains.append(with_model.f1 - rules_alone.f1)
        if not gains or sum(gains) >= 0:
            keep.append(r)
    return keep


def learn(examples: list[Example], meta: dict[str, Any], c: float = C) -> RelationModel:
    """A model from labelled examples: the threshold, and the relations it adds facts to, from
    left-out groups; then the weights from all examples."""
    by_group, probs = inner_predictions(examples, c)
    threshold = best_threshold(by_group, probs)
    relations = sorted({b.relation for ex in examples for b in ex.bags})
    adds = helpful_relations(by_group, probs, threshold, relations)
    weights, intercept = fit(examples, c)
    return RelationModel(weights, intercept, threshold, {**meta, "adds": adds})


def model_meta(extractor: Extractor, spacy_model: str, gold_paths: list[Path], examples: list[Example],
               c: float = C) -> dict[str, Any]:
    onto = extractor.ontology
    typer = examples[0].typer if examples else None
    typing = {} if typer is None else {"entity_typing": typer.section()}  # names and classifier (kg.entity_typing)
    return {
        **typing,
        "kg_version": __version__,
        "features_version": FEATURES_VERSION,
        "ontology_schema": onto.schema,
        "relations": sorted(onto.relations),
        "spacy_model": spacy_model,
        "learner": {"name": "sklearn.linear_model.LogisticRegression", "C": c, "solver": "lbfgs", "seed": SEED},
        "trained_on": {
            "gold": [{"file": f"{Path(p).resolve().parent.name}/{Path(p).name}", "sha256": hashlib.sha256(Path(p).read_bytes()).hexdigest()}
                     for p in gold_paths],
            "documents": len(examples),
            "groups": sorted({ex.group for ex in examples}),
            "bags": sum(len(ex.bags) for ex in examples),
            "positive_bags": sum(sum(ex.labels) for ex in examples),
        },
    }


def train(gold_paths: Iterable[Path], doc_paths: Iterable[Path], out: Path | None, *,
          spacy_model: str = DEFAULT_MODEL, ontology_dir: Path | None = None, c: float = C,
          examples: list[Example] | None = None, entity_typing: bool = False) -> RelationModel:
    """Train a relation model and write it to ``out`` (whole or not at all); with ``entity_typing`` (or
    ``examples`` read with it) the model carries the entity typing the gold teaches."""
    gold_paths = [Path(p) for p in gold_paths]
    extractor = Extractor(spacy_model, ontology_dir, None)
    if examples is None:
        examples = read_examples(gold_paths, doc_paths, extractor, entity_typing)
    model = learn(examples, model_meta(extractor, spacy_model, gold_paths, examples, c), c)
    if out is not None:
        write_model(model, Path(out))
    return model


def write_model(model: RelationModel, out: Path) -> None:
    """Write the model file through a temporary file, so a failure leaves no half-written model."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(model.dumps())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a model is an ordinary file
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    model.path = out
