"""Read-side queries shared by the CLI, the Python API and the server.

Every filter is a bound parameter: user text never becomes SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.ids import id_list


@dataclass(frozen=True)
class DocumentFilter:
    text: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    entity: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class EntityFilter:
    name: str | None = None
    type: str | None = None
    kind: str | None = None
    country: str | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True)
class EventFilter:
    type: str | None = None
    mode: str | None = None
    actor: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    status: str | None = None
    """Review status: extracted, confirm or restore (rejected events are never listed)."""
    doc_id: str | None = None
    min_casualties: int | None = None
    """Killed plus injured at least this many."""
    limit: int = 50
    offset: int = 0


def event_conditions(f: EventFilter, alias: str = "ev") -> tuple[list[str], list[Any]]:
    """The review, document and casualty conditions every event query shares."""
    where: list[str] = []
    params: list[Any] = []
    if f.status:
        where.append(f"{alias}.review_status = ?")
        params.append(f.status)
    if f.doc_id:
        where.append(f"{alias}.doc_id = ?")
        params.append(f.doc_id)
    if f.min_casualties is not None:
        where.append(f"coalesce({alias}.killed, 0) + coalesce({alias}.injured, 0) >= ?")
        params.append(f.min_casualties)
    return where, params


def documents(store: Store, f: DocumentFilter) -> list[dict[str, Any]]:
    where, params = ["1=1"], []
    if f.text:
        where.append("(d.text ILIKE ? OR d.title ILIKE ?)")
        params += [f"%{f.text}%", f"%{f.text}%"]
    if f.source:
        where.append("d.source ILIKE ?")
        params.append(f"%{f.source}%")
    if f.since:
        where.append("d.published >= CAST(? AS DATE)")
        params.append(f.since)
    if f.until:
        where.append("d.published <= CAST(? AS DATE)")
        params.append(f.until)
    if f.entity:
        where.append("d.doc_id IN (SELECT doc_id FROM mentions_current WHERE entity_id = ?)")
        params.append(f.entity)
    sql = f"""
        SELECT d.doc_id, d.title, d.published, d.authors, d.source, length(d.text) AS chars,
               (SELECT count(DISTINCT entity_id) FROM mentions_current m
                WHERE m.doc_id = d.doc_id) AS entities,
               (SELECT count(*) FROM events_current e WHERE e.doc_id = d.doc_id) AS events
        FROM documents d WHERE {" AND ".join(where)}
        ORDER BY d.published DESC NULLS LAST, d.source
        LIMIT ? OFFSET ?"""
    return store.query(sql, [*params, f.limit, f.offset])


def entities(store: Store, f: EntityFilter) -> list[dict[str, Any]]:
    where, params = ["1=1"], []
    if f.name:
        where.append("(e.name ILIKE ? OR e.entity_id = ?)")
        params += [f"%{f.name}%", f.name]
    if f.type:
        where.append("e.type = ?")
        params.append(f.type.upper())
    if f.kind:
        where.append("e.kind = ?")
        params.append(f.kind)
    if f.country:
        where.append("(e.country = ? OR e.entity_id = ?)")
        params += [f.country.upper(), f.country.upper()]
    sql = f"""
        SELECT e.entity_id, e.name, e.type, e.kind, e.country, e.wikidata,
               count(m.entity_id) AS mentions, count(DISTINCT m.doc_id) AS documents
        FROM entities e JOIN mentions_current m ON m.entity_id = e.entity_id
        WHERE {" AND ".join(where)}
        GROUP BY ALL ORDER BY mentions DESC, e.name LIMIT ? OFFSET ?"""
    return store.query(sql, [*params, f.limit, f.offset])


def date_conditions(f: EventFilter, alias: str = "ev") -> tuple[list[str], list[Any]]:
    """The `since`/`until` conditions on `{alias}.date_start`; also narrow actor rows to the same dates."""
    where: list[str] = []
    params: list[Any] = []
    if f.since:
        where.append(f"{alias}.date_start >= CAST(? AS DATE)")
        params.append(f.since)
    if f.until:
        where.append(f"{alias}.date_start <= CAST(? AS DATE)")
        params.append(f.until)
    return where, params


def events(store: Store, f: EventFilter) -> list[dict[str, Any]]:
    """A page of `events_current`, newest first.

    Read from `event_facts` (the same rows, ordered by date: store/facts.py) and, for the
    actor, from `event_actor_facts` narrowed to the same dates, with merges applied as
    `event_actors_current` applies them.
    """
    where, params = ["1=1"], []
    for column, value in (("ev.type", f.type), ("ev.mode", f.mode), ("ev.country", f.country)):
        if value:
            where.append(f"{column} = ?")
            params.append(value.upper() if column != "ev.mode" else value)
    if f.actor:
        dates, date_params = date_conditions(f, "a")
        where.append(
            "ev.event_id IN (SELECT a.event_id FROM event_actor_facts a "
            "LEFT JOIN entity_merges g ON g.entity_id = a.entity_id "
            "JOIN entities en ON en.entity_id = coalesce(g.canonical_id, a.entity_id) "
            f"WHERE {' AND '.join([*dates, 'TRUE'])} "
            "AND (en.entity_id = ? OR en.country = ? OR en.name ILIKE ?))"
        )
        params += [*date_params, f.actor, f.actor.upper(), f.actor]
    dates, date_params = date_conditions(f, "ev")
    where += dates
    params += date_params
    if f.text:
        where.append("CAST(ev.data AS VARCHAR) ILIKE ?")
        params.append(f"%{f.text}%")
    extra, extra_params = event_conditions(f)
    where += extra
    params += extra_params
    sql = f"""
        SELECT ev.event_id, ev.doc_id, ev.type, ev.mode, ev.date_start, ev.date_precision, ev.location,
               ev.country, ev.killed, ev.injured, ev.confidence, ev.review_status
        FROM event_facts ev WHERE {" AND ".join(where)}
        ORDER BY ev.date_start DESC NULLS LAST, ev.event_id LIMIT ? OFFSET ?"""
    return store.query(sql, [*params, f.limit, f.offset])


def unresolved_names(store: Store, known_ids: list[str], limit: int = 50) -> list[dict[str, Any]]:
    """The most frequent names that resolved to no dictionary actor (for `newsgraph actors suggest`)."""
    sql = """
        SELECT e.name, e.type, e.entity_id, count(*) AS mentions, count(DISTINCT m.doc_id) AS documents,
               list(DISTINCT m.text)[:5] AS surfaces
        FROM mentions_current m JOIN entities e USING (entity_id)
        WHERE e.entity_id NOT IN (SELECT unnest(?::JSON::VARCHAR[]))
          AND coalesce(e.kind, '') NOT IN ('generic', 'demonym')
          AND e.type IN ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP', 'FAC')
          AND e.entity_id NOT LIKE '%/%'
        GROUP BY ALL ORDER BY documents DESC, mentions DESC, e.name LIMIT ?"""
    return store.query(sql, [id_list(known_ids), limit])
