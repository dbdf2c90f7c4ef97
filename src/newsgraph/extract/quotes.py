"""Who said what: direct quotes and reported speech, each tied to its speaker.

``extract_quotes(doc, entities)`` returns the ``quotes[]`` of the extract
contract (DESIGN.md), one dict per quote, sorted by offset::

    id            "q-<start>-<end>", stable for the same text
    speaker       entity id, or None when the speaker is not an entity
    speaker_name  the entity's name, or the noun phrase ("a police spokesman")
    text          the quoted words without the marks, or the reported clause;
                  text == doc.text[start:end]
    start, end    character offsets into doc.text
    direct        True for words in quote marks
    cue           "said", "told", "added", "according to", ... or None
    via           the outlet the words came through (entity id, or its name
                  when it is no entity: "Media.Az"), or None
    evidence      {start, end, sentence}: the sentence holding the attribution
    confidence    0..1
    rule          which pattern produced it (below)

Direct quotes come from the quote marks, then an attribution:

1. The marks are paired per paragraph: typographic “ ” ‘ ’ « » „ and straight
   " and ' (an apostrophe is not a quote mark: ’ inside or after a word only
   closes an open ‘). Nested quotes stay inside the outer one. A quote left
   open at the end of a paragraph runs to the paragraph's end, and the next
   paragraph that opens with a quote mark continues it (the news convention
   for quotes over several paragraphs). Each paragraph's piece is its own quote
   with exact offsets (as the gold annotations count them); the pieces of one
   group share the attribution found for any of them.
2. The attribution, first found wins. A quote standing as a sentence of its
   own: right after the closing mark ("“...,” said X, an official at Y",
   "“...,” X said", "“...,” he added", "“...,” according to X") ->
   ``direct:after``; right before the opening mark ("X said: “...”",
   "X said, “...”") -> ``direct:before``; a colon that ends the introducing
   clause, in the same or the previous paragraph ("His remarks carried a
   warning:") -> ``direct:colon``. A phrase quoted inside a sentence: the speech
   verb above it in the parse ("X described Russia as an “irrational state”",
   "X accused Y of “...”", "X said the talks were “constructive”") ->
   ``direct:governed``, or "according to X" in the sentence ->
   ``direct:according``. A quote with no cue of its own takes the attribution
   of its multi-paragraph group or of the other quotes of its paragraph
   ("“A,” X said. “B.”") -> ``direct:continuation``; a stand-alone quoted
   sentence of six words or more with no cue at all is kept with no speaker ->
   ``direct:unattributed``.
3. Dropped: quotes with no letters or digits, phrases of 1-3 words with no cue
   (scare quotes), and title-cased phrases inside a sentence (names of shows,
   groups, operations: “Evening Hour”, “Al-Nusra”).

Reported speech comes from the parse: the clausal complement of a speech verb,
on either side ("X said (that) ...", "X told Y that ...", "X warned that ...",
"..., the ministry said", "..., said X") -> ``indirect:ccomp``, or the same
layout when the parser missed the complement -> ``indirect:trailing``;
"according to X, ..." / "..., according to X" -> ``indirect:according``;
"X accused Y of ..." -> ``indirect:accuse``. The subject must be able to speak
(a name, an entity, a pronoun, a noun for people or bodies: "figures suggest"
is no speech). Reported speech that embeds a direct quote is not reported
again: only the quoted words are, and a coordinated clause outside the quote
("said that A and that “B”") is still reported. A dateline ("NALCHIK, Nov 23 -")
is not part of the reported text.

The speaker is the subject of the cue verb (or the noun phrase after it in
inverted order, or the object of "according to"), mapped to the entity whose
mention covers its head: a person in apposition wins ("The head of X, Ivan
Petrov, said"), "a spokesman for X" and "TASS news agency" are X and TASS,
"Moscow said" and "Iranian officials said" are the state's government (the
entity resolver's RUS/GOV and IRN/GOV), a surname alone is the one full name in
the article that ends with it. "He"/"she" go to the most recent person outside
quotes (a subject in that sentence before an object; names the model typed as
organizations count when the text shows a person: "X, a lawyer, said", or the
name has a person's shape), "it" to the latest organization that spoke or was
named, "the statement" to the latest body that spoke, and "the ministry" to the
latest fuller speaker or entity with that word ("the regional interior
ministry"). A news outlet named in the attribution ("according to Interfax",
"told TASS", "Reuters reported", "told Media.Az") is the quote's ``via`` when
someone else is the speaker, and the speaker when no one else is; an outlet
reporting someone's words ("X said ..., Interfax reported") is their via, not a
second quote. Speakers that are not entities ("a police spokesman",
"officials") keep ``speaker`` None and their noun phrase as ``speaker_name``.

Everything is one pass over the tokens plus look-ups bounded by a sentence or a
fixed window around each quote, so the time is linear in the document's length.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.extract.entities import ORG_HEAD_WORDS
from newsgraph.models import Entity, Mention
from newsgraph.nlp import doc_cache

__all__ = ["extract_quotes"]

# Speech verbs (lemmas) that introduce a direct quote or reported speech.
SPEECH_VERBS = frozenset(
    """
    say tell add warn note claim state announce insist argue allege confirm deny explain stress
    emphasise emphasize acknowledge admit reveal report write declare assert reply respond answer ask
    conclude predict recall remark observe comment suggest hint complain concede reiterate underline
    underscore maintain tweet post testify assure vow pledge promise threaten urge demand contend
    counter joke quip shout cry whisper recount boast lament inform clarify specify retort caution
    speculate agree continue charge
    """.split()
)
# Verbs that only introduce a quote in the layout "“...,” he continued", never reported speech.
POST_ONLY_VERBS = frozenset({"continue", "agree"})
# Verbs that govern partial quotes inside a sentence ("described X as “...”").
PARTIAL_VERBS = SPEECH_VERBS | frozenset(
    """
    describe call label term brand dismiss characterise characterize refer accuse blame attribute
    condemn denounce praise criticise criticize hail speak talk quote cite
    """.split()
)
# Reported speech with an object and a prepositional complement ("accused Y of ...").
ACCUSE_VERBS = {"accuse": "of", "blame": "for"}
# A quote is often introduced by a noun phrase of speech with a possessor ("His remarks ...:").
SPEECH_NOUNS = frozenset(
    """
    remark remarks statement words comment comments message warning reply response answer post tweet
    speech address interview letter note declaration announcement
    """.split()
)
# Heads of speaker phrases that speak for an organization ("a spokesman for X", "a Kremlin spokesman").
SPOKES_NOUNS = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative", "service", "office"}
)
# Heads of phrases naming a news outlet ("TASS news agency", "Iran's IRNA news agency").
MEDIA_HEADS = frozenset(
    {
        "agency",
        "channel",
        "newspaper",
        "broadcaster",
        "outlet",
        "website",
        "paper",
        "daily",
        "television",
        "tv",
    }
)
# Nouns that can be "according to" sources even without a named entity.
SOURCE_NOUNS = frozenset(
    """
    official officials source sources spokesman spokeswoman spokesperson witness witnesses police
    ministry committee service agency office authorities prosecutor prosecutors investigator
    investigators resident residents colleague relative relatives lawyer analyst analysts expert
    experts diplomat diplomats person people officer officers commander commanders media medic medics
    doctor doctors government military army
    """.split()
)
# "according to figures given by X": the figures carry their source in a complement.
DATA_NOUNS = frozenset(
    """
    figure figures data statistic statistics estimate estimates count tally report reports statement
    account information document documents record records survey poll
    """.split()
)
# Role nouns that make a proper name next to them a person ("Ivan Petrov, a lawyer in Kazan").
PERSON_NOUNS = frozenset(
    """
    spokesman spokeswoman spokesperson official minister director head chief lawyer analyst researcher
    professor expert fellow commander officer general colonel governor mayor president leader resident
    witness journalist editor correspondent activist member deputy ambassador envoy diplomat secretary
    chairman chairwoman coordinator adviser advisor scientist scholar historian economist lecturer
    founder owner manager employee worker engineer doctor surgeon priest imam mufti judge prosecutor
    investigator detective woman man mother father son daughter brother sister wife husband relative
    neighbour neighbor teacher student driver survivor victim mp lawmaker senator parliamentarian
    politician candidate author writer blogger commentator presenter host anchor speaker
    representative negotiator mediator ombudsman dean rector chancellor premier king queen prince emir
    sheikh cleric specialist consultant strategist academic observer chair councillor
    """.split()
)
# Heads of noun phrases for bodies that speak ("the organisation said", "the Iranian side said").
BODY_NOUNS = frozenset(
    """
    organisation organization group company party movement agency ministry committee council court
    office service police army military government union association charity federation institute
    centre center campaign coalition alliance body commission delegation embassy consulate mission
    department directorate side media press newspaper paper television channel network watchdog
    administration cabinet parliament assembly authority authorities leadership command headquarters
    opposition report study
    """.split()
)
# Nouns for the reported content itself: "..., a charge Azerbaijan denies" is not Azerbaijan speaking.
CONTENT_NOUNS = frozenset(
    {"charge", "claim", "allegation", "accusation", "assertion", "version", "account", "view"}
)
WH_WORDS = frozenset({"which", "that", "who", "whom", "what", "whose", "whatever"})
NON_SPEAKERS = WH_WORDS | frozenset({"this", "these", "those", "there", "one", "nobody", "none"})
SUBORDINATORS = frozenset({"while", "although", "though", "as", "because", "if", "when", "since", "whereas"})
_DOMAIN = re.compile(
    r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.(?:az|ru|com|org|net|ge|am|ir|tr|ua|kz|uz|info|news)\b",
    re.IGNORECASE,
)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
THING_PRONOUNS = frozenset({"it", "its"})
OTHER_PRONOUNS = frozenset({"they", "them", "their", "we", "i", "you", "us", "our", "my"})
MEDIA_WORDS = re.compile(
    r"\b(?:news|agency|times|tv|radio|press|post|media|gazette|journal|daily|herald|tribune|wire|"
    r"reuters|afp|bbc|cnn|television|channel|newspaper|magazine|broadcaster|telegraph|observer|"
    r"ledger|courier|dispatch)\b|\.(?:az|ru|com|org|net|ge|am|ir|tr|ua|kz|uz)\b",
    re.IGNORECASE,
)
SENT_END = frozenset({".", "!", "?", "…"})
DASHES = frozenset({"—", "–", "-", "--"})
TRAILING_TRIM = " \t\r\n,;:"
# Quote marks: opener -> closers it accepts.
DOUBLE_OPENERS = {"“": '”"“', "«": "»", "„": "“”", '"': '"”', "”": '”"'}
SINGLE_OPENERS = {"‘": "’", "'": "'", "‹": "›"}
OPEN_CONTEXT = set("([{—–-/:;,") | {"\u00a0"}
POST_WINDOW = 40
CUE_REACH = 12
PARTIAL_DEPTH = 6
MIN_INDIRECT_TOKENS = 3
MAX_SCARE_WORDS = 3

CONF_ADJACENT = 0.9
CONF_COLON = 0.85
CONF_PARTIAL = 0.75
CONF_INHERITED = 0.7
CONF_UNATTRIBUTED = 0.4
CONF_INDIRECT = 0.7
CONF_ACCORDING = 0.7
PENALTY_PRONOUN = 0.1
PENALTY_UNRESOLVED = 0.1
SUBJECT_LOOKBACK = 400
"""How many earlier speech-verb subjects "it" and "the statement" may look back over."""

_WORD = re.compile(r"\w+", re.UNICODE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,[^\n\-–—]{1,30})?\s+[-–—]+\s+(?=[A-Z0-9“\"])")


@dataclass
class _Piece:
    """One quoted stretch inside one paragraph."""

    open: int
    """Offset of the opening mark."""
    close: int | None
    """Offset of the closing mark, or None when the quote runs to the end of the paragraph."""
    start: int
    end: int
    """The quoted text, trimmed: ``text[start:end]``."""
    para: int
    para_start: int
    group: int = -1
    full: bool = False
    """The quote stands as a sentence of its own, not a phrase inside someone else's sentence."""
    last_char: str = ""
    """The last non-space character before the closing mark (before trimming)."""


