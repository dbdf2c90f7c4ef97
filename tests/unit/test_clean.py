"""clean_text over the fixture pairs in tests/fixtures/clean, and its robustness guarantees."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsgraph.ingest.chrome import chrome_mask, classify_line
from newsgraph.ingest.clean import clean_text, normalize, strip_chrome
from newsgraph.models import CleanText

FIXTURES = Path(__file__).parents[1] / "fixtures" / "clean"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


def test_there_are_enough_fixtures() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str) -> None:
    raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    got = clean_text(raw)
    assert got.title == expected["title"]
    assert list(got.authors) == expected["authors"]
    assert got.published == expected["published"]
    assert got.text.startswith(expected["text_startswith"]), got.text[:200]
    if "text_endswith" in expected:
        assert got.text.endswith(expected["text_endswith"]), got.text[-200:]
    for needle in expected.get("text_contains", []):
        assert needle in got.text
    for needle in expected["text_not_contains"]:
        assert needle not in got.text, needle
    if "paragraphs" in expected:
        assert len(got.text.split("\n\n")) == expected["paragraphs"], got.text
    if got.title:
        assert not got.text.startswith(got.title)


@pytest.mark.parametrize("name", CASES)
def test_paragraph_shape(name: str) -> None:
    text = clean_text((FIXTURES / f"{name}.txt").read_text(encoding="utf-8")).text
    assert "\n\n\n" not in text
    for para in text.split("\n\n"):
        assert para == para.strip()
        assert "\n" not in para
        assert "  " not in para


@pytest.mark.parametrize("name", CASES)
def test_deterministic(name: str) -> None:
    raw = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    assert clean_text(raw) == clean_text(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        " ",
        "\n\n\n",
        "\x00\x01\x02",
        "\ufeff",
        "a",
        ".",
        "By",
        "By Jane Doe",
        "March 3, 2021",
        "05 Feb\n2025",
        "Last update: 31 February 2020",
        "\ud800 lone surrogate",
        "Title\r\nBody line one.\rBody line two.",
    ],
)
def test_never_raises_on_odd_input(raw: str) -> None:
    got = clean_text(raw)
    assert isinstance(got, CleanText)
    assert isinstance(got.text, str)


def test_binary_garbage() -> None:
    rng = random.Random(7)
    blob = bytes(rng.randrange(256) for _ in range(20_000)).decode("latin-1")
    got = clean_text(blob)
    assert isinstance(got.text, str)
    assert "\x00" not in got.text


def test_many_lines_without_punctuation_is_fast() -> None:
    import time

    raw = "\n".join(f"word{i} another word here and there" for i in range(10_000))
    start = time.perf_counter()
    got = clean_text(raw)
    assert time.perf_counter() - start < 5
    assert got.text


def test_huge_single_line_is_fast() -> None:
    import time

    raw = "Gunmen attacked a post. " * 200_000
    start = time.perf_counter()
    got = clean_text(raw)
    assert time.perf_counter() - start < 5
    assert got.title is None
    assert got.text.startswith("Gunmen attacked a post.")


def test_normalize_invisible_characters() -> None:
    assert normalize("a\u00a0b\u200bc\u00add\r\ne\tf") == "a bcd\ne f"
    assert normalize("   indented") == " indented"
    assert normalize("trailing   \n") == "trailing\n"


def test_strip_chrome_keeps_line_numbers() -> None:
    lines = ["back to top", "A real sentence about an attack.", "Popular Articles"]
    assert strip_chrome(lines) == ["", "A real sentence about an attack.", ""]


def test_title_not_repeated_in_text() -> None:
    raw = (
        "Border Guards Detain Armed Group\n\nBorder Guards Detain Armed Group\n\n"
        "Border guards detained nine armed men on Friday near the river crossing, officials said."
    )
    got = clean_text(raw)
    assert got.title == "Border Guards Detain Armed Group"
    assert got.text.startswith("Border guards detained nine")


@pytest.mark.parametrize(
    "line",
    [
        "Militants urged followers to subscribe to their channel, saying your faith demands it.",
        "Temperatures reached 45°C in the camp, aid workers said.",
        "Home to 40,000 people, the town was shelled overnight.",
        "Latest figures show 300 dead.",
        "Follow-up raids were carried out on Tuesday.",
        "Related attacks in the region",
        "The group's logo appeared on the flag.",
        "Sign up to fight, the recruiter told them.",
        "Updated casualty figures show 12 dead",
        "The cookie factory was hit by a shell, the owner said.",
        "By 2020, the group had 300 members.",
        "Copyright of the video belongs to the ministry, which released it.",
        "He was a subscriber to the newsletter, police said.",
        "Tags on the crates read 'machine parts'.",
        "What happened next",
    ],
)
def test_article_lines_are_not_chrome(line: str) -> None:
    assert classify_line(line) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("9.1° c SOMETOWN", "weather"),
        ("Daily Planet logo", "logo"),
        ("td_module_wrap", "residue"),
        ("Get our best stories straight to your inbox.", "promo"),
        ("Follow us on Telegram", "social"),
        ("We use cookies to personalise content. By browsing you accept our cookie policy.", "cookie"),
        ("© 2024 Example Media. All rights reserved.", "legal"),
        ("Photo: Jane Doe/Agency", "credit"),
        ("The square after the blast. / Jane Doe / Agency", "credit"),
        ("READ MORE: Ten things to know about the talks", "readmore"),
        ("Tags: security, border", "tags"),
        ("4 min read", "metrics"),
        ("Last update: July 1, 2020 10:00", "stamp"),
        ("Page 2 of 9", "page"),
        ("Home » World » Europe", "breadcrumb"),
        ("Back to top", "nav"),
        ("Popular Articles", "nav"),
        ("NEWSDESK", "caps"),
    ],
)
def test_chrome_kinds(line: str, kind: str) -> None:
    assert classify_line(line) == kind


def test_weak_chrome_inside_wrapped_sentence_is_kept() -> None:
    lines = [
        "The talks between the two delegations were held in the",
        "UN",
        "compound on the edge of the city, where the envoys met",
        "every morning for two weeks, officials said on the",
        "record.",
    ]
    assert chrome_mask(lines) == [False] * 5
