"""Event filters and sort keys from query strings to SQL, with every value bound.

The WHERE text is assembled only from fixed fragments in this file; what the
user typed is always a parameter. Sorting is by name from a whitelist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query

from newsgraph.store.queries import EventFilter, event_conditions

REVIEW_STATUSES = ("extracted", "confirm", "restore")
SORTS: dict[str, str] = {
    "date": "ev.date_start {dir} NULLS LAST",
    "killed": "coalesce(ev.killed, 0) {dir}",
    "injured": "coalesce(ev.injured, 0) {dir}",
    "casualties": "coalesce(ev.killed, 0) + coalesce(ev.injured, 0) {dir}",
    "confidence": "ev.confidence {dir} NULLS LAST",
    "type": "ev.type {dir}",
    "country": "ev.country {dir} NULLS LAST",
    "location": "ev.location {dir} NULLS LAST",
}


@dataclass(frozen=True)
class EventQuery:
    """The filters the events table, timeline, map and exports all share."""

    type: str | None = None
    mode: str | None = None
    actor: str | None = None
    country: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None
    status: str | None = None
    doc_id: str | None = None
    min_casualties: int | None = None

    def where(self, alias: str = "ev") -> tuple[str, list[Any]]:
        """A WHERE clause over `events_current` (aliased) and its bound parameters."""
        a = alias
        clauses: list[str] = []
        params: list[Any] = []
        if self.type:
            clauses.append(f"{a}.type = ?")
            params.append(self.type.upper())
        if self.mode:
            clauses.append(f"{a}.mode = ?")
            params.append(self.mode)
        if self.country:
            clauses.append(f"{a}.country = ?")
            params.append(self.country.upper())
        if self.since:
            clauses.append(f"{a}.date_start >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{a}.date_start <= ?")
            params.append(self.until)
        shared, shared_params = event_conditions(
            EventFilter(status=self.status, doc_id=self.doc_id, min_casualties=self.min_casualties), a
        )
        clauses += shared
        params += shared_params
        if self.actor:
            # the few matching entities first (merges applied), then their events
            clauses.append(
                f"{a}.event_id IN (SELECT ea.event_id FROM event_actors ea WHERE ea.entity_id IN ("
                "SELECT en.entity_id FROM entities en LEFT JOIN entity_merges g USING (entity_id) "
                "WHERE coalesce(g.canonical_id, en.entity_id) = ? OR en.country = ? "
                "OR lower(en.name) = lower(?)))"
            )
            params += [self.actor, self.actor.upper(), self.actor]
        if self.text:
            needle = f"%{self.text}%"
            clauses.append(
                f"({a}.location ILIKE ? OR {a}.type ILIKE ? OR {a}.mode ILIKE ? OR {a}.event_id = ? "
                f"OR {a}.doc_id IN (SELECT doc_id FROM documents WHERE title ILIKE ?))"
            )
            params += [needle, needle, needle, self.text, needle]
        return (" AND ".join(clauses) or "TRUE"), params

    def as_event_filter(self, limit: int = 50, offset: int = 0) -> EventFilter:
        """The store's own filter object, for the analysis and export modules that take one."""
        return EventFilter(
            type=self.type,
            mode=self.mode,
            actor=self.actor,
            country=self.country,
            since=self.since.isoformat() if self.since else None,
            until=self.until.isoformat() if self.until else None,
            text=self.text,
            status=self.status,
            doc_id=self.doc_id,
            min_casualties=self.min_casualties,
            limit=limit,
            offset=offset,
        )


def event_query(
    type: Annotated[str | None, Query(max_length=40, description="PLOVER event type.")] = None,
    mode: Annotated[str | None, Query(max_length=40)] = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="Entity id, ISO-3 country, or exact name.")
    ] = None,
    country: Annotated[str | None, Query(max_length=8, description="ISO-3 of the event location.")] = None,
    since: Annotated[dt.date | None, Query(description="First date (inclusive).")] = None,
    until: Annotated[dt.date | None, Query(description="Last date (inclusive).")] = None,
    text: Annotated[
        str | None, Query(max_length=200, description="Location, type, mode or article title.")
    ] = None,
    status: Annotated[str | None, Query(max_length=20, description="Review status.")] = None,
    doc_id: Annotated[str | None, Query(max_length=100)] = None,
    min_casualties: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> EventQuery:
    if status and status not in REVIEW_STATUSES:
        raise HTTPException(422, f"status must be one of {list(REVIEW_STATUSES)}")
    return EventQuery(
        type=type or None,
        mode=mode or None,
        actor=actor or None,
        country=country or None,
        since=since,
        until=until,
        text=text or None,
        status=status or None,
        doc_id=doc_id or None,
        min_casualties=min_casualties,
    )


EventQueryDep = Annotated[EventQuery, Depends(event_query)]


def order_by(sort: str, alias: str = "ev") -> str:
    """ORDER BY text for a whitelisted sort key (`date`, `-killed`, ...); anything else is a 422."""
    key = sort.lstrip("-")
    if key not in SORTS:
        raise HTTPException(422, f"sort must be one of {sorted(SORTS)} (prefix - for descending)")
    direction = "DESC" if sort.startswith("-") else "ASC"
    clause = SORTS[key].format(dir=direction).replace("ev.", f"{alias}.")
    return f"{clause}, {alias}.event_id"
