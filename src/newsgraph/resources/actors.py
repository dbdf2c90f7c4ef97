"""The actor dictionary: canonical actors with their aliases and demonyms.

It is data, not code (DESIGN.md): ``states.yaml`` (generated from pycountry by
``scripts/build_states.py``) and ``actors.yaml`` ship in the package, and users add or
override entries with their own YAML files. Ids are ISO 3166 alpha-3 for states,
ISO 3166-2 for subdivisions, Wikidata QIDs where the dictionary is sure of one, and
slugs such as ``org:caucasus-emirate`` otherwise.

The dictionary answers three questions for the pipeline: which actors a surface
string can mean (:meth:`ActorDictionary.lookup`), which actor a demonym points to
(:meth:`ActorDictionary.demonym`), and which token patterns a spaCy EntityRuler
should use to find the actors in text (:meth:`ActorDictionary.ruler_patterns`).
"""

from __future__ import annotations

import copy
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

__all__ = [
    "KINDS",
    "SECTORS",
    "TYPES",
    "Actor",
    "ActorDictionary",
    "load_actors",
    "normalize",
]

PACKAGE = "newsgraph.resources"
PACKAGE_FILES = ("states.yaml", "actors.yaml")
SCHEMA_FILE = "actor.schema.json"

KINDS = frozenset(
    {
        "state",
        "territory",
        "government",
        "capital",
        "seat",
        "ministry",
        "security_service",
        "military",
        "police",
        "legislature",
        "court",
        "igo",
        "ngo",
        "armed_group",
        "movement",
        "party",
        "company",
        "media",
        "region",
        "person",
    }
)
TYPES = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC", "PERSON"})
SECTORS = frozenset({"GOV", "MIL", "SPY", "COP", "LEG", "JUD", "BUS", "MED", "PTY"})

STATE_KINDS = frozenset({"state", "territory"})
SEAT_KINDS = frozenset({"capital", "seat"})
DEMONYM_KINDS = frozenset({"state", "territory", "region"})
# ISO 3166 user-assigned codes that the dictionary treats as states.
EXTRA_STATE_CODES = frozenset({"XKX"})

_DEFAULT_TYPE = {
    "state": "GPE",
    "territory": "GPE",
    "capital": "GPE",
    "region": "GPE",
    "person": "PERSON",
}
_DEFAULT_SECTOR = {
    "government": "GOV",
    "ministry": "GOV",
    "capital": "GOV",
    "seat": "GOV",
    "military": "MIL",
    "security_service": "SPY",
    "police": "COP",
    "legislature": "LEG",
    "court": "JUD",
    "company": "BUS",
    "media": "MED",
    "party": "PTY",
}
_LIST_FIELDS = ("aliases", "demonyms", "ambiguous_aliases")

# Aliases that are also ordinary English words: matched only with their capitalisation,
# and never at all when the alias itself is written in lower case.
COMMON_WORD_ALIASES = frozenset(
    {
        "afghan",
        "aleph",
        "amnesty",
        "chad",
        "chevron",
        "chile",
        "china",
        "congress",
        "danish",
        "guinea",
        "holland",
        "home office",
        "japan",
        "jersey",
        "jordan",
        "man",
        "may",
        "no 10",
        "number 10",
        "panama",
        "pentagon",
        "pole",
        "poles",
        "polish",
        "reunion",
        "shell",
        "swede",
        "swedes",
        "total",
        "trend",
        "trump",
        "turkey",
        "wales",
        "white house",
    }
)

_QID = re.compile(r"^Q[1-9][0-9]*$")
_SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_PUNCT_MAP = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u0060": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def normalize(surface: str) -> str:
    """The exact lookup key: casefolded, quotes and dashes unified, spaces collapsed, no leading 'the'."""
    text = unicodedata.normalize("NFKC", surface).translate(_PUNCT_MAP).casefold()
    text = " ".join(text.split())
    return _ARTICLE.sub("", text)


@functools.lru_cache(maxsize=65536)
def _loose(key: str) -> str:
    """A second, forgiving key: no dots, apostrophes or diacritics, hyphens as spaces ('U.S.' == 'US')."""
    text = key.replace(".", "").replace("'", "").replace("-", " ")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(text.split())


