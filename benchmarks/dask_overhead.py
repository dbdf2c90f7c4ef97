"""What Dask costs: a LocalCluster of 1 and of 2 workers against in-process extraction.

Same generated corpus, same batch size, through ``newsgraph.pipeline.ingest``:
- in process (the 1-worker path, resources already loaded);
- a LocalCluster with 1 worker, then with 2 (processes, one thread each); cluster
  start-up (processes, spaCy loading via the worker plugin) is timed apart.
The scheduling overhead per document is (Dask 1 worker - in process) / documents,
and, separately, the round trip of an empty task divided by the batch size; one batch
is also timed inside a worker and in process (the cost of running in a Dask worker).
On a shared machine the 2-worker figure depends on how many cores are really free.

    python benchmarks/dask_overhead.py [-n 400] [--batch-size 32]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import ROOT, machine_info, newsgraph_info, print_table, results_path, write_results
from make_corpus import generate
from throughput import total_ram

sys.path.insert(0, str(ROOT / "src"))


def ingest_once(db: Path, corpus: Path, batch_size: int, scheduler: str | None, res: Any) -> float:
    from newsgraph.pipeline import IngestOptions, ingest
    from newsgraph.store.db import Store

    start = time.perf_counter()
    with Store(db) as store:
        report = ingest(
            store, [str(corpus)], res, IngestOptions(batch_size=batch_size, dask_scheduler=scheduler)
        )
    assert not report.failed, report.failed[:3]
    return time.perf_counter() - start


def noop(x: int) -> int:
    return x


def timed_batch(batch: list[Any]) -> float:
    """Seconds to extract one batch in whatever process runs this (in process, or on a worker)."""
    from newsgraph.work import WorkerConfig, run_batch

    start = time.perf_counter()
    run_batch(batch, WorkerConfig(), "timing")
    return time.perf_counter() - start


def task_round_trip(client: Any, n: int = 200) -> float:
    """Median seconds for one tiny task submitted and gathered, one at a time."""
    times = []
    for i in range(n):
        start = time.perf_counter()
        client.submit(noop, i, pure=False).result()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", type=Path, default=results_path("dask_overhead"))
    args = parser.parse_args(argv)
    from distributed import Client, LocalCluster

    from newsgraph.distributed import register_resources
    from newsgraph.runtime import load_resources

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # as newsgraph's own dask_client does for its workers
    runs: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        generate(corpus, args.n, seed=7)
        res = load_resources()
        from newsgraph.models import RawDocument

        files = sorted(corpus.rglob("*.txt"))[: args.batch_size]
        batch = [RawDocument(source=str(f), content=f.read_text(encoding="utf-8"), fmt="text") for f in files]
        timed_batch(batch[:2])
        in_process_batch = timed_batch(batch)
        on_worker_batch = None
        print("in process ...", file=sys.stderr)
        runs["in process"] = {
            "ingest_s": round(ingest_once(tmp / "local.duckdb", corpus, args.batch_size, None, res), 1)
        }
        round_trip = None
        for workers in (1, 2):
            print(f"LocalCluster, {workers} worker(s) ...", file=sys.stderr)
            start = time.perf_counter()
            with (
                LocalCluster(
                    n_workers=workers,
                    processes=True,
                    threads_per_worker=1,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                ) as cluster,
                Client(cluster) as client,
            ):
                register_resources(client, ())
                startup = time.perf_counter() - start
                if workers == 1:
                    round_trip = task_round_trip(client)
                    on_worker_batch = client.submit(timed_batch, batch, pure=False).result()
                db = tmp / f"dask{workers}.duckdb"
                wall = ingest_once(db, corpus, args.batch_size, cluster.scheduler_address, None)
            runs[f"dask {workers} worker(s)"] = {"startup_s": round(startup, 1), "ingest_s": round(wall, 1)}
    local = runs["in process"]["ingest_s"]
    one, two = runs["dask 1 worker(s)"]["ingest_s"], runs["dask 2 worker(s)"]["ingest_s"]
    summary = {
        "documents": args.n,
        "overhead_per_doc_ms (dask 1 worker - in process)": round(1000 * (one - local) / args.n, 2),
        "empty_task_round_trip_ms": round(1000 * (round_trip or 0), 2),
        f"round_trip_per_doc_ms (batch of {args.batch_size})": round(
            1000 * (round_trip or 0) / args.batch_size, 3
        ),
        "speedup 1 -> 2 dask workers": round(one / two, 2),
        "one batch in process s": round(in_process_batch, 2),
        "the same batch on a dask worker s": round(on_worker_batch or 0, 2),
    }
    print_table(
        ["run", "start-up s", "ingest s", "docs/s"],
        [(k, v.get("startup_s"), v["ingest_s"], round(args.n / v["ingest_s"], 1)) for k, v in runs.items()],
    )
    print()
    print_table(["measure", "value"], list(summary.items()))
    write_results(
        args.out,
        {
            "benchmark": "dask_overhead",
            "machine": {**machine_info(), "total_ram_bytes": total_ram()},
            "newsgraph": newsgraph_info(),
            "batch_size": args.batch_size,
            "runs": runs,
            "summary": summary,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
