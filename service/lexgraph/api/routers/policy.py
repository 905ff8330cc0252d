"""Commitments and motions as JSON resources for the policy team.

Each item carries its status (or the cabinet's appreciation) and the passages that answer it, with
their quotes and document ids, so a client needs no SPARQL to follow a commitment to its answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from lexgraph.api.deps import StoreDep
from lexgraph.errors import NotFound
from lexgraph.policy.views import commitments, motions

router = APIRouter(tags=["policy"])


@router.get("/commitments", summary="All commitments with status and answering passages")
async def list_commitments(store: StoreDep) -> dict[str, Any]:
    items = await run_in_threadpool(commitments, store)
    return {"commitments": items, "count": len(items)}


@router.get("/commitments/{key:path}", summary="One commitment by its key")
async def get_commitment(key: str, store: StoreDep) -> dict[str, Any]:
    items = await run_in_threadpool(commitments, store, key)
    if not items:
        raise NotFound(f"no commitment {key!r}; GET /commitments lists them")
    return items[0]


@router.get("/motions", summary="All motions with submitters, appreciation and follow-up")
async def list_motions(store: StoreDep) -> dict[str, Any]:
    items = await run_in_threadpool(motions, store)
    return {"motions": items, "count": len(items)}


@router.get("/motions/{key}", summary="One motion by its key (e.g. piri, kst-36600-XX-22)")
async def get_motion(key: str, store: StoreDep) -> dict[str, Any]:
    items = await run_in_threadpool(motions, store, key)
    if not items:
        raise NotFound(f"no motion {key!r}; GET /motions lists them")
    return items[0]
