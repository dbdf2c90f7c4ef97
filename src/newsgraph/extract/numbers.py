"""Counts in news text: quantity expressions and casualty figures, normalised.

A ``Quantity`` is a count of people or things as an interval ``[min, max]``
(``None`` = unbounded or unknown) plus ``approx`` when the text hedges. The
conventions, chosen so that the interval holds every value the words allow:

- ``412``, ``five``, ``two hundred and twelve``, ``1,200``, ``1.5 million``,
  ``a dozen`` (12), ``two dozen`` (24), ``half a dozen`` (6), ``a hundred``:
  ``min == max``, exact.
- ``over / more than / above / in excess of / upwards of N``: ``min = N + 1``,
  ``max = None`` (the bound is exclusive, so "over 300" cannot be 300).
- ``at least / no fewer than / N or more / N+``: ``min = N``, ``max = None``.
- ``up to / as many as / at most / no more than``: ``min = None``, ``max = N``.
- ``less than / fewer than / under / below N``: ``min = None``, ``max = N - 1``.
- ``about / around / some / nearly / almost / roughly / approximately / an
  estimated / N or so / N-odd``: ``min = max = N``, ``approx = True`` ("nearly
  300" is reported as the figure the writer had in mind, not as 299).
- ranges ``between 10 and 15``, ``10-15``, ``10 to 15``, ``two or three``:
  ``min = 10, max = 15``.
- vague words are ranges with ``approx = True``: ``a few`` / ``a handful`` 2..5,
  ``several`` 3..9 (``several hundred`` 300..900), ``dozens`` / ``scores`` /
  ``tens of`` 24 / 40 / 20..99, ``hundreds`` 200..999, ``thousands``
  2000..9999, ``tens of thousands`` 20000..99999 (a plural unit means at least
  two of it and fewer than the next word up); ``many``, ``numerous``,
  ``a number of`` 2..None; ``a couple`` 2.
- ``no one / nobody / none / no <noun> / not a single``: 0.
- ``a`` / ``an`` / ``one`` / ``another`` before a noun: 1 ("a policeman was
  killed"); ``both``: 2.

Casualty roles (``find_casualties``) are read from one sentence with the cues
around each count: a verb before it ("killing 12", "took the lives of 300"), a
passive or adjective after its noun phrase ("12 people were killed", "five
dead"; a bare participle counts only when no object follows it, so in "two
bombs killed 12 people" the two bombs are not victims), its head noun ("seven
deaths", "50 hostages"), or a toll ("the death toll rose to 19"). "a"/"an"
count only under a verb cue ("a policeman was killed", "killed a policeman").
Kidnapped and abducted people are hostages; arrested, detained and apprehended
people are ``arrested``. Where the text is ambiguous:

- "casualties" means killed plus injured, so it is kept apart in
  ``CasualtyFigures.attributes["casualties"]`` (as is "12 were killed or
  injured"); only zero casualties say something about both: 0 killed and 0
  injured. "no one was hurt" likewise gives 0 killed and 0 injured, while "no
  one was injured" gives only 0 injured.
- "victims" counts as killed only with a death word within eight tokens
  ("killed 120 victims"); otherwise it is kept in ``attributes["victims"]``.
- several figures for one role: a toll that "rose to" / "reached" a figure
  wins (marked ``attributes["latest"] = True``); otherwise the largest (a part,
  "including two children", is never larger than its total). Counts joined by
  "and" under one cue are added ("two soldiers and three civilians were
  killed" -> 5, ``attributes["parts"]``), a bare comma only inside a list that
  ends in "and"; "15 others" / "another two" add to the figure before them.
- breakdowns stay on the figure: ", half of them children" ->
  ``{"children": {"fraction": "1/2"}}``, "12 of them women" -> ``{"women":
  {"min": 12, ...}}``, "including 106 women, 63 children" -> ``{"including":
  [{"group": "women", "min": 106, "max": 106, "approx": False, "text": ...}]}``;
  their numbers are not counted again.
- numbers that are not counts are skipped: years after "in/since/the/..." and
  year ranges, dates ("July 14"), ordinals, ids ("Flight 752", "AK-47"),
  money, percentages, ages ("aged 25", "30-year-old") and measures ("12 km",
  "two days").

Everything is plain-string work: a linear tokenizer, bounded look-ahead and
look-behind, no spaCy, offsets into the input string. Case is ignored, so an
all lower-case sentence reads the same as the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = ["CasualtyFigures", "Quantity", "find_casualties", "find_quantities", "parse_quantity"]

_Entry = TypeVar("_Entry", bound=tuple[Any, ...])


def _split(words: str) -> list[str]:
    """Vocabulary lists are written as one string for readability."""
    return words.split()


def _index(table: list[_Entry], last: bool = False) -> dict[str, list[_Entry]]:
    """Multi-word cues by their first (or last) word, so a token is tried only against its own."""
    out: dict[str, list[_Entry]] = {}
    for entry in table:
        words = entry[0]
        out.setdefault(words[-1] if last else words[0], []).append(entry)
    return out


@dataclass(frozen=True)
class Quantity:
    """A count as an interval; ``start``/``end`` span ``text`` in the input string."""

    min: int | None
    max: int | None
    approx: bool
    text: str
    start: int
    end: int
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CasualtyFigures:
    """The figures one sentence gives; ``attributes`` keeps the ambiguous ones ("casualties", "victims")."""

    killed: Quantity | None = None
    injured: Quantity | None = None
    hostages: Quantity | None = None
    arrested: Quantity | None = None
    attributes: dict[str, Quantity] = field(default_factory=dict)


# --------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"\d+(?:st|nd|rd|th)\b"  # ordinals are never counts
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"  # 1,200 / 500,000
    r"|\d+(?:\.\d+)?"  # 412 / 1.5
    r"|[^\W\d_]+(?:['’][^\W\d_]+)*"  # words, with inner apostrophes
    r"|\S",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    kind: str  # num | ord | word | punct


def _tokenize(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        c = s[0]
        if c.isdecimal():
            kind = "ord" if s[-1].isalpha() else "num"
        elif c.isalpha():
            kind = "word"
        else:
            kind = "punct"
        low = s.lower().replace("’", "'")
        if low in ("–", "—"):
            low = "-"
        out.append(_Tok(s, low, m.start(), m.end(), kind))
    return out


# --------------------------------------------------------------------------- vocabulary

_UNITS = {
    w: i
    for i, w in enumerate(
        _split(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * (i + 2) for i, w in enumerate(_split("twenty thirty forty fifty sixty seventy eighty ninety"))
}
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9}
_SCALE_ABBR = {"mln": 10**6, "bn": 10**9}
_PLURAL_SCALES = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "millions": (2 * 10**6, 10**7 - 1),
}
_FEW = {"few": (2, 5), "several": (3, 9)}
_MANY = frozenset({"many", "numerous", "multiple", "countless", "lots"})
_MULTIPLIER = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}

_MORE, _LESS, _ATLEAST, _ATMOST, _APPROX = "more", "less", "atleast", "atmost", "approx"
_MODIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (("more", "than"), _MORE),
        (("over",), _MORE),
        (("just", "over"), _MORE),
        (("well", "over"), _MORE),
        (("upwards", "of"), _MORE),
        (("in", "excess", "of"), _MORE),
        (("above",), _MORE),
        (("well", "above"), _MORE),
        (("exceeding",), _MORE),
        (("greater", "than"), _MORE),
        (("less", "than"), _LESS),
        (("fewer", "than"), _LESS),
        (("under",), _LESS),
        (("just", "under"), _LESS),
        (("below",), _LESS),
        (("at", "least"), _ATLEAST),
        (("no", "fewer", "than"), _ATLEAST),
        (("no", "less", "than"), _ATLEAST),
        (("not", "less", "than"), _ATLEAST),
        (("not", "fewer", "than"), _ATLEAST),
        (("a", "minimum", "of"), _ATLEAST),
        (("up", "to"), _ATMOST),
        (("as", "many", "as"), _ATMOST),
        (("as", "much", "as"), _ATMOST),
        (("at", "most"), _ATMOST),
        (("no", "more", "than"), _ATMOST),
        (("not", "more", "than"), _ATMOST),
        (("a", "maximum", "of"), _ATMOST),
        (("about",), _APPROX),
        (("around",), _APPROX),
        (("approximately",), _APPROX),
        (("approx",), _APPROX),
        (("roughly",), _APPROX),
        (("nearly",), _APPROX),
        (("almost",), _APPROX),
        (("some",), _APPROX),
        (("an", "estimated"), _APPROX),
        (("estimated",), _APPROX),
        (("close", "to"), _APPROX),
        (("circa",), _APPROX),
        (("an", "approximate"), _APPROX),
        (("more", "or", "less"), _APPROX),
    ],
    key=lambda m: -len(m[0]),
)
_TRANSPARENT = [
    ("a", "total", "of"),
    ("a", "further"),
    ("an", "additional"),
    ("another",),
    ("all",),
    ("the", "remaining"),
]
_TRANSPARENT_FIRST = frozenset(w[0] for w in _TRANSPARENT)
_POSTFIX: list[tuple[tuple[str, ...], str]] = [
    (("or", "more"), _ATLEAST),
    (("or", "above"), _ATLEAST),
    (("or", "over"), _ATLEAST),
    (("or", "so"), _APPROX),
    (("or", "fewer"), _ATMOST),
    (("or", "less"), _ATMOST),
]
# after "a"/"an"/"another" these words make a group or a measure, not one person
_NOT_ONE = frozenset(
    _split(
        "group number lot total crowd couple handful few dozen bit little range variety wave string spate "
        "series majority minority third quarter half fifth part share fraction percentage portion result "
        "while time further additional score pair minimum maximum host multitude batch round"
    )
)
_NO_NOT_ZERO = frozenset(
    _split(
        "longer more less fewer doubt matter sooner later way one's other such sign word details "
        "immediate further comment"
    )
)

_MONTHS = frozenset(
    _split(
        "january february march april may june july august september october november december jan feb mar "
        "apr jun jul aug sep sept oct nov dec"
    )
)
_MODAL_FOLLOW = frozenset(_split("have be not also still well never yet soon rise increase"))
_UNIT_WORDS = frozenset(
    _split(
        "year years month months week weeks day days hour hours hrs minute minutes min mins second seconds "
        "km kms kilometre kilometres kilometer kilometers mile miles metre metres meter meters m cm mm ft "
        "feet foot inch inches yard yards kg kgs kilo kilos kilogram kilograms gram grams g lb lbs ton "
        "tons tonne tonnes litre litres liter liters gallon gallons barrel barrels acre acres hectare "
        "hectares degree degrees percent per pct % times am pm a.m p.m o'clock gmt utc mph kph knots "
        "calibre caliber mw gw dollar dollars euro euros rouble roubles ruble rubles manat manats rial "
        "rials toman tomans pound pounds lira liras yuan yen rupee rupees shekel shekels dram drams lari "
        "usd eur rub azn irr gbp cny bpd storey storeys story stories floors decade decades century "
        "centuries night nights weekend weekends"
    )
)
_CURRENCY_BEFORE = frozenset(_split("$ € £ ¥ ₽ ₼ ₺ ₹ # № usd eur rub azn irr gbp"))
_IDENT_BEFORE = frozenset(
    _split(
        "flight flights no nos number resolution resolutions route article articles section highway unit "
        "building block room gate platform bus chapter page pages paragraph item category phase stage "
        "brigade battalion regiment division corps squad apartment precinct terminal ward cell hangar exit "
        "pier track lane zone sector model version vol volume grade class level tier act clause decree law "
        "protocol code plot km kilometre kilometer mark mk type series episode season top aged age ages "
        "ageing aging channel frequency radio vessel hull tail serial line"
    )
)
_YEAR_BEFORE = frozenset(
    _split(
        "in since of by until till from during before after through throughout circa early late mid year "
        "years the a an spring summer autumn fall winter 's"
    )
)

# cues -----------------------------------------------------------------------------

KILLED, INJURED, HOSTAGES, ARRESTED = "killed", "injured", "hostages", "arrested"
_CASUALTIES, _VICTIMS, _HARMED = "casualties", "victims", "harmed"

# verb before the count: "killing 12", "took the lives of 300", "detained three suspects"
_BEFORE_CUES: list[tuple[tuple[str, ...], str]] = sorted(
    [
        *(
            ((w,), KILLED)
            for w in _split(
                "killed killing kill kills slew slaying murdered murdering massacred massacring executed "
                "executing"
            )
        ),
        *(
            ((w, "of"), KILLED)
            for w in _split(
                "killing killings murder murders massacre execution executions deaths death lives"
            )
        ),
        (("shot", "dead"), KILLED),
        (("shooting", "dead"), KILLED),
        (("gunned", "down"), KILLED),
        (("gunning", "down"), KILLED),
        *(
            ((w,), INJURED)
            for w in _split(
                "wounded wounding injured injuring injure injures wound hurt hurting maimed maiming"
            )
        ),
        *(((w, "of"), INJURED) for w in _split("wounding injuring")),
        *(((w,), HOSTAGES) for w in _split("kidnapped kidnapping kidnap abducted abducting abduct")),
        *(((w, "of"), HOSTAGES) for w in _split("kidnapping abduction")),
        *(((v, "hostage"), HOSTAGES) for v in _split("took taking take takes held holding hold holds")),
        *(
            ((w,), ARRESTED)
            for w in _split("arrested arresting arrest detained detaining detain apprehended apprehending")
        ),
        *(((w, "of"), ARRESTED) for w in _split("arrest arrests detention detentions")),
        (("rounded", "up"), ARRESTED),
        (("rounding", "up"), ARRESTED),
        # "among those killed were five children"
        *(((w, v), KILLED) for w in ("killed", "dead") for v in ("were", "included", "include")),
        *(((w, v), INJURED) for w in ("injured", "wounded") for v in ("were", "included", "include")),
    ],
    key=lambda c: -len(c[0]),
)

# participle or adjective after the subject: (words, role, transitive)
_AFTER_CUES: list[tuple[tuple[str, ...], str, bool]] = sorted(
    [
        (("shot", "dead"), KILLED, True),
        (("shot", "and", "killed"), KILLED, True),
        (("gunned", "down"), KILLED, True),
        (("shot", "and", "wounded"), INJURED, True),
        (("shot", "and", "injured"), INJURED, True),
        (("taken", "hostage"), HOSTAGES, False),
        (("taken", "hostages"), HOSTAGES, False),
        (("held", "hostage"), HOSTAGES, False),
        (("taken", "captive"), HOSTAGES, False),
        (("held", "captive"), HOSTAGES, False),
        (("taken", "prisoner"), HOSTAGES, False),
        (("taken", "into", "custody"), ARRESTED, False),
        (("rounded", "up"), ARRESTED, True),
        *((("lost", p, n), KILLED, False) for p in ("their", "his", "her") for n in ("lives", "life")),
        *(
            ((w,), KILLED, True)
            for w in _split("killed slain murdered executed assassinated beheaded massacred lynched")
        ),
        *(((w,), KILLED, False) for w in _split("dead died die dies perished")),
        *(((w,), INJURED, True) for w in _split("wounded injured maimed")),
        (("hurt",), _HARMED, True),
        *(((w,), INJURED, False) for w in _split("hospitalized hospitalised")),
        *(((w,), HOSTAGES, True) for w in _split("kidnapped abducted")),
        *(((w,), ARRESTED, True) for w in _split("arrested detained apprehended")),
    ],
    key=lambda c: -len(c[0]),
)
_AFTER_SINGLE = frozenset(c[0][0] for c in _AFTER_CUES if len(c[0]) == 1)
_INJURY_NOUNS = frozenset(_split("injuries injury wounds wound burns"))
_SUFFER = frozenset(_split("suffered sustained received suffering sustaining"))

# head noun of the counted phrase: "seven deaths", "50 hostages", "120 victims"
_ROLE_NOUNS = {
    **dict.fromkeys(_split("deaths death fatalities fatality lives life bodies corpses dead"), KILLED),
    **dict.fromkeys(_split("injuries injury injured wounded"), INJURED),
    **dict.fromkeys(_split("hostages hostage captives abductees"), HOSTAGES),
    **dict.fromkeys(_split("arrests detainees detentions"), ARRESTED),
    **dict.fromkeys(_split("casualties casualty"), _CASUALTIES),
    **dict.fromkeys(_split("victims victim"), _VICTIMS),
}
_SAVE_VERBS = frozenset(_split("saved saving save saves spared sparing"))
_DEATH_WORDS = frozenset(
    _split(
        "killed killing kill kills dead died die dies death deaths lives fatalities fatal deadly slain "
        "murdered massacre toll"
    )
)

_BE = frozenset(_split("was were is are be been being got get gets getting 's"))
_AUX = _BE | frozenset(
    _split(
        "has have had reportedly allegedly also later subsequently eventually all both each now feared "
        "believed reported confirmed officially initially seriously critically severely slightly lightly "
        "badly fatally mortally said thought known presumed likely probably possibly still immediately "
        "instantly apparently either to then may might could would will should must can"
    )
)
# after a transitive participle with no "be": what shows the passive ("12 killed in ...")
_PASSIVE_FOLLOW = frozenset(
    _split(
        "in on at near by during after as when while and or but including among since so across outside "
        "inside from following overnight yesterday today tonight last this earlier later instantly there "
        "here before amid amidst with within early late"
    )
)
_NP_STOP = (
    frozenset(
        _split(
            "and or but nor while whereas when where which who whom whose that because although though if "
            "than so then yet until unless whether there here he she it they we i you him us me this these "
            "those not never no ago said says say told according including as to per"
        )
    )
    | _AUX
)
_AFTER_OF = frozenset(_split("them those whom which these the"))
_PREPS = frozenset(
    _split(
        "in on at from near by during after before inside outside aboard across along with without for "
        "into onto of among through between against toward towards behind"
    )
)
_RELATIVE = frozenset(_split("who that which"))

_TOLL_LATEST = frozenset(
    _split(
        "rose risen rises rise rising climbed climbs climbing jumped jumps increased increases reached "
        "reaches reaching grew grown hit hits mounted raising raised bringing brought brings pushing "
        "pushed lifting lifted updated now"
    )
)
_TOLL_KIND = {"death": KILLED, "fatality": KILLED, "casualty": _CASUALTIES, "injury": INJURED}
_NUMBER_OF_ROLE = {
    **dict.fromkeys(_split("dead deaths killed fatalities"), KILLED),
    **dict.fromkeys(_split("injured wounded injuries"), INJURED),
    **dict.fromkeys(_split("hostages kidnapped abducted"), HOSTAGES),
    **dict.fromkeys(_split("arrested detained arrests detainees"), ARRESTED),
    "casualties": _CASUALTIES,
    "victims": _VICTIMS,
}
_CLAUSE_STOP = frozenset(_split("and but while whereas which who although though because"))

_FRACTIONS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (("half",), "1/2"),
        (("a", "half"), "1/2"),
        (("one", "half"), "1/2"),
        (("a", "third"), "1/3"),
        (("one", "third"), "1/3"),
        (("one", "-", "third"), "1/3"),
        (("two", "thirds"), "2/3"),
        (("two", "-", "thirds"), "2/3"),
        (("a", "quarter"), "1/4"),
        (("one", "quarter"), "1/4"),
        (("one", "-", "quarter"), "1/4"),
        (("three", "quarters"), "3/4"),
        (("three", "-", "quarters"), "3/4"),
        (("a", "fifth"), "1/5"),
        (("one", "fifth"), "1/5"),
        (("most",), "most"),
        (("the", "majority"), "most"),
        (("the", "vast", "majority"), "most"),
        (("many",), "many"),
        (("all",), "all"),
        (("some",), "some"),
    ],
    key=lambda f: -len(f[0]),
)
_MODIFIERS_BY = _index(_MODIFIERS)
_AFTER_BY = _index(_AFTER_CUES)
_BEFORE_BY = _index(_BEFORE_CUES, last=True)
_FRACTIONS_BY = _index(_FRACTIONS)

_FRACTION_HEDGE = frozenset(_split("about around nearly almost roughly approximately over some"))
_OF_PRONOUN = frozenset(_split("them whom which those these"))


# --------------------------------------------------------------------------- quantity grammar


@dataclass(frozen=True, slots=True)
class _Core:
    lo: int | None
    hi: int | None
    approx: bool
    end: int
    kind: str  # number | range | vague | zero | article
    years: bool = False  # a bare 4-digit number (or range of them) that could be a year


def _seq(toks: list[_Tok], i: int, words: tuple[str, ...]) -> bool:
    if i < 0 or i + len(words) > len(toks):
        return False
    return all(toks[i + k].low == w for k, w in enumerate(words))


def _first(i: int, toks: list[_Tok]) -> str:
    return toks[i].low if 0 <= i < len(toks) else ""


def _glued(toks: list[_Tok], i: int) -> bool:
    """Token i touches token i-1 (no space between)."""
    return 0 < i < len(toks) and toks[i - 1].end == toks[i].start


def _digits_value(tok: _Tok) -> float:
    return float(tok.text.replace(",", ""))


def _words_number(toks: list[_Tok], i: int) -> tuple[int, int, int] | None:
    """English number words from token i: (value, end index, trailing scale)."""
    n = len(toks)
    total = current = 0
    j = end = i
    last: str | None = None
    last_scale = 10**12
    trailing = 1
    while j < n:
        w = toks[j].low
        if w in _UNITS and (
            last in (None, "hundred", "scale", "and") or (last == "tens" and 0 < _UNITS[w] < 10)
        ):
            current += _UNITS[w]
            last = "unit" if _UNITS[w] < 10 else "teen"
        elif w in _TENS and last in (None, "hundred", "scale", "and"):
            current += _TENS[w]
            last = "tens"
        elif w == "hundred" and last in (None, "unit", "teen") and current < 100:
            current = (current or 1) * 100
            last = "hundred"
        elif w in _SCALES and last in (None, "unit", "teen", "tens", "hundred") and _SCALES[w] < last_scale:
            total += (current or 1) * _SCALES[w]
            current = 0
            last_scale = _SCALES[w]
            last = "scale"
        elif (
            w == "and"
            and last in ("hundred", "scale")
            and j + 1 < n
            and (toks[j + 1].low in _UNITS or toks[j + 1].low in _TENS)
        ):
            last = "and"
            j += 1
            continue
        elif (
            w == "-"
            and last == "tens"
            and _glued(toks, j)
            and _glued(toks, j + 1)
            and 0 < _UNITS.get(toks[j + 1].low, 0) < 10
        ):
            j += 1
            continue
        else:
            break
        trailing = last_scale if last == "scale" else (100 if last == "hundred" else 1)
        j += 1
        end = j
    if end == i:
        return None
    return total + current, end, trailing


def _number(toks: list[_Tok], i: int) -> tuple[int, int, int, bool] | None:
    """A number in digits or words from token i: (value, end, trailing scale, bare 4-digit)."""
    if i >= len(toks):
        return None
    tok = toks[i]
    if tok.kind == "num":
        value = _digits_value(tok)
        j = i + 1
        scale = 1
        if j < len(toks) and (toks[j].low in _MULTIPLIER or toks[j].low in _SCALE_ABBR):
            scale = _MULTIPLIER.get(toks[j].low) or _SCALE_ABBR[toks[j].low]
            j += 1
        total = value * scale
        if total != int(total):
            return None
        year_like = scale == 1 and len(tok.text) == 4 and "," not in tok.text and 1800 <= value <= 2099
        return int(total), j, scale, year_like
    if (
        tok.low == "a"
        and i + 1 < len(toks)
        and toks[i + 1].low in ("hundred", "thousand", "million", "billion")
    ):
        got = _words_number(toks, i + 1)
        if got is None:
            return None
        return got[0], got[1], got[2], False
    got = _words_number(toks, i)
    if got is None:
        return None
    value, j, trailing = got
    if j < len(toks) and toks[j].low == "dozen":
        return value * 12, j + 1, 12, False
    return value, j, trailing, False


def _core_at(toks: list[_Tok], i: int, bare: bool, from_before: bool) -> _Core | None:
    """The quantity proper at token i; ``bare`` allows forms that take no modifier (zero, articles)."""
    n = len(toks)
    if i >= n:
        return None
    w = toks[i].low
    nxt = toks[i + 1].low if i + 1 < n else ""
    if bare:
        if w in ("nobody", "none"):
            return _Core(0, 0, False, i + 1, "zero")
        if w == "no" and nxt == "one":
            return _Core(0, 0, False, i + 2, "zero")
        if w == "not" and nxt == "one":
            return _Core(0, 0, False, i + 2, "zero")
        if w == "not" and nxt == "a" and i + 2 < n and toks[i + 2].low == "single":
            return _Core(0, 0, False, i + 3, "zero")
        if w == "no" and toks[i + 1 : i + 2] and toks[i + 1].kind == "word" and nxt not in _NO_NOT_ZERO:
            return _Core(0, 0, False, i + 1, "zero")
    if w == "between":
        low_end = _number(toks, i + 1)
        if low_end is not None and low_end[1] < n and toks[low_end[1]].low == "and":
            high_end = _number(toks, low_end[1] + 1)
            if high_end is not None and high_end[0] > low_end[0]:
                return _Core(low_end[0], high_end[0], False, high_end[1], "range", low_end[3] and high_end[3])
        return None
    # vague: several hundred, a few dozen, dozens, hundreds of thousands, tens of thousands
    j = i
    if w == "a" and nxt in ("few", "handful", "couple", "number", "lot", "score", "pair", "dozen"):
        j = i + 1
        w = nxt
        nxt = toks[j + 1].low if j + 1 < n else ""
        if w == "dozen":
            return _Core(12, 12, False, j + 1, "number")
        if w == "handful":
            return _Core(2, 5, True, j + 1, "vague")
        if w == "couple":
            return _Core(2, 2, True, j + 1, "vague")
        if w == "pair" and nxt == "of":
            return _Core(2, 2, False, j + 1, "vague")
        if w == "score" and nxt == "of":
            return _Core(20, 20, True, j + 1, "vague")
        if w == "number" and nxt == "of":
            return _Core(2, None, True, j + 1, "vague")
        if w == "lot" and nxt == "of":
            return _Core(2, None, True, j + 1, "vague")
        if w != "few":
            return None
    if w in _FEW:
        lo, hi = _FEW[w]
        if nxt in _MULTIPLIER:
            s = _MULTIPLIER[nxt]
            return _Core(lo * s, hi * s, True, j + 2, "vague")
        return _Core(lo, hi, True, j + 1, "vague")
    if w == "tens" and nxt == "of":
        after = toks[i + 2].low if i + 2 < n else ""
        if after in ("thousands", "millions"):
            s = 1000 if after == "thousands" else 10**6
            return _Core(20 * s, 100 * s - 1, True, i + 3, "vague")
        return _Core(20, 99, True, i + 1, "vague")
    if w in _PLURAL_SCALES:
        lo, hi = _PLURAL_SCALES[w]
        if nxt == "of" and i + 2 < n and toks[i + 2].low in ("thousands", "millions") and w != "millions":
            s = 1000 if toks[i + 2].low == "thousands" else 10**6
            if s > lo:
                return _Core(lo * s, (hi + 1) * s - 1, True, i + 3, "vague")
        return _Core(lo, hi, True, i + 1, "vague")
    if w in _MANY:
        return _Core(2, None, True, i + 1, "vague")
    if w == "half" and nxt == "a" and i + 2 < n and toks[i + 2].low in ("dozen", "million", "thousand"):
        return _Core(
            _MULTIPLIER[toks[i + 2].low] // 2, _MULTIPLIER[toks[i + 2].low] // 2, False, i + 3, "number"
        )
    if bare and w == "both":
        return _Core(2, 2, False, i + 1, "article")
    num = _number(toks, i)
    if num is not None:
        x, k, _scale, year_like = num
        # ranges: 10-15, 10 to 15, two or three
        if k < n:
            sep = toks[k].low
            if sep == "-" or (sep == "to" and not from_before) or sep == "or":
                y = _number(toks, k + 1)
                if y is not None:
                    yv, yend, yscale, y_year = y
                    xv = x * yscale if (yscale > 1 and x * yscale <= yv and x < yscale) else x
                    if yv > xv and not (sep == "-" and toks[k + 1].kind != toks[i].kind):
                        return _Core(xv, yv, False, yend, "range", year_like and y_year)
        return _Core(x, x, False, k, "number", year_like)
    if (
        bare
        and w in ("a", "an", "another")
        and nxt not in _NOT_ONE
        and i + 1 < n
        and (
            toks[i + 1].kind == "word" or (toks[i + 1].kind == "num" and i + 2 < n and toks[i + 2].low == "-")
        )
    ):
        return _Core(1, 1, False, i + 1, "article")
    return None


def _apply(kind: str, lo: int | None, hi: int | None, approx: bool) -> tuple[int | None, int | None, bool]:
    exact = lo is not None and lo == hi
    if kind == _MORE:
        base = lo if lo is not None else hi
        return (None if base is None else base + 1 if exact else base), None, approx
    if kind == _LESS:
        base = lo if lo is not None else hi
        return None, (None if base is None else max(base - 1, 0)), approx
    if kind == _ATLEAST:
        return lo, None, approx
    if kind == _ATMOST:
        return None, hi, approx
    return lo, hi, True


@dataclass(frozen=True, slots=True)
class _Parsed:
    lo: int | None
    hi: int | None
    approx: bool
    start: int  # token indices [start, end)
    end: int
    kind: str
    modified: bool
    years: bool


def _parse_at(toks: list[_Tok], i: int) -> _Parsed | None:
    """The longest quantity expression beginning at token i, without looking at context."""
    n = len(toks)
    j = i
    mod: str | None = None
    for words, kind in _MODIFIERS_BY.get(_first(j, toks), ()):
        if _seq(toks, j, words):
            mod = kind
            j += len(words)
            if words == ("approx",) and j < n and toks[j].low == "." and _glued(toks, j):
                j += 1
            break
    transparent = False
    for words in _TRANSPARENT if _first(j, toks) in _TRANSPARENT_FIRST else ():
        if _seq(toks, j, words) and _number(toks, j + len(words)) is not None:
            j += len(words)
            transparent = True
            break
    from_before = i > 0 and toks[i - 1].low == "from"
    core = _core_at(toks, j, bare=mod is None and not transparent, from_before=from_before)
    if core is None:
        return None
    if core.kind == "zero" and mod is not None:
        return None
    lo, hi, approx, k = core.lo, core.hi, core.approx, core.end
    if mod is not None:
        lo, hi, approx = _apply(mod, lo, hi, approx)
    if core.kind in ("number", "range", "vague") and k < n:
        post: str | None = None
        for words, kind in _POSTFIX if toks[k].low == "or" else ():
            if _seq(toks, k, words):
                post = kind
                k += len(words)
                break
        if post is None and toks[k].low == "+" and _glued(toks, k):
            post, k = _ATLEAST, k + 1
        elif (
            post is None
            and toks[k].low == "-"
            and k + 1 < n
            and toks[k + 1].low in ("odd", "plus")
            and _glued(toks, k)
            and _glued(toks, k + 1)
        ):
            post = _APPROX if toks[k + 1].low == "odd" else _ATLEAST
            k += 2
        if post is not None and mod is None:
            lo, hi, approx = _apply(post, lo, hi, approx)
        elif post is not None:
            approx = approx or post == _APPROX
    return _Parsed(lo, hi, approx, i, k, core.kind, mod is not None or transparent, core.years)


def _to_quantity(
    text: str, toks: list[_Tok], p: _Parsed, attributes: dict[str, Any] | None = None
) -> Quantity:
    start, end = toks[p.start].start, toks[p.end - 1].end
    return Quantity(p.lo, p.hi, p.approx, text[start:end], start, end, dict(attributes or {}))


def parse_quantity(text: str) -> Quantity | None:
    """The quantity expression at the start of ``text`` ("over 200 people" -> min 201), or None.

    Words after the expression (the counted noun) are allowed and left out of the span;
    no context check is made, so "2004" parses as 2004.
    """
    toks = _tokenize(text)
    if not toks:
        return None
    p = _parse_at(toks, 0)
    return None if p is None else _to_quantity(text, toks, p)


# --------------------------------------------------------------------------- context filter


def _is_count(toks: list[_Tok], p: _Parsed) -> bool:
    """Whether the words around a parsed number let it be a count (not a year, id, price, age, date)."""
    n = len(toks)
    s, e = p.start, p.end
    first = toks[s]
    before = toks[s - 1] if s > 0 else None
    after = toks[e] if e < n else None
    if before is not None:
        if _glued(toks, s) and (
            before.kind in ("word", "num", "ord")
            or before.low in _CURRENCY_BEFORE
            or before.low in ("-", "/", ":", ".", "'")
        ):
            return False
        if before.low in _CURRENCY_BEFORE or before.low in _IDENT_BEFORE:
            return False
        if before.low in _MONTHS and not (s >= 2 and toks[s - 2].kind == "num"):
            return False  # "July 14", but not the 3 of "on 14 March 3 people died"
        if p.years and not p.modified:
            if before.low in _YEAR_BEFORE:
                return False
            if before.low in ("to", "and", "-") and s >= 2 and toks[s - 2].kind == "num":
                return False
        if before.low == "." and s >= 2 and toks[s - 2].low == "no":
            return False
    if after is not None:
        if (
            _glued(toks, e)
            and (after.kind in ("word", "num", "ord") or after.low in ("%", "°", "/", ":", "'", "-", "."))
            and not (after.low == "." and (e + 1 >= n or toks[e + 1].kind != "num"))
        ):
            return False
        if after.low in _UNIT_WORDS:
            return False
        if after.low == "of" and e + 1 < n and toks[e + 1].low in _UNIT_WORDS and p.kind == "vague":
            return False
        if after.low in _MONTHS and not (
            after.low == "may" and (e + 1 >= n or toks[e + 1].low in _MODAL_FOLLOW)
        ):
            return False
    if p.years and p.kind == "range":
        return False
    if p.kind == "article" and after is not None and after.low in _UNIT_WORDS:
        return False
    return not (first.kind == "num" and p.years and before is None and after is not None and after.low == ",")


def _scan(toks: list[_Tok]) -> list[_Parsed]:
    out: list[_Parsed] = []
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if tok.kind == "punct" or tok.kind == "ord":
            i += 1
            continue
        p = _parse_at(toks, i)
        if p is None:
            i += 1
            continue
        if _is_count(toks, p):
            out.append(p)
        i = p.end
    return out


def find_quantities(text: str) -> list[Quantity]:
    """Every count in ``text``, in order; years, ids, prices, ages, dates and measures are left out.

    "a"/"an"/"another" and "no <noun>" are left out too: they count only where a
    casualty cue follows them, which is ``find_casualties``' business.
    """
    toks = _tokenize(text)
    return [
        _to_quantity(text, toks, p)
        for p in _scan(toks)
        if not (p.kind == "article" and toks[p.start].low != "both")
        and not (p.kind == "zero" and toks[p.start].low == "no" and p.end - p.start == 1)
    ]


# --------------------------------------------------------------------------- casualty roles


@dataclass
class _Slot:
    p: _Parsed
    role: str | None = None
    via: str = ""  # before | toll | after | noun | chain
    latest: bool = False
    np_end: int = 0
    end: int = 0  # where the construction ends (breakdowns start here)
    attrs: dict[str, Any] = field(default_factory=dict)
    consumed: bool = False
    also: list[str] = field(default_factory=list)  # zero figures that also apply to these roles
    additional: bool = False  # "15 others", "another 12": adds to the figure before it


def _noun_phrase(toks: list[_Tok], i: int, starts: dict[int, int]) -> tuple[int, str | None]:
    """End of the counted noun phrase from token i, and the role its head noun gives."""
    n = len(toks)
    j = i
    words = 0
    head: str | None = None
    in_pp = False
    while j < n and words < 6:
        t = toks[j]
        if j in starts and j != i:
            break
        if t.kind == "word":
            low = t.low
            after_of = j > i and toks[j - 1].low == "of"
            if low in _AFTER_OF and after_of:
                j += 1
                words += 1
                continue
            if low in _NP_STOP or low in _AFTER_SINGLE:
                break
            if low in _PREPS:
                if not (low == "of" and j == i):
                    in_pp = True
                j += 1
                words += 1
                continue
            if not in_pp:
                head = low
            j += 1
            words += 1
            continue
        if t.kind in ("num", "ord") and j not in starts:
            j += 1
            words += 1
            continue
        if t.low == "-" and _glued(toks, j) and _glued(toks, j + 1):
            j += 1
            continue
        if t.low == "'" and _glued(toks, j):
            j += 1
            continue
        break
    return j, (_ROLE_NOUNS.get(head) if head is not None else None)


def _match_after_cue(toks: list[_Tok], j: int) -> tuple[str, int, bool] | None:
    n = len(toks)
    for words, role, transitive in _AFTER_BY.get(_first(j, toks), ()):
        if _seq(toks, j, words):
            return role, j + len(words), transitive
    if j + 2 < n and toks[j].kind == "word" and toks[j + 1].low == "to" and toks[j + 2].low == "death":
        return KILLED, j + 3, False
    if (j < n and toks[j].low in _SUFFER) or _seq(toks, j, ("treated", "for")):
        k = j + (2 if toks[j].low == "treated" else 1)
        for _ in range(3):
            if k < n and toks[k].low in _INJURY_NOUNS:
                return INJURED, k + 1, False
            if k < n and toks[k].kind == "word" and toks[k].low not in _NP_STOP:
                k += 1
            else:
                break
    return None


def _after_cue(toks: list[_Tok], j: int) -> tuple[str, int, list[str]] | None:
    """A passive or adjective cue from token j: "were killed", "dead", "have died", "were taken hostage"."""
    n = len(toks)
    if j < n and toks[j].low in _RELATIVE:
        j += 1
    has_be = False
    for _ in range(7):
        hit = _match_after_cue(toks, j)
        if hit is not None:
            role, end, transitive = hit
            if transitive and not has_be:
                nxt = toks[end] if end < n else None
                if nxt is not None and not (nxt.kind == "punct" or nxt.low in _PASSIVE_FOLLOW):
                    return None  # "two bombs killed 12": the count is the subject of an active verb
            also: list[str] = []
            if end + 1 < n and toks[end].low in ("or", "and"):
                second = _match_after_cue(toks, end + 1)
                if second is not None and second[0] != role:
                    also.append(second[0])
                    end = second[1]
            return role, end, also
        if j < n and toks[j].low in _AUX:
            has_be = has_be or toks[j].low in _BE
            j += 1
            continue
        return None
    return None


def _fraction_at(toks: list[_Tok], i: int) -> tuple[str, bool, int] | None:
    n = len(toks)
    hedge = False
    if i < n and toks[i].low in _FRACTION_HEDGE:
        hedge, i = True, i + 1
    elif _seq(toks, i, ("more", "than")) or _seq(toks, i, ("less", "than")):
        hedge, i = True, i + 2
    if i < n and toks[i].kind == "num" and i + 1 < n and toks[i + 1].low in ("%", "percent", "per"):
        k = i + 2 if toks[i + 1].low != "per" else i + 3
        return f"{toks[i].text}%", hedge, k
    for words, frac in _FRACTIONS_BY.get(_first(i, toks), ()):
        if _seq(toks, i, words):
            return frac, hedge, i + len(words)
    return None


def _group_words(toks: list[_Tok], k: int) -> tuple[str, int]:
    n = len(toks)
    words: list[str] = []
    while k < n and len(words) < 3 and toks[k].kind == "word":
        low = toks[k].low
        if low == "and" and words and k + 1 < n and toks[k + 1].kind == "word":
            nxt = toks[k + 1].low
            if nxt in _NP_STOP or nxt in _PREPS or nxt in _AFTER_SINGLE:
                break
            words.append(low)  # "women and children"
        elif low in _NP_STOP or low in _PREPS:
            break
        else:
            words.append(low)
        k += 1
    return " ".join(words), k


def _breakdown(
    text: str, toks: list[_Tok], j: int, slots: list[_Slot], starts: dict[int, int]
) -> tuple[dict[str, Any], int, list[_Slot]]:
    """Parts of a figure written after it: ", half of them children", "including 106 women, 63 children"."""
    n = len(toks)
    attrs: dict[str, Any] = {}
    taken: list[_Slot] = []
    k = j
    for _ in range(3):
        p = k
        if p < n and toks[p].low in (",", "(", "-", ";", ":"):
            p += 1
        if p >= n:
            break
        low = toks[p].low
        intro = 0
        if low in ("including", "includes", "include", "included"):
            intro = 1
        elif low == "among" and p + 1 < n and toks[p + 1].low in ("them", "whom", "those"):
            intro = 2
        if intro:
            p += intro
            if p < n and toks[p].low in ("were", "was", "are"):
                p += 1
            items: list[dict[str, Any]] = []
            while p in starts:
                slot = slots[starts[p]]
                group, g_end = _group_words(toks, slot.p.end)
                q = _to_quantity(text, toks, slot.p)
                span = text[q.start : toks[g_end - 1].end]
                items.append({"group": group, "min": q.min, "max": q.max, "approx": q.approx, "text": span})
                slot.consumed = True
                taken.append(slot)
                p = g_end
                if p < n and toks[p].low == "," and p + 1 < n and toks[p + 1].low == "and":
                    p += 2
                elif p < n and toks[p].low in (",", "and") and p + 1 in starts:
                    p += 1
                else:
                    break
            if not items:
                break
            attrs.setdefault("including", []).extend(items)
            k = p
            if k < n and toks[k].low == ")":
                k += 1
            continue
        # "half of them children", "12 of them women"
        if p < n and toks[p].low == "and":
            p += 1
        frac = _fraction_at(toks, p)
        count: _Slot | None = None
        if frac is None and p in starts:
            count = slots[starts[p]]
            f_end = count.p.end
        elif frac is not None:
            f_end = frac[2]
        else:
            break
        if not (f_end + 1 < n and toks[f_end].low == "of" and toks[f_end + 1].low in _OF_PRONOUN):
            break
        g = f_end + 2
        if g < n and toks[g].low in ("were", "was", "are", "being"):
            g += 1
        group, g_end = _group_words(toks, g)
        if not group:
            break
        if count is not None:
            q = _to_quantity(text, toks, count.p)
            attrs[group] = {"min": q.min, "max": q.max, "approx": q.approx, "text": q.text}
            count.consumed = True
            taken.append(count)
        elif frac is not None:
            entry: dict[str, Any] = {"fraction": frac[0]}
            if frac[1]:
                entry["approx"] = True
            attrs[group] = entry
        k = g_end
    return attrs, k, taken


def _tolls(toks: list[_Tok], slots: list[_Slot], starts: dict[int, int]) -> None:
    """ "the death toll rose to 19", "the number of people killed reached 19": the figure after a toll."""
    n = len(toks)
    for i, t in enumerate(toks):
        role: str | None = None
        begin = last = i
        if t.low in ("toll", "tolls"):
            prev = toks[i - 1].low if i > 0 else ""
            role = _TOLL_KIND.get(prev, KILLED)
            begin = i - 1 if prev in _TOLL_KIND else i
        elif t.low == "number" and i + 1 < n and toks[i + 1].low == "of":
            for k in range(i + 2, min(i + 6, n)):
                if toks[k].low in _NUMBER_OF_ROLE:
                    role = _NUMBER_OF_ROLE[toks[k].low]
                    last = k
                    break
                if toks[k].kind != "word" or toks[k].low in _CLAUSE_STOP or k in starts:
                    break
        if role is None:
            continue
        latest = any(toks[b].low in _TOLL_LATEST for b in range(max(0, begin - 3), begin))
        for k in range(last + 1, min(last + 12, n)):
            tk = toks[k]
            if k in starts:
                slot = slots[starts[k]]
                if tk.low in ("a", "an", "another", "no", "one", "both") and slot.p.kind in (
                    "article",
                    "zero",
                ):
                    break
                if toks[k - 1].low == "from" and slot.p.end + 1 in starts and toks[slot.p.end].low == "to":
                    slot = slots[starts[slot.p.end + 1]]
                    latest = True
                if slot.role is None and not slot.consumed:
                    slot.role, slot.via, slot.latest = role, "toll", latest
                    slot.np_end, _ = _noun_phrase(toks, slot.p.end, starts)
                    slot.end = slot.np_end
                break
            if tk.kind == "punct" or tk.low in _CLAUSE_STOP:
                break
            latest = latest or tk.low in _TOLL_LATEST


def _before_cue(toks: list[_Tok], s: int) -> str | None:
    for words, role in _BEFORE_BY.get(_first(s - 1, toks), ()):
        k = s - len(words)
        if k >= 0 and _seq(toks, k, words):
            if words[0] == "lives" and any(_first(b, toks) in _SAVE_VERBS for b in (k - 1, k - 2)):
                return None  # "saved the lives of 40"
            return role
    return None


def _death_word_near(toks: list[_Tok], s: int, e: int) -> bool:
    lo, hi = max(0, s - 8), min(len(toks), e + 8)
    return any(toks[k].low in _DEATH_WORDS for k in range(lo, hi) if not s <= k < e)


_ADDITIONAL = (("another",), ("a", "further"), ("an", "additional"))


def _assign(text: str, toks: list[_Tok], slots: list[_Slot], starts: dict[int, int]) -> None:
    """Give each count its role: a cue before it, then a cue after its noun phrase, then its head noun."""
    n = len(toks)
    for slot in slots:
        if slot.consumed:
            continue
        p = slot.p
        np_end, head_role = _noun_phrase(toks, p.end, starts)
        slot.np_end = max(slot.np_end, np_end)
        slot.additional = (p.end < len(toks) and toks[p.end].low in ("others", "more")) or any(
            _seq(toks, p.start, words) for words in _ADDITIONAL
        )
        if slot.role is None:
            role = _before_cue(toks, p.start)
            if role is not None:
                slot.role, slot.via, slot.end = role, "before", np_end
        if slot.role is None:
            k = np_end
            pending: dict[str, Any] = {}
            held: list[_Slot] = []
            if (
                k + 1 < n
                and toks[k].low in (",", "(")
                and (toks[k + 1].low == "including" or _seq(toks, k + 1, ("among", "them")))
            ):
                # "seven people, including two children, were killed"
                pending, k2, held = _breakdown(text, toks, k, slots, starts)
                if k2 < n and toks[k2].low == ",":
                    k = k2 + 1
                elif toks[k].low == "(" and toks[k2 - 1].low == ")":
                    k = k2
                else:
                    k = -1
            hit = _after_cue(toks, k) if k >= 0 else None
            if hit is not None:
                slot.role, slot.via, slot.end = hit[0], "after", hit[1]
                slot.also = hit[2]
                slot.attrs.update(pending)
            else:
                for other in held:  # the list belonged to no figure after all
                    other.consumed = False
                saved = head_role == KILLED and p.start > 0 and toks[p.start - 1].low in _SAVE_VERBS
                # "portray itself a victim": an article counts only under a verb cue
                if head_role is not None and not saved and p.kind != "article":
                    if head_role == _VICTIMS and _death_word_near(toks, p.start, np_end):
                        head_role = KILLED
                    slot.role, slot.via, slot.end = head_role, "noun", np_end
        if slot.role is not None:
            attrs, _, _ = _breakdown(text, toks, max(slot.end, slot.np_end), slots, starts)
            slot.attrs.update(attrs)


_JOINERS: tuple[tuple[str, ...], ...] = ((",", "and"), ("and",), (",",), ("as", "well", "as"), ("plus",))


def _joiner(toks: list[_Tok], a: _Slot, b: _Slot) -> str | None:
    """How two counts are joined ("and", ",", ...), or None when other words come between."""
    for words in _JOINERS:
        if a.np_end + len(words) == b.p.start and _seq(toks, a.np_end, words):
            return " ".join(words)
    return None


_CLAUSE_OPEN = frozenset(_split("and or but that said says say told reported while when as after where with"))


def _opens_clause(toks: list[_Tok], i: int) -> bool:
    """A subject can start at token i ("lost 30 tanks and 5 soldiers were hurt": "30 tanks" is an object)."""
    return i == 0 or toks[i - 1].kind == "punct" or toks[i - 1].low in _CLAUSE_OPEN


def _chains(toks: list[_Tok], slots: list[_Slot]) -> list[list[_Slot]]:
    """Group counts joined by "and" under one cue; each group is one figure.

    A bare comma joins only inside a list that ends in "and" ("three soldiers, two
    policemen and five civilians"), so "after a long siege, 12 people died" stays one figure.
    """
    live = [s for s in slots if not s.consumed]
    groups: list[list[_Slot]] = [[s] for s in live]
    # backward: "two soldiers and three civilians were killed"
    for idx in range(len(groups) - 2, -1, -1):
        a, nxt = groups[idx][-1], groups[idx + 1]
        cue = nxt[-1]
        how = _joiner(toks, a, nxt[0])
        if (
            a.role is None
            and cue.role is not None
            and cue.via == "after"
            and how is not None
            and (how != "," or len(nxt) > 1)
            and _opens_clause(toks, a.p.start)
        ):
            a.role, a.via = cue.role, "chain"
            groups[idx] = groups[idx] + nxt
            groups[idx + 1] = []
    groups = [g for g in groups if g]
    # forward: "killing 12 people, three soldiers and a policeman"
    merged: list[list[_Slot]] = []
    idx = 0
    while idx < len(groups):
        g = groups[idx]
        idx += 1
        merged.append(g)
        if g[0].via != "before":
            continue
        run: list[_Slot] = []
        accepted = 0
        prev = g[-1]
        while idx + len(run) < len(groups):
            cand = groups[idx + len(run)]
            how = _joiner(toks, prev, cand[0])
            if len(cand) != 1 or cand[0].role is not None or how is None:
                break
            run.append(cand[0])
            if how != ",":
                accepted = len(run)
            prev = cand[0]
        for other in run[:accepted]:
            other.role, other.via = g[0].role, "chain"
            g.append(other)
        idx += accepted
    return merged


def _sum(text: str, toks: list[_Tok], group: list[_Slot]) -> Quantity:
    first = group[0]
    attrs: dict[str, Any] = {}
    for s in group:
        attrs.update(s.attrs)
    if first.latest:
        attrs["latest"] = True
    if len(group) == 1:
        return _to_quantity(text, toks, first.p, attrs)
    lows = [s.p.lo for s in group]
    highs = [s.p.hi for s in group]
    lo = None if any(v is None for v in lows) else sum(v for v in lows if v is not None)
    hi = None if any(v is None for v in highs) else sum(v for v in highs if v is not None)
    last = group[-1]
    start, end = toks[first.p.start].start, toks[max(last.p.end, last.np_end) - 1].end
    attrs["parts"] = [text[toks[s.p.start].start : toks[max(s.p.end, s.np_end) - 1].end] for s in group]
    return Quantity(lo, hi, any(s.p.approx for s in group), text[start:end], start, end, attrs)


def _add(text: str, a: Quantity, b: Quantity) -> Quantity:
    """ "three were arrested and 15 others detained": one figure of 18."""
    lo = None if a.min is None or b.min is None else a.min + b.min
    hi = None if a.max is None or b.max is None else a.max + b.max
    parts = [*a.attributes.get("parts", [a.text]), *b.attributes.get("parts", [b.text])]
    attrs = {**a.attributes, **b.attributes, "parts": parts}
    start, end = min(a.start, b.start), max(a.end, b.end)
    return Quantity(lo, hi, a.approx or b.approx, text[start:end], start, end, attrs)


def _best(cands: list[tuple[Quantity, bool]]) -> Quantity | None:
    if not cands:
        return None
    latest = [q for q, is_latest in cands if is_latest]
    if latest:
        return latest[-1]

    def size(q: Quantity) -> int:
        return q.min if q.min is not None else (q.max if q.max is not None else 0)

    return max((q for q, _ in cands), key=size)


def find_casualties(sentence: str) -> CasualtyFigures:
    """Killed, injured, hostages and arrested in one sentence; see the module docstring for the rules."""
    toks = _tokenize(sentence)
    parsed = _scan(toks)
    slots = [_Slot(p) for p in parsed]
    starts = {s.p.start: idx for idx, s in enumerate(slots)}
    _tolls(toks, slots, starts)
    _assign(sentence, toks, slots, starts)
    by_role: dict[str, list[tuple[Quantity, bool]]] = {}
    for group in _chains(toks, slots):
        role = group[0].role
        if role is None:
            continue
        q = _sum(sentence, toks, group)
        zero = q.max == 0
        roles = [role]
        if role == _HARMED:
            roles = [INJURED, KILLED] if zero else [INJURED]
        elif role == _CASUALTIES and zero:
            roles = [KILLED, INJURED]
        for extra in group[0].also:
            if zero:
                roles.append(INJURED if extra == _HARMED else extra)
            elif {role, extra} <= {KILLED, INJURED, _HARMED}:
                roles = [_CASUALTIES]
        for r in dict.fromkeys(roles):
            cands = by_role.setdefault(r, [])
            if group[0].additional and cands and not cands[-1][1]:
                cands[-1] = (_add(sentence, cands[-1][0], q), False)
            else:
                cands.append((q, group[0].latest))
    attributes: dict[str, Quantity] = {}
    for key in (_CASUALTIES, _VICTIMS):
        best = _best(by_role.get(key, []))
        if best is not None:
            attributes[key] = best
    return CasualtyFigures(
        killed=_best(by_role.get(KILLED, [])),
        injured=_best(by_role.get(INJURED, [])),
        hostages=_best(by_role.get(HOSTAGES, [])),
        arrested=_best(by_role.get(ARRESTED, [])),
        attributes=attributes,
    )
