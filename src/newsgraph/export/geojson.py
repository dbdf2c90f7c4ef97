"""Events with coordinates as a GeoJSON FeatureCollection (RFC 7946), for QGIS, kepler.gl, Leaflet.

RFC 7946 rules kept here: positions are [longitude, latitude] in WGS 84 (no
`crs` member), a Feature's `id` is a string, and properties are plain JSON.
Events without coordinates, or with coordinates out of range, are left out
and counted as `skipped`. The coordinates are those of the event's place as
the gazetteer gave them (often a town's or a region's centre), not of the
incident itself: `precision` and `location` say how coarse they are.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import IO, Any

from newsgraph.export.output import open_text
from newsgraph.export.records import actor_ids, entities_by_id, iter_events
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter


def feature_collection(
    store: Store, filters: EventFilter | None = None, *, occurred_only: bool = True
) -> tuple[dict[str, Any], int]:
    """The FeatureCollection and how many selected events had no usable coordinates."""
    records = list(iter_events(store, filters, occurred_only=occurred_only))
    ents = entities_by_id(store, set().union(*map(actor_ids, records)))
    features = []
    skipped = 0
    for ev in records:
        loc = ev.get("location") or {}
        lon, lat = loc.get("lon"), loc.get("lat")
        if not isinstance(lon, int | float) or not isinstance(lat, int | float) or not _valid(lon, lat):
            skipped += 1
            continue
        features.append(
            {
                "type": "Feature",
                "id": ev["id"],
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
                "properties": _properties(ev, ents),
            }
        )
    return {"type": "FeatureCollection", "features": features}, skipped


def write_geojson(
    store: Store, out: Path | IO[str], filters: EventFilter | None = None, *, occurred_only: bool = True
) -> dict[str, int]:
    fc, skipped = feature_collection(store, filters, occurred_only=occurred_only)
    with open_text(out) as fh:
        json.dump(fc, fh, ensure_ascii=False, default=str)
        fh.write("\n")
    return {"features": len(fc["features"]), "skipped": skipped}


def _valid(lon: float, lat: float) -> bool:
    return math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90


def _properties(ev: dict[str, Any], ents: dict[str, dict[str, Any]]) -> dict[str, Any]:
    date = ev.get("date") or {}
    loc = ev.get("location") or {}
    cas = ev.get("casualties") or {}
    doc = ev.get("document") or {}

    def names(ids: list[str]) -> list[str]:
        return [ents.get(i, {}).get("name") or i for i in ids]

    def low(key: str) -> int | None:
        fig = cas.get(key) or {}
        return fig.get("min")

    return {
        "event_id": ev["id"],
        "type": ev.get("type"),
        "mode": ev.get("mode"),
        "quad_class": ev.get("quad_class"),
        "intensity": ev.get("intensity"),
        "gtd_attack_type": ev.get("gtd_attack_type"),
        "date": date.get("start"),
        "date_end": date.get("end"),
        "precision": date.get("precision"),
        "location": loc.get("name"),
        "country": loc.get("country"),
        "admin1": loc.get("admin1"),
        "fatalities": low("killed"),
        "injuries": low("injured"),
        "source_actors": names(ev.get("source_actors") or []),
        "source_actor_ids": ev.get("source_actors") or [],
        "target_actors": names(ev.get("target_actors") or []),
        "target_actor_ids": ev.get("target_actors") or [],
        "confidence": ev.get("confidence"),
        "review_status": ev.get("review_status"),
        "doc_id": ev.get("doc_id"),
        "title": doc.get("title"),
        "published": doc.get("published"),
        "source": doc.get("url") or doc.get("source"),
        "notes": " ".join(ev.get("evidence_text") or []),
    }


def geojson_errors(obj: Any) -> list[str]:
    """What in a FeatureCollection of Points breaks RFC 7946 (empty when it is valid).

    Checks the rules this export relies on: the member types, a `features`
    array, each Feature with a `geometry` and a `properties` object, Point
    positions as [longitude, latitude] numbers in range, a string or number
    `id`, and no `crs` member (removed by RFC 7946).
    """
    errors: list[str] = []
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        return ["top level is not a FeatureCollection object"]
    if "crs" in obj:
        errors.append("'crs' is not part of RFC 7946")
    features = obj.get("features")
    if not isinstance(features, list):
        return [*errors, "'features' is not an array"]
    for i, f in enumerate(features):
        where = f"features[{i}]"
        if not isinstance(f, dict) or f.get("type") != "Feature":
            errors.append(f"{where} is not a Feature")
            continue
        if "id" in f and not isinstance(f["id"], str | int | float):
            errors.append(f"{where}.id is neither a string nor a number")
        if "properties" not in f or not (f["properties"] is None or isinstance(f["properties"], dict)):
            errors.append(f"{where}.properties is missing or not an object")
        geom = f.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            errors.append(f"{where}.geometry is not a Point")
            continue
        pos = geom.get("coordinates")
        if (
            not isinstance(pos, list)
            or len(pos) not in (2, 3)
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in pos)
        ):
            errors.append(f"{where}.geometry.coordinates is not a position")
            continue
        lon, lat = pos[0], pos[1]
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            errors.append(f"{where}: [{lon}, {lat}] is not [longitude, latitude] in range")
    return errors
