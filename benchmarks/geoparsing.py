"""Toponym resolution accuracy of newsgraph's gazetteer on GeoWebNews and LGL (dev halves).

What is measured: RESOLUTION only. Each gold toponym span's text is handed to
``Gazetteer.resolve`` (the call the entity extractor makes on GPE/LOC/FAC names) and the
answer is compared with the gold GeoNames entry. Recognition (finding the spans) is not
scored here, so the numbers are an upper bound on what the full pipeline gets.

Which gold toponyms count:
- LGL: every toponym with a ``gaztag`` (a GeoNames id and coordinates); the ~12% without
  one have no gold location to compare with.
- GeoWebNews: every toponym with a GeoNames id, reported twice. ``locational`` keeps the
  types whose words point at the place itself (Literal, Literal_Modifier, Mixed,
  Embedded_Literal, Coercion). ``all`` adds metonymy ("Russia" for its government),
  non-literal modifiers ("Irish", "French") and names embedded in other names ("Washington"
  in "Washington Post"), as Mordecai 3's evaluation does; a place resolver without a
  demonym table cannot get "French" -> France, so that row is lower by construction.

Context, without gold labels: each article's toponym strings go through
``Gazetteer.resolve_document`` as the extractor's would: every string alone first, then
twice more with ``document_context`` of the others' answers (countries named as
countries, subdivisions and their countries, and the country most of the towns lie in);
a string is never its own context.

Metrics, over all n counted toponyms (an unresolved toponym counts as wrong):
- coverage: resolved to anything;
- country: the predicted place's country equals the gold country (LGL gives it; for
  GeoWebNews it is the country of the gold GeoNames id in our gazetteer, else that of the
  nearest town to the gold coordinates within 50 km; toponyms with no gold country known,
  seas and continents, are left out of this metric's denominator);
- acc@161km: the predicted coordinates are within 161 km (100 miles) of the gold ones;
- exact id: the predicted GeoNames id equals the gold id;
- and, over the resolved toponyms only, correct country and acc@161km again: how good an
  answer is when the gazetteer gives one.

No rule in the gazetteer is tuned to sentences of these files; the file contents are read
at run time from ../shared and never copied into the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from newsgraph.geo.gazetteer import (  # noqa: E402
    Gazetteer,
    Place,
    haversine_km,
    load_gazetteer,
)

EVAL_DIR = REPO.parent / "shared" / "eval" / "geoparsing"
GWN_LOCATIONAL = frozenset({"Literal", "Literal_Modifier", "Mixed", "Embedded_Literal", "Coercion"})
ACC_KM = 161.0

MORDECAI3: dict[str, Any] = {
    "source": "Halterman (2023), 'Mordecai 3: A Neural Geoparser and Event Geocoder', arXiv:2303.13675",
    "note": (
        "Published on Mordecai's own evaluation setup (its own toponym recognition and full "
        "corpora, not these dev halves); shown for orientation, not as a like-for-like comparison."
    ),
    "GWN": {"exact_id_pct": 90.1, "correct_country_pct": "~97-99"},
    "LGL": {"exact_id_pct": 79.4, "correct_country_pct": "~97-99"},
}


@dataclass
class Toponym:
    text: str
    gold_id: int | None
    lat: float
    lon: float
    kind: str
    gold_country: str | None = None


@dataclass
class Article:
    key: str
    toponyms: list[Toponym] = field(default_factory=list)


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def read_gwn(path: Path) -> list[Article]:
    """GeoWebNews: every toponym that has gold coordinates, with its pragmatic type."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        art = Article(node.get("file") or "")
        for tp in node.iter("toponym"):
            lat, lon = _float(tp.findtext("latitude")), _float(tp.findtext("longitude"))
            if lat is None or lon is None:
                continue
            gid = tp.findtext("geonamesID")
            art.toponyms.append(
                Toponym(
                    (tp.findtext("extractedName") or "").strip(),
                    int(gid) if gid and gid.isdigit() else None,
                    lat,
                    lon,
                    tp.findtext("type") or "",
                )
            )
        articles.append(art)
    return articles


