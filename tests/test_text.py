"""Markdown to plain text (:mod:`kg.text`): visible text, links, timestamps, and the offset map."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import Timestamp, WikiLink
from kg.text import PlainText, parse_clock, to_plain

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: Characters the builder may add that are not copied from the source.
SYNTHETIC = {" ", "\n", ";"}


def assert_offsets_exact(source: str, plain: PlainText, base: int = 0) -> None:
    """The offset map has one entry per char plus one, never goes back, and points at the char it came from."""
    assert len(plain.offsets) == len(plain.text) + 1
    assert all(a <= b for a, b in zip(plain.offsets, plain.offsets[1:]))
    for ch, off in zip(plain.text, plain.offsets):
        if ch in SYNTHETIC:
            continue
        at = off - base
        assert source[at] == ch or source[at] == "&", (ch, at, source[max(0, at - 10):at + 10])


TEXT_CASES = [
    ("heading", "# Title\nBody", "Title\nBody\n"),
    ("heading closing hashes", "## Title ##\n", "Title\n"),
    ("hashtag is not a heading", "#tag here", "#tag here\n"),
    ("soft-wrapped paragraph", "one\ntwo\n\nthree", "one two\n\nthree\n"),
    ("many blank lines collapse", "one\n\n\n\ntwo", "one\n\ntwo\n"),
    ("list markers", "* a\n- b\n+ c\n1. d\n2) e", "a\nb\nc\nd\ne\n"),
    ("numbered items after a paragraph", "Steps:\n1. first\n2. second", "Steps:\nfirst\nsecond\n"),
    ("list item continuation", "* long item\n  continues here", "long item continues here\n"),
    ("nested list", "- top\n    - nested\n        - deeper", "top\nnested\ndeeper\n"),
    ("block quote lines join", "> quoted\n> more", "quoted more\n"),
    ("nested quote with list", "> > - deep item", "deep item\n"),
    ("quote then paragraph", "> quoted\n\nplain", "quoted\n\nplain\n"),
    ("emphasis", "**bold** and __strong__ and *it* and _em_", "bold and strong and it and em\n"),
    ("bold list label", "*   **Distinct Perspectives**: text", "Distinct Perspectives: text\n"),
    ("snake_case kept", "a snake_case_name and __init__.py", "a snake_case_name and init.py\n"),
    ("lone stars kept", "2 * 3 * 4 = 24", "2 * 3 * 4 = 24\n"),
    ("unpaired star kept", "a *lonely star", "a *lonely star\n"),
    ("bold across soft wrap", "**bold\ntext** end", "bold text end\n"),
    ("inline code", "use `a_b*c` here", "use a_b*c here\n"),
    ("link", "[NASA site](https://nasa.gov) here", "NASA site here\n"),
    ("link with parens in url", "[Io](https://en.wikipedia.org/wiki/Io_(moon)) moon", "Io moon\n"),
    ("emphasis inside link", "[**Juno**](x) orbits", "Juno orbits\n"),
    ("image removed", "![alt text](img.png)Caption", "Caption\n"),
    ("autolink keeps url", "see <https://esa.int> now", "see https://esa.int now\n"),
    ("html tags", "<b>bold</b> <span class='x'>s</span>", "bold s\n"),
    ("br tags", "a<br>b<br/>c<BR />d", "a\nb\nc\nd\n"),
    ("comment", "a <!-- hidden --> b", "a b\n"),
    ("removed markup leaves one space", "a <b></b> ![i](x) b", "a b\n"),
    ("multi-line comment", "a\n<!--\nhidden\n-->\nb", "a b\n"),
    ("unclosed comment is text", "a <!-- b", "a <!-- b\n"),
    ("entities", "AT&amp;T &lt;x&gt; caf&eacute;&nbsp;au&#32;lait", "AT&T <x> café au lait\n"),
    ("unknown entity kept", "&bogus; stays", "&bogus; stays\n"),
    ("nbsp-only line is blank", "a\n&nbsp;\nb", "a\n\nb\n"),
    ("backslash escape", r"\*not bold\* \[x]", "*not bold* [x]\n"),
    ("thematic break", "a\n\n---\n\nb", "a\n\nb\n"),
    ("setext underline dropped", "Title\n===\nbody", "Title\nbody\n"),
    ("table", "| A | B |\n|---|:-:|\n| 1 | 2 |", "A; B\n1; 2\n"),
    ("table with wiki link", "| [[x|Y]] | z |", "Y; z\n"),
    ("code fence", "```py\nx = a_b * 2\n```\nafter", "x = a_b * 2\nafter\n"),
    ("crlf", "a\r\nb\r\n\r\nc\r\n", "a b\n\nc\n"),
    ("unclosed wiki link is text", "an [[open link", "an [[open link\n"),
    ("unclosed anchor is text", 'x <a class="yt-timestamp" data-t="00:01:00" y',
     'x <a class="yt-timestamp" data-t="00:01:00" y\n'),
    ("empty", "", ""),
    ("only blanks", "  \n\n \t\n", ""),
]


@pytest.mark.parametrize("markdown, expected", [c[1:] for c in TEXT_CASES], ids=[c[0] for c in TEXT_CASES])
def test_visible_text(markdown: str, expected: str) -> None:
    plain = to_plain(markdown)
    assert plain.text == expected
    assert_offsets_exact(markdown, plain)


WIKI_CASES = [
    ("[[europa]] moon", "europa moon\n", WikiLink("europa", 0, 6, "europa")),
    ("the [[jwst|Webb]] telescope", "the Webb telescope\n", WikiLink("jwst", 4, 8, "Webb")),
    ("[[nasas_europa_clipper | Europa Clipper]]", "Europa Clipper\n",
     WikiLink("nasas_europa_clipper", 0, 14, "Europa Clipper")),
    ("[[juno#Orbit|its orbit]]", "its orbit\n", WikiLink("juno", 0, 9, "its orbit", heading="Orbit")),
    ("[[juno#Orbit]]", "juno\n", WikiLink("juno", 0, 4, "juno", heading="Orbit")),
    ("[[#Launch]]", "Launch\n", WikiLink("", 0, 6, "Launch", heading="Launch")),
    ("[[x|]] empty alias", "x empty alias\n", WikiLink("x", 0, 1, "x")),
    ("a ![[diagram.png]] b", "a b\n", WikiLink("diagram.png", 2, 2, "", embed=True)),
    ("**[[mars | Mars]]** rover", "Mars rover\n", WikiLink("mars", 0, 4, "Mars")),
]


@pytest.mark.parametrize("markdown, expected_text, expected_link", WIKI_CASES)
def test_wiki_links(markdown: str, expected_text: str, expected_link: WikiLink) -> None:
    plain = to_plain(markdown)
    assert plain.text == expected_text
    assert plain.links == [expected_link]
    assert plain.text[expected_link.start:expected_link.end] == expected_link.text
    assert_offsets_exact(markdown, plain)


def _anchor(clock: str, quote: str = '"', order: str = "class-first") -> str:
    cls, data = f"class={quote}yt-timestamp{quote}", f"data-t={quote}{clock}{quote}"
    attrs = f"{cls} {data}" if order == "class-first" else f"{data} {cls}"
    return f"<a {attrs}>[{clock}]</a>"


TIMESTAMP_CASES = [
    ("hh:mm:ss", f"Juno arrived {_anchor('00:14:21')}. Next", "Juno arrived. Next\n", [Timestamp(12, 861, "00:14:21")]),
    ("mm:ss", f"Go {_anchor('02:05')}", "Go\n", [Timestamp(2, 125, "02:05")]),
    ("single quotes, data-t first", f"Go {_anchor('01:00:00', quote=chr(39), order='data')}!", "Go!\n",
     [Timestamp(2, 3600, "01:00:00")]),
    ("out of range dropped", f"Bad {_anchor('99:99:99')}. Ok", "Bad. Ok\n", []),
    ("garbage dropped", f"Bad {_anchor('soon')}. Ok", "Bad. Ok\n", []),
    ("two in a row", f"a {_anchor('00:01')} {_anchor('00:02')}\nb", "a b\n",
     [Timestamp(1, 1, "00:01"), Timestamp(1, 2, "00:02")]),
    ("without closing tag", 'x <a class="yt-timestamp" data-t="00:10">[00:10] y', "x y\n", [Timestamp(1, 10, "00:10")]),
    ("plain link kept", 'see <a href="https://x.org">the page</a>', "see the page\n", []),
]


@pytest.mark.parametrize("markdown, expected_text, expected_stamps", [c[1:] for c in TIMESTAMP_CASES],
                         ids=[c[0] for c in TIMESTAMP_CASES])
def test_timestamps(markdown: str, expected_text: str, expected_stamps: list[Timestamp]) -> None:
    plain = to_plain(markdown)
    assert plain.text == expected_text
    assert plain.timestamps == expected_stamps
    assert_offsets_exact(markdown, plain)


@pytest.mark.parametrize("clock, seconds", [
    ("00:14:21", 861), ("1:02:03", 3723), ("14:21", 861), ("0:05", 5),
    ("00:60:00", None), ("99:99:99", None), ("12:75", None), ("", None), ("1:2:3:4", None), ("ab:cd", None),
])
def test_parse_clock(clock: str, seconds: int | None) -> None:
    assert parse_clock(clock) == seconds


def test_base_shifts_offsets() -> None:
    plain = to_plain("**Io** moon", base=100)
    assert plain.text == "Io moon\n"
    assert plain.offsets[:2] == [102, 103]
    assert_offsets_exact("**Io** moon", plain, base=100)


def test_seed_video_note_body() -> None:
    source = (SEEDS / "000_be274fb490424e22.txt").read_text(encoding="utf-8")
    plain = to_plain(source)
    clipper = [link for link in plain.links if link.text == "Europa Clipper"]
    assert clipper and all(link.slug == "nasas_europa_clipper_mission" for link in clipper)
    for link in clipper:
        start = plain.offsets[link.start]
        assert source[start:start + len("Europa Clipper")] == "Europa Clipper"
        assert source.rfind("[[", 0, start) > source.rfind("]]", 0, start)
    assert "**" not in plain.text and "<a" not in plain.text
    assert_offsets_exact(source, plain)


# ----------------------------------------------------------------- properties

PIECES = [
    "# ", "## ", "* ", "- ", "1. ", "> ", "**", "__", "*", "_", "`", "``", "[[", "]]", "|", "#", "[", "](u)",
    "![", "<b>", "</b>", "<br>", "<!--", "-->", "&amp;", "&nbsp;", "&#xa0;", "&bogus;", "\\*", "\n", "\r\n", "\n\n",
    "   ", "\t", "\r", "\x0c", "\u00a0", "---", "```", "~~~", "=== ",
    "<a class=\"yt-timestamp\" data-t=\"00:01:02\">[00:01:02]</a>",
    "<a data-t='99:99' class='yt-timestamp'>", "[[a|B]]", "[[a#h]]", "![[e]]", "x_y", "word", "NASA's", "é",
]
markdownish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(markdownish, st.integers(min_value=0, max_value=1000))
def test_offsets_property(markdown: str, base: int) -> None:
    """For any markdown-ish input the map is exact, and links and timestamps point inside the text."""
    plain = to_plain(markdown, base=base)
    assert_offsets_exact(markdown, plain, base=base)
    for link in plain.links:
        assert plain.text[link.start:link.end] == link.text
    for stamp in plain.timestamps:
        assert 0 <= stamp.position <= len(plain.text)


words = st.text(alphabet="abcxyz", min_size=1, max_size=6)
soft_wrapped = st.lists(st.lists(words, min_size=1, max_size=6), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(soft_wrapped, st.sampled_from(["\n", "\r\n"]))
def test_soft_wrapped_paragraph_is_one_line(lines: list[list[str]], newline: str) -> None:
    """A paragraph's source lines are joined with spaces: no line break inside it, one at its end."""
    markdown = newline.join(" ".join(line) for line in lines)
    plain = to_plain(markdown)
    assert plain.text == " ".join(w for line in lines for w in line) + "\n"
    assert_offsets_exact(markdown, plain)


