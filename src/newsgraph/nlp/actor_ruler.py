"""The actor EntityRuler, matching its token patterns with phrase matchers.

spaCy's token ``Matcher`` tries every pattern at every token, so the actor
dictionary's ~3,500 patterns cost more than the whole statistical model. The
dictionary's patterns are plain word sequences on one attribute (``LOWER`` or
``ORTH``), which a ``PhraseMatcher`` finds with a hash lookup per token. The
matches, and therefore the entities, are exactly those of the stock ruler:
the same (label, start, end) set, resolved longest-first in the same order.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc

_PHRASE_ATTRS = ("LOWER", "ORTH")


class ActorRuler(EntityRuler):
    """An EntityRuler whose single-attribute word patterns go to phrase matchers."""

    def __init__(self, nlp: Language, name: str, **config: Any) -> None:
        super().__init__(nlp, name, phrase_matcher_attr="LOWER", **config)
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH", validate=self._validate)

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        """Word-sequence patterns become phrase patterns; anything else goes to the stock ruler."""
        rest: list[dict[str, Any]] = []
        for entry in patterns:
            attr = _phrase_attr(entry["pattern"])
            if attr is None:
                rest.append(entry)
                continue
            words = [token[attr] for token in entry["pattern"]]
            doc = Doc(self.nlp.vocab, words=words)
            label = entry["label"]
            if "id" in entry:
                ent_label = label
                label = self._create_label(label, entry["id"])
                self._ent_ids[self.matcher._normalize_key(label)] = (ent_label, entry["id"])
            self.phrase_patterns[label].append(doc)
            matcher = self.phrase_matcher if attr == "LOWER" else self.orth_matcher
            matcher.add(label, [doc])
        if rest:
            super().add_patterns(rest)

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        self._require_patterns()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="\\[W036")
            matches = [*self.matcher(doc), *self.phrase_matcher(doc), *self.orth_matcher(doc)]
        final = {(m_id, start, end) for m_id, start, end in matches if start != end}
        return sorted(final, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)


def _phrase_attr(pattern: Any) -> str | None:
    """``LOWER`` or ``ORTH`` when every token of the pattern is ``{attr: literal string}``."""
    if not isinstance(pattern, list) or not pattern:
        return None
    attrs = set()
    for token in pattern:
        if not isinstance(token, dict) or len(token) != 1:
            return None
        ((key, value),) = token.items()
        if key not in _PHRASE_ATTRS or not isinstance(value, str) or not value:
            return None
        if key == "LOWER" and value != value.lower():
            return None
        attrs.add(key)
    return attrs.pop() if len(attrs) == 1 else None


@Language.factory(
    "newsgraph_actor_ruler",
    default_config={"overwrite_ents": False, "validate": False, "ent_id_sep": "||"},
)
def make_actor_ruler(
    nlp: Language, name: str, overwrite_ents: bool, validate: bool, ent_id_sep: str
) -> ActorRuler:
    return ActorRuler(nlp, name, overwrite_ents=overwrite_ents, validate=validate, ent_id_sep=ent_id_sep)
