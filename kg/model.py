"""Typed records that flow between the pipeline stages.

ingest/text -> :class:`Document`
entities    -> :class:`Mention`
canonical   -> :class:`Entity`
relations   -> :class:`Fact` (each with :class:`Evidence`)

Every record is a plain dataclass that round-trips through ``to_dict`` /
``from_dict`` so that per-document results can be cached on disk and shipped
between worker processes.
"""
from __future__ import annotations

import bisect
from array import array
from dataclasses import asdict, dataclass, field, fields
from typing import Any

#: Document kinds recognised by :mod:`kg.ingest`.
VIDEO_NOTE = "video_note"
QA_ARTICLE = "qa_article"
NOTE = "note"


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def record(obj: Any) -> dict[str, Any]:
    """The fields of a flat dataclass record as a dict (what ``vars`` gives without ``__slots__``)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {name: getattr(obj, name) for name in names}


@dataclass(frozen=True, slots=True)
class WikiLink:
    """An Obsidian ``[[slug|Alias]]`` link; ``start``/``end`` are plain-text offsets of the visible alias."""

    slug: str
    start: int
    end: int
    text: str
    heading: str | None = None
    embed: bool = False


@dataclass(frozen=True, slots=True)
class Timestamp:
    """A YouTube timestamp anchor; ``position`` is the plain-text offset where the anchor stood."""

    position: int
    seconds: int
    label: str


@dataclass(frozen=True, slots=True)
class RelatedDoc:
    """A ``related_article*`` entry of a Q&A article."""

    ref: str
    title: str | None = None
    url: str | None = None
    subject: str | None = None


@dataclass
class Document:
    """One input file, reduced to plain text with a map back to the source file.

    ``offsets[i]`` is the character offset in the *source file* of ``text[i]``;
    ``offsets`` has ``len(text) + 1`` entries so that an end offset maps too.  They are kept
    as a machine-integer ``array`` (8 bytes each instead of a 36-byte Python int): on a large
    corpus they were half the memory of the extraction results.
    """

    id: str
    path: str
    kind: str
    text: str
    offsets: array  # of int; a list given to the constructor is converted
    meta: dict[str, Any] = field(default_factory=dict)
    links: list[WikiLink] = field(default_factory=list)
    timestamps: list[Timestamp] = field(default_factory=list)
    related: list[RelatedDoc] = field(default_factory=list)
    content_hash: str = ""
    #: Where each block starts in ``text``, and its kind: "heading", "item", "para" or "table".
    blocks: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.offsets, array):
            self.offsets = array("q", self.offsets)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a plain-text span to the source-file span it came from."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        return self.offsets[start], self.offsets[end - 1] + 1

    def timestamp_at(self, start: int, end: int) -> Timestamp | None:
        """The timestamp that follows the text ``[start, end)``: the first anchor at or after its end.

        Trailing punctuation and spaces are ignored, since notes put the anchor before the
        full stop ("...en route to Jupiter <a ...>[00:14:14]</a>.").  The anchor must stand in
        the same block (before the next blank line): a list item takes the anchor that closes
        its list, but a paragraph never borrows one from paragraphs later.
        """
        e = end
        while e > start and self.text[e - 1] in " \t\n.!?;:,\"')]":
            e -= 1
        block_end = self.text.find("\n\n", e)
        limit = len(self.text) if block_end < 0 else block_end
        for ts in self.timestamps:
            if e <= ts.position <= limit:
                return ts
            if ts.position > limit:
                break
        return None

    def timestamp_url(self, ts: Timestamp | None) -> str | None:
        video = self.meta.get("videoId")
        if ts is None or not video:
            return None
        return f"https://www.youtube.com/watch?v={video}&t={ts.seconds}s"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "offsets": self.offsets.tolist()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Document":
        d = dict(d)
        d["links"] = [WikiLink(**x) for x in d.get("links", [])]
        d["timestamps"] = [Timestamp(**x) for x in d.get("timestamps", [])]
        d["related"] = [RelatedDoc(**x) for x in d.get("related", [])]
        d["blocks"] = [(int(a), str(b)) for a, b in d.get("blocks", [])]
        return cls(**d)

    def block_at(self, position: int) -> tuple[int, str] | None:
        """The block that contains plain-text offset ``position``: (its start, its kind)."""
        i = bisect.bisect_right(self.blocks, (position, "\uffff")) - 1
        return self.blocks[i] if i >= 0 else None


@dataclass(frozen=True, slots=True)
class Mention:
    """A typed entity mention in one document (plain-text offsets)."""

    doc_id: str
    start: int
    end: int
    text: str
    cls: str
    source: str  # gazetteer | pattern:<name> | ner:<LABEL> | link
    gazetteer_id: str | None = None
    sentence: int = -1
    hint: str | None = None  # wiki-link slug or long form, a hint for canonicalisation


@dataclass(frozen=True, slots=True)
class Found:
    """A relation read from one sentence, on document-local entity keys."""

    subject: str
    relation: str
    object: str
    sentence: int
    rule: str
    confidence: float
    literal: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: document, sentence, source-file offsets, timestamp, rule, confidence."""

    doc_id: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    timestamp: int | None = None
    timestamp_url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return record(self)  # flat: no deep copy needed


@dataclass
class Entity:
    """A canonical entity: one node per real thing across all documents."""

    key: str
    label: str
    cls: str
    aliases: list[str] = field(default_factory=list)
    qid: str | None = None
    gazetteer_id: str | None = None
    documents: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Entity":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Fact:
    """A relation between two canonical entities, or an attribute (``launchDate``) with a literal value."""

    subject: str
    relation: str
    object: str
    evidence: list[Evidence] = field(default_factory=list)
    literal: bool = False
    reference: bool = False  # True for facts taken from gazetteer reference data, not from text

    @property
    def confidence(self) -> float:
        return max((e.confidence for e in self.evidence), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Fact":
        d = dict(d)
        d["evidence"] = [Evidence(**e) for e in d.get("evidence", [])]
        return cls(**d)
