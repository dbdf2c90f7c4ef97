"""Events: the filtered, paged, sorted table and one event with its evidence and history.

Everything reads `events_current`, so analysts' corrections show everywhere and
rejected events are gone, except from the one-event page, which still shows a
rejected event so that it can be restored.
"""

from __future__ import annotations

import contextlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from newsgraph.server.deps import PagingDep, StoreDep, page, scalar
from newsgraph.server.filters import EventQueryDep, order_by
from newsgraph.store.corrections import corrections_for
from newsgraph.store.db import Store
from newsgraph.store.ids import id_list

router = APIRouter(prefix="/api", tags=["events"])

COLUMNS = (
    "event_id, doc_id, type, mode, date_start, date_end, date_precision, location, country, admin1, "
    "lat, lon, killed, injured, negated, hypothetical, historical, confidence, review_status, corrected_at"
)
# The same columns read from the raw table for a rejected event (the view hides it).
REJECTED_COLUMNS = ", ".join(
    {"review_status": "'rejected' AS review_status", "corrected_at": "x.corrected_at"}.get(c, f"e.{c}")
    for c in (c.strip() for c in COLUMNS.split(","))
)
EventId = Annotated[str, Path(max_length=100)]


def list_sql(where: str, order: str) -> str:
    """Page first, then join titles and read the JSON only for the rows shown."""
    return f"""
        WITH page AS (
            SELECT ev.* FROM events_current ev WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?
        )
        SELECT {", ".join("page." + c.strip() for c in COLUMNS.split(","))},
               page.data ->> '$.quad_class' AS quad_class,
               TRY_CAST(page.data ->> '$.intensity' AS DOUBLE) AS intensity,
               page.data ->> '$.gtd_attack_type' AS gtd_attack_type,
               d.title AS doc_title, d.published AS doc_published
        FROM page LEFT JOIN documents d ON d.doc_id = page.doc_id
        ORDER BY {order.replace("ev.", "page.")}"""


def attach_actors(
    store: Store, rows: list[dict[str, Any]], doc_id: str | None = None
) -> list[dict[str, Any]]:
    """Add `sources` and `targets` ({id, name, kind}) to each event row, merges applied.

    With `doc_id`, the rows are that document's events in `events_current`, whose actor
    rows are read by document from `event_actor_facts` (a few ms) instead of by event id
    from all of `event_actors` (a scan: 30 ms at 1M events).
    """
    ids = [r["event_id"] for r in rows]
    for r in rows:
        r["sources"], r["targets"] = [], []
    if not ids:
        return rows
    params: list[Any] = [id_list(ids)]
    mine = "SELECT * FROM event_actors WHERE event_id IN (SELECT unnest(?::JSON::VARCHAR[]))"
    if doc_id is not None:
        mine, params = "SELECT event_id, entity_id, role FROM event_actor_facts WHERE doc_id = ?", [doc_id]
    actors = store.query(
        f"""
        WITH ea AS ({mine})
        SELECT ea.event_id, ea.role, coalesce(g.canonical_id, ea.entity_id) AS id,
               en.name, en.kind, en.country
        FROM ea
        LEFT JOIN entity_merges g ON g.entity_id = ea.entity_id
        LEFT JOIN entities en ON en.entity_id = coalesce(g.canonical_id, ea.entity_id)
        ORDER BY ea.event_id, ea.role, id""",
        params,
    )
    by_id = {r["event_id"]: r for r in rows}
    for a in actors:
        row = by_id.get(a.pop("event_id"))
        if row is None:
            continue
        key = "sources" if a.pop("role") == "source" else "targets"
        if all(x["id"] != a["id"] for x in row[key]):
            row[key].append({**a, "name": a["name"] or a["id"]})
    return rows


@router.get("/events", summary="Events, filtered, sorted and paged on the server")
def list_events(
    store: StoreDep,
    q: EventQueryDep,
    p: PagingDep,
    sort: Annotated[str, Query(max_length=20, description="date, killed, casualties, ... ; -key = desc")] = (
        "-date"
    ),
) -> dict[str, Any]:
    order = order_by(sort)
    where, params = q.where()
    total = scalar(store, f"SELECT count(*) FROM events_current ev WHERE {where}", params)
    rows = store.query(list_sql(where, order), [*params, p.limit, p.offset])
    return page(attach_actors(store, rows), total, p)