@dataclass
class _Speaker:
    entity: Entity | None
    name: str | None
    penalty: float = 0.0


@dataclass
class _Attribution:
    cue: str | None
    cue_tok: int | None
    speaker: _Speaker
    rule: str
    confidence: float
    sent_tok: int
    """A token of the sentence that holds the attribution (for the evidence span)."""
    via: Entity | str | None = None
    """The outlet the words came through: an entity, or its name when it is not one."""


@dataclass
class _Context:
    doc: Doc
    text: str
    entities: list[Entity]
    tok_starts: list[int] = field(default_factory=list)
    sent_starts: list[int] = field(default_factory=list)
    quote_of_tok: list[int] = field(default_factory=list)
    """Per token, the index of the quote piece it lies in (marks included), or -1."""
    mentions_at: dict[int, list[tuple[Mention, Entity]]] = field(default_factory=dict)
    persons: list[tuple[int, int, Entity | None, str]] = field(default_factory=list)
    """Antecedents for he/she: (start, end, entity, name), by start; outside quotes."""
    things: list[tuple[int, Entity]] = field(default_factory=list)
    """Antecedents for "it": organizations and parts of states, by start; outside quotes."""
    speech_subjects: list[tuple[int, Token]] = field(default_factory=list)
    """Non-pronoun subjects of speech verbs outside quotes, by offset."""
    named: list[tuple[int, Entity]] = field(default_factory=list)
    surnames: dict[str, Entity | None] = field(default_factory=dict)


def extract_quotes(doc: Doc, entities: list[Entity]) -> list[dict[str, Any]]:
    """Direct quotes and reported speech of one document, as contract dicts sorted by offset."""
    text = doc_cache.text(doc)
    if not text or len(doc) == 0:
        return []
    pieces = _find_pieces(text)
    ctx = _context(doc, entities, pieces)
    _mark_full(ctx, pieces)
    direct = _attribute_direct(ctx, pieces)
    out: list[dict[str, Any]] = []
    for piece, attribution in direct:
        out.append(_contract(ctx, piece.start, piece.end, True, attribution))
    for start, end, attribution in _indirect(ctx, pieces):
        out.append(_contract(ctx, start, end, False, attribution))
    out.sort(key=lambda q: (q["start"], q["end"]))
    for q in out:
        q["id"] = f"q-{q['start']}-{q['end']}"
    return out


