"""Parallel and distributed ingest give the store exactly what the 1-worker path gives it.

One small corpus (text, Markdown, HTML, a JSONL feed with broken rows, a duplicate
and a binary file), batches of 2 so that several are in flight and out of order;
compared table by table with the in-process ingest.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import RunCli
from newsgraph.pipeline import IngestOptions, IngestReport, ingest
from newsgraph.runtime import load_resources
from newsgraph.sample import sample_dir
from newsgraph.store.db import Store

pytestmark = pytest.mark.integration

TABLES = ("documents", "sentences", "entities", "mentions", "events", "event_actors", "quotes", "failures")
VOLATILE = {"ingested_at", "failed_at"}
SAMPLES = (
    "nazran-checkpoint-shooting.txt",
    "sumgait-raids-analysis.md",
    "erbil-khurmala-drone-strike.html",
    "karabulak-traffic-police-post-attack.txt",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name in SAMPLES:
        shutil.copy(sample_dir() / name, root / name)
    (root / "nested").mkdir()
    shutil.copy(sample_dir() / SAMPLES[0], root / "nested" / "copy-of-nazran.txt")  # a duplicate
    rows = (sample_dir() / "feed.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    feed = "\n".join(rows) + "\n{broken\n\n[1, 2]\n" + json.dumps({"text": "Too short but fine."}) + "\n"
    (root / "nested" / "feed.jsonl").write_text(feed, encoding="utf-8")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    return root


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every extraction table's rows, sorted, without timestamps."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if r[0] not in VOLATILE
            ]
            select = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in cols)
            out[table] = sorted(con.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def run(db: Path, corpus: Path, **options: Any) -> IngestReport:
    res = load_resources() if options.get("workers", 1) == 1 and not options.get("dask_scheduler") else None
    with Store(db) as store:
        return ingest(store, [str(corpus)], res, IngestOptions(batch_size=2, **options))


def summary(report: IngestReport) -> dict[str, Any]:
    return {**report.counts(), "failed": sorted(report.failed), "new": sorted(report.new)}


@pytest.fixture(scope="module")
def baseline(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Any]:
    db = tmp_path_factory.mktemp("base") / "one.duckdb"
    report = run(db, corpus)
    assert report.counts() == {"new": 8, "updated": 0, "unchanged": 0, "duplicate": 1, "failed": 3}
    return summary(report), dump(db)


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A LocalCluster of 2 single-threaded worker processes, shared by the tests below."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_workers_2_cli_gives_the_same_store(
    run_cli: RunCli, corpus: Path, tmp_path: Path, baseline: tuple[dict[str, Any], Any]
) -> None:
    proc = run_cli("ingest", str(corpus), "--db", "two.duckdb", "--workers", "2", "--batch-size", "2", "-q")
    assert proc.returncode == 1, proc.stderr  # three inputs fail, as with one worker
    assert "broken JSON line" in proc.stderr and "binary content" in proc.stderr
    assert dump(tmp_path / "two.duckdb") == baseline[1]
    again = run_cli("ingest", str(corpus), "--db", "two.duckdb", "--workers", "2", "-q")
    assert "│   0 │       0 │         8 │         1 │      3 │" in again.stderr


def test_dask_cluster_gives_the_same_store_and_skips_unchanged_on_workers(
    scheduler: str, corpus: Path, tmp_path: Path, baseline: tuple[dict[str, Any], Any]
) -> None:
    db = tmp_path / "dask.duckdb"
    report = run(db, corpus, dask_scheduler=scheduler)
    assert summary(report) == baseline[0]
    assert dump(db) == baseline[1]
    again = run(db, corpus, dask_scheduler=scheduler)
    assert again.counts() == {"new": 0, "updated": 0, "unchanged": 8, "duplicate": 1, "failed": 3}
    forced = run(db, corpus, dask_scheduler=scheduler, force=True)
    assert forced.counts()["updated"] == 8
    assert dump(db) == baseline[1]


def test_parquet_shards_round_trip(
    scheduler: str, corpus: Path, tmp_path: Path, baseline: tuple[dict[str, Any], Any]
) -> None:
    from newsgraph.shards import merge_shards

    shards = tmp_path / "shards"
    db = tmp_path / "merged.duckdb"
    report = run(db, corpus, dask_scheduler=scheduler, parquet_out=shards)
    assert len(report.failed) == 3
    folders = {p.name for p in shards.iterdir()}
    assert {"documents", "entities", "mentions", "events", "_doc_entities", "failures"} <= folders
    with Store(db) as store:
        assert all(n == 0 for n in store.stats().values())  # nothing went to the store
    with Store(db) as store:
        merged, failed = merge_shards(store, shards)
    assert sorted(merged["new"]) == baseline[0]["new"] and len(merged["duplicate"]) == 1
    assert len(failed) == 3
    assert dump(db) == baseline[1]
    with Store(db) as store:  # merging again changes nothing
        merged, _ = merge_shards(store, shards)
    assert len(merged["unchanged"]) == 8 and not merged["new"]
    assert dump(db) == baseline[1]


def test_cli_dask_scheduler_and_parquet_merge(
    run_cli: RunCli, scheduler: str, corpus: Path, tmp_path: Path, baseline: tuple[dict[str, Any], Any]
) -> None:
    proc = run_cli(
        "ingest",
        str(corpus),
        "--db",
        "kb.duckdb",
        "--dask-scheduler",
        scheduler,
        "--parquet-out",
        "out",
        "-q",
    )
    assert proc.returncode == 1, proc.stderr
    merge = run_cli("ingest", "--parquet", "out", "--db", "kb.duckdb")
    assert merge.returncode == 0, merge.stderr
    assert dump(tmp_path / "kb.duckdb") == baseline[1]
    # the merge links events across articles, as an ingest does
    assert "canonical events" in merge.stderr
    con = duckdb.connect(str(tmp_path / "kb.duckdb"), read_only=True)
    try:
        sql = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM event_links)"
        counts = con.execute(sql).fetchone()
    finally:
        con.close()
    assert counts is not None and counts[0] == counts[1] > 0
