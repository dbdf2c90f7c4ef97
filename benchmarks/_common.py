"""Helpers shared by the accuracy benchmarks: paths, machine info, results files, running the
extractor over plain strings, P/R/F1 arithmetic, span overlap and an optimal assignment.

Nothing here imports spaCy at module level, so the scoring functions of every benchmark can
be unit-tested without loading a model (tests/unit/test_scorers.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
"""The repository root (the folder holding pyproject.toml)."""
BENCH_DIR = ROOT / "benchmarks"
RESULTS_DIR = BENCH_DIR / "results"
EVAL_DIR = ROOT.parent / "shared" / "eval"
"""Evaluation data lives beside the repo, in ../shared/eval; it is read, never copied in."""

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

TextItem = tuple[str, str, str | None]
"""(doc_id, text, published ISO date or None): one document given as a string."""


# --------------------------------------------------------------------------- paths and output


def eval_path(*parts: str) -> Path:
    """A default dataset path under ../shared/eval."""
    return EVAL_DIR.joinpath(*parts)


def results_path(name: str) -> Path:
    """benchmarks/results/NAME.json"""
    return RESULTS_DIR / f"{name}.json"


def display_path(path: Path) -> str:
    """A path as it should appear in a results file: relative to the repo root when possible
    (``../shared/eval/...``), so results do not leak the local checkout location."""
    path = path.resolve()
    try:
        return os.path.relpath(path, ROOT)
    except ValueError:  # another drive on Windows
        return str(path)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def machine_info() -> dict[str, Any]:
    """Where the numbers were measured."""
    return {
        "node": platform.node(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "date": now_iso(),
    }


def newsgraph_info(res: Any | None = None) -> dict[str, Any]:
    """The newsgraph version and, when resources are loaded, the spaCy model behind them."""
    import newsgraph

    info: dict[str, Any] = {"newsgraph": getattr(newsgraph, "__version__", "?")}
    if res is not None:
        info["model"] = res.model
    return info


def write_results(out: Path, payload: dict[str, Any]) -> Path:
    """Write one benchmark's results as indented JSON (the folder is created if needed)."""
    import json

    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


class Timer:
    """``with Timer() as t: ...; t.seconds``"""

    def __init__(self) -> None:
        self.start = 0.0
        self.seconds = 0.0

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.seconds = round(time.perf_counter() - self.start, 3)


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], first_width: int | None = None
) -> None:
    """A plain aligned text table on stdout; floats print with two decimals."""

    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:.2f}"
        return "-" if v is None else str(v)

    body = [[cell(v) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], len(v))
    if first_width is not None:
        widths[0] = max(widths[0], first_width)
    line = "  ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(headers))
    print(line)
    print("-" * len(line))
    for row in body:
        print("  ".join(v.ljust(widths[0]) if i == 0 else v.rjust(widths[i]) for i, v in enumerate(row)))


# --------------------------------------------------------------------------- running the extractor


def load_resources() -> Any:
    """The shipped resources (spaCy pipeline, actor dictionary, gazetteer), loaded once."""
    from newsgraph.runtime import load_resources as _load

    return _load()


def _failed_contract(doc_id: str, text: str, reason: str) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "text": text,
        "entities": [],
        "events": [],
        "quotes": [],
        "error": reason,
    }


