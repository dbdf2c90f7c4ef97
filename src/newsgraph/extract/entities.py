"""Entity spans from the spaCy Doc -> canonical entities with every mention.

The model's labels are a first guess. The actor dictionary decides identity
(ISO-3 or Wikidata id) wherever it knows the name; capitals and seats of power
that act stand for their government; unnamed actors ("gunmen", "Iranian
diplomats") come from a noun lexicon; names the dictionary does not know become
entities keyed by type and normalised name, so the same person gets the same id
in every article; a surname alone points to the full name in the same article;
places get coordinates from the gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.generic import find_generic_actors
from newsgraph.extract.metonymy import reads_as_actor
from newsgraph.extract.roles import person_info
from newsgraph.geo.gazetteer import Gazetteer
from newsgraph.models import Entity, Mention
from newsgraph.nlp import doc_cache
from newsgraph.resources.actors import Actor, ActorDictionary

ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
KIND_BY_LABEL = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "FAC": "facility",
}
KIND_BY_SECTOR = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "SPY": "security_service",
    "JUD": "court",
    "LEG": "legislature",
}
SECTOR_NAMES = {
    "GOV": "government",
    "MIL": "military",
    "COP": "police",
    "SPY": "intelligence services",
    "JUD": "judiciary",
    "LEG": "legislature",
}
RULER_CONFIDENCE = 0.95
"""The dictionary matched the exact alias: wrong only for an ambiguous string."""
NER_CONFIDENCE = 0.75
"""About the small model's entity F1 (0.84) less a margin for news outside its training genres."""
RESOLVED_BONUS = 0.1
METONYMY_CONFIDENCE = 0.8
GENERIC_CONFIDENCE = 0.6
ORG_HEAD_WORDS = frozenset(
    [
        "service",
        "ministry",
        "party",
        "group",
        "front",
        "army",
        "agency",
        "council",
        "committee",
        "company",
        "corporation",
        "bank",
        "university",
        "institute",
        "center",
        "centre",
        "court",
        "union",
        "league",
        "brigade",
        "movement",
        "organization",
        "organisation",
        "forces",
        "police",
        "guard",
        "department",
        "office",
        "news",
        "times",
        "post",
        "agency",
    ]
)

NORP_SUFFIXES = ("an", "ans", "ese", "ish", "i", "is", "ist", "ists", "ic", "ite", "ites", "ean", "eans")

_LEADING = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"(?:['’]s?|\s+)$")


@dataclass
class _Found:
    key: str
    label: str
    actor: Actor | None
    demonym_of: Actor | None
    mention: Mention
    span: Span | None = None
    name: str | None = None
    kind: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None


