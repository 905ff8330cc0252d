"""The embedded store on a real on-disk pyoxigraph database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from lexgraph.store import StoreError
from lexgraph.store.oxigraph import OxigraphStore

G1 = "https://w3id.org/lexgraph/graph/doc/a"
G2 = "https://w3id.org/lexgraph/graph/doc/b"
DATA1 = '<http://x/s> <http://x/p> "één" .\n<http://x/s> <http://x/q> <http://x/o> .\n'.encode()
DATA2 = b"<http://x/t> <http://x/p> <http://x/o> .\n"


@pytest.fixture
def store(tmp_path: Path) -> OxigraphStore:
    s = OxigraphStore(tmp_path / "store")
    s.replace_graph(G1, DATA1)
    s.replace_graph(G2, DATA2)
    return s


def test_union_default_graph_and_bindings(store: OxigraphStore) -> None:
    res = store.select("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://x/s")})
    assert {b["o"]["value"] for b in res["results"]["bindings"]} == {"één", "http://x/o"}
    res = store.select("SELECT ?s ?o WHERE { ?s <http://x/p> ?o }", {"o": Literal("één")})
    assert [b["s"]["value"] for b in res["results"]["bindings"]] == ["http://x/s"]
    assert store.select("ASK { <http://x/t> ?p ?o }") == {"head": {}, "boolean": True}


def test_replace_is_whole_and_idempotent(store: OxigraphStore) -> None:
    store.replace_graph(G1, DATA2)
    store.replace_graph(G1, DATA2)
    assert store.count(G1) == 1
    assert store.count() == 2
    assert store.graph_names() == sorted([G1, G2])


def test_malformed_write_leaves_graph_unchanged(store: OxigraphStore) -> None:
    before = store.dump_nquads()
    with pytest.raises(StoreError):
        store.replace_graph(G1, b"<http://x/s> <http://x/p> not-a-term .\n")
    with pytest.raises(ValueError):
        store.replace_graph("not an iri", DATA2)
    assert store.dump_nquads() == before


def test_delete_graph(store: OxigraphStore) -> None:
    assert store.delete_graph(G2) is True
    assert store.delete_graph(G2) is False
    assert store.graph_names() == [G1]


def test_raw_results_in_each_format(store: OxigraphStore) -> None:
    q = "SELECT ?o WHERE { <http://x/s> <http://x/p> ?o }"
    as_json = json.loads(store.query_raw(q, "application/sparql-results+json").body)
    assert as_json["results"]["bindings"][0]["o"]["value"] == "één"
    assert store.query_raw(q, "text/csv").body.decode() == "o\r\néén\r\n"
    assert b"<sparql" in store.query_raw(q, "application/sparql-results+xml").body
    ttl = store.query_raw("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle").body
    assert b"<http://x/t>" in ttl
    only_b = store.query_raw("SELECT ?s WHERE { ?s ?p ?o }", "text/csv", default_graph_uris=[G2])
    assert only_b.body.decode().split() == ["s", "http://x/t"]


def test_persists_across_reopen(store: OxigraphStore, tmp_path: Path) -> None:
    store.close()
    again = OxigraphStore(tmp_path / "store")
    assert again.count() == 3


def test_unopenable_path_fails_closed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a store")
    with pytest.raises(StoreError):
        OxigraphStore(blocker / "store")


def test_unavailable_backend_is_a_clear_error(tmp_path: Path) -> None:
    from lexgraph.settings import get_settings
    from lexgraph.store import open_store

    settings = get_settings(store=tmp_path / "s", backend="sparql")
    with pytest.raises(StoreError, match="LEXGRAPH_BACKEND=sparql"):
        open_store(settings)
