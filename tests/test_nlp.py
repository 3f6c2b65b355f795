"""The spaCy pipeline kg runs: same annotations as the model's own, for less work."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg import ingest
from kg import nlp as nlp_mod
from kg.entities import NER_CONTEXT
from kg.nlp import CachedAttributeRuler, CachedLemmatizer

from tests.conftest import DEV, SEEDS


def _texts() -> list[tuple[str, str]]:
    paths = [SEEDS] + ([DEV] if DEV.is_dir() else [])
    return [(Path(d.path).name, d.text) for d in ingest.iter_documents(paths) if not isinstance(d, Exception)]


@pytest.fixture(scope="module")
def reference():
    """The model as shipped, for comparison."""
    return spacy.load(nlp_mod.DEFAULT_MODEL)


def test_attribute_ruler_is_replaced_by_its_cached_form(extractor):
    assert isinstance(extractor.nlp.get_pipe("attribute_ruler"), CachedAttributeRuler)


@pytest.mark.parametrize("name,text", _texts())
def test_cached_attribute_ruler_sets_what_spacys_sets(reference, extractor, name, text):
    """POS, morphology and lemma of every token equal those of the model's own attribute ruler."""
    doc = reference(text, disable=["attribute_ruler", "lemmatizer", "ner"])
    theirs, ours = doc.copy(), doc.copy()
    reference.get_pipe("attribute_ruler")(theirs)
    extractor.nlp.get_pipe("attribute_ruler")(ours)
    got = [(t.text, t.pos_, str(t.morph), t.lemma_) for t in ours]
    want = [(t.text, t.pos_, str(t.morph), t.lemma_) for t in theirs]
    assert got == want


def test_lemmatizer_is_replaced_by_its_cached_form(extractor):
    assert isinstance(extractor.nlp.get_pipe("lemmatizer"), CachedLemmatizer)


@pytest.mark.parametrize("name,text", _texts())
def test_cached_lemmatizer_gives_spacys_lemmas(reference, extractor, name, text):
    """Every token's lemma equals the one the model's own lemmatizer gives, twice over (the second
    time from the memo)."""
    doc = reference(text, disable=["lemmatizer", "ner"])
    theirs = reference.get_pipe("lemmatizer")(doc.copy())
    for _ in range(2):
        ours = extractor.nlp.get_pipe("lemmatizer")(doc.copy())
        assert [(t.text, t.lemma_) for t in ours] == [(t.text, t.lemma_) for t in theirs]


def test_cached_lemmatizer_keeps_lemmas_set_before_it(extractor):
    doc = extractor.nlp("The probes were flying past moons.", disable=["lemmatizer", "ner"])
    doc[1].lemma_ = "kept"
    extractor.nlp.get_pipe("lemmatizer")(doc)
    assert [t.lemma_ for t in doc][:5] == ["the", "kept", "be", "fly", "past"]


