"""Every export format is written from a hand-made store and read back with an independent reader."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pytest
import stix2

from newsgraph.analysis.network import actor_graph
from newsgraph.export import FORMATS, export
from newsgraph.export.csv import COLUMNS
from newsgraph.export.geojson import geojson_errors
from newsgraph.export.records import iter_events
from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.store.corrections import add_correction
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

TEXT_A = (
    "A car bomb killed nine people at a market in Makhachkala on Friday. "
    "Islamic State said its fighters planted the bomb. "
    "Gunmen also fired on police in Nazran, wounding two officers."
)
TEXT_B = "Russia accused Azerbaijan of sheltering militants. Azerbaijan denied it would ever attack Russia."
MAKHACHKALA = {"name": "Makhachkala", "country": "RUS", "admin1": "Dagestan", "lat": 42.98, "lon": 47.50}
NAZRAN = {"name": "Nazran", "country": "RUS", "admin1": "Ingushetia", "lat": 43.23, "lon": 44.77}


def _entity(eid: str, name: str, type_: str, kind: str, start: int, **kw: Any) -> Entity:
    return Entity(
        id=eid,
        name=name,
        type=type_,
        kind=kind,
        mentions=[Mention(name, start, start + len(name), 0, type_, "ruler:actors", 0.9)],
        **kw,
    )


def _event(
    eid: str, type_: str, src: list[str], tgt: list[str], span: tuple[int, int], **kw: Any
) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "id": eid,
        "type": type_,
        "mode": None,
        "quad_class": "material_conflict" if type_ == "ASSAULT" else "verbal_conflict",
        "intensity": -9.0 if type_ == "ASSAULT" else -3.0,
        "gtd_attack_type": None,
        "source_actors": src,
        "target_actors": tgt,
        "date": {"start": "2024-03-15", "end": "2024-03-15", "precision": "day", "text": "Friday"},
        "location": None,
        "casualties": {"killed": None, "injured": None, "hostages": None},
        "weapons": [],
        "negated": False,
        "hypothetical": False,
        "historical": False,
        "evidence": [{"start": span[0], "end": span[1], "sentence": 0}],
        "confidence": 0.85,
    }
    ev.update(kw)
    return ev


def _corpus() -> list[DocumentExtraction]:
    s1, s2 = TEXT_A.index("Islamic"), TEXT_A.index("Gunmen")
    a = DocumentExtraction(
        document=Document(
            doc_id="doc-a",
            source="/news/a.txt",
            content_hash="ha",
            text=TEXT_A,
            title="Car bomb kills nine in Makhachkala",
            published="2024-03-16",
            url="https://news.example/a",
        ),
        sentences=[Sentence(0, s1 - 1), Sentence(s1, s2 - 1), Sentence(s2, len(TEXT_A))],
        entities=[
            _entity("Q2429253", "Islamic State", "ORG", "armed_group", s1, wikidata="Q2429253"),
            _entity("generic:gunmen", "Gunmen", "GENERIC", "generic", s2),
            _entity("RUS/COP", "police", "ORG", "police", TEXT_A.index("police"), country="RUS"),
            _entity("gpe:makhachkala", "Makhachkala", "GPE", "place", 46, geo=MAKHACHKALA, country="RUS"),
            _entity("person:ali-aliyev", "Ali Aliyev", "PERSON", "person", 0, role="witness"),
        ],
        events=[
            _event(
                "ev_bomb",
                "ASSAULT",
                ["Q2429253"],
                ["gpe:makhachkala"],
                (0, s1 - 1),
                mode="explosives",
                gtd_attack_type="BOMBING",
                location=MAKHACHKALA,
                casualties={
                    "killed": {"min": 9, "max": 9, "approx": False},
                    "injured": None,
                    "hostages": None,
                },
                weapons=["car bomb"],
            ),
            _event(
                "ev_shooting",
                "ASSAULT",
                ["generic:gunmen"],
                ["RUS/COP"],
                (s2, len(TEXT_A)),
                mode="firearms",
                location=NAZRAN,
                casualties={
                    "killed": None,
                    "injured": {"min": 2, "max": 2, "approx": False},
                    "hostages": None,
                },
            ),
        ],
    )
    b = DocumentExtraction(
        document=Document(doc_id="doc-b", source="/news/b.txt", content_hash="hb", text=TEXT_B, title=None),
        sentences=[Sentence(0, 50), Sentence(51, len(TEXT_B))],
        entities=[
            _entity("RUS", "Russia", "GPE", "state", 0, country="RUS"),
            _entity("AZE", "Azerbaijan", "GPE", "state", 15, country="AZE"),
        ],
        events=[
            _event("ev_accuse", "ACCUSE", ["RUS"], ["AZE"], (0, 50), date=None),
            _event(
                "ev_denied", "ASSAULT", ["AZE"], ["RUS"], (51, len(TEXT_B)), negated=True, location=NAZRAN
            ),
        ],
    )
    return [a, b]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("exports") / "kb.duckdb"
    with Store(path) as s:
        s.write_batch(_corpus(), "test")
    with Store(path, read_only=True) as s:
        yield s


def _stix(store: Store, filters: EventFilter | None = None) -> tuple[str, Any]:
    buf = io.StringIO()
    export(store, "stix", buf, filters)
    text = buf.getvalue()
    return text, stix2.parse(text, allow_custom=False)


def test_stix_bundle_parses_strictly_and_is_stable(store: Store) -> None:
    text, bundle = _stix(store)
    assert _stix(store)[0] == text  # deterministic ids and timestamps
    objects = {o.id: o for o in bundle.objects}
    by_type: dict[str, list[Any]] = {}
    for o in bundle.objects:
        by_type.setdefault(o.type, []).append(o)
    assert {o.name for o in by_type["threat-actor"]} == {"Islamic State", "Gunmen"}
    isis = next(o for o in by_type["threat-actor"] if o.name == "Islamic State")
    assert isis.threat_actor_types == ["terrorist"]  # its attack has a GTD attack type
    assert any(r.source_name == "wikidata" and r.external_id == "Q2429253" for r in isis.external_references)
    gunmen = next(o for o in by_type["threat-actor"] if o.name == "Gunmen")
    assert "threat_actor_types" not in gunmen
    identities = {o.name: o for o in by_type["identity"]}
    assert identities["police"].identity_class == "organization"
    assert identities["Russia"].sectors == ["government-national"]
    assert identities["newsgraph"].identity_class == "system"
    places = {o.name: o for o in by_type["location"]}
    assert (places["Makhachkala"].latitude, places["Makhachkala"].longitude) == (42.98, 47.5)
    assert places["Makhachkala"].country == "RU"
    assert len(by_type["incident"]) == 2  # the denied attack did not happen
    rels = by_type["relationship"]
    kinds = {(objects[r.source_ref].type, r.relationship_type, objects[r.target_ref].type) for r in rels}
    assert {
        ("threat-actor", "targets", "location"),
        ("incident", "attributed-to", "threat-actor"),
        ("incident", "targets", "identity"),
        ("incident", "located-at", "location"),
        ("identity", "targets", "identity"),
    } <= kinds
    for r in rels:
        assert isinstance(r.confidence, int) and 0 <= r.confidence <= 100
        assert r.source_ref in objects and r.target_ref in objects
        assert any(ref.source_name == "newsgraph-document" for ref in r.external_references)
    assert all(r.confidence == 85 for r in rels)
    bomb = next(r for r in rels if r.relationship_type == "targets" and r.source_ref == isis.id)
    doc_ref = next(ref for ref in bomb.external_references if ref.source_name == "newsgraph-document")
    assert doc_ref.url == "https://news.example/a" and "car bomb" in doc_ref.description
    reports = {o.name: o for o in by_type["report"]}
    assert set(reports) == {"Car bomb kills nine in Makhachkala", "/news/b.txt"}
    for report in reports.values():
        assert all(ref in objects for ref in report.object_refs)
    assert isis.id in reports["Car bomb kills nine in Makhachkala"].object_refs
    assert str(reports["Car bomb kills nine in Makhachkala"].published).startswith("2024-03-16")


def test_stix_filtered(store: Store) -> None:
    _, bundle = _stix(store, EventFilter(type="ACCUSE"))
    types = sorted(o.type for o in bundle.objects)
    assert types == ["identity", "identity", "identity", "relationship", "report"]


def test_geojson_follows_rfc7946(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    counts = export(store, "geojson", out)
    fc = json.loads(out.read_text("utf-8"))
    assert geojson_errors(fc) == []
    assert counts == {"features": 2, "skipped": 1}  # the accusation has no place
    feats = {f["id"]: f for f in fc["features"]}
    assert feats["ev_bomb"]["geometry"]["coordinates"] == [47.50, 42.98]  # [lon, lat]
    props = feats["ev_bomb"]["properties"]
    assert props["source_actors"] == ["Islamic State"] and props["fatalities"] == 9
    assert props["notes"].startswith("A car bomb killed nine")


def test_geojson_validator_catches_errors() -> None:
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [40, 120]}}
    assert geojson_errors({"type": "FeatureCollection", "features": [point]})  # latitude 120
    assert geojson_errors({"type": "FeatureCollection", "features": [], "crs": {}})
    assert geojson_errors({"type": "Feature"})
    bad = {**point, "geometry": {"type": "Point", "coordinates": ["47", "42"]}}
    assert geojson_errors({"type": "FeatureCollection", "features": [bad]})


def test_corrections_reach_the_exports(tmp_path: Path) -> None:
    path = tmp_path / "kb.duckdb"
    with Store(path) as s:
        s.write_batch(_corpus(), "test")
        add_correction(s, "event", "ev_bomb", "edit", "analyst", field="location", value="Kaspiysk")
        add_correction(s, "event", "ev_bomb", "edit", "analyst", field="killed", value=11)
        add_correction(s, "event", "ev_shooting", "reject", "analyst")
        add_correction(s, "entity", "generic:gunmen", "merge", "analyst", value="Q2429253")
        buf = io.StringIO()
        assert export(s, "geojson", buf)["features"] == 0  # Kaspiysk has no coordinates yet
        rows = list(csv.DictReader(io.StringIO(_text(s, "csv"))))
        assert [(r["event_id"], r["location"], r["fatalities"], r["lat"]) for r in rows] == [
            ("ev_bomb", "Kaspiysk", "11", ""),
            ("ev_accuse", "", "", ""),
        ]
        docs = [json.loads(line) for line in _text(s, "jsonl").splitlines()]
        ids = {e["id"] for d in docs for e in d["entities"]}
        assert "generic:gunmen" not in ids and "Q2429253" in ids
        events = {e["id"]: e for d in docs for e in d["events"]}
        assert "ev_shooting" not in events
        assert events["ev_bomb"]["casualties"]["killed"]["min"] == 11
        assert events["ev_bomb"]["location"]["name"] == "Kaspiysk"


def _text(store: Store, fmt: str) -> str:
    buf = io.StringIO()
    export(store, fmt, buf)
    return buf.getvalue()


def test_csv_reads_back(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "events.csv"
    assert export(store, "csv", out) == {"events": 3}
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = {r["event_id"]: r for r in reader}
    bomb = rows["ev_bomb"]
    assert (bomb["source_actors"], bomb["source_actor_ids"]) == ("Islamic State", "Q2429253")
    assert (bomb["target_actors"], bomb["target_actor_ids"]) == ("Makhachkala", "gpe:makhachkala")
    assert (bomb["date"], bomb["precision"], bomb["fatalities"], bomb["injuries"]) == (
        "2024-03-15",
        "day",
        "9",
        "",
    )
    assert (bomb["lat"], bomb["lon"], bomb["country"], bomb["admin1"]) == ("42.98", "47.5", "RUS", "Dagestan")
    assert bomb["sources"] == "https://news.example/a" and bomb["gtd_attack_type"] == "BOMBING"
    assert bomb["notes"] == "A car bomb killed nine people at a market in Makhachkala on Friday."
    assert rows["ev_accuse"]["sources"] == "/news/b.txt" and rows["ev_accuse"]["date"] == ""
    everything = io.StringIO()
    assert export(store, "csv", everything, occurred_only=False) == {"events": 4}


def test_parquet_reads_back_with_duckdb(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "pq"
    counts = export(store, "parquet", out)
    con = duckdb.connect()
    events = con.execute(
        f"SELECT * FROM read_parquet('{out / 'events.parquet'}') ORDER BY event_id"
    ).fetchall()
    cols = [d[0] for d in con.description or []]
    assert len(events) == counts["events"] == 3
    assert cols[: len(COLUMNS)] == list(COLUMNS) and cols[-1] == "data"
    bomb = next(r for r in (dict(zip(cols, e, strict=True)) for e in events) if r["event_id"] == "ev_bomb")
    assert bomb["source_actor_ids"] == ["Q2429253"] and str(bomb["date"]) == "2024-03-15"
    assert json.loads(bomb["data"])["mode"] == "explosives"
    n_entities = con.execute(f"SELECT count(*) FROM read_parquet('{out / 'entities.parquet'}')").fetchone()
    assert n_entities is not None and n_entities[0] == counts["entities"] == 7
    filtered = export(store, "parquet", tmp_path / "pq2", EventFilter(type="ACCUSE"))
    assert filtered == {"events": 1, "entities": 2}
    with pytest.raises(ValueError):
        export(store, "parquet", io.StringIO())


def test_graphml_round_trip(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "actors.graphml"
    counts = export(store, "graphml", out)
    G = nx.read_graphml(out)
    expected = actor_graph(store)
    assert (G.number_of_nodes(), G.number_of_edges()) == (counts["nodes"], counts["edges"]) == (6, 3)
    assert (expected.number_of_nodes(), expected.number_of_edges()) == (6, 3)
    assert G.nodes["Q2429253"]["name"] == "Islamic State"
    assert G.edges["Q2429253", "gpe:makhachkala"]["count"] == 1


def test_jsonl_round_trip(store: Store) -> None:
    docs = [json.loads(line) for line in _text(store, "jsonl").splitlines()]
    assert [d["doc_id"] for d in docs] == ["doc-a", "doc-b"]  # dated first
    contract = {"doc_id", "source", "title", "authors", "published", "language", "text", "entities", "events"}
    assert all(contract | {"quotes", "url"} <= set(d) for d in docs)
    a = docs[0]
    assert a["published"] == "2024-03-16" and a["text"] == TEXT_A
    ents = {e["id"]: e for e in a["entities"]}
    assert ents["gpe:makhachkala"]["geo"]["lat"] == 42.98
    assert ents["Q2429253"]["mentions"][0]["text"] == "Islamic State"
    b_events = {e["id"]: e for e in docs[1]["events"]}
    assert b_events["ev_denied"]["negated"] is True  # the contract keeps flagged events
    stored = {e["id"]: e for e in iter_events(store, occurred_only=False)}
    for d in docs:
        for ev in d["events"]:
            want = {k: v for k, v in stored[ev["id"]].items() if k not in ("document", "evidence_text")}
            assert ev == json.loads(json.dumps(want, default=str))
    only = [json.loads(line) for line in _jsonl(store, EventFilter(actor="AZE"))]
    assert [d["doc_id"] for d in only] == ["doc-b"] and len(only[0]["events"]) == 2


def _jsonl(store: Store, filters: EventFilter) -> list[str]:
    buf = io.StringIO()
    export(store, "jsonl", buf, filters)
    return buf.getvalue().splitlines()


def test_every_format_writes_to_a_path(store: Store, tmp_path: Path) -> None:
    for fmt in FORMATS:
        counts = export(store, fmt.upper(), tmp_path / f"out.{fmt}")
        assert counts and (tmp_path / f"out.{fmt}").exists()
    with pytest.raises(ValueError):
        export(store, "xlsx", tmp_path / "x")
