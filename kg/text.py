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

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import Timestamp, WikiLink

__all__ = ["PlainText", "to_plain", "parse_clock"]


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

_INLINE = re.compile(
    r"""
      (?P<escape>\\[!-/:-@\[-`{-~])
    | (?P<code>(?<!`)(?P<ticks>`+)(?P<code_body>[^`]{1,2000})(?P=ticks)(?!`))
    | (?P<wiki>(?P<embed>!?)\[\[(?P<target>[^\[\]|\n]{1,500})(?:\|(?P<alias>[^\[\]\n]{0,500}))?\]\])
    | (?P<image>!\[[^\[\]\n]{0,1000}\]\((?:[^()\n]|\([^()\n]{0,200}\)){0,2000}\))
    | (?P<link>\[(?P<link_text>[^\[\]\n]{0,1000})\]\((?:[^()\n]|\([^()\n]{0,200}\)){0,2000}\))
    | (?P<autolink><(?P<url>[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]{1,2000})>)
    | (?P<tag><(?P<closing>/?)(?P<name>[A-Za-z][A-Za-z0-9-]{0,30})(?P<attrs>(?:\s[^<>]{0,1000})?)/?>)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    | (?P<delim>\*+|_+)
    | (?P<pipe>\|)
    """,
    re.VERBOSE,
)
#: Characters that can start inline markup; plain runs between them are skipped fast.
_MARKUP_START = re.compile(r"[\\`!\[<&*_|]")
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
#: What follows a timestamp's opening tag: its label and closing tag, or a bare ``[label]``.
_ANCHOR_TAIL = re.compile(r"[^<\n]{0,100}</a\s*>|[ \t]*\[[^\[\]\n]{0,40}\]", re.IGNORECASE)
_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{1,2})")

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
    _pair_emphasis(ops)
    return _render(ops, markdown, base)


def parse_clock(value: str) -> int | None:
    """Seconds of an ``HH:MM:SS`` or ``MM:SS`` clock, or ``None`` if it is not a valid clock."""
    m = _CLOCK.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if minutes > 59 or seconds > 59:
        return None
    return hours * 3600 + minutes * 60 + seconds


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
                _InlineScanner(src, s, e, self.ops, table).scan()
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


# ----------------------------------------------------------------- inline level


def _is_punct(ch: str) -> bool:
    """Punctuation or symbol, in the sense of CommonMark's flanking rules."""
    return not ch.isalnum() and not ch.isspace()