@pytest.mark.parametrize("pattern,compiles", [
    ({"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}}, True),
    ({"patterns": [[{"LOWER": {"IN": ["gon"]}}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}}, True),
    ({"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}]], "attrs": {"LEMMA": "you"}}, True),
    ({"patterns": [[{"ORTH": "x", "OP": "+"}]], "attrs": {"LEMMA": "x"}}, False),  # an operator: keep spaCy's
    ({"patterns": [[{"ENT_TYPE": "GPE"}]], "attrs": {"POS": "PROPN"}}, False),  # a feature it does not memoise
])
def test_only_patterns_on_memoised_features_are_cached(pattern, compiles):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add(**pattern)
    assert (CachedAttributeRuler.compile(ruler) is not None) is compiles


def test_cached_rules_apply_in_order_later_rules_win():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "probe"}]], {"LEMMA": "first", "POS": "NOUN"})
    ruler.add([[{"LOWER": "probe"}]], {"LEMMA": "second"})
    ruler.add([[{"LOWER": "the"}, {"LOWER": "probe"}]], {"LEMMA": "third"}, index=1)
    cached = CachedAttributeRuler.compile(ruler)
    theirs, ours = ruler(nlp("the probe and a probe")), cached(nlp("the probe and a probe"))
    assert [(t.lemma_, t.pos_) for t in ours] == [(t.lemma_, t.pos_) for t in theirs]
    assert [t.lemma_ for t in ours] == ["", "third", "", "", "second"]


def test_ner_runs_on_its_own_in_the_default_model(extractor):
    assert nlp_mod.standalone_ner(extractor.nlp) is extractor.nlp.get_pipe("ner")


@pytest.mark.parametrize("text,sentence,person", [
    ("The rover landed. Jim Bridenstine praised the team.", 1, "Jim Bridenstine"),
    ("Sergei Korolev designed the R-7 rocket. It flew in 1957.", 0, "Sergei Korolev"),
])
def test_recognise_labels_only_the_sentences_given(extractor, text, sentence, person):
    doc = extractor.nlp(text, disable=["ner"])
    assert not doc.has_annotation("ENT_IOB")
    sents = list(doc.sents)
    nlp_mod.recognise(extractor.entities.ner, doc, [sents[sentence]])
    people = [e.text for e in doc.ents if e.label_ == "PERSON"]
    assert person in people
    others = [t for i, s in enumerate(sents) if i != sentence for t in s]
    assert all(t.ent_type_ == "" for t in others)


@pytest.mark.parametrize("text,people", [
    # two capitalised words no known name covers: the NER reads the sentence
    ("NASA chief Jim Bridenstine announced the Artemis program.", {"Jim Bridenstine"}),
    # the lone surname counts because the full name occurs, in another sentence
    ("Carolyn Porco led the imaging team on Cassini. Porco said the rings were young.", {"Carolyn Porco", "Porco"}),
    # only known names are capitalised: nothing for the NER to find, and no person
    ("ESA launched JUICE to Jupiter on an Ariane 5 rocket.", set()),
])
def test_people_are_found_without_running_ner_on_every_sentence(extract_text, text, people):
    mentions, _, _, _ = extract_text(text)
    assert {m for m, cls in mentions if cls == "Person"} == people


@pytest.mark.parametrize("text, tokens", [
    # a launcher's numeral ends the sentence; spaCy alone would read "V." as an initial
    ("It flew on an Atlas V. Then it left.", ["Atlas", "V", ".", "Then"]),
    ("It rode a Saturn V.", ["Saturn", "V", "."]),
    ("The probe was named for John F. Kennedy.", ["John", "F.", "Kennedy"]),
])
def test_designations_end_sentences_initials_do_not(extractor, text, tokens):
    words = [t.text for t in extractor.nlp.make_doc(text)]
    i = words.index(tokens[0])
    assert words[i: i + len(tokens)] == tokens


def test_ner_over_a_batch_finds_what_it_finds_document_by_document(extractor):
    """A build runs the NER once over the chosen sentences of a whole batch; each document gets the
    people it would get alone."""
    texts = ["Jim Bridenstine spoke to reporters. Juno reached Jupiter.",
             "The crew was led by Peggy Whitson, and Sunita Williams joined later.",
             "No names here at all."]
    alone, batched = [], []
    for text in texts:
        doc = extractor.nlp(text, disable=["ner"])
        nlp_mod.recognise(extractor.entities.ner, doc, list(doc.sents))
        alone.append([(e.text, e.label_) for e in doc.ents])
    docs = [extractor.nlp(text, disable=["ner"]) for text in texts]
    nlp_mod.recognise_many(extractor.entities.ner, [(d, list(d.sents)) for d in docs])
    batched = [[(e.text, e.label_) for e in d.ents] for d in docs]
    assert batched == alone and ("Peggy Whitson", "PERSON") in alone[1]


@pytest.mark.parametrize("text,people", [
    # a name deep inside a long sentence: the NER reads a window around it, and finds it
    ("After years of delays and two redesigns of the heat shield, the flight director, a veteran "
     "named Alicia Montgomery, finally cleared the capsule for its long trip home.", ["Alicia Montgomery"]),
    # two names far apart in one sentence: two windows
    ("Engineer Tomas Herrera tested the drill for months in the desert while the science lead at "
     "the other end of the country, Priya Raman, planned where the rover would use it.",
     ["Tomas Herrera", "Priya Raman"]),
])
def test_ner_reads_windows_around_possible_names(extractor, extract_text, text, people):
    doc = extractor.nlp(text, disable=["ner"])
    chosen = extractor.entities.begin(doc).chosen
    assert len(chosen) == len(people) and sum(len(s) for s in chosen) < len(doc)
    assert all(len(s) <= NER_CONTEXT * 2 + 3 for s in chosen)
    mentions, _, _, _ = extract_text(text)
    assert sorted(m for m, cls in mentions if cls == "Person") == sorted(people)


@pytest.mark.parametrize("text,windows", [
    # a capitalised preposition or article is never part of a person's name
    ("In March the crew returned home.", 0),
    ("On Tuesday the capsule splashed down.", 0),
    ("In March Anna Lindqvist returned home.", 1),
])
def test_function_words_do_not_send_text_to_the_ner(extractor, text, windows):
    doc = extractor.nlp(text, disable=["ner"])
    assert len(extractor.entities.begin(doc).chosen) == windows
