"""The citation network: documents, passages, instruments, provisions, policy points,
commitments and motions, read from the store by the queries in :mod:`._sparql`.

Edges point the way the graph says things (``relation``):

=============  ==========================================  =========================================
relation       edge                                        meaning
=============  ==========================================  =========================================
contains       document -> passage / policy point          the document holds it
cites          passage -> instrument / provision / motion  a citation in the passage (a footnote
                                                           citation also from the body passage its
                                                           marker sits in; ``passage`` is where the
                                                           citation's text is)
part_of        provision -> instrument                     ELI subdivision
grounds        instrument / provision -> policy point      the point rests on it
explains       passage -> policy point                     the "Ad x)" passage
records        passage -> commitment / motion              where the commitment was made or the
                                                           motion is described
answers        passage / instrument -> commitment / motion a response (``answer_kind``); from an
                                                           instrument when the answer is given there
appreciates    passage -> motion                           the cabinet's appreciation
=============  ==========================================  =========================================

Where a passage supports an edge, the edge carries ``passage`` (its IRI) and ``quote`` (the text
of the citation, response or statement). :func:`support_view` turns the same facts around so that
every edge runs from what relies to what is relied on (point -> ground, commitment -> answering
passage, passage -> cited instrument, document -> its passages): evidence paths follow it forward
and impact sets backward.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from lexgraph.analytics import _sparql as q
from lexgraph.errors import LexgraphError, NotFound
from lexgraph.store.base import GraphStore

#: Relation -> its name read from the relying side, used by :func:`support_view`; relations
#: missing here already point from the relying node to the relied-on one.
SUPPORT_NAMES: dict[str, str] = {
    "grounds": "grounded_by",
    "explains": "explained_in",
    "records": "recorded_in",
    "answers": "answered_in",
    "appreciates": "appreciated_in",
}
#: Short descriptions of every relation, for legends.
RELATIONS: dict[str, str] = {
    "contains": "document holds the passage or policy point",
    "cites": "passage cites the instrument, provision or motion",
    "part_of": "provision is part of the instrument",
    "grounds": "instrument or provision grounds the policy point",
    "explains": "passage explains the policy point",
    "records": "passage records the commitment or motion",
    "answers": "passage (or instrument) answers the commitment or motion",
    "appreciates": "passage gives the cabinet's appreciation of the motion",
    "grounded_by": "policy point rests on the instrument or provision",
    "explained_in": "policy point is explained in the passage",
    "recorded_in": "commitment or motion is recorded in the passage",
    "answered_in": "commitment or motion is answered in the passage (or instrument)",
    "appreciated_in": "motion is appreciated in the passage",
}
#: When two facts link the same pair of nodes, the edge of the network keeps the first of these.
_PRIORITY = (
    "grounds",
    "answers",
    "appreciates",
    "explains",
    "records",
    "cites",
    "part_of",
    "contains",
)
NEIGHBOURHOOD_CAP = 150


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str
    passage: str | None = None
    quote: str | None = None
    answer_kind: str | None = None
    citation: str | None = None


@dataclass
class _Passage:
    iri: str
    doc: str
    start: int
    end: int
    kind: str
    label: str
    snippet: str


@dataclass
class Facts:
    """The nodes (with attributes) and the edge facts the analytics work on."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)


def _int(value: str | None) -> int:
    return int(value) if value not in (None, "") else 0


def pinpoint_of(provision_iri: str) -> str:
    """The CITATIONS.md pinpoint of a provision IRI (``.../art_7/par_1/pnt_h`` -> "art. 7(1)(h)").

    >>> pinpoint_of("https://w3id.org/lexgraph/id/provision/celex-32011L0095/art_15/pnt_c")
    'art. 15(c)'
    """
    path = provision_iri.split("/provision/", 1)[-1].split("/")[1:]
    if not path or not path[0].startswith("art_"):
        return "/".join(path) or provision_iri
    text = "art. " + path[0][4:].replace("-", ":")
    for seg in path[1:]:
        text += f"({seg.split('_', 1)[-1]})"
    return text


def _pick_label(labels: list[tuple[str, str]], fallback: str) -> str:
    for wanted in ("nl", "", "en"):
        for text, lang in labels:
            if lang == wanted:
                return text
    return labels[0][0] if labels else fallback


