"""The operations the markdown scanners of :mod:`kg.text` emit, and their rendering into
:class:`PlainText`: emphasis delimiters paired, verbatim runs and synthetic characters appended
with the source offset of each character."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Timestamp, WikiLink


@dataclass
class PlainText:
    """Plain text, the source offset of each of its characters (plus an end entry), its links and timestamps."""

    text: str
    offsets: list[int]
    links: list[WikiLink] = field(default_factory=list)
    timestamps: list[Timestamp] = field(default_factory=list)
    blocks: list[tuple[int, str]] = field(default_factory=list)  # (plain offset, "heading" | "item" | "para" | "table")


# --------------------------------------------------------------------------- ops
# The block and inline scanners turn the source into a flat list of operations,
# emphasis delimiters are paired, and the operations are rendered by _Builder.
# TEXT (start, end)                              verbatim source run
# SYNTH (chars, at)                              characters that are not in the source
# SEP (sep, at, block)                           separator before the next visible text
# DELIM (start, end, char, can_open, can_close)  an emphasis run, removed when paired
# WIKI (start, end, slug, heading, embed)        a wiki link; start/end is its visible text
# STAMP (seconds, label)                         a YouTube timestamp anchor (seconds None: invalid clock)
# BLOCK (kind,)                                  a heading, list item, paragraph or table row starts here

TEXT, SYNTH, SEP, DELIM, WIKI, STAMP, BLOCK = range(7)
Op = tuple

#: Separators, weakest first; of several pending ones the strongest is kept.
_SEP_STRENGTH = {"": 0, " ": 1, "; ": 2, "\n": 3, "\n\n": 4}


# --------------------------------------------------------------------- emphasis


def pair_emphasis(ops: list[Op]) -> None:
    """Pair emphasis delimiters within each block; paired markup is removed, the rest becomes text."""
    openers: dict[str, list[int]] = {"*": [], "_": []}
    for i, op in enumerate(ops):
        if op[0] == SEP and op[3]:
            openers = {"*": [], "_": []}
        if op[0] != DELIM:
            continue
        _, start, end, char, can_open, can_close = op
        stack = openers[char]
        if can_close and stack:
            j = stack.pop()
            o_start, o_end = ops[j][1], ops[j][2]
            n = min(o_end - o_start, end - start)
            ops[j] = (TEXT, o_start, o_end - n)
            ops[i] = (TEXT, start + n, end)
        elif can_open:
            stack.append(i)
    for i, op in enumerate(ops):
        if op[0] == DELIM:
            ops[i] = (TEXT, op[1], op[2])


# -------------------------------------------------------------------- rendering


class _Builder:
    """Accumulates plain text and, for every character, its source offset (+ base)."""

    def __init__(self, base: int):
        self.base = base
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.size = 0
        self.pending = ""  # separator owed before the next visible text
        self.pending_at = 0
        self.links: list[WikiLink] = []
        self.timestamps: list[Timestamp] = []
        self.blocks: list[tuple[int, str]] = []
        self.block_kind: str | None = None  # the kind of block whose first character is still to come

    def separate(self, sep: str, at: int) -> None:
        """Owe ``sep`` before the next visible text; the strongest owed separator wins."""
        if _SEP_STRENGTH[sep] > _SEP_STRENGTH[self.pending]:
            if not self.pending:
                self.pending_at = at
            self.pending = sep

    def verbatim(self, src: str, start: int, end: int) -> int:
        """Append ``src[start:end]``; return where it begins.

        Leading blanks are dropped at the start, after a separator, and after a blank (so that
        removed markup between two spaces leaves one space).
        """
        if start < end and self._at_blank():
            while start < end and src[start] in " \t":
                start += 1
            if start == end:
                return self.size
            self._flush()
        if start < end:
            self._append(src[start:end], range(self.base + start, self.base + end))
        return self.size - (end - start)

    def synthetic(self, chars: str, at: int) -> None:
        """Append characters that are not in the source, mapped to source offset ``at``."""
        if chars.isspace() and self._at_blank():
            return
        self._flush()
        self._append(chars, [self.base + at] * len(chars))

    def link(self, src: str, start: int, end: int, slug: str, heading: str | None, embed: bool) -> None:
        """Append a wiki link's visible text (none for an embed) and record it."""
        if embed:
            self.links.append(WikiLink(slug, self.size, self.size, "", heading, True))
            return
        at = self.verbatim(src, start, end)
        self.links.append(WikiLink(slug, at, self.size, src[start:end], heading, False))

    def timestamp(self, seconds: int | None, label: str) -> None:
        """Drop the spaces before a timestamp anchor; record it there unless its clock was invalid."""
        self._rstrip()
        if seconds is not None:
            self.timestamps.append(Timestamp(self.size, seconds, label))

    def finish(self, end: int) -> PlainText:
        """Close the last block with exactly one owed ``"\\n"``; ``end`` is where the text's end maps."""
        if self.size:
            self.pending = "\n"
            self._flush()
        self.offsets.append(self.base + end)
        return PlainText("".join(self.parts), self.offsets, self.links, self.timestamps, self.blocks)

    def _at_blank(self) -> bool:
        """True where a blank would be redundant: at the start, before a separator, after a blank."""
        return not self.size or bool(self.pending) or self.parts[-1][-1] in " \t"

    def _flush(self) -> None:
        """Write the owed separator (never at the very start, never after trailing blanks), then
        record where a new block begins."""
        if self.pending and self.size:
            self._rstrip()
            self._append(self.pending, [self.base + self.pending_at] * len(self.pending))
        self.pending = ""
        if self.block_kind is not None:
            if not self.blocks or self.blocks[-1][0] != self.size:
                self.blocks.append((self.size, self.block_kind))
            else:
                self.blocks[-1] = (self.size, self.block_kind)
            self.block_kind = None

    def _append(self, chars: str, offsets: Iterable[int]) -> None:
        """Append characters and their source offsets."""
        self.parts.append(chars)
        self.offsets.extend(offsets)
        self.size += len(chars)

    def _rstrip(self) -> None:
        """Drop trailing spaces and tabs."""
        while self.parts and self.parts[-1][-1:] in (" ", "\t"):
            last = self.parts[-1]
            kept = last.rstrip(" \t")
            cut = len(last) - len(kept)
            del self.offsets[-cut:]
            self.size -= cut
            if kept:
                self.parts[-1] = kept
            else:
                self.parts.pop()


def render(ops: list[Op], src: str, base: int) -> PlainText:
    """Run the operations through a :class:`_Builder`."""
    b = _Builder(base)
    for op in ops:
        kind = op[0]
        if kind == TEXT:
            b.verbatim(src, op[1], op[2])
        elif kind == SEP:
            b.separate(op[1], op[2])
        elif kind == SYNTH:
            b.synthetic(op[1], op[2])
        elif kind == WIKI:
            b.link(src, *op[1:])
        elif kind == STAMP:
            b.timestamp(op[1], op[2])
        elif kind == BLOCK:
            b.block_kind = op[1]
    return b.finish(len(src))
