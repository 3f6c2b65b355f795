"""The README's walkthrough "a different domain", run as written: an ontology of ships, shipyards,
shipping companies and ports (tests/data/ships/ontology), thirteen annotated notes of our own,
`kg train --entity-typing`, then `kg build` and `kg eval` on three notes kept apart, most of whose
names no training note has: kg must type them by their context."""
from __future__ import annotations

import json
import re
import shlex

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.gold import load_gold
from tests.conftest import ROOT

SHIPS = ROOT / "tests" / "data" / "ships"
#: Measured on the held-apart notes (README): typed entities 0.889, relations 0.889, launch dates 1.0;
#: one more error in these three notes still passes.
AT_LEAST = {"entities": 0.80, "relations": 0.75, "launch_dates": 0.66}


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Walkthrough: a different domain", 1)[1].split("\n## ", 1)[0]
    return [line.strip()[2:] for line in section.splitlines() if line.strip().startswith("$ kg ")]


def _run(command: str, tmp) -> str:
    """A README command with its outputs in ``tmp`` and the data where the repository has it."""
    args = [a.replace("tests/data/ships", str(SHIPS)).replace("ships-model.json", str(tmp / "ships-model.json"))
            .replace("ships-out", str(tmp / "ships-out")) for a in shlex.split(command)[1:]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, (command, result.output)
    return result.output


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ships")
    commands = _readme_commands()
    assert [c.split()[1] for c in commands] == ["ontology", "train", "build", "eval"]
    outputs = [_run(c, tmp) for c in commands]
    scores = json.loads(_run(commands[-1] + " --json --details", tmp))
    return tmp, commands, outputs, scores


def test_the_commands_are_the_readmes_and_train_with_entity_typing(walkthrough):
    _, commands, outputs, _ = walkthrough
    assert "--entity-typing" in commands[1] and "--relation-model ships-model.json" in commands[2]
    checked = outputs[0].strip().replace(str(SHIPS), "tests/data/ships")
    assert checked in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "entity typing: 26 names of 4 classes" in outputs[1]
    assert "with entity typing" in " ".join(outputs[2].replace("│", " ").split())  # the summary, its cells wrapped


@pytest.mark.parametrize("metric", sorted(AT_LEAST))
def test_the_held_apart_notes_score(walkthrough, metric):
    _, _, _, scores = walkthrough
    assert scores["documents"] == 3 and not scores["missing_documents"]
    assert scores[metric]["f1"] >= AT_LEAST[metric], scores[metric]


def test_names_no_training_note_has_are_typed_by_their_context(walkthrough):
    _, _, _, scores = walkthrough
    training = " ".join(p.read_text(encoding="utf-8") for p in (SHIPS / "train").glob("*"))
    unseen, typed = [], []
    for rec in load_gold(SHIPS / "held-apart" / "gold.jsonl"):
        missed = set(scores["errors"][rec["doc"]]["entities_missed"])
        for e in rec["entities"]:
            if e["name"] not in training:
                unseen.append(e["name"])
                if f"{e['name']}:{e['type']}" not in missed:
                    typed.append(e["name"])
    assert len(unseen) == 10  # eight new names, two of them in two notes
    assert len(typed) >= 6, typed  # measured: 8 (Brennock Marine Works once, Rasmouth once missed)
    assert {"Silver Plover", "Tideway Fisheries", "Heather Isle", "Corran Line"} <= set(typed)


def test_the_graph_validates_with_the_folder(walkthrough):
    tmp, _, _, _ = walkthrough
    graph = tmp / "ships-out" / "graph.ttl"
    result = CliRunner().invoke(main, ["validate", str(graph), "--ontology", str(SHIPS / "ontology")])
    assert result.exit_code == 0 and result.output.startswith("Conforms: yes"), result.output
    ttl = graph.read_text(encoding="utf-8")
    assert re.search(r'id:Silver_Plover a sea:Ship ;.*?sea:launchDate "2022-04-11"\^\^xsd:date', ttl, re.S)


def test_cross_validation_learns_the_typing_without_the_left_out_names():
    result = CliRunner().invoke(main, ["train", str(SHIPS / "train" / "gold.jsonl"), "--docs", str(SHIPS / "train"),
                                       "--ontology", str(SHIPS / "ontology"), "--entity-typing", "--cross-validate",
                                       "--json"])
    assert result.exit_code == 0, result.output
    cv = json.loads(result.output)["cross_validation"]
    assert sorted(cv["folds"]) == ["north", "south", "west"]
    entities = cv["total"]["entities"]
    assert entities["tp"] + entities["fn"] == 71  # every gold entity of the thirteen notes, counted once
    # measured 0.640: lower than on the held-apart notes, as a whole coast's names are new to each fold
    assert 0.55 <= entities["f1"] < 0.9
