"""The pieces behind parallel ingest: feed ranges, batched status look-ups, the phrase ruler."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from newsgraph.distributed import feed_ranges
from newsgraph.ingest.readers import ReaderOptions, read_path
from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.nlp import actor_ruler  # noqa: F401  (registers the factory)
from newsgraph.resources.actors import load_actors
from newsgraph.store.db import Store
from newsgraph.work import read_rows


def _feed(path: Path, lines: list[str]) -> Path:
    path.write_bytes("\n".join(lines).encode("utf-8"))
    return path


@pytest.mark.parametrize("rows", [1, 2, 3, 50])
@pytest.mark.parametrize("trailing_newline", [True, False])
def test_feed_ranges_read_exactly_what_the_whole_file_reader_reads(
    tmp_path: Path, rows: int, trailing_newline: bool
) -> None:
    lines = [json.dumps({"text": f"Story number {i} about Baku.", "title": f"t{i}"}) for i in range(7)]
    lines[2] = "{broken"
    lines[4] = ""
    lines[5] = "[1]"
    text = "\n".join(lines) + ("\n" if trailing_newline else "")
    feed = tmp_path / "feed.jsonl"
    feed.write_bytes(text.encode("utf-8"))
    options = ReaderOptions()
    whole = list(read_path(feed, options))
    ranges = list(feed_ranges(feed, options, rows))
    assert all(r.rows <= rows for r in ranges)  # type: ignore[union-attr]
    assert sum(r.rows for r in ranges) == 7  # type: ignore[union-attr]
    pieces = [item for r in ranges for item in read_rows(r, options)]  # type: ignore[arg-type]
    assert pieces == whole


def _extraction(source: str, digest: str) -> DocumentExtraction:
    doc = Document(doc_id=source[-8:].rjust(8, "0"), source=source, content_hash=digest, text="Baku.")
    entity = Entity(
        id="AZE", name="Azerbaijan", type="GPE", mentions=[Mention("Baku", 0, 4, 0, "GPE", "r", 1)]
    )
    return DocumentExtraction(document=doc, sentences=[Sentence(0, 5)], entities=[entity])


def test_batched_statuses_agree_with_status_of(tmp_path: Path) -> None:
    with Store(tmp_path / "kb.duckdb") as store:
        store.write_batch([_extraction("a.txt", "h1"), _extraction("b.txt", "h2")], "test")
        pairs = [("a.txt", "h1"), ("a.txt", "hX"), ("c.txt", "h2"), ("c.txt", "h3"), ("b.txt", "h2")]
        assert store.statuses(pairs) == [store.status_of(s, h) for s, h in pairs]
        assert store.statuses(pairs) == ["unchanged", "updated", "duplicate", "new", "unchanged"]
        assert store.statuses([]) == []


def test_phrase_ruler_finds_the_entities_the_stock_ruler_finds() -> None:
    patterns = load_actors([]).ruler_patterns()
    nlp = spacy.blank("en")
    stock = nlp.add_pipe("entity_ruler", name="stock", config={"overwrite_ents": True})
    stock.add_patterns(patterns)  # type: ignore[attr-defined]
    fast = nlp.add_pipe("newsgraph_actor_ruler", name="fast", config={"overwrite_ents": True})
    fast.add_patterns([*patterns, {"label": "ORG", "pattern": [{"LOWER": {"IN": ["acme", "acme co"]}}]}])
    stock.add_patterns([{"label": "ORG", "pattern": [{"LOWER": {"IN": ["acme", "acme co"]}}]}])  # type: ignore[attr-defined]
    text = (
        "The Kremlin said Moscow and Baku agreed. ISIS, Islamic State and Daesh claimed it; "
        "the Islamic Republic of Iran's IRGC denied it. US officials in Turkey and the U.S. "
        "Treasury named Acme. Azerbaijani and Russian forces met in Makhachkala."
    )
    one, two = nlp.make_doc(text), nlp.make_doc(text)
    stock(one)
    fast(two)
    assert [(e.start, e.end, e.label_, e.ent_id_) for e in two.ents] == [
        (e.start, e.end, e.label_, e.ent_id_) for e in one.ents
    ]
    assert len(two.ents) >= 8
