"""Quote extraction on invented sentences, through the real pipeline (spaCy model + entities)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from newsgraph.extract.entities import collect_entities
from newsgraph.extract.quotes import extract_quotes


@pytest.fixture(scope="module")
def res() -> Any:
    from newsgraph.runtime import load_resources

    return load_resources()


def _quotes(res: Any, text: str) -> list[dict[str, Any]]:
    doc = res.nlp(text)
    entities = collect_entities(doc, res.actors, res.model, res.gazetteer)
    quotes = extract_quotes(doc, entities)
    for q in quotes:
        assert doc.text[q["start"] : q["end"]] == q["text"], q
        assert q["text"].strip() and any(ch.isalnum() for ch in q["text"]), q
        ev = q["evidence"]
        assert 0 <= ev["start"] < ev["end"] <= len(doc.text)
        assert 0.0 < q["confidence"] < 1.0
        assert q["rule"]
    assert len({q["id"] for q in quotes}) == len(quotes)
    return quotes


def _one(quotes: list[dict[str, Any]], fragment: str, direct: bool | None = None) -> dict[str, Any]:
    hits = [q for q in quotes if fragment in q["text"] and (direct is None or q["direct"] is direct)]
    assert len(hits) == 1, (fragment, [(q["text"], q["direct"]) for q in quotes])
    return hits[0]


def _name(q: dict[str, Any]) -> str:
    return str(q["speaker_name"] or "")


def _spoke(q: dict[str, Any], name: str) -> bool:
    """The quote's speaker is the entity named so (whatever type the small model gave the name)."""
    return q["speaker"] is not None and q["speaker_name"] == name


# --------------------------------------------------------------------------- direct quotes, layouts


def test_quote_then_inverted_said_with_apposition(res: Any) -> None:
    text = (
        "“The pipeline will be repaired before winter,” said Tomas Velkov, an engineer at the "
        "Northern Grid Company, on Monday."
    )
    q = _one(_quotes(res, text), "pipeline will be repaired")
    assert q["direct"] is True
    assert q["text"] == "The pipeline will be repaired before winter"  # no trailing comma
    assert q["cue"] == "said"
    assert _spoke(q, "Tomas Velkov")
    assert q["speaker_name"] == "Tomas Velkov"
    assert q["rule"] == "direct:after"


def test_quote_then_name_said(res: Any) -> None:
    text = "Anna Korvina runs the clinic in the old town. “We have no more beds,” Korvina said."
    q = _one(_quotes(res, text), "no more beds")
    assert "Korvina" in _name(q)
    assert q["cue"] == "said"


def test_he_added_goes_to_the_latest_person_speaker(res: Any) -> None:
    text = (
        "“The convoy was attacked twice,” said Pavel Drobny, a regional police commander.\n\n"
        "“We expect more attacks,” he added."
    )
    q = _one(_quotes(res, text), "expect more attacks")
    assert _spoke(q, "Pavel Drobny")
    assert q["cue"] == "added"


def test_she_prefers_the_subject_over_an_object(res: Any) -> None:
    text = (
        "Irina Sokolova thanked Boris Lentov for his help on Friday. "
        "“Without the volunteers the town would have flooded,” she said."
    )
    q = _one(_quotes(res, text), "town would have flooded")
    assert _spoke(q, "Irina Sokolova")


def test_speaker_colon_then_quote_in_the_same_paragraph(res: Any) -> None:
    text = "Mikhail Orlov, the mayor, said: “The bridge will reopen on Monday. Nobody was hurt.”"
    q = _one(_quotes(res, text), "bridge will reopen")
    assert q["text"] == "The bridge will reopen on Monday. Nobody was hurt."  # the full stop inside is kept
    assert _spoke(q, "Mikhail Orlov")
    assert q["cue"] == "said"


def test_colon_at_the_end_of_the_previous_paragraph(res: Any) -> None:
    text = (
        "Governor Elena Marsh told the regional assembly on Tuesday:\n\n"
        "“The floods destroyed four villages and the roads to them. We will rebuild every house.”"
    )
    q = _one(_quotes(res, text), "floods destroyed four villages")
    assert _spoke(q, "Elena Marsh")
    assert q["cue"] == "told"


