"""The web UI in a real headless Chromium, against a real `newsgraph serve` on a free loopback port.

The store is built by the real CLI (`newsgraph demo`, then `newsgraph ingest`
of a hostile article written here). Chromium is Debian's (`make install`
installs it); Playwright only drives it, nothing is downloaded. Screenshots go
to tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.sample import sample_inputs

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed at /usr/bin/chromium (make install)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (make install)")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SAMPLE = ROOT / "data" / "sample"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
pytestmark = pytest.mark.e2e

# Each payload would either set window.__pwned or open a dialog if the UI ever parsed it as HTML.
HOSTILE_TITLE = (
    '<script>window.__pwned=1</script>Gunmen attack <img src=x onerror="alert(2)"> checkpoint in Nazran'
)
HOSTILE_TEXT = (
    'NAZRAN, May 1 - Gunmen <img src=x onerror="window.__pwned=3"> opened fire on a police '
    "checkpoint in Nazran on Wednesday, killing two police officers and wounding three, the interior "
    "ministry of Ingushetia said.\n\n"
    '"<script>alert(4)</script>We will find those responsible," said '
    '<a href="javascript:alert(5)">Ruslan Khamkhoev</a>, the head of the regional police.\n\n'
    "Investigators opened a criminal case on charges of attacking law enforcement officers. "
    '<iframe src="javascript:alert(6)"></iframe><svg onload="window.__pwned=7"></svg>'
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("NEWSGRAPH_DB", None)
    env.pop("NEWSGRAPH_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "newsgraph", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


class Server:
    """`newsgraph serve` in a subprocess; stopped and started again around a re-ingest."""

    def __init__(self, db: Path, workdir: Path) -> None:
        self.db = db
        self.workdir = workdir
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.proc: subprocess.Popen[str] | None = None
        self.log = workdir / "serve.log"

    def start(self) -> None:
        env = {**os.environ}
        env.pop("NEWSGRAPH_TOKEN", None)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "newsgraph", "serve", "--db", str(self.db), "--port", str(self.port)],
                cwd=self.workdir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.base + "health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"serve did not answer: {self.log.read_text()}")
        assert f"newsgraph UI: {self.base}" in self.log.read_text()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None

    def api(self, path: str) -> Any:
        with urllib.request.urlopen(self.base.rstrip("/") + path, timeout=30) as r:
            return json.loads(r.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    work = tmp_path_factory.mktemp("e2e")
    db = work / "ui.duckdb"
    built = _cli("demo", "--db", str(db), cwd=work)
    assert built.returncode == 0, built.stderr
    hostile = work / "hostile"
    hostile.mkdir()
    record = {
        "title": HOSTILE_TITLE,
        "url": "javascript:alert(8)",
        "published": "2024-05-02",
        "author": '<img src=x onerror="alert(9)">',
        "text": HOSTILE_TEXT,
    }
    (hostile / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (hostile / "note.txt").write_text(HOSTILE_TITLE + "\n\n" + HOSTILE_TEXT + "\n", encoding="utf-8")
    ingested = _cli("ingest", str(hostile), "--db", str(db), "--quiet", cwd=work)
    assert ingested.returncode == 0, ingested.stderr
    srv = Server(db, work)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watched:
    """A page plus everything that would show an injection or a broken page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def goto(self, url: str, ready: str) -> None:
        """A full page load every time, so `ready` can never match what the last page left behind."""
        self.page.goto("about:blank")
        self.page.goto(url)
        self.page.wait_for_selector(ready, timeout=30_000)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def ui(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    watched = Watched(context.new_page())
    yield watched
    context.close()


def test_dashboard_loads(server: Server, ui: Watched) -> None:
    ui.goto(server.base, ".page-dashboard .stat-value")
    values = ui.page.locator(".stat-value").all_text_contents()
    assert int(values[0].replace(",", "")) >= 18  # documents
    assert int(values[1].replace(",", "")) > 50  # events
    assert ui.page.locator(".page-dashboard table.grid tbody tr").count() == 10
    assert ui.page.locator("#nav a.active").text_content() == "Dashboard"
    ui.shot("dashboard")
    assert not ui.errors, ui.errors  # a CSP violation is logged as a console error


def test_filter_and_page_events(server: Server, ui: Watched) -> None:
    ui.goto(server.base + "#/events", ".page-events table.grid tbody tr")
    assert "1–50 of" in ui.page.locator(".pager .range").first.text_content()
    ui.page.locator(".pager a[rel=next]").first.click()
    ui.page.wait_for_selector(".pager .range >> text=/^51–/")
    ui.page.select_option("#f-type", "ASSAULT")
    ui.page.fill("#f-country", "RUS")
    ui.page.click(".filters button[type=submit]")
    sync_api.expect(ui.page).to_have_url(re.compile(r"#/events\?type=ASSAULT&country=RUS$"))
    total = server.api("/api/events?type=ASSAULT&country=RUS")["total"]
    assert total > 0
    # the filtered page has replaced the unfiltered one once its pager shows the filtered total
    sync_api.expect(ui.page.locator(".pager .range").first).to_have_text(re.compile(rf"of {total}$"))
    badges = ui.page.locator(".page-events tbody .badge.type").all_text_contents()
    assert badges and set(badges) == {"ASSAULT"}
    with ui.page.expect_download() as info:
        ui.page.click("#csv-download")
    csv_text = Path(info.value.path()).read_text(encoding="utf-8")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("event_id") and len(lines) > 1
    ui.shot("events-filtered")
    assert not ui.errors, ui.errors


def test_document_reader_highlights(server: Server, ui: Watched) -> None:
    ui.goto(server.base + "#/documents?text=Makhachkala", ".page-documents tbody a")
    ui.page.locator(".page-documents tbody a", has_text="bus station").first.click()
    ui.page.wait_for_selector("#doc-text .seg.ent")
    assert ui.page.locator("#doc-text .seg.ent").count() > 5
    assert ui.page.locator("#doc-text .seg.trig").count() > 0
    ui.page.locator("#doc-text .seg.trig").first.click()
    ui.page.wait_for_selector("#detail-panel .detail-event")
    assert ui.page.locator("#doc-text .seg.evid-sel").count() > 0
    entity = ui.page.locator("#doc-text .seg.ent").first
    assert entity.get_attribute("title")
    entity.click()
    ui.page.wait_for_selector("#detail-panel .detail-entity")
    ui.shot("document-reader")
    assert not ui.errors, ui.errors


def test_correction_survives_reingest(server: Server, ui: Watched) -> None:
    event = server.api("/api/events?type=ASSAULT&sort=-killed&limit=1")["items"][0]
    eid = event["event_id"]
    before = server.api(f"/api/documents/{event['doc_id']}")["ingested_at"]
    ui.goto(server.base + f"#/event/{eid}", "#edit-form")
    ui.page.fill("#author", "E2E Analyst")
    ui.page.fill("#edit-killed", "42")
    ui.page.fill("#edit-note", "ministry figure")
    ui.page.click("#save-edit")
    ui.page.wait_for_selector("#review-status >> text=Saved")
    assert ui.page.locator("#ev-killed").text_content() == "42"
    assert "E2E Analyst" in ui.page.locator("table.grid").last.text_content()
    ui.shot("event-corrected")

    server.stop()  # DuckDB: one writing process; the server is it while it runs
    articles = sample_inputs()  # the files of data/sample that `demo` ingested (not gold/ or the README)
    assert articles and all(Path(a).parent == SAMPLE for a in articles)
    again = _cli("ingest", *articles, "--db", str(server.db), "--force", "--quiet", cwd=server.workdir)
    assert again.returncode == 0, again.stderr
    server.start()

    after = server.api(f"/api/documents/{event['doc_id']}")["ingested_at"]
    assert after != before  # the article really was extracted again
    ui.page.reload()
    ui.page.wait_for_selector("#ev-killed")
    assert ui.page.locator("#ev-killed").text_content() == "42"
    assert "E2E Analyst" in ui.page.locator("table.grid").last.text_content()
    assert server.api(f"/api/events/{eid}")["killed"] == 42
    ui.shot("event-corrected-after-reingest")


def test_network_node_opens_actor_page(server: Server, ui: Watched) -> None:
    ui.goto(server.base + "#/network", "#network canvas")
    ui.page.wait_for_timeout(300)  # let the layout settle
    nodes = ui.page.locator("#network").evaluate(
        "el => el.newsgraphCy.nodes()"
        ".map(n => ({id: n.id(), label: n.data('label'), pos: n.renderedPosition()}))"
    )
    assert nodes
    ui.shot("network")
    box = ui.page.locator("#network").bounding_box()
    target = nodes[0]
    ui.page.mouse.click(box["x"] + target["pos"]["x"], box["y"] + target["pos"]["y"])
    ui.page.wait_for_selector(".actor-name")
    assert "#/actor/" in ui.page.url
    assert ui.page.locator(".actor-name").text_content() == target["label"]
    assert ui.page.locator(".page-actor .stat-value").count() >= 4
    ui.shot("actor-page")
    assert not ui.errors, ui.errors


def test_hostile_text_is_shown_never_run(server: Server, ui: Watched) -> None:
    docs = server.api("/api/documents?text=checkpoint%20in%20Nazran&limit=50")["items"]
    hostile = [d for d in docs if d["title"] and "<script>" in d["title"]]
    assert hostile, [d["title"] for d in docs]
    pages = [
        ("#/documents?text=Nazran", ".page-documents tbody tr"),
        (f"#/doc/{hostile[0]['doc_id']}", "#doc-text"),
        ("#/events?text=Nazran", ".page-events tbody tr"),
        ("#/search?q=checkpoint", ".page-search .card"),
        ("#/review", ".page-review table.grid"),
        ("#/map", "#map path.leaflet-interactive"),
        ("#/", ".page-dashboard .stat-value"),
    ]
    for doc in hostile[1:]:
        pages.append((f"#/doc/{doc['doc_id']}", "#doc-text"))
    for route, ready in pages:
        ui.goto(server.base + route, ready)
        ui.page.wait_for_timeout(200)
        assert (
            ui.page.locator("#view script, #view iframe, #view img[src='x'], #view svg[onload]").count() == 0
        )
        assert ui.page.locator("[onerror], [onload], a[href^='javascript:']").count() == 0, route
        assert ui.page.evaluate("() => window.__pwned") is None, route
    ui.goto(server.base + f"#/doc/{hostile[0]['doc_id']}", "#doc-text")
    title = ui.page.locator(".doc-title").text_content()
    assert "<script>window.__pwned=1</script>" in title  # shown as text
    body = ui.page.locator("#doc-text").text_content()
    assert '<img src=x onerror="window.__pwned=3">' in body
    assert '<a href="javascript:alert(5)">Ruslan Khamkhoev</a>' in body
    ui.shot("hostile-document")
    assert ui.dialogs == []
    assert ui.page.evaluate("() => window.__pwned") is None
