"""The real `newsgraph` CLI against a real DuckDB file."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import RunCli

pytestmark = pytest.mark.integration

STORY_ONE = """\
Gunmen attack checkpoint in Dagestan

By Marta Kowalczyk March 4, 2024

Gunmen opened fire on a police checkpoint outside Makhachkala on Sunday, killing two officers, \
the Russian Interior Ministry said.

Islamic State claimed the attack through its Amaq agency. ISIS has targeted police in the region before.

"We will find those responsible," said Viktor Samsonov, a regional police spokesman. Samsonov added \
that a search was under way.
"""

STORY_TWO = """\
Baku and Ankara sign security pact

Azerbaijan and Turkey signed a security cooperation agreement in Baku on Tuesday.
Azerbaijani Foreign Minister Leyla Mammadli said the pact would help both states counter terrorism.
"""

HTML_PAGE = """<!doctype html><html><head><title>Drone strike hits depot | Example Wire</title>
<meta name="author" content="Sam Okafor">
<meta property="article:published_time" content="2023-11-20T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Drone strike hits fuel depot</h1>
<p>A drone struck a fuel depot near Novorossiysk overnight, regional officials said on Monday.</p>
<p>Ukraine did not comment on the strike. Russia's Defence Ministry said air defences downed six drones.</p>
<p>The fire was put out by morning and no one was hurt, according to the governor's office.</p></article>
<footer>© Example Wire. All rights reserved.</footer></body></html>"""


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "nested").mkdir(parents=True)
    (corpus / "one.txt").write_text(STORY_ONE, encoding="utf-8")
    (corpus / "nested" / "two.md").write_text(STORY_TWO, encoding="utf-8")
    (corpus / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    rows = [
        {
            "text": "Police in Almaty detained three suspects on Friday.",
            "title": "Almaty arrests",
            "published": "2022-01-07",
            "url": "https://example.org/a",
        },
        {
            "text": "Iran accused Israel of sabotage at a nuclear site.",
            "title": "Iran accuses Israel",
            "published": "2021-04-12",
            "url": "https://example.org/b",
        },
    ]
    (corpus / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8"
    )
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04 not supported")
    return corpus


def test_ingest_stores_good_files_reports_bad_ones_and_is_idempotent(run_cli: RunCli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    first = run_cli("ingest", str(corpus), "--db", "kb.duckdb", "--quiet")
    assert first.returncode == 1, first.stderr  # some inputs failed, the rest is stored
    assert "image.txt" in first.stderr and "binary content" in first.stderr
    assert "notes.docx" in first.stderr and "unsupported file type" in first.stderr
    assert "feed.jsonl#row=3" in first.stderr and "broken JSON line" in first.stderr

    con = duckdb.connect(str(tmp_path / "kb.duckdb"), read_only=True)
    titles = sorted(t for (t,) in con.execute("SELECT title FROM documents").fetchall())
    assert titles == sorted(
        [
            "Gunmen attack checkpoint in Dagestan",
            "Baku and Ankara sign security pact",
            "Drone strike hits fuel depot",
            "Almaty arrests",
            "Iran accuses Israel",
        ]
    )
    failures = {s.rsplit("/", 1)[-1] for (s,) in con.execute("SELECT source FROM failures").fetchall()}
    assert failures == {"image.txt", "notes.docx", "feed.jsonl#row=3"}
    counts_before = con.execute("SELECT count(*) FROM mentions").fetchone()
    con.close()

    again = run_cli("ingest", str(corpus), "--db", "kb.duckdb", "--quiet")
    assert again.returncode == 1
    assert "unchanged" in again.stderr
    con = duckdb.connect(str(tmp_path / "kb.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    assert con.execute("SELECT count(*) FROM mentions").fetchone() == counts_before
    con.close()

    (corpus / "one.txt").write_text(STORY_ONE.replace("two officers", "three officers"), encoding="utf-8")
    (corpus / "image.txt").unlink()
    (corpus / "notes.docx").unlink()
    (corpus / "feed.jsonl").write_text(
        (corpus / "feed.jsonl").read_text(encoding="utf-8").replace("{broken\n", ""), encoding="utf-8"
    )
    third = run_cli("ingest", str(corpus), "--db", "kb.duckdb", "--quiet")
    assert third.returncode == 0, third.stderr
    con = duckdb.connect(str(tmp_path / "kb.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    text = con.execute("SELECT text FROM documents WHERE title LIKE 'Gunmen%'").fetchone()
    assert text is not None and "three officers" in text[0]
    con.close()


def test_entities_are_canonical_with_spans(run_cli: RunCli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    proc = run_cli("extract", str(corpus / "one.txt"), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    (doc,) = [json.loads(line) for line in proc.stdout.splitlines()]
    text = doc["text"]
    assert doc["title"] == "Gunmen attack checkpoint in Dagestan"
    assert doc["published"] == "2024-03-04"
    assert doc["authors"] == ["Marta Kowalczyk"]
    for entity in doc["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"]
    by_name = {e["name"]: e for e in doc["entities"]}
    isis = [e for e in doc["entities"] if {"Islamic State", "ISIS"} & {m["text"] for m in e["mentions"]}]
    assert len(isis) == 1, "aliases of one group must be one entity"
    assert {m["text"] for m in isis[0]["mentions"]} == {"Islamic State", "ISIS"}
    samsonov = by_name["Viktor Samsonov"]
    assert samsonov["type"] == "PERSON"
    assert [m["text"] for m in samsonov["mentions"]] == ["Viktor Samsonov", "Samsonov"]


def test_extract_reads_stdin_and_no_text_omits_text(run_cli: RunCli) -> None:
    proc = run_cli("extract", "-", "--no-text", input="NATO and Russia held talks in Brussels.\n")
    assert proc.returncode == 0, proc.stderr
    (doc,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert "text" not in doc
    assert doc["source"].startswith("stdin:")
    assert {
        "doc_id",
        "source",
        "title",
        "authors",
        "published",
        "language",
        "entities",
        "events",
        "quotes",
    } <= set(doc)


def test_query_and_info(run_cli: RunCli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    run_cli("ingest", str(corpus), "--db", "kb.duckdb", "--quiet")
    proc = run_cli("query", "entities", "--db", "kb.duckdb", "--type", "GPE", "--format", "json", check=True)
    ids = {row["entity_id"] for row in json.loads(proc.stdout)}
    assert {"AZE", "TUR"} <= ids
    proc = run_cli(
        "query", "documents", "--db", "kb.duckdb", "--entity", "IRN", "--format", "csv", check=True
    )
    lines = proc.stdout.strip().splitlines()
    assert (
        lines[0].startswith("doc_id,title,published")
        and len(lines) == 2
        and "Iran accuses Israel" in lines[1]
    )
    proc = run_cli("query", "documents", "--db", "kb.duckdb", "--since", "2023-01-01", check=True)
    assert "Gunmen attack" in proc.stdout and "Almaty" not in proc.stdout
    info = json.loads(run_cli("info", "--db", "kb.duckdb", "--json", check=True).stdout)
    assert info["model"]["version"] == "3.8.0"
    assert info["store"]["documents"] == 5
    missing = run_cli("query", "events", "--db", "absent.duckdb")
    assert missing.returncode == 2 and "no store at absent.duckdb" in missing.stderr


def test_check_passes_on_a_fresh_store_and_finds_corruption(run_cli: RunCli, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    run_cli("ingest", str(corpus), "--db", "kb.duckdb", "--quiet")
    ok = run_cli("check", "--db", "kb.duckdb")
    assert ok.returncode == 0, ok.stderr
    assert "0 problems" in ok.stdout
    con = duckdb.connect(str(tmp_path / "kb.duckdb"))
    con.execute(
        "UPDATE mentions SET start_char = start_char + 1 WHERE rowid IN (SELECT rowid FROM mentions LIMIT 1)"
    )
    con.execute("INSERT INTO sentences VALUES ('no-such-doc', 0, 0, 1)")
    con.close()
    bad = run_cli("check", "--db", "kb.duckdb")
    assert bad.returncode == 1
    assert "does not match the text" in bad.stderr
    assert "sentences whose doc_id is not in documents" in bad.stderr
