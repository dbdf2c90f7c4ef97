"""The date-ordered read copies of the correction views (store/facts.py) and the queries that use them.

Every fast path is compared with a straightforward reference over the views
themselves (`events_current`, `event_actors_current`: the SQL the analyses ran
before the copies existed) on a small generated store, after ingest, after each
kind of correction, after re-ingesting changed and unchanged documents, after
event linking, and across the rebuild that re-sorts the copies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import random
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.analysis.dyads import dyads
from newsgraph.analysis.interactions import Interaction, from_rows, interactions
from newsgraph.analysis.periods import Period, bucket, sort_key
from newsgraph.analysis.select import EVENT_COLUMNS, selected_events_sql
from newsgraph.analysis.timeline import timeline
from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.pipeline import IngestOptions, ingest
from newsgraph.sample import sample_inputs
from newsgraph.server.documents import document_events
from newsgraph.server.events import attach_actors
from newsgraph.store import facts
from newsgraph.store.check import check_store
from newsgraph.store.corrections import add_correction
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter, event_conditions, events

dyads_module = importlib.import_module("newsgraph.analysis.dyads")  # the package exports the function
ENTITIES = {
    "IRN": ("Iran", "GPE", "state", "IRN"),
    "IRN/GOV": ("Government of Iran", "ORG", "government", "IRN"),
    "AZE": ("Azerbaijan", "GPE", "state", "AZE"),
    "AZE/GOV": ("Government of Azerbaijan", "ORG", "government", "AZE"),
    "AZE/MIL": ("Azerbaijani Army", "ORG", "military", "AZE"),
    "RUS": ("Russia", "GPE", "state", "RUS"),
    "person:aliyev": ("Ilham Aliyev", "PERSON", "person", "AZE"),
    "person:raisi": ("Ebrahim Raisi", "PERSON", "person", "IRN"),
    "Q2429253": ("Islamic State", "ORG", "armed_group", None),
}
TYPES = ["AGREE", "CONSULT", "ACCUSE", "THREATEN", "ASSAULT", "COERCE", "PROTEST"]
PRECISIONS = ["day"] * 6 + ["month", "quarter", "year", "week", None]


def _date(rng: random.Random) -> dict[str, Any] | None:
    if rng.random() < 0.06:
        return None
    start = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(900))
    precision = rng.choice(PRECISIONS)
    end = start
    if precision == "month":
        start = start.replace(day=1)
        end = start + dt.timedelta(days=27)
    elif precision == "quarter":
        start = start.replace(day=1)
        end = start + dt.timedelta(days=80)  # may span two months and two quarters
    elif precision == "year":
        start, end = dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)
    elif precision == "week":
        end = start + dt.timedelta(days=6)
    return {"start": start.isoformat(), "end": end.isoformat(), "precision": precision}


def _event(rng: random.Random, eid: str) -> dict[str, Any]:
    actors = [*ENTITIES, "UNKNOWN/ACTOR"]  # an id the entities table does not hold
    src = rng.sample(actors, rng.choice([0, 1, 1, 2]))
    tgt = rng.sample(actors, rng.choice([0, 1, 1, 2]))
    killed = rng.choice([None, None, 0, 1, 3, 12])
    return {
        "id": eid,
        "type": rng.choice(TYPES),
        "mode": rng.choice([None, None, "explosives", "firearms"]),
        "source_actors": src,
        "target_actors": tgt,
        "source_codes": [a if "/" in a or a.isupper() else "" for a in src],
        "target_codes": [a if "/" in a or a.isupper() else "" for a in tgt],
        "intensity": rng.choice([None, -5.0, 3.0]),
        "date": _date(rng),
        "location": {"name": "Baku", "country": rng.choice(["AZE", "IRN"]), "lat": 40.4, "lon": 49.9},
        "casualties": {"killed": {"min": killed, "max": killed} if killed is not None else None},
        "negated": rng.random() < 0.08,
        "hypothetical": rng.random() < 0.08,
        "historical": False,
        "evidence": [{"start": 0, "end": 20, "sentence": 0}],
        "confidence": 0.7,
    }


def _doc(doc_id: str, evs: list[dict[str, Any]], version: str = "1") -> DocumentExtraction:
    text = f"Report {doc_id} version {version}: what happened and who said it. " * 3
    ids = sorted({a for e in evs for a in e["source_actors"] + e["target_actors"]} - {"UNKNOWN/ACTOR"})
    ents = [
        Entity(
            id=i,
            name=ENTITIES[i][0],
            type=ENTITIES[i][1],
            kind=ENTITIES[i][2],
            country=ENTITIES[i][3],
            mentions=[Mention(text[0:6], 0, 6, 0, ENTITIES[i][1], "ruler:actors", 0.9)],
        )
        for i in ids
    ]
    return DocumentExtraction(
        document=Document(
            doc_id=doc_id,
            source=f"/c/{doc_id}.txt",
            content_hash=f"h-{doc_id}-{version}",
            text=text,
            published="2024-01-01",
        ),
        sentences=[Sentence(0, len(text))],
        entities=ents,
        events=evs,
    )


def _corpus(seed: int, n_docs: int = 40, version: str = "1") -> list[DocumentExtraction]:
    rng = random.Random(seed)
    return [
        _doc(f"d{i:02d}", [_event(rng, f"ev_d{i:02d}_{k}") for k in range(rng.randint(0, 7))], version)
        for i in range(n_docs)
    ]


# -- references: the queries as they read the views before the copies existed -------------------


def _ref_where(f: EventFilter, occurred_only: bool) -> tuple[str, list[Any]]:
    where, params = ["1=1"], []
    if occurred_only:
        where.append("NOT coalesce(ev.negated, false) AND NOT coalesce(ev.hypothetical, false)")
    for column, value in (("ev.type", f.type), ("ev.mode", f.mode), ("ev.country", f.country)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper() if column != "ev.mode" else value)
    if f.actor:
        where.append(
            "ev.event_id IN (SELECT ea.event_id FROM event_actors_current ea "
            "LEFT JOIN entities en ON en.entity_id = ea.entity_id "
            "WHERE ea.entity_id = ? OR ea.entity_id LIKE ? OR en.country = ? OR en.name ILIKE ?)"
        )
        params += [f.actor, f"{f.actor.upper()}/%", f.actor.upper(), f.actor]
    if f.since:
        where.append("ev.date_start >= CAST(? AS DATE)")
        params.append(f.since)
    if f.until:
        where.append("ev.date_start <= CAST(? AS DATE)")
        params.append(f.until)
    if f.text:
        where.append("CAST(ev.data AS VARCHAR) ILIKE ?")
        params.append(f"%{f.text}%")
    extra, extra_params = event_conditions(f)
    return " AND ".join(where + extra), params + extra_params


def _ref_selected_sql(
    f: EventFilter, occurred_only: bool = True, one_per_incident: bool = True, columns: str = EVENT_COLUMNS
) -> tuple[str, list[Any]]:
    where, params = _ref_where(f, occurred_only)
    if not one_per_incident:
        return f"SELECT {columns} FROM events_current ev WHERE {where}", params
    ranked = f"""
        SELECT ev.*, row_number() OVER (
            PARTITION BY coalesce(l.canonical_id, ev.event_id)
            ORDER BY ev.event_id = coalesce(l.canonical_id, ev.event_id) DESC, ev.event_id
        ) AS _rank
        FROM events_current ev LEFT JOIN event_links l ON l.event_id = ev.event_id
        WHERE {where}"""
    return f"SELECT {columns} FROM ({ranked}) WHERE _rank = 1", params


def _ref_events(store: Store, f: EventFilter) -> list[dict[str, Any]]:
    where, params = ["1=1"], []
    for column, value in (("ev.type", f.type), ("ev.mode", f.mode), ("ev.country", f.country)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper() if column != "ev.mode" else value)
    if f.actor:
        where.append(
            "ev.event_id IN (SELECT ea.event_id FROM event_actors_current ea "
            "JOIN entities en USING (entity_id) WHERE ea.entity_id = ? OR en.country = ? OR en.name ILIKE ?)"
        )
        params += [f.actor, f.actor.upper(), f.actor]
    if f.since:
        where.append("ev.date_start >= CAST(? AS DATE)")
        params.append(f.since)
    if f.until:
        where.append("ev.date_start <= CAST(? AS DATE)")
        params.append(f.until)
    if f.text:
        where.append("CAST(ev.data AS VARCHAR) ILIKE ?")
        params.append(f"%{f.text}%")
    extra, extra_params = event_conditions(f)
    sql = f"""
        SELECT ev.event_id, ev.doc_id, ev.type, ev.mode, ev.date_start, ev.date_precision, ev.location,
               ev.country, ev.killed, ev.injured, ev.confidence, ev.review_status
        FROM events_current ev WHERE {" AND ".join(where + extra)}
        ORDER BY ev.date_start DESC NULLS LAST, ev.event_id LIMIT ? OFFSET ?"""
    return store.query(sql, [*params, *extra_params, f.limit, f.offset])


def _ref_interaction_rows(store: Store, f: EventFilter | None, occurred_only: bool) -> list[dict[str, Any]]:
    events_sql, params = _ref_selected_sql(
        f or EventFilter(),
        occurred_only,
        columns="event_id, doc_id, type, mode, date_start, date_end, date_precision, data",
    )
    return store.query(
        f"""
        SELECT ev.*,
            list(DISTINCT ea.entity_id ORDER BY ea.entity_id) FILTER (WHERE ea.role = 'source') AS sources,
            list(DISTINCT ea.entity_id ORDER BY ea.entity_id) FILTER (WHERE ea.role = 'target') AS targets
        FROM ({events_sql}) ev JOIN event_actors_current ea USING (event_id)
        GROUP BY ALL ORDER BY ev.date_start NULLS LAST, ev.event_id""",
        params,
    )


def _ref_timeline(
    store: Store, interval: str, f: EventFilter | None, occurred_only: bool = True
) -> list[dict[str, Any]]:
    sql, params = _ref_selected_sql(
        f or EventFilter(),
        occurred_only,
        columns="type, date_start, date_end, date_precision, killed, injured",
    )
    acc: dict[Period, dict[str, Any]] = {}
    for row in store.query(sql, params):
        p = bucket(row["date_start"], row["date_end"], row["date_precision"], interval)
        slot = acc.setdefault(p, {"types": Counter(), "killed": 0, "injured": 0})
        slot["types"][row["type"]] += 1
        slot["killed"] += row["killed"] or 0
        slot["injured"] += row["injured"] or 0
    return [
        {
            "period": p.label,
            "start": p.start,
            "end": p.end,
            "precision": p.precision,
            "coarse": p.coarse,
            "events": sum(slot["types"].values()),
            "by_type": dict(sorted(slot["types"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "killed": slot["killed"],
            "injured": slot["injured"],
        }
        for p, slot in sorted(acc.items(), key=lambda kv: sort_key(kv[0]))
    ]


# -- comparing ---------------------------------------------------------------------------------

FILTERS = [
    EventFilter(),
    EventFilter(actor="IRN"),
    EventFilter(actor="irn"),
    EventFilter(actor="AZE", since="2022-06-01", until="2023-03-31"),
    EventFilter(actor="AZE/GOV", since="2023-01-01"),
    EventFilter(actor="Iran", until="2023-01-15"),
    EventFilter(actor="%state%"),
    EventFilter(actor="person:aliyev", since="2022-01-01", until="2024-12-31"),
    EventFilter(actor="UNKNOWN/ACTOR"),
    EventFilter(actor="UNKNOWN"),
    EventFilter(actor="nobody"),
    EventFilter(since="2022-03-01", until="2022-05-31"),
    EventFilter(type="assault", country="aze", since="2022-01-01"),
    EventFilter(mode="explosives", actor="AZE"),
    EventFilter(min_casualties=3, actor="IRN", since="2022-01-01", until="2023-12-31"),
    EventFilter(status="confirm"),
    EventFilter(status="extracted", actor="RUS"),
    EventFilter(doc_id="d03"),
    EventFilter(text="explosives", since="2022-01-01"),
]


def _key(row: dict[str, Any]) -> str:
    return repr(sorted(row.items()))


def _same_rows(fast: list[dict[str, Any]], ref: list[dict[str, Any]]) -> None:
    assert sorted(map(_key, fast)) == sorted(map(_key, ref))


def _replay(store: Store, rows: list[dict[str, Any]]) -> Callable[..., Iterator[Interaction]]:
    """A stand-in for `interactions` that yields those of the reference's rows."""
    return lambda *args, **kwargs: from_rows(store, rows)


