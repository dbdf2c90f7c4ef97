"""The REST API through FastAPI's TestClient, over a real demo store built by the real CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():  # Starlette nudges towards httpx2; httpx is what FastAPI documents
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from newsgraph.server.app import create_app
from newsgraph.server.security import LOOPBACK_HOSTS
from newsgraph.server.static_files import STATIC_DIR, safe_path

AUTHOR = {"X-Newsgraph-Author": "Test Analyst"}
SQL_PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE events; --",
    "%' UNION SELECT text, text, text FROM documents --",
    '") OR 1=1 --',
    "RUS' OR entity_id LIKE '%",
]


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus, ingested once by the real `newsgraph demo`."""
    folder = tmp_path_factory.mktemp("server-demo")
    db = folder / "demo.duckdb"
    subprocess.run(
        [sys.executable, "-m", "newsgraph", "demo", "--db", str(db)],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return db


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy, so writes in one test never leak into another."""
    copy = tmp_path / "store.duckdb"
    shutil.copy(demo_db, copy)
    return copy


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def _first_event(client: TestClient, **params: Any) -> dict[str, Any]:
    items = client.get("/api/events", params={"limit": 1, **params}).json()["items"]
    assert items, params
    return items[0]


# -- meta -------------------------------------------------------------------


def test_health_and_openapi(client: TestClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/health",
        "/api/documents",
        "/api/documents/{doc_id}",
        "/api/events",
        "/api/events/{event_id}",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/timeline",
        "/api/dyads",
        "/api/graph",
        "/api/alerts",
        "/api/search",
        "/api/export/{fmt}",
        "/api/events/{event_id}/confirm",
        "/api/events/{event_id}/reject",
        "/api/events/{event_id}/restore",
        "/api/entities/{entity_id}/merge",
        "/api/events/{event_id}/merge",
        "/api/events/{event_id}/split",
    ):
        assert path in paths, path
    assert "patch" in schema["paths"]["/api/events/{event_id}"]
    assert client.get("/docs").status_code == 404  # Swagger UI would load assets from a CDN


def test_stats(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 18
    assert stats["events"] > 50
    assert sum(t["events"] for t in stats["by_type"]) == stats["events"]


# -- documents ----------------------------------------------------------------


def test_documents_paging_and_filters(client: TestClient) -> None:
    first = client.get("/api/documents", params={"limit": 5}).json()
    second = client.get("/api/documents", params={"limit": 5, "offset": 5}).json()
    assert first["total"] == 18 and len(first["items"]) == 5 and len(second["items"]) == 5
    assert not {d["doc_id"] for d in first["items"]} & {d["doc_id"] for d in second["items"]}
    dates = [d["published"] for d in first["items"] if d["published"]]
    assert dates == sorted(dates, reverse=True)
    hits = client.get("/api/documents", params={"text": "Makhachkala"}).json()
    assert 0 < hits["total"] < 18
    by_entity = client.get("/api/documents", params={"entity": "Q2429253"}).json()
    assert by_entity["total"] > 0
    since = client.get("/api/documents", params={"since": "2024-01-01"}).json()
    assert all(d["published"] >= "2024-01-01" for d in since["items"])
    assert client.get("/api/documents", params={"limit": 0}).status_code == 422
    assert client.get("/api/documents", params={"limit": 501}).status_code == 422
    assert client.get("/api/documents", params={"sort": "text"}).status_code == 422
    assert client.get("/api/documents", params={"since": "yesterday"}).status_code == 422


def test_document_with_every_annotation(client: TestClient) -> None:
    ev = _first_event(client, type="ASSAULT", sort="-killed")
    doc = client.get(f"/api/documents/{ev['doc_id']}").json()
    text = doc["text"]
    assert doc["mentions"] and doc["events"] and doc["sentences"]
    for m in doc["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
        assert m["entity_id"] and m["type"]
    for event in doc["events"]:
        for span in event["evidence"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
        if event["trigger"]:
            trig = event["trigger"]
            assert text[trig["start"] : trig["end"]] == trig["text"]
    assert ev["event_id"] in {e["event_id"] for e in doc["events"]}
    for q in doc["quotes"]:
        assert 0 <= q["start"] < q["end"] <= len(text)
    assert client.get("/api/documents/nope").status_code == 404


# -- events -------------------------------------------------------------------


def test_events_filters_sorting_paging(client: TestClient) -> None:
    everything = client.get("/api/events", params={"limit": 500}).json()
    total = everything["total"]
    assert total == len(everything["items"])
    assaults = client.get("/api/events", params={"type": "assault", "limit": 500}).json()
    assert 0 < assaults["total"] < total
    assert {e["type"] for e in assaults["items"]} == {"ASSAULT"}
    rus = client.get("/api/events", params={"country": "RUS", "limit": 500}).json()
    assert rus["total"] and {e["country"] for e in rus["items"]} == {"RUS"}
    ranged = client.get("/api/events", params={"since": "2024-01-01", "until": "2024-12-31"}).json()
    assert ranged["total"] and all("2024-01-01" <= e["date_start"] <= "2024-12-31" for e in ranged["items"])
    by_killed = client.get("/api/events", params={"sort": "-killed", "limit": 10}).json()["items"]
    killed = [e["killed"] or 0 for e in by_killed]
    assert killed == sorted(killed, reverse=True) and killed[0] > 0
    pages = [
        client.get("/api/events", params={"limit": 20, "offset": off, "sort": "date"}).json()["items"]
        for off in range(0, total, 20)
    ]
    ids = [e["event_id"] for p in pages for e in p]
    assert len(ids) == len(set(ids)) == total
    heavy = client.get("/api/events", params={"min_casualties": 10}).json()
    assert heavy["total"] and all((e["killed"] or 0) + (e["injured"] or 0) >= 10 for e in heavy["items"])
    text = client.get("/api/events", params={"text": "Makhachkala"}).json()
    assert text["total"] > 0


def test_events_actor_filter(client: TestClient) -> None:
    with_actors = [
        e for e in client.get("/api/events", params={"limit": 500}).json()["items"] if e["sources"]
    ]
    actor = with_actors[0]["sources"][0]["id"]
    found = client.get("/api/events", params={"actor": actor, "limit": 500}).json()
    assert found["total"] >= 1
    for e in found["items"]:
        assert any(
            a["id"] == actor or actor.upper() == (a.get("country") or "") for a in e["sources"] + e["targets"]
        ) or actor.lower() in {(a["name"] or "").lower() for a in e["sources"] + e["targets"]}


def test_sort_keys_are_whitelisted(client: TestClient) -> None:
    for bad in ("bogus", "date; DROP TABLE events", "ev.data", "-(SELECT 1)"):
        r = client.get("/api/events", params={"sort": bad})
        assert r.status_code == 422, bad
    assert client.get("/api/events", params={"status": "rejected'--"}).status_code == 422


def test_event_detail(client: TestClient) -> None:
    ev = _first_event(client, type="ASSAULT", sort="-killed")
    detail = client.get(f"/api/events/{ev['event_id']}").json()
    assert detail["event_id"] == ev["event_id"]
    assert detail["document"]["doc_id"] == ev["doc_id"]
    assert detail["evidence"] and all(s["text"] for s in detail["evidence"])
    assert detail["detail"]["type"] == "ASSAULT"
    assert detail["corrections"] == []
    assert client.get("/api/events/ev_missing").status_code == 404


def test_sql_text_in_every_filter_is_data(client: TestClient) -> None:
    """Whatever a filter holds, the answer is 200 with nothing matched, or 422; never other data."""
    before = client.get("/api/stats").json()
    endpoints = {
        "/api/events": ["type", "mode", "actor", "country", "text", "doc_id"],
        "/api/documents": ["text", "source", "entity"],
        "/api/actors": ["q", "type", "kind", "country"],
        "/api/timeline": ["type", "mode", "actor", "country", "text"],
        "/api/dyads": ["type", "actor", "country", "text"],
        "/api/graph": ["type", "actor", "country"],
        "/api/map": ["type", "actor", "country", "text"],
        "/api/alerts": ["type", "actor", "country"],
        "/api/search": ["q", "actor", "type", "country"],
        "/api/corrections": ["target", "author"],
    }
    for path, names in endpoints.items():
        for name in names:
            for payload in SQL_PAYLOADS:
                params = {name: payload}
                if path == "/api/search" and name != "q":
                    params["q"] = "bombing"
                r = client.get(path, params=params)
                assert r.status_code in (200, 422), (path, name, payload, r.text[:200])
                if r.status_code != 200:
                    continue
                body = r.json()
                if path == "/api/search" and name == "q":
                    continue  # the words of the payload are searched as words, which is the point
                if path == "/api/search":
                    assert body["items"] == [], (path, name, payload)
                elif "total" in body and "items" in body:
                    assert body["total"] == 0 and body["items"] == [], (path, name, payload)
                elif "items" in body:
                    assert body["items"] == [], (path, name, payload)
                else:
                    assert body.get("nodes", []) == [] and body.get("points", []) == [], (path, name)
    for path in ("/api/events/", "/api/documents/", "/api/actors/"):
        for payload in SQL_PAYLOADS:
            assert client.get(path + payload.replace("%", "%25")).status_code in (404, 422)
    assert client.get("/api/stats").json() == before


# -- actors -------------------------------------------------------------------


def test_actors_list_and_page(client: TestClient) -> None:
    actors = client.get("/api/actors", params={"limit": 10}).json()
    assert actors["total"] > 50 and len(actors["items"]) == 10
    mentions = [a["mentions"] for a in actors["items"]]
    assert mentions == sorted(mentions, reverse=True)
    states = client.get("/api/actors", params={"kind": "state", "limit": 100}).json()
    assert states["items"] and {a["kind"] for a in states["items"]} == {"state"}
    named = client.get("/api/actors", params={"q": "islamic"}).json()
    assert any(a["entity_id"] == "Q2429253" for a in named["items"])
    page = client.get("/api/actors/Q2429253", params={"limit": 5}).json()
    assert page["name"] == "Islamic State"
    assert page["counts"]["mentions"] >= 10 and page["aliases"]
    assert {"events", "quotes", "relations", "timeline", "documents"} <= set(page)
    assert page["events"]["limit"] == 5
    gov = client.get("/api/actors/AZE/GOV")  # ids of state parts hold a slash
    assert gov.status_code == 200 and gov.json()["entity_id"] == "AZE/GOV"
    assert client.get("/api/actors/none:such").status_code == 404


def test_actor_relations_over_time(client: TestClient) -> None:
    busiest = client.get("/api/actors", params={"sort": "-events", "limit": 20}).json()["items"]
    for actor in busiest:
        rel = client.get(f"/api/actors/{actor['entity_id']}").json()["relations"]
        if rel:
            assert {"id", "name", "role", "period", "events", "conflict", "cooperation"} <= set(rel[0])
            return
    pytest.fail("no actor with relations in the demo store")


# -- analysis -----------------------------------------------------------------


def test_analysis_endpoints(client: TestClient) -> None:
    timeline = client.get("/api/timeline", params={"interval": "year"}).json()
    assert timeline["items"] and sum(r["events"] for r in timeline["items"]) > 0
    assert client.get("/api/timeline", params={"interval": "hour"}).status_code == 422
    dyads = client.get("/api/dyads", params={"limit": 2}).json()
    assert dyads["total"] >= len(dyads["items"]) and len(dyads["items"]) <= 2
    for pair in dyads["items"]:
        assert pair["series"] and pair["events"] == sum(s["events"] for s in pair["series"])
    graph = client.get("/api/graph", params={"nodes": 4}).json()
    assert len(graph["nodes"]) <= 4 and graph["total_nodes"] >= len(graph["nodes"])
    node_ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in graph["edges"])
    alerts = client.get("/api/alerts", params={"window_days": 3650, "min_events": 1}).json()
    assert "items" in alerts and alerts["total"] >= len(alerts["items"])
    geo = client.get("/api/map").json()
    assert geo["points"] and all(p["lat"] is not None for p in geo["points"])
    assert any(c["country"] == "RUS" and c["numeric"] == "643" for c in geo["countries"])
    country = client.get("/api/countries/RUS").json()
    assert country["events"] > 0
    assert client.get("/api/countries/RUSSIA").status_code == 422
    found = client.get("/api/search", params={"q": "bombing", "limit": 5}).json()
    assert found["items"] and all("doc_id" in h for h in found["items"])
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_export_formats(client: TestClient) -> None:
    csv_ = client.get("/api/export/csv", params={"type": "ASSAULT"})
    assert csv_.status_code == 200 and csv_.headers["content-type"].startswith("text/csv")
    assert "attachment" in csv_.headers["content-disposition"]
    lines = csv_.text.strip().splitlines()
    assert lines[0].startswith("event_id") and len(lines) > 1
    for fmt in ("jsonl", "geojson", "graphml", "stix", "parquet"):
        r = client.get(f"/api/export/{fmt}")
        assert r.status_code == 200, (fmt, r.text[:200])
        assert r.content
    assert client.get("/api/export/parquet").content[:2] == b"PK"
    for bad in ("exe", "..%2F..%2Fetc%2Fpasswd", "csv;rm", "CSV"):
        assert client.get(f"/api/export/{bad}").status_code == 404, bad


# -- review -------------------------------------------------------------------


def test_review_confirm_reject_restore(client: TestClient) -> None:
    ev = _first_event(client, sort="confidence")
    eid = ev["event_id"]
    r = client.post(f"/api/events/{eid}/confirm", json={"note": "checked"}, headers=AUTHOR)
    assert r.status_code == 200 and r.json()["event"]["review_status"] == "confirm"
    r = client.post(f"/api/events/{eid}/reject", json={"author": "Body Author"})
    assert r.status_code == 200 and r.json()["event"]["review_status"] == "rejected"
    listed = {e["event_id"] for e in client.get("/api/events", params={"limit": 500}).json()["items"]}
    assert eid not in listed
    assert eid in {e["event_id"] for e in client.get("/api/review/rejected").json()["items"]}
    assert client.get(f"/api/events/{eid}").json()["review_status"] == "rejected"
    r = client.post(f"/api/events/{eid}/restore", json={}, headers=AUTHOR)
    assert r.status_code == 200 and r.json()["event"]["review_status"] == "restore"
    log = client.get("/api/corrections", params={"target": eid}).json()["items"]
    assert [c["action"] for c in log] == ["restore", "reject", "confirm"]
    assert {c["author"] for c in log} == {"Test Analyst", "Body Author"}
    assert all(c["created_at"] for c in log)
    assert client.post("/api/events/ev_missing/confirm", json={}, headers=AUTHOR).status_code == 404


def test_review_needs_an_author(client: TestClient) -> None:
    eid = _first_event(client)["event_id"]
    assert client.post(f"/api/events/{eid}/confirm", json={}).status_code == 422
    assert client.post(f"/api/events/{eid}/confirm", json={"author": "   "}).status_code == 422
    assert client.get("/api/corrections").json()["total"] == 0


def test_edit_event_fields(client: TestClient) -> None:
    ev = _first_event(client, type="ASSAULT", sort="-killed")
    eid = ev["event_id"]
    r = client.patch(
        f"/api/events/{eid}",
        json={"killed": 99, "location": "Somewhere", "date_start": "2020-02-02", "note": "per ministry"},
        headers=AUTHOR,
    )
    assert r.status_code == 200, r.text
    assert len(r.json()["correction_ids"]) == 3
    detail = client.get(f"/api/events/{eid}").json()
    assert detail["killed"] == 99 and detail["location"] == "Somewhere"
    assert detail["date_start"] == "2020-02-02"
    assert {c["field"] for c in detail["corrections"]} == {"killed", "location", "date_start"}
    assert (
        client.get("/api/events", params={"sort": "-killed", "limit": 1}).json()["items"][0]["killed"] == 99
    )
    bad = [
        {"killed": -1},
        {"killed": "many"},
        {"country": "Russia"},
        {"type": "assault; drop"},
        {"date_start": "soon"},
        {"text": "not editable"},
        {},
    ]
    for body in bad:
        assert client.patch(f"/api/events/{eid}", json=body, headers=AUTHOR).status_code == 422, body


def test_merge_entities(client: TestClient) -> None:
    people = client.get("/api/actors", params={"type": "PERSON", "limit": 2}).json()["items"]
    a, b = people[0]["entity_id"], people[1]["entity_id"]
    r = client.post(f"/api/entities/{a}/merge", json={"into": b}, headers=AUTHOR)
    assert r.status_code == 200, r.text
    listed = {x["entity_id"] for x in client.get("/api/actors", params={"limit": 500}).json()["items"]}
    assert a not in listed and b in listed
    page = client.get(f"/api/actors/{b}").json()
    assert a in {m["entity_id"] for m in page["merged_from"]}
    assert client.get(f"/api/actors/{a}").json()["merged_into"] == b
    assert client.post(f"/api/entities/{a}/unmerge", json={}, headers=AUTHOR).status_code == 200
    assert client.get(f"/api/actors/{a}").json()["merged_into"] is None
    assert client.post(f"/api/entities/{a}/merge", json={"into": "nobody"}, headers=AUTHOR).status_code == 422
    assert client.post(f"/api/entities/{a}/merge", json={"into": a}, headers=AUTHOR).status_code == 422
    state_part = client.post("/api/entities/AZE/GOV/merge", json={"into": "AZE"}, headers=AUTHOR)
    assert state_part.status_code == 200 and state_part.json()["entity_id"] == "AZE/GOV"


def test_link_and_split_events(client: TestClient) -> None:
    items = client.get("/api/events", params={"type": "ASSAULT", "limit": 2}).json()["items"]
    a, b = items[0]["event_id"], items[1]["event_id"]
    merged = client.post(f"/api/events/{a}/merge", json={"other": b}, headers=AUTHOR)
    assert merged.status_code == 200, merged.text
    linked = client.get(f"/api/events/{a}").json()["linked"]
    assert b in {m["event_id"] for m in linked["members"]}
    assert linked["decisions"][-1]["action"] == "merge"
    split = client.post(f"/api/events/{a}/split", json={"other": b}, headers=AUTHOR)
    assert split.status_code == 200, split.text
    linked = client.get(f"/api/events/{a}").json()["linked"]
    # after the split the event may stand alone (no linked reports at all)
    assert linked is None or b not in {m["event_id"] for m in linked["members"]}
    assert client.post(f"/api/events/{a}/merge", json={"other": a}, headers=AUTHOR).status_code == 422
    assert client.post(f"/api/events/{a}/merge", json={"other": "ev_x"}, headers=AUTHOR).status_code == 404


# -- security -----------------------------------------------------------------


def test_token_required_when_set(db: Path) -> None:
    with TestClient(create_app(db, token="s3cret-token")) as c:
        assert c.get("/api/events").status_code == 401
        assert c.get("/health").status_code == 401
        assert c.get("/openapi.json").status_code == 401
        assert c.get("/api/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/events", headers={"Authorization": "s3cret-token"}).status_code == 401
        assert c.get("/api/events", headers={"Authorization": "Basic s3cret-token"}).status_code == 401
        ok = {"Authorization": "Bearer s3cret-token"}
        assert c.get("/api/events", headers=ok).status_code == 200
        assert c.get("/health", headers=ok).status_code == 200
        eid = c.get("/api/events", headers=ok).json()["items"][0]["event_id"]
        assert c.post(f"/api/events/{eid}/confirm", json={"author": "x"}).status_code == 401
        assert c.post(f"/api/events/{eid}/confirm", json={"author": "x"}, headers=ok).status_code == 200
        # the UI shell holds no data and must load before the page can ask for the token
        assert c.get("/").status_code == 200
        assert c.get("/static/js/main.js").status_code == 200
    with pytest.raises(ValueError):
        create_app(db, token="  ")


def test_no_token_on_loopback_by_default(client: TestClient) -> None:
    assert client.get("/api/events").status_code == 200


def test_cors_off_by_default(client: TestClient) -> None:
    r = client.get("/api/events", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/api/events",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_when_configured(db: Path) -> None:
    with TestClient(create_app(db, cors_origins=["https://analyst.example"])) as c:
        r = c.get("/api/events", headers={"Origin": "https://analyst.example"})
        assert r.headers["access-control-allow-origin"] == "https://analyst.example"
        other = c.get("/api/events", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_cross_site_writes_refused(client: TestClient) -> None:
    eid = _first_event(client)["event_id"]
    evil = client.post(
        f"/api/events/{eid}/reject", json={"author": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert evil.status_code == 403
    form = client.post(
        f"/api/events/{eid}/reject",
        content="author=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    for origin in ("null", "http://testserver.evil.example", "file://", "http://evil.example/testserver"):
        r = client.post(f"/api/events/{eid}/confirm", json={"author": "x"}, headers={"Origin": origin})
        assert r.status_code == 403, origin
    same = client.post(
        f"/api/events/{eid}/reject", json={"author": "x"}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200
    behind_tls_proxy = client.post(
        f"/api/events/{eid}/restore", json={"author": "x"}, headers={"Origin": "https://testserver"}
    )
    assert behind_tls_proxy.status_code == 200


def test_trusted_hosts_block_dns_rebinding(db: Path) -> None:
    with TestClient(create_app(db, trusted_hosts=LOOPBACK_HOSTS), base_url="http://127.0.0.1:8765") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"Host": "localhost:8765"}).status_code == 200
        assert c.get("/api/stats", headers={"Host": "evil.example:8765"}).status_code == 421


def test_body_size_limit(client: TestClient, db: Path) -> None:
    eid = _first_event(client)["event_id"]
    big = {"author": "x", "note": "a" * 100_000}
    assert client.post(f"/api/events/{eid}/confirm", json=big).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield b'{"author": "x", "note": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    streamed = client.post(
        f"/api/events/{eid}/confirm", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert client.get("/api/corrections").json()["total"] == 0
    with TestClient(create_app(db, max_body_bytes=10)) as small:
        assert small.post(f"/api/events/{eid}/confirm", json={"author": "abc"}).status_code == 413


def test_path_traversal_refused(client: TestClient) -> None:
    assert client.get("/static/app.css").status_code == 200
    for path in (
        "/static/../app.py",
        "/static/..%2fapp.py",
        "/static/%2e%2e/%2e%2e/store/db.py",
        "/static/vendor/../../app.py",
        "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
        "/static/..\\..\\app.py",
        "/static/%5c..%5capp.py",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/.hidden",
        "/static/js/%00.js",
        "/static/vendor",
    ):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "import" not in r.text and "root:" not in r.text, path
    assert safe_path("js/main.js") == (STATIC_DIR / "js" / "main.js").resolve()
    for bad in (
        "../app.py",
        "/etc/passwd",
        "js/../../app.py",
        "a\\b",
        "x\x00y",
        "",
        ".",
        "js/.",
        ".git/config",
    ):
        assert safe_path(bad) is None, bad


def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/api/events", "/api/events/ev_missing", "/static/app.css"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"


# -- the UI's files -----------------------------------------------------------


def test_ui_shell_has_no_inline_code(client: TestClient) -> None:
    html = client.get("/").text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attrs, body in scripts:
        assert 'src="/static/' in attrs and not body.strip(), attrs
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "style=" not in html and "<style" not in html
    assert "http://" not in html and "https://" not in html  # nothing from the network


def test_ui_code_never_parses_data_as_html() -> None:
    banned = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function")
    for js in (STATIC_DIR / "js").rglob("*.js"):
        assert not banned.search(js.read_text()), js
        assert "setAttribute('style'" not in js.read_text(), js


def test_vendored_assets_ship_with_licences() -> None:
    vendor = STATIC_DIR / "vendor"
    for lib in ("cytoscape", "leaflet", "topojson-client", "world-atlas"):
        assert (vendor / lib / "LICENSE").is_file(), lib
    assert (vendor / "leaflet" / "leaflet.js").is_file()
    assert (vendor / "world-atlas" / "countries-110m.json").is_file()
    total = sum(f.stat().st_size for f in STATIC_DIR.rglob("*") if f.is_file())
    assert total < 3_000_000


# -- the serve command ----------------------------------------------------------


def test_is_loopback() -> None:
    from newsgraph.cli_serve import is_loopback, ui_address

    for host in ("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"):
        assert is_loopback(host), host
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.com", "localhost.evil.example"):
        assert not is_loopback(host), host
    assert ui_address("127.0.0.1", 8765) == "http://127.0.0.1:8765/"


def test_serve_refuses_public_address_without_token(run_cli: Any, demo_db: Path) -> None:
    proc = run_cli("serve", "--db", str(demo_db), "--host", "0.0.0.0", "--port", "1")
    assert proc.returncode == 2
    assert "token" in proc.stderr
    missing = run_cli("serve", "--db", "nowhere.duckdb")
    assert missing.returncode == 2 and "no store" in missing.stderr
