"""Temporal expressions -> normalised dates (the ``date`` field of events).

News dates are mostly relative ("last Monday", "in December", "a year ago"), so
every expression is resolved against an *anchor*, normally the article's
publication date, and keeps the precision it was written with: "December 2019"
is a month, not 2019-12-01. Rules are our own (dateparser fills missing parts
with defaults, so it cannot tell "May 2021" from "May 20, 2021"); dateparser is
only a last resort for odd full-date spellings.

Precisions, finest first: ``day``, ``week`` (start..end is that ISO week, or its
weekend), ``month``, ``quarter``, ``half``, ``season`` (meteorological: spring
is Mar-May, winter Y is Dec Y to Feb Y+1), ``year``, ``decade``, ``century``,
``unknown`` (no anchor, or a vague reference such as "recently").

Values follow TimeML TIMEX3 (``2018-09-10``, ``2018-09``, ``2018-W37``,
``2018-W37-WE``, ``2018-Q3``, ``2018-H1``, ``2018-SU``, ``2018``, ``199X``,
``19``, ``PAST_REF``, ``PRESENT_REF``, ``FUTURE_REF``) so results can be scored
against TimeBank; ranges and durations ("between 2003 and 2005", "the past two
years") get start/end but no value.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from newsgraph.nlp import doc_cache

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "PRECISIONS",
    "DateValue",
    "find_date_expressions",
    "infer_tense",
    "resolve_date",
]

PRECISIONS = ("day", "week", "month", "quarter", "half", "season", "year", "decade", "century", "unknown")
_RANK = {p: i for i, p in enumerate(PRECISIONS)}


@dataclass(frozen=True)
class DateValue:
    """A resolved temporal expression: the period it covers and how precisely."""

    start: str | None  # ISO date, first day of the period
    end: str | None  # ISO date, last day of the period
    precision: str  # one of PRECISIONS
    text: str  # the expression as written
    value: str | None  # TimeML-style value, or None

    def to_dict(self) -> dict[str, str | None]:
        """The event ``date`` object of the extraction contract."""
        return {"start": self.start, "end": self.end, "precision": self.precision, "text": self.text}


class _R(NamedTuple):
    start: dt.date | None
    end: dt.date | None
    precision: str
    value: str | None


_UNKNOWN = _R(None, None, "unknown", None)

# --------------------------------------------------------------------------- lexicon
# fmt: off

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12
}
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6
}
_WEEKDAY_ABBR = {
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5,
    "sun": 6
}
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "a couple of": 2, "couple of": 2, "a couple": 2
}
_VAGUE_NUM = {"a few", "few", "several", "some", "many", "a number of"}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty first": 21, "1st": 1, "2nd": 2,
    "3rd": 3, "4th": 4
}
_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9
}
_SEASONS = {"spring": 0, "summer": 1, "fall": 2, "autumn": 2, "winter": 3}
_SEASON_CODE = ("SP", "SU", "FA", "WI")

_PRESENT = {
    "now", "right now", "just now", "currently", "current", "nowadays", "these days", "at present",
    "presently", "the present", "present", "at the moment", "the moment", "at this time", "this time",
    "today's"
}
_PAST = {
    "recently", "recent", "lately", "previously", "formerly", "earlier", "the past", "past",
    "in the past", "recent years", "recent months", "recent weeks", "recent days", "past years",
    "previous years", "years past", "more recently", "most recently", "until recently", "long ago",
    "some time ago", "a while ago", "a while back", "years ago", "months ago", "decades ago",
    "the old days", "once", "the time", "at the time", "that time", "at that time", "then"
}
_FUTURE = {
    "soon", "shortly", "the future", "future", "in the future", "the near future", "the near term",
    "the short term", "the long term", "the longer term", "someday", "some day", "later",
    "the coming years", "coming years", "the coming months", "coming months", "the coming weeks",
    "coming weeks", "the coming days", "coming days", "the years ahead", "the months ahead",
    "the weeks ahead", "the days ahead", "the years to come", "years to come", "future years",
    "future quarters", "coming quarters"
}
_REFS = {
    **{w: "PRESENT_REF" for w in _PRESENT},
    **{w: "PAST_REF" for w in _PAST},
    **{w: "FUTURE_REF" for w in _FUTURE},
}
# fmt: on

# --------------------------------------------------------------------------- regexes

_MON = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WD_ANY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"
)
_YEAR = r"(?P<year>\d{4}|'\d{2}|’\d{2})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_PART = r"(?: (?:morning|afternoon|evening|night|noon|midday|overnight))?"
_NUM = (
    r"(?P<num>\d+|a couple of|a couple|couple of|a few|few|several|some|many|a number of"
    r"|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|hundred)"
)
_UNIT = r"(?P<unit>day|week|month|year|decade|century|centuries|quarter)s?"

_RE_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
)
_RE_ISO_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_RE_COMPACT = re.compile(r"(1[89]\d{2}|20\d{2})(\d{2})(\d{2})")
_RE_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})")
_RE_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RE_MDY = re.compile(_MON + r" (?:the )?" + _DAY + r"(?:,? " + _YEAR + r")?")
_RE_DMY = re.compile(_DAY + r" (?:of )?" + _MON + r"(?:,? " + _YEAR + r")?")
_RE_MY = re.compile(_MON + r",? (?:of )?" + _YEAR)
_RE_YM = re.compile(_YEAR + r" " + _MON)
_RE_MONTH = re.compile(r"(?P<rel>this|last|next|this past|this coming|the|that)? ?" + _MON)
_RE_YEAR = re.compile(
    r"(?:the )?(?:(?:calendar|fiscal|financial|budget|model) )?(?:year )?(?:fy ?)?"
    + r"(?P<year>\d{4}|'\d{2}|’\d{2})"
    r"(?: (?:ad|a\.d\.|ce))?"
)
_RE_FY_SPAN = re.compile(r"(?:fiscal |fy ?)?(\d{4})[-/](\d{2})")
_RE_DECADE = re.compile(r"(?:the )?(?:(?P<cent>\d{2})|['’](?=\d0)|(?=\d0s))(?P<dec>\d)0['’]?s")
_RE_DECADE_WORD = re.compile(
    r"(?:the )?(?:(?P<cent>nineteen|eighteen|twenty)[ -])?(?P<word>twenties|thirties|forties|fifties|sixties"
    r"|seventies|eighties|nineties)"
)
_RE_CENTURY = re.compile(
    r"(?:the )?(?P<ord>\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth"
    r"|twenty[- ]first)[- ]century"
)
_RE_WEEKDAY = re.compile(
    r"(?P<rel>last|next|this|this past|this coming|past|coming|the previous|the following|the next"
    r"|the last)? ?" + _WD + r"(?:['’]s)?" + _PART
)
_RE_WD_PREFIX = re.compile(_WD_ANY + r",? ")
_RE_AGO = re.compile(
    _NUM
    + r"[ -]"
    + _UNIT
    + r" (?P<dir>ago|earlier|before|back|previously|later|after|hence|from now|on|since)"
)
_RE_IN_N = re.compile(r"(?:in|within) " + _NUM + r" " + _UNIT)
_RE_PAST_N = re.compile(
    r"(?:the |over the |in the |during the |for the )?(?P<dir>past|last|previous|next|coming|following) "
    + _NUM
    + r" "
    + _UNIT
)
_RE_REL_UNIT = re.compile(
    r"(?P<rel>this|last|next|this past|this coming|past|coming|previous|following|current|present|same"
    r"|the|the current|the present|the past|the last|the previous|the coming|the next|the following"
    r"|the same|the latest|the most recent|the recent|its|this current|the current fiscal|the fiscal"
    r"|this fiscal|last fiscal|next fiscal|the previous fiscal|the latest fiscal|the next fiscal)"
    r" (?P<unit>day|week|weekend|month|quarter|year|decade|century|half|period)"
)
_RE_QUARTER = re.compile(
    r"(?:the |its |a |an )?(?:(?P<ry>this|last|next) year['’]?s )?(?:(?P<y1>\d{4}) )?"
    r"(?:(?P<rel>last|next|this|past|previous|coming|current) )?"
    r"(?:fiscal[- ])?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|final|last)[- ](?:fiscal[- ])?"
    r"(?P<unit>quarter|half)(?: of (?:fiscal |the )?(?:year )?(?P<y2>\d{4}|this year|last year|next year))?"
)
_RE_YEAR_AGO_Q = re.compile(
    r"(?:the )?(?:year[- ]ago|year[- ]earlier|prior[- ]year|previous[- ]year|same)"
    r" (?:(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ])?(?:fiscal )?(?:quarter|period)"
    r"(?: a year (?:ago|earlier))?"
    r"|(?:the )?(?P<q2>first|second|third|fourth)?[- ]?quarter a year (?:ago|earlier)"
)
_RE_HALF_WORDS = re.compile(
    r"(?:the )?(?P<which>first|last|second|latter) (?:two quarters|six months|half)"
    r"(?: of (?:the )?(?:fiscal )?(?:year )?(?P<year>\d{4}|this year|last year|next year|the year))?"
)
_RE_Q_SHORT = re.compile(r"(?:(?P<y1>\d{4})[ -]?)?(?P<u>q|h)(?P<q>[1-4])(?:[ -]?(?P<y2>\d{4}))?")
_RE_SEASON = re.compile(
    r"(?:(?P<rel>this|last|next|this past|this coming|past|coming|the|the past|the coming|the previous"
    r"|the following|the last|the next|the same) )?(?P<s>spring|summer|fall|autumn|winter)"
    r"(?:(?: of)? (?P<year>\d{4}|'\d{2}|this year|last year|next year))?"
)
_RE_YEAR_SEASON = re.compile(r"(?:the )?(?P<year>\d{4}) (?P<s>spring|summer|fall|autumn|winter)")
_RE_DAY_REL = re.compile(
    r"(?P<w>today|tonight|yesterday|tomorrow|the day before yesterday|the day after tomorrow"
    r"|this morning|this afternoon|this evening|last night|last evening|tomorrow night|overnight)"
    r"(?:['’]s)?" + r"(?: (?:morning|afternoon|evening|night))?"
)
_RE_YEAR_END = re.compile(
    r"(?:the )?(?:year[- ]end|year['’]s end|end of the year|turn of the year"
    r"|(?:full|whole|entire|calendar) year)"
)
_RE_RANGE_BETWEEN = re.compile(
    r"(?:between|from) (?P<a>.+?) (?:and|to|through|thru|until|till|-|–) (?P<b>.+)"
)
_RE_RANGE_DASH = re.compile(r"(?P<a>.+?) ?(?:-|–|—| to | through | thru | until | till ) ?(?P<b>.+)")
_RE_POSSESSIVE = re.compile(r"['’]s$")
_RE_BOUND = re.compile(
    r"(?P<op>since|before|prior to|after|until|till|up to|up until|by|through|thru|no later than"
    r"|not later than|no earlier than|starting|starting in|beginning|beginning in|as of|from) (?P<rest>.+)"
)
_LEAD = re.compile(
    r"(?:on|in|at|during|throughout|around|about|approximately|approx\.|roughly|circa|c\.|ca\.|some"
    r"|nearly|almost|just|only|more than|less than|over|of|for|within|sometime in|sometime|some time in"
    r"|as early as|as late as|as recently as|as long ago as|the (?:very )?(?:end|beginning|start|middle|close"
    r"|latter part|first part|rest|remainder|first days|last days|first weeks|last weeks) of"
    r"|(?:the )?(?:early|late|mid|middle|very early|very late)|mid-|earlier|later|late in|early in"
    r"|and|or|,)(?:\s+|(?<=-))"
)
_QUICK = re.compile(
    r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|day|week|month|year"
    r"|decade|centur|quarter|half|spring|summer|fall|autumn|winter|now|current|recent|past|future|soon|ago"
    r"|tonight|tomorrow|yesterday|today|lately|previous|formerly|earlier|later|present|moment|term|christmas"
    r"|easter|thanksgiving|nineteen|twenty|thousand|ties|time|shortly|long|while|ahead|coming|morning|night"
    r"|evening|noon|period|q[1-4]|h[12]|once|then"
)

# --------------------------------------------------------------------------- helpers


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _month_end(y: int, m: int) -> dt.date:
    if m == 12:
        return dt.date(y, 12, 31)
    return dt.date(y, m + 1, 1) - dt.timedelta(days=1)


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + n
    return i // 12, i % 12 + 1


def _day(d: dt.date) -> _R:
    return _R(d, d, "day", d.isoformat())


def _week(d: dt.date) -> _R:
    y, w, _ = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return _R(monday, monday + dt.timedelta(days=6), "week", f"{y}-W{w:02d}")


def _weekend(d: dt.date) -> _R:
    y, w, _ = d.isocalendar()
    sat = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
    return _R(sat, sat + dt.timedelta(days=1), "week", f"{y}-W{w:02d}-WE")


def _month(y: int, m: int) -> _R | None:
    if not (1 <= y <= 9999 and 1 <= m <= 12):
        return None
    return _R(dt.date(y, m, 1), _month_end(y, m), "month", f"{y:04d}-{m:02d}")


def _quarter(y: int, q: int) -> _R | None:
    if not (1 <= y <= 9999 and 1 <= q <= 4):
        return None
    return _R(dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q), "quarter", f"{y:04d}-Q{q}")


def _half(y: int, h: int) -> _R | None:
    if not (1 <= y <= 9999 and h in (1, 2)):
        return None
    return _R(dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "half", f"{y:04d}-H{h}")


def _season(y: int, s: int) -> _R | None:
    if not (1 <= y <= 9998):
        return None
    first = dt.date(y, 3 + 3 * s, 1)
    ey, em = _add_months(y, 3 + 3 * s, 2)
    return _R(first, _month_end(ey, em), "season", f"{y:04d}-{_SEASON_CODE[s]}")


def _year(y: int) -> _R | None:
    if not (1 <= y <= 9999):
        return None
    return _R(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", f"{y:04d}")


def _decade(start_year: int) -> _R | None:
    if not (1 <= start_year <= 9990):
        return None
    return _R(
        dt.date(start_year, 1, 1), dt.date(start_year + 9, 12, 31), "decade", f"{start_year // 10:03d}X"
    )


def _century(c: int) -> _R | None:
    """The n-th century, in the popular reading: the 20th century is 1900-1999 (TimeML value '19')."""
    if not (1 <= c <= 99):
        return None
    y0 = max((c - 1) * 100, 1)
    return _R(dt.date(y0, 1, 1), dt.date((c - 1) * 100 + 99, 12, 31), "century", f"{c - 1:02d}")


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_num(text: str, anchor: dt.date | None) -> int | None:
    """A 4-digit year, or a 2-digit "'98" resolved to the century that keeps it near the anchor."""
    t = text.lstrip("'’")
    if len(t) == 4:
        y = int(t)
        return y if 1000 <= y <= 2199 else None
    yy = int(t)
    ref = anchor.year if anchor else 2000
    y = (ref // 100) * 100 + yy
    if y > ref + 20:
        y -= 100
    return y


def _num(word: str) -> int | None:
    """A cardinal from digits or words; None for vague quantities ("a few")."""
    if word.isdigit():
        return int(word)
    return _NUM_WORDS.get(word)


TENSE_REACH_DAYS = 275
"""How far the tense of a sentence may push a year-less date from the anchor. Parsed tense
is a hint: "declared a dividend payable Dec. 15" is past tense about a future date, so a
tense that would move the date about nine months or more away is overruled."""


def _choose_year_for_day(
    m: int, d: int, anchor: dt.date, tense: str | None, weekday: int | None = None
) -> dt.date | None:
    """A day and month without a year: the tense's direction when that stays near the anchor,
    otherwise the nearest one; a weekday written beside it ("Saturday, April 25") picks the
    year whose calendar agrees."""
    cands = [c for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (c := _safe_date(y, m, d))]
    if not cands:
        return None
    if weekday is not None:
        agree = [c for c in cands if c.weekday() == weekday]
        if agree:
            cands = agree
    return _pick_day(cands, anchor, tense)


def _pick_day(cands: list[dt.date], anchor: dt.date, tense: str | None) -> dt.date:
    if tense == "past":
        past = [c for c in cands if c <= anchor and (anchor - c).days <= TENSE_REACH_DAYS]
        if past:
            return max(past)
    elif tense == "future":
        fut = [c for c in cands if c >= anchor and (c - anchor).days <= TENSE_REACH_DAYS]
        if fut:
            return min(fut)
    return min(cands, key=lambda c: (abs((c - anchor).days), c > anchor))


def _choose_year_for_month(m: int, anchor: dt.date, tense: str | None, rel: str | None) -> int:
    """A month without a year: "last" is strictly before the anchor month, "next" strictly after,
    "this" the anchor's year, and a bare month the latest one not after the anchor month
    (the next one not before it when the sentence is in the future tense)."""
    am, ay = anchor.month, anchor.year
    if rel in ("last", "this past"):
        return ay if m < am else ay - 1
    if rel in ("next", "this coming"):
        return ay if m > am else ay + 1
    if rel == "this":
        return ay
    if tense == "future" and (m - am) % 12 <= 6:
        return ay if m >= am else ay + 1
    return ay if m <= am else ay - 1


def _season_index(d: dt.date) -> int:
    """Seasons numbered year*4 + season; Jan and Feb belong to the previous year's winter."""
    if d.month in (1, 2):
        return (d.year - 1) * 4 + 3
    return d.year * 4 + (d.month - 3) // 3


