"""Alerts: pairs of actors whose recent hostility departs from their own history.

Hostility is the negated PLOVER intensity of an event (+10 for the most
violent ASSAULT, -10 for the warmest cooperation). For each directed pair the
last `window_days` before `as_of` (the recent window) are compared with the
`baseline_days` before that (the baseline):

    z = (mean_recent - mean_baseline) / (sd_baseline / sqrt(n_recent))

with sd_baseline floored at `MIN_SD` (one point of the scale), so a pair whose
baseline is a few identical events does not raise alarms over tiny changes.
An alert needs at least `min_events` events in the recent window, and

- `escalation`: z >= Z_THRESHOLD and the mean rose by at least MIN_DELTA;
- `de-escalation`: z <= -Z_THRESHOLD and it fell by at least MIN_DELTA;
- `new`: no baseline event at all, and the recent mean is hostile (> 0).

Only events whose date is known to within `window_days` take part, placed at
the middle of their date range: an event dated "in 2023" cannot be said to
fall in a 30-day window. `as_of` defaults to the latest such event, so an
archive (or the demo corpus) is read as of its own end, not today.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from statistics import fmean, pstdev
from typing import Any

from newsgraph.analysis.evidence import evidence_for
from newsgraph.analysis.interactions import Interaction, interactions
from newsgraph.analysis.periods import midpoint, span_days
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

Z_THRESHOLD = 2.0
MIN_DELTA = 1.0
MIN_SD = 1.0


def alerts(
    store: Store,
    *,
    window_days: int = 30,
    baseline_days: int = 365,
    as_of: dt.date | None = None,
    min_events: int = 3,
    filters: EventFilter | None = None,
) -> list[dict[str, Any]]:
    """Pairs whose mean hostility in the recent window departs from their baseline, strongest first.

    >>> for a in alerts(store, window_days=30):           # doctest: +SKIP
    ...     print(a["kind"], a["source_name"], "->", a["target_name"], a["z"])
    escalation Islamic State -> Russia 4.2
    """
    if window_days < 1 or baseline_days < 1:
        raise ValueError("window_days and baseline_days must be positive")
    dated = [
        (midpoint(it.date_start, it.date_end), it)
        for it in interactions(store, filters)
        if it.date_start is not None
        and it.intensity is not None
        and span_days(it.date_start, it.date_end, it.date_precision) <= window_days
    ]
    if not dated:
        return []
    as_of = as_of or max(day for day, _ in dated)
    recent_from = as_of - dt.timedelta(days=window_days)
    baseline_from = recent_from - dt.timedelta(days=baseline_days)
    recent: dict[tuple[str, str], list[Interaction]] = defaultdict(list)
    baseline: dict[tuple[str, str], list[Interaction]] = defaultdict(list)
    for day, it in dated:
        key = (it.source.entity_id, it.target.entity_id)
        if recent_from < day <= as_of:
            recent[key].append(it)
        elif baseline_from < day <= recent_from:
            baseline[key].append(it)
    found = []
    for key, items in recent.items():
        if len(items) < min_events:
            continue
        alert = _score(items, baseline.get(key, []))
        if alert is None:
            continue
        first = items[0]
        alert.update(
            source_id=first.source.entity_id,
            source_name=first.source.name,
            target_id=first.target.entity_id,
            target_name=first.target.name,
            window={"start": recent_from + dt.timedelta(days=1), "end": as_of},
            baseline={"start": baseline_from + dt.timedelta(days=1), "end": recent_from},
            event_ids=sorted({i.event_id for i in items}),
            evidence=[
                {
                    "event_id": i.event_id,
                    "doc_id": i.doc_id,
                    "date": i.date_start,
                    "type": i.type,
                    "hostility": -(i.intensity or 0.0),
                }
                for i in sorted(items, key=lambda i: (i.date_start or dt.date.min, i.event_id))
            ],
        )
        found.append(alert)
    _attach_evidence(store, found)
    found.sort(key=lambda a: (a["z"] is None, -abs(a["z"] or 0.0), -a["recent_hostility"], a["source_id"]))
    return found


def _score(recent: list[Interaction], base: list[Interaction]) -> dict[str, Any] | None:
    r = [-(i.intensity or 0.0) for i in recent]
    b = [-(i.intensity or 0.0) for i in base]
    mean_r = fmean(r)
    out: dict[str, Any] = {
        "recent_events": len(r),
        "recent_hostility": round(mean_r, 2),
        "baseline_events": len(b),
        "baseline_hostility": None,
        "baseline_sd": None,
        "delta": None,
        "z": None,
    }
    if not b:
        if mean_r <= 0:
            return None
        return {"kind": "new", **out}
    mean_b = fmean(b)
    sd = max(pstdev(b), MIN_SD)
    z = (mean_r - mean_b) / (sd / math.sqrt(len(r)))
    delta = mean_r - mean_b
    out.update(
        baseline_hostility=round(mean_b, 2), baseline_sd=round(sd, 2), delta=round(delta, 2), z=round(z, 2)
    )
    if z >= Z_THRESHOLD and delta >= MIN_DELTA:
        return {"kind": "escalation", **out}
    if z <= -Z_THRESHOLD and delta <= -MIN_DELTA:
        return {"kind": "de-escalation", **out}
    return None


def _attach_evidence(store: Store, found: list[dict[str, Any]]) -> None:
    sentences = evidence_for(store, [eid for a in found for eid in a["event_ids"]])
    for a in found:
        for item in a["evidence"]:
            item["sentences"] = sentences.get(item["event_id"], [])
