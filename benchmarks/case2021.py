"""CASE 2021 Shared Task 2: fine-grained (ACLED-style) classification of event snippets (dev half).

Data: ../shared/eval/case2021_task2/test_set_final_release_with_labels.tsv, which holds only the
dev half of the task's test set (480 of 1019 rows; SOURCE.md), UTF-8 TSV ``id, EventSnippet,
SubType`` with 30 labels: the 25 ACLED sub-event types, ORG_CRIME, NATURAL_DISASTER,
MAN_MADE_DISASTER (subtask 2) and DIPLO, ATTRIB (subtask 3).

newsgraph is not a snippet classifier, so this measures how well its PLOVER events carry the
ACLED distinctions. Each snippet is run through the extractor; every extracted event is mapped
to at most one ACLED/CASE label by :func:`to_acled_subtype`, a deterministic function of the
event's (type, mode, gtd_attack_type, context, weapons, casualties, actor kinds, hypothetical)
driven by the tables below; :func:`snippet_subtype` then picks one label per snippet
(combination rules first, then the most specific label by ``LABEL_PRIORITY``). A snippet with no
mappable event gets ``FALLBACK_LABEL``, and the report gives coverage (snippets labelled from an
event) and accuracy on the covered snippets separately, so the fallback does not hide anything.

Metrics, as the task defines them (micro and macro F1; precision and recall), for subtask 3
(all rows, the headline) and for the rows of subtasks 1 and 2: accuracy (= micro F1 for one
label a snippet), macro P/R/F1 over the labels present in gold or predictions (what
``sklearn``'s ``average='macro'`` does), a per-class table and the most frequent confusions.

SOURCE.md gives no published scores for this half, so none are listed.

Usage: python benchmarks/case2021.py [PATH] [--limit N] [--out PATH] [--show-errors N]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    Timer,
    display_path,
    entity_index,
    eval_path,
    extract_texts,
    load_resources,
    machine_info,
    newsgraph_info,
    pct,
    prf,
    print_table,
    results_path,
    safe_div,
    write_results,
)

DEFAULT_DATA = eval_path("case2021_task2", "test_set_final_release_with_labels.tsv")

ACLED_LABELS = (
    "ABDUCT_DISSAP",
    "AGREEMENT",
    "AIR_STRIKE",
    "ARMED_CLASH",
    "ARREST",
    "ART_MISS_ATTACK",
    "ATTACK",
    "CHANGE_TO_GROUP_ACT",
    "CHEM_WEAP",
    "DISR_WEAP",
    "FORCE_AGAINST_PROTEST",
    "GOV_REGAINS_TERIT",
    "GRENADE",
    "HQ_ESTABLISHED",
    "MOB_VIOL",
    "NON_STATE_ACTOR_OVERTAKES_TER",
    "NON_VIOL_TERRIT_TRANSFER",
    "OTHER",
    "PEACE_PROTEST",
    "PROPERTY_DISTRUCT",
    "PROTEST_WITH_INTER",
    "REM_EXPLOS",
    "SEX_VIOL",
    "SUIC_BOMB",
    "VIOL_DEMONSTR",
)
SECURITY_LABELS = ("ORG_CRIME", "NATURAL_DISASTER", "MAN_MADE_DISASTER")
SUBTASK3_LABELS = ("DIPLO", "ATTRIB")
SUBTASK_LABELS = {
    1: frozenset(ACLED_LABELS),
    2: frozenset(ACLED_LABELS + SECURITY_LABELS),
    3: frozenset(ACLED_LABELS + SECURITY_LABELS + SUBTASK3_LABELS),
}

FALLBACK_LABEL = "OTHER"
"""Predicted for a snippet with no event that maps to a label: ACLED's residual
'Other' strategic development, chosen a priori (not the dev set's most frequent class)."""

# --------------------------------------------------------------------------- the mapping tables

CONTEXT_LABELS: dict[str, str] = {
    "crime": "ORG_CRIME",
    "corruption": "ORG_CRIME",
    "illegal drugs": "ORG_CRIME",
    "trafficking": "ORG_CRIME",
    "cyber": "ORG_CRIME",
    "health": "NATURAL_DISASTER",
    "environment": "NATURAL_DISASTER",
    "disasters": "MAN_MADE_DISASTER",
}
"""PLOVER contexts (manual Table 2.1) that decide the label whatever the type, unless the event
also has the ``terrorism`` or ``military`` context. 'disasters' covers both natural and man-made
ones in PLOVER; it is mapped to MAN_MADE_DISASTER (accidents, spills) and 'health' (outbreaks,
which CASE counts as natural disasters) to NATURAL_DISASTER."""

ASSAULT_MODE_LABELS: dict[str, str] = {
    "unconventional": "CHEM_WEAP",
    "suicide-attack": "SUIC_BOMB",
    "aerial": "AIR_STRIKE",
    "drone": "AIR_STRIKE",
    "heavy-weapons": "ART_MISS_ATTACK",
    "sexual": "SEX_VIOL",
    "abduct": "ABDUCT_DISSAP",
    "crowd-control": "FORCE_AGAINST_PROTEST",
    "destroy": "PROPERTY_DISTRUCT",
}
"""ASSAULT modes with a one-to-one ACLED sub-event type. ``explosives`` is GRENADE or REM_EXPLOS
by weapon; ``firearms``, ``beat``, ``primitive``, ``targeted`` and no mode depend on the actors."""

WEAPON_LABELS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("chlorine", "sarin", "mustard gas", "chemical", "toxic gas", "nerve agent", "poison gas"), "CHEM_WEAP"),
    (("suicide",), "SUIC_BOMB"),
    (("grenade",), "GRENADE"),
    (("airstrike", "air strike", "warplane", "jet", "helicopter", "drone", "barrel bomb"), "AIR_STRIKE"),
    (("mortar", "artillery", "rocket", "missile", "shell", "howitzer", "katyusha"), "ART_MISS_ATTACK"),
    (
        ("ied", "improvised explosive", "landmine", "mine", "roadside bomb", "car bomb", "explosive device"),
        "REM_EXPLOS",
    ),
)
"""Weapon words (substring match on the event's weapons, lower-cased), first row that hits wins.
Used for ``explosives`` and for ASSAULT events with no mode."""