#: The facts last read from each open store, with the fingerprint of the store they were read at.
_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], Facts]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
_FINGERPRINT = """
SELECT (COUNT(?h) AS ?n) (GROUP_CONCAT(?h; separator=" ") AS ?hashes) WHERE {
  SELECT DISTINCT ?h WHERE { ?d lkg:sha256 ?h } ORDER BY ?h
}
"""


def fingerprint(store: GraphStore) -> tuple[Any, ...]:
    """What changes whenever the store does: its quad count and every document's SHA-256.

    Graphs other than documents (register, curation, ontology) only change in a build, which
    opens a new store.
    """
    row = q.rows(store, _FINGERPRINT)
    return (store.count(), tuple(sorted(row[0].items())) if row else ())


def load_facts(store: GraphStore) -> Facts:
    """The selected facts of the store, read again only when its :func:`fingerprint` changed.

    The result is shared between callers: read it, never change it.
    """
    mark = fingerprint(store)
    with _CACHE_LOCK:
        try:
            hit = _CACHE.get(store)
        except TypeError:  # a store that cannot be weakly referenced is never cached
            hit = None
    if hit is not None and hit[0] == mark:
        return hit[1]
    facts = read_facts(store)
    with _CACHE_LOCK, contextlib.suppress(TypeError):
        _CACHE[store] = (mark, facts)
    return facts


