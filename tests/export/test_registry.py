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


RDF_FORMATS = [name for name in EXPORTERS if get(name).units is not None]


def test_the_rdf_formats_are_written_from_units():
    assert set(RDF_FORMATS) == {"turtle", "jsonld"}


@pytest.mark.parametrize("parts", [1, 3, 50])
def test_rdf_formats_written_in_parts_and_joined_are_the_whole(parts, sample_graph, tmp_path):
    """What a parallel build does (parts by several processes, then joined) gives the same files."""
    from kg.export import join_rdf_parts, rdf_parts, write_rdf, write_rdf_part

    chosen = [get(n) for n in RDF_FORMATS]
    (tmp_path / "whole").mkdir()
    whole = write_rdf(sample_graph, tmp_path / "whole", chosen)
    ranges = rdf_parts(sample_graph, parts)
    for index, (lo, hi) in reversed(list(enumerate(ranges))):  # any order: each part is its own file
        write_rdf_part(sample_graph, tmp_path / "parts", chosen, index, lo, hi)
    joined = join_rdf_parts(sample_graph, tmp_path / "parts", chosen, len(ranges))
    assert [p.read_bytes() for p in joined] == [p.read_bytes() for p in whole]
    assert not (tmp_path / "parts" / ".parts").exists()
