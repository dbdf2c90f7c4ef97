"""Corrections survive re-extraction: they are applied on read by stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.store.corrections import CorrectionError, add_correction
from newsgraph.store.db import Store


def _extraction(killed: int, text: str = "Gunmen killed 3 people in Nazran.") -> DocumentExtraction:
    doc = Document(doc_id="d1", source="/c/d1.txt", content_hash=f"h{killed}", text=text)
    ents = [
        Entity(
            id="generic:gunmen",
            name="gunmen",
            type="GENERIC",
            kind="generic",
            mentions=[Mention("Gunmen", 0, 6, 0, "GENERIC", "lexicon", 0.6)],
        ),
        Entity(
            id="gpe:nazran",
            name="Nazran",
            type="GPE",
            kind="place",
            mentions=[Mention("Nazran", 25, 31, 0, "GPE", "ner", 0.75)],
        ),
    ]
    event = {
        "id": "ev_1",
        "type": "ASSAULT",
        "mode": "firearms",
        "casualties": {"killed": {"min": killed}},
        "source_actors": ["generic:gunmen"],
        "target_actors": [],
        "location": {"name": "Nazran"},
    }
    return DocumentExtraction(document=doc, sentences=[Sentence(0, len(text))], entities=ents, events=[event])


def test_edit_and_reject_survive_rewrites(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction(3)], "test")
        add_correction(store, "event", "ev_1", "edit", "analyst", field="killed", value=4)
        store.write_batch([_extraction(2)], "test")  # re-extraction of a changed file
        (row,) = store.query("SELECT killed, review_status FROM events_current")
        assert row == {"killed": 4, "review_status": "extracted"}
        add_correction(store, "event", "ev_1", "reject", "analyst", note="not an attack")
        store.write_batch([_extraction(5)], "test")
        assert store.query("SELECT * FROM events_current") == []
        add_correction(store, "event", "ev_1", "restore", "analyst")
        assert store.query("SELECT killed FROM events_current") == [{"killed": 4}]


def test_entity_merge_rewrites_actor_ids_on_read(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction(3)], "test")
        add_correction(store, "entity", "generic:gunmen", "merge", "analyst", value="gpe:nazran")
        assert store.query("SELECT entity_id FROM event_actors_current") == [{"entity_id": "gpe:nazran"}]
        add_correction(store, "entity", "generic:gunmen", "unmerge", "analyst")
        assert store.query("SELECT entity_id FROM event_actors_current") == [{"entity_id": "generic:gunmen"}]


def test_bad_corrections_are_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction(3)], "test")
        with pytest.raises(CorrectionError):
            add_correction(store, "event", "ev_missing", "reject", "analyst")
        with pytest.raises(CorrectionError):
            add_correction(store, "event", "ev_1", "edit", "analyst", field="text", value="x")
        with pytest.raises(CorrectionError):
            add_correction(store, "event", "ev_1", "reject", "  ")


def test_queries_read_through_corrections(tmp_path: Path) -> None:
    from newsgraph.store.queries import EventFilter, events

    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction(3)], "test")
        add_correction(store, "event", "ev_1", "edit", "analyst", field="killed", value=7)
        (row,) = events(store, EventFilter())
        assert row["killed"] == 7
        add_correction(store, "event", "ev_1", "reject", "analyst")
        assert events(store, EventFilter()) == []
