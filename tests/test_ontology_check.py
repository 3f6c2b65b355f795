"""kg.ontology_check: a bad ontology folder is refused with the file, the line or the term and the
problem, before any NLP runs, and nothing is written."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import ontology
from kg.cli import main
from kg.errors import OntologyError
from kg.ontology_check import check

SITES = '{"id": "ksc", "name": "Kennedy Space Center", "class": "LaunchSite"}\n'
SITE_CLASS = "\nkg:LaunchSite a owl:Class ; rdfs:subClassOf kg:Entity ; rdfs:label \"Launch site\"@en .\n"
TRIGGER = ('  - {name: launched-from, lemmas: [launch], pos: VERB, relations: [launchedFrom],\n'
           '     subject: [patient], object: [from]}\n')


def _append(folder: Path, name: str, text: str) -> int:
    """Append ``text`` to a file of the folder; returns the line number its first non-blank line gets."""
    path = folder / name
    old = path.read_text(encoding="utf-8")
    path.write_text(old + text, encoding="utf-8")
    return (old + text)[: len(old) + len(text) - len(text.lstrip("\n"))].count("\n") + 1


def _insert_trigger(folder: Path) -> int:
    """Put TRIGGER first in the triggers list of relations.yaml; returns its line number."""
    path = folder / "relations.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("triggers:\n") + 1
    path.write_text("".join(lines[:at] + [TRIGGER] + lines[at:]), encoding="utf-8")
    return at + 1


def _write(folder: Path, name: str, text: str) -> int:
    (folder / name).write_text(text, encoding="utf-8")
    return 1


def _replace(folder: Path, name: str, old: str, new: str) -> int:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# name -> (what to do to a fresh copy of kg's folder, returning a line; the message, with {dir} and {line})
CASES: dict[str, tuple[Callable[[Path], int], str]] = {
    "class used in the gazetteer, not declared": (
        lambda d: _write(d, "gazetteer/launch_sites.jsonl", SITES),
        "{dir}/gazetteer/launch_sites.jsonl:{line}: class 'LaunchSite' is not declared in kg.ttl "
        "(a subclass of kg:Entity)"),
    "relation without a domain": (
        lambda d: _append(d, "kg.ttl", SITE_CLASS + "kg:launchedFrom a owl:ObjectProperty ; rdfs:range kg:LaunchSite .\n"),
        "{dir}/kg.ttl: relation 'launchedFrom' has no rdfs:domain (the classes it goes from)"),
    "relation without a range": (
        lambda d: _append(d, "kg.ttl", "\nkg:launchedFrom a owl:ObjectProperty ; rdfs:domain kg:Mission .\n"),
        "{dir}/kg.ttl: relation 'launchedFrom' has no rdfs:range (the classes it goes to)"),
    "value relation without a domain": (
        lambda d: _append(d, "kg.ttl", "\nkg:launchMass a owl:DatatypeProperty ; rdfs:range xsd:decimal .\n"),
        "{dir}/kg.ttl: relation 'launchMass' has no rdfs:domain (the classes it goes from)"),
    "range naming an undeclared class": (
        lambda d: _append(d, "kg.ttl", "\nkg:launchedFrom a owl:ObjectProperty ; rdfs:domain kg:Mission ; "
                                       "rdfs:range kg:LaunchSite .\n"),
        "{dir}/kg.ttl: relation 'launchedFrom': rdfs:range kg:LaunchSite is not a declared class"),
    "object relation with a datatype range": (
        lambda d: _append(d, "kg.ttl", "\nkg:launchMass a owl:ObjectProperty ; rdfs:domain kg:Mission ; "
                                       "rdfs:range xsd:decimal .\n"),
        "{dir}/kg.ttl: relation 'launchMass': an owl:ObjectProperty goes to entities, but its range is "
        "xsd:decimal: declare it an owl:DatatypeProperty"),
    "superclass not declared": (
        lambda d: _append(d, "kg.ttl", "\nkg:LaunchSite a owl:Class ; rdfs:subClassOf kg:Place .\n"),
        "{dir}/kg.ttl: class 'LaunchSite': its superclass <https://w3id.org/kg-space/ontology#Place> is not "
        "declared (a owl:Class)"),
    "trigger naming an unknown relation": (
        _insert_trigger,
        "{dir}/relations.yaml:{line}: trigger 'launched-from': relation 'launchedFrom' is not declared in kg.ttl"),
    "cue section naming an unknown class": (
        lambda d: _append(d, "entity_cues.yaml", "\nLaunchSite:\n  head: [spaceport]\n"),
        "{dir}/entity_cues.yaml:{line}: section 'LaunchSite' names a class that is not declared in kg.ttl"),
    "style for an unknown class": (
        lambda d: _replace(d, "style.json", '"Mission":', '"LaunchSite": {"color": "#8c6d31", "shape": "square"},\n'
                                                           '    "Mission":'),
        "{dir}/style.json: classes.LaunchSite: 'LaunchSite' is not a class of kg.ttl"),
    "series of an unknown class": (
        lambda d: _append(d, "gazetteer/series.jsonl", '{"prefix": "Starship", "class": "Rocket"}\n'),
        "{dir}/gazetteer/series.jsonl:{line}: class 'Rocket' is not declared in kg.ttl (a subclass of kg:Entity)"),
    "broken Turtle": (
        lambda d: _append(d, "kg.ttl", "kg:LaunchSite a owl:Class ;\n    rdfs:subClassOf .\n") + 1,
        "{dir}/kg.ttl:{line}: Turtle syntax error: objectList expected"),
    "broken YAML": (
        lambda d: _append(d, "relations.yaml", "broken: [a, b\nnext: []\n") + 1,
        "{dir}/relations.yaml:{line}: YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence on line {opened})"),
    "YAML that is not a mapping": (
        lambda d: _write(d, "entity_cues.yaml", "- Mission\n- Program\n"),
        "{dir}/entity_cues.yaml: expected a mapping of names to values, found a list"),
    "broken JSON Lines": (
        lambda d: _write(d, "gazetteer/launch_sites.jsonl", SITES.replace('"}', '",}')),
        "{dir}/gazetteer/launch_sites.jsonl:{line}: invalid JSON: Expecting property name enclosed in double quotes"),
    "broken JSON": (
        lambda d: _write(d, "style.json", '{"classes": {"Mission": {"color": "#d62728",}}}\n'),
        "{dir}/style.json:{line}: invalid JSON: Expecting property name enclosed in double quotes"),
    "value relation named like kg's own node property": (
        lambda d: _append(d, "kg.ttl", "\nkg:title a owl:DatatypeProperty ; rdfs:domain kg:Mission .\n"),
        "{dir}/kg.ttl: relation 'title': the exports would write its values as 'title', a node property of "
        "kg's own; rename the relation"),
    "missing kg.ttl": (
        lambda d: (d / "kg.ttl").unlink() or 0,
        "{dir}/kg.ttl: the ontology file missing"),
}


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "ontology"
    ontology.init(d)
    return d


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_is_named_with_its_file_and_line_or_term(folder, case):
    mutate, message = CASES[case]
    line = mutate(folder)
    with pytest.raises(OntologyError) as err:
        check(ontology.load(folder))
    assert str(err.value) == message.format(dir=folder, line=line, opened=line - 1)


def test_kgs_own_folder_and_a_fresh_copy_pass(folder):
    assert check(ontology.load()) is ontology.load()
    assert check(ontology.load(folder)).entity_classes == ontology.load().entity_classes


@pytest.mark.parametrize("command", [
    ["build", "{notes}", "--out", "{out}"],
    ["watch", "{notes}", "--out", "{out}"],
    ["train", "{gold}", "--docs", "{notes}", "--out", "{out}/model.json"],
    ["eval", "{gold}", "--graph", "{graph}"],
    ["validate", "{graph}"],
    ["export", "{graph}", "--format", "neo4j", "--out", "{out}"],
    ["query", "{graph}", "ASK {{ ?s ?p ?o }}"],
    ["ontology", "check"],
])
def test_every_command_refuses_a_bad_folder_before_reading_a_note(folder, tmp_path, monkeypatch, command):
    """The message names the file and line; no spaCy model is loaded and nothing is written."""
    line = CASES["class used in the gazetteer, not declared"][0](folder)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("NASA runs the Europa Clipper mission.\n", encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text('{"doc": "a", "entities": []}\n', encoding="utf-8")
    (tmp_path / "graph.ttl").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    fields = {"notes": notes, "out": out, "gold": tmp_path / "gold.jsonl", "graph": tmp_path / "graph.ttl"}

    def no_nlp(*_args, **_kwargs):
        raise AssertionError("the spaCy model was loaded")

    monkeypatch.setattr("kg.nlp.load", no_nlp)
    args = [a.format(**fields) for a in command]
    args += [str(folder)] if command[0] == "ontology" else ["--ontology", str(folder)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    expected = f"{folder}/gazetteer/launch_sites.jsonl:{line}: class 'LaunchSite' is not declared in kg.ttl"
    assert "".join(expected.split()) in "".join(result.output.split())  # the terminal may wrap it
    assert not out.exists() and not list(tmp_path.glob(".out*"))
