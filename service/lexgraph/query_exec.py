"""The single entry point for user-supplied SPARQL: quota → guard → isolated evaluation → caps.

Why one function: every safety property of the public endpoint (read-only, no SERVICE, no
file or remote FROM, bounded nesting and length, hard deadline, bounded results, per-client
quota) must hold for every caller, so no caller gets to skip a step. The HTTP router negotiates
the media type and renders :class:`~lexgraph.errors.LexgraphError` (status, code, message,
headers such as ``Retry-After``); everything else happens here.

Evaluation: with the embedded store, a pool of sandboxed worker processes over read-only
snapshots (:mod:`lexgraph.query_pool`, :mod:`lexgraph.snapshots`); with a remote SPARQL server,
the server evaluates and a bounded wait applies.

lexgraph's own named queries are trusted and run in-process through ``store.select``; they do
not come through here.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lexgraph.errors import LexgraphError, QueryRejected, QueryTimeout, Unavailable
from lexgraph.guard import CheckedQuery, check_protocol_graphs, check_query
from lexgraph.query_pool import QueryPool, reply_to_result
from lexgraph.quota import ClientQuotas
from lexgraph.settings import Settings
from lexgraph.snapshots import SnapshotPublisher, snapshot_root
from lexgraph.store.base import GraphStore, RawResult, StoreError

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
    """Per-store state that outlives one request: the quota book and the worker pool."""

    quotas: ClientQuotas
    pool: QueryPool | None = None
    #: Why no pool could be started (the store is not an on-disk Oxigraph store), if known.
    pool_error: str | None = None


_runtimes: dict[int, _Runtime] = {}
# Re-entrant: starting a pool spawns processes, and a garbage collection during that can run the
# finalizer of another, dead store (``_forget``) on this very thread.
_runtimes_lock = threading.RLock()


def _live_oxigraph(store: object) -> Any:
    """The ``pyoxigraph.Store`` inside an embedded-store wrapper, or None (remote backend)."""
    import pyoxigraph

    if isinstance(store, pyoxigraph.Store):
        return store
    for value in list(getattr(store, "__dict__", {}).values()):
        if isinstance(value, pyoxigraph.Store):
            return value
    return None


def _start_pool(settings: Settings, store: GraphStore) -> QueryPool:
    """Workers over snapshots of the store at ``settings.store``; the wrapper is weakly held."""
    path = Path(settings.store)
    if not path.is_dir():
        raise Unavailable(
            "user queries need the on-disk store; none was found", code="store_unavailable"
        )
    ref = weakref.ref(store) if _weakrefable(store) else (lambda: store)

    def getter() -> Any:
        wrapper = ref()
        return None if wrapper is None else _live_oxigraph(wrapper)

    publisher = SnapshotPublisher(getter, path)
    pool = QueryPool(
        snapshot_root(path),
        max(1, settings.pool_workers),
        publisher=publisher,
        queue_wait=max(1.0, settings.query_timeout),
        memory_mb=settings.worker_memory_mb,
    )
    pool.start()
    return pool


def _weakrefable(obj: object) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True


def _runtime(settings: Settings, store: GraphStore) -> _Runtime:
    key = id(store)
    with _runtimes_lock:
        runtime = _runtimes.get(key)
        if runtime is not None:
            return runtime
        runtime = _Runtime(
            quotas=ClientQuotas(
                query_seconds_per_minute=settings.quota_query_seconds_per_minute,
                errors_per_minute=settings.quota_errors_per_minute,
                concurrent_queries=settings.quota_concurrent_queries,
            )
        )
        if _live_oxigraph(store) is not None:
            runtime.pool = _start_pool(settings, store)
        _runtimes[key] = runtime
        if _weakrefable(store):
            weakref.finalize(store, _forget, key, runtime)
        return runtime


def _forget(key: int, runtime: _Runtime | None = None) -> None:
    """Stop the pool of a store; with ``runtime``, only if it is still that store's runtime
    (ids of collected objects are reused, and a finalizer may run late)."""
    with _runtimes_lock:
        current = _runtimes.get(key)
        if current is None or (runtime is not None and current is not runtime):
            return
        del _runtimes[key]
    if current.pool is not None:
        current.pool.close()


def start(settings: Settings, store: GraphStore) -> None:
    """Start the worker pool now (at app start) instead of on the first user query."""
    _runtime(settings, store)


def shutdown(store: GraphStore | None = None) -> None:
    """Stop the worker pool of ``store`` (or of every store); call before closing the store."""
    with _runtimes_lock:
        keys = [id(store)] if store is not None else list(_runtimes)
    for key in keys:
        _forget(key)


def store_changed(store: GraphStore) -> None:
    """Publish a fresh snapshot now; call after a committed write (optional: the pool also
    notices changed store files before each query)."""
    with _runtimes_lock:
        runtime = _runtimes.get(id(store))
    if runtime is not None and runtime.pool is not None and runtime.pool.publisher is not None:
        runtime.pool.publisher.publish()


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
        result = await _evaluate(settings, runtime, store, checked, base, default, named)
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
    runtime: _Runtime,
    store: GraphStore,
    checked: CheckedQuery,
    media_type: str,
    default: tuple[str, ...],
    named: tuple[str, ...],
) -> RawResult:
    if runtime.pool is not None:
        return reply_to_result(
            await runtime.pool.run_async(
                _job(settings, checked, media_type, default, named), settings.query_timeout
            )
        )
    return await _evaluate_remote(settings, store, checked, media_type, default, named)


def _job(
    settings: Settings,
    checked: CheckedQuery,
    media_type: str,
    default: tuple[str, ...],
    named: tuple[str, ...],
) -> dict[str, Any]:
    """The worker's instructions. Protocol graphs, when given, replace the query's dataset."""
    protocol = bool(default or named)
    names = [*default, *named] if protocol else [*checked.default_graphs, *checked.named_graphs]
    return {
        "query": checked.text,
        "media_type": media_type,
        "default": list(default) if protocol else None,
        "named": list(named) if protocol else None,
        "query_has_dataset": bool(checked.default_graphs or checked.named_graphs),
        "check_graphs": names if settings.strict_graph_names else [],
        "row_cap": max(0, settings.result_cap),
        "byte_cap": max(1, settings.max_result_bytes),
    }


async def _evaluate_remote(
    settings: Settings,
    store: GraphStore,
    checked: CheckedQuery,
    media_type: str,
    default: tuple[str, ...],
    named: tuple[str, ...],
) -> RawResult:
    """A remote SPARQL server evaluates; the store re-writes the result under the same row and
    byte caps as the embedded workers and gives up after ``query_timeout`` (the server's own
    execution limit, e.g. Virtuoso's MaxQueryExecutionTime, stops the evaluation there)."""
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(store.query_raw, checked.text, media_type, default, named),
            timeout=settings.query_timeout + 1.0,
        )
    except TimeoutError:
        raise QueryTimeout(
            f"the query did not finish within {settings.query_timeout:g} s; "
            "add LIMIT or narrow the patterns",
            headers={"Retry-After": str(max(1, int(settings.query_timeout)))},
        ) from None
    except StoreError as exc:
        status = getattr(exc, "server_status", 0)
        # 4xx, and 500 for evaluation errors (Virtuoso: division by zero, unknown functions): the
        # query's fault; authentication failures and 502-504 are the service's
        if status in range(400, 501) and status not in (401, 403, 407, 408):
            message = getattr(exc, "server_message", "")
            raise QueryRejected(
                f"the query could not be evaluated: {message}", code="evaluation_failed"
            ) from None
        raise
    except LexgraphError:
        raise
    except SyntaxError as exc:
        raise QueryRejected(f"malformed query: {exc}", code="malformed_query") from None
    except Exception as exc:
        log.warning("user query failed in the store: %s: %s", type(exc).__name__, exc)
        raise Unavailable("the store could not evaluate the query", code="query_failed") from None