GTD_LABELS: dict[str, str] = {
    "BOMBING": "REM_EXPLOS",
    "HOSTAGE_KIDNAPPING": "ABDUCT_DISSAP",
    "HOSTAGE_BARRICADE": "ABDUCT_DISSAP",
    "HIJACKING": "ABDUCT_DISSAP",
    "FACILITY_ATTACK": "PROPERTY_DISTRUCT",
    "ASSASSINATION": "ATTACK",
    "UNARMED_ASSAULT": "ATTACK",
}
"""GTD attack types, used when the mode and weapons decided nothing."""

COERCE_MODE_LABELS: dict[str, str] = {
    "arrest": "ARREST",
    "abduct": "ABDUCT_DISSAP",
    "hostage": "ABDUCT_DISSAP",
    "destroy": "PROPERTY_DISTRUCT",
    "cyber": "ORG_CRIME",
    "deport": "OTHER",
    "ban": "OTHER",
    "restrict": "OTHER",
    "censor": "OTHER",
    "curfew": "OTHER",
    "martial-law": "OTHER",
    "withhold": "OTHER",
    "misinformation": "OTHER",
}
"""COERCE modes. ``seize`` is DISR_WEAP when weapons were seized, a territorial label when the
event has the ``territory`` context, else OTHER."""

