"""Named queries over HTTP: ``GET /queries`` lists them, ``GET /queries/{name}`` runs one.

Parameters come from the query string and are bound as RDF terms by
:mod:`lexgraph.named_queries`; an unknown name is 404, a missing or invalid parameter 400.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from lexgraph.api.deps import SettingsDep, get_settings, get_store
from lexgraph.named_queries import BadParameter, load_queries, run_query_json

router = APIRouter(tags=["named queries"])

SPARQL_JSON = "application/sparql-results+json"


@router.get("/queries", summary="List the named queries with their titles and parameters")
def list_queries(settings: SettingsDep) -> dict[str, Any]:
    queries = load_queries(settings.queries_dir)
    return {"queries": [q.summary() for q in queries.values()]}


@router.get(
    "/queries/{name}",
    summary="Run a named query; parameters as query-string values",
    response_class=JSONResponse,  # for the OpenAPI document; the body is sent as it is
    responses={200: {"content": {SPARQL_JSON: {}}}},
)
async def run_named_query(name: str, request: Request) -> Response:
    # Settings and store are read here, not declared as dependencies: FastAPI runs a plain
    # function dependency in the thread pool, two thread hand-offs per request for two reads of
    # app.state (the query itself is the one hand-off left).
    settings = get_settings(request)
    store = get_store(request)
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in params:
            raise BadParameter(f"parameter {key!r} given more than once")
        params[key] = value
    queries = load_queries(settings.queries_dir)
    # The store's bytes go out as they are: no parse and re-write of hundreds of rows.
    body = await run_in_threadpool(run_query_json, store, queries, name, params)
    return Response(body, media_type=SPARQL_JSON)
