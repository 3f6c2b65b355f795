"""The names the flat exports (GEXF, GraphML, Neo4j) give the values of an ontology's literal relations.

A literal relation (an ``owl:DatatypeProperty`` of ``kg.ttl``: ``launchDate``, or one of your own)
becomes a node property named after it in snake case: ``launch_date`` in GEXF and GraphML (the
values joined with ``"; "``), and plural in Neo4j, where it is a list (``launch_dates``).  The
names kg's own node properties take are reserved: :mod:`kg.ontology_check` refuses a relation
whose property would take one.
"""
from __future__ import annotations

import re

#: The node properties of kg's own data in the GEXF, GraphML and Neo4j exports.
NODE_PROPERTIES = frozenset({
    "id", "name", "kind", "class", "label", "wikidata", "aliases", "gazetteer_id", "doc_id", "title", "path",
    "url", "date", "subject", "keywords", "video_id", "channel", "doc_kind", "external",
})

_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    """``launchDate`` -> ``launch_date``."""
    return _WORD_START.sub("_", name).lower()


def plural(word: str) -> str:
    """``launch_date`` -> ``launch_dates``, ``mass`` -> ``masses``, ``body`` -> ``bodies``."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def flat_name(relation: str) -> str:
    """The GEXF and GraphML attribute of a literal relation's values."""
    return snake(relation)


def list_name(relation: str) -> str:
    """The Neo4j list property of a literal relation's values."""
    return plural(snake(relation))
