"""Cross-document event linking on a synthetic corpus: pairwise and B-cubed P/R/F1.

Data: ``benchmarks/data/linking/*.jsonl`` (written for newsgraph, see the README there): one
article per line with ``text``, ``title``, ``published`` and ``mentions[]``, each mention an
``evidence`` substring of the text, its PLOVER ``type`` and a ``cluster`` label shared by every
mention of the same (fictional) occurrence. The corpus holds occurrences reported two to four
times in different words, dates ("on Tuesday", "March 5", "last week") and casualty figures,
historical mentions of an earlier attack, and look-alikes: the same town on another day, the
same day in another town, the same type with other actors.

The articles go through the real pipeline (``pipeline.ingest`` into a temporary store), then
``link_events``. A gold mention is matched to one predicted event of its document, one to one:
a predicted event whose trigger lies inside the mention's evidence beats one whose evidence
sentence only overlaps it, and the gold type breaks ties. Scores:

- pairwise: pairs of mentions in one gold cluster vs pairs whose events share a canonical id;
  ``end_to_end`` counts every gold mention (an unmatched one links to nothing), ``linking`` only
  the matched ones, which isolates the linker from extraction misses;
- B-cubed over the matched mentions.

Usage: python benchmarks/linking.py [DATA_DIR] [--out PATH] [--show-errors] [--keep-store DB]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    BENCH_DIR,
    Timer,
    display_path,
    load_resources,
    locate,
    machine_info,
    max_weight_assignment,
    newsgraph_info,
    overlap,
    prf_pct,
    print_table,
    results_path,
    safe_div,
    write_results,
)

DEFAULT_DATA = BENCH_DIR / "data" / "linking"

Mention = dict[str, Any]
"""One gold mention: article index, mention index, cluster, type, evidence and its span."""


def load_articles(data: Path) -> list[tuple[Path, int, dict[str, Any]]]:
    """(file, 1-based line, article) for every article of every JSONL file under `data`."""
    files = [data] if data.is_file() else sorted(data.glob("*.jsonl"))
    out = []
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                out.append((path, lineno, json.loads(line)))
    return out


def mention_weight(span: tuple[int, int] | None, gold_type: str | None, pred: dict[str, Any]) -> float:
    """How well a predicted event fits a gold mention: 0 when it cannot, 2 for a trigger inside
    the evidence, 1 for an overlapping evidence sentence, plus small type/overlap tie-breakers."""
    if span is None:
        return 0.0
    gs, ge = span
    trig = pred.get("trigger") or {}
    base = 0.0
    if isinstance(trig.get("start"), int) and overlap(trig["start"], trig.get("end", trig["start"]), gs, ge):
        base = 2.0
    else:
        ov = max((overlap(e["start"], e["end"], gs, ge) for e in pred.get("evidence") or []), default=0)
        base = 1.0 if ov > 0 else 0.0
    if base == 0.0:
        return 0.0
    return base + (0.3 if pred.get("type") == gold_type else 0.0)


def match_mentions(mentions: Sequence[Mention], preds: Sequence[dict[str, Any]]) -> dict[int, str]:
    """Mention index (within the document) -> matched predicted event id."""
    if not mentions or not preds:
        return {}
    weights = [[mention_weight(m["span"], m.get("type"), p) for p in preds] for m in mentions]
    return {mi: preds[pi]["id"] for mi, pi in max_weight_assignment(weights)}


def pairwise(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, float]:
    """Pairwise P/R/F1: gold[i] is mention i's cluster, pred[i] its canonical id (None: unmatched)."""
    tp = n_pred = n_gold = 0
    for i, j in combinations(range(len(gold)), 2):
        same_gold = gold[i] == gold[j]
        same_pred = pred[i] is not None and pred[i] == pred[j]
        n_gold += same_gold
        n_pred += same_pred
        tp += same_gold and same_pred
    return prf_pct(tp, n_pred, n_gold)


