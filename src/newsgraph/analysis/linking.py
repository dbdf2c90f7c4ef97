"""Cross-document event linking: many reports of one occurrence become one canonical event.

`link_events` scores candidate pairs (link_blocking, link_score), keeps those that
pass in `event_link_pairs`, clusters them with the user's merge and split
decisions (link_cluster) and rewrites `event_links`, which the `canonical_events`
view reads. Pair scores are pure functions of two events' features, and each
event's feature fingerprint is stored, so a run rescores only new or changed
events (plus the documents it is given) and still ends exactly where a full run
would. Human decisions live in `corrections` (kind 'link') and are re-applied by
every run, so no re-ingest or re-run can undo them.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from newsgraph.analysis.link_blocking import iter_candidate_pairs
from newsgraph.analysis.link_cluster import cluster_ordered
from newsgraph.analysis.link_features import EventFeatures, by_doc, load_features
from newsgraph.analysis.link_score import LinkConfig, conflict, score_pair
from newsgraph.store.db import Store
from newsgraph.store.ids import id_list

PAIR_CHUNK = 50_000
"""Linked pairs written, and read back, this many at a time."""

RULES_VERSION = 1
"""Bump when the scoring code changes, so stores rescore every pair on their next run."""


@dataclass
class LinkReport:
    """What a run did: counts for the CLI and the benchmark."""

    events: int = 0
    canonical: int = 0
    clusters: int = 0
    """Canonical events with more than one mention."""
    merges: int = 0
    """Mentions folded into another: events - canonical."""
    rescored: int = 0
    pairs_scored: int = 0
    pairs_linked: int = 0
    user_merges: int = 0
    user_splits: int = 0
    refused_merges: list[tuple[str, str]] = field(default_factory=list)
    full: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"linked {self.events} events into {self.canonical} canonical events "
            f"({self.merges} merges, {self.clusters} events reported more than once)"
        )


def config_key(cfg: LinkConfig) -> str:
    raw = json.dumps([RULES_VERSION, cfg.as_json()], sort_keys=True, default=str)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def link_events(
    store: Store,
    *,
    doc_ids: Sequence[str] | None = None,
    config: LinkConfig | None = None,
    full: bool = False,
) -> LinkReport:
    """Link events across documents and rewrite `event_links`.

    Rescores the events of `doc_ids` and every event that is new or changed since the
    last run (all of them on the first run, with `full`, or when the config or rules
    changed); the clustering always covers the whole store, so the result is the same
    as a full run's.
    """
    cfg = config or LinkConfig()
    started = time.perf_counter()
    feats = load_features(store)
    key = config_key(cfg)
    previous = store.query("SELECT value FROM meta WHERE key = 'link_config'")
    full = full or not previous or previous[0]["value"] != key
    state = dict(store.con.execute("SELECT event_id, fingerprint FROM event_link_state").fetchall())
    prints = {eid: f.fingerprint() for eid, f in feats.items()}
    if full:
        dirty = set(feats)
    else:
        dirty = {eid for eid, fp in prints.items() if state.get(eid) != fp}
        docs = by_doc(feats.values())
        for doc_id in doc_ids or ():
            dirty.update(docs.get(doc_id, ()))
    gone = set(state) - set(feats)
    report = LinkReport(events=len(feats), rescored=len(dirty), full=full)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        if full:
            con.execute("DELETE FROM event_link_pairs")
            con.execute("DELETE FROM event_link_state")
        else:
            stale = sorted(dirty | gone)
            con.execute(
                "DELETE FROM event_link_pairs WHERE event_a IN (SELECT unnest($1::JSON::VARCHAR[])) "
                "OR event_b IN (SELECT unnest($1::JSON::VARCHAR[]))",
                [id_list(stale)],
            )
            con.execute(
                "DELETE FROM event_link_state WHERE event_id IN (SELECT unnest(?::JSON::VARCHAR[]))",
                [id_list(stale)],
            )
        # linked pairs go to the store in chunks as they are scored: a dense corpus links millions
        linked: list[dict[str, Any]] = []
        for a, b in iter_candidate_pairs(feats.values(), cfg, None if full else dirty):
            report.pairs_scored += 1
            s = score_pair(feats[a], feats[b], cfg)
            if s.linked:
                linked.append({"event_a": a, "event_b": b, "score": s.score})
                if len(linked) >= PAIR_CHUNK:
                    _insert(store, "event_link_pairs", linked, _PAIR_SCHEMA)
                    linked = []
        _insert(store, "event_link_pairs", linked, _PAIR_SCHEMA)
        state_rows = [{"event_id": e, "fingerprint": prints[e]} for e in sorted(dirty)]
        _insert(store, "event_link_state", state_rows, _STATE_SCHEMA)
        _relink(store, feats, cfg, report)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('link_config', ?)", [key])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _relink(store: Store, feats: dict[str, EventFeatures], cfg: LinkConfig, report: LinkReport) -> None:
    """Cluster the stored pairs under the user's decisions and rewrite `event_links`."""
    decisions = [
        d
        for d in store.query(
            "SELECT event_a, event_b, action, author FROM link_decisions ORDER BY correction_id"
        )
        if d["event_a"] in feats and d["event_b"] in feats and d["event_a"] != d["event_b"]
    ]
    must = [(d["event_a"], d["event_b"]) for d in decisions if d["action"] == "merge"]
    cannot = [(d["event_a"], d["event_b"]) for d in decisions if d["action"] == "split"]
    # pairs are read from the store, sorted there, twice, rather than held: a dense corpus links millions
    result = cluster_ordered(
        sorted(feats),
        _stored_pairs(store, feats, "ORDER BY score DESC, event_a, event_b"),
        must=must,
        cannot=cannot,
        conflicts=lambda x, y: conflict(feats[x], feats[y], cfg) is not None,
    )
    uf = result.uf
    # each clustered event's best link: (score, partner, the user's reasons or None for a scored pair)
    support: dict[str, tuple[float, str, dict[str, Any] | None]] = {}

    def offer(x: str, y: str, score: float, user: dict[str, Any] | None) -> None:
        for me, other in ((x, y), (y, x)):
            best = support.get(me)
            if best is None or (score, other) > (best[0], best[1]):
                support[me] = (score, other, user)

    for a, b, s in _stored_pairs(store, feats):
        report.pairs_linked += 1
        if uf.find(a) == uf.find(b):
            offer(a, b, s, None)
    author = {(d["event_a"], d["event_b"]): d["author"] for d in decisions}
    for a, b in must:
        if uf.find(a) == uf.find(b):
            offer(a, b, 1.0, {"user": "merge", "author": author[(a, b)]})
    groups = list(uf.groups())

    @functools.lru_cache(maxsize=4096)  # both events of a pair usually show it
    def reasons_of(a: str, b: str) -> dict[str, Any]:
        """A scored pair's reasons, scored again: pairs are stored without them (1.6 million
        linked pairs' reasons were most of what linking held in its transaction), and the
        score is a pure function of the features and config the stored score came from."""
        return score_pair(feats[a], feats[b], cfg).reasons()

    store.con.execute("DELETE FROM event_links")
    rows: list[dict[str, Any]] = []
    for group in groups:
        canonical = min(group, key=lambda e: (_published_key(feats[e]), e))
        for eid in group:
            best = support.get(eid) if len(group) > 1 else None
            reasons = None
            if best is not None:
                given = best[2] if best[2] is not None else reasons_of(*sorted((eid, best[1])))
                reasons = json.dumps({"with": best[1], **given}, ensure_ascii=False)
            rows.append(
                {
                    "event_id": eid,
                    "canonical_id": canonical,
                    "score": None if best is None else best[0],
                    "reasons": reasons,
                }
            )
        if len(group) > 1:
            report.clusters += 1
        if len(rows) >= PAIR_CHUNK:
            _insert(store, "event_links", rows, _LINK_SCHEMA)
            rows = []
    _insert(store, "event_links", rows, _LINK_SCHEMA)
    report.canonical = len(uf.members)
    report.merges = report.events - report.canonical
    report.user_merges = len(must)
    report.user_splits = len(cannot)
    report.refused_merges = result.refused_merges


