"""Read -> clean -> annotate -> extract, and the ingest loop that feeds the store.

`process_raw` and `extract_raw` are pure functions of their inputs and the
loaded resources; `ingest` is the only place that talks to the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.extract.document import extract_documents
from newsgraph.ingest.document import content_hash, doc_id_for, to_document
from newsgraph.ingest.readers import ReaderOptions, read_path, read_stdin
from newsgraph.ingest.sources import STDIN, iter_inputs
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


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

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


def clean_raw(raw: RawDocument) -> Document | ReadError:
    """Clean one raw document, turning any failure into a per-document error."""
    try:
        return to_document(raw)
    except (ValueError, RecursionError, MemoryError) as exc:
        return ReadError(raw.source, str(exc) or type(exc).__name__)


def extract_safely(documents: Sequence[Document], res: Resources) -> list[DocumentExtraction | ReadError]:
    """Extract a batch; if the batch fails, redo it one by one so only the bad document is lost."""
    try:
        return list(extract_documents(documents, res))
    except Exception:
        out: list[DocumentExtraction | ReadError] = []
        for doc in documents:
            try:
                out.extend(extract_documents([doc], res))
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
    res: Resources,
    options: IngestOptions,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Read, extract and store; unchanged documents are skipped before any NLP work."""
    report = IngestReport()
    extractor = f"newsgraph/{res.model}"
    seen_hashes: set[str] = set()
    pending: list[tuple[Document, str]] = []

    def note(source: str, status: str) -> None:
        if progress is not None:
            progress(source, status)

    def fail(source: str, reason: str) -> None:
        report.failed.append((source, reason))
        note(source, "failed")

    def flush() -> None:
        if not pending:
            return
        docs = [doc for doc, _ in pending]
        status_by_source = {doc.source: status for doc, status in pending}
        results = extract_safely(docs, res)
        good = [r for r in results if isinstance(r, DocumentExtraction)]
        store.write_batch(good, extractor)
        for result in results:
            if isinstance(result, ReadError):
                fail(result.source, result.reason)
            else:
                status = status_by_source[result.document.source]
                getattr(report, status).append(result.document.source)
                note(result.document.source, status)
        pending.clear()

    for raw in read_inputs(inputs, options.reader):
        if isinstance(raw, ReadError):
            fail(raw.source, raw.reason)
            continue
        digest = content_hash(raw)
        status = store.status_of(raw.source, digest)
        if digest in seen_hashes and status == "new":
            status = "duplicate"
        seen_hashes.add(digest)
        if status == "unchanged" and options.force:
            status = "updated"
        if status in ("unchanged", "duplicate"):
            getattr(report, status).append(raw.source)
            note(raw.source, status)
            continue
        doc = clean_raw(raw)
        if isinstance(doc, ReadError):
            fail(doc.source, doc.reason)
            continue
        assert doc.doc_id == doc_id_for(raw.source)
        pending.append((doc, status))
        if len(pending) >= options.batch_size:
            flush()
    flush()
    store.record_failures(report.failed)
    return report
