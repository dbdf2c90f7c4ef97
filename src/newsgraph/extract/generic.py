"""Unnamed actors: "gunmen", "Iranian diplomats", "Azerbaijan's security forces".

Events need them as perpetrators and targets. A noun from the lexicon
(package data, generic_actors.yaml) becomes an entity; when a demonym, a
possessive state or "of <state>" ties it to a country and the noun names a
part of the state, it becomes that state part (AZE/COP), as in CAMEO/PLOVER
actor codes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from spacy.tokens import Doc, Token

from newsgraph.nlp import doc_cache

EntityAt = Callable[[Token], tuple[str, str | None, str] | None]


@dataclass(frozen=True)
class Lexicon:
    nouns: dict[str, dict[str, Any]]
    sectors: dict[str, str]
    longest: int
    suffixes: frozenset[str]
    """Every ending of every noun phrase: a token that is none of them ends no phrase, which
    spares building and lower-casing the candidate spans at most tokens."""


@dataclass(frozen=True)
class GenericHit:
    start: int
    end: int
    text: str
    noun: str
    country: str | None
    sector: str | None
    role: str | None


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    data = yaml.safe_load(
        resources.files("newsgraph.resources").joinpath("generic_actors.yaml").read_text("utf-8")
    )
    nouns = {str(k).lower(): dict(v or {}) for k, v in data["nouns"].items()}
    return Lexicon(
        nouns=nouns,
        sectors=dict(data["sectors"]),
        longest=max(len(k.split()) for k in nouns),
        suffixes=frozenset(k[i:] for k in nouns for i in range(len(k))),
    )


def _country_of(head: Token, entity_at: EntityAt) -> str | None:
    """A demonym/state modifier, a possessive state, or an 'of <state>' complement."""
    for child in head.children:
        candidates = [child]
        if child.dep_ == "prep" and child.text.lower() in ("of", "in"):
            candidates = [c for c in child.children if c.dep_ == "pobj"]
        elif child.dep_ not in ("amod", "compound", "poss", "nmod"):
            continue
        for tok in candidates:
            hit = entity_at(tok)
            if hit is not None and hit[2] in ("NORP", "GPE") and hit[1]:
                return hit[1]
    return None


def find_generic_actors(doc: Doc, entity_at: EntityAt, lexicon: Lexicon | None = None) -> list[GenericHit]:
    lex = lexicon or load_lexicon()
    hits: list[GenericHit] = []
    for tok in doc_cache.tokens(doc):
        if tok.pos_ not in ("NOUN", "PROPN") or tok.lower_ not in lex.suffixes or entity_at(tok) is not None:
            continue
        if tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
            continue  # only heads of noun phrases
        if tok.dep_ in ("appos", "attr") and tok.tag_ in ("NN", "NNP"):
            continue  # "X, an official at Y": a person's role, not another actor
        match = None
        for width in range(min(lex.longest, tok.i + 1), 0, -1):
            words = doc[tok.i - width + 1 : tok.i + 1]
            if any(entity_at(t) is not None for t in words):
                continue
            key = words.text.lower()
            if key in lex.nouns:
                match = (words, key)
                break
        if match is None:
            continue
        words, key = match
        entry = lex.nouns[key]
        country = _country_of(tok, entity_at)
        if entry.get("sector") and country is None:
            continue  # "the government", "officials": too vague to be an actor without a country
        hits.append(
            GenericHit(
                start=words.start_char,
                end=words.end_char,
                text=words.text,
                noun=key,
                country=country,
                sector=entry.get("sector"),
                role=entry.get("role"),
            )
        )
    return hits
