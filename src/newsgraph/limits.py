"""Per-document time limits: one pathological input must not stall a whole ingest.

``time_limit(seconds)`` raises ``DocumentTimeout`` inside the block once it has
run for ``seconds`` of wall-clock time. It uses ``SIGALRM`` and
``signal.setitimer``, which only work on the main thread of the main
interpreter of a POSIX process. That is where the CLI and each worker of a
process pool run their documents. Anywhere else (a thread, a Dask worker's
thread pool, a subinterpreter, Windows) it is a documented no-op: the block
runs without a limit and the context manager yields ``False`` so a caller can
tell.

``DocumentTimeout`` derives from ``BaseException``, not ``Exception``, for the
same reason ``KeyboardInterrupt`` and ``asyncio.CancelledError`` do: the
cleaning and date code catch ``Exception`` to fall back to a simpler result,
and a timeout caught there would let the slow document run on with no limit.
Callers catch it by name:

    try:
        with time_limit(30):
            doc = to_document(raw)
    except DocumentTimeout as exc:
        failure = ReadError(raw.source, str(exc))

If code inside the block swallows the exception anyway (a bare ``except:``),
the alarm fires again every ``repeat`` seconds until the block is left.
Limits nest: an inner limit never extends an outer one, and the outer one's
timer is re-armed with what is left of it when the inner block ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["DocumentTimeout", "limits_supported", "time_limit"]

_MIN_DELAY = 1e-6


class DocumentTimeout(BaseException):
    """A document took longer than its time limit."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than the {seconds:g}-second limit per document")
        self.seconds = seconds


def limits_supported() -> bool:
    """Can ``time_limit`` enforce a limit here (POSIX, main thread of the main interpreter)?"""
    return (
        hasattr(signal, "SIGALRM")
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )


@contextmanager
def time_limit(seconds: float | None, repeat: float = 0.5) -> Iterator[bool]:
    """Raise ``DocumentTimeout`` in the block after ``seconds``; yields whether the limit is enforced.

    ``None`` means no limit. ``seconds`` must otherwise be positive and finite.
    ``repeat`` is how often the alarm fires again if the first exception is swallowed.
    """
    if seconds is None:
        yield False
        return
    if not (seconds > 0 and seconds != float("inf")):
        raise ValueError(f"a time limit must be a positive number of seconds, not {seconds!r}")
    if repeat <= 0:
        raise ValueError(f"repeat must be positive, not {repeat!r}")
    if not limits_supported():
        yield False
        return

    started = time.monotonic()
    deadline = started + seconds
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    outer_deadline = started + outer_delay if outer_delay > 0 else None

    previous: Any = None

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        if time.monotonic() >= deadline - 1e-3:
            raise DocumentTimeout(seconds)
        # an enclosing limit ran out first: let its handler decide
        if callable(previous):
            previous(signum, frame)

    try:
        previous = signal.signal(signal.SIGALRM, on_alarm)
    except ValueError:  # not the main interpreter (or another reason signals are unavailable here)
        yield False
        return
    delay = seconds if outer_deadline is None else max(min(seconds, outer_deadline - started), _MIN_DELAY)
    try:
        signal.setitimer(signal.ITIMER_REAL, delay, repeat)
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_deadline is not None:
            left = max(outer_deadline - time.monotonic(), _MIN_DELAY)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
