"""kg eval: scoring against a gold file, alignment by label, alias or Wikidata id."""
from __future__ import annotations

import json

import pytest

from kg.errors import EvalError
from kg.evaluate import evaluate, load_gold, normalise
from kg.graph import build_graph
from kg.model import Document, Entity, Evidence, Fact


def _ev(doc="d1", sentence="s", start=0):
    return Evidence(doc_id=doc, sentence=sentence, start=start, end=start + 1, rule="t", confidence=0.9)


def _graph(facts, entities, mentions):
    docs = [Document(id="d1", path="d1.md", kind="note", text="", offsets=[0])]
    return build_graph(docs, entities, facts, mentions)


ENTS = [
    Entity("ESA", "ESA", "Agency", aliases=["European Space Agency"], qid="Q42262"),
    Entity("NASA", "NASA", "Agency", qid="Q23548"),
    Entity("JUICE", "JUICE", "Mission"),
    Entity("Ganymede", "Ganymede", "Moon"),
    Entity("Webb", "James Webb Space Telescope", "Mission"),
]
MENTIONS = {("d1", e.key): [e.label] for e in ENTS}
GOLD = {
    "doc": "d1",
    "entities": [
        {"name": "ESA", "type": "Agency", "aliases": ["European Space Agency"]},
        {"name": "NASA", "type": "Agency"},
        {"name": "JUICE", "type": "Mission"},
        {"name": "Ganymede", "type": "Moon"},
        {"name": "JWST", "type": "Mission", "aliases": ["James Webb Space Telescope", "Webb"]},
        {"name": "Jupiter", "type": "Planet"},
    ],
    "triples": [["JUICE", "operatedBy", "ESA"], ["JUICE", "orbits", "Ganymede"], ["NASA", "collaboratesWith", "ESA"]],
    "attributes": [["JUICE", "launchDate", "2023-04-14"]],
}


def test_perfect_and_partial_scores():
    facts = [
        Fact("JUICE", "operatedBy", "ESA", [_ev()]),
        Fact("ESA", "collaboratesWith", "NASA", [_ev()]),  # stored in the other direction: symmetric
        Fact("JUICE", "flyby", "Ganymede", [_ev()]),  # wrong relation
        Fact("JUICE", "launchDate", "2023-04-14", [_ev()], literal=True),
    ]
    rep = evaluate([GOLD], _graph(facts, ENTS, MENTIONS))
    # entities: 5 predicted, all right (JWST aligned through its alias); Jupiter missed
    assert (rep.entities.tp, rep.entities.fp, rep.entities.fn) == (5, 0, 1)
    assert (rep.relations.tp, rep.relations.fp, rep.relations.fn) == (2, 1, 1)
    assert rep.per_relation["collaboratesWith"].f1 == 1.0
    assert rep.per_relation["orbits"].recall == 0.0
    assert rep.launch_dates.f1 == 1.0


def test_wrong_class_is_not_a_match():
    ents = [Entity("JUICE", "JUICE", "Program")]
    rep = evaluate([{"doc": "d1", "entities": [{"name": "JUICE", "type": "Mission"}]}],
                   _graph([], ents, {("d1", "JUICE"): ["JUICE"]}))
    assert (rep.entities.tp, rep.entities.fp, rep.entities.fn) == (0, 1, 1)


def test_alignment_by_wikidata_id():
    ents = [Entity("Agence", "Agence spatiale européenne", "Agency", qid="Q42262")]
    gold = {"doc": "d1", "entities": [{"name": "ESA", "type": "Agency", "qid": "Q42262"}]}
    rep = evaluate([gold], _graph([], ents, {("d1", "Agence"): ["Agence spatiale européenne"]}))
    assert rep.entities.f1 == 1.0


def test_facts_count_only_in_documents_that_state_them():
    facts = [Fact("JUICE", "operatedBy", "ESA", [_ev(doc="other")])]
    docs = [Document(id="d1", path="d1.md", kind="note", text="", offsets=[0]),
            Document(id="other", path="o.md", kind="note", text="", offsets=[0])]
    G = build_graph(docs, ENTS, facts, MENTIONS)
    rep = evaluate([GOLD], G)
    assert rep.relations.tp == 0


def test_missing_document_is_reported():
    rep = evaluate([dict(GOLD, doc="absent")], _graph([], ENTS, MENTIONS))
    assert rep.missing_documents == ["absent"]
    assert rep.entities.tp == 0


@pytest.mark.parametrize(
    "a, b",
    [
        ("The European Space Agency's", "european space agency"),
        ("67P/Churyumov–Gerasimenko", "67p churyumov gerasimenko"),
        ("Šteins", "steins"),
        ("Chang'e 5", "change 5"),
    ],
)
def test_normalise(a, b):
    assert normalise(a) == b


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json}\n", "gold.jsonl:1: invalid JSON"),
        ('{"doc": "x"}\n', "gold.jsonl:1: a gold record needs 'doc' and 'entities'"),
        ('{"doc": "x", "entities": [{"name": "A"}]}\n', "every entity needs 'name' and 'type'"),
    ],
)
def test_bad_gold_file(tmp_path, content, message):
    p = tmp_path / "gold.jsonl"
    p.write_text(content)
    with pytest.raises(EvalError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_gold(p)


def test_missing_gold_file(tmp_path):
    with pytest.raises(EvalError, match="cannot read gold file"):
        load_gold(tmp_path / "nope.jsonl")


def test_report_json_round_trip():
    rep = evaluate([GOLD], _graph([], ENTS, MENTIONS))
    d = json.loads(json.dumps(rep.as_dict(details=True)))
    assert set(d) >= {"entities", "relations", "launch_dates", "per_relation", "errors"}
    assert "Jupiter:Planet" in d["errors"]["d1"]["entities_missed"]
