"""The Python API: `newsgraph.open(path)` gives a KnowledgeBase over one store file.

For notebooks and scripts: the same reads, analyses, search and exports as the
command line, returning lists of dicts (and a networkx graph), with the store
opened once. Every read goes through the views that apply human corrections.

    >>> import newsgraph
    >>> from newsgraph.sample import sample_inputs
    >>> with newsgraph.open("kb.duckdb") as kb:              # doctest: +SKIP
    ...     kb.ingest(sample_inputs())
    ...     hits = kb.search("car bomb", limit=3)
    ...     per_year = kb.timeline(interval="year", type="ASSAULT")
    {'new': 18, 'updated': 0, 'unchanged': 0, 'duplicate': 0, 'failed': 0}

The examples on the methods below run against such a knowledge base, `kb`.
DuckDB lets one process write a store at a time: open with `read_only=True`
to read a store that another process (say `newsgraph serve`) keeps open.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported on use: `import newsgraph` must stay cheap for workers and the CLI
    import networkx as nx

    from newsgraph.store.queries import EventFilter

_EVENT_FIELDS = frozenset({"type", "mode", "actor", "country", "since", "until", "text"})
_READER_FIELDS = (
    "text_field",
    "title_field",
    "url_field",
    "published_field",
    "author_field",
    "encoding",
    "max_bytes",
    "max_file_bytes",
)


class KnowledgeBase:
    """One newsgraph store: ingest into it, query it, analyse it, export it."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        from newsgraph.store.db import Store

        self.path = Path(path)
        self.store = Store(self.path, read_only=read_only)

    # -- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KnowledgeBase({str(self.path)!r})"

    # -- writing ---------------------------------------------------------------

    def ingest(
        self,
        paths: str | Path | Sequence[str | Path],
        *,
        actors: Sequence[str | Path] = (),
        force: bool = False,
        batch_size: int = 32,
        workers: int = 1,
        dask_scheduler: str | None = None,
        link: bool = True,
        **reader_options: Any,
    ) -> dict[str, int]:
        """Read, extract and store files, folders or globs; returns counts (new, updated, ..., failed).

        `actors` adds actor dictionary files (an `actors.yaml` beside the store
        is read too); `workers` extracts in that many processes and
        `dask_scheduler` (tcp://host:port) on a Dask cluster, as `newsgraph
        ingest` does; `link` then links events across articles (as the command
        does), so canonical events include the new documents. `reader_options`
        are those of `newsgraph ingest` (text_field, title_field, url_field,
        published_field, author_field, encoding, max_bytes).

        >>> kb.ingest(["articles/"], text_field="body")      # doctest: +SKIP
        {'new': 12, 'updated': 0, 'unchanged': 0, 'duplicate': 0, 'failed': 0}
        """
        from newsgraph.ingest.readers import ReaderOptions
        from newsgraph.pipeline import IngestOptions, ingest

        unknown = set(reader_options) - set(_READER_FIELDS)
        if unknown:
            raise TypeError(f"unknown ingest options: {', '.join(sorted(unknown))}")
        inputs = [str(paths)] if isinstance(paths, str | Path) else [str(p) for p in paths]
        files = [Path(p) for p in actors]
        beside = self.path.resolve().parent / "actors.yaml"
        if beside.is_file():
            files.insert(0, beside)
        if workers < 1:
            raise ValueError("workers must be at least 1")
        options = IngestOptions(
            reader=ReaderOptions(**reader_options),
            actor_files=files,
            batch_size=batch_size,
            force=force,
            workers=workers,
            dask_scheduler=dask_scheduler,
        )
        report = ingest(self.store, inputs, None, options)  # whoever extracts loads the resources
        if link:
            from newsgraph.analysis.linking import link_events

            link_events(self.store)
        return report.counts()

    # -- reading ---------------------------------------------------------------

    def documents(self, **filters: Any) -> list[dict[str, Any]]:
        """Documents, newest first. Filters: text, source, since, until, entity, limit, offset.

        >>> [d["title"] for d in kb.documents(entity="Q2429253", limit=2)]   # doctest: +ELLIPSIS
        [...]
        """
        from newsgraph.store.queries import DocumentFilter, documents

        return documents(self.store, DocumentFilter(**filters))

    def entities(self, **filters: Any) -> list[dict[str, Any]]:
        """Entities, most mentioned first. Filters: name, type, kind, country, limit, offset.

        >>> kb.entities(name="Islamic State", limit=1)[0]["entity_id"]
        'Q2429253'
        """
        from newsgraph.store.queries import EntityFilter, entities

        return entities(self.store, EntityFilter(**filters))

    def events(
        self, *, limit: int | None = 100, offset: int = 0, include_unreal: bool = False, **filters: Any
    ) -> list[dict[str, Any]]:
        """Events as contract objects with corrections applied, oldest first.

        Filters: type, mode, actor, country, since, until, text. Negated and
        hypothetical events are left out unless `include_unreal`. Each event
        has its `document` (title, source, url, published) and `evidence_text`.

        >>> ev = kb.events(type="ASSAULT", actor="RUS", limit=1)
        >>> ev[0]["type"], bool(ev[0]["evidence_text"])
        ('ASSAULT', True)
        """
        from newsgraph.export.records import iter_events

        it = iter_events(self.store, self._filter(filters), occurred_only=not include_unreal)
        return list(itertools.islice(it, offset, None if limit is None else offset + limit))

    def search(self, query: str, *, limit: int = 20, **filters: Any) -> list[dict[str, Any]]:
        """Ranked full-text search. Filters: actor, type, country, since, until.

        >>> kb.search("car bomb", limit=1)[0]["title"]         # doctest: +ELLIPSIS
        '...Makhachkala...'
        """
        from newsgraph.search import SearchFilter, search

        return search(self.store, query, filters=SearchFilter(**filters) if filters else None, limit=limit)

    # -- analysis ---------------------------------------------------------------

    def timeline(self, *, interval: str = "month", **filters: Any) -> list[dict[str, Any]]:
        """Events, killed and injured per period (coarsely dated events in their own rows).

        >>> rows = kb.timeline(interval="year", type="ASSAULT")
        >>> sorted(rows[0])
        ['by_type', 'coarse', 'end', 'events', 'injured', 'killed', 'period', 'precision', 'start']
        """
        from newsgraph.analysis.timeline import timeline

        return timeline(self.store, interval=interval, filters=self._filter(filters))

    def dyads(self, *, interval: str = "year", min_events: int = 1, **filters: Any) -> list[dict[str, Any]]:
        """Source -> target pairs per period with count, mean intensity, hostile and friendly counts.

        >>> all(r["events"] >= 1 for r in kb.dyads(interval="year"))
        True
        """
        from newsgraph.analysis.dyads import dyads

        return dyads(self.store, interval=interval, filters=self._filter(filters), min_events=min_events)

    def graph(self, **filters: Any) -> nx.Graph:
        """The actor network (networkx); `newsgraph.analysis.graph_summary(G)` gives centralities.

        >>> G = kb.graph()
        >>> all("name" in attrs for _, attrs in G.nodes(data=True))
        True
        """
        from newsgraph.analysis.network import actor_graph

        return actor_graph(self.store, self._filter(filters))

    def graph_summary(self, **filters: Any) -> dict[str, Any]:
        """Nodes with degree, weighted degree, betweenness and community; edges; density."""
        from newsgraph.analysis.network import graph_summary

        return graph_summary(self.graph(**filters))

    def alerts(self, **kw: Any) -> list[dict[str, Any]]:
        """Pairs whose recent hostility departs from their baseline (see `newsgraph.analysis.alerts`).

        Keywords: window_days, baseline_days, as_of, min_events, and event filters.

        >>> isinstance(kb.alerts(window_days=30), list)
        True
        """
        from newsgraph.analysis.alerts import alerts

        filters = {k: kw.pop(k) for k in list(kw) if k in _EVENT_FIELDS}
        return alerts(self.store, filters=self._filter(filters), **kw)

    def country(self, iso3: str, *, top: int = 10) -> dict[str, Any]:
        """One country's events by type, casualties, top actors and places, first and last dates.

        >>> kb.country("RUS")["name"]
        'Russian Federation'
        """
        from newsgraph.analysis.countries import country_summary

        return country_summary(self.store, iso3, top=top)

    # -- export -------------------------------------------------------------------

    def export(
        self, fmt: str, out: str | Path | IO[str], *, include_unreal: bool = False, **filters: Any
    ) -> dict[str, int]:
        """Write jsonl, csv, parquet (a folder), geojson, graphml or stix; returns what was written.

        >>> import io
        >>> buf = io.StringIO()
        >>> kb.export("geojson", buf, type="ASSAULT")["features"] > 0
        True
        """
        from newsgraph.export import export

        target = Path(out) if isinstance(out, str | Path) else out
        return export(self.store, fmt, target, self._filter(filters), occurred_only=not include_unreal)

    # -- helpers ----------------------------------------------------------------------

    @staticmethod
    def _filter(filters: dict[str, Any]) -> EventFilter | None:
        from newsgraph.store.queries import EventFilter

        unknown = set(filters) - _EVENT_FIELDS
        if unknown:
            raise TypeError(f"unknown event filters: {', '.join(sorted(unknown))}")
        given = {k: v for k, v in filters.items() if v is not None}
        return EventFilter(**given) if given else None


def open(path: str | Path, *, read_only: bool = False) -> KnowledgeBase:
    """Open (or create) the knowledge base in this DuckDB file.

    Named after the builtin on purpose (`newsgraph.open`); inside this module
    the builtin is not used.
    """
    return KnowledgeBase(path, read_only=read_only)
