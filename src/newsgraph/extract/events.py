"""Events: triggers + arguments + date, place, casualties, weapons and status, coded in PLOVER.

One pass over the parsed document finds every trigger, reads its arguments
off the parse, and fills the contract's fields; a second pass merges mentions
of the same occurrence within the document ("a bomb exploded ... the blast
... the attack") into one event with all its evidence.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from newsgraph.extract.arguments import Arg, find_arguments, weapons_in
from newsgraph.extract.event_lexicon import EventLexicon, load_event_lexicon
from newsgraph.extract.numbers import Quantity, find_casualties
from newsgraph.extract.stance import event_stance
from newsgraph.extract.temporal import find_date_expressions, infer_tense, resolve_date
from newsgraph.extract.triggers import Trigger, find_triggers
from newsgraph.models import Entity
from newsgraph.nlp import doc_cache

_casualty_figures = functools.lru_cache(maxsize=1024)(find_casualties)
"""``find_casualties`` is a pure function of the sentence text, asked about the same sentence
once for the violent-sentence test and again for every trigger in it; the result is only read."""

MODALS = frozenset({"could", "may", "might", "would", "should", "can", "will", "shall", "must", "'ll", "wo"})
PLOT_GOVERNORS = frozenset(
    "plot plan conspire try attempt seek intend aim want prepare threaten vow promise pledge "
    "hope scheme risk fear threat possibility danger prospect likelihood".split()
)
FOILED_GOVERNORS = frozenset("foil thwart prevent avert stop disrupt uncover frustrate".split())
ATTEMPT_GOVERNORS = frozenset({"attempt", "try"})
STAGE_BY_GOVERNOR = {
    **dict.fromkeys(("plot", "plan", "conspire", "scheme", "prepare"), "plot"),
    **dict.fromkeys(("aim", "intend", "want", "seek", "hope"), "intended"),
    **dict.fromkeys(("threaten", "vow", "promise", "pledge", "threat"), "threat"),
}
"""What kind of not-yet-real event a governing word makes; others (risk, fear) give 'possible'."""
ALLEGING_GOVERNORS = frozenset("accuse blame allege deny suspect charge claim".split())
FUTURE_TO_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID", "MOBILIZE"})
DIPLOMATIC_VERBS = frozenset({"lodge", "file", "send", "deliver", "submit", "register", "express", "voice"})
FUTURE_TO_THREATEN = frozenset({"ASSAULT", "COERCE", "SANCTION"})
THREAT_MODE = {"ASSAULT": "violence", "COERCE": "restrict", "SANCTION": "relations"}
WILLINGNESS = frozenset(
    "agree ready willing prepared eager offer promise pledge decide commit consent vow undertake plan "
    "swear threaten".split()
)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
NEGATORS = frozenset({"not", "n't", "never", "no"})
STATE_KINDS = frozenset(
    {"state", "government", "military", "police", "security_service", "ministry", "capital", "seat"}
)
NON_STATE_KINDS = frozenset({"armed_group", "igo", "ngo", "company", "media", "party", "movement"})
VAGUE_WORDS = frozenset("others some many several they them those people one two three".split())
ANAPHORIC_DETS = frozenset({"the", "this", "that", "these", "those"})
MERGE_WINDOW_SENTENCES = 2
PLACE_NOUNS = frozenset(
    "town city village region province district suburb suburbs capital republic port area outskirts edge "
    "centre center vicinity heart".split()
)
LOCATIVE_PREPS = frozenset("in at near outside inside across around along off into from on".split())
GTD_BY_MODE = {
    "explosives": "BOMBING",
    "suicide-attack": "BOMBING",
    "firearms": "ARMED_ASSAULT",
    "primitive": "ARMED_ASSAULT",
    "beat": "UNARMED_ASSAULT",
    "abduct": "HOSTAGE_KIDNAPPING",
    "targeted": "ASSASSINATION",
    "destroy": "FACILITY_ATTACK",
    "drone": "BOMBING",
    "aerial": "BOMBING",
    "heavy-weapons": "BOMBING",
    "unconventional": "UNKNOWN",
}


@dataclass
class _Event:
    trigger: Trigger
    type: str
    mode: str | None
    sentences: list[Span]
    args: list[Arg]
    date: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    location_text: str | None = None
    casualties: dict[str, Any] = field(default_factory=dict)
    weapons: list[str] = field(default_factory=list)
    negated: bool = False
    hypothetical: bool = False
    stage: str = "occurred"
    gtd_hint: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    mentions: int = 1


@dataclass(frozen=True)
class EntityView:
    """Token-level look-up of the document's entities, with their kind and place data."""

    by_token: dict[int, tuple[str, str, str | None]]
    entities: dict[str, Entity]

    def at(self, tok: Token) -> tuple[str, str, str | None] | None:
        return self.by_token.get(tok.i)


