"""Readers: one per container format, each yielding raw documents or per-item errors.

A reader never raises for bad content: a broken file or row becomes a
``ReadError`` naming it, and the batch goes on.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.ingest.decode import DecodeError, decode_text
from newsgraph.models import RawDocument, ReadError

ReadResult = Iterator[RawDocument | ReadError]


@dataclass(frozen=True)
class ReaderOptions:
    """Column names for feeds, and limits that keep one input from stalling a batch."""

    text_field: str = "text"
    title_field: str = "title"
    url_field: str = "url"
    published_field: str = "published"
    author_field: str = "author"
    encoding: str | None = None
    max_bytes: int = 20_000_000
    """Per file for txt/html/pdf, per row for feeds."""
    max_file_bytes: int = 2_000_000_000
    """Whole feed files (JSONL/CSV) are streamed, so they may be far larger."""


def read_path(path: Path, options: ReaderOptions) -> ReadResult:
    """Dispatch on the file's suffix; unknown kinds get a clear error."""
    reader = READERS.get(path.suffix.lower())
    source = os.path.abspath(path)
    if reader is None:
        known = ", ".join(sorted(READERS))
        yield ReadError(source, f"unsupported file type '{path.suffix or '(none)'}' (known: {known})")
        return
    try:
        yield from reader(path, source, options)
    except PermissionError:
        yield ReadError(source, "permission denied")
    except IsADirectoryError:
        yield ReadError(source, "is a directory")
    except OSError as exc:
        yield ReadError(source, f"cannot read: {exc.strerror or exc}")


def read_stdin(options: ReaderOptions) -> ReadResult:
    """Read one article from standard input; markup is recognised and treated as HTML."""
    data = sys.stdin.buffer.read(options.max_bytes + 1)
    digest = hashlib.sha256(data).hexdigest()[:16]
    source = f"stdin:{digest}"
    if len(data) > options.max_bytes:
        yield ReadError(source, f"larger than the {options.max_bytes}-byte limit")
        return
    try:
        text = decode_text(data, options.encoding)
    except DecodeError as exc:
        yield ReadError(source, str(exc))
        return
    head = text.lstrip()[:500].lower()
    fmt = "html" if head.startswith(("<!doctype html", "<html")) or "<body" in head else "text"
    yield RawDocument(source=source, content=text, fmt=fmt)


def _read_bytes(path: Path, options: ReaderOptions, limit: int | None = None) -> bytes:
    limit = options.max_bytes if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        raise _TooLarge(f"file is {size} bytes, over the {limit}-byte limit (--max-bytes)")
    return path.read_bytes()


class _TooLarge(ValueError):
    pass


def _read_text_file(path: Path, source: str, options: ReaderOptions) -> ReadResult:
    try:
        text = decode_text(_read_bytes(path, options), options.encoding)
    except (DecodeError, _TooLarge) as exc:
        yield ReadError(source, str(exc))
        return
    if not text.strip():
        yield ReadError(source, "no text (only whitespace)")
        return
    yield RawDocument(source=source, content=text, fmt="text")


def _read_html(path: Path, source: str, options: ReaderOptions) -> ReadResult:
    try:
        text = decode_text(_read_bytes(path, options), options.encoding)
    except (DecodeError, _TooLarge) as exc:
        yield ReadError(source, str(exc))
        return
    yield RawDocument(source=source, content=text, fmt="html")