def load_event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event as the UI shows it, corrections applied; rejected ones flagged, not hidden."""
    rows = store.query(f"SELECT {COLUMNS}, data FROM events_current WHERE event_id = ?", [event_id])
    if not rows:
        rows = store.query(
            f"""SELECT {REJECTED_COLUMNS}, e.data
            FROM events e JOIN event_edits x USING (event_id)
            WHERE e.event_id = ? AND x.status = 'reject'""",
            [event_id],
        )
    if not rows:
        return None
    event = rows[0]
    data = json.loads(event.pop("data") or "{}")
    event["detail"] = data
    event["quad_class"] = data.get("quad_class")
    event["intensity"] = data.get("intensity")
    event["gtd_attack_type"] = data.get("gtd_attack_type")
    attach_actors(store, [event])
    return event


@router.get("/events/{event_id}", summary="One event: fields, actors, evidence text, corrections")
def get_event(store: StoreDep, event_id: EventId) -> dict[str, Any]:
    event = load_event(store, event_id)
    if event is None:
        raise HTTPException(404, "no such event")
    doc = store.query(
        "SELECT doc_id, title, published, source, url, text FROM documents WHERE doc_id = ?",
        [event["doc_id"]],
    )
    text = doc[0].pop("text") if doc else ""
    event["document"] = doc[0] if doc else None
    spans = event["detail"].get("evidence") or []
    event["evidence"] = [
        {**s, "text": text[int(s["start"]) : int(s["end"])]}
        for s in spans
        if isinstance(s, dict) and "start" in s and "end" in s
    ]
    event["corrections"] = [parse_value(c) for c in corrections_for(store, event_id)]
    event["linked"] = linked_events(store, event_id)
    return event


def parse_value(row: dict[str, Any]) -> dict[str, Any]:
    """A correction row with its JSON `value` decoded (left as is if it is not JSON)."""
    with contextlib.suppress(TypeError, ValueError):
        row["value"] = json.loads(row["value"]) if row.get("value") is not None else None
    return row


def linked_events(store: Store, event_id: str) -> dict[str, Any] | None:
    """The same incident in other articles (cross-article linking), with why each was linked."""
    from newsgraph.analysis.link_view import canonical_event

    group = store.query(
        "SELECT count(*) AS n FROM event_links WHERE canonical_id = "
        "(SELECT canonical_id FROM event_links WHERE event_id = ?)",
        [event_id],
    )
    if not group or group[0]["n"] < 2:  # linked to nothing: skip the costly provenance query
        return None
    found = canonical_event(store, event_id)
    if found is None:
        return None
    members = [m for m in found["members"] if m["event_id"] != event_id]
    return {
        "canonical_id": found["canonical"]["canonical_id"],
        "n_sources": found["canonical"].get("n_sources"),
        "members": members,
        "decisions": found["decisions"],
    }


@router.get("/stats", summary="Counts for the dashboard")
def stats(store: StoreDep) -> dict[str, Any]:
    counts = store.query(
        """SELECT (SELECT count(*) FROM documents) AS documents,
                  (SELECT count(*) FROM events_current) AS events,
                  (SELECT count(*) FROM entities) AS entities,
                  (SELECT count(*) FROM quotes) AS quotes,
                  (SELECT count(*) FROM corrections) AS corrections,
                  (SELECT sum(killed) FROM events_current) AS killed,
                  (SELECT sum(injured) FROM events_current) AS injured,
                  (SELECT min(date_start) FROM events_current) AS first_date,
                  (SELECT max(date_start) FROM events_current) AS last_date"""
    )[0]
    by_type = store.query(
        "SELECT type, count(*) AS events FROM events_current GROUP BY type ORDER BY events DESC, type"
    )
    by_status = store.query(
        "SELECT review_status AS status, count(*) AS events FROM events_current GROUP BY 1 ORDER BY 1"
    )
    return {**counts, "by_type": by_type, "by_status": by_status}
