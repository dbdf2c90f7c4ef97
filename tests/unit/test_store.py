from pathlib import Path

import duckdb
import pytest

from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.store.db import Store, StoreError
from newsgraph.store.memory import MemoryLimit, parse_size
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


def _limit(store: Store, setting: str = "memory_limit") -> str:
    row = store.con.execute(f"SELECT current_setting('{setting}')").fetchone()
    assert row is not None
    return str(row[0])


def test_batches_are_written_under_the_lower_write_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSGRAPH_DUCKDB_MEMORY", "600MB")
    monkeypatch.setenv("NEWSGRAPH_DUCKDB_WRITE_MEMORY", "100MB")
    with Store(tmp_path / "kb.duckdb") as store:
        assert _limit(store) == "572.2 MiB"  # DuckDB shows MiB
        with store.memory.writing():
            assert _limit(store) == "95.3 MiB"
            store.write_batch([_extraction("d1", "Officials in Baku said so.")], "test")
        assert _limit(store) == "572.2 MiB"
        assert store.stats()["documents"] == 1


def test_a_batch_that_runs_out_of_memory_is_written_again_with_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Primary-key indexes cannot be evicted: a write limit below them must not fail an ingest."""
    monkeypatch.setenv("NEWSGRAPH_DUCKDB_WRITE_MEMORY", "64KB")
    raised: list[int] = []
    real = MemoryLimit.raise_after

    def spy(self: MemoryLimit, exc: BaseException) -> bool:
        again = real(self, exc)
        raised.append(self.lowered or 0)
        return again

    monkeypatch.setattr(MemoryLimit, "raise_after", spy)
    big = [_extraction(f"d{i}", f"Officials in Baku said so {i}." + " More words." * 200) for i in range(300)]
    with Store(tmp_path / "kb.duckdb") as store, store.memory.writing():
        store.write_batch(big, "test")
        assert raised and raised == sorted(raised)  # doubled until the batch fit
        assert store.stats()["documents"] == 300  # each document once: failed tries left nothing
    with Store(tmp_path / "kb.duckdb") as store:
        assert store.stats()["documents"] == 300 and _limit(store) == "953.6 MiB"


def _wal_bytes(store: Store) -> int:
    wal = store.path.with_name(store.path.name + ".wal")
    return wal.stat().st_size if wal.exists() else 0


def test_an_ingest_checkpoints_once_after_its_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkpoint between batches rewrites what they appended, on top of the workers' memory."""
    monkeypatch.setenv("NEWSGRAPH_INGEST_CHECKPOINT", "64MB")
    batch = [
        _extraction(f"d{i}", f"Officials in Baku said so {i}." + " More words." * 200) for i in range(300)
    ]
    with Store(tmp_path / "kb.duckdb") as store:
        store.con.execute("SET checkpoint_threshold = '64KB'")  # DuckDB's own, made small
        with store.memory.writing():
            assert _limit(store, "checkpoint_threshold") == "61.0 MiB"
            store.write_batch(batch, "test")
            logged = _wal_bytes(store)
            assert logged > 64_000  # committed to the log, not checkpointed
        assert _limit(store, "checkpoint_threshold") == "62.5 KiB"
        store.checkpoint()
        assert _wal_bytes(store) < logged // 10
        assert store.stats()["documents"] == 300
        # outside an ingest DuckDB's threshold applies again: a write this large checkpoints on commit
        store.write_batch([_extraction(f"e{i}", x.document.text) for i, x in enumerate(batch)], "test")
        assert _wal_bytes(store) < logged // 10


def test_an_ingest_writes_with_one_duckdb_thread(tmp_path: Path) -> None:
    """DuckDB's idle worker threads trim the whole process's heap, spaCy's arrays included."""
    with Store(tmp_path / "kb.duckdb") as store:
        store.con.execute("SET threads = 2")
        with store.memory.writing():
            assert _limit(store, "threads") == "1"
            store.write_batch([_extraction("d1", "Officials in Baku said so.")], "test")
        assert _limit(store, "threads") == "2"
        assert store.stats()["documents"] == 1


@pytest.mark.parametrize(
    "name", ["NEWSGRAPH_DUCKDB_MEMORY", "NEWSGRAPH_DUCKDB_WRITE_MEMORY", "NEWSGRAPH_INGEST_CHECKPOINT"]
)
@pytest.mark.parametrize("value", ["lots", "1GB'; DROP TABLE documents; --", "12 parsecs"])
def test_a_bad_memory_setting_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(StoreError, match=f"{name}: not a memory size"):
        Store(tmp_path / "kb.duckdb")


@pytest.mark.parametrize(
    ("text", "size"), [("512MB", 512 * 10**6), ("1.5GiB", 3 * 2**29), ("100", 100), ("2 kb", 2000)]
)
def test_sizes_read_as_duckdb_reads_them(text: str, size: int) -> None:
    assert parse_size(text) == size
