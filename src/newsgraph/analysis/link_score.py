"""Do two event mentions report the same occurrence? Rules, weights and the threshold.

Two kinds of evidence. A *conflict* (different type, country, town, or dates that
cannot overlap) vetoes a pair outright, and also keeps two clusters apart when any
of their members conflict, so chains of weak links cannot join a Nazran attack to a
Karabulak one. Everything else adds to or subtracts from a score; a pair links when
the score reaches the threshold *and* at least `min_agreements` independent fields
agree, so one shared date or one shared town alone never links. The weights were
set by hand on the demo corpus and benchmarks/data/linking/articles.jsonl, and checked
on a held-out set (docs/linking.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import Any

from newsgraph.analysis.link_features import EventFeatures, Place

VERBAL_TYPES = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "SANCTION",
    }
)
"""Types whose participants define the occurrence: a meeting with another counterpart is
another meeting, while an attack's victims are often listed differently by each report."""


@dataclass(frozen=True)
class LinkConfig:
    """The knobs of linking; a run with other knobs than the last one rescores everything."""

    threshold: float = 0.55
    """Score at which two dated mentions link."""
    undated_threshold: float = 0.8
    """Score needed when one mention has no date: only very strong other evidence links it."""
    min_agreements: int = 2
    """Independent fields (date, place, actors, casualties, wording) that must agree."""
    day_tolerance: int = 0
    """Days two day-precision dates may differ by (0: the same day)."""
    type_groups: tuple[tuple[str, ...], ...] = ()
    """Extra sets of PLOVER types that may link with each other (a type always links with itself)."""
    unplaced_margin: float = 0.10
    """Added to the threshold when one mention has no place its partner's evidence confirms."""
    w_mode: float = 0.10
    p_mode: float = 0.15
    related_modes: tuple[frozenset[str], ...] = (
        frozenset({"firearms", "abduct", "targeted"}),
        frozenset({"explosives", "suicide-attack", "unconventional"}),
        frozenset({"drone", "aerial", "heavy-weapons"}),
    )
    """Modes two reports of one attack often disagree on (a siege is shooting and hostages)."""
    w_date: tuple[tuple[int, float], ...] = ((1, 0.35), (8, 0.25), (31, 0.18), (92, 0.12), (366, 0.08))
    """(widest range in days, bonus): the narrower the shared dates, the stronger the sign."""
    w_date_wide: float = 0.03
    w_published_near: float = 0.10
    published_window: int = 14
    """An undated mention in an article published this many days after a dated one gets a hint."""
    w_place: dict[str, float] = field(
        default_factory=lambda: {
            "same-point": 0.30,
            "same-area": 0.15,
            "inside": 0.12,
            "same-country": 0.03,
            "country": 0.03,
            "area-unrelated": -0.10,
            "in-text": 0.20,
            "not-in-text": -0.10,
        }
    )
    """Bonus (or penalty) per place relation; in-text / not-in-text: one mention has no
    place and its evidence does / does not name its partner's place."""
    w_actors: float = 0.20
    """For a shared person or organisation; half of it for shared states only."""
    p_actors_disjoint: float = 0.25
    p_actors_extra: float = 0.30
    """A verbal event (meeting, agreement) whose reports each name a state the other lacks."""
    w_casualty: float = 0.08
    w_casualty_exact: float = 0.10
    p_casualty: float = 0.10
    casualty_abs_tol: int = 1
    casualty_rel_tol: float = 0.2
    w_text: float = 0.20
    text_agreement: float = 0.35
    """Token overlap (Jaccard) from which the wording counts as an agreeing field."""
    p_hypothetical: float = 0.20

    def as_json(self) -> dict[str, Any]:
        """The knobs as plain JSON values, sets sorted, so a store can tell whether they changed."""
        return {k: _plain(v) for k, v in asdict(self).items()}


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    return value


