"""The build: documents in, one graph and its exports out.

Per document (independent, so it can be cached and run in parallel):
``Document`` -> spaCy ``Doc`` -> mentions -> local entities -> relations on local keys
(:class:`DocResult`).  Then, over the corpus (:mod:`kg.assemble`): canonical entities, facts
with evidence, the graph; and every exporter (:mod:`kg.outputs`), written to a temporary
folder that replaces the output folder only when all exporters succeeded.
"""
from __future__ import annotations

import contextlib
import copy
import gc
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from . import DEFAULT_MODEL, canonical, ingest
from . import ontology as ontology_mod
from .allocator import steady_heap
from .assemble import DocDigest, assemble
from .cache import ExtractionCache
from .canonical import LocalEntity
from .errors import BuildError, InputError
from .executors import ExtractorSpec, make_executor
from .model import Document, Found, Mention
from .evaluate import counts
from .outputs import write_outputs

if TYPE_CHECKING:
    from spacy.tokens import Doc

PIPELINE_VERSION = "1"


@dataclass
class DocResult:
    """Everything extraction learnt from one document, on document-local entity keys."""

    document: Document
    mentions: list[Mention]
    mention_keys: list[str]
    entities: list[LocalEntity]
    found: list[Found]
    sentences: list[tuple[int, int]]


class Extractor:
    """The per-process extraction machinery: the spaCy model, the rule sets and the relation
    model (a file path, "default" for the one kg ships with, "none" or None for the rules alone),
    built once."""

    def __init__(self, model: str = DEFAULT_MODEL, ontology_dir: Path | str | None = None,
                 relation_model: Path | str | None = "default"):
        # spaCy is imported here, not with this module: a build whose notes all come from the
        # cache, and the commands that only read a graph, never pay for it
        from . import nlp as nlp_mod
        from .entities import EntityExtractor
        from .relations import RelationExtractor
        from .entity_typing import typer_of
        from .relations.learned import choose

        self.ontology = ontology_mod.load(ontology_dir)
        self.nlp = nlp_mod.load(model)
        decider = choose(relation_model, self.ontology)
        self.relations = RelationExtractor(self.ontology, decider)
        # a model trained with --entity-typing also types names of the ontology's classes (kg.entity_typing)
        self.entities = EntityExtractor(self.nlp, self.ontology, typer_of(decider, self.nlp, self.relations.lexicon))

    def with_typer(self, typer: Any) -> Extractor:
        """This extractor with another entity typing (:class:`kg.entity_typing.EntityTyper`, or None)."""
        other = copy.copy(self)
        other.entities = copy.copy(self.entities)
        other.entities.typer = typer
        return other

    def read(self, spacy_doc: Doc, document: Document, begun: Any = None) -> Reading:
        """Everything up to the relation decision: mentions, local entities, the rules' run (``begun``:
        the entity extractor's first reading, see :meth:`process`)."""
        mentions = self.entities.extract(spacy_doc, document, begun)
        local, keys = canonical.link_document(mentions, self.ontology.people_class)
        run, found = self.relations.read(spacy_doc, mentions, keys, document)
        return Reading(document, mentions, keys, local, run, found)

    def extract(self, spacy_doc: Doc, document: Document) -> DocResult:
        return self.decide(self.read(spacy_doc, document))

    def decide(self, reading: Reading, model: Any = ...) -> DocResult:
        """The document's facts: the relation model's decision over the rules' reading
        (``model`` overrides this extractor's model; None: the rules alone)."""
        found = self.relations.decide(reading.run, reading.found, model)
        found = _prefer_specific(found, self.ontology)
        sentences = [(s.start_char, s.end_char) for s in reading.run.sents]
        return DocResult(reading.document, reading.mentions, reading.keys, reading.local, found, sentences)

    def process(self, documents: Iterable[Document], batch_size: int = 32) -> Iterator[DocResult]:
        docs = iter(documents)
        pairs = ((d.text, d) for d in docs)
        # the NER runs on chosen windows by the entity extractor, or not at all (no class of people)
        later = ["ner"] if self.entities.ner is not None or self.entities.people is None else []
        batch: list[tuple[Doc, Document]] = []
        for parsed in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, disable=later):
            batch.append(parsed)
            if len(batch) == batch_size:
                yield from self._extract_batch(batch)
                batch = []
        yield from self._extract_batch(batch)

    def _extract_batch(self, batch: list[tuple[Doc, Document]]) -> Iterator[DocResult]:
        """A batch of parsed documents: the NER reads the stretches that may name people in all of
        them at once (one pass of the model instead of one per document), then each is extracted."""
        begun = [self.entities.begin(spacy_doc) for spacy_doc, _ in batch]
        self.entities.recognise([(spacy_doc, b) for (spacy_doc, _), b in zip(batch, begun)])
        for (spacy_doc, document), b in zip(batch, begun):
            yield self.decide(self.read(spacy_doc, document, b))


