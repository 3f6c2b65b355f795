"""Parts and members: "Philae of the Rosetta mission", "X is one of NASA's Great Observatories",
"the programme has flown twelve missions, among them X, Y and Z"."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..common import FLIGHT_NOUNS


if TYPE_CHECKING:
    from spacy.tokens import Span, Token

WHOLES = frozenset({"Mission", "Program"})
#: Verbs of "X counts / is / ranks among the missions of Y".
AMONG_VERBS = frozenset({"be", "count", "rank", "number", "stand", "feature"})
#: Words that open the list of a plural noun's members ("missions, among them X and Y").
LIST_OPENERS = (("among", "them"), ("including",), ("such", "as"), ("like",), ("notably",), ("namely",))
#: Words of membership in "X is one / the first / a member of Y".
MEMBER_WORDS = frozenset({"one", "member", "part", "first", "second", "third", "fourth", "fifth", "sixth", "last",
                          "latest", "final", "newest", "youngest", "oldest", "element", "component"})


class PartRules:
    """``partOf`` (and the operator of a programme's listed missions) from membership phrases."""

    def rule_parts(self, si: int, sent: Span) -> None:
        for span, k in self.spans_in[si]:
            if self.cls[k] in WHOLES:
                self.group_members(span, k, si)
            if self.cls[k] != "Mission":
                continue
            # "the Philae lander of the Rosetta mission"
            for c in span.root.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    for whole in self.member_of(c, si, k):
                        self.emit(k, "partOf", whole, si, "part-of-name", 0.75)
        for tok in sent:
            # "X is one of NASA's Great Observatories", "X became one of the New Frontiers missions"
            if tok.dep_ == "attr" and tok.lemma_.lower() in MEMBER_WORDS:
                subj, _ = self.clause_subject(tok)
                if subj is None:
                    continue
                parts = self.resolve(subj, frozenset({"Mission"}), si=si).keys
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ == "of":
                        for part in parts:
                            for whole in self.member_of(c, si, part):
                                self.emit(part, "partOf", whole, si, "member-of", 0.75)
            if tok.tag_ == "NNS" and tok.lemma_.lower() in self.lexicon.craft_nouns:
                self.listed_members(tok, si)
            if tok.lower_ == "among" and tok.dep_ == "prep" and tok.head.lemma_.lower() in AMONG_VERBS:
                self.counted_among(tok, si)
            if tok.lemma_.lower() in FLIGHT_NOUNS:
                # "the Artemis 1 shakedown flight of the Orion capsule": the craft flies it, it is part of it
                flight, crafts = self.flight_of_craft(tok, si)
                for craft in crafts:
                    self.emit(craft, "partOf", flight, si, "flight-of-craft", 0.75)

    def group_members(self, span: Span, whole: str, si: int) -> None:
        """"the Kestrel Landers Alpha and Beta": a name ending in a plural craft noun, followed at once by
        the names of its members."""
        last, doc, nouns = span[-1], span.doc, self.lexicon.craft_nouns
        if last.tag_ not in ("NNS", "NNPS") or not (last.lemma_.lower() in nouns or last.lower_[:-1] in nouns) \
                or span.end >= self.sent_end(last):
            return
        first = doc[span.end]
        part = self.key(first)
        if not part or self.span_at[first.i].start != first.i:
            return
        for m in [part] + self.coordinated(first, frozenset({"Mission"}), (whole,)):
            if m != whole and self.cls[m] == "Mission":
                self.emit(m, "partOf", whole, si, "group-members", 0.75)

    def member_of(self, prep: Token, si: int, part: str) -> list[str]:
        out = []
        for o in prep.children:
            if o.dep_ != "pobj":
                continue
            k = self.in_mention(o)
            if k and k != part and self.cls[k] in WHOLES:
                out.append(k)
            elif o.tag_ == "NNS":  # "of NASA's Great Observatories" parsed with the name as a modifier
                out += [x for c in o.children if (x := self.in_mention(c)) and x != part and self.cls[x] == "Program"]
        return out

    def listed_members(self, noun: Token, si: int) -> None:
        """"the programme has built twelve missions, among them X, Y and Z": members of the programme."""
        doc, end = noun.doc, self.sent_end(noun)
        for i in range(noun.i + 1, min(end, noun.i + 4)):
            for opener in LIST_OPENERS:
                if [t.lower_ for t in doc[i: i + len(opener)]] != list(opener):
                    continue
                first = next((t for t in doc[i + len(opener): min(end, i + len(opener) + 3)] if self.key(t)), None)
                if first is None:
                    return
                members = [m for m in [self.key(first)] + self.coordinated(first, frozenset({"Mission"}))
                           if self.cls[m] == "Mission"]
                owners = self.member_owners(noun, si)
                for m in members:
                    for o in owners:
                        if o == m:
                            continue
                        if self.cls[o] == "Program":
                            self.emit(m, "partOf", o, si, "members", 0.7)
                        elif self.onto.allows("operatedBy", "Mission", self.cls[o]):
                            self.emit(m, "operatedBy", o, si, "members", 0.7)
                return

    def flight_of_craft(self, noun: Token, si: int) -> tuple[str | None, list[str]]:
        """The mission a flight noun is named by and the craft its "of" names ("the Artemis 1 shakedown
        flight of the Orion capsule"): (None, []) unless both are missions."""
        flight = next((k for c in noun.children if c.dep_ in ("compound", "nmod") and (k := self.key(c))
                       and self.cls[k] == "Mission"), None)
        if flight is None:
            return None, []
        crafts = [k for o in self.prep_objects(noun, {"of"}) if o.head.head.i == noun.i
                  for k in self.resolve(o, frozenset({"Mission"}), (flight,), si).keys]
        return flight, crafts

    def counted_among(self, among: Token, si: int) -> None:
        """"X ranks among NASA's most ambitious missions", "X is among the Discovery Program's missions"."""
        subj, _ = self.clause_subject(among.head)
        if subj is None:
            return
        parts = self.resolve(subj, frozenset({"Mission"}), si=si).keys
        for noun in among.children:
            if noun.dep_ != "pobj" or noun.lemma_.lower() not in self.lexicon.craft_nouns:
                continue
            for part in parts:
                for o in self.member_owners(noun, si):
                    if o == part:
                        continue
                    if self.cls[o] == "Program":
                        self.emit(part, "partOf", o, si, "counted-among", 0.7)
                    elif self.onto.allows("operatedBy", self.cls[part], self.cls[o]):
                        self.emit(part, "operatedBy", o, si, "counted-among", 0.7)

    def member_owners(self, noun: Token, si: int) -> list[str]:
        """Whose the listed missions are: the noun's possessor or modifier, or the subject that has them."""
        keys = [k for c in noun.children if c.dep_ in ("poss", "compound", "nmod") for k in self.resolve(c, None, si=si).keys]
        if not keys and noun.dep_ in ("dobj", "attr"):
            subj, _ = self.clause_subject(noun.head)  # "the programme has funded and launched four missions"
            if subj is not None:
                keys = self.resolve(subj, None, si=si).keys
        return [k for k in keys if self.cls[k] in ("Program", "Agency", "Organization")]
