"""The pure part of the pipeline: documents in, extractions out, no database or network."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsgraph.extract.entities import collect_entities
from newsgraph.extract.events import extract_events
from newsgraph.extract.quotes import extract_quotes
from newsgraph.extract.stance import quote_stance
from newsgraph.models import Document, DocumentExtraction, Sentence
from newsgraph.nlp import doc_cache
from newsgraph.runtime import Resources

BATCH_SIZE = 64
"""spaCy batch; an ingest batch (32 documents by default) then goes through the model at once."""


def extract_documents(documents: Iterable[Document], res: Resources) -> Iterator[DocumentExtraction]:
    """Annotate documents in batches with ``nlp.pipe`` and pull out their facts."""
    model = res.model
    pairs = ((doc.text, doc) for doc in documents)
    for spacy_doc, document in res.nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE):
        sentences = [Sentence(start=s.start_char, end=s.end_char) for s in doc_cache.sentences(spacy_doc)]
        entities = collect_entities(spacy_doc, res.actors, model, res.gazetteer)
        events = extract_events(spacy_doc, entities, document.doc_id, document.published)
        quotes = extract_quotes(spacy_doc, entities)
        for quote in quotes:
            quote["stance"] = quote_stance(quote, document.text, entities)
        doc_cache.release(spacy_doc)
        yield DocumentExtraction(
            document=document, sentences=sentences, entities=entities, events=events, quotes=quotes
        )
