"""Analyses over the store: timeline, dyads, the actor network, alerts, country summaries.

Each function reads through the correction-applying views and never writes.
"""

from newsgraph.analysis.alerts import alerts
from newsgraph.analysis.countries import country_summary
from newsgraph.analysis.dyads import dyads
from newsgraph.analysis.network import actor_graph, graph_summary
from newsgraph.analysis.timeline import timeline

__all__ = ["actor_graph", "alerts", "country_summary", "dyads", "graph_summary", "timeline"]
