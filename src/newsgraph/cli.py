"""The `newsgraph` command line."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsgraph import __version__

app = typer.Typer(
    help="Turn news articles into a sourced knowledge base of actors, events and quotes.",
    no_args_is_help=True,
    add_completion=False,
)
query_app = typer.Typer(help="Query documents, entities and events in a store.", no_args_is_help=True)
app.add_typer(query_app, name="query")
actors_app = typer.Typer(help="Inspect, validate and grow the actor dictionary.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")

err = Console(stderr=True)
out = Console()

DEFAULT_DB = "newsgraph.duckdb"
DbOption = Annotated[Path, typer.Option("--db", help="The DuckDB store file.", envvar="NEWSGRAPH_DB")]
ActorsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--actors", help="Extra actor dictionary YAML (repeatable); also read: actors.yaml beside the store."
    ),
]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"


def _reader_options(
    text_field: str,
    title_field: str,
    url_field: str,
    published_field: str,
    author_field: str,
    encoding: str | None,
    max_bytes: int,
) -> Any:
    from newsgraph.ingest.readers import ReaderOptions

    return ReaderOptions(
        text_field=text_field,
        title_field=title_field,
        url_field=url_field,
        published_field=published_field,
        author_field=author_field,
        encoding=encoding,
        max_bytes=max_bytes,
    )


def _actor_files(db: Path | None, actors: list[Path] | None) -> list[Path]:
    files: list[Path] = []
    if db is not None:
        beside = db.resolve().parent / "actors.yaml"
        if beside.is_file():
            files.append(beside)
    for path in actors or []:
        if not path.is_file():
            err.print(f"[red]error:[/] actor file {path} does not exist")
            raise typer.Exit(2)
        files.append(path)
    return files


TextField = Annotated[str, typer.Option(help="JSONL/CSV column holding the article text.")]
TitleField = Annotated[str, typer.Option(help="JSONL/CSV column holding the title.")]
UrlField = Annotated[str, typer.Option(help="JSONL/CSV column holding the URL.")]
PublishedField = Annotated[str, typer.Option(help="JSONL/CSV column holding the publication date.")]
AuthorField = Annotated[str, typer.Option(help="JSONL/CSV column holding the author(s), ';'-separated.")]
EncodingOpt = Annotated[
    str | None, typer.Option(help="Decode input files with this encoding instead of UTF-8.")
]
MaxBytes = Annotated[int, typer.Option(help="Refuse a single document larger than this many bytes.")]


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, directories, globs, or - for stdin.")
    ] = None,
    db: DbOption = Path(DEFAULT_DB),
    actors: ActorsOption = None,
    force: Annotated[bool, typer.Option(help="Re-extract documents even if unchanged.")] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per transaction.")] = 32,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    url_field: UrlField = "url",
    published_field: PublishedField = "published",
    author_field: AuthorField = "author",
    encoding: EncodingOpt = None,
    max_bytes: MaxBytes = 20_000_000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    strict: Annotated[
        bool,
        typer.Option(
            help="Stop at the first input that fails and exit 2; batches already committed stay stored."
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="Extraction processes on this machine (1: in this process).")
    ] = 1,
    dask_scheduler: Annotated[
        str | None, typer.Option(help="Extract on this Dask cluster (tcp://HOST:PORT); see docs/scale.md.")
    ] = None,
    dask_local: Annotated[
        int, typer.Option(min=0, help="Extract on a local Dask cluster of N worker processes.")
    ] = 0,
    parquet_out: Annotated[
        Path | None,
        typer.Option(help="Workers write Parquet shards to DIR instead of the store (merge with --parquet)."),
    ] = None,
    parquet: Annotated[
        Path | None, typer.Option(help="Merge the Parquet shards in DIR into the store (idempotent).")
    ] = None,
) -> None:
    """Read articles, extract entities, and store them. Unchanged files are skipped.

    Exit status: 0 when every input was stored or unchanged, 1 when some failed
    (they are listed with the reason; everything else is stored). With --strict,
    2 at the first failure: no further input is read, batches committed before
    it stay in the store (nothing is rolled back), documents read but not yet
    committed are not stored, and the failure is recorded with its reason.
    """
    from newsgraph.pipeline import IngestOptions
    from newsgraph.pipeline import ingest as run_ingest
    from newsgraph.store.db import Store, StoreError

    reader = _reader_options(
        text_field, title_field, url_field, published_field, author_field, encoding, max_bytes
    )
    files = _actor_files(db, actors)
    if not paths and parquet is None:
        err.print("[red]error:[/] name the files to ingest (or --parquet DIR to merge shards)")
        raise typer.Exit(2)
    if dask_scheduler and dask_local:
        err.print("[red]error:[/] --dask-scheduler and --dask-local exclude each other")
        raise typer.Exit(2)
    try:
        store = Store(db)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if parquet is not None:
        with store:
            _merge_parquet(store, parquet, db)
        return
    with store:
        options = IngestOptions(
            reader=reader,
            actor_files=files,
            batch_size=batch_size,
            force=force,
            workers=workers,
            dask_scheduler=dask_scheduler,
            dask_local=dask_local,
            parquet_out=parquet_out,
            stop_on_failure=strict,
        )
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]ingesting[/]"),
            BarColumn(),
            TextColumn("{task.completed} documents"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet,
            transient=True,
        ) as progress:
            task = progress.add_task("", total=None)

            def tick(source: str, status: str) -> None:
                progress.update(task, advance=1, description=f"{status}: {Path(source.split('#')[0]).name}")

            # whoever extracts loads the resources (cached per process): this one only with 1 worker
            report = run_ingest(store, paths or [], None, options, progress=tick)
            stopped = report.stopped
        _print_report(report.counts(), report.failed, db)
        from newsgraph.analysis.linking import link_events

        err.print(link_events(store).summary())
        stats = store.stats()
    err.print(
        f"store {db}: {stats['documents']} documents, {stats['entities']} entities, "
        f"{stats['mentions']} mentions"
    )
    if stopped:
        err.print("[red]stopped at the first failure (--strict)[/]; batches committed before it are kept")
    if report.failed:
        raise typer.Exit(2 if strict else 1)


def _merge_parquet(store: Any, folder: Path, db: Path) -> None:
    """`ingest --parquet DIR`: merge shards written by `--parquet-out` workers into the store."""
    from newsgraph.shards import merge_shards

    if not folder.is_dir():
        err.print(f"[red]error:[/] no shard folder {folder}")
        raise typer.Exit(2)
    merged, failed = merge_shards(store, folder)
    _print_report({**{k: len(v) for k, v in merged.items()}, "failed": len(failed)}, failed, db)
    from newsgraph.analysis.linking import link_events

    err.print(link_events(store).summary())
    stats = store.stats()
    err.print(f"store {db}: {stats['documents']} documents, {stats['entities']} entities")


def _print_report(counts: dict[str, int], failed: list[tuple[str, str]], db: Path) -> None:
    table = Table(title="ingest summary", show_header=True)
    for name in counts:
        table.add_column(name, justify="right")
    table.add_row(*(str(v) for v in counts.values()))
    err.print(table)
    if failed:
        ftable = Table(title="failed", show_header=True, header_style="red")
        ftable.add_column("source", overflow="fold")
        ftable.add_column("reason", overflow="fold")
        for source, reason in failed:
            ftable.add_row(source, reason)
        err.print(ftable)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, globs, or - for stdin.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.jsonl,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave the document text out.")] = False,
    actors: ActorsOption = None,
    text_field: TextField = "text",
    title_field: TitleField = "title",
    url_field: UrlField = "url",
    published_field: PublishedField = "published",
    author_field: AuthorField = "author",
    encoding: EncodingOpt = None,
    max_bytes: MaxBytes = 20_000_000,
) -> None:
    """Print the extraction of each document as JSON (one object per line); no database.

    This is newsgraph's stable machine interface (see DESIGN.md). Errors go to
    stderr, one line per failed input; the exit status is 1 if any failed.
    """
    from newsgraph.models import ReadError
    from newsgraph.pipeline import extract_paths
    from newsgraph.runtime import load_resources

    reader = _reader_options(
        text_field, title_field, url_field, published_field, author_field, encoding, max_bytes
    )
    res = load_resources(_actor_files(None, actors))
    failed = 0
    collected: list[dict[str, Any]] = []
    for item in extract_paths(paths, res, reader):
        if isinstance(item, ReadError):
            failed += 1
            err.print(f"[red]failed[/] {item.source}: {item.reason}", highlight=False)
            continue
        obj = item.to_contract(include_text=not no_text)
        if format is ExtractFormat.jsonl:
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            collected.append(obj)
    if format is ExtractFormat.json:
        sys.stdout.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    if failed:
        raise typer.Exit(1)


def _emit_rows(rows: list[dict[str, Any]], fmt: OutputFormat, title: str) -> None:
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, default=_json_default, indent=2) + "\n")
        return
    if fmt is OutputFormat.csv:
        if not rows:
            return
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        writer.writeheader()
        from newsgraph.export.csv import neutralise

        for row in rows:
            writer.writerow(
                {k: _cell(v) if isinstance(v, int | float) else neutralise(_cell(v)) for k, v in row.items()}
            )
        return
    table = Table(title=f"{title} ({len(rows)})")
    if rows:
        for col in rows[0]:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(v) for v in row.values()))
    out.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _open_read(db: Path) -> Any:
    from newsgraph.store.db import Store, StoreError

    if not db.exists():
        err.print(f"[red]error:[/] no store at {db}; run `newsgraph ingest PATH --db {db}` first")
        raise typer.Exit(2)
    try:
        return Store(db, read_only=True)
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None


FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f")]
LimitOption = Annotated[int, typer.Option(min=1, max=100_000)]


@query_app.command("documents")
def query_documents(
    db: DbOption = Path(DEFAULT_DB),
    text: Annotated[str | None, typer.Option(help="Text or title contains.")] = None,
    source: Annotated[str | None, typer.Option(help="Source path or URL contains.")] = None,
    entity: Annotated[str | None, typer.Option(help="Mentions this entity id (e.g. RUS).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: LimitOption = 50,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List documents."""
    from newsgraph.store.queries import DocumentFilter, documents

    with _open_read(db) as store:
        rows = documents(
            store,
            DocumentFilter(text=text, source=source, since=since, until=until, entity=entity, limit=limit),
        )
    _emit_rows(rows, format, "documents")


