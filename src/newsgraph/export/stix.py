"""A STIX 2.1 bundle, for threat-intelligence platforms (OpenCTI, MISP, TAXII feeds).

The mapping, built with the `stix2` library and no custom properties:

- a Report per document (object_refs: everything read from it, its URL in
  external_references);
- ThreatActor for armed groups, and for generic actors ("gunmen",
  "militants") that carry out a conflict event; `threat_actor_types` is
  ["terrorist"] only when one of its attacks has a GTD attack type;
- Identity for states and their parts, organizations and people (Wikidata id
  in external_references), and for other generic actors;
- Location for places (with latitude/longitude where the gazetteer has them,
  ISO alpha-2 country);
- per event, a Relationship source -> target: `targets` for conflict,
  `related-to` for cooperation (described with the PLOVER type); and for each
  violent attack (ASSAULT) an Incident that is `attributed-to` its
  perpetrators, `targets` its victims and is `located-at` its place.

Every Relationship carries the event's confidence (0-100) and references its
document and evidence sentence. Ids are uuid5 of newsgraph's own ids, and the
timestamps are the store's last change, so exporting an unchanged store twice
gives the same bundle, and a changed one gives new versions of the same objects.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from pathlib import Path
from typing import IO, Any

import pycountry
import stix2

from newsgraph.export.output import open_text
from newsgraph.export.records import actor_ids, entities_by_id, iter_events
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

NAMESPACE = uuid.UUID("6f1c2a4e-3b7d-5e8f-9a0b-1c2d3e4f5a6b")
PLACE_KINDS = frozenset({"place", "region", "capital", "facility"})
ORG_SECTORS = {
    "state": ["government-national"],
    "government": ["government-national"],
    "ministry": ["government-national"],
    "security_service": ["government-national"],
    "police": ["government-national"],
    "military": ["defense"],
    "igo": ["government"],
    "media": ["communications"],
    "ngo": ["non-profit"],
}
INDIVIDUAL_KINDS = frozenset({"person"})
CLASS_KINDS = frozenset({"demonym"})


def sid(kind: str, key: str) -> str:
    """A deterministic STIX id for one of our objects."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}|{key}')}"


def build_bundle(
    store: Store, filters: EventFilter | None = None, *, occurred_only: bool = True
) -> stix2.Bundle:
    records = list(iter_events(store, filters, occurred_only=occurred_only))
    stamp = _store_time(store)
    author = stix2.Identity(
        id=sid("identity", "newsgraph"),
        name="newsgraph",
        identity_class="system",
        description="Machine-coded from news text; every object cites its document and sentence.",
        created=stamp,
        modified=stamp,
    )
    common = {"created": stamp, "modified": stamp, "created_by_ref": author.id}
    ents = entities_by_id(store, set().union(*map(actor_ids, records)))
    roles = _actor_roles(records)
    objects: dict[str, Any] = {author.id: author}
    per_doc: dict[str, set[str]] = defaultdict(set)
    docs: dict[str, dict[str, Any]] = {}
    for ev in records:
        doc = ev["document"]
        docs[ev["doc_id"]] = doc
        refs = per_doc[ev["doc_id"]]
        src = [_actor(ents.get(a), a, roles, common, objects) for a in ev["source_actors"]]
        tgt = [_actor(ents.get(a), a, roles, common, objects) for a in ev["target_actors"]]
        src_ids = [o for o in src if o]
        tgt_ids = [o for o in tgt if o]
        refs.update(src_ids + tgt_ids)
        ext = _evidence_refs(ev)
        conf = _confidence(ev.get("confidence"))
        times = _times(ev)
        conflict = (ev.get("quad_class") or "").endswith("conflict")
        rel_type = "targets" if conflict else "related-to"
        for s in src_ids:
            for t in tgt_ids:
                if s != t:
                    refs.add(_relate(objects, ev, rel_type, s, t, conf, ext, times, common))
        if ev.get("type") == "ASSAULT":
            incident = _incident(ev, conf, ext, common)
            objects[incident.id] = incident
            refs.add(incident.id)
            for s in src_ids:
                refs.add(_relate(objects, ev, "attributed-to", incident.id, s, conf, ext, times, common))
            for t in tgt_ids:
                refs.add(_relate(objects, ev, "targets", incident.id, t, conf, ext, times, common))
            place = _event_location(ev, common, objects)
            if place:
                refs.add(place)
                refs.add(_relate(objects, ev, "located-at", incident.id, place, conf, ext, times, common))
    for doc_id, refs in per_doc.items():
        if refs:
            report = _report(docs[doc_id], sorted(refs), stamp, common)
            objects[report.id] = report
    ordered = sorted(
        objects.values(), key=lambda o: (o.type != "identity" or o.id != author.id, o.type, o.id)
    )
    return stix2.Bundle(
        objects=ordered, id=sid("bundle", "|".join(o.id for o in ordered)), allow_custom=False
    )


