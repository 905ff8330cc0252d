"""Fixtures for the hostile-input tests: a real on-disk store, settings, a loopback listener."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from lexgraph import query_exec
from lexgraph.guard import check_query
from lexgraph.settings import Settings

DOC_GRAPH = "https://w3id.org/lexgraph/graph/doc/test"
OTHER_GRAPH = "http://example.org/graph/other"
P = ox.NamedNode("http://example.org/p")
#: Subjects in the document graph: enough for a cartesian product that never finishes.
N_SUBJECTS = 300


def fill(path: Path) -> None:
    """Write the test data with pyoxigraph directly, then release the directory."""
    store = ox.Store(str(path))
    graph = ox.NamedNode(DOC_GRAPH)
    store.extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s/{i}"), P, ox.Literal(f"value {i}"), graph)
        for i in range(N_SUBJECTS)
    )
    store.add(
        ox.Quad(
            ox.NamedNode("http://example.org/other"),
            P,
            ox.Literal("other"),
            ox.NamedNode(OTHER_GRAPH),
        )
    )
    store.flush()
    del store


class _PlainEmbeddedStore:
    """Stand-in used only while ``lexgraph.store.open_store`` is not available in the tree."""

    def __init__(self, path: Path) -> None:
        self._store: ox.Store | None = ox.Store(str(path))

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        assert self._store is not None
        graph = ox.NamedNode(graph_iri)
        self._store.remove_graph(graph)
        self._store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def close(self) -> None:
        self._store = None


def open_embedded(path: Path) -> Any:
    try:
        from lexgraph.store import open_store  # type: ignore[attr-defined]
    except ImportError:
        return _PlainEmbeddedStore(path)
    return open_store(Settings(store=path))


# Give rdflib's parser its recursion headroom before hypothesis snapshots the limit.
check_query("ASK {}", max_length=100, max_depth=64)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    path = tmp_path / "store"
    fill(path)
    return Settings(
        store=path,
        query_timeout=1.0,
        result_cap=100,
        pool_workers=2,
        quota_query_seconds_per_minute=0,  # quotas are tested on their own
        quota_errors_per_minute=0,
        quota_concurrent_queries=0,
    )


@pytest.fixture
def store(settings: Settings) -> Iterator[Any]:
    """The embedded store, opened through the backend factory like the API does."""
    opened = open_embedded(settings.store)
    try:
        yield opened
    finally:
        query_exec.shutdown(opened)
        opened.close()


@dataclass
class Listener:
    """A loopback TCP listener that counts connections and records what it received."""

    port: int
    connections: int = 0
    received: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    state = Listener(port=server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            state.connections += 1
            conn.settimeout(0.5)
            try:
                state.received.append(conn.recv(4096))
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(2)
        server.close()
