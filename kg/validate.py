"""SHACL validation of a built graph against the ontology folder's ``shapes.ttl`` (pyshacl), or
against shapes derived from its ``kg.ttl`` (:mod:`kg.shapes`) when the folder has none.

The ontology (``kg.ttl``) is mixed into the data graph as pyshacl's ``ont_graph``, so
``sh:class`` follows ``rdfs:subClassOf`` (an Agency is an Organization) without running RDFS
inference over the whole graph.

Each violation is reported under a *rule*: the local name of the shape that failed
(``OperatedByRange``, ``EntityLabel``, ...; every shape in shapes.ttl has an IRI), or
the constraint component's name for a blank-node shape.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
from rdflib import Graph, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

from . import ontology
from .rdf import new_graph, parse_file
from .shapes import shapes_for

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: which rule, on which node, along which property, why, and the offending value."""

    rule: str
    focus: str
    path: str | None
    message: str
    value: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def by_rule(self) -> dict[str, list[Violation]]:
        """The violations grouped by rule, rules sorted by name."""
        groups: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[v.rule].append(v)
        return dict(sorted(groups.items()))


def load_shapes(directory: Path | None = None) -> Graph:
    """The SHACL shapes graph: kg's records' and the ontology folder's (:func:`kg.shapes.shapes_for`)."""
    return shapes_for(ontology.load(directory))


def _local(term: Node) -> str:
    text = str(term)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _violations(results: Graph, names: Graph) -> list[Violation]:
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(r, SH.sourceShape)
        rule = _local(shape) if shape is not None and not shape.n3().startswith("_:") else _local(
            results.value(r, SH.sourceConstraintComponent)
        )
        path, value = results.value(r, SH.resultPath), results.value(r, SH.value)
        out.append(Violation(
            rule=rule,
            focus=str(results.value(r, SH.focusNode)),
            path=None if path is None else path.n3(names.namespace_manager),
            message=str(results.value(r, SH.resultMessage) or ""),
            value=None if value is None else str(value),
        ))
    return sorted(out, key=lambda v: (v.rule, v.focus, v.path or "", v.value or "", v.message))


def validate(source: str | Path | Graph, ontology_dir: Path | None = None) -> ValidationReport:
    """Validate a graph file (``.ttl`` / ``.jsonld``) or an rdflib graph against the SHACL shapes.

    Raises :class:`GraphFileError` for an unreadable graph file and
    :class:`OntologyError` for a missing or malformed ontology or shapes file.
    """
    data = source if isinstance(source, Graph) else parse_file(source)
    if not data.store.context_aware:  # pyshacl mixes the ontology in through a dataset
        copy = new_graph()
        copy += data
        data = copy
    onto = ontology.load(ontology_dir)
    conforms, results, _text = pyshacl.validate(
        data, shacl_graph=load_shapes(ontology_dir), ont_graph=onto.graph,
        inference="none", abort_on_first=False, allow_warnings=False,
    )
    return ValidationReport(conforms=bool(conforms), violations=_violations(results, new_graph()))


def format_report(report: ValidationReport) -> str:
    """A plain-text report: a summary line, then each rule with its violations."""
    if report.conforms:
        return "Conforms: yes (no SHACL violations)\n"
    groups = report.by_rule()
    lines = [f"Conforms: no ({len(report.violations)} violations of {len(groups)} rules)"]
    for rule, violations in groups.items():
        lines.append("")
        lines.append(f"{rule} ({len(violations)})")
        for v in violations:
            shown = v.value is not None and v.value != v.focus
            where = f"<{v.focus}>" + (f" {v.path}" if v.path else "") + (f" = {v.value!r}" if shown else "")
            lines.append(f"  {where}: {v.message}")
    return "\n".join(lines) + "\n"
