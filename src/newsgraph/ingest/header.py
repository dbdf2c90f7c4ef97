"""Read the headline, byline and publication date from the head of an article.

Scraped and exported articles start with a header in no fixed format: a
headline (sometimes wrapped over two lines, sometimes printed twice), a byline
("By Jane Doe and John Roe", "Jane Doe | Reuters"), a dateline ("05 Feb" over
"2025", "Published: March 3, 2021 10:15", "By Jane Doe September 11, 2018"),
and stamps that are not the publication date ("Last update: ..."). Relative
dates in the article resolve against the publication date, so reading the
wrong stamp shifts every event; and a title or byline left in the body becomes
a false first sentence. This module finds those lines and reports which ones
to drop from the body.

It is deliberately conservative: an article that opens straight into a body
paragraph has no title, and a date without a day, month and year is no date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from newsgraph.ingest.chrome import is_datetime_only, looks_like_brand
from newsgraph.ingest.unwrap import (
    ends_sentence,
    ends_with_continuation,
    starts_lowercase,
    title_case_ratio,
    word_set,
)

__all__ = ["Header", "extract_header", "find_date", "parse_byline", "score_title"]

HEAD_LINES = 80
"""Raw lines looked at for a header; headers never run longer than this."""
HEAD_LOGICAL = 12
"""Logical lines (wrapped lines joined) that may precede the body."""
MIN_TITLE_SCORE = 2.0
ABOVE_ANCHOR_PENALTY = 2.5
"""Taken from every title candidate above a headline-shaped line that sits right on the byline."""
RUNNING_HEADER_PENALTY = 3.0
"""Taken from a head line that is printed again below the head (a running page header)."""

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_NUM = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_TEXT_DATES = (
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?[\s-]+(?:of\s+)?{_MONTH}\b\.?,?[\s-]+\d{{4}}\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b,?\s+\d{{4}}\b", re.IGNORECASE),
)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_YMD_SLASH = re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b")
_NUM_DATE = re.compile(r"\b(\d{1,2})([./])(\d{1,2})\2(\d{4})\b")
_DAY_MONTH = re.compile(
    rf"^(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?)$", re.I
)
_YEAR = re.compile(r"^(?:19|20)\d{2}$")

_DATE_LABEL = re.compile(
    r"^(?:(?P<upd>last\s+updated?|updated?(?:\s+on)?|modified|last\s+modified|edited)|"
    r"(?P<pub>(?:first\s+)?published(?:\s+on)?|posted(?:\s+on)?|date|created|released|issued))\b\s*[:|–—-]?\s*",
    re.IGNORECASE,
)
_SEGMENT_SPLIT = re.compile(r"\s*[|•·]\s*")

_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "RELATIVE_BASE": dt.datetime(2000, 1, 1),
    "PARSERS": ["custom-formats", "absolute-time"],
}
"""Never fill a missing day, month or year from today: that would make output depend on the run date."""

_BYLINE = re.compile(
    r"^\(?\s*(?:by|written by|words by|story by|text by|report by|posted by|authors?\s*:)\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_TAIL_CREDIT = re.compile(r"^\(?\s*(?:reporting|writing|additional reporting|reported) by\s+", re.IGNORECASE)
_BYLINE_CUT = re.compile(r"\s*[|•·(]\s*|\s+[–—-]\s+|\s+(?:in|for|at|on|from|with)(?:\s|$)|\s+\d")
_NAME_SPLIT = re.compile(r"\s*[,;]\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_PARTICLES = word_set("de da del della der di dos du el al bin ibn la le van von y ben")
_NOT_NAME = word_set(
    """staff writer writers reporter reporters correspondent correspondents editor editors editorial
    news agency agencies desk team bureau service services press media contributor contributors
    reuters afp associated board online digital report reports analysis special senior chief
    political the our and office newsroom investigations international foreign affairs"""
)
_SEPARATED = re.compile(r"\s[|•·]\s|\s[–—]\s")
_SPACED_SEP = re.compile(r"\s[|•·–—-]\s")
_CLOSERS = "\"'”’»)]"


@dataclass(frozen=True)
class Header:
    """What the head of an article says about it, and which lines said it."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    """A 'last update' stamp, kept apart so it is never taken for the publication date."""
    consumed: frozenset[int] = frozenset()
    """Indices of the input lines that belong to the header and must leave the body."""


@lru_cache(maxsize=4096)
def _parse_text_date(text: str) -> str | None:
    parsed = None
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises on odd input; a date we cannot read is no date
        parsed = None
    if parsed is not None:
        return _iso(parsed.year, parsed.month, parsed.day)
    # Fallback for forms dateparser rejects ("11th of Sept. 2018").
    nums = re.findall(r"\d+", text)
    month = re.search(_MONTH, text, re.IGNORECASE)
    if len(nums) < 2 or month is None:
        return None
    year = next((int(n) for n in nums if len(n) == 4), None)
    day = next((int(n) for n in nums if len(n) <= 2), None)
    if year is None or day is None:
        return None
    return _iso(year, _MONTH_NUM[month.group(0)[:3].casefold()], day)


def _iso(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date (day, month and year) in ``text``: (ISO date, start, end).

    Month-name dates are read by dateparser; numeric ones are read here:
    ``3.2.2021`` as day-month-year (European), ``3/2/2021`` as month-day-year
    unless the first number cannot be a month.
    """
    text = text[:400]
    best: tuple[str, int, int] | None = None
    for pattern in _TEXT_DATES:
        for m in pattern.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            iso = _parse_text_date(m.group(0))
            if iso:
                best = (iso, m.start(), m.end())
                break
    for m in _ISO_DATE.finditer(text):
        if best is not None and m.start() >= best[1]:
            break
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            best = (iso, m.start(), m.end())
            break
    for m in _YMD_SLASH.finditer(text):
        if best is not None and m.start() >= best[1]:
            break
        iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            best = (iso, m.start(), m.end())
            break
    for m in _NUM_DATE.finditer(text):
        if best is not None and m.start() >= best[1]:
            break
        a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        day, month = (a, b) if m.group(2) == "." or a > 12 else (b, a)
        iso = _iso(year, month, day)
        if iso:
            best = (iso, m.start(), m.end())
            break
    return best


