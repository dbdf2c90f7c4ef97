"""Human corrections: stored with time and author, applied on read, never overwritten by a re-ingest.

Extraction rows are rebuilt whenever a document is re-extracted; a correction
is a separate row keyed by the stable id of what it corrects (event ids derive
from the document, type and trigger offset), so the views in the schema
(`events_current`, `event_actors_current`, `mentions_current`) apply it again
to every later extraction of the same text.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from newsgraph.store import facts
from newsgraph.store.db import Store

EVENT_FIELDS = frozenset(
    {"type", "mode", "date_start", "date_precision", "location", "country", "killed", "injured"}
)
ACTIONS = {
    "event": frozenset({"edit", "reject", "restore", "confirm"}),
    "entity": frozenset({"merge", "unmerge"}),
    "link": frozenset({"merge", "split"}),
}


class CorrectionError(ValueError):
    """The correction names an unknown target, field or action."""


def add_correction(
    store: Store,
    kind: str,
    target_id: str,
    action: str,
    author: str,
    field: str | None = None,
    value: Any = None,
    note: str | None = None,
) -> int:
    """Record one correction and return its id."""
    if action not in ACTIONS.get(kind, frozenset()):
        raise CorrectionError(f"unknown action {action!r} for {kind!r}")
    if not author.strip():
        raise CorrectionError("a correction needs an author")
    if kind == "event":
        if not store.query("SELECT 1 FROM events WHERE event_id = ?", [target_id]):
            raise CorrectionError(f"no event {target_id!r}")
        if action == "edit" and field not in EVENT_FIELDS:
            raise CorrectionError(f"field {field!r} cannot be edited (editable: {sorted(EVENT_FIELDS)})")
    if kind == "entity":
        if not store.query("SELECT 1 FROM entities WHERE entity_id = ?", [target_id]):
            raise CorrectionError(f"no entity {target_id!r}")
        if action == "merge":
            if not store.query("SELECT 1 FROM entities WHERE entity_id = ?", [value]):
                raise CorrectionError(f"no entity {value!r} to merge into")
            if value == target_id:
                raise CorrectionError("an entity cannot be merged into itself")
    if kind == "link":
        # a user decision about two events reporting one occurrence; value = the other event id
        for event_id in (target_id, value):
            if not isinstance(event_id, str) or not store.query(
                "SELECT 1 FROM events WHERE event_id = ?", [event_id]
            ):
                raise CorrectionError(f"no event {event_id!r}")
        if value == target_id:
            raise CorrectionError("an event cannot be merged with or split from itself")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    store.con.execute("BEGIN TRANSACTION")
    try:
        row = store.con.execute(
            "INSERT INTO corrections (target_kind, target_id, field, action, value, author, note, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING correction_id",
            [kind, target_id, field, action, json.dumps(value), author, note, now],
        ).fetchone()
        assert row is not None
        if kind == "event":
            # the event's row in the analyses' read copy of `events_current`, in the same transaction;
            # entity merges and link decisions are applied on read and change no copied row
            facts.refresh_event(store.con, target_id)
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise
    return int(row[0])


def corrections_for(store: Store, target_id: str) -> list[dict[str, Any]]:
    return store.query(
        "SELECT correction_id, target_kind, target_id, field, action, value, author, note, created_at "
        "FROM corrections WHERE target_id = ? ORDER BY correction_id",
        [target_id],
    )
