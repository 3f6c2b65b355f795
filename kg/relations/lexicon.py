"""The trigger words and cue lists of ``ontology/relations.yaml``, checked once when loaded.

A :class:`Trigger` is a word that states a relation ("orbit", "operated by") with the slots its
subject and object are read from; the cue lists (location nouns, moon nouns, launch phrases,
purpose nouns, joint words, negation words) are what the rules look for besides triggers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import OntologyError
from ..ontology import Ontology

#: Argument slots of relations.yaml besides prepositions (which are plain words).
SLOT_NAMES = frozenset({"agent", "patient", "context", "compound", "adjective", "list", "as-of"})


@dataclass
class Trigger:
    name: str
    lemmas: frozenset[str]
    pos: frozenset[str]
    relations: tuple[str, ...]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    needs: dict[str, frozenset[str]] = field(default_factory=dict)  # lemma -> dependant words, one required


class Lexicon:
    """``relations.yaml`` of an ontology: the triggers by lemma, reference nouns by class, and the cue lists."""

    def __init__(self, ontology: Ontology):
        lex = ontology.lexicon
        self.raw = lex  # the parsed relations.yaml
        self.triggers: list[Trigger] = []
        for t in lex.get("triggers", []):
            needs = t.get("needs", {})
            for fld, values in [(f, t.get(f, [])) for f in ("lemmas", "subject", "object", "relations")] + [
                    (f"needs.{k}", v) for k, v in needs.items()]:
                bad = [x for x in values if not isinstance(x, str)]
                if bad:
                    raise OntologyError(
                        f"{ontology.directory / 'relations.yaml'}: trigger {t.get('name')!r} field {fld!r} has "
                        f"non-text values {bad!r} (quote YAML words like \"on\", \"off\", \"no\")")
            slots = [x for x in (*t.get("subject", ()), *t.get("object", ())) if x not in SLOT_NAMES and not x.isalpha()]
            if slots:
                raise OntologyError(f"{ontology.directory / 'relations.yaml'}: trigger {t['name']!r}: unknown slot {slots}")
            unknown = [r for r in t["relations"] if r not in ontology.relations]
            if unknown:
                raise OntologyError(f"{ontology.directory / 'relations.yaml'}: trigger {t['name']!r}: unknown relation {unknown}")
            pos = t.get("pos", ["VERB"])
            self.triggers.append(Trigger(
                name=t["name"], lemmas=frozenset(x.lower() for x in t["lemmas"]),
                pos=frozenset([pos] if isinstance(pos, str) else pos), relations=tuple(t["relations"]),
                subject=tuple(t["subject"]), object=tuple(t["object"]),
                needs={lemma: frozenset(words) for lemma, words in needs.items()}))
        self.by_lemma: dict[str, list[Trigger]] = {}
        for t in self.triggers:
            for lemma in t.lemmas:
                self.by_lemma.setdefault(lemma, []).append(t)
        self.ref_nouns: dict[str, set[str]] = {}
        for cls, nouns in lex.get("references", {}).items():
            for n in nouns:
                self.ref_nouns.setdefault(n, set()).add(cls)
        cues = lex.get("cues") or {}
        if not isinstance(cues, dict):
            raise OntologyError(f"{ontology.directory / 'relations.yaml'}: 'cues' must map relation names to word lists")
        #: lemma -> the relations it signals: the triggers' and the ``cues`` lists'
        self.cues: dict[str, frozenset[str]] = {}
        found: dict[str, set[str]] = {}
        for t in self.triggers:
            for lemma in t.lemmas:
                found.setdefault(lemma, set()).update(t.relations)
        for rel, words in cues.items():
            if rel not in ontology.relations:
                raise OntologyError(f"{ontology.directory / 'relations.yaml'}: cues: unknown relation {rel!r}")
            bad = [w for w in words or () if not isinstance(w, str)]
            if bad:
                raise OntologyError(f"{ontology.directory / 'relations.yaml'}: cues of {rel}: non-text values {bad!r} "
                                    f"(quote YAML words like \"on\", \"off\", \"no\")")
            for w in words or ():
                found.setdefault(w.lower(), set()).add(rel)
        self.cues = {lemma: frozenset(rels) for lemma, rels in found.items()}
        for adjective, body in (lex.get("body_adjectives") or {}).items():
            if body not in ontology.gazetteer_by_id:
                raise OntologyError(f"{ontology.directory / 'relations.yaml'}: body_adjectives: {adjective!r} names "
                                    f"{body!r}, which is no gazetteer id")

    @cached_property
    def location_nouns(self) -> frozenset[str]:
        return frozenset(self.raw.get("location_nouns", []))

    @cached_property
    def moon_nouns(self) -> frozenset[str]:
        return frozenset(self.raw.get("moon_nouns", []))

    @cached_property
    def craft_nouns(self) -> frozenset[str]:
        """Nouns for a spacecraft or mission ("the lander", "its rover"): the Mission references of the lexicon."""
        return frozenset(self.raw.get("references", {}).get("Mission", []))

    @cached_property
    def launch_verbs(self) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
        """Verbs that are a launch by themselves, and verbs that are one with a listed particle,
        adverb or place among their dependants ("take off", "sent aloft", "carried into space")."""
        cfg = self.raw.get("launch_date", {})
        needs = {k: frozenset(w.lower() for w in v) for k, v in (cfg.get("needs") or {}).items()}
        return frozenset(cfg.get("lemmas", [])), needs

    @cached_property
    def date_not_launch(self) -> frozenset[str]:
        """Prepositions whose date is not the launch's own ("as of", "since", "until", "by")."""
        return frozenset(self.raw.get("launch_date", {}).get("not_after", []))

    @cached_property
    def launch_nouns(self) -> frozenset[str]:
        """Nouns naming a launch ("the launch", "liftoff"), whose owner is the craft launched."""
        return frozenset(self.raw.get("launch_date", {}).get("nouns", []))

    @cached_property
    def body_adjectives(self) -> dict[str, str]:
        """Adjectives that name a body ("lunar" -> the gazetteer id of the Moon)."""
        return {k.lower(): v for k, v in (self.raw.get("body_adjectives") or {}).items()}

    @cached_property
    def purpose_nouns(self) -> frozenset[str]:
        return frozenset(self.raw.get("purpose_nouns", []))

    @cached_property
    def joint_words(self) -> frozenset[str]:
        return frozenset(self.raw.get("joint_words", []))

    @cached_property
    def negation_pattern(self) -> re.Pattern:
        """Any of :attr:`negation_before`, as whole words."""
        words = "|".join(re.escape(w) for w in self.negation_before) or "(?!)"
        return re.compile(rf"\b(?:{words})\b")

    @cached_property
    def negation_before(self) -> tuple[str, ...]:
        """Words that negate a trigger within the four words before it ("instead of landing")."""
        return tuple(self.raw.get("negation_before", []))
