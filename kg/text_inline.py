"""Inline markdown (Obsidian flavour): code, wiki links, links, images, HTML tags and YouTube
timestamp anchors, entities, emphasis runs and table pipes, scanned into the operations of
:mod:`kg.text_render`."""
from __future__ import annotations

import html
import re

from .text_render import DELIM, SEP, STAMP, SYNTH, TEXT, WIKI, Op

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


def parse_clock(value: str) -> int | None:
    """Seconds of an ``HH:MM:SS`` or ``MM:SS`` clock, or ``None`` if it is not a valid clock."""
    m = _CLOCK.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, seconds = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if minutes > 59 or seconds > 59:
        return None
    return hours * 3600 + minutes * 60 + seconds


# ----------------------------------------------------------------- inline level


def _is_punct(ch: str) -> bool:
    """Punctuation or symbol, in the sense of CommonMark's flanking rules."""
    return not ch.isalnum() and not ch.isspace()


class InlineScanner:
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
        InlineScanner(self.src, m.start("link_text"), m.end("link_text"), self.ops).scan()
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
