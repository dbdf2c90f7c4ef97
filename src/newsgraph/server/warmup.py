"""Compute the default views' analyses in the background when the server starts.

Alerts, the actor network and dyads walk every actor pair in Python; on a store
of 100,000 events that takes seconds. Computing the defaults once at start-up
(into the same cache the endpoints use) means the dashboard, network and
timeline open at once; a request that arrives first simply waits for the same
computation instead of starting a second one.
"""

from __future__ import annotations

import logging
import threading

from newsgraph.server import analysis
from newsgraph.server.deps import Paging, StoreAccess
from newsgraph.server.filters import EventQuery

log = logging.getLogger(__name__)


def warm(access: StoreAccess) -> None:
    """Fill the cache for the pages' default parameters; failures only cost the speed-up."""
    q = EventQuery()
    steps = (
        lambda store: analysis.get_alerts(access, store, q, 30, 365, 3, None, 20),
        lambda store: analysis.get_timeline(access, store, q, "month"),
        lambda store: analysis.get_map(access, store, q, 1000),
        lambda store: analysis.get_graph(access, store, q, 80),
        lambda store: analysis.get_dyads(access, store, q, Paging(limit=50, offset=0), "year", 1),
    )
    for step in steps:
        try:
            with access.session() as store:
                step(store)
        except Exception:  # a warm-up must never take the server down
            log.exception("warm-up step failed")


def start(access: StoreAccess) -> threading.Thread:
    thread = threading.Thread(target=warm, args=(access,), name="newsgraph-warmup", daemon=True)
    thread.start()
    return thread
