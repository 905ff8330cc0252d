"""Run the app under uvicorn (``lexgraph serve``).

One worker runs the app object built here, with the store open read-write (it accepts ingest).
Several workers each import an app factory and build their own app and store handle, so the
settings travel to them as ``LEXGRAPH_*`` environment variables:

- with a SPARQL server (``LEXGRAPH_BACKEND=sparql``), :func:`lexgraph.api.app.create_app_from_env`:
  every worker reads and writes through the server;
- with the embedded store, :func:`create_replica_app`: RocksDB lets one process open the store
  read-write, and a read-only open neither sees later commits nor is defined while another
  process writes. So the supervisor publishes a snapshot of the store before the workers start
  (:func:`lexgraph.snapshots.publish_store`) and closes it again; the workers read the newest
  published snapshot (:class:`~lexgraph.store.oxigraph.OxigraphSnapshotStore`), one generation
  per request, and refuse ``POST``/``DELETE /documents`` (403 ``read_only_server``). Documents
  are added with ``lexgraph ingest``, the one writer, which publishes a new snapshot when it
  closes the store; the workers move to it on their next request.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from lexgraph.api.app import create_app, log
from lexgraph.settings import Settings, get_settings

FACTORY = "lexgraph.api.app:create_app_from_env"
REPLICA_FACTORY = "lexgraph.api.server:create_replica_app"
#: Response header naming the process that answered (which worker, when there are several).
WORKER_HEADER = "X-Lexgraph-Worker"

_TIMEOUT_BODY = (
    b'{"error": {"code": "request_timeout", "message": "the request was not sent in time"}}'
)
_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\nconnection: close\r\n"
    b"content-length: " + str(len(_TIMEOUT_BODY)).encode() + b"\r\n\r\n" + _TIMEOUT_BODY
)


class HeadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request head.

    uvicorn closes idle keep-alive connections but waits forever for the first request on a new
    connection and for a head that arrives a byte at a time, so a few slow clients could hold
    every connection. Here a connection whose request head is not complete ``read_timeout``
    seconds after it opened (or after it started sending the next request) gets 408 and is
    closed. The body has its own per-chunk deadline (:class:`lexgraph.api.limits.LimitsMiddleware`).
    """

    read_timeout = 15.0
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm_head_timer()  # a complete head arrived; the app has the request
        elif self._head_timer is None:
            self._arm_head_timer()  # part of the next request on a kept-alive connection

    def on_response_complete(self) -> None:
        self._disarm_head_timer()
        super().on_response_complete()  # arms uvicorn's own keep-alive timer

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_timer = self.loop.call_later(self.read_timeout, self._head_timed_out)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        busy = self.cycle is not None and not self.cycle.response_complete
        if busy or self.transport.is_closing():
            return
        self.transport.write(_TIMEOUT_RESPONSE)
        self.transport.close()


class WorkerHeadTimeoutProtocol(HeadTimeoutProtocol):
    """The protocol of worker processes, which uvicorn starts by importing it by name (a class
    made at run time cannot travel to them); ``serve`` sets the variable before they start."""

    read_timeout = float(os.environ.get("LEXGRAPH_READ_TIMEOUT", HeadTimeoutProtocol.read_timeout))


def protocol_class(settings: Settings) -> type[H11Protocol]:
    """The HTTP protocol class with the configured head deadline."""
    attrs: dict[str, Any] = {"read_timeout": settings.read_timeout}
    return type("LexgraphHTTPProtocol", (HeadTimeoutProtocol,), attrs)


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as the ``LEXGRAPH_*`` variables that rebuild them in another process."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is not None:
            env[f"LEXGRAPH_{name.upper()}"] = str(value)
    return env


class ReplicaMiddleware:
    """Per request of a snapshot-reading worker: refuse writes, pin one store generation, and
    name the worker process in a response header."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state
        self.header = (WORKER_HEADER.lower().encode(), str(os.getpid()).encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        if scope.get("method") in WRITE_METHODS and (
            path == "/documents" or path.startswith("/documents/")
        ):
            await self._refuse_write(send)
            return

        async def send_with_worker(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.header]
            await send(message)

        store = getattr(self.state, "store", None)
        if store is None:  # the store failed to open: /health says why, the rest is 503
            await self.app(scope, receive, send_with_worker)
            return
        # One generation for the whole request; opening a newer one happens off the loop.
        generation = store.is_latest() or await run_in_threadpool(store.latest)
        with store.pinned(generation):
            await self.app(scope, receive, send_with_worker)

    async def _refuse_write(self, send: Send) -> None:
        body = json.dumps(
            {"error": {"code": "read_only_server", "message": READ_ONLY_MESSAGE}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"access-control-allow-origin", b"*"),
                    self.header,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY_MESSAGE = (
    "this server runs several workers over read-only snapshots of the embedded store and "
    "accepts no writes; add or remove documents with `lexgraph ingest FILE --meta META` "
    "against the same store (the workers read the new snapshot on their next request), or "
    "serve with --workers 1 to ingest over HTTP"
)


@asynccontextmanager
async def _replica_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the newest published snapshot; failing to open leaves health red (503)."""
    from lexgraph.store.oxigraph import OxigraphSnapshotStore

    settings: Settings = app.state.settings
    app.state.store = None
    app.state.store_error = None
    try:
        app.state.store = await run_in_threadpool(OxigraphSnapshotStore, settings.store)
    except Exception as exc:  # fail closed, not crash the worker
        log.error("snapshots of the store at %s failed to open: %s", settings.store, exc)
        app.state.store_error = f"{type(exc).__name__}: {exc}"
    try:
        yield
    finally:
        store = app.state.store
        app.state.store = None
        if store is not None:
            from lexgraph import query_exec

            query_exec.shutdown(store)
            await run_in_threadpool(store.close)


