"""Decode an ingest request: JSON ``{"text", "metadata"}`` or multipart (UTF-8 file + fields).

The body is read only after the token check (a dependency that looks at headers only) and is
capped while it streams by :class:`lexgraph.api.limits.LimitsMiddleware`. Text must be strict
UTF-8 without NUL characters.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import Message

from lexgraph.api.limits import refuse_encoded_body
from lexgraph.api.routers.sparql import decode_utf8
from lexgraph.errors import LexgraphError
from lexgraph.ingest import IngestMetadata

#: Nesting a JSON ingest body may have (the format itself needs two levels).
MAX_JSON_DEPTH = 16
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")

METADATA_FIELDS = ("title", "date", "type", "reference", "sender", "addressee", "identifier")


class InvalidIngest(LexgraphError):
    status = 400
    code = "invalid_ingest"


def _text(raw: bytes, what: str) -> str:
    """Strict UTF-8 without NUL characters, as for SPARQL requests (400 ``invalid_encoding``)."""
    return decode_utf8(raw, what)


def _refuse_unknown_fields(unknown: set[str]) -> None:
    """Anything beyond the text and its metadata (a target ``graph``, ``@context``, ``@graph``,
    quads) is refused, not ignored: a document is only ever written to its own named graph."""
    if unknown:
        names = ", ".join(repr(name) for name in sorted(unknown)[:10])
        raise LexgraphError(
            f"unknown field(s) {names}: send only the text and its metadata; a document is "
            "written to its own named graph, never to one the request names",
            code="invalid_ingest",
            status=422,
        )


def _metadata(fields: dict[str, Any]) -> IngestMetadata:
    try:
        return IngestMetadata.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'metadata'}: {e['msg']}" for e in exc.errors()
        )
        raise LexgraphError(
            f"invalid metadata: {problems}", code="invalid_metadata", status=422
        ) from None


def check_json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse deeply nested JSON before any parser sees it: up to ``limit`` levels always pass,
    more than ``2 * limit`` never do.

    Strings and everything but brackets are dropped, then innermost pairs are removed one level
    per pass (plain string replacement, so a 5 MB body takes milliseconds; a pass may remove
    more than one level, never less): valid JSON is gone within ``limit`` passes. What remains
    after that is deeper, or unbalanced.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    for _ in range(limit):
        if not brackets:
            return
        brackets = brackets.replace("[]", "").replace("{}", "")
    if brackets:
        raise InvalidIngest(
            f"the JSON body is nested deeper than {limit} levels (or its brackets do not match)"
        )


def _from_json(body: bytes) -> tuple[str, IngestMetadata]:
    raw = _text(body, "the body")
    check_json_depth(raw)
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidIngest(f"the body is not JSON: {exc.msg} at {exc.pos}") from None
    except RecursionError:
        raise InvalidIngest("the JSON body is nested too deeply") from None
    if not isinstance(payload, dict):
        raise InvalidIngest('expected a JSON object {"text": ..., "metadata": {...}}')
    _refuse_unknown_fields(set(payload) - {"text", "metadata"})
    text, metadata = payload.get("text"), payload.get("metadata")
    if not isinstance(text, str):
        raise InvalidIngest('"text" (a string) is required')
    if not isinstance(metadata, dict):
        raise InvalidIngest('"metadata" (an object with title and date) is required')
    if "\x00" in text:
        raise InvalidIngest("the text contains a NUL character", code="invalid_encoding")
    return text, _metadata(metadata)


async def _from_multipart(request: Request, body: bytes) -> tuple[str, IngestMetadata]:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=20)
    except (HTTPException, MultiPartException, ValueError) as exc:
        detail = getattr(exc, "detail", None) or getattr(exc, "message", None) or str(exc)
        raise InvalidIngest(f"malformed multipart body: {detail}") from None
    unknown = set(form.keys()) - {"file", *METADATA_FIELDS}
    if unknown:
        await form.close()
        _refuse_unknown_fields(unknown)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidIngest('multipart ingest needs a text file in the field "file"')
    text = _text(await upload.read(), "the uploaded file")
    fields = {}
    for name in METADATA_FIELDS:
        value = form.get(name)
        if isinstance(value, str) and value != "":
            fields[name] = value
    await form.close()
    return text, _metadata(fields)


async def read_ingest_request(request: Request) -> tuple[str, IngestMetadata]:
    refuse_encoded_body(request)
    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type not in ("application/json", "multipart/form-data"):
        raise LexgraphError(
            "send application/json or multipart/form-data",
            code="unsupported_media_type",
            status=415,
        )
    body = await request.body()
    if media_type == "application/json":
        return _from_json(body)
    return await _from_multipart(request, body)
