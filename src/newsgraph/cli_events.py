"""`newsgraph events`: link reports of one occurrence, and let a person merge or split them.

Merge and split decisions are stored as corrections (kind 'link') and linking is
re-run at once, so `events show` reflects them; every later `ingest` or
`events link` applies them again.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

events_app = typer.Typer(
    help="Canonical events: the same occurrence reported by several articles.", no_args_is_help=True
)

err = Console(stderr=True)
out = Console()

DbOption = Annotated[Path, typer.Option("--db", help="The DuckDB store file.", envvar="NEWSGRAPH_DB")]
AuthorOption = Annotated[str, typer.Option("--author", help="Who decides (kept with the decision).")]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why, for the record.")]
DEFAULT_DB = Path("newsgraph.duckdb")


def _open(db: Path, read_only: bool = False) -> Any:
    from newsgraph.store.db import Store, StoreError

    if not db.exists():
        err.print(f"[red]error:[/] no store at {db}; run `newsgraph ingest PATH --db {db}` first")
        raise typer.Exit(2)
    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None


@events_app.command("link")
def link(
    db: DbOption = DEFAULT_DB,
    full: Annotated[
        bool, typer.Option("--full", help="Rescore every pair, not only changed events.")
    ] = False,
) -> None:
    """Re-run event linking (it also runs after every ingest)."""
    from newsgraph.analysis.linking import link_events

    with _open(db) as store:
        report = link_events(store, full=full)
    err.print(f"{report.summary()}; rescored {report.rescored} events in {report.seconds} s")
    for a, b in report.refused_merges:
        err.print(f"[yellow]not merged:[/] {a} and {b} (a split decision keeps them apart)")


def _decide(db: Path, action: str, first: str, second: str, author: str, note: str | None) -> None:
    from newsgraph.analysis.linking import link_events
    from newsgraph.store.corrections import CorrectionError, add_correction

    with _open(db) as store:
        try:
            add_correction(store, "link", first, action, author, value=second, note=note)
        except CorrectionError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
        link_events(store)
        ids = dict(
            store.con.execute(
                "SELECT event_id, canonical_id FROM event_links WHERE event_id IN (?, ?)", [first, second]
            ).fetchall()
        )
    together = ids.get(first) is not None and ids.get(first) == ids.get(second)
    if action == "merge" and not together:
        err.print(f"[red]error:[/] {first} and {second} stay apart: an earlier split keeps them apart")
        raise typer.Exit(1)
    if action == "merge":
        out.print(f"merged: {first} and {second} are canonical event {ids[first]}")
    else:
        out.print(f"split: {first} is canonical event {ids.get(first)}, {second} is {ids.get(second)}")


@events_app.command("merge")
def merge(
    first: Annotated[str, typer.Argument(help="An event id.")],
    second: Annotated[str, typer.Argument(help="Another event id, reporting the same occurrence.")],
    author: AuthorOption,
    note: NoteOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record that two events are one occurrence; every later run keeps them together."""
    _decide(db, "merge", first, second, author, note)


@events_app.command("split")
def split(
    first: Annotated[str, typer.Argument(help="An event id.")],
    second: Annotated[str, typer.Argument(help="Another event id, a different occurrence.")],
    author: AuthorOption,
    note: NoteOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Record that two events are different occurrences; every later run keeps them apart."""
    _decide(db, "split", first, second, author, note)


@events_app.command("show")
def show(
    event_id: Annotated[str, typer.Argument(help="A canonical event id or the id of any of its events.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """A canonical event with all its sources, and why they were linked."""
    from newsgraph.analysis.link_view import canonical_event

    with _open(db, read_only=True) as store:
        found = canonical_event(store, event_id)
    if found is None:
        err.print(f"[red]error:[/] no event {event_id!r}")
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    _print_canonical(found)


@events_app.command("list")
def list_events(
    db: DbOption = DEFAULT_DB,
    min_sources: Annotated[int, typer.Option(help="Only events reported by this many documents.")] = 2,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Canonical events, those with the most sources first."""
    with _open(db, read_only=True) as store:
        rows = store.query(
            "SELECT canonical_id, type, mode, date_start, location, killed_min, killed_max, n_sources, "
            "first_published FROM canonical_events WHERE n_sources >= ? "
            "ORDER BY n_sources DESC, date_start DESC NULLS LAST, canonical_id LIMIT ?",
            [min_sources, limit],
        )
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    table = Table(title=f"canonical events with {min_sources}+ sources ({len(rows)})")
    for col in ("id", "type", "mode", "date", "place", "killed", "sources", "first published"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(
            r["canonical_id"],
            r["type"],
            r["mode"] or "",
            str(r["date_start"] or ""),
            r["location"] or "",
            _range(r["killed_min"], r["killed_max"]),
            str(r["n_sources"]),
            str(r["first_published"] or ""),
        )
    out.print(table)


def _range(low: Any, high: Any) -> str:
    if low is None:
        return ""
    return str(low) if low == high else f"{low}-{high}"


def _print_canonical(found: dict[str, Any]) -> None:
    c = found["canonical"]
    head = Table(title=f"canonical event {c['canonical_id']}", show_header=False)
    head.add_column("field")
    head.add_column("value", overflow="fold")
    date = c["date_start"] if c["date_start"] == c["date_end"] else f"{c['date_start']} .. {c['date_end']}"
    for key, value in (
        ("type", f"{c['type']} {c['mode'] or ''}".strip()),
        ("date", f"{date} ({c['date_precision']})" if c["date_start"] else ""),
        ("place", ", ".join(str(x) for x in (c["location"], c["admin1"], c["country"]) if x)),
        ("killed", _range(c["killed_min"], c["killed_max"])),
        ("injured", _range(c["injured_min"], c["injured_max"])),
        ("sources", f"{c['n_sources']} documents, {c['n_events']} mentions"),
        ("published", f"{c['first_published']} .. {c['last_published']}"),
    ):
        head.add_row(key, str(value))
    out.print(head)
    table = Table(title="sources")
    for col in ("event", "published", "source", "date", "place", "killed", "injured", "score", "why"):
        table.add_column(col, overflow="fold")
    for m in found["members"]:
        reasons = m["reasons"] or {}
        why = "user merge" if reasons.get("user") else ", ".join(reasons.get("agreed", []))
        if reasons.get("disagreed"):
            why += "; against: " + ", ".join(reasons["disagreed"])
        table.add_row(
            m["event_id"],
            str(m["published"] or ""),
            f"{m['title'] or ''} ({Path(m['source'].split('#')[0]).name})",
            str(m["date_start"] or ""),
            m["location"] or "",
            "" if m["killed"] is None else str(m["killed"]),
            "" if m["injured"] is None else str(m["injured"]),
            "" if m["score"] is None else f"{m['score']:.2f}",
            why,
        )
    out.print(table)
    for m in found["members"]:
        if m["evidence"]:
            out.print(f"[bold]{m['event_id']}[/]: {m['evidence']}", highlight=False)
    for d in found["decisions"]:
        out.print(
            f"decision: {d['action']} {d['event_a']} {d['event_b']} by {d['author']} ({d['decided_at']})"
        )