@query_app.command("entities")
def query_entities(
    db: DbOption = Path(DEFAULT_DB),
    name: Annotated[str | None, typer.Option(help="Name contains, or exact id.")] = None,
    type: Annotated[str | None, typer.Option(help="PERSON, ORG, GPE, LOC, NORP, FAC.")] = None,
    kind: Annotated[str | None, typer.Option(help="state, armed_group, person, ...")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 country.")] = None,
    limit: LimitOption = 50,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List entities, most mentioned first."""
    from newsgraph.store.queries import EntityFilter, entities

    with _open_read(db) as store:
        rows = entities(store, EntityFilter(name=name, type=type, kind=kind, country=country, limit=limit))
    _emit_rows(rows, format, "entities")


@query_app.command("events")
def query_events(
    db: DbOption = Path(DEFAULT_DB),
    type: Annotated[str | None, typer.Option(help="PLOVER event type, e.g. ASSAULT.")] = None,
    mode: Annotated[str | None, typer.Option(help="PLOVER mode, e.g. explosives.")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor id (RUS, Q2429253) or name.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3 of the event's place.")] = None,
    since: Annotated[str | None, typer.Option(help="On or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY-MM-DD).")] = None,
    limit: LimitOption = 50,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List events, newest first."""
    from newsgraph.store.queries import EventFilter, events

    with _open_read(db) as store:
        rows = events(
            store,
            EventFilter(
                type=type, mode=mode, actor=actor, country=country, since=since, until=until, limit=limit
            ),
        )
    if format is OutputFormat.table:
        rows = [
            {
                "event": r["event_id"],
                "date": r["date_start"],
                "type": f"{r['type']}/{r['mode']}" if r["mode"] else r["type"],
                "place": ", ".join(str(v) for v in (r["location"], r["country"]) if v),
                "killed": r["killed"],
                "injured": r["injured"],
                "conf": r["confidence"],
            }
            for r in rows
        ]
    _emit_rows(rows, format, "events")


@query_app.command("stance")
def query_stance(
    db: DbOption = Path(DEFAULT_DB),
    actor: Annotated[str | None, typer.Option(help="Only pairs with this actor id on either side.")] = None,
    min_items: Annotated[int, typer.Option(help="Pairs backed by at least this many events and quotes.")] = 1,
    limit: LimitOption = 50,
    format: FormatOption = OutputFormat.table,
) -> None:
    """How actors stand toward each other (hostile, neutral, friendly), from events and quotes."""
    from newsgraph.analysis.stance import stance_pairs

    with _open_read(db) as store:
        rows = stance_pairs(store, actor=actor, min_items=min_items, limit=limit)
    _emit_rows(rows, format, "stance between actors")


@app.command()
def info(
    db: DbOption = Path(DEFAULT_DB),
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Versions, the spaCy model, and the store's statistics."""
    import duckdb
    import spacy

    from newsgraph.nlp.pipeline import MODEL_PACKAGE, model_meta
    from newsgraph.store.schema import SCHEMA_VERSION

    meta = model_meta()
    data: dict[str, Any] = {
        "newsgraph": __version__,
        "python": sys.version.split()[0],
        "spacy": spacy.__version__,
        "duckdb": duckdb.__version__,
        "model": {"package": MODEL_PACKAGE, "name": meta.get("name"), "version": meta.get("version")},
        "schema_version": SCHEMA_VERSION,
        "store": None,
    }
    if db.exists():
        with _open_read(db) as store:
            data["store"] = {"path": str(db), "schema_version": store.schema_version(), **store.stats()}
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    table = Table(title="newsgraph", show_header=False)
    table.add_column("key")
    table.add_column("value")
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        table.add_row(key, "(no store)" if value is None else str(value))
    out.print(table)


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="Where to build the demo store (replaced).")] = Path(
        "newsgraph-demo.duckdb"
    ),
) -> None:
    """Ingest the bundled demo corpus into a fresh store and show what was found."""
    from newsgraph.pipeline import IngestOptions
    from newsgraph.pipeline import ingest as run_ingest
    from newsgraph.runtime import load_resources
    from newsgraph.sample import sample_inputs
    from newsgraph.store.db import Store
    from newsgraph.store.queries import DocumentFilter, EntityFilter, documents, entities

    for leftover in (db, Path(f"{db}.wal")):
        leftover.unlink(missing_ok=True)
    inputs = sample_inputs()
    res = load_resources()
    with Store(db) as store:
        with err.status("ingesting the demo corpus..."):
            report = run_ingest(store, inputs, res, IngestOptions())
        _print_report(report.counts(), report.failed, db)
        from newsgraph.analysis.linking import link_events

        err.print(link_events(store).summary())
        docs = documents(store, DocumentFilter(limit=100))
        ents = entities(store, EntityFilter(limit=15))
    _emit_rows(
        [{"published": d["published"], "title": d["title"], "entities": d["entities"]} for d in docs],
        OutputFormat.table,
        "documents",
    )
    _emit_rows(
        [
            {"id": e["entity_id"], "name": e["name"], "type": e["type"], "mentions": e["mentions"]}
            for e in ents
        ],
        OutputFormat.table,
        "most mentioned entities",
    )
    out.print(f"demo store written to [bold]{db}[/]")
    if report.failed:
        raise typer.Exit(1)


