"""Where the bundled demo corpus lives: inside the wheel, or in the source checkout."""

from __future__ import annotations

from pathlib import Path


def sample_dir() -> Path:
    """The demo corpus folder; raises if neither the packaged nor the checkout copy exists."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "sample_data", here.parents[1] / "data" / "sample"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the bundled demo corpus (data/sample) is missing from this installation")


def sample_inputs() -> list[str]:
    """The article files of the demo corpus (gold annotations and notes excluded)."""
    base = sample_dir()
    return [
        str(p)
        for p in sorted(base.iterdir())
        if p.is_file()
        and p.suffix.lower() in {".txt", ".md", ".html", ".htm", ".pdf", ".jsonl", ".csv"}
        and p.name.lower() != "readme.md"
    ]
