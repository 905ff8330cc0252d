"""The single entry point for user-supplied SPARQL: quota → guard → isolated evaluation → caps.

Why one function: every safety property of the public endpoint (read-only, no SERVICE, no
file or remote FROM, bounded nesting and length, hard deadline, bounded results, per-client
quota) must hold for every caller, so no caller gets to skip a step. The HTTP router negotiates
the media type and renders :class:`~lexgraph.errors.LexgraphError` (status, code, message,
headers such as ``Retry-After``); everything else happens here.

lexgraph's own named queries are trusted and run in-process through ``store.select``; they do
not come through here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from dataclasses import dataclass

from lexgraph.errors import LexgraphError, QueryRejected, QueryTimeout, Unavailable
from lexgraph.guard import CheckedQuery, check_protocol_graphs, check_query
from lexgraph.quota import ClientQuotas
from lexgraph.settings import Settings
from lexgraph.store.base import GraphStore, RawResult

log = logging.getLogger(__name__)

RESULT_MEDIA_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_MEDIA_TYPES = (
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/n-quads",
    "application/rdf+xml",
)

#: Codes that say the service, not the client, failed: they do not count against error quotas.
_SERVICE_SIDE = frozenset({"busy", "unavailable", "store_unavailable"})


@dataclass
class _Runtime:
    """Per-store state that outlives one request: the quota book and (later) the worker pool."""

    quotas: ClientQuotas


_runtimes: dict[int, _Runtime] = {}
_runtimes_lock = threading.Lock()


def _runtime(settings: Settings, store: GraphStore) -> _Runtime:
    key = id(store)
    with _runtimes_lock:
        runtime = _runtimes.get(key)
        if runtime is None:
            runtime = _Runtime(
                quotas=ClientQuotas(
                    query_seconds_per_minute=settings.quota_query_seconds_per_minute,
                    errors_per_minute=settings.quota_errors_per_minute,
                    concurrent_queries=settings.quota_concurrent_queries,
                )
            )
            _runtimes[key] = runtime
            with contextlib.suppress(TypeError):  # not weak-referenceable: lives on
                weakref.finalize(store, _forget, key)
        return runtime


def _forget(key: int) -> None:
    with _runtimes_lock:
        _runtimes.pop(key, None)


def check_media_type(checked: CheckedQuery, media_type: str) -> str:
    """The media type must fit the query form (results vs graph); 406 otherwise."""
    offered = GRAPH_MEDIA_TYPES if checked.returns_graph else RESULT_MEDIA_TYPES
    base = media_type.split(";", 1)[0].strip().lower()
    if base not in offered:
        raise LexgraphError(
            f"a {checked.form} query cannot be served as {media_type!r}; "
            f"available: {', '.join(offered)}",
            code="not_acceptable",
            status=406,
        )
    return base


async def execute_user_query(
    settings: Settings,
    store: GraphStore,
    query: str,
    media_type: str,
    default_graph_uris: list[str],
    named_graph_uris: list[str],
    client_id: str,
) -> RawResult:
    """Check, evaluate with a hard deadline and bound one user query; raise LexgraphError.

    Order: the client's quota is checked first (a client over its error budget does not get to
    make the parser work), then the static guard, then evaluation off the event loop.
    """
    runtime = _runtime(settings, store)
    ticket = runtime.quotas.admit(client_id)
    failed = True
    try:
        checked = await asyncio.to_thread(
            check_query,
            query,
            max_length=settings.max_query_length,
            max_depth=settings.max_query_depth,
        )
        default, named = check_protocol_graphs(default_graph_uris, named_graph_uris)
        base = check_media_type(checked, media_type)
        result = await _evaluate(settings, store, checked, base, default, named)
        failed = False
        return result
    except LexgraphError as exc:
        if exc.code in _SERVICE_SIDE:
            failed = False
        raise
    finally:
        runtime.quotas.finish(ticket, error=failed)


async def _evaluate(
    settings: Settings,
    store: GraphStore,
    checked: CheckedQuery,
    media_type: str,
    default: tuple[str, ...],
    named: tuple[str, ...],
) -> RawResult:
    """Evaluate in a thread with a deadline (remote backends enforce their own timeout)."""
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(store.query_raw, checked.text, media_type, default, named),
            timeout=settings.query_timeout,
        )
    except TimeoutError:
        raise QueryTimeout(
            f"the query did not finish within {settings.query_timeout:g} s; "
            "add LIMIT or narrow the patterns",
            headers={"Retry-After": str(max(1, int(settings.query_timeout)))},
        ) from None
    except LexgraphError:
        raise
    except SyntaxError as exc:
        raise QueryRejected(f"malformed query: {exc}", code="malformed_query") from None
    except Exception as exc:
        log.warning("user query failed in the store: %s: %s", type(exc).__name__, exc)
        raise Unavailable("the store could not evaluate the query", code="query_failed") from None
