"""Candidate pairs for the learned relation model: who might be related to whom, sentence by sentence.

A sentence's *arguments* are the entities it names and the entities its references stand for:
"it", "its", "they", "the spacecraft", "both landers", resolved back by the rules' own
coreference (:mod:`kg.relations.coreference`).  Every ordered pair of two arguments whose
classes fit a relation's domain and range is a candidate for that relation when the sentence has a
word that can state it (a trigger or a cue of ``relations.yaml``) or the rules found the two so
related; a launch date is a candidate between a mission argument and a date the sentence states.  A pair that several
sentences of a document share is one *bag*: the model decides per document, as a reader does.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .common import PRONOUNS_PLURAL, PRONOUNS_SINGULAR
from .dates import find_dates, last_year

if TYPE_CHECKING:
    from spacy.tokens import Span

    from .run import DocRun

#: The attribute the model reads dates for.
LAUNCH_DATE = "launchDate"
#: Pronouns that may stand for an entity in a candidate pair.
REFERRING = (PRONOUNS_SINGULAR | PRONOUNS_PLURAL | {"them"}) - {"each"}
#: Determiners that make a noun a reference back ("the probe", "both landers", "its rover").
REFERRING_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "its", "their", "both"})
#: At most this many entities a plural reference may stand for.
PLURAL_LIMIT = 4


@dataclass(frozen=True, slots=True)
class Argument:
    """One side of a candidate: an entity (document-local key) or a date, where the sentence has it."""

    key: str  # entity key, or the ISO date for a date argument
    start: int  # token span in the document
    end: int
    head: int  # the token that stands for it in the parse
    how: str  # name | pronoun | reference | date


@dataclass(frozen=True, slots=True)
class Candidate:
    sentence: int
    subject: Argument
    object: Argument
    relation: str


@dataclass
class Bag:
    """Every candidate of one document for one (subject, relation, object)."""

    subject: str
    relation: str
    object: str
    members: list[Candidate] = field(default_factory=list)

    @property
    def literal(self) -> bool:
        return self.relation == LAUNCH_DATE


def sentence_arguments(run: DocRun, si: int) -> list[Argument]:
    """The entities a sentence names, then those its pronouns and descriptions refer back to."""
    out = [Argument(k, span.start, span.end, span.root.i, "name") for span, k in run.spans_in[si]]
    ref_nouns = run.lexicon.ref_nouns
    for t in run.sents[si]:
        if t.i in run.tok2key:
            continue
        low = t.lower_
        if low in REFERRING:
            how = "pronoun"
        elif t.pos_ == "NOUN" and (low in ref_nouns or t.lemma_.lower() in ref_nouns):
            dets = {c.lower_ for c in t.children if c.dep_ in ("det", "poss", "predet", "nummod")}
            if not dets & REFERRING_DETERMINERS:
                continue
            how = "reference"
        else:
            continue
        keys = run.refers_to(t, si)
        for k in keys[:PLURAL_LIMIT]:
            out.append(Argument(k, t.i, t.i + 1, t.i, how))
    return out


def date_spans(run: DocRun, si: int) -> list[tuple[str, Span]]:
    """Full dates and months the sentence states, and days whose year the text gave just before
    (years alone are no launch date), with their token spans; read once per sentence, for the
    launch-date rule and the model's candidates alike."""
    got = run.dates_in.get(si)
    if got is None:
        sent = run.sents[si]
        base = sent.start_char
        text = run.text[base: sent.end_char]
        got = []
        if any(ch.isdigit() for ch in text):  # no date without a number
            for d in find_dates(text, context_year(run, si)):
                span = run.doc.char_span(base + d.start, base + d.end, alignment_mode="expand")
                if span is not None:
                    got.append((d.value, span))
        run.dates_in[si] = got
    return got


def sentence_dates(run: DocRun, si: int) -> list[Argument]:
    """The dates of :func:`date_spans`, as date arguments."""
    return [Argument(value, span.start, span.end, span.root.i, "date") for value, span in date_spans(run, si)]


def context_year(run: DocRun, si: int, back: int = 3) -> int | None:
    """The year the text named last in the few sentences before sentence ``si``."""
    if si == 0:
        return None
    return last_year(run.text[run.sents[max(0, si - back)].start_char: run.sents[si].start_char])


def _overlap(a: Argument, b: Argument) -> bool:
    return a.start < b.end and b.start < a.end


def cued_relations(run: DocRun, si: int) -> set[str]:
    """The relations a sentence has a cue word or trigger of (``cues`` in relations.yaml)."""
    cues, out = run.lexicon.cues, set()
    for i in range(run.sents[si].start, run.sents[si].end):
        out.update(cues.get(run.lemma[i], ()))
        if run.lower[i] != run.lemma[i]:
            out.update(cues.get(run.lower[i], ()))
    return out


def candidates(run: DocRun, voted: frozenset[tuple[str, str, str]] = frozenset(),
               relations: frozenset[str] | None = None) -> Iterator[Candidate]:
    """The candidates of the document, sentence by sentence, in text order: pairs whose classes fit a
    relation (one of ``relations``, when given), in a sentence with a word that can state it (or that
    the rules found related)."""
    onto = run.onto
    symmetric = {r for r, rel in onto.relations.items() if rel.symmetric}
    dated = LAUNCH_DATE in onto.relations and (relations is None or LAUNCH_DATE in relations)
    voted_keys = {k for s, _, o in voted for k in (s, o)}
    for si in range(len(run.sents)):
        cued = cued_relations(run, si)
        if relations is not None:
            cued &= relations
        if not cued and not any(k in voted_keys for _, k in run.spans_in[si]):
            continue  # no word here can state a relation
        args = sentence_arguments(run, si)
        for a in args:
            for b in args:
                if a.key == b.key or _overlap(a, b):
                    continue
                for r in onto.relations_between(run.cls[a.key], run.cls[b.key]):
                    if r in symmetric and a.key > b.key:
                        continue
                    if r in cued or ((a.key, r, b.key) in voted and (relations is None or r in relations)):
                        yield Candidate(si, a, b, r)
        if dated and LAUNCH_DATE in cued:
            dates = sentence_dates(run, si)
            for a in args if dates else ():
                if onto.allows(LAUNCH_DATE, run.cls[a.key]):
                    for d in dates:
                        if not _overlap(a, d):
                            yield Candidate(si, a, d, LAUNCH_DATE)


def bags(run: DocRun, voted: frozenset[tuple[str, str, str]] = frozenset(),
         relations: frozenset[str] | None = None) -> list[Bag]:
    """The document's candidates grouped by (subject, relation, object), in order of first sight."""
    out: dict[tuple[str, str, str], Bag] = {}
    for c in candidates(run, voted, relations):
        key = (c.subject.key, c.relation, c.object.key)
        bag = out.get(key)
        if bag is None:
            bag = out[key] = Bag(*key)
        bag.members.append(c)
    return list(out.values())


