"""The impact set of an instrument: everything that rests on it, directly or through others.

Walks the support view of the citation network (see :mod:`.network`) backwards from the
instrument: its provisions, the passages citing either, the policy points grounded on them or
explained by such passages, the commitments and motions answered or recorded there, the
documents holding all these, and on through any instrument that is itself answered or cited
that way. ``depth`` is the number of links from the dependent to the instrument.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx

from lexgraph import iris
from lexgraph.analytics.models import Dependent, Impact
from lexgraph.analytics.network import load_facts, support_view
from lexgraph.errors import LexgraphError, NotFound
from lexgraph.store.base import GraphStore

INSTRUMENT_KINDS = ("instrument", "motion")


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def check_cid(cid: str) -> str:
    """The id if it has a CITATIONS.md form; 400 ``invalid_id`` otherwise."""
    try:
        iris.instrument_iri(cid)
    except (ValueError, IndexError):
        raise LexgraphError(
            f"invalid instrument id {cid!r}: expected a CITATIONS.md identifier such as "
            "celex:32011L0095, bwb:BWBR0011823 or kst:19637-3338",
            code="invalid_id",
        ) from None
    return cid


def validity(attrs: dict[str, Any], as_of: date) -> tuple[bool, bool, date | None]:
    """(repealed, expired, the day it stopped applying) of an instrument node on ``as_of``.

    Repealed: it has a repealing act and, where the graph gives one, the date it stopped being
    in force has come. Expired: the last period of temporary protection it set has ended.
    """
    no_longer = _date(attrs.get("no_longer_in_force"))
    ends = _date(attrs.get("ends"))
    has_repealer = bool(attrs.get("repealed_by"))
    repealed = (has_repealer or no_longer is not None) and (no_longer is None or no_longer <= as_of)
    expired = ends is not None and ends < as_of
    stopped = no_longer
    if stopped is None and ends is not None:
        stopped = date.fromordinal(ends.toordinal() + 1)  # ``ends`` is the last day it applied
    return repealed, expired, stopped


def impact_set(store: GraphStore, instrument_cid: str, as_of: date | None = None) -> Impact:
    """What depends on the instrument with this CITATIONS.md id, on ``as_of`` (default today).

    Unknown id: 404 ``unknown_id``; malformed: 400 ``invalid_id``.
    """
    check_cid(instrument_cid)
    as_of = as_of or date.today()
    facts = load_facts(store)
    found = [
        iri
        for iri, a in facts.nodes.items()
        if a.get("cid") == instrument_cid and a["kind"] in INSTRUMENT_KINDS
    ]
    if not found:
        raise NotFound(f"no instrument {instrument_cid!r} in the graph", code="unknown_id")
    iri = sorted(found)[0]
    attrs = facts.nodes[iri]
    repealed, expired, _ = validity(attrs, as_of)
    graph = support_view(store, facts)
    dependents: list[Dependent] = []
    if iri in graph:
        reverse = graph.reverse(copy=False)
        paths = nx.single_source_shortest_path(reverse, iri)
        dates = {n: _date(a.get("date")) for n, a in facts.nodes.items() if a["kind"] == "document"}
        inactive: dict[str, bool] = {}
        stopped_on: dict[str, date | None] = {}
        for n in graph:
            a = graph.nodes[n]
            if a.get("kind") in INSTRUMENT_KINDS:
                r, e, s = validity(a, as_of)
                inactive[n] = r or e
                stopped_on[n] = s
        for node, path in paths.items():
            if node == iri:
                continue
            a = graph.nodes[node]
            doc_iri = node if a["kind"] == "document" else a.get("document")
            doc_id = a.get("document_id")
            doc_date = dates.get(doc_iri or "")
            if doc_date is None and a["kind"] == "policy_point":
                doc_date = next((dates[d] for d in graph.predecessors(node) if d in dates), None)
            on_way = [p for p in path if p in inactive]
            ends = [stopped_on[p] for p in on_way]
            after_end = doc_date is not None and any(e is not None and doc_date >= e for e in ends)
            dependents.append(
                Dependent(
                    iri=node,
                    kind=a["kind"],
                    label=str(a.get("label", node)),
                    depth=len(path) - 1,
                    via_repealed=any(inactive[p] for p in on_way),
                    cited_after_end=after_end,
                    document_id=doc_id,
                )
            )
    dependents.sort(key=lambda d: (d.depth, d.kind, d.iri))
    return Impact(
        iri=iri,
        cid=instrument_cid,
        label=str(attrs.get("label", iri)),
        as_of=as_of,
        repealed=repealed,
        expired=expired,
        repealed_by=attrs.get("repealed_by_id") or attrs.get("repealed_by"),
        no_longer_in_force=_date(attrs.get("no_longer_in_force")),
        ends=_date(attrs.get("ends")),
        dependents=tuple(dependents),
    )
