"""Coreference: the entities an argument token stands for.

A name stands for itself; "it" and "its" for the clause's own subject, a subject earlier in the
sentence or the most salient entity of the last sentences; "the mission" or "the comet" for the
entity the text last called that; "they" and "both agencies" for the last pair named.

:class:`Coreference` is mixed into :class:`~kg.relations.run.DocRun`, whose per-document indexes
(``tok2key``, ``spans_in``, ``states``, ``found``) it reads.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Iterable


from .common import GROUP_NOUNS, NAMING_WORDS, GENERIC_KINDS, NOTHING, PRONOUNS_PLURAL, PRONOUNS_SINGULAR, SUBJ_DEPS, Arg

if TYPE_CHECKING:
    from spacy.tokens import Token


class Coreference:
    """Resolving argument tokens to entity keys, with the discourse history of the document."""

    def _kind_words(self) -> dict[str, set[str]]:
        """The common nouns the text attaches to each entity: "comet 67P", "the Philae lander",
        "Dactyl, a tiny moon"; "the comet" later prefers the entity called a comet."""
        kinds: dict[str, set[str]] = {}
        nouns = set(self.lexicon.ref_nouns)
        for span, k in self.mention_spans:
            around = []
            if span.start > 0:
                around.append(self.doc[span.start - 1])
            if span.end < len(self.doc):
                around.append(self.doc[span.end])
            around += [c for c in span.root.children if c.dep_ == "appos"]
            if span.root.dep_ in ("compound", "appos"):
                around.append(span.root.head)
            for t in around:
                lemma = t.lemma_.lower()
                if lemma in nouns:
                    kinds.setdefault(k, set()).add(lemma)
        return kinds

    def resolve(self, tok: Token, classes: frozenset[str] | None, exclude: Iterable[str] = (),
                si: int | None = None) -> Arg:
        """Map an argument token to entities: a name, a pronoun, "the mission", "both agencies"."""
        arg = self._resolve(tok, classes, exclude, si)
        if arg.keys and tok.lower_ == "its":
            self._resolved.setdefault(tok.i, arg.keys)
        if arg.how in ("pronoun", "reference") and self.states:
            st = self.states[-1]
            st.mentioned += [k for k in arg.keys if k not in st.mentioned]
        return arg

    def _resolve(self, tok: Token, classes: frozenset[str] | None, exclude: Iterable[str] = (),
                 si: int | None = None) -> Arg:
        exclude = set(exclude)
        si = self.sent_index(tok) if si is None else si
        if tok.dep_ == "amod" and (k := self.body_of_adjective(tok)):  # "the lunar surface", as descended to
            return Arg([k], "explicit") if k not in exclude and self.classes_ok(k, classes) else NOTHING
        keys = []
        for t in self.expand(tok):
            k = self.in_mention(t)
            if k and k not in exclude and self.classes_ok(k, classes):
                keys.append(k)
        if not keys and tok.pos_ == "NOUN" and tok.tag_ in ("NNS", "NNPS") and tok.i + 2 < len(tok.doc) \
                and tok.doc[tok.i + 1].text == ":":
            first = next((t for t in tok.doc[tok.i + 2: self.sent_end(tok)] if self.key(t)), None)
            if first is not None and first.i <= tok.i + 4 and self.classes_ok(self.key(first), classes):
                keys = [self.key(first)] + self.coordinated(first, classes, exclude)
        if not keys and tok.pos_ == "NOUN" and tok.lemma_.lower() in self.lexicon.purpose_nouns \
                and tok.dep_ in SUBJ_DEPS:  # "its goal is to ...", never "reached its destination"
            owner = [c for c in tok.children if c.dep_ == "poss"]
            if owner:
                return self.resolve(owner[0], classes, exclude, si)
        if not keys and tok.pos_ == "NOUN":
            # "a team led by the Italian Space Agency": the group stands for its leader
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_ in ("lead", "head", "run", "direct"):
                    for a in self.prep_objects(c, {"by"}):
                        keys += [k for k in self.resolve(a, classes, exclude, si).keys]
                # "a small lander called Kestrel"
                if c.dep_ == "acl" and (c.lemma_ in ("call", "name", "nickname", "dub") or (
                        c.lemma_ == "know" and any(g.lower_ == "as" for g in c.children))):  # "known as X"
                    keys += [self.key(t) for t in c.subtree if self.key(t) and self.classes_ok(self.key(t), classes)
                             and self.key(t) not in exclude][:1]
            if not keys:
                # "two landers on wheels, called Kestrel and Osprey", wherever the parse hung "called"
                keys += [k for k in self.named_after(tok) if k not in exclude and self.classes_ok(k, classes)]
            if not keys and tok.tag_ == "NNS":
                # "nations such as Italy, Japan and Canada": the group stands for those it lists
                for p in tok.children:
                    if p.dep_ == "prep" and (p.lower_ in ("including", "like") or (
                            p.lower_ == "as" and p.i > 0 and p.doc[p.i - 1].lower_ == "such")):
                        keys += [k for t in p.subtree if (k := self.key(t)) and k not in exclude
                                 and self.classes_ok(k, classes)]
            if not keys and tok.lemma_.lower() in GROUP_NOUNS:
                # "a pair of landers", "the twin rovers": the group stands for its members
                for p in tok.children:
                    if p.dep_ == "prep" and p.lower_ == "of":
                        for o in p.children:
                            if o.dep_ == "pobj" and o.lemma_.lower() not in GROUP_NOUNS:
                                keys += self.resolve(o, classes, exclude, si).keys
        if not keys and tok.dep_ in ("attr",) and tok.pos_ == "NOUN":
            subs = [c for c in tok.head.children if c.dep_ in SUBJ_DEPS]
            if subs and self.in_mention(subs[0]):
                k = self.in_mention(subs[0])
                if k not in exclude and self.classes_ok(k, classes):
                    keys.append(k)
        if not keys and tok.dep_ == "appos":
            k = self.in_mention(tok.head)
            if k and k not in exclude and self.classes_ok(k, classes):
                keys.append(k)
        if keys:
            return Arg(list(dict.fromkeys(keys)), "explicit")
        low = tok.lower_
        if low == "whose" and tok.head.dep_ != "ROOT":
            clause = next((a for a in tok.ancestors if a.dep_ == "relcl"), None)
            if clause is not None:  # "the Artemis program, whose goal is ...": the program
                return self.resolve(clause.head, classes, exclude, si)
        det = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss", "nummod", "predet", "amod")}
        if low in PRONOUNS_SINGULAR or (low == "one" and "each" in det):
            return self.resolve_pronoun(tok, classes, exclude, si)
        if low in PRONOUNS_PLURAL or (det & {"both", "these", "those"}) or {"the", "two"} <= det:
            ks = self.plural_antecedents(classes, si, tok.i, exclude)
            if ks:
                return Arg(ks, "pronoun")
            return NOTHING
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if tok.pos_ == "NOUN" and nxt is not None and self.key(nxt) and self.span_at[nxt.i].start == nxt.i:
            k = self.key(nxt)  # "the small asteroid Dinkinesh", whatever the parse made of it
            if k not in exclude and self.classes_ok(k, classes):
                return Arg([k], "explicit")
        if tok.pos_ == "NOUN" and tok.tag_ != "NNS":  # "the recent Mars rovers" is no single entity
            ref_cls = self.lexicon.ref_nouns.get(low) or self.lexicon.ref_nouns.get(tok.lemma_.lower())
            if ref_cls and (det & {"the", "this", "its", "their", "that"} or tok.lower_ in ("spacecraft",)) \
                    and not det & {"another", "other", "a", "an"}:  # "another spacecraft" is a new one
                allowed = frozenset(ref_cls) if classes is None else frozenset(c for c in ref_cls if self.onto.is_a(c, classes))
                if allowed:
                    owner = [c for c in tok.children if c.dep_ == "poss"]
                    k = self.antecedent(allowed, si, tok.i, exclude, nearest=False, kind=tok.lemma_.lower())
                    if k and not owner:
                        return Arg([k], "reference")
                    if k and owner and owner[0].lower_ in ("its", "the", "their"):
                        return Arg([k], "reference")
        return NOTHING

    def resolve_pronoun(self, tok: Token, classes, exclude: set[str], si: int) -> Arg:
        """"it"/"its": the clause's own subject when that is the referent ("Cassini fired its engine"),
        else the nearest subject of the sentence, else the most salient entity; a nearer subject of
        the wrong kind blocks the reference rather than skipping to a farther one."""
        sent = self.sents[si]
        # "Before it settles into orbit, Juno swings past...": a pronoun in a fronted clause looks ahead
        root_subj = [c for c in sent.root.children if c.dep_ in SUBJ_DEPS]
        if root_subj and root_subj[0].i > tok.i and self.in_mention(root_subj[0]) and any(
                a.dep_ in ("advcl", "prep") and a.head.i == sent.root.i and a.i < root_subj[0].i for a in tok.ancestors):
            k = self.in_mention(root_subj[0])
            if k not in exclude and self.classes_ok(k, classes):
                return Arg([k], "pronoun")
        # "Its orbiter ..., but its lander ...": one "its" per sentence means one owner
        if tok.dep_ == "poss":
            earlier = [t for t in sent if t.i < tok.i and t.lower_ == "its" and t.dep_ == "poss"]
            if earlier and earlier[0].i in self._resolved:
                keys = [k for k in self._resolved[earlier[0].i] if k not in exclude and self.classes_ok(k, classes)]
                if keys:
                    return Arg(keys, "pronoun")
        if tok.dep_ not in SUBJ_DEPS and tok.dep_ != "poss":
            # "arrived at the asteroid and started to circle it": a description earlier in the sentence
            for t in reversed(sent[: tok.i - sent.start]):
                ref = self.lexicon.ref_nouns.get(t.lemma_.lower())
                if ref and t.tag_ == "NN" and any(c.lower_ == "the" for c in t.children):
                    allowed = frozenset(c for c in ref if classes is None or self.onto.is_a(c, classes))
                    if allowed:
                        a = self.resolve(t, allowed, exclude, si)
                        if a.keys:
                            return a
        if tok.dep_ == "poss" and tok.lower_ == "its":
            # "Eurybates and its satellite Queta": the nearest name before it in the sentence, if any
            earlier = [(span, k) for span, k in self.spans_in[si] if span.end <= tok.i and k not in exclude]
            before = [(span, k) for span, k in earlier
                      if not (span.end < len(self.doc) and self.doc[span.end].text in ("'s", "’s"))]
            if not before and classes is not None:
                # "probed Saturn's rings and the haze of its largest moon": only possessors came before
                fitting = [k for _, k in earlier if self.classes_ok(k, classes)]
                if fitting:
                    return Arg([fitting[-1]], "pronoun")
            subj, _ = self.clause_subject(tok.head)
            if before and not (subj is not None and subj.i < tok.i and (
                    subj.lower_ in PRONOUNS_SINGULAR or self.lexicon.ref_nouns.get(subj.lower_) or self.in_mention(subj))):
                # "While JUICE flies past Europa, its objective...": a subject before it first
                subjects = [(span, k) for span, k in before if span.root.dep_ in SUBJ_DEPS]
                k = (subjects or before)[-1][1]
                return Arg([k], "pronoun") if self.classes_ok(k, classes) else NOTHING
        if tok.dep_ == "poss":
            subj, _ = self.clause_subject(tok.head)
            if subj is not None and subj.i != tok.i and subj.i < tok.i:
                if subj.lower_ in PRONOUNS_SINGULAR or self.lexicon.ref_nouns.get(subj.lower_):
                    return self.resolve(subj, classes, exclude, si)
                k = self.in_mention(subj)
                if k and k not in exclude and self.classes_ok(k, classes):
                    return Arg([k], "pronoun")
        subjects = [t for t in self.sents[si] if t.i < tok.i and t.dep_ in SUBJ_DEPS]
        if subjects and tok.dep_ in SUBJ_DEPS:
            last = subjects[-1]
            if last.pos_ == "NOUN" and not self.in_mention(last) and not self.lexicon.ref_nouns.get(last.lemma_.lower()):
                return NOTHING  # "Each partner operates the hardware it contributed": it = the partner
        cur = [(span, k) for span, k in self.spans_in[si]
               if span.start < tok.i and k not in exclude and span.root.dep_ in SUBJ_DEPS]
        if cur and (tok.dep_ in SUBJ_DEPS or tok.dep_ == "poss"):
            k = cur[-1][1]
            return Arg([k], "pronoun") if self.classes_ok(k, classes) else NOTHING
        if tok.dep_ not in SUBJ_DEPS and tok.dep_ != "poss":
            # "ESA launched it": it is not ESA; "Voyager 2, which swept past it": it is not Voyager 2
            own, _ = self.clause_subject(tok)
            if own is not None:
                own_keys = {self.in_mention(own)} if self.in_mention(own) else set(self._resolved.get(own.i, []))
                exclude = exclude | {k for k in own_keys if k}
            cur = [(span, k) for span, k in cur if k not in exclude]
            if cur and self.classes_ok(cur[-1][1], classes):
                return Arg([cur[-1][1]], "pronoun")
        # a subject "it" does not point at a name fronted in its own sentence ("Unlike the ISS, it ...");
        # an object "it" does not point at a possessor ("Mars's two moons ... flybys of it")
        before = self.sents[si].start if tok.dep_ in SUBJ_DEPS else tok.i
        owners = {self.key(t) for t in sent if t.i < tok.i and t.dep_ == "poss" and self.key(t)}
        k = self.antecedent(classes, si, before, exclude | (owners if tok.dep_ not in SUBJ_DEPS else set()))
        return Arg([k], "pronoun") if k else NOTHING

    def antecedent(self, classes: frozenset[str] | None, si: int, before: int, exclude: set[str],
                   nearest: bool = True, kind: str | None = None) -> str | None:
        """The entity a reference points back to.

        A pronoun (``nearest``) takes the closest fitting subject earlier in its own sentence, else the
        closest fitting mention; failing that, and for "the mission", the most salient entity of the
        last sentences: subjects weigh double, and weight halves with each sentence back.
        """
        cur = [(span, k) for span, k in self.spans_in[si]
               if span.start < before and k not in exclude and self.classes_ok(k, classes)]
        if nearest and cur:
            subj = [(s, k) for s, k in cur if s.root.dep_ in SUBJ_DEPS]
            return (subj or cur)[-1][1]
        score: dict[str, float] = {}
        for _, k in cur:
            score[k] = score.get(k, 0.0) + 1.0
        for st in self.states[max(0, si - 8):si]:
            w = 0.5 ** (si - st.index)
            for k in st.subjects:
                if k not in exclude and self.classes_ok(k, classes):
                    score[k] = score.get(k, 0.0) + 2 * w
            for k in st.mentioned:
                if k not in exclude and self.classes_ok(k, classes):
                    score[k] = score.get(k, 0.0) + w
        if not score:
            return None
        if kind and kind not in GENERIC_KINDS:  # "the comet": an entity the text called a comet, if it is current
            called = {k: v for k, v in score.items() if kind in self.kinds.get(k, ())}
            if called and max(called.values()) >= 0.5 * max(score.values()):
                score = called
        if not nearest:
            # "the mission" is the whole, not the lander it carried
            parts = {f.subject for f in self.found if f.relation == "partOf" and f.object in score}
            if set(score) - parts:
                for p in parts:
                    score.pop(p, None)
        return max(score.items(), key=lambda kv: (kv[1], -self._first_pos.get(kv[0], 0)))[0]

    def plural_antecedents(self, classes, si, before, exclude) -> list[str]:
        cur = [k for span, k in self.spans_in[si]
               if span.start < before and k not in exclude and self.classes_ok(k, classes)]
        cur = list(dict.fromkeys(cur))
        if len(cur) >= 2:
            return cur
        for st in reversed(self.states[max(0, si - 12):si]):
            ks = [k for k in dict.fromkeys(st.subjects + st.mentioned) if k not in exclude and self.classes_ok(k, classes)]
            if len(ks) >= 2:
                return ks
        return []

    def topic(self, classes, si: int, exclude=()) -> Arg:
        """The entity a subject-less clause is about: the list intro's subject, else the last salient one."""
        exclude = set(exclude)
        st = self.states[si]
        if st.list_item:
            for prev in reversed(self.states[:si]):
                if prev.ends_with_colon:
                    ks = [k for k in prev.subjects if k not in exclude and self.classes_ok(k, classes)]
                    if ks:
                        return Arg(ks, "list")
                    break
                if not prev.list_item:
                    break
        k = self.antecedent(classes, si, self.sents[si].start, exclude, nearest=False)
        return Arg([k], "topic") if k else NOTHING

    def named_after(self, tok: Token) -> list[str]:
        """Names a naming word introduces after a noun's short phrase: "landers on wheels, called X and Y"."""
        doc, end = tok.doc, self.sent_end(tok)
        for k in range(tok.i + 1, min(end, tok.i + 9)):
            t = doc[k]
            if t.lower_ in NAMING_WORDS and (doc[k - 1].text == "," or k == tok.i + 1) and k + 1 < end:
                first = doc[k + 1]
                if self.key(first):
                    return [self.key(first)] + self.coordinated(first, None)
                return []
            if t.pos_ in ("VERB", "AUX") or t.text in (".", ";", ":") or self.key(t):
                return []
        return []

    def refers_to(self, tok: Token, si: int) -> list[str]:
        """What a pronoun or a description stands for, read after the rules ran (for the model's
        candidates): "it", "the probe", "both landers", "the rovers".  The discourse state the
        rules keep is left as it was."""
        if tok.pos_ == "NOUN" and tok.tag_ in ("NNS", "NNPS"):
            classes = self.lexicon.ref_nouns.get(tok.lemma_.lower())
            if not classes:
                return []
            return self.plural_antecedents(frozenset(classes), si, tok.i, set())
        mentioned = list(self.states[-1].mentioned) if self.states else None
        resolved = dict(self._resolved)
        try:
            return self._resolve(tok, None, (), si).keys
        finally:
            if mentioned is not None:
                self.states[-1].mentioned = mentioned
            self._resolved = resolved
