"""What every part of relation extraction shares: the argument record, the sentence state,
and the dependency labels and pronoun words the rules test against."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass, field

if TYPE_CHECKING:
    from spacy.tokens import Span


PRONOUNS_SINGULAR = {"it", "its", "itself"}
#: Descriptions too general to pick out what the text called them ("the spacecraft" is any craft).
GENERIC_KINDS = frozenset({"mission", "spacecraft", "craft", "vehicle", "satellite", "explorer"})
PRONOUNS_PLURAL = {"they", "their", "them", "both", "each"}
SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")


@dataclass
class Arg:
    keys: list[str]
    how: str  # explicit | pronoun | reference | topic | list

    @property
    def confidence(self) -> float:
        return {"explicit": 0.9, "pronoun": 0.8, "reference": 0.8, "list": 0.75, "topic": 0.65}[self.how]


NOTHING = Arg([], "explicit")


@dataclass
class SentState:
    index: int
    span: Span
    subjects: list[str] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)
    ends_with_colon: bool = False
    pending: list = field(default_factory=list)  # frames waiting for list items
    implicit: list = field(default_factory=list)  # subjects a clause left unsaid, resolved
    pending_at: int | None = None
    heading: bool = False
    fragment: bool = False  # no subject of its own: "one of Earth", "NASA's Europa Clipper mission"
    list_item: bool = False

#: Nouns for a group that stand for their members ("a pair of landers", "the twin rovers").
GROUP_NOUNS = frozenset({"pair", "couple", "duo", "trio", "set", "fleet", "twin", "twins", "both"})
#: Words that introduce a name after a noun ("a lander called X", "the probes, dubbed X and Y").
NAMING_WORDS = frozenset({"called", "named", "nicknamed", "dubbed"})
#: Verbs of building: their "by" agent built the craft (an agency runs it, a company takes part in it).
BUILD_VERBS = frozenset({"build", "construct", "manufacture", "assemble", "design", "develop", "make", "fabricate"})
#: Nouns for one flight a craft makes: "Starliner's crew flight test", "the Artemis 1 test flight of Orion".
FLIGHT_NOUNS = frozenset({"mission", "flight", "test", "voyage", "expedition", "trip", "journey", "sortie"})