def read_facts(store: GraphStore) -> Facts:
    """Read the selected facts from the store (one query per kind of fact)."""
    facts = Facts()
    nodes = facts.nodes
    edges = facts.edges

    doc_ids: dict[str, str] = {}
    for row in q.rows(store, q.DOCUMENTS):
        doc_ids[row["doc"]] = row["id"]
        nodes[row["doc"]] = {
            "kind": "document",
            "label": row.get("title") or row["id"],
            "document_id": row["id"],
            "date": row.get("date"),
        }

    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    instruments: dict[str, dict[str, Any]] = {}
    for row in q.rows(store, q.INSTRUMENTS):
        iri = row["i"]
        attrs = instruments.setdefault(
            iri,
            {
                "kind": "motion" if row.get("motion") == "true" else "instrument",
                "cid": row["cid"],
                "repealed_by": None,
                "repealed_by_id": None,
                "no_longer_in_force": None,
                "ends": None,
            },
        )
        if "label" in row and (row["label"], row.get("lang", "")) not in labels[iri]:
            labels[iri].append((row["label"], row.get("lang", "")))
        if row.get("repealedBy"):
            attrs["repealed_by"] = row["repealedBy"]
            attrs["repealed_by_id"] = row.get("repealedById") or attrs["repealed_by_id"]
        if row.get("noLongerInForce"):
            attrs["no_longer_in_force"] = row["noLongerInForce"]
    for row in q.rows(store, q.PERIOD_ENDS):
        if row.get("i") in instruments and row.get("ends"):
            instruments[row["i"]]["ends"] = row["ends"]
    for iri, attrs in instruments.items():
        if iri in nodes:  # a document of the corpus that is also an instrument stays a document
            nodes[iri].update({k: v for k, v in attrs.items() if k != "kind"})
            continue
        attrs["label"] = _pick_label(labels[iri], attrs["cid"])
        nodes[iri] = attrs

    for row in q.rows(store, q.PROVISIONS):
        parent = nodes.get(row["i"], {})
        pinpoint = row.get("pinpoint") or pinpoint_of(row["prov"])
        nodes[row["prov"]] = {
            "kind": "provision",
            "label": f"{pinpoint} {parent.get('cid', row['i'])}",
            "cid": parent.get("cid"),
            "pinpoint": pinpoint,
            "instrument": row["i"],
        }
        edges.append(Edge(row["prov"], row["i"], "part_of"))

    passages: dict[str, _Passage] = {}
    by_doc: dict[str, list[_Passage]] = defaultdict(list)
    for row in q.rows(store, q.PASSAGES):
        p = _Passage(
            row["passage"],
            row["doc"],
            _int(row.get("start")),
            _int(row.get("end")),
            row.get("kind", ""),
            row.get("label", ""),
            row.get("snippet", ""),
        )
        passages[p.iri] = p
        by_doc[p.doc].append(p)
    used: set[str] = set()

    def passage_edge(origin: str, target: str, relation: str, **attrs: Any) -> None:
        used.add(origin)
        edges.append(Edge(origin, target, relation, **attrs))

    citations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cited_once: set[tuple[str, str | None, str | None]] = set()
    for row in q.rows(store, q.CITATIONS):
        target = row["target"]
        if target not in nodes:
            nodes[target] = {"kind": "instrument", "cid": row["cid"], "label": row["cid"]}
        provision = row.get("provision")
        if provision and provision not in nodes:
            nodes[provision] = {
                "kind": "provision",
                "label": f"{pinpoint_of(provision)} {row['cid']}",
                "cid": row["cid"],
                "pinpoint": pinpoint_of(provision),
                "instrument": target,
            }
            edges.append(Edge(provision, target, "part_of"))
        passage = row.get("passage")
        citations[row["doc"]].append(
            {
                "start": _int(row.get("start")),
                "end": _int(row.get("end")),
                "passage": passage,
                "bound": row.get("bound"),
                "targets": {target, provision} - {None},
                "quote": row.get("quote"),
            }
        )
        for cited in (target, provision):
            for origin in (passage, row.get("bound")):
                key = (row["citation"], origin, cited)
                if cited and origin in passages and key not in cited_once:
                    cited_once.add(key)
                    passage_edge(
                        origin,
                        cited,
                        "cites",
                        passage=passage,
                        quote=row.get("quote"),
                        citation=row["citation"],
                    )

    def leaves(doc: str, start: int, end: int) -> list[_Passage]:
        """The innermost passages of ``doc`` that overlap the span."""
        hits = [p for p in by_doc.get(doc, []) if p.start < end and start < p.end]
        inner = [
            p
            for p in hits
            if not any(
                o is not p
                and p.start <= o.start
                and o.end <= p.end
                and (o.end - o.start) < (p.end - p.start)
                for o in hits
            )
        ]
        return sorted(inner, key=lambda p: (p.start, p.end))

    for row in q.rows(store, q.POLICY_POINTS):
        point = row["point"]
        doc = row["doc"]
        docid = doc_ids.get(doc, doc)
        nodes[point] = {
            "kind": "policy_point",
            "label": f"point {row.get('label', '?')} of {docid}",
            "point": row.get("label"),
            "document_id": docid,
            "text": row.get("text"),
            "start": _int(row.get("start")),
            "end": _int(row.get("end")),
            "doc": doc,
            "explanation": row.get("explanation"),
        }
        edges.append(Edge(doc, point, "contains"))
        explanation = row.get("explanation")
        if explanation and explanation in passages:
            passage_edge(
                explanation,
                point,
                "explains",
                passage=explanation,
                quote=passages[explanation].snippet,
            )

    for row in q.rows(store, q.GROUNDS):
        point, ground = row["point"], row["ground"]
        if point not in nodes or ground not in nodes:
            continue
        attrs = nodes[point]
        ps, pe = attrs["start"], attrs["end"]
        ex = passages.get(attrs.get("explanation") or "")
        best: tuple[tuple[int, int], dict[str, Any]] | None = None
        for cit in citations.get(attrs["doc"], []):
            if ground not in cit["targets"]:
                continue
            bound = passages.get(cit["bound"] or "")
            if ps <= cit["start"] and cit["end"] <= pe:
                rank = 0
            elif bound is not None and bound.start < pe and ps < bound.end:
                rank = 1
            elif ex is not None and ex.start <= cit["start"] and cit["end"] <= ex.end:
                rank = 2
            else:
                continue
            order = (rank, int(cit["start"]))
            if best is None or order < best[0]:
                best = (order, cit)
        cit = best[1] if best else {}
        edges.append(Edge(ground, point, "grounds", cit.get("passage"), cit.get("quote")))

    for row in q.rows(store, q.COMMITMENTS):
        c = row["c"]
        nodes[c] = {
            "kind": "commitment",
            "label": row.get("text") or row.get("key") or c,
            "key": row.get("key"),
            "document_id": doc_ids.get(row.get("doc", "")),
        }
        if row.get("doc"):
            for p in leaves(row["doc"], _int(row.get("start")), _int(row.get("end"))):
                passage_edge(p.iri, c, "records", passage=p.iri, quote=row.get("quote"))

    for row in q.rows(store, q.MOTION_ANCHORS):
        if row["m"] in nodes:
            for p in leaves(row["doc"], _int(row.get("start")), _int(row.get("end"))):
                passage_edge(p.iri, row["m"], "records", passage=p.iri, quote=row.get("quote"))

    for row in q.rows(store, q.RESPONSES):
        target = row["target"]
        if target not in nodes:
            continue
        found = leaves(row["doc"], _int(row.get("start")), _int(row.get("end")))
        kind = row.get("kind") or None
        for p in found:
            passage_edge(
                p.iri,
                target,
                row["relation"],
                passage=p.iri,
                quote=row.get("quote"),
                answer_kind=kind,
            )
        elsewhere = row.get("answeredIn")
        if elsewhere and elsewhere != row["doc"] and elsewhere in nodes:
            edges.append(
                Edge(
                    elsewhere,
                    target,
                    "answers",
                    found[0].iri if found else None,
                    row.get("quote"),
                    kind,
                )
            )

    for iri in sorted(used):
        p = passages[iri]
        docid = doc_ids.get(p.doc, p.doc)
        nodes[iri] = {
            "kind": "passage",
            "label": f"{docid} {p.start}-{p.end}" + (f" ({p.kind})" if p.kind else ""),
            "document": p.doc,
            "document_id": docid,
            "start": p.start,
            "end": p.end,
            "passage_kind": p.kind,
            "text": p.snippet,
        }
        if p.doc in nodes:
            edges.append(Edge(p.doc, iri, "contains"))
    for attrs in nodes.values():  # working fields, not attributes of the network
        attrs.pop("doc", None)
    return facts


