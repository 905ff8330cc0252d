"""Ingest's commit, ``OxigraphStore.replace_graph``: a new graph is loaded in one transaction, an
existing one dropped and rewritten in one update; malformed N-Triples write nothing either way.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lexgraph.store.base import StoreError
from lexgraph.store.oxigraph import OxigraphStore

G = "https://w3id.org/lexgraph/graph/doc/commit-test"
ONE = b'<http://x/s> <http://x/p> "een" .\n<http://x/s> <http://x/q> <http://x/o> .\n'
TWO = b'<http://x/s> <http://x/p> "twee"@nl .\n_:b <http://x/p> _:b .\n'
BROKEN = b'<http://x/s> <http://x/p> "ok" .\n<http://x/s> <http://x/p> not-a-term .\n'
INJECTION = b'<http://x/s> <http://x/p> "x" . } } ; DROP ALL ; INSERT DATA { GRAPH <http://x/g> {\n'


def rows(store: OxigraphStore) -> list[tuple[str, str, str]]:
    body = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")
    found = [
        (b["s"]["type"], b["p"]["value"], b["o"].get("xml:lang", "") + b["o"]["value"])
        for b in body["results"]["bindings"]
    ]
    return sorted(found)


@pytest.fixture
def store(tmp_path: Path) -> OxigraphStore:
    return OxigraphStore(tmp_path / "store")


def test_new_graph_is_loaded_and_an_existing_one_replaced(store: OxigraphStore) -> None:
    store.replace_graph("https://w3id.org/lexgraph/graph/other", ONE)
    assert not store.has_graph(G)
    store.replace_graph(G, ONE)
    assert rows(store) == [("uri", "http://x/p", "een"), ("uri", "http://x/q", "http://x/o")]
    store.replace_graph(G, TWO)  # wholly replaced, the blank node kept as a blank node
    assert [(kind, p) for kind, p, _ in rows(store)] == [
        ("bnode", "http://x/p"),
        ("uri", "http://x/p"),
    ]
    assert ("uri", "http://x/p", "nltwee") in rows(store)
    assert store.count("https://w3id.org/lexgraph/graph/other") == 2
    store.close()


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("body", [BROKEN, INJECTION], ids=["broken", "injection"])
def test_malformed_ntriples_write_nothing(
    store: OxigraphStore, existing: bool, body: bytes
) -> None:
    store.replace_graph("https://w3id.org/lexgraph/graph/other", ONE)
    if existing:
        store.replace_graph(G, ONE)
    before = store.dump_nquads()
    with pytest.raises(StoreError, match="invalid N-Triples"):
        store.replace_graph(G, body)
    assert store.dump_nquads() == before
    assert store.has_graph(G) is existing
    store.close()
