"""kg.ontology: what an ontology folder declares (classes, relations, values, prefixes), kg's own
folder installed as package data, and a copy of it to start from."""
from __future__ import annotations

from pathlib import Path

import pytest
XSD = "http://www.w3.org/2001/XMLSchema#"

from kg import ontology
from kg.errors import OntologyError
from kg.model import Found
from kg.ontology_files import data_files, fits
from kg.pipeline import _prefer_specific
from kg.rdf import prefixes

DEFAULT_CLASSES = ["Agency", "Country", "DwarfPlanet", "LaunchVehicle", "Mission", "Moon", "Organization", "Person",
                   "Planet", "Program", "SmallBody", "SpaceStation", "Star"]


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "ontology"
    ontology.init(d)
    return d


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_kgs_own_folder_is_package_data():
    """Installed (editable here, a wheel elsewhere), kg reads its folder through the package kg.default_ontology."""
    import kg.default_ontology

    assert Path(kg.default_ontology.__file__).parent == ontology.ONTOLOGY_DIR
    assert (ontology.ONTOLOGY_DIR / "kg.ttl").is_file()
    assert ontology.load().is_default and ontology.load().describe() == "kg's own ontology"


def test_entity_classes_are_the_leaves_and_the_classes_data_names():
    """CelestialBody and SpaceEndeavour only group their subclasses; Organization has Agency under it
    but the gazetteer names organisations."""
    onto = ontology.load()
    assert onto.entity_classes == DEFAULT_CLASSES
    assert {"CelestialBody", "SpaceEndeavour"} <= onto.declared_classes - set(onto.entity_classes)


@pytest.mark.parametrize("named, concrete", [(False, False), (True, True)])
def test_a_class_with_subclasses_is_an_entity_class_when_the_gazetteer_names_it(folder, named, concrete):
    _edit(folder / "kg.ttl", "kg:LaunchVehicle a owl:Class ; rdfs:subClassOf kg:Entity ;",
          "kg:Craft a owl:Class ; rdfs:subClassOf kg:Entity .\nkg:LaunchVehicle a owl:Class ; rdfs:subClassOf kg:Craft ;")
    if named:
        (folder / "gazetteer" / "craft.jsonl").write_text('{"id": "x1", "name": "Xylo One", "class": "Craft"}\n',
                                                         encoding="utf-8")
    onto = ontology.load(folder)
    assert ("Craft" in onto.entity_classes) is concrete
    assert "LaunchVehicle" in onto.entity_classes and onto.superclasses["LaunchVehicle"] == (
        "LaunchVehicle", "Craft", "Entity")


def test_relations_with_values_carry_their_datatype(folder):
    _edit(folder / "kg.ttl", "kg:wikidata a owl:DatatypeProperty ;",
          "kg:launchMass a owl:DatatypeProperty ; rdfs:label \"launch mass\"@en ; rdfs:domain kg:Mission ;\n"
          "    rdfs:range xsd:decimal .\n\nkg:wikidata a owl:DatatypeProperty ;")
    onto = ontology.load(folder)
    assert onto.literal_relations == ["launchDate", "launchMass"]
    assert (onto.relations["launchDate"].datatype, onto.relations["launchMass"].datatype) == (None, XSD + "decimal")
    assert onto.allows("launchMass", "Mission") and not onto.allows("launchMass", "Agency")
    assert "wikidata" not in onto.relations and "evidenceText" not in onto.relations  # kg's own properties


def test_prefixes_the_folder_declares_are_bound_besides_kgs(folder):
    _edit(folder / "kg.ttl", "@prefix kg: ", "@prefix ex: <https://example.org/space#> .\n@prefix kg: ")
    onto = ontology.load(folder)
    bound = prefixes(onto=onto)
    assert bound["ex"] == "https://example.org/space#"
    assert {k: v for k, v in bound.items() if k != "ex"} == prefixes()
    assert list(bound)[-3:] == ["id", "doc", "stmt"]


def test_folders_are_read_once_and_told_apart(folder):
    assert ontology.load(folder) is ontology.load(folder) is ontology.load(str(folder) + "/")
    assert ontology.load(ontology.ONTOLOGY_DIR) is ontology.load()
    assert not ontology.load(folder).is_default
    assert ontology.load(folder).describe() == f"the ontology in {folder}"
    with pytest.raises(OntologyError, match="no such ontology folder"):
        ontology.load(folder / "nope")


