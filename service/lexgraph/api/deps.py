"""Request dependencies as ``Annotated`` aliases, so handlers declare what they need by type.

Everything comes from ``app.state``, filled by the lifespan in :mod:`lexgraph.api.app`; nothing
is module-level.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from lexgraph.errors import LexgraphError, Unavailable
from lexgraph.ingest import WriteGate
from lexgraph.settings import Settings
from lexgraph.store.base import GraphStore


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    """The open store; 503 when it failed to open (fail closed, never a half-opened store)."""
    store: GraphStore | None = getattr(request.app.state, "store", None)
    if store is None:
        raise Unavailable(
            "the graph store is not available; see /health",
            code="store_unavailable",
            headers={"Retry-After": "30"},
        )
    return store


def get_write_gate(request: Request) -> WriteGate:
    gate: WriteGate = request.app.state.write_gate
    return gate


def get_client_id(request: Request) -> str:
    """Who is asking, for per-client quotas: the peer address (no proxy headers are trusted)."""
    return request.client.host if request.client else "unknown"


def require_ingest_token(request: Request) -> None:
    """Check the bearer token from headers only, so a bad token is refused before the body is read.

    No token configured means ingest is disabled (403); a missing token is 401, a wrong one 403.
    The comparison is constant-time.
    """
    settings: Settings = request.app.state.settings
    expected = settings.ingest_token
    if not expected:
        raise LexgraphError(
            "ingest is disabled: no LEXGRAPH_INGEST_TOKEN is configured",
            code="ingest_disabled",
            status=403,
        )
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise LexgraphError(
            "a bearer token is required (Authorization: Bearer <token>)",
            code="unauthorized",
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="lexgraph-ingest"'},
        )
    if not hmac.compare_digest(token.strip().encode("utf-8"), expected.encode("utf-8")):
        raise LexgraphError("invalid bearer token", code="forbidden", status=403)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
ClientIdDep = Annotated[str, Depends(get_client_id)]
WriteGateDep = Annotated[WriteGate, Depends(get_write_gate)]
IngestAuth = Depends(require_ingest_token)
