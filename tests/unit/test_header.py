"""Title, byline and date detection at the head of an article."""

from __future__ import annotations

import pytest

from newsgraph.ingest.header import MIN_TITLE_SCORE, extract_header, find_date, parse_byline, score_title


def _header(text: str):  # type: ignore[no-untyped-def]
    return extract_header(text.split("\n"))


BODY = (
    "Security forces raided a house on the edge of the city on Monday "
    "and arrested three suspects, police said."
)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("September 11, 2018", "2018-09-11"),
        ("Sept. 11, 2018", "2018-09-11"),
        ("11 September 2018", "2018-09-11"),
        ("11th of September 2018", "2018-09-11"),
        ("05 Feb 2025", "2025-02-05"),
        ("Monday, 3 March 2021 10:15", "2021-03-03"),
        ("2023-07-19T08:30:00Z", "2023-07-19"),
        ("03.02.2021", "2021-02-03"),
        ("02/03/2021", "2021-02-03"),
        ("25/03/2021", "2021-03-25"),
        ("By Jane Doe September 11, 2018", "2018-09-11"),
    ],
)
def test_find_date(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found[0] == iso


@pytest.mark.parametrize("text", ["September 2018", "March 3", "2018", "31 February 2020", "may 2020 be", ""])
def test_find_date_needs_day_month_year(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize(
    ("line", "authors", "iso"),
    [
        ("By Jane Doe", ("Jane Doe",), None),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe"), None),
        ("By Jane Doe, John Roe and Mary Major", ("Jane Doe", "John Roe", "Mary Major"), None),
        ("By Jane Doe September 11, 2018", ("Jane Doe",), "2018-09-11"),
        ("By JANE DOE, STAFF WRITER", ("Jane Doe",), None),
        ("By Jane Doe in Baku", ("Jane Doe",), None),
        ("By Jane Doe | Reuters | 3 March 2021", ("Jane Doe",), "2021-03-03"),
        ("Written by Ana de la Cruz", ("Ana de la Cruz",), None),
    ],
)
def test_parse_byline(line: str, authors: tuple[str, ...], iso: str | None) -> None:
    assert parse_byline(line) == (authors, iso)


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the year, the group had split.",
        "Bystanders fled the scene",
        "Jane Doe | Reuters",
    ],
)
def test_not_a_byline(line: str) -> None:
    assert parse_byline(line) is None


def test_marked_byline_without_a_person() -> None:
    assert parse_byline("By Reuters") == ((), None)
    assert parse_byline("Posted by admin on 3 May 2021") == ((), "2021-05-03")


def test_site_suffix_dropped_from_title() -> None:
    h = _header(f"Raid on safe house ends in arrests | The Valley Post\n{BODY}")
    assert h.title == "Raid on safe house ends in arrests"


def test_standfirst_without_period_is_not_the_title() -> None:
    h = _header(
        "Raid on safe house ends in arrests\n"
        f"Officials say the cell had planned attacks on two markets\n{BODY}"
    )
    assert h.title == "Raid on safe house ends in arrests"
    assert 1 not in h.consumed


def test_unmarked_byline_needs_permission() -> None:
    assert parse_byline("Jane Doe | Reuters", allow_unmarked=True) == (("Jane Doe",), None)
    assert parse_byline("Border Clash Escalates in the North | Valley Daily", allow_unmarked=True) is None


def test_score_title_prefers_headlines() -> None:
    headline = score_title("Gunmen kill four at border checkpoint", order=0)
    sentence = score_title("Gunmen killed four people at a checkpoint on Tuesday, officials said.", order=0)
    kicker = score_title("Analysis", order=0)
    assert headline >= MIN_TITLE_SCORE
    assert sentence < MIN_TITLE_SCORE
    assert kicker < MIN_TITLE_SCORE
    assert score_title("Gunmen kill four", order=0, repeated=True) > score_title("Gunmen kill four", order=0)
    assert score_title("Gunmen kill four at checkpoint", order=3) < headline


def test_headline_byline_date() -> None:
    h = _header(f"Raid on safe house ends in arrests\nBy Jane Doe\nPublished: 4 April 2022\n\n{BODY}")
    assert h.title == "Raid on safe house ends in arrests"
    assert h.authors == ("Jane Doe",)
    assert h.published == "2022-04-04"
    assert h.consumed == frozenset({0, 1, 2})


def test_update_stamp_is_not_publication() -> None:
    h = _header(
        f"Last update: 9 June 2022 18:00\nRaid on safe house ends in arrests\nBy Jane Doe 2 June 2022\n{BODY}"
    )
    assert h.published == "2022-06-02"
    assert h.updated == "2022-06-09"
    assert 0 in h.consumed


def test_published_label_beats_bare_date() -> None:
    h = _header(f"1 May 2022\nRaid on safe house ends in arrests\nPublished: 30 April 2022\n{BODY}")
    assert h.published == "2022-04-30"