def test_quote_over_two_paragraphs_is_two_pieces_with_one_speaker(res: Any) -> None:
    text = (
        "“The harbour was closed for a week and the fishermen lost their whole season.\n\n"
        "“Now the ministry wants them to pay the fees anyway,” said Daria Wolk, who heads the "
        "fishermen's union.\n\n"
        "The ministry did not respond."
    )
    quotes = _quotes(res, text)
    first = _one(quotes, "harbour was closed")
    second = _one(quotes, "pay the fees anyway")
    assert first["text"].endswith("whole season.")
    assert "\n" not in first["text"]
    assert _spoke(first, "Daria Wolk") and _spoke(second, "Daria Wolk")
    assert first["rule"] == "direct:continuation"
    assert not any("did not respond" in q["text"] for q in quotes)


def test_second_quote_in_the_paragraph_continues_the_speaker(res: Any) -> None:
    text = "“The road is open again,” Sergei Valk said. “But the trucks still cannot pass the bridge.”"
    quotes = _quotes(res, text)
    assert _spoke(_one(quotes, "trucks still cannot"), "Sergei Valk")
    assert _spoke(_one(quotes, "road is open again"), "Sergei Valk")


def test_question_then_asked_and_comma_after_the_closing_mark(res: Any) -> None:
    text = (
        "“Where were the police?” asked Lidia Marn, whose son was wounded. "
        "“The case is closed”, the prosecutor said."
    )
    quotes = _quotes(res, text)
    asked = _one(quotes, "Where were the police?")
    assert asked["text"] == "Where were the police?"
    assert asked["cue"] == "asked"
    assert _spoke(asked, "Lidia Marn")
    closed = _one(quotes, "The case is closed")
    assert closed["speaker"] is None and closed["speaker_name"] == "the prosecutor"


def test_said_comma_then_quote(res: Any) -> None:
    text = "Viktor Hale said, “Our patrols will double along the river.”"
    q = _one(_quotes(res, text), "patrols will double")
    assert _spoke(q, "Viktor Hale")


def test_partial_quote_with_described_as(res: Any) -> None:
    text = "Olga Brenner described the ceasefire as a “fragile and dangerous pause,” citing new shelling."
    q = _one(_quotes(res, text), "fragile and dangerous pause")
    assert q["text"] == "fragile and dangerous pause"
    assert q["direct"] is True
    assert q["cue"] == "described"
    assert _spoke(q, "Olga Brenner")


def test_partial_quote_under_accused(res: Any) -> None:
    text = "Opposition leader Karl Wendt accused the provincial government of “hiding the real death toll”."
    quotes = _quotes(res, text)
    q = _one(quotes, "hiding the real death toll", direct=True)
    assert q["cue"] == "accused"
    assert _spoke(q, "Karl Wendt")
    # reported speech that embeds a direct quote is not reported a second time
    assert all(x["direct"] for x in quotes)


def test_partial_quote_inside_reported_speech(res: Any) -> None:
    text = "Maria Kell said the decision was “a betrayal of every family in the valley” and left the hall."
    quotes = _quotes(res, text)
    q = _one(quotes, "betrayal of every family")
    assert _spoke(q, "Maria Kell")
    assert not [x for x in quotes if not x["direct"]]


# --------------------------------------------------------------------------- quote marks


def test_straight_double_quotes(res: Any) -> None:
    text = '"We will not sign this agreement," said Lena Hoff, the union leader. "Not now, not ever."'
    quotes = _quotes(res, text)
    assert _spoke(_one(quotes, "not sign this agreement"), "Lena Hoff")
    assert _spoke(_one(quotes, "Not now, not ever."), "Lena Hoff")


def test_typographic_single_quotes_and_apostrophes(res: Any) -> None:
    text = (
        "The mayor’s office stayed shut. ‘We are ready for the storm,’ said Jonas Pell, the harbour master."
    )
    quotes = _quotes(res, text)
    q = _one(quotes, "ready for the storm")
    assert q["text"] == "We are ready for the storm"
    assert _spoke(q, "Jonas Pell")
    assert len([x for x in quotes if x["direct"]]) == 1


