"""Run the app under uvicorn (``lexgraph serve``).

One worker runs the app object built here (the embedded store is opened by one process; several
workers need the SPARQL server backend). Several workers each import the app factory
(:func:`lexgraph.api.app.create_app_from_env`) and build their own app and store handle, so the
settings travel to them as ``LEXGRAPH_*`` environment variables.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from lexgraph.api.app import create_app
from lexgraph.settings import Settings

FACTORY = "lexgraph.api.app:create_app_from_env"

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


def serve(settings: Settings) -> int:
    """Serve until interrupted; non-zero when the server could not start (e.g. port in use)."""
    if settings.workers > 1 and settings.backend == "oxigraph":
        # RocksDB lets one process open the store: the other workers would serve 503s
        print(
            "lexgraph serve: several workers need a shared store (LEXGRAPH_BACKEND=sparql); "
            "the embedded Oxigraph store is opened by one process. Use --workers 1.",
            file=sys.stderr,
        )
        return 2
    if settings.workers > 1:
        os.environ.update(settings_env(settings))
        # uvicorn supervises several worker processes only through uvicorn.run
        uvicorn.run(
            FACTORY,
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            timeout_keep_alive=5,
            server_header=False,
            http="lexgraph.api.server:WorkerHeadTimeoutProtocol",
        )
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
