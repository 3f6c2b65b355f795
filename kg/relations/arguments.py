"""Arguments off the dependency parse: the subject of a clause, passive voice, the objects of a
preposition, the names a phrase carries, and whether a statement is negated.

:class:`Arguments` is mixed into :class:`~kg.relations.run.DocRun`; :meth:`Arguments.role` reads
one argument slot of ``ontology/relations.yaml`` and hands the tokens it finds to
:meth:`~kg.relations.coreference.Coreference.resolve`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING



from .common import NOTHING, PRONOUNS_SINGULAR, SUBJ_DEPS, Arg

if TYPE_CHECKING:
    from spacy.tokens import Token


class Arguments:
    """Parse helpers that find a trigger's arguments and the entities a token names."""

    def expand(self, tok: Token) -> list[Token]:
        """A token and the tokens coordinated or in apposition with it."""
        out, todo, seen = [], [tok], set()
        while todo:
            t = todo.pop()
            if t.i in seen:
                continue
            seen.add(t.i)
            out.append(t)
            for c in t.children:
                if c.dep_ in ("conj", "appos"):
                    todo.append(c)
        return sorted(out, key=lambda t: t.i)

    def modifier_names(self, tok: Token) -> list[str]:
        """Names modifying a noun from the left: "Venus flybys", "a Mars gravity assist", "low Earth orbit"."""
        keys = []
        for c in tok.lefts:
            if c.dep_ in ("compound", "nmod", "amod"):
                keys += [self.key(t) for t in c.subtree if self.key(t) and t.dep_ != "poss"]
        return list(dict.fromkeys(keys))

    def in_mention(self, tok: Token) -> str | None:
        """The entity a token names: itself, or the name it carries ("the Huygens probe", "the asteroid Vesta")."""
        k = self.key(tok)
        if k:
            return k
        for c in tok.children:
            if (c.dep_ in ("compound", "nmod", "appos") or c.i == tok.i + 1) and self.key(c):
                return self.key(c)
        return None

    def clause_subject(self, tok: Token) -> tuple[Token | None, bool]:
        """The subject governing ``tok``; (None, True) when the clause has none at all (a fragment)."""
        v = tok
        for _ in range(12):
            subs = [c for c in v.children if c.dep_ in SUBJ_DEPS]
            if not subs and v.dep_ == "ROOT" and (v.pos_ == "VERB" or self.effective_pos(v) == "VERB"):
                # the parser sometimes hangs the subject name on the verb as a modifier
                subs = [c for c in v.children if c.i < v.i and c.dep_ in ("compound", "npadvmod", "nmod", "dep", "nummod")
                        and self.in_mention(c)] or self._name_after_opening_date(v)
            if subs:
                # "As the last mission came X": of two subjects, the named one
                s = next((c for c in subs if self.in_mention(c)), subs[0])
                if s.lower_ in ("which", "that", "who") and v.dep_ == "relcl":
                    return v.head, False
                return s, False
            if v.dep_ in ("relcl", "acl"):
                return v.head, False
            if v.dep_ == "appos":
                return v.head, False
            if v.dep_ == "ROOT" or v.head.i == v.i:
                return None, True
            v = v.head
        return None, True

    def _name_after_opening_date(self, verb: Token) -> list[Token]:
        """"On 5 May 2031 X was sent aloft": the parser reads the name as the object of the opening date's
        preposition; the name that ends a phrase opening with a date is the subject of its verb."""
        for c in verb.children:
            if c.dep_ != "prep" or c.i > verb.i or c.i != c.sent.start:
                continue
            for o in c.children:
                between = verb.doc[o.right_edge.i + 1: verb.i]
                if o.dep_ == "pobj" and all(t.dep_ in ("aux", "auxpass", "neg") for t in between) \
                        and self.in_mention(o) and any(t.like_num for t in o.subtree if t.i < o.i):
                    return [o]
        return []

    def is_passive(self, verb: Token) -> bool:
        """Passive voice, including "overseen by X and run by Y" and "Luna 25, operated by Roscosmos"."""
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "acl":
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "advcl" and not any(
                c.dep_ in SUBJ_DEPS or c.dep_ == "aux" for c in verb.children):
            return True  # "Dispatched by NASA, the probe ...": an opening participle is passive
        if verb.tag_ == "VBN" and verb.dep_ == "conj" and not any(
                c.dep_ in SUBJ_DEPS or (c.dep_ == "aux" and c.lemma_ == "have") for c in verb.children):
            return self.is_passive(verb.head)
        return False

    def prep_objects(self, tok: Token, words: set[str]) -> list[Token]:
        out = []
        hosts = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "advmod", "prt", "acomp", "npadvmod", "attr")
                         or (c.dep_ == "acl" and c.tag_ == "VBG" and tok.pos_ == "NOUN")]  # "an orbit lying over"
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj", "attr") and tok.head.pos_ in ("VERB", "ADP"):
            hosts.append(tok.head if tok.head.pos_ == "VERB" else tok.head.head)
        for h in hosts:
            for c in h.children:
                if c.dep_ in ("prep", "agent", "dative", "advmod", "prt") and c.lower_ in words:
                    # never the token itself ("consisted of the lander": no "lander of")
                    objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp") and g.i != tok.i]
                    for g in c.children:
                        if g.dep_ == "prep":
                            objs += [x for x in g.children if x.dep_ == "pobj"]
                    out += objs
        return out

    def body_of_adjective(self, tok: Token) -> str | None:
        """The entity an adjective of ``body_adjectives`` names ("lunar", "Martian"), if the text names it."""
        body = self.lexicon.body_adjectives.get(tok.lower_)
        return self.gazetteer_key.get(body) if body else None

    def descend(self, tok: Token, depth: int = 0) -> list[Token]:
        """From "the far side of the Moon", "Ryugu's surface", "the composition of Mars' atmosphere" or
        "building the spacecraft" to the thing."""
        if self.key(tok) or tok.lower_ in PRONOUNS_SINGULAR:
            return [tok]
        if tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            return objs or [tok]
        low = tok.lemma_.lower()
        if low in self.lexicon.location_nouns or low in ("km", "kilometre", "kilometer", "mile", "metre"):
            for c in tok.children:
                if c.dep_ == "poss":
                    return [c]
                if c.dep_ in ("compound",) and self.key(c):
                    return [c]
                if c.dep_ == "amod" and self.body_of_adjective(c):  # "the lunar surface"
                    return [c]
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    inner = [g for g in c.children if g.dep_ == "pobj"]
                    if depth < 2 and len(inner) == 1:
                        return self.descend(inner[0], depth + 1)
                    return inner
        return [tok]

    def role(self, spec: str, tok: Token, classes, si: int, exclude=()) -> Arg:
        """One argument slot of a trigger (see ontology/relations.yaml)."""
        is_verb = self.effective_pos(tok) == "VERB"
        if spec == "agent":
            if is_verb and self.is_passive(tok):
                objs = self.prep_objects(tok, {"by"})
                if not objs:
                    return NOTHING
                return self.resolve(objs[0], classes, exclude, si)
            if not is_verb:
                poss = [c for c in tok.children if c.dep_ == "poss"]
                if poss:
                    return self.resolve(poss[0], classes, exclude, si)
            subj, fragment = self.clause_subject(tok)
            if subj is not None:
                if subj.dep_ == "nsubjpass" and is_verb and subj.head.i == tok.i:
                    return NOTHING
                arg = self.resolve(subj, classes, exclude, si)
                if not arg.keys and tok.dep_ == "appos" and subj.i == tok.head.i:
                    # "...to catch comet 67P: three swing-bys of Earth": the comet is not the one flying by
                    return self.role("agent", tok.head, classes, si, exclude)
                return arg
            return self.topic(classes, si, exclude) if fragment else NOTHING
        if spec == "patient":
            if not is_verb:
                return NOTHING
            if self.is_passive(tok):
                if tok.dep_ in ("acl", "relcl") and not any(c.dep_ == "nsubjpass" for c in tok.children):
                    return self.resolve(tok.head, classes, exclude, si)
                subj, fragment = self.clause_subject(tok)
                if subj is None:
                    return self.topic(classes, si, exclude) if fragment else NOTHING
                return self.resolve(subj, classes, exclude, si)
            objs = [c for c in tok.children if c.dep_ in ("dobj",)]
            if not objs and any(c.dep_ == "nsubj" and c.i < tok.i for c in tok.children):
                # a long name after the verb, read as a second subject: it is the object
                objs = [c for c in tok.children if c.dep_ == "nsubj" and c.i > tok.i and self.in_mention(c)]
            if not objs and tok.pos_ != "VERB":  # a verb tagged as a noun: the name after it is its object
                objs = [c for c in tok.rights if c.dep_ in ("appos", "npadvmod", "attr", "compound") and self.in_mention(c)]
            objs = [tok.head if (o.lower_ in ("which", "that", "whom") and tok.dep_ == "relcl") else o for o in objs]
            keys, how = [], "explicit"
            for o in objs:
                for d in self.descend(o):  # "reached the surface of Mars": the thing, not its surface
                    a = self.resolve(d, classes, exclude, si)
                    keys += a.keys
                    how = a.how
                    if a.keys and a.how == "explicit":
                        keys += self.coordinated(d, classes, exclude)
            return Arg(list(dict.fromkeys(keys)), how) if keys else NOTHING
        if spec == "compound":
            keys = [k for k in self.modifier_names(tok) if self.classes_ok(k, classes) and k not in exclude]
            return Arg(keys, "explicit") if keys else NOTHING
        if spec == "adjective":  # "reached lunar orbit": a body the text names, by its adjective
            keys = [k for c in tok.children if c.dep_ == "amod" and (k := self.body_of_adjective(c))
                    and self.classes_ok(k, classes) and k not in exclude]
            return Arg(keys, "explicit") if keys else NOTHING
        if spec == "context":
            # the endeavour the clause is about, never the thing contributed ("ESA contributed the Huygens probe")
            contributed = set()
            if is_verb:
                for c in tok.children:
                    if c.dep_ in ("dobj", "nsubjpass"):
                        contributed |= {self.key(t) for t in c.subtree if self.key(t)}
            owner = self.owner_of_phrase(tok, classes, si, set(exclude) | contributed)
            if owner.keys:
                return owner
            named = [k for span, k in self.spans_in[si] if k not in exclude
                     and k not in contributed and self.classes_ok(k, classes)]
            if named:
                return Arg(named[:1], "explicit")
            return self.topic(classes, si, set(exclude) | contributed)
        if spec == "list":
            return NOTHING
        if spec == "as-of":
            # "with ESA as a partner", "Canada joined NASA as a partner": who is the partner
            if tok.head.lower_ != "as":
                return NOTHING
            host = tok.head.head
            if self.in_mention(host):
                return self.resolve(host, classes, exclude, si)
            for w in self.prep_objects(host, {"with"}):
                a = self.resolve(w, classes, exclude, si)
                if a.keys:
                    return Arg(a.keys + self.coordinated(w, classes, exclude), a.how)
            if host.pos_ == "VERB":  # "Canada joined NASA as a partner in X": both are partners
                keys = []
                for c in host.children:
                    if c.dep_ in ("dobj",) + SUBJ_DEPS:
                        keys += self.resolve(c, classes, exclude, si).keys
                return Arg(list(dict.fromkeys(keys)), "explicit") if keys else NOTHING
            return NOTHING
        # a preposition
        words = {spec}
        keys, how = [], "explicit"
        objs = self.prep_objects(tok, words)
        for o in objs:
            for d in self.descend(o):
                a = self.resolve(d, classes, exclude, si)
                keys += a.keys
                if a.keys:
                    how = a.how
                    keys += self.coordinated(d, classes, exclude)
        if not keys and not objs:
            first = self.surface_object(tok, words)
            if first is not None:
                a = self.resolve(first, classes, exclude, si)
                keys, how = a.keys, a.how
                if keys:
                    keys += self.coordinated(first, classes, exclude)
        return Arg(list(dict.fromkeys(keys)), how) if keys else NOTHING

    def surface_object(self, tok: Token, words: set[str]) -> Token | None:
        """When the parse loses a preposition ("flew past" tagged as an adjective), read it off the surface."""
        doc, end = tok.doc, self.sent_end(tok)
        i = tok.i + 1
        while i < min(end, tok.i + 4) and doc[i].lower_ not in words:
            if doc[i].pos_ in ("ADV", "PART") or doc[i].lower_ in ("close", "back", "once", "twice"):
                i += 1
                continue
            return None
        if i >= end or doc[i].lower_ not in words:
            return None
        for j in range(i + 1, min(end, i + 9)):
            if self.key(doc[j]) or doc[j].lower_ in PRONOUNS_SINGULAR:
                return doc[j]
            if doc[j].lower_ == "of" and doc[j - 1].lemma_.lower() in self.lexicon.location_nouns:
                continue  # "on the far side of the Moon"
            if doc[j].is_punct or doc[j].pos_ in ("VERB", "AUX", "ADP", "CCONJ", "SCONJ"):
                return None
        return None

    def coordinated(self, tok: Token, classes, exclude=()) -> list[str]:
        """Names listed after ``tok`` through commas, "and", "then", dates: "Mars twice, then Earth, and finally Saturn"."""
        span = self.span_at.get(tok.i)
        if span is None:
            return []
        doc, end = tok.doc, self.sent_end(tok)
        glue = {",", "and", "or", "then", "twice", "again", "once", "also", "finally", "later", "thrice"}
        keys, j = [], span.end
        while j < end:
            t = doc[j]
            k = self.key(t)
            if k:
                if k in exclude or not self.classes_ok(k, classes) or (j + 1 < end and doc[j + 1].text in ("'s", "’s")):
                    break
                keys.append(k)
                j = self.span_at[j].end
                continue
            nxt = doc[j + 1] if j + 1 < end else None
            if t.text == "(" and nxt is not None and self.key(nxt) and j + 2 < end and doc[self.span_at[j + 1].end].text == ")":
                j = self.span_at[j + 1].end + 1  # "the European Space Agency (ESA)"
            elif t.lower_ in glue or t.lower_ in ("the", "a", "an") or t.ent_type_ in ("DATE", "CARDINAL", "ORDINAL") or t.like_num:
                j += 1
            elif t.lower_ in ("together", "along") and nxt is not None and nxt.lower_ == "with":
                j += 2  # "X together with Y", "X along with Y"
            elif t.lower_ in ("in", "on", "during", "by") and nxt is not None and (nxt.ent_type_ == "DATE" or nxt.like_num):
                j += 1
            elif t.lower_ == "of" and keys == [] and doc[j - 1].like_num:
                j += 1
            elif t.lower_ in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine") and nxt is not None and nxt.lower_ == "of":
                j += 2
            else:
                break
        return keys

    def owner_of_phrase(self, tok: Token, classes, si: int, exclude: set[str]) -> Arg:
        """Climb to the nearest noun phrase with an owner: "its radar, built with contributions from X"."""
        v = tok
        for _ in range(6):
            if v.head.i == v.i:
                break
            v = v.head
            for c in v.children:
                if c.dep_ == "poss":
                    a = self.resolve(c, classes, exclude, si)
                    if a.keys:
                        return a
            if v.dep_ == "conj":
                for c in v.head.children:
                    if c.dep_ == "poss":
                        a = self.resolve(c, classes, exclude, si)
                        if a.keys:
                            return a
        return NOTHING

    def slot(self, specs: tuple[str, ...], tok: Token, classes, si: int, exclude=()) -> Arg:
        return self.slot_filled(specs, tok, classes, si, exclude)[0]

    def slot_filled(self, specs: tuple[str, ...], tok: Token, classes, si: int, exclude=(),
                    taken: str | None = None) -> tuple[Arg, str | None]:
        """The first spec of ``specs`` that names something, and which one it was.  A clause role
        another slot of the frame ``taken`` already is not used again: in "it was headed for X" the
        passive subject is the traveller, not also (read with the other slot's classes) its goal."""
        for spec in specs:
            if spec == taken and spec in ("agent", "patient"):
                continue
            a = self.role(spec, tok, classes, si, exclude)
            if a.keys:
                return a, spec
        return NOTHING, None

    def negated(self, tok: Token) -> bool:
        v = tok
        for _ in range(8):
            for c in v.children:
                if c.dep_ == "neg" or c.lower_ in ("never", "not", "n't"):
                    return True
                if c.dep_ in SUBJ_DEPS and any(d.lower_ in ("no", "neither") for d in c.children):
                    return True
                if c.dep_ in SUBJ_DEPS and c.lower_ in ("nothing", "none", "neither"):
                    return True
            if v.dep_ in ("xcomp", "acomp", "prep", "pobj", "dobj", "pcomp", "amod", "compound", "aux", "advcl",
                          "attr", "oprd") and v.head.i != v.i:
                v = v.head
                continue
            break
        text = " ".join(self.lower[max(self.sent_start(tok), tok.i - 4):tok.i])
        return bool(text) and self.lexicon.negation_pattern.search(text) is not None

    def effective_pos(self, tok: Token) -> str:
        """The part of speech, correcting verbs the tagger took for nouns: "It will first land among...",
        "the first craft to land on...", "NASA's Juno orbits Jupiter." (a sentence with no verb)."""
        pos = tok.pos_ if tok.pos_ != "AUX" else "VERB"
        if pos not in ("NOUN", "PROPN", "ADJ"):
            return pos
        if any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "neg") for c in tok.children):
            return "VERB"
        if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "to" and tok.tag_ in ("NN", "VB"):
            return "VERB"
        if tok.dep_ == "ROOT" and tok.tag_ == "NNS" and self._verbless_root(tok):
            return "VERB"
        return pos

    def _verbless_root(self, tok: Token) -> bool:
        sent = self.sents[self.sent_of[tok.i]]
        if any(t.pos_ in ("VERB", "AUX") for t in sent):
            return False
        left = [c for c in tok.lefts if self.in_mention(c)]
        right = [c for c in tok.rights if self.in_mention(c)]
        return bool(left and right)

    def _agency_subject(self, tok: Token) -> bool:
        subj, _ = self.clause_subject(tok)
        if subj is None:
            return False
        k = self.in_mention(subj)
        return bool(k and self.onto.is_a(self.cls[k], frozenset({"Organization"})))
