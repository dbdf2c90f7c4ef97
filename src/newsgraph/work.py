"""The unit of work that executors ship: a batch of documents, or references to where they lie.

``process_batch`` is the pure read -> clean -> annotate -> extract function of one
batch given the loaded resources; it runs unchanged in this process, in a pool
worker or on a Dask worker. A batch holds raw documents the writer already read,
or references (a file path, a byte range of a JSONL feed) that the worker reads
itself, so a cluster reads documents where they lie instead of through the writer.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.ingest.document import content_hash
from newsgraph.ingest.readers import ReaderOptions, read_jsonl_line, read_path
from newsgraph.models import Document, DocumentExtraction, RawDocument, ReadError
from newsgraph.pipeline import clean_raw, extract_safely
from newsgraph.runtime import Resources, load_resources
from newsgraph.shards import Sharded, write_shard


@dataclass(frozen=True)
class FileRef:
    """One file for the worker to read; ``known`` is the hash the store holds for it, if any."""

    path: str
    known: str | None = None


@dataclass(frozen=True)
class RowRange:
    """Lines ``first_row``.. of a JSONL feed, found at bytes [start, end) of the file."""

    path: str
    start: int
    end: int
    first_row: int
    rows: int
    known: dict[str, str] = field(default_factory=dict)
    """source -> content hash the store holds, for the rows it has."""


@dataclass(frozen=True)
class Unchanged:
    """A referenced document the worker found identical to the stored one (no NLP was done)."""

    source: str
    content_hash: str


WorkItem = RawDocument | FileRef | RowRange
Outcome = DocumentExtraction | ReadError | Unchanged | Sharded


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker needs besides a batch; small, so it travels with every task."""

    actor_files: tuple[str, ...] = ()
    reader: ReaderOptions = field(default_factory=ReaderOptions)
    force: bool = False
    shard_dir: str | None = None
    """Write each batch as Parquet shards here instead of returning the extractions."""


def expand(item: WorkItem, reader: ReaderOptions) -> Iterator[RawDocument | ReadError]:
    """The raw documents (or read errors) behind one work item."""
    if isinstance(item, RawDocument):
        yield item
    elif isinstance(item, FileRef):
        yield from read_path(Path(item.path), reader)
    else:
        yield from read_rows(item, reader)


def read_rows(rows: RowRange, options: ReaderOptions) -> Iterator[RawDocument | ReadError]:
    """The rows of a JSONL byte range, read exactly as the whole-file reader reads them."""
    source = os.path.abspath(rows.path)
    try:
        with open(rows.path, "rb") as handle:
            handle.seek(rows.start)
            data = handle.read(rows.end - rows.start)
    except OSError as exc:
        yield ReadError(source, f"cannot read: {exc.strerror or exc}")
        return
    for lineno, line in enumerate(io.BytesIO(data), start=rows.first_row):  # b"\n" only, as files split
        item = read_jsonl_line(line, f"{source}#row={lineno}", options)
        if item is not None:
            yield item


def _known(item: WorkItem, source: str) -> str | None:
    if isinstance(item, FileRef):
        return item.known if os.path.abspath(item.path) == source else None
    if isinstance(item, RowRange):
        return item.known.get(source)
    return None


def process_batch(items: Sequence[WorkItem], res: Resources, config: WorkerConfig) -> list[Outcome]:
    """Read (for references), clean, annotate and extract; one outcome per document, in input order.

    A referenced document whose content hash equals the stored one comes back as
    ``Unchanged`` before any NLP work, unless ``config.force``.
    """
    slots: list[Outcome | Document] = []
    for item in items:
        for raw in expand(item, config.reader):
            if isinstance(raw, ReadError):
                slots.append(raw)
                continue
            if not isinstance(item, RawDocument):
                digest = content_hash(raw)
                if not config.force and _known(item, raw.source) == digest:
                    slots.append(Unchanged(raw.source, digest))
                    continue
            slots.append(clean_raw(raw))
    docs = [s for s in slots if isinstance(s, Document)]
    extracted = iter(extract_safely(docs, res)) if docs else iter(())
    return [next(extracted) if isinstance(s, Document) else s for s in slots]


def run_batch(items: Sequence[WorkItem], config: WorkerConfig, name: str) -> list[Outcome]:
    """``process_batch`` with this process's cached resources; with a shard folder, the
    extractions are written there as shard ``name`` and only receipts come back."""
    res = load_resources(config.actor_files)
    outcomes = process_batch(items, res, config)
    if config.shard_dir is None:
        return outcomes
    receipts = write_shard(Path(config.shard_dir), name, outcomes, f"newsgraph/{res.model}")
    return [r for r in receipts if isinstance(r, DocumentExtraction | ReadError | Unchanged | Sharded)]
