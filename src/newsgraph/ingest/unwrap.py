"""Join hard-wrapped lines back into paragraphs.

PDF exports and some feeds break every line at a fixed width, so a sentence
arrives as several short lines, sometimes with an indented first line, stray
blank lines in the middle of a sentence, or a one-word line left over where two
wrap widths met. Sentence splitting and entity spans downstream need whole
paragraphs, so this module rebuilds them.

Text that is not hard-wrapped (one paragraph per line, as most scrapers write
it) is left alone: no two lines are ever joined there.

The helpers at the top (``ends_sentence``, ``ends_mid_sentence``, ...) describe
the shape of a line and are shared with the chrome and header detectors.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

__all__ = [
    "CONNECTORS",
    "SMALL_WORDS",
    "ends_mid_sentence",
    "ends_sentence",
    "ends_with_continuation",
    "is_hard_wrapped",
    "is_heading_like",
    "starts_lowercase",
    "title_case_ratio",
    "unwrap",
    "unwrap_lines",
    "word_set",
]


def word_set(spaced: str) -> frozenset[str]:
    """A set of words written as one spaced string: easier to read and extend than a list literal."""
    return frozenset(spaced.split())


_CLOSERS = "\"'”’»)]*"
_OPENERS = "\"'“‘«([*"
_TERMINAL = frozenset(".!?…")

CONNECTORS = word_set(
    """a an the and or but nor of in on at to for from by with as into onto over under than that
    which who whose whom its their his her our your this these those is are was were be been has
    have had will would could should may might must not no said says told according amid after
    before during between against about across via per if while because since where when"""
)
"""Words that almost never end a sentence, so a line ending with one continues on the next."""

SMALL_WORDS = word_set(
    """a an the and or but nor of in on at to for from by with as into onto over vs via per amid
    after up off out than is are be its"""
)
"""Words that title case leaves in lower case; ignored when measuring capitalization."""

_BULLET = re.compile(r"^(?:[•▪◦·‣∙*-]\s|\d{1,3}[.)]\s|[a-z][.)]\s)")


def ends_sentence(line: str) -> bool:
    """True when the line ends with sentence-final punctuation (closing quotes allowed)."""
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in _TERMINAL


def starts_lowercase(line: str) -> bool:
    """True when the first letter (after quotes and brackets) is lower case: a continuation."""
    s = line.lstrip().lstrip(_OPENERS)
    return bool(s) and s[0].islower()


def ends_with_continuation(line: str) -> bool:
    """True when the line ends with a comma, hyphen, dash or a connector such as "the" or "of".

    Such a line cannot end a sentence or a headline, so the next line continues it.
    """
    s = line.rstrip()
    if not s:
        return False
    if s[-1] in ",;-–—(/&":
        return True
    if ends_sentence(s):
        return False
    last = s.rsplit(None, 1)[-1].strip(_CLOSERS + _OPENERS)
    return bool(last) and last.casefold() in CONNECTORS


def ends_mid_sentence(line: str) -> bool:
    """Looser than :func:`ends_with_continuation`: a lower-case last word counts too.

    Only meaningful in hard-wrapped text, where most lines stop mid-sentence;
    in scraped text a sentence-case headline ends the same way.
    """
    if ends_with_continuation(line):
        return True
    s = line.rstrip()
    if not s or ends_sentence(s):
        return False
    last = s.rsplit(None, 1)[-1].strip(_CLOSERS + _OPENERS)
    return bool(last) and last[0].islower()


def title_case_ratio(line: str) -> float:
    """Share of content words (not small words) that start with a capital letter or digit."""
    content = 0
    capped = 0
    for raw in line.split():
        word = raw.strip(_CLOSERS + _OPENERS + ",:;.!?–—-")
        if not word or word.casefold() in SMALL_WORDS:
            continue
        content += 1
        if word[0].isupper() or word[0].isdigit():
            capped += 1
    return capped / content if content else 0.0


def is_heading_like(line: str) -> bool:
    """A short, capitalized line without final punctuation: a title or a sub-heading."""
    s = line.strip()
    if not s or len(s) > 160:
        return False
    words = s.split()
    if len(words) > 16:
        return False
    if s[-1] in ".,;:" or ends_with_continuation(s):
        return False
    if starts_lowercase(s):
        return False
    return len(words) <= 3 or title_case_ratio(s) >= 0.6


def is_hard_wrapped(lines: Sequence[str]) -> bool:
    """Decide whether the text was broken at a fixed width rather than at paragraph ends.

    The evidence is the number of line breaks that fall inside a sentence: the
    line before does not end a sentence and the next line starts in lower case
    or the line before ends with a connector, comma or hyphen. Scraped web
    text has almost none of those; a PDF export has them on most lines.
    """
    nonblank = 0
    soft = 0
    prev: str | None = None
    for line in lines:
        if not line.strip():
            continue
        nonblank += 1
        if (
            prev is not None
            and not ends_sentence(prev)
            and (starts_lowercase(line) or ends_with_continuation(prev))
        ):
            soft += 1
        prev = line
    if nonblank < 3:
        return False
    return soft >= 2 and soft >= 0.15 * nonblank


def _list_start(line: str) -> bool:
    return bool(_BULLET.match(line.lstrip()))


def unwrap(lines: Sequence[str]) -> list[str]:
    """Rebuild paragraphs from lines; returns one string per paragraph, stripped.

    In hard-wrapped text a line joins the one before unless there is evidence
    of a paragraph end: a blank line after a sentence end or a heading, an
    indented line after a sentence end, a list item after a sentence end, or a
    heading standing alone. Blank lines inside a sentence (the line before
    stops mid-sentence and the next starts in lower case or follows a
    connector) are ignored. In any other text every non-blank line is its own
    paragraph.
    """
    if not is_hard_wrapped(lines):
        return [s for s in (line.strip() for line in lines) if s]
    upper_next = _next_starts_upper(lines)
    paragraphs: list[str] = []
    current: list[str] = []  # pieces of the paragraph being built, joined at the end
    last_line = ""  # the previous non-blank line as it came (with its indent)
    gap = 0
    heading_open = False  # the previous line stood alone after a blank: maybe a heading
    fresh = True  # the paragraph being built began after a sentence end: it may be a heading
    for k, line in enumerate(lines):
        if not line.strip():
            gap += 1
            continue
        stripped = line.strip()
        if not current:
            current = [stripped]
            heading_open = True
        else:
            prev = current[-1]
            prev_ends = ends_sentence(prev)
            continues = not prev_ends and (starts_lowercase(stripped) or ends_with_continuation(prev))
            if gap:
                brk = not continues
            elif heading_open and len(current) == 1 and is_heading_like(prev) and not continues:
                brk = True
            elif fresh and len(current) == 1 and _is_section_heading(prev) and not continues:
                brk = True  # "2. Findings" or "Background" on its own line, no blank line around it
            else:
                indented = line[:1].isspace() and not last_line[:1].isspace()
                brk = prev_ends and indented
                if _list_start(stripped) and (prev_ends or prev.endswith(":") or _list_start(current[0])):
                    brk = True  # a new list item
                if prev_ends and upper_next[k] and _is_section_heading(stripped):
                    brk = True  # a heading after a sentence end, with a capitalized line under it
            if brk:
                paragraphs.append(_merge(current))
                fresh = prev_ends or len(current) == 1
                current = [stripped]
                heading_open = gap > 0 or not paragraphs
            else:
                current.append(stripped)
                heading_open = False
        last_line = line
        gap = 0
    if current:
        paragraphs.append(_merge(current))
    return paragraphs


_NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.)\s+\S")
_BULLET_ONLY = re.compile(r"^[•▪◦·‣∙*-]\s")


def _is_section_heading(line: str) -> bool:
    """A numbered or heading-shaped short line with no final punctuation ("3. Outlook", "Key findings")."""
    s = line.strip()
    if not s or len(s.split()) > 8 or s[-1] in ".,;:!?" or _BULLET_ONLY.match(s):
        return False
    if ends_with_continuation(s) or starts_lowercase(s):
        return False
    return bool(_NUMBERED_HEADING.match(s)) or is_heading_like(s)


def _next_starts_upper(lines: Sequence[str]) -> list[bool]:
    """For each line: does the next non-blank line start with a capital letter or a digit?"""
    out = [False] * len(lines)
    upper = False
    for k in range(len(lines) - 1, -1, -1):
        out[k] = upper
        s = lines[k].strip().lstrip(_OPENERS)
        if s:
            upper = s[0].isupper() or s[0].isdigit()
    return out


def _merge(pieces: list[str]) -> str:
    """Join the lines of one paragraph; a word hyphenated at a line end keeps its hyphen."""
    parts = [pieces[0]]
    for prev, piece in itertools.pairwise(pieces):
        if not (prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and piece[:1].islower()):
            parts.append(" ")
        parts.append(piece)
    return "".join(parts)


def unwrap_lines(text: str) -> str:
    """Return ``text`` as paragraphs separated by one blank line, hard wraps undone.

    For text that is not hard-wrapped each non-blank line becomes a paragraph
    unchanged, so only the blank lines between them are normalized.
    """
    return "\n\n".join(unwrap(text.split("\n")))
