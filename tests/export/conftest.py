"""A hand-made graph that follows the contract of :mod:`kg.graph`, hostile names included.

Exporter tests run on it and on the seeds' graph (``seed_graph`` in tests/conftest.py).
"""
from __future__ import annotations

import copy
import random

import networkx as nx
import pytest

from kg.graph import build_graph
from kg.model import Document, Entity, Evidence, Fact, RelatedDoc, Timestamp
from tests.export.browser import browser, visit  # noqa: F401  (fixtures: graph.html in Chromium)

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror=window.__pwned=1>',
    "'}) MATCH (n) DETACH DELETE n //",
    'Triple """ quote \\ back\\slash > gt',
    "Tab\tnew\nline \x07bell \u200f rtl \u200d zwj \U0001F680 rocket",
]


def _ev(doc: str, sentence: str, start: int, rule: str, ts: int | None = None, video: str | None = None) -> Evidence:
    url = f"https://www.youtube.com/watch?v={video}&t={ts}s" if (ts is not None and video) else None
    return Evidence(doc_id=doc, sentence=sentence, start=start, end=start + len(sentence), rule=rule,
                    confidence=0.9, timestamp=ts, timestamp_url=url)


def make_sample_graph(hostile: bool = True):
    docs = [
        Document(id="note1", path="notes/note1.md", kind="video_note", text="", offsets=[0],
                 meta={"title": "Juice & Clipper <b>", "videoId": "DJO_9auJhJQ", "channel": "veritasium"},
                 timestamps=[Timestamp(position=0, seconds=861, label="00:14:21")]),
        Document(id="qa1", path="qa/qa1.md", kind="qa_article", text="", offsets=[0],
                 meta={"title": "Q&A", "url": "/learn/x", "id": 1, "date": "2025-02-08", "subject": "History",
                       "keywords": ["NASA", "ESA"]},
                 related=[RelatedDoc(ref="99", title="Other article", url="/learn/y")]),
    ]
    ents = [
        Entity(key="ESA", label="ESA", cls="Agency", aliases=["European Space Agency"], qid="Q42262"),
        Entity(key="NASA", label="NASA", cls="Agency", qid="Q23548"),
        Entity(key="JUICE", label="JUICE", cls="Mission", aliases=["Jupiter Icy Moon Explorer"]),
        Entity(key="Europa_Clipper", label="Europa Clipper", cls="Mission", aliases=["Clipper"]),
        Entity(key="Ganymede", label="Ganymede", cls="Moon"),
        Entity(key="Jupiter", label="Jupiter", cls="Planet", qid="Q319"),
        Entity(key="Ariane_5", label="Ariane 5", cls="LaunchVehicle"),
    ]
    s1 = "The ESA's JUICE mission is already en route to Jupiter."
    s2 = "JUICE will settle into a tight orbit around Ganymede."
    facts = [
        Fact("JUICE", "operatedBy", "ESA", [_ev("note1", s1, 100, "possessive", 854, "DJO_9auJhJQ")]),
        Fact("JUICE", "orbits", "Ganymede", [_ev("note1", s2, 200, "verb:orbit", 867, "DJO_9auJhJQ"),
                                              _ev("qa1", s2, 50, "verb:orbit")]),
        Fact("Ganymede", "moonOf", "Jupiter", [_ev("qa1", "Jupiter's moon Ganymede.", 10, "possessive-moon")]),
        Fact("ESA", "collaboratesWith", "NASA", [_ev("qa1", "ESA and NASA work together.", 300, "coordination")]),
        Fact("Europa_Clipper", "operatedBy", "NASA", [_ev("note1", "NASA's Europa Clipper mission", 20, "possessive")]),
        Fact("JUICE", "launchVehicle", "Ariane_5", [_ev("qa1", "JUICE was launched on an Ariane 5.", 400, "launch")]),
        Fact("JUICE", "launchDate", "2023-04-14", [_ev("qa1", "launched on 14 April 2023", 420, "launch-date")],
             literal=True),
    ]
    mentions = {("note1", "ESA"): ["ESA", "European Space Agency"], ("note1", "JUICE"): ["JUICE"],
                ("note1", "Europa_Clipper"): ["Europa Clipper"], ("note1", "NASA"): ["NASA"],
                ("note1", "Ganymede"): ["Ganymede"], ("qa1", "ESA"): ["ESA"], ("qa1", "NASA"): ["NASA"],
                ("qa1", "Jupiter"): ["Jupiter"], ("qa1", "Ganymede"): ["Ganymede"], ("qa1", "JUICE"): ["JUICE"],
                ("qa1", "Ariane_5"): ["Ariane 5"]}
    if hostile:
        for i, name in enumerate(HOSTILE):
            key = f"Hostile_{i}"
            ents.append(Entity(key=key, label=name, cls="Mission", aliases=[name + " alias"]))
            facts.append(Fact(key, "operatedBy", "NASA", [_ev("qa1", f"{name} is run by NASA.", 500 + i, "test")]))
            mentions[("qa1", key)] = [name]
    return build_graph(docs, ents, facts, mentions)


def reordered(G: nx.MultiDiGraph, seed: int = 11) -> nx.MultiDiGraph:
    """The same graph with nodes and edges inserted in a shuffled order: exports must not change."""
    rng = random.Random(seed)
    nodes, edges = list(G.nodes(data=True)), list(G.edges(keys=True, data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.MultiDiGraph(**G.graph)
    for n, a in nodes:
        H.add_node(n, **copy.deepcopy(a))
    for u, v, k, a in edges:
        H.add_edge(u, v, key=k, **copy.deepcopy(a))
    return H


@pytest.fixture
def sample_graph():
    return make_sample_graph()
