"""Plain data passed between the stages of the pipeline.

Every stage takes one of these and returns the next, so the pure part of the
pipeline (read -> clean -> annotate -> extract) can run in any process.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawDocument:
    """What a reader found: the text as it came, its origin, and the metadata its container declared."""

    source: str
    """Stable identity of the document: a path, ``path#row=N`` for feeds, or a URL."""
    content: str
    """Undecoded-by-format text: plain text, or HTML markup for ``fmt == "html"``."""
    fmt: str
    """``text``, ``html`` or ``pdf`` — which cleaner applies."""
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class ReadError:
    """A file or row that could not be read; reported, never fatal to a batch."""

    source: str
    reason: str


@dataclass(frozen=True)
class CleanText:
    """Result of cleaning scraped plain text."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    """ISO date (YYYY-MM-DD) of publication, never a 'last update' stamp."""


@dataclass(frozen=True)
class Document:
    """A cleaned article. All character offsets downstream refer to ``text``."""

    doc_id: str
    source: str
    content_hash: str
    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None
    language: str = "en"


@dataclass
class Mention:
    text: str
    start: int
    end: int
    sentence: int
    """Index of the sentence in the document's sentence list."""
    label: str
    rule: str
    """What produced it: ``ner:<model>`` or ``ruler:actors`` or a resolver name."""
    confidence: float


@dataclass
class Entity:
    id: str
    name: str
    type: str
    kind: str | None = None
    country: str | None = None
    wikidata: str | None = None
    role: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    geo: dict[str, Any] | None = None
    affiliation: str | None = None
    """Entity id of the organization a person belongs to, where the text says it."""
    sector: str | None = None
    """GOV, MIL, COP, SPY, ... for parts of a state (CAMEO/PLOVER actor sectors)."""


@dataclass
class Sentence:
    start: int
    end: int


@dataclass
class DocumentExtraction:
    document: Document
    sentences: list[Sentence]
    entities: list[Entity]
    events: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)

    def to_contract(self, include_text: bool = True) -> dict[str, Any]:
        """The stable ``extract`` JSON object described in DESIGN.md."""
        doc = self.document
        out: dict[str, Any] = {
            "doc_id": doc.doc_id,
            "source": doc.source,
            "title": doc.title,
            "authors": list(doc.authors),
            "published": doc.published,
            "language": doc.language,
        }
        if include_text:
            out["text"] = doc.text
        out["entities"] = [_entity_contract(e) for e in self.entities]
        out["events"] = self.events
        out["quotes"] = self.quotes
        return out


def _entity_contract(entity: Entity) -> dict[str, Any]:
    data = asdict(entity)
    data["mentions"] = [
        {
            "text": m.text,
            "start": m.start,
            "end": m.end,
            "sentence": m.sentence,
            "rule": m.rule,
            "confidence": m.confidence,
        }
        for m in entity.mentions
    ]
    return data
