"""Documents: the paged list and one document with every annotation the reader highlights."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from newsgraph.server.deps import PagingDep, StoreDep, page, scalar
from newsgraph.server.events import COLUMNS, attach_actors
from newsgraph.store.db import Store

router = APIRouter(prefix="/api", tags=["documents"])

DOC_SORTS = {
    "published": "d.published {dir} NULLS LAST",
    "title": "d.title {dir} NULLS LAST",
    "source": "d.source {dir}",
    "ingested": "d.ingested_at {dir}",
}


@router.get("/documents", summary="Documents, filtered and paged")
def list_documents(
    store: StoreDep,
    p: PagingDep,
    text: Annotated[str | None, Query(max_length=200, description="In the title or body.")] = None,
    source: Annotated[str | None, Query(max_length=500)] = None,
    entity: Annotated[str | None, Query(max_length=200, description="Mentions this entity id.")] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    sort: Annotated[str, Query(max_length=20)] = "-published",
) -> dict[str, Any]:
    key = sort.lstrip("-")
    if key not in DOC_SORTS:
        raise HTTPException(422, f"sort must be one of {sorted(DOC_SORTS)}")
    order = DOC_SORTS[key].format(dir="DESC" if sort.startswith("-") else "ASC") + ", d.doc_id"
    clauses: list[str] = ["TRUE"]
    params: list[Any] = []
    if text:
        clauses.append("(d.title ILIKE ? OR d.text ILIKE ?)")
        params += [f"%{text}%", f"%{text}%"]
    if source:
        clauses.append("d.source ILIKE ?")
        params.append(f"%{source}%")
    if entity:
        clauses.append("d.doc_id IN (SELECT doc_id FROM mentions_current WHERE entity_id = ?)")
        params.append(entity)
    if since:
        clauses.append("d.published >= ?")
        params.append(since)
    if until:
        clauses.append("d.published <= ?")
        params.append(until)
    where = " AND ".join(clauses)
    total = scalar(store, f"SELECT count(*) FROM documents d WHERE {where}", params)
    rows = store.query(
        f"""
        WITH pg AS (
            SELECT d.doc_id, d.title, d.published, d.authors, d.source, d.url, d.ingested_at,
                   length(d.text) AS chars
            FROM documents d WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?
        )
        SELECT pg.*,
            (SELECT count(DISTINCT m.entity_id) FROM mentions m WHERE m.doc_id = pg.doc_id) AS entities,
            (SELECT count(*) FROM events_current e WHERE e.doc_id = pg.doc_id) AS events
        FROM pg ORDER BY {order.replace("d.", "pg.")}""",
        [*params, p.limit, p.offset],
    )
    return page(rows, total, p)


@router.get("/documents/{doc_id}", summary="One document: text, sentences, mentions, events, quotes")
def get_document(store: StoreDep, doc_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
    rows = store.query(
        "SELECT doc_id, source, title, authors, published, url, language, text, ingested_at "
        "FROM documents WHERE doc_id = ?",
        [doc_id],
    )
    if not rows:
        raise HTTPException(404, "no such document")
    doc = rows[0]
    doc["sentences"] = store.query(
        "SELECT idx, start_char AS start, end_char AS end FROM sentences WHERE doc_id = ? ORDER BY idx",
        [doc_id],
    )
    doc["mentions"] = store.query(
        """SELECT m.entity_id, m.start_char AS start, m.end_char AS end, m.text, m.sentence, m.label,
                  m.rule, m.confidence, e.name, e.type, e.kind, e.country
           FROM mentions_current m LEFT JOIN entities e USING (entity_id)
           WHERE m.doc_id = ? ORDER BY m.start_char, m.end_char""",
        [doc_id],
    )
    doc["events"] = document_events(store, doc_id)
    doc["quotes"] = document_quotes(store, doc_id)
    return doc


def document_events(store: Store, doc_id: str) -> list[dict[str, Any]]:
    rows = store.query(
        f"SELECT {COLUMNS}, data FROM events_current WHERE doc_id = ? ORDER BY date_start, event_id",
        [doc_id],
    )
    for row in rows:
        data = json.loads(row.pop("data") or "{}")
        row["trigger"] = data.get("trigger")
        row["evidence"] = data.get("evidence") or []
        row["casualties"] = data.get("casualties")
        row["weapons"] = data.get("weapons") or []
        row["quad_class"] = data.get("quad_class")
        row["intensity"] = data.get("intensity")
        row["gtd_attack_type"] = data.get("gtd_attack_type")
        row["arguments"] = data.get("arguments") or []
    return attach_actors(store, rows, doc_id=doc_id)


def document_quotes(store: Store, doc_id: str) -> list[dict[str, Any]]:
    return store.query(
        """SELECT q.quote_id, coalesce(g.canonical_id, q.speaker_id) AS speaker_id, q.speaker_name,
                  e.name AS speaker, q.text, q.start_char AS start, q.end_char AS end, q.direct, q.cue
           FROM quotes q
           LEFT JOIN entity_merges g ON g.entity_id = q.speaker_id
           LEFT JOIN entities e ON e.entity_id = coalesce(g.canonical_id, q.speaker_id)
           WHERE q.doc_id = ? ORDER BY q.start_char""",
        [doc_id],
    )
