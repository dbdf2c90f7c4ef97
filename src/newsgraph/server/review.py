"""Review writes: confirm, reject, restore and edit events; merge actors; link or split events.

Every write goes through `add_correction`, which stores who and when; the
extraction rows are never touched, so a re-ingest cannot undo a review.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import ConfigDict, Field

from newsgraph.server.deps import (
    AccessDep,
    AuthorHeader,
    PagingDep,
    StoreDep,
    WriteBody,
    author_of,
    page,
    scalar,
)
from newsgraph.server.events import EventId, linked_events, load_event, parse_value
from newsgraph.store import corrections as corr
from newsgraph.store.db import Store

router = APIRouter(prefix="/api", tags=["review"])

EntityId = Annotated[str, Path(max_length=200)]


class EventPatch(WriteBody):
    """Fields to correct; only those present in the body are recorded."""

    model_config = ConfigDict(extra="forbid")

    type: str | None = Field(None, pattern=r"^[A-Z_]{2,20}$")
    mode: str | None = Field(None, max_length=40)
    date_start: dt.date | None = None
    date_precision: Literal["day", "week", "month", "quarter", "year", "decade", "unknown"] | None = None
    location: str | None = Field(None, max_length=200)
    country: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    killed: int | None = Field(None, ge=0, le=1_000_000)
    injured: int | None = Field(None, ge=0, le=1_000_000)


class MergeEntity(WriteBody):
    into: str = Field(..., min_length=1, max_length=200, description="The entity id to merge into.")


class LinkEvents(WriteBody):
    other: str = Field(..., min_length=1, max_length=100, description="The other event's id.")


def _record(
    access: AccessDep,
    store: Store,
    kind: str,
    target: str,
    action: str,
    author: str,
    *,
    field: str | None = None,
    value: Any = None,
    note: str | None = None,
) -> int:
    with access.write_lock:
        try:
            cid = corr.add_correction(store, kind, target, action, author, field, value, note)
        except corr.CorrectionError as exc:
            raise HTTPException(422, str(exc)) from None
        access.cache.clear()
    return cid


def _require_event(store: Store, event_id: str) -> None:
    if not store.query("SELECT 1 FROM events WHERE event_id = ?", [event_id]):
        raise HTTPException(404, "no such event")


def _event_action(
    action: str, access: AccessDep, store: Store, event_id: str, body: WriteBody, header: str | None
) -> dict[str, Any]:
    _require_event(store, event_id)
    author = author_of(body, header)
    cid = _record(access, store, "event", event_id, action, author, note=body.note)
    return {"correction_id": cid, "event": load_event(store, event_id)}


@router.post("/events/{event_id}/confirm", summary="Confirm an extracted event")
def confirm_event(
    access: AccessDep, store: StoreDep, event_id: EventId, body: WriteBody, x_author: AuthorHeader = None
) -> dict[str, Any]:
    return _event_action("confirm", access, store, event_id, body, x_author)


@router.post("/events/{event_id}/reject", summary="Reject a false event (hidden everywhere after)")
def reject_event(
    access: AccessDep, store: StoreDep, event_id: EventId, body: WriteBody, x_author: AuthorHeader = None
) -> dict[str, Any]:
    return _event_action("reject", access, store, event_id, body, x_author)


@router.post("/events/{event_id}/restore", summary="Undo a rejection")
def restore_event(
    access: AccessDep, store: StoreDep, event_id: EventId, body: WriteBody, x_author: AuthorHeader = None
) -> dict[str, Any]:
    return _event_action("restore", access, store, event_id, body, x_author)


@router.patch("/events/{event_id}", summary="Correct event fields")
def edit_event(
    access: AccessDep, store: StoreDep, event_id: EventId, body: EventPatch, x_author: AuthorHeader = None
) -> dict[str, Any]:
    _require_event(store, event_id)
    author = author_of(body, x_author)
    fields = sorted(body.model_fields_set & corr.EVENT_FIELDS)
    if not fields:
        raise HTTPException(422, f"nothing to change; editable fields: {sorted(corr.EVENT_FIELDS)}")
    ids = []
    for name in fields:
        value = getattr(body, name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        ids.append(
            _record(access, store, "event", event_id, "edit", author, field=name, value=value, note=body.note)
        )
    return {"correction_ids": ids, "event": load_event(store, event_id)}


@router.post("/entities/{entity_id:path}/merge", summary="Merge an actor into another")
def merge_entity(
    access: AccessDep, store: StoreDep, entity_id: EntityId, body: MergeEntity, x_author: AuthorHeader = None
) -> dict[str, Any]:
    author = author_of(body, x_author)
    cid = _record(
        access, store, "entity", entity_id, "merge", author, value=body.into.strip(), note=body.note
    )
    return {"correction_id": cid, "entity_id": entity_id, "into": body.into.strip()}


@router.post("/entities/{entity_id:path}/unmerge", summary="Undo a merge")
def unmerge_entity(
    access: AccessDep, store: StoreDep, entity_id: EntityId, body: WriteBody, x_author: AuthorHeader = None
) -> dict[str, Any]:
    author = author_of(body, x_author)
    cid = _record(access, store, "entity", entity_id, "unmerge", author, note=body.note)
    return {"correction_id": cid, "entity_id": entity_id}


def _link(
    action: str, access: AccessDep, store: Store, event_id: str, body: LinkEvents, header: str | None
) -> dict[str, Any]:
    from newsgraph.analysis.linking import link_events

    _require_event(store, event_id)
    _require_event(store, body.other)
    if body.other == event_id:
        raise HTTPException(422, "an event cannot be linked with itself")
    author = author_of(body, header)
    cid = _record(access, store, "link", event_id, action, author, value=body.other, note=body.note)
    with access.write_lock:
        # Apply the decision now: linking is incremental, only these events are rescored.
        link_events(store)
        access.cache.clear()
    return {
        "correction_id": cid,
        "event_id": event_id,
        "other": body.other,
        "action": action,
        "linked": linked_events(store, event_id),
    }


@router.post("/events/{event_id}/merge", summary="Mark two events as the same event")
def merge_events(
    access: AccessDep, store: StoreDep, event_id: EventId, body: LinkEvents, x_author: AuthorHeader = None
) -> dict[str, Any]:
    return _link("merge", access, store, event_id, body, x_author)


@router.post("/events/{event_id}/split", summary="Mark two events as different events")
def split_events(
    access: AccessDep, store: StoreDep, event_id: EventId, body: LinkEvents, x_author: AuthorHeader = None
) -> dict[str, Any]:
    return _link("split", access, store, event_id, body, x_author)


@router.get("/review/queue", summary="Events waiting for review, least confident first")
def review_queue(store: StoreDep, p: PagingDep) -> dict[str, Any]:
    where = "review_status = 'extracted'"
    total = scalar(store, f"SELECT count(*) FROM events_current WHERE {where}", [])
    # Page first; the evidence sentence is cut from the article only for the rows shown.
    rows = store.query(
        f"""WITH pg AS (
                SELECT ev.event_id, ev.doc_id, ev.type, ev.mode, ev.date_start, ev.location, ev.country,
                       ev.killed, ev.injured, ev.confidence
                FROM events_current ev
                WHERE {where} ORDER BY ev.confidence NULLS FIRST, ev.event_id LIMIT ? OFFSET ?
            ),
            spans AS (
                SELECT e.event_id, TRY_CAST(e.data ->> '$.evidence[0].start' AS INTEGER) AS s,
                       TRY_CAST(e.data ->> '$.evidence[0].end' AS INTEGER) AS t
                FROM events e WHERE e.event_id IN (SELECT event_id FROM pg)
            )
            SELECT pg.*, d.title AS doc_title,
                   substr(d.text, spans.s + 1, least(spans.t - spans.s, 600)) AS evidence
            FROM pg LEFT JOIN spans USING (event_id) LEFT JOIN documents d USING (doc_id)
            ORDER BY pg.confidence NULLS FIRST, pg.event_id""",
        [p.limit, p.offset],
    )
    return page(rows, total, p)


@router.get("/review/rejected", summary="Rejected events, so they can be restored")
def rejected(store: StoreDep, p: PagingDep) -> dict[str, Any]:
    base = "FROM events e JOIN event_edits x USING (event_id) WHERE x.status = 'reject'"
    total = scalar(store, f"SELECT count(*) {base}", [])
    rows = store.query(
        f"""SELECT e.event_id, e.doc_id, e.type, e.mode, e.date_start, e.location, e.country, e.killed,
                   e.injured, x.corrected_at {base}
            ORDER BY x.corrected_at DESC, e.event_id LIMIT ? OFFSET ?""",
        [p.limit, p.offset],
    )
    return page(rows, total, p)


@router.get("/corrections", summary="The review log, newest first")
def corrections_log(
    store: StoreDep,
    p: PagingDep,
    target: Annotated[str | None, Query(max_length=200)] = None,
    author: Annotated[str | None, Query(max_length=120)] = None,
) -> dict[str, Any]:
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if target:
        clauses.append("target_id = ?")
        params.append(target)
    if author:
        clauses.append("author = ?")
        params.append(author)
    where = " AND ".join(clauses)
    total = scalar(store, f"SELECT count(*) FROM corrections WHERE {where}", params)
    rows = store.query(
        f"""SELECT correction_id, target_kind, target_id, field, action, value, author, note, created_at
            FROM corrections WHERE {where} ORDER BY correction_id DESC LIMIT ? OFFSET ?""",
        [*params, p.limit, p.offset],
    )
    return page([parse_value(r) for r in rows], total, p)
