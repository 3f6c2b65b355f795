"""Gold files are checked against the ontology; each problem names the file, the line and what is wrong."""
from __future__ import annotations

import json

import pytest

from kg import ontology
from kg.errors import EvalError
from kg.gold import load_gold, load_gold_files

GOOD = {"doc": "n1", "entities": [{"name": "Kestrel", "type": "Mission"}, {"name": "NASA", "type": "Agency"}],
        "triples": [["Kestrel", "operatedBy", "NASA"]], "attributes": [["Kestrel", "launchDate", "2031-05-04"]]}


def _with(**change):
    return {**GOOD, **change}


@pytest.mark.parametrize("record, message", [
    (_with(entities=[{"name": "Kestrel", "type": "Spaceship"}, {"name": "NASA", "type": "Agency"}]),
     "gold.jsonl:2: entity 'Kestrel' has unknown class 'Spaceship' (the ontology's classes: "),
    (_with(triples=[["Kestrel", "operates", "NASA"]]),
     "gold.jsonl:2: triple ['Kestrel', 'operates', 'NASA']: unknown relation 'operates' (relations: "),
    (_with(triples=[["Kestrel", "operatedBy", "ESA"]]),
     "gold.jsonl:2: triple ['Kestrel', 'operatedBy', 'ESA'] names 'ESA', which is not among the document's entities"),
    (_with(triples=[["NASA", "operatedBy", "Kestrel"]]),
     "gold.jsonl:2: triple ['NASA', 'operatedBy', 'Kestrel']: operatedBy does not go from Agency to Mission in the ontology"),
    (_with(attributes=[["Kestrel", "landedOn", "2031-05-04"]]),
     "gold.jsonl:2: attribute ['Kestrel', 'landedOn', '2031-05-04']: unknown attribute 'landedOn' (attributes: launchDate)"),
    (_with(attributes=[["Kestrel", "launchDate", "4 May 2031"]]),
     "gold.jsonl:2: attribute ['Kestrel', 'launchDate', '4 May 2031']: a date is written YYYY-MM-DD or YYYY-MM"),
    (_with(attributes=[["NASA", "launchDate", "2031-05"]]),
     "gold.jsonl:2: attribute ['NASA', 'launchDate', '2031-05']: Agency has no launchDate"),
    (_with(triples=[["Kestrel", "operatedBy"]]),
     "gold.jsonl:2: 'triples' must be a list of [subject, relation, object] text triples"),
    (_with(doc="n0"), "gold.jsonl:2: document 'n0' is annotated twice (first on line 1)"),
])
def test_bad_gold_names_file_line_and_problem(tmp_path, record, message):
    p = tmp_path / "gold.jsonl"
    first = _with(doc="n0")
    p.write_text(json.dumps(first) + "\n" + json.dumps(record) + "\n")
    with pytest.raises(EvalError) as err:
        load_gold(p, ontology.load())
    assert str(err.value).startswith(str(tmp_path / message.split(":", 1)[0]) + ":" + message.split(":", 1)[1])


def test_broken_json_names_the_line(tmp_path):
    p = tmp_path / "gold.jsonl"
    p.write_text(json.dumps(GOOD) + "\n\n{\"doc\": \"n2\", \"entities\": [\n")
    with pytest.raises(EvalError, match=r"gold.jsonl:3: invalid JSON"):
        load_gold(p, ontology.load())


def test_a_document_in_two_gold_files(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps(GOOD) + "\n")
    b.write_text(json.dumps(GOOD) + "\n")
    with pytest.raises(EvalError, match=r"b.jsonl: document 'n1' is already annotated in .*a.jsonl"):
        load_gold_files([a, b], ontology.load())


def test_good_gold_reads_back(tmp_path):
    p = tmp_path / "gold.jsonl"
    p.write_text(json.dumps(GOOD) + "\n")
    assert load_gold(p, ontology.load()) == [GOOD]