def create_replica_app() -> FastAPI:
    """App factory of a worker that serves snapshots of the embedded store (read-only)."""
    app = create_app(get_settings())
    app.router.lifespan_context = _replica_lifespan
    app.add_middleware(ReplicaMiddleware, state=app.state)
    return app


def _publish_before_workers(settings: Settings) -> bool:
    """Publish the embedded store's current state for the workers; False (with a message) when
    the store is missing or another process holds it."""
    from lexgraph.snapshots import publish_store

    try:
        generation = publish_store(settings.store)
    except OSError as exc:
        print(
            f"lexgraph serve: cannot publish a snapshot of the store at {settings.store}: {exc}. "
            "Several workers read snapshots of the embedded store: build it first "
            "(lexgraph build), and stop any process that holds it open (a one-worker "
            "lexgraph serve, an ingest).",
            file=sys.stderr,
        )
        return False
    print(
        f"lexgraph serve: {settings.workers} workers read snapshot {generation} of "
        f"{settings.store} and newer ones; they refuse HTTP writes (add documents with "
        "lexgraph ingest, which publishes a new snapshot)",
        file=sys.stderr,
    )
    return True


class _OneSocketEachSupervisor(Multiprocess):
    """uvicorn's worker supervisor with one listening socket per worker (``SO_REUSEPORT``).

    With one shared socket every idle worker is woken for a new connection and the one whose
    event loop runs first accepts it; a worker waiting on a query in its thread pool is idle, so
    it keeps winning (measured: 326 of 349 requests on one of two workers) and a kept-alive
    connection stays where it landed. With a socket each, the kernel spreads connections over
    the workers by hash. Worker ``i`` always gets socket ``i``, also when it is replaced.
    """

    def _process(self, slot: int) -> Process:
        process = Process(self.config, [self.sockets[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        for slot in range(self.processes_num):
            self.processes.append(self._process(slot))

    def restart_all(self) -> None:  # SIGHUP: replace each worker, one at a time
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._process(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # would fail the same way again
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            self.processes[slot] = self._process(slot)


def _reuse_port_sockets(config: uvicorn.Config, count: int) -> list[socket.socket]:
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sockets = []
    for _ in range(count):
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((config.host, config.port))
        sock.set_inheritable(True)
        sockets.append(sock)
    return sockets


def _worker_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for several worker processes (each imports the app factory)."""
    return {
        "factory": True,
        "workers": settings.workers,
        "host": settings.host,
        "port": settings.port,
        "timeout_keep_alive": 5,
        "server_header": False,
        "http": "lexgraph.api.server:WorkerHeadTimeoutProtocol",
    }


def _run_replicas(settings: Settings) -> int:
    config = uvicorn.Config(REPLICA_FACTORY, **_worker_options(settings))
    try:
        sockets = _reuse_port_sockets(config, settings.workers)
    except OSError as exc:
        print(
            f"lexgraph serve: cannot listen on {settings.host}:{settings.port}: {exc}",
            file=sys.stderr,
        )
        return 1
    try:
        _OneSocketEachSupervisor(config, sockets=sockets).run()
    except KeyboardInterrupt:
        pass
    finally:
        for sock in sockets:
            sock.close()
    return 0


def serve(settings: Settings) -> int:
    """Serve until interrupted; non-zero when the server could not start (e.g. port in use)."""
    if settings.workers > 1:
        factory = FACTORY
        if settings.backend == "oxigraph":
            if not _publish_before_workers(settings):
                return 2
            factory = REPLICA_FACTORY
        os.environ.update(settings_env(settings))
        if factory == REPLICA_FACTORY:
            return _run_replicas(settings)
        # uvicorn supervises several worker processes only through uvicorn.run
        uvicorn.run(factory, **_worker_options(settings))
        return 0
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        timeout_keep_alive=5,
        server_header=False,
        http=protocol_class(settings),
    )
    server = uvicorn.Server(config)
    server.run()
    return 0 if server.started else 1
