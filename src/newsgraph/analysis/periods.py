"""Putting dated events into periods without pretending to know more than the text said.

An event dated "in 2019" cannot be counted in March 2019, nor spread over
twelve months. An event goes to the period of the requested interval that holds
its whole date range; if no such period exists (its date is coarser than the
interval, or spans two periods), it goes to the smallest coarser period that
holds it (quarter, year, decade), or to an explicit `start/end` range, and that
bucket is flagged `coarse`. Undated events go to one `undated` bucket.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

INTERVALS = ("day", "month", "year")
LEVELS = ("day", "month", "quarter", "year", "decade")


@dataclass(frozen=True)
class Period:
    """A calendar period; `coarse` when it is coarser than the interval asked for."""

    start: dt.date | None
    end: dt.date | None
    label: str
    precision: str
    coarse: bool


UNDATED = Period(None, None, "undated", "unknown", True)


def period_of(day: dt.date, level: str) -> Period:
    """The period of this level that holds the day (not flagged coarse)."""
    if level == "day":
        return Period(day, day, day.isoformat(), "day", False)
    if level == "month":
        start = day.replace(day=1)
        return Period(start, _month_end(start), f"{day.year:04d}-{day.month:02d}", "month", False)
    if level == "quarter":
        q = (day.month - 1) // 3
        start = dt.date(day.year, q * 3 + 1, 1)
        end = _month_end(dt.date(day.year, q * 3 + 3, 1))
        return Period(start, end, f"{day.year:04d}-Q{q + 1}", "quarter", False)
    if level == "year":
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), f"{day.year:04d}", "year", False)
    if level == "decade":
        first = day.year - day.year % 10
        return Period(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), f"{first:04d}s", "decade", False)
    raise ValueError(f"unknown period level {level!r} (one of {', '.join(LEVELS)})")


def bucket(start: dt.date | None, end: dt.date | None, precision: str | None, interval: str) -> Period:
    """The period an event dated [start, end] with this precision is counted in."""
    if interval not in INTERVALS:
        raise ValueError(f"unknown interval {interval!r} (one of {', '.join(INTERVALS)})")
    if start is None:
        return UNDATED
    end = _effective_end(start, end, precision)
    fine = period_of(start, interval)
    assert fine.end is not None
    if end <= fine.end:
        return fine
    for level in LEVELS[LEVELS.index(interval) + 1 :]:
        p = period_of(start, level)
        assert p.end is not None
        if end <= p.end:
            return Period(p.start, p.end, p.label, p.precision, True)
    return Period(start, end, f"{start.isoformat()}/{end.isoformat()}", precision or "range", True)


def midpoint(start: dt.date, end: dt.date | None) -> dt.date:
    """The middle of a date range; the day itself for a single day."""
    if end is None or end <= start:
        return start
    return start + (end - start) / 2


def span_days(start: dt.date, end: dt.date | None, precision: str | None) -> int:
    """How many days the event's date covers (1 for a known day)."""
    return (_effective_end(start, end, precision) - start).days + 1


def _effective_end(start: dt.date, end: dt.date | None, precision: str | None) -> dt.date:
    # a day-precise date is one day whatever date_end says (a human correction
    # of date_start leaves the extracted date_end behind); an open or broken
    # range falls back to the period its precision names
    if precision == "day":
        return start
    if end is not None and end >= start:
        return end
    level = precision if precision in LEVELS else "day"
    p = period_of(start, level)
    assert p.end is not None
    return p.end


def sort_key(p: Period) -> tuple[dt.date, dt.date]:
    """Chronological, a coarse period before the finer ones it holds; undated last."""
    if p.start is None or p.end is None:
        return (dt.date.max, dt.date.max)
    return (p.start, dt.date.max - (p.end - p.start))


def _month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
