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
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .canonical import normalise
from .entity_typing import NONE, EntityTyper, Names, Words, candidate_spans, ner_labels, span_features, taken_tokens
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


@dataclass
class TypingSource:
    """One annotated note as entity typing learns from it: its parse, the token spans the rules
    typed (with no typing section), and its gold record."""

    doc: Doc
    known: list[tuple[int, int]]
    gold: dict[str, Any]

    @classmethod
    def read(cls, extractor: Extractor, doc: Doc, document: Document, gold: dict[str, Any]) -> TypingSource:
        spans = []
        for m in extractor.entities.extract(doc, document):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                spans.append((span.start, span.end))
        return cls(doc, spans, gold)


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


def span_examples(sources: list[TypingSource], names: Names, ner: Any, words: Words) -> list[tuple[list[str], str]]:
    """The labelled candidate spans of the notes (step 2 above), in note and text order."""
    from .entities import _title_lines

    rows = []
    for src in sources:
        doc = src.doc
        gold: dict[str, str] = {}
        for e in src.gold["entities"]:
            for n in [e["name"], *e.get("aliases", [])]:
                gold.setdefault(normalise(n), e["type"])
        titles = _title_lines(doc)
        taken = taken_tokens(doc, src.known)
        # names the rules typed teach the context of their class too (a build never asks about them)
        labelled = [(s, e, gold[normalise(doc[s:e].text)]) for s, e in src.known
                    if normalise(doc[s:e].text) in gold and not titles[s]]
        for s, e, _, _ in names.match(doc, taken):
            taken[s:e] = b"\x01" * (e - s)
            cls = gold.get(normalise(doc[s:e].text))
            if cls is not None and not titles[s]:
                labelled.append((s, e, cls))
        labelled += [(s, e, gold.get(normalise(doc[s:e].text), NONE)) for s, e in candidate_spans(doc, taken, titles)]
        labelled.sort()
        tags = ner_labels(ner, doc, [(s, e) for s, e, _ in labelled])
        rows += [(span_features(doc, s, e, tags, words), cls) for s, e, cls in labelled]
    return rows


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


def fit_typer(sources: list[TypingSource], extractor: Extractor, c: float = C) -> EntityTyper:
    """The entity typing the notes' gold teaches, ready to read notes (as its model file will be read:
    the weights rounded as the file stores them)."""
    from . import nlp as nlp_mod

    names = typing_names([s.gold for s in sources], extractor.entities.name_ids)
    rows = span_examples(sources, Names(names, extractor.nlp), nlp_mod.standalone_ner(extractor.nlp),
                         Words(extractor.relations.lexicon))
    labels, weights, intercepts = fit_classifier(rows, c)
    info = {"learner": {"name": "sklearn.linear_model.LogisticRegression", "C": c, "solver": "lbfgs", "seed": SEED,
                        "min_count": MIN_COUNT},
            "trained_on": {"names": len(names), "spans": len(rows), "typed_spans": sum(1 for _, y in rows if y != NONE)}}
    typer = EntityTyper(names, labels, weights, intercepts, info)
    return EntityTyper.from_section(typer.section(), None).bind(extractor.nlp, extractor.relations.lexicon)
