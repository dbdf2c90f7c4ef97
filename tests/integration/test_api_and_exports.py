"""The demo corpus through the real CLI: search, analyses and every export; then the Python API."""

from __future__ import annotations

import csv
import doctest
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pytest
import stix2

import newsgraph
import newsgraph.api
from newsgraph.export.geojson import geojson_errors
from newsgraph.sample import sample_inputs

pytestmark = pytest.mark.integration

Result = subprocess.CompletedProcess[str]


def _cli(cwd: Path, *args: str) -> Result:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("NEWSGRAPH_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "newsgraph", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    proc = _cli(root, "demo", "--db", "demo.duckdb")
    assert proc.returncode == 0, proc.stderr
    return root / "demo.duckdb"


COMMANDS: dict[str, tuple[str, ...]] = {
    "search": ("search", "car bomb", "--format", "json"),
    "search_filtered": ("search", "car bomb", "--country", "RUS", "--since", "2024-01-01", "--format", "csv"),
    "events": ("query", "events", "--actor", "RUS", "--format", "json"),
    "timeline": ("timeline", "--interval", "year", "--format", "json"),
    "dyads": ("dyads", "--format", "csv"),
    "graph": ("graph", "--format", "json"),
    "alerts": ("alerts", "--window-days", "400", "--min-events", "1", "--format", "json"),
    "country": ("country", "RUS", "--format", "json"),
    "jsonl": ("export", "jsonl", "--out", "out/docs.jsonl"),
    "csv": ("export", "csv", "--out", "out/events.csv"),
    "parquet": ("export", "parquet", "--out", "out/parquet"),
    "geojson": ("export", "geojson", "--out", "out/events.geojson"),
    "graphml": ("export", "graphml", "--out", "out/actors.graphml"),
    "stix": ("export", "stix", "--out", "out/bundle.json", "--actor", "RUS"),
    "bad_date": ("timeline", "--since", "March"),
    "no_store": ("search", "x", "--db", "missing.duckdb"),
}


@pytest.fixture(scope="module")
def runs(demo: Path) -> dict[str, Result]:
    """Every command at once (read-only store, many readers), to keep the suite fast."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(_cli, demo.parent, *args, *([] if "--db" in args else ["--db", demo.name]))
            for name, args in COMMANDS.items()
        }
        return {name: f.result() for name, f in futures.items()}


def _ok(runs: dict[str, Result], name: str) -> Result:
    proc = runs[name]
    assert proc.returncode == 0, f"{name}: {proc.stderr}"
    return proc


def test_search_finds_the_makhachkala_bombing_first(runs: dict[str, Result]) -> None:
    hits = json.loads(_ok(runs, "search").stdout)
    assert len(hits) >= 3
    top_two = [h["title"] for h in hits[:2]]
    assert all("Makhachkala" in t for t in top_two), top_two
    assert all(h["snippet"] and h["start"] is not None for h in hits[:2])
    rows = list(csv.DictReader(_ok(runs, "search_filtered").stdout.splitlines()))
    assert rows and all(r["published"] >= "2024-01-01" for r in rows)
    assert "Makhachkala" in rows[0]["title"]


def test_query_events_by_actor(runs: dict[str, Result]) -> None:
    assert json.loads(_ok(runs, "events").stdout)


def test_analysis_commands(runs: dict[str, Result]) -> None:
    years = json.loads(_ok(runs, "timeline").stdout)
    assert years and all({"period", "by_type", "killed", "coarse"} <= set(r) for r in years)
    assert sum(r["events"] for r in years) > 10
    assert _ok(runs, "dyads").stdout.startswith("period,")
    graph = json.loads(_ok(runs, "graph").stdout)
    assert {"nodes", "edges", "communities"} <= set(graph)
    assert isinstance(json.loads(_ok(runs, "alerts").stdout), list)
    rus = json.loads(_ok(runs, "country").stdout)
    assert rus["name"] == "Russian Federation" and rus["events"] > 0 and rus["top_places"]
    assert runs["bad_date"].returncode == 2 and "YYYY-MM-DD" in runs["bad_date"].stderr
    assert runs["no_store"].returncode == 2 and "no store" in runs["no_store"].stderr


def test_each_export_writes_a_valid_file(demo: Path, runs: dict[str, Result]) -> None:
    out = demo.parent / "out"
    for name in ("jsonl", "csv", "parquet", "geojson", "graphml", "stix"):
        _ok(runs, name)
    docs = [json.loads(line) for line in (out / "docs.jsonl").read_text("utf-8").splitlines()]
    assert len(docs) == 18 and all(d["text"] and "events" in d for d in docs)
    with (out / "events.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    con = duckdb.connect()
    parquet = out / "parquet" / "events.parquet"
    row = con.execute(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()
    assert row is not None
    n_parquet = row[0]
    assert len(rows) == n_parquet > 0
    fc = json.loads((out / "events.geojson").read_text("utf-8"))
    assert geojson_errors(fc) == [] and fc["features"]
    assert len(fc["features"]) == sum(1 for r in rows if r["lat"] and r["lon"])
    G = nx.read_graphml(out / "actors.graphml")
    assert f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges" in runs["graphml"].stderr
    bundle = stix2.parse((out / "bundle.json").read_text("utf-8"), allow_custom=False)
    assert any(o.type == "report" for o in bundle.objects)


def test_python_api_on_the_demo_store(demo: Path) -> None:
    with newsgraph.open(demo, read_only=True) as kb:
        assert kb.search("car bomb", limit=2)[0]["title"]
        assert kb.events(actor="RUS", limit=3)
        assert kb.graph().number_of_nodes() == len(kb.graph_summary()["nodes"])
        with pytest.raises(TypeError):
            kb.events(colour="red")
        failures, tried = doctest.testmod(newsgraph.api, extraglobs={"kb": kb}, optionflags=doctest.ELLIPSIS)
    assert tried > 5 and failures == 0


def test_python_api_ingests(tmp_path: Path) -> None:
    files = [p for p in sample_inputs() if "makhachkala" in p or "nazran" in p]
    with newsgraph.open(tmp_path / "kb.duckdb") as kb:
        counts: dict[str, Any] = kb.ingest(files)
        assert counts["new"] == len(files) == 3 and counts["failed"] == 0
        assert kb.ingest(files)["unchanged"] == 3
        assert kb.documents(limit=10) and kb.entities(limit=5)
        # linked like `newsgraph ingest` links: every event has its canonical event
        linked = kb.store.query("SELECT count(*) AS n FROM event_links")[0]["n"]
        assert linked == kb.store.query("SELECT count(*) AS n FROM events")[0]["n"] > 0
        before = kb.events(limit=None)
        assert kb.ingest(files, force=True, workers=2)["updated"] == 3
        assert kb.events(limit=None) == before
        with pytest.raises(ValueError, match="workers"):
            kb.ingest(files, workers=0)
        out = tmp_path / "events.csv"
        assert kb.export("csv", out)["events"] > 0 and out.read_text("utf-8").startswith("event_id,")
    assert (tmp_path / "kb.duckdb").exists()
