"""Canonical entities: one node per real thing across all documents.

Two steps:

* :func:`link_document` groups one document's mentions into local entities: by
  gazetteer id, by normalised name (``the``, possessives, case and dashes folded),
  by "Long Form (ACR)" pairs, by wiki-link slug, and a lone surname to the full name.
* :func:`merge` unites local entities across documents by gazetteer id, Wikidata id
  or shared normalised name of the same class, except pairs on the never-merge list,
  and gives each a canonical label and a stable, readable key (the IRI local name).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Entity, Mention
from .ontology import Ontology

SOURCE_RANK = {"gazetteer": 5, "series": 4, "cue": 3, "acronym": 3, "link": 2, "ner": 1}


_POSSESSIVE = re.compile(r"'s\b")
_DASHES = re.compile(r"[-\u2010-\u2015_/]")
_PUNCT = re.compile(r"[^\w\s]")
_THE = re.compile(r"^the\s+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 17)
def normalise(name: str) -> str:
    """Case, accents, "the", possessives, dashes and punctuation folded away.

    Remembered: a corpus names the same things over and over, and the merge asks for each
    surface and gazetteer name of every document's entities."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("\u2019", "'")
    s = _POSSESSIVE.sub("", s)
    s = _DASHES.sub(" ", s)
    s = _PUNCT.sub("", s)
    s = _THE.sub("", s.strip())
    return _SPACES.sub(" ", s).strip()


def slug(label: str) -> str:
    """A readable IRI-safe key: "Europa Clipper" -> "Europa_Clipper", "Šteins" -> "Steins"."""
    s = unicodedata.normalize("NFKD", label)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^A-Za-z0-9.\-]+", "_", s).strip("_.-")
    return s or "entity"


@dataclass(slots=True)
class LocalEntity:
    """An entity as seen in one document."""

    key: str
    cls: str
    surfaces: Counter = field(default_factory=Counter)
    gazetteer_id: str | None = None
    hints: set[str] = field(default_factory=set)
    rank: int = 0

    def to_dict(self) -> dict:
        return {"key": self.key, "cls": self.cls, "surfaces": dict(self.surfaces),
                "gazetteer_id": self.gazetteer_id, "hints": sorted(self.hints), "rank": self.rank}

    @classmethod
    def from_dict(cls, d: dict) -> "LocalEntity":
        return cls(d["key"], d["cls"], Counter(d["surfaces"]), d["gazetteer_id"], set(d["hints"]), d["rank"])


def _surface(text: str) -> str:
    text = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return re.sub(r"['\u2019]s$", "", text)