# --------------------------------------------------------------------------- quote marks


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _looks_opening(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    return (prev.isspace() or prev in OPEN_CONTEXT or prev in "“‘«\"'") and not nxt.isspace()


def _looks_closing(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    return not prev.isspace() and not nxt.isalnum()


def _find_pieces(text: str) -> list[_Piece]:
    pieces: list[_Piece] = []
    group = -1
    last_open_ended = False
    for para, (lo, hi) in enumerate(_paragraphs(text)):
        found = _pair_marks(text, lo, hi)
        starts_quoted = bool(found) and not text[lo : found[0][0]].strip()
        for k, (o, c) in enumerate(found):
            if k == 0 and starts_quoted and last_open_ended:
                pass  # continues the group left open by the previous paragraph
            else:
                group += 1
            piece = _make_piece(text, o, c, hi, para, lo)
            if piece is not None:
                piece.group = group
                pieces.append(piece)
        last_open_ended = bool(found) and found[-1][1] is None
    return pieces


def _pair_marks(text: str, lo: int, hi: int) -> list[tuple[int, int | None]]:
    """(opening, closing) mark offsets in one paragraph; closing None when the quote runs on."""
    out: list[tuple[int, int | None]] = []
    opener: int | None = None
    closers = ""
    single = False
    i = lo
    while i < hi:
        ch = text[i]
        if opener is None:
            if ch in ("“", "«", "„") or (ch in ('"', "”") and _looks_opening(text, i, lo, hi)):
                opener, closers, single = i, DOUBLE_OPENERS[ch], False
            elif ch in ("‘", "‹") and _looks_opening(text, i, lo, hi):
                opener, closers, single = i, SINGLE_OPENERS[ch], True
            elif ch == "'" and _looks_opening(text, i, lo, hi) and i + 1 < hi and text[i + 1].isalpha():
                opener, closers, single = i, "'", True
        elif ch in closers:
            is_close = True
            if text[opener] == "“" and ch == "“":
                is_close = _looks_closing(text, i, lo, hi)
            elif single:
                is_close = _looks_closing(text, i, lo, hi) and not _apostrophe_s(text, i, hi)
            if is_close:
                out.append((opener, i))
                opener = None
        i += 1
    if opener is not None and not (text[opener] == "'" or (text[opener] in "‘‹" and opener != lo)):
        out.append((opener, None))
    return out


def _apostrophe_s(text: str, i: int, hi: int) -> bool:
    """The ’ of "the workers’ union": an s before it and a lower-case word after it."""
    return text[i - 1] in "sS" and i + 2 < hi and text[i + 1] == " " and text[i + 2].islower()


def _make_piece(text: str, o: int, c: int | None, hi: int, para: int, lo: int) -> _Piece | None:
    start, end = o + 1, (c if c is not None else hi)
    raw = text[start:end]
    stripped = raw.rstrip()
    last_char = stripped[-1:] if stripped else ""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRAILING_TRIM:
        end -= 1
    if end <= start or not any(ch.isalnum() for ch in text[start:end]):
        return None
    return _Piece(open=o, close=c, start=start, end=end, para=para, para_start=lo, last_char=last_char)


# --------------------------------------------------------------------------- context


def _context(doc: Doc, entities: list[Entity], pieces: list[_Piece]) -> _Context:
    ctx = _Context(doc=doc, text=doc_cache.text(doc), entities=entities)
    ctx.tok_starts = doc_cache.token_starts(doc)
    ctx.sent_starts = [sent.start_char for sent in doc_cache.sentences(doc)]
    ctx.quote_of_tok = [-1] * len(doc)
    for k, piece in enumerate(pieces):
        hi = (piece.close + 1) if piece.close is not None else piece.end
        for ti in range(_tok_at(ctx, piece.open), _tok_before(ctx, hi)):
            ctx.quote_of_tok[ti] = k
    last_words: dict[str, set[str]] = {}
    by_id: dict[str, Entity] = {}
    for entity in entities:
        by_id[entity.id] = entity
        words = entity.name.split()
        if entity.type in ("PERSON", "ORG") and len(words) >= 2 and words[-1][:1].isupper():
            last_words.setdefault(words[-1], set()).add(entity.id)
        for mention in entity.mentions:
            first, last = _tok_at(ctx, mention.start), _tok_before(ctx, mention.end)
            for ti in range(first, last):
                ctx.mentions_at.setdefault(ti, []).append((mention, entity))
            if first >= len(doc) or ctx.quote_of_tok[first] >= 0:
                continue
            if entity.type == "PERSON" or _name_shaped(entity):
                ctx.persons.append((mention.start, mention.end, entity, entity.name))
            elif _is_org_like(entity):
                ctx.things.append((mention.start, entity))
            if entity.type != "PERSON":
                ctx.named.append((mention.start, entity))
    ctx.surnames = {w: by_id[next(iter(ids))] if len(ids) == 1 else None for w, ids in last_words.items()}
    for tok in doc_cache.tokens(doc):
        if ctx.quote_of_tok[tok.i] >= 0 or not _is_cue(tok):
            continue
        head = _subject(tok, tok.sent.start, tok.sent.end)
        if head is None or _is_pronoun(head) or ctx.quote_of_tok[head.i] >= 0:
            continue
        ctx.speech_subjects.append((head.idx, head))
        if head.pos_ == "PROPN" and _person_like(ctx, head):
            # a name the model did not tag as a person, but the text shows is one ("X, a lawyer, said")
            speaker = _speaker_of(ctx, head, tok.sent.start, tok.i)
            if speaker.entity is None or speaker.entity.type != "PERSON":
                name = _proper_name(ctx, head)
                start = head.idx + len(head.text) - len(name)
                ctx.persons.append((start, head.idx + len(head.text), speaker.entity, name))
    ctx.persons.sort(key=lambda p: p[0])
    ctx.things.sort(key=lambda p: p[0])
    ctx.named.sort(key=lambda p: p[0])
    return ctx


def _name_shaped(entity: Entity) -> bool:
    """An entity the model typed ORG or GPE that reads like a person's name ("Irina Sokolova")."""
    if entity.type not in ("ORG", "GPE") or entity.kind not in ("organization", "place") or entity.geo:
        return False
    words = entity.name.split()
    return len(words) == 2 and all(
        re.fullmatch(r"[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?", w) and w.lower() not in ORG_HEAD_WORDS
        for w in words
    )


def _is_org_like(entity: Entity) -> bool:
    """Organizations, governments and parts of states: what "it said" can refer to."""
    if entity.type in ("PERSON", "GENERIC", "NORP", "LOC", "FAC"):
        return False
    return entity.type == "ORG" or "/" in entity.id


def _tok_at(ctx: _Context, char: int) -> int:
    """Index of the token that holds (or first follows) this character."""
    i = bisect_right(ctx.tok_starts, char) - 1
    if i < 0:
        return 0
    tok = ctx.doc[i]
    if char >= tok.idx + len(tok.text):
        return i + 1
    return i


def _tok_before(ctx: _Context, char: int) -> int:
    """One past the last token that starts before this character."""
    return bisect_left(ctx.tok_starts, char)


def _sent_index(ctx: _Context, char: int) -> int:
    return max(bisect_right(ctx.sent_starts, char) - 1, 0)


def _in_quote(ctx: _Context, tok: Token) -> bool:
    return ctx.quote_of_tok[tok.i] >= 0


def _is_pronoun(tok: Token) -> bool:
    lower = tok.lower_
    return (
        tok.pos_ == "PRON" or lower in PERSON_PRONOUNS or lower in THING_PRONOUNS or lower in OTHER_PRONOUNS
    )


def _mark_full(ctx: _Context, pieces: list[_Piece]) -> None:
    """A quote is full when nothing but punctuation, a colon or another quote precedes it in its sentence."""
    text = ctx.text
    for k, piece in enumerate(pieces):
        j = piece.open - 1
        while j >= piece.para_start and text[j].isspace():
            j -= 1
        if j < piece.para_start:
            piece.full = True
            continue
        ch = text[j]
        prev_piece = pieces[k - 1] if k > 0 else None
        after_quote = prev_piece is not None and prev_piece.close == j
        piece.full = (
            ch in SENT_END
            or ch in ":—–"
            or after_quote
            or (ch == "," and _cue_before(ctx, piece) is not None)
        )


# --------------------------------------------------------------------------- direct quotes


def _attribute_direct(ctx: _Context, pieces: list[_Piece]) -> list[tuple[_Piece, _Attribution]]:
    found: list[_Attribution | None] = []
    for piece in pieces:
        if piece.full:
            att = (
                _after(ctx, piece) or _before(ctx, piece) or _governing(ctx, piece) or _colon_para(ctx, piece)
            )
        else:
            # a phrase inside a sentence belongs to the verb that governs it, before any verb after it
            att = _governing(ctx, piece) or _after(ctx, piece)
        found.append(att)
    # Quotes with no cue take the attribution of their multi-paragraph group, then of their paragraph.
    by_group: dict[int, _Attribution] = {}
    for piece, att in zip(pieces, found, strict=True):
        if att is not None and piece.full and piece.group not in by_group:
            by_group[piece.group] = att
    out: list[tuple[_Piece, _Attribution]] = []
    for k, piece in enumerate(pieces):
        att = found[k]
        if att is None and piece.full:
            inherited = by_group.get(piece.group) or _same_paragraph(pieces, found, k)
            if inherited is not None:
                att = _Attribution(
                    cue=inherited.cue,
                    cue_tok=inherited.cue_tok,
                    speaker=inherited.speaker,
                    rule="direct:continuation",
                    confidence=min(inherited.confidence, CONF_INHERITED),
                    sent_tok=inherited.sent_tok,
                    via=inherited.via,
                )
        if att is None:
            if not _keep_unattributed(ctx, piece):
                continue
            first = min(_tok_at(ctx, piece.start), len(ctx.doc) - 1)
            att = _Attribution(
                cue=None,
                cue_tok=None,
                speaker=_Speaker(None, None),
                rule="direct:unattributed",
                confidence=CONF_UNATTRIBUTED,
                sent_tok=first,
            )
        elif not piece.full and (
            (att.cue is None and _word_count(ctx, piece) <= MAX_SCARE_WORDS) or _title_like(ctx, piece)
        ):
            continue
        out.append((piece, att))
    return out


def _same_paragraph(pieces: list[_Piece], found: list[_Attribution | None], k: int) -> _Attribution | None:
    para = pieces[k].para
    for j in range(k - 1, -1, -1):
        if pieces[j].para != para:
            break
        att = found[j]
        if att is not None and pieces[j].full:
            return att
    for j in range(k + 1, len(pieces)):
        if pieces[j].para != para:
            break
        att = found[j]
        if att is not None and pieces[j].full:
            return att
    return None


def _word_count(ctx: _Context, piece: _Piece) -> int:
    return len(_WORD.findall(ctx.text[piece.start : piece.end]))


def _title_like(ctx: _Context, piece: _Piece) -> bool:
    """A name or a title in quote marks ("Sunday Evening", "Al-Nusra"), not someone's words."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", ctx.text[piece.start : piece.end]) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


def _keep_unattributed(ctx: _Context, piece: _Piece) -> bool:
    """A stand-alone quoted sentence with no cue anywhere (a block quote) is kept without a speaker."""
    if not piece.full or _title_like(ctx, piece):
        return False
    content = ctx.text[piece.start : piece.end]
    words = _WORD.findall(content)
    return len(words) >= 6 and content.rstrip()[-1:] in SENT_END


def _is_cue(tok: Token, verbs: frozenset[str] = SPEECH_VERBS) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    lemma = tok.lemma_.lower()
    if lemma == "point":
        return any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children)
    return lemma in verbs


def _cue_text(tok: Token) -> str:
    parts = [tok.text.lower()]
    parts += [c.text.lower() for c in tok.children if c.dep_ == "prt" and c.i == tok.i + 1]
    return " ".join(parts)


def _attribution(
    ctx: _Context, verb: Token, head: Token, lo: int, hi: int, rule: str, conf: float
) -> _Attribution:
    speaker = _speaker_of(ctx, head, lo, hi)
    att = _Attribution(_cue_text(verb), verb.i, speaker, rule, conf, verb.i)
    att.via = _via(ctx, verb, speaker)
    return att


def _after(ctx: _Context, piece: _Piece) -> _Attribution | None:
    """'“...,” said X', '“...,” X said', '“...,” he added', '“...,” according to X'."""
    if piece.close is None:
        return None
    doc = ctx.doc
    i = _tok_at(ctx, piece.close + 1)
    n = len(doc)
    lead = False
    while (
        i < n and (doc[i].is_space or doc[i].text == "," or doc[i].text in DASHES) and "\n" not in doc[i].text
    ):
        lead = lead or not doc[i].is_space
        i += 1
    if i >= n or _in_quote(ctx, doc[i]) or "\n" in doc[i].text:
        return None
    first = doc[i]
    if not (lead or piece.last_char in ",!?…" or piece.last_char in DASHES or first.text[:1].islower()):
        return None
    window: list[Token] = []
    j = i
    while j < n and len(window) < POST_WINDOW:
        tok = doc[j]
        if _in_quote(ctx, tok) or "\n" in tok.text:
            break
        window.append(tok)
        if tok.text in SENT_END:
            break
        j += 1
    if not window:
        return None
    lo, hi = window[0].i, window[-1].i + 1
    if first.lower_ == "according" and i + 1 < n and doc[i + 1].lower_ == "to":
        source = _pobj(doc[i + 1])
        if source is None:
            return None
        speaker = _source_speaker(ctx, source, lo, hi) or _speaker_of(ctx, source, lo, hi)
        return _Attribution("according to", first.i, speaker, "direct:after", CONF_ADJACENT, first.i)
    reach = 0
    for tok in window:
        if tok.is_punct or tok.is_space:
            continue
        reach += 1
        if reach > CUE_REACH:
            break
        if not _is_cue(tok, PARTIAL_VERBS):
            continue
        if tok.tag_ == "VBG" or tok.dep_ in ("relcl", "csubj", "acl", "amod") or _has_own_content(ctx, tok):
            return None  # "“...,” which suggests ...", "“...,” X claimed that ...": not this quote's cue
        head = _subject(tok, lo, hi)
        if head is None and tok.i == lo:
            head = _inverted_subject(ctx, tok, hi)
        if head is None and tok.i > lo:
            head = _np_head_between(ctx, lo, tok.i)
        if head is None or not lo <= head.i < hi or head.lower_ in WH_WORDS:
            return None
        return _attribution(ctx, tok, head, lo, hi, "direct:after", CONF_ADJACENT)
    return None


def _has_own_content(ctx: _Context, verb: Token) -> bool:
    """The verb reports a clause of its own after it, outside quote marks ('X claimed that ...')."""
    return any(c.dep_ == "ccomp" and c.i > verb.i and not _in_quote(ctx, c) for c in verb.children)


def _pobj(prep: Token) -> Token | None:
    for child in prep.children:
        if child.dep_ == "pobj":
            return child
    doc = prep.doc
    if prep.i + 1 < len(doc) and doc[prep.i + 1].pos_ in ("PROPN", "NOUN", "PRON", "DET", "ADJ"):
        # the parser sometimes leaves the object unattached; take the noun phrase that follows
        j = prep.i + 1
        while j + 1 < len(doc) and doc[j + 1].pos_ in ("PROPN", "NOUN") and doc[j].pos_ != "PRON":
            j += 1
        return doc[j]
    return None


def _subject(verb: Token, lo: int, hi: int) -> Token | None:
    """The subject of a speech verb; a participle or coordinated verb takes its head's subject."""
    current = verb
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass") and lo <= child.i < hi:
                if child.lower_ in WH_WORDS:
                    return None
                if child.dep_ == "nsubjpass":
                    # "X was quoted as saying": the one quoted speaks
                    return child if current.lemma_.lower() in ("quote", "cite") else None
                return child
        if current.dep_ in ("conj", "advcl", "xcomp") and current.head.i != current.i:
            current = current.head
            continue
        return None
    return None


def _inverted_subject(ctx: _Context, verb: Token, hi: int) -> Token | None:
    """'said X', 'added Ivan Petrov, a spokesman': the noun phrase right after the verb."""
    doc = ctx.doc
    j = verb.i + 1
    while j < hi and (doc[j].pos_ == "ADV" or doc[j].dep_ == "prt"):
        j += 1
    if j >= hi or doc[j].is_punct:
        return None
    start = j
    head = doc[j]
    nominal = ("DET", "ADJ", "PROPN", "NOUN", "NUM", "PRON", "PART")
    while j < hi and not doc[j].is_punct and doc[j].pos_ in nominal:
        if doc[j].pos_ in ("PROPN", "NOUN", "PRON"):
            head = doc[j]
        j += 1
        if doc[j - 1].pos_ == "PRON":
            break
    if head.i < start or head.pos_ not in ("PROPN", "NOUN", "PRON") or head.dep_ == "poss":
        return None
    return head


def _np_head_between(ctx: _Context, lo: int, hi: int) -> Token | None:
    """The first noun or pronoun of a short stretch that the parser did not tie to the verb."""
    doc = ctx.doc
    head: Token | None = None
    for j in range(lo, hi):
        tok = doc[j]
        if tok.pos_ in ("VERB", "AUX") and tok.tag_ not in ("VBN", "VBG"):
            return None
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and head is None:
            head = tok
    return head


def _cue_before(ctx: _Context, piece: _Piece) -> Token | None:
    """A speech verb right before the opening mark: 'X said: “...”', 'X told reporters, “...”'."""
    doc = ctx.doc
    i = _tok_at(ctx, piece.open) - 1
    steps = 0
    while i >= 0 and steps < 5:
        tok = doc[i]
        if "\n" in tok.text or _in_quote(ctx, tok) or tok.text in SENT_END:
            return None
        if _is_cue(tok) and not _has_own_content(ctx, tok):
            return tok
        if tok.pos_ in ("VERB", "AUX"):
            return None
        if not tok.is_space:
            steps += 1
        i -= 1
    return None


def _before(ctx: _Context, piece: _Piece) -> _Attribution | None:
    """'X said: “...”', 'X said, “...”'."""
    if not piece.full:
        return None
    cue = _cue_before(ctx, piece)
    if cue is not None:
        sent = cue.sent
        head = _subject(cue, sent.start, cue.i) or _subject(cue, sent.start, sent.end)
        if head is None or _in_quote(ctx, head):
            return None
        return _attribution(ctx, cue, head, sent.start, cue.i, "direct:before", CONF_COLON)
    j = piece.open - 1
    text = ctx.text
    while j >= piece.para_start and text[j].isspace():
        j -= 1
    if j >= piece.para_start and text[j] == ":":
        return _colon_intro(ctx, j)
    return None


def _colon_para(ctx: _Context, piece: _Piece) -> _Attribution | None:
    """A quote that opens a paragraph after a paragraph ending with a colon."""
    if not piece.full or ctx.text[piece.para_start : piece.open].strip():
        return None
    j = piece.para_start - 1
    text = ctx.text
    while j >= 0 and text[j].isspace():
        j -= 1
    if j >= 0 and text[j] == ":":
        return _colon_intro(ctx, j)
    return None


def _colon_intro(ctx: _Context, colon: int) -> _Attribution | None:
    """The clause that a colon ends introduces the quote: its speech verb or its subject."""
    doc = ctx.doc
    ci = _tok_at(ctx, colon)
    if ci >= len(doc) or _in_quote(ctx, doc[ci]):
        return None
    sent = doc[ci].sent
    lo = sent.start
    for k in range(ci - 1, max(lo, ci - CUE_REACH * 2) - 1, -1):
        tok = doc[k]
        if _in_quote(ctx, tok):
            lo = k + 1
            break
        if _is_cue(tok) and not _has_own_content(ctx, tok):
            head = _subject(tok, lo, ci)
            if head is None:
                return None
            return _attribution(ctx, tok, head, lo, ci, "direct:colon", CONF_COLON)
    root = sent.root
    if _in_quote(ctx, root):
        return None
    subject = next((c for c in root.children if c.dep_ == "nsubj" and lo <= c.i < ci), None)
    if subject is None:
        return None
    speaker = _speaker_of(ctx, subject, lo, ci)
    if speaker.entity is None and not _is_speech_noun(subject):
        return None
    return _Attribution(None, None, speaker, "direct:colon", CONF_INHERITED, root.i)


def _is_speech_noun(tok: Token) -> bool:
    return tok.pos_ == "NOUN" and (tok.lemma_.lower() in SPEECH_NOUNS or tok.lower_ in SPEECH_NOUNS)


def _governing(ctx: _Context, piece: _Piece) -> _Attribution | None:
    """A quote inside a sentence: the speech verb above it in the parse, or 'according to X'."""
    doc = ctx.doc
    first, last = _tok_at(ctx, piece.start), _tok_before(ctx, piece.end)
    if first >= last or first >= len(doc):
        return None
    k = ctx.quote_of_tok[first]
    best: tuple[bool, int, Token, Token] | None = None  # (weak subject, depth, verb, subject)
    for ti in range(first, last):
        tok = doc[ti]
        if ctx.quote_of_tok[tok.head.i] == k:
            continue
        child, node, depth = tok, tok.head, 1
        while depth <= PARTIAL_DEPTH:
            if not _in_quote(ctx, node) and _is_cue(node, PARTIAL_VERBS):
                found = _governing_subject(ctx, piece, child, node)
                if found is not None:
                    candidate = (not _speaker_like(ctx, found), depth, node, found)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
                    if not candidate[0]:
                        break
            if node.head.i == node.i:
                break
            child, node, depth = node, node.head, depth + 1
    if best is not None:
        verb, head = best[2], best[3]
        sent = verb.sent
        return _attribution(ctx, verb, head, sent.start, sent.end, "direct:governed", CONF_PARTIAL)
    # "according to X" anywhere in the sentence
    sent = doc[first].sent
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            if _in_quote(ctx, tok):
                continue
            source = _pobj(doc[tok.i + 1])
            if source is None:
                continue
            speaker = _source_speaker(ctx, source, sent.start, sent.end)
            if speaker is None:
                continue
            return _Attribution("according to", tok.i, speaker, "direct:according", CONF_PARTIAL, tok.i)
    return None


def _governing_subject(ctx: _Context, piece: _Piece, child: Token, verb: Token) -> Token | None:
    """The speaker of a verb that governs a quote, if the quote is what the verb reports."""
    if verb.idx > piece.open and child.dep_ not in ("ccomp", "xcomp", "dobj", "oprd", "attr", "parataxis"):
        return None  # "On TV's “Morning Hour,” X claimed": a modifier before the verb, not its words
    if verb.dep_ == "amod":
        return None
    sent = verb.sent
    head = _subject(verb, sent.start, sent.end)
    if head is None or _in_quote(ctx, head):
        return None
    return head


def _speaker_like(ctx: _Context, head: Token) -> bool:
    """Could this subject speak? A pronoun, a name, an entity, or a noun for people or bodies."""
    if head.lower_ in NON_SPEAKERS:
        return False
    if _is_pronoun(head) or head.pos_ == "PROPN" or _entity_at(ctx, head) is not None:
        return True
    forms = (head.lemma_.lower(), head.lower_)
    return any(
        form in words
        for words in (SOURCE_NOUNS, PERSON_NOUNS, SPEECH_NOUNS, SPOKES_NOUNS, BODY_NOUNS)
        for form in forms
    )


# --------------------------------------------------------------------------- speakers


def _np_span(ctx: _Context, head: Token, lo: int, hi: int) -> tuple[int, int]:
    """Token range of the noun phrase of a speaker head, cut at the first comma after the head."""
    doc = ctx.doc
    start, end = max(head.left_edge.i, lo), min(head.right_edge.i + 1, hi)
    for j in range(head.i + 1, end):
        if doc[j].text in (",", "(", ";", ":", "—", "–") or _in_quote(ctx, doc[j]) or "\n" in doc[j].text:
            end = j
            break
    for j in range(head.i - 1, start - 1, -1):
        if doc[j].text in (",", "(", ";", ":", "—", "–", "”", "“", '"') or _in_quote(ctx, doc[j]):
            start = j + 1
            break
    while start < head.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > head.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, max(end, head.i + 1)


def _entity_at(ctx: _Context, tok: Token) -> Entity | None:
    hits = ctx.mentions_at.get(tok.i)
    if not hits:
        return None
    best = min(hits, key=lambda h: (h[1].type != "PERSON", -(h[0].end - h[0].start)))
    return best[1]


def _entity_in(ctx: _Context, first: int, last: int, person_only: bool = False) -> Entity | None:
    for j in range(first, last):
        entity = _entity_at(ctx, ctx.doc[j])
        if entity is not None and (entity.type == "PERSON" or not person_only):
            return entity
    return None


def _person_like(ctx: _Context, head: Token) -> bool:
    """A proper name the text marks as a person: a role in apposition or as a title before it."""
    entity = _entity_at(ctx, head)
    if entity is not None and (entity.type == "PERSON" or entity.kind not in (None, "organization", "place")):
        return entity.type == "PERSON"
    for child in head.children:
        if child.dep_ == "appos" and child.lemma_.lower() in PERSON_NOUNS:
            return True
        if (
            child.dep_ in ("compound", "amod", "nmod")
            and child.i < head.i
            and child.lemma_.lower() in PERSON_NOUNS
        ):
            return True
    return False


def _speaker_of(ctx: _Context, head: Token, lo: int, hi: int) -> _Speaker:
    doc = ctx.doc
    if _is_pronoun(head):
        return _resolve_pronoun(ctx, head)
    entity = _entity_at(ctx, head)
    if entity is not None and entity.type == "PERSON":
        return _Speaker(entity, entity.name)
    # "The head of X, Ivan Petrov, said", "X's interior minister, Ivan Petrov, said": the person in apposition
    for tok in doc[max(head.left_edge.i, lo) : min(head.right_edge.i + 1, hi)]:
        if tok.dep_ == "appos":
            person = _entity_at(ctx, tok)
            if person is not None and person.type == "PERSON":
                return _Speaker(person, person.name)
    if entity is not None and not (entity.type == "NORP" and head.pos_ == "NOUN"):
        name = _proper_name(ctx, head) if _person_like(ctx, head) else entity.name
        return _Speaker(entity, name)
    lemma = head.lemma_.lower()
    # "a spokesman for X", "the press service of X", "a Kremlin spokesman", "TASS news agency"
    if lemma in SPOKES_NOUNS or head.lower_ in SPOKES_NOUNS or lemma in MEDIA_HEADS:
        for child in head.children:
            owner: Entity | None = None
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "from", "at"):
                obj = _pobj(child)
                if obj is not None:
                    owner = _entity_at(ctx, obj) or _entity_in(ctx, obj.left_edge.i, obj.right_edge.i + 1)
            elif child.dep_ in ("compound", "poss", "amod", "nmod") and child.i < head.i:
                owner = _entity_at(ctx, child)
                if owner is not None and lemma in MEDIA_HEADS and not _is_media(owner):
                    owner = None
            if owner is not None and owner.type not in ("PERSON", "GPE", "LOC", "NORP"):
                return _Speaker(owner, owner.name)
    # "the statement said": the body that spoke last
    if _is_speech_noun(head):
        owner_tok = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner_tok is not None:
            return _speaker_of(ctx, owner_tok, lo, hi)
        recent = _recent_speaker(ctx, head.idx, persons=False)
        if recent is not None:
            return _Speaker(recent.entity, recent.name, PENALTY_PRONOUN)
    start, end = _np_span(ctx, head, lo, hi)
    name = doc[start:end].text.strip() or head.text
    # "Ilves said" after "Marta Ilves": the one full name in the article that ends with it
    if head.pos_ == "PROPN":
        owner = ctx.surnames.get(head.text)
        if owner is not None:
            return _Speaker(owner, owner.name)
    # "the ministry said": the latest fuller speaker or entity with that word ("the interior ministry")
    if head.pos_ == "NOUN" and any(c.lower_ == "the" for c in head.children):
        named = _recent_named(ctx, head)
        fuller = _recent_fuller(ctx, head)
        if fuller is not None and (
            named is None or fuller[0] > max(m.start for m in named.mentions if m.start < head.idx)
        ):
            return _Speaker(fuller[1].entity, fuller[1].name, PENALTY_PRONOUN)
        if named is not None:
            return _Speaker(named, named.name, PENALTY_PRONOUN)
    return _Speaker(None, name, PENALTY_UNRESOLVED)


def _proper_name(ctx: _Context, head: Token) -> str:
    """The run of proper nouns that ends in this head ("Aidos Kenzhebekov")."""
    doc = ctx.doc
    start = head.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound":
        start -= 1
    return doc[start : head.i + 1].text


def _recent_named(ctx: _Context, head: Token) -> Entity | None:
    words = {head.lower_, head.lemma_.lower()}
    i = bisect_left(ctx.named, head.idx, key=lambda p: p[0])
    for j in range(i - 1, max(i - SUBJECT_LOOKBACK, 0) - 1, -1):
        entity = ctx.named[j][1]
        if not _is_org_like(entity):
            continue
        names = [entity.name, *(m.text for m in entity.mentions)]
        if any(w in words for name in names for w in re.findall(r"\w+", name.lower())):
            return entity
    return None


def _recent_fuller(ctx: _Context, head: Token) -> tuple[int, _Speaker] | None:
    """An earlier speaker with the same head noun and more words: 'the regional interior ministry'."""
    i = bisect_left(ctx.speech_subjects, head.idx, key=lambda p: p[0])
    lemma = head.lemma_.lower()
    for j in range(i - 1, max(i - SUBJECT_LOOKBACK, 0) - 1, -1):
        tok = ctx.speech_subjects[j][1]
        if tok.lemma_.lower() != lemma or tok.i == head.i:
            continue
        if sum(1 for t in tok.subtree) <= sum(1 for t in head.subtree):
            continue
        sent = tok.sent
        return tok.idx, _speaker_of(ctx, tok, sent.start, sent.end)
    return None


def _recent_speaker(ctx: _Context, before: int, persons: bool) -> _Speaker | None:
    """The subject of the latest speech verb before this offset, of the wanted kind, resolved."""
    i = bisect_left(ctx.speech_subjects, before, key=lambda p: p[0])
    for j in range(i - 1, max(i - SUBJECT_LOOKBACK, 0) - 1, -1):
        tok = ctx.speech_subjects[j][1]
        if _is_speech_noun(tok):
            continue
        entity = _entity_at(ctx, tok)
        is_person = (entity is not None and entity.type == "PERSON") or _person_like(ctx, tok)
        if is_person != persons:
            continue
        sent = tok.sent
        speaker = _speaker_of(ctx, tok, sent.start, sent.end)
        if speaker.entity is not None or speaker.name:
            return speaker
    return None


def _resolve_pronoun(ctx: _Context, pron: Token) -> _Speaker:
    lower = pron.lower_
    if lower in PERSON_PRONOUNS:
        i = bisect_left(ctx.persons, pron.idx, key=lambda p: p[0])
        if i == 0:
            return _Speaker(None, None, PENALTY_UNRESOLVED)
        latest = ctx.persons[i - 1]
        sent = _sent_index(ctx, latest[0])
        # in the sentence of the latest person, a subject wins over an object
        j = i - 1
        while j >= 0 and _sent_index(ctx, ctx.persons[j][0]) == sent:
            j -= 1
        for start, end, entity, name in ctx.persons[j + 1 : i]:
            toks = range(_tok_at(ctx, start), min(_tok_before(ctx, end), len(ctx.doc)))
            if any(ctx.doc[t].dep_ in ("nsubj", "nsubjpass") for t in toks):
                return _Speaker(entity, name, PENALTY_PRONOUN)
        return _Speaker(latest[2], latest[3], PENALTY_PRONOUN)
    if lower in THING_PRONOUNS:
        recent = _recent_speaker(ctx, pron.idx, persons=False)
        i = bisect_left(ctx.things, pron.idx, key=lambda p: p[0])
        thing = ctx.things[i - 1] if i > 0 else None
        if recent is not None and (thing is None or _speaker_is_recent(ctx, recent, thing[0])):
            return _Speaker(recent.entity, recent.name, PENALTY_PRONOUN)
        if thing is not None:
            return _Speaker(thing[1], thing[1].name, PENALTY_PRONOUN)
    return _Speaker(None, None, PENALTY_UNRESOLVED)


def _speaker_is_recent(ctx: _Context, speaker: _Speaker, thing_start: int) -> bool:
    """Prefer the last speaker over a later organization mention only if that mention is the speaker."""
    if speaker.entity is None:
        return True
    return any(m.start >= thing_start for m in speaker.entity.mentions)


def _source_speaker(ctx: _Context, source: Token, lo: int, hi: int) -> _Speaker | None:
    """The speaker behind 'according to X', or None when X is a plan, a law or a number."""
    lemma = source.lemma_.lower()
    if lemma in DATA_NOUNS or source.lower_ in DATA_NOUNS:
        # "figures given by X", "data from X", "the final figures of X"
        for prep_words in (("by", "from"), ("of",)):
            for tok in source.subtree:
                if (
                    not (lo <= tok.i < hi)
                    or tok.dep_ not in ("prep", "agent")
                    or tok.lower_ not in prep_words
                ):
                    continue
                obj = _pobj(tok)
                if obj is not None and obj.i != source.i and _speaker_like(ctx, obj):
                    return _speaker_of(ctx, obj, lo, hi)
        return None
    speaker = _speaker_of(ctx, source, lo, hi)
    if speaker.entity is not None:
        return speaker
    if _speaker_like(ctx, source) and not _is_pronoun(source):
        return speaker
    return None


def _is_media(entity: Entity | str | None) -> bool:
    if entity is None or isinstance(entity, str):
        return entity is not None
    if entity.type in ("PERSON", "GPE", "LOC", "NORP", "FAC"):
        return entity.kind == "media"
    return entity.kind == "media" or bool(MEDIA_WORDS.search(entity.name))


def _via(ctx: _Context, cue: Token, speaker: _Speaker) -> Entity | str | None:
    """A news outlet the words came through: 'according to Interfax', 'told TASS', 'Reuters reported'."""
    doc = ctx.doc
    sent = cue.sent
    for tok in sent:
        if _in_quote(ctx, tok):
            continue
        candidate: Entity | None = None
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            obj = _pobj(doc[tok.i + 1])
            candidate = _entity_in(ctx, obj.left_edge.i, obj.right_edge.i + 1) if obj is not None else None
        elif tok.i == cue.i and tok.lemma_.lower() == "tell":
            for child in tok.children:
                if child.dep_ in ("dobj", "dative", "iobj"):
                    # "told Media.Az": an outlet named by its web address, which the tokenizer breaks up
                    domain = _DOMAIN.match(ctx.text, child.left_edge.idx)
                    if domain is not None:
                        return domain.group(0)
                    candidate = _entity_in(ctx, child.left_edge.i, child.right_edge.i + 1)
                    break
        elif (
            tok.dep_ == "prep"
            and tok.lower_ in ("with", "to")
            and tok.head.lower_ in ("interview", "comments")
        ):
            obj = _pobj(tok)
            candidate = _entity_in(ctx, obj.left_edge.i, obj.right_edge.i + 1) if obj is not None else None
        elif tok.lemma_.lower() in ("report", "quote", "cite") and tok.i != cue.i:
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            candidate = _entity_at(ctx, subj) if subj is not None else None
        if candidate is not None and _is_media(candidate) and candidate is not speaker.entity:
            return candidate
    return None


# --------------------------------------------------------------------------- reported speech


def _indirect(ctx: _Context, pieces: list[_Piece]) -> list[tuple[int, int, _Attribution]]:
    doc = ctx.doc
    quoted = sorted((p.open, (p.close + 1) if p.close is not None else p.end) for p in pieces)
    quoted_starts = [q[0] for q in quoted]

    def overlaps_quote(start: int, end: int) -> bool:
        i = bisect_left(quoted_starts, end)
        return any(quoted[j][1] > start for j in range(max(i - 3, 0), i))

    found: list[tuple[int, int, _Attribution]] = []
    handled_sents: set[int] = {_sent_index(ctx, p.start) for p in pieces}
    for tok in doc_cache.tokens(doc):
        if _in_quote(ctx, tok):
            continue
        lemma = tok.lemma_.lower()
        if _is_cue(tok) and lemma not in POST_ONLY_VERBS:
            spans = _reported_clauses(ctx, tok, overlaps_quote)
            rule = "indirect:ccomp"
        elif lemma in ACCUSE_VERBS and tok.pos_ == "VERB":
            accused = _accused_of(ctx, tok, ACCUSE_VERBS[lemma])
            spans = [accused] if accused is not None else []
            rule = "indirect:accuse"
        else:
            continue
        sent = tok.sent
        head = _subject(tok, sent.start, sent.end)
        if head is None and rule == "indirect:ccomp":
            head = _np_before(ctx, tok)
        if rule == "indirect:ccomp" and not spans:
            trailing = _trailing_clause(ctx, tok, head) if head is not None else None
            spans = [trailing] if trailing is not None else []
            rule = "indirect:trailing"
        if not spans or head is None or _in_quote(ctx, head) or not _speaker_like(ctx, head):
            continue
        handled_sents.add(_sent_index(ctx, tok.idx))
        speaker = _speaker_of(ctx, head, sent.start, sent.end)
        via = _via(ctx, tok, speaker)
        for start, end in spans:
            if overlaps_quote(start, end):
                continue
            start = _skip_dateline(ctx, start, end)
            att = _Attribution(
                _cue_text(tok), tok.i, speaker, rule, CONF_INDIRECT - speaker.penalty, tok.i, via
            )
            found.append((start, end, att))
    for tok in doc_cache.tokens(doc):
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if _in_quote(ctx, tok) or _sent_index(ctx, tok.idx) in handled_sents:
            continue
        item = _according(ctx, tok)
        if item is not None and not overlaps_quote(item[0], item[1]):
            found.append((_skip_dateline(ctx, item[0], item[1]), item[1], item[2]))
    # a news agency that reports someone else's words is the via of those words, not a second quote
    out: list[tuple[int, int, _Attribution]] = []
    cues = sorted((doc[a.cue_tok].idx, k) for k, (_, _, a) in enumerate(found) if a.cue_tok is not None)
    cue_starts = [c[0] for c in cues]
    for k, (start, end, att) in enumerate(found):
        if not _is_media(att.speaker.entity):
            out.append((start, end, att))
            continue
        lo, hi = bisect_left(cue_starts, start), bisect_left(cue_starts, end)
        inner = [found[c[1]][2] for c in cues[lo:hi] if c[1] != k]
        if not inner:
            out.append((start, end, att))
            continue
        for other in inner:
            other.via = other.via or att.speaker.entity
    return _dedupe(out)


def _skip_dateline(ctx: _Context, start: int, end: int) -> int:
    """'NALCHIK, Nov 23 - Russian special forces ...': the report starts after the dateline."""
    if start != 0 and ctx.text[start - 1] != "\n":
        return start
    m = _DATELINE.match(ctx.text, start, end)
    return m.end() if m else start


def _dedupe(items: list[tuple[int, int, _Attribution]]) -> list[tuple[int, int, _Attribution]]:
    items.sort(key=lambda it: (it[0], -(it[1] - it[0])))
    out: list[tuple[int, int, _Attribution]] = []
    seen: set[tuple[int, int]] = set()
    for item in items:
        if (item[0], item[1]) in seen:
            continue
        seen.add((item[0], item[1]))
        out.append(item)
    return out


def _trim_span(ctx: _Context, first: int, last: int, need_verb: bool = True) -> tuple[int, int] | None:
    """Character span of tokens first..last-1 without a leading 'that' or edge punctuation."""
    doc = ctx.doc
    while first < last and (
        doc[first].is_punct
        or doc[first].is_space
        or (doc[first].lower_ in ("that", "and", "but") and doc[first].dep_ in ("mark", "cc"))
    ):
        first += 1
    while last > first and (doc[last - 1].is_punct or doc[last - 1].is_space or doc[last - 1].dep_ == "cc"):
        if doc[last - 1].text in ("%", ")") and last - 1 > first:
            break
        last -= 1
    if last - first < MIN_INDIRECT_TOKENS:
        return None
    if need_verb and not any(t.pos_ in ("VERB", "AUX") for t in doc[first:last]):
        return None
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    if "\n\n" in ctx.text[start:end]:
        return None
    return start, end


def _clause_subject(clause: Token) -> Token | None:
    for child in clause.children:
        if child.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass"):
            return child
    return None


def _reported_clauses(
    ctx: _Context, verb: Token, overlaps_quote: Callable[[int, int], bool]
) -> list[tuple[int, int]]:
    """The clauses a speech verb reports: its clausal complement ('said (that) ...', '..., X said').

    A complement that holds a direct quote is split at its coordinated clauses ('said that A and
    that “B”'), so the part outside the quote is still reported.
    """
    if any(c.dep_ in ("auxpass", "nsubjpass", "neg", "agent") for c in verb.children):
        return []
    if verb.dep_ in ("relcl", "csubj", "acl", "amod", "pcomp"):
        return []  # "what he said was ...", "which officials said were ..."
    head = _subject(verb, verb.sent.start, verb.sent.end)
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    out: list[tuple[int, int]] = []
    for side in (-1, 1):
        group = [c for c in comps if (c.i - verb.i) * side > 0]
        if not group:
            continue
        subjects = [_clause_subject(c) for c in group]
        if any(sub is not None and sub.lower_ in WH_WORDS for sub in subjects):
            continue
        if not any(c.pos_ in ("VERB", "AUX") for c in group):
            continue
        if side > 0 and all(sub is None for sub in subjects):
            continue  # "said to have ...": not a reported clause
        first = min(c.left_edge.i for c in group)
        last = max(c.right_edge.i for c in group) + 1
        mark = next((m for m in group[0].children if m.dep_ == "mark" and m.lower_ == "that"), None)
        if mark is not None:
            first = mark.i  # "reported, citing sources, that ...": the report starts at "that"
        if side > 0 and any(c.dep_ == "mark" and c.lower_ in SUBORDINATORS for c in verb.children):
            # "While officials insist that A, B": the subordinate clause ends at its comma
            comma = next((t.i for t in ctx.doc[group[0].i : last] if t.text == ","), None)
            last = comma if comma is not None else last
        if side < 0:
            subject = head or _np_before(ctx, verb)
            end = _trailing_end(ctx, verb, subject) if subject is not None else None
            if end is None:
                continue
            last = end
        span = _trim_span(ctx, first, last)
        if span is None:
            continue
        if not overlaps_quote(*span):
            out.append(span)
            continue
        for clause in group:
            parts = [clause] + [c for c in clause.children if c.dep_ == "conj" and _is_clause(c)]
            bounds = [p.left_edge.i for p in parts[1:]] + [clause.right_edge.i + 1]
            starts = [clause.left_edge.i] + [p.left_edge.i for p in parts[1:]]
            for k, part in enumerate(parts):
                lo = starts[k]
                hi = part.right_edge.i + 1 if k > 0 else bounds[0]
                piece = _trim_span(ctx, lo, hi)
                if piece is not None and not overlaps_quote(*piece):
                    out.append(piece)
    return out


def _is_clause(tok: Token) -> bool:
    return tok.pos_ in ("VERB", "AUX") and _clause_subject(tok) is not None


def _trailing_end(ctx: _Context, verb: Token, subject: Token) -> int | None:
    """'CLAUSE, the ministry said': the index of the comma that ends the clause, or None.

    Between that comma and the verb there may only be the subject (with its apposition:
    'the service, known as DTX,'), adverbs and auxiliaries.
    """
    doc = ctx.doc
    sent = verb.sent
    if subject.i > verb.i:
        # "CLAUSE, said Ivan Petrov, a spokesman": the comma right before the verb
        end = verb.i - 1
        while end > sent.start and (doc[end].is_space or doc[end].pos_ == "ADV"):
            end -= 1
        return end if end > sent.start and doc[end].text in (",", "—", "–") else None
    if subject.head.i == verb.i:
        start = subject.left_edge.i
    else:
        start = subject.i
        while start > sent.start and doc[start - 1].pos_ in ("DET", "ADJ", "PROPN", "NOUN", "PART", "NUM"):
            start -= 1
    end = start - 1
    while end > sent.start and doc[end].is_space:
        end -= 1
    if end <= sent.start or doc[end].text not in (",", "—", "–"):
        return None
    if any(tok.lemma_.lower() in CONTENT_NOUNS for tok in doc[start : subject.i]):
        return None
    allowed = set(range(subject.left_edge.i, subject.right_edge.i + 1)) if subject.head.i == verb.i else set()
    nominal = ("ADV", "AUX", "DET", "ADJ", "PROPN", "NOUN", "PART", "NUM")
    for tok in doc[start : verb.i]:
        if tok.i in allowed or tok.is_punct or tok.is_space or tok.pos_ in nominal:
            continue
        if not _inside_apposition(tok, verb):
            return None
    return end


def _np_before(ctx: _Context, verb: Token) -> Token | None:
    """'..., the organisation's Regional Structure (RATS) said': a bare noun phrase between comma and verb."""
    doc = ctx.doc
    sent = verb.sent
    head: Token | None = None
    depth = 0
    j = verb.i - 1
    while j > sent.start:
        tok = doc[j]
        if tok.text == ")":
            depth += 1
        elif tok.text == "(":
            depth -= 1
        elif depth == 0:
            if tok.text == ",":
                return head
            if tok.pos_ not in ("DET", "PROPN", "NOUN", "ADJ", "PART", "PUNCT", "NUM", "ADV"):
                return None
            if head is None and tok.pos_ in ("PROPN", "NOUN"):
                head = tok
        j -= 1
    return None


def _trailing_clause(ctx: _Context, verb: Token, subject: Token) -> tuple[int, int] | None:
    """'CLAUSE, the service, known as DTX, said in a statement.' when the parse missed the ccomp."""
    doc = ctx.doc
    sent = verb.sent
    if any(c.dep_ in ("auxpass", "nsubjpass", "neg", "agent", "ccomp", "dobj") for c in verb.children):
        return None
    if verb.dep_ in ("relcl", "csubj", "acl", "amod", "pcomp", "advcl"):
        return None
    # only adverbials may follow the verb: "said on Monday", "said in a statement"
    for tok in doc[verb.i + 1 : sent.end]:
        if tok.pos_ in ("VERB", "AUX") or tok.is_quote:
            return None
    end = _trailing_end(ctx, verb, subject)
    if end is None:
        return None
    return _trim_span(ctx, sent.start, end)


def _inside_apposition(tok: Token, verb: Token) -> bool:
    node = tok
    for _ in range(4):
        if node.dep_ in ("acl", "appos", "relcl"):
            return True
        if node.head.i == node.i or node.head.i == verb.i:
            return False
        node = node.head
    return False


def _accused_of(ctx: _Context, verb: Token, prep_word: str) -> tuple[int, int] | None:
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return None
    # "accused X of Y": the parser hangs "of Y" on the verb or on X
    prep = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == prep_word), None) or next(
        (c for c in obj.children if c.dep_ == "prep" and c.lower_ == prep_word), None
    )
    if prep is None or prep.i < obj.i:
        return None
    return _trim_span(ctx, obj.left_edge.i, prep.right_edge.i + 1, need_verb=False)