def write_stix(
    store: Store, out: Path | IO[str], filters: EventFilter | None = None, *, occurred_only: bool = True
) -> dict[str, int]:
    bundle = build_bundle(store, filters, occurred_only=occurred_only)
    with open_text(out) as fh:
        # stix2's own pretty printer sorts keys in quadratic time: indent with json instead
        json.dump(bundle_json(bundle), fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    counts: dict[str, int] = defaultdict(int)
    for obj in bundle.objects:
        counts[obj.type] += 1
    return {"objects": len(bundle.objects), **dict(sorted(counts.items()))}


# -- objects --------------------------------------------------------------------


def _actor_roles(records: list[dict[str, Any]]) -> dict[str, set[str]]:
    """entity id -> what it did: 'attacker' (source of a conflict event), 'terrorist' (of a GTD attack)."""
    roles: dict[str, set[str]] = defaultdict(set)
    for ev in records:
        if ev.get("quad_class") == "material_conflict":
            for a in ev["source_actors"]:
                roles[a].add("attacker")
                if ev.get("gtd_attack_type"):
                    roles[a].add("terrorist")
    return roles


def _actor(
    e: dict[str, Any] | None,
    entity_id: str,
    roles: dict[str, set[str]],
    common: dict[str, Any],
    objects: dict[str, Any],
) -> str | None:
    """The STIX object for an actor entity (created once), or None when it cannot be expressed."""
    e = e or {"entity_id": entity_id, "name": entity_id}
    kind = e.get("kind") or ""
    refs = _entity_refs(e)
    if kind in PLACE_KINDS:
        return _location(e["name"], e.get("geo") or {"country": e.get("country")}, entity_id, common, objects)
    if kind == "armed_group" or (kind == "generic" and "attacker" in roles.get(entity_id, set())):
        oid = sid("threat-actor", entity_id)
        if oid not in objects:
            kwargs: dict[str, Any] = {}
            if "terrorist" in roles.get(entity_id, set()):
                kwargs["threat_actor_types"] = ["terrorist"]
            objects[oid] = stix2.ThreatActor(
                id=oid, name=e["name"], external_references=refs, labels=[f"kind:{kind}"], **kwargs, **common
            )
        return oid
    oid = sid("identity", entity_id)
    if oid not in objects:
        if kind in INDIVIDUAL_KINDS:
            klass = "individual"
        elif kind in CLASS_KINDS:
            klass = "class"
        elif kind == "generic":
            klass = "group"
        else:
            klass = "organization"
        kwargs = {"sectors": ORG_SECTORS[kind]} if kind in ORG_SECTORS else {}
        if e.get("role"):
            kwargs["roles"] = [str(e["role"])]
        objects[oid] = stix2.Identity(
            id=oid,
            name=e["name"],
            identity_class=klass,
            external_references=refs,
            labels=[f"kind:{kind}"] if kind else None,
            **kwargs,
            **common,
        )
    return oid


def _location(
    name: str | None, geo: dict[str, Any], key: str, common: dict[str, Any], objects: dict[str, Any]
) -> str | None:
    lat, lon = geo.get("lat"), geo.get("lon")
    has_point = isinstance(lat, int | float) and isinstance(lon, int | float)
    country = _alpha2(geo.get("country"))
    if not has_point and not country:
        return None
    oid = sid("location", key)
    if oid not in objects:
        kwargs: dict[str, Any] = {}
        if has_point:
            kwargs.update(latitude=float(lat), longitude=float(lon))  # type: ignore[arg-type]
        if country:
            kwargs["country"] = country
        if geo.get("admin1"):
            kwargs["administrative_area"] = str(geo["admin1"])
        objects[oid] = stix2.Location(id=oid, name=name or geo.get("name") or key, **kwargs, **common)
    return oid


def _event_location(ev: dict[str, Any], common: dict[str, Any], objects: dict[str, Any]) -> str | None:
    loc = ev.get("location") or {}
    if not loc.get("name"):
        return None
    key = f"place:{loc.get('geonameid') or ''}|{loc['name']}|{loc.get('country') or ''}"
    return _location(loc["name"], loc, key, common, objects)


def _incident(ev: dict[str, Any], conf: int | None, ext: list[dict[str, str]], common: dict[str, Any]) -> Any:
    loc = (ev.get("location") or {}).get("name")
    date = (ev.get("date") or {}).get("start")
    name = " ".join(
        p
        for p in (
            ev["type"].lower(),
            f"({ev['mode']})" if ev.get("mode") else "",
            f"in {loc}" if loc else "",
            f"on {date}" if date else "",
        )
        if p
    )
    labels = [f"plover:{ev['type']}"]
    labels += [f"mode:{ev['mode']}"] if ev.get("mode") else []
    labels += [f"gtd:{ev['gtd_attack_type']}"] if ev.get("gtd_attack_type") else []
    return stix2.Incident(
        id=sid("incident", ev["id"]),
        name=name,
        description=_casualty_text(ev) or None,
        labels=labels,
        confidence=conf,
        external_references=ext,
        **common,
    )


def _relate(
    objects: dict[str, Any],
    ev: dict[str, Any],
    rel_type: str,
    source: str,
    target: str,
    conf: int | None,
    ext: list[dict[str, str]],
    times: dict[str, Any],
    common: dict[str, Any],
) -> str:
    oid = sid("relationship", f"{ev['id']}|{rel_type}|{source}|{target}")
    if oid not in objects:
        mode = f" ({ev['mode']})" if ev.get("mode") else ""
        objects[oid] = stix2.Relationship(
            id=oid,
            relationship_type=rel_type,
            source_ref=source,
            target_ref=target,
            description=f"PLOVER {ev['type']}{mode}",
            confidence=conf,
            external_references=ext,
            **times,
            **common,
        )
    return oid


def _report(doc: dict[str, Any], refs: list[str], stamp: dt.datetime, common: dict[str, Any]) -> Any:
    published = doc.get("published")
    when = dt.datetime.combine(published, dt.time(), dt.UTC) if published else stamp
    ext: dict[str, str] = {"source_name": "newsgraph-document", "external_id": doc["doc_id"]}
    url = doc.get("url")
    if url:
        ext["url"] = url
    else:
        ext["description"] = str(doc.get("source"))
    return stix2.Report(
        id=sid("report", doc["doc_id"]),
        name=doc.get("title") or str(doc.get("source")),
        published=when,
        report_types=["threat-report"],
        object_refs=refs,
        external_references=[ext],
        **common,
    )


# -- small pieces ------------------------------------------------------------------


def _entity_refs(e: dict[str, Any]) -> list[dict[str, str]]:
    refs = [{"source_name": "newsgraph", "external_id": e["entity_id"]}]
    if e.get("wikidata"):
        qid = str(e["wikidata"])
        refs.append(
            {"source_name": "wikidata", "external_id": qid, "url": f"https://www.wikidata.org/wiki/{qid}"}
        )
    return refs


def _evidence_refs(ev: dict[str, Any]) -> list[dict[str, str]]:
    doc = ev["document"]
    ref: dict[str, str] = {"source_name": "newsgraph-document", "external_id": ev["doc_id"]}
    if doc.get("url"):
        ref["url"] = doc["url"]
    sentence = " ".join(ev.get("evidence_text") or [])
    ref["description"] = sentence or f"event {ev['id']}"
    return [ref, {"source_name": "newsgraph-event", "external_id": ev["id"]}]


def _confidence(value: Any) -> int | None:
    if not isinstance(value, int | float):
        return None
    return max(0, min(100, round(float(value) * 100)))


def _times(ev: dict[str, Any]) -> dict[str, Any]:
    """start_time/stop_time of a relationship: the event's date range, where it is known."""
    date = ev.get("date") or {}
    try:
        start = dt.date.fromisoformat(date["start"]) if date.get("start") else None
        end = dt.date.fromisoformat(date["end"]) if date.get("end") else start
    except ValueError:
        return {}
    if start is None or end is None:
        return {}
    end = max(end, start)
    return {
        "start_time": dt.datetime.combine(start, dt.time(), dt.UTC),
        "stop_time": dt.datetime.combine(end, dt.time(23, 59, 59), dt.UTC),
    }


def _casualty_text(ev: dict[str, Any]) -> str:
    cas = ev.get("casualties") or {}
    parts = []
    for key in ("killed", "injured", "hostages"):
        fig = cas.get(key) or {}
        if fig.get("min") is not None:
            approx = "at least " if fig.get("approx") else ""
            parts.append(f"{approx}{fig['min']} {key}")
    sentence = " ".join(ev.get("evidence_text") or [])
    return "; ".join(parts) + (f". {sentence}" if parts and sentence else sentence)


def _alpha2(alpha3: Any) -> str | None:
    if not isinstance(alpha3, str) or len(alpha3) != 3:
        return None
    found = pycountry.countries.get(alpha_3=alpha3.upper())
    return str(found.alpha_2) if found is not None else None


def _store_time(store: Store) -> dt.datetime:
    row = store.query(
        "SELECT greatest((SELECT max(ingested_at) FROM documents), "
        "(SELECT max(created_at) FROM corrections)) AS t"
    )[0]
    when = row["t"] or dt.datetime(1970, 1, 1)
    return when.replace(microsecond=(when.microsecond // 1000) * 1000, tzinfo=dt.UTC)


def bundle_json(bundle: stix2.Bundle) -> dict[str, Any]:
    """The bundle as plain JSON data (for tests and the API)."""
    data: dict[str, Any] = json.loads(bundle.serialize())
    return data
