"""Entity extraction: typed mentions from a parsed document.

Four sources, strongest first, each yielding candidate spans:

1. the gazetteer (``ontology/gazetteer/*.jsonl``) through a case-sensitive ``PhraseMatcher``;
2. series names built from a known prefix and a number (``Apollo 17``, ``Titan IVB``, ``Chang'e 6``);
3. context cues from ``ontology/entity_cues.yaml`` for names the gazetteer lacks
   ("the X rover", "the asteroid X", "X Space Agency", "its lander, X", wiki-link slugs);
4. spaCy's statistical NER, for people (the class ``ner`` in ``entity_cues.yaml`` gives its
   ``PERSON`` names; without it the NER never runs).

Every mention has a class of the ontology: a candidate of another class (a rule below that
knows kg's own classes, run with an ontology that lacks one) is dropped.

Overlaps are resolved longest-first; a cue may retype a gazetteer name only
between the craft classes (``Soyuz`` the spacecraft vs "a Soyuz rocket").
"""
from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from . import nlp as nlp_mod
from .entity_cues import CRAFT_CLASSES, PRIORITY, Candidate, CueReader
from .entity_gazetteer import GazetteerReader
from .model import Document, Mention
from .ontology import Ontology



@dataclass
class Begun:
    """:meth:`EntityExtractor.begin`'s reading of a document: the gazetteer's names, every name known
    before the NER, the stretches of text the NER reads for people (``chosen``; None when it does not
    run), which tokens known names cover and which the NER reads."""

    gazetteer: list[Candidate]
    known: list[Candidate]
    chosen: list[Span] | None
    covered: bytearray = field(default_factory=bytearray)
    read: bytearray = field(default_factory=bytearray)


#: Words the NER reads on each side of a possible name: past the reach of its convolution (four
#: tokens) and of its transition features, so that it decides as it would on the whole sentence.
NER_CONTEXT = 6
#: Parts of speech never inside a person's name: "In March", "The Long Cruise", a heading run into
#: the sentence after it ("Launch Day The rocket...").
NOT_IN_NAMES = frozenset({"DET", "ADP", "PRON", "CCONJ", "SCONJ", "PART", "NUM", "PUNCT", "SYM"})


def windows(sent: Span, hits: list[tuple[int, int]], read: bytearray) -> list[Span]:
    """Spans of ``sent`` around each ``(first, last)`` token of ``hits`` with :data:`NER_CONTEXT` words
    on each side, overlapping ones merged; marks their tokens in ``read``."""
    out: list[Span] = []
    for first, last in sorted(hits):
        start, end = max(sent.start, first - NER_CONTEXT), min(sent.end, last + 1 + NER_CONTEXT)
        if out and start <= out[-1].end:
            start = out.pop().start
        out.append(sent.doc[start:end])
    for span in out:
        read[span.start:span.end] = b"\x01" * len(span)
    return out


