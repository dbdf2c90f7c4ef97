"""`newsgraph export FORMAT --out PATH`: the store as JSONL, CSV, Parquet, GeoJSON, GraphML or STIX."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli_analysis import (
    DEFAULT_DB,
    ActorOpt,
    CountryOpt,
    Db,
    ModeOpt,
    SinceOpt,
    TypeOpt,
    UntilOpt,
    event_filter,
    fail,
    open_store,
)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    geojson = "geojson"
    graphml = "graphml"
    stix = "stix"


def export_command(
    format: Annotated[ExportFormat, typer.Argument(help="jsonl, csv, parquet, geojson, graphml or stix.")],
    out: Annotated[
        str, typer.Option("--out", "-o", help="File to write (a folder for parquet); - for stdout.")
    ],
    db: Db = Path(DEFAULT_DB),
    type: TypeOpt = None,
    mode: ModeOpt = None,
    actor: ActorOpt = None,
    country: CountryOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    all_events: Annotated[
        bool, typer.Option("--all-events", help="Also export negated and hypothetical events.")
    ] = False,
) -> None:
    """Export events (and, for JSONL, whole annotated documents) with corrections applied.

    jsonl: one document a line in the `extract` contract's shape; csv: a flat
    event table (event_id, date, type, actors, place, fatalities, sources,
    notes, ...); parquet: events.parquet and entities.parquet in the --out
    folder; geojson: events with coordinates, RFC 7946; graphml: the actor
    network; stix: a STIX 2.1 bundle.
    """
    from newsgraph.cli import err
    from newsgraph.export import export

    filters = event_filter(type, mode, actor, country, since, until)
    if out == "-" and format is ExportFormat.parquet:
        fail("parquet writes a folder: give --out a path")
    with open_store(db) as store:
        try:
            counts = export(
                store,
                format.value,
                sys.stdout if out == "-" else Path(out),
                filters,
                occurred_only=not all_events,
            )
        except BrokenPipeError:
            # the reader of stdout (head, less) stopped early: not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(0) from None
        except OSError as exc:
            fail(f"cannot write {out}: {exc}")
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    err.print(f"{format.value}: {summary}" + ("" if out == "-" else f" -> {out}"), highlight=False)
