"""Full-text search: ranking, snippets with offsets, filters, and the incremental index beside the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tantivy

from newsgraph.models import Document, DocumentExtraction, Entity, Mention, Sentence
from newsgraph.search import SearchError, SearchFilter, index_path, refresh_index, search
from newsgraph.store.corrections import add_correction
from newsgraph.store.db import Store

ARTICLES = {
    "bomb": (
        "Car bomb kills nine at Makhachkala market",
        "2024-03-15",
        "A car bomb exploded outside a market in Makhachkala on Friday. "
        "Nine people were killed and dozens wounded. "
        "Police said the car had been parked overnight near the entrance.",
        "Q2429253",
        ("ASSAULT", "explosives", "RUS"),
    ),
    "plot": (
        "Court jails men for plot against shopping centre",
        "2020-10-08",
        "A court sentenced five men for planning an attack on a shopping centre in Stavropol. "
        "Investigators said the men had tested a bomb in a forest.",
        "RUS/COP",
        ("COERCE", "arrest", "RUS"),
    ),
    "talks": (
        "Iran and Azerbaijan agree on border patrols",
        "2023-05-01",
        "The foreign ministers of Iran and Azerbaijan met in Tehran and agreed on joint border patrols. "
        "They did not discuss the bombing of the embassy.",
        "IRN",
        ("AGREE", None, "IRN"),
    ),
}


def _extraction(key: str, text: str | None = None) -> DocumentExtraction:
    title, published, body, actor, (etype, mode, country) = ARTICLES[key]
    text = text or body
    cut = [0]
    for i, ch in enumerate(text):
        if ch == "." and i + 1 < len(text):
            cut.append(i + 2)
    bounds = [(a, b - 1) for a, b in zip(cut, [*cut[1:], len(text) + 1], strict=True)]
    event = {
        "id": f"ev_{key}",
        "type": etype,
        "mode": mode,
        "gtd_attack_type": "BOMBING" if key == "bomb" else None,
        "weapons": ["car bomb"] if key == "bomb" else [],
        "source_actors": [actor],
        "target_actors": [],
        "location": {"name": "somewhere", "country": country},
        "date": {"start": published, "end": published, "precision": "day"},
        "negated": False,
        "hypothetical": False,
    }
    return DocumentExtraction(
        document=Document(
            doc_id=f"doc-{key}",
            source=f"/news/{key}.txt",
            content_hash=f"hash-{key}-{len(text)}",
            text=text,
            title=title,
            published=published,
        ),
        sentences=[Sentence(a, b) for a, b in bounds],
        entities=[
            Entity(
                id=actor,
                name=actor,
                type="ORG",
                kind="armed_group",
                mentions=[Mention(text[:3], 0, 3, 0, "ORG", "ruler:actors", 0.9)],
            )
        ],
        events=[event],
    )


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with Store(tmp_path / "kb.duckdb") as s:
        s.write_batch([_extraction(k) for k in ARTICLES], "test")
        yield s


def test_ranks_documents_and_points_at_sentences(store: Store) -> None:
    hits = search(store, "car bomb")
    assert hits[0]["doc_id"] == "doc-bomb"
    top = hits[0]
    text = store.query("SELECT text FROM documents WHERE doc_id = 'doc-bomb'")[0]["text"]
    assert top["sentence_idx"] == 0 and text[top["start"] : top["end"]].startswith("A car bomb exploded")
    assert "car bomb" in top["snippet"]
    assert [text[a:b].lower() for a, b in top["highlights"]] == ["car", "bomb"]
    assert top["title"].startswith("Car bomb") and str(top["published"]) == "2024-03-15"
    assert top["score"] > hits[1]["score"]
    # stemming: "bombing" finds "bomb"; the plot article ranks below the bombing
    ranked = [h["doc_id"] for h in search(store, "bombing")]
    assert ranked[0] == "doc-bomb" and set(ranked) == {"doc-bomb", "doc-plot", "doc-talks"}


def test_query_syntax_and_limits(store: Store) -> None:
    assert [h["doc_id"] for h in search(store, '"border patrols"')] == ["doc-talks"]
    assert "doc-bomb" not in [h["doc_id"] for h in search(store, "bomb -market")]
    title_only = search(store, "title:court")
    assert [h["doc_id"] for h in title_only] == ["doc-plot"]
    assert title_only[0]["sentence_idx"] is None and title_only[0]["snippet"].startswith("Court")
    assert len(search(store, "the", limit=2)) == 2
    two = search(store, "car", per_document=2)
    assert [h["sentence_idx"] for h in two if h["doc_id"] == "doc-bomb"] in ([0, 2], [2, 0])
    assert search(store, 'unbalanced "quote') is not None  # lenient parsing, no exception
    with pytest.raises(SearchError):
        search(store, "   ")


def test_filters(store: Store) -> None:
    def ids(**kw: Any) -> list[str]:
        return sorted(h["doc_id"] for h in search(store, "bomb OR border", filters=SearchFilter(**kw)))

    assert ids(actor="Q2429253") == ["doc-bomb"]
    assert ids(actor="RUS") == ["doc-plot"]  # RUS matches its parts (RUS/COP)
    assert ids(type="agree") == ["doc-talks"]
    assert ids(country="RUS") == ["doc-bomb", "doc-plot"]
    assert ids(since="2021-01-01") == ["doc-bomb", "doc-talks"]
    assert ids(since="2021-01-01", until="2023-12-31") == ["doc-talks"]
    assert ids(actor="nobody") == []


def test_index_is_refreshed_incrementally(store: Store) -> None:
    assert refresh_index(store) == {"added": 3, "updated": 0, "removed": 0, "unchanged": 0}
    assert refresh_index(store)["unchanged"] == 3
    assert (index_path(store) / "manifest.json").is_file()
    changed = "Gunmen stormed a village hall in Nalchik. Two hostages were freed."
    store.write_batch([_extraction("plot", text=changed)], "test")
    store.con.execute("DELETE FROM documents WHERE doc_id = 'doc-talks'")
    assert refresh_index(store) == {"added": 0, "updated": 1, "removed": 1, "unchanged": 1}
    assert [h["doc_id"] for h in search(store, "hostages")] == ["doc-plot"]
    assert search(store, "Tehran") == []
    # a correction to a document's events re-indexes it (the event vocabulary may change)
    add_correction(store, "event", "ev_bomb", "edit", "analyst", field="type", value="PROTEST")
    assert refresh_index(store)["updated"] == 1


def test_search_refreshes_on_demand(store: Store) -> None:
    assert search(store, "hostages") == []
    store.write_batch([_extraction("plot", text="Gunmen took hostages in a bank in Nalchik.")], "test")
    assert [h["doc_id"] for h in search(store, "hostages")] == ["doc-plot"]
    # refresh=False reads the index as it stands
    store.write_batch([_extraction("talks", text="Hostages were freed in Baku after talks.")], "test")
    assert [h["doc_id"] for h in search(store, "hostages", refresh=False)] == ["doc-plot"]


def test_busy_or_unwritable_index(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    refresh_index(store)
    holder = tantivy.Index.open(str(index_path(store))).writer(heap_size=15_000_000, num_threads=1)
    try:
        store.write_batch([_extraction("plot", text="Gunmen took hostages in Nalchik.")], "test")
        assert refresh_index(store).get("busy") == 1
        assert search(store, "hostages") == []  # the index as it was
    finally:
        holder.rollback()
        del holder
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setattr("newsgraph.search.index_path", lambda s: blocker / "kb.search")
    assert [h["doc_id"] for h in search(store, "hostages")] == ["doc-plot"]  # built in memory
    with pytest.raises(SearchError):
        refresh_index(store)


def test_a_stale_or_foreign_index_is_rebuilt(store: Store) -> None:
    path = index_path(store)
    path.mkdir()
    (path / "manifest.json").write_text('{"version": 0, "docs": {}}')
    (path / "junk.bin").write_bytes(b"\0" * 10)
    assert search(store, "car bomb")[0]["doc_id"] == "doc-bomb"
    assert not (path / "junk.bin").exists()


def test_concurrent_first_searches_share_one_index(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "kb.duckdb"
    with Store(path) as s:
        s.write_batch([_extraction(k) for k in ARTICLES], "test")

    def first_hit(query: str) -> str:
        with Store(path, read_only=True) as s:
            return str(search(s, query)[0]["doc_id"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        found = list(pool.map(first_hit, ["car bomb", "border", "court", "car bomb"] * 2))
    assert found == ["doc-bomb", "doc-talks", "doc-plot", "doc-bomb"] * 2
