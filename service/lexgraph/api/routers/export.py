"""``/export``: the whole store as N-Quads, TriG or JSON-LD, streamed in chunks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from lexgraph.api.deps import StoreDep
from lexgraph.store.base import GraphStore

router = APIRouter(tags=["export"])

CHUNK = 64 * 1024
FORMATS: dict[str, tuple[str, str, ox.RdfFormat]] = {
    "nquads": ("application/n-quads", "nq", ox.RdfFormat.N_QUADS),
    "trig": ("application/trig", "trig", ox.RdfFormat.TRIG),
    "jsonld": ("application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
}


def _dump(store: GraphStore, fmt: str) -> bytes:
    nquads = store.dump_nquads()
    if fmt == "nquads":
        return nquads
    quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
    out = ox.serialize(quads, format=FORMATS[fmt][2])
    return out or b""


def _chunks(data: bytes) -> Iterator[bytes]:
    for i in range(0, len(data), CHUNK):
        yield data[i : i + CHUNK]


@router.get(
    "/export",
    summary="Full dump of the graph",
    response_class=StreamingResponse,
    responses={
        200: {"content": {m: {} for m, _, _ in FORMATS.values()}, "description": "all quads"}
    },
)
async def export(
    store: StoreDep,
    format: Annotated[Literal["nquads", "trig", "jsonld"], Query()] = "nquads",
) -> StreamingResponse:
    """Every named graph (documents, register, curation, ontology) in one file."""
    media_type, ext, _ = FORMATS[format]
    data = await run_in_threadpool(_dump, store, format)
    return StreamingResponse(
        _chunks(data),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="lexgraph.{ext}"'},
    )
