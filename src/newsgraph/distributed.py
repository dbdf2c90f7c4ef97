"""Running extraction on a Dask cluster (``--dask-scheduler``, ``--dask-local``).

The writer stays on one machine; workers run the same pure ``run_batch`` as the
local pool. Files are read where they lie: the writer sends paths (and byte
ranges of JSONL feeds, cut at line ends) and the workers read them, so document
text crosses the network once, on the way back as results, or not at all with
``--parquet-out``. Only stdin and CSV feeds (quoted fields may hold newlines,
so a feed cannot be cut without parsing it) are read by the writer and shipped.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from newsgraph.ingest.readers import ReaderOptions, read_path, read_stdin
from newsgraph.ingest.sources import STDIN, iter_inputs
from newsgraph.models import RawDocument, ReadError
from newsgraph.work import FileRef, Outcome, RowRange, WorkerConfig, run_batch

FEED_SUFFIXES = (".jsonl", ".ndjson")
PARENT_READ_SUFFIXES = (".csv",)
_CHUNK = 1 << 20

Unit = RawDocument | FileRef | RowRange | ReadError


def plan_units(inputs: Sequence[str], reader: ReaderOptions, rows_per_range: int) -> Iterator[Unit]:
    """What to send for each input: file paths, JSONL row ranges, or (stdin, CSV) the documents."""
    for item in iter_inputs(inputs):
        if isinstance(item, ReadError):
            yield item
        elif item == STDIN:
            yield from read_stdin(reader)
        else:
            path = Path(item)
            suffix = path.suffix.lower()
            if suffix in FEED_SUFFIXES:
                yield from feed_ranges(path, reader, rows_per_range)
            elif suffix in PARENT_READ_SUFFIXES:
                yield from read_path(path, reader)
            else:
                yield FileRef(os.path.abspath(path))


def feed_ranges(path: Path, reader: ReaderOptions, rows: int) -> Iterator[RowRange | ReadError]:
    """Cut a JSONL feed into ranges of ``rows`` lines by scanning for newlines (no parsing)."""
    source = os.path.abspath(path)
    try:
        if path.stat().st_size > reader.max_file_bytes:
            yield ReadError(source, f"feed is over the {reader.max_file_bytes}-byte limit")
            return
        handle = path.open("rb")
    except PermissionError:
        yield ReadError(source, "permission denied")
        return
    except OSError as exc:
        yield ReadError(source, f"cannot read: {exc.strerror or exc}")
        return
    with handle:
        start = offset = 0
        first = lineno = 1
        line_start = 0
        while chunk := handle.read(_CHUNK):
            pos = chunk.find(b"\n")
            while pos >= 0:
                lineno += 1
                line_start = offset + pos + 1
                if lineno - first == rows:
                    yield RowRange(source, start, line_start, first, rows)
                    start, first = line_start, lineno
                pos = chunk.find(b"\n", pos + 1)
            offset += len(chunk)
        if offset > start:
            count = lineno - first + (1 if offset > line_start else 0)
            yield RowRange(source, start, offset, first, count)


def ordered_results(
    client: Any, named: Iterable[tuple[str, list[Any]]], config: WorkerConfig, max_in_flight: int
) -> Iterator[list[Outcome]]:
    """Submit batches as tasks, at most ``max_in_flight`` not yet handed back, and yield their
    outcomes in submission order (finished ones wait in a buffer counted in that bound)."""
    batches = iter(named)
    seq_of: dict[str, int] = {}
    done: dict[int, list[Outcome]] = {}
    submitted = handed = 0
    pending = as_completed()

    def top_up() -> None:
        nonlocal submitted
        while submitted - handed < max_in_flight:
            nxt = next(batches, None)
            if nxt is None:
                return
            name, batch = nxt
            future = client.submit(run_batch, batch, config, name, pure=False, key=f"newsgraph-{name}")
            seq_of[future.key] = submitted
            submitted += 1
            pending.add(future)

    top_up()
    for future in pending:
        done[seq_of.pop(future.key)] = future.result()
        future.release()
        while handed in done:
            yield done.pop(handed)
            handed += 1
        top_up()


class ResourcesPlugin(WorkerPlugin):
    """Loads the spaCy pipeline and dictionaries once when each worker starts (and on new workers)."""

    name = "newsgraph-resources"

    def __init__(self, actor_files: Sequence[str]) -> None:
        self.actor_files = tuple(actor_files)

    def setup(self, worker: Any) -> None:
        from newsgraph.runtime import load_resources

        load_resources(self.actor_files)


def register_resources(client: Any, actor_files: Sequence[str]) -> None:
    """Preload resources on every worker; ``run_batch`` would otherwise load them on first use."""
    client.register_plugin(ResourcesPlugin(actor_files), name=ResourcesPlugin.name)


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, local_workers: int = 0) -> Iterator[Any]:
    """A client for a running scheduler, or for a LocalCluster of N single-threaded processes."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    with (
        LocalCluster(
            n_workers=local_workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