@dataclass(frozen=True)
class PairScore:
    """The outcome for one pair: its score, whether it links, and why."""

    score: float
    linked: bool
    conflict: str | None = None
    agreed: tuple[str, ...] = ()
    disagreed: tuple[str, ...] = ()
    text: float = 0.0

    def reasons(self) -> dict[str, Any]:
        return {"agreed": list(self.agreed), "disagreed": list(self.disagreed), "text": round(self.text, 3)}


def type_group(event_type: str, cfg: LinkConfig) -> str:
    """The blocking key of a type: itself, or the first type of a configured group."""
    for group in cfg.type_groups:
        if event_type in group:
            return group[0]
    return event_type


def _overlap(a: EventFeatures, b: EventFeatures, tol: int) -> bool:
    assert a.start and a.end and b.start and b.end
    return (a.start - b.end).days <= tol and (b.start - a.end).days <= tol


def place_relation(p: Place | None, q: Place | None) -> str:
    """How two places relate: same-point, same-area, inside, country, area-unrelated,
    unknown (one missing) or conflict (two towns, or countries, that differ)."""
    if p is None or q is None:
        return "unknown"
    if p.country and q.country and p.country != q.country:
        return "conflict"
    if p.name == q.name or (p.geonameid is not None and p.geonameid == q.geonameid):
        if p.point or q.point:
            return "same-point"
        return "same-country" if p.country_level or q.country_level else "same-area"
    if p.point and q.point:
        return "conflict"
    if p.country_level or q.country_level:
        return "country"
    if p.point or q.point:
        point, area = (p, q) if p.point else (q, p)
        return "inside" if _same_admin1(point.admin1, area.name) else "area-unrelated"
    return "area-unrelated"


def _same_admin1(admin1: str | None, area: str) -> bool:
    """'north ossetia' is 'north ossetia alania': gazetteers spell subdivisions with and
    without their official suffixes, so one name's words inside the other's is a match."""
    if not admin1:
        return False
    a, b = set(admin1.split()), set(area.split())
    return a <= b or b <= a


def conflict(a: EventFeatures, b: EventFeatures, cfg: LinkConfig) -> str | None:
    """A contradiction no amount of other agreement outweighs, or None."""
    if type_group(a.type, cfg) != type_group(b.type, cfg):
        return "type"
    if a.country and b.country and a.country != b.country:
        return "country"
    if a.dated and b.dated and not _overlap(a, b, cfg.day_tolerance):
        return "date"
    if place_relation(a.place, b.place) == "conflict":
        return "place"
    return None


def _date_bonus(a: EventFeatures, b: EventFeatures, cfg: LinkConfig) -> tuple[float, str | None]:
    assert a.start and a.end and b.start and b.end
    width = max((a.end - a.start).days, (b.end - b.start).days) + 1
    for days, bonus in cfg.w_date:
        if width <= days:
            return bonus, f"date:{days}d"
    return cfg.w_date_wide, None


def _published_near(undated: EventFeatures, dated: EventFeatures, cfg: LinkConfig) -> bool:
    if undated.published is None or undated.historical:
        return False
    assert dated.start and dated.end
    lag = (undated.published - dated.end).days
    return (undated.published - dated.start).days >= 0 and lag <= cfg.published_window


def casualty_relation(
    x: tuple[int, int | None] | None, y: tuple[int, int | None] | None, cfg: LinkConfig
) -> str:
    """exact, close, differ or unknown: ranges widened by a tolerance must overlap."""
    if x is None or y is None:
        return "unknown"
    if (x[0] == 0) != (y[0] == 0) and (x[1] == 0 or y[1] == 0):
        return "differ"
    if x[1] == x[0] and y[1] == y[0] and x[0] == y[0]:
        return "exact"
    tol = max(cfg.casualty_abs_tol, round(cfg.casualty_rel_tol * max(x[0], y[0])))
    x_hi = float("inf") if x[1] is None else x[1]
    y_hi = float("inf") if y[1] is None else y[1]
    return "close" if x[0] - tol <= y_hi and y[0] - tol <= x_hi else "differ"


