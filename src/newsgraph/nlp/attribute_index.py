"""The model's attribute ruler, with its patterns found through hash tables instead of a Matcher.

en_core_web_sm's ``attribute_ruler`` maps every fine-grained tag to its coarse POS and
morphology with 179 patterns, almost all of one token. spaCy's Matcher tries every pattern
at every token, which made this table look-up about 15 % of the model's time on news text
(3.1 s of about 20 per 400 articles). Here each pattern built from equality, ``IN``,
``NOT_IN`` and ``REGEX`` tests on token attributes is filed under the values its anchor
token (the first with an equality test) must have, so a token finds its candidate
patterns with one dictionary look-up per attribute combination (0.4 s for the same
articles). Patterns of any other shape (operators, extensions, comparisons) stay with a
Matcher of their own. The matches are sorted as spaCy sorts them and applied by spaCy's
own ``AttributeRuler.set_annotations``, so every token gets the same annotations:
tests/unit/test_attribute_index.py checks this against the model's ruler.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy
from spacy.attrs import IDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

Match = tuple[int, int, int, int]
"""(pattern number, match id, start, end), sorted: the order ``AttributeRuler.match`` returns."""

Row = Sequence[int]
"""One token's values of the attributes the patterns read, as hashes (flags as 0 or 1)."""

STRING_ATTRS = frozenset({"ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE"})
FLAG_ATTRS = frozenset({"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_STOP", "LIKE_NUM"})
REGEX_MEMO = 100_000


@dataclass
class _Tests:
    """One pattern token's tests by attribute name: values it must have or must not have, regexes."""

    allowed: dict[str, list[object]] = field(default_factory=dict)
    excluded: dict[str, list[object]] = field(default_factory=dict)
    regexes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Spec:
    """One pattern token's tests by column of the attribute array."""

    allowed: tuple[tuple[int, frozenset[int]], ...]
    excluded: tuple[tuple[int, frozenset[int]], ...]
    regexes: tuple[tuple[int, re.Pattern[str]], ...]

    def holds(self, row: Row, regex_holds: Callable[[re.Pattern[str], int], bool]) -> bool:
        return (
            all(row[col] in values for col, values in self.allowed)
            and all(row[col] not in values for col, values in self.excluded)
            and all(regex_holds(regex, row[col]) for col, regex in self.regexes)
        )


@dataclass(frozen=True)
class _Entry:
    """A pattern filed under the values of one of its tokens, the anchor."""

    number: int
    anchor: int
    specs: tuple[_Spec, ...]
    sure: bool = field(init=False)
    """One token whose every test is part of the look-up key: found means matched."""

    def __post_init__(self) -> None:
        only = self.specs[0] if len(self.specs) == 1 else None
        object.__setattr__(self, "sure", only is not None and not only.excluded and not only.regexes)


@dataclass
class _Bucket:
    """Anchors that test the same columns for equality, keyed by those columns' values."""

    columns: tuple[int, ...]
    table: dict[tuple[int, ...], list[_Entry]] = field(default_factory=dict)
    firsts: numpy.ndarray[Any, Any] = field(default_factory=lambda: numpy.zeros(0, dtype=numpy.uint64))
    """The values the first column takes in some key: rows without one are skipped unvisited."""

    def key(self) -> Callable[[Row], tuple[int, ...]]:
        if len(self.columns) == 1:
            col = self.columns[0]
            return lambda row: (row[col],)
        getter: Callable[[Row], tuple[int, ...]] = itemgetter(*self.columns)
        return getter


def _parse_token(token: object) -> _Tests | None:
    """A pattern token's tests, or None when it uses anything a look-up cannot answer exactly."""
    if not isinstance(token, dict):
        return None
    tests = _Tests()
    for attr, value in token.items():
        if attr not in STRING_ATTRS and attr not in FLAG_ATTRS:
            return None
        if isinstance(value, str | bool):
            tests.allowed[attr] = [value]
        elif not isinstance(value, dict) or len(value) != 1:
            return None
        elif isinstance(value.get("IN"), list):
            tests.allowed[attr] = list(value["IN"])
        elif isinstance(value.get("NOT_IN"), list):
            tests.excluded[attr] = list(value["NOT_IN"])
        elif isinstance(value.get("REGEX"), str) and attr in STRING_ATTRS:
            tests.regexes[attr] = value["REGEX"]
        else:
            return None
    return tests


