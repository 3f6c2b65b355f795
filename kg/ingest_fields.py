"""What a note says of itself besides its text: YAML frontmatter (read with libyaml, errors placed
at their line in the file), body metadata lines (``From: ... <br/>``), and the Q&A text fields
whose parsed value is aligned with the raw characters it was read from, so offsets point into
the file.  :mod:`kg.ingest` reads a note with these."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from frontmatter import YAMLHandler

from .errors import InputError
from .model import RelatedDoc, Timestamp, WikiLink
from .text import PlainText, to_plain

#: Keys of body metadata lines such as ``From: [[veritasium]] <br/>`` (case-insensitive).
METADATA_KEYS = ("From", "Source", "Channel", "Tags")
#: Body metadata lines are looked for only among this many first non-empty lines.
METADATA_LINES = 3
#: Where each body metadata key is stored in ``Document.meta``.
_METADATA_TARGET = {"from": "channel", "channel": "channel", "source": "source", "tags": "keywords"}
#: Frontmatter scalars copied to ``Document.meta`` as strings.
_META_FIELDS = ("title", "videoId", "url", "date", "subject", "author", "id", "question", "channel")
#: libyaml's parser when PyYAML was built with it (about 20x faster), else the pure-Python one; both are safe.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONTMATTER = YAMLHandler(fm_boundary=re.compile(r"^-{3,}[ \t]*\r?$", re.MULTILINE))
_METADATA_LINE = re.compile(r"[ \t]*(" + "|".join(METADATA_KEYS) + r")[ \t]*:(.*)", re.IGNORECASE)
_ESCAPE = re.compile(r'\\([nrt"])')
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", '"': '"'}
_RELATED = re.compile(r"related_article(\d+)")
_UNKNOWN_TAG = re.compile(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'")


@dataclass
class _Frontmatter:
    """Parsed frontmatter: its data, its raw YAML text, where that starts in the file, where the body starts."""

    data: dict[str, Any]
    yaml_text: str
    yaml_start: int
    body_start: int


# ------------------------------------------------------------------ frontmatter


def split_frontmatter(path: Path, text: str) -> _Frontmatter:
    """Find and parse the YAML frontmatter (``---`` lines at the very top); none gives empty data."""
    boundary = _FRONTMATTER.FM_BOUNDARY
    opening = boundary.match(text)
    if opening is None:
        return _Frontmatter({}, "", 0, 0)
    yaml_start = _next_line(text, opening.end())
    closing = boundary.search(text, yaml_start)
    if closing is None:
        raise InputError(path, "frontmatter opened by '---' on line 1 is never closed by a '---' line")
    yaml_text = text[yaml_start:closing.start()]
    data = _load_yaml(path, yaml_text, first_line=2)
    return _Frontmatter(data, yaml_text, yaml_start, _next_line(text, closing.end()))


def _next_line(text: str, pos: int) -> int:
    """Offset of the line after the one ending at ``pos``."""
    newline = text.find("\n", pos)
    return len(text) if newline == -1 else newline + 1


def _load_yaml(path: Path, yaml_text: str, first_line: int) -> dict[str, Any]:
    """Parse frontmatter with a safe loader; it must be a mapping.  Errors name the file line."""
    try:
        data = _FRONTMATTER.load(yaml_text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise InputError(path, _yaml_reason(exc, yaml_text, first_line)) from exc
    except (yaml.YAMLError, RecursionError) as exc:
        raise InputError(path, f"broken YAML frontmatter: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(path, f"frontmatter must be a mapping of keys to values, not a {_yaml_type(data)}")
    return data


def _yaml_reason(exc: yaml.MarkedYAMLError, yaml_text: str, first_line: int) -> str:
    """Say what is wrong with the frontmatter, on which file line, quoting that line."""
    lines = yaml_text.splitlines()
    marks = [m for m in (exc.problem_mark, exc.context_mark) if m is not None]
    inside = [m for m in marks if m.line < len(lines)]  # a problem "at the end of the stream" is not a line
    index = (inside or marks)[0].line if marks else 0
    quoted = f": {lines[index].strip()!r}" if index < len(lines) else ""
    tag = _UNKNOWN_TAG.search(exc.problem or "")
    if tag:
        problem = f"unsupported YAML tag !!{tag.group(1)} (frontmatter is read with a safe loader)"
    else:
        problem = f"broken YAML frontmatter ({' '.join(filter(None, [exc.context, exc.problem]))})"
    return f"{problem}, line {first_line + index}{quoted}"


def _yaml_type(value: Any) -> str:
    """How to name a non-mapping frontmatter in an error message."""
    return "list" if isinstance(value, list) else f"scalar ({type(value).__name__})"


def frontmatter_meta(data: dict[str, Any]) -> dict[str, str]:
    """The scalar frontmatter fields kept in ``Document.meta``, as strings (dates in ISO form)."""
    meta = {}
    for key in _META_FIELDS:
        value = _scalar(data.get(key))
        if value:
            meta[key] = value
    return meta


def _scalar(value: Any) -> str | None:
    """A YAML scalar as a string; ``None`` for missing values and for lists or mappings."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value).strip()
    return None


