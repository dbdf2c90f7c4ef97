"""Is a capital or seat of power standing for its government, or for the place?

"Moscow warned Baku" is about two governments; "a bomb in Moscow" is about a
city. The dependency parse decides: subjects, objects of political verbs,
possessors and complements of relational prepositions act; complements of
locative prepositions and objects of motion or attack verbs are places.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

LOCATIVE_PREPS = frozenset(
    [
        "in",
        "at",
        "near",
        "outside",
        "inside",
        "into",
        "to",
        "across",
        "around",
        "throughout",
        "via",
        "through",
        "over",
        "within",
        "beyond",
        "off",
        "along",
        "toward",
        "towards",
        "onto",
    ]
)
RELATIONAL_PREPS = frozenset(
    ["with", "against", "behind", "between", "by", "among", "amongst", "than", "versus", "vs.", "alongside"]
)
PLACE_VERBS = frozenset(
    [
        "visit",
        "reach",
        "enter",
        "leave",
        "attack",
        "strike",
        "hit",
        "bomb",
        "shell",
        "capture",
        "seize",
        "besiege",
        "surround",
        "fly",
        "travel",
        "arrive",
        "return",
        "flee",
        "occupy",
        "liberate",
        "take",
        "storm",
        "raid",
        "target",
        "move",
        "relocate",
        "evacuate",
        "rebuild",
        "destroy",
        "bombard",
        "encircle",
        "invade",
        "cross",
    ]
)
PLACE_HEADS = frozenset(
    [
        "street",
        "streets",
        "resident",
        "residents",
        "airport",
        "metro",
        "subway",
        "theater",
        "theatre",
        "suburb",
        "suburbs",
        "outskirts",
        "centre",
        "center",
        "district",
        "districts",
        "population",
        "citizen",
        "citizens",
        "mayor",
        "region",
        "oblast",
        "province",
        "city",
        "skyline",
        "hospital",
        "school",
        "station",
        "market",
        "square",
        "university",
        "court",
        "courthouse",
        "apartment",
        "apartments",
        "building",
        "buildings",
        "office",
        "offices",
        "area",
        "areas",
        "neighbourhood",
        "neighborhood",
        "time",
        "weather",
        "bureau",
        "correspondent",
    ]
)
ACTOR_HEADS = frozenset(
    [
        "authority",
        "authorities",
        "official",
        "officials",
        "government",
        "leadership",
        "strategist",
        "strategists",
        "propaganda",
        "policy",
        "policies",
        "position",
        "stance",
        "demand",
        "demands",
        "decision",
        "decisions",
        "claim",
        "claims",
        "response",
        "diplomacy",
        "ally",
        "allies",
        "support",
        "backing",
        "pressure",
        "threat",
        "threats",
        "move",
        "moves",
        "plan",
        "plans",
        "ambition",
        "ambitions",
        "regime",
        "administration",
        "interest",
        "interests",
        "role",
        "relation",
        "relations",
        "approach",
        "behaviour",
        "behavior",
        "rhetoric",
        "reaction",
        "accusation",
        "accusations",
        "warning",
        "warnings",
        "refusal",
        "statement",
        "statements",
    ]
)


def _head_context(token: Token) -> Token:
    """Climb coordinations so 'Baku and Moscow' both get the first conjunct's role."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def reads_as_actor(span: Span, default: bool) -> bool:
    """True when the span names an agent (a government), False when it names a place."""
    root = _head_context(span.root)
    dep = root.dep_
    head = root.head
    if dep in ("nsubj", "agent"):
        return True
    if dep == "nsubjpass":
        return head.lemma_.lower() not in PLACE_VERBS
    if dep in ("dobj", "dative", "obj"):
        return head.lemma_.lower() not in PLACE_VERBS
    if dep == "poss":
        return head.lemma_.lower() not in PLACE_HEADS and head.text.lower() not in PLACE_HEADS
    if dep == "pobj":
        prep = head.text.lower()
        if prep in LOCATIVE_PREPS:
            return False
        if prep in RELATIONAL_PREPS:
            return True
        if prep == "on":
            governor = head.head
            return governor.lemma_.lower() not in {"attack", "strike", "raid", "assault", "bombing", "drone"}
        return default
    if dep in ("compound", "amod", "nmod"):
        lemma = head.lemma_.lower()
        if lemma in ACTOR_HEADS or head.text.lower() in ACTOR_HEADS:
            return True
        if lemma in PLACE_HEADS or head.text.lower() in PLACE_HEADS:
            return False
        return default
    return default
