"""Latency of the API behind the web UI's common pages, on a synthetic store of 100,000 events.

The store is written straight into DuckDB with pyarrow (no NLP): 25,000 articles
with sentences and mentions, 100,000 events whose types, places, dates,
casualties and actors follow skewed (Zipf-like) distributions as real event
data does, actor links, quotes and a few hundred analyst corrections. Each page
is requested through FastAPI's TestClient (the real app, routing, validation
and JSON encoding; no network), warm-up first, and p50/p95 are reported. The
analyses the server caches (timeline, dyads, graph, alerts, map) are measured
cold, with the cache cleared before every request, and warm.

    python benchmarks/ui_queries.py [--events 100000] [--reps 15] [--keep PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import RESULTS_DIR, machine_info, newsgraph_info, print_table, write_results

warnings.filterwarnings("ignore", message=".*httpx.*")  # Starlette prefers httpx2 for TestClient

TYPES = [
    ("ASSAULT", 36, ["explosives", "firearms", "aerial", "drone", "abduct", "targeted", None]),
    ("COERCE", 18, ["arrest", "seize", "ban", None]),
    ("ACCUSE", 8, [None, "allege"]),
    ("THREATEN", 6, [None]),
    ("MOBILIZE", 5, ["police", "military", None]),
    ("PROTEST", 5, ["demonstrate", None]),
    ("CONSULT", 5, [None, "visit"]),
    ("AGREE", 4, [None]),
    ("REQUEST", 3, [None]),
    ("SANCTION", 3, [None]),
    ("REJECT", 2, [None]),
    ("SUPPORT", 2, [None]),
    ("COOPERATE", 1, [None]),
    ("AID", 1, [None]),
    ("CONCEDE", 0.5, [None]),
    ("RETREAT", 0.5, [None]),
]
INTENSITY = {
    "ASSAULT": -9.5,
    "COERCE": -7.0,
    "ACCUSE": -2.0,
    "THREATEN": -5.0,
    "MOBILIZE": -4.0,
    "PROTEST": -3.0,
    "CONSULT": 1.0,
    "AGREE": 2.5,
    "REQUEST": -1.0,
    "SANCTION": -5.5,
    "REJECT": -2.5,
    "SUPPORT": 3.0,
    "COOPERATE": 4.0,
    "AID": 6.0,
    "CONCEDE": 5.0,
    "RETREAT": 4.0,
}
QUAD = {
    t: ("material_conflict" if v <= -4 else "verbal_conflict" if v < 0 else "verbal_cooperation")
    for t, v in INTENSITY.items()
}
COUNTRIES = [
    ("RUS", 55.75, 37.62),
    ("SYR", 34.8, 38.99),
    ("IRQ", 33.0, 44.0),
    ("AFG", 34.5, 69.2),
    ("TUR", 39.9, 32.85),
    ("UKR", 50.45, 30.52),
    ("IRN", 35.69, 51.42),
    ("AZE", 40.41, 49.87),
    ("NGA", 9.07, 7.49),
    ("MLI", 12.64, -8.0),
    ("SOM", 2.05, 45.32),
    ("YEM", 15.35, 44.2),
    ("PAK", 33.7, 73.05),
    ("IND", 28.6, 77.2),
    ("ISR", 31.77, 35.21),
    ("GEO", 41.72, 44.78),
    ("ARM", 40.18, 44.51),
    ("EGY", 30.04, 31.24),
    ("LBY", 32.89, 13.19),
    ("FRA", 48.86, 2.35),
    ("DEU", 52.52, 13.4),
    ("GBR", 51.5, -0.12),
    ("USA", 38.9, -77.04),
    ("COL", 4.71, -74.07),
]
WORDS = (
    "officials said security forces regional police ministry statement attack checkpoint convoy "
    "village district border talks delegation agreement militants suspects court investigation "
    "residents witnesses explosion gunfire hospital wounded killed arrested capital province"
).split()


def zipf_choice(rng: random.Random, items: list[Any], s: float = 1.1) -> Any:
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    return " ".join(words).capitalize() + "."


def build_store(path: Path, n_events: int, seed: int = 7) -> dict[str, int]:
    """Write the synthetic store; returns its table sizes."""
    import pyarrow as pa

    from newsgraph.store.db import Store

    rng = random.Random(seed)
    n_docs = max(1, n_events // 4)
    states = [c for c, _, _ in COUNTRIES]
    entities: list[dict[str, Any]] = []
    for code, lat, lon in COUNTRIES:
        geo = json.dumps({"name": code, "country": code, "lat": lat, "lon": lon})
        entities.append(
            {
                "entity_id": code,
                "name": f"State {code}",
                "type": "GPE",
                "kind": "state",
                "country": code,
                "geo": geo,
            }
        )
        for sector in ("GOV", "MIL", "COP"):
            entities.append(
                {
                    "entity_id": f"{code}/{sector}",
                    "name": f"{code} {sector.lower()}",
                    "type": "ORG",
                    "kind": "government",
                    "country": code,
                    "sector": sector,
                }
            )
    for i in range(400):
        entities.append(
            {
                "entity_id": f"Q{1000 + i}",
                "name": f"Armed group {i}",
                "type": "ORG",
                "kind": "armed_group",
                "country": rng.choice(states),
            }
        )
    for i in range(2500):
        entities.append(
            {
                "entity_id": f"person:p{i}",
                "name": f"Person {i} Surname{i % 97}",
                "type": "PERSON",
                "kind": "person",
                "country": rng.choice(states),
            }
        )
    for i in range(600):
        entities.append({"entity_id": f"gpe:place-{i}", "name": f"Town {i}", "type": "GPE", "kind": "place"})
    actor_pool = [e["entity_id"] for e in entities if e["kind"] != "place"]
    rng.shuffle(actor_pool)

    docs, sentences, mentions, quotes = [], [], [], []
    doc_meta: list[tuple[str, dt.date, int]] = []
    start = dt.date(2015, 1, 1)
    span = (dt.date(2025, 6, 30) - start).days
    for d in range(n_docs):
        doc_id = f"d{d:07d}"
        published = start + dt.timedelta(days=int(span * (rng.random() ** 0.6)))
        parts, offset = [], 0
        for idx in range(rng.randint(6, 14)):
            s = _sentence(rng)
            sentences.append(
                {"doc_id": doc_id, "idx": idx, "start_char": offset, "end_char": offset + len(s)}
            )
            parts.append(s)
            offset += len(s) + 1
        text = " ".join(parts)
        docs.append(
            {
                "doc_id": doc_id,
                "source": f"synthetic/{doc_id}.txt",
                "content_hash": doc_id,
                "title": _sentence(rng)[:90],
                "authors": [f"Reporter {d % 300}"],
                "published": published,
                "url": f"https://news.example/{doc_id}",
                "language": "en",
                "text": text,
                "extractor": "synthetic",
                "ingested_at": dt.datetime(2025, 7, 1),
            }
        )
        for _ in range(rng.randint(6, 18)):
            s0 = rng.randrange(0, max(1, len(text) - 20))
            mentions.append(
                {
                    "doc_id": doc_id,
                    "entity_id": zipf_choice(rng, actor_pool[:800], 0.9),
                    "start_char": s0,
                    "end_char": s0 + 10,
                    "text": text[s0 : s0 + 10],
                    "sentence": 0,
                    "label": "ORG",
                    "rule": "synthetic",
                    "confidence": 0.8,
                }
            )
        if rng.random() < 0.6:
            q0 = rng.randrange(0, max(1, len(text) - 120))
            quotes.append(
                {
                    "quote_id": f"q{d}",
                    "doc_id": doc_id,
                    "speaker_id": zipf_choice(rng, actor_pool[:500]),
                    "speaker_name": "speaker",
                    "text": text[q0 : q0 + 100],
                    "start_char": q0,
                    "end_char": q0 + 100,
                    "direct": True,
                    "cue": "said",
                    "data": "{}",
                }
            )
        doc_meta.append((doc_id, published, len(text)))

    events, event_actors = [], []
    type_names = [t for t, _, _ in TYPES]
    type_weights = [w for _, w, _ in TYPES]
    modes = {t: m for t, _, m in TYPES}
    for i in range(n_events):
        doc_id, published, length = doc_meta[i % n_docs]
        etype = rng.choices(type_names, type_weights)[0]
        code, lat, lon = zipf_choice(rng, COUNTRIES, 1.0)
        when = published - dt.timedelta(days=rng.randint(0, 3))
        killed = int(rng.paretovariate(1.3)) - 1 if etype == "ASSAULT" and rng.random() < 0.6 else None
        injured = int(rng.paretovariate(1.2)) - 1 if etype == "ASSAULT" and rng.random() < 0.5 else None
        src = [zipf_choice(rng, actor_pool, 1.05)] if rng.random() < 0.75 else []
        tgt = [zipf_choice(rng, actor_pool, 1.05)] if rng.random() < 0.7 else []
        e0 = rng.randrange(0, max(1, length - 150))
        event_id = f"ev_{i:08d}"
        data = {
            "id": event_id,
            "type": etype,
            "mode": rng.choice(modes[etype]),
            "quad_class": QUAD[etype],
            "intensity": INTENSITY[etype],
            "source_actors": src,
            "target_actors": tgt,
            "evidence": [{"start": e0, "end": e0 + 140, "sentence": 0}],
            "trigger": {"text": "attack", "start": e0 + 10, "end": e0 + 16},
            "casualties": {"killed": {"min": killed} if killed is not None else None},
            "weapons": [],
            "confidence": round(rng.uniform(0.4, 0.95), 2),
        }
        events.append(
            {
                "event_id": event_id,
                "doc_id": doc_id,
                "type": etype,
                "mode": data["mode"],
                "date_start": when,
                "date_end": when,
                "date_precision": "day",
                "location": f"Town {rng.randrange(600)}",
                "country": code,
                "admin1": None,
                "lat": lat + rng.uniform(-3, 3),
                "lon": lon + rng.uniform(-3, 3),
                "killed": killed,
                "injured": injured,
                "negated": rng.random() < 0.03,
                "hypothetical": rng.random() < 0.03,
                "historical": False,
                "confidence": data["confidence"],
                "data": json.dumps(data),
            }
        )
        event_actors += [{"event_id": event_id, "entity_id": a, "role": "source"} for a in src]
        event_actors += [{"event_id": event_id, "entity_id": a, "role": "target"} for a in tgt]

    with Store(path) as store:
        con = store.con
        for name, rows in (
            ("entities", entities),
            ("documents", docs),
            ("sentences", sentences),
            ("mentions", mentions),
            ("quotes", quotes),
            ("events", events),
            ("event_actors", event_actors),
        ):
            keys = list(dict.fromkeys(k for row in rows for k in row))
            table = pa.Table.from_pylist([{k: row.get(k) for k in keys} for row in rows])
            con.register("_rows", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _rows")
            con.unregister("_rows")
        store.rebuild_facts()  # rows loaded with SQL: derive the read copies as a migration does
        from newsgraph.store.corrections import add_correction

        for _ in range(300):
            eid = f"ev_{rng.randrange(n_events):08d}"
            action = rng.choice(["confirm", "reject", "edit"])
            if action == "edit":
                add_correction(store, "event", eid, "edit", "bench", field="killed", value=rng.randrange(20))
            else:
                add_correction(store, "event", eid, action, "bench")
        stats = store.stats()
        con.execute("CHECKPOINT")
    return stats


def measure(call: Callable[[], Any], reps: int, before: Callable[[], None] | None = None) -> dict[str, float]:
    """p50/p95/max in milliseconds over `reps` calls after one warm-up call."""
    call()
    times = []
    for _ in range(reps):
        if before:
            before()
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "max_ms": round(times[-1], 1),
        "n": reps,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=15)
    ap.add_argument("--keep", type=Path, help="Write the synthetic store here and keep it.")
    ap.add_argument("--out", type=Path, default=RESULTS_DIR / "ui_queries.json")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from newsgraph.server.app import create_app

    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-uibench-"))
    db = args.keep or folder / "bench.duckdb"
    if db.exists():
        db.unlink()
    t0 = time.perf_counter()
    sizes = build_store(db, args.events)
    build_s = round(time.perf_counter() - t0, 1)
    print(f"synthetic store: {sizes} in {build_s}s", flush=True)

    app = create_app(db)
    cache = app.state.store_access.cache
    rng = random.Random(11)
    with TestClient(app) as client:

        def get(path: str, **params: Any) -> Callable[[], Any]:
            def call() -> Any:
                r = client.get(path, params=params)
                assert r.status_code == 200, (path, r.status_code, r.text[:200])
                return r.json()

            return call

        top_actor = client.get("/api/actors", params={"sort": "-events", "limit": 1}).json()["items"][0]
        some_doc = client.get(
            "/api/documents", params={"offset": sizes["documents"] // 2, "limit": 1}
        ).json()["items"][0]
        pages: list[tuple[str, Callable[[], Any], bool]] = [
            ("dashboard stats", get("/api/stats"), False),
            ("events: first page", get("/api/events"), False),
            ("events: type+country filter", get("/api/events", type="ASSAULT", country="SYR"), False),
            (
                "events: date range, by casualties",
                get("/api/events", since="2024-01-01", sort="-casualties"),
                False,
            ),
            ("events: actor filter", get("/api/events", actor=top_actor["entity_id"]), False),
            ("events: text filter", get("/api/events", text="Town 12"), False),
            ("events: page 1000 (offset 50k)", get("/api/events", offset=50_000), False),
            ("event detail", get(f"/api/events/ev_{args.events // 3:08d}"), False),
            ("documents: first page", get("/api/documents"), False),
            ("document with annotations", get(f"/api/documents/{some_doc['doc_id']}"), False),
            ("actors: first page", get("/api/actors"), False),
            ("actor page (busiest actor)", get(f"/api/actors/{top_actor['entity_id']}"), False),
            ("actor page (random person)", get(f"/api/actors/person:p{rng.randrange(2500)}"), False),
            ("review queue", get("/api/review/queue"), False),
            ("timeline by month", get("/api/timeline", interval="month"), True),
            ("timeline, ASSAULT in RUS", get("/api/timeline", type="ASSAULT", country="RUS"), True),
            ("dyads by year", get("/api/dyads", interval="year"), True),
            ("actor graph (80 nodes)", get("/api/graph"), True),
            ("alerts", get("/api/alerts"), True),
            ("map", get("/api/map"), True),
        ]
        results: list[dict[str, Any]] = []
        for name, call, cached in pages:
            slow = cached
            reps = max(3, args.reps // 3) if slow else args.reps
            row: dict[str, Any] = {"page": name}
            row["cold" if cached else "latency"] = measure(call, reps, before=cache.clear if cached else None)
            if cached:
                row["warm"] = measure(call, args.reps)
            results.append(row)
            print(f"  {name}: {row}", flush=True)
        t_index = time.perf_counter()
        client.get("/api/search", params={"q": "explosion"})
        index_s = round(time.perf_counter() - t_index, 1)
        results.append(
            {
                "page": "search (index built)",
                "latency": measure(get("/api/search", q="convoy border"), args.reps),
            }
        )
        print(f"  search index first build: {index_s}s", flush=True)

    rows = []
    for r in results:
        lat = r.get("latency") or r["cold"]
        warm = r.get("warm")
        rows.append(
            [
                r["page"],
                lat["p50_ms"],
                lat["p95_ms"],
                warm["p50_ms"] if warm else None,
                warm["p95_ms"] if warm else None,
            ]
        )
    print()
    print_table(["page", "p50 ms", "p95 ms", "warm p50", "warm p95"], rows)
    payload = {
        "benchmark": "ui_queries",
        "description": "API latency of the web UI's pages via TestClient on a synthetic store",
        "machine": {
            **machine_info(),
            # other work on the machine inflates every number; this says how busy it was
            "load_average_1m": {"start": round(load_before[0], 2), "end": round(os.getloadavg()[0], 2)},
        },
        "software": {
            **newsgraph_info(),
            "duckdb": __import__("duckdb").__version__,
            "fastapi": __import__("fastapi").__version__,
        },
        "store": {**sizes, "build_seconds": build_s},
        "config": {
            "events": args.events,
            "reps": args.reps,
            "cached_pages_cold": "cache cleared before each call",
        },
        "search_index_first_build_seconds": index_s,
        "results": results,
    }
    write_results(args.out, payload)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
