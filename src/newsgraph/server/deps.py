"""How handlers reach the store, and the small request pieces every router shares.

DuckDB lets one process write a file. While the server runs it is that process:
it opens the store once, read-write (corrections are writes), and gives each
request its own cursor on that connection. Cursors share the database, so
reads run side by side and one slow export does not block the dashboard; writes
take a lock so corrections are recorded one at a time. Stop the server before
running `newsgraph ingest` on the same file.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field

from newsgraph.store.db import Store

MAX_LIMIT = 500
AUTHOR_HEADER = "X-Newsgraph-Author"


class StoreAccess:
    """The server's one connection to the store, handed out as per-request cursors."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._base = Store(self.path)
        self._cursor_lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.cache = ResultCache()

    @contextmanager
    def session(self) -> Iterator[Store]:
        with self._cursor_lock:
            cursor = self._base.con.cursor()
        view = copy.copy(self._base)
        view.con = cursor
        try:
            yield view
        finally:
            cursor.close()

    def close(self) -> None:
        self._base.close()


class ResultCache:
    """Whole-store analyses (graph, dyads, alerts, timeline) keyed by their parameters.

    The server is the store's only writer while it runs, so the cache is exact:
    every review write clears it, and nothing else can change the store. Two
    requests for the same missing key compute it once (the second waits), and a
    result computed across a clear is not kept.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._gates: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._generation = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._gates.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:
                    return self._items[key]
                generation = self._generation
            try:
                value = compute()
            except BaseException:
                # a failed computation (a 422, an error) must not leave its gate behind: keys come
                # from query strings, so kept gates would grow without bound
                with self._lock:
                    self._gates.pop(key, None)
                raise
            with self._lock:
                self._gates.pop(key, None)
                if generation == self._generation:
                    self._items[key] = value
                    while len(self._items) > self.size:
                        self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._items.clear()


def get_access(request: Request) -> StoreAccess:
    access: StoreAccess = request.app.state.store_access
    return access


def get_store(request: Request) -> Iterator[Store]:
    with get_access(request).session() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]
AccessDep = Annotated[StoreAccess, Depends(get_access)]


class Paging(BaseModel):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Rows per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


PagingDep = Annotated[Paging, Depends(paging)]


def page(items: list[dict[str, Any]], total: int, p: Paging) -> dict[str, Any]:
    """The one shape every list endpoint returns, so the UI pages them all alike."""
    return {"total": total, "limit": p.limit, "offset": p.offset, "items": items}


class WriteBody(BaseModel):
    """What every review write may carry besides its payload."""

    author: str | None = Field(None, max_length=120, description=f"Or the {AUTHOR_HEADER} header.")
    note: str | None = Field(None, max_length=2000)


def author_of(body: WriteBody, header: str | None) -> str:
    """The analyst who made a write: the body's `author`, else the header; required."""
    name = (body.author or header or "").strip()
    if not name:
        raise HTTPException(422, f"a review write needs an author (body 'author' or {AUTHOR_HEADER} header)")
    if len(name) > 120:
        raise HTTPException(422, "author name too long")
    return name


AuthorHeader = Annotated[str | None, Header(alias=AUTHOR_HEADER, max_length=120)]


def scalar(store: Store, sql: str, params: list[Any]) -> int:
    rows = store.con.execute(sql, params).fetchone()
    return int(rows[0]) if rows and rows[0] is not None else 0
