"""The shipped actor dictionary is valid, resolves aliases, and yields safe EntityRuler patterns."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import pycountry
import pytest
import spacy
import yaml
from spacy.language import Language

from newsgraph.resources.actors import Actor, ActorDictionary, load_actors, normalize

IS_ID = "Q2429253"


@pytest.fixture(scope="module")
def actors() -> ActorDictionary:
    return load_actors()


@pytest.fixture(scope="module")
def nlp(actors: ActorDictionary) -> Language:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(actors.ruler_patterns())  # type: ignore[attr-defined]
    return nlp


def _write(path: Path, entries: list[dict[str, Any]]) -> Path:
    path.write_text(yaml.safe_dump({"actors": entries}, allow_unicode=True), encoding="utf-8")
    return path


def _ents(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


# --- the shipped data -------------------------------------------------------------------------


def test_shipped_dictionary_validates(actors: ActorDictionary) -> None:
    assert actors.validate() == []


def test_shipped_files_have_unique_ids() -> None:
    ids: list[str] = []
    for name in ("states.yaml", "actors.yaml"):
        text = resources.files("newsgraph.resources").joinpath(name).read_text(encoding="utf-8")
        ids.extend(entry["id"] for entry in yaml.safe_load(text)["actors"])
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert duplicates == []


def test_size_and_coverage(actors: ActorDictionary) -> None:
    assert len(actors) >= 300
    missing = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in actors]
    assert missing == []
    assert actors.actors["XKX"].name == "Kosovo"
    kinds = Counter(a.kind for a in actors)
    assert kinds["armed_group"] >= 50
    assert kinds["capital"] >= 60
    assert sum(1 for a in actors if a.kind == "state" and a.demonyms) >= 80


def test_shared_aliases_are_declared_by_every_claimant(actors: ActorDictionary) -> None:
    claims: dict[str, list[Actor]] = {}
    for actor in actors:
        for surface in actor.surfaces:
            claims.setdefault(normalize(surface), []).append(actor)
    for key, claimants in claims.items():
        if len(claimants) > 1:
            assert all(a.is_ambiguous(key) for a in claimants), (key, [a.id for a in claimants])


def test_schema_is_json_and_describes_every_actor_field() -> None:
    text = resources.files("newsgraph.resources").joinpath("actor.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert set(Actor.__dataclass_fields__) <= set(schema["properties"])


# --- lookup ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "surface",
    [
        "ISIS",
        "ISIL",
        "Daesh",
        "Islamic State",
        "the Islamic State",
        "Islamic State of Iraq and the Levant",
        "IS",
    ],
)
def test_islamic_state_aliases_merge(actors: ActorDictionary, surface: str) -> None:
    assert [a.id for a in actors.lookup(surface)] == [IS_ID]


def test_kremlin_stands_for_russia(actors: ActorDictionary) -> None:
    (kremlin,) = actors.lookup("the Kremlin")
    assert kremlin.seat_of == "RUS"
    assert kremlin.code == "RUS/GOV"
    (baku,) = actors.lookup("Baku")
    assert baku.kind == "capital" and baku.seat_of == "AZE"


def test_state_bodies_carry_country_and_sector(actors: ActorDictionary) -> None:
    (fsb,) = actors.lookup("FSB")
    assert (fsb.country, fsb.sector, fsb.code) == ("RUS", "SPY", "RUS/SPY")
    (irgc,) = actors.lookup("Revolutionary Guards")
    assert irgc.code == "IRN/MIL"
    (mfa,) = actors.lookup("Russia’s Foreign Ministry")
    assert mfa.code == "RUS/GOV"


def test_lookup_is_loose_about_case_dots_quotes_and_diacritics(actors: ActorDictionary) -> None:
    for surface in ("U.S.", "US", "the United States", "USA"):
        assert [a.id for a in actors.lookup(surface)] == ["USA"], surface
    for surface in ("Türkiye", "Turkiye", "Turkey"):
        assert [a.id for a in actors.lookup(surface)] == ["TUR"], surface
    assert [a.id for a in actors.lookup("al Qaeda")] == [a.id for a in actors.lookup("Al-Qaida")]
    assert [a.id for a in actors.lookup("Russia's")] == ["RUS"]
    assert actors.lookup("no such actor") == []


def test_ambiguous_alias_returns_every_claimant(actors: ActorDictionary) -> None:
    assert {a.id for a in actors.lookup("Congo")} == {"COD", "COG"}
    assert {a.id for a in actors.lookup("Brussels")} == {"Q239", "Q458"}


def test_demonyms(actors: ActorDictionary) -> None:
    azerbaijani = actors.demonym("Azerbaijani")
    assert azerbaijani is not None and azerbaijani.id == "AZE"
    chechens = actors.demonym("Chechens")
    assert chechens is not None
    assert (chechens.id, chechens.kind, chechens.country) == ("RU-CE", "region", "RUS")
    assert actors.demonym("Martian") is None


# --- user files -----------------------------------------------------------------------------


def test_user_file_overrides_and_extends(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "mine.yaml",
        [
            {"id": "AZE", "aliases": ["Azərbaycan"]},
            {"id": "org:rus-fsb", "remove_aliases": ["Russia's FSB"], "name": "FSB of Russia"},
            {"id": "org:test-brigade", "name": "Test Brigade", "kind": "armed_group", "country": "GEO"},
        ],
    )
    mine = load_actors([path])
    assert mine.validate() == []
    (aze,) = mine.lookup("Azərbaycan")
    assert aze.id == "AZE" and "Azerbaijani" in aze.demonyms
    assert [a.id for a in mine.lookup("Azerbaijan")] == ["AZE"]
    fsb = mine.actors["org:rus-fsb"]
    assert fsb.name == "FSB of Russia" and fsb.sector == "SPY"
    assert mine.lookup("Russia's FSB") == []
    assert [a.id for a in mine.lookup("test brigade")] == ["org:test-brigade"]
    assert mine.actors["org:test-brigade"].type == "ORG"
    # the cached package dictionary is untouched
    assert load_actors().lookup("Azərbaycan") == []
    assert "org:test-brigade" not in load_actors()


def test_user_file_errors_are_reported(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.yaml",
        [
            {"id": "org:bad", "name": "Bad", "kind": "spaceship", "country": "XXX"},
            {"id": "org:isis-copy", "name": "Copycat", "kind": "armed_group", "aliases": ["ISIS"]},
            {"id": "org:nameless", "kind": "media"},
            {"id": "ZZZ", "name": "Nowhere", "kind": "state"},
        ],
    )
    errors = "\n".join(load_actors([path]).validate())
    assert "spaceship" in errors
    assert "country 'XXX'" in errors
    assert "'isis' is claimed by" in errors
    assert "missing required field 'name'" in errors
    assert "ZZZ: a state id must be an ISO 3166-1" in errors


def test_declared_ambiguity_is_allowed(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "shared.yaml",
        [
            {"id": IS_ID, "ambiguous_aliases": ["Dawla"], "aliases": ["Dawla"]},
            {
                "id": "org:dawla-party",
                "name": "Dawla Party",
                "kind": "party",
                "aliases": ["Dawla"],
                "ambiguous": True,
            },
        ],
    )
    mine = load_actors([path])
    assert mine.validate() == []
    assert [a.id for a in mine.lookup("Dawla")] == [IS_ID, "org:dawla-party"]


def test_duplicate_id_in_one_file_is_an_error(tmp_path: Path) -> None:
    entry = {"id": "org:twice", "name": "Twice", "kind": "ngo"}
    errors = load_actors([_write(tmp_path / "dup.yaml", [entry, entry])]).validate()
    assert any("duplicate id 'org:twice'" in e for e in errors)


def test_invalid_yaml_raises(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("actors: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_actors([path])


# --- EntityRuler patterns -------------------------------------------------------------------


def test_short_and_upper_case_aliases_match_exact_case(actors: ActorDictionary) -> None:
    by_id: dict[str, list[list[dict[str, str]]]] = {}
    for p in actors.ruler_patterns():
        by_id.setdefault(p["id"], []).append(p["pattern"])
    assert [{"ORTH": "IS"}] in by_id[IS_ID]
    assert [{"LOWER": "islamic"}, {"LOWER": "state"}] in by_id[IS_ID]
    assert [{"ORTH": "US"}] in by_id["USA"]
    assert [{"ORTH": "Turkey"}] in by_id["TUR"]


def test_ruler_finds_aliases(nlp: Language) -> None:
    ents = _ents(nlp, "ISIS claimed the bombing, and the Islamic State later released a video.")
    assert ("ISIS", "ORG", IS_ID) in ents
    assert ("Islamic State", "ORG", IS_ID) in ents
    assert ("US", "GPE", "USA") in _ents(nlp, "The US condemned the attack.")
    assert ("Azerbaijani", "NORP", "AZE") in _ents(nlp, "Azerbaijani officials said so.")
    assert ("Kremlin", "ORG", "seat:kremlin") in _ents(nlp, "The Kremlin denied it.")


@pytest.mark.parametrize(
    "text", ["This is a test.", "Please join us tomorrow.", "We ate turkey and china tea."]
)
def test_ruler_ignores_common_words(nlp: Language, text: str) -> None:
    assert _ents(nlp, text) == []