def _collapse(graph: nx.DiGraph, edges: list[Edge], *, support: bool) -> nx.DiGraph:
    rank = {r: i for i, r in enumerate(_PRIORITY)}
    for e in sorted(edges, key=lambda e: rank.get(e.relation, len(rank))):
        u, v, relation = e.source, e.target, e.relation
        if support and relation in SUPPORT_NAMES:
            u, v, relation = v, u, SUPPORT_NAMES[relation]
        if u not in graph or v not in graph:
            continue
        if graph.has_edge(u, v):
            data = graph.edges[u, v]
            data["weight"] += 1
            if relation not in data["relations"]:
                data["relations"].append(relation)
            continue
        attrs: dict[str, Any] = {"relation": relation, "relations": [relation], "weight": 1}
        if e.passage:
            attrs["passage"] = e.passage
        if e.quote is not None:
            attrs["quote"] = e.quote
        if e.answer_kind:
            attrs["answer_kind"] = e.answer_kind
        graph.add_edge(u, v, **attrs)
    return graph


def _graph(facts: Facts, *, support: bool) -> nx.DiGraph:
    graph = nx.DiGraph()
    # instruments and provisions nothing links to are left out: the network is about citations
    linked = {e.source for e in facts.edges} | {e.target for e in facts.edges}
    for iri, attrs in facts.nodes.items():
        if iri in linked or attrs["kind"] in ("document", "policy_point", "commitment"):
            graph.add_node(iri, **attrs)
    return _collapse(graph, facts.edges, support=support)


def citation_network(store: GraphStore) -> nx.DiGraph:
    """The citation network (see the module docstring for its nodes and edges)."""
    return _graph(load_facts(store), support=False)


def support_view(store: GraphStore, facts: Facts | None = None) -> nx.DiGraph:
    """The same facts with every edge from the relying node to the node it relies on."""
    return _graph(facts or load_facts(store), support=True)


def neighbourhood(store: GraphStore, iri: str, radius: int = 1) -> nx.DiGraph:
    """The nodes within ``radius`` links of ``iri`` (either direction), with their edges.

    At most :data:`NEIGHBOURHOOD_CAP` nodes: the nearest first, and among equally near ones those
    with the most links. Each node gets ``distance``.
    """
    if radius < 0:
        raise LexgraphError("radius must be 0 or more", code="invalid_parameter")
    graph = citation_network(store)
    if iri not in graph:
        raise NotFound(f"no node {iri!r} in the citation network", code="unknown_iri")
    distance = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), iri, radius)
    keep = sorted(distance, key=lambda n: (distance[n], -graph.degree(n), n))[:NEIGHBOURHOOD_CAP]
    sub = nx.DiGraph(graph.subgraph(keep))
    for node in sub:
        sub.nodes[node]["distance"] = distance[node]
    return sub


def node_link(graph: nx.DiGraph) -> dict[str, Any]:
    """Node-link JSON (as d3 and ``networkx.node_link_graph`` read it), nodes and links sorted."""
    return {
        "directed": True,
        "multigraph": False,
        "nodes": [{"id": n, **graph.nodes[n]} for n in sorted(graph)],
        "links": [
            {"source": u, "target": v, **graph.edges[u, v]}
            for u, v in sorted(graph.edges, key=lambda e: (e[0], e[1]))
        ],
    }