class _InlineScanner:
    """Emits the operations of one run of inline markdown, ``src[start:end]``."""

    def __init__(self, src: str, start: int, end: int, ops: list[Op], table: bool = False):
        self.src, self.start, self.end, self.ops, self.table = src, start, end, ops, table

    def scan(self) -> None:
        """Append the operations for the whole run; text between markup becomes TEXT operations.

        Each ``_<group>`` handler emits the operations of one match and returns where scanning
        goes on, or ``None`` when the match is not markup after all (it then stays text).
        """
        src, end = self.src, self.end
        pos = text_from = self.start
        while (candidate := _MARKUP_START.search(src, pos, end)) is not None:
            m = _INLINE.match(src, candidate.start(), end)
            op_count = len(self.ops)
            if m is not None:
                self._text(text_from, m.start())
                after = getattr(self, "_" + m.lastgroup)(m)
                if after is not None:
                    pos = text_from = after
                    continue
                del self.ops[op_count:]  # not markup after all: it stays in the text run
                pos = m.end()
                continue
            pos = candidate.start() + 1
        self._text(text_from, end)

    def _text(self, start: int, end: int) -> None:
        """Emit a verbatim run (nothing if empty)."""
        if end > start:
            self.ops.append((TEXT, start, end))

    def _escape(self, m: re.Match) -> int:
        """``\\*``: the punctuation char, without its backslash."""
        self._text(m.start() + 1, m.end())
        return m.end()

    def _code(self, m: re.Match) -> int:
        """Inline code: its text verbatim, without backticks and without markup processing."""
        self._text(m.start("code_body"), m.end("code_body"))
        return m.end()

    def _wiki(self, m: re.Match) -> int:
        """``[[slug#Heading|Alias]]`` shows the alias, else the slug, else the heading; ``![[x]]`` shows nothing."""
        target_start = m.start("target")
        slug_start, slug_end = _trim(self.src, target_start, m.end("target"))
        hash_at = self.src.find("#", target_start, m.end("target"))
        heading_span = None
        if hash_at != -1:
            slug_start, slug_end = _trim(self.src, target_start, hash_at)
            heading_span = _trim(self.src, hash_at + 1, m.end("target"))
        slug = self.src[slug_start:slug_end]
        heading = self.src[slice(*heading_span)] if heading_span else None
        if not slug and not heading:
            self._text(m.start(), m.end())
            return m.end()
        visible = (slug_start, slug_end) if slug else heading_span
        if m.group("alias") is not None:
            alias = _trim(self.src, m.start("alias"), m.end("alias"))
            visible = alias if alias[1] > alias[0] else visible
        embed = bool(m.group("embed"))
        self.ops.append((WIKI, *visible, slug, heading or None, embed))
        return m.end()

    def _image(self, m: re.Match) -> int:
        """``![alt](src)``: nothing."""
        return m.end()

    def _link(self, m: re.Match) -> int:
        """``[text](url)``: the text, with its own markup stripped."""
        _InlineScanner(self.src, m.start("link_text"), m.end("link_text"), self.ops).scan()
        return m.end()

    def _autolink(self, m: re.Match) -> int:
        """``<https://...>``: the URL."""
        self._text(m.start("url"), m.end("url"))
        return m.end()

    def _tag(self, m: re.Match) -> int:
        """HTML tags vanish (their inner text stays); ``<br>`` breaks the line; timestamp anchors are recorded."""
        name = m.group("name").lower()
        if name == "br":
            self.ops.append((SEP, "\n", m.start(), False))
        elif name == "a" and not m.group("closing") and "yt-timestamp" in m.group("attrs"):
            attrs = _attributes(m.group("attrs"))
            if "yt-timestamp" in attrs.get("class", "").split():
                return self._anchor(m.end(), attrs.get("data-t", ""))
        return m.end()

    def _anchor(self, pos: int, clock: str) -> int:
        """Drop a timestamp anchor with its label and closing tag; it is recorded if its clock is valid."""
        self.ops.append((STAMP, parse_clock(clock), clock.strip()))
        tail = _ANCHOR_TAIL.match(self.src, pos, self.end)
        return tail.end() if tail else pos

    def _entity(self, m: re.Match) -> int:
        """An HTML entity, decoded (whitespace ones to a space) and mapped to its ``&``; unknown ones stay."""
        decoded = html.unescape(m.group())
        if decoded == m.group():
            self._text(m.start(), m.end())
        else:
            chars = "".join(" " if c.isspace() else c for c in decoded)
            self.ops.append((SYNTH, chars, m.start()))
        return m.end()

    def _delim(self, m: re.Match) -> int | None:
        """An emphasis run; whether it may open or close follows CommonMark's flanking rules."""
        s, e = m.span()
        before = self.src[s - 1] if s > self.start else " "
        after = self.src[e] if e < self.end else " "
        left = not after.isspace() and (not _is_punct(after) or before.isspace() or _is_punct(before))
        right = not before.isspace() and (not _is_punct(before) or after.isspace() or _is_punct(after))
        char = m.group()[0]
        if char == "_":
            can_open, can_close = left and (not right or _is_punct(before)), right and (not left or _is_punct(after))
        else:
            can_open, can_close = left, right
        if not can_open and not can_close:
            return None
        self.ops.append((DELIM, s, e, char, can_open, can_close))
        return e

    def _pipe(self, m: re.Match) -> int | None:
        """A table-cell boundary in a table row; plain text elsewhere."""
        if not self.table:
            return None
        self.ops.append((SEP, "; ", m.start(), False))
        return m.end()


def _trim(src: str, start: int, end: int) -> tuple[int, int]:
    """The span ``[start, end)`` without surrounding whitespace."""
    while start < end and src[start].isspace():
        start += 1
    while end > start and src[end - 1].isspace():
        end -= 1
    return start, end


def _attributes(attrs: str) -> dict[str, str]:
    """HTML attributes as a dict (lower-case names); quotes of either kind or none."""
    found = {}
    for m in _ATTRIBUTE.finditer(attrs):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        found[m.group(1).lower()] = value
    return found


# --------------------------------------------------------------------- emphasis


def _pair_emphasis(ops: list[Op]) -> None:
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


def _render(ops: list[Op], src: str, base: int) -> PlainText:
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