class IndexedAttributeRuler(AttributeRuler):
    """An ``AttributeRuler`` whose patterns are found by hash look-up; same patterns, same output."""

    def __init__(self, vocab: Vocab, name: str = "attribute_ruler", *, validate: bool = False) -> None:
        super().__init__(vocab, name, validate=validate)
        self._built_for = -1
        self._columns: dict[int, int] = {}
        """spaCy attribute id -> its column in the array ``match`` reads."""
        self._buckets: list[_Bucket] = []
        self._scan: list[_Entry] = []
        self._rest = Matcher(vocab)
        self._match_ids: list[int] = []
        self._regex_cache: dict[tuple[re.Pattern[str], int], bool] = {}

    def match(self, doc: Doc) -> list[Match]:
        if self._built_for != len(self.attrs):
            self._build()
        found: list[Match] = []
        if len(self._rest):
            rest: list[tuple[int, int, int]] = self._rest(doc, allow_missing=True, as_spans=False)
            found = [(int(self.vocab.strings[m_id]), m_id, s, e) for m_id, s, e in rest]
        n = len(doc)
        if n and self._columns:
            array = doc.to_array(list(self._columns)).reshape(n, len(self._columns))
            rows: list[Row] = array.tolist()  # type: ignore[assignment]  # uint64 values: ints
            for bucket in self._buckets:
                table, key = bucket.table, bucket.key()
                for i in numpy.flatnonzero(numpy.isin(array[:, bucket.columns[0]], bucket.firsts)).tolist():
                    for entry in table.get(key(rows[i]), ()):
                        self._try(entry, i, rows, found)
            for entry in self._scan:
                for i in self._scan_rows(entry.specs[0], array).tolist():
                    self._try(entry, i, rows, found)
        found.sort()
        return found

    def _try(self, entry: _Entry, i: int, rows: list[Row], found: list[Match]) -> None:
        """Add the match of ``entry`` anchored at token ``i`` if every one of its tokens holds."""
        if entry.sure:
            found.append((entry.number, self._match_ids[entry.number], i, i + 1))
            return
        start = i - entry.anchor
        end = start + len(entry.specs)
        if start < 0 or end > len(rows):
            return
        test = self._regex_holds
        if all(spec.holds(rows[start + j], test) for j, spec in enumerate(entry.specs)):
            found.append((entry.number, self._match_ids[entry.number], start, end))

    def _scan_rows(self, spec: _Spec, array: numpy.ndarray[Any, Any]) -> numpy.ndarray[Any, Any]:
        """Rows passing a first token's exclusions and regexes, each distinct value tested once."""
        keep = numpy.ones(len(array), dtype=bool)
        for col, banned in spec.excluded:
            keep &= ~numpy.isin(array[:, col], list(banned))
        for col, regex in spec.regexes:
            column = array[:, col]
            passing = [v for v in numpy.unique(column).tolist() if self._regex_holds(regex, v)]
            keep &= numpy.isin(column, passing)
        return numpy.flatnonzero(keep)

    def _regex_holds(self, regex: re.Pattern[str], value: int) -> bool:
        """A REGEX test on an attribute's string, remembered per string (a bounded memo: a long
        ingest meets hundreds of thousands of distinct words)."""
        known = self._regex_cache.get((regex, value))
        if known is None:
            if len(self._regex_cache) >= REGEX_MEMO:
                self._regex_cache.clear()
            known = self._regex_cache[(regex, value)] = bool(regex.search(str(self.vocab.strings[value])))
        return known

    def _hash(self, attr: str, value: object) -> int:
        if attr in FLAG_ATTRS:
            return int(bool(value))
        return int(self.vocab.strings.add(str(value))) if value != "" else 0

    def _spec(self, tests: _Tests) -> _Spec:
        col = self._column
        return _Spec(
            tuple((col(a), frozenset(self._hash(a, v) for v in vs)) for a, vs in tests.allowed.items()),
            tuple((col(a), frozenset(self._hash(a, v) for v in vs)) for a, vs in tests.excluded.items()),
            tuple((col(a), re.compile(r)) for a, r in tests.regexes.items()),
        )

    def _column(self, attr: str) -> int:
        return self._columns.setdefault(IDS[attr], len(self._columns))

    def _build(self) -> None:
        """File each pattern under its anchor's values, or give it to the Matcher for the rest."""
        self._columns, self._scan, self._rest = {}, [], Matcher(self.vocab)
        buckets: dict[tuple[int, ...], _Bucket] = {}
        self._match_ids = [int(self.vocab.strings.add(str(n))) for n in range(len(self.attrs))]
        for number, entry in enumerate(self.patterns):
            leftover: list[list[dict[str, Any]]] = []
            patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
            for pattern in patterns:
                parsed = [_parse_token(token) for token in pattern]
                tests = [t for t in parsed if t is not None]
                if not tests or len(tests) < len(parsed):
                    leftover.append(pattern)
                    continue
                specs = tuple(self._spec(t) for t in tests)
                anchor = next((j for j, t in enumerate(tests) if t.allowed), None)
                if anchor is None:  # nothing to look up: tried wherever its first token holds
                    self._scan.append(_Entry(number, 0, specs))
                    continue
                names = sorted(tests[anchor].allowed)
                columns = tuple(self._column(a) for a in names)
                bucket = buckets.setdefault(columns, _Bucket(columns))
                filed = _Entry(number, anchor, specs)
                for values in itertools.product(*(tests[anchor].allowed[a] for a in names)):
                    key = tuple(self._hash(a, v) for a, v in zip(names, values, strict=True))
                    bucket.table.setdefault(key, []).append(filed)
            if leftover:
                self._rest.add(str(number), leftover)
        for bucket in buckets.values():
            bucket.firsts = numpy.array(sorted({key[0] for key in bucket.table}), dtype=numpy.uint64)
        self._buckets = list(buckets.values())
        self._built_for = len(self.attrs)


@Language.factory("newsgraph_attribute_ruler", default_config={"validate": False})
def make_indexed_attribute_ruler(nlp: Language, name: str, validate: bool) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp.vocab, name, validate=validate)


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> None:
    """Put the indexed ruler, with the same patterns, in the model's attribute ruler's place."""
    if name not in nlp.pipe_names:
        return
    model_ruler = nlp.get_pipe(name)
    if not isinstance(model_ruler, AttributeRuler) or isinstance(model_ruler, IndexedAttributeRuler):
        return
    patterns = model_ruler.patterns
    ruler = nlp.replace_pipe(name, "newsgraph_attribute_ruler")
    assert isinstance(ruler, IndexedAttributeRuler)
    ruler.add_patterns(patterns)