# fmt: off
_BACK = {
    "last", "past", "previous", "the past", "the last", "the previous", "this past", "last fiscal",
    "the previous fiscal", "the latest", "the most recent", "the recent", "the latest fiscal"
}
_FWD = {
    "next", "coming", "following", "the coming", "the next", "the following", "this coming", "next fiscal",
    "the next fiscal"
}
# fmt: on


def _rel_offset(rel: str | None) -> int:
    if rel in _BACK:
        return -1
    if rel in _FWD:
        return 1
    return 0


# --------------------------------------------------------------------------- spelled-out years


# fmt: off
_UNITS_W = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9
}
# fmt: on
# fmt: off
_TEENS_W = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19
}
# fmt: on
# fmt: off
_TENS_W = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# fmt: on
_U = "|".join(_UNITS_W)
_T = "|".join(_TENS_W)
_TE = "|".join(_TEENS_W)
_RE_SPELLED_YEAR = re.compile(
    rf"\b(?:(?P<hi>nineteen|eighteen|twenty)[ -](?:(?P<oh>oh)[ -](?P<ohu>{_U})|(?P<teen>{_TE})"
    rf"|(?P<tens>{_T})(?:[ -](?P<u>{_U}))?|(?P<hund>hundred))"
    rf"|two thousand(?: and)?(?:[ -](?P<tk>{_TE}|{_U}|(?:{_T})(?:[ -](?:{_U}))?))?)\b"
    r"(?! (?!was\b|has\b|is\b|this\b|as\b|its\b)[a-z]+s\b)"  # "two thousand years" is a count
)


