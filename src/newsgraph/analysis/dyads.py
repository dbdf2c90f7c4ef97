"""Directed dyads: who acted on whom, how often, and how hostile it was, per period.

The unit of event-data research on interstate and intrastate conflict: a
(source, target) pair with a count and the mean PLOVER intensity (+10 most
cooperative, -10 most hostile) per period, plus how many of its events were
conflict and cooperation. Dates keep their precision (see `periods`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from newsgraph.analysis.interactions import Interaction, interactions
from newsgraph.analysis.periods import bucket, sort_key
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter


def dyads(
    store: Store,
    *,
    interval: str = "month",
    filters: EventFilter | None = None,
    min_events: int = 1,
    occurred_only: bool = True,
) -> list[dict[str, Any]]:
    """One row per (period, source, target).

    `min_events` applies to a pair's total over all periods, so a pair that
    passes keeps its whole series (quiet periods included) and one that does
    not is left out entirely.

    >>> dyads(store, interval="year", min_events=2)[0]["source_name"]  # doctest: +SKIP
    'Government of Iran'
    """
    if interval not in ("month", "year"):
        raise ValueError("dyads are counted by month or year")
    groups: dict[tuple[Any, str, str], list[Interaction]] = defaultdict(list)
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for it in interactions(store, filters, occurred_only=occurred_only):
        p = bucket(it.date_start, it.date_end, it.date_precision, interval)
        groups[(p, it.source.entity_id, it.target.entity_id)].append(it)
        totals[(it.source.entity_id, it.target.entity_id)] += 1
    rows = []
    for (p, src, tgt), items in groups.items():
        if totals[(src, tgt)] < min_events:
            continue
        first = items[0]
        scores = [i.intensity for i in items if i.intensity is not None]
        rows.append(
            {
                "period": p.label,
                "start": p.start,
                "precision": p.precision,
                "coarse": p.coarse,
                "source_id": src,
                "source_name": first.source.name,
                "source_code": first.source.code,
                "source_country": first.source.country,
                "target_id": tgt,
                "target_name": first.target.name,
                "target_code": first.target.code,
                "target_country": first.target.country,
                "events": len(items),
                "mean_intensity": round(sum(scores) / len(scores), 2) if scores else None,
                "hostile": sum(i.hostile for i in items),
                "friendly": sum(i.friendly for i in items),
                "event_ids": sorted({i.event_id for i in items}),
                "_key": sort_key(p),
            }
        )
    rows.sort(key=lambda r: (r["_key"], -r["events"], r["source_id"], r["target_id"]))
    for r in rows:
        del r["_key"]
    return rows