def assert_fast_paths_match(store: Store) -> None:
    """Every query that reads the copies returns what the reference over the views returns."""
    assert facts.drift(store.con) == {"event_facts": 0, "event_actor_facts": 0}
    for f in FILTERS:
        for occurred in (True, False):
            for one in (True, False):
                sql, params = selected_events_sql(f, occurred_only=occurred, one_per_incident=one)
                ref_sql, ref_params = _ref_selected_sql(f, occurred, one)
                _same_rows(store.query(sql, params), store.query(ref_sql, ref_params))
        for limit, offset in ((50, 0), (3, 2)):
            page = dataclasses.replace(f, limit=limit, offset=offset)
            assert events(store, page) == _ref_events(store, page), f
        for occurred in (True, False):
            for interval in ("day", "month", "year"):
                assert timeline(store, interval=interval, filters=f, occurred_only=occurred) == _ref_timeline(
                    store, interval, f, occurred
                ), (f, interval)
            fast_rows = list(interactions(store, f, occurred_only=occurred))
            assert fast_rows == list(from_rows(store, _ref_interaction_rows(store, f, occurred))), f
        ref_rows = _ref_interaction_rows(store, f, True)
        for interval in ("month", "year"):
            fast = dyads(store, interval=interval, filters=f)
            with pytest.MonkeyPatch.context() as mp:  # dyads counted over the reference's interactions
                mp.setattr(dyads_module, "interactions", _replay(store, ref_rows))
                assert fast == dyads(store, interval=interval, filters=f), (f, interval)
    for doc in store.query("SELECT doc_id FROM documents ORDER BY doc_id"):
        fast_doc = document_events(store, doc["doc_id"])
        ref_doc = [{k: v for k, v in r.items() if k not in ("sources", "targets")} for r in fast_doc]
        attach_actors(store, ref_doc)  # by event id, from all of event_actors
        assert fast_doc == ref_doc


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "kb.duckdb") as s:
        s.write_batch(_corpus(1), "test")
        yield s


