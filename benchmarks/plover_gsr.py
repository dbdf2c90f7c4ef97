"""PLOVER gold standard records (GSR): event type and actor accuracy, dev half.

Data: ../shared/eval/plover/PLOVER_GSR_CAMEO.txt, a JSON array (despite the name) of one-sentence
records taken from the CAMEO manual's examples and coded with PLOVER 0.5b1 (2016); the dev half
holds 179 event records after the leading DOCUMENT record (SOURCE.md).

Labels. The GSR uses the 0.5b1 category names; the PLOVER 2.0 manual's CAMEO-to-PLOVER table
(section 7.2, Table 7.1) maps them to the current ones:

=============  ==========  ==========================================================
GSR (0.5b1)    PLOVER 2.0  basis
=============  ==========  ==========================================================
DEMAND         REQUEST     Table 7.1: "10 DEMAND -> REQUEST"
DISAPPROVE     ACCUSE      Table 7.1: "11 DISAPPROVE -> ACCUSE" (mode disapprove)
INVESTIGATE    ACCUSE      Table 7.1: "09 INVESTIGATE -> ACCUSE" (mode investigate)
FIGHT          ASSAULT     Table 7.1: "19 FIGHT -> ASSAULT"
all others     unchanged   AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REJECT
                           THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT keep their names
=============  ==========  ==========================================================

YIELD (CAMEO 08, split between CONCEDE and RETREAT) and ENGAGE do not occur in the GSR: it
already uses CONCEDE and RETREAT. The mapping is by type only, as Table 7.1's note 2 advises;
the records' own 0.5b1 modes are not used. Two dev records carry a label that disagrees with the
category in their own id (PLOVER-GSR01-COERCE-0002, FIGHT/deport, "forced out from homes", which
2.0 would code COERCE deport; PLOVER-GSR01-SANCTION-0010, FIGHT, "closed borders"); they are
scored on their ``event`` label as given (ASSAULT) and listed in the results.

Per record: the extractor runs on ``text``; the predicted event whose trigger overlaps the gold
event words (the ``(EVT: ...)`` spans of ``textInfo.markup``, located in ``text``) by the most
characters is taken, then the one whose evidence overlaps them most, then the most confident;
when nothing overlaps, the most confident event. A record with no predicted event is wrong on
every count.

- type accuracy: the chosen event's type equals the mapped gold type;
- source / target accuracy, over records whose gold source / target is not empty: every gold
  actor of that side is matched by the chosen event's actors of that side (sources:
  ``source_actors`` and ``source`` arguments; targets: ``target_actors`` and ``target``/``victim``
  arguments). A gold actor ``{actorText, code, sector}`` is matched when
  (a) its code is a state (ISO 3166 alpha-3, after fixing the GSR's JAP->JPN, ITL->ITA,
      VTN->VNM) and a predicted entity's country or id prefix (``RUS`` of ``RUS/GOV``) is it; or
  (b) the gold actorText's place in the text overlaps a predicted argument span or a mention of
      a predicted actor entity; or
  (c) the actorText contains a predicted entity's name or argument text, or is contained in it
      (case-insensitive), which is how non-state codes (IGO, NGO, IMG, ISM) are compared.
  Sectors (GOV, MIL, REB, ...) are not compared. ``any`` variants count a record right when at
  least one gold actor of the side matches; actor-level recall is given too.

Targets from the brief: type 0.80, actor 0.70.

Usage: python benchmarks/plover_gsr.py [PATH] [--limit N] [--out PATH] [--show-errors N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
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
    find_ci,
    load_resources,
    machine_info,
    newsgraph_info,
    overlap,
    pct,
    print_table,
    results_path,
    safe_div,
    write_results,
)

DEFAULT_DATA = eval_path("plover", "PLOVER_GSR_CAMEO.txt")

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
OLD_TO_V2 = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
"""PLOVER 0.5b1 names -> PLOVER 2.0 (manual, Table 7.1)."""

CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
"""GSR country codes that are not ISO 3166 alpha-3 (CAMEO-era spellings)."""

NON_STATE_CODES = frozenset({"IGO", "NGO", "IMG", "ISM", "MNC", "UNO", "REB"})

TARGETS = {"type_accuracy": 80.0, "actor_accuracy": 70.0}

_MARKUP = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC): ")


def map_label(label: str) -> str | None:
    """A GSR event label in PLOVER 2.0, or None when it is not an event type."""
    label = label.strip().upper()
    label = OLD_TO_V2.get(label, label)
    return label if label in PLOVER_TYPES else None


def normalize_code(code: str) -> str:
    code = (code or "").strip().upper()
    return CODE_FIXES.get(code, code)


def is_state_code(code: str) -> bool:
    """ISO 3166 alpha-3 (pycountry when installed; else any three letters not a CAMEO group code)."""
    code = normalize_code(code)
    if code in NON_STATE_CODES or not re.fullmatch(r"[A-Z]{3}", code):
        return False
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a dependency of newsgraph
        return True
    return pycountry.countries.get(alpha_3=code) is not None


def strip_markup(markup: str) -> str:
    """The plain text of a markup string: ``(TAG: `` openers and their closing parentheses
    removed, ordinary parentheses kept."""
    out: list[str] = []
    stack: list[bool] = []  # True for a tag's parenthesis
    i = 0
    while i < len(markup):
        m = _MARKUP.match(markup, i)
        if m:
            stack.append(True)
            i = m.end()
            continue
        ch = markup[i]
        if ch == "(":
            stack.append(False)
        elif ch == ")" and stack and stack.pop():
            i += 1  # the closing parenthesis of a tag
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def markup_segments(markup: str) -> list[tuple[str, str]]:
    """(tag, text) for each ``(TAG: text)`` of a GSR markup string; nested parentheses inside
    a segment ("(SRC: Azadliq (Freedom) coalition)") and nested tags are handled."""
    out: list[tuple[str, str]] = []
    for m in _MARKUP.finditer(markup):
        depth = 1
        i = m.end()
        while i < len(markup):
            if markup[i] == "(":
                depth += 1
            elif markup[i] == ")":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        out.append((m.group(1), strip_markup(markup[m.end() : i]).strip()))
    return out


def event_word_spans(record: dict[str, Any]) -> list[tuple[int, int]]:
    """Where the gold event words are in ``text``: the markup's EVT segments found in order
    (case-insensitive); failing that, the words of ``eventText``."""
    text = record.get("text") or ""
    segs = [
        s for tag, s in markup_segments((record.get("textInfo") or {}).get("markup") or "") if tag == "EVT"
    ]
    if not segs:
        segs = str(record.get("eventText") or "").split()
    spans: list[tuple[int, int]] = []
    cursor = 0
    for seg in segs:
        hit = find_ci(text, seg, cursor) or find_ci(text, seg)
        if hit:
            spans.append(hit)
            cursor = hit[1]
    return spans


def gold_actors(record: dict[str, Any], side: str) -> list[dict[str, Any]]:
    value = record.get(side)
    if not isinstance(value, list):
        return []
    return [a for a in value if isinstance(a, dict) and (a.get("actorText") or a.get("code"))]


# --------------------------------------------------------------------------- choosing and matching


def choose_event(
    events: Sequence[dict[str, Any]], gold_spans: Sequence[tuple[int, int]]
) -> dict[str, Any] | None:
    """The predicted event that best overlaps the gold event words (see the module docstring)."""
    if not events:
        return None

    def key(ev: dict[str, Any]) -> tuple[int, int, float]:
        trig = ev.get("trigger") or {}
        t = 0
        if isinstance(trig.get("start"), int) and isinstance(trig.get("end"), int):
            t = sum(overlap(trig["start"], trig["end"], s, e) for s, e in gold_spans)
        evid = sum(
            overlap(x.get("start", 0), x.get("end", 0), s, e)
            for x in ev.get("evidence") or []
            for s, e in gold_spans
        )
        return t, evid, float(ev.get("confidence") or 0.0)

    return max(events, key=key)


def predicted_side(
    event: dict[str, Any], side: str, entities: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(entities, argument spans) the event gives one side ('source' or 'target')."""
    ids = list(event.get("source_actors" if side == "source" else "target_actors") or [])
    roles = ("source",) if side == "source" else ("target", "victim")
    args = [a for a in event.get("arguments") or [] if a.get("role") in roles]
    for a in args:
        if a.get("entity") and a["entity"] not in ids:
            ids.append(a["entity"])
    ents = [entities.get(i) or {"id": i, "name": "", "mentions": []} for i in ids]
    return ents, args


def _contains(a: str, b: str) -> bool:
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    if len(a) < 2 or len(b) < 2:
        return False
    return a in b or b in a


def actor_matches(
    gold: dict[str, Any],
    text: str,
    ents: Sequence[dict[str, Any]],
    args: Sequence[dict[str, Any]],
) -> bool:
    """Whether one gold actor is matched by a side's predicted entities and argument spans."""
    code = normalize_code(str(gold.get("code") or ""))
    actor_text = str(gold.get("actorText") or "").strip()
    if is_state_code(code):
        for e in ents:
            ident = str(e.get("id") or "")
            if e.get("country") == code or ident.split("/")[0] == code:
                return True
    if actor_text:
        hit = find_ci(text, actor_text)
        if hit is not None:
            s, t = hit
            for a in args:
                if isinstance(a.get("start"), int) and overlap(a["start"], a.get("end", a["start"]), s, t):
                    return True
            for e in ents:
                for m in e.get("mentions") or []:
                    if overlap(m.get("start", -1), m.get("end", -1), s, t):
                        return True
        for e in ents:
            if e.get("name") and _contains(str(e["name"]), actor_text):
                return True
        for a in args:
            if a.get("text") and _contains(str(a["text"]), actor_text):
                return True
    return False


def score_record(record: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    """Everything measured on one GSR record given its extraction."""
    gold_type = map_label(str(record.get("event") or ""))
    text = record.get("text") or ""
    spans = event_word_spans(record)
    event = choose_event(doc.get("events") or [], spans)
    entities = entity_index(doc)
    out: dict[str, Any] = {
        "id": record.get("id"),
        "gold_type": gold_type,
        "gold_label": record.get("event"),
        "pred_type": event.get("type") if event is not None else None,
        "type_ok": event is not None and event.get("type") == gold_type,
        "n_events": len(doc.get("events") or []),
    }
    for side in ("source", "target"):
        golds = gold_actors(record, side)
        ents: list[dict[str, Any]] = []
        args: list[dict[str, Any]] = []
        if event is not None:
            ents, args = predicted_side(event, side, entities)
        hits = [actor_matches(g, text, ents, args) for g in golds]
        out[side] = {
            "gold": len(golds),
            "matched": sum(hits),
            "all": bool(golds) and all(hits),
            "any": any(hits),
            "predicted": len(ents) + sum(1 for a in args if not a.get("entity")),
        }
    return out


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    out: dict[str, Any] = {
        "records": n,
        "type_accuracy": pct(safe_div(sum(r["type_ok"] for r in rows), n)),
        "no_event": sum(1 for r in rows if r["pred_type"] is None),
    }
    for side in ("source", "target"):
        scored = [r for r in rows if r[side]["gold"]]
        m = len(scored)
        out[f"{side}_records"] = m
        out[f"{side}_accuracy"] = pct(safe_div(sum(r[side]["all"] for r in scored), m))
        out[f"{side}_accuracy_any"] = pct(safe_div(sum(r[side]["any"] for r in scored), m))
        out[f"{side}_actor_recall"] = pct(
            safe_div(sum(r[side]["matched"] for r in scored), sum(r[side]["gold"] for r in scored))
        )
    out["target_predicted_where_gold_has_none"] = sum(
        1 for r in rows if not r["target"]["gold"] and r["target"]["predicted"]
    )
    return out


def questionable_records(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records whose label disagrees with the category in their own id
    (``PLOVER-GSR01-SANCTION-0010`` labelled FIGHT); they are scored on ``event`` as given."""
    out = []
    for rec in records:
        parts = str(rec.get("id") or "").split("-")
        label = str(rec.get("event") or "").upper()
        if len(parts) >= 3 and parts[2].upper() != label:
            out.append(
                {
                    "id": rec.get("id"),
                    "event": rec.get("event"),
                    "mode": rec.get("mode"),
                    "why": f"its id names {parts[2]}; scored as {map_label(label)}",
                }
            )
    return out


# --------------------------------------------------------------------------- main


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    records = [r for r in data if isinstance(r, dict) and str(r.get("event")).upper() != "DOCUMENT"]
    return records[:limit] if limit is not None else records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument(
        "--show-errors", type=int, default=0, help="print N records with a wrong type (terminal only)"
    )
    ap.add_argument("--out", type=Path, default=results_path("plover_gsr"))
    args = ap.parse_args(argv)

    if not args.data.exists():
        print(f"no such file: {args.data}", file=sys.stderr)
        return 2
    records = read_records(args.data, args.limit)
    unmapped = Counter(str(r.get("event")) for r in records if map_label(str(r.get("event") or "")) is None)
    records = [r for r in records if map_label(str(r.get("event") or "")) is not None]

    with Timer() as total:
        with Timer() as t_load:
            res = load_resources()
        with Timer() as t_extract:
            extracted = extract_texts(
                [(str(r.get("id")), str(r.get("text") or ""), None) for r in records],
                res,
                batch_size=args.batch_size,
            )
        rows = [score_record(r, d) for r, d in zip(records, extracted, strict=True)]

    overall = summarize(rows)
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_type[r["gold_type"]].append(r)
    per_type = {t: summarize(rs) for t, rs in sorted(by_type.items())}
    confusion: dict[str, dict[str, int]] = {}
    for t, rs in sorted(by_type.items()):
        confusion[t] = dict(Counter(str(r["pred_type"]) for r in rs).most_common())
    label_counts = Counter(
        f"{r['gold_label']}->{r['gold_type']}" for r in rows if r["gold_label"] != r["gold_type"]
    )
    odd = questionable_records(records)

    print(f"\nPLOVER GSR, {display_path(args.data)}, {len(rows)} records")
    print(f"old labels mapped: {dict(label_counts)}")
    for q in odd:
        print(f"note: {q['id']} is labelled {q['event']} (mode {q['mode']}): {q['why']}")
    if unmapped:
        print(f"records skipped (label not a PLOVER 2.0 type): {dict(unmapped)}")
    print()
    print_table(
        ["metric", "ours", "target"],
        [
            ["type accuracy", overall["type_accuracy"], TARGETS["type_accuracy"]],
            ["source accuracy", overall["source_accuracy"], TARGETS["actor_accuracy"]],
            ["target accuracy", overall["target_accuracy"], TARGETS["actor_accuracy"]],
            ["source accuracy (any actor)", overall["source_accuracy_any"], None],
            ["target accuracy (any actor)", overall["target_accuracy_any"], None],
            ["source actor recall", overall["source_actor_recall"], None],
            ["target actor recall", overall["target_actor_recall"], None],
        ],
    )
    print(f"records with no predicted event: {overall['no_event']}")
    print()
    print_table(
        ["gold type", "n", "type acc", "src acc", "tgt acc", "predicted types"],
        [
            [
                t,
                s["records"],
                s["type_accuracy"],
                s["source_accuracy"] if s["source_records"] else None,
                s["target_accuracy"] if s["target_records"] else None,
                ", ".join(f"{k}:{v}" for k, v in confusion[t].items()),
            ]
            for t, s in per_type.items()
        ],
    )
    if args.show_errors:
        shown = 0
        for r, rec in zip(rows, records, strict=True):
            if not r["type_ok"] and shown < args.show_errors:
                print(f"\n[{r['id']}] gold {r['gold_type']} ({rec.get('eventText')}) / ours {r['pred_type']}")
                print(f"  {str(rec.get('text'))[:300]}")
                shown += 1

    result = {
        "benchmark": "plover-gsr",
        "machine": machine_info(),
        "system": newsgraph_info(res),
        "data": {
            "path": display_path(args.data),
            "records": len(rows),
            "limit": args.limit,
            "half": "dev",
            "skipped_labels": dict(unmapped),
        },
        "label_mapping": OLD_TO_V2,
        "code_fixes": CODE_FIXES,
        "targets": TARGETS,
        "scores": overall,
        "per_type": per_type,
        "type_confusion": confusion,
        "questionable_records": odd,
        "seconds": {"load": t_load.seconds, "extract": t_extract.seconds, "total": total.seconds},
    }
    out = write_results(args.out, result)
    print(f"\nwrote {display_path(out)}  ({total.seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
