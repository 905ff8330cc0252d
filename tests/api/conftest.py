"""Fixtures: stores loaded with test data, real uvicorn servers on 127.0.0.1, in-process clients.

A RocksDB-backed store is opened by one process at a time, so the server and the in-process
client each get their own store directory loaded with the same graphs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import fixture_graph
import httpx
import pytest
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app
from lexgraph.settings import Settings

TOKEN = "test-token-3f9a2c"
#: The suite sends hundreds of deliberately bad queries from one address; per-client quotas are
#: tested where they are implemented, so here they are set out of reach.
GENEROUS_QUOTAS = {
    "quota_errors_per_minute": 1_000_000,
    "quota_query_seconds_per_minute": 1_000_000.0,
    "quota_concurrent_queries": 64,
}
W3C_DIR = Path(__file__).resolve().parents[1] / "data" / "w3c-protocol"
W3C_GRAPHS = {
    f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": W3C_DIR / f"data{i}.nt" for i in (1, 2, 3)
}


def load_store(path: Path, graphs: dict[str, bytes]) -> None:
    from lexgraph.store import open_store

    store = open_store(Settings(store=path))
    try:
        for iri, ntriples in graphs.items():
            store.replace_graph(iri, ntriples)
    finally:
        store.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path
    store: Path

    def url(self, path: str) -> str:
        return self.base + path


def start_server(store: Path, log: Path, queries_dir: Path | None = None) -> Server:
    """``lexgraph serve`` in a subprocess on a free loopback port; waits until /health is 200."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "LEXGRAPH_STORE": str(store),
            "LEXGRAPH_INGEST_TOKEN": TOKEN,
            "LEXGRAPH_QUERY_TIMEOUT": "5",
            **{f"LEXGRAPH_{k.upper()}": str(v) for k, v in GENEROUS_QUOTAS.items()},
        }
    )
    if queries_dir is not None:
        env["LEXGRAPH_QUERIES_DIR"] = str(queries_dir)
    cmd = [
        sys.executable,
        "-c",
        "from lexgraph.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    out = log.open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc, log, store)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(server.url("/health"), timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not become healthy:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="session")
def fixture_graphs() -> dict[str, bytes]:
    return fixture_graph.graphs()


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, fixture_graphs: dict[str, bytes]
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("server")
    load_store(root / "store", fixture_graphs)
    srv = start_server(root / "store", root / "server.log")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("w3c")
    load_store(root / "store", {iri: path.read_bytes() for iri, path in W3C_GRAPHS.items()})
    srv = start_server(root / "store", root / "server.log")
    yield srv
    stop_server(srv)


def make_settings(root: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"store": root / "store", "ingest_token": TOKEN, **GENEROUS_QUOTAS}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def client(
    tmp_path_factory: pytest.TempPathFactory, fixture_graphs: dict[str, bytes]
) -> Iterator[TestClient]:
    """In-process client over the fixture graph (read-only tests only)."""
    root = tmp_path_factory.mktemp("client")
    load_store(root / "store", fixture_graphs)
    with TestClient(create_app(make_settings(root))) as c:
        yield c
