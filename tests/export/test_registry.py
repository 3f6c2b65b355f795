"""Every registered exporter (including ones added later) writes its declared outputs for the sample graph."""
from __future__ import annotations

import pytest

from kg.export import exporters, get
from kg.errors import ExportError

EXPORTERS = sorted(exporters())


def test_the_rdf_exporters_are_registered():
    assert {"turtle", "jsonld", "ontology"} <= set(EXPORTERS)


@pytest.mark.parametrize("name", EXPORTERS)
def test_exporter_writes_every_declared_output(name, sample_graph, tmp_path):
    exporter = get(name)
    written = exporter.write(sample_graph, tmp_path)
    assert exporter.outputs, f"{name} declares no outputs"
    for output in exporter.outputs:
        path = tmp_path / output
        assert path.exists(), f"{name} did not write {output}"
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        assert files and all(p.stat().st_size > 0 for p in files), f"{name} wrote an empty {output}"
    assert all(p.exists() for p in written)


def test_unknown_format_is_an_export_error():
    with pytest.raises(ExportError, match="unknown export format"):
        get("no-such-format")
