"""``/analytics/…``: the citation-network analytics of :mod:`lexgraph.analytics` as JSON.

Each handler runs the (blocking) store reads and networkx work in the thread pool. Bad parameters
are 400 with a code (``invalid_parameter``, ``invalid_id``, ``invalid_start``); unknown nodes or
instruments 404 (``unknown_iri``, ``unknown_id``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from lexgraph.analytics import (
    RELATIONS,
    citation_network,
    cocitation_clusters,
    evidence_path,
    impact_set,
    most_relied_on,
    neighbourhood,
    node_link,
    protection_timeline,
    to_json,
)
from lexgraph.api.deps import StoreDep

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.get("/most-cited", summary="Most relied-on instruments or provisions")
async def most_cited(
    store: StoreDep,
    scope: Literal["document", "policy_point"] = "document",
    kind: Literal["instrument", "provision"] = "instrument",
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
) -> dict[str, Any]:
    items = await run_in_threadpool(most_relied_on, store, scope, kind, limit)
    return {"scope": scope, "kind": kind, "items": to_json(items), "count": len(items)}


@router.get("/path", summary="Shortest evidence path from a policy point or commitment")
async def path(
    store: StoreDep,
    iri: Annotated[str, Query(min_length=1, description="A policy point, commitment or motion")],
    to: Literal["eu_article", "instrument"] = "eu_article",
) -> dict[str, Any]:
    steps = await run_in_threadpool(evidence_path, store, iri, to)
    return {"start": iri, "to": to, "found": steps is not None, "steps": to_json(steps or [])}


@router.get("/impact/{cid:path}", summary="Everything that depends on an instrument")
async def impact(
    cid: str,
    store: StoreDep,
    as_of: Annotated[date | None, Query(description="Reference date (default today)")] = None,
) -> dict[str, Any]:
    result = await run_in_threadpool(impact_set, store, cid, as_of)
    body: dict[str, Any] = to_json(result)
    body["count"] = len(result.dependents)
    return body


@router.get("/clusters", summary="Co-citation clusters of instruments")
async def clusters(
    store: StoreDep,
    min_weight: Annotated[int, Query(ge=1)] = 1,
    level: Literal["passage", "document"] = "passage",
) -> dict[str, Any]:
    found = await run_in_threadpool(cocitation_clusters, store, min_weight, level)
    return {"level": level, "min_weight": min_weight, "clusters": to_json(found)}


@router.get("/timeline", summary="Periods of temporary protection and stated end dates")
async def timeline(store: StoreDep) -> dict[str, Any]:
    periods = await run_in_threadpool(protection_timeline, store)
    return {
        "items": to_json(periods),
        "conflicts": sum(1 for p in periods if p.conflict),
        "count": len(periods),
    }


@router.get("/network", summary="The citation network (or one node's neighbourhood), node-link")
async def network(
    store: StoreDep,
    iri: Annotated[str | None, Query(min_length=1, description="Centre node")] = None,
    radius: Annotated[int, Query(ge=0, le=5)] = 1,
) -> dict[str, Any]:
    if iri is None:
        graph = await run_in_threadpool(citation_network, store)
    else:
        graph = await run_in_threadpool(neighbourhood, store, iri, radius)
    body = node_link(graph)
    body["relations"] = RELATIONS
    return body