@app.command()
def check(db: DbOption = Path(DEFAULT_DB)) -> None:
    """Verify a store's integrity: spans match their text, no orphan rows, no duplicate documents.

    Exit status 0 when the store is consistent, 1 when a problem was found.
    """
    from newsgraph.store.check import check_store
    from newsgraph.store.db import Store, StoreError

    if not db.exists():
        err.print(f"[red]error:[/] no store at {db}")
        raise typer.Exit(2)
    try:
        store = Store(db)  # opening migrates an older store in place
    except StoreError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    with store:
        report = check_store(store)
    for problem in report.problems:
        err.print(f"[red]problem:[/] {problem}", highlight=False)
    out.print(
        f"{db}: {report.documents} documents, {report.spans_checked} spans checked, "
        f"{len(report.problems)} problems"
    )
    if not report.ok:
        raise typer.Exit(1)


def _load_dictionary(db: Path | None, actors: list[Path] | None) -> Any:
    from newsgraph.resources.actors import load_actors

    return load_actors(_actor_files(db, actors))


def _actor_row(actor: Any) -> dict[str, Any]:
    return {
        "id": actor.id,
        "name": actor.name,
        "kind": actor.kind,
        "type": actor.type,
        "country": actor.country,
        "sector": actor.sector,
        "wikidata": actor.wikidata,
        "aliases": list(actor.aliases),
        "demonyms": list(actor.demonyms),
        "seat_of": actor.seat_of,
    }