# ---------------------------------------------------------------- performance

SLOW_INPUTS = {
    "1 MB word": "x" * 1_000_000,
    "1 MB of [": "[" * 1_000_000,
    "1 MB of [[a|": "[[a|" * 250_000,
    "1 MB of <a": "<a " * 333_333,
    "1 MB of *a": "*a" * 500_000,
    "1 MB of a_": "a_" * 500_000,
    "1 MB of backticks": "`a" * 500_000,
    "1 MB of &": "&a" * 500_000,
    "1 MB of <!--": "<!--" * 250_000,
    "1 MB table row": "|" + "a|" * 500_000,
    "1 MB of >": ">" * 1_000_000,
    "deep nesting": "".join(">" * i + " " + "  " * i + "- item\n" for i in range(2000)),
}


@pytest.mark.parametrize("markdown", SLOW_INPUTS.values(), ids=SLOW_INPUTS.keys())
def test_long_lines_are_linear(markdown: str) -> None:
    started = time.perf_counter()
    plain = to_plain(markdown)
    assert time.perf_counter() - started < 15
    assert len(plain.offsets) == len(plain.text) + 1


def test_ten_megabytes() -> None:
    body = (SEEDS / "000_be274fb490424e22.txt").read_text(encoding="utf-8")
    big = body * (10_000_000 // len(body) + 1)
    started = time.perf_counter()
    plain = to_plain(big)
    assert time.perf_counter() - started < 30
    assert plain.text.count("NASA's Europa Clipper mission") == big.count("NASA's [[nasas_europa_clipper_mission")
