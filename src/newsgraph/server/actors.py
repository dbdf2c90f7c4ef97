"""Actors: the paged list, and one actor's events, quotes and relations over time.

An entity merged into another by an analyst is not listed on its own; it shows
as an alias of the one it was merged into, whose counts include it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query

from newsgraph.server.deps import PagingDep, StoreDep, page, scalar
from newsgraph.server.events import attach_actors

router = APIRouter(prefix="/api", tags=["actors"])

ACTOR_SORTS = {
    "mentions": "mentions {dir}",
    "events": "events {dir}",
    "documents": "documents {dir}",
    "name": "lower(name) {dir}",
}
INTERVALS = {"month": "month", "quarter": "quarter", "year": "year"}
Interval = Literal["month", "quarter", "year"]
ActorId = Annotated[str, Path(max_length=200)]

# Counts per canonical entity (merges applied), computed in one pass each.
COUNTS_SQL = """
    canon AS (
        SELECT e.entity_id, coalesce(g.canonical_id, e.entity_id) AS canonical_id
        FROM entities e LEFT JOIN entity_merges g USING (entity_id)
    ),
    mcount AS (
        SELECT c.canonical_id AS entity_id, count(*) AS mentions, count(DISTINCT m.doc_id) AS documents
        FROM mentions m JOIN canon c USING (entity_id) GROUP BY 1
    ),
    ecount AS (
        SELECT c.canonical_id AS entity_id, count(DISTINCT ea.event_id) AS events
        FROM event_actors ea JOIN canon c USING (entity_id) GROUP BY 1
    )"""


@router.get("/actors", summary="Actors (canonical entities) with mention and event counts")
def list_actors(
    store: StoreDep,
    p: PagingDep,
    q: Annotated[str | None, Query(max_length=200, description="Name contains, or exact id.")] = None,
    type: Annotated[str | None, Query(max_length=20)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=8)] = None,
    sort: Annotated[str, Query(max_length=20)] = "-mentions",
) -> dict[str, Any]:
    key = sort.lstrip("-")
    if key not in ACTOR_SORTS:
        raise HTTPException(422, f"sort must be one of {sorted(ACTOR_SORTS)}")
    order = ACTOR_SORTS[key].format(dir="DESC" if sort.startswith("-") else "ASC") + ", entity_id"
    clauses = ["e.entity_id NOT IN (SELECT entity_id FROM entity_merges)"]
    params: list[Any] = []
    if q:
        clauses.append("(e.name ILIKE ? OR e.entity_id = ?)")
        params += [f"%{q}%", q]
    if type:
        clauses.append("e.type = ?")
        params.append(type.upper())
    if kind:
        clauses.append("e.kind = ?")
        params.append(kind)
    if country:
        clauses.append("e.country = ?")
        params.append(country.upper())
    where = " AND ".join(clauses)
    total = scalar(store, f"SELECT count(*) FROM entities e WHERE {where}", params)
    rows = store.query(
        f"""WITH {COUNTS_SQL}
        SELECT * FROM (
            SELECT e.entity_id, e.name, e.type, e.kind, e.country, e.wikidata, e.sector,
                   coalesce(mc.mentions, 0) AS mentions, coalesce(mc.documents, 0) AS documents,
                   coalesce(ec.events, 0) AS events
            FROM entities e
            LEFT JOIN mcount mc USING (entity_id) LEFT JOIN ecount ec USING (entity_id)
            WHERE {where}
        ) ORDER BY {order} LIMIT ? OFFSET ?""",
        [*params, p.limit, p.offset],
    )
    return page(rows, total, p)


@router.get("/actors/{actor_id:path}", summary="One actor: events, quotes, relations over time")
def get_actor(
    store: StoreDep,
    actor_id: ActorId,
    p: PagingDep,
    interval: Interval = "year",
) -> dict[str, Any]:
    rows = store.query(
        "SELECT entity_id, name, type, kind, country, wikidata, role, geo, affiliation, sector "
        "FROM entities WHERE entity_id = ?",
        [actor_id],
    )
    if not rows:
        raise HTTPException(404, "no such actor")
    actor = rows[0]
    actor["geo"] = json.loads(actor["geo"]) if actor.get("geo") else None
    merged = store.query("SELECT canonical_id FROM entity_merges WHERE entity_id = ?", [actor_id])
    actor["merged_into"] = merged[0]["canonical_id"] if merged else None
    # The ids whose rows count as this actor: itself and everything merged into it.
    ids = [actor_id] + [
        r["entity_id"]
        for r in store.query("SELECT entity_id FROM entity_merges WHERE canonical_id = ?", [actor_id])
    ]
    actor["aliases"] = store.query(
        """SELECT m.text, count(*) AS mentions FROM mentions m
           WHERE m.entity_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20""",
        [ids],
    )
    actor["merged_from"] = store.query(
        "SELECT entity_id, name FROM entities WHERE entity_id IN (SELECT unnest(?::VARCHAR[])) "
        "AND entity_id <> ? ORDER BY name",
        [ids, actor_id],
    )
    actor["counts"] = store.query(
        """SELECT
             (SELECT count(*) FROM mentions WHERE entity_id IN (SELECT unnest($1::VARCHAR[]))) AS mentions,
             (SELECT count(DISTINCT doc_id) FROM mentions
                WHERE entity_id IN (SELECT unnest($1::VARCHAR[]))) AS documents,
             (SELECT count(DISTINCT ea.event_id) FROM event_actors ea JOIN events_current ev USING (event_id)
                WHERE ea.entity_id IN (SELECT unnest($1::VARCHAR[])) AND ea.role = 'source') AS as_source,
             (SELECT count(DISTINCT ea.event_id) FROM event_actors ea JOIN events_current ev USING (event_id)
                WHERE ea.entity_id IN (SELECT unnest($1::VARCHAR[])) AND ea.role = 'target') AS as_target,
             (SELECT count(*) FROM quotes WHERE speaker_id IN (SELECT unnest($1::VARCHAR[]))) AS quotes""",
        [ids],
    )[0]
    actor["events"] = _actor_events(store, ids, p.limit, p.offset)
    actor["quotes"] = store.query(
        """SELECT q.quote_id, q.doc_id, d.title AS doc_title, d.published, q.text, q.start_char AS start,
                  q.end_char AS end, q.direct, q.cue
           FROM quotes q JOIN documents d USING (doc_id)
           WHERE q.speaker_id IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY d.published DESC NULLS LAST, q.quote_id LIMIT 50""",
        [ids],
    )
    actor["documents"] = store.query(
        """SELECT d.doc_id, d.title, d.published, count(*) AS mentions
           FROM mentions m JOIN documents d USING (doc_id)
           WHERE m.entity_id IN (SELECT unnest(?::VARCHAR[]))
           GROUP BY ALL ORDER BY d.published DESC NULLS LAST, d.doc_id LIMIT 50""",
        [ids],
    )
    actor["relations"] = _relations(store, ids, INTERVALS[interval])
    actor["timeline"] = store.query(
        f"""SELECT date_trunc('{INTERVALS[interval]}', ev.date_start) AS period, count(*) AS events,
                   sum(ev.killed) AS killed
            FROM events_current ev
            WHERE ev.event_id IN (SELECT event_id FROM event_actors
                                  WHERE entity_id IN (SELECT unnest(?::VARCHAR[])))
              AND ev.date_start IS NOT NULL
            GROUP BY 1 ORDER BY 1""",
        [ids],
    )
    return actor


def _actor_events(store: Any, ids: list[str], limit: int, offset: int) -> dict[str, Any]:
    """The actor's events, newest first: its event ids (with its roles) first, then one page of them."""
    mine = """mine AS (
            SELECT event_id, list(DISTINCT role ORDER BY role) AS roles FROM event_actors
            WHERE entity_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY event_id
        )"""
    total = scalar(
        store, f"WITH {mine} SELECT count(*) FROM events_current JOIN mine USING (event_id)", [ids]
    )
    rows = store.query(
        f"""WITH {mine},
        pg AS (
            SELECT ev.event_id, ev.doc_id, ev.type, ev.mode, ev.date_start, ev.location, ev.country,
                   ev.killed, ev.injured, ev.confidence, ev.review_status, mine.roles
            FROM events_current ev JOIN mine USING (event_id)
            ORDER BY ev.date_start DESC NULLS LAST, ev.event_id LIMIT ? OFFSET ?
        )
        SELECT pg.*, d.title AS doc_title FROM pg LEFT JOIN documents d USING (doc_id)
        ORDER BY pg.date_start DESC NULLS LAST, pg.event_id""",
        [ids, limit, offset],
    )
    return {"total": total, "limit": limit, "offset": offset, "items": attach_actors(store, rows)}


