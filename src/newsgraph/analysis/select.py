"""Which events an analysis or export looks at: `events_current` narrowed by an EventFilter.

Every analysis reads through the views that apply human corrections, and by
default only events that happened: a negated ("did not attack") or
hypothetical ("threatened to strike") event is kept in the store for review but
would inflate counts, casualty totals and hostility scores. `limit` and
`offset` of the filter are ignored here: an analysis over the first 50 events
would silently be wrong.

The same incident reported by three articles is three extracted events. Once
cross-article linking has run (`event_links`), `one_per_incident` keeps one
event per linked group: the canonical event where it is selected, else the
first selected member. Before linking has run it changes nothing.

The rows are read from `event_facts`, the store's copy of `events_current`
ordered by date (store/facts.py), so a date range reads a few blocks; the actor
condition reads `event_actor_facts`, with entity merges applied as
`event_actors_current` applies them.
"""

from __future__ import annotations

from typing import Any

from newsgraph.store.queries import EventFilter, date_conditions, event_conditions

EVENT_COLUMNS = (
    "event_id, doc_id, type, mode, date_start, date_end, date_precision, location, country, admin1, "
    "lat, lon, killed, injured, negated, hypothetical, historical, confidence, review_status, data"
)


def actor_events_sql(f: EventFilter) -> tuple[str, list[Any]]:
    """`SELECT event_id` of the events one of whose actors (merges applied) matches `f.actor`.

    An id (RUS), a part of a state (RUS matches RUS/GOV), an entity of that country, or a
    name. The event's date range is applied to the actor rows too (they carry the event's
    current date), so DuckDB reads only the blocks of that range.
    """
    assert f.actor
    dates, params = date_conditions(f, "a")
    where = " AND ".join([*dates, "TRUE"])
    sql = f"""SELECT a.event_id FROM event_actor_facts a
        LEFT JOIN entity_merges g ON g.entity_id = a.entity_id
        LEFT JOIN entities en ON en.entity_id = coalesce(g.canonical_id, a.entity_id)
        WHERE {where} AND (coalesce(g.canonical_id, a.entity_id) = ?
            OR coalesce(g.canonical_id, a.entity_id) LIKE ? OR en.country = ? OR en.name ILIKE ?)"""
    return sql, [*params, f.actor, f"{f.actor.upper()}/%", f.actor.upper(), f.actor]


def event_where(
    filters: EventFilter | None, *, occurred_only: bool = True, alias: str = "ev"
) -> tuple[str, list[Any]]:
    """A WHERE clause (without the keyword) over `event_facts AS {alias}`, and its parameters.

    `event_facts` has the rows and columns of `events_current`, so the clause means the
    same over either.
    """
    f = filters or EventFilter()
    where: list[str] = ["1=1"]
    params: list[Any] = []
    if occurred_only:
        where.append(f"NOT coalesce({alias}.negated, false) AND NOT coalesce({alias}.hypothetical, false)")
    if f.type:
        where.append(f"{alias}.type = ?")
        params.append(f.type.upper())
    if f.mode:
        where.append(f"{alias}.mode = ?")
        params.append(f.mode)
    if f.country:
        where.append(f"{alias}.country = ?")
        params.append(f.country.upper())
    if f.actor:
        actor_sql, actor_params = actor_events_sql(f)
        where.append(f"{alias}.event_id IN ({actor_sql})")
        params += actor_params
    dates, date_params = date_conditions(f, alias)
    where += dates
    params += date_params
    if f.text:
        where.append(f"CAST({alias}.data AS VARCHAR) ILIKE ?")
        params.append(f"%{f.text}%")
    extra, extra_params = event_conditions(f, alias)
    return " AND ".join(where + extra), params + extra_params


def selected_events_sql(
    filters: EventFilter | None,
    *,
    occurred_only: bool = True,
    one_per_incident: bool = True,
    columns: str = EVENT_COLUMNS,
) -> tuple[str, list[Any]]:
    """`SELECT columns FROM <selected events_current rows>`, for use as a subquery or on its own."""
    where, params = event_where(filters, occurred_only=occurred_only)
    if not one_per_incident:
        return f"SELECT {columns} FROM event_facts ev WHERE {where}", params
    ranked = f"""
        SELECT ev.*, row_number() OVER (
            PARTITION BY coalesce(l.canonical_id, ev.event_id)
            ORDER BY ev.event_id = coalesce(l.canonical_id, ev.event_id) DESC, ev.event_id
        ) AS _rank
        FROM event_facts ev LEFT JOIN event_links l ON l.event_id = ev.event_id
        WHERE {where}"""
    return f"SELECT {columns} FROM ({ranked}) WHERE _rank = 1", params
