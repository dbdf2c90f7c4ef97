"""Load test of `newsgraph serve`: concurrent readers and reviewers, then a check that no correction was lost.

Builds the demo store with `newsgraph demo` in a temporary folder, starts the
real server on a free 127.0.0.1 port over a copy of it, and runs `--clients`
concurrent clients (asyncio, one httpx.AsyncClient and one connection each) for
`--seconds` seconds or `--max-requests` requests, whichever comes first. Each
client picks requests from a realistic mix: the events table with filters, one
event, one document with its annotations, an actor page, the timeline, search,
and review writes (PATCH corrections to event fields, each with a unique value
and the client's own author name, recorded client-side when acknowledged).

Then the server is stopped and the store itself is read: every acknowledged
correction must be there exactly once, with the id the server returned, and
each event's corrected field must show the last acknowledged value. Any 5xx,
any connection error or timeout, and any lost, duplicated or unapplied
correction makes the exit status 1.

    python benchmarks/load_test.py [--clients 50] [--seconds 30] [--out FILE]

Traffic goes only to the 127.0.0.1 server this script starts. Client and server
share the machine, so the throughput is what both together manage on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from _common import RESULTS_DIR, machine_info, newsgraph_info, print_table, write_results

# kind -> weight in the mix (out of 100)
MIX = {
    "events_list": 24,
    "event_detail": 14,
    "document": 14,
    "actor": 10,
    "timeline": 10,
    "search": 14,
    "write": 14,
}
SEARCH_WORDS = ["bombing", "police", "Makhachkala", "attack", "Iran", "border", "Islamic State", "killed"]
REQUEST_TIMEOUT_S = 60.0


@dataclass
class Targets:
    """Ids and filter values read from the store before the run."""

    events: list[str]
    documents: list[str]
    actors: list[str]
    types: list[str]
    countries: list[str]


@dataclass
class Ack:
    """A correction the server acknowledged."""

    event_id: str
    field: str
    value: Any
    author: str
    correction_id: int
    order: int  # acknowledgement order within its client


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    acks: list[Ack] = field(default_factory=list)
    unacknowledged_writes: int = 0
    sent: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_demo_store(folder: Path) -> Path:
    db = folder / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "newsgraph", "demo", "--db", str(db)],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return db


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsgraph", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                if client.get("/health").status_code == 200:
                    return proc
            except httpx.TransportError:
                time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError("server did not answer /health in 90 s")


def stop_server(proc: subprocess.Popen[bytes]) -> int | None:
    proc.send_signal(signal.SIGINT)  # uvicorn's graceful shutdown: in-flight requests finish
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=30)
        return None


def read_targets(base: str) -> Targets:
    with httpx.Client(base_url=base, timeout=60) as client:
        events, offset = [], 0
        while True:
            page = client.get("/api/events", params={"limit": 500, "offset": offset}).json()
            events += [e["event_id"] for e in page["items"]]
            offset += 500
            if offset >= page["total"]:
                break
        docs = [d["doc_id"] for d in client.get("/api/documents", params={"limit": 500}).json()["items"]]
        actors = [a["entity_id"] for a in client.get("/api/actors", params={"limit": 100}).json()["items"]]
        stats = client.get("/api/stats").json()
        types = [t["type"] for t in stats["by_type"]]
        countries = sorted(
            {c["country"] for c in client.get("/api/map").json()["countries"] if c.get("country")}
        )
    if not (events and docs and actors):
        raise RuntimeError("the demo store has no events, documents or actors")
    return Targets(events, docs, actors, types, countries or ["RUS"])


def make_request(kind: str, rng: random.Random, t: Targets) -> tuple[str, str, dict[str, Any]]:
    """(method, path, httpx keyword arguments) for one request of this kind (writes handled apart)."""
    if kind == "events_list":
        params: dict[str, Any] = {
            "limit": rng.choice([20, 50, 100]),
            "sort": rng.choice(["-date", "-killed", "confidence"]),
        }
        pick = rng.random()
        if pick < 0.3:
            params["type"] = rng.choice(t.types)
        elif pick < 0.5:
            params["country"] = rng.choice(t.countries)
        elif pick < 0.7:
            params["actor"] = rng.choice(t.actors)
        elif pick < 0.8:
            params["since"] = "2024-01-01"
        if rng.random() < 0.2:
            params["offset"] = 20
        return "GET", "/api/events", {"params": params}
    if kind == "event_detail":
        return "GET", f"/api/events/{rng.choice(t.events)}", {}
    if kind == "document":
        return "GET", f"/api/documents/{rng.choice(t.documents)}", {}
    if kind == "actor":
        return "GET", f"/api/actors/{rng.choice(t.actors)}", {}
    if kind == "timeline":
        params = {"interval": rng.choice(["month", "year"])}
        if rng.random() < 0.5:
            params["type"] = rng.choice(t.types)
        return "GET", "/api/timeline", {"params": params}
    if kind == "search":
        params = {"q": rng.choice(SEARCH_WORDS), "limit": 20}
        if rng.random() < 0.3:
            params["type"] = rng.choice(t.types)
        return "GET", "/api/search", {"params": params}
    raise ValueError(kind)


async def client_loop(
    index: int, base: str, t: Targets, stats: Stats, deadline: float, max_requests: int, run_id: str
) -> None:
    rng = random.Random(f"{run_id}-{index}")
    author = f"load-{run_id}-client-{index:03d}"
    kinds, weights = list(MIX), list(MIX.values())
    seq = 0
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        while time.monotonic() < deadline and stats.sent < max_requests:
            stats.sent += 1
            kind = rng.choices(kinds, weights)[0]
            if kind == "write":
                seq += 1
                event_id = rng.choice(t.events)
                value = f"load {run_id} c{index} #{seq}"
                method, path = "PATCH", f"/api/events/{event_id}"
                kwargs: dict[str, Any] = {"json": {"location": value, "author": author}}
            else:
                method, path, kwargs = make_request(kind, rng, t)
            start = time.perf_counter()
            try:
                resp = await client.request(method, path, **kwargs)
                body = resp.content
            except httpx.HTTPError as exc:
                stats.statuses[kind][f"error:{type(exc).__name__}"] += 1
                if kind == "write":
                    stats.unacknowledged_writes += 1
                continue
            stats.latencies[kind].append(time.perf_counter() - start)
            stats.statuses[kind][str(resp.status_code)] += 1
            if kind == "write":
                if resp.status_code == 200:
                    ids = json.loads(body)["correction_ids"]
                    stats.acks.append(Ack(event_id, "location", value, author, int(ids[0]), seq))
                else:
                    stats.unacknowledged_writes += 1


async def run_clients(
    base: str, t: Targets, clients: int, seconds: float, max_requests: int, run_id: str
) -> tuple[Stats, float]:
    stats = Stats()
    start = time.monotonic()
    deadline = start + seconds
    await asyncio.gather(
        *(client_loop(i, base, t, stats, deadline, max_requests, run_id) for i in range(clients))
    )
    return stats, time.monotonic() - start


def warm_up(base: str, t: Targets) -> None:
    """One request of each read kind, so the first timed requests do not pay for imports and caches."""
    rng = random.Random(0)
    with httpx.Client(base_url=base, timeout=120) as client:
        for kind in MIX:
            if kind != "write":
                method, path, kwargs = make_request(kind, rng, t)
                client.request(method, path, **kwargs)


def verify_store(db: Path, acks: list[Ack], run_id: str) -> dict[str, Any]:
    """Every acknowledged correction in the store exactly once, and the last one per event applied."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT correction_id, target_id, field, value, author FROM corrections "
            "WHERE author LIKE ? ORDER BY correction_id",
            [f"load-{run_id}-%"],
        ).fetchall()
        by_key: dict[tuple[str, str, str, str], list[int]] = defaultdict(list)
        for cid, target, fld, value, author in rows:
            by_key[(target, fld, json.loads(value), author)].append(int(cid))
        lost, duplicated, wrong_id = [], [], []
        for a in acks:
            found = by_key.get((a.event_id, a.field, a.value, a.author), [])
            if not found:
                lost.append(a)
            elif len(found) > 1:
                duplicated.append(a)
            elif found[0] != a.correction_id:
                wrong_id.append(a)
        # the view applies the newest correction: each event shows its last acknowledged value
        last: dict[str, Ack] = {}
        for a in sorted(acks, key=lambda a: a.correction_id):
            last[a.event_id] = a
        shown = dict(
            con.execute(
                "SELECT event_id, location FROM events_current WHERE event_id IN (SELECT unnest(?))",
                [list(last)],
            ).fetchall()
        )
        unapplied = [eid for eid, a in last.items() if shown.get(eid) != a.value]
    finally:
        con.close()
    acked_ids = {a.correction_id for a in acks}
    return {
        "acknowledged": len(acks),
        "in_store": len(rows),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "wrong_id": len(wrong_id),
        "unapplied_on_read": len(unapplied),
        "stored_but_not_acknowledged": sum(1 for r in rows if int(r[0]) not in acked_ids),
        "events_corrected": len(last),
        "examples_lost": [a.__dict__ for a in lost[:5]],
    }


