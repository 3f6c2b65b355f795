"""Relation extraction from the dependency parse, the ontology's triggers and discourse.

Extractors yield :class:`Found` records on document-local entity keys; each
carries the sentence, the rule and a confidence.  They are:

* :meth:`RelationExtractor.triggers`: verbs and nouns of ``ontology/relations.yaml``
  with their arguments read off the parse (active/passive, prepositions, possessors,
  relative clauses, coordination), pronouns and "the mission" resolved back;
* :meth:`RelationExtractor.possessives`: "ESA's JUICE", "Jupiter's moon Ganymede",
  "its rover, Curiosity";
* :meth:`RelationExtractor.modifiers`: "a NASA mission", "two NASA rovers, X and Y",
  "Galileo, the NASA orbiter";
* :meth:`RelationExtractor.moons`: "Titan, Saturn's largest moon", "a moon of Saturn";
* :meth:`RelationExtractor.launch_dates`: the date of a launch clause.

Negated statements yield nothing; every fact's types are checked against the
ontology's domain and range before it leaves.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from .errors import OntologyError
from .model import Document, Found, Mention
from .ontology import Ontology

PRONOUNS_SINGULAR = {"it", "its", "itself"}
#: Argument slots of relations.yaml besides prepositions (which are plain words).
SLOT_NAMES = frozenset({"agent", "patient", "context", "compound", "list", "as-of"})
#: Descriptions too general to pick out what the text called them ("the spacecraft" is any craft).
GENERIC_KINDS = frozenset({"mission", "spacecraft", "craft", "vehicle", "satellite", "explorer"})
PRONOUNS_PLURAL = {"they", "their", "them", "both", "each"}
SUBJ_DEPS = ("nsubj", "nsubjpass", "csubj")
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTH_RE = "(?:" + "|".join(MONTHS) + ")"
DATE_PATTERNS = [
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_RE})\s*,?\s+(\d{{4}})\b", re.I), ("d", "m", "y")),
    (re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})\b", re.I), ("m", "d", "y")),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), ("y", "mn", "d")),
    (re.compile(rf"\b({MONTH_RE})\s+(?:of\s+)?(\d{{4}})\b", re.I), ("m", "y")),
]


@dataclass
class Trigger:
    name: str
    lemmas: frozenset[str]
    pos: frozenset[str]
    relations: tuple[str, ...]
    subject: tuple[str, ...]
    object: tuple[str, ...]
    needs: dict[str, frozenset[str]] = field(default_factory=dict)  # lemma -> dependant words, one required


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


def parse_date(text: str) -> str | None:
    """The first full date (YYYY-MM-DD) or month (YYYY-MM) in ``text``; years alone are skipped."""
    best = None
    for rx, order in DATE_PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        parts = dict(zip(order, m.groups()))
        y = int(parts["y"])
        mo = int(parts["mn"]) if "mn" in parts else MONTHS[parts["m"].lower()]
        if "d" in parts:
            value = f"{y:04d}-{mo:02d}-{int(parts['d']):02d}"
        else:
            value = f"{y:04d}-{mo:02d}"
        if best is None or m.start() < best[0] or (m.start() == best[0] and len(value) > len(best[1])):
            best = (m.start(), value)
    return best[1] if best else None


class RelationExtractor:
    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        lex = ontology.lexicon
        self.lex = lex
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

    @cached_property
    def location_nouns(self) -> frozenset[str]:
        return frozenset(self.lex.get("location_nouns", []))

    @cached_property
    def moon_nouns(self) -> frozenset[str]:
        return frozenset(self.lex.get("moon_nouns", []))

    @cached_property
    def craft_nouns(self) -> frozenset[str]:
        """Nouns for a spacecraft or mission ("the lander", "its rover"): the Mission references of the lexicon."""
        return frozenset(self.lex.get("references", {}).get("Mission", []))

    @cached_property
    def launch_cues(self) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
        """Launch-date verbs, phrases, and the first words of those phrases."""
        cfg = self.lex.get("launch_date", {})
        phrases = tuple(cfg.get("phrases", []))
        return frozenset(cfg.get("lemmas", [])), phrases, frozenset(p.split()[0] for p in phrases)

    @cached_property
    def purpose_nouns(self) -> frozenset[str]:
        return frozenset(self.lex.get("purpose_nouns", []))

    @cached_property
    def joint_words(self) -> frozenset[str]:
        return frozenset(self.lex.get("joint_words", []))

    # ================================================================== driver
    def extract(self, doc: Doc, mentions: list[Mention], keys: list[str], document: Document | None = None) -> list[Found]:
        """Relations of one parsed document; ``document`` gives its block structure (headings, list items)."""
        run = _DocRun(self, doc, mentions, keys, document)
        return run.run()


class _DocRun:
    """The state of extraction over one document: mentions by token, discourse history."""

    def __init__(self, ex: RelationExtractor, doc: Doc, mentions: list[Mention], keys: list[str],
                 document: Document | None = None):
        self.ex = ex
        self.document = document
        self.onto = ex.ontology
        self.doc = doc
        self.tok2key: dict[int, str] = {}
        self.span_at: dict[int, Span] = {}
        self.span_of: dict[str, list[Span]] = {}
        self.cls: dict[str, str] = {}
        self.mention_spans: list[tuple[Span, str]] = []
        for m, k in zip(mentions, keys):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.tok2key[t.i] = k
                self.span_at[t.i] = span
            self.cls[k] = m.cls
            self.mention_spans.append((span, k))
        # token attributes read once: the rules scan these and build Token objects only for candidates
        self.lemma = [t.lemma_.lower() for t in doc]
        self.lower = [t.lower_ for t in doc]
        self.dep = [t.dep_ for t in doc]
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

    def _kind_words(self) -> dict[str, set[str]]:
        """The common nouns the text attaches to each entity: "comet 67P", "the Philae lander",
        "Dactyl, a tiny moon"; "the comet" later prefers the entity called a comet."""
        kinds: dict[str, set[str]] = {}
        nouns = set(self.ex.ref_nouns)
        for span, k in self.mention_spans:
            around = []
            if span.start > 0:
                around.append(self.doc[span.start - 1])
            if span.end < len(self.doc):
                around.append(self.doc[span.end])
            around += [c for c in span.root.children if c.dep_ == "appos"]
            if span.root.dep_ in ("compound", "appos"):
                around.append(span.root.head)
            for t in around:
                lemma = t.lemma_.lower()
                if lemma in nouns:
                    kinds.setdefault(k, set()).add(lemma)
        return kinds

    # ------------------------------------------------------------ helpers
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

    def expand(self, tok: Token) -> list[Token]:
        """A token and the tokens coordinated or in apposition with it."""
        out, todo, seen = [], [tok], set()
        while todo:
            t = todo.pop()
            if t.i in seen:
                continue
            seen.add(t.i)
            out.append(t)
            for c in t.children:
                if c.dep_ in ("conj", "appos"):
                    todo.append(c)
        return sorted(out, key=lambda t: t.i)

    def modifier_names(self, tok: Token) -> list[str]:
        """Names modifying a noun from the left: "Venus flybys", "a Mars gravity assist", "low Earth orbit"."""
        keys = []
        for c in tok.lefts:
            if c.dep_ in ("compound", "nmod", "amod"):
                keys += [self.key(t) for t in c.subtree if self.key(t) and t.dep_ != "poss"]
        return list(dict.fromkeys(keys))

    def in_mention(self, tok: Token) -> str | None:
        """The entity a token names: itself, or the name it carries ("the Huygens probe", "the asteroid Vesta")."""
        k = self.key(tok)
        if k:
            return k
        for c in tok.children:
            if (c.dep_ in ("compound", "nmod", "appos") or c.i == tok.i + 1) and self.key(c):
                return self.key(c)
        return None

    # ------------------------------------------------------------ references
    def resolve(self, tok: Token, classes: frozenset[str] | None, exclude: Iterable[str] = (),
                si: int | None = None) -> Arg:
        """Map an argument token to entities: a name, a pronoun, "the mission", "both agencies"."""
        arg = self._resolve(tok, classes, exclude, si)
        if arg.keys and tok.lower_ == "its":
            self._resolved.setdefault(tok.i, arg.keys)
        if arg.how in ("pronoun", "reference") and self.states:
            st = self.states[-1]
            st.mentioned += [k for k in arg.keys if k not in st.mentioned]
        return arg

    def _resolve(self, tok: Token, classes: frozenset[str] | None, exclude: Iterable[str] = (),
                 si: int | None = None) -> Arg:
        exclude = set(exclude)
        si = self.sent_index(tok) if si is None else si
        keys = []
        for t in self.expand(tok):
            k = self.in_mention(t)
            if k and k not in exclude and self.classes_ok(k, classes):
                keys.append(k)
        if not keys and tok.pos_ == "NOUN" and tok.tag_ in ("NNS", "NNPS") and tok.i + 2 < len(tok.doc) \
                and tok.doc[tok.i + 1].text == ":":
            first = next((t for t in tok.doc[tok.i + 2: self.sent_end(tok)] if self.key(t)), None)
            if first is not None and first.i <= tok.i + 4 and self.classes_ok(self.key(first), classes):
                keys = [self.key(first)] + self.coordinated(first, classes, exclude)
        if not keys and tok.pos_ == "NOUN" and tok.lemma_.lower() in self.ex.purpose_nouns:
            owner = [c for c in tok.children if c.dep_ == "poss"]
            if owner:
                return self.resolve(owner[0], classes, exclude, si)
        if not keys and tok.pos_ == "NOUN":
            # "a consortium led by the German Aerospace Center": the group stands for its leader
            for c in tok.children:
                if c.dep_ == "acl" and c.lemma_ in ("lead", "head", "run", "direct"):
                    for a in self.prep_objects(c, {"by"}):
                        keys += [k for k in self.resolve(a, classes, exclude, si).keys]
                # "a small lander called Kestrel"
                if c.dep_ == "acl" and c.lemma_ in ("call", "name", "nickname", "dub"):
                    keys += [self.key(t) for t in c.subtree if self.key(t) and self.classes_ok(self.key(t), classes)
                             and self.key(t) not in exclude][:1]
        if not keys and tok.dep_ in ("attr",) and tok.pos_ == "NOUN":
            subs = [c for c in tok.head.children if c.dep_ in SUBJ_DEPS]
            if subs and self.in_mention(subs[0]):
                k = self.in_mention(subs[0])
                if k not in exclude and self.classes_ok(k, classes):
                    keys.append(k)
        if not keys and tok.dep_ == "appos":
            k = self.in_mention(tok.head)
            if k and k not in exclude and self.classes_ok(k, classes):
                keys.append(k)
        if keys:
            return Arg(list(dict.fromkeys(keys)), "explicit")
        low = tok.lower_
        det = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss", "nummod", "predet", "amod")}
        if low in PRONOUNS_SINGULAR or (low == "one" and "each" in det):
            return self.resolve_pronoun(tok, classes, exclude, si)
        if low in PRONOUNS_PLURAL or (det & {"both", "these", "those"}) or {"the", "two"} <= det:
            ks = self.plural_antecedents(classes, si, tok.i, exclude)
            if ks:
                return Arg(ks, "pronoun")
            return NOTHING
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if tok.pos_ == "NOUN" and nxt is not None and self.key(nxt) and self.span_at[nxt.i].start == nxt.i:
            k = self.key(nxt)  # "the small asteroid Dinkinesh", whatever the parse made of it
            if k not in exclude and self.classes_ok(k, classes):
                return Arg([k], "explicit")
        if tok.pos_ == "NOUN" and tok.tag_ != "NNS":  # "the recent Mars rovers" is no single entity
            ref_cls = self.ex.ref_nouns.get(low) or self.ex.ref_nouns.get(tok.lemma_.lower())
            if ref_cls and (det & {"the", "this", "its", "their", "that"} or tok.lower_ in ("spacecraft",)):
                allowed = frozenset(ref_cls) if classes is None else frozenset(c for c in ref_cls if self.onto.is_a(c, classes))
                if allowed:
                    owner = [c for c in tok.children if c.dep_ == "poss"]
                    k = self.antecedent(allowed, si, tok.i, exclude, nearest=False, kind=tok.lemma_.lower())
                    if k and not owner:
                        return Arg([k], "reference")
                    if k and owner and owner[0].lower_ in ("its", "the", "their"):
                        return Arg([k], "reference")
        return NOTHING

    def resolve_pronoun(self, tok: Token, classes, exclude: set[str], si: int) -> Arg:
        """"it"/"its": the clause's own subject when that is the referent ("Cassini fired its engine"),
        else the nearest subject of the sentence, else the most salient entity; a nearer subject of
        the wrong kind blocks the reference rather than skipping to a farther one."""
        sent = self.sents[si]
        # "Before it can enter orbit, BepiColombo makes...": a pronoun in a fronted clause looks ahead
        root_subj = [c for c in sent.root.children if c.dep_ in SUBJ_DEPS]
        if root_subj and root_subj[0].i > tok.i and self.in_mention(root_subj[0]) and any(
                a.dep_ in ("advcl", "prep") and a.head.i == sent.root.i and a.i < root_subj[0].i for a in tok.ancestors):
            k = self.in_mention(root_subj[0])
            if k not in exclude and self.classes_ok(k, classes):
                return Arg([k], "pronoun")
        # "Its orbiter ..., but its lander ...": one "its" per sentence means one owner
        if tok.dep_ == "poss":
            earlier = [t for t in sent if t.i < tok.i and t.lower_ == "its" and t.dep_ == "poss"]
            if earlier and earlier[0].i in self._resolved:
                keys = [k for k in self._resolved[earlier[0].i] if k not in exclude and self.classes_ok(k, classes)]
                if keys:
                    return Arg(keys, "pronoun")
        if tok.dep_ not in SUBJ_DEPS and tok.dep_ != "poss":
            # "reached the comet and began to orbit it": a description earlier in the sentence
            for t in reversed(sent[: tok.i - sent.start]):
                ref = self.ex.ref_nouns.get(t.lemma_.lower())
                if ref and t.tag_ == "NN" and any(c.lower_ == "the" for c in t.children):
                    allowed = frozenset(c for c in ref if classes is None or self.onto.is_a(c, classes))
                    if allowed:
                        a = self.resolve(t, allowed, exclude, si)
                        if a.keys:
                            return a
        if tok.dep_ == "poss" and tok.lower_ == "its":
            # "Eurybates and its satellite Queta": the nearest name before it in the sentence, if any
            before = [(span, k) for span, k in self.spans_in[si]
                      if span.end <= tok.i and k not in exclude
                      and not (span.end < len(self.doc) and self.doc[span.end].text in ("'s", "’s"))]
            subj, _ = self.clause_subject(tok.head)
            if before and not (subj is not None and subj.i < tok.i and (
                    subj.lower_ in PRONOUNS_SINGULAR or self.ex.ref_nouns.get(subj.lower_) or self.in_mention(subj))):
                # "While JUICE flies past Europa, its objective...": a subject before it first
                subjects = [(span, k) for span, k in before if span.root.dep_ in SUBJ_DEPS]
                k = (subjects or before)[-1][1]
                return Arg([k], "pronoun") if self.classes_ok(k, classes) else NOTHING
        if tok.dep_ == "poss":
            subj, _ = self.clause_subject(tok.head)
            if subj is not None and subj.i != tok.i and subj.i < tok.i:
                if subj.lower_ in PRONOUNS_SINGULAR or self.ex.ref_nouns.get(subj.lower_):
                    return self.resolve(subj, classes, exclude, si)
                k = self.in_mention(subj)
                if k and k not in exclude and self.classes_ok(k, classes):
                    return Arg([k], "pronoun")
        subjects = [t for t in self.sents[si] if t.i < tok.i and t.dep_ in SUBJ_DEPS]
        if subjects and tok.dep_ in SUBJ_DEPS:
            last = subjects[-1]
            if last.pos_ == "NOUN" and not self.in_mention(last) and not self.ex.ref_nouns.get(last.lemma_.lower()):
                return NOTHING  # "Each partner operates the hardware it contributed": it = the partner
        cur = [(span, k) for span, k in self.spans_in[si]
               if span.start < tok.i and k not in exclude and span.root.dep_ in SUBJ_DEPS]
        if cur and (tok.dep_ in SUBJ_DEPS or tok.dep_ == "poss"):
            k = cur[-1][1]
            return Arg([k], "pronoun") if self.classes_ok(k, classes) else NOTHING
        if tok.dep_ not in SUBJ_DEPS and tok.dep_ != "poss":
            # "ESA launched it": it is not ESA; "New Horizons, which flew past it": it is not New Horizons
            own, _ = self.clause_subject(tok)
            if own is not None:
                own_keys = {self.in_mention(own)} if self.in_mention(own) else set(self._resolved.get(own.i, []))
                exclude = exclude | {k for k in own_keys if k}
            cur = [(span, k) for span, k in cur if k not in exclude]
            if cur and self.classes_ok(cur[-1][1], classes):
                return Arg([cur[-1][1]], "pronoun")
        # a subject "it" does not point at a name fronted in its own sentence ("Unlike the ISS, it ...");
        # an object "it" does not point at a possessor ("Mars's two moons ... flybys of it")
        before = self.sents[si].start if tok.dep_ in SUBJ_DEPS else tok.i
        owners = {self.key(t) for t in sent if t.i < tok.i and t.dep_ == "poss" and self.key(t)}
        k = self.antecedent(classes, si, before, exclude | (owners if tok.dep_ not in SUBJ_DEPS else set()))
        return Arg([k], "pronoun") if k else NOTHING

    def sent_index(self, tok: Token) -> int:
        return self.sent_of[tok.i]

    def sent_end(self, tok: Token) -> int:
        return self.sents[self.sent_of[tok.i]].end

    def sent_start(self, tok: Token) -> int:
        return self.sents[self.sent_of[tok.i]].start

    def antecedent(self, classes: frozenset[str] | None, si: int, before: int, exclude: set[str],
                   nearest: bool = True, kind: str | None = None) -> str | None:
        """The entity a reference points back to.

        A pronoun (``nearest``) takes the closest fitting subject earlier in its own sentence, else the
        closest fitting mention; failing that, and for "the mission", the most salient entity of the
        last sentences: subjects weigh double, and weight halves with each sentence back.
        """
        cur = [(span, k) for span, k in self.spans_in[si]
               if span.start < before and k not in exclude and self.classes_ok(k, classes)]
        if nearest and cur:
            subj = [(s, k) for s, k in cur if s.root.dep_ in SUBJ_DEPS]
            return (subj or cur)[-1][1]
        score: dict[str, float] = {}
        for _, k in cur:
            score[k] = score.get(k, 0.0) + 1.0
        for st in self.states[max(0, si - 8):si]:
            w = 0.5 ** (si - st.index)
            for k in st.subjects:
                if k not in exclude and self.classes_ok(k, classes):
                    score[k] = score.get(k, 0.0) + 2 * w
            for k in st.mentioned:
                if k not in exclude and self.classes_ok(k, classes):
                    score[k] = score.get(k, 0.0) + w
        if not score:
            return None
        if kind and kind not in GENERIC_KINDS:  # "the comet": an entity the text called a comet, if it is current
            called = {k: v for k, v in score.items() if kind in self.kinds.get(k, ())}
            if called and max(called.values()) >= 0.5 * max(score.values()):
                score = called
        if not nearest:
            # "the mission" is the whole, not the lander it carried
            parts = {f.subject for f in self.found if f.relation == "partOf" and f.object in score}
            if set(score) - parts:
                for p in parts:
                    score.pop(p, None)
        return max(score.items(), key=lambda kv: (kv[1], -self._first_pos.get(kv[0], 0)))[0]

    def plural_antecedents(self, classes, si, before, exclude) -> list[str]:
        cur = [k for span, k in self.spans_in[si]
               if span.start < before and k not in exclude and self.classes_ok(k, classes)]
        cur = list(dict.fromkeys(cur))
        if len(cur) >= 2:
            return cur
        for st in reversed(self.states[max(0, si - 12):si]):
            ks = [k for k in dict.fromkeys(st.subjects + st.mentioned) if k not in exclude and self.classes_ok(k, classes)]
            if len(ks) >= 2:
                return ks
        return []

    def topic(self, classes, si: int, exclude=()) -> Arg:
        """The entity a subject-less clause is about: the list intro's subject, else the last salient one."""
        exclude = set(exclude)
        st = self.states[si]
        if st.list_item:
            for prev in reversed(self.states[:si]):
                if prev.ends_with_colon:
                    ks = [k for k in prev.subjects if k not in exclude and self.classes_ok(k, classes)]
                    if ks:
                        return Arg(ks, "list")
                    break
                if not prev.list_item:
                    break
        k = self.antecedent(classes, si, self.sents[si].start, exclude, nearest=False)
        return Arg([k], "topic") if k else NOTHING

    # ------------------------------------------------------------ arguments
    def clause_subject(self, tok: Token) -> tuple[Token | None, bool]:
        """The subject governing ``tok``; (None, True) when the clause has none at all (a fragment)."""
        v = tok
        for _ in range(12):
            subs = [c for c in v.children if c.dep_ in SUBJ_DEPS]
            if not subs and v.dep_ == "ROOT" and (v.pos_ == "VERB" or self.effective_pos(v) == "VERB"):
                # the parser sometimes hangs the subject name on the verb as a modifier
                subs = [c for c in v.children if c.i < v.i and c.dep_ in ("compound", "npadvmod", "nmod", "dep")
                        and self.in_mention(c)]
            if subs:
                s = subs[0]
                if s.lower_ in ("which", "that", "who") and v.dep_ == "relcl":
                    return v.head, False
                return s, False
            if v.dep_ in ("relcl", "acl"):
                return v.head, False
            if v.dep_ == "appos":
                return v.head, False
            if v.dep_ == "ROOT" or v.head.i == v.i:
                return None, True
            v = v.head
        return None, True

    def is_passive(self, verb: Token) -> bool:
        """Passive voice, including "overseen by X and run by Y" and "Luna 25, operated by Roscosmos"."""
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "acl":
            return True
        if verb.tag_ == "VBN" and verb.dep_ == "conj" and not any(
                c.dep_ in SUBJ_DEPS or (c.dep_ == "aux" and c.lemma_ == "have") for c in verb.children):
            return self.is_passive(verb.head)
        return False

    def prep_objects(self, tok: Token, words: set[str]) -> list[Token]:
        out = []
        hosts = [tok] + [c for c in tok.children if c.dep_ in ("dobj", "advmod", "prt", "acomp", "npadvmod", "attr")]
        if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj", "attr") and tok.head.pos_ in ("VERB", "ADP"):
            hosts.append(tok.head if tok.head.pos_ == "VERB" else tok.head.head)
        for h in hosts:
            for c in h.children:
                if c.dep_ in ("prep", "agent", "dative", "advmod", "prt") and c.lower_ in words:
                    objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                    for g in c.children:
                        if g.dep_ == "prep":
                            objs += [x for x in g.children if x.dep_ == "pobj"]
                    out += objs
        return out

    def descend(self, tok: Token) -> list[Token]:
        """From "the far side of the Moon", "Ryugu's surface" or "building the spacecraft" to the thing."""
        if self.key(tok) or tok.lower_ in PRONOUNS_SINGULAR:
            return [tok]
        if tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            return objs or [tok]
        low = tok.lemma_.lower()
        if low in self.ex.location_nouns or low in ("km", "kilometre", "kilometer", "mile", "metre"):
            for c in tok.children:
                if c.dep_ == "poss":
                    return [c]
                if c.dep_ in ("compound",) and self.key(c):
                    return [c]
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    return [g for g in c.children if g.dep_ == "pobj"]
        return [tok]

    def role(self, spec: str, tok: Token, classes, si: int, exclude=()) -> Arg:
        """One argument slot of a trigger (see ontology/relations.yaml)."""
        is_verb = self.effective_pos(tok) == "VERB"
        if spec == "agent":
            if is_verb and self.is_passive(tok):
                objs = self.prep_objects(tok, {"by"})
                if not objs:
                    return NOTHING
                return self.resolve(objs[0], classes, exclude, si)
            if not is_verb:
                poss = [c for c in tok.children if c.dep_ == "poss"]
                if poss:
                    return self.resolve(poss[0], classes, exclude, si)
            subj, fragment = self.clause_subject(tok)
            if subj is not None:
                if subj.dep_ == "nsubjpass" and is_verb and subj.head.i == tok.i:
                    return NOTHING
                arg = self.resolve(subj, classes, exclude, si)
                if not arg.keys and tok.dep_ == "appos" and subj.i == tok.head.i:
                    # "...to catch comet 67P: three swing-bys of Earth": the comet is not the one flying by
                    return self.role("agent", tok.head, classes, si, exclude)
                return arg
            return self.topic(classes, si, exclude) if fragment else NOTHING
        if spec == "patient":
            if not is_verb:
                return NOTHING
            if self.is_passive(tok):
                if tok.dep_ in ("acl", "relcl") and not any(c.dep_ == "nsubjpass" for c in tok.children):
                    return self.resolve(tok.head, classes, exclude, si)
                subj, fragment = self.clause_subject(tok)
                if subj is None:
                    return self.topic(classes, si, exclude) if fragment else NOTHING
                return self.resolve(subj, classes, exclude, si)
            objs = [c for c in tok.children if c.dep_ in ("dobj",)]
            if not objs and tok.pos_ != "VERB":  # a verb tagged as a noun: the name after it is its object
                objs = [c for c in tok.rights if c.dep_ in ("appos", "npadvmod", "attr", "compound") and self.in_mention(c)]
            objs = [tok.head if (o.lower_ in ("which", "that", "whom") and tok.dep_ == "relcl") else o for o in objs]
            keys, how = [], "explicit"
            for o in objs:
                a = self.resolve(o, classes, exclude, si)
                keys += a.keys
                how = a.how
                if a.keys and a.how == "explicit":
                    keys += self.coordinated(o, classes, exclude)
            return Arg(list(dict.fromkeys(keys)), how) if keys else NOTHING
        if spec == "compound":
            keys = [k for k in self.modifier_names(tok) if self.classes_ok(k, classes) and k not in exclude]
            return Arg(keys, "explicit") if keys else NOTHING
        if spec == "context":
            # the endeavour the clause is about, never the thing contributed ("ESA contributed the Huygens probe")
            contributed = set()
            if is_verb:
                for c in tok.children:
                    if c.dep_ in ("dobj", "nsubjpass"):
                        contributed |= {self.key(t) for t in c.subtree if self.key(t)}
            owner = self.owner_of_phrase(tok, classes, si, set(exclude) | contributed)
            if owner.keys:
                return owner
            named = [k for span, k in self.spans_in[si] if k not in exclude
                     and k not in contributed and self.classes_ok(k, classes)]
            if named:
                return Arg(named[:1], "explicit")
            return self.topic(classes, si, set(exclude) | contributed)
        if spec == "list":
            return NOTHING
        if spec == "as-of":
            # "with ESA as a partner", "the CSA joined ESA as a partner": who is the partner
            if tok.head.lower_ != "as":
                return NOTHING
            host = tok.head.head
            if self.in_mention(host):
                return self.resolve(host, classes, exclude, si)
            for w in self.prep_objects(host, {"with"}):
                a = self.resolve(w, classes, exclude, si)
                if a.keys:
                    return Arg(a.keys + self.coordinated(w, classes, exclude), a.how)
            if host.pos_ == "VERB":  # "CSA joined ESA as a partner in X": both are partners
                keys = []
                for c in host.children:
                    if c.dep_ in ("dobj",) + SUBJ_DEPS:
                        keys += self.resolve(c, classes, exclude, si).keys
                return Arg(list(dict.fromkeys(keys)), "explicit") if keys else NOTHING
            return NOTHING
        # a preposition
        words = {spec}
        keys, how = [], "explicit"
        objs = self.prep_objects(tok, words)
        for o in objs:
            for d in self.descend(o):
                a = self.resolve(d, classes, exclude, si)
                keys += a.keys
                if a.keys:
                    how = a.how
                    keys += self.coordinated(d, classes, exclude)
        if not keys and not objs:
            first = self.surface_object(tok, words)
            if first is not None:
                a = self.resolve(first, classes, exclude, si)
                keys, how = a.keys, a.how
                if keys:
                    keys += self.coordinated(first, classes, exclude)
        return Arg(list(dict.fromkeys(keys)), how) if keys else NOTHING

    def surface_object(self, tok: Token, words: set[str]) -> Token | None:
        """When the parse loses a preposition ("flew past" tagged as an adjective), read it off the surface."""
        doc, end = tok.doc, self.sent_end(tok)
        i = tok.i + 1
        while i < min(end, tok.i + 4) and doc[i].lower_ not in words:
            if doc[i].pos_ in ("ADV", "PART") or doc[i].lower_ in ("close", "back", "once", "twice"):
                i += 1
                continue
            return None
        if i >= end or doc[i].lower_ not in words:
            return None
        for j in range(i + 1, min(end, i + 9)):
            if self.key(doc[j]) or doc[j].lower_ in PRONOUNS_SINGULAR:
                return doc[j]
            if doc[j].lower_ == "of" and doc[j - 1].lemma_.lower() in self.ex.location_nouns:
                continue  # "on the far side of the Moon"
            if doc[j].is_punct or doc[j].pos_ in ("VERB", "AUX", "ADP", "CCONJ", "SCONJ"):
                return None
        return None

    def coordinated(self, tok: Token, classes, exclude=()) -> list[str]:
        """Names listed after ``tok`` through commas, "and", "then", dates: "Venus twice, then Earth, and then Jupiter"."""
        span = self.span_at.get(tok.i)
        if span is None:
            return []
        doc, end = tok.doc, self.sent_end(tok)
        glue = {",", "and", "or", "then", "twice", "again", "once", "also", "finally", "later", "thrice"}
        keys, j = [], span.end
        while j < end:
            t = doc[j]
            k = self.key(t)
            if k:
                if k in exclude or not self.classes_ok(k, classes) or (j + 1 < end and doc[j + 1].text in ("'s", "’s")):
                    break
                keys.append(k)
                j = self.span_at[j].end
                continue
            nxt = doc[j + 1] if j + 1 < end else None
            if t.text == "(" and nxt is not None and self.key(nxt) and j + 2 < end and doc[self.span_at[j + 1].end].text == ")":
                j = self.span_at[j + 1].end + 1  # "the European Space Agency (ESA)"
            elif t.lower_ in glue or t.lower_ in ("the", "a", "an") or t.ent_type_ in ("DATE", "CARDINAL", "ORDINAL") or t.like_num:
                j += 1
            elif t.lower_ in ("in", "on", "during", "by") and nxt is not None and (nxt.ent_type_ == "DATE" or nxt.like_num):
                j += 1
            elif t.lower_ == "of" and keys == [] and doc[j - 1].like_num:
                j += 1
            elif t.lower_ in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine") and nxt is not None and nxt.lower_ == "of":
                j += 2
            else:
                break
        return keys

    def owner_of_phrase(self, tok: Token, classes, si: int, exclude: set[str]) -> Arg:
        """Climb to the nearest noun phrase with an owner: "its radar, built with contributions from X"."""
        v = tok
        for _ in range(6):
            if v.head.i == v.i:
                break
            v = v.head
            for c in v.children:
                if c.dep_ == "poss":
                    a = self.resolve(c, classes, exclude, si)
                    if a.keys:
                        return a
            if v.dep_ == "conj":
                for c in v.head.children:
                    if c.dep_ == "poss":
                        a = self.resolve(c, classes, exclude, si)
                        if a.keys:
                            return a
        return NOTHING

    def slot(self, specs: tuple[str, ...], tok: Token, classes, si: int, exclude=()) -> Arg:
        for spec in specs:
            a = self.role(spec, tok, classes, si, exclude)
            if a.keys:
                return a
        return NOTHING

    # ------------------------------------------------------------ negation
    def negated(self, tok: Token) -> bool:
        v = tok
        for _ in range(8):
            for c in v.children:
                if c.dep_ == "neg" or c.lower_ in ("never", "not", "n't"):
                    return True
                if c.dep_ in SUBJ_DEPS and any(d.lower_ in ("no", "neither") for d in c.children):
                    return True
                if c.dep_ in SUBJ_DEPS and c.lower_ in ("nothing", "none", "neither"):
                    return True
            if v.dep_ in ("xcomp", "acomp", "prep", "pobj", "dobj", "pcomp", "amod", "compound", "aux", "advcl",
                          "attr", "oprd") and v.head.i != v.i:
                v = v.head
                continue
            break
        words = [t.lower_ for t in tok.doc[max(self.sent_start(tok), tok.i - 4):tok.i]]
        text = " ".join(words)
        return any(re.search(rf"\b{re.escape(w)}\b", text) for w in self.ex.lex.get("negation_before", []))

    # ================================================================== rules
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
            self.rule_moons(si, sent)
            self.rule_joint(si, sent)
            self.rule_list_items(si, sent)
            self.rule_launch_dates(si, sent)
            subj = [k for span, k in self.spans_in[si] if span.root.dep_ in SUBJ_DEPS]
            st.subjects = list(dict.fromkeys(subj + self.main_subject(si, sent) + st.implicit))
        return self.found

    def main_subject(self, si: int, sent: Span) -> list[str]:
        """The resolved subject of the sentence's main verb ("It was launched..." -> the mission)."""
        root = sent.root
        subs = [c for c in root.children if c.dep_ in SUBJ_DEPS]
        if not subs or self.key(subs[0]):
            return []
        return self.resolve(subs[0], None, si=si).keys

    # ------------------------------------------------------------ triggers
    def effective_pos(self, tok: Token) -> str:
        """The part of speech, correcting verbs the tagger took for nouns: "It will first land among...",
        "the first craft to land on...", "NASA's Juno orbits Jupiter." (a sentence with no verb)."""
        pos = tok.pos_ if tok.pos_ != "AUX" else "VERB"
        if pos not in ("NOUN", "PROPN", "ADJ"):
            return pos
        if any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "neg") for c in tok.children):
            return "VERB"
        if tok.i > 0 and tok.doc[tok.i - 1].lower_ == "to" and tok.tag_ in ("NN", "VB"):
            return "VERB"
        if tok.dep_ == "ROOT" and tok.tag_ == "NNS" and self._verbless_root(tok):
            return "VERB"
        return pos

    def _verbless_root(self, tok: Token) -> bool:
        sent = self.sents[self.sent_of[tok.i]]
        if any(t.pos_ in ("VERB", "AUX") for t in sent):
            return False
        left = [c for c in tok.lefts if self.in_mention(c)]
        right = [c for c in tok.rights if self.in_mention(c)]
        return bool(left and right)

    def trigger_matches(self, tok: Token) -> list[Trigger]:
        cands = self.ex.by_lemma.get(tok.lemma_.lower(), []) + self.ex.by_lemma.get(tok.lower_, [])
        out = []
        pos = self.effective_pos(tok)
        for t in dict.fromkeys(id(x) for x in cands):
            trig = next(x for x in cands if id(x) == t)
            if pos in trig.pos:
                out.append(trig)
        return out

    def rule_triggers(self, si: int, sent: Span) -> None:
        by_lemma = self.ex.by_lemma
        for i in range(sent.start, sent.end):
            if self.lemma[i] not in by_lemma and self.lower[i] not in by_lemma:
                continue
            tok = self.doc[i]
            for trig in self.trigger_matches(tok):
                if not self.trigger_ok(trig, tok):
                    continue
                if self.negated(tok):
                    continue
                self.apply_trigger(trig, tok, si)

    def trigger_ok(self, trig: Trigger, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        kids = {c.lower_ for c in tok.children}
        needs = trig.needs.get(lemma)
        if needs and not kids & needs:
            return False
        if trig.name == "flyby-noun" and lemma in ("by", "bys"):
            prev = tok.doc[tok.i - 2] if tok.i >= 2 else None
            return bool(prev is not None and prev.lower_ in ("swing", "fly") and tok.doc[tok.i - 1].text == "-")
        if trig.name == "flyby-noun" and lemma == "assist" and not kids & {"from", "of"} and not self.modifier_names(tok):
            return False
        if trig.name == "contribute" and lemma in ("build", "carry", "join") and not self._contribution_object(tok):
            return False
        if trig.name == "operated-by" and lemma in ("build", "launch", "select", "end", "extend", "plan", "approve", "develop", "fly"):
            return not self.is_passive(tok) and self._agency_subject(tok)
        if trig.name == "carry-part" and lemma == "carry" and self._contribution_object(tok):
            return False
        if trig.name == "partner" and tok.dep_ in SUBJ_DEPS:
            return False  # "Each partner owns its modules" says nothing about who is a partner of what
        if trig.name == "carry-from" and not self.prep_objects(tok, {"from"}):
            return False
        return True

    def _agency_subject(self, tok: Token) -> bool:
        subj, _ = self.clause_subject(tok)
        if subj is None:
            return False
        k = self.in_mention(subj)
        return bool(k and self.onto.is_a(self.cls[k], frozenset({"Organization"})))

    def _contribution_object(self, tok: Token) -> bool:
        """Generic hardware as object ("supplied instruments", "a robotic arm"), not a named craft."""
        objs = [c for c in tok.children if c.dep_ == "dobj"]
        craft = self.ex.craft_nouns | {"station"}
        return bool(objs) and not any(self.in_mention(o) or o.lemma_.lower() in craft or o.pos_ == "PRON" for o in objs)

    def rel_classes(self, trig: Trigger, side: str) -> frozenset[str]:
        out: set[str] = set()
        for r in trig.relations:
            rel = self.onto.relations[r]
            out |= rel.domain if side == "subject" else rel.range
            if rel.symmetric:
                out |= rel.domain | rel.range
        return frozenset(out)

    def apply_trigger(self, trig: Trigger, tok: Token, si: int) -> None:
        dom = self.rel_classes(trig, "subject")
        rng = self.rel_classes(trig, "object")
        subj = self.slot(trig.subject, tok, dom, si)
        if subj.how in ("topic", "list"):
            self.states[si].implicit += subj.keys
        obj = self.slot(trig.object, tok, rng, si, exclude=subj.keys)
        rule = f"{trig.name}:{tok.lemma_.lower()}"
        if "collaboratesWith" in trig.relations:
            self.collaborations(trig, tok, si, subj, obj, rule)
            return
        if not obj.keys and "list" in trig.object and subj.keys:
            self.add_pending(si, tok, (trig, subj, "object", rule))
            return
        if not subj.keys and "list" in trig.subject and obj.keys:
            self.add_pending(si, tok, (trig, obj, "subject", rule))
            return
        conf = min(subj.confidence, obj.confidence) if subj.keys and obj.keys else 0
        for s in subj.keys:
            for o in obj.keys:
                for rel in trig.relations:
                    self.emit(s, rel, o, si, rule, conf)
        self.co_operators(obj.keys if "operatedBy" in trig.relations else [], subj.keys, si, rule)

    def add_pending(self, si: int, tok: Token, frame: tuple) -> None:
        """A frame waiting for the items of the list this sentence introduces; the trigger nearest
        the colon owns the list ("Before it can enter orbit, it makes nine flybys:")."""
        st = self.states[si]
        anchor = self.list_anchor(si)
        if anchor is not None:
            # "visit the Trojan asteroids that share Jupiter's orbit:": the list is of asteroids
            if anchor.i != tok.i and not any(t.i == anchor.i for t in tok.subtree):
                return
            depth = len(list(tok.subtree))
            if st.pending_at is not None and st.pending_at < depth:
                return
            st.pending = [p for p in st.pending if p[0] in ("moons", "modifier")]
            st.pending_at = depth
            st.pending.append(frame)
            return
        if st.pending_at is not None and st.pending_at > tok.i:
            return
        if st.pending_at is not None and st.pending_at < tok.i:
            st.pending = [p for p in st.pending if p[0] in ("moons", "modifier")]
        st.pending_at = tok.i
        st.pending.append(frame)

    def list_anchor(self, si: int) -> Token | None:
        """The plural noun a colon intro announces its items with ("nine flybys:", "two asteroids:")."""
        toks = [t for t in self.sents[si] if not t.is_space and t.text != ":"]
        for t in reversed(toks):
            if t.tag_ in ("NNS", "NNPS") and not self.key(t):
                return t
            if t.pos_ == "VERB" and t.dep_ != "relcl" and t.head.tag_ not in ("NNS", "NNPS"):
                return None
        return None

    def co_operators(self, operators: list[str], crafts: list[str], si: int, rule: str) -> None:
        """"run by five space agencies: NASA, Roscosmos, ...": operators named together work together."""
        orgs = [o for o in dict.fromkeys(operators) if self.onto.is_a(self.cls[o], frozenset({"Organization"}))]
        if len(orgs) < 2 or not crafts:
            return
        for i, a in enumerate(orgs):
            for b in orgs[i + 1:]:
                self.emit(a, "collaboratesWith", b, si, rule + ":co-operators", 0.75)

    def collaborations(self, trig, tok, si, subj: Arg, obj: Arg, rule: str) -> None:
        actors = frozenset({"Organization", "Country"})
        agents = list(subj.keys)
        if tok.pos_ == "NOUN" and len(agents) < 2:
            # "It was a cooperative project between A and B": the project is not a partner
            agents = [a for a in agents if self.onto.is_a(self.cls[a], actors)]
        partners = list(obj.keys)
        between = self.prep_objects(tok, {"between"})
        for b in between:
            ks = [self.key(t) for t in b.subtree if self.key(t)]
            ks = [k for k in dict.fromkeys(ks) if self.onto.allows("collaboratesWith", self.cls[k], self.cls[k])]
            agents += ks
        conf = 0.85
        group = list(dict.fromkeys(agents))
        if partners:
            for a in group:
                for p in partners:
                    self.emit(a, "collaboratesWith", p, si, rule, conf)
        elif len(group) >= 2:
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    self.emit(a, "collaboratesWith", b, si, rule, conf)
        # "partnership with NASA on Artemis": the partners take part in the endeavour;
        # "ISRO and JAXA are working together on LUPEX, a joint mission": they run it
        endeavours = frozenset({"SpaceEndeavour"})
        on = self.slot(("on",), tok, endeavours, si)
        joint = any(c.lower_ in ("together", "jointly") for c in tok.children) or any(
            t.lower_ in self.ex.joint_words for t in self.sents[self.sent_of[tok.i]])
        for a in (group + partners if joint else group):
            for e in on.keys:
                if joint and len(group) >= 2:
                    self.emit(e, "operatedBy", a, si, rule + ":joint", 0.75)
                else:
                    self.emit(a, "participatesIn", e, si, rule, 0.75)
        # "MBRSC built the spacecraft in partnership with three universities": partners take part in it
        if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.head.pos_ == "VERB" and partners:
            verb = tok.head.head
            deps = ("nsubjpass",) if self.is_passive(verb) else ("dobj",)
            built = [self.resolve(c, endeavours, si=si) for c in verb.children if c.dep_ in deps]
            for arg in built:
                for e in arg.keys:
                    for p in partners:
                        self.emit(p, "participatesIn", e, si, rule + ":partners", 0.7)
                    # "ExoMars, led by ESA, was run in partnership with Roscosmos": ESA and Roscosmos collaborate
                    for f in [f for f in self.found if f.sentence == si and f.subject == e and f.relation == "operatedBy"]:
                        for p in partners:
                            self.emit(f.object, "collaboratesWith", p, si, rule + ":operator", 0.7)

    # ------------------------------------------------------------ possessives
    def rule_possessives(self, si: int, sent: Span) -> None:
        for tok in self.candidates(sent, {"poss"}, "dep"):
            head = tok.head
            targets = []
            for t in self.expand(head):
                k = self.in_mention(t)
                if k:
                    targets.append((k, t))
            # "Project Mercury, NASA's first programme" / "Mars Express was ESA's first mission"
            if not targets and head.dep_ == "appos" and self.in_mention(head.head):
                targets.append((self.in_mention(head.head), head.head))
            if not targets and head.dep_ == "attr":
                subs = [c for c in head.head.children if c.dep_ in SUBJ_DEPS]
                if subs and self.in_mention(subs[0]):
                    targets.append((self.in_mention(subs[0]), subs[0]))
            if not targets:
                continue
            owner = self.resolve(tok, None, {k for k, _ in targets}, si=si)
            if not owner.keys:
                continue
            for o in owner.keys:
                for k, t in targets:
                    if o == k:
                        continue
                    ocls, kcls = self.cls[o], self.cls[k]
                    if self.onto.allows("operatedBy", kcls, ocls):
                        self.emit(k, "operatedBy", o, si, "possessive", 0.9 * owner.confidence / 0.9)
                    elif kcls == "Moon" and self.onto.allows("moonOf", kcls, ocls):
                        self.emit(k, "moonOf", o, si, "possessive-moon", 0.85)
                    elif self.onto.allows("partOf", kcls, ocls) and self._component_noun(head, t):
                        self.emit(k, "partOf", o, si, "possessive-part", 0.8 * owner.confidence / 0.9)

    def _component_noun(self, head: Token, name_tok: Token) -> bool:
        nouns = self.ex.craft_nouns
        if head.lemma_.lower() in nouns or head.lower_ in nouns:
            return True
        return any(c.lemma_.lower() in nouns for c in name_tok.head.children) or name_tok.head.lemma_.lower() in nouns

    # ------------------------------------------------------------ modifiers: "a NASA mission", "the NASA orbiter"
    def rule_modifiers(self, si: int, sent: Span) -> None:
        nouns = self.ex.craft_nouns
        for tok in self.candidates(sent, nouns | {n + "s" for n in nouns}):
            low = tok.lemma_.lower()
            owners = [self.key(c) for c in tok.children if c.dep_ in ("compound", "nmod", "amod") and self.key(c)]
            owners = [o for o in owners if self.onto.is_a(self.cls[o], frozenset({"Organization", "Program"}))]
            if not owners:
                continue
            # the craft the noun describes: itself a name, its apposition/list, or the copula subject
            crafts = []
            k = self.key(tok)
            if k and k not in owners:
                crafts.append(k)
            for c in tok.children:
                if c.dep_ in ("appos",):
                    crafts += [self.in_mention(t) for t in self.expand(c) if self.in_mention(t)]
            if tok.dep_ in ("attr",):
                subj, _ = self.clause_subject(tok)
                if subj is not None:
                    crafts += self.resolve(subj, frozenset({"Mission", "Program", "SpaceStation"}), owners, si).keys
            if tok.dep_ == "appos":
                crafts += [self.in_mention(t) for t in self.expand(tok.head) if self.in_mention(t)]
            if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "ROOT") and not crafts:
                nxt = [t for t in tok.doc[tok.i + 1: min(self.sent_end(tok), tok.i + 3)]]
                if nxt and nxt[0].text in (",", ":"):
                    crafts += [self.in_mention(t) for t in tok.doc[tok.i + 1: self.sent_end(tok)] if self.in_mention(t)
                               and self.cls[self.in_mention(t)] == "Mission"][:3]
            if not crafts and self.states[si].ends_with_colon:
                self.states[si].pending.append(("modifier", owners, tok))
            for c in dict.fromkeys(x for x in crafts if x):
                for o in owners:
                    rel = "operatedBy" if self.onto.is_a(self.cls[o], frozenset({"Organization"})) else "partOf"
                    self.emit(c, rel, o, si, f"modifier:{low}", 0.8)

    # ------------------------------------------------------------ moons
    def rule_moons(self, si: int, sent: Span) -> None:
        bodies = frozenset({"Planet", "DwarfPlanet"})
        for tok in self.candidates(sent, self.ex.moon_nouns):
            planet = []
            for c in tok.children:
                if c.dep_ == "poss":
                    planet = self.resolve(c, bodies, si=si).keys
                elif c.dep_ == "prep" and c.lower_ == "of":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            planet = self.resolve(g, bodies, si=si).keys
            if not planet:
                continue
            moons = self.moons_near(tok, sent)
            if not moons and self.states[si].ends_with_colon:
                self.states[si].pending.append(("moons", planet, tok))
            for m in moons:
                for p in planet:
                    self.emit(m, "moonOf", p, si, "moon-phrase", 0.85)

    def moons_near(self, tok: Token, sent: Span) -> list[str]:
        """Moon names in apposition with a "moon(s)" phrase, left or right, through commas and lists."""
        allowed = {",", "and", "or", "the", "a", "an", "of", "one", "two", "three", "four", "five", "largest",
                   "smaller", "larger", "smallest", "outermost", "innermost", "biggest", "icy", "small", "tiny",
                   "large", "four", "'s", "’s", "-", "other", "famous", "ocean", "major", "main", "known"}
        np_start = min(t.i for t in tok.subtree)
        np_end = max(t.i for t in tok.subtree) + 1
        ks = []
        # left: "Titan, Saturn's largest moon" / "Io, Europa, Ganymede and Callisto, the four largest moons"
        i = np_start - 1
        while i >= sent.start:
            t = tok.doc[i]
            k = self.key(t)
            if k:
                if self.cls[k] == "Moon":
                    ks.append(k)
                elif self.cls[k] not in ("Planet", "DwarfPlanet"):
                    break
            elif t.lower_ not in allowed and not t.is_space:
                break
            i -= 1
        # right: "Jupiter's four large moons, Io, Europa, Ganymede and Callisto"
        i = tok.i + 1
        while i < sent.end:
            t = tok.doc[i]
            k = self.key(t)
            if k:
                if self.cls[k] == "Moon":
                    ks.append(k)
                elif i >= np_end:
                    break
            elif t.lower_ not in allowed and not t.is_space and i >= np_end:
                break
            i += 1
        # copula: "Titan is Saturn's largest moon"
        if tok.dep_ == "attr":
            subj, _ = self.clause_subject(tok)
            if subj is not None:
                ks += [k for k in self.resolve(subj, frozenset({"Moon"})).keys]
        # "a tiny moon orbiting Ida" has no planet; "Dactyl, a tiny moon" handled on the left
        return list(dict.fromkeys(ks))

    # ------------------------------------------------------------ joint missions
    def rule_joint(self, si: int, sent: Span) -> None:
        """"a joint mission of ESA and JAXA", "the joint ESA-JAXA mission": each owner operates it, and they collaborate."""
        for tok in self.candidates(sent, self.ex.joint_words):
            head = tok.head if tok.dep_ in ("amod", "advmod", "compound") else tok
            owners = []
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in ("of", "by"):
                    owners += [self.key(t) for t in c.subtree if self.key(t)]
                if c.dep_ in ("compound", "nmod", "amod") and self.key(c):
                    owners.append(self.key(c))
            # "ESA-JAXA" often parses as separate modifiers within the phrase
            owners += [self.key(t) for t in tok.doc[tok.i + 1: head.i] if self.key(t)]
            owners = [o for o in dict.fromkeys(owners) if self.onto.is_a(self.cls[o], frozenset({"Organization", "Country"}))]
            if len(owners) < 2:
                continue
            for i, a in enumerate(owners):
                for b in owners[i + 1:]:
                    self.emit(a, "collaboratesWith", b, si, "joint", 0.85)
            crafts = []
            if head.dep_ in ("attr",):
                subj, _ = self.clause_subject(head)
                if subj is not None:
                    crafts = self.resolve(subj, frozenset({"SpaceEndeavour"}), owners, si).keys
            elif head.dep_ == "appos":
                crafts = [self.in_mention(t) for t in self.expand(head.head) if self.in_mention(t)]
            for c in crafts:
                for o in owners:
                    self.emit(c, "operatedBy", o, si, "joint", 0.85)

    # ------------------------------------------------------------ lists
    def rule_list_items(self, si: int, sent: Span) -> None:
        """A fragment item of a list completes the frames its colon intro left open."""
        st = self.states[si]
        if not st.list_item or not st.fragment:
            return
        intro = None
        for prev in reversed(self.states[:si]):
            if prev.ends_with_colon:
                intro = prev
                break
            if not prev.list_item:
                break
        if intro is None or not intro.pending:
            return
        names = [(span, k) for span, k in self.spans_in[si]
                 if not (span.end < len(self.doc) and self.doc[span.end].text in ("'s", "’s"))]
        for item in intro.pending:
            if item[0] == "moons":
                _, planet, _tok = item
                for span, k in names:
                    if self.cls[k] == "Moon":
                        for p in planet:
                            self.emit(k, "moonOf", p, si, "moon-list", 0.75)
                continue
            if item[0] == "modifier":
                _, owners, _tok = item
                for span, k in names[:1]:
                    for o in owners:
                        rel = "operatedBy" if self.onto.is_a(self.cls[o], frozenset({"Organization"})) else "partOf"
                        self.emit(k, rel, o, si, "modifier-list", 0.7)
                continue
            trig, known, missing_side, rule = item
            for span, k in names:
                for rel in trig.relations:
                    if missing_side == "object":
                        for s in known.keys:
                            self.emit(s, rel, k, si, rule + ":list", 0.7)
                    else:
                        for o in known.keys:
                            self.emit(k, rel, o, si, rule + ":list", 0.7)

    # ------------------------------------------------------------ launch dates
    def rule_launch_dates(self, si: int, sent: Span) -> None:
        lemmas, phrases, firsts = self.ex.launch_cues
        text_low = None
        for i in range(sent.start, sent.end):
            if self.lemma[i] not in lemmas and self.lower[i] not in firsts:
                continue
            tok = self.doc[i]
            lemma = self.lemma[i]
            if text_low is None:
                text_low = sent.text.lower()
            at = tok.idx - sent.start_char
            phrase_hit = any(p.split()[0] == tok.lower_ and text_low.startswith(p, at) for p in phrases)
            if not (phrase_hit or (lemma in lemmas and tok.pos_ == "VERB")):
                continue
            if lemma == "lift" and "off" not in {c.lower_ for c in tok.children}:
                continue
            if lemma == "follow" and not (tok.dep_ == "conj" and tok.head.lemma_.lower() in lemmas - {"follow"}):
                continue
            if self.negated(tok):
                continue
            date = self.date_in_clause(tok)
            if not date:
                continue
            who = self.slot(("patient", "agent") if self.is_passive(tok) else ("agent", "patient"), tok,
                            frozenset({"Mission"}), si)
            if lemma == "launch" and not self.is_passive(tok) and who.keys and self._agency_subject(tok):
                who = self.role("patient", tok, frozenset({"Mission"}), si)
            for k in who.keys:
                if self.cls.get(k) == "Mission":
                    self.found.append(Found(k, "launchDate", date, si, f"launch-date:{lemma}", who.confidence, True))

    def date_in_clause(self, tok: Token) -> str | None:
        """A date in the verb's own phrases (not in a conjoined clause)."""
        parts = []
        for c in tok.children:
            if c.dep_ in ("prep", "npadvmod", "advmod", "advcl", "xcomp") and not c.dep_ == "conj":
                parts.append(c)
        for p in parts:
            sub = sorted(p.subtree, key=lambda t: t.i)
            if any(t.dep_ == "conj" and t.pos_ == "VERB" for t in sub):
                continue
            text = tok.doc[sub[0].i: sub[-1].i + 1].text
            d = parse_date(text)
            if d:
                return d
        return None
