"""Joint missions: "a joint mission of ESA and JAXA", "the joint ESA-JAXA mission"."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span



class JointRules:
    """Owners of a joint endeavour operate it and collaborate."""

    def rule_joint(self, si: int, sent: Span) -> None:
        """"a joint mission of ESA and JAXA", "the joint ESA-JAXA mission": each owner operates it, and they collaborate."""
        for tok in self.candidates(sent, self.lexicon.joint_words):
            head = tok.head if tok.dep_ in ("amod", "advmod", "compound") else tok
            owners = []
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "by"):
                    owners += [self.key(t) for t in c.subtree if self.key(t)]
                if c.dep_ in ("compound", "nmod", "amod") and self.key(c):
                    owners.append(self.key(c))
            # "ESA-JAXA" often parses as separate modifiers within the phrase
            owners += [self.key(t) for t in tok.doc[tok.i + 1: head.i] if self.key(t)]
            owners = [o for o in dict.fromkeys(owners) if self.onto.is_a(self.cls[o], frozenset({"Organization", "Country"}))]
            if len(owners) < 2:
                continue
            for i, a in enumerate(owners):
                for b in owners[i + 1:]:
                    self.emit(a, "collaboratesWith", b, si, "joint", 0.85)
            crafts = []
            if head.dep_ in ("attr",):
                subj, _ = self.clause_subject(head)
                if subj is not None:
                    crafts = self.resolve(subj, frozenset({"SpaceEndeavour"}), owners, si).keys
            elif head.dep_ == "appos":
                crafts = [self.in_mention(t) for t in self.expand(head.head) if self.in_mention(t)]
            for c in crafts:
                for o in owners:
                    self.emit(c, "operatedBy", o, si, "joint", 0.85)