def slug(text: str) -> str:
    """ASCII slug used in ids of entities the dictionary does not know."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "x"


def collect_entities(
    doc: Doc, actors: ActorDictionary, model: str, gazetteer: Gazetteer | None = None
) -> list[Entity]:
    """Canonical entities of one document, in order of first mention."""
    starts = [sent.start_char for sent in doc_cache.sentences(doc)]
    found = [f for ent in doc.ents if (f := _resolve(ent, actors, model, starts)) is not None]
    if gazetteer is not None:
        _places_tagged_org(found, gazetteer)
    for item in found:
        _metonymy(item, actors)
    entity_at = _token_index(found, doc)
    found.extend(_generic(doc, entity_at, actors, starts))
    _majority_labels(found)
    _merge_person_short_forms(found)
    found.extend(_missed_surnames(doc, found, starts))
    entities = _group(found, entity_at)
    if gazetteer is not None:
        _geocode(entities, gazetteer)
    return entities


def _country_of(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    if actor.kind in ("state", "territory") and actor.country is None:
        return actor.id
    return actor.country or actor.seat_of


def _trim(ent: Span) -> tuple[str, int, int] | None:
    text = ent.text
    start = ent.start_char
    lead = _LEADING.match(text)
    if lead:
        text, start = text[lead.end() :], start + lead.end()
    trail = _TRAILING.search(text)
    if trail and trail.start() > 0:
        text = text[: trail.start()]
    text = text.rstrip(" ,;:")
    if text.endswith(".") and text.count(".") == 1:
        text = text[:-1]  # a sentence's full stop, not the one of "U.S."
    if sum(ch.isalpha() for ch in text) < 2 or text.endswith("-"):
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
        hit = actors.get(ent.ent_id_)
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
    return _Found(key=key, label=label, actor=actor, demonym_of=demonym_of, mention=mention, span=ent)


def _places_tagged_org(found: list[_Found], gazetteer: Gazetteer) -> None:
    """The model often tags a town ORG; a gazetteer town with no organization word in it is a place."""
    for item in found:
        if item.actor is not None or item.label not in ("ORG", "NORP") or item.demonym_of is not None:
            continue
        text = item.mention.text
        words = {w.lower() for w in text.split()}
        if words & ORG_HEAD_WORDS or (item.label == "NORP" and text.lower().endswith(NORP_SUFFIXES)):
            continue
        place = gazetteer.resolve(text)
        if place is not None and place.feature in ("country", "admin1", "city", "region", "sea"):
            item.label = item.mention.label = "GPE"
            item.key = f"gpe:{slug(item.mention.text)}"
            item.mention.rule += "+gazetteer"


def _metonymy(item: _Found, actors: ActorDictionary) -> None:
    """'Moscow warned' is Russia's government; 'in Moscow' stays the city."""
    actor = item.actor
    if actor is None or not actor.seat_of or item.span is None:
        return
    if not reads_as_actor(item.span, default=actor.kind == "seat"):
        return
    sector = actor.sector or "GOV"
    gov_id = f"{actor.seat_of}/{sector}"
    gov = actors.get(gov_id)
    state = actors.get(actor.seat_of)
    state_name = state.name if state is not None else actor.seat_of
    item.key = gov_id
    item.actor = gov
    item.label = "ORG"
    item.mention.label = "ORG"
    item.mention.rule += "+metonymy"
    item.mention.confidence = min(item.mention.confidence, METONYMY_CONFIDENCE)
    if gov is None:
        item.name = f"{state_name} ({SECTOR_NAMES.get(sector, sector.lower())})"
        item.kind = KIND_BY_SECTOR.get(sector, "government")
        item.country = actor.seat_of
        item.sector = sector


def _token_index(found: list[_Found], doc: Doc) -> dict[int, tuple[str, str | None, str]]:
    index: dict[int, tuple[str, str | None, str]] = {}
    for item in found:
        if item.span is None:
            continue
        country = item.country or _country_of(item.actor) or _country_of(item.demonym_of)
        for tok in item.span:
            index[tok.i] = (item.key, country, item.label)
    return index


def _generic(
    doc: Doc, entity_at: dict[int, tuple[str, str | None, str]], actors: ActorDictionary, starts: list[int]
) -> list[_Found]:
    def at(tok: Token) -> tuple[str, str | None, str] | None:
        return entity_at.get(tok.i)

    out = []
    for hit in find_generic_actors(doc, at):
        sentence = max(bisect_right(starts, hit.start) - 1, 0)
        mention = Mention(
            text=hit.text,
            start=hit.start,
            end=hit.end,
            sentence=sentence,
            label="ORG" if hit.sector else "GENERIC",
            rule="lexicon:generic_actors",
            confidence=GENERIC_CONFIDENCE,
        )
        if hit.country and hit.sector:
            key = f"{hit.country}/{hit.sector}"
            known = actors.get(key)
            state = actors.get(hit.country)
            state_name = state.name if state is not None else hit.country
            item = _Found(key=key, label="ORG", actor=known, demonym_of=None, mention=mention)
            if known is None:
                item.name = f"{state_name} ({SECTOR_NAMES.get(hit.sector, hit.sector.lower())})"
                item.kind = KIND_BY_SECTOR.get(hit.sector, "government")
                item.country = hit.country
                item.sector = hit.sector
        else:
            key = f"generic:{hit.country.lower() + '-' if hit.country else ''}{slug(hit.noun)}"
            item = _Found(key=key, label="GENERIC", actor=None, demonym_of=None, mention=mention)
            item.name = hit.noun
            item.kind = "generic"
            item.country = hit.country
            item.sector = hit.sector
            item.role = hit.role
        out.append(item)
    return out


def _majority_labels(found: list[_Found]) -> None:
    """One name, one label: the model's most frequent label for a name wins across the document."""
    votes: dict[str, Counter[str]] = {}
    for item in found:
        if item.actor is None and item.demonym_of is None and item.name is None:
            votes.setdefault(item.mention.text.casefold(), Counter())[item.label] += 1
    for item in found:
        counter = votes.get(item.mention.text.casefold())
        if item.actor is not None or item.demonym_of is not None or item.name is not None or not counter:
            continue
        label = counter.most_common(1)[0][0]
        if label != item.label:
            item.label = item.mention.label = label
            item.key = f"{label.lower()}:{slug(item.mention.text)}"


