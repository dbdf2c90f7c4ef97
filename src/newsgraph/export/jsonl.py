"""Documents with all their annotations, one JSON object a line, in the `extract` contract's shape.

The same shape `newsgraph extract --format jsonl` prints (DESIGN.md), read
back from the store with human corrections applied: merged entities under
their canonical id, events as corrected (rejected ones gone; negated and
hypothetical ones kept, flagged, as the contract has them). Fields are only
ever added: `url`, and per event `doc_id` and `review_status`.

With filters, the documents written are those with at least one selected
event, each still with all its annotations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from newsgraph.analysis.select import selected_events_sql
from newsgraph.export.output import open_text
from newsgraph.export.records import entities_by_id, iter_events
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

CHUNK = 200


def iter_documents(
    store: Store, filters: EventFilter | None = None, *, occurred_only: bool = True, include_text: bool = True
) -> Iterator[dict[str, Any]]:
    """Each selected document as a contract object, oldest first."""
    if filters is None:
        rows = store.query("SELECT doc_id FROM documents ORDER BY published NULLS LAST, doc_id")
    else:
        sql, params = selected_events_sql(
            filters, occurred_only=occurred_only, one_per_incident=False, columns="doc_id"
        )
        rows = store.query(
            f"SELECT doc_id FROM documents WHERE doc_id IN ({sql}) ORDER BY published NULLS LAST, doc_id",
            params,
        )
    ids = [r["doc_id"] for r in rows]
    for i in range(0, len(ids), CHUNK):
        yield from _chunk(store, ids[i : i + CHUNK], include_text)


def write_jsonl(
    store: Store, out: Path | IO[str], filters: EventFilter | None = None, *, occurred_only: bool = True
) -> dict[str, int]:
    counts = {"documents": 0, "entities": 0, "events": 0, "quotes": 0}
    with open_text(out) as fh:
        for doc in iter_documents(store, filters, occurred_only=occurred_only):
            fh.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
            counts["documents"] += 1
            for key in ("entities", "events", "quotes"):
                counts[key] += len(doc[key])
    return counts


def _chunk(store: Store, doc_ids: list[str], include_text: bool) -> Iterator[dict[str, Any]]:
    docs = store.query(
        "SELECT doc_id, source, title, authors, published, language, url, text FROM documents "
        "WHERE doc_id IN (SELECT unnest(?)) ORDER BY published NULLS LAST, doc_id",
        [doc_ids],
    )
    mentions: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for m in store.query(
        "SELECT doc_id, entity_id, text, start_char, end_char, sentence, rule, confidence "
        "FROM mentions_current WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, start_char",
        [doc_ids],
    ):
        mentions.setdefault(m["doc_id"], {}).setdefault(m["entity_id"], []).append(
            {
                "text": m["text"],
                "start": m["start_char"],
                "end": m["end_char"],
                "sentence": m["sentence"],
                "rule": m["rule"],
                "confidence": m["confidence"],
            }
        )
    events: dict[str, list[dict[str, Any]]] = {}
    for ev in iter_events(store, None, occurred_only=False, doc_ids=doc_ids):
        ev.pop("document", None)
        ev.pop("evidence_text", None)
        events.setdefault(ev["doc_id"], []).append(ev)
    quotes = _quotes(store, doc_ids)
    wanted = {e for per_doc in mentions.values() for e in per_doc}
    wanted |= {a for evs in events.values() for ev in evs for a in ev["source_actors"] + ev["target_actors"]}
    ents = entities_by_id(store, wanted)
    for d in docs:
        doc_mentions = mentions.get(d["doc_id"], {})
        doc_events = events.get(d["doc_id"], [])
        in_events = {a for ev in doc_events for a in ev["source_actors"] + ev["target_actors"]}
        obj: dict[str, Any] = {
            "doc_id": d["doc_id"],
            "source": d["source"],
            "title": d["title"],
            "authors": list(d["authors"] or []),
            "published": d["published"].isoformat() if d["published"] else None,
            "language": d["language"],
            "url": d["url"],
        }
        if include_text:
            obj["text"] = d["text"]
        obj["entities"] = [
            _entity(ents[eid], doc_mentions.get(eid, []))
            for eid in sorted(set(doc_mentions) | in_events)
            if eid in ents
        ]
        obj["events"] = doc_events
        obj["quotes"] = quotes.get(d["doc_id"], [])
        yield obj


def _entity(e: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": e["entity_id"],
        "name": e["name"],
        "type": e["type"],
        "kind": e["kind"],
        "country": e["country"],
        "wikidata": e["wikidata"],
        "role": e["role"],
        "mentions": mentions,
        "geo": e["geo"],
        "affiliation": e.get("affiliation"),
        "sector": e.get("sector"),
    }


def _quotes(store: Store, doc_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for q in store.query(
        "SELECT * FROM quotes WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, start_char", [doc_ids]
    ):
        obj = json.loads(q["data"]) if q.get("data") else {}
        obj.update(
            speaker=q["speaker_id"],
            speaker_name=q["speaker_name"],
            text=q["text"],
            start=q["start_char"],
            end=q["end_char"],
            direct=q["direct"],
            cue=q["cue"],
        )
        out.setdefault(q["doc_id"], []).append(obj)
    return out
