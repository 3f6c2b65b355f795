"""Entity extraction: typed mentions from a parsed document.

Four sources, strongest first, each yielding candidate spans:

1. the gazetteer (``ontology/gazetteer/*.jsonl``) through a case-sensitive ``PhraseMatcher``;
2. series names built from a known prefix and a number (``Apollo 17``, ``Titan IVB``, ``Chang'e 6``);
3. context cues from ``ontology/entity_cues.yaml`` for names the gazetteer lacks
   ("the X rover", "the asteroid X", "X Space Agency", "its lander, X", wiki-link slugs);
4. spaCy's statistical NER, for people.

Overlaps are resolved longest-first; a cue may retype a gazetteer name only
between the craft classes (``Soyuz`` the spacecraft vs "a Soyuz rocket").
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from . import nlp as nlp_mod
from .errors import OntologyError
from .model import Document, Mention
from .ontology import Ontology

#: Classes a context cue may override on a gazetteer match (craft names reused across kinds).
RETYPABLE = frozenset({"Mission", "LaunchVehicle", "Program", "SpaceStation"})
#: Gazetteer classes that, as a leading modifier, are not part of a new name ("NASA Dawn mission").
MODIFIER_CLASSES = frozenset({"Agency", "Organization", "Country", "Person"})
SERIES_HYPHEN = re.compile(r"^(?P<p>.+)-\d+[A-Za-z]?$")
HYPHENATED = re.compile(r"\S+-\d+[A-Za-z]?\b")
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


class EntityExtractor:
    """Finds typed mentions in spaCy ``Doc`` objects; build once per pipeline."""

    def __init__(self, nlp: Language, ontology: Ontology):
        self.nlp = nlp
        self.ontology = ontology
        self.gaz_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._entry_ids: dict[int, str] = {}
        names: dict[str, list[str]] = {}
        for entry in ontology.gazetteer:
            for name in entry.names:
                names.setdefault(name, []).append(entry.id)
        for name, ids in names.items():
            key = f"gaz:{len(self._entry_ids)}"
            self._entry_ids[nlp.vocab.strings.add(key)] = ids[0]
            self.gaz_matcher.add(key, [nlp.make_doc(name)])
        #: spaCy's NER when it can run on chosen sentences only (see :meth:`_recognise_people`)
        self.ner = nlp_mod.standalone_ner(nlp)
        self.series_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._series_by_key = {}
        for s in ontology.series:
            key = f"series:{s.prefix}"
            self._series_by_key[nlp.vocab.strings.add(key)] = s
            self.series_matcher.add(key, [nlp.make_doc(s.prefix)])

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

    # ------------------------------------------------------------ candidates
    def _gazetteer(self, doc: Doc) -> Iterator[Candidate]:
        for match_id, s, e in self.gaz_matcher(doc):
            gid = self._entry_ids[match_id]
            entry = self.ontology.gazetteer_by_id[gid]
            yield Candidate(s, e, entry.cls, "gazetteer", gid)

    def _series(self, doc: Doc) -> Iterator[Candidate]:
        for match_id, s, e in self.series_matcher(doc):
            series = self._series_by_key[match_id]
            if e < len(doc):
                nxt = doc[e]
                if nxt.is_digit or ROMAN.match(nxt.text):
                    yield Candidate(s, e + 1, series.cls, "series")
                elif nxt.text == "-" and e + 1 < len(doc) and doc[e + 1].is_digit and not doc[e - 1].whitespace_:
                    yield Candidate(s, e + 2, series.cls, "series")
        # "Chandrayaan-3", "Tianwen-1": one token; only tokens with a hyphen are looked at
        prefixes = {s.prefix: s for s in self.ontology.series}
        for i, text in self._hyphenated(doc):
            m = SERIES_HYPHEN.match(text)
            if m and m.group("p") in prefixes:
                yield Candidate(i, i + 1, prefixes[m.group("p")].cls, "series")

    @staticmethod
    def _hyphenated(doc: Doc) -> Iterator[tuple[int, str]]:
        text = doc.text
        for m in HYPHENATED.finditer(text):
            span = doc.char_span(m.start(), m.end())
            if span is not None and len(span) == 1:
                yield span.start, span.text

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

    def _recognise_people(self, doc: Doc, known: list[Candidate]) -> None:
        """Run the NER only where a person may be named, when the pipeline has not run it.

        People are the one class left to the statistical NER, and a full name is two
        capitalised words that no gazetteer or series name covers ("Jim Bridenstine",
        "Wernher von Braun", "John F. Kennedy"); a lone surname counts only where its full name
        occurs, so sentences with such a surname are read in a second round.  Sentences with
        neither (most of them: their capitals are known names) are never read by the NER.
        """
        if self.ner is None or doc.has_annotation("ENT_IOB"):
            return
        covered = bytearray(len(doc))
        for c in known:
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)

        def free_capital(tok: Token) -> bool:
            return not covered[tok.i] and tok.text[:1].isupper() and (tok.is_alpha or tok.text[-1:] == ".")

        chosen, rest = [], []
        for sent in doc.sents:
            toks = [t for t in sent if not t.is_space]
            pairs = zip(toks, toks[1:])
            skips = zip(toks, toks[1:], toks[2:])
            if any(free_capital(a) and free_capital(b) for a, b in pairs) or any(
                    free_capital(a) and b.text in self.name_particles and free_capital(c) for a, b, c in skips):
                chosen.append(sent)
            else:
                rest.append(sent)
        nlp_mod.recognise(self.ner, doc, chosen)
        surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2}
        if surnames:
            nlp_mod.recognise(self.ner, doc, [s for s in rest if any(
                t.text in surnames and not covered[t.i] for t in s)])

    def _ner(self, doc: Doc) -> Iterator[Candidate]:
        """People from spaCy's NER: full names, and a lone surname only where the full name occurs too."""
        people = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            toks = [t for t in ent if not t.is_punct]
            if not toks or any(t.like_num for t in toks) or not all(t.text[0].isupper() for t in toks):
                continue
            people.append((ent.start, ent.end, [t.text for t in toks]))
        surnames = {names[-1] for _, _, names in people if len(names) >= 2}
        for start, end, names in people:
            if len(names) >= 2 or names[0] in surnames:
                yield Candidate(start, end, "Person", "ner")

    # ------------------------------------------------------------ selection
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

    def extract(self, doc: Doc, document: Document) -> list[Mention]:
        gaz = list(self._gazetteer(doc))
        gaz_spans = {(c.start, c.end): c for c in gaz}
        cands: list[Candidate] = gaz + list(self._series(doc))
        self._recognise_people(doc, cands)
        bounds = sentence_bounds(doc)
        titles = _title_lines(doc)
        for c in list(self._cues(doc, bounds)) + list(self._links(doc, document)):
            t = self._trim(doc, c, gaz_spans)
            if t is not None and t.length > 0 and (c.source == "link" or not titles[c.start]):
                cands.append(t)
        cands += [c for c in self._ner(doc) if not titles[c.start]]
        chosen = self._select(doc, cands)
        chosen += self._acronyms(doc, chosen)
        chosen = self._filter_ambiguous(doc, chosen)
        starts = sorted({lo for lo, _ in bounds})
        mentions = []
        for c in sorted(chosen, key=lambda c: c.start):
            span = doc[c.start : c.end]
            sidx = bisect.bisect_right(starts, c.start) - 1
            mentions.append(
                Mention(
                    doc_id=document.id,
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
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
            gz = next((c for c in group if c.source in ("gazetteer", "series")), None)
            cue = next((c for c in group if c.source == "cue"), None)
            if gz and cue and gz.cls in RETYPABLE and cue.cls in RETYPABLE and gz.cls != cue.cls:
                merged.append(Candidate(*span, cue.cls, "cue", gz.gazetteer_id if gz.cls == cue.cls else None))
            elif gz:
                gz.cued = any(c.source in ("cue", "link") and c.cls == gz.cls for c in group)
                merged.append(gz)
            else:
                best = max(group, key=lambda c: PRIORITY[c.source])
                link = next((c for c in group if c.hint), None)
                merged.append(Candidate(best.start, best.end, best.cls, best.source, best.gazetteer_id, link.hint if link else None))
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
            if long_form is not None and short is None:
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
