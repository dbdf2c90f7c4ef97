"""The web UI's files, served from the package directory and nowhere else.

A requested path is resolved and must stay inside `static/`; anything with a
dot-dot, a backslash, a NUL, an absolute form or a hidden part is refused
before the file system is asked.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
router = APIRouter(include_in_schema=False)

TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


def safe_path(requested: str, root: Path = STATIC_DIR) -> Path | None:
    """The file under `root` that `requested` names, or None when it would leave `root`."""
    if not requested or "\x00" in requested or "\\" in requested or requested.startswith("/"):
        return None
    parts = PurePosixPath(requested).parts
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    root = root.resolve()
    candidate = (root / PurePosixPath(*parts)).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    return candidate


def _file(path: Path) -> FileResponse:
    media = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    cache = "no-cache" if path.suffix in (".html", ".js", ".css") else "public, max-age=86400"
    return FileResponse(path, media_type=media, headers={"Cache-Control": cache})


@router.get("/")
@router.get("/index.html")
def index() -> FileResponse:
    return _file(STATIC_DIR / "index.html")


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    found = safe_path("favicon.svg")
    if found is None:
        raise HTTPException(404)
    return _file(found)


@router.get("/static/{requested:path}")
def static(requested: str) -> FileResponse:
    found = safe_path(requested)
    if found is None:
        raise HTTPException(404, "not found")
    return _file(found)
