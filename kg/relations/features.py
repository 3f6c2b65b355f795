"""Features of a candidate bag, read off what spaCy and the rules give.

For each sentence of a bag: the classes of the two arguments and how the sentence refers to
them (a name, a pronoun, a description), their order and distance, the words between them, the
dependency path from one to the other with the lemmas on it, the trigger words of
``relations.yaml`` on that path, between the two and in the sentence (and whether they are
triggers *of the relation in question*, which carries over to words the training texts never
used), the preposition and the governor of each argument, apposition, coordination and
parentheses, negation, and the rules' own votes.  Then, for the document: how often each
entity is mentioned, whether it is the most mentioned of its class or the only one, whether the
title names it, and in how many sentences the two meet.

A bag's features are the union of its sentences' features.  Every feature is conjoined with the
relation; features starting with ``*`` are also kept unconjoined, so what one relation learns
about, say, a rule vote, helps the others.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..canonical import normalise
from ..model import Found
from .candidates import LAUNCH_DATE, Argument, Bag, Candidate

if TYPE_CHECKING:
    from .run import DocRun

#: Bumped whenever the features change: a model trained on other features is refused.
FEATURES_VERSION = 1
#: The longest path, in dependency arcs, spelled out word by word.
PATH_WORDS = 6
#: Words between two arguments are features up to this many tokens apart.
BETWEEN = 12
_BUCKETS = (0, 1, 2, 3, 5, 8, 12, 20)
_PUNCT_KEPT = frozenset("(),;:")


def bucket(n: int) -> str:
    for b in _BUCKETS:
        if n <= b:
            return str(b)
    return "more"


class Featurizer:
    """Features of one document's bags; ``found`` are the rules' facts of the document (their votes)."""

    def __init__(self, run: DocRun, found: list[Found]):
        self.run = run
        self.doc = run.doc
        self.by_lemma = run.lexicon.by_lemma
        self.cues = run.lexicon.cues
        self.votes: dict[tuple, set[str]] = defaultdict(set)  # (sentence, s, r, o) -> rule families and confidences
        self.voted: set[tuple[str, str, str]] = set()
        self.pair_relations: dict[frozenset, set[str]] = defaultdict(set)
        for f in found:
            family = f.rule.split(":")[0]
            self.votes[(f.sentence, f.subject, f.relation, f.object)].update((family, f"conf{int(f.confidence * 20)}"))
            self.voted.add((f.subject, f.relation, f.object))
            if not f.literal:
                self.pair_relations[frozenset((f.subject, f.object))].add(f.relation)
        self.count: dict[str, int] = defaultdict(int)
        self.surfaces: dict[str, set[str]] = defaultdict(set)
        for span, k in run.mention_spans:
            self.count[k] += 1
            self.surfaces[k].add(normalise(span.text))
        self.of_class: dict[str, list[str]] = defaultdict(list)
        for k, c in run.cls.items():
            self.of_class[c].append(k)
        title = run.document.meta.get("title") if run.document is not None else None
        self.title = normalise(str(title)) if title else ""
        self.sentences_of: dict[str, set[int]] = defaultdict(set)
        for si, spans in enumerate(run.spans_in):
            for _, k in spans:
                self.sentences_of[k].add(si)
        self._ancestors: dict[int, list[int]] = {}

    # ------------------------------------------------------------ per sentence
    def ancestors(self, i: int) -> list[int]:
        """The token and its heads up to the root."""
        got = self._ancestors.get(i)
        if got is None:
            t = self.doc[i]
            got = [i] + [a.i for a in t.ancestors]
            self._ancestors[i] = got
        return got

    def triggers(self, i: int) -> list[str]:
        """Names of the triggers a token's lemma evokes."""
        return [x.name for x in self.by_lemma.get(self.run.lemma[i], ())]

    def cue(self, i: int, relation: str) -> bool:
        """Whether a token is a cue word (or a trigger) of ``relation``."""
        rels = self.cues.get(self.run.lemma[i]) or self.cues.get(self.run.lower[i])
        return bool(rels) and relation in rels

    def candidate(self, c: Candidate, out: set[str]) -> None:
        doc, run, r = self.doc, self.run, c.relation
        s, o = c.subject, c.object
        add = out.add
        cs = run.cls[s.key]
        co = "Date" if o.how == "date" else run.cls[o.key]
        add(f"cp={cs}>{co}")
        first, second = (s, o) if s.start < o.start else (o, s)
        add("order=" + ("so" if first is s else "os"))
        gap = second.start - first.end
        add("dist=" + bucket(gap))
        add(f"how={s.how}>{o.how}")
        if gap <= BETWEEN:
            between = doc[first.end: second.start]
            words = [t.lower_ for t in between if not t.is_space]
            for t in between:
                if not t.is_punct or t.text in _PUNCT_KEPT:
                    add("bw=" + run.lemma[t.i])
            if not words:
                add("bw_none")
            elif len(words) <= 2:
                add("bw_exact=" + " ".join(words))
        else:
            add("bw_far")
        near = None  # the cue word nearest the pair, in tokens
        sent = run.sents[c.sentence]
        for i in range(sent.start, sent.end):
            if (first.start <= i < first.end) or (second.start <= i < second.end) or not self.cue(i, r):
                continue
            d = 0 if first.end <= i < second.start else min(abs(i - first.start), abs(i - second.end + 1))
            near = d if near is None else min(near, d)
        if near is None:
            add("*cue_none")
        elif near == 0:
            add("*cue_between")
        else:
            add("*cue_near=" + bucket(near))
        self.path(s, o, r, out)
        for tag, a, other in (("s", s, o), ("o", o, s)):
            h = doc[a.head]
            if a.how != "date" and h.dep_ in ("poss", "compound", "nmod", "amod"):
                # "NASA's Juno" (it modifies the other side) or "SpaceX's Falcon 9" (it modifies a third thing)
                owner = h.head
                k = run.tok2key.get(owner.i)
                if other.start <= owner.i < other.end:
                    add(f"*{tag}_modifies_other_side")
                elif k is not None and k not in (s.key, o.key):
                    add(f"*{tag}_modifies_third_entity")
                    add(f"{tag}_modifies=" + run.cls[k])
            add(f"{tag}dep=" + h.dep_)
            add(f"{tag}gov=" + run.lemma[h.head.i])
            if h.dep_ in ("pobj", "pcomp"):
                prep = h.head
                add(f"{tag}prep=" + prep.lower_ + ">" + run.lemma[prep.head.i])
                add(f"{tag}prep1=" + prep.lower_)
            if a.start > 0:
                add(f"{tag}left=" + doc[a.start - 1].lower_)
            if a.end < len(doc):
                add(f"{tag}right=" + doc[a.end].lower_)
        fams = self.votes.get((c.sentence, s.key, r, o.key))
        if fams:
            add("*vote_sentence")
            for fam in fams:
                add("vote=" + fam)
        elif (s.key, r, o.key) in self.voted:
            add("*vote_document")
        if o.how != "date":
            others = self.pair_relations.get(frozenset((s.key, o.key)), set()) - {r}
            for x in others:
                add("*vote_other")
                add("vote_other=" + x)

    def path(self, s: Argument, o: Argument, r: str, out: set[str]) -> None:
        """The dependency path between the two heads: arcs, lemmas, triggers, negation, structure."""
        doc, run, add = self.doc, self.run, out.add
        up_s, up_o = self.ancestors(s.head), self.ancestors(o.head)
        on_o = set(up_o)
        lca = next((x for x in up_s if x in on_o), None)
        if lca is None:
            add("nopath")
            return
        up = up_s[: up_s.index(lca) + 1]
        down = list(reversed(up_o[: up_o.index(lca)]))
        arcs = ["↑" + doc[x].dep_ for x in up[:-1]] + ["↓" + doc[x].dep_ for x in down]
        add("arcs=" + " ".join(arcs))
        add("plen=" + bucket(len(arcs)))
        if len(arcs) <= PATH_WORDS:
            words = ["↑" + doc[x].dep_ for x in up[:-1]]
            words.append("*" if lca in (s.head, o.head) else run.lemma[lca])
            for x in down:
                words.append("↓" + doc[x].dep_)
                if x != o.head:
                    words.append(run.lemma[x])
            add("path=" + " ".join(words))
        add("lca=" + run.lemma[lca])
        add("lcapos=" + doc[lca].pos_)
        inner = [x for x in up[1:] + down[:-1] if x not in (s.head, o.head)]
        cued = False
        for x in inner:
            add("pl=" + run.lemma[x])
            for n in self.triggers(x):
                add("ptrig=" + n)
            if self.cue(x, r):
                cued = True
            if any(ch.dep_ == "neg" for ch in doc[x].children):
                add("*negated")
        if cued:
            add("*cue_path")
        # the path's skeleton: arcs, with each word on it a cue of the relation, a preposition, or its part of speech
        skeleton = []
        for x in up[:-1]:
            skeleton.append("↑" + doc[x].dep_)
            if x != s.head:
                skeleton.append(self.slot(x, r))
        skeleton.append("^" if lca in (s.head, o.head) else self.slot(lca, r))
        for x in down:
            skeleton.append("↓" + doc[x].dep_)
            if x != o.head:
                skeleton.append(self.slot(x, r))
        if len(arcs) <= PATH_WORDS + 2:
            add("*skeleton=" + " ".join(skeleton))
            add("skeleton=" + " ".join(skeleton))
        deps = {doc[x].dep_ for x in up[:-1] + down}
        for d in ("conj", "appos", "relcl", "acl", "advcl", "poss", "compound", "prep", "agent"):
            if d in deps:
                add("has_" + d)

    def negated(self, c: Candidate) -> bool:
        """Whether the candidate's sentence denies it: a word on the path between the two is negated
        ("did not land on", "rather than orbiting") as the rules judge negation."""
        if c.subject.how == "rule" or c.object.how == "rule":
            return False  # a rule's own fact: the rules dropped negated ones already
        up_s, up_o = self.ancestors(c.subject.head), self.ancestors(c.object.head)
        on_o = set(up_o)
        lca = next((x for x in up_s if x in on_o), None)
        if lca is None:
            return False
        path = up_s[: up_s.index(lca) + 1] + up_o[: up_o.index(lca)]
        return any(self.run.negated(self.doc[x]) for x in path
                   if x not in (c.subject.head, c.object.head) and (x == lca or self.doc[x].pos_ in ("VERB", "AUX")))

    def slot(self, i: int, r: str) -> str:
        """A word of a path as the skeleton spells it."""
        t = self.doc[i]
        if self.cue(i, r):
            return "CUE"
        if t.pos_ == "ADP":
            return t.lower_
        return t.pos_

    # ------------------------------------------------------------ per bag
    def bag(self, bag: Bag) -> list[str]:
        """The sorted features of a bag, conjoined with its relation."""
        feats: set[str] = set()
        for c in bag.members:
            self.candidate(c, feats)
        feats.add("nsent=" + bucket(len({c.sentence for c in bag.members})))
        self.document(bag, feats)
        r = bag.relation
        out = {f"{r}|{f}" for f in feats}
        out |= {f for f in feats if f.startswith("*")}
        out.add("rel=" + r)
        return sorted(out)

    def document(self, bag: Bag, out: set[str]) -> None:
        run, add = self.run, out.add
        sides = [("s", bag.subject)] + ([] if bag.literal else [("o", bag.object)])
        for tag, key in sides:
            same = self.of_class[run.cls[key]]
            if max(same, key=lambda k: (self.count[k], k)) == key:
                add(f"*{tag}_top_of_class")
            if len(same) == 1:
                add(f"*{tag}_only_of_class")
            if self.title and any(x and x in self.title for x in self.surfaces[key]):
                add(f"*{tag}_in_title")
            add(f"{tag}count=" + bucket(self.count[key]))
        if not bag.literal:
            both = self.sentences_of[bag.subject] & self.sentences_of[bag.object]
            add("meet=" + bucket(len(both)))
        if bag.relation == LAUNCH_DATE:
            dates = {c.object.key for c in bag.members}
            add("date_month_only" if all(len(d) == 7 for d in dates) else "date_full")
