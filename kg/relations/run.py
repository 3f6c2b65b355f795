"""One document's extraction: its indexes (mentions by token, sentences, mentions per sentence),
the discourse state of each sentence read so far, the facts found, and the loop that runs the
rule families over each sentence in turn."""
from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Iterator
from typing import Protocol

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.parts_of_speech import NAMES as _POS_ENUM_NAMES


from ..model import Document, Found, Mention
from ..ontology import Ontology
from .arguments import Arguments
from .common import SUBJ_DEPS, SentState
from .coreference import Coreference
from .lexicon import Lexicon
from .rules import (JointRules, LaunchDateRules, ListRules, ModifierRules, MoonRules, PartRules, PossessiveRules,
                    TriggerRules)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


#: Universal part-of-speech names by their id, as ``Token.pos_`` spells them.
POS_NAMES = {int(k): v for k, v in _POS_ENUM_NAMES.items()}


def token_table(doc: Doc) -> tuple[list[str], list[str], list[str], list[str], list[int], list[bool]]:
    """Per token, read from spaCy's arrays in one pass (building a Token object per token and
    attribute costs more than the rules that read them): lower-case lemma, lower form, dependency,
    part of speech, the index of its head, and whether it has a negation among its dependants."""
    if not len(doc):
        return [], [], [], [], [], []
    arr = doc.to_array([LEMMA, LOWER, DEP, POS, HEAD]).astype("int64")
    strings, memo = doc.vocab.strings, {}

    def text(column) -> list[str]:
        out = []
        for h in column.tolist():
            v = memo.get(h)
            if v is None:
                v = memo[h] = strings[h & 0xFFFFFFFFFFFFFFFF]
            out.append(v)
        return out

    lemma = [x.lower() for x in text(arr[:, 0])]
    dep = text(arr[:, 2])
    pos = [POS_NAMES.get(p, "") for p in arr[:, 3].tolist()]
    head = (arr[:, 4] + np.arange(len(doc))).tolist()
    has_neg = [False] * len(doc)
    for i, d in enumerate(dep):
        if d == "neg" and head[i] != i:
            has_neg[head[i]] = True
    return lemma, text(arr[:, 1]), dep, pos, head, has_neg


class Extractor(Protocol):
    """What a run reads of its :class:`~kg.relations.RelationExtractor`."""

    ontology: Ontology
    lexicon: Lexicon