def frontmatter_keywords(data: dict[str, Any]) -> list[str]:
    """Keywords from ``page_keywords``, ``seo.page_keywords``, ``keywords`` and ``tags`` (comma lists or lists)."""
    seo = data.get("seo")
    sources = [data.get("page_keywords"), seo.get("page_keywords") if isinstance(seo, dict) else None,
               data.get("keywords"), data.get("tags")]
    words: list[str] = []
    for value in sources:
        items = value if isinstance(value, list) else [value]
        for item in items:
            words += _split_keywords(_scalar(item) or "")
    return words


def _split_keywords(value: str) -> list[str]:
    """Comma-separated keywords, stripped of blanks and of a leading ``#``."""
    words = (w.strip().lstrip("#").strip() for w in value.split(","))
    return [w for w in words if w]


def unique(items: list[str]) -> list[str]:
    """``items`` without repeats, in first-seen order."""
    return list(dict.fromkeys(items))


def related(data: dict[str, Any]) -> list[RelatedDoc]:
    """``related_article1..N`` entries in number order, without repeats."""
    entries = sorted((int(m.group(1)), key) for key in data if (m := _RELATED.fullmatch(str(key))))
    related: dict[str, RelatedDoc] = {}
    for _, key in entries:
        entry = data[key]
        if not isinstance(entry, dict):
            continue
        ref = _scalar(entry.get("id")) or _scalar(entry.get("url"))
        if ref and ref not in related:
            related[ref] = RelatedDoc(ref, _scalar(entry.get("title")), _scalar(entry.get("url")),
                                      _scalar(entry.get("subject")))
    return list(related.values())


# ------------------------------------------------------------ body metadata lines


def read_metadata_lines(text: str, pos: int, meta: dict[str, Any]) -> int:
    """Read ``From: [[channel]]``-style lines at the top of the body into ``meta``; return where prose starts."""
    for _ in range(METADATA_LINES):
        while _is_blank_line(text, pos):
            pos = _next_line(text, pos)
        end = _line_end(text, pos)
        m = _METADATA_LINE.match(text, pos, end)
        if m is None:
            break
        _store_metadata(m.group(1).lower(), to_plain(m.group(2)), meta)
        pos = _next_line(text, pos)
    return pos


def _is_blank_line(text: str, pos: int) -> bool:
    """True if the line at ``pos`` is blank and is not the last line."""
    end = _line_end(text, pos)
    return end < len(text) and not text[pos:end].strip()


def _line_end(text: str, pos: int) -> int:
    """Offset of the line break (or the end of the text) after ``pos``."""
    newline = text.find("\n", pos)
    return len(text) if newline == -1 else newline


def _store_metadata(key: str, value: PlainText, meta: dict[str, Any]) -> None:
    """Store one metadata line: a wiki link's slug (``From: [[veritasium]]``) or the text."""
    target = _METADATA_TARGET[key]
    if target == "keywords":
        words = value.text if "," in value.text else ",".join(value.text.split())
        meta["keywords"] = meta.get("keywords", []) + _split_keywords(words)
        return
    found = value.links[0].slug if value.links else value.text.strip()
    if found:
        meta[target] = found


# --------------------------------------------------------------- Q&A text fields


def has_fields(data: dict[str, Any], fields: tuple[str, ...]) -> bool:
    """True if one of ``fields`` is a non-blank string in the frontmatter."""
    return any(isinstance(data.get(name), str) and data[name].strip() for name in fields)


def fields_plain(fm: _Frontmatter, fields: tuple[str, ...]) -> PlainText:
    """Plain text of the string fields ``fields`` (in order, a blank line apart), offsets into the file."""
    root = yaml.compose(fm.yaml_text, Loader=_SAFE_LOADER)
    parts = []
    for name in fields:
        node = _value_node(root, name)
        if node is not None and isinstance(node.value, str) and node.value.strip():
            parts.append(_field_plain(node, fm))
    return _join(parts, fm.yaml_start)