def _keys(surface: str) -> tuple[str, ...]:
    """Index keys of a surface: the exact key first, then the loose one when it differs."""
    exact = normalize(surface)
    loose = _loose(exact)
    return (exact,) if loose == exact else (exact, loose)


@dataclass(frozen=True)
class Actor:
    """One canonical actor; ``code`` gives its CAMEO-style state/sector code such as ``RUS/SPY``."""

    id: str
    name: str
    kind: str
    type: str
    country: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    seat_of: str | None = None
    ambiguous_aliases: tuple[str, ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The name and the aliases, each spelling once."""
        seen: set[str] = set()
        out = []
        for surface in (self.name, *self.aliases):
            key = normalize(surface)
            if key and key not in seen:
                seen.add(key)
                out.append(surface)
        return tuple(out)

    @property
    def code(self) -> str | None:
        """``STATE/SECTOR`` (or just ``STATE``): capitals and seats code as the state they stand for."""
        state = self.seat_of or self.country
        if state is None:
            return None
        return f"{state}/{self.sector}" if self.sector else state

    def is_ambiguous(self, surface: str) -> bool:
        """Whether this actor declares the surface as shared with other actors."""
        key = normalize(surface)
        return any(normalize(a) == key for a in self.ambiguous_aliases)


Claim = tuple[str, str, bool]  # actor id, the alias as written, declared ambiguous


class ActorDictionary:
    """Actors by id with alias and demonym indexes; treat a loaded dictionary as read-only."""

    def __init__(
        self,
        actors: Iterable[Actor] = (),
        *,
        raw_entries: Mapping[str, Mapping[str, Any]] | None = None,
        load_errors: Sequence[str] = (),
    ) -> None:
        self.actors: dict[str, Actor] = {}
        self._errors = list(load_errors)
        for actor in actors:
            if actor.id in self.actors:
                self._errors.append(f"{actor.id}: duplicate id")
            self.actors[actor.id] = actor
        self._raw = dict(raw_entries or {})
        self._aliases: dict[str, list[Claim]] = {}
        self._demonyms: dict[str, list[Claim]] = {}
        for actor in self.actors.values():
            for surface in actor.surfaces:
                self._claim(self._aliases, surface, actor)
            for word in actor.demonyms:
                self._claim(self._demonyms, word, actor)
        self._patterns: list[dict[str, Any]] | None = None

    @staticmethod
    def _claim(index: dict[str, list[Claim]], surface: str, actor: Actor) -> None:
        for key in _keys(surface):
            claims = index.setdefault(key, [])
            if not any(c[0] == actor.id for c in claims):
                claims.append((actor.id, surface, actor.is_ambiguous(surface)))

    def __len__(self) -> int:
        return len(self.actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self.actors

    def get(self, actor_id: str) -> Actor | None:
        return self.actors.get(actor_id)

    def _find(self, index: dict[str, list[Claim]], surface: str) -> list[Actor]:
        """Claimants of the first key that matches: exact, loose, then without a possessive 's."""
        exact = normalize(surface)
        candidates = [exact, _loose(exact)]
        if exact.endswith("'s"):
            candidates += [exact[:-2], _loose(exact[:-2])]
        for key in candidates:
            if key in index:
                return [self.actors[c[0]] for c in index[key]]
        return []

    def lookup(self, surface: str) -> list[Actor]:
        """Every actor that claims the surface as its name or an alias, first claimant first."""
        return self._find(self._aliases, surface)

    def demonym(self, surface: str) -> Actor | None:
        """The actor a demonym ('Azerbaijani', 'Chechens') refers to; None if unknown or shared."""
        found = self._find(self._demonyms, surface)
        return found[0] if len(found) == 1 else None

    def ruler_patterns(self) -> list[dict[str, Any]]:
        """spaCy EntityRuler token patterns for every name, alias and demonym.

        Short (<= 4 characters) and all-caps aliases, and those that are common English
        words, match on ORTH so 'is', 'us' or 'turkey' never become actors; the rest
        match on LOWER. A token sequence shared by several actors is emitted once, for
        the first claimant; lookup() gives the caller all of them.
        """
        if self._patterns is None:
            self._patterns = self._build_patterns()
        return list(self._patterns)

    def _build_patterns(self) -> list[dict[str, Any]]:
        tokenizer = _blank_tokenizer()
        emitted: set[str] = set()
        patterns: list[dict[str, Any]] = []
        for actor in self.actors.values():
            labelled = [(s, actor.type) for s in actor.surfaces] + [(d, "NORP") for d in actor.demonyms]
            for surface, label in labelled:
                for tokens in _token_patterns(surface, tokenizer):
                    key = json.dumps(tokens, ensure_ascii=False, sort_keys=True)
                    if key not in emitted:
                        emitted.add(key)
                        patterns.append({"label": label, "pattern": tokens, "id": actor.id})
        return patterns

    def validate(self) -> list[str]:
        """Every problem found in the dictionary, as readable messages; empty means valid."""
        import pycountry

        errors = list(self._errors)
        schema = _entry_schema()
        for actor_id, raw in self._raw.items():
            errors.extend(f"{actor_id}: {msg}" for msg in _check_schema(raw, schema, ""))

        iso3 = {c.alpha_3 for c in (*pycountry.countries, *pycountry.historic_countries)} | EXTRA_STATE_CODES
        states = {a.id for a in self if a.kind in STATE_KINDS}
        wikidata_owner: dict[str, str] = {}
        for a in self:
            errors.extend(_check_actor(a, iso3, states))
            if a.wikidata:
                if a.wikidata in wikidata_owner:
                    errors.append(f"{a.id}: wikidata {a.wikidata} also used by {wikidata_owner[a.wikidata]}")
                wikidata_owner.setdefault(a.wikidata, a.id)
            if _SUBDIVISION.match(a.id) and pycountry.subdivisions.get(code=a.id) is None:
                errors.append(f"{a.id}: not an ISO 3166-2 subdivision code")
        errors.extend(_shared_claims(self._aliases, "alias"))
        errors.extend(_shared_claims(self._demonyms, "demonym"))
        return errors


def _check_actor(a: Actor, iso3: set[str], states: set[str]) -> Iterator[str]:
    """Checks of one actor that need no other entry except the set of states."""
    if a.kind not in KINDS:
        yield f"{a.id}: unknown kind {a.kind!r}"
    if a.type not in TYPES:
        yield f"{a.id}: unknown type {a.type!r}"
    if a.sector is not None and a.sector not in SECTORS:
        yield f"{a.id}: unknown sector {a.sector!r}"
    if a.kind in STATE_KINDS and a.id not in iso3:
        yield f"{a.id}: a {a.kind} id must be an ISO 3166-1 (or -3, former) alpha-3 code"
    if a.country is not None and a.country not in states:
        yield f"{a.id}: country {a.country!r} is not a known state"
    if a.seat_of is not None and a.seat_of not in states:
        yield f"{a.id}: seat_of {a.seat_of!r} is not a known state"
    if a.kind in SEAT_KINDS and a.seat_of is None:
        yield f"{a.id}: a {a.kind} needs seat_of"
    if a.demonyms and a.kind not in DEMONYM_KINDS:
        yield f"{a.id}: demonyms are only for states, territories and regions"
    if _QID.match(a.id) and a.wikidata != a.id:
        yield f"{a.id}: id is a QID but wikidata is {a.wikidata!r}"
    known = {normalize(s) for s in (*a.surfaces, *a.demonyms)}
    for shared in a.ambiguous_aliases:
        if normalize(shared) not in known:
            yield f"{a.id}: ambiguous alias {shared!r} is not one of its names, aliases or demonyms"


def _shared_claims(index: Mapping[str, list[Claim]], what: str) -> Iterator[str]:
    """A surface claimed by several actors is an error unless every claimant declares it ambiguous."""
    reported: set[tuple[str, ...]] = set()
    for key, claims in index.items():
        if len(claims) < 2 or all(c[2] for c in claims):
            continue
        ids = tuple(sorted(c[0] for c in claims))
        if ids in reported:
            continue
        reported.add(ids)
        who = ", ".join(f"{c[0]} ({c[1]!r})" for c in claims)
        yield f"{what} {key!r} is claimed by {who}; list it in ambiguous_aliases of each, or drop it"


def _token_patterns(surface: str, tokenizer: Tokenizer) -> list[list[dict[str, str]]]:
    """Token patterns for one surface: ORTH for short, all-caps or common-word aliases, else LOWER."""
    text = _ARTICLE.sub("", " ".join(surface.split()))
    folded = text.casefold()
    if len(text) < 2 or text.isdigit():
        return []
    if folded in COMMON_WORD_ALIASES and text == text.lower():
        return []
    letters = [c for c in text if c.isalpha()]
    exact_case = len(text) <= 4 or folded in COMMON_WORD_ALIASES or all(c.isupper() for c in letters)
    words = [t.text for t in tokenizer(text) if not t.is_space]
    variants = [words]
    if any("'" in w for w in words):
        variants.append([w.replace("'", "\u2019") for w in words])
    if exact_case:
        patterns = [[{"ORTH": w} for w in v] for v in variants]
        if len(letters) >= 4 and " " not in text and folded not in COMMON_WORD_ALIASES and text.isupper():
            # acronyms of four letters or more are not English words: also match lower-cased text
            patterns += [[{"LOWER": w.lower()} for w in v] for v in variants]
        return patterns
    return [[{"LOWER": w.lower()} for w in v] for v in variants]


@functools.lru_cache(maxsize=1)
def _blank_tokenizer() -> Tokenizer:
    """English tokenizer rules without a model, the same rules the pipeline's models use."""
    import spacy

    return spacy.blank("en").tokenizer


@functools.lru_cache(maxsize=1)
def _entry_schema() -> dict[str, Any]:
    text = resources.files(PACKAGE).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "array": (list,),
    "object": (dict,),
    "boolean": (bool,),
    "null": (type(None),),
    "number": (int, float),
    "integer": (int,),
}


