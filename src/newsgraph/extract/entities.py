"""Entity spans from the spaCy Doc -> canonical entities with every mention.

The model's labels are a first guess; the actor dictionary decides identity
(ISO-3 or Wikidata id) wherever it knows the name, and names it does not know
become document-level entities keyed by type and normalised name, so the same
person gets the same id in every article.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from newsgraph.models import Entity, Mention
from newsgraph.resources.actors import Actor, ActorDictionary

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
KIND_BY_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "FAC": "facility",
}
RULER_CONFIDENCE = 0.95
"""The dictionary matched the exact alias: wrong only for an ambiguous string."""
NER_CONFIDENCE = 0.75
"""About the small model's entity F1 (0.84) less a margin for news outside its training genres."""
RESOLVED_BONUS = 0.1

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:['’]s?|\s+)$")


@dataclass
class _Found:
    key: str
    label: str
    actor: Actor | None
    demonym_of: Actor | None
    mention: Mention


def slug(text: str) -> str:
    """ASCII slug used in ids of entities the dictionary does not know."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "x"


def sentence_starts(doc: Doc) -> list[int]:
    return [sent.start_char for sent in doc.sents]


def collect_entities(doc: Doc, actors: ActorDictionary, model: str) -> list[Entity]:
    """Canonical entities of one document, in order of first mention."""
    starts = sentence_starts(doc)
    found = [f for ent in doc.ents if (f := _resolve(ent, actors, model, starts)) is not None]
    _merge_person_short_forms(found)
    return _group(found)


def _trim(ent: Span) -> tuple[str, int, int] | None:
    text = ent.text
    start = ent.start_char
    lead = _LEADING.match(text)
    if lead:
        text, start = text[lead.end() :], start + lead.end()
    trail = _TRAILING.search(text)
    if trail and trail.start() > 0:
        text = text[: trail.start()]
    text = text.rstrip(" .,;:")
    if not text or not any(ch.isalpha() for ch in text):
        return None
    return text, start, start + len(text)


def _resolve(ent: Span, actors: ActorDictionary, model: str, starts: list[int]) -> _Found | None:
    if ent.label_ not in ENTITY_LABELS:
        return None
    trimmed = _trim(ent)
    if trimmed is None:
        return None
    surface, start, end = trimmed
    sentence = max(bisect_right(starts, start) - 1, 0)
    actor: Actor | None = None
    demonym_of: Actor | None = None
    if ent.ent_id_:
        rule, confidence = "ruler:actors", RULER_CONFIDENCE
        hit = actors.actors.get(ent.ent_id_)
        if ent.label_ == "NORP":
            demonym_of = hit
        else:
            actor = hit
    else:
        rule, confidence = f"ner:{model}", NER_CONFIDENCE
        if ent.label_ == "NORP":
            demonym_of = actors.demonym(surface)
        if demonym_of is None:
            claimants = actors.lookup(surface)
            if len(claimants) == 1:
                actor = claimants[0]
                confidence = min(confidence + RESOLVED_BONUS, RULER_CONFIDENCE)
    label = ent.label_
    if actor is not None:
        key = actor.id
        label = actor.type
    elif demonym_of is not None:
        key = f"norp:{slug(surface.rstrip('s') if surface.endswith('ans') else surface)}"
        label = "NORP"
    else:
        if label == "PERSON" and len(surface.split()) > 6:
            return None  # a run-on span, not a name
        key = f"{label.lower()}:{slug(surface)}"
    mention = Mention(
        text=surface, start=start, end=end, sentence=sentence, label=label, rule=rule, confidence=confidence
    )
    return _Found(key=key, label=label, actor=actor, demonym_of=demonym_of, mention=mention)


def _merge_person_short_forms(found: list[_Found]) -> None:
    """Point a one-word person mention ("Beridze") at the one full name ending in it."""
    full_names: dict[str, set[str]] = {}
    for item in found:
        if item.actor is None and item.label == "PERSON":
            tokens = item.mention.text.split()
            if len(tokens) >= 2:
                full_names.setdefault(tokens[-1].casefold(), set()).add(item.key)
    for item in found:
        if item.actor is not None or len(item.mention.text.split()) != 1:
            continue
        if item.label not in {"PERSON", "ORG", "GPE", "NORP"}:
            continue
        owners = full_names.get(item.mention.text.casefold())
        if owners and len(owners) == 1:
            item.key = next(iter(owners))
            item.label = "PERSON"
            item.mention.label = "PERSON"
            item.mention.rule += "+surname"


def _group(found: list[_Found]) -> list[Entity]:
    by_key: dict[str, list[_Found]] = {}
    for item in found:
        by_key.setdefault(item.key, []).append(item)
    entities: list[Entity] = []
    for key, items in by_key.items():
        first = items[0]
        actor = next((i.actor for i in items if i.actor is not None), None)
        mentions = sorted((i.mention for i in items), key=lambda m: m.start)
        if actor is not None:
            entity = Entity(
                id=key,
                name=actor.name,
                type=actor.type,
                kind=actor.kind,
                country=actor.country,
                wikidata=actor.wikidata,
                mentions=mentions,
            )
        else:
            label = Counter(i.label for i in items).most_common(1)[0][0]
            name = max((m.text for m in mentions), key=lambda t: (len(t.split()), len(t)))
            demonym = next((i.demonym_of for i in items if i.demonym_of is not None), None)
            entity = Entity(
                id=key,
                name=name,
                type=label,
                kind="demonym" if demonym is not None else KIND_BY_LABEL.get(label, first.label.lower()),
                country=(demonym.country or demonym.id) if demonym is not None else None,
                mentions=mentions,
            )
        entities.append(entity)
    entities.sort(key=lambda e: e.mentions[0].start)
    return entities
