"""The writer's side of one ingest: what to send to the executor, and what to do with the results.

Split from the executor so the same bookkeeping runs whatever does the work:
documents the writer read are classified (new, updated, unchanged, duplicate)
before dispatch so unchanged ones cost no NLP; documents that workers read
themselves (cluster runs) carry the stored hash so the worker skips them, and
are classified here when their results come back, in input order.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from newsgraph.executors import DaskExecutor, Executor, LocalExecutor, ProcessExecutor
from newsgraph.ingest.document import content_hash
from newsgraph.models import DocumentExtraction, RawDocument, ReadError
from newsgraph.pipeline import IngestOptions, IngestReport, ProgressFn, read_inputs
from newsgraph.runtime import Resources
from newsgraph.shards import Sharded, write_shard
from newsgraph.store.db import Store
from newsgraph.work import FileRef, Outcome, RowRange, Unchanged, WorkerConfig, WorkItem

LAST_SHARD = 99_999_999
"""Sequence number of the shard holding the writer's own read failures (merged last)."""


def worker_config(options: IngestOptions) -> WorkerConfig:
    return WorkerConfig(
        actor_files=tuple(str(Path(p).resolve()) for p in options.actor_files),
        reader=options.reader,
        force=options.force,
        shard_dir=str(options.parquet_out.resolve()) if options.parquet_out else None,
    )


@contextlib.contextmanager
def open_executor(options: IngestOptions, res: Resources | None) -> Iterator[Executor]:
    """The executor the options ask for, closed (pool or cluster shut down) on exit."""
    config = worker_config(options)
    if options.dask_scheduler or options.dask_local:
        from newsgraph.distributed import dask_client

        with dask_client(options.dask_scheduler, options.dask_local) as client:
            yield DaskExecutor(config, client, options.max_in_flight)
    elif options.workers > 1:
        with ProcessExecutor(config, options.workers, options.max_in_flight) as pool:
            yield pool
    else:
        yield LocalExecutor(config, res)


def model_label(res: Resources | None) -> str:
    """The model name as ``Resources.model`` gives it, without loading spaCy in the writer."""
    if res is not None:
        return res.model
    from newsgraph.nlp.pipeline import model_meta, model_name

    return model_name(model_meta())


