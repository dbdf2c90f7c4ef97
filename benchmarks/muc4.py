"""MUC-4 role-filler entity extraction, scored with GRIT's CEAF-REE (dev set).

Data: ../shared/eval/muc4/grit/dev.json (TST1+TST2, 200 documents), GRIT's template-free format,
one JSON object a line: ``{"docid", "doctext", "extracts": {role: [entity, ...]}}`` where each
gold entity is a list of ``[mention_string, char_offset]`` pairs. The text is lower-cased with
newlines collapsed (that is how the dataset ships; our NER sees lower-cased text, which costs it
recall: see the report's notes).

What the extractor's events give each role (``arguments[]`` of the extract contract):

- only events that are MUC-4 incidents count: ASSAULT (attack, bombing, arson, kidnapping,
  murder), and COERCE events whose mode is a hostage-taking or kidnapping (``abduct``,
  ``hostage``, ``kidnap``) should an extractor code them there. Negated and hypothetical
  events are kept: MUC-4 keys include denied, attempted and threatened incidents.
- PerpInd: ``source`` arguments that name an individual or an unnamed group: the entity is a
  PERSON, of kind ``person`` or ``generic``, the argument has no entity, or the entity's mention
  at the argument span came from the generic-actor lexicon ("soldiers", "gunmen").
- PerpOrg: every other ``source`` argument (a named organization, armed group, party, state
  or part of one: "fmln", "armed forces").
- Target: ``physical_target`` arguments (falling back to the event's ``physical_targets[]``
  when it has no such argument).
- Victim: ``victim`` arguments and ``target`` arguments whose entity is a named PERSON. The
  gold Victim role is MUC's HUM TGT: NAME only (SOURCE.md), so unnamed victims ("a
  peasant") would all be false positives; ``--all-victims`` keeps them anyway (and also any
  victim/target argument whose entity is a person, generic or missing).
- Weapon: ``weapon`` arguments (falling back to the event's ``weapons[]`` strings).

Predicted entities per role and document: arguments that point at the same entity id are
one predicted entity; arguments without one are grouped by normalized text. Each predicted
entity is represented by the first of its strings in document order, so it is a one-mention
cluster, as GRIT's own predictions are.

Scoring is GRIT's ``eval.py`` (xinyadu/grit_doc_event_entity), re-implemented here without
numpy/scipy: mention strings are normalized (lower-cased, punctuation and the articles a/an/the
removed, whitespace collapsed); for each document and role, phi(gold entity, predicted
entity) = 1 when every predicted mention is one of the gold entity's mentions (``phi_strict``),
else 0; the predicted and gold entities are matched one-to-one to maximise the summed phi
(an optimal assignment, computed with the Hungarian algorithm in ``_common.py``, as GRIT does
with ``scipy.optimize.linear_sum_assignment``); P = matched / predicted, R = matched / gold,
summed over documents, per role and micro-averaged over the five roles.

Usage: python benchmarks/muc4.py [--split PATH] [--limit N] [--all-victims] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import string
import sys
from collections.abc import Sequence
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
    max_weight_assignment,
    newsgraph_info,
    overlap,
    pct,
    prf,
    print_table,
    results_path,
    write_results,
)

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
DEFAULT_SPLIT = eval_path("muc4", "grit", "dev.json")

INCIDENT_TYPES = frozenset({"ASSAULT"})
"""PLOVER types that are MUC-4 incidents whatever their mode."""
INCIDENT_MODES = {"COERCE": frozenset({"abduct", "hostage", "kidnap", "hostage-taking"})}
"""Other PLOVER types that are MUC-4 incidents only with one of these modes."""

INDIVIDUAL_KINDS = frozenset({"person", "generic"})
GENERIC_RULE_PREFIX = "lexicon:generic"

PUBLISHED_TEST: dict[str, Any] = {
    "GRIT": {
        "precision": 64.19,
        "recall": 47.36,
        "f1": 54.50,
        "source": "Du, Rush & Cardie (EACL 2021), CEAF-REE strict, MUC-4 TEST (TST3+TST4)",
    },
    "GTT": {
        "precision": 61.69,
        "recall": 42.36,
        "f1": 50.23,
        "source": "Du, Rush & Cardie (NAACL 2021), template F1, MUC-4 TEST (TST3+TST4)",
    },
    "note": (
        "Published scores are on the held-out TEST split with supervised models trained on MUC-4; "
        "ours is zero-shot on DEV (TST1+TST2). GTT's number is its own template-level metric, "
        "listed as the brief asks, not CEAF-REE."
    ),
}

# --------------------------------------------------------------------------- gold


def read_split(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """GRIT-format documents (JSON Lines despite the .json name)."""
    docs: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            docs.append(json.loads(line))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def gold_entities(doc: dict[str, Any]) -> dict[str, list[list[str]]]:
    """role -> gold entities, each a list of mention strings (empty entities dropped, as GRIT does)."""
    out: dict[str, list[list[str]]] = {}
    extracts = doc.get("extracts") or {}
    for role in ROLES:
        ents = []
        for entity in extracts.get(role) or []:
            mentions = [m[0] if isinstance(m, list) else str(m) for m in entity]
            if mentions:
                ents.append(mentions)
        out[role] = ents
    return out


# --------------------------------------------------------------------------- CEAF-REE

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCT = frozenset(string.punctuation)


def normalize_string(s: str) -> str:
    """GRIT's normalization: lower-case, drop punctuation, drop articles, collapse whitespace."""
    s = s.lower()
    s = "".join(ch for ch in s if ch not in _PUNCT)
    s = _ARTICLES.sub(" ", s)
    return " ".join(s.split())


