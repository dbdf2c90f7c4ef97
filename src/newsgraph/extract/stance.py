"""Stance: how a source or speaker stands toward each actor it acts on or talks about.

For interaction events the PLOVER conflict-cooperation score of the event says
it (a threat is hostile, aid is friendly), scaled to [-1, 1] and damped when
the event is hypothetical or negated. For quotes, the actors named inside the
quoted words are the targets and a small lexicon of hostile and friendly
words gives the score; it is a cue-counting estimate, and says so in `rule`.
"""

from __future__ import annotations

import re
from typing import Any

from newsgraph.models import Entity

HOSTILE_WORDS = frozenset(
    """
    aggression aggressor aggressive attack attacks enemy enemies hostile hostility threat threats threaten
    threatening irrational propaganda hysteria provocation provocations provocative condemn condemns
    condemned accuse accuses accused accusation lie lies lying illegal illegitimate occupation occupier
    terrorist terrorists terrorism sabotage destabilize destabilise interference interfere meddling
    unacceptable retaliation retaliate punish punishment sanctions sanction invasion invade violate
    violation violations crime crimes criminal regime brutal hypocrisy hypocritical reckless dangerous
    blackmail pressure coercion escalation escalate warning warn warned adversary betray betrayal
    """.split()
)
FRIENDLY_WORDS = frozenset(
    """
    friend friends friendly friendship ally allies alliance partner partners partnership support supports
    supported cooperation cooperate cooperating cooperative welcome welcomes welcomed brotherly brother
    brothers grateful gratitude thank thanks together trust trusted peace peaceful solidarity dialogue
    constructive mutual respect respected agreement agree agreed strategic help helped assistance aid
    condolences sympathy stability common shared
    """.split()
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
THRESHOLD = 0.15


def label(score: float) -> str:
    if score <= -THRESHOLD:
        return "hostile"
    if score >= THRESHOLD:
        return "friendly"
    return "neutral"


def event_stance(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Source -> target stance for an event, from its PLOVER score."""
    intensity = event.get("intensity")
    if intensity is None:
        return []
    score = float(intensity) / 10.0
    if event.get("negated"):
        score = 0.0
    elif event.get("hypothetical"):
        score *= 0.5
    out = []
    for source in event.get("source_actors") or []:
        for target in event.get("target_actors") or []:
            if source != target:
                out.append(
                    {
                        "source": source,
                        "target": target,
                        "label": label(score),
                        "score": round(score, 3),
                        "rule": "plover:intensity",
                    }
                )
    return out


def quote_stance(quote: dict[str, Any], text: str, entities: list[Entity]) -> list[dict[str, Any]]:
    """Speaker -> actor stance for each actor named inside a quote, from hostile/friendly cue words."""
    speaker = quote.get("speaker")
    if not speaker:
        return []
    start, end = int(quote["start"]), int(quote["end"])
    words = [w.lower() for w in _WORD.findall(text[start:end])]
    hostile = sum(w in HOSTILE_WORDS for w in words)
    friendly = sum(w in FRIENDLY_WORDS for w in words)
    score = (friendly - hostile) / (friendly + hostile + 1)
    speaker_entity = next((e for e in entities if e.id == speaker), None)
    own_country = speaker_entity.country if speaker_entity is not None else None
    targets = []
    for entity in entities:
        if entity.id == speaker or entity.kind in ("demonym", "generic", "place"):
            continue
        if own_country and (
            entity.id == own_country or (entity.country == own_country and entity.kind != "person")
        ):
            continue
        if any(start <= m.start and m.end <= end for m in entity.mentions):
            targets.append(entity.id)
    return [
        {
            "source": speaker,
            "target": t,
            "label": label(score),
            "score": round(score, 3),
            "rule": "lexicon:cue-words",
        }
        for t in targets
    ]
