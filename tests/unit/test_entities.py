"""Entity resolution on sentences of our own, through the real pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from newsgraph.extract.entities import collect_entities
from newsgraph.models import Entity


@pytest.fixture(scope="module")
def res() -> Any:
    from newsgraph.runtime import load_resources

    return load_resources()


def _entities(res: Any, text: str) -> dict[str, Entity]:
    doc = res.nlp(text)
    return {e.id: e for e in collect_entities(doc, res.actors, res.model, res.gazetteer)}


def _by_mention(entities: dict[str, Entity], surface: str) -> Entity:
    for entity in entities.values():
        if any(m.text == surface for m in entity.mentions):
            return entity
    raise AssertionError(f"no entity has a mention {surface!r}: {sorted(entities)}")


def test_capitals_that_act_are_governments_and_capitals_as_places_stay_places(res: Any) -> None:
    ents = _entities(res, "Ankara warned Yerevan on Monday. A week later a bomb went off in Ankara.")
    assert _by_mention(ents, "Yerevan").id == "ARM/GOV"
    ankara = [e for e in ents.values() if any(m.text == "Ankara" for m in e.mentions)]
    assert {e.id for e in ankara} == {"TUR/GOV", "Q3640"}
    city = ents["Q3640"]
    assert city.geo is not None and city.geo["country"] == "TUR"


def test_seat_of_power_and_relational_prepositions(res: Any) -> None:
    ents = _entities(res, "Washington backs Kyiv, and the Kremlin said Paris stands firmly behind Chisinau.")
    assert {"USA/GOV", "UKR/GOV", "RUS/GOV", "FRA/GOV", "MDA/GOV"} <= set(ents)


def test_aliases_of_one_group_are_one_entity(res: Any) -> None:
    ents = _entities(res, "Daesh claimed the attack. ISIL, also called ISIS, has cells in the region.")
    group = _by_mention(ents, "Daesh")
    assert {m.text for m in group.mentions} == {"Daesh", "ISIL", "ISIS"}
    assert group.wikidata == "Q2429253"


def test_is_and_us_as_words_are_not_actors(res: Any) -> None:
    ents = _entities(res, "This is the place where the police told us to wait.")
    assert "Q2429253" not in ents and "USA" not in ents


def test_demonym_title_and_surname_resolve_to_the_person(res: Any) -> None:
    ents = _entities(
        res,
        "Georgian MP Tamar Kikvadze said the vote was rigged. Kikvadze later left the chamber.",
    )
    person = _by_mention(ents, "Kikvadze")
    assert person.name == "Tamar Kikvadze" and person.type == "PERSON"
    assert person.country == "GEO" and person.role == "MP"
    assert [m.text for m in person.mentions] == ["Tamar Kikvadze", "Kikvadze"]


def test_apposition_gives_role_and_affiliation(res: Any) -> None:
    ents = _entities(res, "Oleg Varnavin, an official at the Russian Foreign Intelligence Service, said so.")
    person = _by_mention(ents, "Oleg Varnavin")
    assert person.role == "official at the Russian Foreign Intelligence Service"
    assert person.affiliation == "org:rus-svr" and person.country == "RUS"


def test_unnamed_actors_are_generic_or_state_parts(res: Any) -> None:
    ents = _entities(
        res, "Gunmen opened fire on Azerbaijani security forces, and Iranian diplomats condemned it."
    )
    assert _by_mention(ents, "Gunmen").kind == "generic"
    assert _by_mention(ents, "security forces").id == "AZE/COP"
    assert _by_mention(ents, "diplomats").id == "IRN/GOV"


def test_spans_match_text_and_sentences(res: Any) -> None:
    text = "Officials in Baku said so.\n\nThe U.S. embassy in Tbilisi closed on Friday."
    ents = _entities(res, text)
    for entity in ents.values():
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text
    assert _by_mention(ents, "U.S.").id == "USA"
    assert _by_mention(ents, "Tbilisi").mentions[0].sentence == 1