def store_counts(db: Path) -> dict[str, int]:
    """Row counts of the main tables after the run."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
            for t in ("documents", "events", "entities", "corrections")
        }
    finally:
        con.close()


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 1000) - 1]


def ms(v: float | None) -> float | None:
    return None if v is None else round(v * 1000, 2)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--out", type=Path, default=RESULTS_DIR / "load_test.json")
    ap.add_argument("--store", type=Path, help="Serve a copy of this store instead of building the demo.")
    ap.add_argument("--read-only", action="store_true", help="No review writes (to compare latencies).")
    args = ap.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.max_requests < 1:
        ap.error("--clients, --seconds and --max-requests must be positive")

    if args.read_only:
        MIX.pop("write")
    run_id = uuid.uuid4().hex[:8]
    load_start = round(os.getloadavg()[0], 2)
    with tempfile.TemporaryDirectory(prefix="newsgraph-load-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        source = args.store or build_demo_store(folder)
        db = folder / "served.duckdb"
        shutil.copy(source, db)
        build_s = time.perf_counter() - t0
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(db, port)
        try:
            targets = read_targets(base)
            warm_up(base, targets)
            stats, elapsed = asyncio.run(
                run_clients(base, targets, args.clients, args.seconds, args.max_requests, run_id)
            )
        finally:
            exit_code = stop_server(proc)
        check = verify_store(db, stats.acks, run_id)
        store_info = store_counts(db)

    all_latencies = [x for v in stats.latencies.values() for x in v]
    served = len(all_latencies)
    errors: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for kind, counter in stats.statuses.items():
        for status, n in counter.items():
            by_status[status] += n
            if status.startswith("error:") or status.startswith("5"):
                errors[status] += n
            elif kind == "write" and status != "200":
                errors[f"write {status}"] += n
            elif kind != "write" and not status.startswith("2"):
                errors[status] += n
    per_kind = {
        kind: {
            "requests": len(stats.latencies.get(kind, [])),
            "share": round(len(stats.latencies.get(kind, [])) / served, 3) if served else None,
            "p50_ms": ms(percentile(stats.latencies.get(kind, []), 0.50)),
            "p99_ms": ms(percentile(stats.latencies.get(kind, []), 0.99)),
            "max_ms": ms(max(stats.latencies.get(kind, []), default=None)),
            "statuses": dict(sorted(stats.statuses.get(kind, Counter()).items())),
        }
        for kind in MIX
    }
    result = {
        "benchmark": "load_test",
        "description": (
            "newsgraph serve under concurrent reads and review writes; lost corrections checked in the store"
        ),
        "machine": {
            **machine_info(),
            "load_average_1m": {"start": load_start, "end": round(os.getloadavg()[0], 2)},
        },
        "software": {**newsgraph_info(), "httpx": httpx.__version__},
        "config": {
            "clients": args.clients,
            "seconds": args.seconds,
            "max_requests": args.max_requests,
            "mix_percent": MIX,
            "read_only": args.read_only,
            "store": str(args.store) if args.store else "newsgraph demo",
            "request_timeout_s": REQUEST_TIMEOUT_S,
            "note": "client and server on the same machine; one uvicorn process",
        },
        "store": {**store_info, "setup_seconds": round(build_s, 1)},
        "requests_served": served,
        "elapsed_s": round(elapsed, 2),
        "throughput_rps": round(served / elapsed, 1) if elapsed else None,
        "latency_ms": {
            "p50": ms(percentile(all_latencies, 0.50)),
            "p99": ms(percentile(all_latencies, 0.99)),
            "max": ms(max(all_latencies, default=None)),
        },
        "per_kind": per_kind,
        "statuses": dict(sorted(by_status.items())),
        "errors": dict(sorted(errors.items())),
        "error_count": sum(errors.values()),
        "corrections": check,
        "server_exit_code": exit_code,
    }
    write_results(args.out, result)

    print(
        f"{served} requests in {elapsed:.1f} s from {args.clients} clients: "
        f"{result['throughput_rps']} req/s, p50 {result['latency_ms']['p50']} ms, "
        f"p99 {result['latency_ms']['p99']} ms (machine: {os.cpu_count()} CPUs)"
    )
    print_table(
        ["kind", "requests", "p50 ms", "p99 ms", "max ms", "statuses"],
        [
            [
                k,
                v["requests"],
                v["p50_ms"],
                v["p99_ms"],
                v["max_ms"],
                " ".join(f"{s}:{n}" for s, n in v["statuses"].items()),
            ]
            for k, v in per_kind.items()
        ],
    )
    print(
        f"errors: {result['error_count']} {result['errors'] or ''}; corrections acknowledged "
        f"{check['acknowledged']}, lost {check['lost']}, duplicated {check['duplicated']}, "
        f"wrong id {check['wrong_id']}, unapplied {check['unapplied_on_read']}"
    )
    print(f"results: {args.out}")
    bad = (
        result["error_count"]
        or check["lost"]
        or check["duplicated"]
        or check["wrong_id"]
        or check["unapplied_on_read"]
        or served == 0
        or (check["acknowledged"] == 0 and not args.read_only)
    )
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