@dataclass
class Reading:
    """One parsed document before the relation decision: its mentions and local entities, and the
    rules' run over it (the parse, the discourse state, the rules' facts)."""

    document: Document
    mentions: list[Mention]
    keys: list[str]
    local: list[LocalEntity]
    run: Any
    found: list[Found]


def _prefer_specific(found: list[Found], onto: ontology_mod.Ontology) -> list[Found]:
    """Within one document, the more specific statement of a pair wins, as ``yields_to`` in
    ``relations.yaml`` says: in kg's own, ``targets`` yields to orbits, flyby or landsOn of the
    same pair, and ``participatesIn`` (a partner in something run by another) to ``operatedBy``
    the other way round (``^operatedBy``: the endeavour operated by the partner)."""
    rules = onto.lexicon.get("yields_to") or {}
    if not rules:
        return found
    pairs: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for f in found:
        pairs[f.relation].add((f.subject, f.object))
        pairs["^" + f.relation].add((f.object, f.subject))
    return [f for f in found if not any((f.subject, f.object) in pairs[r] for r in rules.get(f.relation) or ())]


@dataclass
class BuildReport:
    documents: int = 0
    skipped: list[InputError] = field(default_factory=list)
    entities: Counter = field(default_factory=Counter)
    facts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    graph: nx.MultiDiGraph | None = None
    #: Documents taken from the cache and extracted; export units and elements reused and made.
    work: Counter = field(default_factory=Counter)
    #: The relation model that decided the facts, or "rules only".
    relation_model: str = "rules only"


DEFAULT_MAX_CHARS = 1_000_000
#: Documents per task handed to an extraction process (half that with several workers).
BATCH = 32


def extractor_spec(model: str = DEFAULT_MODEL, relation_model: Path | str | None = "default",
                   ontology_dir: Path | None = None) -> tuple[ExtractorSpec, Any]:
    """What the extraction processes load, with the relation model chosen and checked here first
    (a model made for another ontology or kg version fails the build before any note is read)."""
    from .relations.learned import choose

    from .ontology_check import check

    onto = check(ontology_mod.load(ontology_dir))
    decider = choose(relation_model, onto)
    path = str(decider.path.resolve()) if decider is not None and decider.path else None
    return ExtractorSpec(model, path, str(Path(ontology_dir).resolve()) if ontology_dir else None), decider


def extract_corpus(
    paths: Iterable[Path],
    *,
    model: str = DEFAULT_MODEL,
    strict: bool = False,
    on_error: Callable[[InputError], None] | None = None,
    on_document: Callable[[Document], None] | None = None,
    text_fields: tuple[str, ...] = ("answer",),
    max_bytes: int | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    cache_dir: Path | None = None,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    tally: Counter | None = None,
    memory: dict[str, DocDigest] | None = None,
    skip: Iterable[Path] = (),
    relation_model: Path | str | None = "default",
    ontology_dir: Path | None = None,
) -> tuple[list[DocDigest], list[InputError]]:
    """Read and extract every document under ``paths``; bad files are reported and skipped.

    Results come back as :class:`DocDigest` (what :func:`assemble` needs, without the texts),
    sorted by document id, whatever the order of files on disk, the number of jobs or the
    executor.  With ``cache_dir``, unchanged documents are not extracted again; ``tally``, if
    given, counts the documents taken from the cache (``"cached"``) and extracted (``"extracted"``).
    ``memory`` (with ``cache_dir``) is the cache's copy in this process, for a process that builds
    again and again (``kg watch``): digests are looked up there before the disk, and it is left
    holding this build's digests only.  Folders in ``skip`` (the output, when it lies among the
    notes) are not read.  ``relation_model`` is a model file, ``"default"`` (the one kg ships
    with, if made for the ontology) or ``"none"`` (the rules alone); see :func:`extractor_spec`.
    """
    tally = tally if tally is not None else Counter()
    errors: list[InputError] = []
    limit = max_bytes if max_bytes is not None else ingest.DEFAULT_MAX_BYTES
    cache = None
    spec, decider = extractor_spec(model, relation_model, ontology_dir)
    if cache_dir is not None:
        salt = ExtractionCache.salt_for(PIPELINE_VERSION, ontology_mod.load(ontology_dir).version, model,
                                        {"text_fields": list(text_fields), "max_chars": max_chars,
                                         "relation_model": decider.checksum if decider else None})
        cache = ExtractionCache(Path(cache_dir), salt)
    results: list[DocDigest] = []
    # with several workers, smaller batches: the last one leaves the other workers idle for less time
    batch_size = BATCH if jobs == 1 and executor == "local" else BATCH // 2
    keys: dict[str, str] = {}  # document id -> cache key, for the documents extracted in this build
    kept: dict[str, DocDigest] = {}  # cache key -> digest, of every document of this build

    def fail(err: InputError) -> None:
        if strict:
            raise err
        errors.append(err)
        if on_error:
            on_error(err)

    def misses() -> Iterator[list[Document]]:
        batch: list[Document] = []
        for item in ingest.iter_sources([Path(p) for p in paths], skip):
            if isinstance(item, InputError):
                fail(item)
                continue
            path, doc_id = item
            try:
                raw = ingest.read_bytes(path, limit)
                key = cache.key(doc_id, str(path), ingest.content_hash(raw)) if cache else ""
                hit = memory.get(key) if cache and memory is not None else None  # replaced only at the end
                if hit is not None:
                    cache.used.add(key)  # still in use: the disk cache keeps it
                elif cache and (cached := cache.get(key)) is not None:
                    hit = DocDigest.from_dict(cached)
                if hit is not None:  # an unchanged note: not even parsed
                    kept[key] = hit
                    results.append(hit)
                    tally["cached"] += 1
                    if on_document:
                        on_document(hit.document)
                    continue
                doc = ingest.read_document(path, doc_id, raw=raw, text_fields=text_fields)
            except InputError as err:
                fail(err)
                continue
            if len(doc.text) > max_chars:
                fail(InputError(doc.path, f"document has {len(doc.text):,} characters of text, more than the "
                                          f"limit of {max_chars:,} (raise it with --max-doc-chars)"))
                continue
            if on_document:
                on_document(doc)
            keys[doc.id] = key
            batch.append(doc)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    runner = make_executor(executor, spec, jobs, scheduler)
    try:
        for done in runner.map(misses()):
            for d in done:  # a DocDigest from this process, its dict form from another
                r = d if isinstance(d, DocDigest) else DocDigest.from_dict(d)
                tally["extracted"] += 1
                if cache:
                    key = keys.pop(r.document.id)
                    cache.put(key, d if isinstance(d, dict) else r.to_dict())
                    kept[key] = r
                results.append(r)
    finally:
        runner.close()
    if cache:
        cache.prune()
    if memory is not None:
        memory.clear()
        memory.update(kept)
    results.sort(key=lambda r: r.document.id)
    return results, errors


