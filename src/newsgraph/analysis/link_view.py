"""Reading one canonical event back: its merged fields, every source, and why each was linked.

Shared by `newsgraph events show` and anything else (API, server) that needs the
provenance of a canonical event, so the reasons are read the same way everywhere.
"""

from __future__ import annotations

import json
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.ids import id_list

MEMBERS_SQL = """
SELECT e.event_id, e.doc_id, d.source, d.title, d.published, e.type, e.mode, e.date_start,
    e.date_precision, e.location, e.country, e.killed, e.injured, e.historical, l.score, l.reasons,
    (SELECT string_agg(substr(d.text, (x ->> 'start')::INTEGER + 1,
                              (x ->> 'end')::INTEGER - (x ->> 'start')::INTEGER), ' ')
     FROM unnest(from_json(coalesce(e.data -> 'evidence', '[]'), '["json"]')) AS u(x)) AS evidence
FROM events_current e JOIN documents d USING (doc_id) LEFT JOIN event_links l USING (event_id)
WHERE coalesce(l.canonical_id, e.event_id) = ?
ORDER BY d.published NULLS LAST, e.event_id
"""


def canonical_id_of(store: Store, event_id: str) -> str | None:
    """The canonical id of an event (or of a canonical id itself); None if unknown."""
    row = store.query(
        "SELECT canonical_id FROM event_links WHERE event_id = ? OR canonical_id = ? LIMIT 1",
        [event_id, event_id],
    )
    if row:
        return str(row[0]["canonical_id"])
    known = store.query("SELECT 1 FROM events_current WHERE event_id = ?", [event_id])
    return event_id if known else None


def canonical_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """{'canonical': row of canonical_events, 'members': [...], 'decisions': [...]} or None."""
    cid = canonical_id_of(store, event_id)
    if cid is None:
        return None
    rows = store.query("SELECT * FROM canonical_events WHERE canonical_id = ?", [cid])
    if not rows:
        return None
    members = store.query(MEMBERS_SQL, [cid])
    for m in members:
        m["reasons"] = json.loads(m["reasons"]) if m["reasons"] else None
    ids = [m["event_id"] for m in members]
    decisions = store.query(
        "SELECT event_a, event_b, action, author, decided_at FROM link_decisions "
        "WHERE event_a IN (SELECT unnest($1::JSON::VARCHAR[])) "
        "OR event_b IN (SELECT unnest($1::JSON::VARCHAR[])) "
        "ORDER BY correction_id",
        [id_list(ids)],
    )
    return {"canonical": rows[0], "members": members, "decisions": decisions}
