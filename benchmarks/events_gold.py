"""Events and entities of the bundled sample corpus (data/sample) against its hand-written gold.

Data: ``data/sample/gold/*.json`` (format in ``data/sample/gold/SCHEMA.md``), one file per
article; ``feed.<row>.json`` annotates row ``row`` (0-based) of ``feed.jsonl``. Each article goes
through the same database-free path as ``newsgraph extract`` (``pipeline.extract_paths``), whose
feed rows are named ``feed.jsonl#row=N`` with N counted from 1.

Events. A gold event's ``evidence`` is located in the extracted text (exactly; else with
whitespace runs collapsed, for the hard-wrapped files; else on letters and digits only, in case
cleaning changed hyphenation or quote marks). A predicted event can match a gold event when
their types are equal and the gold evidence overlaps the predicted event's trigger or one of
its evidence spans; gold and predicted events are then matched one-to-one by an optimal
assignment that maximises the number of pairs (ties broken towards a trigger inside the gold
evidence and a larger overlap). Detection P/R/F1 is reported overall and per type, and also
ignoring the type (same matching without the type condition) with the type accuracy of those
pairs, which separates "missed" from "found but typed wrong".

For the matched (same type) pairs, each field's accuracy:
- ``mode``, ``gtd_attack_type``, ``negated``, ``hypothetical``, ``historical``: equal (null = null);
- ``date``: the predicted ``date.start`` cut to the gold precision equals the gold date
  (``2024-03`` vs ``2024-03-15`` is right); a null gold date wants no predicted start;
- ``location``: the predicted location's name equals the gold one (case-insensitive), and,
  separately, its country equals the gold ``country`` (null = null);
- ``killed``/``injured``: the gold number lies in the predicted [min, max]; null wants null;
  given over all pairs and over the pairs whose gold number is not null;
- ``source_actors``/``target_actors``: micro set P/R/F1 of gold names against the predicted
  actors, matched one-to-one; a gold name matches a predicted actor when it equals (case-
  insensitive) the entity's name or one of its mentions, or, for unnamed actors, when one of
  the phrases contains the other as whole words ("gunmen" / "two gunmen"). Predicted targets are
  ``target_actors`` plus ``target``/``victim`` arguments without an entity, likewise sources;
- ``weapons``: micro set P/R/F1, same containment rule.

Entities. Gold entities against predicted ones, excluding predicted ``generic`` entities (the
gold leaves unnamed actors out). A pair can match when the predicted name equals the gold name
or one of the gold mentions, or they share a mention string (case-insensitive); matched one-to-
one, maximising pairs then shared mentions. P/R/F1, recall per gold type, type agreement of
matched pairs, and id accuracy over the gold entities that have an id (an unmatched one counts
as wrong): exact (entity id or wikidata equals the gold id) and lenient (also the state prefix
of a state-part id: ``RUS`` of ``RUS/GOV``).
Predicted entities in site chrome (navigation, "Related" lists) count as false positives,
since the gold does not annotate chrome.

Usage: python benchmarks/events_gold.py [SAMPLE_DIR] [--out PATH] [--show-errors N]
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
    ROOT,
    Timer,
    display_path,
    entity_index,
    event_spans,
    load_resources,
    locate,
    machine_info,
    max_weight_assignment,
    newsgraph_info,
    overlap,
    pct,
    prf_pct,
    print_table,
    results_path,
    safe_div,
    write_results,
)

DEFAULT_SAMPLE = ROOT / "data" / "sample"
EQUAL_FIELDS = ("mode", "gtd_attack_type", "negated", "hypothetical", "historical")

# --------------------------------------------------------------------------- loading


def load_gold(sample_dir: Path) -> list[dict[str, Any]]:
    """Every gold file, with ``_file`` set to its name."""
    out = []
    for path in sorted((sample_dir / "gold").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


def doc_key(source: str) -> tuple[str, int | None]:
    """(file name, 0-based row or None) for an extraction's ``source`` (``feed.jsonl#row=N``,
    N 1-based)."""
    path, _, row = source.partition("#row=")
    return Path(path).name, (int(row) - 1 if row.isdigit() else None)


def extract_sample(
    sample_dir: Path, golds: Sequence[dict[str, Any]], res: Any
) -> dict[tuple[str, int | None], Any]:
    """Extract every article a gold file names; results keyed by (file name, 0-based row).
    Read errors are kept as ``{"error": reason}``."""
    from newsgraph.ingest.readers import ReaderOptions
    from newsgraph.pipeline import extract_paths

    paths = sorted({str(sample_dir / g["source"]) for g in golds})
    out: dict[tuple[str, int | None], Any] = {}
    for item in extract_paths(paths, res, ReaderOptions()):
        if hasattr(item, "to_contract"):
            out[doc_key(item.document.source)] = item.to_contract()
        else:
            out[doc_key(item.source)] = {"error": item.reason}
    return out


# --------------------------------------------------------------------------- string matching


def _fold(s: str) -> str:
    return " ".join(str(s).casefold().replace("’", "'").split())


def phrase_match(a: str, b: str) -> bool:
    """Equal (case-insensitive), or one contains the other as whole words."""
    a, b = _fold(a), _fold(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return re.search(r"(?<!\w)" + re.escape(short) + r"(?!\w)", long) is not None


def set_match(gold: Sequence[str], pred: Sequence[Sequence[str]]) -> int:
    """Size of the largest one-to-one matching of gold strings to predicted items, each item
    being the strings that name it (an entity's name and mentions)."""
    if not gold or not pred:
        return 0
    weights = [[1.0 if any(phrase_match(g, s) for s in names) else 0.0 for names in pred] for g in gold]
    return len(max_weight_assignment(weights))


# --------------------------------------------------------------------------- events


def predicted_actor_names(
    event: dict[str, Any], side: str, entities: dict[str, dict[str, Any]]
) -> list[list[str]]:
    """One list of names per predicted actor on a side ('source' or 'target')."""
    ids = event.get("source_actors" if side == "source" else "target_actors") or []
    roles = ("source",) if side == "source" else ("target", "victim")
    out: list[list[str]] = []
    for i in ids:
        ent = entities.get(i)
        if ent is None:
            out.append([str(i).split(":")[-1].replace("-", " ")])
            continue
        names = [str(ent.get("name") or "")] + [str(m.get("text") or "") for m in ent.get("mentions") or []]
        out.append([n for n in names if n])
    for arg in event.get("arguments") or []:
        if arg.get("role") in roles and not arg.get("entity") and arg.get("text"):
            out.append([str(arg["text"])])
    return out


def pair_weight(gold_span: tuple[int, int] | None, gold_type: str | None, pred: dict[str, Any]) -> float:
    """Weight of a candidate (gold, predicted) event pair: 0 when they cannot match, else 1 plus
    small tie-breakers. ``gold_type`` None ignores the type."""
    if gold_span is None or (gold_type is not None and pred.get("type") != gold_type):
        return 0.0
    gs, ge = gold_span
    spans = event_spans(pred)
    ov = max((overlap(s, e, gs, ge) for s, e in spans), default=0)
    if ov <= 0:
        return 0.0
    trig = pred.get("trigger") or {}
    inside = (
        isinstance(trig.get("start"), int)
        and overlap(trig["start"], trig.get("end", trig["start"]), gs, ge) > 0
    )
    return 1.0 + (0.005 if inside else 0.0) + 0.004 * safe_div(ov, ge - gs)


def match_events(
    gold_spans: Sequence[tuple[int, int] | None],
    gold_types: Sequence[str | None],
    preds: Sequence[dict[str, Any]],
) -> list[tuple[int, int]]:
    """Optimal one-to-one (gold index, predicted index) pairs."""
    if not gold_spans or not preds:
        return []
    weights = [[pair_weight(s, t, p) for p in preds] for s, t in zip(gold_spans, gold_types, strict=True)]
    return max_weight_assignment(weights)


def date_ok(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    gdate = gold.get("date")
    start = (pred.get("date") or {}).get("start")
    if not gdate:
        return not start
    return bool(start) and str(start)[: len(str(gdate))] == str(gdate)


def location_name_ok(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    name = (pred.get("location") or {}).get("name")
    if not gold.get("location"):
        return not name
    return bool(name) and _fold(str(name)) == _fold(str(gold["location"]))


def location_country_ok(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    country = (pred.get("location") or {}).get("country")
    if not gold.get("country"):
        return not country
    return country == gold["country"]


def number_ok(gold_value: int | None, pred_value: dict[str, Any] | None) -> bool:
    """Gold count within the predicted [min, max]; a null gold wants a null prediction."""
    if gold_value is None:
        return pred_value is None
    if not pred_value:
        return False
    lo, hi = pred_value.get("min"), pred_value.get("max")
    lo = hi if lo is None else lo
    hi = lo if hi is None else hi
    return lo is not None and hi is not None and lo <= gold_value <= hi


class FieldTally:
    """Right/total per field, plus set-F1 counts."""

    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.sets: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, name: str, ok: bool) -> None:
        self.total[name] += 1
        self.right[name] += int(ok)

    def add_set(self, name: str, tp: int, n_pred: int, n_gold: int) -> None:
        c = self.sets[name]
        c["tp"] += tp
        c["pred"] += n_pred
        c["gold"] += n_gold

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            name: {"accuracy": pct(safe_div(self.right[name], self.total[name])), "n": self.total[name]}
            for name in sorted(self.total)
        }
        for name, c in sorted(self.sets.items()):
            out[name] = prf_pct(c["tp"], c["pred"], c["gold"])
        return out


def score_pair_fields(
    gold: dict[str, Any], pred: dict[str, Any], entities: dict[str, dict[str, Any]], tally: FieldTally
) -> None:
    for f in EQUAL_FIELDS:
        g = gold.get(f)
        p = pred.get(f)
        if f in ("negated", "hypothetical", "historical"):
            g, p = bool(g), bool(p)
        tally.add(f, g == p)
    tally.add("date", date_ok(gold, pred))
    if gold.get("date"):
        tally.add("date (gold not null)", date_ok(gold, pred))
    tally.add("location_name", location_name_ok(gold, pred))
    tally.add("location_country", location_country_ok(gold, pred))
    cas = pred.get("casualties") or {}
    for f in ("killed", "injured"):
        ok = number_ok(gold.get(f), cas.get(f))
        tally.add(f, ok)
        if gold.get(f) is not None:
            tally.add(f"{f} (gold not null)", ok)
    for side in ("source", "target"):
        gnames = [str(x) for x in gold.get(f"{side}_actors") or []]
        pnames = predicted_actor_names(pred, side, entities)
        tally.add_set(f"{side}_actors", set_match(gnames, pnames), len(pnames), len(gnames))
    gw = [str(w) for w in gold.get("weapons") or []]
    pw = [[str(w)] for w in pred.get("weapons") or []]
    tally.add_set("weapons", set_match(gw, pw), len(pw), len(gw))


# --------------------------------------------------------------------------- entities


def entity_pair_weight(gold: dict[str, Any], pred: dict[str, Any]) -> float:
    gnames = {_fold(gold.get("name") or "")} | {_fold(m) for m in gold.get("mentions") or []}
    gnames.discard("")
    pmentions = {_fold(m.get("text") or "") for m in pred.get("mentions") or []}
    pmentions.discard("")
    pname = _fold(pred.get("name") or "")
    shared = len(pmentions & gnames)
    if pname not in gnames and not shared:
        return 0.0
    return 1.0 + 0.01 * safe_div(shared, len(gnames))


def id_ok(gold_id: str, pred: dict[str, Any], lenient: bool) -> bool:
    ident = str(pred.get("id") or "")
    if gold_id in (ident, pred.get("wikidata")):
        return True
    return lenient and "/" in ident and ident.split("/")[0] == gold_id


def scored_entities(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Predicted entities that compete with the gold ones (not unnamed generic actors)."""
    return [
        e
        for e in doc.get("entities") or []
        if e.get("kind") != "generic" and str(e.get("type") or "").upper() != "GENERIC"
    ]


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sample", nargs="?", type=Path, default=DEFAULT_SAMPLE, help="the sample corpus folder")
    ap.add_argument("--show-errors", type=int, default=0, help="print N missed gold events")
    ap.add_argument("--out", type=Path, default=results_path("events_gold"))
    args = ap.parse_args(argv)

    golds = load_gold(args.sample)
    if not golds:
        print(f"no gold files under {args.sample / 'gold'}", file=sys.stderr)
        return 2

    with Timer() as total:
        with Timer() as t_load:
            res = load_resources()
        with Timer() as t_extract:
            extracted = extract_sample(args.sample, golds, res)

        det_tp: Counter[str] = Counter()
        det_pred: Counter[str] = Counter()
        det_gold: Counter[str] = Counter()
        any_tp = 0
        any_type_ok = 0
        fields = FieldTally()
        unlocated: list[str] = []
        missing_docs: list[str] = []
        missed: list[tuple[str, dict[str, Any]]] = []
        ent_tp = ent_pred = ent_gold = 0
        ent_type_ok = 0
        ent_recall_by_type: dict[str, Counter[str]] = defaultdict(Counter)
        id_total = id_exact = id_lenient = 0

        for gold in golds:
            key = (Path(gold["source"]).name, gold.get("row"))
            doc = extracted.get(key)
            if doc is None or "error" in doc:
                missing_docs.append(gold["_file"])
                doc = {"text": "", "events": [], "entities": []}
            text = doc.get("text") or ""
            entities = entity_index(doc)
            preds = doc.get("events") or []
            gevents = gold.get("events") or []
            spans = []
            for i, g in enumerate(gevents):
                span = locate(text, str(g.get("evidence") or ""))
                if span is None:
                    unlocated.append(f"{gold['_file']}#{i}")
                spans.append(span)
            for p in preds:
                det_pred[str(p.get("type"))] += 1
            for g in gevents:
                det_gold[str(g.get("type"))] += 1

            pairs = match_events(spans, [g.get("type") for g in gevents], preds)
            matched_gold = {gi for gi, _ in pairs}
            for gi, pi in pairs:
                det_tp[str(gevents[gi].get("type"))] += 1
                score_pair_fields(gevents[gi], preds[pi], entities, fields)
            for gi, g in enumerate(gevents):
                if gi not in matched_gold:
                    missed.append((gold["_file"], g))
            untyped = match_events(spans, [None] * len(gevents), preds)
            any_tp += len(untyped)
            any_type_ok += sum(1 for gi, pi in untyped if preds[pi].get("type") == gevents[gi].get("type"))

            gents = gold.get("entities") or []
            pents = scored_entities(doc)
            ent_gold += len(gents)
            ent_pred += len(pents)
            for g in gents:
                ent_recall_by_type[str(g.get("type"))]["gold"] += 1
            if gents and pents:
                epairs = max_weight_assignment([[entity_pair_weight(g, p) for p in pents] for g in gents])
            else:
                epairs = []
            ent_tp += len(epairs)
            for gi, pi in epairs:
                g, p = gents[gi], pents[pi]
                ent_recall_by_type[str(g.get("type"))]["found"] += 1
                ent_type_ok += int(str(p.get("type")) == str(g.get("type")))
                if g.get("id"):
                    id_total += 1
                    id_exact += int(id_ok(str(g["id"]), p, lenient=False))
                    id_lenient += int(id_ok(str(g["id"]), p, lenient=True))
            gold_ids = [g for g in gents if g.get("id")]
            id_total += len(gold_ids) - sum(1 for gi, _ in epairs if gents[gi].get("id"))

    n_gold_events = sum(det_gold.values())
    n_pred_events = sum(det_pred.values())
    detection = prf_pct(sum(det_tp.values()), n_pred_events, n_gold_events)
    per_type = {
        t: prf_pct(det_tp[t], det_pred[t], det_gold[t]) for t in sorted(set(det_gold) | set(det_pred))
    }
    untyped_det = prf_pct(any_tp, n_pred_events, n_gold_events)
    untyped_det["type_accuracy_of_pairs"] = pct(safe_div(any_type_ok, any_tp))
    field_scores = fields.summary()
    entity_scores = prf_pct(ent_tp, ent_pred, ent_gold)
    entity_scores["type_agreement"] = pct(safe_div(ent_type_ok, ent_tp))
    entity_scores["id_accuracy_exact"] = pct(safe_div(id_exact, id_total))
    entity_scores["id_accuracy_lenient"] = pct(safe_div(id_lenient, id_total))
    entity_scores["gold_with_id"] = id_total
    entity_recall = {
        t: {"recall": pct(safe_div(c["found"], c["gold"])), "gold": c["gold"]}
        for t, c in sorted(ent_recall_by_type.items())
    }

    print(f"\nsample corpus gold, {display_path(args.sample)}: {len(golds)} annotated documents")
    print(f"gold events {n_gold_events}, predicted {n_pred_events}; evidence not located: {len(unlocated)}")
    if missing_docs:
        print(f"no extraction for: {', '.join(missing_docs)}")
    print()
    print_table(
        ["event type", "P", "R", "F1", "tp", "pred", "gold"],
        [
            [t, s["precision"], s["recall"], s["f1"], s["tp"], s["predicted"], s["gold"]]
            for t, s in per_type.items()
        ]
        + [
            [
                "ALL (same type)",
                *(detection[k] for k in ("precision", "recall", "f1", "tp", "predicted", "gold")),
            ],
            [
                "ALL (any type)",
                *(untyped_det[k] for k in ("precision", "recall", "f1", "tp", "predicted", "gold")),
            ],
        ],
    )
    print(f"type accuracy of the any-type pairs: {untyped_det['type_accuracy_of_pairs']:.2f}%\n")
    print_table(
        ["field (matched events)", "score", "n"],
        [
            [name, s["accuracy"] if "accuracy" in s else s["f1"], s["n"] if "n" in s else s["gold"]]
            for name, s in field_scores.items()
        ],
    )
    print("(actors and weapons: set F1, n = gold items; other fields: accuracy, n = pairs)\n")
    print_table(
        ["entities", "P", "R", "F1", "type agr", "id exact", "id lenient"],
        [
            [
                "all",
                entity_scores["precision"],
                entity_scores["recall"],
                entity_scores["f1"],
                entity_scores["type_agreement"],
                entity_scores["id_accuracy_exact"],
                entity_scores["id_accuracy_lenient"],
            ]
        ],
    )
    print(
        "entity recall by gold type: "
        + ", ".join(f"{t} {s['recall']:.1f}% of {s['gold']}" for t, s in entity_recall.items())
    )
    if args.show_errors:
        for fname, g in missed[: args.show_errors]:
            print(f"\nmissed [{fname}] {g.get('type')}/{g.get('mode')}: {str(g.get('evidence'))[:200]}")

    result = {
        "benchmark": "sample-gold-events",
        "machine": machine_info(),
        "system": newsgraph_info(res),
        "data": {
            "path": display_path(args.sample),
            "gold_files": len(golds),
            "gold_events": n_gold_events,
            "gold_entities": ent_gold,
            "evidence_not_located": unlocated,
            "documents_not_extracted": missing_docs,
        },
        "events": {
            "detection": detection,
            "detection_any_type": untyped_det,
            "per_type": per_type,
            "fields": field_scores,
        },
        "entities": {**entity_scores, "recall_by_type": entity_recall},
        "seconds": {"load": t_load.seconds, "extract": t_extract.seconds, "total": total.seconds},
    }
    out = write_results(args.out, result)
    print(f"\nwrote {display_path(out)}  ({total.seconds:.1f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