@actors_app.command("list")
def actors_list(
    kind: Annotated[str | None, typer.Option(help="state, capital, armed_group, igo, media, ...")] = None,
    country: Annotated[str | None, typer.Option(help="ISO alpha-3.")] = None,
    search: Annotated[str | None, typer.Option(help="Name or alias contains.")] = None,
    actors: ActorsOption = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also read actors.yaml beside this store.")] = None,
    limit: LimitOption = 1000,
    format: FormatOption = OutputFormat.table,
) -> None:
    """List dictionary actors."""
    dictionary = _load_dictionary(db, actors)
    rows = []
    for actor in dictionary:
        if kind and actor.kind != kind:
            continue
        if country and (actor.country or actor.id) != country.upper():
            continue
        if search and not any(search.casefold() in s.casefold() for s in (actor.name, *actor.aliases)):
            continue
        rows.append(_actor_row(actor))
    rows = rows[:limit]
    if format is OutputFormat.table:
        rows = [{k: r[k] for k in ("id", "name", "kind", "country", "sector", "aliases")} for r in rows]
    _emit_rows(rows, format, "actors")


@actors_app.command("show")
def actors_show(
    name: Annotated[
        str, typer.Argument(help="An actor id (RUS, Q2429253) or any alias (ISIS, the Kremlin).")
    ],
    actors: ActorsOption = None,
    db: Annotated[Path | None, typer.Option("--db", help="Also count its mentions in this store.")] = None,
) -> None:
    """Show one actor, found by id or alias, and how often a store mentions it."""
    dictionary = _load_dictionary(db, actors)
    found = [dictionary.get(name)] if dictionary.get(name) else dictionary.lookup(name)
    if not found:
        err.print(f"[red]error:[/] no actor with id or alias {name!r}")
        raise typer.Exit(1)
    for actor in found:
        row = _actor_row(actor)
        if db is not None and db.exists():
            with _open_read(db) as store:
                counts = store.query(
                    "SELECT count(*) AS mentions, count(DISTINCT doc_id) AS documents FROM mentions "
                    "WHERE entity_id = ?",
                    [actor.id],
                )[0]
            row.update(counts)
        sys.stdout.write(json.dumps(row, ensure_ascii=False, indent=2) + "\n")


