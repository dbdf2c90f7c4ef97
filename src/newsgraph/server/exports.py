"""Downloads: the filtered events in a whitelisted format, via `newsgraph.export`.

The file is written to a temporary place first and only then sent, so the
store cursor is released before the bytes go out and a failed export is a
clean error rather than a truncated download. Parquet is a folder of two
tables, so it is sent as a zip.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from newsgraph.server.deps import StoreDep
from newsgraph.server.filters import EventQueryDep
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter

router = APIRouter(prefix="/api", tags=["export"])

# fmt -> (media type, download name); nothing outside this table reaches the exporter.
FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "newsgraph-events.csv"),
    "jsonl": ("application/x-ndjson", "newsgraph.jsonl"),
    "parquet": ("application/zip", "newsgraph-parquet.zip"),
    "geojson": ("application/geo+json", "newsgraph-events.geojson"),
    "graphml": ("application/graphml+xml", "newsgraph-actors.graphml"),
    "stix": ("application/json", "newsgraph-stix.json"),
}


@router.get("/export/{fmt}", summary="Download the filtered events: csv, jsonl, parquet (zip), geojson, ...")
def export_events(
    store: StoreDep,
    fmt: str,
    q: EventQueryDep,
    occurred_only: Annotated[bool, Query(description="Leave out negated and hypothetical events.")] = True,
) -> FileResponse:
    if fmt not in FORMATS:
        raise HTTPException(404, f"unknown format; one of {sorted(FORMATS)}")
    media, filename = FORMATS[fmt]
    filters = q.as_event_filter(limit=100_000_000)  # a filter it cannot apply is a 422, not a 500 below
    workdir = Path(tempfile.mkdtemp(prefix="newsgraph-export-"))
    cleanup = BackgroundTask(shutil.rmtree, workdir, ignore_errors=True)
    try:
        path = _write(store, fmt, workdir, filters, occurred_only)
    except Exception as exc:
        shutil.rmtree(workdir, ignore_errors=True)
        raise HTTPException(500, f"export failed: {type(exc).__name__}") from None
    return FileResponse(path, media_type=media, filename=filename, background=cleanup)


def _write(store: Store, fmt: str, workdir: Path, filters: EventFilter, occurred_only: bool) -> Path:
    from newsgraph.export import export

    if fmt != "parquet":
        out = workdir / FORMATS[fmt][1]
        export(store, fmt, out, filters, occurred_only=occurred_only)
        return out
    folder = workdir / "parquet"
    export(store, fmt, folder, filters, occurred_only=occurred_only)
    archive = workdir / FORMATS[fmt][1]
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for part in sorted(folder.rglob("*")):
            if part.is_file():
                zf.write(part, part.relative_to(folder).as_posix())
    return archive