def _is_json_type(value: Any, name: str) -> bool:
    if isinstance(value, bool) and name in ("number", "integer"):
        return False
    return isinstance(value, _JSON_TYPES.get(name, ()))


def _check_schema(value: Any, schema: Mapping[str, Any], path: str) -> Iterator[str]:
    """A small JSON Schema check (type, enum, pattern, minLength, required, properties, items).

    Enough for actor.schema.json without a jsonschema dependency.
    """
    where = path or "entry"
    expected = schema.get("type")
    if expected is not None:
        names = expected if isinstance(expected, list) else [expected]
        if not any(_is_json_type(value, n) for n in names):
            yield f"{where}: expected {' or '.join(names)}, got {value!r}"
            return
    if "enum" in schema and value not in schema["enum"]:
        yield f"{where}: {value!r} is not one of {[v for v in schema['enum'] if v is not None]}"
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            yield f"{where}: empty string"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield f"{where}: {value!r} does not match {schema['pattern']}"
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                yield f"{where}: missing required field {name!r}"
        properties = schema.get("properties", {})
        for name, item in value.items():
            sub = f"{path}.{name}" if path else str(name)
            if name in properties:
                yield from _check_schema(item, properties[name], sub)
            elif schema.get("additionalProperties") is False:
                yield f"{sub}: unknown field"
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            yield from _check_schema(item, schema["items"], f"{where}[{i}]")