def entity_view(doc: Doc, entities: list[Entity]) -> EntityView:
    starts = {idx: i for i, idx in enumerate(doc_cache.token_starts(doc))}
    by_token: dict[int, tuple[str, str, str | None]] = {}
    for entity in entities:
        for m in entity.mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                i = starts.get(m.start)
                if i is None:
                    continue
                span = doc[i : i + 1]
            for tok in span:
                by_token.setdefault(tok.i, (entity.id, entity.type, entity.kind))
    return EntityView(by_token, {e.id: e for e in entities})


def _governors(tok: Token, depth: int = 3) -> list[Token]:
    out = []
    current = tok
    for _ in range(depth):
        if current.head is current:
            break
        current = current.head
        out.append(current)
    return out


def _status(trigger: Trigger) -> tuple[bool, bool, str]:
    """(negated, hypothetical, stage) from negation, modality and plot/foil governors."""
    tok = trigger.token
    children = list(tok.children)
    negated = any(c.dep_ == "neg" or (c.lower_ in NEGATORS and c.dep_ == "det") for c in children)
    hypothetical = any(c.dep_ == "aux" and c.lower_ in MODALS for c in children) or any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in children
    )
    stage = "occurred"
    if trigger.entry.get("stage"):
        stage = str(trigger.entry["stage"])
        hypothetical = True
    for gov in _governors(tok, depth=4):
        lemma = gov.lemma_.lower()
        claims_responsibility = lemma == "claim" and any(
            c.lemma_.lower() == "responsibility" for c in gov.children
        )
        if (
            lemma in ALLEGING_GOVERNORS
            and not claims_responsibility
            and tok.dep_ in ("pcomp", "pobj", "ccomp", "xcomp", "conj", "dobj")
        ):
            return negated, True, "alleged"
        if lemma in FOILED_GOVERNORS:
            return negated, True, "foiled"
        if lemma in ATTEMPT_GOVERNORS:
            stage = "attempt"
        elif lemma in PLOT_GOVERNORS:
            hypothetical = True
            stage = STAGE_BY_GOVERNOR.get(lemma, "possible")
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in gov.children) and gov.pos_ == "VERB":
            hypothetical = True
        if (
            any(c.dep_ == "neg" for c in gov.children)
            and gov.pos_ == "VERB"
            and gov.lemma_ not in ("say", "tell")
        ):
            negated = True
        if gov.pos_ == "VERB" and gov.dep_ not in (
            "xcomp",
            "conj",
            "ccomp",
            "advcl",
            "pcomp",
            "acl",
            "relcl",
        ):
            break
    return negated, hypothetical, stage


def _sentence_dates(
    doc: Doc, anchor: dt.date | None
) -> dict[int, list[tuple[int, int, dict[str, Any], Token]]]:
    by_sentence: dict[int, list[tuple[int, int, dict[str, Any], Token]]] = {}
    try:
        spans = find_date_expressions(doc)
    except Exception:
        spans = []
    narrative_year: dict[int, int] = {}
    for start, end, text in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        local_anchor = anchor
        year = narrative_year.get(span.sent.start)
        if year is not None and not YEAR.search(text) and (anchor is None or year != anchor.year):
            # "in 1994, ... in March": a bare month or day belongs to the year the sentence set
            local_anchor = dt.date(year, 12, 31)
        value = resolve_date(text, local_anchor, tense=infer_tense(span))
        found_year = YEAR.search(text)
        if found_year:
            narrative_year[span.sent.start] = int(found_year.group(0))
        if value is None or (value.start is None and value.precision == "unknown" and anchor is not None):
            continue
        by_sentence.setdefault(span.sent.start, []).append((start, end, value.to_dict(), span.root))
    return by_sentence


