"""Parquet shards: extraction results written by workers, merged into the store later.

On a cluster the writer can become the bottleneck, or the store may live
elsewhere. With ``--parquet-out DIR`` each worker writes its batch as the
store's own tables (``DIR/<table>/part-<run>-<seq>.parquet``), built by the same
code the store uses, and returns only a receipt. ``newsgraph ingest --parquet
DIR`` merges the shards in name order (runs in time order, batches in read
order) with ingest's rules: unchanged documents and duplicates are skipped, so
merging twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsgraph.models import DocumentExtraction, ReadError
from newsgraph.store.db import Store, batch_tables

FAILURES = "failures"
DOC_ENTITIES = "_doc_entities"
"""Which entities each document brought: entities are shared rows, so a skipped
document's entities must be left out of the merge as ingest leaves them out."""
_FAILURE_SCHEMA = pa.schema([("source", pa.string()), ("reason", pa.string())])
_DOC_ENTITY_SCHEMA = pa.schema([("doc_id", pa.string()), ("entity_id", pa.string())])


@dataclass(frozen=True)
class Sharded:
    """Receipt for a document written to a shard instead of being sent back."""

    source: str
    content_hash: str


def new_run_id() -> str:
    """Sortable by time, unique across writers started in the same second."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def write_shard(shard_dir: Path, name: str, outcomes: Sequence[object], extractor: str) -> list[object]:
    """Write a batch's extractions and failures as one Parquet file per table; return receipts."""
    extractions = [o for o in outcomes if isinstance(o, DocumentExtraction)]
    failures = [o for o in outcomes if isinstance(o, ReadError)]
    tables = batch_tables(extractions, extractor) if extractions else {}
    if extractions:
        tables[DOC_ENTITIES] = pa.Table.from_pylist(
            [{"doc_id": x.document.doc_id, "entity_id": e.id} for x in extractions for e in x.entities],
            schema=_DOC_ENTITY_SCHEMA,
        )
    if failures:
        tables[FAILURES] = pa.Table.from_pylist(
            [{"source": f.source, "reason": f.reason} for f in failures], schema=_FAILURE_SCHEMA
        )
    for table_name, table in tables.items():
        folder = shard_dir / table_name
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".part-{name}.parquet.tmp"
        pq.write_table(table, tmp)
        tmp.replace(folder / f"part-{name}.parquet")  # readers never see half a file
    return [
        Sharded(o.document.source, o.document.content_hash) if isinstance(o, DocumentExtraction) else o
        for o in outcomes
    ]


def shard_names(shard_dir: Path) -> list[str]:
    """Every shard in the folder, in merge order."""
    names = {
        p.name[len("part-") : -len(".parquet")]
        for folder in shard_dir.iterdir()
        if folder.is_dir()
        for p in folder.glob("part-*.parquet")
    }
    return sorted(names)


def _read(shard_dir: Path, name: str) -> dict[str, pa.Table]:
    tables: dict[str, pa.Table] = {}
    for folder in sorted(shard_dir.iterdir()):
        path = folder / f"part-{name}.parquet"
        if path.is_file():
            tables[folder.name] = pq.read_table(path)
    return tables


def _keep(table: pa.Table, column: str, values: list[str]) -> pa.Table:
    return table.filter(pc.is_in(table[column], value_set=pa.array(values, pa.string())))


MergeFn = Callable[[str, str], None]


def merge_shards(
    store: Store, shard_dir: Path, note: MergeFn | None = None
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Merge every shard into the store; returns the sources by what happened to them, and
    the failures recorded."""
    report: dict[str, list[str]] = {"new": [], "updated": [], "unchanged": [], "duplicate": []}
    failures: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in shard_names(shard_dir):
        tables = _read(shard_dir, name)
        if FAILURES in tables:
            failures.extend((r["source"], r["reason"]) for r in tables.pop(FAILURES).to_pylist())
        docs = tables.get("documents")
        if docs is None or docs.num_rows == 0:
            continue
        rows = docs.select(["doc_id", "source", "content_hash"]).to_pylist()
        statuses = store.statuses([(r["source"], r["content_hash"]) for r in rows])
        keep: list[dict[str, str]] = []
        for row, status in zip(rows, statuses, strict=True):
            if row["content_hash"] in seen and status == "new":
                status = "duplicate"
            seen.add(row["content_hash"])
            report[status].append(row["source"])
            if note is not None:
                note(row["source"], status)
            if status in ("new", "updated"):
                keep.append(row)
        if not keep:
            continue
        ids = [r["doc_id"] for r in keep]
        doc_entities = tables.pop(DOC_ENTITIES, None)
        if doc_entities is not None and "entities" in tables:
            entity_ids = _keep(doc_entities, "doc_id", ids)["entity_id"].to_pylist()
            tables["entities"] = _keep(tables["entities"], "entity_id", entity_ids)
        kept: dict[str, pa.Table] = {}
        for table_name, table in tables.items():
            if "doc_id" in table.column_names:
                kept[table_name] = _keep(table, "doc_id", ids)
            else:
                kept[table_name] = table
        if "event_actors" in kept and "events" in kept:
            event_ids = kept["events"]["event_id"].to_pylist()
            kept["event_actors"] = _keep(kept["event_actors"], "event_id", event_ids)
        store.write_tables(kept, ids, [r["source"] for r in keep])
    stored = set(report["new"]) | set(report["updated"]) | set(report["unchanged"])
    failures = [f for f in failures if f[0] not in stored]
    store.record_failures(failures)
    store.sort_facts()
    return report, failures
