"""Relation extraction from the dependency parse, the ontology's triggers and discourse.

:meth:`RelationExtractor.extract` yields :class:`~kg.model.Found` records on document-local
entity keys; each carries the sentence, the rule and a confidence.  The rule families, one
module each under ``rules/``, run over every sentence in this order:

* ``triggers``: verbs and nouns of ``ontology/relations.yaml`` with their arguments read off
  the parse (active/passive, prepositions, possessors, relative clauses, coordination),
  pronouns and "the mission" resolved back;
* ``possessives``: "ESA's JUICE", "Jupiter's moon Ganymede", "its rover, Curiosity";
* ``modifiers``: "a NASA mission", "two NASA rovers, X and Y", "Galileo, the NASA orbiter";
* ``moons``: "Triton, Neptune's largest moon", "a moon of Saturn";
* ``joint``: "a joint mission of NASA and CNES";
* ``lists``: the items of a list a colon introduced;
* ``launch_dates``: the date of a launch clause.

They share ``coreference`` (what "it", "its", "the mission", "both agencies" stand for),
``arguments`` (subjects, passives, prepositional objects, negation), ``lexicon`` (the
triggers and cue lists of ``relations.yaml``) and ``dates``; ``run`` holds one document's
state and the loop.  Negated statements yield nothing; every fact's types are checked
against the ontology's domain and range before it leaves.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from typing import Any


from ..model import Document, Found, Mention
from ..ontology import Ontology
from .common import GENERIC_KINDS, NOTHING, PRONOUNS_PLURAL, PRONOUNS_SINGULAR, SUBJ_DEPS, Arg, SentState
from .dates import DATE_PATTERNS, MONTH_RE, MONTHS, parse_date
from .learned import RelationModel
from .lexicon import SLOT_NAMES, Lexicon, Trigger
from .run import DocRun

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "RelationExtractor", "RelationModel", "DocRun", "Lexicon", "Trigger", "Arg", "NOTHING", "SentState", "parse_date",
    "DATE_PATTERNS", "MONTHS", "MONTH_RE", "SLOT_NAMES", "GENERIC_KINDS", "PRONOUNS_SINGULAR",
    "PRONOUNS_PLURAL", "SUBJ_DEPS",
]


class RelationExtractor:
    """Relations of parsed documents, with an ontology's ``relations.yaml`` loaded and checked once,
    and the learned relation model that decides over the rules' votes (None: the rules alone)."""

    def __init__(self, ontology: Ontology, model: RelationModel | None = None):
        self.ontology = ontology
        self.lexicon = Lexicon(ontology)
        self.model = model

    def extract(self, doc: Doc, mentions: list[Mention], keys: list[str], document: Document | None = None) -> list[Found]:
        """Relations of one parsed document; ``document`` gives its block structure (headings, list items)."""
        run, found = self.read(doc, mentions, keys, document)
        return self.decide(run, found)

    def read(self, doc: Doc, mentions: list[Mention], keys: list[str],
             document: Document | None = None) -> tuple[DocRun, list[Found]]:
        """The rules' run over one document, and the facts the rules found."""
        run = DocRun(self, doc, mentions, keys, document)
        return run, run.run()

    def decide(self, run: DocRun, found: list[Found], model: Any = ...) -> list[Found]:
        """The facts kept: the model's decision over the rules' votes (``model`` overrides this
        extractor's; None: the rules alone)."""
        model = self.model if model is ... else model
        return found if model is None else model.predict(run, found)
