"""Every file of an ontology folder read and checked at once, before a build reads a note.

:func:`check` raises :class:`~kg.errors.OntologyError` for the first problem, with the file, the
line (or the term) and what is wrong: a class the gazetteer uses that ``kg.ttl`` does not declare,
a relation without domain or range, a trigger naming an unknown relation, a style for an unknown
class, broken Turtle, YAML or JSON.  A build, a watch and ``kg train`` call it before any NLP
runs, so a bad folder writes nothing; the commands that read a built graph call it too.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import OntologyError
from .ontology import ROOT_CLASS, STRUCTURAL_RELATIONS, Ontology
from .ontology_files import fits, parse_turtle

#: spaCy NER labels an ontology may give a class to (``ner`` in entity_cues.yaml): kg reads people only.
NER_LABELS = frozenset({"PERSON"})


def check(onto: Ontology) -> Ontology:
    """Read every file of ``onto``'s folder and check it (once per ontology); returns ``onto``."""
    if onto.__dict__.get("_checked"):
        return onto
    _owl(onto)
    _gazetteer(onto)
    _relations_yaml(onto)
    _entity_cues(onto)
    _style(onto)
    shapes = onto.file("shapes.ttl")
    if shapes.exists():
        parse_turtle(shapes, "the SHACL shapes")
    onto.__dict__["_checked"] = True
    return onto


def _owl(onto: Ontology) -> None:
    from .export._names import NODE_PROPERTIES, flat_name, list_name

    onto.iri  # noqa: B018 -- each property raises for what it finds wrong
    onto.relations  # noqa: B018
    if not onto.declared_classes:
        raise OntologyError(f"{onto.file('kg.ttl')}: no class is a subclass of kg:{ROOT_CLASS}; "
                            f"entity classes must be")
    for name in onto.literal_relations:
        taken = sorted({flat_name(name), list_name(name)} & NODE_PROPERTIES)
        if taken:
            raise OntologyError(f"{onto.file('kg.ttl')}: relation {name!r}: the exports would write its values "
                                f"as {taken[0]!r}, a node property of kg's own; rename the relation")


def _gazetteer(onto: Ontology) -> None:
    ids = onto.gazetteer_by_id
    onto.series  # noqa: B018
    for entry in onto.gazetteer:
        for rel, target in entry.facts:
            r = onto.relations[rel]
            if r.literal and not fits(r.datatype, target):
                raise OntologyError(f"{entry.where}: facts: {target!r} is not a value of {rel} ({r.datatype})")
            if not r.literal and target not in ids:
                raise OntologyError(f"{entry.where}: facts: {rel} {target!r} is not a gazetteer id")


def line_of(path: Path, *keys: Any) -> int | None:
    """The line (1-based) of the YAML node at ``keys`` (mapping keys, whose own line counts, and list
    indexes) in ``path``."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return None
    line = None
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == key), None)
            if pair is None:
                return None
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return None
    return line


def _at(path: Path, *keys: Any) -> str:
    line = line_of(path, *keys)
    return f"{path}:{line}" if line is not None else str(path)


def _relations_yaml(onto: Ontology) -> None:
    from .relations.lexicon import Lexicon

    path, lex = onto.file("relations.yaml"), onto.lexicon
    triggers = lex.get("triggers") or []
    if not isinstance(triggers, list):
        raise OntologyError(f"{_at(path, 'triggers')}: 'triggers' must be a list of triggers")
    for i, t in enumerate(triggers):
        if not isinstance(t, dict) or not all(k in t for k in ("name", "lemmas", "relations", "subject", "object")):
            raise OntologyError(f"{_at(path, 'triggers', i)}: a trigger needs name, lemmas, relations, subject "
                                f"and object")
        for rel in t["relations"] if isinstance(t["relations"], list) else [t["relations"]]:
            if rel not in onto.relations:
                raise OntologyError(f"{_at(path, 'triggers', i)}: trigger {t['name']!r}: relation {rel!r} is not "
                                    f"declared in kg.ttl")
    for key, known, what in (("references", onto.declared_classes, "class"), ("cues", onto.relations, "relation"),
                             ("yields_to", onto.relations, "relation")):
        section = lex.get(key) or {}
        if not isinstance(section, dict):
            raise OntologyError(f"{_at(path, key)}: {key!r} must map names to lists")
        for name, values in section.items():
            if name not in known:
                raise OntologyError(f"{_at(path, key, name)}: {key}: {what} {name!r} is not declared in kg.ttl")
            if key == "yields_to":
                bad = [v for v in values or () if str(v).lstrip("^") not in onto.relations]
                if bad:
                    raise OntologyError(f"{_at(path, key, name)}: yields_to: relation {bad[0]!r} is not "
                                        f"declared in kg.ttl")
    Lexicon(onto)  # the triggers' slots and words


def _entity_cues(onto: Ontology) -> None:
    path, cues = onto.file("entity_cues.yaml"), onto.cues
    for section in onto.cue_sections:
        if section not in onto.declared_classes:
            raise OntologyError(f"{_at(path, section)}: section {section!r} names a class that is not declared "
                                f"in kg.ttl")
        if not isinstance(cues[section], dict):
            raise OntologyError(f"{_at(path, section)}: section {section!r} must map cue kinds to word lists")
    ner = cues.get("ner") or {}
    if not isinstance(ner, dict):
        raise OntologyError(f"{_at(path, 'ner')}: 'ner' must map spaCy NER labels to classes")
    for label, cls in ner.items():
        if label not in NER_LABELS:
            raise OntologyError(f"{_at(path, 'ner', label)}: ner: kg reads {', '.join(sorted(NER_LABELS))} "
                                f"names only, not {label!r}")
        if cls not in onto.declared_classes:
            raise OntologyError(f"{_at(path, 'ner', label)}: ner: class {cls!r} is not declared in kg.ttl")


def _style(onto: Ontology) -> None:
    from .export._style import load_style

    path = onto.file("style.json")
    style = load_style(onto)
    for name in style.classes:
        if name not in onto.superclasses:
            raise OntologyError(f"{path}: classes.{name}: {name!r} is not a class of kg.ttl")
    for name in style.relations:
        if name not in onto.relations and name not in STRUCTURAL_RELATIONS:
            raise OntologyError(f"{path}: relations.{name}: {name!r} is not a relation of kg.ttl")
