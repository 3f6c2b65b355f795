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

import yaml
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .errors import OntologyError
from .model import Document

#: Classes a context cue may override on a gazetteer match (craft names reused across kinds).
RETYPABLE = frozenset({"Mission", "LaunchVehicle", "Program", "SpaceStation"})
#: Gazetteer classes that, as a leading modifier, are not part of a new name ("NASA Dawn mission").
MODIFIER_CLASSES = frozenset({"Agency", "Organization", "Country", "Person"})
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

    @property
    def length(self) -> int:
        return self.end - self.start


class CueReader:
    """Names typed by context; mixed into :class:`kg.entities.EntityExtractor` (needs ``nlp``, ``ontology``)."""

    # ------------------------------------------------------------ data
    @cached_property
    def cues(self) -> dict[str, Any]:
        path = self.ontology.directory / "entity_cues.yaml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise OntologyError(f"{path}: {exc}") from exc
        return data

    @cached_property
    def not_names(self) -> frozenset[str]:
        return frozenset(self.cues.get("not_names", []))

    @cached_property
    def name_particles(self) -> frozenset[str]:
        return frozenset(self.cues.get("name_particles", []))

    @cached_property
    def head_cues(self) -> dict[str, str]:
        return {w: cls for cls, spec in self.cues.items() if isinstance(spec, dict) for w in spec.get("head", [])}

    def cue_phrases(self, kind: str) -> list[tuple[str, str]]:
        """(phrase, class) for one kind of multi-word cue of entity_cues.yaml: "before", "suffix" or "prefix"."""
        return [(w, cls) for cls, spec in self.cues.items() if isinstance(spec, dict) for w in spec.get(kind, [])]

    # ------------------------------------------------------------ names
    def is_name_token(self, tok: Token, first: bool) -> bool:
        t = tok.text
        if not t or tok.is_space or tok.is_punct and t not in ("-", "'", "/"):
            return False
        if first:
            if t in self.not_names or tok.pos_ in ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART"):
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
            if self.is_name_token(tok, first=False) and tok.text not in self.not_names:
                i -= 1
                continue
            break
        start = i + 1
        while start < end and not self.is_name_token(doc[start], first=True):
            start += 1
        return (start, end) if start < end else None

    def chunk_after(self, doc: Doc, start: int, ceil: int) -> tuple[int, int] | None:
        """The name that starts at token ``start``, or None."""
        if start >= ceil or not self.is_name_token(doc[start], first=True):
            return None
        i = start + 1
        while i < ceil:
            tok = doc[i]
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
        for kind in ("before", "suffix", "prefix"):
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
                    yield Candidate(ch[0], e, cls, "cue")
            else:  # "University of Arizona"
                ch = self.chunk_after(doc, e, hi)
                if ch:
                    yield Candidate(s, ch[1], cls, "cue")
        head_cues = self.head_cues
        for tok in doc:
            cls = head_cues.get(tok.text)
            if not cls or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            lo, hi = bounds[tok.i]
            # "the Rosalind Franklin rover"
            ch = self.chunk_before(doc, tok.i, lo)
            if ch:
                yield Candidate(ch[0], ch[1], cls, "cue")
            # "its rover, Zhurong" / "two NASA rovers, Curiosity and Perseverance"
            j = tok.i + 1
            if j < hi and doc[j].text == ",":
                yield from self._name_list(doc, j + 1, hi, cls)
            # "a small lander called Kestrel", "the orbiter nicknamed Mio"
            if j + 1 < hi and doc[j].lower_ in ("called", "named", "nicknamed", "dubbed"):
                yield from self._name_list(doc, j + 1, hi, cls)
            # "Columbia, the mission's command module", "Zephyr Explorer, a proposed mission"
            k = tok.i - 1
            while k > lo and (doc[k].pos_ in ("ADJ", "DET", "NUM", "NOUN", "PART", "ADV") or doc[k].dep_ == "poss"
                              or doc[k].text in ("'s", "’s") or doc[k].tag_ in ("VBN", "VBG")):
                k -= 1
            if k > lo and doc[k].text == "," and k < tok.i - 1:
                ch = self.chunk_before(doc, k, lo)
                if ch:
                    yield Candidate(ch[0], ch[1], cls, "cue")

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
        """Drop cue names that are really a known modifier plus nothing ("NASA mission")."""
        if c.source not in ("cue", "link"):
            return c
        exact = gaz_spans.get((c.start, c.end))
        if exact is not None and (exact.cls not in RETYPABLE or c.cls not in RETYPABLE):
            return None
        start = c.start
        # "Russian Soyuz", "British-built Beagle 2": a demonym or adjective is not part of the name
        while start < c.end - 1 and (doc[start].pos_ == "ADJ" or doc[start].ent_type_ == "NORP"):
            start += 1
            while start < c.end - 1 and doc[start].text in ("-",):
                start += 2
        for (s, e), g in sorted(gaz_spans.items()):
            if s == start and e < c.end and g.cls in MODIFIER_CLASSES and doc[e].text[0].isupper():
                start = e
        # "the joint ESA-JAXA mission": every word is a known agency, no new name
        covered = {i for (s, e), g in gaz_spans.items() if g.cls in MODIFIER_CLASSES and s >= start and e <= c.end
                   for i in range(s, e)}
        if all(i in covered or not doc[i].is_alpha for i in range(start, c.end)):
            return None
        return Candidate(start, c.end, c.cls, c.source, c.gazetteer_id, c.hint)

