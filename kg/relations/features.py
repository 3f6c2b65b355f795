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
from dataclasses import dataclass
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


@dataclass(slots=True)
class _Pair:
    """What a sentence says of two arguments whatever the relation: its features, and where the
    relation-specific ones look (the words around, the path)."""

    common: frozenset[str]
    around: list[tuple[int, int]]  # (token, distance to the pair; 0 between the two), outside both
    up: list[int]
    down: list[int]
    lca: int | None


class Featurizer:
    """Features of one document's bags; ``found`` are the rules' facts of the document (their votes).

    The parse is read once into arrays (heads, parts of speech, dependencies), and what a pair of
    arguments shares across relations is computed once per pair: a document has a few dozen
    candidate pairs, each a candidate for several relations.
    """

    def __init__(self, run: DocRun, found: list[Found]):
        self.run = run
        self.doc = run.doc
        self.by_lemma = run.lexicon.by_lemma
        self.cues = run.lexicon.cues
        self.head, self.pos, self.has_neg = run.head, run.pos, run.has_neg
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
        self._pairs: dict[tuple, _Pair] = {}
        self._members: dict[tuple, frozenset[str]] = {}
        self._denied: dict[tuple, bool] = {}
        self._cue_tokens: dict[int, list[int]] = {}
        self._negated: dict[int, bool] = {}

    # ------------------------------------------------------------ per sentence
    def ancestors(self, i: int) -> list[int]:
        """The token and its heads up to the root."""
        got = self._ancestors.get(i)
        if got is None:
            got, head = [i], self.head
            while head[got[-1]] != got[-1]:
                got.append(head[got[-1]])
            self._ancestors[i] = got
        return got

    def triggers(self, i: int) -> list[str]:
        """Names of the triggers a token's lemma evokes."""
        return [x.name for x in self.by_lemma.get(self.run.lemma[i], ())]

    def cue(self, i: int, relation: str) -> bool:
        """Whether a token is a cue word (or a trigger) of ``relation``."""
        rels = self.cues.get(self.run.lemma[i]) or self.cues.get(self.run.lower[i])
        return bool(rels) and relation in rels

    def cue_tokens(self, si: int) -> list[int]:
        """The tokens of a sentence that are a cue word or trigger of some relation."""
        got = self._cue_tokens.get(si)
        if got is None:
            run, cues = self.run, self.cues
            sent = run.sents[si]
            got = self._cue_tokens[si] = [i for i in range(sent.start, sent.end)
                                          if run.lemma[i] in cues or run.lower[i] in cues]
        return got

    def member(self, c: Candidate) -> frozenset[str]:
        """The features one candidate contributes to its bag (before the relation is conjoined)."""
        key = (c.sentence, c.subject, c.object, c.relation)
        got = self._members.get(key)
        if got is None:
            out: set[str] = set()
            self.candidate(c, out)
            got = self._members[key] = frozenset(out)
        return got

    def candidate(self, c: Candidate, out: set[str]) -> None:
        r = c.relation
        s, o = c.subject, c.object
        pair = self.pair(c)
        out |= pair.common
        add = out.add
        near = min((d for i, d in pair.around if self.cue(i, r)), default=None)  # the nearest cue word
        if near is None:
            add("*cue_none")
        elif near == 0:
            add("*cue_between")
        else:
            add("*cue_near=" + bucket(near))
        if pair.lca is not None:
            self.relation_path(s, o, r, pair, out)
        fams = self.votes.get((c.sentence, s.key, r, o.key))
        if fams:
            add("*vote_sentence")
            for fam in fams:
                add("vote=" + fam)
        elif (s.key, r, o.key) in self.voted:
            add("*vote_document")
        if o.how != "date":
            for x in self.pair_relations.get(frozenset((s.key, o.key)), set()) - {r}:
                add("*vote_other")
                add("vote_other=" + x)

    def pair(self, c: Candidate) -> _Pair:
        key = (c.sentence, c.subject, c.object)
        got = self._pairs.get(key)
        if got is None:
            got = self._pairs[key] = self._pair(c)
        return got

    def _pair(self, c: Candidate) -> _Pair:
        doc, run = self.doc, self.run
        s, o = c.subject, c.object
        out: set[str] = set()
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
        around = [(i, 0 if first.end <= i < second.start else min(abs(i - first.start), abs(i - second.end + 1)))
                  for i in self.cue_tokens(c.sentence)
                  if not (first.start <= i < first.end or second.start <= i < second.end)]
        for tag, a, other in (("s", s, o), ("o", o, s)):
            h = doc[a.head]
            if a.how != "date" and h.dep_ in ("poss", "compound", "nmod", "amod"):
                # "NASA's Juno" (it modifies the other side) or "SpaceX's Falcon 9" (it modifies a third thing)
                owner = self.head[a.head]
                k = run.tok2key.get(owner)
                if other.start <= owner < other.end:
                    add(f"*{tag}_modifies_other_side")
                elif k is not None and k not in (s.key, o.key):
                    add(f"*{tag}_modifies_third_entity")
                    add(f"{tag}_modifies=" + run.cls[k])
            add(f"{tag}dep=" + h.dep_)
            add(f"{tag}gov=" + run.lemma[self.head[a.head]])
            if h.dep_ in ("pobj", "pcomp"):
                prep = self.head[a.head]
                add(f"{tag}prep=" + run.lower[prep] + ">" + run.lemma[self.head[prep]])
                add(f"{tag}prep1=" + run.lower[prep])
            if a.start > 0:
                add(f"{tag}left=" + run.lower[a.start - 1])
            if a.end < len(doc):
                add(f"{tag}right=" + run.lower[a.end])
        up, down, lca = self.common_path(s, o, out)
        return _Pair(frozenset(out), around, up, down, lca)

    def common_path(self, s: Argument, o: Argument, out: set[str]) -> tuple[list[int], list[int], int | None]:
        """The dependency path between the two heads: arcs, lemmas, triggers, negation, structure."""
        run, add = self.run, out.add
        dep = run_dep = run.dep
        up_s, up_o = self.ancestors(s.head), self.ancestors(o.head)
        on_o = set(up_o)
        lca = next((x for x in up_s if x in on_o), None)
        if lca is None:
            add("nopath")
            return [], [], None
        up = up_s[: up_s.index(lca) + 1]
        down = list(reversed(up_o[: up_o.index(lca)]))
        arcs = ["↑" + dep[x] for x in up[:-1]] + ["↓" + dep[x] for x in down]
        add("arcs=" + " ".join(arcs))
        add("plen=" + bucket(len(arcs)))
        if len(arcs) <= PATH_WORDS:
            words = ["↑" + dep[x] for x in up[:-1]]
            words.append("*" if lca in (s.head, o.head) else run.lemma[lca])
            for x in down:
                words.append("↓" + dep[x])
                if x != o.head:
                    words.append(run.lemma[x])
            add("path=" + " ".join(words))
        add("lca=" + run.lemma[lca])
        add("lcapos=" + self.pos[lca])
        for x in up[1:] + down[:-1]:
            if x in (s.head, o.head):
                continue
            add("pl=" + run.lemma[x])
            for n in self.triggers(x):
                add("ptrig=" + n)
            if self.has_neg[x]:
                add("*negated")
        deps = {run_dep[x] for x in up[:-1] + down}
        for d in ("conj", "appos", "relcl", "acl", "advcl", "poss", "compound", "prep", "agent"):
            if d in deps:
                add("has_" + d)
        return up, down, lca

    def relation_path(self, s: Argument, o: Argument, r: str, pair: _Pair, out: set[str]) -> None:
        """The path's features that depend on the relation: a cue of it on the path, and the path's
        skeleton (arcs, with each word on it a cue of the relation, a preposition, or its part of speech)."""
        up, down, lca, dep = pair.up, pair.down, pair.lca, self.run.dep
        if any(self.cue(x, r) for x in up[1:] + down[:-1] if x not in (s.head, o.head)):
            out.add("*cue_path")
        if len(up) + len(down) - 1 > PATH_WORDS + 2:
            return
        skeleton = []
        for x in up[:-1]:
            skeleton.append("↑" + dep[x])
            if x != s.head:
                skeleton.append(self.slot(x, r))
        skeleton.append("^" if lca in (s.head, o.head) else self.slot(lca, r))
        for x in down:
            skeleton.append("↓" + dep[x])
            if x != o.head:
                skeleton.append(self.slot(x, r))
        text = " ".join(skeleton)
        out.add("*skeleton=" + text)
        out.add("skeleton=" + text)

    def negated(self, c: Candidate) -> bool:
        """Whether the candidate's sentence denies it: a word on the path between the two is negated
        ("did not land on", "rather than orbiting") as the rules judge negation."""
        if c.subject.how == "rule" or c.object.how == "rule":
            return False  # a rule's own fact: the rules dropped negated ones already
        key = (c.sentence, c.subject, c.object)
        got = self._denied.get(key)
        if got is None:
            pair = self.pair(c)
            got = pair.lca is not None and any(
                self.token_negated(x) for x in pair.up + pair.down
                if x not in (c.subject.head, c.object.head) and (x == pair.lca or self.pos[x] in ("VERB", "AUX")))
            self._denied[key] = got
        return got

    def affirmed(self, bag: Bag) -> bool:
        """Leave out of ``bag`` the candidates their sentence denies (:meth:`negated`); whether any
        remain.  Training and prediction see a bag the same way: negated statements give no fact."""
        bag.members = [c for c in bag.members if not self.negated(c)]
        return bool(bag.members)

    def token_negated(self, i: int) -> bool:
        got = self._negated.get(i)
        if got is None:
            got = self._negated[i] = self.run.negated(self.doc[i])
        return got

    def slot(self, i: int, r: str) -> str:
        """A word of a path as the skeleton spells it."""
        if self.cue(i, r):
            return "CUE"
        if self.pos[i] == "ADP":
            return self.run.lower[i]
        return self.pos[i]

    # ------------------------------------------------------------ per bag
    def bag(self, bag: Bag, members: list[Candidate] | None = None) -> list[str]:
        """The features of a bag (or of some of its members), conjoined with its relation (each once)."""
        members = bag.members if members is None else members
        feats: set[str] = set()
        for c in members:
            feats |= self.member(c)
        feats.add("nsent=" + bucket(len({c.sentence for c in members})))
        self.document(bag, feats)
        r = bag.relation
        out = [f"{r}|{f}" for f in feats]
        out += [f for f in feats if f[0] == "*"]
        out.append("rel=" + r)
        return out

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
