"""A store written by an earlier schema is migrated in place and keeps its data."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb

from conftest import RunCli
from newsgraph.store.db import Store
from newsgraph.store.schema import MIGRATIONS, SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"


def _copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name.removesuffix(".gz")
    with gzip.open(FIXTURES / name, "rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return target


def test_first_released_schema_is_migrated_in_place(tmp_path: Path) -> None:
    path = _copy_fixture("schema-v1.duckdb.gz", tmp_path)
    with Store(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        (doc,) = store.query("SELECT title, published FROM documents")
        assert doc["title"] == "Gunmen attack checkpoint in Dagestan"
        assert str(doc["published"]) == "2024-03-04"
        columns = {
            r["column_name"]
            for r in store.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'entities'"
            )
        }
        assert {"affiliation", "sector"} <= columns
        mentions = store.query(
            "SELECT m.text, m.start_char, m.end_char, d.text AS doc FROM mentions m "
            "JOIN documents d USING (doc_id)"
        )
        assert mentions and all(r["doc"][r["start_char"] : r["end_char"]] == r["text"] for r in mentions)
    with Store(path, read_only=True) as store:  # reopening finds nothing left to do
        assert store.schema_version() == SCHEMA_VERSION


def _shape(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Every table's and view's columns with their types, by name."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    shape: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        shape.setdefault(table, []).append((column, kind))
    return shape


def test_each_later_migration_applies_to_the_first_released_store_in_turn(tmp_path: Path) -> None:
    path = _copy_fixture("schema-v1.duckdb.gz", tmp_path)
    with duckdb.connect(str(path)) as con:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert row == ("1",)
        docs_before = con.execute("SELECT count(*) FROM documents").fetchone()
        for version in range(2, SCHEMA_VERSION + 1):
            con.execute("BEGIN TRANSACTION")
            con.execute(MIGRATIONS[version - 1])  # raises if migration N does not apply to N-1
            con.execute("COMMIT")
            assert con.execute("SELECT count(*) FROM documents").fetchone() == docs_before, version
    assert len(MIGRATIONS) == SCHEMA_VERSION >= 2


def test_a_migrated_store_has_the_same_schema_as_a_new_one(tmp_path: Path) -> None:
    migrated = _copy_fixture("schema-v1.duckdb.gz", tmp_path)
    with Store(migrated):
        pass
    with Store(tmp_path / "fresh.duckdb"):
        pass
    with (
        duckdb.connect(str(migrated), read_only=True) as old,
        duckdb.connect(str(tmp_path / "fresh.duckdb"), read_only=True) as new,
    ):
        assert _shape(old) == _shape(new)
        assert (
            old.execute("SELECT * FROM meta ORDER BY key").fetchall()
            == new.execute("SELECT * FROM meta ORDER BY key").fetchall()
        )


def test_newsgraph_check_passes_on_the_migrated_store(run_cli: RunCli, tmp_path: Path) -> None:
    path = _copy_fixture("schema-v1.duckdb.gz", tmp_path)
    proc = run_cli("check", "--db", str(path))  # check opens the store read-write: it migrates first
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 documents" in proc.stdout and " 0 problems" in proc.stdout
    info = run_cli("info", "--db", str(path), "--json", check=True)
    assert f'"schema_version": {SCHEMA_VERSION}' in info.stdout
