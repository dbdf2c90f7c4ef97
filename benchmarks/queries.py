"""Query latency on a large store: 1,000,000 events inserted directly (no NLP).

The store is built with DuckDB's own range() so it takes a minute, not a week of
extraction: 200,000 documents, 5 events each with a source and a target actor
(60 states, skewed so a few appear in most events, plus 20,000 people), 10
mentions and 10 sentences and one quote per document. The rows are loaded with
SQL, so the store's date-ordered read copies of the correction views are then
derived as a migration derives them (`Store.rebuild_facts`). Then the common
queries, with the project's own code paths (store/queries.py, analysis/, the
server's document route), each run with varied parameters; p50 and p95 in
milliseconds.

`--links` also maps every event to a canonical event as `events link` (run by
every ingest) leaves a store, with 1 event in 100 in a multi-article group.
`--unsorted 0.25` re-derives that share of the documents' rows through the
ingest path (appended out of date order), the most a store holds before the
copies are sorted again.

    python benchmarks/queries.py [--events 1000000] [--reps 40] [--db PATH] [--links] [--unsorted SHARE]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import Timer, machine_info, newsgraph_info, print_table, results_path, write_results
from throughput import total_ram

STATES = (
    "RUS AZE IRN TUR GEO ARM UKR SYR IRQ ISR USA CHN KAZ UZB TJK KGZ TKM AFG PAK IND DEU FRA GBR "
    "ITA ESP POL BLR MDA ROU BGR GRC SAU ARE QAT EGY LBY TUN DZA MAR SDN ETH SOM KEN NGA MLI NER "
    "TCD CAF COD YEM OMN JOR LBN CYP SRB HRV BIH ALB MNE MKD"
).split()
TYPES = (
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST "
    "SANCTION MOBILIZE COERCE ASSAULT"
).split()
GOAL_P95_MS = 100.0


def build(db: Path, n_events: int) -> dict[str, int]:
    """Fill a fresh store with synthetic rows; returns the row counts."""
    from newsgraph.store.db import Store

    docs = max(1, n_events // 5)
    states = "[" + ", ".join(f"'{s}'" for s in STATES) + "]"
    types = "[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
    # skew: state index = floor(60 * u^2) puts RUS, AZE, IRN ... in far more events than the tail
    state_of = f"list_element({states}, 1 + floor(60 * pow((hash({{x}}) % 10000) / 10000.0, 2))::INT)"
    with Store(db) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        con.execute(
            f"INSERT INTO entities (entity_id, name, type, kind, country) "
            f"SELECT s, s || ' (state)', 'GPE', 'state', s FROM unnest({states}) t(s)"
        )
        con.execute(
            "INSERT INTO entities (entity_id, name, type, kind, country) "
            "SELECT 'person:p' || i, 'Person ' || i, 'PERSON', 'person', "
            f"{state_of.format(x='i * 13')} FROM range(20000) t(i)"
        )
        con.execute(
            f"""INSERT INTO documents SELECT printf('%016x', hash(i)), 'synthetic/' || i || '.txt',
                md5(i::VARCHAR), 'Synthetic article ' || i, ['Reporter ' || (i % 500)],
                DATE '2000-01-01' + (hash(i * 7) % 9300)::INT, NULL, 'en',
                repeat('Gunmen attacked a checkpoint. Officials said talks would go on. ', 30),
                'bench', now()::TIMESTAMP
            FROM range({docs}) t(i)"""
        )
        con.execute(
            f"""INSERT INTO events (event_id, doc_id, type, mode, date_start, date_end, date_precision,
                location, country, killed, injured, negated, hypothetical, historical, confidence, data)
            SELECT d.doc_id || ':e' || k, d.doc_id, list_element({types}, 1 + (hash(d.doc_id, k) % 16)::INT),
                NULL, d.published - (hash(k, d.doc_id) % 20)::INT, NULL, 'day', 'Town ' || (hash(k) % 300),
                {state_of.format(x="d.doc_id || k")},
                CASE WHEN hash(d.doc_id, k, 1) % 3 = 0 THEN (hash(d.doc_id, k, 2) % 12)::INT END,
                NULL, hash(d.doc_id, k, 3) % 20 = 0, hash(d.doc_id, k, 4) % 25 = 0, false, 0.8,
                json_object('id', d.doc_id || ':e' || k, 'intensity', -5.0)
            FROM documents d, range(5) r(k)
            LIMIT {n_events}"""
        )
        con.execute(
            f"""INSERT INTO event_actors
            SELECT event_id, {state_of.format(x="event_id || 's'")}, 'source' FROM events
            UNION ALL
            SELECT event_id, CASE WHEN hash(event_id) % 4 = 0 THEN 'person:p' || (hash(event_id) % 20000)
                ELSE {state_of.format(x="event_id || 't'")} END, 'target' FROM events"""
        )
        con.execute(
            f"""INSERT INTO mentions SELECT d.doc_id, {state_of.format(x="d.doc_id || k")},
                k * 60, k * 60 + 6, 'Russia', k, 'GPE', 'ruler:actors', 1.0
            FROM documents d, range(10) r(k)"""
        )
        con.execute(
            "INSERT INTO sentences SELECT d.doc_id, k, k * 64, k * 64 + 63 FROM documents d, range(10) r(k)"
        )
        con.execute(
            """INSERT INTO quotes (quote_id, doc_id, speaker_id, speaker_name, text, start_char, end_char,
                direct, cue, data)
            SELECT doc_id || ':q0', doc_id, 'person:p' || (hash(doc_id) % 20000), 'Person',
                'Talks would go on.', 40, 58, true, 'said', '{}' FROM documents"""
        )
        con.execute("COMMIT")
        store.rebuild_facts()
        con.execute("CHECKPOINT")
        return {t: n for t, n in store.stats().items() if n} | {
            "event_actors": store.query("SELECT count(*) AS n FROM event_actors")[0]["n"]
        }


def add_links(db: Path) -> int:
    """Every event linked to a canonical event, as event linking leaves the store; returns the rows."""
    from newsgraph.store.db import Store

    with Store(db) as store:
        # about 1 event in 100 joins the first event of its (type, day, country) group
        store.con.execute(
            """INSERT INTO event_links SELECT event_id,
                CASE WHEN hash(event_id, 'link') % 100 = 0
                    THEN first_value(event_id) OVER (PARTITION BY type, date_start, country ORDER BY event_id)
                    ELSE event_id END, 0.9, NULL
            FROM events"""
        )
        store.con.execute("CHECKPOINT")
        return int(store.query("SELECT count(*) AS n FROM event_links")[0]["n"])


def unsort(db: Path, share: float) -> int:
    """Re-derive `share` of the documents' fact rows as ingest does (appended after the sorted rows)."""
    from newsgraph.store import facts
    from newsgraph.store.db import Store

    with Store(db) as store:
        docs = [
            r["doc_id"]
            for r in store.query(
                "SELECT doc_id FROM documents WHERE hash(doc_id, 'tail') % 10000 < ? ORDER BY doc_id",
                [int(share * 10000)],
            )
        ]
        for i in range(0, len(docs), 100):  # ingest-sized batches
            chunk = docs[i : i + 100]
            store.con.execute("BEGIN TRANSACTION")
            facts.delete_docs(store.con, chunk)
            facts.add_docs(store.con, chunk)
            store.con.execute("COMMIT")
        store.con.execute("CHECKPOINT")
        return len(docs)