def _spelled_year_sub(m: re.Match[str]) -> str:
    if m.group("hi"):
        hi = {"nineteen": 19, "eighteen": 18, "twenty": 20}[m.group("hi")]
        if m.group("ohu"):
            lo = _UNITS_W[m.group("ohu")]
        elif m.group("teen"):
            lo = _TEENS_W[m.group("teen")]
        elif m.group("tens"):
            lo = _TENS_W[m.group("tens")] + (_UNITS_W[m.group("u")] if m.group("u") else 0)
        else:
            lo = 0
        return f"{hi * 100 + lo:04d}"
    tail = m.group("tk")
    lo = 0
    if tail:
        parts = re.split(r"[ -]", tail)
        for p in parts:
            lo += _UNITS_W.get(p) or _TEENS_W.get(p) or _TENS_W.get(p) or 0
    return f"{2000 + lo:04d}"


_DAY_ORDINALS = {
    **{w: n for w, n in _ORDINALS.items() if n <= 19 and w[0].isalpha()},
    "twentieth": 20,
    "thirtieth": 30,
    **{f"twenty{sep}{w}": 20 + n for w, n in _ORDINALS.items() if n <= 9 and w[0].isalpha() for sep in " -"},
    **{f"thirty{sep}first": 31 for sep in " -"},
}
_RE_DAY_ORDINAL = re.compile(
    r"\b(?:the )?(?P<o>" + "|".join(sorted(_DAY_ORDINALS, key=len, reverse=True)) + r")\b"
    r"(?=(?: of)? " + _MON.replace("?P<mon>", "?:") + r"\b)"
    r"|\b(?P<m>" + _MON.replace("?P<mon>", "?:") + r") (?:the )?"
    r"(?P<o2>" + "|".join(sorted(_DAY_ORDINALS, key=len, reverse=True)) + r")\b"
)


def _replace_ordinal_days(low: str) -> str:
    """'the fifth of November' -> '5 of november', 'March the third' -> 'march 3'."""

    def sub(m: re.Match[str]) -> str:
        if m.group("o2"):
            if m.group("m") in ("may", "march", "mar") and " the " not in m.group(0):
                return m.group(0)  # "may first consider": a modal, not May 1
            return f"{m.group('m')} {_DAY_ORDINALS[m.group('o2')]}"
        return str(_DAY_ORDINALS[m.group("o")])

    return _RE_DAY_ORDINAL.sub(sub, low)


def _replace_spelled_years(low: str) -> str:
    """'nineteen ninety-seven' -> '1997', as broadcast transcripts write years."""
    if "teen" not in low and "thousand" not in low and "twenty" not in low:
        return low
    return _RE_SPELLED_YEAR.sub(_spelled_year_sub, low)


