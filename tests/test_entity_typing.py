"""Entity typing kept in a model by `kg train --entity-typing` (kg/entity_typing.py): the candidate
spans and their features, the section of the model file, and what a build does with it: the
model's names where the rules typed nothing, then the classifier, one class per name and note."""
from __future__ import annotations

import pytest

from kg.entity_typing import (CLASSIFIER_SOURCE, NAME_SOURCE, NONE, TYPING_VERSION, EntityTyper, Words,
                              candidate_spans, ner_labels, span_features, taken_tokens, typer_of)
from kg.errors import RelationModelError
from kg.model import Document
from kg.text import to_plain
from tests.conftest import ROOT

SHIPS = ROOT / "tests" / "data" / "ships" / "ontology"  # ships, shipyards, shipping companies, ports


@pytest.fixture(scope="module")
def ships():
    """An extractor of the ships folder, without a model (the spaCy pipeline is the session's)."""
    from kg.pipeline import Extractor

    return Extractor(ontology_dir=SHIPS, relation_model=None)


def _texts(doc, spans):
    return [doc[s:e].text for s, e in spans]


@pytest.mark.parametrize("text, taken, expected", [
    ("Built at Harwick Yards, the tug Bramble left on Monday.", (), ["Harwick Yards", "Bramble", "Monday"]),
    ("The Morning Star sails from the Port of Lenholm.", (), ["Morning Star", "Port of Lenholm"]),
    ("Nordhavn's newest ferry, the Grey Heron II, arrived.", (), ["Nordhavn", "Grey Heron II"]),
    ("Yesterday a storm closed the harbour.", (), []),
    # a sentence-initial capital counts when the note writes the word with a capital elsewhere too
    ("Tarrow is a busy port.", (), []),
    ("Tarrow is a busy port. Ferries leave Tarrow hourly.", (), ["Tarrow", "Tarrow"]),
    # tokens a known name takes are no candidate: "Grey Heron" known, "Nordhavn" is left
    ("Nordhavn runs the Grey Heron.", ((3, 5),), ["Nordhavn"]),
])
def test_candidate_spans_are_runs_of_capitals_no_known_name_takes(ships, text, taken, expected):
    doc = ships.nlp(text)
    assert _texts(doc, candidate_spans(doc, taken_tokens(doc, taken))) == expected


def test_headings_are_skipped(ships):
    from kg.entities import _title_lines

    doc = ships.nlp("# Grey Heron Returns\n\nThe Grey Heron sails daily.")
    assert _texts(doc, candidate_spans(doc, taken_tokens(doc, ()), _title_lines(doc))) == ["Grey Heron"]


@pytest.mark.parametrize("text, name, expected", [
    # the noun that modifies it, and the class relations.yaml's references give that noun
    ("The tug Bramble was launched at dawn.", "Bramble", {"modified-by=tug", "modified-by~Ship", "nsubjpass=launch",
                                                          "nsubjpass~launchDate"}),
    # the preposition it hangs on and that preposition's verb, with the relation the verb signals
    ("The tug was built by Harwick Yards.", "Harwick Yards", {"pobj-by=build", "pobj-by~builtBy", "last~Shipyard"}),
    ("It is registered in Tarrow.", "Tarrow", {"pobj-in=register", "pobj-in~homePort"}),
    # what it is said to be, and apposition either way
    ("Tarrow is a busy port. Ferries leave Tarrow.", "Tarrow", {"is-a=port", "is-a~Port", "nsubj=be"}),
    ("The crew of the Bramble, a tug, slept.", "Bramble", {"appos=tug", "appos~Ship"}),
    ("Its owner, Brisk Lines, sold it.", "Brisk Lines", {"appos-to=owner", "last~ShippingCompany"}),
    # the owner of a noun, and the words around
    ("Nordhavn's ferry left.", "Nordhavn", {"poss-of=ferry", "poss-of~Ship", "prev1=<s>", "next1='s"}),
])
def test_span_features_read_the_context_and_generalise_through_relations_yaml(ships, text, name, expected):
    doc = ships.nlp(text)
    s, e = next((s, e) for s, e in candidate_spans(doc, taken_tokens(doc, ())) if doc[s:e].text == name)
    feats = span_features(doc, s, e, ner_labels(None, doc, [(s, e)]), Words(ships.relations.lexicon))
    assert expected <= set(feats)
    assert not any(f.startswith(("w=", "first=")) for f in feats)  # words of the name itself: only its head


def test_ner_labels_do_not_depend_on_what_the_doc_already_holds(ships):
    from kg import nlp as nlp_mod

    ner = nlp_mod.standalone_ner(ships.nlp)
    text = "The ferry left Tarrow for Oslo in May. Brisk Lines bought it."
    bare = next(ships.nlp.pipe([text], disable=["ner"]))
    full = ships.nlp(text)
    spans = candidate_spans(bare, taken_tokens(bare, ()))
    assert ner_labels(ner, bare, spans) == ner_labels(ner, full, spans)
    assert "DATE" in ner_labels(ner, bare, spans)


# ------------------------------------------------------------------ the section of a model file
def _typer(**kw) -> EntityTyper:
    args = {"names": {"Grey Heron": ("Ship", "Grey Heron"), "Heron": ("Ship", "Grey Heron"),
                      "Skelby": ("ShippingCompany", "Skelby")},
            "labels": [NONE, "Port", "Shipyard"],
            "weights": {"pobj-at~builtBy": [0.0, 0.0, 4.0], "pobj-in~homePort": [0.0, 4.0, 0.0]},
            "intercepts": [1.0, 0.0, 0.0]}
    return EntityTyper(**{**args, **kw})


