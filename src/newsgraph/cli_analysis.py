"""`newsgraph timeline | dyads | graph | alerts | country`: the analyses, from the command line.

A Typer app without a name, merged into the main app by one `app.add_typer`
line in cli.py, so the commands sit at the top level. The store is opened read
only: an analysis never writes.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

analysis_app = typer.Typer()

DEFAULT_DB = "newsgraph.duckdb"


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Interval(StrEnum):
    day = "day"
    month = "month"
    year = "year"


class DyadInterval(StrEnum):
    month = "month"
    year = "year"


Db = Annotated[Path, typer.Option("--db", help="The DuckDB store file.", envvar="NEWSGRAPH_DB")]
FormatOpt = Annotated[Fmt, typer.Option("--format", "-f")]
TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER event type, e.g. ASSAULT.")]
ModeOpt = Annotated[str | None, typer.Option("--mode", help="PLOVER mode, e.g. explosives.")]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Actor id (RUS also matches RUS/GOV), or a name.")
]
CountryOpt = Annotated[str | None, typer.Option("--country", help="ISO alpha-3 of the event's place.")]
SinceOpt = Annotated[str | None, typer.Option("--since", help="Events on or after (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Events on or before (YYYY-MM-DD).")]


def event_filter(
    type: str | None = None,
    mode: str | None = None,
    actor: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Any:
    """An EventFilter from the command-line options, or None when none was given."""
    from newsgraph.store.queries import EventFilter

    for name, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                fail(f"{name} wants a date as YYYY-MM-DD, not {value!r}")
    if not any((type, mode, actor, country, since, until)):
        return None
    return EventFilter(type=type, mode=mode, actor=actor, country=country, since=since, until=until)


def open_store(db: Path) -> AbstractContextManager[Any]:
    """The store, read only, or a clear error and exit status 2."""
    from newsgraph.cli import _open_read

    store: AbstractContextManager[Any] = _open_read(db)
    return store


def emit(rows: list[dict[str, Any]], fmt: Fmt, title: str) -> None:
    from newsgraph.cli import OutputFormat, _emit_rows

    _emit_rows(rows, OutputFormat(fmt.value), title)


def emit_json(data: Any) -> None:
    from newsgraph.cli import _json_default

    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=_json_default, indent=2) + "\n")


def fail(message: str, code: int = 2) -> NoReturn:
    from newsgraph.cli import err

    err.print(f"[red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@analysis_app.command("timeline")
def timeline_command(
    db: Db = Path(DEFAULT_DB),
    interval: Annotated[Interval, typer.Option(help="Period length.")] = Interval.month,
    type: TypeOpt = None,
    mode: ModeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    format: FormatOpt = Fmt.table,
) -> None:
    """Events per period: counts by type, killed, injured.

    Events dated more coarsely than the interval ("in 2019") get their own
    period, marked coarse, instead of being spread over months.
    """
    from newsgraph.analysis.timeline import timeline

    filters = event_filter(type, mode, actor, country, since, until)
    with open_store(db) as store:
        rows = timeline(store, interval=interval.value, filters=filters)
    if format is Fmt.json:
        emit_json(rows)
        return
    flat = [
        {
            "period": r["period"],
            "precision": r["precision"],
            "coarse": "yes" if r["coarse"] else "",
            "events": r["events"],
            "killed": r["killed"],
            "injured": r["injured"],
            "by_type": ", ".join(f"{k}={v}" for k, v in r["by_type"].items()),
        }
        for r in rows
    ]
    emit(flat, format, "timeline")


@analysis_app.command("dyads")
def dyads_command(
    db: Db = Path(DEFAULT_DB),
    interval: Annotated[DyadInterval, typer.Option(help="Period length.")] = DyadInterval.year,
    min_events: Annotated[int, typer.Option(min=1, help="Leave out pairs with fewer events in all.")] = 1,
    type: TypeOpt = None,
    mode: ModeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    format: FormatOpt = Fmt.table,
) -> None:
    """Source -> target actor pairs per period: events, mean PLOVER intensity, hostile and friendly counts."""
    from newsgraph.analysis.dyads import dyads

    filters = event_filter(type, mode, actor, country, since, until)
    with open_store(db) as store:
        rows = dyads(store, interval=interval.value, filters=filters, min_events=min_events)
    if format is Fmt.json:
        emit_json(rows)
        return
    keys = ("period", "source_name", "source_code", "target_name", "target_code", "events")
    flat = [
        {
            **{k: r[k] for k in keys},
            "intensity": r["mean_intensity"],
            "hostile": r["hostile"],
            "friendly": r["friendly"],
        }
        for r in rows
    ]
    emit(flat, format, "dyads")


@analysis_app.command("graph")
def graph_command(
    db: Db = Path(DEFAULT_DB),
    type: TypeOpt = None,
    mode: ModeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    edges: Annotated[bool, typer.Option("--edges", help="List the edges instead of the actors.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Rows to show in a table or CSV.")] = 50,
    format: FormatOpt = Fmt.table,
) -> None:
    """The actor network: actors by weighted degree, betweenness and community (or its edges).

    `--format json` prints the whole summary; `newsgraph export graphml` writes the graph itself.
    """
    from newsgraph.analysis.network import actor_graph, graph_summary

    filters = event_filter(type, mode, actor, country, since, until)
    with open_store(db) as store:
        summary = graph_summary(actor_graph(store, filters))
    if format is Fmt.json:
        emit_json(summary)
        return
    emit(summary["edges" if edges else "nodes"][:limit], format, "edges" if edges else "actors")


@analysis_app.command("alerts")
def alerts_command(
    db: Db = Path(DEFAULT_DB),
    window_days: Annotated[int, typer.Option(min=1, help="The recent window, in days.")] = 30,
    baseline_days: Annotated[int, typer.Option(min=1, help="The baseline before it, in days.")] = 365,
    as_of: Annotated[
        str | None, typer.Option(help="End of the recent window (YYYY-MM-DD); default: the latest event.")
    ] = None,
    min_events: Annotated[int, typer.Option(min=1, help="Events a pair needs in the recent window.")] = 3,
    type: TypeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    format: FormatOpt = Fmt.table,
) -> None:
    """Actor pairs whose recent hostility departs from their own baseline, with the evidence."""
    from newsgraph.analysis.alerts import alerts

    day = None
    if as_of:
        try:
            day = dt.date.fromisoformat(as_of)
        except ValueError:
            fail(f"--as-of wants a date as YYYY-MM-DD, not {as_of!r}")
    filters = event_filter(type, None, actor, country)
    with open_store(db) as store:
        rows = alerts(
            store,
            window_days=window_days,
            baseline_days=baseline_days,
            as_of=day,
            min_events=min_events,
            filters=filters,
        )
    if format is Fmt.json:
        emit_json(rows)
        return
    keys = (
        "kind",
        "source_name",
        "target_name",
        "recent_events",
        "recent_hostility",
        "baseline_events",
        "baseline_hostility",
        "z",
    )
    emit(
        [{**{k: r[k] for k in keys}, "events": " ".join(r["event_ids"])} for r in rows],
        format,
        "alerts",
    )


@analysis_app.command("country")
def country_command(
    iso3: Annotated[str, typer.Argument(help="ISO 3166 alpha-3 code, e.g. RUS.")],
    db: Db = Path(DEFAULT_DB),
    top: Annotated[int, typer.Option(min=1, help="How many actors and places to list.")] = 10,
    format: FormatOpt = Fmt.table,
) -> None:
    """One country: its events by type, casualties, top actors and places, first and last dates."""
    from newsgraph.analysis.countries import country_summary

    if len(iso3.strip()) != 3 or not iso3.strip().isalpha():
        fail(f"a country is an ISO alpha-3 code such as RUS, not {iso3!r}")
    with open_store(db) as store:
        summary = country_summary(store, iso3, top=top)
    if format is Fmt.json:
        emit_json(summary)
        return
    head = {
        k: summary[k]
        for k in ("country", "name", "events", "documents", "killed", "injured", "first_date", "last_date")
    }
    head["by_type"] = ", ".join(f"{k}={v}" for k, v in summary["by_type"].items())
    head["as_source"] = summary["as_actor"]["source"]
    head["as_target"] = summary["as_actor"]["target"]
    if format is Fmt.csv:
        emit([head], format, "country")
        return
    emit([head], format, f"{summary['country']} {summary['name'] or ''}".strip())
    emit(summary["top_actors"], format, "top actors")
    emit(summary["top_places"], format, "top places")
