"""Files to Documents (:mod:`kg.ingest`): the seeds, the dev corpus, hostile inputs, discovery and ids."""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import discover, document_ids, iter_documents, read_document
from kg.model import NOTE, QA_ARTICLE, VIDEO_NOTE, Document, RelatedDoc

from tests.conftest import DEV, SEEDS, shared
DATA = Path(__file__).resolve().parent / "data" / "ingest"
VIDEO_SEED = SEEDS / "000_be274fb490424e22.txt"
QA_SEED = SEEDS / "002_c0d6834590c3d383.txt"
DEV_FILES = sorted(DEV.glob("*.md"))

_BOMS = {"utf-8-sig": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


def source_of(doc: Document) -> str:
    """The decoded file text the document's offsets point into (BOM stripped)."""
    raw = Path(doc.path).read_bytes()
    encoding = doc.meta["encoding"]
    return raw[len(_BOMS.get(encoding, b"")):].decode(encoding.removesuffix("-sig"))


def assert_words_map_back(doc: Document) -> None:
    """Every word of the plain text is found, verbatim, at its offset in the source file."""
    source = source_of(doc)
    assert len(doc.offsets) == len(doc.text) + 1
    for m in re.finditer(r"\w+", doc.text):
        start = doc.offsets[m.start()]
        assert source[start:start + len(m.group())] == m.group(), (m.group(), source[start - 20:start + 20])


# ------------------------------------------------------------------------ seeds


@pytest.fixture(scope="module")
def video() -> Document:
    return read_document(VIDEO_SEED, VIDEO_SEED.stem)


@pytest.fixture(scope="module")
def qa() -> Document:
    return read_document(QA_SEED, QA_SEED.stem)


@pytest.mark.parametrize("phrase", [
    "NASA's Europa Clipper mission",
    "The European Space Agency's (ESA) Jupiter Icy Moon Explorer (JUICE) mission",
    "The ESA's JUICE mission is already en route to Jupiter.",
    "Distinct Perspectives: The JUICE mission will orbit Ganymede",
])
def test_video_seed_contains(video: Document, phrase: str) -> None:
    assert phrase in video.text


@pytest.mark.parametrize("leak", ["[[", "]]", "<a", "</a>", "00:14", "From:", "veritasium", "**", "<br"])
def test_video_seed_has_no_markup(video: Document, leak: str) -> None:
    assert leak not in video.text


def test_video_seed_timestamp_of_a_sentence(video: Document) -> None:
    sentence = "The ESA's JUICE mission is already en route to Jupiter."
    start = video.text.index(sentence)
    stamp = video.timestamp_at(start, start + len(sentence))
    assert stamp is not None and stamp.seconds == 854
    assert video.timestamp_url(stamp) == "https://www.youtube.com/watch?v=DJO_9auJhJQ&t=854s"


def test_video_seed_metadata_and_links(video: Document) -> None:
    assert video.kind == VIDEO_NOTE
    assert video.meta["videoId"] == "DJO_9auJhJQ"
    assert video.meta["channel"] == "veritasium"
    assert video.meta["title"] == "Collaborative Space Exploration Efforts"
    assert len(video.timestamps) == 14
    assert [l.slug for l in video.links].count("nasas_europa_clipper_mission") == 6
    assert "veritasium" not in [l.slug for l in video.links]


def test_video_seed_link_offsets_point_into_the_wiki_link(video: Document) -> None:
    source = source_of(video)
    clipper = [l for l in video.links if l.text == "Europa Clipper"]
    assert len(clipper) == source.count("[[nasas_europa_clipper_mission | Europa Clipper]]") == 6
    for link in clipper:
        start, end = video.source_span(link.start, link.end)
        assert source[start:end] == "Europa Clipper"
        assert source[:start].endswith("[[nasas_europa_clipper_mission | ")
        assert source[end:end + 2] == "]]"


def test_seed_words_map_back(video: Document, qa: Document) -> None:
    assert_words_map_back(video)
    assert_words_map_back(qa)


def test_qa_seed_text(qa: Document) -> None:
    assert qa.kind == QA_ARTICLE
    assert qa.text.startswith("International collaboration plays a crucial role")
    assert "NASA's Artemis program" in qa.text
    assert "the European Space Agency (ESA) has advanced capabilities" in qa.text
    assert "\\n" not in qa.text and "**" not in qa.text and "&nbsp;" not in qa.text
    assert "\nResource Sharing: Space missions" in qa.text  # "1. **Resource Sharing**:" is a list item
    assert "How does international collaboration" not in qa.text  # the question is metadata


def test_qa_seed_metadata(qa: Document) -> None:
    assert qa.meta["id"] == "171623"
    assert qa.meta["date"] == "2025-02-08"
    assert qa.meta["question"].startswith("How does international collaboration")
    assert "NASA" in qa.meta["keywords"] and "International Space Station" in qa.meta["keywords"]
    assert qa.related == [
        RelatedDoc("171637", "What role does space play as a peaceful domain in international relations?",
                   "/learn/history-of-the-world/questions/what-role-does-space-play-as-a-peaceful-domain-in-"
                   "international-relations", "History of the World"),
        RelatedDoc("171633", "What was the significance of the space race in international competition?",
                   "/learn/history-of-the-world/questions/what-was-the-significance-of-the-space-race-in-"
                   "international-competition", "History of the World"),
        RelatedDoc("171632", "How do government initiatives influence national priorities in science and technology?",
                   "/learn/history-of-the-world/questions/how-do-government-initiatives-influence-national-"
                   "priorities-in-science-and-technology", "History of the World"),
    ]


def test_document_round_trips(qa: Document) -> None:
    assert Document.from_dict(qa.to_dict()) == qa


# ------------------------------------------------------------------- dev corpus


def test_dev_corpus_is_there() -> None:
    """The dev corpus the next test reads (its absence fails in CI, naming the folder)."""
    assert shared("corpus", "dev").is_dir()


@pytest.mark.parametrize("path", DEV_FILES, ids=[p.name for p in DEV_FILES])
def test_dev_corpus_ingests(path: Path) -> None:
    doc = read_document(path, path.stem)
    raw = path.read_text(encoding="utf-8")
    assert doc.kind == (VIDEO_NOTE if path.name.startswith("dev_A") else QA_ARTICLE)
    for leak in ("[[", "<a ", "**", "\\n", "From:", "&nbsp;"):
        assert leak not in doc.text
    assert_words_map_back(doc)
    # numbered list items become lines of their own
    items = re.findall(r"(?:^|\\n)\d+\. (?:\*\*)?(\w+ \w+)", raw, re.MULTILINE)
    for first_words in items:
        assert "\n" + first_words in doc.text


# --------------------------------------------------------------- input table


@dataclass
class Expect:
    """What reading an input gives: an error mentioning ``error``, or a document with these properties."""

    error: str | None = None
    text: str | None = None
    contains: list[str] = field(default_factory=list)
    kind: str | None = None
    meta: dict = field(default_factory=dict)
    stamps: list[int] | None = None


def _fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


NOTE_MD = "---\ntitle: Café\n---\nCafé on [[mars]] is *open*.\n"

INPUTS = [
    ("broken YAML", "broken_yaml.md", _fixture("broken_yaml.md"),
     Expect(error="line 3: 'videoId: [unclosed, list'")),
    ("list frontmatter", "list.md", _fixture("list_frontmatter.md"), Expect(error="not a list")),
    ("scalar frontmatter", "scalar.md", _fixture("scalar_frontmatter.md"), Expect(error="not a scalar")),
    ("unclosed frontmatter", "unclosed_fm.md", _fixture("unclosed_frontmatter.md"), Expect(error="never closed")),
    ("only frontmatter", "only_fm.md", _fixture("only_frontmatter.md"), Expect(error="no text")),
    ("empty file", "empty.md", b"", Expect(error="empty file")),
    ("whitespace only", "blank.md", b"  \n\n\t\n", Expect(error="empty file")),
    ("binary", "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Expect(error="binary")),
    ("bad UTF-8 after a BOM", "bad_bom.md", codecs.BOM_UTF8 + b"caf\xe9", Expect(error="cannot decode as utf-8")),
    ("Latin-1", "latin1.md", "Café naïve Señor\n".encode("latin-1"),
     Expect(text="Café naïve Señor\n", meta={"encoding": "cp1252"})),
    ("Latin-1 outside cp1252", "latin1b.md", b"ab\x81cd\n", Expect(text="ab\x81cd\n", meta={"encoding": "latin-1"})),
    ("cp1252 quotes", "cp1252.md", "\u201cquoted\u201d text\n".encode("cp1252"),
     Expect(text="\u201cquoted\u201d text\n", meta={"encoding": "cp1252"})),
    ("UTF-8 BOM", "bom8.md", codecs.BOM_UTF8 + NOTE_MD.encode("utf-8"),
     Expect(text="Café on mars is open.\n", meta={"encoding": "utf-8-sig", "title": "Café"})),
    ("UTF-16 LE BOM", "bom16le.md", codecs.BOM_UTF16_LE + NOTE_MD.encode("utf-16-le"),
     Expect(text="Café on mars is open.\n", meta={"encoding": "utf-16-le", "title": "Café"})),
    ("UTF-16 BE BOM", "bom16be.md", codecs.BOM_UTF16_BE + NOTE_MD.encode("utf-16-be"),
     Expect(text="Café on mars is open.\n", meta={"encoding": "utf-16-be", "title": "Café"})),
    ("CRLF", "crlf.md", NOTE_MD.replace("\n", "\r\n").encode() + b"second\r\nline\r\n\r\nNext para.\r\n",
     Expect(text="Café on mars is open. second line\n\nNext para.\n", meta={"title": "Café"})),
    ("CRLF Q&A", "crlf_qa.md", b"---\r\nanswer: >-\r\n    Juno orbits\r\n    Jupiter.\\n\\n1. **Io** too.\r\n---\r\n",
     Expect(text="Juno orbits Jupiter.\n\nIo too.\n", kind=QA_ARTICLE)),
    ("unclosed [[ and <a", "unclosed.md", _fixture("unclosed_markup.md"),
     Expect(contains=["An [[unclosed link", '<a class="yt-timestamp" data-t="00:01:00" unclosed'], kind=NOTE)),
    ("bad timestamps", "stamps.md", _fixture("bad_timestamps.md"),
     Expect(text="Voyager 1 launched in 1977. It flew past Jupiter. It reached interstellar space.\n",
            kind=VIDEO_NOTE, meta={"channel": "some_channel"}, stamps=[62])),
    ("body metadata lines", "meta.md", _fixture("metadata_lines.md"),
     Expect(text="Apollo 11 landed on the Moon in 1969. Source: this line is prose, not metadata.\n",
            meta={"source": "https://example.org/notes", "channel": "the Apollo archive",
                  "keywords": ["apollo", "moon"]})),
    ("double-quoted Q&A", "qa_quoted.md", _fixture("qa_quoted.md"),
     Expect(text='NASA\'s Dragonfly will fly on Titan.\n\nIt launches in 2028.\nIt lands in 2034 "near" Selk crater.\n',
            kind=QA_ARTICLE, meta={"question": "Who's flying to Titan?"})),
    ("folded Q&A", "qa_folded.md", _fixture("qa_folded.md"),
     Expect(text="The Hubble Space Telescope was launched in 1990 by NASA with ESA as a partner.\n\n"
                 "It orbits Earth at about 540 km.\n", kind=QA_ARTICLE,
            meta={"question": "What is Hubble?", "keywords": ["hubble", "telescopes"]})),
    ("1 MB line without spaces", "long.md", b"---\ntitle: long\n---\n" + b"x" * 1_000_000 + b"\n",
     Expect(contains=["xxxxxxxx"], kind=NOTE)),
]


@pytest.mark.parametrize("name, content, expect", [c[1:] for c in INPUTS], ids=[c[0] for c in INPUTS])
def test_inputs(tmp_path: Path, name: str, content: bytes, expect: Expect) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    started = time.perf_counter()
    if expect.error:
        with pytest.raises(InputError) as caught:
            read_document(path, path.stem)
        assert str(path) in str(caught.value)
        assert expect.error in str(caught.value)
        return
    doc = read_document(path, path.stem)
    assert time.perf_counter() - started < 20
    if expect.text is not None:
        assert doc.text == expect.text
    for phrase in expect.contains:
        assert phrase in doc.text
    if expect.kind:
        assert doc.kind == expect.kind
    for key, value in expect.meta.items():
        assert doc.meta[key] == value
    if expect.stamps is not None:
        assert [s.seconds for s in doc.timestamps] == expect.stamps
    assert_words_map_back(doc)


answer_text = st.lists(
    st.one_of(st.text(alphabet="abcdeé'\":#-", min_size=1, max_size=8),
              st.sampled_from(["\\n", "\\n\\n", "**x**", "\n"])),
    min_size=1, max_size=30,
).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answer_text, st.sampled_from([None, "'", '"', ">", "|"]), st.sampled_from([20, 80]), st.booleans())
def test_qa_answer_offsets_map_back_in_any_yaml_style(tmp_path: Path, answer: str, style: str | None,
                                                       width: int, crlf: bool) -> None:
    """However the answer is written in YAML (plain, quoted, folded, literal; wrapped; CRLF), words map back."""
    front = yaml.safe_dump({"title": "t", "answer": answer}, default_style=style, width=width, allow_unicode=True)
    content = f"---\n{front}---\n"
    path = tmp_path / "qa.md"
    path.write_bytes((content.replace("\n", "\r\n") if crlf else content).encode("utf-8"))
    try:
        doc = read_document(path, "qa")
    except InputError as exc:
        assert "no text" in str(exc)
        return
    assert doc.kind == QA_ARTICLE
    assert_words_map_back(doc)


def test_unsafe_yaml_tag_is_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.md"
    path.write_text(f'---\ntitle: x\nboom: !!python/object/apply:os.system ["touch {marker}"]\n---\nBody.\n')
    with pytest.raises(InputError) as caught:
        read_document(path, "evil")
    assert not marker.exists()
    assert str(path) in str(caught.value)
    assert "unsupported YAML tag !!python/object/apply:os.system" in str(caught.value)
    assert "line 3" in str(caught.value)


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"word " * 300)
    with pytest.raises(InputError) as caught:
        read_document(path, "big", max_bytes=1000)
    assert str(path) in str(caught.value)
    assert "1,000-byte" in str(caught.value) and "--max-file-size" in str(caught.value)
    assert read_document(path, "big", max_bytes=1500).text.startswith("word word")


