"""How much memory DuckDB may take for a store connection, and the lower limit an ingest writes under.

DuckDB keeps the table blocks it reads and writes cached up to its memory limit
(its own default is 80 % of RAM), so the limit is what bounds the writer's memory.
While an ingest writes batches it only appends and looks documents up by index:
a cache buys it nothing, and what DuckDB keeps grows with the store, on top of the
extraction workers' memory. So batches are written under a lower limit. Some of
DuckDB's memory cannot be evicted (the primary-key indexes, which grow with the
store: about 100 MB at a million events), and a limit below it fails the write;
then the limit is doubled, up to the connection's, and the batch written again.

An ingest also defers DuckDB's checkpoints. By default DuckDB checkpoints whenever
its write-ahead log passes 16 MiB, and what a checkpoint costs grew with the tables
(rewriting the row groups appended to, it seems: the cost fell back once, as a new
row group would begin) and came on top of the workers' memory: at 20,000 articles
the writer's checkpoints rose from ~100 to ~420 MiB above its steady level. So
while batches are written the log may grow to ``NEWSGRAPH_INGEST_CHECKPOINT``
(1 GB, about 35,000 articles) before a checkpoint, and the ingest checkpoints once
after its workers have stopped. Committed batches are safe in the log either way:
a crash leaves a log that the next open replays.

And an ingest writes with one DuckDB thread. DuckDB's worker threads, when they go
idle, call glibc's ``malloc_trim(0)`` (``Allocator::ThreadFlush``), which hands every
free page of the whole process back to the kernel, the extraction's included: with
extraction in the writer's process (``--workers 1``), spaCy's arrays were faulted in
afresh after every batch (~16,000 page faults and ~0.7 s of system time per 128
articles; with one thread, ~5,000 and 0.03 s). A batch of 32 documents gains nothing
from a second thread.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator

import duckdb

DEFAULT_LIMIT = "1GB"
"""For every store connection. Larger sorts and joins spill to ``<store>.tmp``."""
DEFAULT_WRITE_LIMIT = "128MB"
"""While an ingest writes batches: at 20,000 articles DuckDB's cache reached 256 MB by the
end of the extraction at a 256 MB limit, ~200 MB more than at 1,000 articles."""
DEFAULT_INGEST_CHECKPOINT = "1GB"
"""The write-ahead log an ingest lets grow before a checkpoint (DuckDB's own threshold is 16 MiB):
20,000 generated articles logged ~600 MB."""

_UNITS = {
    "": 1,
    "b": 1,
    "bytes": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([A-Za-z]*)")


class MemorySizeError(ValueError):
    pass


def parse_size(value: str) -> int:
    """Bytes in a size as DuckDB writes them (``512MB``, ``1.5GiB``; MB is 1000**2, MiB 1024**2)."""
    match = _SIZE.fullmatch(value.strip())
    unit = match.group(2).lower() if match else None
    if match is None or unit not in _UNITS:
        raise MemorySizeError(f"not a memory size: {value!r} (for example 512MB or 2GB)")
    return int(float(match.group(1)) * _UNITS[unit])


def _setting(name: str, default: str) -> int:
    value = os.environ.get(name, "").strip() or default
    try:
        return parse_size(value)
    except MemorySizeError as exc:
        raise MemorySizeError(f"{name}: {exc}") from None


def memory_limit() -> int:
    """DuckDB's memory limit for a store connection (``NEWSGRAPH_DUCKDB_MEMORY``, e.g. ``4GB``)."""
    return _setting("NEWSGRAPH_DUCKDB_MEMORY", DEFAULT_LIMIT)


def write_memory_limit() -> int:
    """DuckDB's memory limit while an ingest writes batches (``NEWSGRAPH_DUCKDB_WRITE_MEMORY``)."""
    return _setting("NEWSGRAPH_DUCKDB_WRITE_MEMORY", DEFAULT_WRITE_LIMIT)


def ingest_checkpoint() -> int:
    """Log size at which an ingest checkpoints while it writes (``NEWSGRAPH_INGEST_CHECKPOINT``)."""
    return _setting("NEWSGRAPH_INGEST_CHECKPOINT", DEFAULT_INGEST_CHECKPOINT)


def out_of_memory(exc: BaseException) -> bool:
    """DuckDB ran out of memory (a failed commit says so only in its message)."""
    return isinstance(exc, duckdb.OutOfMemoryException) or "failed to pin block" in str(exc)


class MemoryLimit:
    """The memory settings of one connection: the full limit, or while an ingest writes batches a
    lower limit, deferred checkpoints and one thread."""

    def __init__(self, con: duckdb.DuckDBPyConnection, full: int, write: int, checkpoint_wal: int) -> None:
        self.con = con
        self.full = full
        self.write = write
        self.checkpoint_wal = checkpoint_wal
        self.lowered: int | None = None

    def _set(self, limit: int) -> None:
        self.con.execute(f"SET memory_limit = '{int(limit)}B'")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One thread, the write limit and deferred checkpoints; then the connection's threads, the
        full limit and DuckDB's own threshold again (the caller checkpoints when the memory is
        free: ``Store.checkpoint``)."""
        with (
            self._setting("threads", "1"),
            self._setting("checkpoint_threshold", f"'{int(self.checkpoint_wal)}B'"),
            self._write_limit(),
        ):
            yield

    @contextlib.contextmanager
    def _setting(self, name: str, value: str) -> Iterator[None]:
        """A DuckDB setting for the block, the connection's own value again afterwards."""
        row = self.con.execute(f"SELECT current_setting('{name}')").fetchone()
        assert row is not None
        before = str(row[0]).replace(" ", "")  # DuckDB shows '16.0 MiB' and reads back '16.0MiB'
        self.con.execute(f"SET {name} = {value}")
        try:
            yield
        finally:
            self.con.execute(f"SET {name} = '{before}'")

    @contextlib.contextmanager
    def _write_limit(self) -> Iterator[None]:
        """The write limit (DuckDB evicts cached blocks to get there), then the full one again."""
        limit = self.write
        while limit < self.full:
            try:
                self._set(limit)
                break
            except duckdb.OutOfMemoryException:  # it holds more than that that it cannot evict
                limit *= 2
        if limit >= self.full:
            yield
            return
        self.lowered = limit
        try:
            yield
        finally:
            self.lowered = None
            self._set(self.full)

    def raise_after(self, exc: BaseException) -> bool:
        """After ``exc``, double a lowered limit (up to the full one); True if the work that ran
        out of memory may be tried again."""
        if self.lowered is None or self.lowered >= self.full or not out_of_memory(exc):
            return False
        self.lowered = min(self.full, self.lowered * 2)
        self._set(self.lowered)
        return True