def _stored_pairs(
    store: Store, feats: dict[str, EventFeatures], order: str = ""
) -> Iterator[tuple[str, str, float]]:
    """The stored linked pairs of events that still exist, in chunks. They are read in the
    caller's transaction (its pairs are not committed yet), so the caller runs no other statement
    until it has read them all."""
    cur = store.con.execute(f"SELECT event_a, event_b, score FROM event_link_pairs {order}")
    while chunk := cur.fetchmany(PAIR_CHUNK):
        yield from ((a, b, float(s)) for a, b, s in chunk if a in feats and b in feats)


def _published_key(f: EventFeatures) -> str:
    """The first report names the canonical event, so later articles do not rename it."""
    return f.published.isoformat() if f.published else "9999-12-31"


def _insert(store: Store, table: str, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    if not rows:
        return
    store.con.register("_link_rows", pa.Table.from_pylist(rows, schema=schema))
    try:
        store.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _link_rows")
    finally:
        store.con.unregister("_link_rows")


_PAIR_SCHEMA = pa.schema([("event_a", pa.string()), ("event_b", pa.string()), ("score", pa.float64())])
_STATE_SCHEMA = pa.schema([("event_id", pa.string()), ("fingerprint", pa.string())])
_LINK_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("canonical_id", pa.string()),
        ("score", pa.float64()),
        ("reasons", pa.string()),
    ]
)
