"""Event extraction on sentences of our own, through the real pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from newsgraph.extract.document import extract_documents
from newsgraph.models import Document


@pytest.fixture(scope="module")
def res() -> Any:
    from newsgraph.runtime import load_resources

    return load_resources()


def _events(res: Any, text: str, published: str | None = "2024-03-15") -> list[dict[str, Any]]:
    doc = Document(doc_id="t", source="test", content_hash="h", text=text, published=published)
    (x,) = extract_documents([doc], res)
    for event in x.events:
        for ev in event["evidence"]:
            assert 0 <= ev["start"] < ev["end"] <= len(text)
        for arg in event["arguments"]:
            assert text[arg["start"] : arg["end"]] == arg["text"]
    return x.events


def _one(events: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    found = [e for e in events if e["type"] == type_]
    assert len(found) == 1, [(e["type"], e["trigger"]["text"]) for e in events]
    return found[0]


def _args(event: dict[str, Any], role: str) -> list[str]:
    return [a["text"] for a in event["arguments"] if a["role"] == role]


def test_car_bomb_with_casualties_place_date_and_claim(res: Any) -> None:
    events = _events(
        res,
        "A car bomb exploded outside the interior ministry in Grozny on Tuesday, killing 9 people and "
        "wounding more than 30, officials said. Islamic State claimed responsibility for the attack.",
    )
    attack = _one(events, "ASSAULT")
    assert attack["mode"] == "explosives" and attack["gtd_attack_type"] == "BOMBING"
    assert attack["casualties"]["killed"]["min"] == 9
    assert attack["casualties"]["injured"]["min"] == 31
    assert attack["location"]["name"] == "Grozny" and attack["location"]["country"] == "RUS"
    assert attack["date"]["start"] == "2024-03-12" and attack["date"]["precision"] == "day"
    assert attack["source_actors"] == ["Q2429253"]
    assert "car bomb" in attack["weapons"]
    assert len(attack["evidence"]) == 2  # the claim sentence is evidence of the same attack
    assert attack["intensity"] == -9.0 and attack["quad_class"] == "material_conflict"


def test_gunmen_open_fire_generic_perpetrator(res: Any) -> None:
    attack = _one(
        _events(res, "Gunmen opened fire on a police checkpoint near Nalchik, killing two officers."),
        "ASSAULT",
    )
    assert attack["mode"] == "firearms" and attack["gtd_attack_type"] == "ARMED_ASSAULT"
    assert attack["source_actors"] == ["generic:gunmen"]
    assert [p["text"] for p in attack["physical_targets"]] == ["police checkpoint"]
    assert attack["casualties"]["killed"]["min"] == 2


def test_state_strike_is_not_terrorism(res: Any) -> None:
    attack = _one(
        _events(res, "Turkish warplanes bombed PKK positions in northern Iraq on Monday."), "ASSAULT"
    )
    assert attack["gtd_attack_type"] is None


def test_plots_and_foiled_attacks_are_kept_and_marked(res: Any) -> None:
    events = _events(res, "Police foiled a plot to bomb the Israeli embassy in Tbilisi.")
    (plot,) = [e for e in events if e["type"] == "ASSAULT"]
    assert plot["hypothetical"] and plot["stage"] in ("foiled", "plot")
    assert plot["gtd_attack_type"] is None


def test_modal_future_and_negation(res: Any) -> None:
    events = _events(res, "Tehran could attack the base. The army did not attack the village.")
    attacks = [e for e in events if e["type"] == "ASSAULT"]
    assert any(e["hypothetical"] for e in attacks)
    assert any(e["negated"] for e in attacks)


def test_historical_event_is_marked(res: Any) -> None:
    attack = _one(
        _events(res, "In 1999 a series of apartment bombings killed 300 people in Russia."), "ASSAULT"
    )
    assert attack["historical"] and attack["date"]["start"].startswith("1999")


def test_arrests_and_seizures_are_coerce(res: Any) -> None:
    events = _events(
        res,
        "Azerbaijan's State Security Service said it had detained seven suspects in Sumgait. "
        "Officers seized rifles and explosives.",
    )
    arrest = [e for e in events if e["type"] == "COERCE" and e["mode"] == "arrest"]
    assert arrest and arrest[0]["casualties"]["arrested"]["min"] == 7
    assert arrest[0]["source_actors"] == ["org:aze-state-security-service"]


def test_interactions_with_metonymy_and_direction(res: Any) -> None:
    events = _events(res, "Moscow accused Baku of sheltering militants. Paris stands firmly behind Kyiv.")
    accuse = _one(events, "ACCUSE")
    assert accuse["source_codes"] == ["RUS/GOV"] and accuse["target_codes"] == ["AZE/GOV"]
    support = _one(events, "SUPPORT")
    assert support["source_codes"] == ["FRA/GOV"] and support["target_codes"] == ["UKR/GOV"]


def test_lower_cased_text_still_yields_the_attack(res: Any) -> None:
    events = _events(res, "urban guerrillas set off a bomb at the power station, killing three guards.")
    attack = _one(events, "ASSAULT")
    assert attack["mode"] == "explosives"
    assert "urban guerrillas" in _args(attack, "source")


def test_no_events_in_plain_prose(res: Any) -> None:
    assert _events(res, "The weather in Baku was mild and the markets were busy.") == []