def _event_ids(store: Store) -> list[str]:
    return [r["event_id"] for r in store.query("SELECT event_id FROM events ORDER BY event_id")]


def test_fast_paths_match_the_views_after_ingest(store: Store) -> None:
    assert store.query("SELECT count(*) AS n FROM event_facts")[0]["n"] > 100
    assert_fast_paths_match(store)


def test_fast_paths_match_after_corrections(store: Store) -> None:
    ids = _event_ids(store)
    rng = random.Random(5)
    for eid in rng.sample(ids, 12):  # dates moved into and out of every range, across years
        add_correction(
            store,
            "event",
            eid,
            "edit",
            "a",
            field="date_start",
            value=rng.choice(["2021-12-31", "2023-02-14", "2024-06-30"]),
        )
    add_correction(store, "event", ids[0], "edit", "a", field="date_start", value="not a date")
    for eid in rng.sample(ids, 6):
        add_correction(store, "event", eid, "edit", "a", field="type", value="PROTEST")
    for eid in rng.sample(ids, 4):
        add_correction(store, "event", eid, "edit", "a", field="country", value="RUS")
    for eid in rng.sample(ids, 4):
        add_correction(store, "event", eid, "edit", "a", field="killed", value=40)
    for eid in rng.sample(ids, 4):
        add_correction(store, "event", eid, "edit", "a", field="date_precision", value="year")
    rejected = rng.sample(ids, 8)
    for eid in rejected:
        add_correction(store, "event", eid, "reject", "a")
    add_correction(store, "event", rejected[0], "restore", "a")
    for eid in rng.sample(ids, 5):
        add_correction(store, "event", eid, "confirm", "a")
    add_correction(store, "entity", "AZE/GOV", "merge", "a", value="AZE")
    add_correction(store, "entity", "person:raisi", "merge", "a", value="RUS")
    add_correction(store, "entity", "person:raisi", "unmerge", "a")
    add_correction(store, "entity", "Q2429253", "merge", "a", value="IRN/GOV")
    assert_fast_paths_match(store)