def _date_line(line: str) -> tuple[str, str] | None:
    """Read a line made only of dates and labels: ('published'|'updated'|'plain', ISO date).

    A line such as "Published: 3 March 2021 | Updated: 4 March 2021" gives
    the published date. Returns None when the line says anything else.
    """
    s = line.strip()
    if not s or len(s) > 160:
        return None
    found: list[tuple[str, str]] = []
    for segment in _SEGMENT_SPLIT.split(s):
        if not segment:
            continue
        kind = "plain"
        label = _DATE_LABEL.match(segment)
        rest = segment
        if label:
            kind = "updated" if label.group("upd") else "published"
            rest = segment[label.end() :]
        date = find_date(rest)
        if date is None:
            if is_datetime_only(rest) or (label and not rest.strip()):
                continue  # a time, a weekday, a bare label
            return None
        iso, start, end = date
        residue = rest[:start] + " " + rest[end:]
        if residue.strip(" ,.-–—") and not is_datetime_only(residue):
            return None
        found.append((kind, iso))
    if not found:
        return None
    for wanted in ("published", "plain", "updated"):
        for kind, iso in found:
            if kind == wanted:
                return kind, iso
    return None


def _is_name(piece: str) -> bool:
    """Two to five capitalized words (particles and initials allowed), none of them a role or desk."""
    tokens = piece.split()
    if not 2 <= len(tokens) <= 5:
        return False
    proper = 0
    for tok in tokens:
        low = tok.casefold()
        if low in _PARTICLES:
            continue
        if low.strip(".") in _NOT_NAME:
            return False
        if not tok[0].isupper():
            return False
        if not all(c.isalpha() or c in "'’-." for c in tok):
            return False
        proper += 1
    return proper >= 2


