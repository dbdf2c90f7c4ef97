"""Build a synthetic corpus of N articles from the project's own demo articles (data/sample/).

Speed and memory benchmarks need thousands of articles that look like the real input but
are not copies of one another (so the store's duplicate check does not skip them and the
gazetteer and dictionaries see varied names). Each generated article is one demo article,
cleaned by newsgraph, with its people, places, years, month names and figures swapped from
substitution tables. The output is deterministic for a given seed.

    python benchmarks/make_corpus.py OUT_DIR -n 2000 [--seed 7] [--format txt|jsonl]

``txt`` writes one scraped-style text file per article (title, byline with the date,
body) into OUT_DIR/NNN/ folders of 1,000; ``jsonl`` writes OUT_DIR/corpus.jsonl with the
text, title, published, author and url fields.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from _common import ROOT

SAMPLE = ROOT / "data" / "sample"

FIRST_NAMES = [
    "Amir", "Bella", "Chingiz", "Daria", "Emin", "Fatima", "Georgi", "Hasan", "Irina", "Jamal",
    "Karina", "Leyla", "Mikhail", "Nargiz", "Oleg", "Parviz", "Rashid", "Sabina", "Tamerlan",
    "Ulviyya", "Viktor", "Yusuf", "Zarina", "Anzor", "Madina", "Ilyas", "Nadia", "Sergei",
]  # fmt: skip
LAST_NAMES = [
    "Aliyev", "Bagirova", "Chernov", "Dadashev", "Evloev", "Fedorova", "Gadzhiev", "Huseynov",
    "Ismailova", "Kadyrov", "Lomidze", "Mirzoev", "Nurmagomedov", "Orlova", "Petrosyan",
    "Rahimov", "Sultanova", "Tagiev", "Umarov", "Valiev", "Yakubov", "Zakaev", "Barzani",
    "Demir", "Karimi", "Novak", "Sorensen", "Tashkentov",
]  # fmt: skip
# towns of the region that the demo articles are about; each article's town is swapped for
# another one of the same list (all are in the gazetteer, so place look-ups stay realistic)
TOWNS = [
    "Makhachkala", "Nalchik", "Nazran", "Karabulak", "Sumgait", "Erbil", "Cologne", "Hakkari",
    "Tehran", "Baku", "Grozny", "Derbent", "Vladikavkaz", "Kaspiysk", "Khasavyurt", "Ganja",
    "Tabriz", "Mosul", "Stavropol", "Rostov-on-Don", "Magas", "Gudermes", "Lankaran", "Astara",
    "Kirkuk", "Sulaymaniyah", "Van", "Diyarbakir", "Almaty", "Tashkent", "Dushanbe", "Bishkek",
]  # fmt: skip
THIRTY_ONE_DAY_MONTHS = ["January", "March", "May", "July", "August", "October", "December"]
YEAR = re.compile(r"\b(19[89]\d|20[0-3]\d)\b")
NUMBER = re.compile(r"(?<![\d.,:-])\b(\d{1,3})\b(?![.,:]\d)")


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    text: str
    published: str | None
    people: tuple[str, ...]
    authors: tuple[str, ...]


def load_templates() -> list[Template]:
    """The demo articles as newsgraph cleans them, with the people named in their gold files."""
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from newsgraph.ingest.document import to_document
    from newsgraph.ingest.readers import ReaderOptions
    from newsgraph.models import RawDocument
    from newsgraph.pipeline import read_inputs
    from newsgraph.sample import sample_inputs

    gold: dict[str, dict[str, object]] = {}
    for path in sorted((SAMPLE / "gold").glob("*.json")):
        gold[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    out: list[Template] = []
    for raw in read_inputs(sample_inputs(), ReaderOptions()):
        if not isinstance(raw, RawDocument):
            continue
        doc = to_document(raw)
        stem = Path(raw.source.split("#")[0]).stem
        if "#row=" in raw.source:
            stem = f"{stem}.{int(raw.source.rsplit('=', 1)[1]) - 1}"
        entities = gold.get(stem, {}).get("entities") or []
        people = tuple(
            str(e["name"])
            for e in entities  # type: ignore[union-attr]
            if e.get("type") == "PERSON" and " " in str(e.get("name"))
        )
        out.append(Template(stem, doc.title or "", doc.text, doc.published, people, doc.authors))
    return out


def _swap_words(text: str, mapping: dict[str, str]) -> str:
    if not mapping:
        return text
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")\b")
    return pattern.sub(lambda m: mapping[m[1]], text)


def vary(template: Template, rng: random.Random) -> dict[str, str | None]:
    """One new article from a template: people, towns, years, months and small numbers swapped."""
    mapping: dict[str, str] = {}
    for person in template.people + template.authors:
        *_, last = person.split()
        new_first, new_last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        mapping.setdefault(person, f"{new_first} {new_last}")
        mapping.setdefault(last, new_last)
    for town in TOWNS:
        if town in template.text:
            mapping.setdefault(town, rng.choice(TOWNS))
    months = THIRTY_ONE_DAY_MONTHS[:]
    rng.shuffle(months)
    mapping.update(dict(zip(THIRTY_ONE_DAY_MONTHS, months, strict=True)))
    shift = rng.randint(-6, 1)

    def year(m: re.Match[str]) -> str:
        return str(int(m[1]) + shift)

    def number(m: re.Match[str]) -> str:
        value = int(m[1])
        if value == 0:
            return m[1]
        low = 10 ** (len(m[1]) - 1)
        return str(rng.randint(max(1, low), 10 ** len(m[1]) - 1))

    def transform(text: str) -> str:
        return NUMBER.sub(number, YEAR.sub(year, _swap_words(text, mapping)))

    published = None
    if template.published:
        y, mo, d = template.published.split("-")
        published = f"{int(y) + shift:04d}-{mo}-{d}"
    authors = [mapping.get(a, a) for a in template.authors]
    return {
        "title": _swap_words(template.title, mapping),
        "text": transform(template.text),
        "published": published,
        "author": "; ".join(authors) or None,
    }


def _as_text_file(article: dict[str, str | None]) -> str:
    """A scraped-looking article: title, byline with the date, then the body."""
    head = [article["title"] or ""]
    byline = []
    if article["author"]:
        byline.append(f"By {article['author'].replace('; ', ' and ')}")
    if article["published"]:
        import datetime as dt

        date = dt.date.fromisoformat(article["published"])
        byline.append(f"{date:%B} {date.day}, {date.year}")
    if byline:
        head.append(" ".join(byline))
    return "\n\n".join([*head, article["text"] or ""]) + "\n"


def generate(out_dir: Path, n: int, seed: int = 7, fmt: str = "txt") -> list[Path]:
    """Write N articles; returns the inputs to pass to `newsgraph ingest` (a folder or a file)."""
    rng = random.Random(seed)
    templates = load_templates()
    out_dir.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        feed = out_dir / "corpus.jsonl"
        with feed.open("w", encoding="utf-8") as handle:
            for i in range(n):
                article = vary(templates[i % len(templates)], rng)
                article["url"] = f"https://news.example/{seed}/{i}"
                handle.write(json.dumps(article, ensure_ascii=False) + "\n")
        return [feed]
    for i in range(n):
        template = templates[i % len(templates)]
        folder = out_dir / f"{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        body = _as_text_file(vary(template, rng))
        (folder / f"{i:06d}-{template.name}.txt").write_text(body, encoding="utf-8")
    return [out_dir]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    args = parser.parse_args(argv)
    inputs = generate(args.out, args.n, args.seed, args.format)
    print(f"{args.n} articles -> {', '.join(map(str, inputs))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
