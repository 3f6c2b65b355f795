"""The one rule for text written into XML (GEXF, GraphML) and CSV (Neo4j import) files.

XML 1.0 allows only ``#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]``;
a file with any other character is not XML, and Gephi, graphology and igraph refuse it.
:func:`clean_text` therefore

1. **removes** every character XML 1.0 forbids: the C0 control characters except TAB, LF
   and CR (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F), lone surrogates (U+D800-U+DFFF,
   which cannot be written as UTF-8 either) and the non-characters U+FFFE and U+FFFF;
2. **normalises line breaks**: CR LF and a lone CR become LF.  Every XML parser does this
   to element text anyway, so a value written by kg reads back exactly.

Everything else is kept as it is: tabs and newlines, C1 controls (allowed by XML 1.0),
right-to-left marks, zero-width joiners, emoji, quotes, ``<``, ``&``.  Markup characters
are the XML writer's business (it escapes them); this function only decides which
characters exist at all.

The Neo4j CSV files follow the same rule, so every file-based export agrees on the text.
Cypher scripts do not: they escape text with :func:`kg.export.neo4j.cypher_string`,
which keeps control characters.
"""
from __future__ import annotations

import re

#: Characters XML 1.0 does not allow anywhere in a document.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("\r\n?")


def clean_text(value: object) -> str:
    """``value`` as a string that any XML 1.0 or CSV file can hold (see the module docstring)."""
    text = value if isinstance(value, str) else str(value)
    return _LINE_BREAK.sub("\n", XML_FORBIDDEN.sub("", text))
