"""Turn the command line's PATH arguments into a stream of files to read."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from newsgraph.models import ReadError

STDIN = "-"


def iter_inputs(inputs: Sequence[str]) -> Iterator[Path | ReadError | str]:
    """Yield files (directories walked recursively, globs expanded), ``-`` for stdin, or errors.

    Symbolic links to directories are not followed, so a link loop cannot make
    the walk endless; a missing path is an error for that path only.
    """
    seen: set[str] = set()
    for item in inputs:
        if item == STDIN:
            yield STDIN
            continue
        if glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield ReadError(item, "no file matches this pattern")
            for match in matches:
                yield from _walk(Path(match), seen)
            continue
        yield from _walk(Path(item), seen)


def _walk(path: Path, seen: set[str]) -> Iterator[Path | ReadError]:
    if not os.path.lexists(path):
        yield ReadError(str(path), "no such file or directory")
        return
    if not path.exists():
        yield ReadError(str(path), "broken symbolic link")
        return
    if not path.is_dir():
        yield from _emit(path, seen)
        return
    errors: list[OSError] = []
    for root, dirs, files in os.walk(path, followlinks=False, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield from _emit(Path(root) / name, seen)
        while errors:
            err = errors.pop(0)
            yield ReadError(str(err.filename or path), f"cannot list directory: {err.strerror}")
    while errors:
        err = errors.pop(0)
        yield ReadError(str(err.filename or path), f"cannot list directory: {err.strerror}")


def _emit(path: Path, seen: set[str]) -> Iterator[Path | ReadError]:
    if not path.exists():  # a link inside a walked directory whose target is missing, or a loop of links
        reason = "broken symbolic link (its target is missing, or the links form a loop)"
        yield ReadError(os.path.abspath(path), reason)
        return
    key = os.path.realpath(path)
    if key in seen:
        return
    seen.add(key)
    yield path
