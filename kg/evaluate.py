"""``kg eval``: precision, recall and F1 of a built graph against a gold file.

Gold format: one JSON object per document (``../shared/corpus/SCHEMA.md``)::

    {"doc": "dev_A01", "entities": [{"name", "type", "aliases"?, "qid"?}],
     "triples": [[s, relation, o]], "attributes": [[s, "launchDate", "YYYY-MM(-DD)"]]}

Scoring, micro-averaged over the gold documents, with the ontology the graph was built with:

* typed entities: per document, the entities it mentions (mention edges) with their class;
* relations: per document, the facts with evidence in that document, per relation, a symmetric
  relation (``collaboratesWith``) unordered;
* attributes (``launch_dates``, named after kg's one literal relation): per document,
  ``(entity, relation, value)`` of the literal relations with evidence in that document.

A predicted entity is aligned to a gold entity by Wikidata id or by any normalised
label or alias (one-to-one, same class preferred); triples are compared on the
aligned names.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .canonical import normalise
from .gold import load_gold
from .rdf import graph_ontology


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, pred: set, gold: set) -> None:
        self.tp += len(pred & gold)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class DocErrors:
    """What one document got wrong, for developers reading ``--details``."""

    entities_missed: list[str] = field(default_factory=list)
    entities_spurious: list[str] = field(default_factory=list)
    triples_missed: list[str] = field(default_factory=list)
    triples_spurious: list[str] = field(default_factory=list)
    dates_missed: list[str] = field(default_factory=list)
    dates_spurious: list[str] = field(default_factory=list)


@dataclass
class EvalReport:
    entities: Score
    relations: Score
    launch_dates: Score
    per_relation: dict[str, Score]
    per_class: dict[str, Score]
    documents: int
    missing_documents: list[str]
    errors: dict[str, DocErrors]

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "documents": self.documents,
            "missing_documents": self.missing_documents,
            "entities": self.entities.as_dict(),
            "relations": self.relations.as_dict(),
            "launch_dates": self.launch_dates.as_dict(),
            "per_relation": {k: v.as_dict() for k, v in sorted(self.per_relation.items())},
            "per_class": {k: v.as_dict() for k, v in sorted(self.per_class.items())},
        }
        if details:
            out["errors"] = {d: vars(e) for d, e in sorted(self.errors.items())}
        return out


@dataclass(frozen=True)
class _Pred:
    key: str
    label: str
    cls: str
    names: frozenset[str]
    qid: str | None


def _predicted(G: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """Per document: the entities it mentions, its facts and its values of literal relations."""
    ents: dict[str, list[_Pred]] = defaultdict(list)
    facts: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    dates: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    info = {}
    for n, a in G.nodes(data=True):
        if a.get("kind") == "entity":
            names = frozenset(normalise(x) for x in [a["label"], *a.get("aliases", [])])
            info[n] = _Pred(n, a["label"], a["cls"], names, a.get("qid"))
            for rel, values in (a.get("literals") or {}).items():
                for v in values:
                    for ev in v["evidence"]:
                        dates[ev["doc_id"]].add((n, rel, str(v["value"])))
    for u, v, _k, a in G.edges(keys=True, data=True):
        kind = a.get("kind")
        if kind == "mention" and v in info:
            ents[G.nodes[u]["doc_id"]].append(info[v])
        elif kind == "fact" and not a.get("reference"):
            for ev in a["evidence"]:
                facts[ev["doc_id"]].add((u, a["relation"], v))
    return ents, facts, dates


def _align(gold_ents: list[dict], preds: list[_Pred]) -> dict[str, str]:
    """Map predicted entity keys to gold names, one-to-one."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    candidates = []
    for g in gold_ents:
        gnames = {normalise(g["name"]), *(normalise(a) for a in g.get("aliases", []))}
        for p in preds:
            qid_match = bool(g.get("qid")) and g.get("qid") == p.qid
            if qid_match or gnames & p.names:
                exact = normalise(g["name"]) in p.names
                candidates.append((0 if p.cls == g["type"] else 1, 0 if (qid_match or exact) else 1, g["name"], p.key))
    for _cls_rank, _exact_rank, gname, pkey in sorted(candidates):
        if gname in used or pkey in mapping:
            continue
        mapping[pkey] = gname
        used.add(gname)
    return mapping


