"""A store written by an earlier schema is migrated in place and keeps its data."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from newsgraph.store.db import Store
from newsgraph.store.schema import SCHEMA_VERSION

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
