"""An ontology folder: the OWL ontology, the gazetteer, relation triggers, entity cues, merge rules.

Nothing here is hard-coded knowledge: classes, domains and ranges come from ``kg.ttl``; names,
aliases and Wikidata ids from ``gazetteer/*.jsonl``; trigger words from ``relations.yaml``;
merge traps from ``never_merge.txt``.  kg's own folder (the top-level ``ontology/`` of the
repository) is installed as the package data ``kg.default_ontology``; ``--ontology DIR`` points
kg at another folder of the same layout (``kg ontology init DIR`` writes a copy to start from).
:mod:`kg.ontology_check` reads every file of a folder and reports what is wrong before a build
starts.
"""
from __future__ import annotations

import hashlib
import importlib.resources
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.collection import Collection

from .errors import OntologyError
from .ontology_files import (GazetteerEntry, Series, _local, data_files, init_folder, parse_turtle, read_gazetteer,
                             read_series, read_yaml)

#: The package kg's own ontology folder is installed as (see pyproject.toml).
DEFAULT_PACKAGE = "kg.default_ontology"
#: kg's namespace: its own classes and properties (documents, evidence statements) live there, and
#: so do the classes and relations of its default ontology.
KG = Namespace("https://w3id.org/kg-space/ontology#")
#: Files under an ontology folder that only exporters and validation read; editing them keeps the extraction cache.
EXPORT_ONLY = frozenset({"shapes.ttl", "style.json"})
#: kg's root class: every entity class is a subclass of ``kg:Entity`` (documents and evidence
#: statements, ``kg:Document`` and ``kg:Statement``, are kg's own records, whatever the ontology).
ROOT_CLASS = "Entity"
#: kg's own datatype properties (the RDF contract of :mod:`kg.rdf`), not relations of the ontology.
KG_PROPERTIES = frozenset({"wikidata", "entityClass", "evidenceText", "startOffset", "endOffset", "timestamp",
                           "timestampUrl", "confidence", "rule", "referenceData"})
#: Edge kinds of the graph that are not ontology relations.
STRUCTURAL_RELATIONS = frozenset({"mentions", "related"})
#: What a class or relation may be called: a name every exporter can carry (a Neo4j label, a JSON key).
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: The datatypes a literal relation may have (its ``rdfs:range``; none: a date or a plain string).
DATATYPES = frozenset(str(XSD[t]) for t in ("string", "date", "gYearMonth", "gYear", "dateTime", "integer",
                                            "decimal", "double", "float", "boolean", "anyURI"))


def _default_directory() -> Path:
    try:
        return Path(str(importlib.resources.files(DEFAULT_PACKAGE)))
    except ModuleNotFoundError:  # kg not installed: reading the folder reports the missing files
        return Path(__file__).resolve().parent / "default_ontology"


#: kg's own ontology folder, as installed.
ONTOLOGY_DIR = _default_directory()


@dataclass(frozen=True)
class Relation:
    name: str
    label: str
    domain: frozenset[str]
    range: frozenset[str]
    symmetric: bool
    literal: bool = False
    iri: str = ""
    #: A literal relation's ``rdfs:range`` (an XSD datatype IRI), if it has one.
    datatype: str | None = None


