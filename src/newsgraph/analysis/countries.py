"""A country at a glance: what happened there, to whom, where, and when, from the events located in it.

"Events in RUS" are those whose place is in Russia. How often the state itself
(or a part of it: RUS/GOV, RUS/MIL) acts or is acted on anywhere is reported
separately under `as_actor`, since a state's conduct abroad is not an event in
its territory.
"""

from __future__ import annotations

from typing import Any

from newsgraph.analysis.select import selected_events_sql
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter


def country_summary(store: Store, iso3: str, *, top: int = 10) -> dict[str, Any]:
    """Events by type, casualty totals, top actors and places, first and last dates.

    >>> country_summary(store, "RUS")["by_type"]     # doctest: +SKIP
    {'ASSAULT': 21, 'COERCE': 9, ...}
    """
    code = iso3.strip().upper()
    sel, params = selected_events_sql(EventFilter(country=code))
    totals = store.query(
        f"""SELECT count(*) AS events, coalesce(sum(killed), 0) AS killed,
                   coalesce(sum(injured), 0) AS injured, count(DISTINCT doc_id) AS documents,
                   min(date_start) AS first_date, max(coalesce(date_end, date_start)) AS last_date
            FROM ({sel})""",
        params,
    )[0]
    by_type = store.query(
        f"SELECT type, count(*) AS n FROM ({sel}) GROUP BY type ORDER BY n DESC, type", params
    )
    actors = store.query(
        f"""SELECT ea.entity_id, any_value(en.name) AS name, any_value(en.kind) AS kind,
                   count(DISTINCT ea.event_id) AS events,
                   count(DISTINCT ea.event_id) FILTER (WHERE ea.role = 'source') AS as_source,
                   count(DISTINCT ea.event_id) FILTER (WHERE ea.role = 'target') AS as_target
            FROM ({sel}) ev JOIN event_actors_current ea USING (event_id)
            LEFT JOIN entities en ON en.entity_id = ea.entity_id
            GROUP BY ea.entity_id ORDER BY events DESC, ea.entity_id LIMIT ?""",
        [*params, top],
    )
    places = store.query(
        f"""SELECT location, any_value(admin1) AS admin1, count(*) AS events,
                   coalesce(sum(killed), 0) AS killed, avg(lat) AS lat, avg(lon) AS lon
            FROM ({sel}) WHERE location IS NOT NULL
            GROUP BY location ORDER BY events DESC, location LIMIT ?""",
        [*params, top],
    )
    everywhere, all_params = selected_events_sql(None, columns="event_id")
    as_actor = store.query(
        f"""SELECT ea.role, count(DISTINCT ea.event_id) AS n
            FROM event_actors_current ea JOIN ({everywhere}) ev USING (event_id)
            WHERE ea.entity_id = ? OR ea.entity_id LIKE ?
            GROUP BY ea.role""",
        [*all_params, code, f"{code}/%"],
    )
    roles = {r["role"]: r["n"] for r in as_actor}
    return {
        "country": code,
        "name": _country_name(code),
        "events": totals["events"],
        "documents": totals["documents"],
        "by_type": {r["type"]: r["n"] for r in by_type},
        "killed": int(totals["killed"]),
        "injured": int(totals["injured"]),
        "first_date": totals["first_date"],
        "last_date": totals["last_date"],
        "top_actors": actors,
        "top_places": [
            {**p, "lat": _round(p["lat"]), "lon": _round(p["lon"]), "killed": int(p["killed"])}
            for p in places
        ],
        "as_actor": {"source": roles.get("source", 0), "target": roles.get("target", 0)},
    }


def _round(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def _country_name(code: str) -> str | None:
    import pycountry

    found = pycountry.countries.get(alpha_3=code)
    return str(found.name) if found is not None else None
