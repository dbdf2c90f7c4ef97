"""Main text and metadata of an HTML page, via trafilatura."""

from __future__ import annotations

import re

from newsgraph.ingest.dates import normalize_published
from newsgraph.models import CleanText

_PARA_BREAK = re.compile(r"\n+")


def clean_html(markup: str) -> CleanText:
    """Extract the article body, title, authors and publication date of a page.

    trafilatura drops navigation, footers and sidebars; we only normalise its
    paragraph breaks to blank lines (the convention every later stage expects)
    and remove the headline it repeats at the top of the body.
    """
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, RecursionError, TypeError) as exc:
        raise ValueError(f"cannot parse HTML: {type(exc).__name__}") from exc
    if result is None or isinstance(result, dict) or not result.text:
        return CleanText(text="")
    text: str = result.text
    title = (result.title or "").strip() or None
    paragraphs = [p.strip() for p in _PARA_BREAK.split(text) if p.strip()]
    if title and paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    authors = _split_authors(result.author)
    published = normalize_published(result.date) if result.date else None
    return CleanText(text="\n\n".join(paragraphs), title=title, authors=authors, published=published)


def _split_authors(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    parts = re.split(r";|\band\b|,", raw)
    return tuple(p.strip() for p in parts if p.strip())
