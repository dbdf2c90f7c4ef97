"""The DuckDB store: the only writer of the knowledge base.

Each batch of documents is written in one transaction, so a crash leaves the
last committed batch and never half a document. Documents are keyed by their
source; the content hash decides whether a re-ingest has anything to do.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import duckdb
import pyarrow as pa

from newsgraph.models import DocumentExtraction
from newsgraph.store import facts
from newsgraph.store.ids import id_list
from newsgraph.store.memory import (
    MemoryLimit,
    MemorySizeError,
    ingest_checkpoint,
    memory_limit,
    write_memory_limit,
)
from newsgraph.store.schema import MIGRATIONS, SCHEMA_VERSION

Status = Literal["new", "updated", "unchanged", "duplicate"]

DOC_CHILD_TABLES = ("sentences", "mentions", "quotes")


class StoreError(RuntimeError):
    """The store file cannot be used (locked, newer schema, not a DuckDB file)."""


@dataclass(frozen=True)
class Known:
    """What the store already holds for a source."""

    doc_id: str
    content_hash: str


T = TypeVar("T")


class Store:
    """A newsgraph knowledge base in one DuckDB file."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        try:
            limit, write_limit, checkpoint_wal = memory_limit(), write_memory_limit(), ingest_checkpoint()
        except MemorySizeError as exc:
            raise StoreError(str(exc)) from None
        try:
            self.con = duckdb.connect(
                str(self.path), read_only=read_only, config={"memory_limit": f"{limit}B"}
            )
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        except duckdb.Error as exc:
            raise StoreError(f"{self.path} is not a usable DuckDB store: {exc}") from None
        self.memory = MemoryLimit(self.con, limit, write_limit, checkpoint_wal)
        if not read_only:
            self.migrate()
        elif self.schema_version() != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema {self.schema_version()}, run a write command to migrate"
            )

    def close(self) -> None:
        self.con.close()

    def checkpoint(self) -> None:
        """Write what the log holds into the store file (an ingest defers this to its end)."""
        self.con.execute("CHECKPOINT")

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------

    def schema_version(self) -> int:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone()
        if not has_meta or not has_meta[0]:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def migrate(self) -> int:
        """Bring the store up to the current schema; returns the version it had."""
        before = self.schema_version()
        if before > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema {before}, newer than this newsgraph "
                f"({SCHEMA_VERSION}); upgrade newsgraph"
            )
        for version in range(before + 1, SCHEMA_VERSION + 1):
            self.con.execute("BEGIN TRANSACTION")
            try:
                self.con.execute(MIGRATIONS[version - 1])
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
                self.con.execute("COMMIT")
            except Exception:
                self.con.execute("ROLLBACK")
                raise
        return before

    # -- writing --------------------------------------------------------

    def known(self, source: str) -> Known | None:
        row = self.con.execute(
            "SELECT doc_id, content_hash FROM documents WHERE source = ?", [source]
        ).fetchone()
        return Known(row[0], row[1]) if row else None

    def status_of(self, source: str, content_hash: str) -> Status:
        """What ingesting this content under this source would do."""
        known = self.known(source)
        if known is not None:
            return "unchanged" if known.content_hash == content_hash else "updated"
        dup = self.con.execute(
            "SELECT 1 FROM documents WHERE content_hash = ? LIMIT 1", [content_hash]
        ).fetchone()
        return "duplicate" if dup else "new"

    def known_hashes(self, sources: Sequence[str]) -> dict[str, str]:
        """source -> stored content hash, for those of these sources the store holds (one query)."""
        if not sources:
            return {}
        rows = self.con.execute(
            "SELECT source, content_hash FROM documents WHERE source IN (SELECT unnest(?::JSON::VARCHAR[]))",
            [id_list(sources)],
        ).fetchall()
        return {source: digest for source, digest in rows}

    def existing_hashes(self, hashes: Sequence[str]) -> set[str]:
        """Which of these content hashes some stored document has (one query)."""
        if not hashes:
            return set()
        rows = self.con.execute(
            "SELECT DISTINCT content_hash FROM documents "
            "WHERE content_hash IN (SELECT unnest(?::JSON::VARCHAR[]))",
            [id_list(hashes)],
        ).fetchall()
        return {row[0] for row in rows}

    def statuses(self, items: Sequence[tuple[str, str]]) -> list[Status]:
        """``status_of`` for many (source, content hash) pairs in two queries instead of 2 per document."""
        known = self.known_hashes([source for source, _ in items])
        unknown = [digest for source, digest in items if source not in known]
        present = self.existing_hashes(unknown)
        out: list[Status] = []
        for source, digest in items:
            if source in known:
                out.append("unchanged" if known[source] == digest else "updated")
            else:
                out.append("duplicate" if digest in present else "new")
        return out

    def write_batch(self, extractions: Sequence[DocumentExtraction], extractor: str) -> None:
        """Replace each document's rows with its new extraction, all in one transaction."""
        if not extractions:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        tables = _batch_tables(extractions, extractor, now)
        self.write_tables(
            tables, [x.document.doc_id for x in extractions], [x.document.source for x in extractions]
        )

    def write_tables(self, tables: dict[str, pa.Table], doc_ids: list[str], sources: list[str]) -> None:
        """Replace these documents' rows with the given table rows in one transaction.

        ``tables`` are those ``batch_tables`` builds (or Parquet shards of them), so a
        batch extracted elsewhere is written exactly as one extracted here. The
        documents' rows in the analyses' read copies (store/facts.py) are re-derived
        in the same transaction, so no reader ever sees them stale. Under a lowered memory
        limit (an ingest's) a batch that runs out of memory is written again with more.
        """
        while True:
            try:
                return self._in_transaction(lambda: self._replace_rows(tables, doc_ids, sources))
            except duckdb.Error as exc:
                if not self.memory.raise_after(exc):
                    raise

    def _replace_rows(self, tables: dict[str, pa.Table], doc_ids: list[str], sources: list[str]) -> None:
        # only documents already stored have rows to replace; new ones skip six table scans
        stored = self.con.execute(
            "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::JSON::VARCHAR[]))",
            [id_list(doc_ids)],
        ).fetchall()
        if stored:
            self._delete_docs([row[0] for row in stored])
            facts.delete_docs(self.con, [row[0] for row in stored])
        for name, table in tables.items():
            if table.num_rows == 0:
                continue
            self.con.register("_batch", table)
            try:
                if name == "entities":
                    self.con.execute(
                        "INSERT INTO entities BY NAME SELECT * FROM _batch ON CONFLICT (entity_id) DO NOTHING"
                    )
                else:
                    self.con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _batch")
            finally:
                self.con.unregister("_batch")
        facts.note_appended(self.con, facts.add_docs(self.con, doc_ids))
        self.con.execute(
            "DELETE FROM failures WHERE source IN (SELECT unnest(?::JSON::VARCHAR[]))", [id_list(sources)]
        )

    def _delete_docs(self, doc_ids: list[str]) -> None:
        ids = "SELECT unnest(?::JSON::VARCHAR[])"
        param = [id_list(doc_ids)]
        events = f"SELECT event_id FROM events WHERE doc_id IN ({ids})"
        self.con.execute(f"DELETE FROM event_actors WHERE event_id IN ({events})", param)
        self.con.execute(f"DELETE FROM events WHERE doc_id IN ({ids})", param)
        for table in DOC_CHILD_TABLES:
            self.con.execute(f"DELETE FROM {table} WHERE doc_id IN ({ids})", param)
        self.con.execute(f"DELETE FROM documents WHERE doc_id IN ({ids})", param)

    def rebuild_facts(self) -> None:
        """Re-derive `event_facts` and `event_actor_facts` from the views, in date order.

        Needed only after rows were written with plain SQL rather than `write_tables`
        or `add_correction` (the query benchmark loads its synthetic store that way).
        """
        self._in_transaction(lambda: facts.rebuild(self.con))

    def sort_facts(self) -> bool:
        """Rebuild the read copies in date order if enough rows were appended out of order since
        the last sort; returns whether it did. Writers call it when a run ends, not per batch."""
        return self._in_transaction(lambda: facts.sort_if_needed(self.con))

    def _in_transaction(self, work: Callable[[], T]) -> T:
        self.con.execute("BEGIN TRANSACTION")
        try:
            out = work()
            self.con.execute("COMMIT")
            return out
        except Exception:
            with contextlib.suppress(duckdb.TransactionException):  # a failed COMMIT rolled back itself
                self.con.execute("ROLLBACK")
            raise

    def record_failures(self, failures: Iterable[tuple[str, str]]) -> None:
        rows = list(failures)
        if not rows:
            return
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.executemany(
            "INSERT OR REPLACE INTO failures VALUES (?, ?, ?)", [(s, r, now) for s, r in rows]
        )

    # -- reading --------------------------------------------------------

    def stats(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for table in (
            "documents",
            "sentences",
            "entities",
            "mentions",
            "events",
            "quotes",
            "corrections",
            "failures",
        ):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a parameterised query and return rows as dicts."""
        cur = self.con.execute(sql, list(params))
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def batch_tables(extractions: Sequence[DocumentExtraction], extractor: str) -> dict[str, pa.Table]:
    """The rows a batch adds to each table, as Arrow tables (for Parquet shards and ``write_tables``)."""
    return _batch_tables(extractions, extractor, dt.datetime.now(dt.UTC).replace(tzinfo=None))


def _batch_tables(
    extractions: Sequence[DocumentExtraction], extractor: str, now: dt.datetime
) -> dict[str, pa.Table]:
    docs: list[dict[str, Any]] = []
    sentences: list[dict[str, Any]] = []
    entities: dict[str, dict[str, Any]] = {}
    mentions: list[dict[str, Any]] = []
    for x in extractions:
        d = x.document
        docs.append(
            {
                "doc_id": d.doc_id,
                "source": d.source,
                "content_hash": d.content_hash,
                "title": d.title,
                "authors": list(d.authors),
                "published": dt.date.fromisoformat(d.published) if d.published else None,
                "url": d.url,
                "language": d.language,
                "text": d.text,
                "extractor": extractor,
                "ingested_at": now,
            }
        )
        sentences.extend(
            {"doc_id": d.doc_id, "idx": i, "start_char": s.start, "end_char": s.end}
            for i, s in enumerate(x.sentences)
        )
        for e in x.entities:
            entities.setdefault(
                e.id,
                {
                    "entity_id": e.id,
                    "name": e.name,
                    "type": e.type,
                    "kind": e.kind,
                    "country": e.country,
                    "wikidata": e.wikidata,
                    "role": e.role,
                    "geo": json.dumps(e.geo) if e.geo else None,
                    "affiliation": e.affiliation,
                    "sector": e.sector,
                },
            )
            mentions.extend(
                {
                    "doc_id": d.doc_id,
                    "entity_id": e.id,
                    "start_char": m.start,
                    "end_char": m.end,
                    "text": m.text,
                    "sentence": m.sentence,
                    "label": m.label,
                    "rule": m.rule,
                    "confidence": m.confidence,
                }
                for m in e.mentions
            )
    events, event_actors = _event_rows(extractions)
    quotes = [
        {
            "quote_id": f"{x.document.doc_id}:{q['id']}",
            "doc_id": x.document.doc_id,
            "speaker_id": q.get("speaker"),
            "speaker_name": q.get("speaker_name"),
            "text": q["text"],
            "start_char": q["start"],
            "end_char": q["end"],
            "direct": bool(q.get("direct")),
            "cue": q.get("cue"),
            "data": json.dumps(q, ensure_ascii=False),
        }
        for x in extractions
        for q in x.quotes
    ]
    return {
        "quotes": pa.Table.from_pylist(quotes, schema=_QUOTE_SCHEMA),
        "events": pa.Table.from_pylist(events, schema=_EVENT_SCHEMA),
        "event_actors": pa.Table.from_pylist(event_actors, schema=_EVENT_ACTOR_SCHEMA),
        "documents": pa.Table.from_pylist(docs, schema=_DOC_SCHEMA),
        "sentences": pa.Table.from_pylist(sentences, schema=_SENT_SCHEMA),
        "entities": pa.Table.from_pylist(list(entities.values()), schema=_ENTITY_SCHEMA),
        "mentions": pa.Table.from_pylist(mentions, schema=_MENTION_SCHEMA),
    }


def _figure(casualties: dict[str, Any], key: str) -> int | None:
    value = casualties.get(key) if casualties else None
    if not value:
        return None
    low = value.get("min")
    return int(low) if low is not None else None


def _event_rows(
    extractions: Sequence[DocumentExtraction],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Event columns for filtering and sorting; the whole contract object stays in ``data``."""
    events: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    for x in extractions:
        for ev in x.events:
            date = ev.get("date") or {}
            loc = ev.get("location") or {}
            casualties = ev.get("casualties") or {}
            events.append(
                {
                    "event_id": ev["id"],
                    "doc_id": x.document.doc_id,
                    "type": ev["type"],
                    "mode": ev.get("mode"),
                    "date_start": _date(date.get("start")),
                    "date_end": _date(date.get("end")),
                    "date_precision": date.get("precision"),
                    "location": loc.get("name"),
                    "country": loc.get("country"),
                    "admin1": loc.get("admin1"),
                    "lat": loc.get("lat"),
                    "lon": loc.get("lon"),
                    "killed": _figure(casualties, "killed"),
                    "injured": _figure(casualties, "injured"),
                    "negated": bool(ev.get("negated")),
                    "hypothetical": bool(ev.get("hypothetical")),
                    "historical": bool(ev.get("historical")),
                    "confidence": ev.get("confidence"),
                    "data": json.dumps(ev, ensure_ascii=False),
                }
            )
            for role, key in (("source", "source_actors"), ("target", "target_actors")):
                actors.extend(
                    {"event_id": ev["id"], "entity_id": eid, "role": role} for eid in ev.get(key) or []
                )
    return events, actors


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


_EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("doc_id", pa.string()),
        ("type", pa.string()),
        ("mode", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("date_precision", pa.string()),
        ("location", pa.string()),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("killed", pa.int32()),
        ("injured", pa.int32()),
        ("negated", pa.bool_()),
        ("hypothetical", pa.bool_()),
        ("historical", pa.bool_()),
        ("confidence", pa.float64()),
        ("data", pa.string()),
    ]
)
_QUOTE_SCHEMA = pa.schema(
    [
        ("quote_id", pa.string()),
        ("doc_id", pa.string()),
        ("speaker_id", pa.string()),
        ("speaker_name", pa.string()),
        ("text", pa.string()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("direct", pa.bool_()),
        ("cue", pa.string()),
        ("data", pa.string()),
    ]
)
_EVENT_ACTOR_SCHEMA = pa.schema(
    [("event_id", pa.string()), ("entity_id", pa.string()), ("role", pa.string())]
)
_DOC_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source", pa.string()),
        ("content_hash", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("published", pa.date32()),
        ("url", pa.string()),
        ("language", pa.string()),
        ("text", pa.string()),
        ("extractor", pa.string()),
        ("ingested_at", pa.timestamp("us")),
    ]
)
_SENT_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("idx", pa.int32()), ("start_char", pa.int32()), ("end_char", pa.int32())]
)
_ENTITY_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("name", pa.string()),
        ("type", pa.string()),
        ("kind", pa.string()),
        ("country", pa.string()),
        ("wikidata", pa.string()),
        ("role", pa.string()),
        ("geo", pa.string()),
        ("affiliation", pa.string()),
        ("sector", pa.string()),
    ]
)
_MENTION_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("entity_id", pa.string()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("text", pa.string()),
        ("sentence", pa.int32()),
        ("label", pa.string()),
        ("rule", pa.string()),
        ("confidence", pa.float64()),
    ]
)
