"""``kg train --entity-typing``: the names and the span classifier of :mod:`kg.entity_typing`,
learnt from the gold's entities.

Why it is asked for, not done always: kg's own model is trained without it, because kg's
gazetteer and context cues already type kg's classes (and a name list copied from the gold would
only repeat the gazetteer).  A folder of one's own usually has no gazetteer and few cues: there the
gold is all kg knows of the classes' names, and ``--entity-typing`` keeps it in the model.

1. **Names**: every gold entity name and alias with a capital in it, and its class (the class most
   records give it); the folder's own gazetteer names are left out, they are typed anyway.
2. **Spans**: each annotated note is read by the rules alone; the names of step 1 are matched
   where no rule-typed name is, and the capitalised runs left are the candidate spans a build
   would classify.  A name occurrence of the note's own gold is an example of its class (the
   context of known names teaches what unseen names of the class stand among), a run is an
   example of the class of the gold entity it names, or of none.
3. A multinomial logistic regression (scikit-learn, lbfgs, seeded, one thread; features seen
   fewer than twice left out) learns the examples: the same inputs give the same section bytes.
4. The probability a class needs is the one with the best F1 when each group of notes (its gold
   ``group``) is in turn left out, its names with it, and its runs are decided as a build decides
   them: a threshold chosen on names the classifier did not see.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import nlp as nlp_mod
from .canonical import normalise
from .entity_typing import (NONE, EntityTyper, Names, Words, candidate_spans, headings, ner_labels, span_features,
                           taken_tokens)
from .errors import EvalError

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .model import Document
    from .pipeline import Extractor

#: The learner's settings (recorded in the section).
C = 1.0
SEED = 0
MAX_ITER = 5000
#: A feature seen in fewer examples than this is left out.
MIN_COUNT = 2
#: Thresholds tried for the probability a class needs, and the one taken when there is no other group to judge on.
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(2, 19))
DEFAULT_THRESHOLD = 0.5


@dataclass
class TypingSource:
    """One annotated note as entity typing learns from it: its parse, the token spans the rules
    typed (with no typing section), and its gold record."""

    doc: Doc
    known: list[tuple[int, int]]
    gold: dict[str, Any]
    group: str = ""

    @classmethod
    def read(cls, extractor: Extractor, doc: Doc, document: Document, gold: dict[str, Any],
             group: str = "") -> TypingSource:
        spans = []
        for m in extractor.entities.extract(doc, document):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                spans.append((span.start, span.end))
        return cls(doc, spans, gold, group)


def typing_names(records: list[dict[str, Any]], known: set[str] | dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Surface -> (class, the entity's name) of every gold name and alias with a capital in it that is
    not in ``known`` (the folder's gazetteer); a surface given several classes takes the most frequent."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for rec in records:
        for e in rec["entities"]:
            for surface in dict.fromkeys([e["name"], *e.get("aliases", [])]):
                surface = surface.strip()
                if surface and surface not in known and any(ch.isupper() for ch in surface):
                    votes[surface][(e["type"], e["name"])] += 1
    return {s: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for s, c in sorted(votes.items())}


def note_examples(src: TypingSource, names: Names, ner: Any, words: Words) -> list[tuple[str | None, list[str], str]]:
    """The labelled spans of one note (step 2 above), in text order: the name a build would decide
    (None for a span it never asks about: a rule-typed name, a name of the list), its features and
    its label."""
    doc = src.doc
    gold: dict[str, str] = {}
    for e in src.gold["entities"]:
        for n in [e["name"], *e.get("aliases", [])]:
            gold.setdefault(normalise(n), e["type"])
    titles = headings(doc)
    taken = taken_tokens(doc, src.known)
    # names the rules typed teach the context of their class too (a build never asks about them)
    labelled = [(s, e, None, gold[normalise(doc[s:e].text)]) for s, e in src.known
                if normalise(doc[s:e].text) in gold and not titles[s]]
    for s, e, _, _ in names.match(doc, taken):
        taken[s:e] = b"\x01" * (e - s)
        cls = gold.get(normalise(doc[s:e].text))
        if cls is not None and not titles[s]:
            labelled.append((s, e, None, cls))
    for s, e in candidate_spans(doc, taken, titles):
        key = normalise(doc[s:e].text)
        labelled.append((s, e, key, gold.get(key, NONE)))
    labelled.sort(key=lambda x: (x[0], x[1]))
    tags = ner_labels(ner, doc, [(s, e) for s, e, _, _ in labelled])
    return [(key, span_features(doc, s, e, tags, words), cls) for s, e, key, cls in labelled]


def span_examples(sources: list[TypingSource], names: Names, ner: Any, words: Words) -> list[tuple[list[str], str]]:
    """The labelled spans of the notes, in note and text order."""
    return [(feats, cls) for src in sources for _, feats, cls in note_examples(src, names, ner, words)]


def fit_classifier(rows: list[tuple[list[str], str]], c: float = C) -> tuple[list[str], dict[str, list[float]], list[float]]:
    """Labels, a row of weights per feature and the intercepts of a logistic regression over ``rows``."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    seen: Counter = Counter(f for feats, _ in rows for f in feats)
    names = sorted(f for f, n in seen.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    data_rows, cols, y = [], [], []
    for r, (feats, label) in enumerate(rows):
        kept = [index[f] for f in feats if f in index]
        data_rows += [r] * len(kept)
        cols += kept
        y.append(label)
    labels = sorted(set(y))
    if len(labels) < 2:
        raise EvalError("the gold gives entity typing nothing to learn from: "
                        + ("no capitalised name of the notes is outside the gold" if NONE not in labels else
                           "no gold entity is left untyped by the ontology's gazetteer and cues"))
    X = csr_matrix(([1.0] * len(data_rows), (data_rows, cols)), shape=(len(y), len(names)))
    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=MAX_ITER, tol=1e-6, random_state=SEED)
    with threadpool_limits(1):
        clf.fit(X, y)
    labels = [str(x) for x in clf.classes_]
    if len(labels) == 2:  # one column: the second label's log-odds against the first
        coef, intercepts = [[0.0] * len(names), list(clf.coef_[0])], [0.0, float(clf.intercept_[0])]
    else:
        coef, intercepts = [list(row) for row in clf.coef_], [float(x) for x in clf.intercept_]
    weights = {f: [float(coef[k][i]) for k in range(len(labels))] for f, i in index.items()}
    return labels, {f: w for f, w in weights.items() if any(w)}, intercepts


