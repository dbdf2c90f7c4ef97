"""Events and entities as Parquet tables, for pandas, Polars, R, Spark or DuckDB itself.

Parquet holds two tables, so the export writes a folder: `events.parquet`
(the CSV's columns with lists kept as lists, plus the whole corrected event
object as JSON in `data`) and `entities.parquet` (the actors of those events,
or every entity still in use when nothing is filtered).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.export.csv import flat_rows
from newsgraph.export.records import entities_by_id
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

_LIST = pa.list_(pa.string())
EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("date", pa.date32()),
        ("date_end", pa.date32()),
        ("precision", pa.string()),
        ("type", pa.string()),
        ("mode", pa.string()),
        ("quad_class", pa.string()),
        ("intensity", pa.float64()),
        ("gtd_attack_type", pa.string()),
        ("source_actors", _LIST),
        ("source_actor_ids", _LIST),
        ("target_actors", _LIST),
        ("target_actor_ids", _LIST),
        ("country", pa.string()),
        ("admin1", pa.string()),
        ("location", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("fatalities", pa.int32()),
        ("injuries", pa.int32()),
        ("hostages", pa.int32()),
        ("weapons", _LIST),
        ("negated", pa.bool_()),
        ("hypothetical", pa.bool_()),
        ("historical", pa.bool_()),
        ("confidence", pa.float64()),
        ("review_status", pa.string()),
        ("doc_id", pa.string()),
        ("title", pa.string()),
        ("published", pa.date32()),
        ("sources", pa.string()),
        ("notes", pa.string()),
        ("data", pa.string()),
    ]
)
ENTITY_SCHEMA = pa.schema(
    [
        ("entity_id", pa.string()),
        ("name", pa.string()),
        ("type", pa.string()),
        ("kind", pa.string()),
        ("country", pa.string()),
        ("wikidata", pa.string()),
        ("role", pa.string()),
        ("affiliation", pa.string()),
        ("sector", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("geo", pa.string()),
    ]
)


def write_parquet(
    store: Store, out: Path | IO[str], filters: EventFilter | None = None, *, occurred_only: bool = True
) -> dict[str, int]:
    if not isinstance(out, str | Path):
        raise ValueError("the parquet export writes a folder (events.parquet, entities.parquet): give a path")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    rows = flat_rows(store, filters, occurred_only=occurred_only, with_data=True)
    events = pa.Table.from_pylist([_typed(r) for r in rows], schema=EVENT_SCHEMA)
    ids = None
    if filters is not None:
        ids = {a for r in rows for a in r["source_actor_ids"] + r["target_actor_ids"]}
    entities = pa.Table.from_pylist(
        [_entity(e) for e in entities_by_id(store, ids).values()], schema=ENTITY_SCHEMA
    )
    pq.write_table(events, folder / "events.parquet")
    pq.write_table(entities, folder / "entities.parquet")
    return {"events": events.num_rows, "entities": entities.num_rows}


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in ("date", "date_end"):
        out[key] = dt.date.fromisoformat(out[key]) if isinstance(out[key], str) else out[key]
    return out


def _entity(e: dict[str, Any]) -> dict[str, Any]:
    geo = e.get("geo") or {}
    return {
        **{k: e.get(k) for k in ENTITY_SCHEMA.names if k not in ("lat", "lon", "geo")},
        "lat": geo.get("lat"),
        "lon": geo.get("lon"),
        "geo": json.dumps(geo, ensure_ascii=False) if geo else None,
    }