class IngestRun:
    """Plans batches, classifies documents, writes results and fills the report."""

    def __init__(
        self,
        store: Store,
        options: IngestOptions,
        report: IngestReport,
        progress: ProgressFn | None,
        res: Resources | None,
    ) -> None:
        self.store = store
        self.options = options
        self.report = report
        self.progress = progress
        self.extractor = f"newsgraph/{model_label(res)}"
        self.seen: set[str] = set()
        self.decided: dict[str, str] = {}
        """source -> status, for documents classified before dispatch and not yet back."""
        self.known: dict[str, str] = {}
        """source -> stored hash, for referenced documents not yet back."""
        self.own_failures: list[tuple[str, str]] = []

    @staticmethod
    def remote(executor: Executor) -> bool:
        """Cluster workers read the files themselves; local workers get what the writer read."""
        return isinstance(executor, DaskExecutor)

    # -- reporting ------------------------------------------------------

    def note(self, source: str, status: str) -> None:
        if self.progress is not None:
            self.progress(source, status)

    def fail(self, source: str, reason: str) -> None:
        self.report.failed.append((source, reason))
        self.note(source, "failed")
        if self.options.stop_on_failure:
            from newsgraph.pipeline import StopIngest

            raise StopIngest(source)

    def skip(self, source: str, status: str) -> None:
        getattr(self.report, status).append(source)
        self.note(source, status)

    # -- before dispatch --------------------------------------------------

    def batches(self, inputs: Iterable[str], remote: bool) -> Iterator[list[WorkItem]]:
        """Batches of about ``batch_size`` documents still to extract, read lazily."""
        size = max(1, self.options.batch_size)
        if remote:
            from newsgraph.distributed import plan_units

            units: Iterator[Any] = plan_units(list(inputs), self.options.reader, size)
        else:
            units = read_inputs(list(inputs), self.options.reader)
        batch: list[WorkItem] = []
        count = 0
        for chunk in _chunks(units, size):
            for item in self._prepare(chunk):
                batch.append(item)
                count += item.rows if isinstance(item, RowRange) else 1
                if count >= size:
                    yield batch
                    batch, count = [], 0
        if batch:
            yield batch

    def _prepare(self, chunk: list[Any]) -> Iterator[WorkItem]:
        """Classify the read documents of a chunk (one store round-trip) and fill in stored
        hashes for references; yields what still needs extracting, in order."""
        raws = [u for u in chunk if isinstance(u, RawDocument)]
        digests = [content_hash(raw) for raw in raws]
        statuses = iter(self.store.statuses([(r.source, d) for r, d in zip(raws, digests, strict=True)]))
        ref_sources = [s for u in chunk if isinstance(u, FileRef | RowRange) for s in _sources(u)]
        known = self.store.known_hashes(ref_sources)
        digest_of = iter(digests)
        for unit in chunk:
            if isinstance(unit, ReadError):
                self.own_failures.append((unit.source, unit.reason))
                self.fail(unit.source, unit.reason)
            elif isinstance(unit, RawDocument):
                status, digest = next(statuses), next(digest_of)
                if digest in self.seen and status == "new":
                    status = "duplicate"
                self.seen.add(digest)
                if status == "unchanged" and self.options.force:
                    status = "updated"
                if status in ("unchanged", "duplicate"):
                    self.skip(unit.source, status)
                    continue
                self.decided[unit.source] = status
                yield unit
            elif isinstance(unit, FileRef):
                if unit.path in known:
                    self.known[unit.path] = known[unit.path]
                yield FileRef(unit.path, known.get(unit.path))
            else:
                mine = {s: known[s] for s in _sources(unit) if s in known}
                self.known.update(mine)
                yield RowRange(unit.path, unit.start, unit.end, unit.first_row, unit.rows, mine)

    # -- after extraction -------------------------------------------------

    def take(self, outcomes: list[Outcome]) -> None:
        """Classify what came back, write the batch in one transaction, then report it."""
        late = [
            o.document.content_hash if isinstance(o, DocumentExtraction) else o.content_hash
            for o in outcomes
            if isinstance(o, DocumentExtraction | Sharded) and _source(o) not in self.decided
        ]
        in_store = self.store.existing_hashes(late)
        done: list[tuple[Outcome, str]] = []
        for o in outcomes:
            if isinstance(o, ReadError):
                self.known.pop(o.source, None)
                self.decided.pop(o.source, None)
                self.fail(o.source, o.reason)
                continue
            if isinstance(o, Unchanged):
                self.known.pop(o.source, None)
                self.seen.add(o.content_hash)
                self.skip(o.source, "unchanged")
                continue
            source = _source(o)
            status = self.decided.pop(source, None)
            if status is None:
                status = self._classify_late(source, _digest(o), in_store)
            if status == "duplicate":
                self.skip(source, status)
                continue
            done.append((o, status))
        extractions = [o for o, _ in done if isinstance(o, DocumentExtraction)]
        if extractions:
            self.store.write_batch(extractions, self.extractor)
        for o, status in done:
            self.skip(_source(o), status)

    def _classify_late(self, source: str, digest: str, in_store: set[str]) -> str:
        """Ingest's rules for a document a worker read: it was not unchanged, or it would
        have come back as ``Unchanged``."""
        stored = self.known.pop(source, None)
        if stored is not None:
            status = "updated"
        elif digest in self.seen or digest in in_store:
            status = "duplicate"
        else:
            status = "new"
        self.seen.add(digest)
        return status

    def finish(self, shard_name: str) -> None:
        """Record failures: in the store, or with ``--parquet-out`` in a last shard of the run
        (the workers' failures are in their own shards)."""
        if self.options.parquet_out is None:
            self.store.record_failures(self.report.failed)
        elif self.own_failures:
            errors = [ReadError(s, r) for s, r in self.own_failures]
            write_shard(self.options.parquet_out, shard_name, errors, self.extractor)


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sources(unit: FileRef | RowRange) -> list[str]:
    if isinstance(unit, FileRef):
        return [unit.path]
    return [f"{unit.path}#row={n}" for n in range(unit.first_row, unit.first_row + unit.rows)]


def _source(o: Outcome) -> str:
    return o.document.source if isinstance(o, DocumentExtraction) else o.source


def _digest(o: Outcome) -> str:
    if isinstance(o, DocumentExtraction):
        return o.document.content_hash
    assert isinstance(o, Sharded)
    return o.content_hash
