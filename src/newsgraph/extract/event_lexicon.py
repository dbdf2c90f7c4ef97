"""The event vocabulary (package data): trigger words, weapons, physical targets, PLOVER scores."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class EventLexicon:
    verbs: dict[str, dict[str, Any]]
    nouns: dict[str, dict[str, Any]]
    weapons: dict[str, str | None]
    physical_targets: frozenset[str]
    quad_class: dict[str, str]
    intensity: dict[str, float]

    def score(self, event_type: str, mode: str | None) -> float | None:
        """PLOVER conflict-cooperation score for the type and mode (the manual's Table 2.2)."""
        if mode and f"{event_type}:{mode}" in self.intensity:
            return self.intensity[f"{event_type}:{mode}"]
        return self.intensity.get(event_type)


def _read(name: str) -> Any:
    return yaml.safe_load(resources.files("newsgraph.resources").joinpath(name).read_text("utf-8"))


@functools.lru_cache(maxsize=1)
def load_event_lexicon() -> EventLexicon:
    triggers = _read("event_triggers.yaml")
    plover = _read("plover.yaml")
    return EventLexicon(
        verbs={str(k).lower(): dict(v) for k, v in triggers["verbs"].items()},
        nouns={str(k).lower(): dict(v) for k, v in triggers["nouns"].items()},
        weapons={str(k).lower(): (str(v) if v else None) for k, v in triggers["weapons"].items()},
        physical_targets=frozenset(str(w).lower() for w in triggers["physical_targets"]),
        quad_class=dict(plover["quad_class"]),
        intensity={str(k): float(v) for k, v in plover["intensity"].items()},
    )