def _pick_date(
    trigger: Trigger, dates: list[tuple[int, int, dict[str, Any], Token]]
) -> dict[str, Any] | None:
    if not dates:
        return None
    subtree = {t.i for t in trigger.token.subtree}
    i = trigger.token.i
    if trigger.pos == "noun":
        verb = _governing_verb(trigger.token)
        allowed = subtree | {
            t.i
            for c in verb.children
            if c.dep_ in ("npadvmod", "prep", "nsubj", "nsubjpass")
            for t in c.subtree
        }
        others = _other_trigger_phrases(trigger)
        dates = [d for d in dates if d[3].i in allowed and d[3].i not in others]
        if not dates:
            return None

    def rank(d: tuple[int, int, dict[str, Any], Token]) -> tuple[int, int]:
        inside = d[3].i in subtree or d[3].head.i == i
        return (0 if inside else 1, abs(d[3].i - i))

    return min(dates, key=rank)[2]


def _governing_verb(tok: Token) -> Token:
    current = tok
    for _ in range(3):
        if current.pos_ in ("VERB", "AUX") or current.head is current:
            break
        current = current.head
    return current


def _other_trigger_phrases(trigger: Trigger) -> set[int]:
    """Tokens of other noun phrases after a preposition ("since the 2019 bombing") in the sentence."""
    out: set[int] = set()
    for tok in trigger.token.sent:
        if (
            tok.i != trigger.token.i
            and tok.pos_ == "NOUN"
            and tok.dep_ == "pobj"
            and not trigger.token.is_ancestor(tok)
        ):
            out.update(t.i for t in tok.subtree)
    return out


def _pick_location(
    trigger: Trigger, view: EntityView, args: list[Arg]
) -> tuple[dict[str, Any] | None, str | None]:
    """A place in the trigger's phrase (after in/at/near...) or, failing that, in its sentence."""
    taken = {a.entity for a in args if a.role in ("source", "target", "victim")}
    sent = trigger.token.sent
    subtree = {t.i for t in trigger.token.subtree}
    candidates: list[tuple[int, Entity]] = []
    for tok in sent:
        hit = view.at(tok)
        if hit is None or hit[0] in taken:
            continue
        entity = view.entities.get(hit[0])
        if entity is None or entity.geo is None or entity.type not in ("GPE", "LOC", "FAC"):
            continue
        if entity.kind in ("government",):
            continue
        locative = (
            (tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS)
            or tok.dep_ == "compound"
            or tok.dep_ == "poss"
        )
        of_place = tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in PLACE_NOUNS
        if of_place:
            locative = True
        elif tok.dep_ == "pobj" and tok.head.lower_ not in LOCATIVE_PREPS:
            continue
        rank = 0 if tok.i in subtree and locative else 1 if locative else 2
        if (
            trigger.pos == "noun"
            and tok.i not in subtree
            and tok.head.head.i != _governing_verb(trigger.token).i
        ):
            continue  # a noun's place is in its own phrase ("the attack in Ukraine"), not anywhere around it
        candidates.append((rank * 1000 + abs(tok.i - trigger.token.i), entity))
    if not candidates:
        return None, None
    candidates.sort(key=lambda c: c[0])
    entity = candidates[0][1]
    geo = dict(entity.geo or {})
    geo["name"] = entity.name
    return geo, entity.name


def _quantity(q: Quantity | None) -> dict[str, Any] | None:
    if q is None:
        return None
    return {"min": q.min, "max": q.max, "approx": q.approx, "text": q.text}


def _casualties(sentence: Span) -> dict[str, Any]:
    figures = _casualty_figures(sentence.text)
    out = {
        "killed": _quantity(figures.killed),
        "injured": _quantity(figures.injured),
        "hostages": _quantity(figures.hostages),
    }
    if figures.arrested is not None:
        out["arrested"] = _quantity(figures.arrested)
    return out


