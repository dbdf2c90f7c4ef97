"""Turn scraped or exported plain text into clean article text with its metadata.

The steps, in order:

1. normalize characters and line ends (so every later rule sees one form),
   and Markdown syntax (headings, emphasis, links, block quotes) to plain text;
2. mark site chrome lines (:mod:`newsgraph.ingest.chrome`);
3. read the header, title, authors and publication date, and note its lines
   (:mod:`newsgraph.ingest.header`);
4. drop chrome and header lines and rebuild paragraphs from hard-wrapped
   lines (:mod:`newsgraph.ingest.unwrap`).

The result's ``text`` is a sequence of paragraphs separated by one blank line,
with no line breaks inside a paragraph. Every character offset downstream
refers to it, so the function is deterministic (no clock, no locale, no
randomness) and total: it returns a result for any string.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence

from newsgraph.ingest.chrome import chrome_mask
from newsgraph.ingest.chrome import strip_chrome as _strip_chrome
from newsgraph.ingest.header import extract_header
from newsgraph.ingest.unwrap import unwrap, unwrap_lines
from newsgraph.models import CleanText

__all__ = ["clean_text", "is_markdown", "normalize", "strip_chrome", "strip_markdown", "unwrap_lines"]

log = logging.getLogger(__name__)


def _translation() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for cp in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[cp] = None
    table[ord("\n")] = "\n"
    table[ord("\t")] = " "
    for cp in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029):
        table[cp] = "\n"
    for cp in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
        table[cp] = " "
    for cp in (0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xFFFE, 0xFFFF):
        table[cp] = None
    for cp in range(0xD800, 0xE000):  # lone surrogates from badly decoded bytes
        table[cp] = None
    return table


_TRANSLATE = _translation()
_SPACES = re.compile(r" {2,}")


def normalize(raw: str) -> str:
    """Unify line ends, spaces and invisible characters; one space between words, none at line ends.

    A single leading space is kept on a line that had any, because an indent
    marks a new paragraph in hard-wrapped text.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATE))
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
# Spans are bounded ({1,300} and less) so that an opener without a closer costs a bounded scan, not the
# rest of the line: the cleaner must stay linear on any input.
_MD_URL = r"\((?:[^()\s]|\([^()\s]{0,200}\)){0,500}(?:\s+\"[^\"\n]{0,200}\")?\)"
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]" + _MD_URL)
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]" + _MD_URL)
_MD_REF_LINK = re.compile(r"\[([^\]\n]{1,300})\]\[[^\]\n]{0,100}\]")
_MD_WRAPPED = re.compile(r"^(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1$")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,200}?)(?<=\S)\1")
_MD_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.{1,150}?)(?<=[^\s*\\])\*(?![\w*])")
_MD_EM_UNDER = re.compile(r"(?<![\w\\])_(?=[^\s_])(.{1,150}?)(?<=[^\s_\\])_(?!\w)")
_MD_CODE = re.compile(r"`([^`\n]{1,300})`")
_MD_INLINE_MAX = 20_000
"""Longer lines are not Markdown paragraphs anyone wrote; their inline syntax is left alone."""
_MD_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
_MD_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")


def is_markdown(lines: Sequence[str]) -> bool:
    """True for text written in Markdown: an ATX heading ("# Title", "## Section"), or several links.

    A plain-text line rarely starts with "#" and a space (a hashtag has none),
    and an inline link "[text](url)" is Markdown syntax only.
    """
    headings = 0
    links = 0
    for line in lines[:2000]:
        if _MD_HEADING.match(line) and any(c.isalnum() for c in line):
            headings += 1
        links += len(_MD_LINK.findall(line[:2000]))
    return headings >= 1 or links >= 2


