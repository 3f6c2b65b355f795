"""One exception hierarchy for the whole package.

Messages say *where* the problem is (a file, a line, an option); causes are
chained with ``raise ... from``.  Exit codes belong to :mod:`kg.cli` only.
"""
from __future__ import annotations


class KGError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KGError):
    """An input file cannot be read or parsed; the build skips it and goes on."""

    def __init__(self, path: str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class OntologyError(KGError):
    """A file under ``ontology/`` is missing or malformed."""


class ModelError(KGError):
    """The spaCy model cannot be loaded."""


class RelationModelError(KGError):
    """A relation model file is missing, corrupt, or made for another ontology or kg version."""


class ExportError(KGError):
    """An exporter failed, or an unknown format was asked for."""


class GraphFileError(KGError):
    """A built graph file (Turtle) cannot be read back."""


class EvalError(KGError):
    """A gold (annotation) file is missing or malformed: the message names the file and line."""


class QueryError(KGError):
    """A SPARQL query is malformed or cannot run."""


class BuildError(KGError):
    """The build produced nothing, or could not write its output."""
