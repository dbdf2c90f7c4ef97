"""Blocking may leave out only pairs that could never link: checked against every pair."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.analysis.link_blocking import blocking_interval, candidate_pairs, iter_candidate_pairs
from newsgraph.analysis.link_features import EventFeatures, evidence_tokens, make_place
from newsgraph.analysis.link_score import LinkConfig, score_pair

CFG = LinkConfig()
LAX = LinkConfig(threshold=0.1, undated_threshold=0.1, p_actors_disjoint=0.0, unplaced_margin=0.0)
"""Blocking must hold for any knobs: with these, two agreeing fields are enough to link."""
PLACES = [
    None,
    ("Makhachkala", "RUS", "Dagestan", 532096),
    ("Derbent", "RUS", "Dagestan", 566532),
    ("Mahachkala", "RUS", "Dagestan", 532096),
    ("Dagestan", "RUS", None, None),
    ("Russia", "RUS", None, 2017370),
    ("Tbilisi", "GEO", "Tbilisi", 611717),
]
TEXTS = [
    "a bomb exploded at the bus station in Makhachkala killing five",
    "a bomb exploded at the bus station",
    "gunmen opened fire on a police post in Derbent",
    "the explosion near the station in Makhachkala killed five people",
    "talks between the two ministers ended in Tbilisi",
    "police said the attackers fled",
]
DAYS = [None, "2024-03-15", "2024-03-16", "2024-12-31", "2025-01-01"]


@st.composite
def events(draw: st.DrawFn) -> list[EventFeatures]:
    out = []
    for n in range(draw(st.integers(2, 14))):
        place = draw(st.sampled_from(PLACES))
        start = draw(st.sampled_from(DAYS))
        wide = start is not None and draw(st.booleans())
        killed = draw(st.sampled_from([None, 5, 6, 0]))
        out.append(
            EventFeatures(
                event_id=f"e{n:02d}",
                doc_id=f"d{draw(st.integers(0, 4))}",
                type=draw(st.sampled_from(["ASSAULT", "ASSAULT", "CONSULT"])),
                mode=draw(st.sampled_from([None, "explosives", "firearms"])),
                start=None if start is None else dt.date.fromisoformat(start),
                end=None if start is None else dt.date.fromisoformat("2024-12-31" if wide else start),
                precision=None if start is None else ("year" if wide else "day"),
                published=dt.date(2024, 3, draw(st.integers(15, 20))),
                place=make_place(*place) if place else None,
                country=place[1] if place else draw(st.sampled_from([None, "RUS"])),
                killed=None if killed is None else (killed, killed),
                injured=None,
                actors=frozenset(draw(st.sets(st.sampled_from(["n:org:q1", "n:person:ali", "s:RUS"])))),
                tokens=evidence_tokens(draw(st.sampled_from(TEXTS))),
                negated=False,
                hypothetical=False,
                historical=False,
            )
        )
    return out


def _may_pair(a: EventFeatures, b: EventFeatures) -> bool:
    """The documented blocking rules, pair by pair: same type, compatible countries, date ranges
    (an undated event's: the 400 days before publication) that overlap within twelve years."""
    ia, ib = blocking_interval(a), blocking_interval(b)
    if ia is None or ib is None or a.type != b.type or a.negated or b.negated:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    return ia[0] <= ib[1] and ib[0] <= ia[1] and max(ia[0].year, ib[0].year) <= min(ia[1].year, ib[1].year)


@settings(max_examples=400, deadline=None)
@given(events(), st.sets(st.integers(0, 13), max_size=3), st.sampled_from([CFG, LAX]))
def test_every_pair_that_links_is_a_candidate(
    feats: list[EventFeatures], dirty_idx: set[int], cfg: LinkConfig
) -> None:
    by_id = {f.event_id: f for f in feats}
    allowed = {(a.event_id, b.event_id) for a, b in itertools.combinations(feats, 2) if _may_pair(a, b)}
    linking = {p for p in allowed if score_pair(by_id[p[0]], by_id[p[1]], cfg).linked}
    both_dated = {p for p in allowed if by_id[p[0]].dated and by_id[p[1]].dated}
    pairs = list(iter_candidate_pairs(feats, cfg))
    assert not [p for p, n in Counter(pairs).items() if n > 1], "a pair is given twice"
    assert set(pairs) <= allowed
    assert linking | both_dated <= set(pairs)
    dirty = {f"e{i:02d}" for i in dirty_idx}
    touching = {p for p in linking | both_dated if dirty & set(p)}
    assert touching <= candidate_pairs(feats, cfg, dirty)
    assert all(dirty & set(p) for p in candidate_pairs(feats, cfg, dirty))


Place = tuple[str, str, str | None, int | None]


def _undated(event_id: str, text: str, place: Place | None) -> EventFeatures:
    return EventFeatures(
        event_id=event_id,
        doc_id=f"doc-{event_id}",
        type="ASSAULT",
        mode="explosives",
        start=None,
        end=None,
        precision=None,
        published=dt.date(2024, 3, 16),
        place=make_place(*place) if place else None,
        country=None if place is None else place[1],
        killed=(5, 5),
        injured=None,
        actors=frozenset(),
        tokens=evidence_tokens(text),
        negated=False,
        hypothetical=False,
        historical=False,
    )


def test_undated_events_that_share_nothing_are_not_compared() -> None:
    """Two undated reports in one country meet in the same 400 days; without a shared place,
    actor or wording they could never link, so they are not even scored."""
    a = _undated("a", "a bomb exploded at the bus station", PLACES[1])
    b = _undated("b", "gunmen opened fire on a police post", PLACES[2])
    c = _undated("c", "an explosion at the bus station in Makhachkala", None)
    assert candidate_pairs([a, b, c], CFG) == {("a", "c")}