RETREAT_MODE_LABELS: dict[str, str] = {
    "ceasefire": "AGREEMENT",
    "release": "AGREEMENT",
    "disarm": "AGREEMENT",
    "access": "AGREEMENT",
    "withdraw": "NON_VIOL_TERRIT_TRANSFER",
    "resign": "CHANGE_TO_GROUP_ACT",
}
"""RETREAT modes; ACLED's 'Agreement' includes ceasefires and prisoner releases, and a withdrawal
from territory is a 'Non-violent transfer of territory'. No mode: NON_VIOL_TERRIT_TRANSFER."""

ACCUSE_MODE_LABELS: dict[str, str] = {
    "allege": "ATTRIB",
    "disapprove": "DIPLO",
    "investigate": "OTHER",
}
"""ACCUSE modes: an accusation of responsibility is ATTRIB, a condemnation DIPLO."""

TYPE_LABELS: dict[str, str | None] = {
    "AGREE": "AGREEMENT",
    "SUPPORT": "AGREEMENT",
    "CONCEDE": "AGREEMENT",
    "COOPERATE": "OTHER",
    "AID": "OTHER",
    "RETREAT": "NON_VIOL_TERRIT_TRANSFER",
    "REQUEST": "DIPLO",
    "ACCUSE": "DIPLO",
    "REJECT": "DIPLO",
    "THREATEN": "DIPLO",
    "SANCTION": "DIPLO",
    "CONSULT": "DIPLO",
    "MOBILIZE": "CHANGE_TO_GROUP_ACT",
    "COERCE": "OTHER",
    "PROTEST": "PEACE_PROTEST",
    "ASSAULT": "ATTACK",
}
"""The label of a type when no mode row applies. CASE's DIPLO covers sanctions, threats, calls
for action, praise and condemnation; ACLED's 'Change to group/activity' covers deployments."""

SANCTION_MODE_LABELS: dict[str, str] = {"convict": "OTHER"}
PROTEST_MODE_LABELS: dict[str, str] = {"riot": "VIOL_DEMONSTR"}

ARMED_KINDS = frozenset({"armed_group", "military", "police", "security_service"})
ARMED_SECTORS = frozenset({"MIL", "COP", "SPY", "REB"})
ARMED_WORDS = frozenset(
    """militant militants rebel rebels insurgent insurgents fighter fighters gunman gunmen troops
    soldier soldiers force forces police policeman policemen gendarme gendarmes officer officers
    militia militias militiamen jihadist jihadists guerrilla guerrillas army military patrol
    servicemen serviceman checkpoint base outpost post barracks convoy""".split()
)
"""Words that make an actor or physical target without an entity kind an armed one (plural and
singular, plus the military facilities whose attack ACLED codes as a clash)."""
STATE_FORCE_KINDS = frozenset({"military", "police", "security_service", "government", "state"})
STATE_FORCE_SECTORS = frozenset({"MIL", "COP", "SPY", "GOV"})
MOB_WORDS = frozenset({"mob", "crowd", "rioters", "villagers", "residents", "protesters", "demonstrators"})

LABEL_PRIORITY = (
    "FORCE_AGAINST_PROTEST",
    "PROTEST_WITH_INTER",
    "CHEM_WEAP",
    "SUIC_BOMB",
    "AIR_STRIKE",
    "ART_MISS_ATTACK",
    "GRENADE",
    "REM_EXPLOS",
    "SEX_VIOL",
    "ABDUCT_DISSAP",
    "VIOL_DEMONSTR",
    "MOB_VIOL",
    "GOV_REGAINS_TERIT",
    "NON_STATE_ACTOR_OVERTAKES_TER",
    "ARMED_CLASH",
    "ATTACK",
    "PROPERTY_DISTRUCT",
    "DISR_WEAP",
    "PEACE_PROTEST",
    "ARREST",
    "ORG_CRIME",
    "NATURAL_DISASTER",
    "MAN_MADE_DISASTER",
    "ATTRIB",
    "AGREEMENT",
    "NON_VIOL_TERRIT_TRANSFER",
    "CHANGE_TO_GROUP_ACT",
    "HQ_ESTABLISHED",
    "DIPLO",
    "OTHER",
)
"""When a snippet's events map to several labels, the first in this list wins: material
violence before strategic developments before verbal events, specific before generic."""