def _tidy_name(piece: str) -> str:
    name = " ".join(piece.split())
    if name.isupper():
        name = " ".join(w if len(w) <= 2 and w.endswith(".") else w.capitalize() for w in name.split())
    return name


def _names(text: str) -> tuple[str, ...]:
    """Names listed in a byline ("Jane Doe, John Roe and Mary Major"), stopping at the first non-name."""
    names: list[str] = []
    for piece in _NAME_SPLIT.split(text):
        piece = piece.strip(" .,:;")
        if not piece:
            continue
        if not _is_name(piece):
            break
        names.append(_tidy_name(piece))
    return tuple(dict.fromkeys(names))


def parse_byline(line: str, *, allow_unmarked: bool = False) -> tuple[tuple[str, ...], str | None] | None:
    """Read a byline: (authors, ISO date or None), or None if the line is not one.

    Handles "By Jane Doe", "By Jane Doe and John Roe", "By Jane Doe September
    11, 2018", "By JANE DOE, Staff Writer". With ``allow_unmarked`` also
    "Jane Doe | Reuters" and "Jane Doe – 3 March 2021" (a name, then a
    separator, then a short source or a date), which is only safe once a
    title has been seen above. A short line marked "By" that names no person
    ("By Reuters", "Posted by admin on 3 May 2021") is still a byline, with no
    authors, so that it leaves the body.
    """
    s = line.strip()
    if not s or len(s.split()) > 24:
        return None
    marked = _BYLINE.match(s)
    if marked:
        rest = s[marked.end() :]
    elif allow_unmarked and len(s.split()) <= 12 and _SEPARATED.search(s):
        rest = s
    else:
        return None
    date = find_date(rest)
    iso = None
    if date is not None:
        iso = date[0]
        rest = rest[: date[1]]
    head = _BYLINE_CUT.split(rest, maxsplit=1)[0]
    if not marked:
        tail = rest[len(head) :].strip(" |•·–—-")
        if not _is_name(head.strip()) or len(head.split()) > 3:
            return None
        if tail and len(tail.split()) > 3:
            return None
    names = _names(head)
    if names or (marked and (iso or len(s.split()) <= 6)):
        return names, iso
    return None


def score_title(text: str, *, order: int, repeated: bool = False, above_byline: bool = False) -> float:
    """How much a head line looks like the headline; :data:`MIN_TITLE_SCORE` or more to be taken.

    - length: +2 for 4-25 words, +1 for three (a short first line is more
      often a brand or kicker), -1.5 for one or two, -4 for more than 30;
      +1 for 15-160 characters;
    - punctuation: -3 for a final period (headlines have none; questions and
      exclamations are fine), -2 for a final comma, colon or semicolon, -2 when
      it visibly stops mid-sentence;
    - capitalization: +0.5 for an initial capital, -2 for an initial lower-case
      letter, +1 when most content words are capitalized (title case);
    - +2 when printed twice in a row, a common scraping artifact;
    - +1.5 when a byline or dateline follows right below it;
    - position: -0.75 for each candidate line before it (the headline comes
      first; a standfirst without final period comes after it);
    - -1.5 for URLs, e-mail addresses or handles;
    - -3 for a line shaped like the outlet's name or slogan
      (:func:`newsgraph.ingest.chrome.looks_like_brand`).
    """
    s = text.strip()
    words = len(s.split())
    score = 0.0
    if 4 <= words <= 25:
        score += 2.0
    elif words == 3:
        score += 1.0
    elif words < 3:
        score -= 1.5
    elif words > 30:
        score -= 4.0
    if 15 <= len(s) <= 160 and words >= 3:
        score += 1.0
    core = s.rstrip(_CLOSERS)
    if core.endswith(".") and not core.endswith("..."):
        score -= 3.0
    elif core[-1:] in {",", ":", ";"} or ends_with_continuation(s):
        score -= 2.0
    if starts_lowercase(s):
        score -= 2.0
    elif s[:1].isupper() or s[:1].isdigit() or s[:1] in "“‘\"'":
        score += 0.5
    if title_case_ratio(s) >= 0.7:
        score += 1.0
    if repeated:
        score += 2.0
    if above_byline:
        score += 1.5
    score -= 0.75 * order
    if re.search(r"https?://|www\.|@\w", s):
        score -= 1.5
    if looks_like_brand(s):
        score -= 3.0
    return score


