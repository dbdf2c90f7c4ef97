"""Who did it, to whom or what, with what, where and when: arguments read off the parse.

Each function takes the trigger and a view of the document's entities and
returns spans; events.py turns them into the contract's fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from newsgraph.extract.event_lexicon import EventLexicon
from newsgraph.extract.triggers import Trigger

LIGHT_VERBS = frozenset(
    "carry launch stage claim conduct commit mount perpetrate organize organise plan plot "
    "orchestrate prepare execute unleash undertake begin start lead announce hold open issue make "
    "file take deliver impose offer extend give complete reiterate renew voice express level".split()
)
TARGET_PREPS = frozenset({"on", "against", "at", "upon", "into"})
PARTNER_PREPS = frozenset({"with", "to", "for"})
LOCATIVE = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "on", "along", "off", "from"}
)
TITLE_WORDS = frozenset(
    """
    president governor minister mayor judge colonel general commander leader priest father archbishop
    bishop senator deputy congressman councilman councillor officer chief director ambassador secretary
    candidate journalist lawyer attorney spokesman spokeswoman prosecutor lieutenant captain major
    sergeant businessman editor professor dr. mr. mrs. ms. sen. gen. col. lt. capt. gov. pres. rev.
    """.split()
)
PEOPLE_NOUNS = frozenset(
    "refugee official leader minister president government people worker civilian rebel delegation "
    "diplomat envoy ambassador negotiator opposition party union country nation state".split()
)
NOT_ARGUMENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
SPEECH_VERBS = frozenset(
    "say tell report announce state claim add note confirm believe declare write insist explain".split()
)
STOP_CLIMB = frozenset("foil thwart prevent avert stop disrupt uncover frustrate".split())
SELF_SUBJECT = frozenset({"explode", "detonate", "blast", "crash"})
ASSAULT_LIKE = frozenset({"ASSAULT", "COERCE"})


@dataclass(frozen=True)
class Arg:
    role: str
    """source, target, victim, physical_target, weapon, location."""
    start: int
    end: int
    """Character offsets of the filler text."""
    text: str
    entity: str | None
    rule: str


EntityAt = Callable[[Token], tuple[str, str, str | None] | None]
"""Token -> (entity id, entity type, entity kind) when it lies inside a mention."""


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for child in tok.children:
        if child.dep_ == "conj":
            out.extend(_conjuncts(child))
    return out


def _phrase(tok: Token) -> Span:
    """The noun phrase under a head: determiners, numbers and relative clauses dropped."""
    doc = tok.doc
    keep = [
        t
        for t in tok.subtree
        if t.i <= tok.i or (t.dep_ in ("compound", "amod", "nummod") and t.head.i == tok.i)
    ]
    lo = min(t.i for t in keep)
    while lo < tok.i and (
        doc[lo].dep_ in ("det", "nummod", "predet", "punct", "quantmod") or doc[lo].like_num
    ):
        lo += 1
    left = [t for t in keep if t.i >= lo and t.i <= tok.i]
    lo = min(t.i for t in left)
    # do not cross a preposition or punctuation back into another phrase
    for t in reversed(doc[lo : tok.i]):
        if t.dep_ in ("prep", "punct", "cc", "case") or t.is_space:
            lo = t.i + 1
            break
    return doc[lo : tok.i + 1]


def _arg(role: str, tok: Token, entity_at: EntityAt, rule: str) -> Arg:
    hit = entity_at(tok)
    span = _phrase(tok)
    if hit is not None:
        # extend to the whole mention the token sits in
        doc = tok.doc
        lo = tok.i
        while lo > 0 and entity_at(doc[lo - 1]) is not None and entity_at(doc[lo - 1]) == hit:
            lo -= 1
        hi = tok.i
        while hi + 1 < len(doc) and entity_at(doc[hi + 1]) == hit:
            hi += 1
        span = doc[lo : hi + 1]
    elif role in ("victim", "source"):
        span = _strip_titles(span)
    return Arg(role, span.start_char, span.end_char, span.text, hit[0] if hit else None, rule)


def _strip_titles(span: Span) -> Span:
    """'department governor antonio roldan' -> the name after the last title word, when a name follows."""
    last = -1
    for k, tok in enumerate(span):
        if tok.lower_ in TITLE_WORDS:
            last = k
    if last < 0 or len(span) - last - 1 < 2:
        return span
    return span[last + 1 :]


def _nominal_owner(tok: Token) -> list[tuple[Token, str]]:
    """Sources of a noun trigger: possessor, actor modifier, 'by' agent, or a light verb's subject."""
    out: list[tuple[Token, str]] = []
    for child in tok.children:
        if child.dep_ == "poss":
            if child.pos_ == "PRON":
                speaker = _reporting_subject(child)
                if speaker is not None:
                    out.append((speaker, "coref:reporting-subject"))
                continue
            out.append((child, "dep:poss"))
        elif child.dep_ == "prep" and child.lower_ == "by":
            out.extend((g, "dep:by") for g in child.children if g.dep_ == "pobj")
    head = tok.head
    if tok.dep_ in ("dobj", "pobj", "nsubjpass", "attr") and head.lemma_.lower() in LIGHT_VERBS | {
        "for",
        "responsibility",
    }:
        verb = head
        while verb.dep_ in ("prep", "pobj", "dobj") and verb.head is not verb:
            verb = verb.head
            if verb.pos_ == "VERB":
                break
        out.extend((c, f"light:{verb.lemma_.lower()}") for c in verb.children if c.dep_ == "nsubj")
    return out