# --------------------------------------------------------------------------- holidays


def _easter(y: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month = (h + ell - 7 * m + 114) // 31
    day = (h + ell - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def _thanksgiving(y: int) -> dt.date:
    nov1 = dt.date(y, 11, 1)
    return nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7 + 21)


# fmt: off
_HOLIDAYS: dict[str, Any] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "new years day": (1, 1), "new years eve": (12, 31),
    "boxing day": (12, 26), "valentine's day": (2, 14), "halloween": (10, 31),
    "easter": _easter, "easter sunday": _easter,
    "thanksgiving": _thanksgiving, "thanksgiving day": _thanksgiving,
}
# fmt: on
_RE_HOLIDAY = re.compile(
    r"(?P<h>" + "|".join(sorted((re.escape(h) for h in _HOLIDAYS), key=len, reverse=True)) + r")"
    r"(?P<week> week)?(?:,? (?P<year>\d{4}))?"
)


def _holiday_date(name: str, y: int) -> dt.date:
    spec = _HOLIDAYS[name]
    if callable(spec):
        result: dt.date = spec(y)
        return result
    return dt.date(y, spec[0], spec[1])


# --------------------------------------------------------------------------- the parser


@dataclass
class _Ctx:
    anchor: dt.date | None
    tense: str | None
    subspan: bool = False


def _clean(text: str) -> str:
    s = text.replace("\u00a0", " ").replace("–", "-").replace("—", "-").replace("’", "'")
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip(' \t"“”()[]{},;:!?')
    s = s.rstrip(".") if not re.search(r"\b[a-z]\.$", s, re.I) else s
    return s.strip()


def _strip_lead(low: str) -> tuple[str, bool]:
    had = False
    for _ in range(6):
        m = _LEAD.match(low)
        if not m or m.end() >= len(low):
            break
        low = low[m.end() :].lstrip()
        had = True
    return low, had


def _parse_expr(s: str, ctx: _Ctx, depth: int = 0) -> _R | None:
    """Parse a whole cleaned expression (bounds and ranges first, then the core forms)."""
    if depth > 3 or not s:
        return None
    low = _RE_POSSESSIVE.sub("", s.lower()).strip()
    if low in _REFS:
        return _R(None, None, "unknown", _REFS[low])
    bound = _parse_bound(s, low, ctx, depth)
    if bound is not None:
        return bound
    m = _RE_RANGE_BETWEEN.fullmatch(low)
    if m:
        r = _parse_range(m.group("a"), m.group("b"), ctx, depth)
        if r is not None:
            return r
    core_low, had_prefix = _strip_lead(low)
    orig = s[len(s) - len(core_low) :] if len(s) == len(low) else core_low
    r = _parse_core(core_low, orig, had_prefix, ctx)
    if r is not None:
        return r
    if had_prefix and core_low != low:
        r2 = _parse_expr(core_low, ctx, depth + 1)
        if r2 is not None:
            return r2
    m = _RE_RANGE_DASH.fullmatch(core_low)
    if m:
        return _parse_range(m.group("a"), m.group("b"), ctx, depth)
    return None


def _parse_bound(s: str, low: str, ctx: _Ctx, depth: int) -> _R | None:
    """'since 2012', 'before May', 'until 2010': the same value, with one side of the period open."""
    m = _RE_BOUND.fullmatch(low)
    if not m:
        return None
    op = m.group("op")
    if op == "from" and _RE_RANGE_BETWEEN.fullmatch(low):
        return None
    inner = _parse_expr(s[m.start("rest") :] if len(s) == len(low) else m.group("rest"), ctx, depth + 1)
    if inner is None:
        return None
    if inner.start is None or inner.end is None:
        return inner
    anchor = ctx.anchor
    if op in ("since", "starting", "starting in", "beginning", "beginning in", "from", "no earlier than"):
        end = anchor if anchor and anchor >= inner.start else None
        return _R(inner.start, end, inner.precision, inner.value)
    if op in ("before", "prior to"):
        return _R(None, inner.start - dt.timedelta(days=1), inner.precision, inner.value)
    if op == "after":
        return _R(inner.end + dt.timedelta(days=1), None, inner.precision, inner.value)
    if op == "as of":
        return inner
    return _R(None, inner.end, inner.precision, inner.value)


_RE_TRAILING_YEAR = re.compile(r",? (\d{4})$")
_RE_LEADING_MON = re.compile(_MON + r" ")
_RE_TRAILING_MON = re.compile(r" " + _MON + r"(?:,? \d{4})?$")


def _parse_range(a: str, b: str, ctx: _Ctx, depth: int) -> _R | None:
    """'between 2003 and 2005', 'March to May 2021', 'March 3-5, 2021', '3-5 March', '1998-99'."""
    a, b = a.strip(" ,"), b.strip(" ,")
    if not a or not b:
        return None
    if re.fullmatch(r"\d{4}", a) and re.fullmatch(r"\d{2}", b):
        hi = int(a[:2] + b)
        if hi <= int(a):
            return None
        b = str(hi)
    # borrow the month from the side that has it ("March 3-5" / "3-5 March")
    if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?", b):
        mm = _RE_LEADING_MON.match(a)
        if mm and re.fullmatch(_MON + r" \d{1,2}(?:st|nd|rd|th)?", a):
            b = mm.group(0) + b
    if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", a):
        mm = _RE_TRAILING_MON.search(b)
        if mm:
            a = a + mm.group(0)
    ty = _RE_TRAILING_YEAR.search(b)
    if ty and not re.search(r"\d{4}|'\d{2}", a):
        a = a + " " + ty.group(1)
    ra = _parse_expr(a, ctx, depth + 1)
    rb = _parse_expr(b, ctx, depth + 1)
    if ra is None or rb is None or ra.start is None or rb.end is None:
        return None
    if ra.start > rb.end:
        return None
    prec = ra.precision if _RANK[ra.precision] >= _RANK[rb.precision] else rb.precision
    return _R(ra.start, rb.end, prec, None)


