"""Where per-document extraction runs: in this process, in a pool of processes, or on a Dask cluster.

Every executor maps batches of :class:`~kg.model.Document` to lists of results
(:class:`kg.assemble.DocDigest`, as dicts when they come from another process), loads the
spaCy model once per worker, and
returns batches in the order they were given, so the graph does not depend on
which worker finished first.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from . import DEFAULT_MODEL
from .errors import KGError
from .model import Document

Batch = list[Document]


@dataclass(frozen=True)
class ExtractorSpec:
    """What an extraction process loads: the spaCy pipeline, the relation model file (None: the
    rules alone) and the ontology folder (None: the default).  Small and picklable, so it travels
    to worker processes, which build their extractor from it once."""

    model: str = DEFAULT_MODEL
    relation_model: str | None = None
    ontology_dir: str | None = None


_WORKER: dict[ExtractorSpec, Any] = {}


def process_extractor(spec: ExtractorSpec):
    """The extractor of this process (a worker's, or a resident ``kg watch``'s), built on first use."""
    from .pipeline import Extractor

    ex = _WORKER.get(spec)
    if ex is None:
        ex = _WORKER[spec] = Extractor(spec.model, spec.ontology_dir, spec.relation_model)
    return ex


def digest_batch(batch: Batch, spec: ExtractorSpec) -> list[Any]:
    """Extract one batch in the current process: the :class:`~kg.assemble.DocDigest` of each document."""
    from .assemble import digest

    return [digest(r) for r in process_extractor(spec).process(batch)]


def extract_batch(batch: Batch, spec: ExtractorSpec) -> list[dict[str, Any]]:
    """Run extraction on one batch in a worker: the digests as plain data, cheap to send back."""
    return [d.to_dict() for d in digest_batch(batch, spec)]


class LocalExecutor:
    """Everything in this process; needs nothing extra."""

    name = "local"

    def __init__(self, spec: ExtractorSpec, jobs: int = 1):
        self.spec = spec
        self.jobs = max(1, jobs)

    def map(self, batches: Iterable[Batch]) -> Iterator[list[Any]]:
        """Per batch, its results: ``DocDigest`` objects in this process, their dicts from workers."""
        batches = iter(batches)
        first = list(islice(batches, 2))
        if self.jobs == 1 or len(first) < 2:
            # same process: the results themselves, no round trip through dicts; and a single
            # batch (a rebuild after an edit) is not worth starting processes that load the model
            for batch in chain(first, batches):
                yield digest_batch(batch, self.spec)
            return
        batches = chain(first, batches)
        # a bounded window of batches in flight keeps memory flat on large corpora
        with ProcessPoolExecutor(max_workers=self.jobs) as pool:
            window: list = []
            for batch in batches:
                window.append(pool.submit(extract_batch, batch, self.spec))
                if len(window) >= 2 * self.jobs:
                    yield window.pop(0).result()
            for fut in window:
                yield fut.result()

    def close(self) -> None:
        """Nothing to release: the process pool closes with its ``with`` block."""


class DaskExecutor:
    """Batches run on a Dask distributed cluster; each worker loads the model once."""

    name = "dask"

    def __init__(self, spec: ExtractorSpec, scheduler: str | None = None, client: Any = None):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise KGError("--executor dask needs the 'distributed' package: pip install 'dask[distributed]'") from exc
        self.spec = spec
        self._own = client is None
        try:
            self.client = client or Client(scheduler, timeout=30)
        except OSError as exc:
            raise KGError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc

    def map(self, batches: Iterable[Batch]) -> Iterator[list[dict[str, Any]]]:
        window: list = []
        limit = 2 * max(1, len(self.client.scheduler_info().get("workers", {})))
        for batch in batches:
            window.append(self.client.submit(extract_batch, batch, self.spec, pure=False))
            if len(window) >= limit:
                yield window.pop(0).result()
        for fut in window:
            yield fut.result()

    def close(self) -> None:
        if self._own:
            self.client.close()


def make_executor(kind: str, spec: ExtractorSpec, jobs: int = 1, scheduler: str | None = None):
    if kind == "local":
        return LocalExecutor(spec, jobs)
    if kind == "dask":
        return DaskExecutor(spec, scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS"))
    raise KGError(f"unknown executor {kind!r}; use 'local' or 'dask'")
