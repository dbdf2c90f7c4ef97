"""Peak memory of `newsgraph ingest` as the corpus grows: it should stay flat.

Runs ``newsgraph ingest CORPUS --db NEW.duckdb --workers N`` on generated corpora
of two sizes and samples, ten times a second, the resident set size of the whole
process tree (the writer, its pool workers and anything else it started). The
readers stream, at most 2 x N batches are in flight, and each batch is written
and dropped, so the peak should not depend on the corpus size.

Goal: the peak for the large corpus is within 20% of the peak for the small one. The
peak is also reported for the time the pool is up (with ``--workers`` >= 2): reading,
extracting and writing, without what the command does after (linking events).
The default sizes are 1,000 and 5,000 articles (20,000 takes about an hour on a
two-core machine); ``--large 20000`` runs the full-size comparison.

    python benchmarks/memory.py [--small 1000] [--large 5000] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from _common import ROOT, machine_info, newsgraph_info, print_table, results_path, write_results
from make_corpus import generate
from throughput import total_ram

GOAL = 1.2


WORKER_RSS = 150 * 2**20
"""A descendant this large is an extraction worker (spaCy loaded); the forkserver and the
resource tracker that outlive the pool stay far below it."""


def tree_rss(proc: psutil.Process) -> tuple[int, int, int]:
    """(RSS of the process, RSS of it and all its descendants in bytes, extraction workers alive)."""
    try:
        own = proc.memory_info().rss
        total, workers = own, 0
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                rss = child.memory_info().rss
                total += rss
                workers += rss > WORKER_RSS
        return own, total, workers
    except psutil.Error:
        return 0, 0, 0


def run_ingest(corpus: Path, db: Path, workers: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", str(db), "-q"]
    cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(proc.pid)
    peak = {"writer": 0, "tree": 0, "extracting": 0}
    samples: list[tuple[float, int]] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            own, total, alive = tree_rss(watched)
            peak["writer"] = max(peak["writer"], own)
            peak["tree"] = max(peak["tree"], total)
            if alive >= workers:  # the pool is up: reading, extracting and writing
                peak["extracting"] = max(peak["extracting"], total)
            samples.append((round(time.perf_counter() - start, 1), total))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}):\n{stderr[-2000:]}")
    # the tree's RSS at 10%, 50% and 90% of the run: a steady level, or a climb?
    marks = {f"rss_at_{p}pct_mib": _at(samples, p / 100) for p in (10, 50, 90)}
    return {
        "wall_s": round(time.perf_counter() - start, 1),
        "peak_tree_mib": round(peak["tree"] / 2**20, 1),
        "peak_while_extracting_mib": round(peak["extracting"] / 2**20, 1),
        "peak_writer_mib": round(peak["writer"] / 2**20, 1),
        **marks,
    }


def _at(samples: list[tuple[float, int]], fraction: float) -> float | None:
    if not samples:
        return None
    return round(samples[min(len(samples) - 1, int(fraction * len(samples)))][1] / 2**20, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=5000, help="20000 for the full-size run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=results_path("memory"))
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for n in (args.small, args.large):
            corpus = tmp / f"corpus-{n}"
            generate(corpus, n, seed=7)
            print(f"ingesting {n} articles with {args.workers} workers ...", file=sys.stderr)
            results[str(n)] = run_ingest(corpus, tmp / f"kb-{n}.duckdb", args.workers)
            print(f"  {results[str(n)]}", file=sys.stderr)
    small, large = results[str(args.small)], results[str(args.large)]
    ratio = round(large["peak_tree_mib"] / small["peak_tree_mib"], 2)
    extracting = round(large["peak_while_extracting_mib"] / small["peak_while_extracting_mib"], 2)
    print_table(
        ["articles", "peak tree MiB", "while extracting MiB", "peak writer MiB", "wall s"],
        [
            (n, r["peak_tree_mib"], r["peak_while_extracting_mib"], r["peak_writer_mib"], r["wall_s"])
            for n, r in results.items()
        ],
    )
    print(
        f"\npeak ratio {args.large}/{args.small}: {ratio} overall, "
        f"{extracting} while extracting (goal <= {GOAL})"
    )
    write_results(
        args.out,
        {
            "benchmark": "memory",
            "machine": {**machine_info(), "total_ram_bytes": total_ram()},
            "newsgraph": newsgraph_info(),
            "workers": args.workers,
            "goal": f"peak(large) / peak(small) <= {GOAL}",
            "results": results,
            "peak_ratio": ratio,
            "peak_ratio_while_extracting": extracting,
            "note": "after the pool closes, the ingest command links events across articles in the "
            "writer (analysis/linking.py); that phase is in the overall peak, not in 'while extracting'",
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
