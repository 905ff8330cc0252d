"""ASGI-level limits that must hold before any handler parses anything.

- Request bodies are counted while they are received (``Content-Length`` is not trusted alone);
  going over ``max_body_bytes`` raises a 413 error from inside ``receive``. The check is lazy: it
  happens on the first ``receive``, so header-only checks (the ingest token) answer first.
- Over-long request targets get 414 before routing.
- A body that stalls (no chunk for ``read_timeout`` seconds while more is announced) gets 408;
  the deadline for the request head is the server's (:mod:`lexgraph.api.server`).
"""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lexgraph.errors import LexgraphError


class BodyTooLarge(LexgraphError):
    status = 413
    code = "payload_too_large"


class BodyTimeout(LexgraphError):
    status = 408
    code = "request_timeout"


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(f"request body is larger than {limit} bytes")


class LimitsMiddleware:
    """Cap body size (413, counted on the stream), request-target length (414) and the wait
    for each body chunk (408)."""

    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        max_target_bytes: int,
        read_timeout: float = 15.0,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_target_bytes = max_target_bytes
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if target > self.max_target_bytes:
            await _send_json(send, 414, b"uri_too_long", b"request target is too long; use POST")
            return
        limit = self.max_body_bytes
        declared = None
        for name, value in scope.get("headers") or []:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
        received = 0
        body_done = False
        timeout = self.read_timeout

        async def counting_receive() -> Message:
            nonlocal received, body_done
            if declared is not None and declared > limit:
                raise _too_large(limit)
            if body_done:  # later receives wait for a disconnect: no deadline there
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                raise BodyTimeout(
                    f"no part of the request body arrived for {timeout:g} s"
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(limit)
                body_done = not message.get("more_body", False)
            return message

        await self.app(scope, counting_receive, send)


async def _send_json(send: Send, status: int, code: bytes, message: bytes) -> None:
    body = b'{"error": {"code": "' + code + b'", "message": "' + message + b'"}}'
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def refuse_encoded_body(request: Request) -> None:
    """Compressed bodies are refused unread: no decompression bomb can reach a parser."""
    encoding = (request.headers.get("content-encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise LexgraphError(
            f"Content-Encoding {encoding!r} is not accepted; send the body uncompressed",
            code="unsupported_media_type",
            status=415,
        )
