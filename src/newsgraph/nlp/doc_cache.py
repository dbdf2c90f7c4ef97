"""Per-document views of a spaCy Doc that the extractors share.

Iterating a Doc builds a new Token object per token on every pass, and the
extractors make a dozen passes (entities, triggers, generic actors, quotes, dates),
which was a quarter of extraction time. The lists here are built once per Doc and
kept in ``doc.user_data``; extraction never changes the Doc, so they stay valid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_TOKENS = "newsgraph:tokens"
_SENTS = "newsgraph:sents"
_STARTS = "newsgraph:token_starts"
_TEXT = "newsgraph:text"


def release(doc: Doc) -> None:
    """Drop the views once a Doc's extraction is done: their tokens and spans point back at the
    Doc, a cycle that only the cyclic collector would free, so each Doc (and its tensors) would
    outlive its batch."""
    for key in (_TOKENS, _SENTS, _STARTS, _TEXT):
        doc.user_data.pop(key, None)


def _cached(doc: Doc, key: str, build: Any) -> Any:
    data = doc.user_data
    value = data.get(key)
    if value is None:
        value = build()
        data[key] = value
    return value


def text(doc: Doc) -> str:
    """The Doc's text; ``Doc.text`` joins every token's text anew on each access."""
    return cast(str, _cached(doc, _TEXT, lambda: doc.text))


def tokens(doc: Doc) -> list[Token]:
    """The Doc's tokens, built once."""
    return cast("list[Token]", _cached(doc, _TOKENS, lambda: list(doc)))


def sentences(doc: Doc) -> list[Span]:
    """The Doc's sentences, built once."""
    return cast("list[Span]", _cached(doc, _SENTS, lambda: list(doc.sents)))


def token_starts(doc: Doc) -> list[int]:
    """Character offset of every token, in order (for bisecting a character to a token)."""
    return cast(list[int], _cached(doc, _STARTS, lambda: [t.idx for t in tokens(doc)]))
