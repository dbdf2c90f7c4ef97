"""`newsgraph serve`: the REST API and web UI over one store.

Loopback by default. Any other address exposes the store to the network, so
the command refuses to start there without a token, and then every API
request must carry it. FastAPI and uvicorn are imported only when serving, so
the other commands start as fast as before.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli import DEFAULT_DB, DbOption, app, err


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and 'localhost'; names that could resolve elsewhere are not."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def ui_address(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


@app.command()
def serve(
    db: DbOption = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to bind; non-loopback needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            help="Bearer token every API request must carry (required off loopback).",
            envvar="NEWSGRAPH_TOKEN",
            show_default=False,
        ),
    ] = None,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow this origin to call the API (repeatable). Off by default."),
    ] = None,
) -> None:
    """Serve the REST API and the web UI (Ctrl-C to stop).

    The server holds the store open read-write while it runs (corrections are
    writes, and DuckDB allows one writing process): stop it before running
    `newsgraph ingest` on the same file.
    """
    import uvicorn

    from newsgraph.server.app import create_app
    from newsgraph.server.security import LOOPBACK_HOSTS
    from newsgraph.store.db import StoreError

    token = token.strip() if token else None
    loopback = is_loopback(host)
    if not loopback and not token:
        err.print(
            f"[red]error:[/] refusing to serve on {host} without a token: pass --token or set "
            "NEWSGRAPH_TOKEN (every request must then send 'Authorization: Bearer <token>')"
        )
        raise typer.Exit(2)
    if not db.is_file():
        err.print(f"[red]error:[/] no store at {db}; build one with `newsgraph ingest` or `newsgraph demo`")
        raise typer.Exit(2)
    try:
        application = create_app(
            db,
            token=token,
            cors_origins=tuple(cors_origin or ()),
            trusted_hosts=LOOPBACK_HOSTS if loopback else None,
            warm=True,
        )
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    print(f"newsgraph UI: {ui_address(host, port)}", flush=True)
    if token:
        print("API requests need 'Authorization: Bearer <token>'; the UI asks for it once.", flush=True)
    uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False)
