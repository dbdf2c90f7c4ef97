"""Profile one in-process ingest with pyinstrument: where the time goes besides spaCy itself.

Builds the demo corpus x 50 (900 articles, varied by make_corpus.py) and ingests it into
a fresh store under pyinstrument; prints the call tree and writes it to
benchmarks/results/profile_ingest.txt (with --html also the interactive HTML, for a person).

    python benchmarks/profile_ingest.py [-n 900] [--workers 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import RESULTS_DIR, ROOT
from make_corpus import generate

sys.path.insert(0, str(ROOT / "src"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=900)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "profile_ingest")
    parser.add_argument("--html", action="store_true", help="also write the interactive HTML (~10 MB)")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    from newsgraph.pipeline import IngestOptions, ingest
    from newsgraph.runtime import load_resources
    from newsgraph.store.db import Store

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        generate(tmp / "corpus", args.n, seed=7)
        profiler = Profiler(interval=0.002)
        profiler.start()
        res = load_resources()
        with Store(tmp / "kb.duckdb") as store:
            report = ingest(store, [str(tmp / "corpus")], res, IngestOptions())
        profiler.stop()
    print(report.counts(), file=sys.stderr)
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".txt").write_text(text, encoding="utf-8")
    if args.html:
        args.out.with_suffix(".html").write_text(profiler.output_html(), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
