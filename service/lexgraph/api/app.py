"""The FastAPI application: built by :func:`create_app`, engines opened in the lifespan.

Every error leaves as ``{"error": {"code", "message"}}`` with a stable code: a
:class:`~lexgraph.errors.LexgraphError` with its own status and headers, request validation as
400 (query/path) or 422 (body), anything unexpected as a logged 500 without a traceback.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from lexgraph.api.limits import LimitsMiddleware
from lexgraph.errors import LexgraphError
from lexgraph.ingest import WriteGate
from lexgraph.settings import Settings, get_settings
from lexgraph.store.base import GraphStore

log = logging.getLogger("lexgraph.api")

#: Router modules, in the order their paths appear in the OpenAPI document. Optional modules are
#: included when present, so the app runs while they are still being written.
ROUTER_MODULES: tuple[str, ...] = (
    "lexgraph.api.routers.health",
    "lexgraph.api.routers.sparql",
    "lexgraph.api.routers.documents",
    "lexgraph.api.routers.instruments",
    "lexgraph.api.routers.provenance",
    "lexgraph.api.routers.policy",
    "lexgraph.api.routers.queries",
    "lexgraph.api.routers.export",
    "lexgraph.api.routers.analytics",
    "lexgraph.api.routers.pages",
    "lexgraph.api.routers.web",
)

#: Headers a browser script may read on a cross-origin response.
EXPOSED_HEADERS = ["X-Lexgraph-Truncated", "Retry-After", "Link", "X-Total-Count"]

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


def _open_store(settings: Settings) -> GraphStore:
    from lexgraph.store import open_store  # type: ignore[attr-defined,unused-ignore]

    store: GraphStore = open_store(settings)
    return store


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the store once per process; a store that fails to open leaves health red (503)."""
    settings: Settings = app.state.settings
    app.state.store = None
    app.state.store_error = None
    try:
        app.state.store = await run_in_threadpool(_open_store, settings)
    except Exception as exc:  # any failure to open must fail closed, not crash the process
        log.error("store at %s failed to open: %s", settings.store, exc)
        app.state.store_error = f"{type(exc).__name__}: {exc}"
    if settings.ingest_token and app.state.store is not None:
        from lexgraph.ingest import prepare_ingest

        try:  # a slower first ingest is the only cost of a failure here
            await run_in_threadpool(prepare_ingest, settings)
        except Exception as exc:
            log.warning("ingest warm-up failed: %s", exc)
    try:
        yield
    finally:
        store = app.state.store
        app.state.store = None
        if store is not None:
            await run_in_threadpool(store.close)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


async def _lexgraph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LexgraphError)
    return JSONResponse(exc.as_json(), status_code=exc.status, headers=exc.headers or None)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc.__cause__, LexgraphError):  # e.g. body cap hit while FastAPI read a body
        return await _lexgraph_error(request, exc.__cause__)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


def _describe(errors: Iterable[Any]) -> str:
    parts = []
    for err in errors:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{loc or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    in_body = any(e.get("loc", ("",))[0] == "body" for e in errors)
    status, code = (422, "invalid_body") if in_body else (400, "invalid_parameter")
    return JSONResponse(error_body(code, _describe(errors)), status_code=status)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "internal server error; the incident was logged"),
        status_code=500,
    )


def _router_modules(names: Iterable[str]) -> list[ModuleType]:
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a real import error inside an existing module
                raise
    return modules


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the store is opened by the lifespan, not here."""
    settings = settings or get_settings()
    app = FastAPI(
        title="lexgraph",
        summary="Legal knowledge graph and citation tracking for Dutch migration policy.",
        description=(
            "A read-only SPARQL 1.1 endpoint at `/sparql`, REST resources for documents, "
            "instruments, provenance and exports, and authenticated ingest of new documents. "
            'Errors are JSON: `{"error": {"code": ..., "message": ...}}`.'
        ),
        version=_version(),
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = None
    app.state.store_error = "not started"
    app.state.write_gate = WriteGate()

    app.add_exception_handler(LexgraphError, _lexgraph_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)

    for module in _router_modules(ROUTER_MODULES):
        app.include_router(module.router)
        mount = getattr(module, "mount", None)
        if callable(mount):
            mount(app)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=EXPOSED_HEADERS,
        max_age=600,
    )
    app.add_middleware(
        LimitsMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_target_bytes=3 * settings.max_query_length + 4096,
        read_timeout=settings.read_timeout,
    )
    return app


def create_app_from_env() -> FastAPI:
    """App factory for multi-worker uvicorn: each worker reads ``LEXGRAPH_*`` and builds its own."""
    return create_app(get_settings())


def _version() -> str:
    from lexgraph import __version__

    return str(__version__)