def _according(ctx: _Context, tok: Token) -> tuple[int, int, _Attribution] | None:
    """'According to X, ...' / '..., according to X.': the rest of the sentence is X's."""
    doc = ctx.doc
    sent = tok.sent
    source = _pobj(doc[tok.i + 1])
    if source is None:
        return None
    speaker = _source_speaker(ctx, source, sent.start, sent.end)
    if speaker is None:
        return None
    phrase_end = max(source.right_edge.i + 1, tok.i + 2)
    for j in range(tok.i + 2, phrase_end):
        if doc[j].text == ",":
            phrase_end = j
            break
    before = _trim_span(ctx, sent.start, tok.i)
    after = _trim_span(ctx, phrase_end, sent.end)
    lead = all(t.is_punct or t.is_space for t in doc[sent.start : tok.i])
    if lead or before is None:
        span = after
    elif after is None:
        span = before
    else:
        span = before if before[1] - before[0] >= after[1] - after[0] else after
    if span is None:
        return None
    att = _Attribution(
        "according to", tok.i, speaker, "indirect:according", CONF_ACCORDING - speaker.penalty, tok.i
    )
    att.via = _via(ctx, tok, speaker) if not _is_media(speaker.entity) else None
    return span[0], span[1], att


# --------------------------------------------------------------------------- output


def _contract(ctx: _Context, start: int, end: int, direct: bool, att: _Attribution) -> dict[str, Any]:
    doc = ctx.doc
    sent_tok = min(max(att.sent_tok, 0), len(doc) - 1)
    sent = doc[sent_tok].sent
    entity = att.speaker.entity
    via = att.via if att.via is not entity else None
    confidence = max(0.05, min(att.confidence - (att.speaker.penalty if direct else 0.0), 0.99))
    return {
        "id": "",
        "speaker": entity.id if entity is not None else None,
        "speaker_name": att.speaker.name,
        "text": ctx.text[start:end],
        "start": start,
        "end": end,
        "direct": direct,
        "cue": att.cue,
        "via": via.id if isinstance(via, Entity) else via,
        "evidence": {
            "start": sent.start_char,
            "end": sent.end_char,
            "sentence": _sent_index(ctx, sent.start_char),
        },
        "confidence": round(confidence, 3),
        "rule": att.rule,
    }