@dataclass
class Ontology:
    directory: Path = ONTOLOGY_DIR
    _graph: Graph | None = field(default=None, repr=False)

    def file(self, name: str) -> Path:
        return self.directory / name

    def describe(self) -> str:
        """How messages name this ontology."""
        return "kg's own ontology" if self.is_default else f"the ontology in {self.directory}"

    @property
    def is_default(self) -> bool:
        """Whether this is kg's own ontology folder."""
        return Path(self.directory).resolve() == ONTOLOGY_DIR.resolve()

    # ------------------------------------------------------------ OWL
    @property
    def graph(self) -> Graph:
        if self._graph is None:
            self._graph = parse_turtle(self.file("kg.ttl"), "the ontology")
        return self._graph

    def _error(self, problem: str) -> OntologyError:
        return OntologyError(f"{self.file('kg.ttl')}: {problem}")

    @cached_property
    def iri(self) -> str:
        """The IRI of the ``owl:Ontology`` the folder declares (what a built graph conforms to)."""
        found = sorted(str(s) for s in self.graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
        if len(found) != 1:
            raise self._error(f"declares {len(found)} owl:Ontology, expected one (the IRI a built graph conforms to)")
        return found[0]

    @cached_property
    def class_iris(self) -> dict[str, str]:
        """Every declared ``owl:Class`` (an IRI) by local name."""
        out: dict[str, str] = {}
        for c in sorted(self.graph.subjects(RDF.type, OWL.Class), key=str):
            if not isinstance(c, URIRef):
                continue
            name = _local(c)
            if name in out and out[name] != str(c):
                raise self._error(f"two classes are named {name!r} (<{out[name]}> and <{c}>)")
            if not NAME.match(name):
                raise self._error(f"class <{c}>: its name {name!r} must be letters, digits and _, starting with a letter")
            out[name] = str(c)
        return out

    @cached_property
    def superclasses(self) -> dict[str, tuple[str, ...]]:
        """Each class with its chain of superclasses (itself first)."""
        g, iris = self.graph, self.class_iris
        namespaces = {iri[: len(iri) - len(name)] for name, iri in iris.items()}
        declared = {iri: name for name, iri in iris.items()}
        direct: dict[str, str | None] = {}
        for name, iri in iris.items():
            parents = sorted({str(s) for s in g.objects(URIRef(iri), RDFS.subClassOf) if isinstance(s, URIRef)})
            ours = [p for p in parents if p in declared]
            undeclared = [p for p in parents if p not in declared and p[: len(p) - len(_local(p))] in namespaces]
            if undeclared:
                raise self._error(f"class {name!r}: its superclass <{undeclared[0]}> is not declared (a owl:Class)")
            if len(ours) > 1:
                raise self._error(f"class {name!r} has {len(ours)} superclasses; kg follows one")
            direct[name] = declared[ours[0]] if ours else None
        chains: dict[str, tuple[str, ...]] = {}
        for c in direct:
            chain, cur = [c], direct[c]
            while cur is not None:
                if cur in chain:
                    raise self._error(f"class {c!r} is its own superclass")
                chain.append(cur)
                cur = direct.get(cur)
            chains[c] = tuple(chain)
        return chains

    @cached_property
    def declared_classes(self) -> frozenset[str]:
        """Every class under ``kg:Entity`` (itself excepted): what data files may type names with."""
        return frozenset(c for c, chain in self.superclasses.items() if chain[-1] == ROOT_CLASS and c != ROOT_CLASS)

    @cached_property
    def entity_classes(self) -> list[str]:
        """The classes an entity can be typed with: every class under ``kg:Entity`` that has no
        subclass, and those that have one but are named by the folder's data anyway (a gazetteer
        entry, a series or a section of ``entity_cues.yaml``: Organization, with Agency under it).
        The others only group their subclasses (CelestialBody)."""
        parents = {p for chain in self.superclasses.values() for p in chain[1:]}
        named = {e.cls for e in self.gazetteer} | {c for e in self.gazetteer for c in e.also}
        named |= {s.cls for s in self.series} | set(self.cue_sections)
        return sorted(c for c in self.declared_classes if c not in parents or c in named)

    def is_a(self, cls: str, allowed: frozenset[str]) -> bool:
        return any(c in allowed for c in self.superclasses.get(cls, (cls,)))

    def class_label(self, cls: str) -> str:
        """The ``rdfs:label`` of a class ("Space station"), or its name."""
        iri = self.class_iris.get(cls)
        label = self.graph.value(URIRef(iri), RDFS.label) if iri else None
        return str(label) if label is not None else cls

    def class_iri(self, cls: str) -> str:
        """The IRI of an entity class (kg's namespace for one the ontology does not declare)."""
        return self.class_iris.get(cls) or str(KG[cls])

    def _class_set(self, node: Any, what: str) -> frozenset[str]:
        g = self.graph
        union = g.value(node, OWL.unionOf)
        members = list(Collection(g, union)) if union is not None else [node]
        names = []
        for m in members:
            if not isinstance(m, URIRef) or str(m) not in self.class_iris.values():
                raise self._error(f"{what} {m.n3(g.namespace_manager)} is not a declared class")
            names.append(_local(m))
        return frozenset(names)

    @cached_property
    def relations(self) -> dict[str, Relation]:
        """The relations kg extracts: every ``owl:ObjectProperty`` (between two entities) and every
        ``owl:DatatypeProperty`` (a literal value: a date, a number) but kg's own, with its domain
        and range."""
        g = self.graph
        out: dict[str, Relation] = {}
        for kind, literal in ((OWL.ObjectProperty, False), (OWL.DatatypeProperty, True)):
            for p in sorted(g.subjects(RDF.type, kind), key=str):
                name = _local(p)
                if not isinstance(p, URIRef) or (str(p) == str(KG[name]) and name in KG_PROPERTIES):
                    continue
                if not NAME.match(name) or name in STRUCTURAL_RELATIONS:
                    raise self._error(f"relation <{p}>: {name!r} cannot be a relation name (letters, digits and _, "
                                      f"starting with a letter; not {' or '.join(sorted(STRUCTURAL_RELATIONS))})")
                if name in out or name in self.class_iris:
                    raise self._error(f"two terms are named {name!r}: relation <{p}> and another")
                dom, rng = g.value(p, RDFS.domain), g.value(p, RDFS.range)
                if dom is None:
                    raise self._error(f"relation {name!r} has no rdfs:domain (the classes it goes from)")
                datatype = None
                if literal:
                    if rng is not None and str(rng) not in DATATYPES:
                        known = ", ".join(sorted(_local(t) for t in DATATYPES))
                        raise self._error(f"relation {name!r}: its range {rng.n3(g.namespace_manager)} is not a "
                                          f"datatype kg writes (xsd: {known})")
                    datatype = str(rng) if rng is not None else None
                elif rng is None:
                    raise self._error(f"relation {name!r} has no rdfs:range (the classes it goes to)")
                elif str(rng).startswith(str(XSD)):
                    raise self._error(f"relation {name!r}: an owl:ObjectProperty goes to entities, but its range "
                                      f"is {rng.n3(g.namespace_manager)}: declare it an owl:DatatypeProperty")
                out[name] = Relation(
                    name=name,
                    label=str(g.value(p, RDFS.label) or name),
                    domain=self._class_set(dom, f"relation {name!r}: rdfs:domain"),
                    range=frozenset() if literal else self._class_set(rng, f"relation {name!r}: rdfs:range"),
                    symmetric=(p, RDF.type, OWL.SymmetricProperty) in g,
                    literal=literal,
                    iri=str(p),
                    datatype=datatype,
                )
        return dict(sorted(out.items()))

    @cached_property
    def literal_relations(self) -> list[str]:
        """The relations whose object is a value (a date, a number), by name."""
        return [name for name, r in self.relations.items() if r.literal]

    def relation_iri(self, relation: str) -> str:
        rel = self.relations.get(relation)
        return rel.iri if rel is not None else str(KG[relation])

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

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """The prefixes ``kg.ttl`` declares (``@prefix kg: <...>``), by name."""
        return {p: str(ns) for p, ns in self.graph.namespaces() if p}

    # ------------------------------------------------------------ gazetteer
    @cached_property
    def gazetteer(self) -> list[GazetteerEntry]:
        """The entries of ``gazetteer/*.jsonl`` (but ``series.jsonl``), checked against kg.ttl."""
        return read_gazetteer(self.file("gazetteer"), self.declared_classes, self.relations)

    @cached_property
    def gazetteer_by_id(self) -> dict[str, GazetteerEntry]:
        return {e.id: e for e in self.gazetteer}

    @cached_property
    def series(self) -> list[Series]:
        """The numbered series of ``gazetteer/series.jsonl``, checked against kg.ttl and the gazetteer."""
        return read_series(self.file("gazetteer") / "series.jsonl", self.declared_classes, self.gazetteer_by_id)

    # ------------------------------------------------------------ rules
    @cached_property
    def lexicon(self) -> dict[str, Any]:
        """Trigger words and cue lists of ``relations.yaml``."""
        return read_yaml(self.file("relations.yaml"), "relation trigger file")

    @cached_property
    def cues(self) -> dict[str, Any]:
        """The context cues of ``entity_cues.yaml``."""
        return read_yaml(self.file("entity_cues.yaml"), "entity cue file")

    @cached_property
    def cue_sections(self) -> list[str]:
        """The class sections of ``entity_cues.yaml``: its keys that start with a capital."""
        return [k for k in self.cues if isinstance(k, str) and k[:1].isupper()]

    @cached_property
    def people_class(self) -> str | None:
        """The class of the people spaCy's NER finds (``ner: {PERSON: ...}`` in entity_cues.yaml), if any."""
        ner = self.cues.get("ner")
        return ner.get("PERSON") if isinstance(ner, dict) else None

    @cached_property
    def never_merge(self) -> set[frozenset[str]]:
        """Pairs of names that must stay two entities (``A | B`` per line)."""
        path = self.file("never_merge.txt")
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
        for path in data_files(self.directory):
            if path.name not in EXPORT_ONLY:
                h.update(str(path.relative_to(self.directory)).encode())
                h.update(path.read_bytes())
        return h.hexdigest()[:16]

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every file of the folder (what exported text may depend on)."""
        h = hashlib.sha256()
        for path in data_files(self.directory):
            h.update(str(path.relative_to(self.directory)).encode())
            h.update(path.read_bytes())
        return h.hexdigest()[:16]


_LOADED: dict[Path, Ontology] = {}


def load(directory: Path | str | None = None) -> Ontology:
    """The ontology folder ``directory`` (default: kg's own), read once per process."""
    path = Path(directory).resolve() if directory is not None else ONTOLOGY_DIR.resolve()
    onto = _LOADED.get(path)
    if onto is None:
        if not path.is_dir():
            raise OntologyError(f"{path}: no such ontology folder")
        # messages name the folder as it was given
        onto = _LOADED[path] = Ontology(ONTOLOGY_DIR if path == ONTOLOGY_DIR.resolve() else Path(directory))
    return onto


def directory_of(onto: Ontology) -> str | None:
    """What a built graph records of its ontology: the folder, or None for kg's own."""
    return None if onto.is_default else str(Path(onto.directory).resolve())


def init(dest: Path) -> list[Path]:
    """Write a copy of kg's own ontology folder to ``dest`` (a new or empty folder), to edit."""
    return init_folder(ONTOLOGY_DIR, dest)
