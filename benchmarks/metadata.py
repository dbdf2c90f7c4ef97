"""How well newsgraph reads article metadata (title, published, authors) on the bundled demo corpus.

For every gold file in ``SAMPLE_DIR/gold/*.json`` whose ``source`` is a
``.txt``, ``.md``, ``.pdf`` or ``.html`` file or a JSONL feed row, the article
is read and cleaned the way ``newsgraph ingest`` does it
(:func:`newsgraph.pipeline.read_inputs` then :func:`newsgraph.pipeline.clean_raw`
with default :class:`newsgraph.ingest.readers.ReaderOptions`), and compared
with the gold:

- title: exact after whitespace normalization, and lenient (token F1 >= 0.8);
- published: exact ISO date;
- authors: set equality.

Two checks of the cleaned body text, per document:

- quote text retained: how many gold quote texts (``quotes[i].text``) are
  still found in the cleaned text, whitespace collapsed on both sides: a proxy
  for article text lost with the chrome;
- chrome suspects: cleaned paragraphs that look like site chrome (short
  non-sentences, weather, share/subscribe/copyright lines), a proxy for chrome
  left in.

Usage: python benchmarks/metadata.py [SAMPLE_DIR] [--out benchmarks/results/metadata.json] [--show-errors]
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

from _common import collapse_ws, machine_info, sample_scorer_main, token_f1

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "data" / "sample"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "metadata.json"
FORMATS = {".txt": "txt", ".md": "md", ".pdf": "pdf", ".html": "html", ".jsonl": "jsonl"}
TEXT_LIKE = ("txt", "md", "pdf")
LENIENT_F1 = 0.8

_CHROME_HINT = re.compile(
    r"°|©|\ball rights reserved\b|\bsubscribe\b|\bnewsletter\b|\bsign up\b|\bshare\s*:|"
    r"\blog ?in\b|\brelated (?:articles|posts|stories)\b|\bmost read\b|\bread more\b|"
    r"^#{1,6}\s|^[*_]{1,2}\S|\[[^\]]*\]\([^)]*\)|https?://|www\.",
    re.IGNORECASE,
)


def chrome_suspects(text: str) -> list[str]:
    """Cleaned paragraphs that look like site chrome rather than article text.

    Anywhere: a short paragraph with a chrome word or symbol (weather, share,
    subscribe, copyright, leftover Markdown or links). At the start and end
    only (where menus, section labels and link lists sit): a fragment of six
    words or fewer that is not a sentence; in the middle such a line is more
    likely a sub-heading or a list item.
    """
    paras = [p.strip() for p in text.split("\n\n") if p.strip()]
    out = []
    for k, s in enumerate(paras):
        words = s.split()
        edge = k < 2 or k >= len(paras) - 2
        fragment = len(words) <= 6 and s.rstrip("\"'”’)")[-1:] not in ".!?:;"
        if (edge and fragment) or (len(words) <= 30 and _CHROME_HINT.search(s)):
            out.append(s)
    return out


def _source_key(gold: dict[str, Any], sample: Path) -> str | None:
    """The source string the readers give this gold document (None: a format not scored)."""
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


def _read_all(paths: list[str]) -> dict[str, tuple[Any, Any]]:
    """source -> (RawDocument or ReadError, Document or ReadError), for every input (a feed: every row)."""
    from newsgraph.ingest.readers import ReaderOptions
    from newsgraph.models import ReadError
    from newsgraph.pipeline import clean_raw, read_inputs

    out: dict[str, tuple[Any, Any]] = {}
    for raw in read_inputs(paths, ReaderOptions()):
        out[raw.source] = (raw, raw if isinstance(raw, ReadError) else clean_raw(raw))
    return out


def _compare(
    title: str | None, published: str | None, authors: list[str], gold: dict[str, Any]
) -> dict[str, Any]:
    f1 = token_f1(title, gold.get("title"))
    return {
        "title": title,
        "title_exact": collapse_ws(title) == collapse_ws(gold.get("title")),
        "title_f1": round(f1, 3),
        "title_lenient": f1 >= LENIENT_F1,
        "published": published,
        "published_exact": published == gold.get("published"),
        "authors": authors,
        "authors_exact": set(authors) == set(gold.get("authors") or []),
    }


def score(sample: Path) -> dict[str, Any]:
    from newsgraph.ingest.clean import clean_text
    from newsgraph.models import ReadError

    gold_files = sorted((sample / "gold").glob("*.json"))
    golds: list[tuple[str, str, dict[str, Any]]] = []  # (gold file, source key, gold)
    for path in gold_files:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"skip {path.name}: {exc}", file=sys.stderr)
            continue
        key = _source_key(gold, sample)
        if key is not None:
            golds.append((path.name, key, gold))
    inputs = sorted({key.split("#row=", 1)[0] for _, key, _ in golds})
    start = time.perf_counter()
    docs = _read_all(inputs)
    seconds = time.perf_counter() - start

    rows: list[dict[str, Any]] = []
    for gold_name, key, gold in golds:
        fmt = FORMATS[Path(str(gold["source"])).suffix.lower()]
        raw, doc = docs.get(key, (None, None))
        row: dict[str, Any] = {"gold": gold_name, "source": gold["source"], "format": fmt}
        if doc is None or isinstance(doc, ReadError):
            row["error"] = doc.reason if isinstance(doc, ReadError) else "not read"
            doc_title, doc_published, doc_authors, text = None, None, [], ""
        else:
            doc_title, doc_published, doc_authors, text = (
                doc.title,
                doc.published,
                list(doc.authors),
                doc.text,
            )
        quotes = [str(q.get("text", "")) for q in gold.get("quotes", []) if q.get("text")]
        flat = collapse_ws(text)
        kept = [q for q in quotes if collapse_ws(q) in flat]
        suspects = chrome_suspects(text)
        row.update(_compare(doc_title, doc_published, doc_authors, gold))
        row.update(
            {
                "gold_title": gold.get("title"),
                "gold_published": gold.get("published"),
                "gold_authors": list(gold.get("authors") or []),
                "quotes_total": len(quotes),
                "quotes_retained": len(kept),
                "quotes_lost": [q for q in quotes if q not in kept],
                "chrome_suspects": suspects,
                "chrome_left": bool(suspects),
            }
        )
        if fmt in TEXT_LIKE and raw is not None and not isinstance(raw, ReadError):
            # What the text cleaner reads from the text alone, without the container's metadata
            # (a PDF's document info): the header detection proper.
            alone = clean_text(raw.content)
            row["cleaner_only"] = _compare(alone.title, alone.published, list(alone.authors), gold)
        rows.append(row)

    def summary(group: list[dict[str, Any]]) -> dict[str, Any]:
        n = len(group)
        q_total = sum(r["quotes_total"] for r in group)
        q_kept = sum(r["quotes_retained"] for r in group)

        def pct(key: str) -> float:
            return round(100.0 * sum(bool(r[key]) for r in group) / n, 1) if n else 0.0

        return {
            "n": n,
            "title_exact": pct("title_exact"),
            "title_lenient": pct("title_lenient"),
            "published": pct("published_exact"),
            "authors": pct("authors_exact"),
            "quote_text_retained": round(100.0 * q_kept / q_total, 1) if q_total else None,
            "docs_with_chrome_left": sum(r["chrome_left"] for r in group),
        }

    by_format: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_format[r["format"]].append(r)
    text_like = [r for r in rows if r["format"] in TEXT_LIKE]
    alone = [{**r, **r["cleaner_only"]} for r in text_like if "cleaner_only" in r]
    return {
        "benchmark": "metadata",
        "sample_dir": str(sample),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "read_and_clean_seconds": round(seconds, 3),
        "overall": summary(rows),
        "text_like": summary(text_like),
        "text_like_cleaner_only": summary(alone),
        "by_format": {fmt: summary(group) for fmt, group in sorted(by_format.items())},
        "documents": rows,
    }


def _print(result: dict[str, Any], show_errors: bool) -> None:
    head = (
        f"{'format':<10}{'n':>4}{'title':>8}{'title~':>8}{'date':>8}{'authors':>9}{'quotes%':>9}{'chrome':>8}"
    )
    print(f"Metadata on {result['sample_dir']}")
    print(head)
    groups = [
        *result["by_format"].items(),
        ("text-like", result["text_like"]),
        ("all", result["overall"]),
        ("text only", result["text_like_cleaner_only"]),
    ]
    for name, s in groups:
        quotes = "-" if s["quote_text_retained"] is None else f"{s['quote_text_retained']:.1f}"
        print(
            f"{name:<10}{s['n']:>4}{s['title_exact']:>8.1f}{s['title_lenient']:>8.1f}{s['published']:>8.1f}"
            f"{s['authors']:>9.1f}{quotes:>9}{s['docs_with_chrome_left']:>8}"
        )
    print("(title: exact %, title~: token F1 >= 0.8 %, date/authors: exact %, chrome: docs with suspects;")
    print(" text only: txt/md/pdf metadata from the text cleaner alone, without a PDF's document info)")
    print("\nper document:")
    for r in result["documents"]:
        marks = "".join(
            "." if r[k] else "x" for k in ("title_exact", "title_lenient", "published_exact", "authors_exact")
        )
        print(
            f"  {marks}  quotes {r['quotes_retained']}/{r['quotes_total']}"
            f"  chrome {len(r['chrome_suspects'])}  {r['gold']}"
        )
        if not show_errors:
            continue
        if "error" in r:
            print(f"        error: {r['error']}")
        if not r["title_exact"]:
            print(f"        title   {r['title']!r}\n           gold {r['gold_title']!r}")
        if not r["published_exact"]:
            print(f"        date    {r['published']!r}  gold {r['gold_published']!r}")
        if not r["authors_exact"]:
            print(f"        authors {r['authors']!r}  gold {r['gold_authors']!r}")
        for q in r["quotes_lost"]:
            print(f"        lost quote {q[:70]!r}")
        for s in r["chrome_suspects"]:
            print(f"        chrome? {s[:90]!r}")


def main(argv: list[str] | None = None) -> int:
    description = __doc__.splitlines()[0] if __doc__ else None
    return sample_scorer_main(
        argv, description, DEFAULT_OUT, score, _print, "print every mismatch and chrome suspect"
    )


if __name__ == "__main__":
    sys.exit(main())
