"""How well newsgraph finds quotes and their speakers on the bundled demo corpus.

For every gold file in ``SAMPLE_DIR/gold/*.json`` (schema:
``data/sample/gold/SCHEMA.md``), the article is read and cleaned the way
``newsgraph ingest`` does it (:func:`newsgraph.pipeline.read_inputs`, then
:func:`newsgraph.pipeline.clean_raw` with default
:class:`newsgraph.ingest.readers.ReaderOptions`; feed rows are
``path#row=N`` with N counted from 1, gold ``row`` from 0), annotated with
``res.nlp``, and run through :func:`newsgraph.extract.entities.collect_entities`
and :func:`newsgraph.extract.quotes.extract_quotes`.

Predicted and gold quotes are matched one to one, greedily by score, within
the same class (direct with direct, indirect with indirect; and once more
ignoring the class, for "all"). A pair matches when the whitespace-collapsed
texts have a token F1 >= 0.6, or when one contains the other and the shorter
has at least 3 tokens or a third of the longer's tokens (so "soldiers" matches
"soldiers", but not a clause that happens to contain the word). Reported:

- precision, recall and F1 of quote spans, for direct, indirect and all;
- speaker accuracy on matched pairs: the gold speaker equals (case-insensitive,
  a leading "the" ignored) the predicted ``speaker_name`` or the name or a
  mention of the predicted speaker entity, or has the same last word as a
  predicted person's name, or is a person name whose surname is the whole
  predicted name (surname match). A part of a state (``RUS/GOV`` for "Moscow
  said", ``IRN/GOV`` for "Iranian officials") also answers to the state's name,
  the gold's convention for capitals and state institutions that act.

Usage: python benchmarks/quotes.py [SAMPLE_DIR] [--out benchmarks/results/quotes.json] [--show-errors]
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import collapse_ws, machine_info, sample_scorer_main, token_f1, word_tokens

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "data" / "sample"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "quotes.json"
FORMATS = {".txt", ".md", ".pdf", ".html", ".jsonl"}
MATCH_F1 = 0.6
MIN_CONTAINED_TOKENS = 3


def match_score(got: str, gold: str) -> float:
    """The pair's score (>= MATCH_F1 when it counts as a match), else 0."""
    f1 = token_f1(got, gold)
    if f1 >= MATCH_F1:
        return f1
    a, b = collapse_ws(got).casefold(), collapse_ws(gold).casefold()
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n_short, n_long = len(word_tokens(short)), len(word_tokens(long_))
    if short and short in long_ and (n_short >= MIN_CONTAINED_TOKENS or 3 * n_short >= n_long):
        return max(f1, MATCH_F1)
    return 0.0