def queries(store: Any, rng: random.Random) -> dict[str, Callable[[], Any]]:
    """Each common query as a zero-argument call with freshly drawn parameters."""
    from newsgraph.analysis.dyads import dyads
    from newsgraph.analysis.select import selected_events_sql
    from newsgraph.analysis.timeline import timeline
    from newsgraph.store.queries import EventFilter, events

    doc_ids = [r["doc_id"] for r in store.query("SELECT doc_id FROM documents USING SAMPLE 200 ROWS")]

    def actor() -> str:
        return STATES[min(59, int(60 * rng.random() ** 2))]

    def months() -> tuple[str, str]:
        year, month = rng.randint(2001, 2024), rng.randint(1, 10)
        return f"{year}-{month:02d}-01", f"{year}-{month + 2:02d}-28"

    def year() -> tuple[str, str]:
        y = rng.randint(2001, 2024)
        return f"{y}-01-01", f"{y}-12-31"

    def by_actor() -> Any:
        since, until = months()
        return events(store, EventFilter(actor=actor(), since=since, until=until, limit=50))

    def by_actor_current() -> Any:
        since, until = months()
        sql, params = selected_events_sql(EventFilter(actor=actor(), since=since, until=until))
        return store.query(sql + " ORDER BY date_start DESC LIMIT 50", params)

    def timeline_actor_year() -> Any:
        since, until = year()
        return timeline(store, interval="month", filters=EventFilter(actor=actor(), since=since, until=until))

    def timeline_all() -> Any:
        return timeline(store, interval="year")

    def dyads_actor_quarter() -> Any:
        since, until = months()
        return dyads(store, interval="month", filters=EventFilter(actor=actor(), since=since, until=until))

    def document() -> Any:
        from newsgraph.server.documents import get_document

        return get_document(store, rng.choice(doc_ids))

    return {
        "events by actor + 3-month range (query events)": by_actor,
        "events_current by actor + 3-month range": by_actor_current,
        "timeline, one actor, one year by month": timeline_actor_year,
        "timeline, all events by year": timeline_all,
        "dyads, one actor, 3 months": dyads_actor_quarter,
        "document with annotations": document,
    }