def test_init_copies_the_data_files_only_and_into_a_new_folder(tmp_path, folder):
    names = {p.relative_to(folder).as_posix() for p in data_files(folder)}
    assert names == {p.relative_to(ontology.ONTOLOGY_DIR).as_posix() for p in data_files(ontology.ONTOLOGY_DIR)}
    assert "kg.ttl" in names and "gazetteer/missions.jsonl" in names and "__init__.py" not in names
    assert not (folder / "__init__.py").exists()
    with pytest.raises(OntologyError, match="exists and is not an empty folder"):
        ontology.init(folder)


def test_cache_key_ignores_styles_and_shapes_but_the_export_fingerprint_does_not(folder):
    before = ontology.Ontology(folder)
    version, fingerprint = before.version, before.fingerprint
    _edit(folder / "style.json", "#d62728", "#000000")
    after = ontology.Ontology(folder)
    assert after.version == version and after.fingerprint != fingerprint
    assert after.schema == ontology.load().schema  # what a relation model is made for: unchanged by data edits


@pytest.mark.parametrize("datatype, value, ok", [
    (None, "anything", True), ("string", "anything", True), ("integer", "-12", True), ("integer", "1.5", False),
    ("decimal", "3.25", True), ("decimal", "3,25", False), ("double", "1e-3", True), ("boolean", "true", True),
    ("boolean", "yes", False), ("date", "2011-08-05", True), ("date", "2011-08", False),
    ("gYearMonth", "2011-08", True), ("gYear", "2011", True), ("gYear", "11", False),
])
def test_values_fit_their_datatype(datatype, value, ok):
    assert fits(XSD + datatype if datatype else None, value) is ok


@pytest.mark.parametrize("relations, kept", [
    (["targets", "orbits"], ["orbits"]),
    (["targets", "flyby", "landsOn"], ["flyby", "landsOn"]),
    (["participatesIn", "^operatedBy"], ["operatedBy"]),  # ^: the other way round
    (["participatesIn", "operatedBy"], ["participatesIn", "operatedBy"]),
    (["targets", "partOf"], ["targets", "partOf"]),
])
def test_a_fact_yields_to_a_more_specific_one_as_relations_yaml_says(relations, kept):
    found = [Found("o", r[1:], "a", 0, "r", 0.9) if r.startswith("^") else Found("a", r, "o", 0, "r", 0.9)
             for r in relations]
    assert [f.relation for f in _prefer_specific(found, ontology.load())] == kept


def test_without_yields_to_every_fact_stays(folder):
    _edit(folder / "relations.yaml", "yields_to:\n  targets: [orbits, flyby, landsOn]\n  participatesIn: [\"^operatedBy\"]\n",
          "")
    found = [Found("a", "targets", "o", 0, "r", 0.9), Found("a", "orbits", "o", 0, "r", 0.9)]
    assert _prefer_specific(found, ontology.load(folder)) == found


def test_people_class_comes_from_entity_cues(folder):
    assert ontology.load().people_class == "Person"
    _edit(folder / "entity_cues.yaml", "ner: {PERSON: Person}\n", "")
    assert ontology.load(folder).people_class is None


@pytest.mark.parametrize("value, problem", [
    ("3", None),
    ("three", "not a value of padCount's range integer"),
])
def test_gold_values_are_checked_against_the_relations_range(folder, tmp_path, value, problem):
    from kg.errors import EvalError
    from kg.gold import load_gold

    _edit(folder / "kg.ttl", "kg:wikidata a owl:DatatypeProperty ;",
          "kg:padCount a owl:DatatypeProperty ; rdfs:domain kg:Mission ; rdfs:range xsd:integer .\n\n"
          "kg:wikidata a owl:DatatypeProperty ;")
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "n", "entities": [{"name": "Kestrel", "type": "Mission"}], '
                    f'"attributes": [["Kestrel", "padCount", "{value}"]]}}\n', encoding="utf-8")
    if problem is None:
        assert load_gold(gold, ontology.load(folder))[0]["attributes"] == [["Kestrel", "padCount", value]]
    else:
        with pytest.raises(EvalError) as err:
            load_gold(gold, ontology.load(folder))
        assert str(err.value) == f"{gold}:1: attribute ['Kestrel', 'padCount', '{value}']: {problem}"
