"""The gazetteer: disambiguation rules, the project additions file, the cache and speed."""

from __future__ import annotations

import time
from pathlib import Path

import pycountry
import pytest
import yaml

from newsgraph.geo import Gazetteer, Place, document_context, load_gazetteer, normalize_name
from newsgraph.geo.gazetteer import build_gazetteer, haversine_km

PLACES_YAML = Path(__file__).resolve().parents[2] / "src" / "newsgraph" / "resources" / "places.yaml"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _resolve(
    gaz: Gazetteer, name: str, countries: tuple[str, ...] = (), admin1: tuple[str, ...] = ()
) -> Place:
    place = gaz.resolve(name, countries, admin1)
    assert place is not None, name
    return place


def test_normalize_name_ignores_case_marks_punctuation_and_the() -> None:
    assert normalize_name("the Caspian Sea") == "caspian sea"
    assert normalize_name("Kabardino-Balkaria") == "kabardino balkaria"
    assert normalize_name("Mazār-e Sharīf") == "mazar e sharif"
    assert normalize_name("U.S.") == normalize_name("US")
    assert normalize_name("St. Louis") == normalize_name("Saint Louis")
    assert normalize_name("Łódź") == "lodz"


def test_paris_is_in_france_unless_the_document_is_about_the_us(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Paris").country == "FRA"
    texas = _resolve(gaz, "Paris", ("USA",))
    assert (texas.country, texas.admin1) == ("USA", "Texas")
    assert _resolve(gaz, "Paris, Texas").admin1 == "Texas"


def test_context_never_moves_a_much_bigger_city(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Moscow").country == "RUS"
    assert _resolve(gaz, "Moscow", ("USA",)).country == "RUS"


def test_nice_in_an_article_about_france(gaz: Gazetteer) -> None:
    nice = _resolve(gaz, "Nice", ("FRA",))
    assert (nice.country, nice.feature) == ("FRA", "city")
    assert haversine_km(nice.lat, nice.lon, 43.70, 7.27) < 10


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Tbilisi", "GEO", "city"),
        ("Makhachkala", "RUS", "city"),
        ("Aktobe", "KAZ", "city"),
        ("Dagestan", "RUS", "admin1"),
        ("Chechnya", "RUS", "admin1"),
        ("Kabardino-Balkaria", "RUS", "admin1"),
        ("North Caucasus", "RUS", "region"),
        ("the Caspian Sea", None, "sea"),
        ("Nagorno-Karabakh", "AZE", "region"),
        ("Stepanakert", "AZE", "city"),
        ("Crimea", "UKR", "admin1"),
        ("Gaza Strip", "PSE", "region"),
        ("Texas", "USA", "admin1"),
        ("England", "GBR", "admin1"),
        ("Ontario", "CAN", "admin1"),
        ("Beslan", "RUS", "city"),
        ("Tushino", "RUS", "district"),
    ],
)
def test_places_the_project_needs(gaz: Gazetteer, name: str, country: str | None, feature: str) -> None:
    place = _resolve(gaz, name)
    assert (place.country, place.feature) == (country, feature)


