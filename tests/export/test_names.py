"""kg.export._names: the property a literal relation's values get in GEXF, GraphML and Neo4j."""
from __future__ import annotations

import pytest

from kg.export._names import NODE_PROPERTIES, flat_name, list_name
from kg.export.gexf import project
from kg.export.neo4j import DOCUMENT_COLUMNS, ENTITY_COLUMNS


@pytest.mark.parametrize("relation, flat, listed", [
    ("launchDate", "launch_date", "launch_dates"),
    ("mass", "mass", "masses"),
    ("apoapsisKm", "apoapsis_km", "apoapsis_kms"),
    ("discoveryYear", "discovery_year", "discovery_years"),
    ("battery", "battery", "batteries"),
    ("boxDepth", "box_depth", "box_depths"),
])
def test_names_are_snake_case_and_plural_for_lists(relation, flat, listed):
    assert (flat_name(relation), list_name(relation)) == (flat, listed)


def test_reserved_names_are_every_property_of_kgs_own_data(sample_graph):
    """The reserved names cannot drift from what the exporters write."""
    neo4j = {name for name, _ in ENTITY_COLUMNS + DOCUMENT_COLUMNS}
    H = project(sample_graph)
    flat = {k for _, a in H.nodes(data=True) for k in a} - {flat_name("launchDate")}
    assert neo4j | flat == NODE_PROPERTIES
