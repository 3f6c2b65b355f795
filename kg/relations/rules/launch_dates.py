"""Launch dates: a date whose clause is a launch ("lifted off on 23 July 2020", "was sent aloft on
5 May", "Launched in March 2004, the probe ...", "with launch planned for 29 March 2028").

A date belongs to the nearest verb above it in the parse (or to a launch noun there); when that
verb or noun is a launch (``launch_date`` in ``relations.yaml``: verbs that are launches by
themselves, verbs that are with one of their particles or places, launch nouns), the date is the
launch date of the craft the clause is about: the subject of a passive or of a craft's own
verb, the object of an agency's, the craft people rode aboard, the owner of a launch noun, or,
for an opening participle, the subject of the main clause.  A day without a year takes the year
the text named just before.  Negated launches give nothing.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Found
from ..common import Arg
from ..candidates import date_spans

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

MISSION = frozenset({"Mission"})


class LaunchDateRules:
    """``launchDate`` of a mission, a literal fact."""

    def rule_launch_dates(self, si: int, sent: Span) -> None:
        for value, span in date_spans(self, si):
            if any(t.i in self.tok2key for t in span):  # "a Long March 5 rocket" is no date
                continue
            anchor = self.launch_anchor(span.root)
            if anchor is None or self.negated(anchor):
                continue
            who = self.launched(anchor, si)
            rule = f"launch-date:{anchor.lemma_.lower()}"
            for k in who.keys:
                if self.cls.get(k) == "Mission":
                    self.found.append(Found(k, "launchDate", value, si, rule, who.confidence, True))

    # ------------------------------------------------------------ the launch a date belongs to
    def launch_anchor(self, tok: Token) -> Token | None:
        """The launch verb or noun a date token belongs to, or None when its clause is no launch
        ("as of May 2020" dates a report, "and arrival on 9 May" another event)."""
        if tok.head.lower_ in self.lexicon.date_not_launch and tok.dep_ == "pobj":
            return None
        # "the 3 May launch of X", "The May 3, 2031, ascent of X": the date is the launch noun's modifier
        for c in tok.children:
            if c.dep_ in ("appos", "compound") and self.is_launch_noun(c):
                return c
        if tok.dep_ in ("compound", "nmod", "npadvmod", "amod") and self.is_launch_noun(tok.head):
            return tok.head
        v = tok.head
        for _ in range(10):
            if v.i == tok.i or v.dep_ == "conj" and not self.is_launch_word(v):
                return None
            if self.is_launch_word(v):
                return v
            if v.pos_ in ("VERB", "AUX"):
                # "with launch planned for ...", "its liftoff is set for ...": the launch is the subject
                for c in v.children:
                    if c.dep_ in ("nsubj", "nsubjpass") and self.is_launch_noun(c):
                        return c
                # "is scheduled to launch on ...": the date may hang on the control verb
                for c in v.children:
                    if c.dep_ == "xcomp" and self.is_launch_word(c):
                        return c
                return None
            if v.head.i == v.i:
                return None
            v = v.head
        return None

    def is_launch_noun(self, tok: Token) -> bool:
        return tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in self.lexicon.launch_nouns

    def is_launch_word(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        if self.is_launch_noun(tok):
            return True
        if self.effective_pos(tok) != "VERB":
            return False
        lemmas, needs = self.lexicon.launch_verbs
        if lemma == "follow":  # "X was launched on 10 June, with Y following on 7 July"
            return any(a.lemma_.lower() != "follow" and self.is_launch_word(a) for a in list(tok.ancestors)[:3])
        if lemma in lemmas:
            return True
        words = needs.get(lemma)
        if not words:
            return False
        return any(t.lower_ in words and self.in_clause_of(t, tok) for t in tok.subtree if t.i != tok.i)

    @staticmethod
    def in_clause_of(t: Token, verb: Token) -> bool:
        """Whether ``t`` belongs to ``verb``'s own clause ("into space" is the sending's, wherever the parse
        hung it), not to a clause of its own below it (a finite verb, a relative or conjoined clause)."""
        for a in t.ancestors:
            if a.i == verb.i:
                return True
            if a.tag_ in ("VBD", "VBZ", "VBP", "MD") or a.dep_ in ("relcl", "ccomp", "conj", "advcl"):
                return False
        return False

    def launched(self, anchor: Token, si: int):
        """The craft a launch verb or noun is about."""
        if self.is_launch_noun(anchor) and anchor.pos_ != "VERB":
            for c in anchor.children:
                if c.dep_ == "poss" or (c.dep_ == "compound" and self.in_mention(c)):
                    a = self.resolve(c, MISSION, si=si)
                    if a.keys:
                        return a
            for o in self.prep_objects(anchor, {"of"}):
                a = self.resolve(o, MISSION, si=si)
                if a.keys:
                    return a
            # "X is ready, with launch planned for ...": the craft the sentence is about
            root = self.sents[si].root
            for c in root.children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i != anchor.i:
                    a = self.resolve(c, MISSION, si=si)
                    if a.keys:
                        return a
            return self.topic(MISSION, si)
        if anchor.lemma_.lower() == "follow":
            return self.slot(("agent",), anchor, MISSION, si)
        who = self.launched_craft(anchor, si)
        # "sent X together with Y into space": Y rode along
        extra = [k for p in anchor.children if p.dep_ == "prep" and p.lower_ in ("with", "alongside")
                 and (p.lower_ == "alongside" or any(c.lower_ in ("together", "along") for c in p.children)
                      or anchor.doc[p.i - 1].lower_ in ("together", "along"))
                 for o in p.children if o.dep_ == "pobj" for k in self.resolve(o, MISSION, si=si).keys]
        if extra and who.keys:
            return Arg(list(dict.fromkeys(who.keys + extra)), who.how)
        return who

    def launched_craft(self, anchor: Token, si: int):
        """The craft a launch verb is about (its subject, object or the craft people rode)."""
        passive = self.is_passive(anchor)
        who = self.slot(("patient", "agent") if passive else ("agent", "patient"), anchor, MISSION, si)
        subj, _ = self.clause_subject(anchor)
        if not passive and subj is not None and not (self.in_mention(subj) and self.cls[self.in_mention(subj)] == "Mission") \
                and subj.lower_ not in ("it", "they") and not self.lexicon.ref_nouns.get(subj.lemma_.lower()):
            # "NASA launched Juno": the agency's object; "two astronauts lifted off aboard X": the craft
            who = self.role("patient", anchor, MISSION, si)
            if not who.keys:
                for o in self.prep_objects(anchor, {"aboard", "on", "in", "atop"}):
                    a = self.resolve(o, MISSION, si=si)
                    if a.keys:
                        return a
        return who
