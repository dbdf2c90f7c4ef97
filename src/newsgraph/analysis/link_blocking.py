"""Candidate pairs for linking, without comparing every event with every other.

Events are blocked by (type group, year) and then by country (an event without a
country meets every country of its block); inside a block a sweep over date
ranges pairs only events whose ranges can overlap. An undated event is placed in
the 400 days before its article's publication, since news reports recent things;
an event with neither a date nor a publication date, a range over twelve years
("in the 2010s" is fine, "since 1990" is not), or a negation is never a candidate
for an automatic link (a user can still merge it).

An undated event's 400 days meet most of its block, so pairs with an undated event
are also required to share an *anchor*: something without which the pair cannot
reach the two agreeing fields a link needs besides the date (see link_score): a
named actor, a place (name, GeoNames id, an admin1 word, or a place named in the
other's evidence), or enough wording for the text field (found by prefix filtering
on the tokens, rarest first). Every pair that could link is still a candidate; only
pairs that could not are left out, which keeps blocking near-linear in dense corpora.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence

from newsgraph.analysis.link_features import EventFeatures
from newsgraph.analysis.link_score import LinkConfig, type_group

UNDATED_LOOKBACK = dt.timedelta(days=400)
MAX_YEARS = 12

Interval = tuple[dt.date, dt.date]
Item = tuple[Interval, EventFeatures]


def blocking_interval(f: EventFeatures) -> Interval | None:
    """The dates an event may have happened on, for blocking; None keeps it out."""
    if f.start is not None and f.end is not None:
        return f.start, f.end
    if f.published is not None:
        return f.published - UNDATED_LOOKBACK, f.published + dt.timedelta(days=1)
    return None


def candidate_pairs(
    features: Iterable[EventFeatures], cfg: LinkConfig, dirty: set[str] | None = None
) -> set[tuple[str, str]]:
    """Pairs (lower id, higher id) worth scoring; with `dirty`, only pairs touching it."""
    return set(iter_candidate_pairs(features, cfg, dirty))


def iter_candidate_pairs(
    features: Iterable[EventFeatures], cfg: LinkConfig, dirty: set[str] | None = None
) -> Iterator[tuple[str, str]]:
    """The same pairs, each once, without holding them all: a dense corpus has millions."""
    items: list[Item] = []
    for f in features:
        iv = None if f.negated else blocking_interval(f)
        if iv is not None and iv[1].year - iv[0].year < MAX_YEARS:
            items.append((iv, f))
    yield from _dated_pairs([item for item in items if _dated(item[1])], cfg, dirty)
    yield from _undated_pairs(items, cfg, dirty)


def _dated(f: EventFeatures) -> bool:
    return f.start is not None and f.end is not None


def _dated_pairs(items: Sequence[Item], cfg: LinkConfig, dirty: set[str] | None) -> Iterator[tuple[str, str]]:
    """Pairs of dated events: same block, same or unknown country, overlapping dates. A pair
    whose ranges share several years is met in each of their blocks and given in the first."""
    blocks: dict[tuple[str, int], list[Item]] = defaultdict(list)
    for iv, f in items:
        for year in range(iv[0].year, iv[1].year + 1):
            blocks[(type_group(f.type, cfg), year)].append((iv, f))
    for (_, year), block in blocks.items():
        if dirty is not None and not any(f.event_id in dirty for _, f in block):
            continue
        by_country: dict[str | None, list[Item]] = defaultdict(list)
        for item in block:
            by_country[item[1].country].append(item)
        anywhere = by_country.pop(None, [])
        sweeps = [(group + anywhere, True) for group in by_country.values()] + [(anywhere, False)]
        for group, skip_both_unplaced in sweeps:
            for iv, jv, pair in _sweep(group, cfg.day_tolerance, dirty, skip_both_unplaced):
                if max(iv[0].year, jv[0].year) == year:
                    yield pair


def _sweep(
    items: Sequence[Item],
    tol: int,
    dirty: set[str] | None,
    skip_both_unplaced: bool,
) -> Iterator[tuple[Interval, Interval, tuple[str, str]]]:
    """Pairs whose intervals overlap (within `tol` days), by a sweep over start dates."""
    slack = dt.timedelta(days=tol)
    active: list[Item] = []
    for iv, f in sorted(items, key=lambda t: (t[0][0], t[1].event_id)):
        active = [a for a in active if a[0][1] + slack >= iv[0]]
        for jv, g in active:
            if skip_both_unplaced and f.country is None and g.country is None:
                continue
            if dirty is not None and f.event_id not in dirty and g.event_id not in dirty:
                continue
            if f.event_id != g.event_id:
                pair = (f.event_id, g.event_id) if f.event_id < g.event_id else (g.event_id, f.event_id)
                yield iv, jv, pair
        active.append((iv, f))


def _undated_pairs(
    items: Sequence[Item], cfg: LinkConfig, dirty: set[str] | None
) -> Iterator[tuple[str, str]]:
    """Pairs with at least one undated event that share an anchor and would share a block."""
    dated = [_dated(f) for _, f in items]
    undated = [i for i, is_dated in enumerate(dated) if not is_dated]
    if not undated:
        return
    rank = _token_rank(f for _, f in items)
    groups = [type_group(f.type, cfg) for _, f in items]
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    # kept for the undated events only (they are the ones that look up), as tuples of shared key
    # strings: a set of fresh strings per event held ~3 KB each at 150,000 events
    anchors: dict[int, tuple[str, ...]] = {}
    shared: dict[str, str] = {}
    for i, (_, f) in enumerate(items):
        keys = tuple(shared.setdefault(k, k) for k in _anchors(f, rank, cfg.text_agreement))
        for key in keys:
            index[(groups[i], key)].append(i)
        if not dated[i]:
            anchors[i] = keys
    # "in-text": one event has a place, the other none but names it in its evidence
    place_word: dict[int, str] = {}
    placed_by_word: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, f) in enumerate(items):
        if f.place is not None and f.place.words:
            place_word[i] = min(f.place.words)
            placed_by_word[(groups[i], place_word[i])].append(i)
    words = {w for _, w in placed_by_word}
    bare_by_word: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (_, f) in enumerate(items):
        if f.place is None:
            for word in words.intersection(f.tokens):
                bare_by_word[(groups[i], word)].append(i)
    tol = dt.timedelta(days=cfg.day_tolerance)
    for i in undated:
        iv, f = items[i]
        group = groups[i]
        near: set[int] = set()
        for key in anchors[i]:
            near.update(index.get((group, _partner(key)), ()))
        if f.place is None:
            for word in words.intersection(f.tokens):
                near.update(placed_by_word.get((group, word), ()))
        elif i in place_word:
            near.update(bare_by_word.get((group, place_word[i]), ()))
        near.discard(i)
        for j in near:
            if j < i and not dated[j]:
                continue  # two undated events: given once, from the first
            jv, g = items[j]
            if f.country and g.country and f.country != g.country:
                continue
            if dirty is not None and f.event_id not in dirty and g.event_id not in dirty:
                continue
            if iv[0] > jv[1] + tol or jv[0] > iv[1] + tol:
                continue
            if max(iv[0].year, jv[0].year) > min(iv[1].year, jv[1].year) or g.event_id == f.event_id:
                continue
            yield (f.event_id, g.event_id) if f.event_id < g.event_id else (g.event_id, f.event_id)


def _token_rank(features: Iterable[EventFeatures]) -> dict[str, tuple[int, str]]:
    """A global order of tokens, rarest first, for prefix filtering."""
    counts: Counter[str] = Counter()
    for f in features:
        counts.update(f.tokens)
    return {tok: (n, tok) for tok, n in counts.items()}


def _partner(key: str) -> str:
    """The key another event must have to share this anchor: a town's admin1 word is met by
    an area's name word and the other way round; every other key by itself."""
    if key.startswith("wp:"):
        return "wa:" + key[3:]
    if key.startswith("wa:"):
        return "wp:" + key[3:]
    return key


def _anchors(f: EventFeatures, rank: dict[str, tuple[int, str]], text_agreement: float) -> set[str]:
    """Keys two events must share to agree on a named actor, a place or their wording."""
    keys = {k for k in f.actors if k.startswith("n:")}
    p = f.place
    if p is not None:
        keys.add(f"p:{p.name}")
        if p.geonameid is not None:
            keys.add(f"g:{p.geonameid}")
        # "inside": a town's admin1 and an area's name share a word (points meet areas only)
        if p.point and p.admin1:
            keys.update(f"wp:{w}" for w in p.admin1.split())
        elif not p.point and not p.country_level:
            keys.update(f"wa:{w}" for w in p.name.split())
    if f.tokens:
        # two sets with Jaccard >= t share a token within each one's prefix of this length
        overlap = max(1, math.ceil(text_agreement * len(f.tokens) - 1e-9))
        prefix = sorted(f.tokens, key=lambda t: rank.get(t, (0, t)))[: len(f.tokens) - overlap + 1]
        keys.update(f"t:{t}" for t in prefix)
    return keys
