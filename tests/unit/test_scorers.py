"""The accuracy benchmarks' own matching and scoring functions, on tiny hand-made inputs.

No spaCy model is loaded: the scorers import newsgraph's pipeline only when they run.
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import _common  # noqa: E402
import case2021  # noqa: E402
import events_gold  # noqa: E402
import muc4  # noqa: E402
import plover_gsr  # noqa: E402

# --------------------------------------------------------------------------- _common


def _brute_force(weights: list[list[float]]) -> float:
    n, m = len(weights), len(weights[0])
    best = 0.0
    if n <= m:
        for cols in itertools.permutations(range(m), n):
            best = max(best, sum(weights[i][c] for i, c in enumerate(cols)))
    else:
        for rows in itertools.permutations(range(n), m):
            best = max(best, sum(weights[r][j] for j, r in enumerate(rows)))
    return best


def test_assignment_is_optimal_against_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(200):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        weights = [[rng.choice([0.0, 0.0, 1.0, rng.random() * 3]) for _ in range(m)] for _ in range(n)]
        pairs = _common.max_weight_assignment(weights)
        assert len({r for r, _ in pairs}) == len(pairs) == len({c for _, c in pairs})
        assert sum(weights[r][c] for r, c in pairs) == pytest.approx(_brute_force(weights))


def test_assignment_edge_cases() -> None:
    assert _common.max_weight_assignment([]) == []
    assert _common.max_weight_assignment([[]]) == []
    assert _common.max_weight_assignment([[0.0, 0.0]]) == []
    # greedy would take (0, 0) and leave row 1 unmatched
    assert _common.max_weight_assignment([[1, 1], [1, 0]]) == [(0, 1), (1, 0)]


def test_prf_arithmetic() -> None:
    s = _common.prf(1, 2, 4)
    assert s["precision"] == 0.5
    assert s["recall"] == 0.25
    assert s["f1"] == pytest.approx(1 / 3)
    assert _common.prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert _common.prf_pct(3, 4, 6)["f1"] == 60.0


def test_locate_exact_wrapped_and_alnum() -> None:
    text = "The bomb went\n   off at the bus station, “officials” said."
    assert _common.locate(text, "The bomb") == (0, 8)
    span = _common.locate(text, "went off at")
    assert span is not None and text[span[0] : span[1]].split() == ["went", "off", "at"]
    span = _common.locate(text, '"officials" said')
    assert span is not None and text[span[0] : span[1]] == "officials” said"
    assert _common.locate(text, "not there") is None
    assert _common.find_ci("Russia and IRAN", "iran") == (11, 15)


# --------------------------------------------------------------------------- MUC-4


def test_grit_normalization() -> None:
    assert muc4.normalize_string('The  "Santo Tomas" Presidential farm') == "santo tomas presidential farm"
    assert muc4.normalize_string("a car-bomb") == "carbomb"


def test_ceaf_one_to_one() -> None:
    gold = [["guerrillas", "guerrilla column"], ["fmln"]]
    assert muc4.ceaf_role([["guerrilla column"], ["fmln"], ["army"]], gold) == 2
    # two predictions of the same gold entity: only one may match
    assert muc4.ceaf_role([["guerrillas"], ["guerrilla column"]], gold) == 1
    # phi_strict: every predicted mention must be in the gold entity
    assert muc4.ceaf_role([["guerrillas", "army"]], gold) == 0
    assert muc4.ceaf_role([], gold) == 0


def test_ceaf_scores_per_role_and_micro() -> None:
    golds = [{"PerpInd": [["guerrillas"]], "Weapon": [["bomb"], ["dynamite"]]}]
    preds = [{"PerpInd": [["Guerrillas"]], "Weapon": [["the bomb"], ["rifle"]], "Target": [["farm"]]}]
    s = muc4.score_documents(preds, golds)
    assert s["PerpInd"]["f1"] == 100.0
    assert (s["Weapon"]["precision"], s["Weapon"]["recall"]) == (50.0, 50.0)
    assert s["Target"]["precision"] == 0.0
    micro = s["micro_avg"]
    assert (micro["matched"], micro["predicted"], micro["gold"]) == (2, 4, 3)
    assert micro["f1"] == pytest.approx(100 * 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), abs=0.01)


def _muc_doc() -> dict[str, Any]:
    ents = [
        {
            "id": "Q1",
            "name": "FMLN",
            "type": "ORG",
            "kind": "armed_group",
            "mentions": [{"start": 0, "end": 4, "rule": "ruler"}],
        },
        {
            "id": "generic:guerrillas",
            "name": "guerrillas",
            "type": "GENERIC",
            "kind": "generic",
            "mentions": [],
        },
        {
            "id": "SLV/MIL",
            "name": "army",
            "type": "ORG",
            "kind": "military",
            "mentions": [{"start": 50, "end": 58, "rule": "lexicon:generic_actors"}],
        },
        {"id": "person:cerezo", "name": "Cerezo", "type": "PERSON", "kind": "person", "mentions": []},
    ]
    args = [
        {"role": "source", "text": "fmln", "start": 0, "end": 4, "entity": "Q1"},
        {"role": "source", "text": "guerrillas", "start": 10, "end": 20, "entity": "generic:guerrillas"},
        {"role": "source", "text": "soldiers", "start": 50, "end": 58, "entity": "SLV/MIL"},
        {"role": "victim", "text": "a peasant", "start": 60, "end": 69, "entity": None},
        {"role": "target", "text": "cerezo", "start": 70, "end": 76, "entity": "person:cerezo"},
    ]
    return {
        "entities": ents,
        "events": [
            {
                "type": "ASSAULT",
                "arguments": args,
                "physical_targets": [{"text": "farm", "start": 30}],
                "weapons": ["bomb"],
            },
            {
                "type": "ASSAULT",
                "arguments": [{"role": "source", "text": "FMLN", "start": 90, "end": 94, "entity": "Q1"}],
            },
            {
                "type": "ACCUSE",
                "arguments": [{"role": "source", "text": "army", "start": 95, "end": 99, "entity": None}],
            },
            {
                "type": "COERCE",
                "mode": "abduct",
                "arguments": [{"role": "weapon", "text": "rifles", "start": 99}],
            },
        ],
    }


def test_muc_role_mapping() -> None:
    roles = muc4.predicted_roles(_muc_doc())
    assert roles["PerpOrg"] == [["fmln"]]  # same entity twice -> one predicted entity
    assert roles["PerpInd"] == [["guerrillas"], ["soldiers"]]  # generic and lexicon mentions
    assert roles["Victim"] == [["cerezo"]]  # named persons only by default
    assert roles["Target"] == [["farm"]]  # physical_targets fallback
    assert sorted(roles["Weapon"]) == [["bomb"], ["rifles"]]  # weapons[] fallback; COERCE abduct counts
    assert muc4.predicted_roles(_muc_doc(), all_victims=True)["Victim"] == [["a peasant"], ["cerezo"]]


def test_muc_incident_filter() -> None:
    assert muc4.is_incident({"type": "ASSAULT"})
    assert muc4.is_incident({"type": "COERCE", "mode": "abduct"})
    assert not muc4.is_incident({"type": "COERCE", "mode": "arrest"})
    assert not muc4.is_incident({"type": "THREATEN"})


# --------------------------------------------------------------------------- CASE 2021


def _ev(etype: str, mode: str | None = None, **kw: Any) -> dict[str, Any]:
    return {"type": etype, "mode": mode, **kw}


@pytest.mark.parametrize(
    ("event", "label"),
    [
        (_ev("ASSAULT", "aerial"), "AIR_STRIKE"),
        (_ev("ASSAULT", "drone"), "AIR_STRIKE"),
        (_ev("ASSAULT", "suicide-attack"), "SUIC_BOMB"),
        (_ev("ASSAULT", "heavy-weapons"), "ART_MISS_ATTACK"),
        (_ev("ASSAULT", "unconventional"), "CHEM_WEAP"),
        (_ev("ASSAULT", "sexual"), "SEX_VIOL"),
        (_ev("ASSAULT", "abduct"), "ABDUCT_DISSAP"),
        (_ev("ASSAULT", "explosives", weapons=["hand grenade"]), "GRENADE"),
        (_ev("ASSAULT", "explosives", weapons=["bomb"]), "REM_EXPLOS"),
        (_ev("ASSAULT", None, weapons=["mortar shells"]), "ART_MISS_ATTACK"),
        (_ev("ASSAULT", "explosives", hypothetical=True), "DISR_WEAP"),
        (_ev("ASSAULT", None, gtd_attack_type="HOSTAGE_KIDNAPPING"), "ABDUCT_DISSAP"),
        (
            _ev(
                "ASSAULT",
                "firearms",
                arguments=[{"role": "victim", "text": "three soldiers", "entity": None}],
            ),
            "ARMED_CLASH",
        ),
        (
            _ev("ASSAULT", "firearms", arguments=[{"role": "victim", "text": "two farmers", "entity": None}]),
            "ATTACK",
        ),
        (_ev("ASSAULT", "firearms"), "ARMED_CLASH"),
        (_ev("COERCE", "arrest"), "ARREST"),
        (_ev("COERCE", "seize", weapons=["rifles"]), "DISR_WEAP"),
        (_ev("COERCE", "seize", context=["territory"], source_actors=["SYR/MIL"]), "GOV_REGAINS_TERIT"),
        (
            _ev("COERCE", "seize", context=["territory"], source_actors=["Q2429253"]),
            "NON_STATE_ACTOR_OVERTAKES_TER",
        ),
        (_ev("COERCE", "curfew"), "OTHER"),
        (_ev("PROTEST", "riot"), "VIOL_DEMONSTR"),
        (_ev("PROTEST", "demo"), "PEACE_PROTEST"),
        (_ev("AGREE"), "AGREEMENT"),
        (_ev("RETREAT", "ceasefire"), "AGREEMENT"),
        (_ev("RETREAT", "withdraw"), "NON_VIOL_TERRIT_TRANSFER"),
        (_ev("MOBILIZE", "troops"), "CHANGE_TO_GROUP_ACT"),
        (_ev("ACCUSE", "allege"), "ATTRIB"),
        (_ev("ACCUSE", "disapprove"), "DIPLO"),
        (_ev("SANCTION"), "DIPLO"),
        (_ev("COERCE", "arrest", context=["illegal_drugs"]), "ORG_CRIME"),
        (_ev("COERCE", "arrest", context=["crime", "terrorism"]), "ARREST"),
        (_ev("CONSULT", context=["health"]), "NATURAL_DISASTER"),
        (_ev("ASSAULT", "firearms", negated=True), None),
        (_ev("NOT_A_TYPE"), None),
    ],
)
def test_acled_mapping_table(event: dict[str, Any], label: str | None) -> None:
    entities = {
        "SYR/MIL": {"id": "SYR/MIL", "name": "Syrian army", "kind": "military", "sector": "MIL"},
        "Q2429253": {"id": "Q2429253", "name": "Islamic State", "kind": "armed_group"},
    }
    assert case2021.to_acled_subtype(event, entities) == label


def test_acled_tables_only_use_task_labels() -> None:
    labels = case2021.SUBTASK_LABELS[3]
    tables: list[dict[str, Any]] = [
        case2021.CONTEXT_LABELS,
        case2021.ASSAULT_MODE_LABELS,
        case2021.GTD_LABELS,
        case2021.COERCE_MODE_LABELS,
        case2021.RETREAT_MODE_LABELS,
        case2021.ACCUSE_MODE_LABELS,
        case2021.TYPE_LABELS,
        case2021.SANCTION_MODE_LABELS,
        case2021.PROTEST_MODE_LABELS,
    ]
    for table in tables:
        assert set(table.values()) <= labels
    assert {lab for _, lab in case2021.WEAPON_LABELS} <= labels
    assert set(case2021.LABEL_PRIORITY) == labels
    assert case2021.FALLBACK_LABEL in labels
    assert len(labels) == 30


def test_snippet_combinations_and_priority() -> None:
    protest = _ev("PROTEST", "demo")
    assert case2021.snippet_subtype([protest, _ev("COERCE", "arrest")]) == "PROTEST_WITH_INTER"
    killed = {"killed": {"min": 2, "max": 2}}
    assert (
        case2021.snippet_subtype([protest, _ev("ASSAULT", None, casualties=killed)])
        == "FORCE_AGAINST_PROTEST"
    )
    assert case2021.snippet_subtype([_ev("ACCUSE", "disapprove"), _ev("ASSAULT", "aerial")]) == "AIR_STRIKE"
    # background events give way to current ones
    assert case2021.snippet_subtype([_ev("ASSAULT", "aerial", historical=True), _ev("AGREE")]) == "AGREEMENT"
    assert case2021.snippet_subtype([]) is None
    assert case2021.snippet_subtype([_ev("ASSAULT", negated=True)]) is None


def test_classification_scores() -> None:
    s = case2021.classification_scores(["A", "A", "B", "C"], ["A", "B", "B", "C"])
    assert s["accuracy"] == 0.75
    assert s["micro"]["f1"] == 0.75
    assert s["per_class"]["A"]["precision"] == 1.0
    assert s["per_class"]["A"]["recall"] == 0.5
    assert s["per_class"]["B"]["precision"] == 0.5
    assert s["macro"]["f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    # a label only predicted still enters the macro average (sklearn's behaviour)
    s = case2021.classification_scores(["A"], ["B"])
    assert s["macro"]["f1"] == 0.0 and set(s["per_class"]) == {"A", "B"}
    assert case2021.confusions(["A", "A"], ["A", "B"]) == {"A": {"A": 1, "B": 1}}


# --------------------------------------------------------------------------- PLOVER GSR


def test_plover_label_mapping() -> None:
    assert plover_gsr.map_label("DEMAND") == "REQUEST"
    assert plover_gsr.map_label("DISAPPROVE") == "ACCUSE"
    assert plover_gsr.map_label("INVESTIGATE") == "ACCUSE"
    assert plover_gsr.map_label("FIGHT") == "ASSAULT"
    assert plover_gsr.map_label("threaten") == "THREATEN"
    assert plover_gsr.map_label("DOCUMENT") is None
    assert plover_gsr.normalize_code("JAP") == "JPN"
    assert plover_gsr.is_state_code("RUS")
    assert plover_gsr.is_state_code("VTN")
    assert not plover_gsr.is_state_code("IGO")


def _gsr_record() -> dict[str, Any]:
    text = "Leaders of the Azadliq (Freedom) opposition coalition agreed to postpone the rally in Baku."
    return {
        "id": "X-1",
        "event": "AGREE",
        "eventText": "agreed postpone",
        "text": text,
        "source": [{"actorText": "Azadliq (Freedom) opposition coalition", "code": "AZE", "sector": "OPP"}],
        "target": [{"actorText": "Baku", "code": "AZE", "sector": "GOV"}],
        "textInfo": {
            "markup": "Leaders of the (SRC: Azadliq (Freedom) opposition coalition) (EVT: agreed) to "
            "(EVT: postpone) the rally in (TAR: Baku)."
        },
    }


def test_plover_markup_and_spans() -> None:
    rec = _gsr_record()
    segs = plover_gsr.markup_segments(rec["textInfo"]["markup"])
    assert segs[0] == ("SRC", "Azadliq (Freedom) opposition coalition")
    assert [s for t, s in segs if t == "EVT"] == ["agreed", "postpone"]
    spans = plover_gsr.event_word_spans(rec)
    assert [rec["text"][s:e] for s, e in spans] == ["agreed", "postpone"]
    nested = plover_gsr.markup_segments("(LOC: (EVT: to) Britain)")
    assert ("LOC", "to Britain") in nested and ("EVT", "to") in nested
    assert plover_gsr.strip_markup(rec["textInfo"]["markup"]) == rec["text"]


def test_plover_choose_event_and_actors() -> None:
    rec = _gsr_record()
    text = rec["text"]
    agreed = text.index("agreed")
    events = [
        {
            "type": "PROTEST",
            "confidence": 0.9,
            "trigger": {"start": text.index("rally"), "end": text.index("rally") + 5},
        },
        {
            "type": "AGREE",
            "confidence": 0.6,
            "trigger": {"start": agreed, "end": agreed + 6},
            "source_actors": ["org:azadliq"],
            "target_actors": ["AZE/GOV"],
            "arguments": [],
        },
    ]
    assert plover_gsr.choose_event(events, plover_gsr.event_word_spans(rec))["type"] == "AGREE"
    assert plover_gsr.choose_event(events[:1], [])["type"] == "PROTEST"
    assert plover_gsr.choose_event([], []) is None

    start = text.index("Azadliq")
    doc = {
        "events": events,
        "entities": [
            {
                "id": "org:azadliq",
                "name": "Azadliq",
                "country": None,
                "mentions": [{"start": start, "end": start + 7}],
            },
            {"id": "AZE/GOV", "name": "Government of Azerbaijan", "country": "AZE", "mentions": []},
        ],
    }
    row = plover_gsr.score_record(rec, doc)
    assert row["type_ok"]
    assert row["source"]["all"]  # by mention overlap with the gold actorText
    assert row["target"]["all"]  # by state code
    assert not plover_gsr.score_record(rec, {"events": [], "entities": []})["type_ok"]


def test_plover_actor_match_by_containment() -> None:
    gold = {"actorText": "U.N. Security Council", "code": "IGO"}
    assert plover_gsr.actor_matches(gold, "", [{"name": "Security Council", "mentions": []}], [])
    assert not plover_gsr.actor_matches(gold, "", [{"name": "NATO", "country": "IGO", "mentions": []}], [])
    assert plover_gsr.actor_matches({"actorText": "Iran", "code": "IRN"}, "", [{"id": "IRN/GOV"}], [])


# --------------------------------------------------------------------------- sample gold


def test_doc_key_rows_are_zero_based() -> None:
    assert events_gold.doc_key("/x/data/sample/feed.jsonl#row=3") == ("feed.jsonl", 2)
    assert events_gold.doc_key("/x/data/sample/a.html") == ("a.html", None)


def test_phrase_and_set_matching() -> None:
    assert events_gold.phrase_match("gunmen", "two gunmen")
    assert events_gold.phrase_match("Kurdistan Workers’ Party", "kurdistan workers' party")
    assert not events_gold.phrase_match("men", "gunmen")
    preds = [["Islamic State", "IS"], ["two gunmen"]]
    assert events_gold.set_match(["Islamic State", "gunmen", "police"], preds) == 2
    assert events_gold.set_match(["gunmen", "two gunmen"], [["gunmen"]]) == 1


def test_event_fields() -> None:
    assert events_gold.number_ok(14, {"min": 14, "max": 15})
    assert not events_gold.number_ok(16, {"min": 14, "max": 15})
    assert events_gold.number_ok(None, None)
    assert not events_gold.number_ok(None, {"min": 1, "max": 1})
    assert events_gold.number_ok(3, {"min": 3, "max": None})
    assert events_gold.date_ok({"date": "2024-03"}, {"date": {"start": "2024-03-15"}})
    assert not events_gold.date_ok({"date": "2024-03-14"}, {"date": {"start": "2024-03-15"}})
    assert events_gold.date_ok({"date": None}, {"date": None})
    assert not events_gold.date_ok({"date": None}, {"date": {"start": "2024-01-01"}})
    assert events_gold.location_name_ok({"location": "Nalchik"}, {"location": {"name": "nalchik"}})
    assert events_gold.location_country_ok({"country": "RUS"}, {"location": {"country": "RUS"}})
    assert not events_gold.location_country_ok({"country": None}, {"location": {"country": "RUS"}})


def test_event_matching_is_one_to_one_and_typed() -> None:
    # two gold events in one sentence; predicted evidence covers the whole sentence
    gold_spans: list[tuple[int, int] | None] = [(0, 10), (12, 30), None]
    preds = [
        {"type": "ASSAULT", "trigger": {"start": 14, "end": 20}, "evidence": [{"start": 0, "end": 40}]},
        {"type": "ASSAULT", "trigger": {"start": 2, "end": 6}, "evidence": [{"start": 0, "end": 40}]},
        {"type": "ACCUSE", "trigger": {"start": 35, "end": 40}, "evidence": [{"start": 0, "end": 40}]},
    ]
    pairs = events_gold.match_events(gold_spans, ["ASSAULT", "ASSAULT", "ASSAULT"], preds)
    assert pairs == [(0, 1), (1, 0)]  # each gold with the event whose trigger lies inside it
    untyped = events_gold.match_events([(0, 10)], [None], preds[2:])
    assert untyped == [(0, 0)]
    assert events_gold.match_events([(0, 10)], ["ASSAULT"], preds[2:]) == []


def test_entity_pair_weight_and_ids() -> None:
    gold = {"name": "Islam Berov", "type": "PERSON", "mentions": ["Islam Berov", "Berov"]}
    assert events_gold.entity_pair_weight(gold, {"name": "Islam Berov", "mentions": []}) > 0
    assert events_gold.entity_pair_weight(gold, {"name": "X", "mentions": [{"text": "Berov"}]}) > 0
    assert events_gold.entity_pair_weight(gold, {"name": "Nalchik", "mentions": [{"text": "Nalchik"}]}) == 0
    assert events_gold.id_ok("RUS", {"id": "RUS"}, lenient=False)
    assert events_gold.id_ok("Q2429253", {"id": "org:is", "wikidata": "Q2429253"}, lenient=False)
    assert not events_gold.id_ok("RUS", {"id": "RUS/GOV"}, lenient=False)
    assert events_gold.id_ok("RUS", {"id": "RUS/GOV"}, lenient=True)
    assert events_gold.scored_entities(
        {"entities": [{"kind": "generic"}, {"kind": "person", "type": "PERSON"}]}
    ) == [{"kind": "person", "type": "PERSON"}]


def test_plover_questionable_records() -> None:
    recs = [
        {"id": "PLOVER-GSR01-SANCTION-0010", "event": "FIGHT"},
        {"id": "PLOVER-GSR01-AGREE-0001", "event": "AGREE"},
    ]
    odd = plover_gsr.questionable_records(recs)
    assert [q["id"] for q in odd] == ["PLOVER-GSR01-SANCTION-0010"]
