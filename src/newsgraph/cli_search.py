"""`newsgraph search "car bomb"`: ranked full-text search, narrowed by actor, type, country, dates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from newsgraph.cli_analysis import (
    DEFAULT_DB,
    ActorOpt,
    CountryOpt,
    Db,
    Fmt,
    FormatOpt,
    emit,
    emit_json,
    event_filter,
    fail,
    open_store,
)


def search_command(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", +required, -excluded, title:word.')],
    db: Db = Path(DEFAULT_DB),
    actor: ActorOpt = None,
    type: Annotated[str | None, typer.Option("--type", help="Has an event of this PLOVER type.")] = None,
    country: CountryOpt = None,
    since: Annotated[str | None, typer.Option("--since", help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Documents to return.")] = 20,
    format: FormatOpt = Fmt.table,
) -> None:
    """Search documents, best first, each with its best matching sentence.

    The index lives beside the store (<db>.search/) and is brought up to date
    on each search, so there is nothing to build first.
    """
    from newsgraph.search import SearchError, SearchFilter, search

    event_filter(since=since, until=until)  # validates the dates
    filters = SearchFilter(actor=actor, type=type, country=country, since=since, until=until)
    with open_store(db) as store:
        try:
            hits = search(store, query, filters=filters, limit=limit)
        except SearchError as exc:
            fail(str(exc))
    if format is Fmt.json:
        emit_json(hits)
        return
    rows = [
        {
            "score": h["score"],
            "published": h["published"],
            "title": h["title"],
            "sentence": h["sentence_idx"],
            "snippet": h["snippet"],
            "doc_id": h["doc_id"],
        }
        for h in hits
    ]
    if format is Fmt.csv:
        rows = [
            {**r, "start": h["start"], "end": h["end"], "source": h["source"]}
            for r, h in zip(rows, hits, strict=True)
        ]
    emit(rows, format, f"search: {query}")
