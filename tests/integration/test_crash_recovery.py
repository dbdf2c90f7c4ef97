"""SIGKILL the real `newsgraph ingest` at random points; the store must come back whole.

A batch is written in one transaction (DESIGN.md), so a crash may lose the
batch in flight but never leaves half a document, a duplicate, an orphan row,
or a lost human correction. The kills are placed after a random number of
committed batches plus a random delay (seeded), so they land during reading,
NLP and the DuckDB write alike. To know where the run is, the ingest runs
under a tiny harness that reports each committed batch on stderr: the code
path is the real CLI's.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsgraph.store.check import check_store
from newsgraph.store.corrections import add_correction
from newsgraph.store.db import Store

pytestmark = [pytest.mark.integration, pytest.mark.slow]

N_DOCS = 120
BATCH = 8
KILL_RUNS = 3
SEED = 20240312
RUN_TIMEOUT = 180  # seconds for any one subprocess

HARNESS = """
import os
import signal
import sys
from newsgraph.store.db import Store

# every batch commit goes through write_tables (write_batch delegates to it) where it exists
_name = "write_tables" if hasattr(Store, "write_tables") else "write_batch"
_write = getattr(Store, _name)
_delete = Store._delete_docs
_crash_in = int(os.environ.get("NG_TEST_KILL_INSIDE_BATCH", "0"))
_batches = 0


def write(self, *args, **kwargs):
    _write(self, *args, **kwargs)
    sys.stderr.write("@@committed\\n")
    sys.stderr.flush()


def delete_docs(self, doc_ids):
    # inside the batch's open transaction: the old rows of these documents are gone, the new not yet in
    global _batches
    _delete(self, doc_ids)
    _batches += 1
    if _batches == _crash_in:
        os.kill(os.getpid(), signal.SIGKILL)


setattr(Store, _name, write)
Store._delete_docs = delete_docs
from newsgraph.cli import app