def _relations(store: Any, ids: list[str], interval: str) -> list[dict[str, Any]]:
    """Who this actor acted on and was acted on by, per period, split into conflict and cooperation."""
    return store.query(
        f"""
        WITH mine AS (
            SELECT DISTINCT event_id, role FROM event_actors WHERE entity_id IN (SELECT unnest(?::VARCHAR[]))
        ),
        pairs AS (
            SELECT ev.event_id, m.role AS my_role, coalesce(g.canonical_id, o.entity_id) AS other_id,
                   date_trunc('{interval}', ev.date_start) AS period,
                   ev.data ->> '$.quad_class' AS quad_class,
                   TRY_CAST(ev.data ->> '$.intensity' AS DOUBLE) AS intensity
            FROM mine m
            JOIN events_current ev USING (event_id)
            JOIN event_actors o ON o.event_id = m.event_id AND o.role <> m.role
            LEFT JOIN entity_merges g ON g.entity_id = o.entity_id
            WHERE coalesce(g.canonical_id, o.entity_id) NOT IN (SELECT unnest(?::VARCHAR[]))
        ),
        top AS (
            SELECT other_id FROM pairs GROUP BY other_id ORDER BY count(DISTINCT event_id) DESC, other_id
            LIMIT 15
        )
        SELECT p.other_id AS id, en.name, en.kind, p.my_role AS role, p.period,
               count(DISTINCT p.event_id) AS events,
               count(DISTINCT p.event_id) FILTER (WHERE p.quad_class LIKE '%conflict') AS conflict,
               count(DISTINCT p.event_id) FILTER (WHERE p.quad_class LIKE '%cooperation') AS cooperation,
               round(avg(p.intensity), 2) AS mean_intensity
        FROM pairs p JOIN top USING (other_id) LEFT JOIN entities en ON en.entity_id = p.other_id
        GROUP BY ALL ORDER BY p.other_id, p.period NULLS FIRST, p.my_role""",
        [ids, ids],
    )
