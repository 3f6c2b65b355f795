"""Where per-document extraction runs: in this process, in a pool of processes, or on a Dask cluster.

Every executor maps batches of :class:`~kg.model.Document` to lists of results
(:class:`kg.pipeline.DocDigest`, as dicts when they come from another process), loads the
spaCy model once per worker, and
returns batches in the order they were given, so the graph does not depend on
which worker finished first.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .errors import KGError
from .model import Document

Batch = list[Document]

_WORKER: dict[str, Any] = {}


def process_extractor(model: str):
    """The extractor of this process (a worker's, or a resident ``kg watch``'s), built on first use."""
    from .pipeline import Extractor

    ex = _WORKER.get(model)
    if ex is None:
        ex = _WORKER[model] = Extractor(model)
    return ex


def digest_batch(batch: Batch, model: str) -> list[Any]:
    """Extract one batch in the current process: the :class:`~kg.pipeline.DocDigest` of each document."""
    from .pipeline import digest

    return [digest(r) for r in process_extractor(model).process(batch)]


def extract_batch(batch: Batch, model: str) -> list[dict[str, Any]]:
    """Run extraction on one batch in a worker: the digests as plain data, cheap to send back."""
    return [d.to_dict() for d in digest_batch(batch, model)]


class LocalExecutor:
    """Everything in this process; needs nothing extra."""

    name = "local"

    def __init__(self, model: str, jobs: int = 1):
        self.model = model
        self.jobs = max(1, jobs)

    def map(self, batches: Iterable[Batch]) -> Iterator[list[Any]]:
        """Per batch, its results: ``DocDigest`` objects in this process, their dicts from workers."""
        batches = iter(batches)
        first = list(islice(batches, 2))
        if self.jobs == 1 or len(first) < 2:
            # same process: the results themselves, no round trip through dicts; and a single
            # batch (a rebuild after an edit) is not worth starting processes that load the model
            for batch in chain(first, batches):
                yield digest_batch(batch, self.model)
            return
        batches = chain(first, batches)
        # a bounded window of batches in flight keeps memory flat on large corpora
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            window: list = []
            for batch in batches:
                window.append(pool.submit(extract_batch, batch, self.model))
                if len(window) >= 2 * self.jobs:
                    yield window.pop(0).result()
            for fut in window:
                yield fut.result()

    def close(self) -> None:
        """Nothing to release: the process pool closes with its ``with`` block."""


class DaskExecutor:
    """Batches run on a Dask distributed cluster; each worker loads the model once."""

    name = "dask"

    def __init__(self, model: str, scheduler: str | None = None, client: Any = None):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise KGError("--executor dask needs the 'distributed' package: pip install 'dask[distributed]'") from exc
        self.model = model
        self._own = client is None
        try:
            self.client = client or Client(scheduler, timeout=30)
        except OSError as exc:
            raise KGError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc

    def map(self, batches: Iterable[Batch]) -> Iterator[list[dict[str, Any]]]:
        window: list = []
        limit = 2 * max(1, len(self.client.scheduler_info().get("workers", {})))
        for batch in batches:
            window.append(self.client.submit(extract_batch, batch, self.model, pure=False))
            if len(window) >= limit:
                yield window.pop(0).result()
        for fut in window:
            yield fut.result()

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(kind: str, model: str, jobs: int = 1, scheduler: str | None = None):
    if kind == "local":
        return LocalExecutor(model, jobs)
    if kind == "dask":
        return DaskExecutor(model, scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS"))
    raise KGError(f"unknown executor {kind!r}; use 'local' or 'dask'")