def read_lgl(path: Path, country_ids: dict[int, str]) -> list[Article]:
    """LGL (and TR-News, same format): toponyms with a gaztag; the feature code is the kind."""
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        art = Article(node.get("docid") or "")
        for tp in node.iter("toponym"):
            tag = tp.find("gaztag")
            if tag is None:
                continue
            lat, lon = _float(tag.findtext("lat")), _float(tag.findtext("lon"))
            if lat is None or lon is None:
                continue
            country = tag.find("country")
            cid = country.get("geonameid") if country is not None else None
            gid = tag.get("geonameid")
            art.toponyms.append(
                Toponym(
                    (tp.findtext("phrase") or "").strip(),
                    int(gid) if gid and gid.isdigit() else None,
                    lat,
                    lon,
                    tag.findtext("fcode") or "",
                    country_ids.get(int(cid)) if cid and cid.isdigit() else None,
                )
            )
        articles.append(art)
    return articles


def gold_country(gaz: Gazetteer, top: Toponym) -> str | None:
    """The gold place's country: by GeoNames id where we hold it, else by the nearest town."""
    if top.gold_id is not None:
        place = gaz.by_geonameid(top.gold_id)
        if place is not None:
            return place.country
    near = gaz.nearest(top.lat, top.lon, 50.0)
    return near.country if near is not None else None


def resolve_article(gaz: Gazetteer, art: Article, use_context: bool) -> list[Place | None]:
    """Every string alone, or all of them together with ``Gazetteer.resolve_document``."""
    texts = [t.text for t in art.toponyms]
    found = gaz.resolve_document(texts, rounds=2 if use_context else 0)
    return [found.get(text) for text in texts]


def score(pairs: Iterable[tuple[Toponym, Place | None]]) -> dict[str, Any]:
    n = resolved = country_ok = country_n = within = exact = resolved_with_country = 0
    errors: list[float] = []
    for top, place in pairs:
        n += 1
        if top.gold_country is not None:
            country_n += 1
        if place is None:
            continue
        resolved += 1
        if top.gold_country is not None:
            resolved_with_country += 1
            country_ok += place.country == top.gold_country
        km = haversine_km(top.lat, top.lon, place.lat, place.lon)
        errors.append(km)
        within += km <= ACC_KM
        exact += top.gold_id is not None and place.geonameid == top.gold_id

    def pct(a: int, b: int) -> float | None:
        return round(100.0 * a / b, 1) if b else None

    return {
        "n": n,
        "coverage_pct": pct(resolved, n),
        "correct_country_pct": pct(country_ok, country_n),
        "country_n": country_n,
        "acc_161km_pct": pct(within, n),
        "exact_id_pct": pct(exact, n),
        "median_error_km": round(statistics.median(errors), 1) if errors else None,
        "resolved_correct_country_pct": pct(country_ok, resolved_with_country),
        "resolved_acc_161km_pct": pct(within, resolved),
    }


def evaluate(
    gaz: Gazetteer, articles: list[Article], use_context: bool
) -> list[tuple[Toponym, Place | None]]:
    pairs = []
    for art in articles:
        for top, place in zip(art.toponyms, resolve_article(gaz, art, use_context), strict=True):
            pairs.append((top, place))
    return pairs


