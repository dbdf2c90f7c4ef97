"""Events as one flat CSV table, in the column layout event datasets (ACLED, GTD) use.

One row per extracted event, with the corrections applied. Actors are given by
name for reading and by id in separate columns for joining; `sources` is where
the event was read (URL, else the file), and `notes` the sentences it was read
from, so every row can be checked by hand.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Any

from newsgraph.export.output import open_text
from newsgraph.export.records import actor_ids, entities_by_id, iter_events
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

COLUMNS = (
    "event_id",
    "date",
    "date_end",
    "precision",
    "type",
    "mode",
    "quad_class",
    "intensity",
    "gtd_attack_type",
    "source_actors",
    "source_actor_ids",
    "target_actors",
    "target_actor_ids",
    "country",
    "admin1",
    "location",
    "lat",
    "lon",
    "fatalities",
    "injuries",
    "hostages",
    "weapons",
    "negated",
    "hypothetical",
    "historical",
    "confidence",
    "review_status",
    "doc_id",
    "title",
    "published",
    "sources",
    "notes",
)
SEP = "; "


def flat_rows(
    store: Store, filters: EventFilter | None, *, occurred_only: bool = True, with_data: bool = False
) -> list[dict[str, Any]]:
    """The flat event rows shared by the CSV and Parquet exports (lists kept as lists).

    `with_data` adds `data`: the whole corrected contract object as JSON.
    """
    records = list(iter_events(store, filters, occurred_only=occurred_only))
    names = {
        eid: e["name"] for eid, e in entities_by_id(store, set().union(*map(actor_ids, records))).items()
    }
    rows = []
    for r in records:
        row = _flat(r, names)
        if with_data:
            obj = {k: v for k, v in r.items() if k not in ("document", "evidence_text")}
            row["data"] = json.dumps(obj, ensure_ascii=False, default=str)
        rows.append(row)
    return rows


def write_csv(
    store: Store, out: Path | IO[str], filters: EventFilter | None = None, *, occurred_only: bool = True
) -> dict[str, int]:
    rows = flat_rows(store, filters, occurred_only=occurred_only)
    with open_text(out, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    return {"events": len(rows)}


def _flat(ev: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    date = ev.get("date") or {}
    loc = ev.get("location") or {}
    cas = ev.get("casualties") or {}
    doc = ev.get("document") or {}
    src, tgt = ev.get("source_actors") or [], ev.get("target_actors") or []
    return {
        "event_id": ev["id"],
        "date": date.get("start"),
        "date_end": date.get("end"),
        "precision": date.get("precision"),
        "type": ev.get("type"),
        "mode": ev.get("mode"),
        "quad_class": ev.get("quad_class"),
        "intensity": ev.get("intensity"),
        "gtd_attack_type": ev.get("gtd_attack_type"),
        "source_actors": [names.get(a, a) for a in src],
        "source_actor_ids": list(src),
        "target_actors": [names.get(a, a) for a in tgt],
        "target_actor_ids": list(tgt),
        "country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "location": loc.get("name"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "fatalities": _low(cas.get("killed")),
        "injuries": _low(cas.get("injured")),
        "hostages": _low(cas.get("hostages")),
        "weapons": list(ev.get("weapons") or []),
        "negated": ev.get("negated"),
        "hypothetical": ev.get("hypothetical"),
        "historical": ev.get("historical"),
        "confidence": ev.get("confidence"),
        "review_status": ev.get("review_status"),
        "doc_id": ev.get("doc_id"),
        "title": doc.get("title"),
        "published": doc.get("published"),
        "sources": doc.get("url") or doc.get("source"),
        "notes": " ".join(ev.get("evidence_text") or []),
    }


def _low(figure: dict[str, Any] | None) -> int | None:
    if not figure or figure.get("min") is None:
        return None
    return int(figure["min"])


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|...,
# @SUM(...)); tab and CR lead the same way once trimmed. Article text is untrusted, so such a text
# cell gets a leading single quote, the OWASP recommendation for CSV injection.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """`text` safe to open in a spreadsheet: prefixed with ' when it could be read as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return neutralise(SEP.join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value  # numbers (a negative longitude stays a number)
