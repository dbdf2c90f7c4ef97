"""Stance aggregated per ordered pair of actors, over events and quotes."""

from __future__ import annotations

from typing import Any

from newsgraph.store.db import Store

_STANCE_TYPE = '[{"source": "VARCHAR", "target": "VARCHAR", "label": "VARCHAR", "score": "DOUBLE"}]'


def stance_pairs(
    store: Store, *, actor: str | None = None, min_items: int = 1, limit: int = 200
) -> list[dict[str, Any]]:
    """How each source stands toward each target: mean score in [-1, 1] and counts by label.

    Both the interaction events (their PLOVER score) and the quotes (cue words) count;
    rejected events are left out and merged entities are followed.
    """
    sql = f"""
        WITH items AS (
            SELECT s.source, s.target, s.label, s.score, 'event' AS origin
            FROM events_current e, unnest(from_json(e.data -> 'stance', '{_STANCE_TYPE}')) AS t(s)
            UNION ALL
            SELECT s.source, s.target, s.label, s.score, 'quote' AS origin
            FROM quotes q, unnest(from_json(q.data -> 'stance', '{_STANCE_TYPE}')) AS t(s)
        ),
        merged AS (
            SELECT coalesce(ms.canonical_id, i.source) AS source,
                   coalesce(mt.canonical_id, i.target) AS target, i.label, i.score, i.origin
            FROM items i
            LEFT JOIN entity_merges ms ON ms.entity_id = i.source
            LEFT JOIN entity_merges mt ON mt.entity_id = i.target
        )
        SELECT m.source, es.name AS source_name, m.target, et.name AS target_name,
               count(*) AS items, round(avg(m.score), 3) AS mean_score,
               count(*) FILTER (WHERE m.label = 'hostile') AS hostile,
               count(*) FILTER (WHERE m.label = 'neutral') AS neutral,
               count(*) FILTER (WHERE m.label = 'friendly') AS friendly,
               count(*) FILTER (WHERE m.origin = 'event') AS from_events,
               count(*) FILTER (WHERE m.origin = 'quote') AS from_quotes
        FROM merged m
        LEFT JOIN entities es ON es.entity_id = m.source
        LEFT JOIN entities et ON et.entity_id = m.target
        WHERE (? IS NULL OR m.source = ? OR m.target = ?)
        GROUP BY ALL HAVING count(*) >= ?
        ORDER BY items DESC, mean_score LIMIT ?"""
    return store.query(sql, [actor, actor, actor, min_items, limit])