def _value_node(root: yaml.Node, name: str) -> yaml.ScalarNode | None:
    """The value node of top-level key ``name`` (the last one if the key repeats)."""
    for key, value in reversed(root.value):
        if isinstance(key, yaml.ScalarNode) and key.value == name and isinstance(value, yaml.ScalarNode):
            return value
    return None


def _field_plain(node: yaml.ScalarNode, fm: _Frontmatter) -> PlainText:
    """Decode a field's literal ``\\n`` escapes, strip its markdown, and map the offsets back to the file."""
    decoded, to_value = _decode_escapes(node.value)
    plain = to_plain(decoded)
    start, end = node.start_mark.index, node.end_mark.index
    to_raw = _align(node.value, fm.yaml_text[start:end], node.style)
    base = fm.yaml_start + start
    plain.offsets = [base + to_raw[to_value[i]] for i in plain.offsets]
    return plain


def _decode_escapes(value: str) -> tuple[str, list[int]]:
    """Turn literal ``\\n``, ``\\r``, ``\\t``, ``\\"`` into the characters; map each result char to ``value``."""
    chars: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _ESCAPE.finditer(value):
        chars.append(value[pos:m.start()])
        index.extend(range(pos, m.start()))
        chars.append(_ESCAPED[m.group(1)])
        index.append(m.start())
        pos = m.end()
    chars.append(value[pos:])
    index.extend(range(pos, len(value) + 1))
    return "".join(chars), index


def _align(value: str, raw: str, style: str | None) -> list[int]:
    """For each char of a parsed YAML scalar, its index in the raw source of the scalar (plus an end entry).

    Walks both greedily.  A value char that is not simply the next raw char comes after
    noise the raw text has more of (line breaks with their indentation, escaped line breaks,
    doubled single quotes), from an escape sequence of a double-quoted scalar, or, for a
    space made by folding a line, from nothing at all (it is mapped without consuming).
    """
    j = _raw_content_start(raw, style)
    out = []
    for ch in value:
        escape = style == '"' and raw[j:j + 1] == "\\"
        if not escape and raw[j:j + 1] == ch:
            out.append(j)
            j += 1
            continue
        j = _skip_noise(raw, j, style)
        out.append(j)
        if style == '"' and raw[j:j + 1] == "\\":
            j += _escape_length(raw, j)
        elif raw[j:j + 1] == ch:
            j += 1
    out.append(j)
    return out


def _raw_content_start(raw: str, style: str | None) -> int:
    """Skip a block scalar's header line (``>-``) or a quoted scalar's opening quote."""
    if style in ("|", ">"):
        return _next_line(raw, 0)
    return 1 if style in ("'", '"') else 0


def _skip_noise(raw: str, j: int, style: str | None) -> int:
    """Advance over raw characters that give nothing by themselves in the parsed value."""
    while j < len(raw):
        if raw[j] in " \t\r\n" or (style == "'" and raw[j] == "'"):
            j += 1
        elif style == '"' and raw[j] == "\\" and raw[j + 1:j + 2] in ("\n", "\r"):
            j += 2  # an escaped line break continues the line
        else:
            break
    return j


def _escape_length(raw: str, j: int) -> int:
    """Length of the double-quoted escape sequence at ``raw[j]``."""
    return {"x": 4, "u": 6, "U": 10}.get(raw[j + 1:j + 2], 2)


def _join(parts: list[PlainText], empty_at: int) -> PlainText:
    """Concatenate plain texts a blank line apart (each ends with ``"\\n"``, so one more is added)."""
    chunks: list[str] = []
    offsets: list[int] = []
    links: list[WikiLink] = []
    stamps: list[Timestamp] = []
    blocks: list[tuple[int, str]] = []
    size, end = 0, empty_at
    for part in parts:
        if size:
            chunks.append("\n")
            offsets.append(end)
            size += 1
        chunks.append(part.text)
        offsets += part.offsets[:-1]
        links += [replace(link, start=link.start + size, end=link.end + size) for link in part.links]
        stamps += [replace(ts, position=ts.position + size) for ts in part.timestamps]
        blocks += [(start + size, kind) for start, kind in part.blocks]
        size += len(part.text)
        end = part.offsets[-1]
    return PlainText("".join(chunks), offsets + [end], links, stamps, blocks)
