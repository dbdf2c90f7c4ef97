"""Timeline, dyads, the actor graph, alerts and country summaries over a hand-made store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from newsgraph.analysis import actor_graph, alerts, country_summary, dyads, graph_summary, timeline
from newsgraph.analysis.periods import bucket, midpoint, span_days
from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.store.corrections import add_correction
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

ENTITIES = {
    "IRN/GOV": ("Government of Iran", "ORG", "government", "IRN"),
    "AZE/GOV": ("Government of Azerbaijan", "ORG", "government", "AZE"),
    "IRN": ("Iran", "GPE", "state", "IRN"),
    "AZE": ("Azerbaijan", "GPE", "state", "AZE"),
    "Q2429253": ("Islamic State", "ORG", "armed_group", None),
}
BAKU = {"name": "Baku", "country": "AZE", "admin1": "Baku", "lat": 40.4093, "lon": 49.8671}


def _event(
    eid: str,
    type_: str,
    date: tuple[str, str, str] | None,
    src: list[str],
    tgt: list[str],
    *,
    mode: str | None = None,
    killed: int | None = None,
    injured: int | None = None,
    location: dict[str, Any] | None = None,
    negated: bool = False,
    hypothetical: bool = False,
) -> dict[str, Any]:
    return {
        "id": eid,
        "type": type_,
        "mode": mode,
        "source_actors": src,
        "target_actors": tgt,
        "source_codes": src,
        "target_codes": tgt,
        "date": {"start": date[0], "end": date[1], "precision": date[2]} if date else None,
        "location": location,
        "casualties": {
            "killed": {"min": killed, "max": killed, "approx": False} if killed is not None else None,
            "injured": {"min": injured, "max": injured, "approx": False} if injured is not None else None,
        },
        "negated": negated,
        "hypothetical": hypothetical,
        "historical": False,
        "evidence": [{"start": 0, "end": 40, "sentence": 0}],
        "confidence": 0.8,
    }


def _doc(doc_id: str, events: list[dict[str, Any]], published: str = "2024-04-01") -> DocumentExtraction:
    text = f"Sentence about {doc_id} and what happened there. " * 4
    ids = sorted({a for e in events for a in e["source_actors"] + e["target_actors"]})
    ents = [
        Entity(
            id=i,
            name=ENTITIES[i][0],
            type=ENTITIES[i][1],
            kind=ENTITIES[i][2],
            country=ENTITIES[i][3],
            mentions=[Mention(ENTITIES[i][0], 0, 5, 0, ENTITIES[i][1], "ruler:actors", 0.9)],
        )
        for i in ids
    ]
    return DocumentExtraction(
        document=Document(
            doc_id=doc_id,
            source=f"/c/{doc_id}.txt",
            content_hash=f"h-{doc_id}",
            text=text,
            published=published,
        ),
        sentences=[Sentence(0, 50), Sentence(50, len(text))],
        entities=ents,
        events=events,
    )


def _day(s: str) -> tuple[str, str, str]:
    return (s, s, "day")


def _corpus() -> list[DocumentExtraction]:
    baseline = [
        _event(f"ev_agree{i}", "AGREE", _day(d), ["IRN/GOV"], ["AZE/GOV"])
        for i, d in enumerate(["2023-03-01", "2023-06-01", "2023-09-01", "2023-12-01"])
    ]
    steady = [
        _event(f"ev_acc_b{i}", "ACCUSE", _day(d), ["AZE"], ["IRN"])
        for i, d in enumerate(["2023-05-01", "2023-08-01", "2023-11-01"])
    ] + [
        _event(f"ev_acc_r{i}", "ACCUSE", _day(d), ["AZE"], ["IRN"])
        for i, d in enumerate(["2024-03-05", "2024-03-06", "2024-03-07"])
    ]
    threats = [
        _event(f"ev_threat{i}", "THREATEN", _day(d), ["IRN/GOV"], ["AZE/GOV"])
        for i, d in enumerate(["2024-03-10", "2024-03-15", "2024-03-20"])
    ]
    attacks = [
        _event(
            f"ev_attack{i}",
            "ASSAULT",
            _day(d),
            ["Q2429253"],
            ["AZE"],
            mode="explosives",
            killed=k,
            injured=2,
            location=BAKU,
        )
        for i, (d, k) in enumerate([("2024-03-12", 2), ("2024-03-18", 5), ("2024-03-25", 1)])
    ]
    extra = [
        # known only to the year: its own coarse period, never in a 30-day window
        _event("ev_year", "THREATEN", ("2024-01-01", "2024-12-31", "year"), ["IRN/GOV"], ["AZE/GOV"]),
        # a quarter spans months: coarse at month interval, fine at year interval
        _event("ev_quarter", "COERCE", ("2024-01-01", "2024-03-31", "quarter"), ["AZE/GOV"], ["Q2429253"]),
        _event("ev_undated", "COERCE", None, ["AZE/GOV"], ["Q2429253"], location=BAKU),
        # did not happen: left out of every analysis
        _event("ev_negated", "ASSAULT", _day("2024-03-11"), ["IRN"], ["AZE"], killed=50, negated=True),
        _event("ev_hypo", "ASSAULT", _day("2024-03-12"), ["IRN"], ["AZE"], killed=9, hypothetical=True),
    ]
    return [
        _doc("d_base", baseline + steady[:3], published="2023-12-02"),
        _doc("d_recent", steady[3:] + threats),
        _doc("d_attacks", attacks),
        _doc("d_extra", extra),
    ]


def _build(path: Path) -> Store:
    store = Store(path)
    store.write_batch(_corpus(), "test")
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("analysis") / "kb.duckdb"
    _build(path).close()
    with Store(path, read_only=True) as s:
        yield s


# -- periods ----------------------------------------------------------------------


def test_bucket_keeps_precision() -> None:
    d = dt.date
    assert bucket(d(2024, 3, 5), d(2024, 3, 5), "day", "month").label == "2024-03"
    assert not bucket(d(2024, 3, 5), None, "day", "month").coarse
    year = bucket(d(2024, 1, 1), d(2024, 12, 31), "year", "month")
    assert (year.label, year.coarse, year.precision) == ("2024", True, "year")
    quarter = bucket(d(2024, 1, 1), d(2024, 3, 31), "quarter", "month")
    assert (quarter.label, quarter.coarse) == ("2024-Q1", True)
    assert bucket(d(2024, 1, 1), d(2024, 3, 31), "quarter", "year").label == "2024"
    assert bucket(d(2010, 1, 1), d(2019, 12, 31), "decade", "year").label == "2010s"
    assert bucket(d(2012, 1, 1), d(2015, 12, 31), "year", "year").label == "2010s"
    span = bucket(d(2018, 1, 1), d(2021, 12, 31), "year", "year")
    assert span.label == "2018-01-01/2021-12-31" and span.coarse
    assert bucket(None, None, None, "month").label == "undated"
    # a day-precise date is one day even if a correction left date_end behind
    assert bucket(d(2024, 5, 2), d(2024, 3, 1), "day", "day").label == "2024-05-02"
    # an open range falls back to the period its precision names
    assert bucket(d(2024, 2, 1), None, "month", "month").label == "2024-02"
    with pytest.raises(ValueError):
        bucket(d(2024, 1, 1), None, "day", "week")


def test_midpoint_and_span() -> None:
    d = dt.date
    assert midpoint(d(2024, 1, 1), d(2024, 1, 31)) == d(2024, 1, 16)
    assert midpoint(d(2024, 1, 1), None) == d(2024, 1, 1)
    assert span_days(d(2024, 1, 1), d(2024, 12, 31), "year") == 366
    assert span_days(d(2024, 1, 1), None, "month") == 31


# -- timeline -------------------------------------------------------------------------


def test_timeline_by_month(store: Store) -> None:
    rows = {r["period"]: r for r in timeline(store, interval="month")}
    march = rows["2024-03"]
    assert march["by_type"] == {"ACCUSE": 3, "ASSAULT": 3, "THREATEN": 3}
    assert (march["killed"], march["injured"]) == (8, 6)  # the negated and hypothetical ones left out
    assert not march["coarse"]
    assert rows["2024"]["coarse"] and rows["2024"]["by_type"] == {"THREATEN": 1}
    assert rows["2024-Q1"]["coarse"] and rows["2024-Q1"]["precision"] == "quarter"
    assert rows["undated"]["events"] == 1
    assert sum(r["events"] for r in rows.values()) == 19
    order = [r["period"] for r in timeline(store, interval="month")]
    assert order.index("2024") < order.index("2024-Q1") < order.index("2024-03") < order.index("undated")


def test_timeline_by_year_and_filters(store: Store) -> None:
    rows = {r["period"]: r for r in timeline(store, interval="year")}
    assert rows["2024"]["events"] == 11 and not rows["2024"]["coarse"]
    assert rows["2023"]["by_type"] == {"AGREE": 4, "ACCUSE": 3}
    only = timeline(store, interval="year", filters=EventFilter(type="assault", country="AZE"))
    assert [(r["period"], r["events"], r["killed"]) for r in only] == [("2024", 3, 8)]
    by_actor = timeline(store, interval="year", filters=EventFilter(actor="IRN"))
    # IRN matches IRN itself and its parts (IRN/GOV)
    assert sum(r["events"] for r in by_actor) == 4 + 3 + 3 + 3 + 1
    day = timeline(store, interval="day", filters=EventFilter(since="2024-03-12", until="2024-03-12"))
    assert [r["period"] for r in day] == ["2024-03-12"]


def test_timeline_applies_corrections(tmp_path: Path) -> None:
    with _build(tmp_path / "kb.duckdb") as s:
        add_correction(s, "event", "ev_threat0", "reject", "analyst")
        add_correction(s, "event", "ev_threat1", "edit", "analyst", field="type", value="PROTEST")
        add_correction(s, "event", "ev_attack0", "edit", "analyst", field="killed", value=20)
        march = {r["period"]: r for r in timeline(s)}["2024-03"]
        assert march["by_type"]["THREATEN"] == 1 and march["by_type"]["PROTEST"] == 1
        assert march["killed"] == 26


def test_linked_duplicates_count_once(tmp_path: Path) -> None:
    with _build(tmp_path / "kb.duckdb") as s:
        dup = _event(
            "ev_attack_dup", "ASSAULT", _day("2024-03-18"), ["Q2429253"], ["AZE"], killed=6, location=BAKU
        )
        s.write_batch([_doc("d_dup", [dup])], "test")
        before = {r["period"]: r for r in timeline(s)}["2024-03"]["by_type"]["ASSAULT"]
        s.con.execute("INSERT INTO event_links VALUES ('ev_attack_dup', 'ev_attack1', 0.9, NULL)")
        s.con.execute("INSERT INTO event_links VALUES ('ev_attack1', 'ev_attack1', 1.0, NULL)")
        after = {r["period"]: r for r in timeline(s)}["2024-03"]
        assert (before, after["by_type"]["ASSAULT"], after["killed"]) == (4, 3, 8)


# -- dyads and the graph --------------------------------------------------------------


def test_dyads(store: Store) -> None:
    rows = dyads(store, interval="year")
    pair = {(r["period"], r["source_id"], r["target_id"]): r for r in rows}
    agree = pair[("2023", "IRN/GOV", "AZE/GOV")]
    assert (agree["events"], agree["mean_intensity"], agree["friendly"], agree["hostile"]) == (4, 2.5, 4, 0)
    assert (agree["source_name"], agree["source_code"], agree["source_country"]) == (
        "Government of Iran",
        "IRN/GOV",
        "IRN",
    )
    threats = pair[("2024", "IRN/GOV", "AZE/GOV")]
    assert threats["events"] == 4 and threats["hostile"] == 4 and threats["mean_intensity"] < 0
    assert pair[("2024", "Q2429253", "AZE")]["target_country"] == "AZE"
    assert pair[("2024", "Q2429253", "AZE")]["source_country"] is None
    assert ("2024", "IRN", "AZE") not in pair  # negated and hypothetical only
    assert {r["period"] for r in rows} >= {"2023", "2024", "undated"}


def test_dyads_min_events_and_interval(store: Store) -> None:
    busy = dyads(store, interval="month", min_events=6)
    assert {(r["source_id"], r["target_id"]) for r in busy} == {("IRN/GOV", "AZE/GOV"), ("AZE", "IRN")}
    # the whole series of a busy pair is kept, months with one event included
    assert any(r["events"] == 1 for r in busy)
    with pytest.raises(ValueError):
        dyads(store, interval="day")


def test_dyads_follow_entity_merges(tmp_path: Path) -> None:
    with _build(tmp_path / "kb.duckdb") as s:
        add_correction(s, "entity", "AZE/GOV", "merge", "analyst", value="AZE")
        ids = {(r["source_id"], r["target_id"]) for r in dyads(s, interval="year")}
        assert ("IRN/GOV", "AZE") in ids and ("IRN/GOV", "AZE/GOV") not in ids


def test_actor_graph_and_summary(store: Store) -> None:
    G = actor_graph(store)
    assert set(G.nodes) == {"IRN/GOV", "AZE/GOV", "IRN", "AZE", "Q2429253"}
    edge = G.edges["IRN/GOV", "AZE/GOV"]
    assert (edge["count"], edge["weight"], edge["hostile"], edge["friendly"]) == (8, 8.0, 4, 4)
    assert edge["first_date"] == "2023-03-01" and edge["last_date"] == "2024-03-20"
    assert G.nodes["Q2429253"]["kind"] == "armed_group" and G.nodes["AZE"]["events"] == 9
    summary = graph_summary(G)
    nodes = {n["id"]: n for n in summary["nodes"]}
    assert nodes["AZE"]["degree"] == 2 and nodes["AZE"]["betweenness"] > 0
    assert nodes["IRN"]["betweenness"] == 0
    assert summary["nodes"][0]["id"] in ("IRN/GOV", "AZE/GOV")  # heaviest first
    assert summary["components"] == 1 and summary["communities"] >= 2
    assert graph_summary(G) == summary  # Louvain with a fixed seed
    assert len(summary["edges"]) == G.number_of_edges() == 4
    assert all(v is not None for _, attrs in G.nodes(data=True) for v in attrs.values())


def test_graph_filters_and_empty(store: Store) -> None:
    G = actor_graph(store, EventFilter(type="ASSAULT"))
    assert set(G.edges) == {("Q2429253", "AZE")} or set(G.edges) == {("AZE", "Q2429253")}
    empty = actor_graph(store, EventFilter(type="SANCTION"))
    assert graph_summary(empty)["nodes"] == []


# -- alerts ------------------------------------------------------------------------------


def test_alerts(store: Store) -> None:
    found = alerts(store, window_days=30, baseline_days=365)
    by_pair = {(a["source_id"], a["target_id"]): a for a in found}
    esc = by_pair[("IRN/GOV", "AZE/GOV")]
    assert esc["kind"] == "escalation"
    assert esc["recent_events"] == 3 and esc["baseline_events"] == 4
    assert esc["recent_hostility"] == 3.5 and esc["baseline_hostility"] == -2.5
    assert esc["baseline_sd"] == 1.0 and esc["z"] > 10  # sd floored at one point
    assert esc["event_ids"] == ["ev_threat0", "ev_threat1", "ev_threat2"]  # not the year-dated one
    assert esc["window"] == {"start": dt.date(2024, 2, 25), "end": dt.date(2024, 3, 25)}
    assert all(e["sentences"] for e in esc["evidence"])
    new = by_pair[("Q2429253", "AZE")]
    assert new["kind"] == "new" and new["z"] is None and new["recent_hostility"] > 5
    assert ("AZE", "IRN") not in by_pair  # as hostile as ever: no alert
    assert found[0]["kind"] == "escalation"  # z-scored alerts first


def test_alerts_window_and_thresholds(store: Store) -> None:
    # as of mid-March the threats are not all in yet
    early = alerts(store, as_of=dt.date(2024, 3, 16), min_events=3)
    assert ("IRN/GOV", "AZE/GOV") not in {(a["source_id"], a["target_id"]) for a in early}
    assert alerts(store, as_of=dt.date(2024, 3, 25), min_events=4) == []
    assert alerts(store, filters=EventFilter(type="AGREE")) == []
    with pytest.raises(ValueError):
        alerts(store, window_days=0)


# -- countries --------------------------------------------------------------------------


def test_country_summary(store: Store) -> None:
    aze = country_summary(store, "aze")
    assert aze["country"] == "AZE" and aze["name"] == "Azerbaijan"
    assert aze["events"] == 4 and aze["by_type"] == {"ASSAULT": 3, "COERCE": 1}
    assert (aze["killed"], aze["injured"]) == (8, 6)
    assert aze["first_date"] == dt.date(2024, 3, 12) and aze["last_date"] == dt.date(2024, 3, 25)
    assert aze["top_places"][0]["location"] == "Baku" and aze["top_places"][0]["events"] == 4
    assert aze["top_actors"][0]["entity_id"] in ("AZE", "Q2429253")
    # AZE and AZE/GOV as actors anywhere: 3 ACCUSE + 2 COERCE as source; 3+4+4 as target
    assert aze["as_actor"] == {"source": 8, "target": 11}
    nothing = country_summary(store, "NOR")
    assert nothing["events"] == 0 and nothing["by_type"] == {} and nothing["first_date"] is None
