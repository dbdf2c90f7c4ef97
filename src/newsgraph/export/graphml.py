"""The actor network as GraphML, for Gephi, Cytoscape, yEd or igraph."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import networkx as nx

from newsgraph.analysis.network import actor_graph
from newsgraph.export.output import open_text
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter


def write_graphml(
    store: Store, out: Path | IO[str], filters: EventFilter | None = None, *, occurred_only: bool = True
) -> dict[str, int]:
    G = actor_graph(store, filters, occurred_only=occurred_only)
    with open_text(out) as fh:
        for line in nx.generate_graphml(G):
            fh.write(line + "\n")
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
