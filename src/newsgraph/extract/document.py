"""The pure part of the pipeline: documents in, extractions out, no database or network."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from newsgraph.extract.entities import collect_entities
from newsgraph.models import Document, DocumentExtraction, Sentence
from newsgraph.resources.actors import ActorDictionary

BATCH_SIZE = 16


def model_name(nlp: Language) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', 'model')}-{nlp.meta.get('version', '?')}"


def extract_documents(
    documents: Iterable[Document], nlp: Language, actors: ActorDictionary
) -> Iterator[DocumentExtraction]:
    """Annotate documents in batches with ``nlp.pipe`` and pull out their entities."""
    name = model_name(nlp)
    pairs = ((doc.text, doc) for doc in documents)
    for spacy_doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE):
        sentences = [Sentence(start=s.start_char, end=s.end_char) for s in spacy_doc.sents]
        entities = collect_entities(spacy_doc, actors, name)
        yield DocumentExtraction(document=document, sentences=sentences, entities=entities)
