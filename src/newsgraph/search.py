"""Full-text search over documents and their sentences, ranked, and narrowed by what was extracted.

The index is a Tantivy (BM25) index beside the store, in `<db>.search/`. It
holds one record per document to rank documents, and one per sentence to say
where in the document the match is. A document record has its title (boosted),
its text, and the vocabulary of the events extracted from it that happened
(type, mode, GTD attack type, weapons), so "bombing" finds the articles that
report a bombing above those that only mention a plot to bomb. It is refreshed
incrementally on every search: documents whose content hash, ingest time or
event corrections changed since the last refresh are re-indexed and deleted
ones removed, so the index never needs a separate build step. The filters (actor, event type,
country, dates) are answered by the store and passed to Tantivy as the set of
allowed document ids, so every filter stays a bound parameter.

Processes and threads that search the same store take turns through a lock
file beside the index (`<db>.search.lock`): refreshing and searching take
milliseconds, and a reader must never see a half-rebuilt index. If the folder
cannot be written (a read-only share), the index is built in memory for the
call.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from newsgraph.store.db import Store

INDEX_VERSION = 2
MANIFEST = "manifest.json"
TITLE_BOOST = 2.0
CHUNK = 500
_WRITER_HEAP = 32_000_000


@dataclass(frozen=True)
class SearchFilter:
    """Narrow a search to documents with this actor, event type, event country, or publication dates."""

    actor: str | None = None
    """Mentions this entity (id, a part of a state: RUS matches RUS/GOV, or a name) or has it in an event."""
    type: str | None = None
    """Has an event of this PLOVER type."""
    country: str | None = None
    """Has an event located in this country (ISO alpha-3), or mentions the state."""
    since: str | None = None
    until: str | None = None


class SearchError(ValueError):
    """The query cannot be searched (empty, or the index cannot be opened)."""


def index_path(store: Store) -> Path:
    return Path(f"{store.path}.search")


def _schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    sb.add_text_field("kind", tokenizer_name="raw")
    sb.add_text_field("title", tokenizer_name="en_stem")
    sb.add_text_field("text", tokenizer_name="en_stem")
    sb.add_text_field("events", tokenizer_name="en_stem")
    sb.add_text_field("sentence", stored=True, tokenizer_name="en_stem")
    sb.add_integer_field("idx", stored=True)
    sb.add_integer_field("start", stored=True)
    sb.add_integer_field("end", stored=True)
    return sb.build()


SCHEMA = _schema()


def refresh_index(store: Store) -> dict[str, int]:
    """Bring the index beside the store up to date; returns what changed."""
    path = index_path(store)
    try:
        with _locked(path):
            index, manifest = _open_on_disk(path)
            return _refresh(store, index, manifest, path)
    except OSError:
        raise SearchError(f"cannot write the search index at {path}") from None


def search(
    store: Store,
    query: str,
    *,
    filters: SearchFilter | None = None,
    limit: int = 20,
    per_document: int = 1,
    refresh: bool = True,
) -> list[dict[str, Any]]:
    """Documents ranked by BM25 (title boosted), each with its best matching sentence(s).

    Rows: doc_id, title, published, source, sentence_idx, snippet, start, end
    (the sentence's character span in the document), highlights (spans of the
    matched words) and score. A document that matches only in its title comes
    with `sentence_idx` None and its title as the snippet. The query language is
    Tantivy's: words (stemmed, any may match), "exact phrases", +required,
    -excluded, title:word.

    >>> for hit in search(store, "car bomb", filters=SearchFilter(country="RUS")):  # doctest: +SKIP
    ...     print(hit["title"], hit["snippet"])
    """
    if not query.strip():
        raise SearchError("empty query")
    allowed = _allowed_docs(store, filters) if filters else None
    if allowed is not None and not allowed:
        return []
    with _index_for_search(store, refresh) as index:
        return _search(store, index, query, allowed, limit, per_document)


def _search(
    store: Store,
    index: tantivy.Index,
    query: str,
    allowed: set[str] | None,
    limit: int,
    per_document: int,
) -> list[dict[str, Any]]:
    index.reload()
    searcher = index.searcher()
    doc_query, _ = index.parse_query_lenient(
        query, default_field_names=["title", "text", "events"], field_boosts={"title": TITLE_BOOST}
    )
    sent_query, _ = index.parse_query_lenient(query, default_field_names=["sentence"])
    scope = [_term("kind", "doc")]
    if allowed is not None:
        scope.append(_unscored(tantivy.Query.term_set_query(SCHEMA, "doc_id", sorted(allowed))))
    hits = searcher.search(_all_of(doc_query, *scope), limit).hits
    ranked = [(float(score), searcher.doc(addr)["doc_id"][0]) for score, addr in hits]
    meta = _doc_meta(store, [d for _, d in ranked])
    snippets = tantivy.SnippetGenerator.create(searcher, sent_query, SCHEMA, "sentence")
    snippets.set_max_num_chars(240)
    out: list[dict[str, Any]] = []
    for score, doc_id in ranked:
        info = meta.get(doc_id)
        if info is None:  # deleted since the last refresh
            continue
        sentences = searcher.search(
            _all_of(sent_query, _term("kind", "sentence"), _term("doc_id", doc_id)), per_document
        ).hits
        base = {
            "doc_id": doc_id,
            "title": info["title"],
            "published": info["published"],
            "source": info["source"],
            "score": round(score, 4),
        }
        if not sentences:
            out.append(
                {**base, "sentence_idx": None, "snippet": info["title"] or "", "start": None, "end": None}
                | {"highlights": []}
            )
            continue
        for _, addr in sentences:
            doc = searcher.doc(addr)
            start = int(doc["start"][0])
            snip = snippets.snippet_from_doc(doc)
            offset = start + snip.fragment_range().start
            out.append(
                {
                    **base,
                    "sentence_idx": int(doc["idx"][0]),
                    "snippet": snip.fragment() or str(doc["sentence"][0])[:240],
                    "start": start,
                    "end": int(doc["end"][0]),
                    "highlights": [[offset + r.start, offset + r.end] for r in snip.highlighted()],
                }
            )
    return out


# -- the index on disk ------------------------------------------------------


def _open_on_disk(path: Path) -> tuple[tantivy.Index, dict[str, Any]]:
    manifest = _read_manifest(path)
    if manifest.get("version") != INDEX_VERSION or not tantivy.Index.exists(str(path)):
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True)
        manifest = {"version": INDEX_VERSION, "docs": {}}
    return tantivy.Index(SCHEMA, path=str(path), reuse=True), manifest


@contextlib.contextmanager
def _index_for_search(store: Store, refresh: bool) -> Iterator[tantivy.Index]:
    """The index, refreshed, held under the lock while it is searched."""
    path = index_path(store)
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(_locked(path))
            index, manifest = _open_on_disk(path)
            if refresh or not manifest["docs"]:
                _refresh(store, index, manifest, path)
        except OSError:
            # a read-only place: index in memory for this call
            held.close()
            index = tantivy.Index(SCHEMA)
            _refresh(store, index, {"version": INDEX_VERSION, "docs": {}}, None)
        yield index


_GUARD = threading.Lock()
_THREAD_LOCKS: dict[str, threading.Lock] = {}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One refresher or searcher of an index at a time: across threads (a lock), processes (flock)."""
    with _GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(str(path.resolve()), threading.Lock())
    with thread_lock, Path(f"{path}.lock").open("a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: threads are still serialised
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _refresh(
    store: Store, index: tantivy.Index, manifest: dict[str, Any], path: Path | None
) -> dict[str, int]:
    known: dict[str, str] = manifest["docs"]
    current = {
        r["doc_id"]: f"{r['content_hash']}@{r['ingested_at']}@{r['corrected_at']}"
        for r in store.query(
            "SELECT d.doc_id, d.content_hash, d.ingested_at, max(x.corrected_at) AS corrected_at "
            "FROM documents d LEFT JOIN events e USING (doc_id) LEFT JOIN event_edits x USING (event_id) "
            "GROUP BY ALL"
        )
    }
    removed = [d for d in known if d not in current]
    changed = [d for d, fp in current.items() if known.get(d) != fp]
    counts = {
        "added": sum(d not in known for d in changed),
        "updated": sum(d in known for d in changed),
        "removed": len(removed),
        "unchanged": len(current) - len(changed),
    }
    if not removed and not changed:
        return counts
    try:
        writer = index.writer(heap_size=_WRITER_HEAP, num_threads=1)
    except ValueError:
        # another process holds the index lock and is refreshing it
        return {"added": 0, "updated": 0, "removed": 0, "unchanged": len(known), "busy": 1}
    try:
        for doc_id in removed + [d for d in changed if d in known]:
            writer.delete_documents_by_term("doc_id", doc_id)
        for chunk in _chunks(changed, CHUNK):
            for record in _records(store, chunk):
                writer.add_document(record)
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        with contextlib.suppress(Exception):
            writer.wait_merging_threads()
    if path is not None:
        _write_manifest(path, {"version": INDEX_VERSION, "docs": current})
    return counts


def _records(store: Store, doc_ids: list[str]) -> Iterator[tantivy.Document]:
    docs = store.query(
        "SELECT doc_id, title, text FROM documents WHERE doc_id IN (SELECT unnest(?))", [doc_ids]
    )
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for r in store.query(
        "SELECT doc_id, idx, start_char, end_char FROM sentences WHERE doc_id IN (SELECT unnest(?)) "
        "ORDER BY doc_id, idx",
        [doc_ids],
    ):
        spans.setdefault(r["doc_id"], []).append((r["idx"], r["start_char"], r["end_char"]))
    vocab = _event_vocabulary(store, doc_ids)
    for d in docs:
        text = d["text"] or ""
        yield tantivy.Document(
            doc_id=d["doc_id"],
            kind="doc",
            title=d["title"] or "",
            text=text,
            events=vocab.get(d["doc_id"], ""),
        )
        for idx, start, end in spans.get(d["doc_id"], []):
            yield tantivy.Document(
                doc_id=d["doc_id"], kind="sentence", sentence=text[start:end], idx=idx, start=start, end=end
            )


def _event_vocabulary(store: Store, doc_ids: list[str]) -> dict[str, str]:
    """doc_id -> words naming the events that happened in it (negated and hypothetical ones left out)."""
    rows = store.query(
        """SELECT doc_id, type, mode, data->>'$.gtd_attack_type' AS gtd,
                  CAST(data->'$.weapons' AS VARCHAR) AS weapons
           FROM events_current
           WHERE doc_id IN (SELECT unnest(?)) AND NOT coalesce(negated, false)
             AND NOT coalesce(hypothetical, false)""",
        [doc_ids],
    )
    words: dict[str, list[str]] = {}
    for r in rows:
        found = [r["type"], r["mode"], r["gtd"] if r["gtd"] != "UNKNOWN" else None]
        with contextlib.suppress(ValueError, TypeError):
            found += [str(w) for w in json.loads(r["weapons"] or "[]")]
        words.setdefault(r["doc_id"], []).extend(
            w.replace("_", " ").replace("-", " ").lower() for w in found if w
        )
    return {d: " ".join(ws) for d, ws in words.items()}


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("docs"), dict) else {}


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    tmp = path / f"{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest), "utf-8")
    os.replace(tmp, path / MANIFEST)


