"""Where an export writes: a path (parents created) or an open text stream (stdout, a buffer)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def open_text(out: Path | IO[str], *, newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream for `out`; a path is written as UTF-8 and closed afterwards, a stream is left open."""
    if isinstance(out, str | Path):
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline=newline) as fh:
            yield fh
    else:
        yield out