def test_guillemets(res: Any) -> None:
    text = "«The talks have failed,» said Henri Malo, a negotiator for the northern delegation."
    q = _one(_quotes(res, text), "talks have failed")
    assert _spoke(q, "Henri Malo")


def test_nested_quote_stays_inside_the_outer_quote(res: Any) -> None:
    text = "“He looked at me and said ‘never again’ before he left,” said Rosa Lind."
    quotes = _quotes(res, text)
    assert len(quotes) == 1
    assert quotes[0]["text"] == "He looked at me and said ‘never again’ before he left"
    assert _spoke(quotes[0], "Rosa Lind")


def test_scare_quotes_and_titles_are_not_quotes(res: Any) -> None:
    text = (
        "The so-called “stabilisation measure” closed three markets under the “Spring Order” decree. "
        "On the talk show “Evening Hour,” host Ivan Drozd argued that taxes must rise."
    )
    quotes = _quotes(res, text)
    assert not [q for q in quotes if q["direct"]]


def test_empty_and_punctuation_only_quotes_are_dropped(res: Any) -> None:
    text = 'He wrote “” and then “...” and then "!" in the margin. The rest was blank.'
    assert not [q for q in _quotes(res, text) if q["direct"]]


def test_unattributed_block_quote_is_kept_without_a_speaker(res: Any) -> None:
    text = (
        "The report ends with a warning.\n\n"
        "“Unless the dams are repaired this year, the next flood will reach the city centre.”\n\n"
        "Nobody in the city council commented."
    )
    q = _one(_quotes(res, text), "dams are repaired")
    assert q["speaker"] is None
    assert q["cue"] is None


# --------------------------------------------------------------------------- via an outlet


def test_according_to_interfax_is_the_via_of_a_person(res: Any) -> None:
    text = (
        "“The cell was planning three attacks,” said Oleg Marten, a security official, "
        "on Monday according to Interfax."
    )
    q = _one(_quotes(res, text), "planning three attacks")
    assert _spoke(q, "Oleg Marten")
    assert q["via"] == "org:interfax"


def test_told_tass_is_the_via(res: Any) -> None:
    text = "“The border will stay closed until spring,” Igor Sedin told TASS."
    q = _one(_quotes(res, text), "stay closed until spring")
    assert _spoke(q, "Igor Sedin")
    assert q["via"] == "org:tass"
    assert q["cue"] == "told"


def test_outlet_named_by_its_web_address_is_the_via(res: Any) -> None:
    text = "“Nobody wants a second front,” Ivan Fesko told Northwire.az on Friday."
    q = _one(_quotes(res, text), "second front")
    assert _spoke(q, "Ivan Fesko")
    assert q["via"] == "Northwire.az"


def test_agency_is_the_speaker_when_no_one_else_is(res: Any) -> None:
    text = "The two suspects were detained at a bus station in the north of the city, according to Interfax."
    q = _one(_quotes(res, text), "suspects were detained", direct=False)
    assert q["speaker"] == "org:interfax"
    assert q["cue"] == "according to"
    assert q["via"] is None
    assert q["text"] == "The two suspects were detained at a bus station in the north of the city"


# --------------------------------------------------------------------------- reported speech


def test_indirect_said_that(res: Any) -> None:
    text = "Anton Grisha said that the hospital had run out of fuel on Sunday."
    q = _one(_quotes(res, text), "hospital had run out of fuel", direct=False)
    assert q["text"] == "the hospital had run out of fuel on Sunday"
    assert _spoke(q, "Anton Grisha")
    assert q["cue"] == "said"


def test_indirect_without_that_and_unresolved_speaker(res: Any) -> None:
    text = "Officials said the vote in the eastern districts was rigged."
    q = _one(_quotes(res, text), "vote in the eastern districts", direct=False)
    assert q["speaker"] is None
    assert q["speaker_name"] == "Officials"


def test_indirect_with_the_attribution_at_the_end(res: Any) -> None:
    text = "Three soldiers were wounded when a mine exploded near the village, the Defence Ministry said."
    q = _one(_quotes(res, text), "Three soldiers were wounded", direct=False)
    assert q["text"] == "Three soldiers were wounded when a mine exploded near the village"
    assert "Defence Ministry" in _name(q)