def phi_strict(gold: Sequence[str], pred: Sequence[str]) -> float:
    """1 when every predicted mention is a mention of the gold entity (GRIT's ``phi_strict``)."""
    return 1.0 if all(m in gold for m in pred) else 0.0


def ceaf_role(pred: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> float:
    """Summed similarity of the optimal one-to-one matching of predicted to gold entities.

    Strings must already be normalized. Precision's denominator is ``len(pred)``, recall's
    ``len(gold)``."""
    if not pred or not gold:
        return 0.0
    scores = [[phi_strict(g, p) for p in pred] for g in gold]
    return sum(scores[i][j] for i, j in max_weight_assignment(scores))


def score_documents(
    preds: Sequence[dict[str, list[list[str]]]], golds: Sequence[dict[str, list[list[str]]]]
) -> dict[str, dict[str, float]]:
    """CEAF-REE per role and micro-averaged, with the raw numerators and denominators.

    Each item of ``preds``/``golds`` maps role -> entities -> mention strings (unnormalized)."""
    tally = {role: {"match": 0.0, "pred": 0, "gold": 0} for role in ROLES}
    for pred, gold in zip(preds, golds, strict=True):
        for role in ROLES:
            g = [[normalize_string(m) for m in ent] for ent in gold.get(role, [])]
            p = [[normalize_string(m) for m in ent] for ent in pred.get(role, [])]
            tally[role]["match"] += ceaf_role(p, g)
            tally[role]["pred"] += len(p)
            tally[role]["gold"] += len(g)
    out: dict[str, dict[str, float]] = {}
    for key in (*ROLES, "micro_avg"):
        if key == "micro_avg":
            match = sum(tally[r]["match"] for r in ROLES)
            n_pred = sum(tally[r]["pred"] for r in ROLES)
            n_gold = sum(tally[r]["gold"] for r in ROLES)
        else:
            match, n_pred, n_gold = tally[key]["match"], tally[key]["pred"], tally[key]["gold"]
        s = prf(match, n_pred, n_gold)
        out[key] = {
            "precision": pct(s["precision"]),
            "recall": pct(s["recall"]),
            "f1": pct(s["f1"]),
            "matched": match,
            "predicted": n_pred,
            "gold": n_gold,
        }
    return out


# --------------------------------------------------------------------------- predictions


def is_incident(event: dict[str, Any]) -> bool:
    """Whether a predicted event is a MUC-4 incident (attack, bombing, kidnapping, arson, ...)."""
    etype = event.get("type")
    if etype in INCIDENT_TYPES:
        return True
    modes = INCIDENT_MODES.get(str(etype))
    return modes is not None and str(event.get("mode") or "").lower() in modes


def _mention_rule_at(entity: dict[str, Any], start: int | None, end: int | None) -> str | None:
    if start is None or end is None:
        return None
    for m in entity.get("mentions") or []:
        if overlap(m.get("start", -1), m.get("end", -1), start, end) > 0:
            return str(m.get("rule") or "")
    return None


def is_individual(arg: dict[str, Any], entities: dict[str, dict[str, Any]]) -> bool:
    """Whether a source argument is an individual/unnamed perpetrator (PerpInd) rather than a
    named organization (PerpOrg)."""
    ent = entities.get(arg.get("entity") or "")
    if ent is None:
        return True
    if ent.get("type") == "PERSON" or ent.get("kind") in INDIVIDUAL_KINDS:
        return True
    rule = _mention_rule_at(ent, arg.get("start"), arg.get("end"))
    return rule is not None and rule.startswith(GENERIC_RULE_PREFIX)


def is_named_person(arg: dict[str, Any], entities: dict[str, dict[str, Any]]) -> bool:
    ent = entities.get(arg.get("entity") or "")
    if ent is None or ent.get("type") != "PERSON":
        return False
    rule = _mention_rule_at(ent, arg.get("start"), arg.get("end"))
    return not (rule is not None and rule.startswith(GENERIC_RULE_PREFIX))


def _is_person_like(arg: dict[str, Any], entities: dict[str, dict[str, Any]]) -> bool:
    ent = entities.get(arg.get("entity") or "")
    return ent is None or ent.get("type") == "PERSON" or ent.get("kind") in INDIVIDUAL_KINDS


def is_victim(arg: dict[str, Any], entities: dict[str, dict[str, Any]], all_victims: bool) -> bool:
    """Whether a victim/target argument fills MUC's Victim role: a named person; with
    ``all_victims``, also any victim argument and any person-like or entity-less target."""
    if is_named_person(arg, entities):
        return True
    return all_victims and (arg.get("role") == "victim" or _is_person_like(arg, entities))


def predicted_roles(doc: dict[str, Any], all_victims: bool = False) -> dict[str, list[list[str]]]:
    """role -> predicted entities (one-mention clusters) for one extracted document."""
    entities = entity_index(doc)
    # role -> key -> (first start, text)
    found: dict[str, dict[str, tuple[int, str]]] = {role: {} for role in ROLES}

    def add(role: str, text: str, start: int | None, entity: str | None) -> None:
        text = " ".join((text or "").split())
        if not normalize_string(text):
            return
        key = f"id:{entity}" if entity else f"text:{normalize_string(text)}"
        pos = start if isinstance(start, int) else 10**9
        prev = found[role].get(key)
        if prev is None or pos < prev[0]:
            found[role][key] = (pos, text)

    for event in doc.get("events") or []:
        if not is_incident(event):
            continue
        args = event.get("arguments") or []
        for arg in args:
            role = arg.get("role")
            text, start, ent = arg.get("text") or "", arg.get("start"), arg.get("entity")
            if role == "source":
                add("PerpInd" if is_individual(arg, entities) else "PerpOrg", text, start, ent)
            elif role == "physical_target":
                add("Target", text, start, ent)
            elif role == "weapon":
                add("Weapon", text, start, ent)
            elif role in ("victim", "target") and is_victim(arg, entities, all_victims):
                add("Victim", text, start, ent)
        if not any(a.get("role") == "physical_target" for a in args):
            for pt in event.get("physical_targets") or []:
                add("Target", pt.get("text") or "", pt.get("start"), None)
        if not any(a.get("role") == "weapon" for a in args):
            for w in event.get("weapons") or []:
                add("Weapon", str(w), None, None)

    return {role: [[text] for _, text in sorted(found[role].values(), key=lambda x: x[0])] for role in ROLES}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", type=Path, default=DEFAULT_SPLIT, help="GRIT-format JSONL file")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    ap.add_argument("--all-victims", action="store_true", help="also predict unnamed victims")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--out", type=Path, default=results_path("muc4"))
    args = ap.parse_args(argv)

    if not args.split.exists():
        print(f"no such file: {args.split}", file=sys.stderr)
        return 2
    docs = read_split(args.split, args.limit)
    golds = [gold_entities(d) for d in docs]

    with Timer() as total:
        with Timer() as t_load:
            res = load_resources()
        with Timer() as t_extract:
            extracted = extract_texts(
                [(str(d["docid"]), d["doctext"], None) for d in docs], res, batch_size=args.batch_size
            )
        preds = [predicted_roles(x, args.all_victims) for x in extracted]
        scores = score_documents(preds, golds)

    n_events = sum(len(x.get("events") or []) for x in extracted)
    n_incidents = sum(1 for x in extracted for e in x.get("events") or [] if is_incident(e))
    failures = [x["doc_id"] for x in extracted if "error" in x]

    print(f"\nMUC-4 CEAF-REE (strict), {display_path(args.split)}, {len(docs)} documents")
    print(f"events predicted: {n_events}, of them MUC incidents: {n_incidents}\n")
    print_table(
        ["role", "P", "R", "F1", "matched", "pred", "gold"],
        [
            [
                role,
                s["precision"],
                s["recall"],
                s["f1"],
                round(s["matched"], 2),
                s["predicted"],
                s["gold"],
            ]
            for role, s in scores.items()
        ],
    )
    print()
    print("published, on TEST (ours is DEV, zero-shot):")
    for name in ("GRIT", "GTT"):
        ref = PUBLISHED_TEST[name]
        print(f"  {name:5s} P {ref['precision']:.2f}  R {ref['recall']:.2f}  F1 {ref['f1']:.2f}")
    print(
        f"  ours  P {scores['micro_avg']['precision']:.2f}  R {scores['micro_avg']['recall']:.2f}  "
        f"F1 {scores['micro_avg']['f1']:.2f}  ({args.split.stem})"
    )
    if failures:
        print(f"extraction failed on {len(failures)} documents", file=sys.stderr)

    result = {
        "benchmark": "muc4-ceaf-ree",
        "machine": machine_info(),
        "system": newsgraph_info(res),
        "data": {
            "path": display_path(args.split),
            "documents": len(docs),
            "limit": args.limit,
            "gold_entities": {role: scores[role]["gold"] for role in ROLES},
        },
        "settings": {
            "incident_types": sorted(INCIDENT_TYPES),
            "incident_modes": {k: sorted(v) for k, v in INCIDENT_MODES.items()},
            "all_victims": args.all_victims,
            "similarity": "phi_strict on GRIT-normalized strings; optimal one-to-one assignment",
        },
        "events_predicted": n_events,
        "incident_events": n_incidents,
        "extraction_failures": failures,
        "scores": scores,
        "published_test": PUBLISHED_TEST,
        "seconds": {"load": t_load.seconds, "extract": t_extract.seconds, "total": total.seconds},
    }
    out = write_results(args.out, result)
    print(f"\nwrote {display_path(out)}  ({total.seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
