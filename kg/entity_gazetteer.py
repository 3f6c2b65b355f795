"""Known names as real text writes them: the gazetteer and the numbered series.

Besides the exact, case-sensitive names of ``ontology/gazetteer/*.jsonl`` this reads

* names in capitals ("VENERA 7", "MARINER 2"), as old reports and forum posts write them;
* the lower-case forms of entries flagged ``lowercase_ok`` ("the sun", "the moon") where they name
  the thing, and not where they are the common noun ("a moon", "the moon Io", or "the moon" in a text
  about another moon);
* a launch vehicle with its configuration ("Delta II 7920H", "Ariane 5 ECA", "PSLV-XL", "H-IIA F47");
* members of a series from its prefix and a number ("Apollo 17", "Long March 5B", "Long March-5B",
  "Soyuz MS-22"), in capitals too, and the members of an elided list ("Venera 4, 5 and 6",
  "Voyager 1 and 2").

A body name glued by a hyphen to a lower-case word ("near-Earth", "Mars-bound") is an adjective, not
a mention of the body.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.attrs import ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .entity_cues import BODY_CLASSES, ROMAN, Candidate, glued_to_word

SERIES_HYPHEN = re.compile(r"^(?P<p>.+)-(?P<n>\d+[A-Za-z]{0,2})$")
HYPHENATED = re.compile(r"[^\s()\[\]{}\"“”‘,;:]+-\d+[A-Za-z]{0,2}\b")
SERIES_NUMBER = re.compile(r"^\d{1,3}[A-Za-z]{0,2}\+?$")
#: A launch vehicle's configuration after its name: "7920H", "ECA", "XL", "F47", "C25", "v1.1", "401".
CONFIG = re.compile(r"^(?:[A-Z]{1,4}|[A-Z]{0,3}\d[\dA-Za-z.]*|v\d[\d.]*)$")
YEAR = re.compile(r"^(19|20)\d\d$")
LIST_LINKS = (",", "and", "or", "&")


class GazetteerReader:
    """Gazetteer and series matching; mixed into :class:`kg.entities.EntityExtractor`."""

    def _build_matchers(self) -> None:
        nlp, ontology = self.nlp, self.ontology
        self.gaz_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._entry_ids: dict[int, str] = {}
        self.name_ids: dict[str, str] = {}
        for entry in ontology.gazetteer:
            for name in entry.names:
                for variant in {name, name.replace("'", "’"), name.replace("’", "'")}:
                    self.name_ids.setdefault(variant, entry.id)
        for name in self.name_ids:
            # "built by SpaceX.": a final period after a name ending in a capital stays one token otherwise
            last = name.split()[-1]
            if last[-1:].isupper() and any(c.islower() for c in last) and last.isalnum():
                nlp.tokenizer.add_special_case(last + ".", [{ORTH: last}, {ORTH: "."}])
        for name, gid in self.name_ids.items():
            key = f"gaz:{len(self._entry_ids)}"
            self._entry_ids[nlp.vocab.strings.add(key)] = gid
            pattern = nlp.make_doc(name)
            self.gaz_matcher.add(key, [pattern])
            self.folded_matcher.add(key, [pattern])
        self.series_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._series_by_key = {}
        self.series_by_prefix = {}
        for s in ontology.series:
            key = f"series:{s.prefix}"
            self._series_by_key[nlp.vocab.strings.add(key)] = s
            self.series_matcher.add(key, [nlp.make_doc(s.prefix)])
            self.series_by_prefix[s.prefix] = s

    # ------------------------------------------------------------ gazetteer
    def _gazetteer(self, doc: Doc) -> Iterator[Candidate]:
        by_id = self.ontology.gazetteer_by_id
        exact = []
        for match_id, s, e in self.gaz_matcher(doc):
            entry = by_id[self._entry_ids[match_id]]
            if entry.cls in BODY_CLASSES and glued_to_word(doc, s, e):
                continue  # "near-Earth objects", "a Mars-bound probe"
            if entry.cls == "Country" and _abbreviation_as_adjective(doc, s, e):
                continue  # "the U.S. science lead", "a US firm": an adjective, not the country
            exact.append(Candidate(s, e, entry.cls, "gazetteer", entry.id))
        yield from exact
        named = {c.gazetteer_id for c in exact}
        for match_id, s, e in self.folded_matcher(doc):
            entry = by_id[self._entry_ids[match_id]]
            span = doc[s:e]
            if span.text in entry.names or glued_to_word(doc, s, e):
                continue
            if _all_capitals(span) or _titled_acronym(span, entry) or (
                    entry.lowercase_ok and span.text.islower() and (" " in span.text or span.text == entry.name.lower())
                    and self._common_noun_is_name(doc, s, e, entry, named)):
                yield Candidate(s, e, entry.cls, "gazetteer", entry.id)
        for c in exact:
            if SERIES_NUMBER.match(doc[c.end - 1].text) and c.end - c.start > 1:
                # "Vega 1 and 2", "Pioneer 10 and 11": the other members the gazetteer knows
                prefix = doc[c.start:c.end - 1].text
                yield from (m for m in self._elided(doc, c.end, prefix, c.cls) if m.gazetteer_id)
            if c.cls == "LaunchVehicle":
                end = self._configuration_end(doc, c.end)
                if end > c.end:  # "Delta II 7920H", "PSLV-XL": the vehicle in one configuration
                    yield Candidate(c.start, end, c.cls, "gazetteer", c.gazetteer_id)

    def _common_noun_is_name(self, doc: Doc, s: int, e: int, entry, named: set[str]) -> bool:
        """Does lower-case "the moon" / "the sun" name the body here?"""
        prev = doc[s - 1] if s > 0 else None
        nxt = doc[e] if e < len(doc) else None
        if nxt is not None and (nxt.lower_ == "of" or (nxt.text[:1].isupper() and nxt.pos_ == "PROPN")):
            return False  # "the moon of Saturn", "the moon Io"
        if prev is None or (prev.lower_ != "the" and (prev.pos_ in ("DET", "PRON", "ADJ", "NUM", "PROPN", "PART")
                                                      or prev.tag_ == "PRP$" or prev.text in ("'s", "’s"))):
            return False  # "a moon", "its moon", "Saturn's moon", "an icy moon"
        # "moon" is also the noun of its class: in a text that names another moon, "the moon" is that one
        if entry.name.lower() == entry.cls.lower():
            by_id = self.ontology.gazetteer_by_id
            if any(by_id[g].cls == entry.cls and g != entry.id for g in named):
                return False
        return True

    def _configuration_end(self, doc: Doc, i: int) -> int:
        """Where a launch vehicle's configuration after token ``i`` ends ("7920H", "-XL", "F47 ELV")."""
        end = i
        for _ in range(2):
            j = end
            if j + 1 < len(doc) and doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_:
                j += 1
            elif j >= len(doc) or not doc[j - 1].whitespace_:
                break
            if j < len(doc) and CONFIG.match(doc[j].text) and not YEAR.match(doc[j].text) \
                    and doc[j].text not in self.name_ids:
                end = j + 1
            else:
                break
        return end

    # ------------------------------------------------------------ series
    def _series(self, doc: Doc) -> Iterator[Candidate]:
        for match_id, s, e in self.series_matcher(doc):
            series = self._series_by_key[match_id]
            prefix = doc[s:e]
            if prefix.text != series.prefix and not _all_capitals(prefix):
                continue
            if e >= len(doc):
                continue
            nxt = doc[e]
            if SERIES_NUMBER.match(nxt.text) or ROMAN.match(nxt.text):
                yield Candidate(s, e + 1, series.cls, "series")
                yield from self._elided(doc, e + 1, series.prefix, series.cls)
            elif nxt.text == "-" and e + 1 < len(doc) and SERIES_NUMBER.match(doc[e + 1].text) \
                    and not doc[e - 1].whitespace_:
                yield Candidate(s, e + 2, series.cls, "series")
        # "Chandrayaan-3", "Long March-5B", "Soyuz MS-22": the number is glued to the prefix's last word
        for i, text in self._hyphenated(doc):
            m = SERIES_HYPHEN.match(text)
            if not m:
                continue
            words = m.group("p")
            for back in range(0, 3):
                if i - back < 0 or (back and not doc[i - back].whitespace_):
                    break
                prefix = " ".join([t.text for t in doc[i - back : i]] + [words])
                series = self.series_by_prefix.get(prefix)
                if series is not None:
                    yield Candidate(i - back, i + 1, series.cls, "series")
                    break

    def _elided(self, doc: Doc, i: int, prefix: str, cls: str) -> Iterator[Candidate]:
        """The other members of "Venera 4, 5 and 6", "Pioneer 10 and 11 spacecraft"."""
        while i < len(doc) and doc[i].text in LIST_LINKS:
            j = i + 1
            if j < len(doc) and doc[i].text == "," and doc[j].text in ("and", "or"):
                j += 1
            if j >= len(doc) or not SERIES_NUMBER.match(doc[j].text) or doc[j].text.startswith("0"):
                return
            after = doc[j + 1] if j + 1 < len(doc) else None
            then = doc[j + 2] if j + 2 < len(doc) else None
            if after is not None and after.text not in self.head_cues and (after.pos_ == "NOUN" or (
                    after.pos_ in ("ADJ", "NUM") and then is not None and then.pos_ == "NOUN")):
                return  # "Apollo 11 and 2 other flights", "Luna 9 and 13 days later"
            name = f"{prefix} {doc[j].text}"
            yield Candidate(j, j + 1, cls, "series", self.name_ids.get(name), name=name)
            i = j + 1

    @staticmethod
    def _hyphenated(doc: Doc) -> Iterator[tuple[int, str]]:
        text = doc.text
        for m in HYPHENATED.finditer(text):
            span = doc.char_span(m.start(), m.end())
            if span is not None and len(span) == 1:
                yield span.start, span.text


def _all_capitals(span: Span) -> bool:
    """Written in capitals ("VENERA", "MARINER 2"): three letters or more, none lower-case."""
    letters = [c for c in span.text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _titled_acronym(span: Span, entry) -> bool:
    """An agency's acronym as the British press writes it: "Nasa", "Isro", "Jaxa"."""
    return entry.cls == "Agency" and entry.name.isupper() and len(entry.name) >= 3 and span.text == entry.name.title()


def _abbreviation_as_adjective(doc: Doc, s: int, e: int) -> bool:
    """"U.S." / "UK" right before a lower-case word it modifies ("U.S. officials", "UK firm")."""
    text = doc[s:e].text
    if len(text) > 5 or not text.replace(".", "").isupper() or e >= len(doc):
        return False
    nxt = doc[e]
    return nxt.is_alpha and nxt.is_lower and nxt.pos_ in ("NOUN", "ADJ") and not doc[e - 1].whitespace_ == ""
