"""Loads the data under ``ontology/``: the OWL ontology, the gazetteer, relation triggers, merge rules.

Nothing here is hard-coded knowledge: classes, domains and ranges come from
``kg.ttl``; names, aliases and Wikidata ids from ``gazetteer/*.jsonl``;
trigger words from ``relations.yaml``; merge traps from ``never_merge.txt``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from .errors import OntologyError

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
KG = Namespace("https://w3id.org/kg-space/ontology#")
#: Files under ontology/ that only exporters and validation read; editing them keeps the extraction cache.
EXPORT_ONLY = frozenset({"shapes.ttl", "style.json"})


@dataclass(frozen=True)
class Relation:
    name: str
    label: str
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool
    literal: bool = False


@dataclass(frozen=True)
class GazetteerEntry:
    id: str
    name: str
    cls: str
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    ambiguous: bool = False  # the name is also an ordinary word or another thing's name
    lowercase_ok: bool = False  # may also match in lower case (e.g. "the moon")
    also: tuple[str, ...] = ()  # classes the name takes where the context says so (Janus the moon, the probes)
    facts: tuple[tuple[str, str], ...] = ()  # reference knowledge: (relation, gazetteer id), used only on request

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Series:
    """A family whose numbered members are named ``<prefix> <number>`` (Apollo 11, Titan IVB, Chang'e 6)."""

    prefix: str
    cls: str
    numbering: str  # arabic | roman | any
    parent: str | None = None  # gazetteer id of the programme, if any


@dataclass
class Ontology:
    directory: Path = ONTOLOGY_DIR
    _graph: Graph | None = field(default=None, repr=False)

    # ------------------------------------------------------------ OWL
    @property
    def graph(self) -> Graph:
        if self._graph is None:
            path = self.directory / "kg.ttl"
            try:
                self._graph = Graph().parse(path, format="turtle")
            except FileNotFoundError as exc:
                raise OntologyError(f"{path}: ontology file missing") from exc
            except Exception as exc:  # rdflib raises several parser errors
                raise OntologyError(f"{path}: cannot parse the ontology: {exc}") from exc
        return self._graph

    def _local(self, term: URIRef) -> str:
        return str(term).rsplit("#", 1)[-1]

    @cached_property
    def superclasses(self) -> dict[str, tuple[str, ...]]:
        """Each class with its chain of superclasses (itself first)."""
        g = self.graph
        direct: dict[str, str | None] = {}
        for c in g.subjects(RDF.type, OWL.Class):
            if isinstance(c, URIRef) and str(c).startswith(str(KG)):
                sup = next((s for s in g.objects(c, RDFS.subClassOf) if str(s).startswith(str(KG))), None)
                direct[self._local(c)] = self._local(sup) if sup is not None else None
        chains: dict[str, tuple[str, ...]] = {}
        for c in direct:
            chain, cur = [c], direct[c]
            while cur is not None and cur not in chain:
                chain.append(cur)
                cur = direct.get(cur)
            chains[c] = tuple(chain)
        return chains

    @cached_property
    def entity_classes(self) -> list[str]:
        """The most specific entity classes an entity can be typed with."""
        parents = {p for chain in self.superclasses.values() for p in chain[1:]}
        abstract = {"Entity", "CelestialBody", "SpaceEndeavour", "Document", "Statement"}
        leaves = [c for c in self.superclasses if c not in abstract and (c not in parents or c == "Organization")]
        return sorted(leaves)

    def is_a(self, cls: str, allowed: frozenset[str]) -> bool:
        return any(c in allowed for c in self.superclasses.get(cls, (cls,)))

    def _class_set(self, node: Any) -> frozenset[str]:
        g = self.graph
        union = g.value(node, OWL.unionOf)
        if union is not None:
            return frozenset(self._local(m) for m in Collection(g, union))
        return frozenset([self._local(node)])

    @cached_property
    def relations(self) -> dict[str, Relation]:
        g = self.graph
        out: dict[str, Relation] = {}
        for kind, literal in ((OWL.ObjectProperty, False), (OWL.DatatypeProperty, True)):
            for p in g.subjects(RDF.type, kind):
                name = self._local(p)
                dom = g.value(p, RDFS.domain)
                rng = g.value(p, RDFS.range)
                if literal and dom is None:
                    continue
                out[name] = Relation(
                    name=name,
                    label=str(g.value(p, RDFS.label) or name),
                    domain=self._class_set(dom) if dom is not None else frozenset(),
                    range=self._class_set(rng) if (rng is not None and not literal) else frozenset(),
                    symmetric=(p, RDF.type, OWL.SymmetricProperty) in g,
                    literal=literal,
                )
        return dict(sorted(out.items()))

    def allows(self, relation: str, subj_cls: str, obj_cls: str | None = None) -> bool:
        """Domain/range check; for a symmetric relation either direction fits."""
        rel = self.relations.get(relation)
        if rel is None:
            return False
        if rel.literal:
            return self.is_a(subj_cls, rel.domain)
        ok = self.is_a(subj_cls, rel.domain) and obj_cls is not None and self.is_a(obj_cls, rel.range)
        if not ok and rel.symmetric and obj_cls is not None:
            ok = self.is_a(obj_cls, rel.domain) and self.is_a(subj_cls, rel.range)
        return ok

    @cached_property
    def _between(self) -> dict[tuple[str, str], tuple[str, ...]]:
        return {}

    def relations_between(self, subj_cls: str, obj_cls: str) -> tuple[str, ...]:
        """The object relations whose domain and range fit (symmetric ones in their stored order
        too), remembered per pair of classes."""
        got = self._between.get((subj_cls, obj_cls))
        if got is None:
            got = self._between[(subj_cls, obj_cls)] = tuple(
                r for r, rel in self.relations.items() if not rel.literal and self.allows(r, subj_cls, obj_cls))
        return got

    # ------------------------------------------------------------ gazetteer
    @cached_property
    def gazetteer(self) -> list[GazetteerEntry]:
        entries: list[GazetteerEntry] = []
        seen: dict[str, Path] = {}
        classes = set(self.entity_classes)
        for path in sorted((self.directory / "gazetteer").glob("*.jsonl")):
            if path.name == "series.jsonl":
                continue
            for lineno, rec in _read_jsonl(path):
                try:
                    entry = GazetteerEntry(
                        id=rec["id"],
                        name=rec["name"],
                        cls=rec["class"],
                        aliases=tuple(rec.get("aliases", ())),
                        qid=rec.get("qid"),
                        ambiguous=bool(rec.get("ambiguous", False)),
                        lowercase_ok=bool(rec.get("lowercase_ok", False)),
                        also=tuple(rec.get("also", ())),
                        facts=tuple((rel, target) for rel, targets in sorted((rec.get("facts") or {}).items())
                                    for target in targets),
                    )
                except KeyError as exc:
                    raise OntologyError(f"{path}:{lineno}: missing field {exc}") from exc
                if entry.cls not in classes or not classes.issuperset(entry.also):
                    bad_cls = next(c for c in (entry.cls, *entry.also) if c not in classes)
                    raise OntologyError(f"{path}:{lineno}: unknown class {bad_cls!r}")
                bad = [rel for rel, _ in entry.facts if rel not in self.relations]
                if bad:
                    raise OntologyError(f"{path}:{lineno}: unknown relation {bad[0]!r} in facts")
                if entry.id in seen:
                    raise OntologyError(f"{path}:{lineno}: duplicate id {entry.id!r} (first in {seen[entry.id]})")
                seen[entry.id] = path
                entries.append(entry)
        return entries

    @cached_property
    def gazetteer_by_id(self) -> dict[str, GazetteerEntry]:
        return {e.id: e for e in self.gazetteer}

    @cached_property
    def series(self) -> list[Series]:
        path = self.directory / "gazetteer" / "series.jsonl"
        if not path.exists():
            return []
        return [
            Series(prefix=r["prefix"], cls=r["class"], numbering=r.get("numbering", "any"), parent=r.get("parent"))
            for _, r in _read_jsonl(path)
        ]

    # ------------------------------------------------------------ rules
    @cached_property
    def lexicon(self) -> dict[str, Any]:
        """Trigger words and cue lists of ``relations.yaml``."""
        path = self.directory / "relations.yaml"
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise OntologyError(f"{path}: relation trigger file missing") from exc
        except yaml.YAMLError as exc:
            raise OntologyError(f"{path}: {exc}") from exc

    @cached_property
    def never_merge(self) -> set[frozenset[str]]:
        """Pairs of names that must stay two entities (``A | B`` per line)."""
        path = self.directory / "never_merge.txt"
        pairs: set[frozenset[str]] = set()
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if "|" in line:
                    a, b = (x.strip().lower() for x in line.split("|", 1))
                    pairs.add(frozenset((a, b)))
        return pairs

    @cached_property
    def schema(self) -> str:
        """A hash of the classes and relations (names, superclasses, domains, ranges, symmetry):
        what a relation model is made for.  Gazetteer, cue and trigger edits leave it unchanged."""
        parts = [json.dumps(sorted(self.superclasses.items()))]
        for r in self.relations.values():
            parts.append(json.dumps([r.name, sorted(r.domain), sorted(r.range), r.symmetric, r.literal]))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]

    @cached_property
    def version(self) -> str:
        """A hash of the files extraction reads (not shapes or styles): part of the extraction cache key."""
        h = hashlib.sha256()
        for path in sorted(self.directory.rglob("*")):
            if path.is_file() and path.name not in EXPORT_ONLY:
                h.update(str(path.relative_to(self.directory)).encode())
                h.update(path.read_bytes())
        return h.hexdigest()[:16]


def _read_jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise OntologyError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from exc


_DEFAULT: Ontology | None = None


def load(directory: Path | None = None) -> Ontology:
    """The ontology under ``directory`` (default: the project's ``ontology/``), cached."""
    global _DEFAULT
    if directory is None or Path(directory).resolve() == ONTOLOGY_DIR:
        if _DEFAULT is None:
            _DEFAULT = Ontology()
        return _DEFAULT
    return Ontology(Path(directory))