def extract_texts(
    items: Sequence[TextItem],
    res: Any | None = None,
    batch_size: int = 32,
    progress: bool = True,
    source_prefix: str = "bench:",
) -> list[dict[str, Any]]:
    """Run the extractor over documents given as strings; one contract dict per item, in order.

    A document whose extraction fails gets an empty contract with an ``error`` key, so it
    scores as "nothing found" instead of stopping the benchmark.
    """
    from newsgraph.models import Document
    from newsgraph.pipeline import extract_safely

    res = res if res is not None else load_resources()
    out: list[dict[str, Any]] = []
    total = len(items)
    for lo in range(0, total, batch_size):
        chunk = items[lo : lo + batch_size]
        docs = [
            Document(
                doc_id=doc_id,
                source=f"{source_prefix}{doc_id}",
                content_hash=hashlib.sha1(text.encode("utf-8")).hexdigest(),
                text=text,
                published=published,
            )
            for doc_id, text, published in chunk
        ]
        by_source: dict[str, dict[str, Any]] = {}
        for result in extract_safely(docs, res):
            if hasattr(result, "to_contract"):
                by_source[result.document.source] = result.to_contract()
            else:  # ReadError
                by_source[result.source] = {"error": result.reason}
        for doc, (doc_id, text, _) in zip(docs, chunk, strict=True):
            got = by_source.get(doc.source)
            if got is None or "error" in got:
                reason = (got or {}).get("error", "no result")
                out.append(_failed_contract(doc_id, text, str(reason)))
            else:
                out.append(got)
        if progress:
            print(f"\r  extracted {min(lo + batch_size, total)}/{total}", end="", file=sys.stderr, flush=True)
    if progress and total:
        print(file=sys.stderr)
    return out