def _merge_person_short_forms(found: list[_Found]) -> None:
    """Point a one-word person mention ("Beridze") at the one full name ending in it."""
    full_names: dict[str, set[str]] = {}
    for item in found:
        if item.label == "PERSON":
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


def _missed_surnames(doc: Doc, found: list[_Found], starts: list[int]) -> list[_Found]:
    """Surname-only mentions the model did not tag, found by the full names it did tag."""
    owners: dict[str, set[str]] = {}
    for item in found:
        tokens = item.mention.text.split()
        if item.label == "PERSON" and len(tokens) >= 2 and tokens[-1][:1].isupper():
            owners.setdefault(tokens[-1], set()).add(item.key)
    covered = {i for item in found if item.span is not None for i in range(item.span.start, item.span.end)}
    covered_chars = [(item.mention.start, item.mention.end) for item in found]
    out = []
    for tok in doc_cache.tokens(doc):
        keys = owners.get(tok.text)
        if not keys or len(keys) != 1 or tok.i in covered or tok.pos_ not in ("PROPN", "NOUN", "ADJ"):
            continue
        if any(s <= tok.idx < e for s, e in covered_chars):
            continue
        key = next(iter(keys))
        mention = Mention(
            text=tok.text,
            start=tok.idx,
            end=tok.idx + len(tok.text),
            sentence=max(bisect_right(starts, tok.idx) - 1, 0),
            label="PERSON",
            rule="coref:surname",
            confidence=0.7,
        )
        out.append(_Found(key=key, label="PERSON", actor=None, demonym_of=None, mention=mention))
    return out


def _group(found: list[_Found], entity_at: dict[int, tuple[str, str | None, str]]) -> list[Entity]:
    by_key: dict[str, list[_Found]] = {}
    for item in found:
        by_key.setdefault(item.key, []).append(item)

    def at(tok: Token) -> tuple[str, str | None, str] | None:
        return entity_at.get(tok.i)

    entities: list[Entity] = []
    for key, items in by_key.items():
        actor = next((i.actor for i in items if i.actor is not None), None)
        mentions = sorted((i.mention for i in items), key=lambda m: m.start)
        if actor is not None:
            entity = Entity(
                id=key,
                name=actor.name,
                type=actor.type,
                kind=actor.kind,
                country=_country_of(actor),
                wikidata=actor.wikidata,
                sector=actor.sector,
                mentions=mentions,
            )
        else:
            first = items[0]
            label = Counter(i.label for i in items).most_common(1)[0][0]
            name = first.name or max(
                (m.text for m in mentions), key=lambda t: (not t.isupper(), len(t.split()), len(t))
            )
            demonym = next((i.demonym_of for i in items if i.demonym_of is not None), None)
            entity = Entity(
                id=key,
                name=name,
                type=label,
                kind=first.kind
                or ("demonym" if demonym is not None else KIND_BY_LABEL.get(label, label.lower())),
                country=first.country or _country_of(demonym),
                sector=first.sector,
                role=first.role,
                mentions=mentions,
            )
        if entity.type == "PERSON":
            for item in items:
                if item.span is None:
                    continue
                info = person_info(item.span, at)
                entity.role = entity.role or info.role
                entity.country = entity.country or info.country
                entity.affiliation = entity.affiliation or info.affiliation
        entities.append(entity)
    entities.sort(key=lambda e: e.mentions[0].start)
    return entities


def _geocode(entities: list[Entity], gazetteer: Gazetteer) -> None:
    """Coordinates for places, preferring candidates in the countries the document names."""
    context = sorted({e.country for e in entities if e.country and e.type in ("GPE", "NORP")})
    for entity in entities:
        if entity.type not in PLACE_LABELS or entity.kind in KIND_BY_SECTOR.values():
            continue
        place = gazetteer.resolve(entity.name, context_countries=context)
        if place is None and entity.mentions:
            place = gazetteer.resolve(entity.mentions[0].text, context_countries=context)
        if place is not None:
            entity.geo = gazetteer.to_geo(place)
            if entity.country is None:
                entity.country = place.country
