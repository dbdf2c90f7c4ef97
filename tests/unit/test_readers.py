import json
from pathlib import Path

from newsgraph.ingest.readers import ReaderOptions, read_path
from newsgraph.models import RawDocument, ReadError
from pdfgen import make_pdf

OPTS = ReaderOptions()


def _read(path: Path, opts: ReaderOptions = OPTS) -> list[RawDocument | ReadError]:
    return list(read_path(path, opts))


def test_text_and_markdown(tmp_path: Path) -> None:
    for name in ("a.txt", "b.md"):
        (tmp_path / name).write_text("Police in Ganja detained two men.\n", encoding="utf-8")
        (doc,) = _read(tmp_path / name)
        assert isinstance(doc, RawDocument)
        assert doc.fmt == "text"
        assert doc.source == str((tmp_path / name).resolve())


def test_unknown_suffix_and_empty_file_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ")
    (err1,) = _read(tmp_path / "x.docx")
    (err2,) = _read(tmp_path / "empty.txt")
    (err3,) = _read(tmp_path / "blank.txt")
    assert isinstance(err1, ReadError) and "unsupported file type '.docx'" in err1.reason
    assert isinstance(err2, ReadError) and err2.reason == "empty file"
    assert isinstance(err3, ReadError) and "only whitespace" in err3.reason


def test_size_limit(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 100)
    (err,) = _read(tmp_path / "big.txt", ReaderOptions(max_bytes=100))
    assert isinstance(err, ReadError) and "over the 100-byte limit" in err.reason


def test_pdf_text_layer_and_metadata(tmp_path: Path) -> None:
    pdf = make_pdf(
        [["Militants attacked a convoy near", "Khasavyurt on Tuesday."]],
        title="Convoy attack",
        author="A. Writer",
    )
    (tmp_path / "r.pdf").write_bytes(pdf)
    (doc,) = _read(tmp_path / "r.pdf")
    assert isinstance(doc, RawDocument)
    assert "Militants attacked a convoy near\nKhasavyurt" in doc.content
    assert doc.title == "Convoy attack" and doc.authors == ("A. Writer",)


def test_malformed_pdf_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    (err,) = _read(tmp_path / "bad.pdf")
    assert isinstance(err, ReadError)


def test_jsonl_rows_and_broken_lines(tmp_path: Path) -> None:
    rows = [
        json.dumps(
            {
                "text": "First story text.",
                "title": "One",
                "url": "https://x/1",
                "published": "2024-03-02",
                "author": "A; B",
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second story.", "title": "Two"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(rows) + "\n")
    items = _read(tmp_path / "feed.jsonl")
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [d.title for d in docs] == ["One", "Two"]
    assert (
        docs[0].authors == ("A", "B") and docs[0].published == "2024-03-02" and docs[0].url == "https://x/1"
    )
    assert docs[0].source.endswith("feed.jsonl#row=1")
    assert [e.source.rsplit("#", 1)[1] for e in errors] == ["row=2", "row=3"]
    assert "broken JSON line" in errors[0].reason


def test_csv_with_configured_columns(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text('body,headline,date\n"Text of it, with comma.",Head,2021-05-06\n')
    opts = ReaderOptions(text_field="body", title_field="headline", published_field="date")
    (doc,) = _read(tmp_path / "a.csv", opts)
    assert isinstance(doc, RawDocument)
    assert (doc.content, doc.title, doc.published) == ("Text of it, with comma.", "Head", "2021-05-06")
    (err,) = _read(tmp_path / "a.csv")
    assert isinstance(err, ReadError) and "no 'text' column (columns: body, headline, date)" in err.reason


def test_csv_in_wrong_encoding_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "l1.csv").write_bytes("text\ncaf\xe9 bombing\n".encode("latin-1"))
    (err,) = _read(tmp_path / "l1.csv")
    assert isinstance(err, ReadError) and "--encoding" in err.reason
    (doc,) = _read(tmp_path / "l1.csv", ReaderOptions(encoding="latin-1"))
    assert isinstance(doc, RawDocument) and doc.content == "café bombing"
