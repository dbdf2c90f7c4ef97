"""Bytes to text, with a reason a person can act on when that is impossible."""

from __future__ import annotations

import codecs


class DecodeError(ValueError):
    """The bytes are not text newsgraph can read; the message says why."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes, encoding: str | None = None) -> str:
    """Decode article bytes: a BOM decides, else UTF-8 (or ``encoding`` when given).

    Binary content (NUL bytes outside a UTF-16/32 BOM) is refused rather than
    guessed at, so a stray image with a ``.txt`` name is reported, not indexed.
    """
    if not data:
        raise DecodeError("empty file")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {codec} after its byte-order mark: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise DecodeError("binary content (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "re-save it as UTF-8 or pass --encoding"
        ) from None
