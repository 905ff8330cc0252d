"""The shortest evidence path from a policy point, commitment or motion to an EU article.

The path follows the support view of the citation network (see :mod:`.network`): point ->
ground (``grounded_by``) or explanation passage (``explained_in``), commitment or motion ->
answering, appreciating or recording passage, passage -> what it cites, provision -> instrument.
It ends at the first provision of an instrument with a CELEX number (an article of an EU act).
Documents are never crossed: that a document elsewhere cites an article is no evidence for a
point in it.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal

import networkx as nx

from lexgraph.analytics.models import PathStep
from lexgraph.analytics.network import load_facts, support_view
from lexgraph.errors import LexgraphError, NotFound
from lexgraph.store.base import GraphStore

START_KINDS = ("policy_point", "commitment", "motion")
Target = Literal["eu_article", "instrument"]
TARGETS: tuple[str, ...] = ("eu_article", "instrument")


def is_eu_article(attrs: dict[str, object]) -> bool:
    cid = attrs.get("cid")
    return attrs.get("kind") == "provision" and isinstance(cid, str) and cid.startswith("celex:")


def is_target(attrs: dict[str, object], to: str) -> bool:
    if to == "eu_article":
        return is_eu_article(attrs)
    return attrs.get("kind") in ("instrument", "provision")


def evidence_path(
    store: GraphStore, start_iri: str, to: Target = "eu_article"
) -> list[PathStep] | None:
    """The steps from ``start_iri`` to the nearest EU article, or None when none is reachable.

    ``to="instrument"`` ends at the nearest instrument or provision of any kind instead (on the
    seed graph commitments are answered by passages that cite whole instruments, never articles).

    Among equally short paths the one ending at the article with the smallest IRI wins, and
    among paths to it the first in IRI order. Unknown IRI: 404; another kind of node: 400.
    """
    if to not in TARGETS:
        raise LexgraphError(f"to must be one of {', '.join(TARGETS)}", code="invalid_parameter")
    facts = load_facts(store)
    attrs = facts.nodes.get(start_iri)
    if attrs is None:
        raise NotFound(f"no policy point, commitment or motion {start_iri!r}", code="unknown_iri")
    if attrs["kind"] not in START_KINDS:
        raise LexgraphError(
            f"{start_iri!r} is a {attrs['kind']}; a path starts at a policy point, commitment or "
            "motion",
            code="invalid_start",
        )
    graph = support_view(store, facts)
    if start_iri not in graph:
        return None
    walk = nx.subgraph_view(
        graph, filter_node=lambda n: graph.nodes[n].get("kind") != "document" or n == start_iri
    )
    lengths = nx.single_source_shortest_path_length(walk, start_iri)
    targets = [n for n in lengths if n != start_iri and is_target(graph.nodes[n], to)]
    if not targets:
        return None
    target = min(targets, key=lambda n: (lengths[n], n))
    nodes = min(nx.all_shortest_paths(walk, start_iri, target), key=lambda p: tuple(p))
    steps = []
    for u, v in pairwise(nodes):
        data = graph.edges[u, v]
        steps.append(
            PathStep(
                from_iri=u,
                to_iri=v,
                relation=data["relation"],
                passage=data.get("passage"),
                quote=data.get("quote"),
                from_label=str(graph.nodes[u].get("label", u)),
                to_label=str(graph.nodes[v].get("label", v)),
            )
        )
    return steps
