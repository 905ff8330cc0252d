"""The most relied-on instruments and provisions: in-degree and PageRank.

Two scopes: ``document`` (a document relies on what its passages cite, footnote citations
included) and ``policy_point`` (a policy point relies on what grounds it). A provision's share
flows on to its instrument through a ``part_of`` link, so an instrument cited only by article
still ranks. PageRank (networkx, which needs numpy and scipy) runs on the weighted graph of
relying node -> relied-on node, weight = the number of supporting citations or grounds.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

import networkx as nx

from lexgraph.analytics.models import Ranked
from lexgraph.analytics.network import Facts, load_facts
from lexgraph.errors import LexgraphError
from lexgraph.store.base import GraphStore

Scope = Literal["document", "policy_point"]
Kind = Literal["instrument", "provision"]
SCOPES: tuple[str, ...] = ("document", "policy_point")
KINDS: tuple[str, ...] = ("instrument", "provision")
TARGET_KINDS = {"instrument": ("instrument", "motion"), "provision": ("provision",)}


def reliance_links(facts: Facts, scope: Scope) -> list[tuple[str, str, str]]:
    """(relying node, relied-on node, supporting fact) for every citation or ground.

    The supporting fact is the citation IRI (scope ``document``; a footnote citation that also
    links its body passage counts once) or the policy point and ground (scope ``policy_point``).
    """
    nodes = facts.nodes
    links: set[tuple[str, str, str]] = set()
    if scope == "document":
        passage_doc = {
            e.target: e.source
            for e in facts.edges
            if e.relation == "contains" and nodes.get(e.target, {}).get("kind") == "passage"
        }
        for e in facts.edges:
            if e.relation == "cites" and e.source in passage_doc and e.citation:
                links.add((passage_doc[e.source], e.target, e.citation))
    else:
        for e in facts.edges:
            if e.relation == "grounds" and nodes.get(e.target, {}).get("kind") == "policy_point":
                links.add((e.target, e.source, f"{e.target} {e.source}"))
    return sorted(links)


def reliance_graph(facts: Facts, scope: Scope) -> nx.DiGraph:
    """Relying documents (or policy points) -> what they rely on, plus provision -> instrument;
    weights count the supporting citations (or grounds)."""
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, _ in reliance_links(facts, scope):
        weights[u, v] += 1
    graph = nx.DiGraph()
    for (u, v), w in weights.items():
        graph.add_edge(u, v, weight=w)
    for e in facts.edges:
        if e.relation == "part_of" and e.source in graph:
            graph.add_edge(e.source, e.target, weight=1)
    return graph


def most_relied_on(
    store: GraphStore,
    scope: Scope = "document",
    kind: Kind = "instrument",
    limit: int = 20,
) -> list[Ranked]:
    """Instruments (or provisions) by the number of documents (or policy points) relying on them.

    Ordered by in-degree, then PageRank, then citations, then identifier. For ``instrument`` an
    instrument's in-degree counts everything relying on it or on one of its provisions, and its
    citations count each supporting citation (or ground) once.
    """
    if scope not in SCOPES:
        raise LexgraphError(f"scope must be one of {', '.join(SCOPES)}", code="invalid_parameter")
    if kind not in KINDS:
        raise LexgraphError(f"kind must be one of {', '.join(KINDS)}", code="invalid_parameter")
    if limit < 1:
        raise LexgraphError("limit must be 1 or more", code="invalid_parameter")
    facts = load_facts(store)
    graph = reliance_graph(facts, scope)
    if graph.number_of_edges() == 0:
        return []
    rank = nx.pagerank(graph, weight="weight")
    relying: dict[str, set[str]] = defaultdict(set)
    support: dict[str, set[str]] = defaultdict(set)
    for u, v, token in reliance_links(facts, scope):
        if kind == "instrument":
            v = facts.nodes.get(v, {}).get("instrument") or v
        relying[v].add(u)
        support[v].add(token)
    wanted = TARGET_KINDS[kind]
    out = []
    for iri, who in relying.items():
        attrs = facts.nodes.get(iri, {})
        if attrs.get("kind") not in wanted:
            continue
        out.append(
            Ranked(
                iri=iri,
                cid=attrs.get("cid") or iri,
                label=attrs.get("label", iri),
                in_degree=len(who),
                pagerank=round(float(rank.get(iri, 0.0)), 6),
                citations=len(support[iri]),
                pinpoint=attrs.get("pinpoint"),
            )
        )
    out.sort(key=lambda r: (-r.in_degree, -r.pagerank, -r.citations, r.cid, r.iri))
    return out[:limit]
