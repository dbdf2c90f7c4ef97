"""Read -> clean -> annotate -> extract, and the ingest loop that feeds the store.

`process_raw` and `extract_raw` are pure functions of their inputs and the
loaded resources; `ingest` is the only place that talks to the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.extract.document import extract_documents
from newsgraph.ingest.document import to_document
from newsgraph.ingest.readers import ReaderOptions, read_path, read_stdin
from newsgraph.ingest.sources import STDIN, iter_inputs
from newsgraph.limits import DocumentTimeout, time_limit
from newsgraph.models import Document, DocumentExtraction, RawDocument, ReadError
from newsgraph.runtime import Resources
from newsgraph.store.db import Store

ProgressFn = Callable[[str, str], None]


@dataclass
class IngestOptions:
    reader: ReaderOptions = field(default_factory=ReaderOptions)
    actor_files: Sequence[Path] = ()
    batch_size: int = 32
    force: bool = False
    """Re-extract documents whose content has not changed (after upgrading newsgraph)."""
    workers: int = 1
    """Extraction processes on this machine; 1 extracts in this process."""
    dask_scheduler: str | None = None
    """Address of a Dask scheduler (tcp://host:port) to extract on; workers read the files."""
    dask_local: int = 0
    """Start a local Dask cluster of this many single-threaded worker processes."""
    parquet_out: Path | None = None
    """Workers write Parquet shards here instead of sending results to the store."""
    stop_on_failure: bool = False
    """End the ingest at the first failure (``--strict``): batches committed before it stay."""
    max_in_flight: int | None = None
    """Batches submitted and not yet written, at most (default: twice the workers)."""


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    stopped: bool = False
    """The ingest ended at its first failure (``stop_on_failure``)."""

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "duplicate": len(self.duplicate),
            "failed": len(self.failed),
        }


def read_inputs(inputs: Sequence[str], options: ReaderOptions) -> Iterator[RawDocument | ReadError]:
    """Every raw document (or read error) named by the command line's inputs."""
    for item in iter_inputs(inputs):
        if isinstance(item, ReadError):
            yield item
        elif item == STDIN:
            yield from read_stdin(options)
        else:
            yield from read_path(Path(item), options)


def document_seconds() -> float | None:
    """The time one document may take to clean or to extract (``NEWSGRAPH_DOC_TIMEOUT``, default 120 s;
    0 turns the limit off). Enforced where a process runs documents on its main thread: the ingest
    process and pool workers, not Dask worker threads."""
    value = float(os.environ.get("NEWSGRAPH_DOC_TIMEOUT", "120") or 0)
    return value if value > 0 else None


def clean_raw(raw: RawDocument) -> Document | ReadError:
    """Clean one raw document, turning any failure into a per-document error."""
    try:
        with time_limit(document_seconds()):
            return to_document(raw)
    except (ValueError, RecursionError, MemoryError) as exc:
        return ReadError(raw.source, str(exc) or type(exc).__name__)
    except DocumentTimeout as exc:
        return ReadError(raw.source, f"cleaning {exc}")


def extract_safely(documents: Sequence[Document], res: Resources) -> list[DocumentExtraction | ReadError]:
    """Extract a batch; if the batch fails or runs out of time, redo it one by one so only the bad
    document is lost."""
    limit = document_seconds()
    try:
        with time_limit(limit * len(documents) if limit else None):
            return list(extract_documents(documents, res))
    except (Exception, DocumentTimeout):
        out: list[DocumentExtraction | ReadError] = []
        for doc in documents:
            try:
                with time_limit(limit):
                    out.extend(extract_documents([doc], res))
            except DocumentTimeout as exc:
                out.append(ReadError(doc.source, f"extraction {exc}"))
            except Exception as exc:
                out.append(ReadError(doc.source, f"extraction failed: {type(exc).__name__}: {exc}"))
        return out


def extract_paths(
    inputs: Sequence[str], res: Resources, reader: ReaderOptions, batch_size: int = 32
) -> Iterator[DocumentExtraction | ReadError]:
    """The database-free path behind `newsgraph extract`."""
    batch: list[Document] = []
    for raw in read_inputs(inputs, reader):
        item = raw if isinstance(raw, ReadError) else clean_raw(raw)
        if isinstance(item, ReadError):
            yield item
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield from extract_safely(batch, res)
            batch = []
    if batch:
        yield from extract_safely(batch, res)


def ingest(
    store: Store,
    inputs: Sequence[str],
    res: Resources | None,
    options: IngestOptions,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Read, extract and store; unchanged documents are skipped before any NLP work.

    Extraction runs where ``options`` says (this process, ``workers`` processes, or
    a Dask cluster); results come back in input order and this process alone
    writes them, one transaction per batch. ``res`` is only used (and only
    needed) for in-process extraction; pool and cluster workers load their own.
    """
    from newsgraph.ingest_run import LAST_SHARD, IngestRun, open_executor

    report = IngestReport()
    with store.memory.writing(), open_executor(options, res) as executor:
        run = IngestRun(store, options, report, progress, res)
        try:
            for outcomes in executor.map_batches(run.batches(inputs, remote=run.remote(executor))):
                run.take(outcomes)
        except StopIngest:
            report.stopped = True
        run.finish(executor.shard_name(LAST_SHARD))
    # re-sorting the analyses' copies copies every event, and the checkpoint that writing deferred
    # costs more the more the batches appended: both once, after the workers have stopped
    store.sort_facts()
    store.checkpoint()
    return report


class StopIngest(Exception):
    """The first failure of an ingest that stops on failure: unwinds the read and dispatch loop."""