def test_text_fields_in_order() -> None:
    doc = read_document(DATA / "qa_two_fields.md", "two", text_fields=("summary", "answer"))
    assert doc.text == "Juno orbits Jupiter.\n\nJuno was launched in 2011.\n"
    assert_words_map_back(doc)
    assert read_document(DATA / "qa_two_fields.md", "two").text == "Juno was launched in 2011.\n"


def test_content_hash_is_sha256_of_the_bytes() -> None:
    doc = read_document(VIDEO_SEED, "v")
    assert doc.content_hash == hashlib.sha256(VIDEO_SEED.read_bytes()).hexdigest()


# -------------------------------------------------------------------- discovery


def _tree(root: Path, files: list[str]) -> None:
    for rel in files:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Note {rel}.\n")


def test_discover_finds_notes_sorted_and_skips_hidden(tmp_path: Path) -> None:
    _tree(tmp_path, ["b.md", "a.txt", "sub/c.markdown", "sub/D.MD", "skip.pdf", ".hidden.md",
                     ".git/x.md", ".obsidian/y.md", ".trash/z.md", "sub/.trash/w.md"])
    files, errors = discover([tmp_path])
    assert errors == []
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["a.txt", "b.md", "sub/D.MD", "sub/c.markdown"]


def test_discover_survives_symlink_loops(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["notes/a.md", "notes/deep/b.md"])
    os.symlink(tmp_path / "notes", tmp_path / "notes" / "deep" / "up")  # a folder linked to its parent
    os.symlink(tmp_path / "notes", tmp_path / "notes" / "deep" / "up2")
    os.symlink(tmp_path / "notes" / "self", tmp_path / "notes" / "self")
    read: list[str] = []
    real_scandir = os.scandir

    def scandir(path):
        read.append(os.path.realpath(path))
        assert len(read) < 20, "discover keeps walking a symlink loop"
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = discover([tmp_path / "notes", tmp_path / "notes" / "a.md"])
    assert [p.name for p in files] == ["a.md", "b.md"]
    assert errors == []
    assert sorted(read) == sorted(os.path.realpath(tmp_path / d) for d in ("notes", "notes/deep"))  # each once