@dataclass
class _Logical:
    text: str
    idx: list[int]
    blank_before: bool


def _is_body(text: str) -> bool:
    """A line that is article prose, not header: a long sentence or a long run of words."""
    words = len(text.split())
    if words >= 40:
        return True
    if not ends_sentence(text):
        return False
    last = text.rstrip().rstrip(_CLOSERS)[-1:]
    return words >= 10 if last in {".", "…"} else words >= 25


def _logical_lines(lines: Sequence[str], skip: Sequence[bool], limit: int) -> list[_Logical]:
    """Join wrapped lines that clearly continue (lower-case start, connector or comma at the end)."""
    out: list[_Logical] = []
    prev_blank = True
    for i in range(limit):
        line = lines[i]
        if skip[i] or not line.strip():
            prev_blank = True
            continue
        text = " ".join(line.split())
        if (
            out
            and not prev_blank
            and not ends_sentence(out[-1].text)
            and (starts_lowercase(text) or ends_with_continuation(out[-1].text))
        ):
            out[-1].text += " " + text
            out[-1].idx.append(i)
        else:
            out.append(_Logical(text, [i], prev_blank))
        prev_blank = False
    return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _split_dates(lines: Sequence[str], indices: Iterable[int]) -> dict[int, tuple[str, str, list[int]]]:
    """Date lines among ``indices``: line -> (kind, ISO date, lines it spans); "05 Feb" over "2025" too."""
    out: dict[int, tuple[str, str, list[int]]] = {}
    taken: set[int] = set()
    for i in indices:
        s = lines[i].strip()
        if not s or i in taken:
            continue
        got = _date_line(s)
        if got is not None:
            out[i] = (got[0], got[1], [i])
        elif _DAY_MONTH.match(s) and i + 1 < len(lines) and _YEAR.match(lines[i + 1].strip()):
            iso = _parse_text_date(f"{s.rstrip(',')} {lines[i + 1].strip()}")
            if iso:
                out[i] = ("plain", iso, [i, i + 1])
                taken.add(i + 1)
    return out


def _next_nonblank(lines: Sequence[str], i: int) -> int | None:
    """The next non-blank line within a few lines of ``i``."""
    for j in range(i + 1, min(len(lines), i + 6)):
        if lines[j].strip():
            return j
    return None


def _tail_authors(lines: Sequence[str]) -> tuple[tuple[str, ...], list[int]]:
    """Wire credits at the end ("(Reporting by Jane Doe; Editing by John Roe)")."""
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        s = lines[i].strip()
        if not s:
            continue
        seen += 1
        if seen > 4:
            break
        m = _TAIL_CREDIT.match(s)
        if m:
            first = re.split(
                r"[;)]|\s+(?:additional\s+)?(?:editing|writing)\s+by\b", s[m.end() :], maxsplit=1
            )[0]
            return _names(first), [i]
    return (), []