def chunked(seq: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for lo in range(0, len(seq), size):
        yield seq[lo : lo + size]


# --------------------------------------------------------------------------- arithmetic


def safe_div(num: float, den: float) -> float:
    return num / den if den else 0.0


def prf(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    """Precision, recall and F1 as fractions in [0, 1]; 0 where a denominator is 0."""
    p = safe_div(tp, n_pred)
    r = safe_div(tp, n_gold)
    f = safe_div(2 * p * r, p + r)
    return {"precision": p, "recall": r, "f1": f}


def pct(x: float) -> float:
    """A fraction as a percentage rounded to 2 decimals (how results files report scores)."""
    return round(100.0 * x, 2)


def prf_pct(tp: float, n_pred: float, n_gold: float) -> dict[str, float]:
    """:func:`prf` in percent, with the counts, for results files."""
    s = prf(tp, n_pred, n_gold)
    return {
        "precision": pct(s["precision"]),
        "recall": pct(s["recall"]),
        "f1": pct(s["f1"]),
        "tp": round(tp, 4),
        "predicted": n_pred,
        "gold": n_gold,
    }


# --------------------------------------------------------------------------- text and spans

_WS = re.compile(r"\s+")


def norm_ws(text: str) -> str:
    """Casefolded, whitespace collapsed and stripped."""
    return _WS.sub(" ", text).strip().casefold()


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of characters two half-open spans share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def _normalized_with_map(text: str, keep: str) -> tuple[str, list[int]]:
    """``keep == 'ws'``: whitespace runs collapsed to one space; ``'alnum'``: only letters and
    digits, casefolded. Returns the normalized string and, per character of it, the index in
    ``text`` it came from."""
    chars: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if keep == "ws":
            if ch.isspace():
                if not prev_space:
                    chars.append(" ")
                    index.append(i)
                prev_space = True
                continue
            prev_space = False
            chars.append(ch)
            index.append(i)
        else:
            if ch.isalnum():
                for c in ch.casefold():
                    chars.append(c)
                    index.append(i)
    return "".join(chars), index


def locate(text: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """Where ``needle`` occurs in ``text`` (at or after ``start``), as a (start, end) span.

    Tried in order: exact; whitespace runs collapsed (hard-wrapped files); casefolded
    letters and digits only (hyphenation or quote-mark differences after cleaning)."""
    if not needle.strip():
        return None
    i = text.find(needle, start)
    if i >= 0:
        return i, i + len(needle)
    for keep in ("ws", "alnum"):
        norm, index = _normalized_with_map(text, keep)
        n_needle, _ = _normalized_with_map(needle.strip(), keep)
        if not n_needle:
            continue
        lo = next((k for k, src in enumerate(index) if src >= start), len(index))
        j = norm.find(n_needle, lo)
        if j >= 0:
            return index[j], index[j + len(n_needle) - 1] + 1
    return None


def find_ci(text: str, needle: str, start: int = 0) -> tuple[int, int] | None:
    """Case-insensitive :func:`locate` (used for gold strings whose case may differ)."""
    if not needle.strip():
        return None
    low = text.lower()
    i = low.find(needle.lower(), start)
    if i >= 0:
        return i, i + len(needle)
    return locate(text, needle, start)


# --------------------------------------------------------------------------- contract helpers


def entity_index(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's entities by id."""
    return {e["id"]: e for e in doc.get("entities") or [] if e.get("id") is not None}


def event_arguments(event: dict[str, Any], *roles: str) -> list[dict[str, Any]]:
    """The event's ``arguments[]`` with one of these roles (all of them when none are named)."""
    args = event.get("arguments") or []
    return [a for a in args if not roles or a.get("role") in roles]


def event_spans(event: dict[str, Any]) -> list[tuple[int, int]]:
    """The trigger span first, then the evidence spans, of a predicted event."""
    spans: list[tuple[int, int]] = []
    trig = event.get("trigger") or {}
    if isinstance(trig.get("start"), int) and isinstance(trig.get("end"), int):
        spans.append((trig["start"], trig["end"]))
    for ev in event.get("evidence") or []:
        if isinstance(ev.get("start"), int) and isinstance(ev.get("end"), int):
            spans.append((ev["start"], ev["end"]))
    return spans


# --------------------------------------------------------------------------- optimal assignment


def _hungarian_min(cost: list[list[float]]) -> list[int]:
    """Minimum-cost assignment for an n x m matrix with n <= m (Kuhn-Munkres with potentials,
    O(n^2 m)). Returns, for each row, its column."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j]: row (1-based) assigned to column j; 0 = none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    rows = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            rows[p[j] - 1] = j - 1
    return rows


def max_weight_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """One-to-one assignment of rows to columns maximising the total weight (what
    ``scipy.optimize.linear_sum_assignment(-weights)`` computes), by the Hungarian algorithm.

    Returns the (row, column) pairs with a positive weight, sorted by row; pairs of weight 0
    add nothing to a score, so they are left out."""
    n = len(weights)
    if n == 0:
        return []
    m = len(weights[0])
    if m == 0:
        return []
    transpose = n > m
    if transpose:
        matrix = [[float(weights[i][j]) for i in range(n)] for j in range(m)]
    else:
        matrix = [[float(x) for x in row] for row in weights]
    rows = _hungarian_min([[-x for x in row] for row in matrix])
    pairs = [(r, c) for r, c in enumerate(rows) if c >= 0 and matrix[r][c] > 0]
    if transpose:
        pairs = [(c, r) for r, c in pairs]
    return sorted(pairs)


_WORD = re.compile(r"\w+", re.UNICODE)


def collapse_ws(text: str | None) -> str:
    """Whitespace collapsed to single spaces (case kept)."""
    return " ".join((text or "").split())


def word_tokens(text: str | None) -> list[str]:
    return [t.casefold() for t in _WORD.findall(text or "")]


def token_f1(got: str | None, gold: str | None) -> float:
    """Token-level F1 (bag of words, case-folded) between two strings."""
    a, b = word_tokens(got), word_tokens(gold)
    if not a or not b:
        return 1.0 if a == b else 0.0
    pool: dict[str, int] = defaultdict(int)
    for t in b:
        pool[t] += 1
    common = 0
    for t in a:
        if pool[t] > 0:
            pool[t] -= 1
            common += 1
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def sample_scorer_main(
    argv: list[str] | None,
    description: str | None,
    default_out: Path,
    score: Callable[[Path], dict[str, Any]],
    show: Callable[[dict[str, Any], bool], None],
    errors_help: str,
) -> int:
    """The command line shared by the scorers of the demo corpus gold (data/sample/gold)."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument(
        "sample", nargs="?", type=Path, default=ROOT / "data" / "sample", help="sample dir with gold/"
    )
    ap.add_argument("--out", type=Path, default=default_out)
    ap.add_argument("--show-errors", action="store_true", help=errors_help)
    args = ap.parse_args(argv)
    sample: Path = args.sample
    if not (sample / "gold").is_dir():
        print(f"no gold/ directory under {sample}", file=sys.stderr)
        return 2
    result = score(sample.resolve())
    if not result["documents"]:
        print("no scorable gold files found", file=sys.stderr)
        return 1
    show(result, args.show_errors)
    write_results(args.out, result)
    print(f"\nwrote {args.out}")
    return 0
