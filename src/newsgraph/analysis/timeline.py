"""Events over time: how many of each type, and how many killed and injured, per period.

Dates keep the precision the article gave them (see `periods`): an event known
only to the year is counted in that year's own `coarse` row, never smeared
over months. Casualty figures are the lower bound of what the text said.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsgraph.analysis.periods import INTERVALS, Period, bucket, sort_key
from newsgraph.analysis.select import selected_events_sql
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter


def timeline(
    store: Store,
    *,
    interval: str = "month",
    filters: EventFilter | None = None,
    occurred_only: bool = True,
) -> list[dict[str, Any]]:
    """One row per period: `period, start, end, precision, coarse, events, by_type, killed, injured`.

    >>> rows = timeline(store, interval="year")          # doctest: +SKIP
    >>> rows[0]["period"], rows[0]["by_type"]             # doctest: +SKIP
    ('2019', {'ASSAULT': 3})
    """
    sql, params = selected_events_sql(
        filters,
        occurred_only=occurred_only,
        columns="type, date_start, date_end, date_precision, killed, injured",
    )
    if interval in INTERVALS:
        # Count in SQL, bucket in Python: a day-precise event falls in the period of the
        # interval that holds its day (`bucket`), so all of a period's day-precise events of
        # one type are one group keyed by the period's first day; other precisions keep
        # their own dates and `bucket` places each group exactly as it places an event.
        sql = f"""
            SELECT type, date_precision,
                CASE WHEN date_precision = 'day' THEN CAST(date_trunc(?, date_start) AS DATE)
                    ELSE date_start END AS date_start,
                CASE WHEN date_precision = 'day' THEN NULL ELSE date_end END AS date_end,
                count(*) AS n, CAST(sum(coalesce(killed, 0)) AS BIGINT) AS killed,
                CAST(sum(coalesce(injured, 0)) AS BIGINT) AS injured
            FROM ({sql}) GROUP BY ALL"""
        params = [interval, *params]
    acc: dict[Period, dict[str, Any]] = {}
    for row in store.query(sql, params):
        p = bucket(row["date_start"], row["date_end"], row["date_precision"], interval)
        slot = acc.setdefault(p, {"types": Counter(), "killed": 0, "injured": 0})
        slot["types"][row["type"]] += row.get("n", 1)
        slot["killed"] += row["killed"] or 0
        slot["injured"] += row["injured"] or 0
    return [
        {
            "period": p.label,
            "start": p.start,
            "end": p.end,
            "precision": p.precision,
            "coarse": p.coarse,
            "events": sum(slot["types"].values()),
            "by_type": dict(sorted(slot["types"].items(), key=lambda kv: (-kv[1], kv[0]))),
            "killed": slot["killed"],
            "injured": slot["injured"],
        }
        for p, slot in sorted(acc.items(), key=lambda kv: sort_key(kv[0]))
    ]
