"""Integrity checks of a store: what `newsgraph check` verifies after a crash or an upgrade."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from newsgraph.store import facts
from newsgraph.store.db import Store

ORPHANS = (
    # (rows, column, must exist in table, column)
    ("sentences", "doc_id", "documents", "doc_id"),
    ("mentions", "doc_id", "documents", "doc_id"),
    ("mentions", "entity_id", "entities", "entity_id"),
    ("events", "doc_id", "documents", "doc_id"),
    ("event_actors", "event_id", "events", "event_id"),
    ("event_actors", "entity_id", "entities", "entity_id"),
    ("quotes", "doc_id", "documents", "doc_id"),
)
UNIQUE = (("documents", "source"), ("documents", "content_hash"), ("events", "event_id"))


@dataclass
class CheckReport:
    documents: int = 0
    spans_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store, max_examples: int = 5) -> CheckReport:
    """Every span's text equals the document text at its offsets; no orphans; no duplicates;
    the analyses' read copies of the correction views hold what the views hold."""
    report = CheckReport()
    row = store.con.execute("SELECT count(*) FROM documents").fetchone()
    report.documents = int(row[0]) if row else 0
    for table, column, parent, key in ORPHANS:
        sql = f"SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT {key} FROM {parent})"
        found = store.con.execute(sql).fetchone()
        if found and found[0]:
            report.problems.append(f"{found[0]} rows of {table} whose {column} is not in {parent}")
    for table, column in UNIQUE:
        sql = f"SELECT count(*) FROM (SELECT {column} FROM {table} GROUP BY {column} HAVING count(*) > 1)"
        found = store.con.execute(sql).fetchone()
        if found and found[0]:
            report.problems.append(f"{found[0]} values of {table}.{column} appear more than once")
    bad = store.query(
        """
        SELECT m.doc_id, m.entity_id, m.start_char, m.end_char, m.text
        FROM mentions m JOIN documents d USING (doc_id)
        WHERE m.start_char < 0 OR m.end_char > length(d.text) OR m.start_char >= m.end_char
           OR substring(d.text, m.start_char + 1, m.end_char - m.start_char) <> m.text
        """
    )
    row = store.con.execute("SELECT count(*) FROM mentions").fetchone()
    report.spans_checked += int(row[0]) if row else 0
    for b in bad[:max_examples]:
        report.problems.append(
            f"mention {b['text']!r} of {b['entity_id']} in {b['doc_id']} does not match the text"
        )
    if len(bad) > max_examples:
        report.problems.append(f"... and {len(bad) - max_examples} more mismatched mentions")
    bad_quotes = store.query(
        """
        SELECT q.quote_id, q.doc_id FROM quotes q JOIN documents d USING (doc_id)
        WHERE substring(d.text, q.start_char + 1, q.end_char - q.start_char) <> q.text
        """
    )
    row = store.con.execute("SELECT count(*) FROM quotes").fetchone()
    report.spans_checked += int(row[0]) if row else 0
    report.problems.extend(
        f"quote {b['quote_id']} in {b['doc_id']} does not match the text" for b in bad_quotes
    )
    _check_event_spans(store, report, max_examples)
    for table, n in facts.drift(store.con).items():
        if n:
            source = "events_current" if table == "event_facts" else "event_actors and events_current"
            report.problems.append(
                f"{n} rows of {table} differ from {source} (Store.rebuild_facts re-derives them)"
            )
    return report


def _check_event_spans(store: Store, report: CheckReport, max_examples: int) -> None:
    texts: dict[str, str] = {}
    mismatches: list[str] = []
    for row in store.query("SELECT e.event_id, e.doc_id, e.data FROM events e ORDER BY e.doc_id"):
        doc_id = row["doc_id"]
        if doc_id not in texts:
            texts.clear()
            found = store.query("SELECT text FROM documents WHERE doc_id = ?", [doc_id])
            texts[doc_id] = found[0]["text"] if found else ""
        text = texts[doc_id]
        data: dict[str, Any] = json.loads(row["data"]) if isinstance(row["data"], str) else row["data"]
        spans = [(a["start"], a["end"], a["text"]) for a in data.get("arguments", []) if a.get("text")]
        trigger = data.get("trigger")
        if trigger:
            spans.append((trigger["start"], trigger["end"], trigger["text"]))
        for ev in data.get("evidence", []):
            if not (0 <= ev["start"] <= ev["end"] <= len(text)):
                mismatches.append(f"event {row['event_id']}: evidence outside the text")
        for start, end, span_text in spans:
            report.spans_checked += 1
            if text[start:end] != span_text:
                mismatches.append(f"event {row['event_id']}: span {span_text!r} does not match the text")
    report.problems.extend(mismatches[:max_examples])
    if len(mismatches) > max_examples:
        report.problems.append(f"... and {len(mismatches) - max_examples} more mismatched event spans")