def _violent_sentences(doc: Doc, lex: EventLexicon) -> set[int]:
    out = set()
    for sent in doc_cache.sentences(doc):
        if weapons_in(sent, lex):
            out.add(sent.start)
            continue
        figures = _casualty_figures(sent.text)
        if figures.killed or figures.injured or figures.hostages:
            out.add(sent.start)
    return out


def _build(trigger: Trigger, view: EntityView, lex: EventLexicon, dates: dict[int, Any]) -> _Event:
    sent = trigger.token.sent
    args = find_arguments(trigger, view.at, lex)
    negated, hypothetical, stage = _status(trigger)
    event = _Event(
        trigger=trigger,
        type=trigger.type,
        mode=trigger.mode,
        sentences=[sent],
        args=args,
        negated=negated,
        hypothetical=hypothetical,
        stage=stage,
        gtd_hint=trigger.entry.get("gtd"),
    )
    event.provenance["type"] = f"lexicon:{trigger.pos}:{trigger.phrase}"
    if (
        event.type == "PROTEST"
        and trigger.pos == "noun"
        and trigger.token.head.lemma_.lower() in DIPLOMATIC_VERBS
    ):
        # "lodged an official protest with Albania": a diplomatic protest is an accusation
        event.type, event.mode = "ACCUSE", "disapprove"
        event.provenance["type"] += "+diplomatic-protest"
    if (
        event.type in FUTURE_TO_THREATEN
        and _promised(trigger.token)
        and event.trigger.entry.get("type") != "THREATEN"
    ):
        # PLOVER: a coercive act announced for the future is a threat of it
        event.mode = THREAT_MODE.get(event.type)
        event.type = "THREATEN"
        event.hypothetical = False
        event.stage = "occurred"
        event.provenance["type"] += "+future-conflict"
    elif event.type in FUTURE_TO_AGREE and _promised(trigger.token):
        # PLOVER: cooperative acts reported as future, offered or agreed to are AGREE
        event.type = "AGREE"
        event.mode = None
        event.hypothetical = False
        event.stage = "occurred"
        event.provenance["type"] += "+future-cooperation"
    if event.type == "COERCE" and _armed_source(args, view):
        # "militants seized a school": seizure by an armed group is an attack, not repression
        event.type = "ASSAULT"
        event.mode = None
        event.provenance["type"] += "+armed-source"
    event.date = _pick_date(trigger, dates.get(sent.start, []))
    if event.date:
        event.provenance["date"] = "temporal:resolve_date"
    event.location, event.location_text = _pick_location(trigger, view, args)
    if event.location:
        event.provenance["location"] = "gazetteer:sentence-place"
    if event.type in ("ASSAULT", "COERCE"):
        subtree = list(trigger.token.subtree)
        found = weapons_in(subtree, lex) or weapons_in(sent, lex)
        known = {(a.start, a.end) for a in event.args if a.role == "weapon"}
        for words, mode in found:
            if words.text not in event.weapons:
                event.weapons.append(words.text)
            if (words.start_char, words.end_char) not in known:
                event.args.append(
                    Arg("weapon", words.start_char, words.end_char, words.text, None, "lexicon:weapons")
                )
            if event.mode is None and event.type == "ASSAULT":
                event.mode = mode
                event.provenance["mode"] = "lexicon:weapons"
        event.casualties = _casualties(sent)
        if event.type == "COERCE":
            event.casualties = {
                "killed": None,
                "injured": None,
                "hostages": None,
                "arrested": event.casualties.get("arrested"),
            }
        if any(event.casualties.values()):
            event.provenance["casualties"] = "numbers:find_casualties"
    return event


