"""Entity typing learnt by ``kg train --entity-typing``: the names of the user's classes, and the
context that types a name nobody listed.

A relation model file may carry a section ``entity_typing`` (part of its checksummed payload),
made from gold annotations (:mod:`kg.typing_train`):

* **names**: every gold entity name and alias with its class, matched in a note as a gazetteer
  entry is (case-sensitive, whole tokens; an alias stands for its entity's name);
* **a span classifier**: a multinomial logistic regression over what spaCy says of a *candidate
  span* (a run of capitalised words that no known name covers) and its context: its last word, the
  noun it modifies or that modifies it ("the X rover", "the ferry X"), the noun it is in apposition
  to, what it is said to be ("X is a shipyard"), the verb it is the subject or object of, the
  preposition it hangs on and that preposition's head ("built at X"), spaCy's NER label, and the
  lemmas around it; each word also stands for what the folder's ``relations.yaml`` makes of it
  (:class:`Words`).  It predicts one of the ontology's classes or none.

At build time (:class:`kg.entities.EntityExtractor`) the section only fills gaps: a name that the
folder's gazetteer, series or cues typed keeps its class and span; the section's names come next,
and the classifier types the remaining candidate spans, one decision per name and note (the
probabilities of its occurrences averaged, as a reader decides what a name is from every sentence;
the likeliest class if it reaches the section's threshold, else none).

The features and the candidate spans live here, so that training and building read a note the
same way.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from . import nlp as nlp_mod
from .canonical import normalise
from .entities import SMALL_WORDS, _title_lines
from .entity_cues import ROMAN, Candidate
from .errors import RelationModelError

if TYPE_CHECKING:
    from spacy.language import Language

#: The key of the section in a relation model file.
SECTION = "entity_typing"
#: Bumped whenever the candidate spans or their features change: a section made with others is refused.
TYPING_VERSION = 1
#: The label of "no entity" in the classifier (class names of an ontology are never empty).
NONE = ""
#: Mention sources of what the section adds (the prefix is the rank :mod:`kg.canonical` gives them).
NAME_SOURCE = "gazetteer:model"
CLASSIFIER_SOURCE = "cue:model"
#: Words that join capitalised words into one name ("Port of Halvik", "Banca di Roma").
PARTICLES = frozenset({"of", "de", "di", "del", "della", "da", "du", "des", "van", "von", "der", "den", "la", "le",
                       "&"})
#: Parts of speech that do not start a name ("The", "Her", "At").
FUNCTION_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "ADV", "INTJ", "PUNCT", "SYM"})
#: The longest candidate span, in tokens.
MAX_SPAN = 6
#: Lemmas read on each side of a span.
WINDOW = 2


# ---------------------------------------------------------------------------------------- spans
def _capital(tok: Token) -> bool:
    return tok.text[:1].isupper() and not tok.is_punct and not tok.is_space


def headings(doc: Doc) -> list[bool]:
    """Per token: is it in a heading, where capitals say nothing of names?  A Title Case line without
    final punctuation (as :mod:`kg.entities` has it), or one that ends with a colon ("Resource
    Sharing:", "Public Engagement and Support:"), a label of what follows."""
    flags = _title_lines(doc)
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        words = [t for t in toks if t.is_alpha and t.lower_ not in SMALL_WORDS]
        if toks and toks[-1].text == ":" and words and all(t.text[0].isupper() for t in words):
            for t in sent:
                flags[t.i] = True
    return flags


def candidate_spans(doc: Doc, taken: bytearray, skip: list[bool] | None = None) -> list[tuple[int, int]]:
    """Runs of capitalised words (joined by name particles, followed by a number or a roman numeral)
    over tokens no known name takes.  Left out: a leading function word ("The Morning Tern"); a word
    that only starts a sentence ("Built at ...", "Space missions ..."), unless the tagger takes it for
    a proper noun, the note capitalises it in the middle of a sentence too or a capitalised word
    follows; a lone adjective before its noun ("the Jovian system"); tokens ``skip`` marks
    (:func:`headings`)."""
    out = []
    n, i = len(doc), 0
    named = {t.text for t in doc if _capital(t) and not t.is_sent_start and not taken[t.i]}
    while i < n:
        tok = doc[i]
        if taken[i] or not _capital(tok) or (skip is not None and skip[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not taken[j] and j - i < MAX_SPAN:
            t = doc[j]
            if _capital(t) or (ROMAN.match(t.text) and t.text.isupper()):
                j += 1
            elif t.like_num and len(t.text) <= 3 and doc[j - 1].text[:1].isupper():
                j += 1
            elif t.lower_ in PARTICLES and j + 1 < n and not taken[j + 1] and _capital(doc[j + 1]):
                j += 2
            else:
                break
        s = i
        while s < j and (doc[s].pos_ in FUNCTION_POS or (
                doc[s].is_sent_start and doc[s].pos_ != "PROPN" and doc[s].text not in named
                and not (s + 1 < j and _capital(doc[s + 1])))):
            s += 1
        e = j
        while e > s and (doc[e - 1].lower_ in PARTICLES or doc[e - 1].is_punct):
            e -= 1
        if s < e and _capital(doc[s]) and not (e - s == 1 and doc[s].pos_ == "ADJ" and doc[s].dep_ == "amod"):
            out.append((s, e))
        i = j
    return out


def ner_labels(ner: Any, doc: Doc, spans: Iterable[tuple[int, int]]) -> list[str]:
    """Per token, the label spaCy's NER gives it ("" for none), read on the sentences of ``spans``
    only, each on its own (whatever ``doc.ents`` holds: a build and a training read it the same way)."""
    labels = [""] * len(doc)
    if ner is None:
        return labels
    sents = {doc[s].sent.start: doc[s].sent for s, _ in spans}
    chosen = [sents[k] for k in sorted(sents)]
    docs = [s.as_doc() for s in chosen]
    for sub in docs:  # the NER keeps entities a doc already has: these sentences start with none
        sub.set_ents([], default="missing")
    for sent, sub in zip(chosen, ner.pipe(docs)):
        for ent in sub.ents:
            for k in range(sent.start + ent.start, sent.start + ent.end):
                labels[k] = ent.label_
    return labels


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower() or tok.lower_


def _role(tok: Token) -> Token:
    """The token whose place in the clause a span has: the first conjunct of a coordination."""
    for _ in range(8):
        if tok.dep_ != "conj" or tok.head.i == tok.i:
            break
        tok = tok.head
    return tok


class Words:
    """What the folder's ``relations.yaml`` says of a word: the classes a noun refers to
    (``references``: "ferry" -> Ship) and the relations a word signals (its triggers and ``cues``).
    Features carry these besides the word itself, so that "the trawler X" teaches "the tug X" when
    both nouns refer to ships, with a few examples."""

    def __init__(self, lexicon: Any = None):
        self.kinds: dict[str, tuple[str, ...]] = {}
        if lexicon is not None:
            for word, classes in lexicon.ref_nouns.items():
                self.kinds[word] = tuple(sorted(classes))
            for word, relations in lexicon.cues.items():
                self.kinds[word] = tuple(sorted(set(self.kinds.get(word, ())) | set(relations)))

    def features(self, kind: str, word: str) -> list[str]:
        kinds = self.kinds.get(word)
        if kinds is None and word.endswith("s"):  # "Yards", "Lines": a name keeps its plural
            kinds = self.kinds.get(word[:-1])
        return [f"{kind}={word}"] + [f"{kind}~{k}" for k in kinds or ()]


def span_features(doc: Doc, s: int, e: int, ner: list[str], words: Words | None = None) -> list[str]:
    """What spaCy says of the span ``doc[s:e]`` and its context, as feature names."""
    feat = (words or Words()).features
    span = doc[s:e]
    # of the name itself only its last word, the head ("Kessel Yards", "Corran Line"): the other
    # words would only memorise the training names, which the names list knows anyway
    f = feat("last", _lemma(span[-1]))
    if doc[s].is_sent_start:
        f.append("sentence-start")
    labels = {ner[k] for k in range(s, e)} - {""}
    f += [f"ner={x}" for x in sorted(labels)] or ["ner=none"]
    root = span.root
    inside = range(s, e)
    for c in root.children:
        if c.i in inside:
            continue
        if c.dep_ in ("compound", "amod", "nmod", "nummod") and c.pos_ in ("NOUN", "PROPN", "ADJ"):
            f += feat("modified-by", _lemma(c))  # "the ferry X", "the old X"
        elif c.dep_ == "appos":
            f += feat("appos", _lemma(c))  # "X, a ferry built ..."
        elif c.dep_ == "prep":
            f += feat("prep-after", c.lower_)  # "X of Y", "X in Y"
        elif c.dep_ in ("det", "poss"):
            f.append(f"det={c.lower_}")
    head = root.head
    if root.dep_ in ("compound", "amod", "nmod", "poss") and head.i not in inside:
        f += feat(f"{root.dep_}-of", _lemma(head))  # "the X rover", "X's ferry"
    if root.dep_ == "appos":
        f += feat("appos-to", _lemma(head))  # "its yard, X"
    role = _role(root)
    if role is not root:
        f.append("conj")
    dep, head = role.dep_, role.head
    if dep in ("nsubj", "nsubjpass", "dobj", "attr", "dative", "oprd"):
        f += feat(dep, _lemma(head))  # the verb it is subject or object of
        if dep in ("nsubj", "nsubjpass"):
            f += [x for c in head.children if c.dep_ in ("attr", "acomp") for x in feat("is-a", _lemma(c))]
    elif dep == "pobj":
        prep = head.lower_
        f += feat("pobj", prep)
        f += feat(f"pobj-{prep}", _lemma(head.head))  # "built at X", "the port of X", "built by X"
    else:
        f.append(f"dep={dep}")
    lo, hi = doc[s].sent.start, doc[e - 1].sent.end
    for k in range(1, WINDOW + 1):
        f += feat(f"prev{k}", _lemma(doc[s - k])) if s - k >= lo else [f"prev{k}=<s>"]
        f += feat(f"next{k}", _lemma(doc[e + k - 1])) if e + k - 1 < hi else [f"next{k}=</s>"]
    return list(dict.fromkeys(f))


# ---------------------------------------------------------------------------------------- names
class Names:
    """The section's names, matched as gazetteer entries are: whole tokens, case-sensitive."""

    def __init__(self, names: dict[str, tuple[str, str]], nlp: Language):
        self.names = names  # surface -> (class, the entity's name)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._surface: dict[int, str] = {}
        for i, surface in enumerate(sorted(names)):
            key = nlp.vocab.strings.add(f"typing-name:{i}")
            self._surface[key] = surface
            variants = {surface, surface.replace("'", "’"), surface.replace("’", "'")}
            self.matcher.add(f"typing-name:{i}", [nlp.make_doc(v) for v in sorted(variants)])

    def match(self, doc: Doc, taken: bytearray) -> list[tuple[int, int, str, str]]:
        """``(start, end, class, name)`` of the names in ``doc`` that overlap no taken token, longest first."""
        found = sorted(((s, e, self._surface[k]) for k, s, e in self.matcher(doc)), key=lambda m: (m[0] - m[1], m[0]))
        used = bytearray(taken)
        out = []
        for s, e, surface in found:
            if any(used[s:e]):
                continue
            used[s:e] = b"\x01" * (e - s)
            out.append((s, e, *self.names[surface]))
        return sorted(out)


def taken_tokens(doc: Doc, spans: Iterable[tuple[int, int]]) -> bytearray:
    out = bytearray(len(doc))
    for s, e in spans:
        out[s:e] = b"\x01" * (e - s)
    return out


# ---------------------------------------------------------------------------------------- the model
@dataclass
class EntityTyper:
    """The section of a model file: names, and the classifier's weights (a row of ``labels`` per
    feature, ``NONE`` among the labels)."""

    names: dict[str, tuple[str, str]]
    labels: list[str]
    weights: dict[str, list[float]]
    intercepts: list[float]
    threshold: float = 0.5  # the probability a class needs
    info: dict[str, Any] = field(default_factory=dict)
    _names: Names | None = field(default=None, repr=False)
    _ner: Any = field(default=None, repr=False)
    _words: Words | None = field(default=None, repr=False)

    def bind(self, nlp: Language, lexicon: Any) -> EntityTyper:
        """Ready to read notes parsed by ``nlp`` (its vocabulary and its NER), with the words of the
        ontology's ``relations.yaml`` (a :class:`kg.relations.lexicon.Lexicon`)."""
        self._names = Names(self.names, nlp)
        self._ner = nlp_mod.standalone_ner(nlp)
        self._words = Words(lexicon)
        return self

    # ------------------------------------------------------------ file
    def section(self) -> dict[str, Any]:
        return {
            "typing_version": TYPING_VERSION,
            "names": {k: list(v) for k, v in sorted(self.names.items())},
            "labels": self.labels,
            "intercepts": [_round(x) for x in self.intercepts],
            "threshold": round(self.threshold, 4),
            "weights": {f: [_round(x) for x in w] for f, w in sorted(self.weights.items())},
            **self.info,
        }

    @classmethod
    def from_section(cls, data: Any, where: Path | str | None) -> EntityTyper:
        if not isinstance(data, dict) or data.get("typing_version") != TYPING_VERSION:
            version = data.get("typing_version") if isinstance(data, dict) else None
            raise RelationModelError(f"{where}: entity typing section version {version}, this kg reads "
                                     f"{TYPING_VERSION}; train it again with kg train --entity-typing")
        try:
            labels = [str(x) for x in data["labels"]]
            names = {}
            for k, v in data["names"].items():
                if not (isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)):
                    raise ValueError(f"name {k!r}: expected [class, name], found {v!r}")
                names[str(k)] = (v[0], v[1])
            weights = {str(f): [float(x) for x in w] for f, w in data["weights"].items()}
            intercepts = [float(x) for x in data["intercepts"]]
            threshold = float(data["threshold"])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise RelationModelError(f"{where}: malformed entity typing section: {exc!r}") from exc
        if len(intercepts) != len(labels) or any(len(w) != len(labels) for w in weights.values()):
            raise RelationModelError(f"{where}: malformed entity typing section: weights do not match its labels")
        info = {k: v for k, v in data.items()
                if k not in ("typing_version", "names", "labels", "intercepts", "threshold", "weights")}
        return cls(names, labels, weights, intercepts, threshold, info)

    # ------------------------------------------------------------ reading
    def probabilities(self, features: list[str]) -> list[float]:
        z = list(self.intercepts)
        for f in features:
            w = self.weights.get(f)
            if w is not None:
                z = [a + b for a, b in zip(z, w)]
        top = max(z)
        ex = [math.exp(x - top) for x in z]
        total = sum(ex)
        return [x / total for x in ex]

    def decide(self, p: list[float], threshold: float | None = None) -> str:
        """The label of probabilities ``p``: the likeliest class, if it has the threshold; else none."""
        k = max((k for k, label in enumerate(self.labels) if label != NONE), key=lambda k: (p[k], -k))
        return self.labels[k] if p[k] >= (self.threshold if threshold is None else threshold) else NONE

    def candidates(self, doc: Doc, known: list[Candidate]) -> list[Candidate]:
        """What the section adds to a note whose ``known`` candidates the rules chose: its names, then
        the classifier's decision on the capitalised runs left, one class per name and note."""
        assert self._names is not None, "bind() the typer to the spaCy pipeline first"
        taken = taken_tokens(doc, ((c.start, c.end) for c in known))
        out = []
        for s, e, cls, name in self._names.match(doc, taken):
            taken[s:e] = b"\x01" * (e - s)
            out.append(Candidate(s, e, cls, NAME_SOURCE, name=name if name != doc[s:e].text else None))
        spans = candidate_spans(doc, taken, headings(doc)) if self.weights else []
        if not spans:
            return out
        ner = ner_labels(self._ner, doc, spans)
        by_name: dict[str, list[tuple[int, int]]] = defaultdict(list)
        summed: dict[str, list[float]] = {}
        for s, e in spans:
            key = normalise(doc[s:e].text)
            p = self.probabilities(span_features(doc, s, e, ner, self._words))
            summed[key] = [a + b for a, b in zip(summed.get(key, [0.0] * len(p)), p)]
            by_name[key].append((s, e))
        for key, where in by_name.items():
            label = self.decide([x / len(where) for x in summed[key]])
            if label != NONE:
                out += [Candidate(s, e, label, CLASSIFIER_SOURCE) for s, e in where]
        return sorted(out, key=lambda c: c.start)

    def describe(self) -> str:
        names, classes = len(self.names), len({c for c, _ in self.names.values()})
        return (f"{names} name{'s' * (names != 1)} of {classes} class{'es' * (classes != 1)}, "
                f"a classifier of {len(self.weights)} features")


def typer_of(model: Any, nlp: Language, lexicon: Any) -> EntityTyper | None:
    """The entity typing a relation model carries, ready for ``nlp`` and the ontology's ``lexicon``
    (None when it has none)."""
    meta = getattr(model, "meta", None) or {}
    if SECTION not in meta:
        return None
    return EntityTyper.from_section(meta[SECTION], getattr(model, "path", None)).bind(nlp, lexicon)


def _round(x: float) -> float:
    return float(f"{x:.6g}")
