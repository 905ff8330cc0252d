"""Analytics over the citation network (networkx), built from graphs selected by SPARQL.

- :func:`citation_network`, :func:`neighbourhood`, :func:`node_link` — the network itself;
- :func:`most_relied_on` — in-degree and PageRank of instruments and provisions;
- :func:`evidence_path` — from a policy point or commitment to an EU article, passage by passage;
- :func:`impact_set` — everything that depends on an instrument, flagged when it was repealed;
- :func:`cocitation_clusters` — instruments cited together;
- :func:`protection_timeline` — periods of temporary protection and the end dates stated.

Every function takes a :class:`~lexgraph.store.base.GraphStore` and returns frozen dataclasses
(:mod:`.models`; :func:`to_json` turns them into JSON) or a ``networkx.DiGraph``.
"""

from __future__ import annotations

from lexgraph.analytics.clusters import cocitation_clusters
from lexgraph.analytics.impact import impact_set
from lexgraph.analytics.models import (
    Cluster,
    ClusterMember,
    CoCitation,
    Dependent,
    Impact,
    PathStep,
    Period,
    Ranked,
    to_json,
)
from lexgraph.analytics.network import RELATIONS, citation_network, neighbourhood, node_link
from lexgraph.analytics.paths import evidence_path
from lexgraph.analytics.ranking import most_relied_on
from lexgraph.analytics.timeline import protection_timeline

__all__ = [
    "RELATIONS",
    "Cluster",
    "ClusterMember",
    "CoCitation",
    "Dependent",
    "Impact",
    "PathStep",
    "Period",
    "Ranked",
    "citation_network",
    "cocitation_clusters",
    "evidence_path",
    "impact_set",
    "most_relied_on",
    "neighbourhood",
    "node_link",
    "protection_timeline",
    "to_json",
]