# -- queries --------------------------------------------------------------------


def _term(field: str, value: str) -> tantivy.Query:
    return _unscored(tantivy.Query.term_query(SCHEMA, field, value))


def _unscored(query: tantivy.Query) -> tantivy.Query:
    """A filter clause: it must match, but adds nothing to the BM25 score."""
    return tantivy.Query.const_score_query(query, 0.0)


def _all_of(*queries: tantivy.Query) -> tantivy.Query:
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in queries])


def _allowed_docs(store: Store, f: SearchFilter) -> set[str] | None:
    """Document ids that pass the filter (None when the filter restricts nothing)."""
    where: list[str] = []
    params: list[Any] = []
    if f.since:
        where.append("d.published >= CAST(? AS DATE)")
        params.append(f.since)
    if f.until:
        where.append("d.published <= CAST(? AS DATE)")
        params.append(f.until)
    if f.actor:
        where.append(
            "(d.doc_id IN (SELECT m.doc_id FROM mentions_current m "
            "LEFT JOIN entities en ON en.entity_id = m.entity_id "
            "WHERE m.entity_id = ? OR m.entity_id LIKE ? OR en.name ILIKE ?) "
            "OR d.doc_id IN (SELECT ev.doc_id FROM events_current ev JOIN event_actors_current ea "
            "USING (event_id) WHERE ea.entity_id = ? OR ea.entity_id LIKE ?))"
        )
        prefix = f"{f.actor.upper()}/%"
        params += [f.actor, prefix, f.actor, f.actor, prefix]
    if f.type:
        where.append("d.doc_id IN (SELECT doc_id FROM events_current WHERE type = ?)")
        params.append(f.type.upper())
    if f.country:
        where.append(
            "(d.doc_id IN (SELECT doc_id FROM events_current WHERE country = ?) "
            "OR d.doc_id IN (SELECT doc_id FROM mentions_current WHERE entity_id = ?))"
        )
        params += [f.country.upper(), f.country.upper()]
    if not where:
        return None
    rows = store.query(f"SELECT d.doc_id FROM documents d WHERE {' AND '.join(where)}", params)
    return {r["doc_id"] for r in rows}


def _doc_meta(store: Store, doc_ids: list[str]) -> dict[str, dict[str, Any]]:
    if not doc_ids:
        return {}
    rows = store.query(
        "SELECT doc_id, title, published, source FROM documents WHERE doc_id IN (SELECT unnest(?))",
        [doc_ids],
    )
    return {r["doc_id"]: r for r in rows}


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