def greedy_match(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[int, int, float]]:
    """One-to-one (pred index, gold index, score) pairs, best scores first."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            s = match_score(str(p.get("text") or ""), str(g.get("text") or ""))
            if s > 0:
                pairs.append((s, i, j))
    pairs.sort(key=lambda x: -x[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for s, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j, s))
    return out


def _norm_name(name: str) -> str:
    name = collapse_ws(name).casefold().replace("’", "'")
    return re.sub(r"^the\s+", "", name)


def speaker_ok(
    pred: dict[str, Any], gold_speaker: str | None, entities: dict[str, Any], state_names: dict[str, str]
) -> bool:
    """The predicted speaker names the gold speaker (see the module docstring)."""
    if not gold_speaker:
        return pred.get("speaker") is None and not pred.get("speaker_name")
    names: list[str] = []
    person = False
    if pred.get("speaker_name"):
        names.append(str(pred["speaker_name"]))
    entity = entities.get(str(pred.get("speaker"))) if pred.get("speaker") else None
    if entity is not None:
        names.append(entity.name)
        names.extend(m.text for m in entity.mentions)
        person = entity.type == "PERSON"
        if "/" in entity.id:
            # a part of a state (RUS/GOV for "Moscow said") stands for the state the gold names
            names.append(state_names.get(entity.id.split("/", 1)[0], ""))
    gold_n = _norm_name(gold_speaker)
    if any(_norm_name(n) == gold_n for n in names):
        return True
    gold_words = gold_speaker.split()
    if len(gold_words) >= 2 and all(w[:1].isupper() for w in gold_words):
        surname = gold_words[-1].casefold()
        if person:
            return any(n.split() and n.split()[-1].casefold() == surname for n in names)
        # an entity the model did not type as a person, named by the surname alone
        return any(n.casefold() == surname for n in names)
    return False


def _source_key(gold: dict[str, Any], sample: Path) -> str | None:
    source = str(gold.get("source") or "")
    suffix = Path(source).suffix.lower()
    if suffix not in FORMATS:
        return None
    path = os.path.abspath(sample / source)
    if suffix == ".jsonl":
        row = gold.get("row")
        if not isinstance(row, int):
            return None
        return f"{path}#row={row + 1}"
    return path


def _read_all(paths: list[str]) -> dict[str, Any]:
    from newsgraph.ingest.readers import ReaderOptions
    from newsgraph.models import ReadError
    from newsgraph.pipeline import clean_raw, read_inputs

    out: dict[str, Any] = {}
    for raw in read_inputs(paths, ReaderOptions()):
        out[raw.source] = raw if isinstance(raw, ReadError) else clean_raw(raw)
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f, 3),
    }


def score(sample: Path) -> dict[str, Any]:
    from newsgraph.extract.entities import collect_entities
    from newsgraph.extract.quotes import extract_quotes
    from newsgraph.models import ReadError
    from newsgraph.runtime import load_resources

    golds: list[tuple[str, str, dict[str, Any]]] = []
    for path in sorted((sample / "gold").glob("*.json")):
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"skip {path.name}: {exc}", file=sys.stderr)
            continue
        key = _source_key(gold, sample)
        if key is not None:
            golds.append((path.name, key, gold))
    docs = _read_all(sorted({key.split("#row=", 1)[0] for _, key, _ in golds}))
    res = load_resources()
    states = {a.id: a.name for a in res.actors if a.kind in ("state", "territory")}

    classes = ("direct", "indirect", "all")
    totals: dict[str, dict[str, int]] = {c: defaultdict(int) for c in classes}
    rows: list[dict[str, Any]] = []
    seconds = 0.0
    for gold_name, key, gold in golds:
        doc = docs.get(key)
        row: dict[str, Any] = {"gold": gold_name, "source": gold["source"]}
        gold_quotes = [q for q in gold.get("quotes", []) if q.get("text")]
        if doc is None or isinstance(doc, ReadError):
            row["error"] = doc.reason if isinstance(doc, ReadError) else "not read"
            pred: list[dict[str, Any]] = []
            entities: dict[str, Any] = {}
        else:
            start = time.perf_counter()
            spacy_doc = res.nlp(doc.text)
            ents = collect_entities(spacy_doc, res.actors, res.model, res.gazetteer)
            pred = extract_quotes(spacy_doc, ents)
            seconds += time.perf_counter() - start
            entities = {e.id: e for e in ents}
            bad = [q for q in pred if doc.text[q["start"] : q["end"]] != q["text"]]
            row["offset_errors"] = len(bad)
        per_class: dict[str, Any] = {}
        for cls in classes:
            if cls == "all":
                p_sel, g_sel = pred, gold_quotes
            else:
                want = cls == "direct"
                p_sel = [q for q in pred if bool(q["direct"]) == want]
                g_sel = [q for q in gold_quotes if bool(q.get("direct")) == want]
            pairs = greedy_match(p_sel, g_sel)
            spk = [speaker_ok(p_sel[i], g_sel[j].get("speaker"), entities, states) for i, j, _ in pairs]
            t = totals[cls]
            t["tp"] += len(pairs)
            t["pred"] += len(p_sel)
            t["gold"] += len(g_sel)
            t["speaker_ok"] += sum(spk)
            matched_p = {i for i, _, _ in pairs}
            matched_g = {j for _, j, _ in pairs}
            per_class[cls] = {
                "tp": len(pairs),
                "pred": len(p_sel),
                "gold": len(g_sel),
                "speaker_ok": sum(spk),
                "missed": [
                    {"text": g["text"], "speaker": g.get("speaker"), "cue": g.get("cue")}
                    for j, g in enumerate(g_sel)
                    if j not in matched_g
                ],
                "spurious": [
                    {"text": p["text"], "speaker_name": p["speaker_name"], "rule": p["rule"]}
                    for i, p in enumerate(p_sel)
                    if i not in matched_p
                ],
                "wrong_speaker": [
                    {
                        "text": g_sel[j]["text"],
                        "gold": g_sel[j].get("speaker"),
                        "pred": p_sel[i]["speaker_name"],
                        "pred_id": p_sel[i]["speaker"],
                    }
                    for (i, j, _), ok in zip(pairs, spk, strict=True)
                    if not ok
                ],
            }
        row["classes"] = per_class
        rows.append(row)

    summary = {}
    for cls in classes:
        t = totals[cls]
        s = _prf(t["tp"], t["pred"], t["gold"])
        s["speaker_accuracy"] = round(t["speaker_ok"] / t["tp"], 3) if t["tp"] else None
        summary[cls] = s
    return {
        "benchmark": "quotes",
        "sample_dir": str(sample),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "matching": {"token_f1": MATCH_F1, "containment_min_tokens": MIN_CONTAINED_TOKENS},
        "documents_scored": len(rows),
        "nlp_and_extract_seconds": round(seconds, 3),
        "summary": summary,
        "documents": rows,
    }


def _print(result: dict[str, Any], show_errors: bool) -> None:
    print(f"Quotes on {result['sample_dir']} ({result['documents_scored']} documents)")
    print(f"{'class':<10}{'gold':>6}{'pred':>6}{'tp':>5}{'P':>8}{'R':>8}{'F1':>8}{'speaker':>9}")
    for cls, s in result["summary"].items():
        spk = "-" if s["speaker_accuracy"] is None else f"{s['speaker_accuracy']:.3f}"
        print(
            f"{cls:<10}{s['gold']:>6}{s['pred']:>6}{s['tp']:>5}{s['precision']:>8.3f}"
            f"{s['recall']:>8.3f}{s['f1']:>8.3f}{spk:>9}"
        )
    print("(speaker: accuracy of the speaker on matched quotes)")
    print("\nper document (all classes: tp/gold/pred, speaker ok):")
    for r in result["documents"]:
        a = r["classes"]["all"]
        print(f"  {a['tp']:>2}/{a['gold']:<2}/{a['pred']:<2} spk {a['speaker_ok']:>2}  {r['gold']}")
        if r.get("error"):
            print(f"        error: {r['error']}")
        if r.get("offset_errors"):
            print(f"        OFFSET ERRORS: {r['offset_errors']}")
        if not show_errors:
            continue
        for cls in ("direct", "indirect"):
            c = r["classes"][cls]
            for m in c["missed"]:
                print(f"        missed {cls:<8} [{m['speaker']}] {m['text'][:80]!r}")
            for m in c["spurious"]:
                print(f"        extra  {cls:<8} [{m['speaker_name']}] ({m['rule']}) {m['text'][:80]!r}")
            for m in c["wrong_speaker"]:
                print(f"        speaker {cls:<7} gold {m['gold']!r} got {m['pred']!r} ({m['pred_id']})")


def main(argv: list[str] | None = None) -> int:
    description = __doc__.splitlines()[0] if __doc__ else None
    return sample_scorer_main(
        argv, description, DEFAULT_OUT, score, _print, "print every miss, extra and wrong speaker"
    )


if __name__ == "__main__":
    sys.exit(main())
