from pathlib import Path

import duckdb
import pytest

from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.store.db import Store, StoreError
from newsgraph.store.schema import SCHEMA_VERSION


def _extraction(doc_id: str, text: str, source: str | None = None, digest: str = "h1") -> DocumentExtraction:
    doc = Document(
        doc_id=doc_id,
        source=source or f"/corpus/{doc_id}.txt",
        content_hash=digest,
        text=text,
        title="T",
        authors=("A",),
        published="2024-01-02",
    )
    start = text.index("Baku")
    ent = Entity(
        id="AZE",
        name="Azerbaijan",
        type="GPE",
        kind="state",
        country="AZE",
        mentions=[Mention("Baku", start, start + 4, 0, "GPE", "ruler:actors", 0.95)],
    )
    return DocumentExtraction(document=doc, sentences=[Sentence(0, len(text))], entities=[ent])


def test_new_store_gets_the_current_schema(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.stats()["documents"] == 0


def test_write_then_status_reflects_content_hash(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        x = _extraction("d1", "Officials in Baku said so.")
        assert store.status_of(x.document.source, "h1") == "new"
        store.write_batch([x], "test")
        assert store.status_of(x.document.source, "h1") == "unchanged"
        assert store.status_of(x.document.source, "h2") == "updated"
        assert store.status_of("/elsewhere/copy.txt", "h1") == "duplicate"


def test_rewriting_a_document_replaces_its_rows(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction("d1", "Officials in Baku said so.")], "test")
        store.write_batch([_extraction("d1", "Later, Baku denied it.", digest="h2")], "test")
        assert store.stats()["documents"] == 1
        assert store.stats()["mentions"] == 1
        (row,) = store.query("SELECT text, start_char FROM mentions")
        assert row == {"text": "Baku", "start_char": 7}


def test_a_failing_batch_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction("d1", "Officials in Baku said so.")], "test")
        bad = _extraction("d2", "Baku again.")
        bad.entities[0].mentions[0].start = None  # type: ignore[assignment]  # violates NOT NULL
        with pytest.raises(duckdb.Error):
            store.write_batch([_extraction("d3", "Baku third."), bad], "test")
        assert [r["doc_id"] for r in store.query("SELECT doc_id FROM documents")] == ["d1"]


def test_store_from_a_newer_newsgraph_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kb.duckdb"
    with Store(path) as store:
        store.con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer than this newsgraph"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("just some notes, not a database\n" * 100)
    with pytest.raises(StoreError):
        Store(path)
