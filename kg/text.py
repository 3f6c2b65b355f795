"""Markdown (Obsidian flavour) to plain text, with an exact map back to the source.

:func:`to_plain` strips markup and keeps, for every plain-text character, the
offset of the source character it came from.  The text is built by appending
either *verbatim* runs of the source (plain char ``i`` comes from source
``start + i``) or *synthetic* characters (line breaks, joining spaces, decoded
entities, table-cell separators) mapped to the nearest source position, so the
map is exact by construction.

Block rules: every heading, paragraph, list item, block quote and table row
ends with ``"\\n"``; paragraphs are separated by a blank line.  The soft-wrapped
lines of one paragraph (or list item, or quote) are joined with a space, so a
``"\\n"`` never falls inside a sentence.

All patterns are bounded, and every pass is linear in the input.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .text_inline import InlineScanner, parse_clock
from .text_render import BLOCK, SEP, TEXT, Op, PlainText, pair_emphasis, render

__all__ = ["PlainText", "to_plain", "parse_clock"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK = re.compile(r"(?:\s|&nbsp;|&#160;|&#[xX][aA]0;)*")
_QUOTE = re.compile(r"(?:[ \t]{0,3}>[ ]?)+")
_FENCE = re.compile(r"[ \t]*(`{3,}(?![^`]*`)|~{3,})")
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)")
_ITEM = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t]+|$)")

#: Line kinds; only paragraph lines continue a previous paragraph or list item.
PARA, ITEM, HEADING, TABLE, OTHER = "para", "item", "heading", "table", "other"


def to_plain(markdown: str, base: int = 0) -> PlainText:
    """Strip markdown to plain text; ``offsets[i]`` is the offset in ``markdown`` (+ ``base``) of ``text[i]``."""
    ops = _BlockScanner(markdown).scan()
    pair_emphasis(ops)
    return render(ops, markdown, base)


# ------------------------------------------------------------------ block level


def _comment_spans(src: str) -> list[tuple[int, int]]:
    """Spans of closed ``<!-- ... -->`` comments; an unclosed one is plain text."""
    spans = []
    pos = src.find("<!--")
    while pos != -1:
        end = src.find("-->", pos + 4)
        if end == -1:
            break
        spans.append((pos, end + 3))
        pos = src.find("<!--", end + 3)
    return spans


def _lines(src: str) -> Iterator[tuple[list[tuple[int, int]], int, bool]]:
    """Yield each line as (pieces outside comments, offset of its line break, whether a comment was cut out)."""
    comments = _comment_spans(src)
    ci = 0
    start = 0
    for brk in _iter_breaks(src):
        pieces: list[tuple[int, int]] = []
        pos, cut = start, False
        while ci < len(comments) and comments[ci][0] < brk:
            c_start, c_end = comments[ci]
            cut = True
            if c_start > pos:
                pieces.append((pos, c_start))
            pos = max(pos, c_end)
            if c_end > brk:
                break
            ci += 1
        if pos < brk:
            pieces.append((pos, brk))
        yield pieces, brk, cut
        start = _after_break(src, brk)


def _iter_breaks(src: str) -> Iterator[int]:
    """Offsets of every line break, then the end of the text (a last line without break)."""
    for m in _LINE_BREAK.finditer(src):
        yield m.start()
    if not src or src[-1] not in "\r\n":
        yield len(src)


def _after_break(src: str, brk: int) -> int:
    """Offset of the line that follows the line break at ``brk``."""
    return brk + 2 if src.startswith("\r\n", brk) else brk + 1


class _BlockScanner:
    """Splits the source into lines, classifies each one, and emits its operations."""

    def __init__(self, src: str):
        self.src = src
        self.ops: list[Op] = []
        self.prev_kind = OTHER  # kind of the previous content line: para, item or other
        self.prev_depth = 0  # block-quote depth of that line
        self.prev_end = 0  # offset of its line break, where separators are mapped
        self.fence: str | None = None  # the open code fence, if any

    def scan(self) -> list[Op]:
        """Operations for the whole source; a line left blank by cutting out a comment is skipped."""
        for pieces, brk, cut in _lines(self.src):
            if all(_BLANK.fullmatch(self.src, s, e) for s, e in pieces):
                if not cut:
                    self._blank()
                continue
            self._line(pieces)
            self.prev_end = brk
        self._sep("\n", block=True)  # the end of the last block
        return self.ops

    def _blank(self) -> None:
        """A blank line ends the current block with a paragraph break (not inside a code fence)."""
        if self.fence is not None:
            self._sep("\n", block=True)
            return
        self._sep("\n\n", block=True)
        self.prev_kind = OTHER

    def _sep(self, sep: str, block: bool) -> None:
        """Emit a separator at the end of the previous line; ``block`` ends emphasis pairing."""
        self.ops.append((SEP, sep, self.prev_end, block))

    def _line(self, pieces: list[tuple[int, int]]) -> None:
        """Classify one non-blank line and emit it."""
        src = self.src
        start, end = pieces[0]
        if self.fence is not None:
            self._fenced_line(start, end)
            return
        quote = _QUOTE.match(src, start, end)
        depth = quote.group().count(">") if quote else 0
        if quote:
            start = quote.end()
        if _BLANK.fullmatch(src, start, end) and len(pieces) == 1:
            self._blank()  # an empty quote line, ">"
            self.prev_depth = depth
            return
        kind, start, end = self._classify(start, end)
        continues = kind == PARA and self.prev_kind in (PARA, ITEM) and depth == self.prev_depth
        self._sep(" " if continues else "\n", block=not continues)
        if kind is not None and not continues:
            self.ops.append((BLOCK, kind))
        if kind is not None:
            table = kind == TABLE
            for s, e in [(start, end), *pieces[1:]]:
                InlineScanner(src, s, e, self.ops, table).scan()
        self.prev_kind = ITEM if kind == ITEM else PARA if kind == PARA else OTHER
        self.prev_depth = depth

    def _classify(self, start: int, end: int) -> tuple[str | None, int, int]:
        """(kind, content start, content end) of a line; kind None means the line shows nothing.

        An opening code fence is remembered in ``self.fence``.
        """
        src = self.src
        fence = _FENCE.match(src, start, end)
        if fence:
            self.fence = fence.group(1)
            return None, start, end
        heading = _HEADING.match(src, start, end)
        if heading:
            return HEADING, heading.end(), _heading_end(src, start, end)
        body = src[start:end].strip()
        if _is_rule(body):
            return None, start, end
        if body.startswith("|"):
            return (None if _is_table_rule(body) else TABLE), start, end
        item = _ITEM.match(src, start, end)
        if item:
            return ITEM, item.end(), end
        return PARA, start, end

    def _fenced_line(self, start: int, end: int) -> None:
        """A line inside a code fence: verbatim on its own line, or the closing fence."""
        stripped = self.src[start:end].strip()
        if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
            self.fence = None
            self.prev_kind = OTHER
            return
        self._sep("\n", block=True)
        self.ops.append((TEXT, start, end))
        self.prev_kind = OTHER


def _heading_end(src: str, start: int, end: int) -> int:
    """End of a heading's text, without an optional closing sequence of ``#``s."""
    line = src[start:end].rstrip()
    stripped = line.rstrip("#")
    if len(stripped) < len(line) and (not stripped or stripped[-1] in " \t"):
        line = stripped
    return start + len(line.rstrip())


def _is_rule(body: str) -> bool:
    """True for a thematic break (``---``, ``* * *``, ``___``) or a setext underline (``===``)."""
    compact = body.replace(" ", "").replace("\t", "")
    return len(compact) >= 3 and compact[0] in "*-_=" and compact == compact[0] * len(compact)


def _is_table_rule(body: str) -> bool:
    """True for a table's header separator row, ``|---|:--:|``."""
    return "-" in body and not body.strip("|-: \t")