def measure(fn: Callable[[], Any], reps: int) -> dict[str, float]:
    for _ in range(2):
        fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        "max_ms": round(times[-1], 1),
        "reps": reps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--db", type=Path, help="keep the synthetic store here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=results_path("queries"))
    parser.add_argument("--links", action="store_true", help="link events as `events link` does")
    parser.add_argument(
        "--unsorted", type=float, default=0.0, help="share of documents re-derived out of date order"
    )
    args = parser.parse_args(argv)
    from newsgraph.store.db import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "synthetic.duckdb"
        if not db.exists():
            print(f"building a store of {args.events:,} events ...", file=sys.stderr)
            with Timer() as t:
                counts = build(db, args.events)
                if args.links:
                    counts["event_links"] = add_links(db)
                if args.unsorted:
                    counts["documents_appended_unsorted"] = unsort(db, args.unsorted)
            print(f"  built in {t.seconds:.0f} s: {counts}", file=sys.stderr)
        else:
            t, counts = Timer(), {}
        rng = random.Random(11)
        results = {}
        with Store(db) as store:
            for name, fn in queries(store, rng).items():
                results[name] = measure(fn, args.reps if "all events" not in name else max(5, args.reps // 8))
                print(f"  {name}: {results[name]}", file=sys.stderr)
    rows = [
        (name, r["p50_ms"], r["p95_ms"], "yes" if r["p95_ms"] < GOAL_P95_MS else "NO")
        for name, r in results.items()
    ]
    print_table(["query", "p50 ms", "p95 ms", f"p95 < {GOAL_P95_MS:.0f} ms"], rows)
    write_results(
        args.out,
        {
            "benchmark": "queries",
            "machine": {**machine_info(), "total_ram_bytes": total_ram()},
            "newsgraph": newsgraph_info(),
            "store": {
                "events": args.events,
                "rows": counts,
                "build_seconds": t.seconds,
                "links": args.links,
                "unsorted_share": args.unsorted,
            },
            "goal": f"p95 < {GOAL_P95_MS:.0f} ms",
            "results": results,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