def test_fast_paths_match_after_reingest_and_force(store: Store) -> None:
    ids = _event_ids(store)
    add_correction(store, "event", ids[3], "edit", "a", field="date_start", value="2022-02-02")
    add_correction(store, "event", ids[4], "reject", "a")
    changed = _corpus(1)[:10]  # the same events (ids kept, corrections re-apply) ...
    for x in changed[:5]:  # ... some replaced by new ones
        x.events[:] = [
            _event(random.Random(x.document.doc_id), f"{x.document.doc_id}_new{k}") for k in range(3)
        ]
    updated = [_doc(x.document.doc_id, x.events, version="2") for x in changed]
    assert store.statuses([(x.document.source, x.document.content_hash) for x in updated]) == ["updated"] * 10
    store.write_batch(updated, "test")
    assert_fast_paths_match(store)
    store.write_batch(updated[:3], "test")  # `ingest --force`: unchanged documents written again
    store.write_batch([_doc("new1", [_event(random.Random(9), "ev_new1")])], "test")  # a new document
    assert_fast_paths_match(store)


def test_fast_paths_match_after_linking(store: Store) -> None:
    ids = _event_ids(store)
    rows = [(e, e) for e in ids]
    for group in (ids[0:3], ids[10:12], ids[20:25]):
        rows = [(e, group[1] if e in group else c) for e, c in rows]  # canonical inside the group
    rows.append(("ev_gone", ids[30]))  # a link row whose event no longer exists
    store.con.executemany("INSERT INTO event_links VALUES (?, ?, 0.9, NULL)", rows)
    add_correction(store, "event", ids[11], "reject", "a")  # a canonical event rejected
    assert_fast_paths_match(store)