def test_only_update_stamp_gives_no_date() -> None:
    h = _header(f"Updated 9 June 2022\nRaid on safe house ends in arrests\n{BODY}")
    assert h.published is None
    assert h.updated == "2022-06-09"


def test_split_day_month_and_year() -> None:
    h = _header(f"05 Feb\n2025\nRaid on safe house ends in arrests\n\n{BODY}")
    assert h.published == "2025-02-05"
    assert {0, 1, 2} <= h.consumed


def test_repeated_title_consumed_once() -> None:
    h = _header(f"Raid on Safe House Ends in Arrests\n\nRaid on Safe House Ends in Arrests\n\n{BODY}")
    assert h.title == "Raid on Safe House Ends in Arrests"
    assert h.consumed == frozenset({0, 2})


def test_title_wrapped_over_two_title_case_lines() -> None:
    h = _header(f"How Smugglers Turned the Mountain\nPasses Into a Business\n{BODY}")
    assert h.title == "How Smugglers Turned the Mountain Passes Into a Business"


def test_no_title_when_text_opens_with_body() -> None:
    h = _header(f"{BODY}\n\nSecond paragraph of the story.")
    assert h.title is None
    assert h.consumed == frozenset()


def test_chrome_lines_are_not_titles() -> None:
    lines = ["Newsletter", "Raid on safe house ends in arrests", BODY]
    h = extract_header(lines, [True, False, False])
    assert h.title == "Raid on safe house ends in arrests"


def test_byline_after_standfirst() -> None:
    h = _header(
        "Raid on safe house ends in arrests\n"
        "Three men were detained in a dawn operation that followed months of surveillance.\n"
        "By Jane Doe\n\n"
        f"{BODY}"
    )
    assert h.authors == ("Jane Doe",)
    assert 2 in h.consumed
    assert 1 not in h.consumed


def test_tail_wire_credit() -> None:
    h = _header(f"Raid on safe house ends in arrests\n{BODY}\n(Reporting by Jane Doe; Editing by John Roe)")
    assert h.authors == ("Jane Doe",)
    assert 2 in h.consumed


def test_empty() -> None:
    assert extract_header([]).title is None
    assert extract_header([""]).title is None


def test_headline_on_the_byline_beats_a_slogan_above_it() -> None:
    slogan = "Highland Watch: Independent Voices From The Mountains"
    headline = "Two rangers wounded as gunmen fire on patrol near the northern pass"
    for sep in ("\n", "\n\n"):
        h = _header(f"{slogan}{sep}{headline}{sep}By Tomas Brenner 14 June 2021\n\n{BODY}")
        assert h.title == headline
        assert h.authors == ("Tomas Brenner",)
        assert h.published == "2021-06-14"
        assert 0 in h.consumed  # what sits above the headline leaves the body


def test_headline_on_a_dateline_beats_the_first_line() -> None:
    h = _header(
        "Valley Morning Star Online Edition\n"
        "Two rangers wounded as gunmen fire on patrol near the northern pass\n"
        f"14 June 2021\n\n{BODY}"
    )
    assert h.title == "Two rangers wounded as gunmen fire on patrol near the northern pass"


def test_site_name_line_is_not_the_title() -> None:
    h = _header(
        "VPA | Valley Press Agency\n\n"
        "Death toll from ferry blast rises to nine; prosecutors open terrorism case\n\n"
        f"By Jane Doe March 2, 2023\n\n{BODY}"
    )
    assert h.title == "Death toll from ferry blast rises to nine; prosecutors open terrorism case"
    assert score_title("VPA | Valley Press Agency", order=0) < MIN_TITLE_SCORE
    assert score_title("The Valley Courier", order=0) < MIN_TITLE_SCORE


def test_long_standfirst_on_the_byline_is_not_the_title() -> None:
    h = _header(
        "Raid on Safe House Ends in Arrests\n"
        "Officials say the cell had planned attacks on two markets in the old town during the festival\n"
        f"By Jane Doe\n\n{BODY}"
    )
    assert h.title == "Raid on Safe House Ends in Arrests"
    assert h.authors == ("Jane Doe",)


def test_running_header_is_not_joined_to_the_title() -> None:
    cases = [
        ("Valley Institute - Quarterly Paper Number Four", ""),  # set off by a dash
        (
            "Valley Institute Quarterly Paper Number Four",
            "\nPage 1 of 2\nValley Institute Quarterly Paper Number Four\n",
        ),
    ]
    for top, footer in cases:
        h = _header(
            f"{top}\nBorder Crime Review for the Summer\n"
            f"By Petra Holm\n\n{BODY}\n{footer}Second page text follows here, officials said."
        )
        assert h.title == "Border Crime Review for the Summer"