sys.argv[0] = "newsgraph"
app()
"""

# -- a synthetic corpus: varied, every document unique ------------------------------------------

PLACES = ["Derbent", "Nalchik", "Grozny", "Makhachkala", "Baku", "Ganja", "Tbilisi", "Yerevan", "Tabriz"]
STATES = ["Russia", "Azerbaijan", "Iran", "Turkey", "Georgia", "Armenia", "Kazakhstan"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "12", "15", "21"]
AUTHORS = ["Lena Petrova", "Farid Aliyev", "Nika Gelashvili", "Omid Rahimi", "Sara Demir"]

PARAGRAPHS = [
    "Gunmen opened fire on a police checkpoint outside {place} on {day}, killing {n} officers, "
    "the Interior Ministry said.",
    "A car bomb exploded near a market in {place} on {day}, wounding {n} people, local officials said.",
    "Security forces arrested {n} suspected members of Islamic State in {place} on {day}, "
    "the National Security Service said.",
    "{state_a} and {state_b} signed an agreement on border security in {place} on {day}.",
    "The foreign minister of {state_a} accused {state_b} of supporting armed groups near {place}.",
    "Hundreds of people protested in central {place} on {day} against rising fuel prices.",
    "A drone struck a fuel depot near {place} overnight, the regional governor said on {day}. "
    "Nobody was hurt.",
    "{state_a} threatened to impose sanctions on {state_b} over the detention of {n} of its citizens.",
    "Militants abducted {n} workers from a construction site near {place} on {day}, police said.",
    "Officials in {place} said the investigation into the attack was continuing.",
]


def _document(i: int, rng: random.Random) -> tuple[str, str]:
    """(file name, content) of the i-th synthetic article; format varies with i."""
    place = rng.choice(PLACES)
    state_a, state_b = rng.sample(STATES, 2)
    fields = {"place": place, "day": rng.choice(DAYS), "n": rng.choice(NUMBERS)}
    fields.update(state_a=state_a, state_b=state_b)
    body = [p.format(**fields) for p in rng.sample(PARAGRAPHS, rng.randint(2, 4))]
    body.append(f"The report was filed under reference {1000 + i}.")  # every document differs
    title = f"Report {i}: {body[0].split(',')[0][:60]}"
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, 202{rng.randint(0, 4)}"
    author = rng.choice(AUTHORS)
    if i % 6 == 0:
        paras = "".join(f"<p>{p}</p>" for p in body)
        html = (
            f"<!doctype html><html><head><title>{title}</title>"
            f'<meta name="author" content="{author}"></head><body><nav>Home | World</nav>'
            f"<article><h1>{title}</h1>{paras}</article><footer>© Wire</footer></body></html>"
        )
        return f"doc-{i:03d}.html", html
    text = f"{title}\n\nBy {author} {date}\n\n" + "\n\n".join(body) + "\n"
    if i % 6 == 1:
        return f"doc-{i:03d}.md", f"# {title}\n\n*By {author}, {date}*\n\n" + "\n\n".join(body) + "\n"
    return f"doc-{i:03d}.txt", text


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    rng = random.Random(SEED)
    for i in range(N_DOCS):
        name, content = _document(i, rng)
        sub = corpus / f"part-{i % 4}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / name).write_text(content, encoding="utf-8")
    return corpus


# -- running and killing the CLI ---------------------------------------------------------------------


@dataclass
class Run:
    returncode: int | None
    killed: bool
    committed_batches: int
    stderr: str


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **extra}
    env.pop("NEWSGRAPH_DB", None)
    return env


def _ingest(
    cwd: Path,
    corpus: Path,
    *extra: str,
    kill_after: tuple[int, float] | None = None,
    kill_inside_batch: int = 0,
) -> Run:
    """Run the ingest; ``kill_after=(batches, seconds)``: SIGKILL it that long after that many commits."""
    args = [sys.executable, "-c", HARNESS, "ingest", str(corpus), "--db", "kb.duckdb"]
    args += ["--batch-size", str(BATCH), "--quiet", *extra]
    env = _env(NG_TEST_KILL_INSIDE_BATCH=str(kill_inside_batch))
    proc = subprocess.Popen(
        args, cwd=cwd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    assert proc.stderr is not None
    lines: list[str] = []
    committed = 0
    killed = False
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        if kill_after is not None:
            batches, delay = kill_after
            for line in proc.stderr:  # blocks per line; the timeout below bounds the whole run
                lines.append(line)
                if line.startswith("@@committed"):
                    committed += 1
                    if committed >= batches:
                        time.sleep(delay)
                        if proc.poll() is None:
                            proc.send_signal(signal.SIGKILL)
                            killed = True
                        break
                if time.monotonic() > deadline:
                    break
        remaining = max(deadline - time.monotonic(), 1)
        _, rest = proc.communicate(timeout=remaining)
        lines.append(rest or "")
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"ingest ran past {RUN_TIMEOUT}s:\n{''.join(lines)[-3000:]}")
    stderr = "".join(lines)
    committed = stderr.count("@@committed")
    return Run(proc.returncode, killed, committed, stderr)


def _assert_consistent(db: Path) -> int:
    """The store opens, check passes, every document is whole; returns the document count."""
    with Store(db) as store:
        report = check_store(store)
        assert report.ok, report.problems
        (n_docs,) = store.con.execute("SELECT count(*) FROM documents").fetchone() or (0,)
        (dup,) = store.con.execute(
            "SELECT count(*) FROM (SELECT source FROM documents GROUP BY source HAVING count(*) > 1)"
        ).fetchone() or (0,)
        assert dup == 0
        (bare,) = store.con.execute(
            "SELECT count(*) FROM documents d "
            "WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.doc_id = d.doc_id)"
        ).fetchone() or (0,)
        assert bare == 0, "a document without its sentences: half a document was committed"
    return int(n_docs)


def _counts(store: Store) -> dict[str, int]:
    tables = ("documents", "sentences", "entities", "mentions", "events", "event_actors", "quotes")
    return {t: store.query(f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in tables}


def _check_cli(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsgraph", "check", "--db", "kb.duckdb"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=RUN_TIMEOUT,
    )


def test_sigkill_at_random_points_loses_nothing_and_keeps_corrections(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    assert len(files) == N_DOCS
    db = tmp_path / "kb.duckdb"
    rng = random.Random(SEED)
    total_batches = N_DOCS // BATCH

    # 1. a fresh ingest, killed again and again, each re-run picking up where the last one died
    kills = 0
    stored_before = 0
    log: list[str] = []
    for _ in range(KILL_RUNS):
        left = total_batches - stored_before // BATCH
        after = rng.randint(1, max(1, min(3, left - 2)))
        run = _ingest(tmp_path, corpus, kill_after=(after, rng.uniform(0.0, 0.6)))
        assert "Traceback" not in run.stderr, run.stderr
        kills += run.killed
        stored = _assert_consistent(db)
        log.append(f"kill run: SIGKILL after {run.committed_batches} commits seen, {stored} documents stored")
        assert stored % BATCH == 0, f"{stored} documents: a batch was half written"
        assert stored >= stored_before + BATCH * run.committed_batches - BATCH
        stored_before = stored
    assert kills == KILL_RUNS, "every kill run must end in a SIGKILL, not finish first"

    final = _ingest(tmp_path, corpus)
    assert final.returncode == 0, final.stderr
    assert _assert_consistent(db) == N_DOCS

    # 2. a human correction, then a --force re-ingest killed half-way, then a plain re-run
    with Store(db) as store:
        complete = _counts(store)
        events = store.query("SELECT event_id, doc_id FROM events ORDER BY event_id")
        assert events, "the synthetic corpus should yield events"
        event_id = events[len(events) // 2]["event_id"]
        correction = add_correction(store, "event", event_id, "edit", "analyst", field="killed", value=4)
        add_correction(store, "event", events[0]["event_id"], "reject", "analyst", note="not an attack")
    run = _ingest(tmp_path, corpus, "--force", kill_after=(rng.randint(2, 6), rng.uniform(0.0, 0.6)))
    assert run.killed
    kills += 1
    log.append(
        f"--force run: SIGKILL after {run.committed_batches} commits, {_assert_consistent(db)} documents"
    )
    # the worst moment: inside a batch's transaction, the old rows deleted and the new ones not yet written
    run = _ingest(tmp_path, corpus, "--force", kill_inside_batch=3)
    assert run.returncode == -signal.SIGKILL and run.committed_batches == 2, run.stderr
    kills += 1
    assert _assert_consistent(db) == N_DOCS
    log.append("--force run: SIGKILL inside the 3rd batch's open transaction, 120 documents")
    final = _ingest(tmp_path, corpus)
    assert final.returncode == 0, final.stderr

    # 3. the store after all that: check passes through the CLI, nothing lost, nothing doubled
    proc = _check_cli(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{N_DOCS} documents" in proc.stdout and " 0 problems" in proc.stdout
    with Store(db, read_only=True) as store:
        sources = {r["source"] for r in store.query("SELECT source FROM documents")}
        assert sources == {os.path.abspath(p) for p in files}
        assert _counts(store) == complete  # the crashed re-extractions left exactly what was there
        assert store.query("SELECT count(*) AS n FROM corrections")[0]["n"] == 2
        (row,) = store.query(
            "SELECT killed, review_status FROM events_current WHERE event_id = ?", [event_id]
        )
        assert row["killed"] == 4
        assert store.query("SELECT 1 FROM events_current WHERE event_id = ?", [events[0]["event_id"]]) == []
        assert (
            store.query("SELECT correction_id FROM corrections WHERE target_id = ?", [event_id])[0][
                "correction_id"
            ]
            == correction
        )
    assert kills == KILL_RUNS + 2
    print("\n".join(log))
