import os
from pathlib import Path

from newsgraph.ingest.sources import iter_inputs
from newsgraph.models import ReadError


def _names(items: list[object]) -> list[str]:
    return [Path(str(i)).name for i in items if isinstance(i, Path)]


def test_directories_are_walked_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b" / "c.html").write_text("x")
    (tmp_path / ".hidden.txt").write_text("x")
    assert _names(list(iter_inputs([str(tmp_path)]))) == ["a.txt", "c.html"]


def test_globs_expand_and_missing_paths_are_errors(tmp_path: Path) -> None:
    for name in ("one.txt", "two.txt", "three.md"):
        (tmp_path / name).write_text("x")
    items = list(iter_inputs([str(tmp_path / "*.txt"), str(tmp_path / "nope.txt"), str(tmp_path / "*.pdf")]))
    assert _names(items) == ["one.txt", "two.txt"]
    errors = [i for i in items if isinstance(i, ReadError)]
    assert [e.reason for e in errors] == ["no such file or directory", "no file matches this pattern"]


def test_symlink_loop_terminates_and_files_are_not_repeated(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    os.symlink(tmp_path / "d" / "a.txt", tmp_path / "alias.txt")
    items = list(iter_inputs([str(tmp_path), str(tmp_path / "d")]))
    files = [i for i in items if isinstance(i, Path)]
    assert len(files) == 1  # the link and its target are one file, read once
    assert os.path.realpath(files[0]) == str((tmp_path / "d" / "a.txt").resolve())


def test_stdin_marker_passes_through() -> None:
    assert list(iter_inputs(["-"])) == ["-"]