def default_cache_dir(out_dir: Path) -> Path:
    """Where a build into ``out_dir`` keeps its cache unless told: ``.<name>.cache`` beside it."""
    out_dir = Path(out_dir).resolve()
    return out_dir.parent / f".{out_dir.name}.cache"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the graph is merged and exported.

    That phase makes hundreds of thousands of long-lived containers (the graph, its attribute
    dicts, the exporters' element data) and almost no cyclic garbage, and each of the
    collector's passes walks them all again, with the model and the digests: a third of a
    rebuild's time in a resident ``kg watch``.  Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _collector_relaxed(every: int = 50_000) -> Iterator[None]:
    """Python's cycle collector run every ``every`` new containers instead of every 700 while
    documents are extracted.

    Extraction makes next to no cyclic garbage (a few thousand objects over a thousand notes)
    but keeps what it extracted, and the collector's passes walk that again and again: about
    a fortieth of the extraction's time, for nothing.  Reference counting still frees the rest.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(every, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def build(
    paths: Iterable[Path],
    out_dir: Path,
    *,
    formats: Iterable[str] | None = None,
    cache: bool = True,
    cache_dir: Path | None = None,
    reference_facts: bool = False,
    min_confidence: float = 0.0,
    **options: Any,
) -> BuildReport:
    """Build the graph of every document under ``paths`` and write the exports to ``out_dir``.

    ``options`` go to :func:`extract_corpus` (model, relation model, strict, jobs, executor,
    limits...); facts whose evidence is all below ``min_confidence`` are left out of the graph.
    The extraction cache lives beside the output folder (``.<name>.cache``) unless
    ``cache_dir`` says otherwise; ``cache=False`` turns it off.
    """
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    if cache and cache_dir is None:
        cache_dir = default_cache_dir(out_dir)
    work: Counter = Counter()
    # the output folder never feeds the build, even inside the notes (its README.md is kept there)
    with _collector_relaxed(), steady_heap():
        results, errors = extract_corpus(paths, cache_dir=cache_dir if cache else None, tally=work,
                                         skip=[out_dir], **options)
    if not results:
        raise BuildError("no document could be read" + (f" ({len(errors)} skipped)" if errors else ""))
    with _collector_paused():
        G = assemble(results, options.get("ontology_dir"), reference_facts=reference_facts,
                     min_confidence=min_confidence)
        documents = len(results)
        del results  # the graph holds what the exporters need; the texts and mentions can go
        memo_dir = Path(cache_dir) / "exports" if cache else None
        outputs = write_outputs(G, out_dir, formats, jobs=options.get("jobs", 1), memo_dir=memo_dir, tally=work)
    by_cls, by_rel = counts(G)
    _, decider = extractor_spec(options.get("model", DEFAULT_MODEL), options.get("relation_model", "default"),
                                options.get("ontology_dir"))
    return BuildReport(documents, errors, by_cls, by_rel, time.perf_counter() - t0, outputs, G, work,
                       decider.describe() if decider is not None else "rules only")
