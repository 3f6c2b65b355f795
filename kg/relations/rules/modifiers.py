"""Modifiers of a craft noun: "a NASA mission", "two NASA rovers, X and Y", "Galileo, the NASA orbiter",
and adjectives naming a body: "X, a lunar lander" is bound for the Moon (when the text names it)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..common import BUILD_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Span



#: "a NASA-led mission", "the ESA-run probe": the name before the hyphen runs it.
RUN_VERBS = frozenset({"lead", "run", "operate", "manage", "control", "direct"})
#: "the DLR-funded instrument": the name before the hyphen takes part.
FUND_VERBS = frozenset({"fund", "finance", "sponsor", "supply", "provide"})
#: The participles after a hyphen that :meth:`ModifierRules.rule_hyphen_agents` reads.
HYPHEN_VERBS = BUILD_VERBS | RUN_VERBS | FUND_VERBS


class ModifierRules:
    """An organisation (operator) or programme (whole) named in front of a craft noun."""

    def rule_modifiers(self, si: int, sent: Span) -> None:
        nouns = self.lexicon.craft_nouns
        for tok in self.candidates(sent, nouns | {n + "s" for n in nouns}):
            low = tok.lemma_.lower()
            owners = [self.key(c) for c in tok.children if c.dep_ in ("compound", "nmod", "amod") and self.key(c)
                      and not self.hyphen_agent(c)]
            owners = [o for o in owners if self.onto.is_a(self.cls[o], frozenset({"Organization", "Program"}))]
            bodies = [b for c in tok.children if c.dep_ in ("amod", "compound") and not self.key(c)
                      and (b := self.body_of_adjective(c))]
            # "the Mars rover X", "a Venus orbiter": a body named in front of the craft noun
            bodies += [k for c in tok.children if c.dep_ in ("compound", "nmod") and (k := self.key(c))
                       and self.onto.is_a(self.cls[k], frozenset({"CelestialBody"}))]
            if not owners and not bodies:
                continue
            # the craft the noun describes: itself a name, its apposition/list, or the copula subject
            crafts = []
            k = self.key(tok)
            if k and k not in owners:
                crafts.append(k)
            for c in tok.children:
                if c.dep_ in ("appos",):
                    crafts += [self.in_mention(t) for t in self.expand(c) if self.in_mention(t)]
            if tok.dep_ in ("attr",):
                subj, _ = self.clause_subject(tok)
                if subj is not None:
                    crafts += self.resolve(subj, frozenset({"Mission", "Program", "SpaceStation"}), owners, si).keys
            if tok.dep_ == "appos":
                crafts += [self.in_mention(t) for t in self.expand(tok.head) if self.in_mention(t)]
            crafts += self.named_after(tok)  # "two NASA landers on wheels, called X and Y"
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and self.key(nxt) and self.span_at[nxt.i].start == nxt.i and not k:
                crafts.append(self.key(nxt))  # "the lunar lander Odysseus"
            crafts += [self.key(c) for c in tok.children if c.dep_ == "compound" and self.key(c)
                       and self.cls[self.key(c)] == "Mission"]  # "the Kestrel lunar mission"
            if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "ROOT") and not crafts:
                nxt = [t for t in tok.doc[tok.i + 1: min(self.sent_end(tok), tok.i + 3)]]
                if nxt and nxt[0].text in (",", ":"):
                    crafts += [self.in_mention(t) for t in tok.doc[tok.i + 1: self.sent_end(tok)] if self.in_mention(t)
                               and self.cls[self.in_mention(t)] == "Mission"][:3]
            if not crafts and tok.tag_ == "NNS":
                crafts += self.listed_before(tok)  # "Hera and Rosetta, two ESA probes that ..."
            if not crafts and tok.dep_ == "nsubj":
                # "The first CLPS mission turned out to be X", "The next ESA probe will be X"
                verb = tok.head
                attrs = [c for c in verb.children if c.dep_ == "attr"] + [
                    g for c in verb.children if c.dep_ == "xcomp" for g in c.children if g.dep_ == "attr"]
                crafts += [k for a in attrs if (k := self.in_mention(a)) and self.cls[k] == "Mission"]
            if not crafts and self.states[si].ends_with_colon:
                self.states[si].pending.append(("modifier", owners, tok))
            for c in dict.fromkeys(x for x in crafts if x):
                for b in bodies:
                    self.emit(c, "targets", b, si, f"body-adjective:{low}", 0.7)
                for o in owners:
                    rel = "operatedBy" if self.onto.is_a(self.cls[o], frozenset({"Organization"})) else "partOf"
                    self.emit(c, rel, o, si, f"modifier:{low}", 0.8)

    def listed_before(self, noun) -> list[str]:
        """The missions listed right before a plural noun phrase and its comma ("A and B, two ESA probes")."""
        doc = noun.doc
        start = min(t.i for t in noun.subtree)
        sent_start = doc[start].sent.start
        if start - 2 < sent_start or doc[start - 1].text != ",":
            return []
        keys, i = [], start - 2
        while i >= sent_start:
            k = self.key(doc[i])
            if k:
                if self.cls[k] != "Mission":
                    break
                keys.append(k)
                i = self.span_at[i].start - 1
            elif doc[i].lower_ in ("and", ",", "or"):
                i -= 1
            else:
                break
        return keys[::-1] if len(keys) >= 2 else []

    def hyphen_agent(self, tok) -> bool:
        """Whether a name is the agent of a hyphenated participle after it ("the Airbus-built module"),
        which :meth:`rule_hyphen_agents` reads."""
        doc, span = tok.doc, self.span_at.get(tok.i)
        end = span.end if span is not None else tok.i + 1
        return end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lemma_.lower() in HYPHEN_VERBS

    def rule_owners_before_name(self, si: int) -> None:
        """Owners named right before a mission's or programme's name: two organisations joined by a hyphen
        or a slash own it together, as in a joint mission ("the NASA-ESA Solar Orbiter", "a NASA/ASI probe
        X"); an agency's name after an article runs it ("the NASA New Millennium Program")."""
        doc, orgs = self.doc, frozenset({"Organization"})
        for span, k in self.spans_in[si]:
            i = span.start
            if i < 1 or self.cls[k] not in ("Mission", "Program"):
                continue
            if i >= 3 and doc[i - 2].text in ("-", "/"):
                a, b = self.key(doc[i - 3]), self.key(doc[i - 1])
                if a and b and a != b and all(self.onto.is_a(self.cls[x], orgs) for x in (a, b)):
                    self.joint_facts([a, b], [k], si, "paired-owners")
                continue
            # "the NASA New Millennium Program": an agency's name right before the name, after "the"
            a = self.key(doc[i - 1])
            if a and a != k and self.cls[a] == "Agency":
                before = self.span_at[i - 1].start - 1
                if before >= 0 and doc[before].lower_ in ("the", "a", "an") \
                        and self.onto.allows("operatedBy", self.cls[k], self.cls[a]):
                    self.emit(k, "operatedBy", a, si, "agency-before-name", 0.8)

    def rule_hyphen_agents(self, si: int, sent: Span) -> None:
        """"the Airbus-built Kestrel module", "a NASA-led mission X": the name before the hyphen built
        it (an agency runs what it built, a company takes part) or runs it."""
        for tok in sent:
            lemma = tok.lemma_.lower()
            if tok.i < 2 or tok.doc[tok.i - 1].text != "-" or lemma not in HYPHEN_VERBS:
                continue
            org = self.key(tok.doc[tok.i - 2])
            if org is None or not self.onto.is_a(self.cls[org], frozenset({"Organization"})):
                continue
            noun = tok.head
            named = [self.key(c) for c in noun.children if c.dep_ in ("compound", "nmod")]
            crafts = [k for k in [self.in_mention(noun)] + named + self.named_after(noun) if k and k != org]
            if not crafts and noun.dep_ == "appos":
                crafts = [k for k in [self.in_mention(noun.head)] if k]
            for c in dict.fromkeys(crafts):
                runs = lemma in RUN_VERBS or (lemma in BUILD_VERBS and self.cls[org] == "Agency")
                if runs:
                    self.emit(c, "operatedBy", org, si, f"hyphen:{lemma}", 0.8)
                else:
                    self.emit(org, "participatesIn", c, si, f"hyphen:{lemma}", 0.8)