def choose_threshold(sources: list[TypingSource], extractor: Extractor, c: float = C) -> float:
    """The probability a class needs, the one with the best F1 when each group of notes is in turn left
    out of training (its names too) and its names are decided as a build decides them (0.5 with one
    group)."""
    groups = sorted({s.group for s in sources})
    ner, words = nlp_mod.standalone_ner(extractor.nlp), Words(extractor.relations.lexicon)
    decided: list[tuple[EntityTyper, list[float], str]] = []  # the fold's classifier, a name's probabilities, its gold
    for g in groups if len(groups) > 1 else ():
        rest = [s for s in sources if s.group != g]
        names = Names(typing_names([s.gold for s in rest], extractor.entities.name_ids), extractor.nlp)
        try:
            typer = EntityTyper({}, *fit_classifier(span_examples(rest, names, ner, words), c))
        except EvalError:
            continue  # the other groups teach nothing: this one is not judged
        for src in sources:
            if src.group != g:
                continue
            probs: dict[str, list[list[float]]] = defaultdict(list)
            gold: dict[str, str] = {}
            for key, feats, cls in note_examples(src, names, ner, words):
                if key is not None:
                    probs[key].append(typer.probabilities(feats))
                    gold[key] = cls
            decided += [(typer, [sum(col) / len(ps) for col in zip(*ps)], gold[k]) for k, ps in sorted(probs.items())]
    if not decided:
        return DEFAULT_THRESHOLD

    def f1(t: float) -> float:
        tp = fp = fn = 0
        for typer, p, gold in decided:
            got = typer.decide(p, t)
            tp += got == gold != NONE
            fp += got not in (gold, NONE)
            fn += gold not in (got, NONE)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    return max(THRESHOLDS, key=lambda t: (round(f1(t), 6), -abs(t - DEFAULT_THRESHOLD)))


def fit_typer(sources: list[TypingSource], extractor: Extractor, c: float = C) -> EntityTyper:
    """The entity typing the notes' gold teaches, ready to read notes (as its model file will be read:
    the weights rounded as the file stores them)."""
    names = typing_names([s.gold for s in sources], extractor.entities.name_ids)
    rows = span_examples(sources, Names(names, extractor.nlp), nlp_mod.standalone_ner(extractor.nlp),
                         Words(extractor.relations.lexicon))
    labels, weights, intercepts = fit_classifier(rows, c)
    threshold = choose_threshold(sources, extractor, c)
    info = {"learner": {"name": "sklearn.linear_model.LogisticRegression", "C": c, "solver": "lbfgs", "seed": SEED,
                        "min_count": MIN_COUNT},
            "trained_on": {"names": len(names), "spans": len(rows), "typed_spans": sum(1 for _, y in rows if y != NONE),
                           "groups": sorted({s.group for s in sources})}}
    typer = EntityTyper(names, labels, weights, intercepts, threshold, info)
    return EntityTyper.from_section(typer.section(), None).bind(extractor.nlp, extractor.relations.lexicon)