def extract_header(lines: Sequence[str], chrome: Sequence[bool] | None = None) -> Header:
    """Find title, authors and dates in the head of ``lines``; ``chrome`` marks lines to ignore.

    The head is everything before the first body-like logical line (at most
    :data:`HEAD_LOGICAL` lines). Dates are read from every line there, chrome
    included, since date stamps are chrome too. The publication date is, in
    order of preference: a "Published"/"Posted" label in the head, a byline
    date, a bare date in the head, a "Published" label further down (in the
    first lines or the last few), a bare date next to a byline that follows a
    standfirst. "Last update"/"Updated" stamps are never used. Bylines are
    read in the head and in the few lines after it. Title candidates are the
    other head lines, a headline wrapped over two title-case lines counting
    as one; the best by :func:`score_title` wins.
    """
    n = len(lines)
    limit = min(n, HEAD_LINES)
    mask = list(chrome) if chrome is not None else [False] * n
    tail = [i for i in range(n - 1, limit - 1, -1) if lines[i].strip()][:10]
    dates = _split_dates(lines, [*range(limit), *sorted(tail)])
    date_lines = {j for _, _, span in dates.values() for j in span}
    skip = [mask[i] or i in date_lines for i in range(limit)]
    logical = _logical_lines(lines, skip, limit)

    head: list[_Logical] = []
    body_start = limit
    body_pos = len(logical)
    for pos, item in enumerate(logical):
        if _is_body(item.text) or len(head) >= HEAD_LOGICAL:
            body_start = item.idx[0]
            body_pos = pos
            break
        head.append(item)

    consumed: set[int] = set()
    found: list[tuple[int, str]] = []  # (preference, ISO date); lowest preference number wins
    updated: str | None = None

    def take_date(i: int, head_zone: bool) -> None:
        nonlocal updated
        kind, iso, span = dates[i]
        consumed.update(span)
        if kind == "updated":
            updated = updated or iso
        elif kind == "published":
            found.append((0 if head_zone else 3, iso))
        else:
            found.append((2 if head_zone else 4, iso))

    for i in sorted(dates):
        if i < body_start:
            take_date(i, head_zone=True)
        elif dates[i][0] == "published":
            take_date(i, head_zone=False)

    def is_date_line(i: int | None) -> bool:
        return i is not None and i in date_lines

    authors: tuple[str, ...] = ()
    candidates: list[tuple[_Logical, bool]] = []  # (line, printed twice)
    above_meta: set[int] = set()  # first line index of candidates right above a byline or date
    for item in head:
        got = parse_byline(item.text, allow_unmarked=bool(candidates))
        date_below = is_date_line(_next_nonblank(lines, max(item.idx)))
        if got is None and candidates and date_below and len(item.text.split()) <= 4 and _is_name(item.text):
            got = ((_tidy_name(item.text),), None)  # a name alone above the dateline
        if got is not None:
            consumed.update(item.idx)
            authors = authors or got[0]
            if got[1]:
                found.append((1, got[1]))
            if candidates:
                above_meta.add(candidates[-1][0].idx[0])
            continue
        if date_below:
            above_meta.add(item.idx[0])
        if candidates and _norm(candidates[-1][0].text) == _norm(item.text):
            prev = candidates[-1][0]
            candidates[-1] = (_Logical(prev.text, prev.idx + item.idx, prev.blank_before), True)
            if date_below:
                above_meta.add(prev.idx[0])
            continue
        candidates.append((item, False))

    # A byline right after a standfirst still belongs to the header, with a bare date next to it.
    for item in logical[body_pos + 1 : body_pos + 4]:
        got = parse_byline(item.text)
        if got is None:
            continue
        consumed.update(item.idx)
        authors = authors or got[0]
        if got[1]:
            found.append((1, got[1]))
        for i in range(min(item.idx) - 2, max(item.idx) + 3):
            if i in dates and i not in consumed:
                take_date(i, head_zone=False)

    # A head line printed again further down is a running page header, not (part of) the headline.
    later = {_norm(lines[i]) for i in range(body_start, n) if lines[i].strip() and len(lines[i]) <= 160}
    running = {k for k, (item, _) in enumerate(candidates) if _norm(item.text) in later}
    merged = _merge_wrapped_titles(candidates, running)
    anchor, standfirst = _anchor(merged, above_meta)
    best: tuple[float, int] | None = None
    for order, (item, twice) in enumerate(merged):
        score = score_title(
            item.text, order=order, repeated=twice, above_byline=bool(set(item.idx) & above_meta)
        )
        if (anchor is not None and order < anchor) or order == standfirst:
            score -= ABOVE_ANCHOR_PENALTY
        if _norm(item.text) in later:
            score -= RUNNING_HEADER_PENALTY
        if score >= MIN_TITLE_SCORE and (best is None or score > best[0]):
            best = (score, order)
    title: str | None = None
    if best is not None:
        title_item = merged[best[1]][0]
        title = _strip_site_suffix(title_item.text)
        consumed.update(title_item.idx)
        first = min(title_item.idx)
        for item, _ in merged[: best[1]]:
            if max(item.idx) < first and len(item.text.split()) <= 12:
                consumed.update(item.idx)  # kickers and menu leftovers above the headline

    credited, credit_lines = _tail_authors(lines)
    consumed.update(credit_lines)
    authors = authors or credited

    return Header(
        title=title,
        authors=authors,
        published=min(found)[1] if found else None,
        updated=updated,
        consumed=frozenset(consumed),
    )


