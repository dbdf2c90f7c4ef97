from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    """The real spaCy pipeline with the shipped actor dictionary, loaded once."""
    from newsgraph.nlp.pipeline import get_pipeline

    return get_pipeline()


RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(tmp_path: Path) -> RunCli:
    """Run the real `newsgraph` command in a subprocess, in tmp_path."""

    def run(*args: str, input: str | None = None, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
        env.pop("NEWSGRAPH_DB", None)
        proc = subprocess.run(
            [sys.executable, "-m", "newsgraph", *args],
            cwd=tmp_path,
            input=input,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"newsgraph {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc

    return run