# --------------------------------------------------------------------------- mapping


def _contexts(event: dict[str, Any]) -> set[str]:
    ctx = event.get("context") or []
    if isinstance(ctx, str):
        ctx = ctx.split(",")
    return {str(c).strip().lower().replace("_", " ") for c in ctx if str(c).strip()}


def _weapon_label(event: dict[str, Any]) -> str | None:
    words = " ".join(str(w) for w in event.get("weapons") or []).lower()
    words += (
        " "
        + " ".join(
            str(a.get("text") or "") for a in event.get("arguments") or [] if a.get("role") == "weapon"
        ).lower()
    )
    if not words.strip():
        return None
    for keys, label in WEAPON_LABELS:
        if any(k in words for k in keys):
            return label
    return None


def _actors(
    event: dict[str, Any], roles: Sequence[str], entities: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Entities (or stand-ins built from argument text) filling these roles."""
    ids: list[str] = []
    if "source" in roles:
        ids.extend(event.get("source_actors") or [])
    if "target" in roles or "victim" in roles:
        ids.extend(event.get("target_actors") or [])
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            continue
        seen.add(i)
        out.append(entities.get(i) or {"id": i, "name": i.split(":")[-1]})
    for arg in event.get("arguments") or []:
        if arg.get("role") in roles and not arg.get("entity"):
            out.append({"id": None, "name": str(arg.get("text") or ""), "kind": None})
    return out


def _is_armed(actor: dict[str, Any]) -> bool:
    if actor.get("kind") in ARMED_KINDS or actor.get("sector") in ARMED_SECTORS:
        return True
    ident = str(actor.get("id") or "")
    if "/" in ident and ident.split("/")[-1] in ARMED_SECTORS:
        return True
    words = set(str(actor.get("name") or "").lower().replace("-", " ").split())
    return bool(words & ARMED_WORDS)


def _is_state_force(actor: dict[str, Any]) -> bool:
    if actor.get("kind") in STATE_FORCE_KINDS or actor.get("sector") in STATE_FORCE_SECTORS:
        return True
    ident = str(actor.get("id") or "")
    return "/" in ident and ident.split("/")[-1] in STATE_FORCE_SECTORS


def _is_mob(actor: dict[str, Any]) -> bool:
    words = set(str(actor.get("name") or "").lower().split())
    return bool(words & MOB_WORDS)


def _territory_label(event: dict[str, Any], entities: dict[str, dict[str, Any]]) -> str:
    sources = _actors(event, ("source",), entities)
    if sources and all(_is_state_force(a) for a in sources):
        return "GOV_REGAINS_TERIT"
    return "NON_STATE_ACTOR_OVERTAKES_TER"


def _assault_label(event: dict[str, Any], entities: dict[str, dict[str, Any]]) -> str:
    mode = str(event.get("mode") or "").lower()
    contexts = _contexts(event)
    if event.get("hypothetical"):
        return "DISR_WEAP"  # a foiled or planned attack: ACLED's 'Disrupted weapons use'
    if "cbrn" in contexts:
        return "CHEM_WEAP"
    if mode in ASSAULT_MODE_LABELS:
        return ASSAULT_MODE_LABELS[mode]
    weapon = _weapon_label(event)
    if mode == "explosives":
        return weapon if weapon in ("GRENADE", "SUIC_BOMB", "CHEM_WEAP", "AIR_STRIKE") else "REM_EXPLOS"
    if not mode and weapon is not None:
        return weapon
    if "territory" in contexts:
        return _territory_label(event, entities)
    gtd = str(event.get("gtd_attack_type") or "")
    if not mode and gtd in GTD_LABELS:
        return GTD_LABELS[gtd]
    sources = _actors(event, ("source",), entities)
    targets = _actors(event, ("target", "victim", "physical_target"), entities)
    if sources and all(_is_mob(a) for a in sources):
        return "MOB_VIOL"
    # ACLED's 'Attack' is violence against civilians; armed people or military sites on the
    # receiving end (or several fighting parties and no target) make it an armed clash.
    two_sided = any(_is_armed(a) for a in targets) or (not targets and len(sources) >= 2)
    if two_sided or (mode == "firearms" and not targets):
        return "ARMED_CLASH"
    return "ATTACK"


def _coerce_label(event: dict[str, Any], entities: dict[str, dict[str, Any]]) -> str:
    mode = str(event.get("mode") or "").lower()
    if mode == "seize":
        if event.get("weapons") or any(a.get("role") == "weapon" for a in event.get("arguments") or []):
            return "DISR_WEAP"
        if "territory" in _contexts(event):
            return _territory_label(event, entities)
        return "OTHER"
    return COERCE_MODE_LABELS.get(mode, TYPE_LABELS["COERCE"] or FALLBACK_LABEL)


def to_acled_subtype(event: dict[str, Any], entities: dict[str, dict[str, Any]] | None = None) -> str | None:
    """The ACLED/CASE label one extracted PLOVER event stands for, or None (negated events,
    unknown types). ``entities`` is the document's entity index (id -> entity dict), used for
    the actor kinds; without it, actor ids and argument texts are all there is.

    Order of the rules: negated -> None; a crime/disaster context (unless the event also has a
    terrorism or military context) -> CONTEXT_LABELS; then by type: ASSAULT by
    hypothetical/cbrn/mode/weapons/territory/GTD type/actors, COERCE by mode, RETREAT, ACCUSE,
    SANCTION and PROTEST by their mode tables, anything else by TYPE_LABELS."""
    if event.get("negated"):
        return None
    ents = entities or {}
    etype = str(event.get("type") or "").upper()
    if etype not in TYPE_LABELS:
        return None
    contexts = _contexts(event)
    if not contexts & {"terrorism", "military"}:
        for ctx in sorted(contexts):
            if ctx in CONTEXT_LABELS:
                return CONTEXT_LABELS[ctx]
    mode = str(event.get("mode") or "").lower()
    if etype == "ASSAULT":
        return _assault_label(event, ents)
    if etype == "COERCE":
        return _coerce_label(event, ents)
    if etype == "RETREAT":
        return RETREAT_MODE_LABELS.get(mode, TYPE_LABELS["RETREAT"])
    if etype == "ACCUSE":
        return ACCUSE_MODE_LABELS.get(mode, TYPE_LABELS["ACCUSE"])
    if etype == "SANCTION":
        return SANCTION_MODE_LABELS.get(mode, TYPE_LABELS["SANCTION"])
    if etype == "PROTEST":
        return PROTEST_MODE_LABELS.get(mode, TYPE_LABELS["PROTEST"])
    return TYPE_LABELS[etype]


def _priority(label: str) -> int:
    return LABEL_PRIORITY.index(label) if label in LABEL_PRIORITY else len(LABEL_PRIORITY)


def snippet_subtype(
    events: Sequence[dict[str, Any]], entities: dict[str, dict[str, Any]] | None = None
) -> str | None:
    """One label for a snippet from all its events, or None when none maps.

    Historical (background) events are ignored when the snippet has a current one. Combination
    rules come first: a peaceful protest together with lethal state violence is
    FORCE_AGAINST_PROTEST, together with arrests or other coercion (or crowd-control) is
    PROTEST_WITH_INTER. Otherwise the label earliest in LABEL_PRIORITY wins."""
    current = [e for e in events if not e.get("historical")] or list(events)
    labelled = [(e, to_acled_subtype(e, entities)) for e in current]
    labels = [lab for _, lab in labelled if lab is not None]
    if not labels:
        return None
    if "PEACE_PROTEST" in labels:
        for event, label in labelled:
            if label is None or event.get("type") not in ("ASSAULT", "COERCE"):
                continue
            if event.get("type") == "ASSAULT" and (_killed(event) or event.get("mode") == "firearms"):
                return "FORCE_AGAINST_PROTEST"
            if event.get("type") == "COERCE" or label == "FORCE_AGAINST_PROTEST":
                return "PROTEST_WITH_INTER"
    return min(labels, key=_priority)


def _killed(event: dict[str, Any]) -> bool:
    killed = (event.get("casualties") or {}).get("killed") or {}
    return bool((killed.get("max") or killed.get("min") or 0) > 0) if isinstance(killed, dict) else False


# --------------------------------------------------------------------------- scoring


def classification_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, micro and macro P/R/F1, and per-class scores (fractions in [0, 1]).

    Macro averages run over the labels present in gold or predictions, as sklearn does."""
    labels = sorted(set(gold) | set(pred))
    tp: Counter[str] = Counter()
    n_pred: Counter[str] = Counter(pred)
    n_gold: Counter[str] = Counter(gold)
    for g, p in zip(gold, pred, strict=True):
        if g == p:
            tp[g] += 1
    per_class = {lab: {**prf(tp[lab], n_pred[lab], n_gold[lab]), "support": n_gold[lab]} for lab in labels}
    n = len(gold)
    correct = sum(tp.values())
    macro = {
        key: safe_div(sum(per_class[lab][key] for lab in labels), len(labels))
        for key in ("precision", "recall", "f1")
    }
    micro = prf(correct, n, n)
    return {
        "n": n,
        "accuracy": safe_div(correct, n),
        "micro": micro,
        "macro": macro,
        "per_class": per_class,
    }


def confusions(gold: Sequence[str], pred: Sequence[str]) -> dict[str, dict[str, int]]:
    """gold label -> predicted label -> count."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, pred, strict=True):
        table[g][p] += 1
    return {g: dict(c.most_common()) for g, c in sorted(table.items())}


def _pct_scores(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "n": s["n"],
        "accuracy": pct(s["accuracy"]),
        "micro_f1": pct(s["micro"]["f1"]),
        "macro_precision": pct(s["macro"]["precision"]),
        "macro_recall": pct(s["macro"]["recall"]),
        "macro_f1": pct(s["macro"]["f1"]),
    }


# --------------------------------------------------------------------------- data


def read_tsv(path: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(id, snippet, label) rows; the file has no quoting, so tabs split fields."""
    rows: list[tuple[str, str, str]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None:
            return rows
        for rec in reader:
            if len(rec) < 3 or not rec[0].strip():
                continue
            rows.append((rec[0].strip(), rec[1].strip(), rec[-1].strip()))
            if limit is not None and len(rows) >= limit:
                break
    return rows


def _subset(
    rows: Iterable[tuple[str, str, str, bool]], labels: frozenset[str]
) -> tuple[list[str], list[str]]:
    gold, pred = [], []
    for g, p, _, _ in rows:
        if g in labels:
            gold.append(g)
            pred.append(p)
    return gold, pred


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "data", nargs="?", type=Path, default=DEFAULT_DATA, help="TSV with id, EventSnippet, SubType"
    )
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument(
        "--show-errors", type=int, default=0, help="print N misclassified snippets (terminal only)"
    )
    ap.add_argument("--out", type=Path, default=results_path("case2021"))
    args = ap.parse_args(argv)

    if not args.data.exists():
        print(f"no such file: {args.data}", file=sys.stderr)
        return 2
    rows = read_tsv(args.data, args.limit)

    with Timer() as total:
        with Timer() as t_load:
            res = load_resources()
        with Timer() as t_extract:
            extracted = extract_texts(
                [(rid, text, None) for rid, text, _ in rows], res, batch_size=args.batch_size
            )
        scored: list[tuple[str, str, str, bool]] = []  # gold, pred, id, covered
        for (rid, _, gold), doc in zip(rows, extracted, strict=True):
            label = snippet_subtype(doc.get("events") or [], entity_index(doc))
            scored.append((gold, label or FALLBACK_LABEL, rid, label is not None))

    gold_all = [g for g, _, _, _ in scored]
    pred_all = [p for _, p, _, _ in scored]
    headline = classification_scores(gold_all, pred_all)
    by_subtask = {}
    for k, labels in SUBTASK_LABELS.items():
        sub_gold, sub_pred = _subset(scored, labels)
        by_subtask[f"subtask{k}"] = _pct_scores(classification_scores(sub_gold, sub_pred))
    covered = [(g, p) for g, p, _, c in scored if c]
    coverage = safe_div(len(covered), len(scored))
    covered_acc = safe_div(sum(1 for g, p in covered if g == p), len(covered))
    n_events = sum(len(d.get("events") or []) for d in extracted)
    conf = confusions(gold_all, pred_all)
    top_conf = Counter({(g, p): n for g, row in conf.items() for p, n in row.items() if g != p}).most_common(
        15
    )

    print(f"\nCASE 2021 task 2, {display_path(args.data)}, {len(rows)} snippets, {n_events} events extracted")
    print(
        f"coverage (labelled from an event): {pct(coverage):.2f}%   "
        f"accuracy on covered: {pct(covered_acc):.2f}%"
    )
    print(f"fallback label for the rest: {FALLBACK_LABEL}\n")
    print_table(
        ["rows", "n", "accuracy", "micro F1", "macro P", "macro R", "macro F1"],
        [
            [
                name,
                s["n"],
                s["accuracy"],
                s["micro_f1"],
                s["macro_precision"],
                s["macro_recall"],
                s["macro_f1"],
            ]
            for name, s in by_subtask.items()
        ],
    )
    print()
    per_class = headline["per_class"]
    print_table(
        ["class (all rows)", "P", "R", "F1", "support", "predicted"],
        [
            [
                lab,
                pct(s["precision"]),
                pct(s["recall"]),
                pct(s["f1"]),
                s["support"],
                sum(1 for p in pred_all if p == lab),
            ]
            for lab, s in sorted(per_class.items())
        ],
    )
    print("\nmost frequent confusions (gold -> predicted):")
    for (g, p), n in top_conf:
        print(f"  {n:4d}  {g} -> {p}")
    if args.show_errors:
        shown = 0
        for (rid, text, gold), (_, pred, _, _) in zip(rows, scored, strict=True):
            if gold != pred and shown < args.show_errors:
                print(f"\n[{rid}] gold {gold} / ours {pred}\n  {text[:300]}")
                shown += 1

    result = {
        "benchmark": "case2021-task2",
        "machine": machine_info(),
        "system": newsgraph_info(res),
        "data": {"path": display_path(args.data), "snippets": len(rows), "limit": args.limit, "half": "dev"},
        "fallback_label": FALLBACK_LABEL,
        "events_extracted": n_events,
        "coverage": pct(coverage),
        "accuracy_on_covered": pct(covered_acc),
        "scores": by_subtask,
        "per_class": {
            lab: {
                "precision": pct(s["precision"]),
                "recall": pct(s["recall"]),
                "f1": pct(s["f1"]),
                "support": s["support"],
            }
            for lab, s in sorted(per_class.items())
        },
        "top_confusions": [{"gold": g, "predicted": p, "n": n} for (g, p), n in top_conf],
        "confusion": conf,
        "published": None,
        "seconds": {"load": t_load.seconds, "extract": t_extract.seconds, "total": total.seconds},
    }
    out = write_results(args.out, result)
    print(f"\nwrote {display_path(out)}  ({total.seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
