"""Stance from PLOVER scores and from the words of quotes, and its aggregation per pair."""

from __future__ import annotations

from pathlib import Path

from newsgraph.analysis.stance import stance_pairs
from newsgraph.extract.stance import event_stance, label, quote_stance
from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.store.db import Store


def test_labels_follow_the_score() -> None:
    assert [label(-0.9), label(0.0), label(0.5)] == ["hostile", "neutral", "friendly"]


def test_event_stance_uses_plover_score_and_damps_hypotheticals() -> None:
    threat = {"intensity": -3.5, "source_actors": ["RUS/GOV"], "target_actors": ["AZE/GOV"]}
    (s,) = event_stance(threat)
    assert (s["source"], s["target"], s["label"], s["score"]) == ("RUS/GOV", "AZE/GOV", "hostile", -0.35)
    (h,) = event_stance({**threat, "hypothetical": True})
    assert h["score"] == -0.175
    (n,) = event_stance({**threat, "negated": True})
    assert n["label"] == "neutral"
    aid = {"intensity": 10, "source_actors": ["TUR"], "target_actors": ["AZE"]}
    assert event_stance(aid)[0]["label"] == "friendly"


def _ent(eid: str, name: str, kind: str, country: str | None, start: int) -> Entity:
    return Entity(
        id=eid,
        name=name,
        type="GPE",
        kind=kind,
        country=country,
        mentions=[Mention(name, start, start + len(name), 0, "GPE", "test", 0.9)],
    )


def test_quote_stance_targets_actors_named_inside_the_quote() -> None:
    text = 'Aliyeva said: "Armenia is an aggressor and its provocations are unacceptable."'
    start = text.index("Armenia")
    speaker = Entity(
        id="person:aliyeva",
        name="Aliyeva",
        type="PERSON",
        kind="person",
        country="AZE",
        mentions=[Mention("Aliyeva", 0, 7, 0, "PERSON", "test", 0.9)],
    )
    armenia = _ent("ARM", "Armenia", "state", "ARM", start)
    quote = {"speaker": "person:aliyeva", "start": start, "end": len(text) - 2, "text": text[start:-2]}
    (s,) = quote_stance(quote, text, [speaker, armenia])
    assert s["target"] == "ARM" and s["label"] == "hostile"


def test_pairs_are_aggregated_over_events_and_quotes(tmp_path: Path) -> None:
    doc = Document(doc_id="d", source="/x", content_hash="h", text="Moscow warned Baku.")
    ents = [
        _ent("RUS/GOV", "Moscow", "government", "RUS", 0),
        _ent("AZE/GOV", "Baku", "government", "AZE", 14),
    ]
    stance = [{"source": "RUS/GOV", "target": "AZE/GOV", "label": "hostile", "score": -0.35}]
    event = {
        "id": "ev_1",
        "type": "THREATEN",
        "stance": stance,
        "source_actors": ["RUS/GOV"],
        "target_actors": ["AZE/GOV"],
    }
    quote = {"id": "q-0-5", "speaker": "RUS/GOV", "text": "Moscow", "start": 0, "end": 6, "stance": stance}
    x = DocumentExtraction(
        document=doc, sentences=[Sentence(0, 19)], entities=ents, events=[event], quotes=[quote]
    )
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([x], "test")
        (row,) = stance_pairs(store)
        assert (row["source"], row["target"], row["items"], row["hostile"]) == ("RUS/GOV", "AZE/GOV", 2, 2)
        assert row["from_events"] == 1 and row["from_quotes"] == 1