def test_rebuilding_in_date_order_keeps_the_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(facts, "RESORT_MIN_ROWS", 1)
    before = store.query("SELECT * FROM event_facts ORDER BY event_id")
    store.write_batch(_corpus(3, n_docs=12, version="4"), "test")  # updates d00..d11: a quarter appended
    assert store.query("SELECT value FROM meta WHERE key = 'facts_unsorted'")[0]["value"] != "0"
    assert store.sort_facts() is True  # what a writer does when its run ends
    assert store.query("SELECT value FROM meta WHERE key = 'facts_unsorted'")[0]["value"] == "0"
    assert store.sort_facts() is False  # nothing appended since
    dates = [r["date_start"] for r in store.query("SELECT date_start FROM event_facts")]
    assert dates == sorted(dates, key=lambda d: (d is None, d))  # in date order again
    assert before != store.query("SELECT * FROM event_facts ORDER BY event_id")
    assert_fast_paths_match(store)


def test_an_ingest_sorts_once_after_its_last_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild copies every event: mid-ingest its memory would come on top of the workers'."""
    monkeypatch.setattr(facts, "RESORT_MIN_ROWS", 1)
    stored_at_rebuild: list[int] = []
    real_rebuild = facts.rebuild

    def counting(con: Any) -> None:
        stored_at_rebuild.append(int(con.execute("SELECT count(*) FROM documents").fetchone()[0]))
        real_rebuild(con)

    monkeypatch.setattr(facts, "rebuild", counting)
    files = sample_inputs()
    with Store(tmp_path / "kb.duckdb") as s:
        report = ingest(s, files, None, IngestOptions(batch_size=2))
        assert len(report.new) > 4  # several batches
        assert stored_at_rebuild == [len(report.new)]  # once, when every batch was written
        assert s.query("SELECT value FROM meta WHERE key = 'facts_unsorted'")[0]["value"] == "0"
        dates = [r["date_start"] for r in s.query("SELECT date_start FROM event_facts")]
        assert dates == sorted(dates, key=lambda d: (d is None, d))
        assert facts.drift(s.con) == {"event_facts": 0, "event_actor_facts": 0}


def test_appended_rows_are_counted_until_a_rebuild(store: Store) -> None:
    n = store.query("SELECT value FROM meta WHERE key = 'facts_unsorted'")[0]["value"]
    assert int(n) == store.query("SELECT count(*) AS n FROM event_facts")[0]["n"]  # below the minimum
    store.rebuild_facts()
    assert store.query("SELECT value FROM meta WHERE key = 'facts_unsorted'")[0]["value"] == "0"
    assert facts.drift(store.con) == {"event_facts": 0, "event_actor_facts": 0}


def test_a_failed_correction_leaves_no_trace(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    eid = _event_ids(store)[0]

    def broken(con: Any, event_id: str) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(facts, "refresh_event", broken)
    with pytest.raises(RuntimeError):
        add_correction(store, "event", eid, "reject", "a")
    assert store.query("SELECT count(*) AS n FROM corrections")[0]["n"] == 0
    assert facts.drift(store.con) == {"event_facts": 0, "event_actor_facts": 0}


def test_check_reports_copies_that_drifted(store: Store) -> None:
    def drifted() -> list[str]:
        return [p for p in check_store(store).problems if "_facts differ" in p]

    assert drifted() == []
    store.con.execute("DELETE FROM event_facts WHERE event_id IN (SELECT event_id FROM event_facts LIMIT 2)")
    store.con.execute("UPDATE event_actor_facts SET date_start = DATE '1999-01-01' WHERE role = 'source'")
    problems = drifted()
    assert len(problems) == 2 and problems[0].startswith("2 rows of event_facts differ from events_current")
    store.rebuild_facts()
    assert drifted() == []
