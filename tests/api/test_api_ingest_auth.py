"""Ingest admission: token checked from headers before the body is read, body capped on the
stream, strict UTF-8, metadata validated — all before the pipeline runs."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TOKEN, Server, load_store, make_settings
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app

GOOD = {"text": "Geachte voorzitter,\n\nTekst.\n", "metadata": {"title": "T", "date": "2026-01-02"}}


@pytest.fixture
def ingest_client(tmp_path: Path) -> Iterator[TestClient]:
    load_store(tmp_path / "store", {})
    with TestClient(create_app(make_settings(tmp_path, max_body_bytes=20_000))) as c:
        yield c


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_ingest_disabled_without_a_configured_token(tmp_path: Path) -> None:
    load_store(tmp_path / "store", {})
    with TestClient(create_app(make_settings(tmp_path, ingest_token=None))) as c:
        r = c.post("/documents", json=GOOD, headers=auth())
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "ingest_disabled"
        assert c.delete("/documents/x", headers=auth()).status_code == 403


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({}, 401, "unauthorized"),
        ({"Authorization": "Basic dXNlcjpwdw=="}, 401, "unauthorized"),
        ({"Authorization": "Bearer "}, 401, "unauthorized"),
        (auth("wrong"), 403, "forbidden"),
        (auth(TOKEN + "x"), 403, "forbidden"),
    ],
)
def test_bad_tokens(
    ingest_client: TestClient, headers: dict[str, str], status: int, code: str
) -> None:
    r = ingest_client.post("/documents", json=GOOD, headers=headers)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert ingest_client.delete("/documents/x", headers=headers).status_code == status


def test_body_cap_413(ingest_client: TestClient) -> None:
    big = {"text": "x" * 50_000, "metadata": {"title": "T", "date": "2026-01-02"}}
    r = ingest_client.post("/documents", json=big, headers=auth())
    assert r.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap holds on the stream
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 1000
        yield b'", "metadata": {"title": "T", "date": "2026-01-02"}}'

    r = ingest_client.post(
        "/documents", content=chunks(), headers={**auth(), "Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("content", "ctype", "status", "code"),
    [
        (b'{"text": "\xff", "metadata": {}}', "application/json", 400, "invalid_encoding"),
        (b"{not json", "application/json", 400, "invalid_ingest"),
        (b"[1]", "application/json", 400, "invalid_ingest"),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400, "invalid_ingest"),
        (b'{"text": "a", "metadata": {"title": "T"}}', "application/json", 422, "invalid_metadata"),
        (
            b'{"text": "a", "metadata": {"title": "T", "date": "2026-02-30"}}',
            "application/json",
            422,
            "invalid_metadata",
        ),
        (
            b'{"text": "a", "metadata": {"title": "T", "date": "2026-01-01", "extra": 1}}',
            "application/json",
            422,
            "invalid_metadata",
        ),
        (
            b'{"text": "a\\u0000b", "metadata": {"title": "T", "date": "2026-01-01"}}',
            "application/json",
            400,
            "invalid_encoding",
        ),
        (b"text", "text/plain", 415, "unsupported_media_type"),
    ],
    ids=[
        "bad-utf8",
        "not-json",
        "not-object",
        "deep",
        "no-date",
        "bad-date",
        "unknown-field",
        "nul",
        "text-plain",
    ],
)
def test_malformed_requests(
    ingest_client: TestClient, content: bytes, ctype: str, status: int, code: str
) -> None:
    r = ingest_client.post("/documents", content=content, headers={**auth(), "Content-Type": ctype})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code


def test_multipart_needs_a_utf8_file(ingest_client: TestClient) -> None:
    meta = {"title": "T", "date": "2026-01-02"}
    r = ingest_client.post(
        "/documents",
        data=meta,
        files={"file": ("a.txt", b"\xff\xfe", "text/plain")},
        headers=auth(),
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_encoding"
    r = ingest_client.post("/documents", data=meta, headers=auth())
    assert r.status_code in (400, 415)


@pytest.mark.integration
def test_bad_token_is_refused_before_a_huge_body_is_sent(server: Server) -> None:
    """Announce 1 GB, send a few bytes: the refusal comes back at once, no body awaited."""
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /documents HTTP/1.1\r\n"
            b"Host: 127.0.0.1\r\n"
            b"Authorization: Bearer wrong\r\n"
            b"Content-Type: application/json\r\n"
            b"Content-Length: 1000000000\r\n\r\n" + b'{"text": "' + b"x" * 1000
        )
        started = time.monotonic()
        reply = b""
        while b"}}" not in reply:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
        assert time.monotonic() - started < 5
    assert reply.startswith(b"HTTP/1.1 403"), reply[:200]
    assert b"forbidden" in reply
    assert server.proc.poll() is None


def test_compressed_bodies_are_refused_unread(ingest_client: TestClient) -> None:
    import gzip

    bomb = gzip.compress(b'{"text": "' + b"x" * 1_000_000 + b'"}')
    for path, ctype in (
        ("/documents", "application/json"),
        ("/sparql", "application/sparql-query"),
    ):
        r = ingest_client.post(
            path,
            content=bomb,
            headers={**auth(), "Content-Type": ctype, "Content-Encoding": "gzip"},
        )
        assert r.status_code == 415, r.text
        assert r.json()["error"]["code"] == "unsupported_media_type"
