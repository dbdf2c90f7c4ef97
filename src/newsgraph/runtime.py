"""The loaded resources one process needs: spaCy pipeline, actor dictionary, gazetteer.

Loaded once per process and passed to the pure extraction functions, which is
what lets the same code run in a process pool or on Dask workers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from newsgraph.geo.gazetteer import Gazetteer, load_gazetteer
from newsgraph.nlp.pipeline import get_pipeline, model_name
from newsgraph.process_tuning import settle_after_loading
from newsgraph.resources.actors import ActorDictionary


@dataclass(frozen=True)
class Resources:
    nlp: Language
    actors: ActorDictionary
    gazetteer: Gazetteer

    @functools.cached_property
    def model(self) -> str:
        """The model's name for provenance; cached, since spaCy rebuilds ``nlp.meta`` (every
        component's labels) on each access, which cost 2 ms a document."""
        return model_name(self.nlp.meta)


@functools.lru_cache(maxsize=4)
def _load(actor_files: tuple[str, ...]) -> Resources:
    nlp, actors = get_pipeline(actor_files)
    res = Resources(nlp=nlp, actors=actors, gazetteer=load_gazetteer())
    settle_after_loading()
    return res


def load_resources(actor_files: Sequence[str | Path] = ()) -> Resources:
    """The process-wide resources for these user actor files."""
    return _load(tuple(str(Path(p).resolve()) for p in actor_files))