def _anchor(merged: Sequence[tuple[_Logical, bool]], above_meta: set[int]) -> tuple[int | None, int | None]:
    """Where the headline sits on the byline: (its position, the position of a standfirst under it).

    Headlines sit on top of the byline or dateline; what is printed above them
    is the site's name, slogan, menus or a kicker. The candidate right above
    the byline must be headline-shaped (no final period, comma or colon, at
    most 25 words, not a brand name). It is a standfirst instead when it is a
    long sentence-case line (16 words or more) printed right under (no blank
    line) a title-case headline half its length or less; that headline is
    then the anchor.
    """
    for k, (item, _) in enumerate(merged):
        if not set(item.idx) & above_meta:
            continue
        text = item.text
        words = len(text.split())
        core = text.rstrip(_CLOSERS)
        if words > 25 or core[-1:] in {".", ",", ":", ";"} or looks_like_brand(text):
            return None, None
        if score_title(text, order=0) < MIN_TITLE_SCORE:
            return None, None
        if k > 0 and not item.blank_before:
            prev = merged[k - 1][0].text
            prev_words = len(prev.split())
            if (
                prev_words >= 4
                and words >= 16
                and words >= 2 * prev_words
                and title_case_ratio(prev) >= 0.7
                and title_case_ratio(text) < 0.5
                and not looks_like_brand(prev)
                and not _SPACED_SEP.search(prev)
                and ":" not in prev
                and score_title(prev, order=0) >= MIN_TITLE_SCORE
            ):
                return k - 1, k
        return k, None
    return None, None


def _strip_site_suffix(title: str) -> str:
    """ "Headline | Site Name" as in HTML titles: keep the headline."""
    head, sep, tail = title.rpartition(" | ")
    if sep and len(tail.split()) <= 4 and len(head.split()) >= 3:
        return head.strip()
    return title


def _merge_wrapped_titles(
    candidates: list[tuple[_Logical, bool]], keep_apart: set[int] | frozenset[int] = frozenset()
) -> list[tuple[_Logical, bool]]:
    """Join a headline wrapped over two lines: both title case, the first long and unpunctuated.

    Lines in ``keep_apart`` (running headers) are never joined, nor is a first
    line set off by a spaced dash or bar ("Institute - Paper No. 7", a header).
    """
    out: list[tuple[_Logical, bool]] = []
    k = 0
    while k < len(candidates):
        item, twice = candidates[k]
        if k + 1 < len(candidates) and not {k, k + 1} & keep_apart and not _SPACED_SEP.search(item.text):
            nxt, nxt_twice = candidates[k + 1]
            first = item.text
            if (
                not twice
                and not nxt.blank_before
                and max(item.idx) + 1 == min(nxt.idx)
                and (len(first.split()) >= 4 or len(first) >= 30)
                and not ends_sentence(first)
                and first.rstrip()[-1:] not in {":", ";", ","}
                and title_case_ratio(first) >= 0.6
                and title_case_ratio(nxt.text) >= 0.6
                and len(nxt.text.split()) <= 10
                and len(first) + len(nxt.text) <= 200
            ):
                joined = _Logical(f"{first} {nxt.text}", item.idx + nxt.idx, item.blank_before)
                out.append((joined, nxt_twice))
                k += 2
                continue
        out.append((item, twice))
        k += 1
    return out
