"""Trigger words of ``ontology/relations.yaml`` with their arguments read off the parse (active and
passive, prepositions, possessors, relative clauses, coordination); lists announced by a colon
wait for their items; operators named together and partnerships give ``collaboratesWith``."""
from __future__ import annotations

from typing import TYPE_CHECKING


from ..common import BUILD_VERBS, FLIGHT_NOUNS, SUBJ_DEPS, Arg
from ..lexicon import Trigger

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


class TriggerRules:
    """Relations stated by a trigger verb or noun."""

    def trigger_matches(self, tok: Token) -> list[Trigger]:
        cands = self.lexicon.by_lemma.get(tok.lemma_.lower(), []) + self.lexicon.by_lemma.get(tok.lower_, [])
        out = []
        pos = self.effective_pos(tok)
        for t in dict.fromkeys(id(x) for x in cands):
            trig = next(x for x in cands if id(x) == t)
            if pos in trig.pos:
                out.append(trig)
        return out

    def rule_triggers(self, si: int, sent: Span) -> None:
        by_lemma = self.lexicon.by_lemma
        for i in range(sent.start, sent.end):
            if self.lemma[i] not in by_lemma and self.lower[i] not in by_lemma:
                continue
            tok = self.doc[i]
            for trig in self.trigger_matches(tok):
                if not self.trigger_ok(trig, tok):
                    continue
                if self.negated(tok):
                    continue
                self.apply_trigger(trig, tok, si)

    def trigger_ok(self, trig: Trigger, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        kids = {c.lower_ for c in tok.children}
        kids |= {g.lower_ for c in tok.children if c.pos_ in ("PROPN", "NOUN") for g in c.children
                 if g.dep_ in ("amod", "advmod")}  # "flew past Jupiter" parsed with "past" on the name
        needs = trig.needs.get(lemma)
        if needs and not kids & needs:
            return False
        if trig.name == "flyby-noun" and lemma in ("by", "bys"):
            prev = tok.doc[tok.i - 2] if tok.i >= 2 else None
            return bool(prev is not None and prev.lower_ in ("swing", "fly") and tok.doc[tok.i - 1].text == "-")
        if trig.name == "flyby-noun" and lemma == "assist" and not kids & {"from", "of"} and not self.modifier_names(tok):
            return False
        if trig.name == "contribute" and lemma in BUILD_VERBS | {"carry"} and not self._contribution_object(tok):
            # "Juno, built by Lockheed Martin": the builder takes part in the craft it built
            return lemma in BUILD_VERBS and self.is_passive(tok)
        if trig.name == "operated-by" and lemma in BUILD_VERBS and (self.is_passive(tok) or lemma != "develop"):
            # "developed by NASA": an agency that built it runs it (a company that built it takes part);
            # "ESA and NASA built it" or "a partner in building it" says nothing of who runs it
            return self.is_passive(tok) and any(self.in_mention(a) and self.cls[self.in_mention(a)] == "Agency"
                                                for a in self.prep_objects(tok, {"by"}))
        if trig.name == "operated-by" and lemma in ("launch", "select", "end", "extend", "plan", "approve", "develop", "fly"):
            return not self.is_passive(tok) and self._agency_subject(tok)
        if trig.name == "carry-part" and lemma == "carry" and self._contribution_object(tok):
            return False
        if trig.name == "mission-of" and lemma in FLIGHT_NOUNS and self.flight_of_craft(tok, self.sent_of[tok.i])[1]:
            return False  # "the Artemis 1 shakedown flight of the Orion capsule": PartRules reads it
        if trig.name == "partner" and tok.dep_ in SUBJ_DEPS:
            return False  # "Each partner owns its modules" says nothing about who is a partner of what
        if trig.name == "carry-from" and not self.prep_objects(tok, {"from"}):
            return False
        return True

    def _contribution_object(self, tok: Token) -> bool:
        """Generic hardware as object ("supplied instruments", "a robotic arm"), not a named craft."""
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        craft = self.lexicon.craft_nouns | {"station"}
        return bool(objs) and not any(self.in_mention(o) or o.lemma_.lower() in craft or o.pos_ == "PRON" for o in objs)

    def rel_classes(self, trig: Trigger, side: str) -> frozenset[str]:
        out: set[str] = set()
        for r in trig.relations:
            rel = self.onto.relations[r]
            out |= rel.domain if side == "subject" else rel.range
            if rel.symmetric:
                out |= rel.domain | rel.range
        return frozenset(out)

    def apply_trigger(self, trig: Trigger, tok: Token, si: int) -> None:
        dom = self.rel_classes(trig, "subject")
        rng = self.rel_classes(trig, "object")
        subj, role = self.slot_filled(trig.subject, tok, dom, si)
        if subj.how in ("topic", "list"):
            self.states[si].implicit += subj.keys
        obj, _ = self.slot_filled(trig.object, tok, rng, si, exclude=subj.keys, taken=role)
        rule = f"{trig.name}:{tok.lemma_.lower()}"
        if "collaboratesWith" in trig.relations:
            self.collaborations(trig, tok, si, subj, obj, rule)
            return
        if not obj.keys and "list" in trig.object and subj.keys:
            self.add_pending(si, tok, (trig, subj, "object", rule))
            return
        if not subj.keys and "list" in trig.subject and obj.keys:
            self.add_pending(si, tok, (trig, obj, "subject", rule))
            return
        conf = min(subj.confidence, obj.confidence) if subj.keys and obj.keys else 0
        for s in subj.keys:
            for o in obj.keys:
                for rel in trig.relations:
                    self.emit(s, rel, o, si, rule, conf)
        self.co_operators(obj.keys if "operatedBy" in trig.relations else [], subj.keys, si, rule)

    def add_pending(self, si: int, tok: Token, frame: tuple) -> None:
        """A frame waiting for the items of the list this sentence introduces; the trigger nearest
        the colon owns the list ("Before it can enter orbit, it makes nine flybys:")."""
        st = self.states[si]
        anchor = self.list_anchor(si)
        if anchor is not None:
            # "visit the Trojan asteroids that share Jupiter's orbit:": the list is of asteroids
            if anchor.i != tok.i and not any(t.i == anchor.i for t in tok.subtree):
                return
            depth = len(list(tok.subtree))
            if st.pending_at is not None and st.pending_at < depth:
                return
            st.pending = [p for p in st.pending if p[0] in ("moons", "modifier")]
            st.pending_at = depth
            st.pending.append(frame)
            return
        if st.pending_at is not None and st.pending_at > tok.i:
            return
        if st.pending_at is not None and st.pending_at < tok.i:
            st.pending = [p for p in st.pending if p[0] in ("moons", "modifier")]
        st.pending_at = tok.i
        st.pending.append(frame)

    def list_anchor(self, si: int) -> Token | None:
        """The plural noun a colon intro announces its items with ("nine flybys:", "two asteroids:")."""
        toks = [t for t in self.sents[si] if not t.is_space and t.text != ":"]
        for t in reversed(toks):
            if t.tag_ in ("NNS", "NNPS") and not self.key(t):
                return t
            if t.pos_ == "VERB" and t.dep_ != "relcl" and t.head.tag_ not in ("NNS", "NNPS"):
                return None
        return None

    def co_operators(self, operators: list[str], crafts: list[str], si: int, rule: str) -> None:
        """"run by four agencies: NASA, ESA, ...": operators named together work together."""
        orgs = [o for o in dict.fromkeys(operators) if self.onto.is_a(self.cls[o], frozenset({"Organization"}))]
        if len(orgs) < 2 or not crafts:
            return
        for i, a in enumerate(orgs):
            for b in orgs[i + 1:]:
                self.emit(a, "collaboratesWith", b, si, rule + ":co-operators", 0.75)

    def collaborations(self, trig, tok, si, subj: Arg, obj: Arg, rule: str) -> None:
        actors = frozenset({"Organization", "Country"})
        agents = list(subj.keys)
        if tok.pos_ == "NOUN" and len(agents) < 2:
            # "It is a cooperative venture between A and B": the venture is not a partner
            agents = [a for a in agents if self.onto.is_a(self.cls[a], actors)]
        partners = list(obj.keys)
        between = self.prep_objects(tok, {"between"})
        for b in between:
            ks = [self.key(t) for t in b.subtree if self.key(t)]
            ks = [k for k in dict.fromkeys(ks) if self.onto.allows("collaboratesWith", self.cls[k], self.cls[k])]
            agents += ks
        conf = 0.85
        group = list(dict.fromkeys(agents))
        if partners:
            for a in group:
                for p in partners:
                    self.emit(a, "collaboratesWith", p, si, rule, conf)
        elif len(group) >= 2:
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    self.emit(a, "collaboratesWith", b, si, rule, conf)
        # "partnership with NASA on Artemis": the partners take part in the endeavour;
        # "CNES and ISRO are working together on X, a joint mission": they run it
        endeavours = frozenset({"SpaceEndeavour"})
        on = self.slot(("on",), tok, endeavours, si)
        joint = any(c.lower_ in ("together", "jointly") for c in tok.children) or any(
            t.lower_ in self.lexicon.joint_words for t in self.sents[self.sent_of[tok.i]])
        for a in (group + partners if joint else group):
            for e in on.keys:
                if joint and len(group) >= 2:
                    self.emit(e, "operatedBy", a, si, rule + ":joint", 0.75)
                else:
                    self.emit(a, "participatesIn", e, si, rule, 0.75)
        # "The agency built the probe in partnership with two universities": partners take part in it
        if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB" and partners:
            verb = tok.head.head
            deps = ("nsubjpass",) if self.is_passive(verb) else ("dobj",)
            built = [self.resolve(c, endeavours, si=si) for c in verb.children if c.dep_ in deps]
            for arg in built:
                for e in arg.keys:
                    for p in partners:
                        self.emit(p, "participatesIn", e, si, rule + ":partners", 0.7)
                    # "ExoMars, led by ESA, was run in partnership with Roscosmos": ESA and Roscosmos collaborate
                    for f in [f for f in self.found if f.sentence == si and f.subject == e and f.relation == "operatedBy"]:
                        for p in partners:
                            self.emit(f.object, "collaboratesWith", p, si, rule + ":operator", 0.7)