def _inline_markdown(line: str) -> str:
    line = _MD_IMAGE.sub(lambda m: m.group(1), line)
    line = _MD_LINK.sub(lambda m: m.group(1), line)
    line = _MD_REF_LINK.sub(lambda m: m.group(1), line)
    line = _MD_CODE.sub(lambda m: m.group(1), line)
    for _ in range(2):  # nested ("***x***", "**_x_**")
        before = line
        if "**" in line or "__" in line:
            line = _MD_STRONG.sub(lambda m: m.group(2), line)
        if "*" in line:
            line = _MD_EM_STAR.sub(lambda m: m.group(1), line)
        if "_" in line:
            line = _MD_EM_UNDER.sub(lambda m: m.group(1), line)
        if line == before:
            break
    return _MD_ESCAPE.sub(lambda m: m.group(1), line)


def strip_markdown(lines: Sequence[str]) -> list[str]:
    """Markdown lines as plain text, one line for one line (so line numbers stay aligned).

    Heading markers, block-quote markers, emphasis, inline code and link or
    image syntax go, leaving their text; a heading stays on a line of its own
    (as a paragraph) and list items keep their bullet. Text that is not
    Markdown (see :func:`is_markdown`) only loses a line-wide emphasis
    ("*By Jane Doe*") and "# " heading markers.
    """
    markdown = is_markdown(lines)
    out: list[str] = []
    for line in lines:
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(2)
        elif markdown and _MD_FENCE.match(line):
            line = ""
        elif markdown:
            line = _MD_QUOTE.sub("", line)
        stripped = line.strip()
        wrapped = _MD_WRAPPED.match(stripped)
        if wrapped and any(c.isalnum() for c in wrapped.group(2)):
            line = wrapped.group(2)
        else:
            wrapped = None
        if markdown and len(line) <= _MD_INLINE_MAX:
            line = _inline_markdown(line)
        out.append(line.strip() if heading or wrapped else line)
    return out


def strip_chrome(lines: Sequence[str]) -> list[str]:
    """The lines with site chrome blanked (see :mod:`newsgraph.ingest.chrome`)."""
    return _strip_chrome(lines)


def _drop_lines(lines: Sequence[str], removed: Sequence[bool]) -> list[str]:
    """Remove lines, keeping paragraph evidence right.

    A run of removed lines between two kept lines with no blank line around
    it (a page header inside a wrapped paragraph) disappears, so the lines
    around it can join; any other removed line leaves a blank line.
    """
    out: list[str] = []
    n = len(lines)
    i = 0
    while i < n:
        if not removed[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < n and removed[j] and lines[j].strip():
            j += 1
        sandwiched = (
            j > i
            and i > 0
            and j < n
            and not removed[i - 1]
            and lines[i - 1].strip() != ""
            and not removed[j]
            and lines[j].strip() != ""
        )
        if not sandwiched:
            out.extend("" for _ in range(max(j - i, 1)))
        i = max(j, i + 1)
    return out


def _clean(raw: str) -> CleanText:
    lines = strip_markdown(normalize(raw).split("\n"))
    mask = chrome_mask(lines)
    header = extract_header(lines, mask)
    removed = [m or i in header.consumed for i, m in enumerate(mask)]
    paragraphs = unwrap(_drop_lines(lines, removed))
    if header.title and paragraphs and " ".join(paragraphs[0].casefold().split()) == header.title.casefold():
        paragraphs = paragraphs[1:]  # the headline printed again as the first line of the body
    return CleanText(
        text="\n\n".join(paragraphs),
        title=header.title,
        authors=header.authors,
        published=header.published,
    )


def clean_text(raw: str) -> CleanText:
    """Clean scraped plain text: body paragraphs, title, authors and publication date.

    Never raises: text that trips an unexpected error in the heuristics comes
    back normalized, one paragraph per line, without metadata.
    """
    if not isinstance(raw, str):
        raw = bytes(raw).decode("utf-8", "replace") if isinstance(raw, bytes | bytearray) else str(raw)
    try:
        return _clean(raw)
    except Exception:
        log.exception("cleaning failed; falling back to normalized text")
    try:
        return CleanText(text="\n\n".join(s.strip() for s in normalize(raw).split("\n") if s.strip()))
    except Exception:
        return CleanText(text="")
