"""Errors with a stable machine-readable code, a human message and an HTTP status.

The API renders them as ``{"error": {"code": ..., "message": ...}}``; the CLI prints the message.
"""

from __future__ import annotations


class LexgraphError(Exception):
    """An error a client caused or can act on; never carries a stack trace to the client."""

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})

    def as_json(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class NotFound(LexgraphError):
    status = 404
    code = "not_found"


class QueryRejected(LexgraphError):
    """A user query refused before evaluation (forbidden form, too long, too deep, malformed)."""

    status = 400
    code = "query_rejected"


class QueryTimeout(LexgraphError):
    status = 503
    code = "query_timeout"


class Unavailable(LexgraphError):
    status = 503
    code = "unavailable"
