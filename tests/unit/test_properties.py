"""Invariants under random input (hypothesis): cleaning, dates, numbers, places and the whole extractor.

Whatever the text, nothing raises, every offset lies inside the text, every span
equals the text at its offsets, and the extract object validates against the
shipped contract schema (src/newsgraph/resources/contract.schema.json).

Runs are derandomized (a fixed seed), so CI sees the same examples every time;
set NEWSGRAPH_HYPOTHESIS=explore to search with fresh random examples, ten times
as many (failures print the example to add as an @example).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from newsgraph.extract.numbers import (
    CasualtyFigures,
    Quantity,
    find_casualties,
    find_quantities,
    parse_quantity,
)
from newsgraph.extract.temporal import PRECISIONS, resolve_date
from newsgraph.geo.gazetteer import Gazetteer, load_gazetteer
from newsgraph.ingest.clean import clean_text

EXPLORE = os.environ.get("NEWSGRAPH_HYPOTHESIS") == "explore"


def _settings(examples: int, deadline: int | None = 2000) -> Any:
    return settings(
        max_examples=examples * (10 if EXPLORE else 1),
        deadline=None if EXPLORE else deadline,
        derandomize=not EXPLORE,
        database=None,  # no .hypothesis/ folder in the work tree
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- text that looks like news, scraped pages and their debris ------------------------------------

FRAGMENTS = [
    "Gunmen opened fire on a police checkpoint in Derbent on Monday, killing two officers.",
    "At least 12 people were killed and more than 40 wounded",
    "three soldiers and a civilian died",
    "Islamic State claimed the attack",
    "ISIS",
    "Russia",
    "the Kremlin",
    "Azerbaijan and Iran signed an agreement in Baku",
    "Iran accused Israel of sabotage",
    '"We will find those responsible," said Viktor Samsonov, a police spokesman.',
    "“They attacked us,” the minister told reporters.",
    "According to the Interior Ministry,",
    "By Lena Petrova",
    "March 4, 2024",
    "Updated: 2023-11-20 08:00",
    "last Monday",
    "in December",
    "two weeks ago",
    "# Heading",
    "## Sub heading",
    "* bullet point",
    "1. numbered item",
    "> a block quote",
    "[a link](https://example.org/x)",
    "**bold** and _emphasis_",
    "Home | World | Sport",
    "Share this article",
    "Advertisement",
    "Photo: Reuters",
    "Read more:",
    "© 2024 Example Wire. All rights reserved.",
    "hundreds",
    "dozens of",
    "1,200",
    "between 10 and 15",
    "a third of the 300 passengers",
    "Makhachkala",
    "Nalchik",
    "Tbilisi",
    "Georgia",
    "the",
    "said",
    "(",
    ")",
    '"',
    "“",
    "”",
    "'",
    "...",
    "—",
    "-",
    ":",
    ";",
    ",",
    ".",
    "?",
    "!",
]
SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\n\n\n", "\r\n", "\t", "  ", "", "\u00a0", "\u2028"]
ODD_CHARS = "\x00\x07\x0b\x0c\x1b\x7f\x85\u00ad\u200b\u200d\u2028\u2029\ufeff\ufffd\U0001f4a5\u0301é"


@st.composite
def newsy_text(draw: st.DrawFn, max_pieces: int = 40) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(FRAGMENTS),
                st.sampled_from(FRAGMENTS),
                st.text(max_size=20),
                st.text(alphabet=ODD_CHARS, min_size=1, max_size=3),
                st.integers(min_value=0, max_value=10**7).map(str),
            ),
            max_size=max_pieces,
        )
    )
    out: list[str] = []
    for piece in pieces:
        out.append(piece)
        out.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(out)


any_text = st.one_of(newsy_text(), st.text(max_size=300))


text_for_numbers = any_text


# -- cleaning ----------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REMOVED_CHARS = set("\x00\r\t\x0b\x0c\x7f\x85\u00ad\u200b\u2028\u2029\ufeff")


@_settings(300)
@given(raw=any_text)
@example(raw="")
@example(raw="\ufeff\r\n\r\n")
@example(raw="Title\n\nBy A B\n\n" + "word " * 50)
def test_clean_text_gives_paragraphs_and_metadata_for_any_string(raw: str) -> None:
    errors = _Collect()
    logger = logging.getLogger("newsgraph.ingest.clean")
    logger.addHandler(errors)
    try:
        cleaned = clean_text(raw)
    finally:
        logger.removeHandler(errors)
    assert not errors.records, "the cleaning heuristics raised and fell back"
    text = cleaned.text
    assert isinstance(text, str)
    if text:
        for paragraph in text.split("\n\n"):
            assert paragraph, "an empty paragraph"
            assert "\n" not in paragraph, "a line break inside a paragraph"
            assert paragraph == paragraph.strip()
    assert not REMOVED_CHARS & set(text)
    assert unicodedata.is_normalized("NFC", text)
    assert clean_text(raw) == cleaned  # deterministic
    if cleaned.published is not None:
        assert ISO_DATE.match(cleaned.published)
        dt.date.fromisoformat(cleaned.published)
    if cleaned.title is not None:
        assert cleaned.title.strip() and "\n" not in cleaned.title
    for author in cleaned.authors:
        assert author.strip() and "\n" not in author


# -- dates ---------------------------------------------------------------------------------------------

anchors = st.one_of(st.none(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31)))
tenses = st.sampled_from([None, "past", "future", "present", "nonsense"])
DATE_WORDS = st.sampled_from(
    [
        "last Monday",
        "on Friday",
        "in December",
        "December 2019",
        "last year",
        "next week",
        "two weeks ago",
        "the past two years",
        "between 2003 and 2005",
        "early March",
        "the 1990s",
        "spring 2021",
        "Q3 2022",
        "the first half of 2020",
        "Christmas Eve",
        "yesterday",
        "tonight",
        "recently",
        "31 February 2021",
        "the 21st century",
        "March 4",
        "4/3/2024",
    ]
)


def _check_date_value(text: str, value: Any) -> None:
    if value is None:
        return
    assert value.text == text
    assert value.precision in PRECISIONS
    for bound in (value.start, value.end):
        assert bound is None or ISO_DATE.match(bound)
    if value.start and value.end:
        assert dt.date.fromisoformat(value.start) <= dt.date.fromisoformat(value.end)
    if value.precision == "day" and value.start:
        assert value.start == value.end
    if value.precision == "unknown":
        assert value.start is None and value.end is None
    json.dumps(value.to_dict())


@_settings(300)
@given(text=st.one_of(DATE_WORDS, any_text, st.text(max_size=40)), anchor=anchors, tense=tenses)
def test_resolve_date_never_raises_and_keeps_its_shape(text: str, anchor: dt.date | None, tense: Any) -> None:
    from newsgraph.extract import temporal

    # resolve_date swallows errors by design; the rules under it must not need that
    temporal._resolve(text, anchor, tense if tense in ("past", "future") else None)
    _check_date_value(text, resolve_date(text, anchor, tense=tense))


DATE_FORMATS = [
    "{month} {d}, {y}",
    "{d} {month} {y}",
    "{y}-{m:02d}-{d:02d}",
    "{month} {d} {y}",
    "{weekday}, {month} {d}, {y}",
]


@_settings(200)
@given(
    day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    anchor=anchors,
    fmt=st.sampled_from(DATE_FORMATS),
)
def test_absolute_dates_resolve_to_themselves(day: dt.date, anchor: dt.date | None, fmt: str) -> None:
    text = fmt.format(
        month=day.strftime("%B"), weekday=day.strftime("%A"), d=day.day, m=day.month, y=day.year
    )
    value = resolve_date(text, anchor)
    assert value is not None, text
    assert (value.start, value.end, value.precision) == (day.isoformat(), day.isoformat(), "day"), text


@_settings(100)
@given(year=st.integers(1900, 2099), month=st.integers(1, 12), anchor=anchors)
def test_a_month_and_year_is_that_whole_month(year: int, month: int, anchor: dt.date | None) -> None:
    text = f"{dt.date(year, month, 1):%B} {year}"
    value = resolve_date(text, anchor)
    assert value is not None and value.precision == "month", text
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).isoformat()
    assert (value.start, value.end) == (f"{year}-{month:02d}-01", last)


# -- numbers ---------------------------------------------------------------------------------------------


def _check_quantity(q: Quantity | None, text: str) -> None:
    if q is None:
        return
    assert 0 <= q.start <= q.end <= len(text)
    assert text[q.start : q.end] == q.text
    for bound in (q.min, q.max):
        assert bound is None or (isinstance(bound, int) and bound >= 0)
    if q.min is not None and q.max is not None:
        assert q.min <= q.max
    assert isinstance(q.approx, bool)


def _figures(f: CasualtyFigures) -> list[Quantity | None]:
    return [f.killed, f.injured, f.hostages, f.arrested, *f.attributes.values()]


@_settings(400)
@given(text=text_for_numbers)
@example(text="At least 12 people were killed and more than 40 wounded, 3 of them critically.")
@example(text="Two soldiers and three civilians were killed; dozens were hurt and 7 taken hostage.")
def test_numbers_never_raise_and_spans_match(text: str) -> None:
    for q in _figures(find_casualties(text)):
        _check_quantity(q, text)
    for q in find_quantities(text):
        _check_quantity(q, text)
    _check_quantity(parse_quantity(text), text)


@pytest.mark.parametrize(
    "text", ["Two people were killed.¹", "³ Five soldiers died.", "Police said ② were hurt"]
)
def test_superscript_and_circled_digits_are_not_counts(text: str) -> None:
    """Once a crash: a footnote marker ("killed.¹") made the whole document's extraction fail."""
    for q in _figures(find_casualties(text)):
        _check_quantity(q, text)


UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
)
UNITS += "sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(n: int) -> str:
    if n < 20:
        return UNITS[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + UNITS[n % 10])
    rest = n % 100
    return UNITS[n // 100] + " hundred" + ("" if rest == 0 else " and " + _words(rest))


@_settings(300)
@given(n=st.integers(min_value=0, max_value=10**6), style=st.sampled_from(["digits", "commas", "words"]))
def test_counts_round_trip(n: int, style: str) -> None:
    if style == "words":
        assume(n < 1000)
        written = _words(n)
    else:
        written = f"{n:,}" if style == "commas" else str(n)
    q = parse_quantity(f"{written} people")
    assert q is not None, written
    assert (q.min, q.max, q.text) == (n, n, written)


# -- places ------------------------------------------------------------------------------------------------


@cache
def _gazetteer() -> Gazetteer:
    return load_gazetteer()


@cache
def _validator() -> Draft202012Validator:
    text = resources.files("newsgraph.resources").joinpath("contract.schema.json").read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _place_validator() -> Any:
    schema = _validator().schema
    return Draft202012Validator({"$ref": "#/$defs/place", "$defs": schema["$defs"]})


PLACE_NAMES = st.sampled_from(
    ["Derbent", "Baku", "Tbilisi", "Georgia", "Nice", "Paris", "the Caucasus", "Dagestan", "Moscow", "Erbil"]
)
COUNTRY_CODES = st.sampled_from(["RUS", "AZE", "IRN", "USA", "FRA", "GEO", "IRQ", "TUR", "XXX", "", "rus"])


@_settings(300)
@given(
    name=st.one_of(PLACE_NAMES, any_text, st.text(max_size=30)),
    countries=st.lists(COUNTRY_CODES, max_size=3),
    admin1=st.lists(st.one_of(PLACE_NAMES, st.text(max_size=15)), max_size=2),
)
def test_resolve_place_never_raises_and_gives_a_contract_place(
    name: str, countries: list[str], admin1: list[str]
) -> None:
    gaz = _gazetteer()
    place = gaz.resolve(name, countries, admin1)
    assert gaz.resolve(name, countries, admin1) == place  # deterministic
    if place is None:
        return
    geo = gaz.to_geo(place)
    errors = [e.message for e in _place_validator().iter_errors(geo)]
    assert not errors, (name, geo, errors)


def test_every_country_resolves_to_itself_by_name() -> None:
    gaz = _gazetteer()
    wrong = {}
    for country in gaz.countries():
        for written in (country.name, country.name.upper(), country.name.lower()):
            found = gaz.resolve(written)
            if found is None or found.country != country.country:
                wrong[written] = found.country if found else None
    assert not wrong


# -- the whole extractor -------------------------------------------------------------------------------------


@cache
def _resources() -> Any:
    from newsgraph.runtime import load_resources

    return load_resources()


def _check_extraction(text: str, published: str | None) -> None:
    from newsgraph.extract.document import extract_documents
    from newsgraph.models import Document

    doc = Document(
        doc_id="d" * 16, source="prop://doc", content_hash="0" * 32, text=text, published=published
    )
    (x,) = list(extract_documents([doc], _resources()))
    n = len(text)

    def span(obj: dict[str, Any], what: str) -> None:
        assert 0 <= obj["start"] <= obj["end"] <= n, (what, obj)
        assert text[obj["start"] : obj["end"]] == obj["text"], (what, obj)

    previous_end = 0
    for s in x.sentences:
        assert previous_end <= s.start <= s.end <= n
        previous_end = s.end
    ids = {e.id for e in x.entities}
    assert len(ids) == len(x.entities), "an entity id appears twice"
    for e in x.entities:
        for m in e.mentions:
            span({"start": m.start, "end": m.end, "text": m.text}, f"mention of {e.id}")
            assert 0 <= m.sentence < max(len(x.sentences), 1)
    for ev in x.events:
        span(ev["trigger"], "trigger")
        for arg in ev.get("arguments", []):
            span(arg, f"argument {arg.get('role')}")
            assert arg.get("entity") is None or arg["entity"] in ids
        for target in ev["physical_targets"]:
            span(target, "physical target")
        for evidence in ev["evidence"]:
            assert 0 <= evidence["start"] <= evidence["end"] <= n
            assert 0 <= evidence["sentence"] < len(x.sentences)
        assert set(ev["source_actors"]) | set(ev["target_actors"]) <= ids
        for q in (ev["casualties"] or {}).values():
            if q:
                assert q["min"] is None or q["max"] is None or q["min"] <= q["max"]
    for quote in x.quotes:
        span(quote, "quote")
        assert quote["speaker"] is None or quote["speaker"] in ids
        ev = quote.get("evidence")
        if ev:
            assert 0 <= ev["start"] <= ev["end"] <= n
    contract = x.to_contract()
    encoded = json.dumps(contract, ensure_ascii=False, allow_nan=False)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(json.loads(encoded))]
    assert not errors, errors[:5]


@pytest.mark.filterwarnings("ignore")
@_settings(40, deadline=None)
@given(
    text=newsy_text(max_pieces=60),
    published=st.one_of(st.none(), st.dates().map(dt.date.isoformat)),
)
@example(text="", published=None)
@example(text="\n\n\n", published=None)
@example(text='"Unclosed quote said the minister', published="2024-03-04")
def test_the_extractor_keeps_every_span_inside_and_equal_to_the_text(
    text: str, published: str | None
) -> None:
    _check_extraction(text, published)


@pytest.mark.filterwarnings("ignore")
@_settings(25, deadline=None)
@given(raw=newsy_text(max_pieces=60))
def test_the_extractor_on_cleaned_text(raw: str) -> None:
    cleaned = clean_text(raw)
    assume(cleaned.text.strip())
    _check_extraction(cleaned.text, cleaned.published)
