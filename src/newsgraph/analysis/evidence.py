"""The sentences an event was read from, so every figure can be checked against its source."""

from __future__ import annotations

import json
from typing import Any

from newsgraph.store.db import Store


def evidence_text(text: str, data: dict[str, Any]) -> list[str]:
    """The evidence spans of a contract event object, cut out of its document's text."""
    out: list[str] = []
    for ev in data.get("evidence") or []:
        start, end = ev.get("start"), ev.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            out.append(" ".join(text[start:end].split()))
    return out


def evidence_for(store: Store, event_ids: list[str]) -> dict[str, list[str]]:
    """event_id -> its evidence sentences (empty list when the store has none)."""
    if not event_ids:
        return {}
    rows = store.query(
        "SELECT e.event_id, e.data, d.text FROM events_current e JOIN documents d USING (doc_id) "
        "WHERE e.event_id IN (SELECT unnest(?))",
        [sorted(set(event_ids))],
    )
    return {r["event_id"]: evidence_text(r["text"], json.loads(r["data"]) if r["data"] else {}) for r in rows}