def test_indirect_according_to_at_the_start(res: Any) -> None:
    text = "According to the regional health ministry, 12 people remain in hospital."
    q = _one(_quotes(res, text), "12 people remain in hospital", direct=False)
    assert q["cue"] == "according to"
    assert "health ministry" in _name(q)


def test_indirect_warned_and_told_someone_that(res: Any) -> None:
    text = (
        "Natalia Voss warned that the dam could fail within days. "
        "She told reporters that the evacuation would start at dawn."
    )
    quotes = _quotes(res, text)
    warned = _one(quotes, "dam could fail", direct=False)
    told = _one(quotes, "evacuation would start", direct=False)
    assert warned["cue"] == "warned"
    assert told["cue"] == "told"
    assert _spoke(warned, "Natalia Voss") and _spoke(told, "Natalia Voss")


def test_indirect_accused_of(res: Any) -> None:
    text = "The opposition accused the interior minister of covering up the killings."
    q = _one(_quotes(res, text), "covering up the killings", direct=False)
    assert q["cue"] == "accused"
    assert q["text"].startswith("the interior minister of")


def test_capital_as_speaker_is_the_government(res: Any) -> None:
    text = "Moscow said the drills near the border were purely defensive."
    q = _one(_quotes(res, text), "drills near the border", direct=False)
    assert q["speaker"] == "RUS/GOV"


def test_demonym_officials_are_the_state(res: Any) -> None:
    text = "Iranian officials said the tanker had been seized for smuggling fuel."
    q = _one(_quotes(res, text), "tanker had been seized", direct=False)
    assert q["speaker"] == "IRN/GOV"


def test_not_reported_speech(res: Any) -> None:
    text = "This is not to say that the plan will fail. The figures suggest that prices will fall."
    assert _quotes(res, text) == []


# --------------------------------------------------------------------------- speakers


def test_spokesman_for_an_organization_speaks_for_it(res: Any) -> None:
    text = "“We have lost contact with the team,” a spokesman for the International Red Cross said."
    q = _one(_quotes(res, text), "lost contact with the team")
    assert q["speaker_name"] == "International Committee of the Red Cross" or "Red Cross" in _name(q)
    assert q["speaker"] is not None


def test_unnamed_speaker_keeps_its_noun_phrase(res: Any) -> None:
    text = "“They came at night and took everything,” said a woman who lives near the market."
    q = _one(_quotes(res, text), "took everything")
    assert q["speaker"] is None
    assert q["speaker_name"] == "a woman who lives near the market"


def test_it_said_goes_to_the_last_organization(res: Any) -> None:
    text = (
        "The Northern Grid Company said in a statement that power had been restored to most homes. "
        "It said the damaged line would be “fully replaced by the end of the month”."
    )
    q = _one(_quotes(res, text), "fully replaced", direct=True)
    assert q["speaker_name"] == "Northern Grid Company"


def test_surname_alone_after_the_full_name(res: Any) -> None:
    text = (
        "The minister, Hedda Lamberg, visited the camp on Monday.\n\n"
        "Lamberg said: “These families need shelter before the first snow.”"
    )
    q = _one(_quotes(res, text), "families need shelter")
    assert _spoke(q, "Hedda Lamberg")


# --------------------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "“",
        "”",
        '"',
        "“”“”",
        "«»‹›„“",
        "\"'\"'\"'",
        "He said: “",
        "“Unclosed quote that never ends, said nobody",
        "said said said “said” said",
        "\n\n“\n\n”\n\n",
        "according to",
        "According to, according to.",
        "'tis the season, the workers' union said 'no'.",
    ],
)
def test_never_raises_on_odd_text(res: Any, text: str) -> None:
    _quotes(res, text)


def test_never_raises_on_random_text(res: Any) -> None:
    rng = random.Random(7)
    alphabet = [*"abc XYZ,.;:!?'\"“”‘’«»—-\n", "said ", "told ", "he ", "according to ", "that "]
    for _ in range(30):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300)))
        _quotes(res, text)
