"""Words in a parsed sentence that report an event, matched on lemmas.

Verbs match with their particles and objects ("open fire", "blow up", "hold
talks"); nouns match with the compounds before them ("drone strike",
"counter-terrorism operation"). Matching on lemmas and the parse, not on case,
keeps lower-cased text working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from newsgraph.extract.event_lexicon import EventLexicon
from newsgraph.nlp import doc_cache

VERB_TAGS = frozenset({"VERB"})
NOUN_TAGS = frozenset({"NOUN", "PROPN"})
PHRASE_DEPS = frozenset(
    {"prt", "prep", "dobj", "xcomp", "compound", "npadvmod", "advmod", "attr", "oprd", "acomp"}
)
OBJECT_WORDS: dict[str, frozenset[str]] = {
    "share": frozenset("intelligence information data experience expertise".split()),
    "send": frozenset("aid assistance help weapon arm equipment troop force humanitarian supply".split()),
    "supply": frozenset("weapon arm ammunition equipment aid fuel gas oil missile drone".split()),
    "deliver": frozenset("aid assistance weapon arm equipment supply humanitarian".split()),
    "release": frozenset("prisoner hostage detainee captive people soldier man woman".split()),
    "free": frozenset("prisoner hostage detainee captive people soldier man woman".split()),
    "lift": frozenset(
        "sanction embargo ban restriction curfew blockade emergency measure siege state".split()
    ),
    "ease": frozenset("sanction embargo ban restriction curfew blockade tension emergency measure".split()),
    "arm": frozenset("group militia rebel fighter force insurgent".split()),
    "train": frozenset("fighter force soldier militant troop officer militia".split()),
    "search": frozenset("home house apartment building office premise".split()),
    "block": frozenset("website access site account platform".split()),
    "hit": frozenset(),
    "strike": frozenset(),
    "target": frozenset(),
    "destroy": frozenset(),
    "down": frozenset("plane aircraft airliner jet helicopter drone".split()),
    "recall": frozenset("ambassador envoy diplomat diplomats ambassadors".split()),
    "establish": frozenset("tie relation relations contact contacts embassy".split()),
    "upgrade": frozenset("tie relation relations".split()),
    "restore": frozenset("tie relation relations contact contacts".split()),
    "normalize": frozenset("tie relation relations".split()),
    "grant": frozenset("asylum aid access amnesty visa loan".split()),
    "evacuate": frozenset("settlement troop force base embassy personnel staff".split()),
}
"""Verbs that report an event only with one of these objects (lemmas); an empty set means the
sentence must show violence: a weapon, a physical target or casualties."""
SPEECH_ONLY = frozenset({"deny", "reject", "dismiss"})
REPORTING_VERBS = frozenset(
    "say declare reiterate conclude insist announce state stress argue tell write add warn repeat".split()
)
OBLIGATION = frozenset({"must", "should", "ought"})
DEMAND_ENTRY: dict[str, Any] = {"type": "REQUEST", "target_from_clause": True}


def _demand_trigger(tok: Token) -> Trigger | None:
    """'X said Y must drop its barriers': a reported obligation is a demand on Y (PLOVER REQUEST)."""
    if tok.lemma_.lower() not in REPORTING_VERBS:
        return None
    for clause in tok.children:
        if clause.dep_ != "ccomp":
            continue
        aux = [c.lower_ for c in clause.children if c.dep_ == "aux"]
        if any(a in OBLIGATION for a in aux) or (
            "have" in {c.lemma_ for c in clause.children} and "to" in aux
        ):
            return Trigger(tok, tok.i, tok.i + 1, f"{tok.lemma_.lower()} ... must", DEMAND_ENTRY, "verb")
    return None


@dataclass(frozen=True)
class Trigger:
    token: Token
    """The head word (verb or noun)."""
    start: int
    end: int
    """Token span of the whole trigger phrase."""
    phrase: str
    entry: dict[str, Any]
    pos: str
    """``verb`` or ``noun``."""

    @property
    def type(self) -> str:
        return str(self.entry["type"])

    @property
    def mode(self) -> str | None:
        mode = self.entry.get("mode")
        return str(mode) if mode else None


def _verb_trigger(tok: Token, lex: EventLexicon) -> Trigger | None:
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ not in PHRASE_DEPS:
            continue
        phrase = f"{lemma} {child.lemma_.lower()}"
        entry = lex.verbs.get(phrase)
        if entry is not None:
            lo, hi = min(tok.i, child.i), max(tok.i, child.i) + 1
            return Trigger(tok, lo, hi, phrase, entry, "verb")
    entry = lex.verbs.get(lemma)
    if entry is None:
        return None
    by_object = entry.get("by_object")
    if by_object:
        # "impose sanctions" / "impose a curfew": the object decides the type and mode
        for obj in sorted(_object_lemmas(tok)):
            coded = by_object.get(obj)
            if coded:
                event_type, _, mode = str(coded).partition("/")
                entry = {"type": event_type, **({"mode": mode} if mode else {})}
                return Trigger(tok, tok.i, tok.i + 1, f"{lemma} {obj}", entry, "verb")
        return None
    return Trigger(tok, tok.i, tok.i + 1, lemma, entry, "verb")


_TAILS: dict[int, tuple[object, frozenset[str]]] = {}


def _compound_tails(lex: EventLexicon) -> frozenset[str]:
    """The last word (after the last space or hyphen) of every multi-word trigger noun."""
    cached = _TAILS.get(id(lex.nouns))
    if cached is not None and cached[0] is lex.nouns:
        return cached[1]
    tails = frozenset(re.split(r"[ -]", key)[-1] for key in lex.nouns if " " in key or "-" in key)
    _TAILS[id(lex.nouns)] = (lex.nouns, tails)
    return tails


def _noun_trigger(tok: Token, lex: EventLexicon) -> Trigger | None:
    doc = tok.doc
    lemma = tok.lemma_.lower()
    # a compound candidate always ends in " " or "-" + lemma: skip building them when no
    # multi-word trigger ends in this word
    compound = lemma in _compound_tails(lex) or "-" in lemma or " " in lemma
    for width in (3, 2, 1) if compound else ():
        lo = tok.i - width
        if lo < 0:
            continue
        left = doc[lo : tok.i]
        if any(t.is_space or t.is_sent_start for t in left[1:]) or left[0].is_space:
            continue
        words = left.text.lower()
        for candidate in (f"{words} {lemma}", f"{words}{lemma}" if words.endswith("-") else ""):
            entry = lex.nouns.get(candidate.replace(" - ", "-"))
            if candidate and entry is not None:
                return Trigger(tok, lo, tok.i + 1, candidate, entry, "noun")
    entry = lex.nouns.get(lemma) or lex.nouns.get(tok.lower_)
    if entry is None:
        return None
    return Trigger(tok, tok.i, tok.i + 1, lemma, entry, "noun")


def _object_lemmas(tok: Token) -> set[str]:
    out = set()
    for child in tok.children:
        if child.dep_ in ("dobj", "nsubjpass", "attr", "pobj", "dative"):
            out.add(child.lemma_.lower())
            out.update(c.lemma_.lower() for c in child.children if c.dep_ in ("compound", "amod"))
        if child.dep_ == "prep":
            out.update(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
    if tok.dep_ in ("relcl", "acl"):
        out.add(tok.head.lemma_.lower())
    return out


def find_triggers(doc: Doc, lex: EventLexicon, violent_sentences: set[int]) -> list[Trigger]:
    """Every trigger in the document; ``violent_sentences`` are sentence starts that show violence."""
    found: list[Trigger] = []
    taken: set[int] = set()
    for tok in doc_cache.tokens(doc):
        if tok.i in taken or (tok.is_stop and tok.lemma_.lower() not in ("back", "down")):
            continue
        trigger = None
        if tok.pos_ in VERB_TAGS:
            trigger = _verb_trigger(tok, lex) or _demand_trigger(tok)
        elif tok.pos_ in NOUN_TAGS:
            trigger = _noun_trigger(tok, lex)
        if trigger is None:
            continue
        head = trigger.phrase.split()[0] if trigger.pos == "verb" else ""
        if head in OBJECT_WORDS:
            wanted = OBJECT_WORDS[head]
            if wanted and not (wanted & _object_lemmas(tok)):
                continue
            if not wanted and tok.sent.start not in violent_sentences:
                continue
        needs_prep = trigger.entry.get("needs_prep")
        if needs_prep and not any(c.dep_ == "prep" and c.lower_ in needs_prep for c in tok.children):
            continue
        if trigger.entry.get("intransitive") and any(c.dep_ in ("dobj", "ccomp") for c in tok.children):
            continue  # "demonstrates that...", "demonstrated its resolve": showing, not protesting
        taken.update(range(trigger.start, trigger.end))
        found.append(trigger)
    return found