class EntityExtractor(GazetteerReader, CueReader):
    """Finds typed mentions in spaCy ``Doc`` objects; build once per pipeline."""

    def __init__(self, nlp: Language, ontology: Ontology, typer: Any = None):
        self.nlp = nlp
        self.ontology = ontology
        #: Names and a span classifier learnt by ``kg train --entity-typing`` (:mod:`kg.entity_typing`), or None
        self.typer = typer
        self._build_matchers()
        #: The class of the people spaCy's NER finds (None: the NER never runs)
        self.people = ontology.people_class
        #: spaCy's NER when it can run on chosen windows only (see :meth:`begin`)
        self.ner = nlp_mod.standalone_ner(nlp) if self.people is not None else None
        self._classes = frozenset(ontology.entity_classes)

    def begin(self, doc: Doc) -> Begun:
        """The names the gazetteer and the series give, and the stretches of text the NER must read
        for people.

        People are the one class left to the statistical NER, and a full name is two
        capitalised words that no gazetteer or series name covers ("Jim Bridenstine",
        "Wernher von Braun", "John F. Kennedy") and that are no article, preposition, pronoun or
        conjunction: the NER reads only a window of :data:`NER_CONTEXT` words either side of
        such a pair (most sentences have none: their capitals are known names).  A build runs it
        on the windows of a whole batch of documents at once (:func:`kg.nlp.recognise_many`)
        before :meth:`extract`; without that, :meth:`extract` runs it on one document's.
        """
        gaz = list(self._gazetteer(doc))
        known = gaz + list(self._series(doc))
        if self.ner is None or doc.has_annotation("ENT_IOB"):
            return Begun(gaz, known, None)
        covered, read = bytearray(len(doc)), bytearray(len(doc))
        for c in known:
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)

        def free_capital(tok: Token) -> bool:
            return (not covered[tok.i] and tok.text[:1].isupper() and (tok.is_alpha or tok.text[-1:] == ".")
                    and tok.pos_ not in NOT_IN_NAMES)

        chosen = []
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            hits = [(a.i, b.i) for a, b in zip(toks, toks[1:]) if free_capital(a) and free_capital(b)]
            hits += [(a.i, c.i) for a, b, c in zip(toks, toks[1:], toks[2:])
                     if b.text in self.name_particles and free_capital(a) and free_capital(c)]
            if hits:
                chosen += windows(sent, hits, read)
        return Begun(gaz, known, chosen, covered, read)

    def recognise(self, readings: list[tuple[Doc, Begun]]) -> None:
        """The NER over the chosen windows of several documents (each with :meth:`begin`'s reading) in
        one pass: a build reads a whole batch of documents at once, before :meth:`extract`."""
        if self.ner is not None:
            nlp_mod.recognise_many(self.ner, [(doc, b.chosen) for doc, b in readings if b.chosen])

    def _lone_surnames(self, doc: Doc, begun: Begun) -> None:
        """The NER on windows around each lone surname of a full name it found in the chosen windows:
        a surname counts only where its full name occurs."""
        if begun.chosen is None:
            return
        surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2}
        if surnames:
            covered, read = begun.covered, begun.read
            lone = [windows(sent, hits, read) for sent in doc.sents if (hits := [
                (t.i, t.i) for t in sent if t.text in surnames and not covered[t.i] and not read[t.i]])]
            nlp_mod.recognise(self.ner, doc, [span for spans in lone for span in spans])

    def _ner(self, doc: Doc) -> Iterator[Candidate]:
        """People from spaCy's NER: full names, and a lone surname only where the full name occurs too."""
        if self.people is None:
            return
        people = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            toks = [t for t in ent if not t.is_punct]
            if not toks or any(t.like_num for t in toks) or not all(t.text[0].isupper() for t in toks):
                continue
            if any(t.text in self.not_in_person_names for t in toks) or self.is_demonym(doc, ent.start, ent.end):
                continue  # "Lunar Terrain Imager", "Decadal Surveys": things, not people
            people.append((ent.start, ent.end, [t.text for t in toks]))
        surnames = {names[-1] for _, _, names in people if len(names) >= 2}
        for start, end, names in people:
            if len(names) >= 2 or names[0] in surnames:
                yield Candidate(start, end, self.people, "ner")

    # ------------------------------------------------------------ selection
    def extract(self, doc: Doc, document: Document, begun: Begun | None = None) -> list[Mention]:
        """The document's mentions; ``begun`` is :meth:`begin`'s reading of it, its chosen windows
        already read by the NER (:meth:`recognise`; without it, all of it is done here)."""
        if begun is None:
            begun = self.begin(doc)
            self.recognise([(doc, begun)])
        gaz_spans = {(c.start, c.end): c for c in begun.gazetteer}
        cands: list[Candidate] = list(begun.known)
        self._lone_surnames(doc, begun)
        bounds = sentence_bounds(doc)
        titles = _title_lines(doc)
        for c in list(self._cues(doc, bounds)) + list(self._links(doc, document)):
            t = self._trim(doc, c, gaz_spans)
            if t is not None and t.length > 0 and (c.source == "link" or not titles[c.start]):
                cands.append(t)
        cands += [c for c in self._ner(doc) if not titles[c.start]]
        cands = _outside_places(cands, self.places(doc, bounds))
        cands += self._crew_lists(doc, cands)
        chosen = self._short_forms(doc, self._owned_craft(doc, self._select(doc, cands)))
        chosen += self._acronyms(doc, chosen)
        chosen = self._filter_ambiguous(doc, chosen)
        if self.typer is not None:  # the trained model's names and classifier, where the rules typed nothing
            chosen = [c for c in chosen if c.cls in self._classes]
            chosen += self.typer.candidates(doc, chosen)
        starts = sorted({lo for lo, _ in bounds})
        mentions = []
        for c in sorted(chosen, key=lambda c: c.start):
            if c.cls not in self._classes:
                continue
            span = doc[c.start : c.end]
            sidx = bisect.bisect_right(starts, c.start) - 1
            mentions.append(
                Mention(
                    doc_id=document.id,
                    start=span.start_char,
                    end=span.end_char,
                    text=c.name or span.text,
                    cls=c.cls,
                    source=c.source,
                    gazetteer_id=c.gazetteer_id,
                    sentence=sidx,
                    hint=c.hint,
                )
            )
        return mentions

    def _select(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        by_span: dict[tuple[int, int], list[Candidate]] = {}
        for c in cands:
            by_span.setdefault((c.start, c.end), []).append(c)
        merged = []
        for span, group in by_span.items():
            # a known name: a series member the gazetteer lists, the gazetteer, a series member
            known = sorted((c for c in group if c.source in ("gazetteer", "series")),
                           key=lambda c: (c.source != "series" or c.gazetteer_id is None, c.source != "gazetteer"))
            gz = known[0] if known else None
            cue = next((c for c in group if c.source == "cue"), None)
            if gz and cue and cue.gazetteer_id and cue.gazetteer_id != gz.gazetteer_id:
                merged.append(cue)  # "the Pioneer missions": the programme of the series
            elif gz and cue and gz.cls != cue.cls and self.may_retype(gz, cue):
                merged.append(Candidate(*span, cue.cls, "cue", gz.gazetteer_id if gz.cls == cue.cls else None))
            elif gz:
                gz.cued = any(c.source in ("cue", "link") and c.cls == gz.cls for c in group)
                merged.append(gz)
            else:
                best = max(group, key=lambda c: PRIORITY[c.source])
                link = next((c for c in group if c.hint), None)
                merged.append(Candidate(best.start, best.end, best.cls, best.source, best.gazetteer_id,
                                        link.hint if link else None, cued=best.cued, name=best.name))
        merged.sort(key=lambda c: (-c.length, -PRIORITY[c.source], c.start))
        taken = [False] * len(doc)
        out = []
        for c in merged:
            if any(taken[c.start : c.end]):
                continue
            for i in range(c.start, c.end):
                taken[i] = True
            out.append(c)
        return out

    def _owned_craft(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """"ESA's Ariel": a name that may be a craft (``also``) is one when an agency owns it."""
        owners = {c.end for c in chosen if c.cls in ("Agency", "Organization")}
        for c in chosen:
            entry = self.ontology.gazetteer_by_id[c.gazetteer_id] if c.gazetteer_id else None
            craft = [k for k in entry.also if k in CRAFT_CLASSES] if entry else []
            if craft and c.start >= 2 and doc[c.start - 1].text in ("'s", "’s") and c.start - 1 in owners:
                c.cls, c.gazetteer_id, c.source = craft[0], None, "cue"
        return chosen

    @cached_property
    def surnames(self) -> dict[str, str]:
        """Surname -> gazetteer id of the one known person with it ("" when several people share it)."""
        seen: dict[str, set[str]] = {}
        for e in self.ontology.gazetteer:
            if e.cls == self.people:
                for name in e.names:
                    if " " in name:
                        seen.setdefault(name.rsplit(" ", 1)[1], set()).add(e.id)
        return {k: next(iter(v)) if len(v) == 1 else "" for k, v in seen.items()}

    def _crew_lists(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        """"Carr, Gibson and Pogue": a list of two or more surnames of known people names those people."""
        taken = {i for c in cands for i in range(c.start, c.end)}
        if self.people is None:
            return []
        people = {c.start for c in cands if c.cls == self.people}
        out: list[Candidate] = []
        run: list[Candidate] = []
        for tok in doc:
            gid = self.surnames.get(tok.text) if tok.i not in taken and tok.text[:1].isupper() else None
            if gid is not None or tok.i in people:  # "Armstrong and Aldrin": a person already found counts
                run.append(Candidate(tok.i, tok.i + 1, self.people, "gazetteer" if gid else "cue", gid or None,
                                     cued=tok.i in people))
                continue
            if tok.text in (",", "and") and run and run[-1].end in (tok.i, tok.i - 1):
                continue
            if len(run) >= 2:
                out += [c for c in run if not c.cued]
            run = []
        return out + ([c for c in run if not c.cued] if len(run) >= 2 else [])

    def _short_forms(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """A name typed by context that is the last word of a known name of its class in the same text
        ("2001 Mars Odyssey ... the Odyssey orbiter") is that known thing."""
        by_id = self.ontology.gazetteer_by_id
        last_words: dict[tuple[str, str], set[str]] = {}
        for c in chosen:
            if c.gazetteer_id and c.source == "gazetteer":
                for name in by_id[c.gazetteer_id].names:
                    if " " in name:
                        last_words.setdefault((c.cls, name.rsplit(" ", 1)[1]), set()).add(c.gazetteer_id)
        for c in chosen:
            if c.gazetteer_id is None and c.source in ("cue", "link") and c.length == 1:
                ids = last_words.get((c.cls, doc[c.start].text), set())
                if len(ids) == 1:
                    c.gazetteer_id = next(iter(ids))
        return chosen

    def _acronyms(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """"Long Form (ACR)": the acronym gets the long form's class, and vice versa."""
        by_start = {c.start: c for c in chosen}
        by_end = {c.end: c for c in chosen}
        extra = []
        for tok in doc:
            if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
                continue
            acr = doc[tok.i + 1]
            if not (acr.text[:1].isupper() and sum(ch.isupper() for ch in acr.text) >= 2):
                continue
            long_form = by_end.get(tok.i)
            if long_form is None and tok.i >= 2 and doc[tok.i - 1].text in ("'s", "’s"):
                long_form = by_end.get(tok.i - 1)
            short = by_start.get(acr.i)
            if long_form is not None and short is not None and short.end == acr.i + 1:
                _same_thing(long_form, short)  # "the Japanese Space Agency (JAXA)"
            elif long_form is not None and short is None:
                extra.append(Candidate(acr.i, acr.i + 1, long_form.cls, "acronym", long_form.gazetteer_id,
                                       hint=doc[long_form.start : long_form.end].text))
            elif short is not None and long_form is None and short.end == acr.i + 1:
                ch = self.chunk_before(doc, tok.i, doc[tok.i].sent.start)
                if ch and ch[1] - ch[0] >= 2:
                    extra.append(Candidate(ch[0], ch[1], short.cls, "acronym", short.gazetteer_id, hint=acr.text))
        taken = {i for c in chosen for i in range(c.start, c.end)}
        return [c for c in extra if not any(i in taken for i in range(c.start, c.end))]

    def _filter_ambiguous(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """An ambiguous name at a sentence start, tagged as a common word, needs a clearer mention elsewhere."""
        def doubtful(c: Candidate) -> bool:
            if c.source != "gazetteer" or c.gazetteer_id is None:
                return False
            entry = self.ontology.gazetteer_by_id[c.gazetteer_id]
            return entry.ambiguous and not c.cued and doc[c.start].is_sent_start and doc[c.start].pos_ != "PROPN"
        confirmed = {c.gazetteer_id for c in chosen if c.gazetteer_id and not doubtful(c)}
        kept = [c for c in chosen if not doubtful(c) or c.gazetteer_id in confirmed]
        # a note with no clear space name at all ("Hope is the secret ingredient", "Mercury rising")
        # keeps none of its ambiguous ones
        def clear(c: Candidate) -> bool:
            if c.source in ("cue", "series", "acronym"):
                return c.cls not in ("Person", "Country", "Organization")
            if c.source != "gazetteer" or c.gazetteer_id is None:
                return False
            entry = self.ontology.gazetteer_by_id[c.gazetteer_id]
            return (c.cued or not entry.ambiguous) and entry.cls not in ("Person", "Country", "Organization")
        if not any(clear(c) for c in kept):
            kept = [c for c in kept if not (c.source == "gazetteer" and c.gazetteer_id and not c.cued
                                            and self.ontology.gazetteer_by_id[c.gazetteer_id].ambiguous)]
        return kept


def _outside_places(cands: list[Candidate], places: list[tuple[int, int]]) -> list[Candidate]:
    """Candidates that do not overlap a place name, or hold it whole ("Emirates Mission to the Asteroid Belt")."""
    if not places:
        return cands
    return [c for c in cands if all(e <= c.start or c.end <= s or (c.start <= s and e <= c.end and c.length > e - s)
                                    for s, e in places)]


def _same_thing(long_form: Candidate, short: Candidate) -> None:
    """A long form and its acronym both found: the one the gazetteer knows names the other."""
    if long_form.gazetteer_id is None and short.gazetteer_id is not None and long_form.source != "gazetteer":
        long_form.gazetteer_id, long_form.cls = short.gazetteer_id, short.cls
    elif short.gazetteer_id is None and long_form.gazetteer_id is not None and short.source != "gazetteer":
        short.gazetteer_id, short.cls = long_form.gazetteer_id, long_form.cls


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Per token, the (start, end) token indices of its sentence; computed once per document."""
    out: list[tuple[int, int]] = [(0, 0)] * len(doc)
    for sent in doc.sents:
        for i in range(sent.start, sent.end):
            out[i] = (sent.start, sent.end)
    return out


SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to vs via with".split())


def _title_lines(doc: Doc) -> list[bool]:
    """Per token: is it in a Title Case line without final punctuation (a heading)?

    Capitals there say nothing about names, so context cues and NER stay out.
    """
    flags = [False] * len(doc)
    for sent in doc.sents:
        words = [t for t in sent if t.is_alpha and t.lower_ not in SMALL_WORDS]
        toks = [t for t in sent if not t.is_space]
        if not words or (toks and toks[-1].text in (".", "!", "?", ":", ";")):
            continue
        if sum(1 for t in words if t.text[0].isupper()) >= 0.75 * len(words) and len(words) >= 2:
            for t in sent:
                flags[t.i] = True
    return flags

