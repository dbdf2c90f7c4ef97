"""Event linking through the real CLI on the demo corpus: one bombing, three articles; user
decisions that survive `events link` and a forced re-ingest of the same files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import RunCli

pytestmark = pytest.mark.integration


def _query(db: Path, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(sql, params or [])
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()


def _canonical_of(db: Path, event_id: str) -> str:
    return str(
        _query(db, "SELECT canonical_id FROM event_links WHERE event_id = ?", [event_id])[0]["canonical_id"]
    )


def _bombing(db: Path) -> dict[str, Any]:
    rows = _query(
        db,
        "SELECT * FROM canonical_events WHERE type = 'ASSAULT' AND location = 'Makhachkala' "
        "AND date_start = DATE '2024-03-15' ORDER BY n_sources DESC",
    )
    assert rows, "the Makhachkala bombing is not among the canonical events"
    return rows[0]


def _first_event(db: Path, source_part: str, date: str) -> str:
    rows = _query(
        db,
        "SELECT e.event_id FROM events_current e JOIN documents d USING (doc_id) "
        "WHERE d.source LIKE ? AND e.type = 'ASSAULT' AND e.date_start = CAST(? AS DATE) ORDER BY e.event_id",
        [f"%{source_part}%", date],
    )
    assert rows, f"no ASSAULT on {date} in {source_part}"
    return str(rows[0]["event_id"])


def test_demo_links_reports_and_keeps_user_decisions(run_cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    demo = run_cli("demo", "--db", str(db), check=True)
    assert "canonical events" in demo.stderr

    bombing = _bombing(db)
    assert bombing["n_sources"] >= 2, bombing
    assert bombing["killed_max"] == 15

    nazran = _first_event(db, "nazran-checkpoint-shooting", "2021-06-13")
    karabulak = _first_event(db, "karabulak-traffic-police-post-attack", "2021-07-02")
    assert _canonical_of(db, nazran) != _canonical_of(db, karabulak)

    shown = run_cli("events", "show", bombing["canonical_id"], "--db", str(db), "--json", check=True)
    found = json.loads(shown.stdout)
    members = found["members"]
    assert len({m["doc_id"] for m in members}) == bombing["n_sources"]
    assert all(m["reasons"] for m in members)

    # split two reports from different articles
    first = members[0]["event_id"]
    second = next(m["event_id"] for m in members if m["doc_id"] != members[0]["doc_id"])
    run_cli("events", "split", first, second, "--author", "tester", "--db", str(db), check=True)
    assert _canonical_of(db, first) != _canonical_of(db, second)

    run_cli("events", "link", "--db", str(db), "--full", check=True)
    assert _canonical_of(db, first) != _canonical_of(db, second)
    again = run_cli("events", "link", "--db", str(db), check=True)  # another process: nothing changed
    assert "rescored 0 events" in again.stderr

    sources = sorted({r["source"].split("#")[0] for r in _query(db, "SELECT source FROM documents")})
    reingest = run_cli("ingest", *sources, "--db", str(db), "--force", "--quiet")
    assert reingest.returncode == 0, reingest.stderr
    assert "canonical events" in reingest.stderr
    assert _canonical_of(db, first) != _canonical_of(db, second)
    decisions = _query(db, "SELECT action, author FROM link_decisions")
    assert decisions == [{"action": "split", "author": "tester"}]

    # a merge of two look-alikes holds too, and `events show` reports it
    merged = run_cli("events", "merge", nazran, karabulak, "--author", "tester", "--db", str(db), check=True)
    assert "merged" in merged.stdout
    assert _canonical_of(db, nazran) == _canonical_of(db, karabulak)
    shown = json.loads(run_cli("events", "show", nazran, "--db", str(db), "--json", check=True).stdout)
    assert any(d["action"] == "merge" for d in shown["decisions"])

    bad = run_cli("events", "merge", nazran, "ev_missing", "--author", "tester", "--db", str(db))
    assert bad.returncode == 1 and "no event" in bad.stderr
