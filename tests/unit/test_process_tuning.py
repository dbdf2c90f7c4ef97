"""An extracting process keeps the memory it frees instead of faulting it in again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

PROBE = textwrap.dedent(
    """
    import resource, sys
    from newsgraph.process_tuning import keep_freed_memory
    tuned = keep_freed_memory() if sys.argv[1] == "tuned" else False
    faults = []
    for _ in range(4):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        block = bytearray(48 << 20)  # larger than glibc's largest dynamic mmap threshold
        block[:: 4096] = b"x" * len(block[:: 4096])
        del block
        faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    print(tuned, max(faults[1:]))
    """
)


def _probe(mode: str) -> tuple[bool, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True, env=env
    ).stdout.split()
    return out[0] == "True", int(out[1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_freed_blocks_are_reused_without_new_page_faults() -> None:
    tuned, tuned_faults = _probe("tuned")
    assert tuned
    _, default_faults = _probe("default")
    pages = (48 << 20) // 4096
    assert default_faults > pages // 2  # the defaults map and fault every block afresh
    assert tuned_faults < pages // 20


def test_loading_resources_freezes_them_out_of_the_collector() -> None:
    code = (
        "import gc; from newsgraph.runtime import load_resources; "
        "load_resources(); print(gc.get_freeze_count())"
    )
    frozen = int(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )
    assert frozen > 100_000
