"""Where batches are extracted: in this process, in a local process pool, or on a Dask cluster.

All three share one interface, ``map_batches(batches) -> results``, yielding each
batch's outcomes in the order the batches went in, so the single store writer
sees the same sequence whatever runs the work. Each keeps at most a bounded
number of batches in flight and pulls the next batch only when one is done, so
memory does not grow with the corpus.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from newsgraph.runtime import Resources
from newsgraph.shards import new_run_id
from newsgraph.work import Outcome, WorkerConfig, WorkItem, process_batch, run_batch

Batch = list[WorkItem]


class Executor(Protocol):
    def map_batches(self, batches: Iterable[Batch]) -> Iterator[list[Outcome]]:
        """Each batch's outcomes (one per document, in input order), batches in input order."""
        ...

    def shard_name(self, seq: int) -> str:
        """The name of batch ``seq``'s Parquet shards: sortable by run, then by batch."""
        ...

    def close(self) -> None: ...


class _Base:
    """Shard naming and the context-manager protocol."""

    def __init__(self, config: WorkerConfig) -> None:
        self.config = config
        self.run_id = new_run_id()

    def shard_name(self, seq: int) -> str:
        return f"{self.run_id}-{seq:08d}"

    def close(self) -> None:
        pass

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalExecutor(_Base):
    """In this process, one batch at a time: the default, and what the others must equal."""

    def __init__(self, config: WorkerConfig, res: Resources | None = None) -> None:
        super().__init__(config)
        self.res = res

    def map_batches(self, batches: Iterable[Batch]) -> Iterator[list[Outcome]]:
        for seq, batch in enumerate(batches):
            if self.res is not None and self.config.shard_dir is None:
                yield process_batch(batch, self.res, self.config)
            else:
                yield run_batch(batch, self.config, self.shard_name(seq))


_WORKER_CONFIG: WorkerConfig | None = None


def _init_worker(config: WorkerConfig) -> None:
    """Pool initializer: load the resources once per worker process, before the first batch."""
    global _WORKER_CONFIG
    _WORKER_CONFIG = config
    from newsgraph.runtime import load_resources

    load_resources(config.actor_files)


def _pool_task(batch: Batch, name: str) -> list[Outcome]:
    assert _WORKER_CONFIG is not None, "pool worker started without _init_worker"
    return run_batch(batch, _WORKER_CONFIG, name)


def pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where the platform has it (no inherited DuckDB handles or threads), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class ProcessExecutor(_Base):
    """N worker processes on this machine, each with its own spaCy pipeline."""

    def __init__(self, config: WorkerConfig, workers: int, max_in_flight: int | None = None) -> None:
        super().__init__(config)
        self.workers = workers
        self.max_in_flight = max_in_flight or 2 * workers
        # one BLAS/OpenMP thread per worker: the workers are the parallelism
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        self.pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=pool_context(),
            initializer=_init_worker,
            initargs=(config,),
        )

    def map_batches(self, batches: Iterable[Batch]) -> Iterator[list[Outcome]]:
        pending: deque[Future[list[Outcome]]] = deque()
        for seq, batch in enumerate(batches):
            pending.append(self.pool.submit(_pool_task, batch, self.shard_name(seq)))
            if len(pending) >= self.max_in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(_Base):
    """Batches as tasks on a Dask cluster, at most ``max_in_flight`` submitted at once."""

    def __init__(self, config: WorkerConfig, client: Any, max_in_flight: int | None = None) -> None:
        super().__init__(config)
        from newsgraph.distributed import register_resources

        self.client = client
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        self.max_in_flight = max_in_flight or 2 * workers
        register_resources(client, config.actor_files)

    def map_batches(self, batches: Iterable[Batch]) -> Iterator[list[Outcome]]:
        from newsgraph.distributed import ordered_results

        named = ((self.shard_name(seq), batch) for seq, batch in enumerate(batches))
        yield from ordered_results(self.client, named, self.config, self.max_in_flight)
