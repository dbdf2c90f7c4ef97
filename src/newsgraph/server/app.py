"""The FastAPI application: the REST API under /api and the offline web UI at /.

Security model, in one place: the server binds loopback unless told otherwise
(`newsgraph serve` refuses any other address without a token); with a token,
every API request must carry it as a bearer token; on loopback the Host header
must be a loopback name (DNS rebinding); writes must be JSON from our own
origin; CORS is off unless origins are listed; bodies are capped; every
response carries a strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from newsgraph import __version__
from newsgraph.server import actors, analysis, documents, events, exports, review, static_files, warmup
from newsgraph.server.deps import StoreAccess, StoreDep
from newsgraph.server.security import (
    BodyLimitMiddleware,
    SameOriginWriteMiddleware,
    SecurityHeadersMiddleware,
    TokenMiddleware,
    TrustedHostMiddleware,
)
from newsgraph.store.schema import SCHEMA_VERSION

MAX_BODY_BYTES = 64 * 1024


def create_app(
    db_path: str | Path,
    token: str | None = None,
    cors_origins: Sequence[str] = (),
    *,
    trusted_hosts: Sequence[str] | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    warm: bool = False,
) -> FastAPI:
    """Build the app over one store file.

    `token`: required bearer token for every API request (None: no token).
    `cors_origins`: origins allowed to call the API from other pages (none by default).
    `trusted_hosts`: Host header names accepted (None: any; `serve` passes the loopback names).
    `warm`: compute the default analyses in the background at start-up (`serve` does).
    """
    access = StoreAccess(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            warmup.start(access)
        yield
        access.close()

    app = FastAPI(
        title="newsgraph",
        version=__version__,
        description="Sourced events, actors and quotes extracted from news, with analyst review.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.store_access = access
    app.state.token_required = token is not None

    for module in (documents, events, actors, analysis, review, exports):
        app.include_router(module.router)
    app.include_router(static_files.router)

    @app.get("/health", tags=["meta"], summary="Liveness and store schema")
    def health(store: StoreDep) -> dict[str, Any]:
        row = store.query("SELECT value FROM meta WHERE key = 'schema_version'")
        return {
            "status": "ok",
            "version": __version__,
            "schema_version": int(row[0]["value"]) if row else None,
            "expected_schema": SCHEMA_VERSION,
        }

    # Middleware wraps outside-in in reverse order of adding: headers go on everything,
    # hosts and tokens are checked before the body is read or a route runs.
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "PATCH"],
            allow_headers=["Authorization", "Content-Type", "X-Newsgraph-Author"],
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(SameOriginWriteMiddleware, allowed_origins=list(cors_origins))
    app.add_middleware(BodyLimitMiddleware, max_bytes=max_body_bytes)
    if token is not None:
        if not token.strip():
            raise ValueError("an empty token protects nothing")
        app.add_middleware(TokenMiddleware, token=token)
    if trusted_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, hosts=trusted_hosts)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
