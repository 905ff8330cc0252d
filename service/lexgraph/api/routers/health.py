"""``/health``: is the store open, how big is it, which graphs does it hold (503 when not open)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from lexgraph.settings import Settings
from lexgraph.store.base import GraphStore

router = APIRouter(tags=["service"])


class StoreHealth(BaseModel):
    open: bool
    backend: str
    triples: int | None = None
    graphs: list[str] = []
    error: str | None = None


class Health(BaseModel):
    status: str
    version: str
    store: StoreHealth


def _measure(store: GraphStore) -> tuple[int, list[str]]:
    return store.count(), sorted(store.graph_names())


@router.get(
    "/health",
    summary="Service health",
    response_model=Health,
    responses={503: {"model": Health, "description": "the store is not open"}},
)
async def health(request: Request) -> JSONResponse:
    """``ok`` with the quad count and graph names, or 503 ``unavailable`` with the store's error."""
    from lexgraph import __version__

    settings: Settings = request.app.state.settings
    store: GraphStore | None = request.app.state.store
    if store is None:
        body = Health(
            status="unavailable",
            version=__version__,
            store=StoreHealth(
                open=False, backend=settings.backend, error=request.app.state.store_error
            ),
        )
        return JSONResponse(body.model_dump(), status_code=503, headers={"Retry-After": "30"})
    try:
        triples, graphs = await run_in_threadpool(_measure, store)
    except Exception as exc:  # a store that cannot answer a count is not healthy
        body = Health(
            status="unavailable",
            version=__version__,
            store=StoreHealth(open=True, backend=settings.backend, error=type(exc).__name__),
        )
        return JSONResponse(body.model_dump(), status_code=503, headers={"Retry-After": "30"})
    body = Health(
        status="ok",
        version=__version__,
        store=StoreHealth(open=True, backend=settings.backend, triples=triples, graphs=graphs),
    )
    return JSONResponse(body.model_dump())