def _promised(tok: Token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall") for c in tok.children):
        return True
    current = tok
    for _ in range(3):
        if (
            current.dep_ not in ("xcomp", "ccomp", "conj", "pcomp", "pobj", "advcl", "acl")
            or current.head is current
        ):
            return False
        current = current.head
        if current.lemma_.lower() in WILLINGNESS:
            return True
    return False


def _armed_source(args: list[Arg], view: EntityView) -> bool:
    for arg in args:
        entity = view.entities.get(arg.entity or "")
        if (
            arg.role == "source"
            and entity is not None
            and (entity.kind == "armed_group" or (entity.kind == "generic" and entity.role == "armed"))
        ):
            return True
    return False


def _conflicts(a: _Event, b: _Event) -> bool:
    """Two mentions cannot be one occurrence: different days or years, different towns, or modality."""
    if _place_or_date_conflict(a, b):
        return True
    if _anaphoric(b):
        return False  # "suspected of helping to prepare the attack": the attack itself is the earlier one
    return a.hypothetical != b.hypothetical or a.negated != b.negated


def _place_or_date_conflict(a: _Event, b: _Event) -> bool:
    da, db = a.date, b.date
    if da and db and da.get("start") and db.get("start"):
        pa, pb = da.get("precision"), db.get("precision")
        if pa == pb == "day" and da["start"] != db["start"]:
            return True
        if (
            str(da["start"])[:4] != str(db["start"])[:4]
            and pa in ("day", "month", "year")
            and pb in ("day", "month", "year")
        ):
            return True
    la, lb = a.location_text, b.location_text
    if la and lb and la != lb and la not in lb and lb not in la:
        la_country = (a.location or {}).get("country")
        lb_country = (b.location or {}).get("country")
        if (a.location or {}).get("geonameid") != (b.location or {}).get(
            "geonameid"
        ) and la_country == lb_country:
            return True
        if la_country != lb_country:
            return True
    return False


def _anaphoric(event: _Event) -> bool:
    """'the attack' refers back to an earlier mention; 'the Khojaly massacre' names its own event."""
    tok = event.trigger.token
    if event.trigger.pos != "noun":
        return False
    if any(
        c.dep_ in ("compound", "amod", "nmod", "poss") and (c.pos_ == "PROPN" or c.like_num)
        for c in tok.children
    ):
        return False
    if tok.dep_ == "attr" and any(
        c.dep_ == "nsubj" and c.lower_ in ("this", "it", "that") for c in tok.head.children
    ):
        return True  # "this was a carefully prepared act of terrorism"
    return any(c.dep_ == "det" and c.lower_ in ANAPHORIC_DETS for c in tok.children)


def _merge_into(target: _Event, other: _Event) -> None:
    for sent in other.sentences:
        if all(s.start != sent.start for s in target.sentences):
            target.sentences.append(sent)
    seen = {(a.role, a.start, a.end) for a in target.args}
    target.args.extend(a for a in other.args if (a.role, a.start, a.end) not in seen)
    if target.mode is None and other.mode is not None:
        target.mode = other.mode
    target.gtd_hint = target.gtd_hint or other.gtd_hint
    if other.date and (target.date is None or _precision_rank(other.date) > _precision_rank(target.date)):
        target.date = other.date
    if target.location is None and other.location is not None:
        target.location, target.location_text = other.location, other.location_text
    for key, value in other.casualties.items():
        if value is None:
            continue
        current = target.casualties.get(key)
        if current is None or (value.get("min") or 0) > (current.get("min") or 0):
            target.casualties[key] = value
    for w in other.weapons:
        if w not in target.weapons:
            target.weapons.append(w)
    for k, v in other.provenance.items():
        target.provenance.setdefault(k, v)
    target.mentions += other.mentions


def _sentence_distance(previous: _Event, event: _Event) -> int:
    # the document's sentence index is built once and kept in user_data (see _sentence_index)
    return _sentence_index(event.sentences[0]) - _sentence_index(previous.sentences[-1])


def _shares_participant(a: _Event, b: _Event) -> bool:
    """Later verbs about the same attack name someone or something already in it, or no one new."""

    def heads(e: _Event) -> set[str]:
        return {
            (x.entity or x.text.split()[-1].lower())
            for x in e.args
            if x.role != "weapon" and x.text.lower() not in VAGUE_WORDS
        }

    hb = heads(b)
    return not hb or bool(heads(a) & hb)


def _precision_rank(date: dict[str, Any]) -> int:
    return {"day": 5, "week": 4, "month": 3, "quarter": 2, "season": 2, "year": 1}.get(
        str(date.get("precision")), 0
    )


def _merge(events: list[_Event]) -> list[_Event]:
    """One event per occurrence: same type in one sentence, or a later mention that refers back."""
    merged: list[_Event] = []
    for event in events:
        sent_start = event.sentences[0].start
        target = None
        for previous in reversed(merged):
            if previous.type != event.type or _conflicts(previous, event):
                continue
            if any(s.start == sent_start for s in previous.sentences):
                target = previous
                break
            if event.type in ("ASSAULT", "COERCE"):
                distance = _sentence_distance(previous, event)
                if _anaphoric(event):
                    target = previous
                    break
                if (
                    distance <= MERGE_WINDOW_SENTENCES
                    and event.date is None
                    and event.location is None
                    and _shares_participant(previous, event)
                ):
                    target = previous
                    break
            else:
                same = {a.entity for a in previous.args if a.role == "source"} == {
                    a.entity for a in event.args if a.role == "source"
                } and {a.entity for a in previous.args if a.role == "target"} == {
                    a.entity for a in event.args if a.role == "target"
                }
                if same and any(a.entity for a in event.args):
                    target = previous
                    break
        if target is None:
            merged.append(event)
        else:
            _merge_into(target, event)
    return merged


def _historical(date: dict[str, Any] | None, published: str | None) -> bool:
    if not date or not published or (not date.get("end") and not date.get("start")):
        return False
    try:
        end = dt.date.fromisoformat(str(date.get("end") or date.get("start")))
        pub = dt.date.fromisoformat(published)
    except ValueError:
        return False
    return (pub - end).days > 365


def _actor_ids(args: list[Arg], roles: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for a in args:
        if a.role in roles and a.entity and a.entity not in out:
            out.append(a.entity)
    return out


def _gtd(event: _Event, view: EntityView, sources: list[str]) -> str | None:
    if event.type != "ASSAULT" or event.stage not in ("occurred", "attempt") or event.negated:
        return None
    for sid in sources:
        entity = view.entities.get(sid)
        if entity is not None and (entity.kind in STATE_KINDS or "/" in sid):
            return None  # state violence is not terrorism in the GTD's sense
    if event.gtd_hint:
        return event.gtd_hint
    armed = any(
        (e := view.entities.get(sid)) is not None and (e.kind == "armed_group" or e.role == "armed")
        for sid in sources
    )
    if event.mode in ("aerial", "heavy-weapons", "drone") and not armed:
        return None  # air and artillery strikes with no named non-state perpetrator: military, not terrorism
    return GTD_BY_MODE.get(event.mode or "", "UNKNOWN")


def _codes(ids: list[str], view: EntityView) -> list[str]:
    """CAMEO/PLOVER-style actor codes: country plus sector where the entity has them."""
    out: list[str] = []
    for eid in ids:
        entity = view.entities.get(eid)
        if entity is None:
            continue
        if "/" in eid or entity.kind in ("state", "territory") or entity.kind in NON_STATE_KINDS:
            code = eid
        elif entity.country and entity.sector:
            code = f"{entity.country}/{entity.sector}"
        elif entity.country and entity.kind in ("capital", "seat"):
            code = f"{entity.country}/GOV"
        elif entity.country:
            code = entity.country
        else:
            code = eid
        if code not in out:
            out.append(code)
    return out


def _confidence(event: _Event, sources: list[str], targets: list[str]) -> float:
    score = 0.55 if event.trigger.pos == "verb" else 0.5
    score += 0.15 if sources else 0.0
    score += 0.1 if targets or any(a.role == "physical_target" for a in event.args) else 0.0
    score += 0.05 if event.location else 0.0
    score += min(0.1, 0.05 * (event.mentions - 1))
    return round(min(score, 0.95), 2)


def _to_contract(
    event: _Event, doc_id: str, view: EntityView, lex: EventLexicon, published: str | None
) -> dict[str, Any]:
    sources = _actor_ids(event.args, ("source",))
    targets = _actor_ids(event.args, ("target", "victim"))
    trig = event.trigger
    span = trig.token.doc[trig.start : trig.end]
    digest = hashlib.sha1(f"{doc_id}|{event.type}|{span.start_char}".encode()).hexdigest()[:12]
    historical = _historical(event.date, published)
    casualties = event.casualties or {"killed": None, "injured": None, "hostages": None}
    context = []
    if any(view.entities.get(s) is not None and view.entities[s].kind == "armed_group" for s in sources):
        context.append("terrorism")
    if any(
        (view.entities.get(s) is not None and view.entities[s].kind == "military") or s.endswith("/MIL")
        for s in sources
    ):
        context.append("military")
    provenance = dict(event.provenance)
    provenance["arguments"] = "parse:dependency"
    out: dict[str, Any] = {
        "id": f"ev_{digest}",
        "type": event.type,
        "mode": event.mode,
        "context": context,
        "gtd_attack_type": _gtd(event, view, sources),
        "quad_class": lex.quad_class.get(event.type),
        "intensity": lex.score(event.type, event.mode),
        "source_actors": sources,
        "target_actors": targets,
        "source_codes": _codes(sources, view),
        "target_codes": _codes(targets, view),
        "physical_targets": [
            {"text": a.text, "start": a.start, "end": a.end}
            for a in event.args
            if a.role == "physical_target"
        ],
        "date": event.date,
        "location": event.location,
        "casualties": casualties,
        "weapons": event.weapons,
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "historical": historical,
        "stage": event.stage,
        "evidence": [
            {"start": s.start_char, "end": s.end_char, "sentence": _sentence_index(s)}
            for s in event.sentences
        ],
        "trigger": {"text": span.text, "start": span.start_char, "end": span.end_char},
        "arguments": [
            {
                "role": a.role,
                "text": a.text,
                "start": a.start,
                "end": a.end,
                "entity": a.entity,
                "rule": a.rule,
            }
            for a in event.args
        ],
        "confidence": _confidence(event, sources, targets),
        "provenance": provenance,
    }
    out["stance"] = event_stance(out)
    return out


def _sentence_index(sent: Span) -> int:
    index = getattr(sent.doc.user_data, "get", lambda *_: None)("sent_index")
    if index is None:
        index = {s.start: i for i, s in enumerate(doc_cache.sentences(sent.doc))}
        sent.doc.user_data["sent_index"] = index
    return int(index.get(sent.start, 0))


def extract_events(
    doc: Doc, entities: list[Entity], doc_id: str, published: str | None, lex: EventLexicon | None = None
) -> list[dict[str, Any]]:
    """The events of one document, in order of first mention."""
    lex = lex or load_event_lexicon()
    view = entity_view(doc, entities)
    anchor = None
    if published:
        try:
            anchor = dt.date.fromisoformat(published)
        except ValueError:
            anchor = None
    dates = _sentence_dates(doc, anchor)
    triggers = find_triggers(doc, lex, _violent_sentences(doc, lex))
    events = [_build(t, view, lex, dates) for t in triggers]
    events = [e for e in events if _keep(e)]
    return [_to_contract(e, doc_id, view, lex, published) for e in _merge(events)]


def _generic_mention(trigger: Trigger) -> bool:
    """'sporadic attacks', 'terrorist attacks': a bare plural names a kind of event, not one event."""
    tok = trigger.token
    if trigger.pos != "noun" or tok.tag_ not in ("NNS", "NNPS"):
        return False
    for child in tok.children:
        if (
            child.dep_ in ("det", "nummod", "poss")
            or child.like_num
            or child.ent_type_ in ("DATE", "CARDINAL")
        ):
            return False
        if child.dep_ in ("compound", "amod") and child.pos_ == "PROPN":
            return False
    return not any(t.ent_type_ == "DATE" for t in tok.subtree)


def _keep(event: _Event) -> bool:
    """Interaction events need an actor on at least one side; violent ones stand on their own."""
    if _generic_mention(event.trigger) or event.trigger.token.dep_ == "amod":
        return False
    if event.type in ("ASSAULT", "COERCE", "MOBILIZE", "PROTEST"):
        return True
    if event.trigger.pos == "noun":
        # "a terrorist threat", "cooperation": a noun reports an interaction only with its actor named
        return any(a.entity for a in event.args if a.role == "source")
    return any(a.entity for a in event.args if a.role in ("source", "target"))
