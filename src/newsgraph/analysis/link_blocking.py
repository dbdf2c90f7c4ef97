"""Candidate pairs for linking, without comparing every event with every other.

Events are blocked by (type group, year) and then by country (an event without a
country meets every country of its block); inside a block a sweep over date
ranges pairs only events whose ranges can overlap. An undated event is placed in
the 400 days before its article's publication, since news reports recent things;
an event with neither a date nor a publication date, a range over twelve years
("in the 2010s" is fine, "since 1990" is not), or a negation is never a candidate
for an automatic link (a user can still merge it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from newsgraph.analysis.link_features import EventFeatures
from newsgraph.analysis.link_score import LinkConfig, type_group

UNDATED_LOOKBACK = dt.timedelta(days=400)
MAX_YEARS = 12

Interval = tuple[dt.date, dt.date]


def blocking_interval(f: EventFeatures) -> Interval | None:
    """The dates an event may have happened on, for blocking; None keeps it out."""
    if f.start is not None and f.end is not None:
        return f.start, f.end
    if f.published is not None:
        return f.published - UNDATED_LOOKBACK, f.published + dt.timedelta(days=1)
    return None


def candidate_pairs(
    features: Iterable[EventFeatures], cfg: LinkConfig, dirty: set[str] | None = None
) -> set[tuple[str, str]]:
    """Pairs (lower id, higher id) worth scoring; with `dirty`, only pairs touching it."""
    blocks: dict[tuple[str, int], list[tuple[Interval, EventFeatures]]] = defaultdict(list)
    for f in features:
        if f.negated:
            continue
        iv = blocking_interval(f)
        if iv is None or iv[1].year - iv[0].year >= MAX_YEARS:
            continue
        for year in range(iv[0].year, iv[1].year + 1):
            blocks[(type_group(f.type, cfg), year)].append((iv, f))
    pairs: set[tuple[str, str]] = set()
    for items in blocks.values():
        if dirty is not None and not any(f.event_id in dirty for _, f in items):
            continue
        by_country: dict[str | None, list[tuple[Interval, EventFeatures]]] = defaultdict(list)
        for item in items:
            by_country[item[1].country].append(item)
        anywhere = by_country.pop(None, [])
        for group in by_country.values():
            pairs.update(_sweep(group + anywhere, cfg.day_tolerance, dirty, skip_both_unplaced=True))
        pairs.update(_sweep(anywhere, cfg.day_tolerance, dirty, skip_both_unplaced=False))
    return pairs


def _sweep(
    items: Sequence[tuple[Interval, EventFeatures]],
    tol: int,
    dirty: set[str] | None,
    skip_both_unplaced: bool,
) -> Iterator[tuple[str, str]]:
    """Pairs whose intervals overlap (within `tol` days), by a sweep over start dates."""
    slack = dt.timedelta(days=tol)
    active: list[tuple[Interval, EventFeatures]] = []
    for iv, f in sorted(items, key=lambda t: (t[0][0], t[1].event_id)):
        active = [a for a in active if a[0][1] + slack >= iv[0]]
        for _, g in active:
            if skip_both_unplaced and f.country is None and g.country is None:
                continue
            if dirty is not None and f.event_id not in dirty and g.event_id not in dirty:
                continue
            if f.event_id != g.event_id:
                yield (f.event_id, g.event_id) if f.event_id < g.event_id else (g.event_id, f.event_id)
        active.append((iv, f))