def bcubed(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """B-cubed precision and recall averaged over mentions."""
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    p_sum = r_sum = 0.0
    for g, p in zip(gold, pred, strict=True):
        both = len(by_gold[g] & by_pred[p])
        p_sum += both / len(by_pred[p])
        r_sum += both / len(by_gold[g])
    n = len(gold)
    prec, rec = safe_div(p_sum, n), safe_div(r_sum, n)
    return {
        "precision": round(100 * prec, 2),
        "recall": round(100 * rec, 2),
        "f1": round(100 * safe_div(2 * prec * rec, prec + rec), 2),
    }


def run(data: Path, keep: Path | None = None) -> dict[str, Any]:
    """Ingest, link and score; returns the results payload. With `keep`, the store is
    written there (replaced) and kept for inspection."""
    articles = load_articles(data)
    with Timer() as t_load:
        res = load_resources()
    with tempfile.TemporaryDirectory() as tmp:
        db = keep if keep is not None else Path(tmp) / "bench.duckdb"
        db.unlink(missing_ok=True)
        store_view = ingest_and_link(db, articles, res)
    mentions = match_all(articles, store_view)
    gold = [m["cluster"] for m in mentions]
    pred = [m["canonical"] for m in mentions]
    found = [i for i, p in enumerate(pred) if p is not None]
    g_found = [gold[i] for i in found]
    p_found = [str(pred[i]) for i in found]
    return {
        "benchmark": "linking",
        "dataset": display_path(data),
        "machine": machine_info(),
        "newsgraph": newsgraph_info(res),
        "articles": len(articles),
        "gold_mentions": len(mentions),
        "gold_clusters": len(set(gold)),
        "gold_pairs": sum(1 for i, j in combinations(range(len(gold)), 2) if gold[i] == gold[j]),
        "matched_mentions": len(found),
        "ingest_failed": store_view["failed"],
        "events": store_view["link"].events,
        "canonical_events": store_view["link"].canonical,
        "pairwise": {"end_to_end": pairwise(gold, pred), "linking": pairwise(g_found, p_found)},
        "bcubed": bcubed(g_found, p_found),
        "by_file": by_file(mentions),
        "seconds": {"load": t_load.seconds, **store_view["seconds"]},
        "unmatched_mentions": [
            f"{m['article']}: {m['evidence'][:70]}" for m in mentions if m["canonical"] is None
        ],
        "errors": _errors(mentions),
    }


def scores(mentions: Sequence[Mention]) -> dict[str, Any]:
    """Pairwise (end to end and over matched mentions) and B-cubed scores of some mentions."""
    gold = [m["cluster"] for m in mentions]
    pred = [m["canonical"] for m in mentions]
    found = [m for m in mentions if m["canonical"] is not None]
    g_found = [m["cluster"] for m in found]
    p_found = [str(m["canonical"]) for m in found]
    return {
        "mentions": len(mentions),
        "matched": len(found),
        "pairwise_end_to_end": pairwise(gold, pred),
        "pairwise": pairwise(g_found, p_found),
        "bcubed": bcubed(g_found, p_found),
    }


def by_file(mentions: Sequence[Mention]) -> dict[str, Any]:
    """Scores per dataset file: `articles.jsonl` is what the weights were set on, `heldout.jsonl`
    was written afterwards and scored once (all files are linked together in one store)."""
    files = sorted({m["file"] for m in mentions})
    return {f: scores([m for m in mentions if m["file"] == f]) for f in files}


def ingest_and_link(
    db: Path, articles: Sequence[tuple[Path, int, dict[str, Any]]], res: Any
) -> dict[str, Any]:
    """The real pipeline into a store at `db`, then linking; what scoring needs from the store."""
    from newsgraph.analysis.linking import link_events
    from newsgraph.pipeline import IngestOptions, ingest
    from newsgraph.store.db import Store

    with Store(db) as store:
        with Timer() as t_ingest:
            report = ingest(store, sorted({str(p) for p, _, _ in articles}), res, IngestOptions())
        with Timer() as t_link:
            link = link_events(store, full=True)
        docs = {r["source"]: r for r in store.query("SELECT doc_id, source, text FROM documents")}
        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in store.query("SELECT doc_id, data FROM events_current ORDER BY event_id"):
            events[row["doc_id"]].append(json.loads(row["data"]))
        canonical = {r["event_id"]: r["canonical_id"] for r in store.query("SELECT * FROM event_links")}
    return {
        "docs": docs,
        "events": events,
        "canonical": canonical,
        "link": link,
        "failed": len(report.failed),
        "seconds": {"ingest": t_ingest.seconds, "link": t_link.seconds},
    }


def match_all(articles: Sequence[tuple[Path, int, dict[str, Any]]], view: dict[str, Any]) -> list[Mention]:
    """Every gold mention with its matched event id and that event's canonical id (or None)."""
    mentions: list[Mention] = []
    for path, lineno, art in articles:
        doc = view["docs"].get(f"{path}#row={lineno}")
        text = doc["text"] if doc else ""
        ms = [
            {**m, "file": path.name, "article": art["id"], "span": locate(text, m["evidence"])}
            for m in art.get("mentions") or []
        ]
        matched = match_mentions(ms, view["events"].get(doc["doc_id"], []) if doc else [])
        for i, m in enumerate(ms):
            event_id = matched.get(i)
            m["event_id"] = event_id
            m["canonical"] = None if event_id is None else view["canonical"].get(event_id, event_id)
        mentions.extend(ms)
    return mentions


def _errors(mentions: Sequence[Mention]) -> list[str]:
    """Wrong links (different gold clusters, one canonical event) and missed ones."""
    out = []
    for a, b in combinations([m for m in mentions if m["canonical"] is not None], 2):
        same_gold = a["cluster"] == b["cluster"]
        same_pred = a["canonical"] == b["canonical"]
        if same_gold != same_pred:
            kind = "missed" if same_gold else "wrong"
            left = f"{a['cluster']} {a['article']} ({a['event_id']})"
            out.append(f"{kind}: {left} ~ {b['cluster']} {b['article']} ({b['event_id']})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "data", nargs="?", type=Path, default=DEFAULT_DATA, help="a JSONL file or a folder of them"
    )
    ap.add_argument("--out", type=Path, default=results_path("linking"))
    ap.add_argument("--show-errors", action="store_true", help="print wrong and missed links")
    ap.add_argument("--keep-store", type=Path, default=None, help="write the store here and keep it")
    args = ap.parse_args(argv)
    if not load_articles(args.data):
        print(f"no articles under {args.data}", file=sys.stderr)
        return 2
    payload = run(args.data, args.keep_store)
    errors = payload["errors"]
    pw = payload["pairwise"]
    print_table(
        ["score", "precision", "recall", "f1"],
        [
            [
                "pairwise, end to end",
                pw["end_to_end"]["precision"],
                pw["end_to_end"]["recall"],
                pw["end_to_end"]["f1"],
            ],
            [
                "pairwise, matched mentions",
                pw["linking"]["precision"],
                pw["linking"]["recall"],
                pw["linking"]["f1"],
            ],
            [
                "B-cubed, matched mentions",
                payload["bcubed"]["precision"],
                payload["bcubed"]["recall"],
                payload["bcubed"]["f1"],
            ],
        ],
    )
    p = payload
    print(
        f"{p['articles']} articles, {p['gold_mentions']} gold mentions in {p['gold_clusters']} clusters "
        f"({p['gold_pairs']} linked pairs), {p['matched_mentions']} matched to an event; "
        f"{p['events']} events -> {p['canonical_events']} canonical; link {p['seconds']['link']} s"
    )
    for name, sc in payload["by_file"].items():
        pw_ = sc["pairwise"]
        print(
            f"  {name}: pairwise P {pw_['precision']} R {pw_['recall']} F1 {pw_['f1']} "
            f"({sc['matched']}/{sc['mentions']} mentions matched)"
        )
    if args.show_errors:
        for line in errors + [f"unmatched: {u}" for u in payload["unmatched_mentions"]]:
            print("  " + line)
    write_results(args.out, payload)
    print(f"results: {display_path(args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