def test_cities_carry_their_subdivision(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Makhachkala").admin1 == "Dagestan"
    assert _resolve(gaz, "Khasavyurt").admin1 == "Dagestan"
    assert _resolve(gaz, "Beslan").admin1 == "North Ossetia"


def test_georgia_is_the_country_unless_the_article_is_about_the_us(gaz: Gazetteer) -> None:
    country = _resolve(gaz, "Georgia")
    assert (country.feature, country.country, country.geonameid) == ("country", "GEO", 614540)
    state = _resolve(gaz, "Georgia", ("USA",))
    assert (state.feature, state.country) == ("admin1", "USA")
    assert _resolve(gaz, "Georgia", ("GEO", "USA")).feature == "country"


def test_a_country_is_not_replaced_by_a_small_town_of_its_name(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Jordan", ("USA",)).feature == "country"


def test_a_city_named_like_its_province_is_the_city(gaz: Gazetteer) -> None:
    for name in ("Tehran", "Kano", "Aleppo"):
        assert _resolve(gaz, name).feature == "city", name
    assert _resolve(gaz, "Idlib province").feature == "admin1"


def test_a_national_capital_beats_a_same_named_state(gaz: Gazetteer) -> None:
    washington = _resolve(gaz, "Washington")
    assert (washington.feature, washington.admin1) == ("city", "District of Columbia")
    assert _resolve(gaz, "Washington State").feature == "admin1"


def test_context_admin1_picks_among_same_named_towns(gaz: Gazetteer) -> None:
    assert _resolve(gaz, "Springfield", ("USA",), ("Illinois",)).admin1 == "Illinois"


def test_country_names_and_abbreviations(gaz: Gazetteer) -> None:
    for name in ("US", "U.S.", "United States of America", "America"):
        assert _resolve(gaz, name).country == "USA", name
    assert _resolve(gaz, "Britain").country == "GBR"
    assert _resolve(gaz, "Russian Federation").country == "RUS"
    assert _resolve(gaz, "Kosovo").country == "XKX"
    assert _resolve(gaz, "Calif.").name == "California"


@pytest.mark.parametrize("word", ["Monday", "Tuesday", "Reform", "Liberty", "North", "", "x"])
def test_common_words_are_not_places(gaz: Gazetteer, word: str) -> None:
    assert gaz.resolve(word) is None


def test_unknown_names_resolve_to_nothing(gaz: Gazetteer) -> None:
    assert gaz.resolve("Xqzzyville Heights") is None
    assert gaz.candidates("Xqzzyville Heights") == []


def test_candidates_lists_every_reading(gaz: Gazetteer) -> None:
    found = gaz.candidates("Georgia")
    assert found[0].feature == "country"
    assert {p.country for p in found} >= {"GEO", "USA"}


def test_to_geo_has_the_contract_keys(gaz: Gazetteer) -> None:
    geo = gaz.to_geo(_resolve(gaz, "Makhachkala"))
    assert set(geo) == {"name", "country", "admin1", "lat", "lon", "geonameid"}
    assert geo["country"] == "RUS"
    assert geo["geonameid"] == 532096


def test_lookup_helpers(gaz: Gazetteer) -> None:
    by_id = gaz.by_geonameid(532096)
    assert by_id is not None and by_id.name == "Makhachkala"
    near = gaz.nearest(42.98, 47.50, 20)
    assert near is not None and near.country == "RUS"
    assert {p.country for p in gaz.countries()} >= {"RUS", "AZE", "XKX"}


def test_document_context_uses_countries_admin1_and_the_towns_majority(gaz: Gazetteer) -> None:
    places = [gaz.resolve(n) for n in ("Texas", "Houston", "Dallas", "Austin", "Moscow")]
    countries, admin1 = document_context(places)
    assert countries == ["USA"]
    assert admin1 == ["Texas"]
    assert document_context([None]) == ([], [])


def test_lookups_are_fast(gaz: Gazetteer) -> None:
    names = ["Paris", "Moscow", "Dagestan", "Georgia", "Springfield", "Nowhere Special"] * 500
    start = time.perf_counter()
    for name in names:
        gaz.resolve(name, ("USA",))
    per_lookup = (time.perf_counter() - start) / len(names)
    assert per_lookup < 1e-3  # measured ~10-20 µs; generous for a busy CI machine


def test_the_cache_gives_the_same_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gaz: Gazetteer
) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path))
    built = build_gazetteer()
    assert list(tmp_path.glob("gazetteer-*.marshal"))
    start = time.perf_counter()
    cached = build_gazetteer()
    assert time.perf_counter() - start < 5.0
    for name in ("Paris", "Dagestan", "Georgia", "Stepanakert"):
        assert built.resolve(name) == cached.resolve(name) == gaz.resolve(name)


def test_an_extra_file_adds_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_GAZETTEER_CACHE", "0")
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "places:\n  - {name: Qwertyabad Valley, feature: valley, country: AFG, lat: 34.5, lon: 69.2}\n",
        encoding="utf-8",
    )
    place = build_gazetteer([extra]).resolve("Qwertyabad Valley")
    assert place is not None and (place.country, place.feature) == ("AFG", "valley")


def test_additions_file_is_well_formed() -> None:
    data = yaml.safe_load(PLACES_YAML.read_text(encoding="utf-8"))
    iso3 = {c.alpha_3 for c in pycountry.countries} | {"XKX"}
    assert set(data["country_centroids"]) <= iso3
    for code, (lat, lon) in data["country_centroids"].items():
        assert -90 <= lat <= 90 and -180 <= lon <= 180, code
    for code in data["admin1"]:
        assert pycountry.subdivisions.get(code=code) is not None, code
    for entry in data["places"]:
        assert entry["name"] and entry.get("feature"), entry
        assert entry.get("country") is None or entry["country"] in iso3, entry
        if entry.get("lat") is None:
            assert entry.get("geonameid"), f"{entry['name']}: an alias entry needs a GeoNames id"
        else:
            assert -90 <= entry["lat"] <= 90 and -180 <= entry["lon"] <= 180, entry


def test_alias_entries_point_at_real_towns(gaz: Gazetteer) -> None:
    """Each alias entry names a town the gazetteer holds, and its name finds that town or the
    same-named subdivision around it ("Ma'rib" the governorate)."""
    data = yaml.safe_load(PLACES_YAML.read_text(encoding="utf-8"))
    for entry in data["places"]:
        if entry.get("lat") is None:
            town = gaz.by_geonameid(int(entry["geonameid"]))
            assert town is not None, entry["name"]
            found = _resolve(gaz, entry["name"])
            assert haversine_km(found.lat, found.lon, town.lat, town.lon) < 161, entry["name"]