def link_document(mentions: list[Mention], people: str | None = "Person") -> tuple[list[LocalEntity], list[str]]:
    """Group one document's mentions; returns the local entities and each mention's local key.
    A lone surname of the class ``people`` joins the one full name of that class it ends."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    def base_key(m: Mention) -> str:
        return f"gaz:{m.gazetteer_id}" if m.gazetteer_id else f"name:{normalise(m.text)}"

    keys = [base_key(m) for m in mentions]
    by_norm = {}
    for m, k in zip(mentions, keys):
        find(k)
        by_norm.setdefault(normalise(m.text), k)
    for m, k in zip(mentions, keys):
        if m.hint and m.source in ("acronym",) and normalise(m.hint) in by_norm:
            union(k, by_norm[normalise(m.hint)])
        if m.hint and m.source == "link":
            union(k, f"slug:{m.hint}")
    persons = [(m, k) for m, k in zip(mentions, keys) if m.cls == people and len(m.text.split()) >= 2]
    for m, k in zip(mentions, keys):
        if m.cls == people and len(m.text.split()) == 1:
            full = [pk for pm, pk in persons if pm.text.split()[-1] == m.text]
            if len(set(full)) == 1:
                union(k, full[0])

    groups: dict[str, LocalEntity] = {}
    local_keys = []
    for m, k in zip(mentions, keys):
        root = find(k)
        le = groups.get(root)
        rank = SOURCE_RANK.get(m.source.split(":")[0], 0)
        if le is None:
            le = groups[root] = LocalEntity(root, m.cls)
        if rank > le.rank:
            le.cls, le.rank = m.cls, rank
        if m.gazetteer_id and (le.gazetteer_id is None or rank >= le.rank):
            le.gazetteer_id = m.gazetteer_id
        le.surfaces[_surface(m.text)] += 1
        if m.hint:
            le.hints.add(m.hint)
        local_keys.append(root)
    return list(groups.values()), local_keys


def merge(per_doc: dict[str, list[LocalEntity]], ontology: Ontology) -> tuple[list[Entity], dict[tuple[str, str], str]]:
    """Unite local entities across documents; returns entities and ``(doc_id, local key) -> entity key``."""
    items: list[tuple[str, LocalEntity]] = [(d, le) for d in sorted(per_doc) for le in per_doc[d]]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    names_of = [{normalise(s) for s in le.surfaces} for _, le in items]
    gaz = ontology.gazetteer_by_id
    for i, (_, le) in enumerate(items):
        if le.gazetteer_id:
            entry = gaz[le.gazetteer_id]
            names_of[i] |= {normalise(n) for n in entry.names}

    cluster_gaz = {i: le.gazetteer_id for i, (_, le) in enumerate(items)}
    index: dict[tuple[str, str], int] = {}
    for i, (_, le) in enumerate(items):
        keys = [("gaz", le.gazetteer_id)] if le.gazetteer_id else []
        keys += [(le.cls, n) for n in names_of[i]]
        for k in keys:
            j = index.setdefault(k, i)
            if j == i:
                continue
            ri, rj = find(i), find(j)
            if ri == rj:
                continue
            if _never(ontology, items[i][1], items[j][1]):
                continue
            # two different gazetteer entries never merge through a shared name
            gi, gj = cluster_gaz[ri], cluster_gaz[rj]
            if gi and gj and gi != gj:
                continue
            lo, hi = min(ri, rj), max(ri, rj)
            parent[hi] = lo
            cluster_gaz[lo] = gi or gj

    clusters: dict[int, list[int]] = {}
    for i in range(len(items)):
        clusters.setdefault(find(i), []).append(i)

    entities: list[Entity] = []
    mapping: dict[tuple[str, str], str] = {}
    used: dict[str, str] = {}
    drafts = []
    for members in clusters.values():
        surfaces: Counter = Counter()
        cls_votes: Counter = Counter()
        gid = None
        docs = set()
        for i in members:
            d, le = items[i]
            surfaces.update(le.surfaces)
            cls_votes[le.cls] += le.rank * sum(le.surfaces.values())
            gid = gid or le.gazetteer_id
            docs.add(d)
        if gid:
            entry = gaz[gid]
            label, cls, qid = entry.name, entry.cls, entry.qid
        else:
            label = sorted(surfaces.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
            cls = sorted(cls_votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            qid = None
        drafts.append((label, cls, qid, gid, surfaces, docs, members))

    for label, cls, qid, gid, surfaces, docs, members in sorted(drafts, key=lambda d: (d[0], d[1])):
        key = slug(label)
        if key in used and used[key] != cls:
            key = f"{key}_{cls}"
        n = 2
        base = key
        while key in used:
            key = f"{base}_{n}"
            n += 1
        used[key] = cls
        aliases = sorted({s for s in surfaces if s != label})
        entities.append(Entity(key=key, label=label, cls=cls, aliases=aliases, qid=qid, gazetteer_id=gid,
                               documents=sorted(docs)))
        for i in members:
            d, le = items[i]
            mapping[(d, le.key)] = key
    return entities, mapping


def _never(ontology: Ontology, a: LocalEntity, b: LocalEntity) -> bool:
    pairs = ontology.never_merge
    if not pairs:
        return False
    na = {s.lower() for s in a.surfaces}
    nb = {s.lower() for s in b.surfaces}
    return any(frozenset((x, y)) in pairs for x in na for y in nb)
