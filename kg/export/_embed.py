"""JSON that can sit inside ``<script type="application/json">`` in an HTML page, whole or in pieces.

Non-ASCII characters (lone surrogates included) become ``\\uXXXX`` escapes, and so do ``<``,
``>``, ``&``, U+2028 and U+2029: no ``</script>``, ``<!--`` or entity can appear, and
``JSON.parse`` reads back exactly the original strings.  Keys are sorted and there is no
whitespace, so the text depends only on the data.

:func:`iter_embedded_json` gives the same text as :func:`embed_json` in pieces of at most
:data:`CHUNK` list items or dict entries, each encoded by the C encoder of :mod:`json`: a page
of a 20,000-note graph is a few hundred megabytes of JSON, and written piece by piece it is
never held whole (nor twice, escaped and not).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

#: List items or dict entries per piece of :func:`iter_embedded_json`.
CHUNK = 2000

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _dumps(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _UNSAFE.sub(lambda m: _ESCAPES[m.group()], text)


def embed_json(data: Any) -> str:
    """``data`` as one string of embeddable JSON (see the module docstring)."""
    return _dumps(data)


def iter_embedded_json(data: Any, depth: int = 2, drop: bool = False) -> Iterator[str]:
    """The text of :func:`embed_json` in pieces: lists and dicts down to ``depth`` levels are
    opened, a long one :data:`CHUNK` items or entries at a time, a short dict key by key (with
    ``drop``, each of its values is taken out of it once written, so it can be freed)."""
    if depth <= 0 or not data or not isinstance(data, (dict, list)) or (
            isinstance(data, dict) and not all(isinstance(k, str) for k in data)):
        yield _dumps(data)  # json's own rules for keys that are not strings
    elif isinstance(data, list):
        yield "["
        for start in range(0, len(data), CHUNK):
            yield ("," if start else "") + _dumps(data[start:start + CHUNK])[1:-1]
        yield "]"
    elif len(data) > CHUNK:
        keys = sorted(data)
        yield "{"
        for start in range(0, len(keys), CHUNK):
            yield ("," if start else "") + _dumps({k: data[k] for k in keys[start:start + CHUNK]})[1:-1]
        yield "}"
    else:
        yield "{"
        for i, key in enumerate(sorted(data)):
            yield ("," if i else "") + _dumps(key) + ":"
            yield from iter_embedded_json(data.pop(key) if drop else data[key], depth - 1)
        yield "}"