# ---------------------------------------------------------------------------------------------
# Loading


Entry = dict[str, Any]


def _parse(text: str, source: str, errors: list[str]) -> list[Entry]:
    """Entries of one actor file ({actors: [...]} or a bare list); malformed ones become errors."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValueError(f"{source}: not valid YAML: {exc}") from exc
    if data is None:
        return []
    items = data.get("actors") if isinstance(data, dict) else data
    if not isinstance(items, list):
        errors.append(f"{source}: expected a list under 'actors'")
        return []
    entries: list[Entry] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            errors.append(f"{source}: entry {i} is not a mapping")
        elif not isinstance(item.get("id"), str) or not item["id"]:
            errors.append(f"{source}: entry {i} has no string id")
        else:
            entries.append(item)
    return entries


def _union(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    """Both lists in order, each string once (case-insensitively)."""
    seen: set[str] = set()
    out = []
    for item in (*first, *second):
        key = normalize(item) if isinstance(item, str) else repr(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _override(base: Entry, patch: Entry) -> Entry:
    """A user entry applied to an existing one: scalars replace, lists merge, remove_aliases removes."""
    merged = copy.deepcopy(base)
    for field, value in patch.items():
        if field in _LIST_FIELDS and isinstance(value, list):
            merged[field] = _union(merged.get(field) or [], value)
        elif field != "remove_aliases":
            merged[field] = copy.deepcopy(value)
    removed = patch.get("remove_aliases")
    if isinstance(removed, list):
        drop = {normalize(r) for r in removed if isinstance(r, str)}
        for field in _LIST_FIELDS:
            if isinstance(merged.get(field), list):
                merged[field] = [
                    v for v in merged[field] if not (isinstance(v, str) and normalize(v) in drop)
                ]
    merged.pop("remove_aliases", None)
    return merged


def _merge(layers: Iterable[tuple[str, list[Entry]]], errors: list[str]) -> dict[str, Entry]:
    """Entries by id: within a layer an id may appear once; a later layer overrides an earlier one."""
    merged: dict[str, Entry] = {}
    for source, entries in layers:
        seen: set[str] = set()
        for entry in entries:
            actor_id = entry["id"]
            if actor_id in seen:
                errors.append(f"{source}: duplicate id {actor_id!r}")
                continue
            seen.add(actor_id)
            if actor_id in merged:
                merged[actor_id] = _override(merged[actor_id], entry)
            else:
                merged[actor_id] = _override({}, entry)
    return merged


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _optional_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _actor(raw: Mapping[str, Any]) -> Actor:
    """Build an Actor leniently; the schema check in validate() reports what was wrong."""
    actor_id = str(raw["id"])
    kind = str(raw.get("kind", ""))
    name = str(raw.get("name") or actor_id)
    aliases = _strings(raw.get("aliases"))
    demonyms = _strings(raw.get("demonyms"))
    ambiguous = _strings(raw.get("ambiguous_aliases"))
    if raw.get("ambiguous") is True:
        ambiguous = tuple(_union(ambiguous, (name, *aliases, *demonyms)))
    country = _optional_str(raw.get("country"))
    if country is None and kind in STATE_KINDS:
        country = actor_id
    sector = _optional_str(raw["sector"]) if "sector" in raw else _DEFAULT_SECTOR.get(kind)
    wikidata = _optional_str(raw.get("wikidata")) or (actor_id if _QID.match(actor_id) else None)
    return Actor(
        id=actor_id,
        name=name,
        kind=kind,
        type=_optional_str(raw.get("type")) or _DEFAULT_TYPE.get(kind, "ORG"),
        country=country,
        sector=sector,
        wikidata=wikidata,
        aliases=aliases,
        demonyms=demonyms,
        seat_of=_optional_str(raw.get("seat_of")),
        ambiguous_aliases=ambiguous,
    )


def _build(merged: Mapping[str, Entry], errors: Sequence[str]) -> ActorDictionary:
    return ActorDictionary((_actor(raw) for raw in merged.values()), raw_entries=merged, load_errors=errors)


@functools.lru_cache(maxsize=1)
def _package_layer() -> tuple[tuple[Entry, ...], tuple[str, ...]]:
    """The shipped entries (states first) and the problems met reading them; read once per process."""
    errors: list[str] = []
    entries: list[Entry] = []
    for name in PACKAGE_FILES:
        text = resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
        entries.extend(_parse(text, name, errors))
    return tuple(entries), tuple(errors)


@functools.lru_cache(maxsize=1)
def _package_dictionary() -> ActorDictionary:
    entries, parse_errors = _package_layer()
    errors = list(parse_errors)
    merged = _merge([("package data", list(entries))], errors)
    return _build(merged, errors)


def load_actors(extra_files: Sequence[Path | str] = ()) -> ActorDictionary:
    """The shipped dictionary, then each user file in order (an existing id is overridden, a new one added).

    Without extra files the same cached dictionary is returned on every call. Malformed
    entries do not raise: call ``validate()`` to see them. A file that is not YAML raises
    ValueError, a missing one OSError.
    """
    if not extra_files:
        return _package_dictionary()
    entries, parse_errors = _package_layer()
    errors = list(parse_errors)
    layers: list[tuple[str, list[Entry]]] = [("package data", list(entries))]
    for path in extra_files:
        source = str(path)
        layers.append((source, _parse(Path(path).read_text(encoding="utf-8"), source, errors)))
    return _build(_merge(layers, errors), errors)
