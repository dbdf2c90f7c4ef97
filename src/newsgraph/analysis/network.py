"""The actor network: who interacts with whom, weighted by how often, and its structure.

Undirected, because centrality and communities are about ties, not their
direction (the directed view is `dyads`). Attributes are scalars only and
never None, so the graph writes to GraphML as it is.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from newsgraph.analysis.interactions import Actor, interactions
from newsgraph.store.db import Store
from newsgraph.store.queries import EventFilter


def actor_graph(store: Store, filters: EventFilter | None = None, *, occurred_only: bool = True) -> nx.Graph:
    """Nodes: actors (name, kind, type, country, events). Edges: count, weight, mean_intensity, ...

    >>> G = actor_graph(store)                      # doctest: +SKIP
    >>> G.edges["IRN/GOV", "AZE/GOV"]["count"]      # doctest: +SKIP
    1
    """
    G = nx.Graph()
    node_events: dict[str, set[str]] = {}
    edge_acc: dict[tuple[str, str], dict[str, Any]] = {}
    for it in interactions(store, filters, occurred_only=occurred_only):
        for actor in (it.source, it.target):
            if actor.entity_id not in G:
                G.add_node(actor.entity_id, **_node_attrs(actor))
            node_events.setdefault(actor.entity_id, set()).add(it.event_id)
        a, b = sorted((it.source.entity_id, it.target.entity_id))
        acc = edge_acc.setdefault(
            (a, b), {"events": set(), "scores": [], "dates": [], "hostile": 0, "friendly": 0}
        )
        if it.event_id in acc["events"]:
            continue
        acc["events"].add(it.event_id)
        if it.intensity is not None:
            acc["scores"].append(it.intensity)
        acc["hostile"] += it.hostile
        acc["friendly"] += it.friendly
        if it.date_start is not None:
            acc["dates"].append(it.date_start.isoformat())
    for node, events in node_events.items():
        G.nodes[node]["events"] = len(events)
    for (a, b), acc in edge_acc.items():
        count = len(acc["events"])
        attrs: dict[str, Any] = {
            "count": count,
            "weight": float(count),
            "distance": 1.0 / count,
            "hostile": acc["hostile"],
            "friendly": acc["friendly"],
            "event_ids": " ".join(sorted(acc["events"])),
        }
        if acc["scores"]:
            attrs["mean_intensity"] = round(sum(acc["scores"]) / len(acc["scores"]), 3)
        if acc["dates"]:
            attrs["first_date"] = min(acc["dates"])
            attrs["last_date"] = max(acc["dates"])
        G.add_edge(a, b, **attrs)
    return G


def graph_summary(G: nx.Graph) -> dict[str, Any]:
    """Per node: degree, weighted degree, betweenness and community; the edges; overall figures.

    Betweenness uses `distance` (1 / count), so a tie seen in many events is a
    short path. Communities are Louvain's with a fixed seed, so the same graph
    always gives the same grouping.
    """
    if G.number_of_nodes() == 0:
        return {"nodes": [], "edges": [], "communities": 0, "density": 0.0, "components": 0}
    between = nx.betweenness_centrality(G, weight="distance", normalized=True)
    communities = nx.community.louvain_communities(G, weight="weight", seed=0)
    ordered = sorted(communities, key=lambda c: (-len(c), min(c)))
    community_of = {n: i for i, c in enumerate(ordered) for n in c}
    nodes = [
        {
            "id": n,
            "name": attrs.get("name", n),
            "kind": attrs.get("kind"),
            "country": attrs.get("country"),
            "events": attrs.get("events", 0),
            "degree": G.degree(n),
            "weighted_degree": float(G.degree(n, weight="weight")),
            "betweenness": round(between[n], 4),
            "community": community_of[n],
        }
        for n, attrs in G.nodes(data=True)
    ]
    nodes.sort(key=lambda r: (-r["weighted_degree"], -r["betweenness"], r["id"]))
    edges = [
        {
            "source": a,
            "target": b,
            "source_name": G.nodes[a].get("name", a),
            "target_name": G.nodes[b].get("name", b),
            "count": attrs["count"],
            "mean_intensity": attrs.get("mean_intensity"),
            "hostile": attrs["hostile"],
            "friendly": attrs["friendly"],
        }
        for a, b, attrs in G.edges(data=True)
    ]
    edges.sort(key=lambda r: (-r["count"], r["source"], r["target"]))
    return {
        "nodes": nodes,
        "edges": edges,
        "communities": len(ordered),
        "density": round(nx.density(G), 4),
        "components": nx.number_connected_components(G),
    }


def _node_attrs(actor: Actor) -> dict[str, Any]:
    attrs = {"name": actor.name, "kind": actor.kind, "type": actor.type, "country": actor.country}
    return {k: v for k, v in attrs.items() if v is not None}
