"""Joint endeavours: "a joint mission of NASA and CNES", "the joint ESA-JAXA mission", "a joint effort
bringing together A, B and C", "the first joint venture between A and B", "co-developed by A and B"."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...model import Found

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Prepositions that list a joint endeavour's owners ("of", "by", "between", "among").
OWNER_PREPS = frozenset({"of", "by", "between", "among", "amongst", "involving"})
#: Verbs of a clause describing the endeavour that list its owners ("bringing together A and B").
OWNER_VERBS = frozenset({"bring", "involve", "unite", "include", "combine", "join", "gather", "pool"})
ORGS = frozenset({"Organization", "Country"})
#: Verbs that name the lead of an endeavour ("led by NASA"), unlike "launched by" or "approved by".
LEAD_VERBS = frozenset({"lead", "run", "manage", "operate", "oversee", "control", "direct", "command", "head"})
ENDEAVOURS = frozenset({"SpaceEndeavour"})


class JointRules:
    """Owners of a joint endeavour run it (agencies) or take part in it (other organisations), and
    collaborate with one another."""

    def rule_joint(self, si: int, sent: Span) -> None:
        for tok in self.candidates(sent, self.lexicon.joint_words):
            head = tok.head if tok.dep_ in ("amod", "advmod", "compound") or (
                tok.dep_ == "nmod" and tok.pos_ == "ADJ") else tok
            if self.key(head):  # "a collaborative NASA/ESA venture": the venture, past the names
                head = self.noun_after_names(head)
            owners = self.joint_owners(tok, head)
            if len(owners) < 2:
                continue
            crafts = []
            if head.dep_ in ("attr",):
                subj, _ = self.clause_subject(head)
                if subj is not None:
                    crafts = self.resolve(subj, ENDEAVOURS, owners, si).keys
            elif head.dep_ == "appos":
                crafts = [self.in_mention(t) for t in self.expand(head.head) if self.in_mention(t)]
            self.joint_facts(owners, crafts, si, "joint")
        for tok in sent:
            # "co-developed by A and B", "co-led by A and B": a verb with the prefix co-
            if tok.pos_ == "VERB" and tok.i >= 2 and tok.doc[tok.i - 1].text == "-" and tok.doc[tok.i - 2].lower_ == "co":
                owners = [k for o in self.prep_objects(tok, {"by"}) for k in self.resolve(o, ORGS, si=si).keys]
                owners += [k for o in self.prep_objects(tok, {"by"}) for k in self.coordinated(o, ORGS)]
                owners = list(dict.fromkeys(owners))
                if len(owners) < 2:
                    continue
                crafts = self.role("patient", tok, ENDEAVOURS, si, owners).keys if self.is_passive(tok) else []
                self.joint_facts(owners, crafts, si, "joint:co")

    def settle_joint(self) -> None:
        """Where the document names a lead of a joint endeavour elsewhere ("led by NASA", "NASA's
        Cassini"), the other owners take part in it rather than run it."""
        leads: dict[str, set[tuple[str, int]]] = {}
        for f in self.found:
            family, _, word = f.rule.partition(":")
            if family == "operated-by" and word not in LEAD_VERBS:
                continue  # "JAXA launched X" says who flew it, not who leads the partners
            if f.relation == "operatedBy" and not f.rule.startswith("joint"):
                leads.setdefault(f.subject, set()).add((f.object, f.sentence))
        settled = []
        for f in self.found:
            # a lead named in another sentence than the joint phrase (in the same one, a modifier of
            # "the joint ESA-JAXA mission" is one of the owners, not a lead)
            lead = {o for o, si in leads.get(f.subject, ()) if si != f.sentence}
            if f.relation == "operatedBy" and f.rule.startswith("joint") and lead and f.object not in lead:
                if self.onto.allows("participatesIn", self.cls[f.object], self.cls[f.subject]):
                    settled.append(Found(f.object, "participatesIn", f.subject, f.sentence, f.rule + ":partner", f.confidence))
                continue
            settled.append(f)
        self.found[:] = settled

    def noun_after_names(self, tok: Token) -> Token:
        """The first common noun after the names that open a noun phrase ("NASA/ASI venture"), else ``tok``."""
        doc, end = tok.doc, self.sent_end(tok)
        for t in doc[tok.i: min(end, tok.i + 10)]:
            if t.pos_ == "NOUN" and not self.key(t):
                return t
            if t.pos_ in ("VERB", "AUX", "ADP", "CCONJ") or t.text in (",", ";", ":"):
                break
        return tok

    def joint_owners(self, tok: Token, head: Token) -> list[str]:
        named: list[Token] = []
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in OWNER_PREPS:
                named += [t for t in c.subtree if self.key(t)]
            if c.dep_ in ("compound", "nmod", "amod") and self.key(c):
                named.append(c)
            if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in OWNER_VERBS:
                named += [t for t in c.subtree if t.i > c.i and self.key(t)]  # however the list is parsed
        # "ESA-JAXA" often parses as separate modifiers within the phrase
        named += [t for t in tok.doc[tok.i + 1: head.i] if self.key(t)]
        owners = [self.key(t) for t in named]
        if named:  # the list goes on where the parse lost it: "..., the Italian Space Agency (ASI), and CNES"
            last = max(named, key=lambda t: t.i)
            if last.i > 0 and last.doc[last.i - 1].text == "(" and self.key(last.head):
                last = last.head  # "the Canadian Space Agency (CSA)": the list goes on after the bracket
            owners += self.coordinated(last, ORGS, owners)
        return [o for o in dict.fromkeys(owners) if self.onto.is_a(self.cls[o], ORGS)]

    def joint_facts(self, owners: list[str], crafts: list[str], si: int, rule: str) -> None:
        for i, a in enumerate(owners):
            for b in owners[i + 1:]:
                self.emit(a, "collaboratesWith", b, si, rule, 0.85)
        agencies = any(self.cls[o] == "Agency" for o in owners)
        for c in crafts:
            for o in owners:
                # with agencies among the owners, they run it and the companies take part
                if self.onto.allows("operatedBy", self.cls[c], self.cls[o]) and (self.cls[o] == "Agency" or not agencies):
                    self.emit(c, "operatedBy", o, si, rule, 0.85)
                elif self.onto.allows("participatesIn", self.cls[o], self.cls[c]):
                    self.emit(o, "participatesIn", c, si, rule, 0.8)