def _read_pdf(path: Path, source: str, options: ReaderOptions) -> ReadResult:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        data = _read_bytes(path, options)
    except _TooLarge as exc:
        yield ReadError(source, str(exc))
        return
    if not data:
        yield ReadError(source, "empty file")
        return
    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data), strict=False)
            pages = [page.extract_text() or "" for page in reader.pages]
            meta = reader.metadata
            title = str(meta.title).strip() if meta is not None and meta.title else None
            author = str(meta.author).strip() if meta is not None and meta.author else None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        yield ReadError(source, f"malformed PDF: {type(exc).__name__}: {exc}")
        return
    text = "\n".join(pages)
    if not text.strip():
        yield ReadError(source, "PDF has no text layer (scanned image?); run OCR first")
        return
    yield RawDocument(
        source=source,
        content=text,
        fmt="text",
        title=title or None,
        authors=(author,) if author else (),
    )


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs repairs ("EOF marker not found") without naming the file; the outcome is reported."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _row_document(row: dict[str, Any], source: str, options: ReaderOptions) -> RawDocument | ReadError:
    text = row.get(options.text_field)
    if not isinstance(text, str) or not text.strip():
        return ReadError(source, f"no '{options.text_field}' field with text (see --text-field)")
    if len(text) > options.max_bytes:
        return ReadError(source, f"text is over the {options.max_bytes}-character limit")
    authors = row.get(options.author_field)
    if isinstance(authors, str):
        author_list = tuple(a.strip() for a in authors.split(";") if a.strip())
    elif isinstance(authors, list):
        author_list = tuple(str(a).strip() for a in authors if str(a).strip())
    else:
        author_list = ()
    url = _str_or_none(row.get(options.url_field))
    head = text.lstrip()[:300].lower()
    fmt = "html" if head.startswith(("<!doctype html", "<html")) else "text"
    return RawDocument(
        source=source,
        content=text,
        fmt=fmt,
        title=_str_or_none(row.get(options.title_field)),
        authors=author_list,
        published=_str_or_none(row.get(options.published_field)),
        url=url,
    )


def _str_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_jsonl(path: Path, source: str, options: ReaderOptions) -> ReadResult:
    if path.stat().st_size > options.max_file_bytes:
        yield ReadError(source, f"feed is over the {options.max_file_bytes}-byte limit")
        return
    with path.open("rb") as handle:
        for lineno, line in enumerate(handle, start=1):
            item = read_jsonl_line(line, f"{source}#row={lineno}", options)
            if item is not None:
                yield item


def read_jsonl_line(line: bytes, row_source: str, options: ReaderOptions) -> RawDocument | ReadError | None:
    """One JSONL line as a document, an error, or None for a blank line (also used by
    cluster workers that read a byte range of a feed)."""
    if not line.strip():
        return None
    try:
        # decode_text drops a UTF-8 byte-order mark (first line of a file saved by Notepad)
        row = json.loads(decode_text(line, options.encoding))
    except DecodeError as exc:
        return ReadError(row_source, str(exc))
    except json.JSONDecodeError as exc:
        return ReadError(row_source, f"broken JSON line: {exc.msg} (column {exc.colno})")
    if not isinstance(row, dict):
        return ReadError(row_source, "a JSONL row must be an object")
    return _row_document(row, row_source, options)


def _read_csv(path: Path, source: str, options: ReaderOptions) -> ReadResult:
    if path.stat().st_size > options.max_file_bytes:
        yield ReadError(source, f"feed is over the {options.max_file_bytes}-byte limit")
        return
    csv.field_size_limit(max(options.max_bytes, 1 << 20))
    encoding = options.encoding or _csv_encoding(path)
    try:
        with path.open("r", encoding=encoding, newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                yield ReadError(source, "empty CSV (no header row)")
                return
            if options.text_field not in reader.fieldnames:
                cols = ", ".join(reader.fieldnames)
                yield ReadError(
                    source, f"no '{options.text_field}' column (columns: {cols}); see --text-field"
                )
                return
            for index, row in enumerate(reader, start=1):
                yield _row_document(dict(row), f"{source}#row={index}", options)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if encoding == "utf-8-sig" else encoding
        yield ReadError(source, f"not valid {label} ({exc.reason}); pass --encoding")
    except csv.Error as exc:
        yield ReadError(source, f"malformed CSV: {exc}")


def _csv_encoding(path: Path) -> str:
    """UTF-16/32 when the file starts with their byte-order mark (spreadsheets' "Unicode" export)."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


READERS: dict[str, Callable[[Path, str, ReaderOptions], ReadResult]] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".md": _read_text_file,
    ".html": _read_html,
    ".htm": _read_html,
    ".pdf": _read_pdf,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
    ".csv": _read_csv,
}
