"""The corpus-level merge: per-document results in, one graph out.

Each document's extraction result is first reduced to a :class:`DocDigest` (what the merge needs:
metadata, local entities, mention surfaces, facts with their evidence; no text), so a corpus of
tens of thousands of notes fits in memory and digests can be cached and sent between processes.
:func:`assemble` merges the digests into canonical entities (:mod:`kg.canonical`), facts with
evidence, and the graph (:mod:`kg.graph`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from . import canonical
from . import ontology as ontology_mod
from .canonical import LocalEntity
from .graph import DEFAULT_BASE, build_graph
from .model import Document, Evidence, Fact, Found, record

if TYPE_CHECKING:
    from .pipeline import DocResult


def _evidence(r: "DocResult", f: Found, spans: dict[str, list[tuple[int, int]]]) -> Evidence:
    """The evidence of one fact; ``spans`` are the document's mention spans by entity key, in text order."""
    doc = r.document
    start, end = r.sentences[f.sentence]
    text = doc.text[start:end]
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    start, end = start + lead, start + lead + len(stripped)
    src_start, src_end = doc.source_span(start, end)
    # the video moment is the anchor after the fact's own words: its object, else the sentence
    focus = next((e for s, e in spans.get(f.subject if f.literal else f.object, ()) if start <= s < end), end)
    ts = doc.timestamp_at(start, focus)
    return Evidence(
        doc_id=doc.id,
        sentence=" ".join(stripped.split()),
        start=src_start,
        end=src_end,
        rule=f.rule,
        confidence=f.confidence,
        timestamp=ts.seconds if ts and doc.meta.get("videoId") else None,
        timestamp_url=doc.timestamp_url(ts),
    )


@dataclass(slots=True)
class DocDigest:
    """What the corpus-level merge needs from one document, and nothing more: its metadata (no
    text), its local entities, each mention's surface form, and each relation with its evidence.

    A :class:`DocResult` holds the text, its offset map and every mention; the digest of a
    typical note is a fraction of that, so a corpus of tens of thousands of notes fits in memory.
    """

    document: Document
    entities: list[LocalEntity]
    surfaces: list[tuple[str, str]]  # (local entity key, mention text), in text order
    facts: list[tuple[Found, Evidence]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for the cache and for results coming back from worker processes."""
        return {
            "document": self.document.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "surfaces": self.surfaces,
            "facts": [(record(f), record(e)) for f, e in self.facts],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DocDigest":
        return cls(
            document=Document.from_dict(d["document"]),
            entities=[LocalEntity.from_dict(e) for e in d["entities"]],
            surfaces=[(k, t) for k, t in d["surfaces"]],
            facts=[(Found(**f), Evidence(**e)) for f, e in d["facts"]],
        )


def digest(r: "DocResult") -> DocDigest:
    """The :class:`DocDigest` of one document's extraction result."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m, k in zip(r.mentions, r.mention_keys):
        spans[k].append((m.start, m.end))
    doc = replace(r.document, text="", offsets=[], links=[], timestamps=[], blocks=[])
    return DocDigest(doc, r.entities, [(k, m.text) for m, k in zip(r.mentions, r.mention_keys)],
                     [(f, _evidence(r, f, spans)) for f in r.found])


def assemble(results: "list[DocResult | DocDigest]", ontology_dir: Path | None = None, base: str = DEFAULT_BASE,
             reference_facts: bool = False, min_confidence: float = 0.0) -> nx.MultiDiGraph:
    """Merge per-document results into canonical entities, facts and the graph.

    With ``reference_facts``, gazetteer knowledge between entities the notes mention
    ("Ganymede moonOf Jupiter") is added too, marked as reference data and never
    replacing a fact the text states.  Evidence below ``min_confidence`` is left out, and so
    is a fact left with none.
    """
    onto = ontology_mod.load(ontology_dir)
    results = [r if isinstance(r, DocDigest) else digest(r) for r in results]
    per_doc = {r.document.id: r.entities for r in results}
    entities, mapping = canonical.merge(per_doc, onto)
    classes = {e.key: e.cls for e in entities}
    facts: dict[tuple[str, str, str], Fact] = {}
    mentions: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in results:
        d = r.document.id
        for k, text in r.surfaces:
            mentions[(d, mapping[(d, k)])].append(text)
        seen: set[tuple[str, str, str, int]] = set()
        for f, evidence in r.facts:
            s = mapping[(d, f.subject)]
            o = f.object if f.literal else mapping[(d, f.object)]
            if not f.literal and onto.relations[f.relation].symmetric and o < s:
                s, o = o, s
            if (s, f.relation, o, f.sentence) in seen or evidence.confidence < min_confidence:
                continue
            if not onto.allows(f.relation, classes[s], None if f.literal else classes[o]):
                continue  # merging may settle an entity on another class: domain and range hold globally too
            seen.add((s, f.relation, o, f.sentence))
            fact = facts.setdefault((s, f.relation, o), Fact(s, f.relation, o, literal=f.literal))
            fact.evidence.append(evidence)
    if reference_facts:
        _add_reference_facts(onto, entities, facts)
    return build_graph([r.document for r in results], entities, facts.values(), dict(mentions), base=base,
                       ontology=ontology_mod.directory_of(onto))


def _add_reference_facts(onto, entities: list, facts: dict) -> None:
    by_gaz = {e.gazetteer_id: e for e in entities if e.gazetteer_id}
    stated = {(s, rel) for s, rel, _ in facts if onto.relations[rel].literal}
    for e in entities:
        if not e.gazetteer_id:
            continue
        for rel, target_id in onto.gazetteer_by_id[e.gazetteer_id].facts:
            if onto.relations[rel].literal:  # a value: kept unless the text states one
                if onto.allows(rel, e.cls) and (e.key, rel) not in stated:
                    facts.setdefault((e.key, rel, target_id), Fact(e.key, rel, target_id, literal=True, reference=True))
                continue
            target = by_gaz.get(target_id)
            if target is None or (e.key, rel, target.key) in facts or not onto.allows(rel, e.cls, target.cls):
                continue
            s, o = (e.key, target.key)
            if onto.relations[rel].symmetric and o < s:
                s, o = o, s
            facts.setdefault((s, rel, o), Fact(s, rel, o, reference=True))
