"""time_limit: a per-document wall-clock limit via SIGALRM, a no-op where signals cannot be used."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from newsgraph.limits import DocumentTimeout, limits_supported, time_limit

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")


def _spin(seconds: float) -> None:
    """Busy pure-Python work, the kind a runaway regex or parser does."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sum(range(100))


def test_a_slow_block_is_stopped_near_its_limit() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout) as info, time_limit(0.2) as enforced:
        assert enforced
        _spin(5)
    elapsed = time.monotonic() - started
    assert 0.15 <= elapsed < 1.5
    assert info.value.seconds == 0.2
    assert "0.2-second limit" in str(info.value)


def test_sleeping_is_interrupted_too() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout), time_limit(0.1):
        time.sleep(5)
    assert time.monotonic() - started < 1.5


def test_a_fast_block_is_untouched_and_leaves_no_timer_or_handler() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(2) as enforced:
        value = sum(range(1000))
    assert enforced and value == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    time.sleep(0.05)  # nothing fires later


def test_state_is_restored_after_a_timeout_and_after_other_errors() -> None:
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(DocumentTimeout), time_limit(0.05):
        _spin(2)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    with pytest.raises(KeyError), time_limit(1):
        raise KeyError("x")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_it_is_not_an_exception_that_fallback_code_swallows() -> None:
    # cleaning and date code use `except Exception` to fall back; a timeout must get through
    assert not issubclass(DocumentTimeout, Exception)
    caught_by_fallback = False
    with pytest.raises(DocumentTimeout), time_limit(0.1):
        try:
            _spin(5)
        except Exception:
            caught_by_fallback = True
    assert not caught_by_fallback


def test_a_swallowed_timeout_fires_again() -> None:
    swallowed = 0
    started = time.monotonic()
    with pytest.raises(DocumentTimeout), time_limit(0.05, repeat=0.05):
        while True:
            try:
                _spin(5)
            except BaseException:  # code that should not do this, but does
                swallowed += 1
                if swallowed >= 2:
                    raise
    assert swallowed == 2
    assert time.monotonic() - started < 2


def test_limits_nest_and_an_inner_limit_never_extends_the_outer_one() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout) as info, time_limit(0.2), time_limit(10):
        _spin(5)
    assert info.value.seconds == 0.2
    assert time.monotonic() - started < 1.5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_outer_limit_is_rearmed_after_an_inner_block() -> None:
    started = time.monotonic()
    with pytest.raises(DocumentTimeout) as info, time_limit(0.4):
        with time_limit(0.1):
            pass  # quick inner document
        with pytest.raises(DocumentTimeout) as inner, time_limit(0.05):
            _spin(5)
        assert inner.value.seconds == 0.05
        _spin(5)  # the outer limit still holds
    assert info.value.seconds == 0.4
    assert 0.3 <= time.monotonic() - started < 2


def test_none_means_no_limit_and_bad_values_are_refused() -> None:
    with time_limit(None) as enforced:
        assert not enforced
    for bad in (0, -1, float("inf"), float("nan")):
        with pytest.raises(ValueError), time_limit(bad):
            pass
    with pytest.raises(ValueError), time_limit(1, repeat=0):
        pass


def test_off_the_main_thread_it_is_a_no_op() -> None:
    result: dict[str, object] = {}

    def work() -> None:
        result["supported"] = limits_supported()
        with time_limit(0.05) as enforced:
            result["enforced"] = enforced
            time.sleep(0.2)  # would have been stopped on the main thread
        result["finished"] = True

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(5)
    assert result == {"supported": False, "enforced": False, "finished": True}
    assert limits_supported()  # the main thread can


def test_a_document_over_the_time_limit_is_reported_and_the_batch_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ingest's pure function enforces NEWSGRAPH_DOC_TIMEOUT per document."""
    import time

    from newsgraph import pipeline
    from newsgraph.models import Document, ReadError

    def slow_extract(docs, res):  # type: ignore[no-untyped-def]
        for doc in docs:
            if "slow" in doc.text:
                time.sleep(5)
            yield doc

    monkeypatch.setenv("NEWSGRAPH_DOC_TIMEOUT", "0.3")
    monkeypatch.setattr(pipeline, "extract_documents", slow_extract)
    docs = [
        Document(doc_id=str(i), source=f"s{i}", content_hash="h", text=t)
        for i, t in enumerate(["ok", "slow", "ok"])
    ]
    started = time.monotonic()
    out = pipeline.extract_safely(docs, None)  # type: ignore[arg-type]
    assert time.monotonic() - started < 4
    assert [type(o).__name__ for o in out] == ["Document", "ReadError", "Document"]
    assert isinstance(out[1], ReadError) and "0.3-second limit" in out[1].reason
