"""The C allocator keeps the parser's working memory while documents are extracted."""
from __future__ import annotations

import resource

import pytest

from kg import allocator


def _faults_of_reusing(mb: int, times: int) -> int:
    """Page faults of allocating (zero-filled) and freeing a block of ``mb`` MB ``times`` times."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(times):
        block = bytearray(mb * 2**20)
        del block
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.skipif(allocator._libc() is None, reason="not glibc: steady_heap does nothing here")
def test_memory_freed_between_batches_is_reused_then_returned_after():
    pages = 64 * 2**20 // 4096
    outside = _faults_of_reusing(64, 5)
    with allocator.steady_heap() as told:
        assert told
        _faults_of_reusing(64, 1)  # the first time the heap grows
        inside = _faults_of_reusing(64, 5)
    after = _faults_of_reusing(64, 5)
    assert outside >= 5 * pages // 2  # each round faulted its pages in again
    assert inside < pages // 4
    assert after >= 5 * pages // 2  # afterwards such blocks go back to the system as before


def test_without_glibc_nothing_is_changed(monkeypatch):
    monkeypatch.setattr(allocator, "_libc", lambda: None)
    with allocator.steady_heap() as told:
        assert told is False
