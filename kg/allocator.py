"""The C allocator kept from handing the parser's working memory back to the system after every batch.

spaCy's parser works on a batch of documents in a hundred or so megabytes of arrays that it
frees at the end of the batch.  glibc's ``malloc`` serves the largest of them with fresh
``mmap`` regions and returns the rest of its heap top to the system once the batch is done,
so the next batch faults every page in again: at a thousand notes, over half a million page
faults and two to three seconds of system time, a tenth of a build.  While documents are
extracted, :func:`steady_heap` has ``malloc`` keep that memory (the same ~100 MB each batch
reuses); afterwards it lets the heap shrink again and returns what is free.

Only glibc has ``mallopt``; elsewhere (macOS, musl) this does nothing.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

#: ``mallopt`` parameters (``malloc.h``).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: While extracting: blocks up to this size come from the heap, and the heap keeps this much free.
KEPT = 256 * 2**20
#: Afterwards: glibc's own ceilings for its adaptive thresholds (32 MB, twice that for trimming).
AFTER = (32 * 2**20, 64 * 2**20)


@lru_cache(maxsize=1)
def _libc() -> Any | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    if libc is None or not hasattr(libc, "mallopt") or not hasattr(libc, "malloc_trim"):
        return None
    return libc


@contextlib.contextmanager
def steady_heap() -> Iterator[bool]:
    """Within this block ``malloc`` keeps freed memory for reuse; yields whether it could be told to."""
    libc = _libc()
    told = libc is not None and bool(libc.mallopt(M_MMAP_THRESHOLD, KEPT)) and bool(
        libc.mallopt(M_TRIM_THRESHOLD, KEPT))
    try:
        yield told
    finally:
        if told:
            libc.mallopt(M_MMAP_THRESHOLD, AFTER[0])
            libc.mallopt(M_TRIM_THRESHOLD, AFTER[1])
            libc.malloc_trim(0)
