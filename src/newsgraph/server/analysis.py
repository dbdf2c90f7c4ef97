"""Aggregates for the charts: timeline, dyads, actor network, alerts, map, country, search.

The analysis modules do the counting; this router only pages and trims their
output so that a browser never receives a whole store. Results are cached per
parameter set until the next review write (see `ResultCache`).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Annotated, Any, Literal

import networkx as nx
from fastapi import APIRouter, HTTPException, Path, Query

from newsgraph.server.deps import AccessDep, PagingDep, StoreDep, page
from newsgraph.server.filters import EventQuery, EventQueryDep

router = APIRouter(prefix="/api", tags=["analysis"])


def _key(name: str, q: EventQuery, *extra: Any) -> tuple[Any, ...]:
    return (name, q, *extra)


@router.get("/timeline", summary="Events, killed and injured per period")
def get_timeline(
    access: AccessDep,
    store: StoreDep,
    q: EventQueryDep,
    interval: Literal["day", "month", "year"] = "month",
) -> dict[str, Any]:
    from newsgraph.analysis.timeline import timeline

    rows = access.cache.get_or_compute(
        _key("timeline", q, interval),
        lambda: timeline(store, interval=interval, filters=q.as_event_filter()),
    )
    return {"interval": interval, "items": rows}


@router.get("/dyads", summary="Source-target pairs with their series, busiest pairs first")
def get_dyads(
    access: AccessDep,
    store: StoreDep,
    q: EventQueryDep,
    p: PagingDep,
    interval: Literal["month", "year"] = "year",
    min_events: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> dict[str, Any]:
    from newsgraph.analysis.dyads import dyads

    pairs = access.cache.get_or_compute(
        _key("dyads", q, interval, min_events),
        lambda: _pairs(dyads(store, interval=interval, filters=q.as_event_filter(), min_events=min_events)),
    )
    return {"interval": interval, **page(pairs[p.offset : p.offset + p.limit], len(pairs), p)}


def _pairs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Period rows grouped into one entry per pair, with totals, ordered by event count."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (r["source_id"], r["target_id"])
        pair = pairs.setdefault(
            key,
            {
                "source_id": r["source_id"],
                "source_name": r["source_name"],
                "target_id": r["target_id"],
                "target_name": r["target_name"],
                "events": 0,
                "hostile": 0,
                "friendly": 0,
                "_scores": [],
                "series": [],
            },
        )
        pair["events"] += r["events"]
        pair["hostile"] += r["hostile"]
        pair["friendly"] += r["friendly"]
        if r.get("mean_intensity") is not None:
            pair["_scores"].append((r["mean_intensity"], r["events"]))
        pair["series"].append(
            {"period": r["period"], "events": r["events"], "mean_intensity": r.get("mean_intensity")}
        )
    out = []
    for pair in pairs.values():
        scores = pair.pop("_scores")
        weight = sum(n for _, n in scores)
        pair["mean_intensity"] = round(sum(s * n for s, n in scores) / weight, 2) if weight else None
        out.append(pair)
    out.sort(key=lambda r: (-r["events"], r["source_id"], r["target_id"]))
    return out


@router.get("/graph", summary="The actor network, trimmed to its best-connected actors")
def get_graph(
    access: AccessDep,
    store: StoreDep,
    q: EventQueryDep,
    nodes: Annotated[int, Query(ge=2, le=500, description="Most connected actors to keep.")] = 80,
) -> dict[str, Any]:
    from newsgraph.analysis.network import actor_graph, graph_summary

    def compute() -> dict[str, Any]:
        G = actor_graph(store, q.as_event_filter())
        total_nodes, total_edges = G.number_of_nodes(), G.number_of_edges()
        if total_nodes > nodes:
            strength = dict(G.degree(weight="weight"))
            keep = sorted(G.nodes, key=lambda n: (-strength[n], str(n)))[:nodes]
            G = nx.Graph(G.subgraph(keep))
        summary = graph_summary(G)
        return {**summary, "total_nodes": total_nodes, "total_edges": total_edges}

    result: dict[str, Any] = access.cache.get_or_compute(_key("graph", q, nodes), compute)
    return result


@router.get("/alerts", summary="Pairs whose recent hostility departs from their baseline")
def get_alerts(
    access: AccessDep,
    store: StoreDep,
    q: EventQueryDep,
    window_days: Annotated[int, Query(ge=1, le=3650)] = 30,
    baseline_days: Annotated[int, Query(ge=1, le=36500)] = 365,
    min_events: Annotated[int, Query(ge=1, le=10_000)] = 3,
    as_of: dt.date | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> dict[str, Any]:
    from newsgraph.analysis.alerts import alerts

    try:
        found = access.cache.get_or_compute(
            _key("alerts", q, window_days, baseline_days, min_events, as_of),
            lambda: alerts(
                store,
                window_days=window_days,
                baseline_days=baseline_days,
                as_of=as_of,
                min_events=min_events,
                filters=q.as_event_filter(),
            ),
        )
    except OverflowError:
        # the window and baseline before `as_of` (given, or the latest event's date) reach before year 1
        raise HTTPException(422, "as_of minus window_days and baseline_days falls before year 1") from None
    return {"total": len(found), "items": found[:limit]}


@router.get("/map", summary="Located events grouped by place, and event counts per country")
def get_map(
    access: AccessDep,
    store: StoreDep,
    q: EventQueryDep,
    places: Annotated[int, Query(ge=1, le=5000, description="Most active places to return.")] = 1000,
) -> dict[str, Any]:
    where, params = q.where()

    def compute() -> dict[str, Any]:
        points = store.query(
            f"""SELECT round(ev.lat, 2) AS lat, round(ev.lon, 2) AS lon, any_value(ev.location) AS location,
                       any_value(ev.country) AS country, count(*) AS events,
                       coalesce(sum(ev.killed), 0) AS killed, coalesce(sum(ev.injured), 0) AS injured,
                       max(ev.date_start) AS last_date, arg_max(ev.event_id, ev.date_start) AS last_event
                FROM events_current ev WHERE {where} AND ev.lat IS NOT NULL AND ev.lon IS NOT NULL
                GROUP BY 1, 2 ORDER BY events DESC, killed DESC LIMIT ?""",
            [*params, places],
        )
        countries = store.query(
            f"""SELECT ev.country, count(*) AS events, coalesce(sum(ev.killed), 0) AS killed
                FROM events_current ev WHERE {where} AND ev.country IS NOT NULL
                GROUP BY 1 ORDER BY events DESC""",
            params,
        )
        numeric = _iso_numeric()
        for c in countries:
            c["numeric"] = numeric.get(c["country"])
        return {"points": points, "countries": countries}

    result: dict[str, Any] = access.cache.get_or_compute(_key("map", q, places), compute)
    return result


@lru_cache(maxsize=1)
def _iso_numeric() -> dict[str, str]:
    """ISO alpha-3 to the numeric code the world-atlas boundaries are keyed by."""
    import pycountry

    return {c.alpha_3: c.numeric for c in pycountry.countries}


@router.get("/countries/{iso3}", summary="One country: events by type, casualties, top actors")
def get_country(
    access: AccessDep, store: StoreDep, iso3: Annotated[str, Path(pattern=r"^[A-Za-z]{3}$")]
) -> dict[str, Any]:
    from newsgraph.analysis.countries import country_summary

    result: dict[str, Any] = access.cache.get_or_compute(
        ("country", iso3.upper()), lambda: country_summary(store, iso3.upper())
    )
    return result


@router.get("/search", summary="Full-text search over documents (BM25), plus matching actor names")
def get_search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description='Words, "phrases", +must, -not.')],
    p: PagingDep,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    type: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=8)] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, Any]:
    from newsgraph.search import SearchError, SearchFilter, search

    scope = SearchFilter(
        actor=actor or None,
        type=type.upper() if type else None,
        country=country.upper() if country else None,
        since=since.isoformat() if since else None,
        until=until.isoformat() if until else None,
    )
    try:
        hits = search(store, q, filters=scope, limit=p.offset + p.limit)
    except SearchError as exc:
        raise HTTPException(422, str(exc)) from None
    actors = []
    if p.offset == 0:
        actors = store.query(
            "SELECT 'actor' AS kind, entity_id AS id, name AS label, type FROM entities "
            "WHERE (name ILIKE ? OR entity_id = ?) "
            "AND entity_id NOT IN (SELECT entity_id FROM entity_merges) "
            "ORDER BY length(name), name LIMIT 8",
            [f"%{q}%", q],
        )
    items = [{"kind": "document", **h} for h in hits[p.offset :]]
    # The index ranks lazily: the total is what was seen, plus one when another page may follow.
    more = len(hits) == p.offset + p.limit
    total = p.offset + len(items) + (1 if more else 0)
    return {**page(items, total, p), "actors": actors, "more": more}
