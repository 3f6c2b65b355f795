"""Possessives: "ESA's JUICE" (operator), "Jupiter's moon Ganymede" (planet), "its rover, Curiosity" (part)."""
from __future__ import annotations

from typing import TYPE_CHECKING


from ..common import FLIGHT_NOUNS, SUBJ_DEPS

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


#: What a launcher's possessive names that it carries: "Falcon 9's payload X", "the Shuttle's mission X".
CARRIED_NOUNS = FLIGHT_NOUNS | {"payload", "payloads", "cargo", "passenger", "passengers", "launch", "flight"}


class PossessiveRules:
    """Relations stated by a possessor and the name it owns."""

    def rule_possessives(self, si: int, sent: Span) -> None:
        for tok in self.candidates(sent, {"poss"}, "dep"):
            head = tok.head
            targets = []
            for t in self.expand(head):
                k = self.in_mention(t)
                if k:
                    targets.append((k, t))
            # "Project Mercury, NASA's first programme" / "Mars Express was ESA's first mission"
            if not targets and head.dep_ == "appos" and self.in_mention(head.head):
                targets.append((self.in_mention(head.head), head.head))
            if not targets and head.dep_ == "attr":
                subs = [c for c in head.head.children if c.dep_ in SUBJ_DEPS]
                if subs and self.in_mention(subs[0]):
                    targets.append((self.in_mention(subs[0]), subs[0]))
            if not targets:
                continue
            owner = self.resolve(tok, None, {k for k, _ in targets}, si=si)
            if not owner.keys:
                continue
            for o in owner.keys:
                for k, t in targets:
                    if o == k:
                        continue
                    ocls, kcls = self.cls[o], self.cls[k]
                    if self.onto.allows("operatedBy", kcls, ocls):
                        self.emit(k, "operatedBy", o, si, "possessive", 0.9 * owner.confidence / 0.9)
                    elif kcls == "Moon" and self.onto.allows("moonOf", kcls, ocls):
                        self.emit(k, "moonOf", o, si, "possessive-moon", 0.85)
                    elif self.onto.allows("launchVehicle", kcls, ocls) and (
                            head.lemma_.lower() in CARRIED_NOUNS or any(
                                c.dep_ in ("compound", "nmod") and c.lemma_.lower() in CARRIED_NOUNS for c in head.children)):
                        # "the Shuttle's ten-day flight STS-60", "the rocket's payload, X"
                        self.emit(k, "launchVehicle", o, si, "possessive-vehicle", 0.8 * owner.confidence / 0.9)
                    elif head.lemma_.lower() in FLIGHT_NOUNS and kcls == "Mission" and ocls == "Mission" \
                            and head.i not in self.tok2key:  # the noun, not a name ending in "Mission"
                        # "the craft's second test flight (X)": the craft flies X, it is part of it
                        self.emit(o, "partOf", k, si, "possessive-flight", 0.75 * owner.confidence / 0.9)
                    elif self.onto.allows("partOf", kcls, ocls) and self._component_noun(head, t):
                        self.emit(k, "partOf", o, si, "possessive-part", 0.8 * owner.confidence / 0.9)

    def _component_noun(self, head: Token, name_tok: Token) -> bool:
        nouns = self.lexicon.craft_nouns
        if head.lemma_.lower() in nouns or head.lower_ in nouns:
            return True
        return any(c.lemma_.lower() in nouns for c in name_tok.head.children) or name_tok.head.lemma_.lower() in nouns
