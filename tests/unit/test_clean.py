"""clean_text over the fixture pairs in tests/fixtures/clean, and its robustness guarantees."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsgraph.ingest.chrome import chrome_mask, classify_line, looks_like_brand
from newsgraph.ingest.clean import clean_text, is_markdown, normalize, strip_chrome, strip_markdown
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
        "Shopify.com to cut 1,000 jobs",
        "Attack on Border Post",
        "Raid on safe house ends in arrests | The Valley Post",
        "Jane Doe | Westpress",
        "Russia and Iran Agree New Border Deal",
        "Temperatures of 40°C and 42°C were recorded on Monday and Tuesday, officials said.",
        "By Jane Doe · Valley Notes · 3 May 2023",
        "The latest: talks resume on Monday after a week of fighting, the mediators said.",
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
        ("VPA | Valley Press Agency", "masthead"),
        ("valleypost.example - News from the valley and the hills", "masthead"),
        ("www.valleypost.example", "masthead"),
        ("Valley Post - Your source for local news", "masthead"),
        ("Valley Post - Hilltown and the Northern Districts", "masthead"),
        ("[logo] Valley Post - the voice of the hills", "logo"),
        ("Hilltown 24°C Sunny Lowtown 26°C Port 22°C USD/EUR 1.08", "weather"),
        ("Share Facebook X Telegram Email Print", "nav"),
        ("Home World Politics Middle East Economy Sport Video Photo", "nav"),
        (">> Sign up for the Valley Post morning newsletter: the top stories, every weekday <<", "promo"),
        ("Latest: Port tariffs unchanged | Rail link to open", "readmore"),
        ("-- Valley Digest | printed 28/01/2025 09:14 | page 1 of 2 --", "page"),
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


def test_caps_brand_next_to_its_masthead_is_chrome() -> None:
    lines = ["VALLEY POST", "valleypost.example - News from the hills", "", "Gunmen attack police post"]
    assert chrome_mask(lines)[:2] == [True, True]
    # the all-caps line is kept apart from a lower-case logo line, never joined into a title
    lines = ["VALLEY POST", "[logo] Valley Post - the voice of the hills", "", "Gunmen attack police post"]
    assert chrome_mask(lines)[:2] == [True, True]


def test_running_header_next_to_page_number_is_chrome() -> None:
    body = "Officials said the talks would resume in the spring after the winter recess, and"
    lines = [
        "Valley Institute - Paper No. 4",
        "Border Review 2022",
        "The border was quiet for most of the year, officials said, but the autumn saw new raids.",
        body,
        "Page 1 of 2",
        "Valley Institute - Paper No. 4",
        "that both sides had agreed to keep the crossing open.",
    ]
    mask = chrome_mask(lines)
    assert mask[4] and mask[5]
    assert not mask[0]  # the head is the header reader's to judge


def test_brand_shapes() -> None:
    assert looks_like_brand("The Valley Courier")
    assert looks_like_brand("VPA | Valley Press Agency")
    assert not looks_like_brand("Attack on Border Post")
    assert not looks_like_brand("Gunmen kill four at border checkpoint")


MARKDOWN = """# What the raids tell us

*By Jane Doe · Valley Notes · 25 May 2023*

The raids were **the largest** in years, a [spokesman](https://example.org/x) said, and _many_ remain.

## What we know

> "It was well prepared," the spokesman said.

- four rifles;
- two pistols.

---

**Related:** [Earlier raids](/notes/earlier) · [Who is behind it?](/notes/who)"""


def test_markdown_is_plain_text_before_cleaning() -> None:
    lines = MARKDOWN.split("\n")
    assert is_markdown(lines)
    plain = strip_markdown(lines)
    assert len(plain) == len(lines)
    assert plain[0] == "What the raids tell us"
    assert plain[2] == "By Jane Doe · Valley Notes · 25 May 2023"
    assert plain[4] == "The raids were the largest in years, a spokesman said, and many remain."
    assert plain[6] == "What we know"
    assert plain[8] == '"It was well prepared," the spokesman said.'
    assert plain[10] == "- four rifles;"


def test_markdown_article_metadata_and_body() -> None:
    got = clean_text(MARKDOWN)
    assert got.title == "What the raids tell us"
    assert got.authors == ("Jane Doe",)
    assert got.published == "2023-05-25"
    paras = got.text.split("\n\n")
    assert paras[0].startswith("The raids were the largest in years")
    assert "What we know" in paras
    for mark in ("#", "**", "](", "Related", "---"):
        assert mark not in got.text, mark


@pytest.mark.parametrize(
    "text",
    [
        "The charge carries 5 * 3 years at most, the lawyer said.\nHe used the alias snake_case_man online.",
        "Residents said the * mark on the doors appeared overnight.\n* * *\nA second paragraph.",
        "#StopTheAttacks trended on Monday.\nThe campaign spread fast.",
    ],
)
def test_plain_text_is_not_taken_for_markdown(text: str) -> None:
    lines = text.split("\n")
    assert not is_markdown(lines)
    assert strip_markdown(lines) == lines