def test_the_section_round_trips_and_names_its_version():
    section = _typer(info={"trained_on": {"names": 3}}).section()
    assert section["typing_version"] == TYPING_VERSION and section["names"]["Heron"] == ["Ship", "Grey Heron"]
    again = EntityTyper.from_section(section, "m.json")
    assert again.section() == section and again.info == {"trained_on": {"names": 3}}


@pytest.mark.parametrize("change, message", [
    ({"typing_version": 99}, "m.json: entity typing section version 99, this kg reads"),
    ({"labels": ["", "Port"]}, "m.json: malformed entity typing section: weights do not match its labels"),
    ({"names": {"Grey Heron": "Ship"}}, "m.json: malformed entity typing section"),
    ({"weights": None}, "m.json: malformed entity typing section"),
])
def test_a_damaged_section_is_refused_with_the_file(change, message):
    with pytest.raises(RelationModelError, match=message):
        EntityTyper.from_section({**_typer().section(), **change}, "m.json")


@pytest.mark.parametrize("p, threshold, label", [
    ([0.5, 0.3, 0.2], 0.25, "Port"),  # the likeliest class, even when none is likelier, if it has the threshold
    ([0.5, 0.3, 0.2], 0.4, NONE),
    ([0.1, 0.45, 0.45], 0.4, "Port"),  # a tie goes to the first class
    ([0.0, 0.2, 0.8], None, "Shipyard"),  # the typer's own threshold, 0.5
])
def test_a_name_gets_the_likeliest_class_that_has_the_threshold(p, threshold, label):
    assert _typer().decide(p, threshold) == label


def test_a_model_without_the_section_types_nothing(ships):
    from kg.relations.learned import RelationModel

    assert typer_of(RelationModel({}, 0.0, 0.5, {}), ships.nlp, ships.relations.lexicon) is None
    assert typer_of(None, ships.nlp, ships.relations.lexicon) is None


# ------------------------------------------------------------------ a build with it
def _mentions(extractor, text: str) -> list[tuple[str, str, str]]:
    plain = to_plain(text)
    document = Document(id="note", path="note.md", kind="note", text=plain.text, offsets=plain.offsets,
                        links=plain.links, timestamps=plain.timestamps, blocks=plain.blocks)
    doc = extractor.nlp(document.text)
    return [(m.text, m.cls, m.source) for m in extractor.entities.extract(doc, document)]


def test_names_fill_gaps_and_an_alias_stands_for_its_entity(ships):
    typed = ships.with_typer(_typer(weights={}).bind(ships.nlp, ships.relations.lexicon))
    got = _mentions(typed, "The Grey Heron left Skelby at noon. The Heron was back by night.")
    # Skelby is a port in the folder's gazetteer: the model's name never retypes it
    assert got == [("Grey Heron", "Ship", NAME_SOURCE), ("Skelby", "Port", "gazetteer"),
                   ("Grey Heron", "Ship", NAME_SOURCE)]
    assert _mentions(ships, "The Grey Heron left Skelby at noon.") == [("Skelby", "Port", "gazetteer")]


def test_the_classifier_decides_once_per_name_and_note(ships):
    typed = ships.with_typer(_typer().bind(ships.nlp, ships.relations.lexicon))
    text = "The tug was built at Harwick Yards. It is registered in Tarrow. Harwick Yards closed in May."
    got = _mentions(typed, text)
    # the second "Harwick Yards" says nothing of a yard by itself: the note's first one decides for both
    assert got == [("Harwick Yards", "Shipyard", CLASSIFIER_SOURCE), ("Tarrow", "Port", CLASSIFIER_SOURCE),
                   ("Harwick Yards", "Shipyard", CLASSIFIER_SOURCE)]
    assert _mentions(typed, "Harwick Yards closed in May.") == []  # alone, no context: none


def test_the_build_summary_says_the_model_types_entities(tmp_path):
    from kg.relations.learned import RelationModel

    model = RelationModel({}, 0.0, 0.5, {"entity_typing": _typer().section()}, tmp_path / "m.json")
    assert model.describe().endswith("with entity typing)")
    assert "with entity typing" not in RelationModel({}, 0.0, 0.5, {}, tmp_path / "m.json").describe()


def test_with_kgs_own_ontology_the_typing_only_adds_to_what_the_rules_typed(extractor):
    """A typing learnt from eight annotated notes of ours, on the seeds and on a note of our own: every
    mention the gazetteer, cues and NER make is still there, span and class; the model's names add
    what they know."""
    from kg import ingest
    from kg.train import read_examples
    from tests.conftest import SEEDS

    data = ROOT / "tests" / "data" / "train"
    typer = read_examples([data / "gold.jsonl"], [data], extractor, entity_typing=True)[0].typer
    typed = extractor.with_typer(typer)
    documents = [ingest.read_document(path, doc_id) for path, doc_id in ingest.iter_sources([SEEDS])]
    assert len(documents) == 2
    for document in documents:
        plain = {(m.start, m.end, m.cls) for m in extractor.entities.extract(extractor.nlp(document.text), document)}
        more = {(m.start, m.end, m.cls) for m in typed.entities.extract(extractor.nlp(document.text), document)}
        assert plain and plain <= more
    assert typer.names["Fulmar"] == ("Mission", "Fulmar")
    text = "Fulmar reached Mars late in 2031."
    assert _mentions(extractor, text) == [("Mars", "Planet", "gazetteer")]
    assert _mentions(typed, text) == [("Fulmar", "Mission", NAME_SOURCE), ("Mars", "Planet", "gazetteer")]
