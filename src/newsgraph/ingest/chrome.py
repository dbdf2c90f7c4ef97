"""Recognize site chrome: the lines a scraper kept that are not part of the article.

Menus, weather widgets, logos, share buttons, newsletter promotions, photo
credits, cookie notices, "last update" stamps, "Related posts" lists and
template residue all end up in plain-text exports. Left in, they turn into
false entities and events (a weather widget city as a place in the story, a
promo line as a sentence), so they are removed before anything else reads the
text.

The rules are general, not copied from any site: the shape of the line (short,
no sentence punctuation, all capitals), families of keywords (navigation,
subscription, credit, cookie), position (the head and tail of the text are
where chrome lives), and repetition. Weak rules (navigation words, an all-caps
word alone) are not applied to a line that is visibly part of a sentence
wrapped over several lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from newsgraph.ingest.unwrap import (
    SMALL_WORDS,
    ends_mid_sentence,
    ends_sentence,
    ends_with_continuation,
    is_hard_wrapped,
    starts_lowercase,
    title_case_ratio,
    word_set,
)

__all__ = [
    "chrome_mask",
    "classify_line",
    "is_datetime_only",
    "is_masthead",
    "looks_like_brand",
    "strip_chrome",
]


_PUNCT = "\"'“”‘’«»()[]{}<>.,:;!?|·•»›/\\-–—_*#@+=~^`"

# Words that make up menus, share bars and list headings. A line made only of
# these (with at least one that is not a function word) is navigation.
_NAV_STRONG = word_set(
    """home news world local national international regional politics business economy markets
    sport sports opinion opinions analysis culture lifestyle entertainment tech technology science
    health travel video videos photo photos gallery galleries multimedia podcast podcasts live menu
    search login logout log sign register account profile subscribe subscription subscriptions
    newsletter newsletters latest trending popular most read viewed shared recent related
    recommended more stories story articles article posts post top headlines breaking editor's
    editors picks featured back skip content main navigation scroll share shares tweet email e-mail
    print facebook twitter whatsapp telegram linkedin reddit pinterest vk instagram youtube tiktok
    copy link comments comment reply next previous prev tags categories category topics archive
    archives contact about advertise advertisement advertising sponsored ads privacy policy terms
    conditions cookie cookies accept reject settings manage preferences close toggle rss feed follow
    page view show hide load donate careers jobs faq help edition english newer older sitemap
    imprint disclaimer ad watch listen"""
)
_NAV_WEAK = word_set(
    "to the a an of on in this and for from our us you your may also like all with by at up here now via x"
)
# Navigation lines that head a list of other articles.
_LIST_WORDS = word_set(
    "related popular latest trending recommended more most read picks stories posts articles headlines"
)

_WEATHER = re.compile(r"(?<![\w.])[-+−]?\d{1,3}(?:[.,]\d{1,2})?\s?°\s?(?:[cCfF]\b)?")
_LOGO = re.compile(r"(?:^|\s)(?:logo|icon)$|^logo\b", re.IGNORECASE)
_LOGO_MARKER = re.compile(
    r"^[\[(]\s*(?:site\s+)?(?:logo|icon|banner|brand)\b[^\])]{0,30}[\])]", re.IGNORECASE
)
"""An image placeholder a scraper left in front of a masthead: "[logo] Site Name"."""
_RESIDUE = re.compile(
    r"^(?:[a-z]+(?:_[a-z0-9]+)+|\{\{.*\}\}|\{%.*%\}|\[/?[a-z_]+(?:\s[^\]]*)?\]|<[^>]{1,200}>|"
    r"undefined|null|nan|none|true|false|loading\.*|javascript:.*)$",
    re.IGNORECASE,
)
_CODE = re.compile(r"\b(?:function\s*\(|var\s+\w+\s*=|window\.|document\.|\w+\.push\(|googletag|adsbygoogle)")
_PROMO_KEY = re.compile(
    r"\b(?:newsletters?|subscribe[ds]?|subscribers?|subscriptions?|sign[\s-]?up|inbox|unsubscribe|"
    r"free trial|paywall|premium (?:content|access|member)|donate|support (?:our|independent|quality) "
    r"journalism|become a (?:member|subscriber|patron|supporter)|register (?:now|for free)|log ?in to "
    r"(?:read|continue)|already a (?:member|subscriber))\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|you're)\b", re.IGNORECASE)
_IMPERATIVE = word_set(
    """get sign subscribe join follow stay support download register enter click tap read listen
    watch never don't dont receive subscribe get unlock try create"""
)
_SOCIAL = re.compile(
    r"\b(?:facebook|twitter|telegram|whatsapp|instagram|youtube|tiktok|linkedin|google news|app|"
    r"channel|podcast|@\w+)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"\b(?:said|says|told|according|claimed|urged|called on)\b|[“”\"]", re.IGNORECASE)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_CTX = re.compile(
    r"\b(?:accept|consent|privacy|browsing|experience|this (?:site|website)|settings|policy|personali[sz]e)",
    re.IGNORECASE,
)
_LEGAL = re.compile(
    r"\ball rights reserved\b|©|\(c\)\s*\d{4}|^copyright\s*(?:©|\(c\)|\d{4})|\bprivacy policy\b|"
    r"\bterms (?:of (?:use|service)|"
    r"and conditions)\b",
    re.IGNORECASE,
)
_CREDIT_PREFIX = re.compile(
    r"^\(?(?:photo(?:graph)?s?|images?|pictures?|pics?|credits?|photo credits?|image credits?|"
    r"illustration|caption|video|source image|main image|top image|file photo)\s*(?:by\b|[:|–—-])",
    re.IGNORECASE,
)
_AGENCY = (
    r"(?:getty images|shutterstock|afp|ap|reuters|epa(?:-efe)?|anadolu(?: agency)?|tass|sputnik|xinhua|"
    r"ria novosti|depositphotos|istock|alamy|wikimedia commons|unsplash)"
)
_CREDIT_SUFFIX = re.compile(
    r"(?:\b(?:photo(?:graph)?|image|picture|credit|illustration)(?:\s+by\b|\s*:)[^.!?]{1,80}"
    r"|\(\s*(?:[A-Z][\w.]*\s+)?photo\b[^)]{0,80}\)"
    rf"|[/|]\s*{_AGENCY}\b[^.!?/|]{{0,40}}"
    rf"|\(\s*{_AGENCY}\b[^)]{{0,40}}\)"
    r"|\bvia getty images)\s*$",
    re.IGNORECASE,
)
_READMORE = re.compile(
    r"^(?:read (?:more|also|next)|also read|see also|related(?: articles?| stories| posts| news| content)?|"
    r"more on (?:this|that)(?: story| topic)?|recommended|watch|listen|click here|tap here|"
    r"more from [^:]{1,40}|latest(?: news| headlines| stories)?|just in|news ticker)\s*[:|»›>–—-]",
    re.IGNORECASE,
)
_TAGS = re.compile(
    r"^(?:tags?|topics?|categories|category|filed under|keywords|sections?)\s*:", re.IGNORECASE
)
_METRICS = re.compile(
    r"^(?:\d[\d,.]*\s*[kKmM]?\s*(?:views?|comments?|shares?|likes?|reads?|reactions?)|"
    r"(?:views?|comments?|shares?|replies)\s*[:(]?\s*\d[\d,.]*[kKmM]?\)?|"
    r"\d{1,3}\s*(?:min(?:ute)?s?)\.?\s*(?:read|reading|listen)|"
    r"reading time\s*:?.{0,20}|"
    r"(?:listen|audio)(?: to (?:this|the) (?:article|story))?(?:\s*[:|–—-]?\s*\d{1,2}:\d{2})?)$",
    re.IGNORECASE,
)
_STAMP = re.compile(
    r"^(?:last\s+)?(?:updated?|modified|edited|published|posted|first published|created|date)"
    r"(?:\s+on|\s+at)?\s*[:|–—-]?\s*(?=.*\d)",
    re.IGNORECASE,
)
_PAGE = re.compile(
    r"^(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—])$",
    re.I,
)
_PAGE_IN_LINE = re.compile(r"^(?:page\s+)?\d{1,4}\s*(?:of|/)\s*\d{1,4}$|^page\s+\d{1,4}$", re.IGNORECASE)
_FURNITURE_SEP = re.compile(r"\s+[|·•]\s+|\s+[-–—]{1,2}\s+|^[-–—]{1,2}\s*|\s*[-–—]{1,2}$")
_BYLINE_START = re.compile(r"^\(?(?:by|written by|words by|story by|text by)\s+[A-Z]", re.IGNORECASE)
_BREADCRUMB_SEP = re.compile(r"\s[»›>|/·•]\s|\s?[»›]\s?")

_MONTHS = word_set(
    """jan january feb february mar march apr april may jun june jul july aug august sep sept september
    oct october nov november dec december"""
)
_DATE_WORDS = word_set(
    """mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun
    sunday am pm a.m. p.m. gmt utc bst cet eet msk azt est edt pst pdt cst at on of ago today yesterday
    min mins minute minutes hour hours hr hrs day days week weeks"""
)
_DATE_TOKEN = re.compile(
    r"^(?:\d{1,4}(?:st|nd|rd|th)?|\d{1,4}(?:[./:-]\d{1,4}){1,2}(?:t\d{1,2}:\d{2}(?::\d{2})?)?|"
    r"(?:gmt|utc)?[+-]\d{1,2}(?::?\d{2})?|\d{1,2}(?::\d{2})?(?:am|pm))$"
)


def _tokens(line: str) -> list[str]:
    out = []
    for raw in line.split():
        t = raw.strip(_PUNCT).casefold()
        if t:
            out.append(t)
    return out


def _first_word(line: str) -> str:
    """The first word, case-folded, past any leading decoration (">> Sign up", "== Subscribe")."""
    toks = _tokens(line)
    return toks[0] if toks else ""


def is_datetime_only(line: str) -> bool:
    """True for a line holding only a date or time ("05 Feb", "2025", "March 3, 2021 10:15")."""
    toks = _tokens(line)
    if not toks or len(toks) > 8:
        return False
    has_digit = False
    for t in toks:
        if _DATE_TOKEN.match(t):
            has_digit = True
        elif t.rstrip(".") not in _MONTHS and t not in _DATE_WORDS:
            return False
    return has_digit


# Words that name a news outlet ("North Star News Agency", "The Lowland Courier").
_MEDIA = word_set(
    """news agency press post herald times wire daily gazette journal tribune courier observer monitor
    digest dispatch ledger media tv radio chronicle telegraph online network broadcasting magazine
    weekly review bulletin notes today express mail standard guardian reporter insider newswire
    newsroom newspaper channel mirror sentinel examiner inquirer chronicle register gazeta vestnik
    informer messenger voice report"""
)
_TLD = (
    r"(?:com|org|net|info|news|io|co|us|uk|eu|az|ru|am|ge|ir|tr|ua|kz|uz|tv|media|online|site|press|"
    r"example|test)"
)
_SITE = re.compile(
    rf"(?:https?://\S+|\bwww\.[\w-]+(?:\.[\w-]+)+|\b[a-z0-9][\w-]*(?:\.[\w-]+)*\.{_TLD})/?$", re.IGNORECASE
)
_BRAND_SEP = re.compile(r"\s+[|·•]\s+")
_TAGLINE_SEP = re.compile(r"\s+[-–—|:]\s+")
_TAGLINE = re.compile(
    r"^(?:the\s+)?(?:(?:latest|breaking|independent|daily|local|regional|world|top|best|trusted|"
    r"first|real|your|our)\s+)*(?:news|headlines|stories|updates|reports?|reporting|analysis|coverage|"
    r"journalism|voice|source|home|window|guide|gateway|portal|magazine|newspaper|eye|insight)\b",
    re.IGNORECASE,
)


def _is_site_token(token: str) -> bool:
    return bool(_SITE.fullmatch(token.strip("\"'“”‘’«»()[]<>,;")))


def _is_acronym(text: str) -> bool:
    s = text.strip()
    letters = [c for c in s if c.isalpha()]
    return 2 <= len(letters) <= 8 and len(s.split()) == 1 and all(c.isupper() for c in letters)


def _is_brand_name(text: str) -> bool:
    """A short capitalized name with an outlet word in it ("North Star News Agency", "Daily Wire")."""
    s = text.strip()
    words = s.split()
    if not 1 <= len(words) <= 5 or ends_sentence(s) or any(c.isdigit() for c in s):
        return False
    toks = _tokens(s)
    if not toks or not set(toks) & _MEDIA:
        return False
    return title_case_ratio(s) >= 0.99


def _is_brandish(segment: str) -> bool:
    s = segment.strip()
    return _is_acronym(s) or _is_brand_name(s) or (len(s.split()) == 1 and _is_site_token(s))


def is_masthead(line: str) -> bool:
    """A site-name line: the outlet's name, address or slogan, not a headline.

    - a web address standing alone, or set off from the rest by a separator
      ("example.com - News from the region");
    - brand names joined by bars or dots ("NSNA | North Star News Agency");
    - an outlet name then a slogan ("Valley Post - Your source for local news",
      "Valley Post - Hilltown and the Northern Districts").
    """
    s = line.strip()
    words = s.split()
    if not words or len(words) > 16 or ends_sentence(s) or _REPORTED.search(s):
        return False
    if len(words) == 1 and _is_site_token(s):
        return True
    segments = [p for p in _TAGLINE_SEP.split(s) if p.strip()]
    if len(segments) >= 2 and any(
        len(p.split()) <= 3 and any(_is_site_token(w) for w in p.split()) for p in segments
    ):
        return True
    parts = [p for p in _BRAND_SEP.split(s) if p.strip()]
    if len(parts) >= 2 and all(_is_brandish(p) for p in parts) and any(not _is_acronym(p) for p in parts):
        return True
    if len(segments) == 2:
        brand, rest = segments
        if _is_brandish(brand) and not _is_acronym(brand) and len(rest.split()) <= 12:
            return bool(_TAGLINE.match(rest)) or title_case_ratio(rest) >= 0.99
    return False


_BRAND_SMALL = word_set("the of and")


def looks_like_brand(line: str) -> bool:
    """A masthead, or a short capitalized name ending in an outlet word ("The Valley Courier").

    Weaker than :func:`is_masthead` ("Attack on Border Post" is shaped the
    same), so it only lowers a line's chance of being the headline.
    """
    s = line.strip()
    if is_masthead(s):
        return True
    toks = _tokens(s)
    if any(t in SMALL_WORDS and t not in _BRAND_SMALL for t in toks):
        return False  # "Attack on Border Post" is a headline
    return _is_brand_name(s) and len(toks) >= 2 and toks[-1] in _MEDIA


def _same_brand(caps: str, other: str) -> bool:
    """An all-capitals name printed again next to it in another form ("VALLEY POST" / "Valley Post - ...")."""
    toks = _tokens(caps)
    if not toks or len(toks) > 6:
        return False
    flat = other.casefold()
    return " ".join(toks) in " ".join(_tokens(other)) or "".join(toks) in re.sub(r"[^\w.]", "", flat)


def _is_nav(line: str) -> bool:
    if len(line) > 80:
        return False
    parts = _BREADCRUMB_SEP.split(line)
    toks = _tokens(line)
    limit = 12 if len(parts) > 2 else 6
    if not toks:
        return False
    if len(toks) > limit:
        return _is_section_menu(line, toks) or _is_share_bar(toks)
    strong = False
    for t in toks:
        if t in _NAV_STRONG:
            strong = True
        elif t not in _NAV_WEAK:
            return False
    return strong


def _is_share_bar(toks: list[str]) -> bool:
    """ "Share Facebook X Telegram Email Print": only menu words, mostly strong ones, no sentence."""
    if len(toks) > 16 or not all(t in _NAV_STRONG or t in _NAV_WEAK for t in toks):
        return False
    return 3 * sum(t in _NAV_STRONG for t in toks) >= 2 * len(toks)


def _is_section_menu(line: str, toks: list[str]) -> bool:
    """A long menu whose separators were lost: "Home World Politics Middle East Sport Video".

    Every word capitalized, no function word (a headline needs some), and a
    third of the words or more are section names.
    """
    if not 5 <= len(toks) <= 24 or ends_sentence(line) or any(c in line for c in ",;:"):
        return False
    if any(t in _NAV_WEAK or t in SMALL_WORDS for t in toks):
        return False
    if not all(w[0].isupper() or w[0].isdigit() for w in (w.strip(_PUNCT) for w in line.split()) if w):
        return False
    strong = sum(t in _NAV_STRONG for t in toks)
    return strong >= 2 and 3 * strong >= len(toks)


def _is_page_furniture(line: str) -> bool:
    """A print header or footer with a page number among its parts ("Digest | printed 28/01 | page 1")."""
    if ends_sentence(line):
        return False
    parts = [p.strip() for p in _FURNITURE_SEP.split(line) if p and p.strip()]
    return len(parts) >= 2 and any(_PAGE_IN_LINE.match(p) for p in parts)


def _is_breadcrumb(line: str) -> bool:
    """ "Home » World » Europe": several short segments joined by arrows or bars, no sentence."""
    if len(line) > 120 or ends_sentence(line):
        return False
    parts = [p.strip() for p in _BREADCRUMB_SEP.split(line)]
    parts = [p for p in parts if p]
    if len(parts) < 3:
        return False
    return all(len(p.split()) <= 3 for p in parts)


def _is_caps_word(line: str) -> bool:
    """A brand or section word alone in capitals ("NEWSROOM", "LATEST")."""
    s = line.strip()
    if len(s) > 30 or len(s.split()) > 3:
        return False
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 2 or any(c.isdigit() for c in s):
        return False
    return all(c.isupper() for c in letters) and not ends_sentence(s)


def _is_caps_line(line: str) -> bool:
    """A short line in capitals, no sentence ("VALLEY POST", "THE NORTHERN HERALD")."""
    s = line.strip()
    letters = [c for c in s if c.isalpha()]
    return (
        len(s.split()) <= 6
        and len(letters) >= 2
        and all(c.isupper() for c in letters)
        and not ends_sentence(s)
    )


def _is_promo(line: str, words: int) -> bool:
    if words > 35 or not _PROMO_KEY.search(line) or _REPORTED.search(line):
        return False
    return bool(_SECOND_PERSON.search(line)) or _first_word(line) in _IMPERATIVE


def _is_social(line: str, words: int) -> bool:
    if words > 15 or _REPORTED.search(line):
        return False
    if _first_word(line) not in _IMPERATIVE:
        return False
    return bool(_SOCIAL.search(line)) and bool(re.search(r"\b(?:us|our|here)\b|@", line, re.IGNORECASE))


def _is_slash_credit(line: str) -> bool:
    """A caption ending "/ Photographer / Agency" (or "Caption. / Agency")."""
    parts = [p.strip() for p in re.split(r"\s+/\s+", line)]
    if len(parts) < 2:
        return False

    def credit(p: str) -> bool:
        w = p.split()
        return 0 < len(w) <= 4 and not ends_sentence(p) and w[0][:1].isupper()

    if len(parts) >= 3 and credit(parts[-1]) and credit(parts[-2]):
        return True
    return ends_sentence(parts[-2]) and credit(parts[-1])


def classify_line(line: str) -> str | None:
    """Name the kind of chrome a line is on its own, or None if it may be article text.

    Returns a reason such as ``weather``, ``logo``, ``residue``, ``promo``,
    ``credit``, ``cookie``, ``stamp``, ``nav``, ``caps``. ``nav`` and ``caps``
    are weak: :func:`chrome_mask` overrules them for a line that is part of a
    wrapped sentence.
    """
    s = line.strip()
    if not s:
        return None
    if not any(c.isalnum() for c in s):
        return "symbols"
    words = len(s.split())
    if words <= 8 and _WEATHER.search(s):
        return "weather"
    if words <= 20 and len(_WEATHER.findall(s)) >= 2 and not ends_sentence(s):
        return "weather"  # a widget row for several cities
    if (words <= 6 and _LOGO.search(s)) or (words <= 16 and _LOGO_MARKER.match(s)):
        return "logo"
    if words <= 3 and _RESIDUE.match(s):
        return "residue"
    if _CODE.search(s) and ("{" in s or ";" in s):
        return "residue"
    if _is_promo(s, words):
        return "promo"
    if _is_social(s, words):
        return "social"
    if words <= 60 and _COOKIE.search(s) and _COOKIE_CTX.search(s):
        return "cookie"
    if words <= 25 and _LEGAL.search(s):
        return "legal"
    if words <= 40 and _CREDIT_PREFIX.match(s):
        return "credit"
    if words <= 60 and (_CREDIT_SUFFIX.search(s) or _is_slash_credit(s)):
        return "credit"
    if words <= 25 and _READMORE.match(s):
        return "readmore"
    if words <= 40 and _TAGS.match(s):
        return "tags"
    if words <= 8 and _METRICS.match(s):
        return "metrics"
    if words <= 12:
        stamp = _STAMP.match(s)
        if stamp and is_datetime_only(s[stamp.end() :]):
            return "stamp"
    if words <= 4 and _PAGE.match(s):
        return "page"
    if words <= 24 and _is_page_furniture(s):
        return "page"
    if _BYLINE_START.match(s):
        return None  # "By Jane Doe · Outlet · 3 May 2023" is the header's, not a breadcrumb
    if is_masthead(s):
        return "masthead"
    if _is_breadcrumb(s):
        return "breadcrumb"
    if _is_nav(s):
        return "nav"
    if _is_caps_word(s):
        return "caps"
    return None


_WEAK = frozenset({"nav", "caps"})


def _adjacent(lines: Sequence[str], i: int, step: int) -> str | None:
    """The line right next to ``i`` (no blank line between), if any."""
    j = i + step
    if 0 <= j < len(lines) and lines[j].strip():
        return lines[j]
    return None


_DOMAIN = re.compile(r"\b\w+\.(?:com|org|net|info|news|io|co|us|uk|az|ru|am|ge|ir|tv|media)\b", re.IGNORECASE)


def _promo_fragment(line: str) -> bool:
    """A short line that reads like the heading or button of a promotion."""
    s = line.strip()
    if len(s.split()) > 12 or ends_sentence(s):
        return False
    first = s.split(None, 1)[0].strip(_PUNCT).casefold()
    return first in _IMPERATIVE or bool(_DOMAIN.search(s) or _PROMO_KEY.search(s))


def _is_prose(line: str) -> bool:
    words = len(line.split())
    return words >= 40 or (words >= 10 and ends_sentence(line))


_DIGITS = re.compile(r"\d+")


def _repeat_key(line: str) -> str | None:
    """What a short non-sentence line is compared by when counting repeats (None: not counted)."""
    s = line.strip()
    if len(s.split()) > 8 or ends_sentence(s):
        return None
    key = _DIGITS.sub("#", s.casefold())
    if not any(len(w) >= 3 and w.isalpha() for w in key.split()):
        return None  # years or numbers alone may be a timeline
    return key


def chrome_mask(lines: Sequence[str]) -> list[bool]:
    """Mark each line that is site chrome (True) rather than article text.

    Besides :func:`classify_line` on each line, this uses context:

    - a weak match is dropped when the line continues a wrapped sentence;
    - short lines right next to a promotion belong to it ("Stay ahead with X");
    - a bare date or year line is chrome before the first line of prose and
      after the last one, where it is a stamp (the header reader takes the
      date before this runs); between prose lines it may be a timeline entry;
    - a short line repeated three times or more is a widget (digits ignored,
      so running page headers "Journal 12", "Journal 13" count as one); one
      printed twice, once next to a page number, is a running header;
    - an all-capitals brand line next to its masthead ("VALLEY POST" over
      "valleypost.example - News from the hills") is chrome with it;
    - a list heading ("Related posts", "Latest") in the second half of the
      text followed only by short lines cuts off the rest as a list of links;
    - runs of very short lines at the very start or end are menus.
    """
    n = len(lines)
    mask = [False] * n
    kinds: list[str | None] = [None] * n
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return mask
    # In wrapped text most lines stop on a lower-case word; elsewhere only a connector proves it.
    mid = ends_mid_sentence if is_hard_wrapped(lines) else ends_with_continuation
    prose = [i for i in nonblank if _is_prose(lines[i])]
    first_prose = prose[0] if prose else n
    last_prose = prose[-1] if prose else -1
    head = {i for i in nonblank[:15] if i < first_prose}
    tail = {i for i in nonblank[-6:] if i > last_prose}
    for i in nonblank:
        line = lines[i]
        kind = classify_line(line)
        if kind in _WEAK:
            before = _adjacent(lines, i, -1)
            after = _adjacent(lines, i, 1)
            if (before is not None and mid(before) and classify_line(before) is None) or (
                after is not None and starts_lowercase(after) and classify_line(after) is None
            ):
                kind = None
        if kind is None and (i in head or i in tail) and is_datetime_only(line):
            kind = "date"
        kinds[i] = kind
        mask[i] = kind is not None

    # An all-capitals brand printed again next to its address or logo ("VALLEY POST" / "valleypost.com").
    for i in nonblank:
        if mask[i] or not _is_caps_line(lines[i]):
            continue
        for step in (-1, 1):
            other = _adjacent(lines, i, step)
            if (
                other is not None
                and (mask[i + step] or looks_like_brand(other))
                and _same_brand(lines[i], other)
            ):
                mask[i] = True
                kinds[i] = "masthead"

    # Short lines stuck to a promotion are its heading or button ("Stay ahead with example.com").
    for i in nonblank:
        if kinds[i] != "promo":
            continue
        for step in (-1, 1):
            j = i + step
            hops = 0
            while 0 <= j < n and lines[j].strip() and hops < 3 and _promo_fragment(lines[j]):
                mask[j] = True
                j += step
                hops += 1

    # Repeated short non-sentences are widgets ("Advertisement", a menu shown twice).
    keys = {i: _repeat_key(lines[i]) for i in nonblank}
    counts = Counter(k for k in keys.values() if k)
    repeated = {k for k, c in counts.items() if c >= 3}
    if repeated and sum(counts[k] for k in repeated) < 0.5 * len(nonblank):
        for i in nonblank:
            if keys[i] in repeated:
                mask[i] = True

    # A short line printed twice or more, once right next to a page number, is a running header
    # or footer. Left alone in the head, where it may be the title and the header reader decides.
    pages = [k for k, i in enumerate(nonblank) if kinds[i] == "page"]
    if pages:
        near = {keys[nonblank[j]] for k in pages for j in range(k - 2, k + 3) if 0 <= j < len(nonblank)}
        running = {k for k in near if k and counts[k] >= 2}
        for i in nonblank:
            if keys[i] in running and i > first_prose:
                mask[i] = True

    _cut_tail_list(lines, nonblank, kinds, mask)
    _menu_runs(lines, nonblank, mask, mid)
    return mask


def _cut_tail_list(
    lines: Sequence[str], nonblank: list[int], kinds: list[str | None], mask: list[bool]
) -> None:
    """Drop a trailing "Related posts"/"More from X" heading and the links under it.

    Only after some article prose, so a list heading at the very top (where
    scrapers also put one) never cuts the article itself.
    """
    seen_prose = False
    for k, i in enumerate(nonblank):
        line = lines[i]
        if not seen_prose:
            seen_prose = not mask[i] and len(line.split()) >= 12 and ends_sentence(line)
            continue
        if k < len(nonblank) // 3 or len(nonblank) - k > 40:
            continue
        if not (kinds[i] == "readmore" or _is_list_heading(line, kinds[i])):
            continue
        rest = nonblank[k + 1 :]
        short = all(mask[j] or len(lines[j].split()) <= 30 for j in rest)
        if short and 2 * sum(_is_prose(lines[j]) for j in rest) <= len(rest):
            for j in [i, *rest]:
                mask[j] = True
            return


_LIST_HEAD = re.compile(
    r"^(?:more (?:from|on|in) .{1,40}|more (?:stories|news|articles|headlines|like this)|"
    r"read (?:more|also|next)|also read|see also|you (?:may|might) also like|"
    r"related(?: (?:posts?|articles?|stories|news|content|coverage|reading|links|topics))?|"
    r"(?:most )?popular(?: (?:posts?|articles?|stories|news|now))?|"
    r"latest(?: (?:posts?|articles?|stories|news|headlines))?|most (?:read|viewed|shared|popular)|"
    r"recommended(?: for you| stories| articles)?|trending(?: now| stories)?|top stories|editor'?s'? picks|"
    r"don'?t miss|further reading|in other news)\s*:?$",
    re.IGNORECASE,
)


def _is_list_heading(line: str, kind: str | None) -> bool:
    s = line.strip()
    if len(s.split()) > 6 or ends_sentence(s):
        return False
    return bool(_LIST_HEAD.match(s)) or (kind == "nav" and bool(set(s.casefold().split()) & _LIST_WORDS))


def _menu_runs(
    lines: Sequence[str], nonblank: list[int], mask: list[bool], mid: Callable[[str], bool]
) -> None:
    """Runs of one-to-three-word lines at the very start or end of the text are menus."""

    def tiny(i: int) -> bool:
        s = lines[i].strip()
        if mask[i]:
            return True
        before = _adjacent(lines, i, -1)
        if before is not None and mid(before):
            return False  # the tail of a wrapped sentence, not a menu item
        return len(s.split()) <= 3 and not ends_sentence(s) and not is_datetime_only(s)

    run: list[int] = []
    for i in nonblank:
        if not tiny(i):
            break
        run.append(i)
    # The last short line before the text proper may be a short headline: leave it.
    unmasked = [i for i in run if not mask[i]]
    if len(unmasked) >= 3:
        for i in unmasked[:-1]:
            mask[i] = True
    run = []
    for i in reversed(nonblank):
        if not tiny(i):
            break
        run.append(i)
    unmasked = [i for i in run if not mask[i]]
    if len(unmasked) >= 2:
        for i in unmasked:
            mask[i] = True


def strip_chrome(lines: Sequence[str]) -> list[str]:
    """Return the lines with chrome lines blanked, so line numbers stay aligned."""
    mask = chrome_mask(lines)
    return ["" if m else line for line, m in zip(lines, mask, strict=True)]
