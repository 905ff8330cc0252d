"""Co-citation clusters: instruments cited together, grouped into communities.

Two instruments are co-cited when the same passage cites both (``level="passage"``; a footnote
citation counts for the body passage its marker sits in as well) or the same document does
(``level="document"``). The weight of a pair is the number of such passages (or documents).
Communities come from networkx's greedy modularity maximisation, which is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Literal

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities

from lexgraph.analytics.models import Cluster, ClusterMember, CoCitation
from lexgraph.analytics.network import Facts, load_facts
from lexgraph.errors import LexgraphError
from lexgraph.store.base import GraphStore

Level = Literal["passage", "document"]
LEVELS: tuple[str, ...] = ("passage", "document")


def cocitation_graph(facts: Facts, level: Level = "passage") -> nx.Graph:
    """Undirected instrument graph; edge ``weight`` = passages (or documents) citing both."""
    nodes = facts.nodes
    passage_doc = {
        e.target: e.source
        for e in facts.edges
        if e.relation == "contains" and nodes.get(e.target, {}).get("kind") == "passage"
    }
    cited: dict[str, set[str]] = defaultdict(set)
    for e in facts.edges:
        if e.relation != "cites" or nodes.get(e.target, {}).get("kind") not in (
            "instrument",
            "motion",
        ):
            continue
        context = e.source if level == "passage" else passage_doc.get(e.source)
        if context:
            cited[context].add(e.target)
    graph = nx.Graph()
    for context in sorted(cited):
        for a, b in combinations(sorted(cited[context]), 2):
            if graph.has_edge(a, b):
                graph.edges[a, b]["weight"] += 1
            else:
                graph.add_edge(a, b, weight=1)
    return graph


def cocitation_clusters(
    store: GraphStore, min_weight: int = 1, level: Level = "passage"
) -> list[Cluster]:
    """Communities of instruments linked by pairs co-cited at least ``min_weight`` times.

    Largest (then heaviest) cluster first; members by degree within the cluster, then id.
    """
    if min_weight < 1:
        raise LexgraphError("min_weight must be 1 or more", code="invalid_parameter")
    if level not in LEVELS:
        raise LexgraphError(f"level must be one of {', '.join(LEVELS)}", code="invalid_parameter")
    facts = load_facts(store)
    full = cocitation_graph(facts, level)
    graph = nx.Graph()
    graph.add_edges_from(
        (a, b, d) for a, b, d in full.edges(data=True) if d["weight"] >= min_weight
    )
    if graph.number_of_edges() == 0:
        return []
    communities = greedy_modularity_communities(graph, weight="weight")
    clusters = []
    for members in communities:
        sub = graph.subgraph(members)
        cid = {n: str(facts.nodes[n].get("cid", n)) for n in members}
        pairs = sorted(
            (
                CoCitation(min(cid[a], cid[b]), max(cid[a], cid[b]), int(w))
                for a, b, w in sub.edges(data="weight")
            ),
            key=lambda p: (-p.weight, p.a, p.b),
        )
        ranked = sorted(members, key=lambda n: (-sub.degree(n, weight="weight"), cid[n]))
        clusters.append(
            (
                tuple(
                    ClusterMember(
                        iri=n,
                        cid=cid[n],
                        label=str(facts.nodes[n].get("label", n)),
                        degree=int(sub.degree(n, weight="weight")),
                    )
                    for n in ranked
                ),
                sum(p.weight for p in pairs),
                tuple(pairs),
            )
        )
    clusters.sort(key=lambda c: (-len(c[0]), -c[1], c[0][0].cid))
    return [Cluster(id=i, members=m, weight=w, pairs=p) for i, (m, w, p) in enumerate(clusters, 1)]
