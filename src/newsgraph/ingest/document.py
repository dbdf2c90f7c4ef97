"""RawDocument -> Document: pick the cleaner for the format and merge declared metadata."""

from __future__ import annotations

import hashlib
import json

from newsgraph.ingest.clean import clean_text
from newsgraph.ingest.dates import normalize_published
from newsgraph.ingest.html import clean_html
from newsgraph.models import Document, RawDocument


class EmptyDocumentError(ValueError):
    """Cleaning left no article text."""


class DocumentTooLongError(ValueError):
    """The article text is longer than the NLP stage accepts in one document."""


def doc_id_for(source: str) -> str:
    """Stable id from the document's source, so a changed file keeps its id (and its corrections)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def content_hash(raw: RawDocument) -> str:
    """Hash of everything that determines the extraction, for idempotent re-ingest."""
    payload = json.dumps(
        [raw.content, raw.fmt, raw.title, list(raw.authors), raw.published, raw.url],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def to_document(raw: RawDocument) -> Document:
    """Clean the raw text; metadata a feed declared wins over what cleaning detects."""
    cleaned = clean_html(raw.content) if raw.fmt == "html" else clean_text(raw.content)
    if not cleaned.text.strip():
        raise EmptyDocumentError("no article text left after cleaning")
    # spaCy's limit: refuse here, with a reason a person can act on, not deep in a batch
    from newsgraph.nlp.pipeline import MAX_CHARS

    if len(cleaned.text) > MAX_CHARS:
        raise DocumentTooLongError(
            f"article text is {len(cleaned.text)} characters after cleaning, over the "
            f"{MAX_CHARS}-character limit of the NLP stage; split it into smaller files"
        )
    published = normalize_published(raw.published) if raw.published else None
    return Document(
        doc_id=doc_id_for(raw.source),
        source=raw.source,
        content_hash=content_hash(raw),
        text=cleaned.text,
        title=raw.title or cleaned.title,
        authors=raw.authors or cleaned.authors,
        published=published or cleaned.published,
        url=raw.url,
        language=raw.language or "en",
    )
