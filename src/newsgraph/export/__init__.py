"""Exports of the knowledge base: JSONL, CSV, Parquet, GeoJSON, GraphML, STIX 2.1.

One entry point, `export(store, fmt, out, filters)`, so the CLI, the Python API
and the server offer the same formats with the same meaning. Each export reads
through the views that apply human corrections and, except JSONL (which
carries whole documents with every annotation, flagged), only events that
happened: negated and hypothetical ones are left out unless
`occurred_only=False`. Every event is exported as extracted per article;
nothing is deduplicated across articles here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

Writer = Callable[..., dict[str, int]]

FORMATS = ("jsonl", "csv", "parquet", "geojson", "graphml", "stix")


def _writer(fmt: str) -> Writer:
    # imported on demand: stix2 and networkx are slow to import and most calls need one format
    if fmt == "jsonl":
        from newsgraph.export.jsonl import write_jsonl

        return write_jsonl
    if fmt == "csv":
        from newsgraph.export.csv import write_csv

        return write_csv
    if fmt == "parquet":
        from newsgraph.export.parquet import write_parquet

        return write_parquet
    if fmt == "geojson":
        from newsgraph.export.geojson import write_geojson

        return write_geojson
    if fmt == "graphml":
        from newsgraph.export.graphml import write_graphml

        return write_graphml
    if fmt == "stix":
        from newsgraph.export.stix import write_stix

        return write_stix
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def export(
    store: Store,
    fmt: str,
    out: Path | IO[str],
    filters: EventFilter | None = None,
    *,
    occurred_only: bool = True,
) -> dict[str, int]:
    """Write the store (narrowed by `filters`) in `fmt` to `out`; returns what was written.

    `out` is a path or an open text stream; Parquet writes a folder and needs a path.

    >>> export(store, "geojson", Path("events.geojson"), EventFilter(type="ASSAULT"))  # doctest: +SKIP
    {'features': 31, 'skipped': 4}
    """
    return _writer(fmt.lower())(store, out, filters, occurred_only=occurred_only)


__all__ = ["FORMATS", "export"]
