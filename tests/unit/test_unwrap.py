"""Rebuilding paragraphs from hard-wrapped lines, and leaving other text alone."""

from __future__ import annotations

from newsgraph.ingest.unwrap import (
    ends_mid_sentence,
    ends_sentence,
    ends_with_continuation,
    is_hard_wrapped,
    is_heading_like,
    starts_lowercase,
    title_case_ratio,
    unwrap,
    unwrap_lines,
)

WRAPPED = """The convoy left the base at dawn and
drove north along the river road toward
the
border post, where it was stopped by a
crowd of villagers.
 The villagers said the soldiers had
no permission to cross their land.

Officials later said the convoy had
turned back."""


def test_line_shape_helpers() -> None:
    assert ends_sentence("It ended.")
    assert ends_sentence("“It ended,” he said.”")
    assert ends_sentence("Really?”")
    assert not ends_sentence("It ended,")
    assert starts_lowercase("“legitimate interests”")
    assert not starts_lowercase("Legitimate")
    assert ends_with_continuation("attacks on the")
    assert ends_with_continuation("attacks,")
    assert not ends_with_continuation("attack on peacekeepers")
    assert ends_mid_sentence("attack on peacekeepers")
    assert not ends_mid_sentence("Attack on Peacekeepers")
    assert title_case_ratio("How Terror Attacks Gift Russia an Opportunity") == 1.0
    assert title_case_ratio("when the state retreats") == 0.0


def test_heading_like() -> None:
    assert is_heading_like("Analysts: Open Conflict Unlikely, But a Risk")
    assert is_heading_like("Background")
    assert not is_heading_like("The talks failed.")
    assert not is_heading_like("district offices closed one by one after the")


def test_detects_hard_wrap() -> None:
    assert is_hard_wrapped(WRAPPED.split("\n"))
    web = "First paragraph ends here.\nSecond paragraph ends too.\nA Heading\nThird one."
    assert not is_hard_wrapped(web.split("\n"))


def test_unwraps_paragraphs() -> None:
    paras = unwrap(WRAPPED.split("\n"))
    assert paras == [
        "The convoy left the base at dawn and drove north along the river road toward the border post, "
        "where it was stopped by a crowd of villagers.",
        "The villagers said the soldiers had no permission to cross their land.",
        "Officials later said the convoy had turned back.",
    ]


def test_blank_lines_inside_a_sentence_are_joined() -> None:
    text = (
        "The militias seized the\nroads and the markets. Their answer\n\n\n\n"
        "was a curfew that\nlasted a month.\n\nNew paragraph here."
    )
    assert unwrap_lines(text) == (
        "The militias seized the roads and the markets. Their answer was a curfew that lasted a month."
        "\n\nNew paragraph here."
    )


def test_heading_kept_apart_in_wrapped_text() -> None:
    text = (
        "The talks were\nsuspended in May after\nthe attack.\n\n"
        "What Comes Next\n\nDiplomats expect\nnew talks in\nautumn."
    )
    assert unwrap(text.split("\n")) == [
        "The talks were suspended in May after the attack.",
        "What Comes Next",
        "Diplomats expect new talks in autumn.",
    ]


def test_hyphen_at_line_end_is_kept_without_space() -> None:
    text = "a contribution that may be over-\nhyped, and a strategy\nthat is not\nclear at all."
    assert (
        unwrap_lines(text)
        == "a contribution that may be over-hyped, and a strategy that is not clear at all."
    )


def test_list_items_after_sentence_end() -> None:
    text = (
        "The report lists three\ndemands from the group:\n"
        "- the release of\nprisoners\n- a\nwithdrawal of troops"
    )
    paras = unwrap(text.split("\n"))
    assert paras[0] == "The report lists three demands from the group:"
    assert paras[1] == "- the release of prisoners"


def test_not_wrapped_text_is_left_alone() -> None:
    text = "Police said two men were arrested.\nThey were charged on Friday.\n\n\nA third man is sought."
    assert unwrap(text.split("\n")) == [
        "Police said two men were arrested.",
        "They were charged on Friday.",
        "A third man is sought.",
    ]


def test_empty_and_blank() -> None:
    assert unwrap_lines("") == ""
    assert unwrap_lines("\n \n") == ""


def test_long_input_is_linear() -> None:
    import time

    lines = ["and the fighting went on"] * 50_000
    start = time.perf_counter()
    out = unwrap(lines)
    assert time.perf_counter() - start < 3
    assert len(out) == 1


def test_numbered_headings_without_blank_lines_stand_apart() -> None:
    text = (
        "The review counts every incident\nreported in the quarter.\n"
        "1. The port seizure\n"
        "On 12 August customs officers stopped a van\nnear the river crossing.\n"
        "Key findings\n"
        "Seizures rose in the\nsecond half of the year.\n"
        "2. Outlook\n"
        "The institute expects smuggling\nto rise before the winter."
    )
    assert unwrap(text.split("\n")) == [
        "The review counts every incident reported in the quarter.",
        "1. The port seizure",
        "On 12 August customs officers stopped a van near the river crossing.",
        "Key findings",
        "Seizures rose in the second half of the year.",
        "2. Outlook",
        "The institute expects smuggling to rise before the winter.",
    ]


def test_numbered_list_sentence_is_not_a_heading() -> None:
    text = (
        "The group made three\ndemands of the government.\n"
        "1. The release of prisoners held\nsince the spring.\n"
        "2. A withdrawal of troops from\nthe valley."
    )
    paras = unwrap(text.split("\n"))
    assert paras[1] == "1. The release of prisoners held since the spring."