def test_discover_reports_missing_and_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, ["ok/a.md", "locked/b.md", "other.pdf"])
    os.symlink(tmp_path / "gone.md", tmp_path / "ok" / "broken.md")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = discover([tmp_path, tmp_path / "nope", tmp_path / "other.pdf"])
    assert [p.name for p in files] == ["a.md"]
    messages = sorted(str(e) for e in errors)
    assert any(str(tmp_path / "locked") in m and "Permission denied" in m for m in messages)
    assert any(str(tmp_path / "nope") in m and "no such file" in m for m in messages)
    assert any(str(tmp_path / "other.pdf") in m and "not a note file" in m for m in messages)
    assert any(str(tmp_path / "ok" / "broken.md") in m and "broken symbolic link" in m for m in messages)


@pytest.mark.parametrize("files, expected", [
    (["a/note.md", "b/note.md", "c/other.md"], {"a/note.md": "a/note", "b/note.md": "b/note", "c/other.md": "other"}),
    (["x/deep/n.md", "x/n.txt"], {"x/deep/n.md": "deep/n", "x/n.txt": "n"}),
    (["d/n.md", "d/n.txt"], {"d/n.md": "n.md", "d/n.txt": "n.txt"}),
])
def test_document_ids(tmp_path: Path, files: list[str], expected: dict[str, str]) -> None:
    ids = document_ids([tmp_path / f for f in files])
    assert {p.relative_to(tmp_path).as_posix(): i for p, i in ids.items()} == expected


def test_iter_documents_yields_documents_and_errors(tmp_path: Path) -> None:
    _tree(tmp_path, ["one/note.md", "two/note.md", "solo.md"])
    (tmp_path / "bad.md").write_bytes(b"\x00\x01")
    results = list(iter_documents([tmp_path, tmp_path / "missing"]))
    docs = {r.id: r for r in results if isinstance(r, Document)}
    errors = [r for r in results if isinstance(r, InputError)]
    assert sorted(docs) == ["one/note", "solo", "two/note"]
    assert docs["one/note"].text == "Note one/note.md.\n"
    assert sorted(Path(e.path).name for e in errors) == ["bad.md", "missing"]


def test_iter_documents_passes_options(tmp_path: Path) -> None:
    _tree(tmp_path, ["a.md"])
    [result] = iter_documents([tmp_path], max_bytes=3)
    assert isinstance(result, InputError) and "--max-file-size" in result.reason
