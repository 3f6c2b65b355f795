"""Context cues: names the gazetteer lacks, typed by the words around them.

The data is ``ontology/entity_cues.yaml``: head nouns ("the X rover", "its lander, X"), words before
a name ("the asteroid X"), suffixes and prefixes ("X Space Agency", "University of X").  This module
also holds what every candidate source shares: :class:`Candidate`, the rules of what a name token is,
and the trimming of cue names that are only a known modifier ("a NASA mission").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .model import Document

#: Classes a context cue may override on a gazetteer match (craft names reused across kinds:
#: ``Soyuz`` the spacecraft and "a Soyuz rocket").  A programme or a station keeps its class: "a CLPS
#: mission" is a mission of the programme, "the Mir mission" a flight to the station.
RETYPABLE = frozenset({"Mission", "LaunchVehicle"})
#: Gazetteer classes that, as a leading modifier, are not part of a new name ("NASA Dawn mission",
#: "the ISS Harmony module").
MODIFIER_CLASSES = frozenset({"Agency", "Organization", "Country", "Person", "SpaceStation"})
#: Classes of things that are not craft: a cue name that is only one of them is no new name.
BODY_CLASSES = frozenset({"Planet", "Moon", "DwarfPlanet", "SmallBody", "Star"})
CRAFT_CLASSES = frozenset({"Mission", "LaunchVehicle", "SpaceStation", "Program"})
WORD = re.compile(r"[^\W\d_]{2}")
ROMAN = re.compile(r"^(?=[IVXL])(X{0,3})(IX|IV|V?I{0,3})[A-Z]?$")
PRIORITY = {"gazetteer": 3, "series": 3, "cue": 2, "link": 1, "ner": 0, "acronym": 2}


@dataclass
class Candidate:
    start: int
    end: int
    cls: str
    source: str
    gazetteer_id: str | None = None
    hint: str | None = None
    cued: bool = False  # a context cue agrees with the gazetteer ("the Galileo spacecraft")
    weak: bool = False  # read from an apposition: may name something new, never retypes a known name
    head_in: bool = False  # the last token is the cue's head noun, part of the name ("the Skylab program")
    name: str | None = None  # the name when it differs from the text ("6" in "Venera 4, 5 and 6")
    titled: bool = False  # the cue words are part of the name: "German Space Agency", "University of Bern"

    @property
    def length(self) -> int:
        return self.end - self.start


class CueReader:
    """Names typed by context; mixed into :class:`kg.entities.EntityExtractor` (needs ``nlp``, ``ontology``)."""

    # ------------------------------------------------------------ data
    @property
    def cues(self) -> dict[str, Any]:
        return self.ontology.cues

    @cached_property
    def not_names(self) -> frozenset[str]:
        return frozenset(self.cues.get("not_names", []))

    @cached_property
    def sentence_words(self) -> frozenset[str]:
        return frozenset(self.cues.get("sentence_words", []))

    @cached_property
    def name_particles(self) -> frozenset[str]:
        return frozenset(self.cues.get("name_particles", []))

    def _class_cues(self, kind: str) -> list[tuple[str, str]]:
        """(word or phrase, class) for one kind of cue of the class sections of entity_cues.yaml."""
        classes = set(self.ontology.entity_classes)
        return [(w, cls) for cls, spec in self.cues.items() if cls in classes and isinstance(spec, dict)
                for w in spec.get(kind, None) or []]

    @cached_property
    def head_cues(self) -> dict[str, str]:
        return dict(self._class_cues("head"))

    @cached_property
    def in_name_heads(self) -> frozenset[str]:
        return frozenset(w for w, _ in self._class_cues("in_name"))

    @cached_property
    def series_plurals(self) -> frozenset[str]:
        return frozenset(w for w, _ in self._class_cues("series_plural"))

    def cue_phrases(self, kind: str) -> list[tuple[str, str]]:
        """(phrase, class) for one kind of multi-word cue of entity_cues.yaml: "before", "suffix" or "prefix"."""
        return self._class_cues(kind)

    @cached_property
    def demonyms(self) -> frozenset[str]:
        return frozenset(self.cues.get("demonyms", []))

    @cached_property
    def not_head_before(self) -> frozenset[str]:
        return frozenset(self.cues.get("not_head_before", []))

    @cached_property
    def naming_words(self) -> list[list[str]]:
        return [w.split() for w in self.cues.get("naming_words", [])]

    @cached_property
    def not_in_person_names(self) -> frozenset[str]:
        """Words no person's name holds: the list of entity_cues.yaml, capitalised head nouns and suffixes."""
        words = set(self.cues.get("not_in_person_names", []))
        words |= {w[:1].upper() + w[1:] for w in self.head_cues}
        words |= {p.split()[-1] for p, _ in self.cue_phrases("suffix")}
        return frozenset(words)

    @cached_property
    def place_matcher(self) -> PhraseMatcher:
        """Place names, and the words that end or start one (``places`` in entity_cues.yaml)."""
        spec = self.cues.get("places") or {}
        m = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for kind in ("names", "suffix", "prefix"):
            m.add(f"place:{kind}", [self.nlp.make_doc(w) for w in spec.get(kind, [])])
        return m

    def places(self, doc: Doc, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Token spans of place names: "Gale Crater", "Mons Rümker", "Baikonur Cosmodrome", "Kuiper Belt";
        a name the gazetteer lists is not one."""
        out = []
        strings = self.nlp.vocab.strings
        for match_id, s, e in self.place_matcher(doc):
            kind = strings[match_id].split(":", 1)[1]
            lo, hi = bounds[s]
            if kind == "names":
                out.append((s, e))
            elif kind == "suffix":
                ch = self.chunk_before(doc, s, lo)
                if ch:
                    out.append((ch[0], e))
            else:
                ch = self.chunk_after(doc, e, hi)
                if ch:
                    out.append((s, ch[1]))
        return [(s, e) for s, e in out if doc[s:e].text not in self.name_ids]

    def is_demonym(self, doc: Doc, start: int, end: int) -> bool:
        """Is the span only demonyms and adjectives of place ("Japanese", "Soviet", "South African")?"""
        text = doc[start:end].text
        return text in self.demonyms or all(t.text in self.demonyms or t.text == "-" for t in doc[start:end])

    # ------------------------------------------------------------ names
    def is_name_token(self, tok: Token, first: bool) -> bool:
        t = tok.text
        if not t or tok.is_space or tok.is_punct and t not in ("-", "'", "/"):
            return False
        if first:
            if t in self.not_names or tok.pos_ in ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART"):
                return False
            if t in self.sentence_words and (tok.is_sent_start or tok.i == 0 or "\n" in tok.nbor(-1).text
                                             or tok.nbor(-1).is_punct):
                return False
            if tok.is_sent_start and tok.pos_ != "PROPN" and not t.isupper():
                return False  # "Collaborative missions can...": a capital that only starts the sentence
            return t[0].isupper() or (t[0].isdigit() and any(c.isalpha() for c in t))
        return t[0].isupper() or t[0].isdigit() or bool(ROMAN.match(t))

    def chunk_before(self, doc: Doc, end: int, floor: int) -> tuple[int, int] | None:
        """The name that ends right before token ``end`` (exclusive), or None."""
        i = end - 1
        while i >= floor:
            tok = doc[i]
            if tok.text in ("-", "/", "'") and i - 1 >= floor and not doc[i - 1].whitespace_ and not tok.whitespace_:
                i -= 1
                continue
            if self.is_name_token(tok, first=False) and (tok.text not in self.not_names or (
                    i < end - 1 and i - 1 >= floor and self.is_name_token(doc[i - 1], first=True))):
                i -= 1  # a word like "Mission" inside a name: "the Independent Mission Review Board"
                continue
            break
        start = i + 1
        while start < end and not self.is_name_token(doc[start], first=True):
            start += 1
        return (start, end) if start < end else None

    def chunk_after(self, doc: Doc, start: int, ceil: int, joined: bool = False) -> tuple[int, int] | None:
        """The name that starts at token ``start``, or None; ``joined``: across "and", "of", "for" and a
        comma between capitalised words ("Ministry for Economic Affairs and Climate Action")."""
        if start >= ceil or not self.is_name_token(doc[start], first=not joined) or not doc[start].text[:1].isalnum():
            return None
        i = start + 1
        while i < ceil:
            tok = doc[i]
            if joined and tok.lower_ in ("and", "of", "for", ",", "&") and i + 1 < ceil:
                k = i + 1 + (tok.text == "," and i + 2 < ceil and doc[i + 1].lower_ == "and")
                if k < ceil and doc[k].text[:1].isupper() and doc[k].text not in self.name_ids:
                    i = k  # but not "the Department of Defense and NASA"
                    continue
            if tok.text in ("-", "/", "'") and not doc[i - 1].whitespace_ and not tok.whitespace_ and i + 1 < ceil:
                i += 1
                continue
            if self.is_name_token(tok, first=False) and (tok.text not in self.not_names or tok.like_num):
                if tok.text[0].isdigit() and doc[i - 1].whitespace_ and not doc[i - 1].text[0].isupper():
                    break
                i += 1
                continue
            break
        return (start, i)

    @cached_property
    def cue_matcher(self) -> PhraseMatcher:
        """One matcher for every multi-word cue: "before" ("the asteroid X"), "suffix" ("X Space Agency"), "prefix"."""
        m = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._cue_kinds: dict[int, tuple[str, str]] = {}
        for kind in ("before", "suffix", "prefix", "joined_prefix"):
            for phrase, cls in self.cue_phrases(kind):
                key = f"cue:{kind}:{cls}"
                self._cue_kinds[self.nlp.vocab.strings.add(key)] = (kind, cls)
                m.add(key, [self.nlp.make_doc(phrase)])
        return m

    def _cues(self, doc: Doc, bounds: list[tuple[int, int]]) -> Iterator[Candidate]:
        """Names typed by the words around them (``ontology/entity_cues.yaml``)."""
        matcher = self.cue_matcher
        for match_id, s, e in matcher(doc):
            kind, cls = self._cue_kinds[match_id]
            lo, hi = bounds[s]
            if kind == "before":  # "the asteroid Apophis", "the asteroids Gaspra and Ida"
                yield from self._name_list(doc, e, hi, cls)
            elif kind == "suffix":  # "Israel Space Agency"
                ch = self.chunk_before(doc, s, lo)
                if ch:
                    yield Candidate(ch[0], e, cls, "cue", titled=True)
            else:  # "University of Arizona", "Ministry of Science and Technology", "National Academies of X"
                ch = self.chunk_after(doc, e, hi, joined=kind == "joined_prefix")
                if ch:
                    before = self.chunk_before(doc, s, lo)
                    yield Candidate(before[0] if before else s, ch[1], cls, "cue", titled=True)
        head_cues = self.head_cues
        for tok in doc:
            cls = head_cues.get(tok.text)
            if not cls or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            lo, hi = bounds[tok.i]
            j = tok.i + 1
            if j < hi and doc[j].lower_ in self.not_head_before:
                continue  # "ISS mission control": the head is "control"
            yield from self._before_head(doc, tok, lo, cls)
            # "its rover, Zhurong" / "two NASA rovers, Curiosity and Perseverance"
            if j < hi and doc[j].text == ",":
                yield from self._name_list(doc, j + 1, hi, cls)
                j += 1
            # "a small lander called Kestrel", "the mission, dubbed Zephyr", "a probe known as Tarn"
            for words in self.naming_words:
                k = j + len(words)
                if k < hi and [t.lower_ for t in doc[j:k]] == words:
                    yield from self._name_list(doc, k, hi, cls)
            # "a pair of landers on wheels, called Kestrel and Osprey": past a short phrase of the noun's own
            for k in range(j + 1, min(hi, j + 8)):
                if doc[k].pos_ in ("VERB", "AUX") and [doc[k].lower_] not in self.naming_words:
                    break
                if doc[k].pos_ not in ("ADP", "DET", "ADJ", "NOUN", "PUNCT", "VERB") or doc[k].text in (".", ";", ":"):
                    break
                if [doc[k].lower_] in self.naming_words and doc[k - 1].text == "," and k + 1 < hi:
                    yield from self._name_list(doc, k + 1, hi, cls)
                    break
            # "Odyssey, the flight's command module", "Zephyr Explorer, a proposed mission"
            if j < hi and doc[j].text in ("'s", "’s"):
                continue  # "X, the space program's chief architect": the head is "architect"
            k = tok.i - 1
            while k > lo and (doc[k].pos_ in ("ADJ", "DET", "NUM", "NOUN", "PART", "ADV") or doc[k].dep_ == "poss"
                              or doc[k].text in ("'s", "’s") or doc[k].tag_ in ("VBN", "VBG")):
                k -= 1
            if k > lo and doc[k].text == "," and k < tok.i - 1:
                ch = self.chunk_before(doc, k, lo)
                if ch:
                    yield Candidate(ch[0], ch[1], cls, "cue", weak=True)

    def _before_head(self, doc: Doc, tok: Token, lo: int, cls: str) -> Iterator[Candidate]:
        """The name right before a head noun: "the Rosalind Franklin rover", "the Skylab program"."""
        ch = self.chunk_before(doc, tok.i, lo)
        if not ch:
            return
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        text = doc[ch[0]:ch[1]].text
        series = self.series_named(text)
        if series is not None and (tok.text in self.series_plurals or text not in self.name_ids):
            # "the Pioneer missions", "the early Venera landers": the programme of the series;
            # "that Deep Space mission": one member, which the text names elsewhere
            if tok.text in self.series_plurals and series.parent:
                yield Candidate(ch[0], ch[1], "Program", "cue", series.parent, cued=True)
        elif tok.text in self.in_name_heads:
            if not (nxt is not None and nxt.text[:1].isupper()):  # not "the Joint Mission Review"
                yield Candidate(ch[0], tok.i + 1, cls, "cue", head_in=True)
        else:
            yield Candidate(ch[0], ch[1], cls, "cue")

    def series_named(self, text: str):
        """The series whose prefix this is ("Pioneer", "VENERA"), if any."""
        return self.series_by_prefix.get(text) or self.series_by_prefix.get(text.title())

    def may_retype(self, known: Candidate, cue: Candidate) -> bool:
        """May a cue give a known name another class? Between craft kinds ("a Soyuz rocket"), or to a
        class the gazetteer allows the name ("the Janus probes", "the metallic asteroid Psyche")."""
        also = self.ontology.gazetteer_by_id[known.gazetteer_id].also if known.gazetteer_id else ()
        return cue.cls in also or (known.cls in RETYPABLE and cue.cls in RETYPABLE and not cue.weak)

    def _name_list(self, doc: Doc, i: int, hi: int, cls: str) -> Iterator[Candidate]:
        """Names in a short list starting at ``i``: "Gaspra and Ida", "Curiosity and Perseverance"."""
        while i < hi:
            ch = self.chunk_after(doc, i, hi)
            if not ch or (cls == "Person" and ch[1] - ch[0] < 2):
                return
            yield Candidate(ch[0], ch[1], cls, "cue")
            i = ch[1]
            if i < hi and doc[i].text in (",", "and", "or"):
                i += 1
                if i < hi and doc[i].text == "and":
                    i += 1
                continue
            return

    def _links(self, doc: Doc, document: Document) -> Iterator[Candidate]:
        for link in document.links:
            if link.embed:
                continue
            span = doc.char_span(link.start, link.end, alignment_mode="expand")
            if span is None:
                continue
            # the slug's last word names the kind of thing: "huygens_titan_probe", "zhurong_rover"
            words = [w for w in re.split(r"[\W_]+", link.slug.lower()) if w]
            cls = self.head_cues.get(words[-1]) if words else None
            if cls:
                yield Candidate(span.start, span.end, cls, "link", hint=link.slug)


    def _trim(self, doc: Doc, c: Candidate, gaz_spans: dict[tuple[int, int], Candidate]) -> Candidate | None:
        """A cue name without what is not part of it: demonyms, known modifiers, a trailing body name.

        None when nothing new is left ("a NASA mission", "the Japanese probe") or when the cue may not
        retype the known name it covers.
        """
        if c.source not in ("cue", "link"):
            return c
        end = c.end - 1 if c.head_in else c.end
        if c.head_in:
            named = gaz_spans.get((c.start, end))
            if named is not None and named.cls == c.cls:  # "the Artemis program", "the Peregrine Mission"
                return Candidate(c.start, c.end, c.cls, c.source, named.gazetteer_id, c.hint, cued=True)
            if named is not None and (named.cls not in CRAFT_CLASSES or c.cls != "Program"):
                c = Candidate(c.start, end, c.cls, c.source, c.gazetteer_id, c.hint, weak=c.weak)  # "the Mars Mission"
                end = c.end
        exact = gaz_spans.get((c.start, c.end))
        if exact is not None and exact.gazetteer_id != c.gazetteer_id and not self.may_retype(exact, c):
            return None if exact.cls != c.cls else c
        start = c.start
        # "Russian Soyuz", "British-built Beagle 2": a demonym is not part of the name (but "German Space Agency")
        while not c.titled and start < end - 1 and (doc[start].ent_type_ == "NORP" or doc[start].text in self.demonyms):
            start += 1
            while start < end - 1 and doc[start].text in ("-",):
                start += 2
        named = self.name_ids.get(doc[start:end].text)
        if named and self.ontology.gazetteer_by_id[named].cls in MODIFIER_CLASSES - {c.cls}:
            return None  # "a UK firm": a known country, agency or person is no new name
        if self.is_demonym(doc, start, end) or glued_to_word(doc, start, end) or (
                end - start == 1 and doc[start].text in self.not_in_person_names):
            return None  # "the Japanese probe", "a near-Earth asteroid", "that Deep Space mission"
        known = sorted((s, e, g) for (s, e), g in gaz_spans.items() if start <= s and e <= end)
        for s, e, g in known:
            if s == start and e < end and g.cls in MODIFIER_CLASSES and doc[e].text[0].isupper():
                start = e
        # "NASA's Mars Perseverance rover": a known name after a known modifier is the name
        for s, e, g in known:
            if s > start and e == end and g.cls in RETYPABLE and all(
                    any(s2 <= i < e2 for s2, e2, _ in known) for i in range(start, s)):
                start = s
        # "a Starsem Soyuz-Fregat launcher": one unknown word (the provider) before a known craft name
        for s, e, g in known:
            if s == start + 1 and e == end and g.cls in CRAFT_CLASSES and not c.head_in and not c.titled \
                    and not any(s2 <= start < e2 for s2, e2, _ in known):
                start = s
        # "the SLIM Moon lander": a body at the end is what the craft is for, not part of its name
        for s, e, g in known:
            if s > start and e == end and g.cls in BODY_CLASSES and not c.head_in:
                end = s
        # "the joint ESA-JAXA mission": every word is a known agency, no new name; nor is a code ("C25")
        covered = {i for s, e, g in known if g.cls in MODIFIER_CLASSES - {"SpaceStation"} and s >= start
                   for i in range(s, e)}
        if all(i in covered or not WORD.search(doc[i].text) for i in range(start, end)):
            return None
        return Candidate(start, c.end if c.head_in else end, c.cls, c.source, c.gazetteer_id, c.hint,
                         cued=c.cued, weak=c.weak, head_in=c.head_in, titled=c.titled)


def glued_to_word(doc: Doc, s: int, e: int) -> bool:
    """Is the span joined by a hyphen to a lower-case word: "near-Earth", "Earth-like"?"""
    if s >= 2 and doc[s - 1].text == "-" and not doc[s - 2].whitespace_ and not doc[s - 1].whitespace_ \
            and doc[s - 2].text.islower():
        return True
    return e + 1 < len(doc) and doc[e].text == "-" and not doc[e - 1].whitespace_ and not doc[e].whitespace_ \
        and doc[e + 1].text.islower()
