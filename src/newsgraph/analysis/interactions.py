"""Events as actor-to-actor interactions: the common input of dyads, the actor graph and alerts.

One `Interaction` per (event, source actor, target actor), with the actors as
they stand after human merges (`event_actors_current`) and the event's type as
corrected. The PLOVER intensity is recomputed from the current type and mode,
so a reviewer who changes ASSAULT to PROTEST also changes the hostility score.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newsgraph.analysis.select import selected_events_sql
from newsgraph.extract.event_lexicon import load_event_lexicon
from newsgraph.store.db import Store
from newsgraph.store.ids import id_list
from newsgraph.store.queries import EventFilter, date_conditions

_STATE_CODE = re.compile(r"^([A-Z]{3})(?:/[A-Z]+)?$")


@dataclass(frozen=True)
class Actor:
    entity_id: str
    name: str
    kind: str | None
    type: str | None
    country: str | None
    code: str | None
    """The country-level code the event gives this actor (RUS, TUR/MIL) or the entity's own."""


@dataclass(frozen=True)
class Interaction:
    event_id: str
    doc_id: str
    type: str
    mode: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: str | None
    intensity: float | None
    quad_class: str | None
    source: Actor
    target: Actor

    @property
    def hostile(self) -> bool:
        if self.quad_class:
            return self.quad_class.endswith("conflict")
        return self.intensity is not None and self.intensity < 0

    @property
    def friendly(self) -> bool:
        if self.quad_class:
            return self.quad_class.endswith("cooperation")
        return self.intensity is not None and self.intensity > 0


def country_of(code: str | None, entity_country: str | None) -> str | None:
    """ISO alpha-3 of a state actor code (RUS/GOV -> RUS), else the entity's country."""
    m = _STATE_CODE.match(code or "")
    return m.group(1) if m else entity_country


def interactions(
    store: Store, filters: EventFilter | None = None, *, occurred_only: bool = True
) -> Iterator[Interaction]:
    """Every source x target pair of the selected events, self-pairs left out."""
    events_sql, params = selected_events_sql(
        filters,
        occurred_only=occurred_only,
        columns="event_id, doc_id, type, mode, date_start, date_end, date_precision, data",
    )
    # the actor rows as `event_actors_current` gives them (merges applied), read from their
    # date-ordered copy narrowed to the selection's dates (an actor row carries its event's
    # date), and grouped per event before the join so the event's JSON is no grouping key
    dates, date_params = date_conditions(filters or EventFilter(), "a")
    rows = store.query(
        f"""
        WITH ev AS ({events_sql}),
        ea AS (
            SELECT a.event_id, coalesce(g.canonical_id, a.entity_id) AS entity_id, a.role
            FROM event_actor_facts a LEFT JOIN entity_merges g ON g.entity_id = a.entity_id
            WHERE {" AND ".join([*dates, "TRUE"])}
        )
        SELECT ev.*, ea.sources, ea.targets
        FROM ev JOIN (
            SELECT event_id,
                list(DISTINCT entity_id ORDER BY entity_id) FILTER (WHERE role = 'source') AS sources,
                list(DISTINCT entity_id ORDER BY entity_id) FILTER (WHERE role = 'target') AS targets
            FROM ea WHERE event_id IN (SELECT event_id FROM ev) GROUP BY event_id
        ) ea USING (event_id)
        ORDER BY ev.date_start NULLS LAST, ev.event_id""",
        [*params, *date_params],
    )
    yield from from_rows(store, rows)


def from_rows(store: Store, rows: list[dict[str, Any]]) -> Iterator[Interaction]:
    """The interactions of event rows with their `sources` and `targets` lists (also for the tests)."""
    entities = _entities(store, {e for r in rows for e in (r["sources"] or []) + (r["targets"] or [])})
    lex = load_event_lexicon()
    for row in rows:
        data = json.loads(row["data"]) if row["data"] else {}
        src_codes = _codes(data, "source")
        tgt_codes = _codes(data, "target")
        score = lex.score(row["type"], row["mode"])
        intensity = score if score is not None else data.get("intensity")
        quad = lex.quad_class.get(row["type"]) or data.get("quad_class")
        for s in dict.fromkeys(row["sources"] or []):
            for t in dict.fromkeys(row["targets"] or []):
                if s == t:
                    continue
                yield Interaction(
                    event_id=row["event_id"],
                    doc_id=row["doc_id"],
                    type=row["type"],
                    mode=row["mode"],
                    date_start=row["date_start"],
                    date_end=row["date_end"],
                    date_precision=row["date_precision"],
                    intensity=float(intensity) if intensity is not None else None,
                    quad_class=quad,
                    source=_actor(s, entities, src_codes),
                    target=_actor(t, entities, tgt_codes),
                )


def _codes(data: dict[str, Any], role: str) -> dict[str, str]:
    """Actor id -> the code the extractor gave it, matched by position in the event object."""
    ids = data.get(f"{role}_actors") or []
    codes = data.get(f"{role}_codes") or []
    if len(ids) != len(codes):
        return {}
    return {str(i): str(c) for i, c in zip(ids, codes, strict=True) if c}


def _actor(entity_id: str, entities: dict[str, dict[str, Any]], codes: dict[str, str]) -> Actor:
    e = entities.get(entity_id, {})
    code = codes.get(entity_id)
    if code is None and _STATE_CODE.match(entity_id):
        code = entity_id
    return Actor(
        entity_id=entity_id,
        name=e.get("name") or entity_id,
        kind=e.get("kind"),
        type=e.get("type"),
        country=country_of(code, e.get("country")),
        code=code,
    )


def _entities(store: Store, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = store.query(
        "SELECT entity_id, name, kind, type, country FROM entities "
        "WHERE entity_id IN (SELECT unnest(?::JSON::VARCHAR[]))",
        [id_list(sorted(ids))],
    )
    return {r["entity_id"]: r for r in rows}
