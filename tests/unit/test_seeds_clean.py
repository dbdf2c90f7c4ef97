"""Structural checks of clean_text on the reference articles in ../shared/seeds (skipped when absent).

The seed text is read at test time and never copied here; assertions are on
structure (a title exists, chrome is gone, paragraphs are whole) with as few
literals as possible.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsgraph.ingest.clean import clean_text, normalize
from newsgraph.ingest.unwrap import is_hard_wrapped

SEEDS = Path(__file__).parents[2].parent / "shared" / "seeds"
FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/seeds not present")

CHROME_MARKERS = ["°", "back to top", "spot_img", "Related Posts", "Popular Articles", "inbox", " logo"]


def _first_line(raw: str) -> str:
    return next((line.strip() for line in raw.splitlines() if line.strip()), "")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_seed_title(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    got = clean_text(raw)
    if len(_first_line(raw).split()) > 40:
        assert got.title is None  # opens straight into a body paragraph
        return
    assert got.title is not None
    flat = " ".join(raw.split())
    assert got.title in flat
    assert not got.text.startswith(got.title)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_seed_no_chrome(path: Path) -> None:
    got = clean_text(path.read_text(encoding="utf-8"))
    for marker in CHROME_MARKERS:
        assert marker not in got.text, marker
    for para in got.text.split("\n\n"):
        words = para.split()
        assert not (len(words) <= 3 and para.isupper()), para  # "LATEST", brand words
        assert not re.search(r"/ [^/.]{1,40} / [^/.]{1,40}$", para), para  # "/ Photographer / Agency"


def test_seed_with_last_update_uses_byline_date() -> None:
    path = next(
        (p for p in FILES if _first_line(p.read_text(encoding="utf-8")).lower().startswith("last update")),
        None,
    )
    if path is None:
        pytest.skip("no seed with a last-update stamp")
    got = clean_text(path.read_text(encoding="utf-8"))
    assert got.published == "2018-09-11"
    assert got.authors == ("Vusala Abbasova",)
    assert "Last update" not in got.text


def test_seed_with_day_month_then_year() -> None:
    def split_date(p: Path) -> bool:
        lines = [x.strip() for x in p.read_text(encoding="utf-8").splitlines()]
        return len(lines) > 1 and lines[1].isdigit() and len(lines[1]) == 4

    path = next((p for p in FILES if split_date(p)), None)
    if path is None:
        pytest.skip("no seed with a split date line")
    got = clean_text(path.read_text(encoding="utf-8"))
    assert got.published == "2025-02-05"


def test_only_dated_seeds_get_a_date() -> None:
    dated = [p for p in FILES if clean_text(p.read_text(encoding="utf-8")).published]
    assert len(dated) == 2


def test_one_seed_is_hard_wrapped() -> None:
    wrapped = [p for p in FILES if is_hard_wrapped(normalize(p.read_text(encoding="utf-8")).split("\n"))]
    assert len(wrapped) == 1


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_seed_paragraphs_whole(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    got = clean_text(raw)
    paras = got.text.split("\n\n")
    assert all("\n" not in p for p in paras)
    if is_hard_wrapped(normalize(raw).split("\n")):
        raw_lines = [line for line in raw.splitlines() if line.strip()]
        assert len(paras) * 4 < len(raw_lines)
        assert sum(len(p) for p in paras) / len(paras) > 200
        # every paragraph ends a sentence: no paragraph was cut in the middle
        assert all(p.rstrip("”’\"'")[-1] in ".?!" for p in paras)
