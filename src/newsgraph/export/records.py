"""Events as every export writes them: the contract object with human corrections applied.

The store keeps the extracted event object in `events.data` and applies
corrections in the `events_current` view's columns. An export must not hand
out the uncorrected object, so this module lays the corrected columns (type,
mode, date, place, casualties; actors after entity merges) back over it, and
drops coordinates that belonged to a place a reviewer replaced.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsgraph.analysis.evidence import evidence_text
from newsgraph.analysis.select import selected_events_sql
from newsgraph.extract.event_lexicon import load_event_lexicon
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

CHUNK = 1000


def iter_events(
    store: Store,
    filters: EventFilter | None = None,
    *,
    occurred_only: bool = True,
    doc_ids: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Each selected event (of these documents): the corrected contract object plus `doc_id`,
    `review_status`, `document` (doc_id, title, source, url, published) and `evidence_text`."""
    sql, params = selected_events_sql(filters, occurred_only=occurred_only, one_per_incident=False)
    in_docs = ""
    if doc_ids is not None:
        in_docs = "WHERE s.doc_id IN (SELECT unnest(?))"
        params = [*params, doc_ids]
    cur = store.con.execute(
        f"""SELECT s.*,
                list(DISTINCT ea.entity_id ORDER BY ea.entity_id) FILTER (ea.role = 'source') AS sources,
                list(DISTINCT ea.entity_id ORDER BY ea.entity_id) FILTER (ea.role = 'target') AS targets
            FROM ({sql}) s LEFT JOIN event_actors_current ea USING (event_id) {in_docs}
            GROUP BY ALL ORDER BY s.date_start NULLS LAST, s.doc_id, s.event_id""",
        params,
    )
    cols = [d[0] for d in cur.description or []]
    while True:
        batch = cur.fetchmany(CHUNK)
        if not batch:
            return
        rows = [dict(zip(cols, r, strict=True)) for r in batch]
        docs = _documents(store, sorted({r["doc_id"] for r in rows}))
        for row in rows:
            yield _record(row, docs.get(row["doc_id"], {}))


def entities_by_id(store: Store, ids: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Entity rows (geo parsed), all of those still mentioned or in an event when `ids` is None."""
    if ids is None:
        sql = """SELECT * FROM entities WHERE entity_id IN (SELECT entity_id FROM mentions_current)
                 OR entity_id IN (SELECT entity_id FROM event_actors_current) ORDER BY entity_id"""
        rows = store.query(sql)
    elif not ids:
        return {}
    else:
        rows = store.query(
            "SELECT * FROM entities WHERE entity_id IN (SELECT unnest(?)) ORDER BY entity_id", [sorted(ids)]
        )
    out = {}
    for r in rows:
        r["geo"] = json.loads(r["geo"]) if isinstance(r.get("geo"), str) else r.get("geo")
        out[r["entity_id"]] = r
    return out


def actor_ids(record: dict[str, Any]) -> set[str]:
    return set(record.get("source_actors") or []) | set(record.get("target_actors") or [])


def _documents(store: Store, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = store.query(
        "SELECT doc_id, title, source, url, published, text FROM documents "
        "WHERE doc_id IN (SELECT unnest(?))",
        [doc_ids],
    )
    return {r["doc_id"]: r for r in rows}


def _record(row: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(row["data"]) if row.get("data") else {}
    ev = dict(data)
    ev["id"] = row["event_id"]
    if (row["type"], row["mode"]) != (data.get("type"), data.get("mode")):
        lex = load_event_lexicon()
        ev["intensity"] = lex.score(row["type"], row["mode"])
        ev["quad_class"] = lex.quad_class.get(row["type"])
    ev["type"], ev["mode"] = row["type"], row["mode"]
    date = dict(data.get("date") or {})
    start = row["date_start"].isoformat() if row["date_start"] else None
    if start != date.get("start") or row["date_precision"] != date.get("precision"):
        date.update(start=start, precision=row["date_precision"])
        if row["date_precision"] == "day":
            date["end"] = start
    ev["date"] = date or None
    loc = dict(data.get("location") or {})
    if row["location"] != loc.get("name") or row["country"] != loc.get("country"):
        # a reviewer moved the event: the old coordinates describe another place
        loc = {"name": row["location"], "country": row["country"], "admin1": None, "lat": None, "lon": None}
    ev["location"] = loc if any(v is not None for v in loc.values()) else None
    casualties = dict(data.get("casualties") or {})
    for key in ("killed", "injured"):
        figure = casualties.get(key) or {}
        if row[key] is not None and row[key] != figure.get("min"):
            casualties[key] = {"min": row[key], "max": row[key], "approx": False}
    ev["casualties"] = casualties
    ev["source_actors"] = list(row.get("sources") or [])
    ev["target_actors"] = list(row.get("targets") or [])
    ev["negated"] = bool(row["negated"])
    ev["hypothetical"] = bool(row["hypothetical"])
    ev["historical"] = bool(row["historical"])
    ev["confidence"] = row["confidence"]
    ev["doc_id"] = row["doc_id"]
    ev["review_status"] = row["review_status"]
    ev["document"] = {k: doc.get(k) for k in ("doc_id", "title", "source", "url", "published")}
    ev["evidence_text"] = evidence_text(doc.get("text") or "", data)
    return ev