def jaccard(a: Collection[str], b: Collection[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(set(a).intersection(b))
    return shared / (len(a) + len(b) - shared)


def score_pair(a: EventFeatures, b: EventFeatures, cfg: LinkConfig) -> PairScore:
    """The score of one pair and whether it links (see the module docstring)."""
    veto = conflict(a, b, cfg)
    if veto is not None:
        return PairScore(0.0, False, conflict=veto)
    score = 0.0
    agreed: list[str] = ["type"]
    disagreed: list[str] = []
    fields = 0
    if a.mode and b.mode:
        if a.mode == b.mode:
            score += cfg.w_mode
            agreed.append("mode")
        elif not any(a.mode in g and b.mode in g for g in cfg.related_modes):
            score -= cfg.p_mode
            disagreed.append("mode")
    if a.dated and b.dated:
        bonus, label = _date_bonus(a, b, cfg)
        score += bonus
        if label:
            agreed.append(label)
            fields += 1
    elif a.dated != b.dated:
        undated, dated = (b, a) if a.dated else (a, b)
        if _published_near(undated, dated, cfg):
            score += cfg.w_published_near
            agreed.append("date:published-near")
    rel = place_relation(a.place, b.place)
    if rel == "unknown" and (a.place is None) != (b.place is None):
        placed, bare = (a, b) if a.place is not None else (b, a)
        assert placed.place is not None
        rel = "in-text" if placed.place.words and placed.place.words.issubset(bare.tokens) else "not-in-text"
    if rel in cfg.w_place:
        score += cfg.w_place[rel]
        if cfg.w_place[rel] > 0:
            agreed.append(f"place:{rel}")
            fields += rel in ("same-point", "same-area", "inside", "in-text")
        else:
            disagreed.append(f"place:{rel}")
    score, fields = _actors(a, b, cfg, score, fields, agreed, disagreed)
    for name, x, y in (("killed", a.killed, b.killed), ("injured", a.injured, b.injured)):
        figures = casualty_relation(x, y, cfg)
        if figures in ("exact", "close"):
            score += cfg.w_casualty + (cfg.w_casualty_exact if figures == "exact" else 0.0)
            agreed.append(f"{name}:{figures}")
        elif figures == "differ":
            score -= cfg.p_casualty
            disagreed.append(name)
    if any(x.startswith(("killed", "injured")) for x in agreed):
        fields += 1
    text = jaccard(a.tokens, b.tokens)
    score += cfg.w_text * text
    if text >= cfg.text_agreement:
        agreed.append("text")
        fields += 1
    if a.hypothetical != b.hypothetical:
        score -= cfg.p_hypothetical
        disagreed.append("hypothetical")
    threshold = cfg.threshold if a.dated and b.dated else cfg.undated_threshold
    if a.dated and b.dated and rel in ("unknown", "not-in-text"):
        threshold += cfg.unplaced_margin
    linked = score >= threshold and fields >= cfg.min_agreements
    return PairScore(round(score, 4), linked, None, tuple(agreed), tuple(disagreed), text)


def _actors(
    a: EventFeatures,
    b: EventFeatures,
    cfg: LinkConfig,
    score: float,
    fields: int,
    agreed: list[str],
    disagreed: list[str],
) -> tuple[float, int]:
    """Shared people or organisations are strong evidence, shared states weak; reports that
    share nothing, or a meeting whose reports each name another state, are evidence against."""
    if not a.actors or not b.actors:
        return score, fields
    states_a = {k for k in a.actors if k.startswith("s:")}
    states_b = {k for k in b.actors if k.startswith("s:")}
    named = (a.actors - states_a) & (b.actors - states_b)
    states = states_a & states_b
    verbal = a.type in VERBAL_TYPES
    if not named and not states:
        disagreed.append("actors")
        return score - cfg.p_actors_disjoint, fields
    if named:
        score += cfg.w_actors
        agreed.append("actors")
        fields += 1
    else:
        score += cfg.w_actors / 2
        agreed.append("actors:states")
        fields += verbal and len(states) >= 2
    if verbal and states_a - states_b and states_b - states_a:
        score -= cfg.p_actors_extra
        disagreed.append("actors:other-states")
    return score, fields