def breakdown(pairs: list[tuple[Toponym, Place | None]], top_k: int = 8) -> dict[str, Any]:
    """The same metrics per toponym type (GWN) or GeoNames feature code (LGL)."""
    by_kind: dict[str, list[tuple[Toponym, Place | None]]] = defaultdict(list)
    for pair in pairs:
        by_kind[pair[0].kind].append(pair)
    common = [k for k, _ in Counter({k: len(v) for k, v in by_kind.items()}).most_common(top_k)]
    return {k: score(by_kind[k]) for k in common}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gwn", type=Path, default=EVAL_DIR / "GWN.xml")
    ap.add_argument("--lgl", type=Path, default=EVAL_DIR / "lgl.xml")
    ap.add_argument("--trnews", type=Path, default=None, help="optional TR-News file (LGL format)")
    ap.add_argument("--limit", type=int, default=None, help="articles per corpus (default: all)")
    ap.add_argument("--no-context", action="store_true", help="resolve every string without context")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "geoparsing.json")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    load_gazetteer.cache_clear()
    gaz = load_gazetteer()
    load_s = time.perf_counter() - t0
    country_ids = {}
    for iso_place in gaz.countries():
        if iso_place.geonameid is not None and iso_place.country is not None:
            country_ids[iso_place.geonameid] = iso_place.country

    corpora: dict[str, list[Article]] = {}
    if args.gwn and args.gwn.is_file():
        corpora["GWN"] = read_gwn(args.gwn)
    if args.lgl and args.lgl.is_file():
        corpora["LGL"] = read_lgl(args.lgl, country_ids)
    if args.trnews and args.trnews.is_file():
        corpora["TR-News"] = read_lgl(args.trnews, country_ids)
    if not corpora:
        print(f"no corpus found (looked for {args.gwn} and {args.lgl})", file=sys.stderr)
        return 2

    results: dict[str, Any] = {}
    t1 = time.perf_counter()
    lookups = 0
    for name, articles in corpora.items():
        if args.limit:
            articles = articles[: args.limit]
        for art in articles:
            for top in art.toponyms:
                if top.gold_country is None:
                    top.gold_country = gold_country(gaz, top)
        pairs = evaluate(gaz, articles, not args.no_context)
        lookups += 2 * len(pairs)
        entry: dict[str, Any] = {"articles": len(articles)}
        if name == "GWN":
            entry["locational"] = score(p for p in pairs if p[0].kind in GWN_LOCATIONAL)
            entry["all"] = score(pairs)
        else:
            entry["all"] = score(pairs)
        entry["by_kind"] = breakdown(pairs)
        results[name] = entry
    eval_s = time.perf_counter() - t1

    rows = []
    for name, entry in results.items():
        for subset in ("locational", "all"):
            if subset in entry:
                rows.append((f"{name} {subset}", entry[subset]))
    header = (
        f"{'corpus':<18}{'n':>6}{'cover%':>8}{'country%':>10}{'@161km%':>9}{'exact%':>8}{'med km':>8}"
        f"{'| resolved: country%':>21}{'@161km%':>9}"
    )
    print(header)
    print("-" * len(header))
    for label, m in rows:
        print(
            f"{label:<18}{m['n']:>6}{m['coverage_pct']!s:>8}{m['correct_country_pct']!s:>10}"
            f"{m['acc_161km_pct']!s:>9}{m['exact_id_pct']!s:>8}{m['median_error_km']!s:>8}"
            f"{m['resolved_correct_country_pct']!s:>21}{m['resolved_acc_161km_pct']!s:>9}"
        )
    print(
        f"\nMordecai 3 (published, own setup): exact id GWN {MORDECAI3['GWN']['exact_id_pct']}%, "
        f"LGL {MORDECAI3['LGL']['exact_id_pct']}%; correct country ~97-99%"
    )
    print(f"gazetteer load {load_s:.2f} s; {lookups} resolutions in {eval_s:.2f} s")

    report = {
        "benchmark": "geoparsing (toponym resolution on gold spans)",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "node": platform.node(),
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
        },
        "data": {name: str(path) for name, path in (("GWN", args.gwn), ("LGL", args.lgl)) if path},
        "split": "dev halves (../shared/eval/geoparsing/SOURCE.md)",
        "context": "none"
        if args.no_context
        else "Gazetteer.resolve_document: document_context of the other toponyms",
        "limit": args.limit,
        "gazetteer_load_s": round(load_s, 3),
        "eval_s": round(eval_s, 3),
        "results": results,
        "mordecai3_published": MORDECAI3,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