def evaluate(gold: list[dict[str, Any]], G: nx.MultiDiGraph) -> EvalReport:
    onto = graph_ontology(G)
    symmetric = {name for name, r in onto.relations.items() if r.symmetric}
    literal = set(onto.literal_relations)

    def _triple(s: str, r: str, o: str) -> tuple[str, str, str]:
        return (o, r, s) if r in symmetric and o < s else (s, r, o)

    ents, facts, dates = _predicted(G)
    doc_ids = {a["doc_id"] for n, a in G.nodes(data=True) if a.get("kind") == "document" and not a.get("external")}
    e_score, r_score, d_score = Score(), Score(), Score()
    per_rel: dict[str, Score] = defaultdict(Score)
    per_cls: dict[str, Score] = defaultdict(Score)
    errors: dict[str, DocErrors] = {}
    missing = []
    for rec in gold:
        doc = rec["doc"]
        if doc not in doc_ids:
            missing.append(doc)
        preds = ents.get(doc, [])
        mapping = _align(rec["entities"], preds)
        name_of = lambda k: mapping.get(k, G.nodes[k]["label"] if k in G else k)  # noqa: E731

        gold_e = {(e["name"], e["type"]) for e in rec["entities"]}
        pred_e = {(name_of(p.key), p.cls) for p in preds}
        e_score.add(pred_e, gold_e)
        for cls in {c for _, c in gold_e | pred_e}:
            per_cls[cls].add({x for x in pred_e if x[1] == cls}, {x for x in gold_e if x[1] == cls})

        gold_t = {_triple(*t) for t in rec.get("triples", [])}
        pred_t = {_triple(name_of(s), r, name_of(o)) for s, r, o in facts.get(doc, set())}
        r_score.add(pred_t, gold_t)
        for rel in {t[1] for t in gold_t | pred_t}:
            per_rel[rel].add({t for t in pred_t if t[1] == rel}, {t for t in gold_t if t[1] == rel})

        gold_d = {(s, r, v) for s, r, v in rec.get("attributes", []) if r in literal}
        pred_d = {(name_of(s), r, v) for s, r, v in dates.get(doc, set())}
        d_score.add(pred_d, gold_d)

        errors[doc] = DocErrors(
            entities_missed=sorted(f"{n}:{c}" for n, c in gold_e - pred_e),
            entities_spurious=sorted(f"{n}:{c}" for n, c in pred_e - gold_e),
            triples_missed=sorted(" ".join(t) for t in gold_t - pred_t),
            triples_spurious=sorted(" ".join(t) for t in pred_t - gold_t),
            dates_missed=sorted(" ".join(t) for t in gold_d - pred_d),
            dates_spurious=sorted(" ".join(t) for t in pred_d - gold_d),
        )
    return EvalReport(e_score, r_score, d_score, dict(per_rel), dict(per_cls), len(gold), missing, errors)


def counts(G: nx.MultiDiGraph) -> tuple[Counter, Counter]:
    """Entities per class and facts per relation: the build summary."""
    by_cls = Counter(a["cls"] for _, a in G.nodes(data=True) if a.get("kind") == "entity")
    by_rel = Counter(a["relation"] for _, _, a in G.edges(data=True) if a.get("kind") == "fact")
    for _, a in G.nodes(data=True):
        if a.get("kind") == "entity":
            by_rel.update({rel: len(values) for rel, values in (a.get("literals") or {}).items()})
    return by_cls, by_rel


__all__ = ["evaluate", "load_gold", "normalise", "EvalReport", "Score", "counts"]
