"""Server-rendered pictures for the web pages: the citation network around a node, and the
timeline of temporary protection. Both are laid out here, deterministically (the same graph
always gives the same picture), and drawn by the ``network.svg`` / ``timeline.svg`` templates.

The network picture is drawn at document level: passages are folded into the document that
holds them, so a citation shows as document → instrument, and the rings around the centre are
what is one and two links away.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

#: The most nodes a picture shows (the nearest first); a bigger neighbourhood is cut.
MAX_NODES = 48
WIDTH = 1000
_OFFSETS = re.compile(r"/(\d+)-(\d+)$")

#: Fill colour per node kind (presentation attributes: no inline style, so the CSP holds).
KIND_COLOURS = {
    "document": "#1c7ed6",
    "instrument": "#e0a800",
    "provision": "#f08c00",
    "policy_point": "#7048e8",
    "commitment": "#2f9e44",
    "motion": "#2b8a3e",
    "passage": "#868e96",
}
RELATION_COLOURS = {
    "cites": "#adb5bd",
    "grounds": "#7048e8",
    "answers": "#2f9e44",
    "appreciates": "#2f9e44",
    "records": "#74b816",
    "explains": "#9775fa",
    "part_of": "#f08c00",
    "contains": "#ced4da",
}


def offsets_from_iri(iri: str) -> tuple[int, int] | None:
    """``(start, end)`` of a fact whose IRI ends in ``/START-END`` (passages, statements)."""
    m = _OFFSETS.search(iri)
    return (int(m[1]), int(m[2])) if m else None


def fold_passages(graph: nx.DiGraph) -> nx.DiGraph:
    """The graph with every passage merged into its document (edges re-attached, self-loops and
    the document→passage ``contains`` edges dropped; parallel edges keep the first relation)."""
    folded = nx.DiGraph()
    owner: dict[str, str] = {}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("kind") == "passage" and attrs.get("document"):
            owner[node] = attrs["document"]
            continue
        folded.add_node(node, **attrs)
    for node, doc in owner.items():
        if doc not in folded:
            attrs = dict(graph.nodes[node])
            folded.add_node(
                doc,
                kind="document",
                label=attrs.get("document_id") or doc,
                document_id=attrs.get("document_id"),
                distance=attrs.get("distance", 0),
            )
    for u, v, attrs in graph.edges(data=True):
        a, b = owner.get(u, u), owner.get(v, v)
        if a == b:
            continue
        if folded.has_edge(a, b):
            folded.edges[a, b]["weight"] = folded.edges[a, b].get("weight", 1) + attrs.get(
                "weight", 1
            )
            continue
        folded.add_edge(a, b, relation=attrs.get("relation", ""), weight=attrs.get("weight", 1))
    return folded


@dataclass
class NodeBox:
    iri: str
    kind: str
    label: str
    title: str
    href: str | None
    x: float
    y: float
    r: float
    colour: str
    anchor: str  # text-anchor of the label
    lx: float
    ly: float
    centre: bool = False
    repealed: bool = False


@dataclass
class EdgeLine:
    x1: float
    y1: float
    x2: float
    y2: float
    relation: str
    colour: str
    title: str


@dataclass
class Picture:
    width: int
    height: int
    nodes: list[NodeBox] = field(default_factory=list)
    edges: list[EdgeLine] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    cut: int = 0


def _short(text: str, limit: int = 34) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def network_picture(
    graph: nx.DiGraph,
    centre: str,
    href: Callable[[str, dict[str, Any]], str | None],
    label: Callable[[str, dict[str, Any]], str],
) -> Picture:
    """Rings around ``centre``: the nodes one link away on the inner ring, two links away on the
    outer one, each ring ordered by kind and label; at most :data:`MAX_NODES` nodes."""
    folded = fold_passages(graph)
    if centre not in folded:
        folded.add_node(centre, kind="other", label=centre)
    hops = nx.single_source_shortest_path_length(folded.to_undirected(as_view=True), centre)
    ordered = sorted(hops, key=lambda n: (hops[n], -folded.degree(n), str(n)))
    keep = ordered[:MAX_NODES]
    cut = len(ordered) - len(keep)
    rings: dict[int, list[str]] = {}
    for n in keep:
        rings.setdefault(min(hops[n], 2), []).append(n)
    labels = {n: label(n, folded.nodes[n]) for n in keep}
    for members in rings.values():
        members.sort(key=lambda n: (str(folded.nodes[n].get("kind", "")), labels[n], n))
    outer = 2 if rings.get(2) else 1
    radii = {0: 0.0, 1: 150.0 if outer == 2 else 210.0, 2: 300.0}
    height = int(2 * radii[outer] + 140)
    cx, cy = WIDTH / 2, height / 2
    pos: dict[str, tuple[float, float]] = {}
    for ring, members in rings.items():
        count = len(members)
        offset = 0.0 if ring == 1 else math.pi / max(count, 1)
        for i, n in enumerate(members):
            angle = -math.pi / 2 + offset + 2 * math.pi * i / max(count, 1)
            pos[n] = (cx + radii[ring] * math.cos(angle), cy + radii[ring] * math.sin(angle))
    pic = Picture(WIDTH, height, cut=cut)
    for u, v, attrs in sorted(folded.subgraph(keep).edges(data=True), key=lambda e: (e[0], e[1])):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        shrink = 16.0 if v == centre else 10.0  # stop the arrow at the node's rim
        relation = str(attrs.get("relation", ""))
        pic.edges.append(
            EdgeLine(
                round(x1, 1),
                round(y1, 1),
                round(x2 - (x2 - x1) * shrink / length, 1),
                round(y2 - (y2 - y1) * shrink / length, 1),
                relation,
                RELATION_COLOURS.get(relation, "#adb5bd"),
                f"{labels[u]} — {relation} → {labels[v]}",
            )
        )
    for n in keep:
        attrs = folded.nodes[n]
        x, y = pos[n]
        kind = str(attrs.get("kind", "other"))
        is_centre = n == centre
        right = x >= cx
        r = 12.0 if is_centre else 8.0
        if is_centre:
            anchor, lx, ly = "middle", x, y - r - 8
        else:
            anchor, lx, ly = ("start" if right else "end"), x + (r + 5 if right else -r - 5), y + 4
        pic.nodes.append(
            NodeBox(
                iri=n,
                kind=kind,
                label=_short(labels[n], 48 if is_centre else 34),
                title=labels[n],
                href=href(n, attrs),
                x=round(x, 1),
                y=round(y, 1),
                r=r,
                colour=KIND_COLOURS.get(kind, "#868e96"),
                anchor=anchor,
                lx=round(lx, 1),
                ly=round(ly, 1),
                centre=is_centre,
                repealed=bool(attrs.get("repealed_by") or attrs.get("no_longer_in_force")),
            )
        )
    pic.relations = sorted({e.relation for e in pic.edges})
    pic.kinds = sorted({b.kind for b in pic.nodes})
    return pic


# --------------------------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------------------------


@dataclass
class Bar:
    x: float
    width: float
    y: float
    label: str
    title: str
    href: str | None


@dataclass
class Dot:
    x: float
    y: float
    label: str
    title: str
    href: str | None
    conflict: bool


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    axis_y: float
    bars: list[Bar] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    lanes: list[tuple[float, str]] = field(default_factory=list)


def timeline_picture(
    periods: list[Any],
    decision_href: Callable[[str | None], str | None],
    statement_href: Callable[[Any], str | None],
    fmt: Callable[[date], str],
    doc_label: Callable[[str | None], str],
) -> Timeline:
    """Periods as bars on one lane, the end-date statements as dots on one lane per document
    (conflicting ones marked), against a time axis with a tick per year."""
    spans = [p for p in periods if p.kind == "period" and p.start is not None]
    statements = [p for p in periods if p.kind == "statement"]
    dates = [p.start for p in spans] + [p.end for p in periods]
    if not dates:
        return Timeline(WIDTH, 80, 40)
    first = date(min(dates).year, 1, 1)
    last = date(max(dates).year + 1, 1, 1)
    left, right = 190.0, WIDTH - 30.0
    total = (last - first).days or 1

    def x_of(d: date) -> float:
        return round(left + (right - left) * (d - first).days / total, 1)

    docs = sorted({p.document or "" for p in statements})
    bar_y = 40.0
    lane_y = {doc: 100.0 + 36.0 * i for i, doc in enumerate(docs)}
    axis_y = (max(lane_y.values()) if lane_y else bar_y) + 40.0
    tl = Timeline(WIDTH, int(axis_y + 40), axis_y)
    tl.lanes.append((bar_y + 14, ""))
    for doc, y in lane_y.items():
        tl.lanes.append((y + 4, _short(doc_label(doc or None), 28)))
    for p in spans:
        x1, x2 = x_of(p.start), x_of(p.end)
        tl.bars.append(
            Bar(
                x1,
                max(x2 - x1, 2.0),
                bar_y,
                p.decision or "",
                f"{fmt(p.start)} – {fmt(p.end)} ({p.decision or '?'})",
                decision_href(p.decision),
            )
        )
    for p in statements:
        tl.dots.append(
            Dot(
                x_of(p.end),
                lane_y[p.document or ""],
                fmt(p.end),
                f"{doc_label(p.document)}: {fmt(p.end)}",
                statement_href(p),
                p.conflict,
            )
        )
    for year in range(first.year, last.year + 1):
        tl.ticks.append(Tick(x_of(date(year, 1, 1)), str(year)))
    return tl
