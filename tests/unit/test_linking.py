"""Cross-document event linking: scoring rules, constrained union-find, the store round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from newsgraph.analysis.link_cluster import cluster
from newsgraph.analysis.link_features import EventFeatures, evidence_tokens, make_place
from newsgraph.analysis.link_score import LinkConfig, casualty_relation, place_relation, score_pair
from newsgraph.analysis.linking import link_events
from newsgraph.models import Document, DocumentExtraction, Entity, Sentence
from newsgraph.store.corrections import CorrectionError, add_correction
from newsgraph.store.db import Store

CFG = LinkConfig()

MAKHACHKALA = ("Makhachkala", "RUS", "Dagestan", 532096)
DERBENT = ("Derbent", "RUS", "Dagestan", 566532)
DAGESTAN = ("Dagestan", "RUS", None, None)
TBILISI = ("Tbilisi", "GEO", "Tbilisi", 611717)


def feat(event_id: str = "e1", **kw: Any) -> EventFeatures:
    """Features of one event; dates as ISO strings, place as a (name, country, admin1, gid) tuple."""
    place = kw.pop("place", MAKHACHKALA)
    start = kw.pop("start", "2024-03-15")
    end = kw.pop("end", start)
    text = kw.pop("text", "a bomb exploded at the bus station")
    base = EventFeatures(
        event_id=event_id,
        doc_id=kw.pop("doc_id", f"doc-{event_id}"),
        type=kw.pop("type", "ASSAULT"),
        mode=kw.pop("mode", "explosives"),
        start=dt.date.fromisoformat(start) if start else None,
        end=dt.date.fromisoformat(end) if end else None,
        precision=kw.pop("precision", "day" if start else None),
        published=dt.date.fromisoformat(kw.pop("published", "2024-03-16")),
        place=make_place(*place) if place else None,
        country=place[1] if place else None,
        killed=kw.pop("killed", None),
        injured=kw.pop("injured", None),
        actors=frozenset(kw.pop("actors", ())),
        tokens=evidence_tokens(text),
        negated=False,
        hypothetical=kw.pop("hypothetical", False),
        historical=kw.pop("historical", False),
    )
    assert not kw, kw
    return base


# --------------------------------------------------------------------------- scoring rules


def test_same_attack_reported_twice_links_despite_different_figures() -> None:
    a = feat("a", killed=(14, None), injured=(31, None), text="At least 14 killed in bus station bombing")
    b = feat("b", killed=(15, 15), injured=(32, 32), text="Death toll from bus station bombing rises to 15")
    s = score_pair(a, b, CFG)
    assert s.linked and s.conflict is None
    assert {"date:1d", "place:same-point", "killed:close", "injured:close"} <= set(s.agreed)


@pytest.mark.parametrize(
    ("other", "conflict"),
    [
        ({"start": "2024-03-16"}, "date"),  # same town, next day
        ({"place": DERBENT}, "place"),  # same day, another town
        ({"type": "COERCE", "mode": "arrest"}, "type"),
        ({"place": ("Tbilisi", "GEO", "Tbilisi", 611717)}, "country"),
    ],
)
def test_look_alikes_are_vetoed(other: dict[str, Any], conflict: str) -> None:
    a = feat("a", killed=(6, 6))
    b = feat("b", killed=(6, 6), **other)
    s = score_pair(a, b, CFG)
    assert not s.linked and s.conflict == conflict


def test_casualty_tolerance() -> None:
    assert casualty_relation((14, None), (15, 15), CFG) == "close"
    assert casualty_relation((2, 2), (3, 3), CFG) == "close"
    assert casualty_relation((9, 9), (9, 9), CFG) == "exact"
    assert casualty_relation((1, 1), (15, 15), CFG) == "differ"
    assert casualty_relation((0, 0), (4, 4), CFG) == "differ"
    assert casualty_relation(None, (4, 4), CFG) == "unknown"


def test_place_relations() -> None:
    town, region = make_place(*MAKHACHKALA), make_place(*DAGESTAN)
    country = make_place("Russia", "RUS", None, 2017370)
    assert town is not None and town.point and region is not None and not region.point
    assert place_relation(town, make_place(*MAKHACHKALA)) == "same-point"
    assert place_relation(town, region) == "inside"
    assert place_relation(town, country) == "country"
    assert place_relation(town, make_place(*DERBENT)) == "conflict"
    assert place_relation(town, None) == "unknown"


def test_one_shared_field_is_not_enough() -> None:
    """Same day and same mode but no place, figures or wording in common: stays apart."""
    a = feat("a", place=None, text="gunmen attacked a checkpoint")
    b = feat("b", text="a bomb exploded at the bus station")
    assert not score_pair(a, b, CFG).linked


def test_missing_place_links_when_the_evidence_names_the_other_place() -> None:
    a = feat("a", killed=(2, 2), injured=(3, 3), mode="firearms", text="gunmen killed two officers in Nazran")
    b = feat(
        "b",
        place=("Nazran", "RUS", "Ingushetia", 523064),
        killed=(2, 2),
        injured=(3, 3),
        mode="firearms",
        text="two officers were killed at a checkpoint near Nazran",
    )
    a = dataclasses.replace(a, place=None, country=None)
    s = score_pair(a, b, CFG)
    assert s.linked and "place:in-text" in s.agreed


def test_undated_mention_needs_very_strong_evidence() -> None:
    weak = feat("a", start=None, text="the bus station bombing")
    assert not score_pair(weak, feat("b"), CFG).linked
    strong = feat(
        "c",
        start=None,
        killed=(15, 15),
        injured=(32, 32),
        actors={"n:Q2429253"},
        text="Islamic State bomb killed 15 at the Makhachkala bus station",
    )
    other = feat(
        "d",
        killed=(15, 15),
        injured=(32, 32),
        actors={"n:Q2429253"},
        text="Islamic State claimed the Makhachkala bus station bomb that killed 15",
    )
    assert score_pair(strong, other, CFG).linked


def test_historical_mention_links_to_the_original_attack() -> None:
    khasavyurt = ("Khasavyurt", "RUS", "Dagestan", 550478)
    original = feat(
        "orig",
        start="2019-08-02",
        published="2019-08-02",
        place=khasavyurt,
        killed=(9, 9),
        text="a bomb exploded in a market in Khasavyurt, killing nine people",
    )
    mention = feat(
        "hist",
        start="2019-01-01",
        end="2019-12-31",
        precision="year",
        place=khasavyurt,
        killed=(9, 9),
        historical=True,
        text="the 2019 market bombing in Khasavyurt, in which nine people were killed",
    )
    assert score_pair(original, mention, CFG).linked
    other_year = dataclasses.replace(mention, start=dt.date(2016, 1, 1), end=dt.date(2016, 12, 31))
    assert score_pair(original, other_year, CFG).conflict == "date"


def test_meetings_with_other_counterparts_stay_apart() -> None:
    kw: dict[str, Any] = {"type": "CONSULT", "mode": None, "place": TBILISI, "start": "2024-02-06"}
    aze_geo = feat(
        "a", actors={"n:person:huseynli", "s:AZE", "s:GEO"}, text="Huseynli met Kavtaradze in Tbilisi", **kw
    )
    same = feat("b", actors={"s:AZE", "s:GEO"}, text="Georgia and Azerbaijan held talks in Tbilisi", **kw)
    geo_tur = feat(
        "c", actors={"n:person:gelashvili", "s:GEO", "s:TUR"}, text="Gelashvili met the Turkish envoy", **kw
    )
    assert score_pair(aze_geo, same, CFG).linked
    s = score_pair(aze_geo, geo_tur, CFG)
    assert not s.linked and "actors:other-states" in s.disagreed


# --------------------------------------------------------------------------- union-find


def test_cluster_constraints_and_chaining() -> None:
    scored = [("a", "b", 0.9), ("b", "c", 0.8), ("c", "d", 0.7)]
    plain = cluster("abcd", scored)
    assert plain.uf.groups() == [["a", "b", "c", "d"]]
    # a split between a and c: c cannot join the cluster holding a, d still joins c
    split = cluster("abcd", scored, cannot=[("a", "c")])
    assert sorted(split.uf.groups()) == [["a", "b"], ["c", "d"]]
    # a conflict between a and d stops the chain at the weakest link
    conf = cluster("abcd", scored, conflicts=lambda x, y: {x, y} == {"a", "d"})
    assert sorted(conf.uf.groups()) == [["a", "b", "c"], ["d"]]
    # a user merge joins what no score links and overrides conflicts, but not a split
    merged = cluster("abcde", scored, must=[("a", "e")], conflicts=lambda x, y: {x, y} == {"a", "e"})
    assert ["a", "b", "c", "d", "e"] in merged.uf.groups()
    refused = cluster("abc", [], must=[("a", "b"), ("b", "c")], cannot=[("a", "c")])
    assert refused.refused_merges == [("b", "c")]
    assert sorted(refused.uf.groups()) == [["a", "b"], ["c"]]


def test_cluster_does_not_depend_on_input_order() -> None:
    scored = [("a", "b", 0.6), ("b", "c", 0.6), ("c", "d", 0.9), ("a", "d", 0.6)]

    def conflicts(x: str, y: str) -> bool:
        return {x, y} == {"a", "c"}

    first = cluster("abcd", scored, conflicts=conflicts).uf.groups()
    second = cluster("dcba", list(reversed(scored)), conflicts=conflicts).uf.groups()
    assert sorted(first) == sorted(second)


# --------------------------------------------------------------------------- the store


def _event(n: int, spec: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    place = spec.get("place")
    date = spec.get("date")
    return {
        "id": spec["id"],
        "type": spec.get("type", "ASSAULT"),
        "mode": spec.get("mode", "explosives"),
        "date": {"start": date, "end": date, "precision": "day"} if date else None,
        "location": dict(zip(("name", "country", "admin1", "geonameid"), place, strict=True))
        if place
        else None,
        "casualties": {"killed": {"min": spec["killed"], "max": spec["killed"]}} if "killed" in spec else {},
        "source_actors": spec.get("actors", []),
        "target_actors": [],
        "evidence": [{"start": start, "end": end, "sentence": n}],
        "trigger": {"text": "x", "start": start, "end": start + 1},
    }


def _doc(doc_id: str, published: str, *specs: dict[str, Any]) -> DocumentExtraction:
    text, events, sentences = "", [], []
    for n, spec in enumerate(specs):
        start = len(text)
        text += spec["text"] + " "
        sentences.append(Sentence(start, len(text) - 1))
        events.append(_event(n, spec, start, len(text) - 1))
    document = Document(
        doc_id=doc_id, source=f"/corpus/{doc_id}.txt", content_hash=doc_id, text=text, published=published
    )
    ents = [Entity(id="Q2429253", name="Islamic State", type="ORG", kind="armed_group")]
    return DocumentExtraction(document=document, sentences=sentences, entities=ents, events=events)


BOMBING = {"type": "ASSAULT", "mode": "explosives", "place": MAKHACHKALA, "date": "2024-03-15"}


def _bomb(event_id: str, killed: int, text: str, **kw: Any) -> dict[str, Any]:
    return {**BOMBING, "id": event_id, "killed": killed, "text": text, **kw}


CORPUS = [
    _doc("wire", "2024-03-15", _bomb("ev_wire", 14, "A bomb killed 14 at the bus station in Makhachkala.")),
    _doc(
        "toll",
        "2024-03-16",
        _bomb("ev_toll", 15, "The bus station bombing toll in Makhachkala rose to 15."),
        _bomb("ev_derbent", 2, "A bomb killed two in Derbent the same day.", place=DERBENT),
    ),
    _doc(
        "review",
        "2024-04-08",
        _bomb("ev_review", 15, "The Makhachkala bus station bomb killed 15 people."),
        _bomb("ev_later", 3, "Another bomb killed three in Makhachkala later.", date="2024-03-29"),
    ),
    _doc(
        "plot",
        "2024-03-20",
        {**BOMBING, "id": "ev_plot", "type": "COERCE", "mode": "arrest", "text": "Police arrested two men."},
    ),
]


def _links(store: Store) -> list[tuple[Any, ...]]:
    return store.con.execute(
        "SELECT event_id, canonical_id, score, reasons FROM event_links ORDER BY event_id"
    ).fetchall()


def _groups(store: Store) -> list[list[str]]:
    rows = store.query(
        "SELECT list(event_id ORDER BY event_id) AS ids FROM event_links GROUP BY canonical_id"
    )
    return sorted(r["ids"] for r in rows)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "kb.duckdb")
    s.write_batch(CORPUS, "test")
    return s


def test_link_events_builds_canonical_events(store: Store) -> None:
    report = link_events(store)
    assert report.full and report.events == 6
    assert ["ev_review", "ev_toll", "ev_wire"] in _groups(store)
    assert (
        ["ev_derbent"] in _groups(store) and ["ev_later"] in _groups(store) and ["ev_plot"] in _groups(store)
    )
    (row,) = store.query("SELECT * FROM canonical_events WHERE canonical_id = 'ev_wire'")
    assert (row["killed_min"], row["killed_max"], row["n_sources"]) == (14, 15, 3)
    assert row["date_start"] == dt.date(2024, 3, 15) and row["location"] == "Makhachkala"
    assert row["event_ids"][0] == "ev_wire" and row["first_published"] == dt.date(2024, 3, 15)
    reasons = store.query("SELECT reasons FROM event_links WHERE event_id = 'ev_toll'")[0]["reasons"]
    assert '"place:same-point"' in reasons and '"with"' in reasons


def test_user_decisions_survive_relinking_and_reingest(store: Store) -> None:
    link_events(store)
    add_correction(store, "link", "ev_toll", "split", "analyst", value="ev_wire")
    add_correction(store, "link", "ev_later", "merge", "analyst", value="ev_wire")
    for _ in range(2):
        link_events(store, full=True)
        groups = _groups(store)
        wire = next(g for g in groups if "ev_wire" in g)
        assert "ev_later" in wire and "ev_toll" not in wire
        store.write_batch(CORPUS, "test")  # a re-ingest replaces every extraction row
    # the latest decision on a pair wins
    add_correction(store, "link", "ev_wire", "merge", "editor", value="ev_toll")
    link_events(store)
    assert any({"ev_wire", "ev_toll", "ev_later"} <= set(g) for g in _groups(store))


def test_link_corrections_are_validated(store: Store) -> None:
    with pytest.raises(CorrectionError):
        add_correction(store, "link", "ev_wire", "merge", "analyst", value="ev_nope")
    with pytest.raises(CorrectionError):
        add_correction(store, "link", "ev_wire", "split", "analyst", value="ev_wire")
    with pytest.raises(CorrectionError):
        add_correction(store, "link", "ev_wire", "edit", "analyst", value="ev_toll")


def test_incremental_run_equals_full_run(tmp_path: Path) -> None:
    inc = Store(tmp_path / "inc.duckdb")
    inc.write_batch(CORPUS[:2], "test")
    link_events(inc)
    inc.write_batch(CORPUS[2:], "test")
    report = link_events(inc, doc_ids=["review", "plot"])
    assert not report.full and report.rescored == 3
    full = Store(tmp_path / "full.duckdb")
    full.write_batch(CORPUS, "test")
    link_events(full, full=True)
    assert _links(inc) == _links(full)
    pairs = "SELECT * FROM event_link_pairs ORDER BY event_a, event_b"
    assert inc.con.execute(pairs).fetchall() == full.con.execute(pairs).fetchall()


def test_incremental_run_picks_up_human_edits(store: Store, tmp_path: Path) -> None:
    link_events(store)
    add_correction(store, "event", "ev_later", "edit", "analyst", field="date_start", value="2024-03-15")
    add_correction(store, "event", "ev_later", "edit", "analyst", field="killed", value=15)
    report = link_events(store)
    assert report.rescored == 1 and not report.full
    assert any({"ev_wire", "ev_later"} <= set(g) for g in _groups(store))
    store.close()
    shutil.copy(tmp_path / "kb.duckdb", tmp_path / "copy.duckdb")
    with Store(tmp_path / "copy.duckdb") as copy:
        before = _links(copy)
        link_events(copy, full=True)
        assert _links(copy) == before


def test_benchmark_scorers() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from linking import bcubed, pairwise

    got = pairwise(["a", "a", "b", "c"], ["x", "x", "x", None])
    assert (got["tp"], got["predicted"], got["gold"]) == (1, 3, 1)
    assert got["precision"] == 33.33 and got["recall"] == 100.0
    assert bcubed(["a", "a"], ["x", "x"]) == {"precision": 100.0, "recall": 100.0, "f1": 100.0}
    assert bcubed(["a", "b"], ["x", "x"])["precision"] == 50.0
