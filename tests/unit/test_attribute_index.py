"""The indexed attribute ruler must annotate exactly as the model's own ruler does."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from newsgraph.nlp.attribute_index import IndexedAttributeRuler, index_attribute_ruler
from newsgraph.nlp.pipeline import MODEL_PACKAGE

TEXTS = [
    # contractions and colloquial spellings: the model's two-token and REGEX patterns
    "Y'all ain't gonna believe it, let's go. C'mon, there was nothin' left and we gotta leave.",
    "I told you it was me; they gave it to I and he gave it to you. Do it now, he did.",
    "There are three of them, and there is one. That is what those were, but for the rain.",
    # whitespace tokens, tabs and blank lines
    "The minister said on Tuesday that the talks had failed.\n\n  \tGunmen attacked a checkpoint.",
    "Officials haven't confirmed whether the convoy, which isn't armed, was hit.",
    "",
    " ",
]


@pytest.fixture(scope="module")
def model() -> Language:
    return spacy.load(MODEL_PACKAGE, exclude=["senter"])


def _annotations(doc: Doc) -> list[tuple[str, str, str, str, str]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc]


def test_the_indexed_ruler_gives_the_models_annotations(model: Language) -> None:
    expected = [_annotations(d) for d in model.pipe(TEXTS)]
    indexed = spacy.load(MODEL_PACKAGE, exclude=["senter"])
    index_attribute_ruler(indexed)
    assert isinstance(indexed.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert indexed.pipe_names == model.pipe_names
    assert [_annotations(d) for d in indexed.pipe(TEXTS)] == expected


def test_every_match_and_its_order_is_the_matchers(model: Language) -> None:
    """Later patterns win in spaCy's ruler, so the sorted match lists must agree, not only the result."""
    ruler = model.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    fast = IndexedAttributeRuler(model.vocab)
    fast.add_patterns(ruler.patterns)
    with model.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(model.pipe(TEXTS))
    assert sum(len(ruler.match(d)) for d in docs) > sum(len(d) for d in docs)
    for doc in docs:
        assert fast.match(doc) == ruler.match(doc)


def test_patterns_the_index_cannot_answer_still_match() -> None:
    """Operators and extensions go to a Matcher of their own; the rest by look-up, in pattern order."""
    nlp = spacy.blank("en")
    ruler = IndexedAttributeRuler(nlp.vocab)
    ruler.add_patterns(
        [
            {"patterns": [[{"LOWER": "car"}, {"IS_PUNCT": True, "OP": "+"}]], "attrs": {"LEMMA": "vehicle"}},
            {"patterns": [[{"LOWER": {"IN": ["car", "bus"]}}]], "attrs": {"LEMMA": "auto"}},
            {"patterns": [[{"ORTH": {"REGEX": "^B"}}]], "attrs": {"LEMMA": "capital-b"}},
            {
                "patterns": [[{"LOWER": "the"}, {"LOWER": {"NOT_IN": ["car"]}}]],
                "attrs": {"LEMMA": "x"},
                "index": 1,
            },
        ]
    )
    doc = ruler(nlp("the car!! the Bus"))
    # "car" matched the first (operator) and the second pattern, "Bus" the third and the fourth:
    # the later one wins both times
    assert [t.lemma_ for t in doc] == ["", "auto", "", "", "", "x"]
    reference = AttributeRuler(nlp.vocab)
    reference.add_patterns(ruler.patterns)
    plain = nlp("the car!! the Bus")
    assert ruler.match(plain) == reference.match(plain)


def test_newsgraphs_pipeline_uses_the_indexed_ruler(pipeline) -> None:  # type: ignore[no-untyped-def]
    nlp, _actors = pipeline
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler)


def test_the_regex_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsgraph.nlp.attribute_index as attribute_index

    monkeypatch.setattr(attribute_index, "REGEX_MEMO", 5)
    nlp = spacy.blank("en")
    ruler = IndexedAttributeRuler(nlp.vocab)
    ruler.add_patterns([{"patterns": [[{"LOWER": {"REGEX": "^b"}}]], "attrs": {"LEMMA": "b-word"}}])
    doc = ruler(nlp("alpha beta gamma bravo delta blue echo foxtrot golf hotel bingo"))
    assert [t.text for t in doc if t.lemma_ == "b-word"] == ["beta", "bravo", "blue", "bingo"]
    assert len(ruler._regex_cache) <= 5