class DocRun(TriggerRules, PossessiveRules, ModifierRules, MoonRules, JointRules, PartRules, ListRules, LaunchDateRules,
             Coreference, Arguments):
    """The state of extraction over one document: mentions by token, discourse history.

    Each rule family, the coreference and the argument helpers are a mixin of their own module;
    they share this object's state and call one another through it.
    """

    def __init__(self, ex: Extractor, doc: Doc, mentions: list[Mention], keys: list[str],
                 document: Document | None = None):
        self.ex = ex
        self.document = document
        self.onto = ex.ontology
        self.lexicon = ex.lexicon
        self.doc = doc
        self.tok2key: dict[int, str] = {}
        self.span_at: dict[int, Span] = {}
        self.span_of: dict[str, list[Span]] = {}
        self.cls: dict[str, str] = {}
        self.mention_spans: list[tuple[Span, str]] = []
        self.gazetteer_key: dict[str, str] = {}  # gazetteer id -> the local key of the entity it names
        for m, k in zip(mentions, keys):
            if m.gazetteer_id:
                self.gazetteer_key.setdefault(m.gazetteer_id, k)
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.tok2key[t.i] = k
                self.span_at[t.i] = span
            self.cls[k] = m.cls
            self.mention_spans.append((span, k))
        # token attributes read once: the rules scan these and build Token objects only for candidates
        self.text = doc.text  # spaCy joins it anew on every access
        self.dates_in: dict[int, list] = {}  # sentence -> its dates and their spans (candidates.date_spans)
        self.lemma, self.lower, self.dep, self.pos, self.head, self.has_neg = token_table(doc)
        self.sents = list(doc.sents)
        self.sent_of = [0] * len(doc)  # token index -> sentence index
        for n, sent in enumerate(self.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        self.spans_in: list[list[tuple[Span, str]]] = [[] for _ in self.sents]  # mentions per sentence
        for span, k in self.mention_spans:
            self.spans_in[self.sent_of[span.start]].append((span, k))
        self._first_pos: dict[str, int] = {}
        for span, k in self.mention_spans:
            self._first_pos.setdefault(k, span.start)
        self.states: list[SentState] = []
        self.found: list[Found] = []
        self._resolved: dict[int, list[str]] = {}
        self.kinds = self._kind_words()

    def candidates(self, sent: Span, words: frozenset[str] | set[str], attr: str = "lower") -> Iterator[Token]:
        """Tokens of the sentence whose lower-case form (or lemma, or dependency) is in ``words``."""
        values = getattr(self, attr)
        for i in range(sent.start, sent.end):
            if values[i] in words:
                yield self.doc[i]

    def key(self, tok: Token) -> str | None:
        return self.tok2key.get(tok.i)

    def classes_ok(self, key: str, classes: frozenset[str] | None) -> bool:
        return classes is None or self.onto.is_a(self.cls[key], classes)

    def emit(self, s: str, rel: str, o: str, sent: int, rule: str, conf: float) -> None:
        if s == o:
            return
        if not self.onto.allows(rel, self.cls[s], self.cls[o]):
            return
        if self.onto.relations[rel].symmetric and o < s:
            s, o = o, s
        self.found.append(Found(s, rel, o, sent, rule, round(conf, 3)))

    def sent_index(self, tok: Token) -> int:
        return self.sent_of[tok.i]

    def sent_end(self, tok: Token) -> int:
        return self.sents[self.sent_of[tok.i]].end

    def sent_start(self, tok: Token) -> int:
        return self.sents[self.sent_of[tok.i]].start

    def run(self) -> list[Found]:
        for si, sent in enumerate(self.sents):
            st = SentState(si, sent)
            last = next((self.doc[i] for i in range(sent.end - 1, sent.start - 1, -1) if not self.doc[i].is_space), None)
            # a list intro ends its line with a colon; a label ("The Launch:") runs on in the same line
            st.ends_with_colon = last is not None and last.text == ":" and (
                last.i + 1 >= len(self.doc) or "\n" in last.whitespace_ or "\n" in self.doc[last.i + 1].text)
            first = next((self.doc[i] for i in range(sent.start, sent.end) if not self.doc[i].is_space), sent[0])
            block = self.document.block_at(first.idx) if self.document is not None else None
            kind = block[1] if block else None
            st.heading = kind == "heading"
            if self.document is not None and self.document.blocks:
                st.list_item = kind == "item"
            elif si:  # no block map (a bare string): a line right after a colon line or another item
                gap = self.doc[sent.start - 1] if sent.start else None
                after_line = gap is not None and ("\n" in gap.text or "\n" in gap.whitespace_)
                st.list_item = after_line and (self.states[-1].ends_with_colon or self.states[-1].list_item)
            root = sent.root
            st.fragment = not any(c.dep_ in SUBJ_DEPS for c in root.children) and root.dep_ not in SUBJ_DEPS
            self.states.append(st)
            st.mentioned = list(dict.fromkeys(k for _, k in self.spans_in[si]))
            self.rule_triggers(si, sent)
            self.rule_possessives(si, sent)
            self.rule_modifiers(si, sent)
            self.rule_hyphen_agents(si, sent)
            self.rule_owners_before_name(si)
            self.rule_moons(si, sent)
            self.rule_joint(si, sent)
            self.rule_parts(si, sent)
            self.rule_list_items(si, sent)
            self.rule_launch_dates(si, sent)
            subj = [k for span, k in self.spans_in[si] if span.root.dep_ in SUBJ_DEPS]
            st.subjects = list(dict.fromkeys(subj + self.main_subject(si, sent) + st.implicit))
        self.settle_joint()
        return self.found

    def main_subject(self, si: int, sent: Span) -> list[str]:
        """The resolved subject of the sentence's main verb ("It was launched..." -> the mission)."""
        root = sent.root
        subs = [c for c in root.children if c.dep_ in SUBJ_DEPS]
        if not subs or self.key(subs[0]):
            return []
        return self.resolve(subs[0], None, si=si).keys
