"""Roles, countries and affiliations of people, read off the parse around their names.

"Russian President Vladimir Putin" (title and demonym before the name),
"Vladimir Fesenko, head of Ukraine's Penta Center" (apposition),
"Blank is a professor of Strategic Studies" (copula) all give a role; the
demonyms, states and organizations inside those phrases give country and
affiliation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

MAX_ROLE_CHARS = 90
PREFIX_DEPS = frozenset({"compound", "amod", "nmod", "poss", "case", "punct", "prep", "pobj"})
ABSTRACT_SUFFIXES = ("tion", "ment", "ance", "ence", "ity", "ism", "ness", "ship", "sion")
_STOP_AT = frozenset({",", ";", "(", ")", "—", "–", "who", "which", "that", "whose"})


@dataclass
class PersonInfo:
    role: str | None = None
    country: str | None = None
    affiliation: str | None = None


EntityAt = Callable[[Token], tuple[str, str | None, str] | None]
"""Token -> (entity key, its country, its label) when the token is inside a known entity."""


def person_info(span: Span, entity_at: EntityAt) -> PersonInfo:
    info = PersonInfo()
    _from_prefix(span, entity_at, info)
    if info.role is None:
        _from_apposition(span, entity_at, info)
    if info.role is None:
        _from_copula(span, entity_at, info)
    return info


def _absorb_entities(tokens: list[Token], entity_at: EntityAt, info: PersonInfo) -> list[Token]:
    """Take country/affiliation from entities among the tokens; return the tokens not in any entity."""
    rest = []
    for tok in tokens:
        hit = entity_at(tok)
        if hit is None:
            rest.append(tok)
            continue
        key, country, label = hit
        if label in ("NORP", "GPE") and country and info.country is None:
            info.country = country
        elif label in ("ORG", "FAC") and info.affiliation is None:
            info.affiliation = key
            if info.country is None and country:
                info.country = country
    return rest


def _from_prefix(span: Span, entity_at: EntityAt, info: PersonInfo) -> None:
    doc = span.doc
    inside = set(range(span.start, span.end))
    prefix: list[Token] = []
    i = span.start - 1
    while i >= 0:
        tok = doc[i]
        if tok.is_space or tok.text in _STOP_AT or tok.is_sent_end:
            break
        if tok.dep_ not in PREFIX_DEPS and tok.pos_ != "PROPN":
            break
        if tok.dep_ == "prep" and tok.head.i not in inside and tok.head.i not in {t.i for t in prefix}:
            break
        prefix.insert(0, tok)
        inside.add(i)
        i -= 1
    if not prefix:
        return
    rest = _absorb_entities(prefix, entity_at, info)
    words = [t for t in rest if t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "ADJ" and t.text[:1].isupper())]
    if words:
        # the role is the title run right before the name ("Foreign Minister"), hyphenated words whole
        start = words[0].i
        while (
            start > 0
            and (doc[start - 1].text == "-" or not doc[start - 1].whitespace_)
            and not (doc[start - 1].is_punct and doc[start - 1].text != "-")
        ):
            if entity_at(doc[start - 1]) is not None or doc[start - 1].is_space:
                break
            start -= 1
        role = doc[start : span.start].text.strip(" ,'’s")
        if role and len(role) <= MAX_ROLE_CHARS and any(ch.isalpha() for ch in role):
            info.role = role


def _clause_text(head: Token) -> tuple[str, list[Token]]:
    """The phrase under head, cut at the first comma or relative clause."""
    tokens = []
    for tok in head.subtree:
        if tok.i > head.i and tok.text in _STOP_AT:
            break
        tokens.append(tok)
    while tokens and tokens[0].dep_ == "det":
        tokens = tokens[1:]
    text = "".join(t.text_with_ws for t in tokens).strip()
    return text, tokens


def _from_apposition(span: Span, entity_at: EntityAt, info: PersonInfo) -> None:
    root = span.root
    doc = span.doc
    appos = [
        c
        for c in root.children
        if c.dep_ == "appos"
        and c.pos_ in ("NOUN", "PROPN")
        and span.end < len(doc)
        and doc[span.end].text == ","
        and span.end < c.i <= span.end + 4
    ]
    if not appos and root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < span.start:
        appos = [root.head]
    if not appos or appos[0].lemma_.lower().endswith(ABSTRACT_SUFFIXES):
        return
    text, tokens = _clause_text(appos[0])
    tokens = [t for t in tokens if t.i not in range(span.start, span.end)]
    _absorb_entities(tokens, entity_at, info)
    if text and len(text) <= MAX_ROLE_CHARS:
        info.role = text


def _from_copula(span: Span, entity_at: EntityAt, info: PersonInfo) -> None:
    root = span.root
    if root.dep_ != "nsubj" or root.head.lemma_ != "be":
        return
    attrs = [c for c in root.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    if not attrs:
        return
    text, tokens = _clause_text(attrs[0])
    _absorb_entities(tokens, entity_at, info)
    if text and len(text) <= MAX_ROLE_CHARS:
        info.role = text