@actors_app.command("validate")
def actors_validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="User actor files to check with the dictionary.")
    ] = None,
) -> None:
    """Check the dictionary (and user files): unique ids, no alias claimed twice unless marked ambiguous."""
    from newsgraph.resources.actors import load_actors

    for path in files or []:
        if not path.is_file():
            err.print(f"[red]error:[/] {path} does not exist")
            raise typer.Exit(2)
    dictionary = load_actors(files or [])
    errors = dictionary.validate()
    for message in errors:
        err.print(f"[red]invalid:[/] {message}", highlight=False)
    if errors:
        raise typer.Exit(1)
    out.print(f"ok: {len(dictionary)} actors, no errors")


@actors_app.command("suggest")
def actors_suggest(
    db: DbOption = Path(DEFAULT_DB),
    actors: ActorsOption = None,
    limit: LimitOption = 30,
    yaml_out: Annotated[
        bool, typer.Option("--yaml", help="Print entries to paste into an actors.yaml.")
    ] = False,
    format: FormatOption = OutputFormat.table,
) -> None:
    """The most frequent names in a store that resolve to no dictionary actor."""
    from newsgraph.store.queries import unresolved_names

    dictionary = _load_dictionary(db, actors)
    with _open_read(db) as store:
        rows = unresolved_names(store, [a.id for a in dictionary], limit)
    if yaml_out:
        import yaml

        # a first guess of kind per entity type: review each entry before adding it
        kinds = {
            "PERSON": "person",
            "GPE": "region",
            "LOC": "region",
            "FAC": "seat",
            "NORP": "movement",
            "ORG": "ngo",
        }
        entries = [
            {
                "id": "place:" + row["entity_id"].split(":", 1)[1]
                if row["type"] in ("GPE", "LOC")
                else row["entity_id"],
                "name": row["name"],
                "kind": kinds[row["type"]],
                "aliases": [s for s in row["surfaces"] if s != row["name"]],
            }
            for row in rows
        ]
        sys.stdout.write(
            "# suggested by `newsgraph actors suggest`: check each kind, add country and wikidata\n"
        )
        sys.stdout.write(yaml.safe_dump({"actors": entries}, allow_unicode=True, sort_keys=False))
        return
    _emit_rows(rows, format, "names with no dictionary actor")


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"newsgraph {__version__}")
        raise typer.Exit()


from newsgraph import cli_serve as _cli_serve  # noqa: E402, F401  (registers `newsgraph serve`)
from newsgraph.cli_analysis import analysis_app  # noqa: E402  (timeline, dyads, graph, alerts, country)
from newsgraph.cli_export import export_command  # noqa: E402
from newsgraph.cli_search import search_command  # noqa: E402

app.add_typer(analysis_app)
from newsgraph.cli_events import events_app  # noqa: E402

app.add_typer(events_app, name="events")
app.command("export")(export_command)
app.command("search")(search_command)

if __name__ == "__main__":  # pragma: no cover
    app()