def _parse_core(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    """One expression without leading prepositions or hedges."""
    low = _RE_POSSESSIVE.sub("", low).strip(" ,")
    if not low:
        return None
    if low in _REFS:
        return _R(None, None, "unknown", _REFS[low])
    low = _replace_spelled_years(low)
    if "th" in low or "st" in low or "nd" in low or "rd" in low:
        low = _replace_ordinal_days(low)
    for fn in _CORE_RULES:
        r = fn(low, orig, had_prefix, ctx)
        if r is not None:
            return r
    return None


def _rule_absolute_day(
    low: str, orig: str, had_prefix: bool, ctx: _Ctx, weekday: int | None = None
) -> _R | None:
    m = _RE_WD_PREFIX.match(low)
    if m and m.end() < len(low) and weekday is None:
        rest = low[m.end() :]
        word = m.group(0).strip(" ,.")
        wd = _WEEKDAYS.get(word, _WEEKDAY_ABBR.get(word))
        r = _rule_absolute_day(rest, orig[m.end() :] if len(orig) == len(low) else rest, True, ctx, wd)
        if r is not None:
            return r
    if m := _RE_ISO.fullmatch(low):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _day(d) if d else None
    if m := _RE_ISO_SLASH.fullmatch(low):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _day(d) if d else None
    if m := _RE_COMPACT.fullmatch(low):
        d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return _day(d) if d else None
    if m := _RE_NUMERIC.fullmatch(low):
        a, sep, b = int(m[1]), m[2], int(m[3])
        y = _year_num(m[4], ctx.anchor) if len(m[4]) == 4 else _year_num("'" + m[4], ctx.anchor)
        if y is None:
            return None
        # dots are European day.month.year; slashes and dashes follow the US month/day order
        # unless the first number cannot be a month
        day_first = sep == "." or a > 12
        d = _safe_date(y, b, a) if day_first else _safe_date(y, a, b)
        return _day(d) if d else None
    for rx in (_RE_MDY, _RE_DMY):
        if m := rx.fullmatch(low):
            mon = _MONTHS[m.group("mon")]
            day = int(m.group("day"))
            if m.group("year"):
                y = _year_num(m.group("year"), ctx.anchor)
                d = _safe_date(y, mon, day) if y else None
                return _day(d) if d else None
            if not (1 <= day <= 31):
                return None
            if ctx.anchor is None:
                return _UNKNOWN if _safe_date(2000, mon, day) else None
            d = _choose_year_for_day(mon, day, ctx.anchor, ctx.tense, weekday)
            return _day(d) if d else None
    return None


def _rule_month(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    if m := _RE_MY.fullmatch(low):
        y = _year_num(m.group("year"), ctx.anchor)
        return _month(y, _MONTHS[m.group("mon")]) if y else None
    if m := _RE_YM.fullmatch(low):
        y = _year_num(m.group("year"), ctx.anchor)
        return _month(y, _MONTHS[m.group("mon")]) if y else None
    if (m := _RE_ISO_MONTH.fullmatch(low)) and int(m[2]) <= 12:
        return _month(int(m[1]), int(m[2]))
    m2 = re.fullmatch(_MON + r" (?P<ry>this|last|next) year", low)
    if m2:
        if ctx.anchor is None:
            return _UNKNOWN
        y = ctx.anchor.year + {"this": 0, "last": -1, "next": 1}[m2.group("ry")]
        return _month(y, _MONTHS[m2.group("mon")])
    if m := _RE_MONTH.fullmatch(low):
        name = m.group("mon")
        rel = m.group("rel")
        bare = rel is None or rel in ("the", "that")
        if bare and not had_prefix:
            # "may" and "march" are also a verb and a modal: alone, only the capitalised month counts,
            # and never inside a longer string
            if ctx.subspan:
                return None
            if name in ("may", "march", "mar") and not orig[:1].isupper():
                return None
        if name in ("mar", "may") and ctx.subspan and not orig[:1].isupper():
            return None
        if ctx.anchor is None:
            return _UNKNOWN
        if rel == "that":
            rel = None
        mon = _MONTHS[name]
        return _month(_choose_year_for_month(mon, ctx.anchor, ctx.tense, rel), mon)
    return None


def _rule_year(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    if m := _RE_YEAR.fullmatch(low):
        y = _year_num(m.group("year"), ctx.anchor)
        return _year(y) if y else None
    if m := _RE_FY_SPAN.fullmatch(low):
        y1 = int(m[1])
        y2 = (y1 // 100) * 100 + int(m[2])
        if y2 == y1 + 1:
            r1, r2 = _year(y1), _year(y2)
            if r1 and r2:
                return _R(r1.start, r2.end, "year", None)
    if m := _RE_DECADE.fullmatch(low):
        dec = int(m.group("dec"))
        if m.group("cent"):
            return _decade(int(m.group("cent")) * 100 + dec * 10)
        ref = ctx.anchor.year if ctx.anchor else 2000
        start = (ref // 100) * 100 + dec * 10
        if start > ref:
            start -= 100
        return _decade(start)
    if m := _RE_DECADE_WORD.fullmatch(low):
        cent = {"nineteen": 1900, "eighteen": 1800, "twenty": 2000, None: 1900}[m.group("cent")]
        return _decade(cent + _DECADE_WORDS[m.group("word")] * 10)
    if m := _RE_CENTURY.fullmatch(low):
        o = m.group("ord")
        n = int(re.sub(r"\D", "", o)) if o[0].isdigit() else _ORDINALS.get(o.replace("-", " "), 0)
        return _century(n) if n else None
    return None


def _rule_weekday(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    m = _RE_WEEKDAY.fullmatch(low)
    if not m:
        return None
    if ctx.anchor is None:
        return _UNKNOWN
    a = ctx.anchor
    wd = _WEEKDAYS[m.group("wd")]
    rel = m.group("rel")
    back = (a.weekday() - wd) % 7
    fwd = (wd - a.weekday()) % 7
    if rel in ("last", "past", "the previous", "the last", "this past"):
        return _day(a - dt.timedelta(days=back or 7))
    if rel in ("next", "coming", "the following", "the next", "this coming"):
        return _day(a + dt.timedelta(days=fwd or 7))
    if rel == "this":
        return _day(a + dt.timedelta(days=wd - a.weekday()))
    # news convention: a bare weekday is the latest one on or before the publication date,
    # unless the sentence speaks of the future
    if ctx.tense == "future":
        return _day(a + dt.timedelta(days=fwd))
    return _day(a - dt.timedelta(days=back))


def _rule_day_words(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    m = _RE_DAY_REL.fullmatch(low)
    if not m:
        return None
    if ctx.anchor is None:
        return _UNKNOWN
    w = m.group("w")
    offset = {
        "yesterday": -1,
        "last night": -1,
        "last evening": -1,
        "tomorrow": 1,
        "tomorrow night": 1,
        "the day before yesterday": -2,
        "the day after tomorrow": 2,
    }.get(w, 0)
    return _day(ctx.anchor + dt.timedelta(days=offset))


def _shift_unit(a: dt.date, unit: str, n: int) -> _R | None:
    """The period of ``unit`` that lies ``n`` units from the anchor (n may be negative)."""
    if unit == "day":
        return _day(a + dt.timedelta(days=n))
    if unit == "week":
        return _week(a + dt.timedelta(days=7 * n))
    if unit == "weekend":
        return _weekend(a + dt.timedelta(days=7 * n))
    if unit == "month":
        y, mo = _add_months(a.year, a.month, n)
        return _month(y, mo)
    if unit == "quarter":
        i = a.year * 4 + (a.month - 1) // 3 + n
        return _quarter(i // 4, i % 4 + 1)
    if unit == "half":
        i = a.year * 2 + (a.month - 1) // 6 + n
        return _half(i // 2, i % 2 + 1)
    if unit == "year":
        return _year(a.year + n)
    if unit == "decade":
        return _decade((a.year // 10 + n) * 10)
    if unit in ("century", "centuries"):
        return _century(a.year // 100 + 1 + n)
    return None


def _rule_relative_unit(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    """'last week', 'this year', 'the current quarter', 'next month', 'the weekend', 'year-end'."""
    if _RE_YEAR_END.fullmatch(low):
        return _year(ctx.anchor.year) if ctx.anchor else _UNKNOWN
    m = _RE_REL_UNIT.fullmatch(low)
    if not m:
        return None
    rel, unit = m.group("rel"), m.group("unit")
    if unit == "period":
        if rel not in ("the latest", "the most recent", "the past", "the previous", "the same"):
            return None
        unit = "quarter"
    if unit == "day" and rel in ("the", "the same", "this", "same", "its"):
        return None
    if rel in ("same", "the same"):
        return None
    if ctx.anchor is None:
        return _UNKNOWN
    a = ctx.anchor
    n = _rel_offset(rel)
    if unit in ("quarter", "half") and rel in ("the", "its"):
        # business news reports a quarter once it has closed, and forecasts its results before they
        # are out: "the quarter" is the last complete one whatever the tense
        n = -1
    if unit == "weekend" and rel in ("the", "its", "this past", "past"):
        # "the weekend" is the nearest one: just gone early in the week, coming late in it
        # (the tense decides when it says), and the current one on a Saturday or Sunday
        if a.weekday() >= 5:
            n = 0
        elif rel in ("this past", "past") or ctx.tense == "past":
            n = -1
        elif ctx.tense == "future":
            n = 0
        else:
            n = -1 if a.weekday() <= 2 else 0
    elif unit == "weekend" and rel in ("this coming", "coming"):
        n = 0
    return _shift_unit(a, unit, n)


def _rule_ago(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    """'two days ago', 'a year earlier', 'in three weeks', 'the past two years' (a range)."""
    m = _RE_AGO.fullmatch(low)
    future = False
    if m:
        future = m.group("dir") in ("later", "after", "hence", "from now", "on")
    else:
        m = _RE_IN_N.fullmatch(low)
        if not m:
            return _rule_past_n(low, ctx)
        future = True
    num, unit = m.group("num"), m.group("unit")
    if num in _VAGUE_NUM:
        return _R(None, None, "unknown", "FUTURE_REF" if future else "PAST_REF")
    n = _num(num)
    if n is None:
        return None
    if ctx.anchor is None:
        return _UNKNOWN
    try:
        return _shift_unit(ctx.anchor, unit, n if future else -n)
    except (OverflowError, ValueError):
        return None


def _rule_past_n(low: str, ctx: _Ctx) -> _R | None:
    m = _RE_PAST_N.fullmatch(low)
    if not m:
        return None
    num, unit = m.group("num"), m.group("unit")
    fwd = m.group("dir") in ("next", "coming", "following")
    if num in _VAGUE_NUM:
        return _R(None, None, "unknown", "FUTURE_REF" if fwd else "PAST_REF")
    n = _num(num)
    if n is None or n > 500:
        return None
    if ctx.anchor is None:
        return _UNKNOWN
    a = ctx.anchor
    days = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365, "decade": 3652}.get(unit)
    if days is None:
        return None
    span = dt.timedelta(days=days * n)
    prec = "day" if unit in ("day", "week") else "month" if unit in ("month", "quarter") else "year"
    try:
        return _R(a, a + span, prec, None) if fwd else _R(a - span, a, prec, None)
    except OverflowError:
        return None


def _rule_quarter(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    m = _RE_QUARTER.fullmatch(low)
    if m:
        unit = m.group("unit")
        qword = m.group("q")
        count = 4 if unit == "quarter" else 2
        q = count if qword in ("final", "last") else _ORDINALS.get(qword, 0)
        if not (1 <= q <= count):
            return None
        ytxt = m.group("y1") or m.group("y2") or (m.group("ry") + " year" if m.group("ry") else None)
        make = _quarter if unit == "quarter" else _half
        a = ctx.anchor
        if ytxt and ytxt[0].isdigit():
            return make(int(ytxt), q)
        if ytxt:
            if a is None:
                return _UNKNOWN
            return make(a.year + {"this": 0, "last": -1, "next": 1}[ytxt.split()[0]], q)
        if a is None:
            return _UNKNOWN
        rel = m.group("rel")
        cur = a.year * count + (a.month - 1) // (12 // count)
        same_year = a.year * count + q - 1
        if rel in ("last", "past", "previous"):
            i = same_year if same_year < cur else same_year - count
        elif rel in ("next", "coming"):
            i = same_year if same_year > cur else same_year + count
        elif rel in ("this", "current"):
            i = same_year
        else:
            i = same_year if same_year <= cur else same_year - count
            ahead = same_year if same_year >= cur else same_year + count
            if ctx.tense == "future" and (ahead - cur) * (12 // count) <= 6:
                i = ahead
        return make(i // count, i % count + 1)
    m = _RE_YEAR_AGO_Q.fullmatch(low)
    if m and not (low.startswith(("same", "the same")) and "year" not in low):
        # earnings reports compare the quarter just closed with the same quarter a year before
        if ctx.anchor is None:
            return _UNKNOWN
        a = ctx.anchor
        qword = m.group("q") or m.group("q2")
        if qword:
            q = _ORDINALS[qword]
            i = a.year * 4 + q - 1
            if i > a.year * 4 + (a.month - 1) // 3:
                i -= 4
        else:
            i = a.year * 4 + (a.month - 1) // 3 - 1
        i -= 4
        return _quarter(i // 4, i % 4 + 1)
    m = _RE_HALF_WORDS.fullmatch(low)
    if m:
        h = 1 if m.group("which") == "first" else 2
        ytxt = m.group("year")
        if ytxt and ytxt[0].isdigit():
            return _half(int(ytxt), h)
        if ctx.anchor is None:
            return _UNKNOWN
        off = {"this": 0, "the": 0, "last": -1, "next": 1}[ytxt.split()[0]] if ytxt else 0
        return _half(ctx.anchor.year + off, h)
    m = _RE_Q_SHORT.fullmatch(low)
    if m and (m.group("y1") or m.group("y2") or m.group("u") == "q"):
        y = m.group("y1") or m.group("y2")
        q = int(m.group("q"))
        make = _quarter if m.group("u") == "q" else _half
        if y:
            return make(int(y), q)
        if ctx.anchor is None:
            return _UNKNOWN
        count = 4 if m.group("u") == "q" else 2
        if q > count:
            return None
        a = ctx.anchor
        cur = a.year * count + (a.month - 1) // (12 // count)
        i = a.year * count + q - 1
        if i > cur and ctx.tense != "future":
            i -= count
        return make(i // count, i % count + 1)
    m = re.fullmatch(r"(\d{4})-q([1-4])", low)
    if m:
        return _quarter(int(m[1]), int(m[2]))
    return None


def _rule_season(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    m = _RE_YEAR_SEASON.fullmatch(low)
    if m:
        return _season(int(m.group("year")), _SEASONS[m.group("s")])
    m = _RE_SEASON.fullmatch(low)
    if not m:
        return None
    s = _SEASONS[m.group("s")]
    ytxt = m.group("year")
    rel = m.group("rel")
    a = ctx.anchor
    if ytxt and (ytxt[0].isdigit() or ytxt[0] == "'"):
        y = _year_num(ytxt, a)
        return _season(y, s) if y else None
    if rel is None and not had_prefix and not ytxt:
        if ctx.subspan:
            return None
        if m.group("s") == "fall" and not orig[:1].isupper():
            return None
    if a is None:
        return _UNKNOWN
    if ytxt:
        return _season(a.year + {"this": 0, "last": -1, "next": 1}[ytxt.split()[0]], s)
    cur = _season_index(a)
    same_year = a.year * 4 + s
    if rel in ("last", "past", "this past", "the past", "the previous", "the last"):
        i = max(k for k in (same_year - 4, same_year) if k < cur)
    elif rel in ("next", "coming", "this coming", "the coming", "the following", "the next"):
        i = min(k for k in (same_year, same_year + 4) if k > cur)
    elif rel == "this":
        i = cur if cur % 4 == s else same_year
    else:
        i = max(k for k in (same_year - 4, same_year) if k <= cur)
        ahead = min(k for k in (same_year, same_year + 4) if k >= cur)
        if ctx.tense == "future" and ahead - cur <= 2:
            i = ahead
    return _season(i // 4, s)


def _rule_holiday(low: str, orig: str, had_prefix: bool, ctx: _Ctx) -> _R | None:
    m = _RE_HOLIDAY.fullmatch(low)
    if not m:
        return None
    name = m.group("h")
    if m.group("year"):
        d = _holiday_date(name, int(m.group("year")))
    else:
        a = ctx.anchor
        if a is None:
            return _UNKNOWN
        d = _pick_day([_holiday_date(name, y) for y in (a.year - 1, a.year, a.year + 1)], a, ctx.tense)
    return _week(d) if m.group("week") else _day(d)


_CORE_RULES = (
    _rule_absolute_day,
    _rule_month,
    _rule_year,
    _rule_day_words,
    _rule_weekday,
    _rule_relative_unit,
    _rule_quarter,
    _rule_season,
    _rule_ago,
    _rule_holiday,
)

# --------------------------------------------------------------------------- dateparser fallback

_RE_DP_WORTHY = re.compile(
    r"\d{1,2}\D{1,12}\d{4}|\b(?:january|february|april|june|july|august|september|october|november|december"
    r"|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
)


@functools.lru_cache(maxsize=256)
def _dateparser_for(anchor: dt.date | None) -> Any:
    """One DateDataParser per anchor: building settings is the slow part, so reuse them."""
    import dateparser

    settings: dict[str, Any] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "REQUIRE_PARTS": ["month", "year"] if anchor is None else ["month"],
        "STRICT_PARSING": False,
    }
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime(anchor.year, anchor.month, anchor.day)
    return dateparser.DateDataParser(languages=["en"], settings=settings)


def _dateparser_fallback(s: str, ctx: _Ctx) -> _R | None:
    """Odd spellings of full dates; our own reading of which parts were written decides precision."""
    low = s.lower()
    if len(low) > 60 or not _RE_DP_WORTHY.search(low):
        return None
    try:
        data = _dateparser_for(ctx.anchor).get_date_data(s)
    except Exception:
        return None
    d = getattr(data, "date_obj", None)
    if d is None:
        return None
    day = d.date()
    has_year = bool(re.search(r"\b\d{4}\b", low))
    if ctx.anchor is None and not has_year:
        return None
    has_day = bool(re.search(r"(?<![\d:])\d{1,2}(?:st|nd|rd|th)?(?![\d:])", re.sub(r"\b\d{4}\b", "", low)))
    if getattr(data, "period", None) == "day" and has_day:
        return _day(day)
    return _month(day.year, day.month)


# --------------------------------------------------------------------------- public API


def _as_date(anchor: object) -> dt.date | None:
    if isinstance(anchor, dt.datetime):
        return anchor.date()
    if isinstance(anchor, dt.date):
        return anchor
    if isinstance(anchor, str):
        try:
            return dt.date.fromisoformat(anchor[:10])
        except ValueError:
            return None
    return None


_COUNT_NOUNS = frozenset(
    {"year", "years", "day", "days", "week", "weeks", "month", "months", "decades", "centuries", "hours",
     "people", "troops", "men", "times", "dollars", "kilometres", "kilometers", "miles", "tons", "tonnes"}
)  # fmt: skip


def _try_parse(s: str, ctx: _Ctx) -> _R | None:
    """Date arithmetic near year 1 or 9999 overflows; such a reading is simply not a date."""
    try:
        return _parse_expr(s, ctx)
    except (ValueError, OverflowError):
        return None


@functools.lru_cache(maxsize=8192)
def _resolve(text: str, anchor: dt.date | None, tense: str | None) -> _R | None:
    s = _clean(text)
    if not s or len(s) > 120 or not _QUICK.search(s.lower()):
        return None
    ctx = _Ctx(anchor, tense)
    r = _try_parse(s, ctx)
    if r is not None:
        return r
    # a longer phrase around a date ("9 a.m. Tuesday", "the attack on Sunday"): the longest
    # run of words that parses, leftmost first
    toks = s.split()
    low = s.lower()
    if any(rx.fullmatch(low) for rx in (_RE_ISO, _RE_NUMERIC, _RE_MDY, _RE_DMY)):
        return None  # a full date that does not exist ("31 February 2019"): not a vaguer date
    if 1 < len(toks) <= 14:
        low_toks = {t.lower() for t in toks}
        if tense is None and low_toks & {"ended", "closed", "ago", "earlier"}:
            tense = "past"  # "the year ended March 31"
        sub = _Ctx(anchor, tense, subspan=True)
        found: list[tuple[int, int, _R]] = []
        for size in range(len(toks) - 1, 0, -1):
            for i in range(len(toks) - size + 1):
                if any(j <= i and i + size <= j + n for j, n, _ in found):
                    continue  # inside a longer phrase that already parsed
                piece = _clean(" ".join(toks[i : i + size]))
                if piece and _QUICK.search(piece.lower()):
                    r = _try_parse(piece, sub)
                    follower = toks[i + size].lower() if i + size < len(toks) else ""
                    if r is not None and r.precision == "year" and follower in _COUNT_NOUNS:
                        continue  # "two thousand years", "1500 people": a count, not a year
                    if r is not None:
                        found.append((i, size, r))
        if found:
            # "the year ended March 31": the most precise date in the phrase is the one it is about
            return min(found, key=lambda f: (_RANK[f[2].precision], -f[1], f[0]))[2]
    return _dateparser_fallback(s, ctx)


def resolve_date(text: str, anchor: dt.date | None, *, tense: str | None = None) -> DateValue | None:
    """Normalise one temporal expression against ``anchor`` (the publication date).

    ``tense`` ('past' or 'future', from the sentence) picks the direction for a bare
    month, weekday or season; left out, a bare month is the latest one not after the
    anchor's month and a weekday the latest one on or before the anchor (the news
    convention). Without an anchor, relative expressions come back with precision
    'unknown' and no start or value, never resolved against today. Returns None for
    text that is not a date; never raises.
    """
    try:
        if not isinstance(text, str):
            return None
        a = _as_date(anchor)
        t = tense if tense in ("past", "future") else None
        r = _resolve(text, a, t)
    except Exception:  # a date is optional metadata: a bad string must not sink the document
        return None
    if r is None:
        return None
    return DateValue(start=_iso(r.start), end=_iso(r.end), precision=r.precision, text=text, value=r.value)


# --------------------------------------------------------------------------- spaCy side

# fmt: off
_LEAD_PREPS = frozenset(
    {
        "on", "in", "at", "since", "by", "from", "until", "till", "during", "for", "of", "through",
        "throughout", "before", "after", "around", "about", "within", "over", "between", "as", "into",
        "to", "than"
    }
)
# fmt: on
_ADVERB_REFS = frozenset(
    {
        "now",
        "currently",
        "recently",
        "nowadays",
        "lately",
        "previously",
        "formerly",
        "soon",
        "shortly",
        "recent",
    }
)


_EXTEND_LEFT = frozenset({"this", "last", "next", "early", "late", "mid", "earlier", "later"})
_RE_DAY_WORD = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|yesterday|tomorrow"
    r"|last night)\b",
    re.I,
)
_RE_MISSED_DAYS = re.compile(
    r"\b(?:(?:last|next|this|early|late) )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?: (?:morning|afternoon|evening|night))?\b"
    r"|\b(?:[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]onight)\b"
    r"|\b(?:Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Thanksgiving(?: Day)?|Easter(?: Sunday)?)\b"
    r"|\b(?:(?:the|its|a) )?(?:fiscal[- ])?(?:first|second|third|fourth)[- ](?:fiscal[- ])?quarter\b"
)
_RE_MISSED_REFS = re.compile(
    r"\b(?:[Tt]he (?:past|future|near future|near term|long term|time)|[Tt]he latest (?:period|quarter))\b"
)
_RE_COORD = re.compile(r"(?P<a>.+?)(?:,? and |,? or | and/or )(?P<b>.+)")


def find_date_expressions(
    doc: Doc, *, times: bool = True, adverbs: bool = False
) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, text)`` of the date expressions in ``doc``.

    These are spaCy's DATE entities, cleaned up so each span is one expression:
    leading prepositions trimmed ("on Tuesday" -> "Tuesday"), a dropped "this/last/next"
    put back, coordinations split ("1994 and 1997" -> two dates; "between 1994 and 1997"
    stays one range), and no span crosses a line break (a dateline is not part of the next
    paragraph's date). With ``times``, TIME entities that name a day but no clock time
    ("Sunday night", "tonight") count too, since they date an event to the day. With
    ``adverbs``, so do temporal adverbs the NER never labels ("now", "recently", "soon"),
    which TimeML counts as dates.
    """
    out: list[tuple[int, int, str]] = []
    text = doc_cache.text(doc)
    for ent in doc.ents:
        if ent.label_ != "DATE" and not (
            times
            and ent.label_ == "TIME"
            and _RE_DAY_WORD.search(ent.text)
            and not re.search(r"\d", ent.text)
        ):
            continue
        toks = list(ent)
        is_range = bool(toks) and toks[0].lower_ in ("between", "from")
        while toks and (toks[0].lower_ in _LEAD_PREPS or toks[0].is_punct or toks[0].is_space):
            toks = toks[1:]
        while toks and (toks[-1].is_punct or toks[-1].is_space) and toks[-1].text != ".":
            toks = toks[:-1]
        if not toks:
            continue
        first = toks[0]
        if first.i > 0 and doc[first.i - 1].lower_ in _EXTEND_LEFT and not is_range:
            prev = doc[first.i - 1]
            if not (prev.ent_type_ and prev.ent_type_ not in ("DATE", "TIME")):
                toks = [prev, *toks]
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if is_range:
            start = ent.start_char
        for seg_start, seg_end in _split_lines(text, start, end):
            parts = [] if is_range else _split_coordination(text, seg_start, seg_end)
            for a, b in parts or [(seg_start, seg_end)]:
                out.append((a, b, text[a:b]))
    # what the small model's NER misses: day names, quarters, holidays (and, on request,
    # temporal adverbs), unless they sit inside another entity ("USA Today")
    covered = {i for s, e, _ in out for i in range(s, e)}
    in_other = {i for ent in doc.ents for i in range(ent.start_char, ent.end_char)}
    patterns = [_RE_MISSED_DAYS] + ([_RE_MISSED_REFS] if adverbs else [])
    for rx in patterns:
        for m in rx.finditer(text):
            s, e = m.span()
            if covered.intersection(range(s, e)) or s in in_other:
                continue
            out.append((s, e, m.group(0)))
            covered.update(range(s, e))
    if adverbs:
        for tok in doc_cache.tokens(doc):
            if tok.lower_ in _ADVERB_REFS and tok.idx not in covered and tok.pos_ in ("ADV", "ADJ"):
                out.append((tok.idx, tok.idx + len(tok.text), tok.text))
    out.sort()
    return out


def _split_coordination(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """'1994 and 1997', 'Monday or Tuesday': two dates, when both halves read as dates."""
    m = _RE_COORD.fullmatch(text[start:end])
    if not m:
        return []
    a, b = m.group("a").strip(), m.group("b").strip()
    if resolve_date(a, None) is None or resolve_date(b, None) is None:
        return []
    return [(start, start + len(a)), (start + m.start("b"), start + m.start("b") + len(b))]


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) at line breaks and keep the pieces that still hold a word or number."""
    pieces = []
    pos = start
    for part in re.split(r"(\n)", text[start:end]):
        if part != "\n":
            lstrip = len(part) - len(part.lstrip())
            rstrip = len(part) - len(part.rstrip())
            s, e = pos + lstrip, pos + len(part) - rstrip
            if e > s and any(ch.isalnum() for ch in text[s:e]):
                pieces.append((s, e))
        pos += len(part)
    if len(pieces) > 1:
        # keep the piece that reads as a date; the rest is usually a dateline or a heading
        dated = [p for p in pieces if resolve_date(text[p[0] : p[1]], None) is not None]
        pieces = dated[:1] or pieces[:1]
    return pieces


# fmt: off
_SAME_IN_PAST = frozenset({
    "hurt", "put", "set", "cut", "hit", "let", "quit", "spread", "cost", "beat", "shut", "bet", "bid", "cast",
    "burst", "thrust", "split", "upset", "broadcast", "forecast", "read", "rid", "shed", "slit", "spit",
})
# fmt: on
"""Verbs whose past tense is spelled like the present; the tagger often calls them present."""

_FUTURE_PASSIVES = frozenset({"expect", "schedule", "due", "set", "plan", "slate", "intend"})


def infer_tense(span: Span) -> str | None:
    """'past', 'future' or None (present or unclear) for the clause a date expression sits in.

    Resolving "in December" or "on Tuesday" needs to know whether the article looks back
    or ahead; the governing verb's tense and auxiliaries tell us. A hint only: the
    resolver overrules it when it would move a date far from the anchor.
    """
    try:
        tok: Token = span.root
        if tok.dep_ == "poss":
            return None  # "Wednesday's ruling": the clause's verb says nothing about the date
        for _ in range(8):
            if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
                break
            tok = tok.head
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        return _clause_tense(tok)
    except Exception:  # the parse is a hint only
        return None


def _clause_tense(verb: Token) -> str | None:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & {"will", "'ll", "shall", "wo"}:
        return "future"
    if "would" in words and "have" not in words:
        return "future"  # future in the past: "said it would pay in December"
    if "to" in words and verb.tag_ == "VB":
        return "future"  # an infinitive looks ahead of its head: "plans to visit", "is to resume"
    if (
        verb.tag_ == "VBN"
        and verb.lemma_ in _FUTURE_PASSIVES
        and any(a.lemma_ == "be" for a in auxes)
        and not any(a.tag_ == "VBD" for a in auxes)
    ):
        return "future"  # "is expected in December", "is scheduled for Monday"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
        return "past"
    if (
        verb.tag_ in ("VBZ", "VBP")
        and verb.lemma_ not in ("be", "have")
        and not auxes
        and verb.lower_ not in _SAME_IN_PAST
    ):
        return "future"  # news writes scheduled events in the simple present: "meets Monday"
    return None
