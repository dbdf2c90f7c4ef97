import codecs

import pytest

from newsgraph.ingest.decode import DecodeError, decode_text


def test_utf8_and_bom_variants_decode_to_the_same_text() -> None:
    text = "Tbilisi — “quoted” Türkiye"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-16")) == text  # carries its BOM


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"caf\xe9 in Baku", "not valid UTF-8 (byte 0xe9 at offset 3)"),
    ],
)
def test_unreadable_bytes_get_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        decode_text(data)


def test_declared_encoding_is_used() -> None:
    assert decode_text("café".encode("latin-1"), "latin-1") == "café"
