"""The read copies of the correction views that the analyses filter: `event_facts` and `event_actor_facts`.

`event_facts` holds exactly the rows and columns of `events_current`;
`event_actor_facts` holds every `event_actors` row of those events (entity ids
as extracted: entity merges are applied when reading, so a merge rewrites
nothing) with the event's current date and document. Both are ordered by date,
so a date range reads a few blocks through DuckDB's zone maps instead of every
event (schema migration 6).

They are derived data and must never go stale: every write that changes
`events_current` re-derives the affected rows from the views in the same
transaction (`Store.write_tables` for ingest, `add_correction` for event
corrections). Rows appended after the last sort make the zone maps coarser, so
once they are a quarter of the table both tables are rebuilt in date order by
`Store.sort_facts`, which a writer calls when its run ends (`pipeline.ingest`
after its workers have stopped, the Parquet merge): a rebuild copies every
event, and in the middle of an ingest its memory came on top of the extraction
workers' (at 20,000 articles it added ~700 MiB to the writer).
`drift` compares them with the views (`newsgraph check`, the tests); `rebuild`
re-derives everything (after rows were loaded with plain SQL, as the query
benchmark does).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

ORDER = "ORDER BY date_start NULLS LAST, event_id"
ACTOR_ROWS = "SELECT a.event_id, a.entity_id, a.role, f.date_start, f.doc_id FROM event_actors a"
RESORT_MIN_ROWS = 10_000
"""Appended rows below this never trigger a rebuild: scanning them costs less than sorting."""
RESORT_SHARE = 0.25
"""Rebuild in date order once rows appended since the last sort are this share of the table."""
CHUNK = 500
"""Ids per statement: each is a bound parameter of a constant IN list, which DuckDB filters in the scan."""


def _in_list(n: int) -> str:
    return "(" + ", ".join("?" * n) + ")"


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    unique = sorted(set(ids))
    return [unique[i : i + CHUNK] for i in range(0, len(unique), CHUNK)]


def delete_docs(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    """Drop the fact rows of these documents (before their rows are replaced)."""
    for chunk in _chunks(doc_ids):
        for table in ("event_actor_facts", "event_facts"):
            con.execute(f"DELETE FROM {table} WHERE doc_id IN {_in_list(len(chunk))}", chunk)


def add_docs(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> int:
    """Derive the fact rows of these documents from the views; returns the events added.

    The documents must have no fact rows yet (`delete_docs` first for stored ones).
    A constant IN list lets DuckDB filter `events`/`event_facts` in the scan, so
    the cost does not grow with the width of the rows already stored.
    """
    added = 0
    for chunk in _chunks(doc_ids):
        marks = _in_list(len(chunk))
        row = con.execute(
            f"INSERT INTO event_facts SELECT * FROM events_current WHERE doc_id IN {marks} {ORDER}", chunk
        ).fetchone()
        added += int(row[0]) if row else 0
        con.execute(
            f"""INSERT INTO event_actor_facts {ACTOR_ROWS}
            JOIN (SELECT event_id, date_start, doc_id FROM event_facts WHERE doc_id IN {marks}) f
            USING (event_id) {ORDER}""",
            chunk,
        )
    return added


def refresh_event(con: duckdb.DuckDBPyConnection, event_id: str) -> None:
    """Re-derive one event's fact rows after a correction of it (edit, reject, restore, confirm)."""
    con.execute("DELETE FROM event_actor_facts WHERE event_id = ?", [event_id])
    con.execute("DELETE FROM event_facts WHERE event_id = ?", [event_id])
    con.execute("INSERT INTO event_facts SELECT * FROM events_current WHERE event_id = ?", [event_id])
    con.execute(
        f"""INSERT INTO event_actor_facts {ACTOR_ROWS}
        JOIN (SELECT event_id, date_start, doc_id FROM event_facts WHERE event_id = ?) f USING (event_id)
        WHERE a.event_id = ?""",
        [event_id, event_id],
    )


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Re-derive both tables from the views, in date order (the caller holds the transaction)."""
    con.execute(f"CREATE OR REPLACE TABLE event_facts AS SELECT * FROM events_current {ORDER}")
    con.execute(
        f"CREATE OR REPLACE TABLE event_actor_facts AS {ACTOR_ROWS} "
        f"JOIN event_facts f USING (event_id) {ORDER}"
    )
    con.execute("INSERT OR REPLACE INTO meta VALUES ('facts_unsorted', '0')")


def note_appended(con: duckdb.DuckDBPyConnection, added: int) -> None:
    """Count rows appended out of date order (the caller holds the transaction)."""
    con.execute(
        "INSERT OR REPLACE INTO meta SELECT 'facts_unsorted', "
        "(coalesce((SELECT value FROM meta WHERE key = 'facts_unsorted')::BIGINT, 0) + ?)::VARCHAR",
        [added],
    )


def sort_if_needed(con: duckdb.DuckDBPyConnection) -> bool:
    """Rebuild in date order (and return True) once the rows appended since the last sort are
    enough to make the zone maps coarse (the caller holds the transaction)."""
    row = con.execute("SELECT value FROM meta WHERE key = 'facts_unsorted'").fetchone()
    unsorted = int(row[0]) if row else 0
    total_row = con.execute("SELECT count(*) FROM event_facts").fetchone()
    total = int(total_row[0]) if total_row else 0
    if unsorted >= RESORT_MIN_ROWS and unsorted >= RESORT_SHARE * total:
        rebuild(con)
        return True
    return False


def drift(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows that differ between each fact table and what the views say it should hold (0 when in sync)."""
    expected_actors = f"{ACTOR_ROWS} JOIN events_current f USING (event_id)"
    out: dict[str, int] = {}
    for table, truth in (
        ("event_facts", "SELECT * FROM events_current"),
        ("event_actor_facts", expected_actors),
    ):
        row = con.execute(
            f"""SELECT (SELECT count(*) FROM (SELECT * FROM {table} EXCEPT ALL {truth}))
                     + (SELECT count(*) FROM ({truth} EXCEPT ALL SELECT * FROM {table}))"""
        ).fetchone()
        out[table] = int(row[0]) if row else 0
    return out