def _reporting_subject(tok: Token) -> Token | None:
    """'Bosnian Serbs said their forces had withdrawn': the pronoun is the reporting verb's subject."""
    current = tok
    for _ in range(6):
        if current.head is current:
            return None
        current = current.head
        if current.dep_ == "ccomp" and current.head.lemma_.lower() in SPEECH_VERBS:
            return next((c for c in current.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
    return None


def _modifier_actors(tok: Token, entity_at: EntityAt) -> list[Token]:
    """'Russian airstrikes', 'an Islamic State attack': actor modifiers of a noun trigger."""
    return [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod") and entity_at(c) is not None]


def subject_of(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject (inherited through coordination and participles) and whether it is passive.

    A pronoun subject of a reported clause ("the FSB said it had detained...") is the
    reporting verb's subject.
    """
    current = verb
    climbed = False
    for _ in range(4):
        for child in current.children:
            if child.dep_ == "nsubjpass" and climbed:
                return child, False  # "X is set to meet Y": X meets
            if child.dep_ in ("nsubj", "csubj"):
                if (
                    child.pos_ == "PRON"
                    and current.dep_ == "ccomp"
                    and current.head.lemma_.lower() in SPEECH_VERBS
                ):
                    speaker = next((c for c in current.head.children if c.dep_ == "nsubj"), None)
                    if speaker is not None and speaker.pos_ != "PRON":
                        return speaker, False
                return child, False
            if child.dep_ == "nsubjpass":
                own_passive = verb is current or any(c.dep_ == "auxpass" for c in verb.children)
                return child, own_passive
        head = current.head
        if (
            current.dep_ in ("conj", "xcomp", "advcl")
            and head is not current
            and head.lemma_.lower() not in STOP_CLIMB
        ):
            climbed = climbed or current.dep_ == "xcomp"
            current = head
            continue
        break
    return None, False


def find_arguments(trigger: Trigger, entity_at: EntityAt, lex: EventLexicon) -> list[Arg]:
    tok = trigger.token
    args: list[Arg] = []
    violent = trigger.type in ASSAULT_LIKE

    def add(role: str, head: Token, rule: str) -> None:
        for t in _conjuncts(head):
            if entity_at(t) is None and role in ("source", "target") and not violent:
                inner = _entity_inside(t, entity_at)
                if inner is not None:
                    t, rule = inner, f"{rule}+np-entity"
            elif entity_at(t) is None and role == "source" and violent:
                inner = _entity_inside(t, entity_at)
                if inner is not None and inner.i != t.i:
                    # "members of the FMLN": the people and the organization both
                    args.append(_arg("source", inner, entity_at, f"{rule}+np-entity"))
            if t.pos_ == "PRON" or t.ent_type_ in NOT_ARGUMENTS or t.like_num or t.pos_ == "NUM":
                continue
            role_here = role
            if entity_at(t) is None and (t.lemma_.lower() in lex.weapons or t.lower_ in lex.weapons):
                role_here = "weapon"
            elif role in ("target", "victim") and _is_physical(t, lex, entity_at):
                role_here = "physical_target"
            elif role in ("target", "victim") and trigger.type == "COERCE":
                role_here = "target"
            elif role == "target" and violent:
                role_here = "victim" if _is_person_like(t, entity_at) else "target"
            if role_here == "target" and not violent and entity_at(t) is None and not _actor_like(t):
                continue  # "signed a security agreement": the object is not an actor
            args.append(_arg(role_here, t, entity_at, rule))

    if trigger.pos == "verb":
        subj, passive = subject_of(tok)
        lemma = tok.lemma_.lower()
        if subj is not None:
            if passive:
                add("victim" if violent else "target", subj, "dep:nsubjpass")
            elif lemma in SELF_SUBJECT:
                role = "weapon" if subj.lemma_.lower() in lex.weapons else "physical_target"
                args.append(_arg(role, subj, entity_at, "dep:nsubj"))
            else:
                add("source", subj, "dep:nsubj")
        if trigger.entry.get("target_from_clause"):
            for clause in tok.children:
                if clause.dep_ == "ccomp":
                    for c in clause.children:
                        if c.dep_ in ("nsubj", "nsubjpass"):
                            add("target", c, "dep:ccomp-subject")
        for child in tok.children:
            if (child.dep_ in ("dobj", "dative") and child.i >= trigger.end) or child.dep_ == "dobj":
                if child.lemma_.lower() in ("fire", "hostage", "talk", "tie", "condolence"):
                    continue
                add("victim" if violent else "target", child, f"dep:{child.dep_}")
                if not violent:
                    for link in child.children:
                        if link.dep_ == "prep" and link.lower_ in ("to", "with", "for", "against"):
                            for g in link.children:
                                if g.dep_ == "pobj" and not _is_place(g, entity_at):
                                    add("target", g, f"prep:{link.lower_}-of-object")
            elif child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        add("source", g, "dep:agent")
            elif child.dep_ == "prep":
                prep = child.lower_
                phrasal = trigger.start <= child.i < trigger.end  # "stand behind X", "call on X"
                for g in child.children:
                    if g.dep_ != "pobj":
                        continue
                    if phrasal and not _is_place(g, entity_at):
                        add("victim" if violent else "target", g, f"prep:{prep}")
                    elif prep in TARGET_PREPS and violent and not _is_place(g, entity_at):
                        add("victim", g, f"prep:{prep}")
                    elif prep in PARTNER_PREPS | TARGET_PREPS and not violent and not _is_place(g, entity_at):
                        add("target", g, f"prep:{prep}")
    else:
        for owner, rule in _nominal_owner(tok):
            add("source", owner, rule)
        owner_of_target = any(
            c.dep_ == "compound" and _is_physical(c, lex, entity_at) for c in tok.children
        )  # "the SOCAR infrastructure attack", "a Russian aircraft bombing": the modifier owns the target
        for mod in _modifier_actors(tok, entity_at):
            hit = entity_at(mod)
            if owner_of_target:
                add("target", mod, "dep:modifier-of-target")
                continue
            if (hit is not None and hit[1] not in ("GPE", "LOC", "FAC")) or (
                hit is not None and hit[2] == "state"
            ):
                add("source", mod, "dep:modifier")
        for child in tok.children:
            if child.dep_ != "prep":
                continue
            prep = child.lower_
            for g in child.children:
                if g.dep_ != "pobj":
                    continue
                if prep in TARGET_PREPS | {"of"} and violent and not _is_place(g, entity_at):
                    add("victim", g, f"prep:{prep}")
                elif (
                    prep in PARTNER_PREPS | TARGET_PREPS | {"between"}
                    and not violent
                    and not _is_place(g, entity_at)
                ):
                    add("target", g, f"prep:{prep}")
    if not violent and not any(a.role == "target" for a in args):
        _fallback_targets(trigger, entity_at, add)
    return args


def _fallback_targets(trigger: Trigger, entity_at: EntityAt, add: Callable[[str, Token, str], None]) -> None:
    """No direct object: look in the clause it governs, then for a state or region it applies to.

    'demanded that the US cancel plans', 'refused to lift the curfew on Palestinians', 'lifted a
    curfew in Montenegro': PLOVER codes the party the act bears on, which is often named deeper.
    """
    tok = trigger.token
    for clause in tok.children:
        if clause.dep_ not in ("ccomp", "xcomp") or clause.pos_ not in ("VERB", "AUX"):
            continue
        for c in clause.children:
            if c.dep_ in ("nsubj", "nsubjpass") and clause.dep_ == "ccomp" and c.pos_ != "PRON":
                add("target", c, "dep:ccomp-subject")
                return
        for c in clause.children:
            if c.dep_ in ("dobj", "dative") and (entity_at(c) is not None or _entity_inside(c, entity_at)):
                add("target", c, "dep:clause-object")
                return
            if c.dep_ == "prep" and c.lower_ in ("on", "to", "with", "against", "for"):
                for g in c.children:
                    if g.dep_ == "pobj" and (entity_at(g) is not None or _actor_like(g)):
                        add("target", g, f"dep:clause-prep-{c.lower_}")
                        return
    sources = {t.i for t in tok.subtree if t.dep_ in ("nsubj", "nsubjpass")}
    for t in tok.subtree:
        hit = entity_at(t)
        if hit is None or t.i in sources or any(a.i in sources for a in t.ancestors):
            continue
        if hit[1] in ("GPE", "LOC") and hit[2] in ("state", "region", "territory", "capital", "place"):
            add("target", t, "dep:place-in-phrase")
            return


def _entity_inside(tok: Token, entity_at: EntityAt) -> Token | None:
    """'the president of Armenia', "Haiti's efforts", 'a top U.S. official': the actor inside a phrase."""
    for t in tok.subtree:
        if t.dep_ in ("relcl", "acl", "advcl") or abs(t.i - tok.i) > 8:
            continue
        if any(a.dep_ in ("relcl", "acl") for a in t.ancestors if a.i != tok.i and tok.is_ancestor(a)):
            continue
        hit = entity_at(t)
        if hit is not None and hit[1] in ("PERSON", "ORG", "GPE", "NORP", "GENERIC"):
            return t
    return None


def _actor_like(tok: Token) -> bool:
    """People nouns and names can be targets even when no entity was resolved."""
    return tok.pos_ == "PROPN" or tok.lemma_.lower() in PEOPLE_NOUNS


def _is_place(tok: Token, entity_at: EntityAt) -> bool:
    hit = entity_at(tok)
    return hit is not None and hit[1] in ("GPE", "LOC") and hit[2] not in ("state", "government")


def _is_person_like(tok: Token, entity_at: EntityAt) -> bool:
    hit = entity_at(tok)
    if hit is not None:
        return hit[1] in ("PERSON", "GENERIC", "NORP")
    return tok.pos_ in ("NOUN", "PROPN", "PRON")


def _is_physical(tok: Token, lex: EventLexicon, entity_at: EntityAt) -> bool:
    hit = entity_at(tok)
    if hit is not None and hit[1] not in ("FAC",):
        return False
    words = {tok.lemma_.lower(), tok.lower_}
    compound = " ".join(t.lower_ for t in tok.children if t.dep_ == "compound" and t.i < tok.i)
    if compound:
        words.add(f"{compound} {tok.lemma_.lower()}")
    return bool(words & lex.physical_targets) or (hit is not None and hit[1] == "FAC")


_TAILS: dict[int, tuple[object, frozenset[str]]] = {}


def _weapon_tails(lex: EventLexicon) -> frozenset[str]:
    """The last word (after the last space or hyphen) of every weapon name, per lexicon."""
    cached = _TAILS.get(id(lex.weapons))
    if cached is not None and cached[0] is lex.weapons:
        return cached[1]
    tails = frozenset(re.split(r"[ -]", key)[-1] for key in lex.weapons)
    _TAILS[id(lex.weapons)] = (lex.weapons, tails)
    return tails


def weapons_in(tokens: Iterable[Token], lex: EventLexicon) -> list[tuple[Span, str | None]]:
    """(span, mode) for weapon names among the tokens, the longest name at each place."""
    out = []
    seen: set[int] = set()
    tails = _weapon_tails(lex)
    for tok in tokens:
        if tok.i in seen or tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
            continue
        last = tok.lemma_.lower()
        if last not in tails and "-" not in last and " " not in last:
            continue  # no weapon name ends in this word: skip building the three candidate keys
        doc = tok.doc
        best = None
        for width in (3, 2, 1):
            lo = tok.i - width + 1
            if lo < 0:
                continue
            words = doc[lo : tok.i + 1]
            key = " ".join([*(t.lower_ for t in words[:-1]), tok.lemma_.lower()]).replace(" - ", "-")
            if key in lex.weapons:
                best = (words, lex.weapons[key])
                break
        if best is None:
            continue
        words, mode = best
        seen.update(range(words.start, words.end))
        out.append((words, mode))
    return out
