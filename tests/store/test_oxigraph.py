"""The GraphStore contract, run over every backend: the embedded store on a real on-disk
pyoxigraph database, and a real Virtuoso 7 server through the remote backend (with the Graph
Store Protocol, and with SPARQL Update only). The Virtuoso cases skip, with a message, when
Virtuoso is not installed (see conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Virtuoso, clear_lexgraph_graphs
from rdflib import Literal, URIRef

from lexgraph.store import GraphStore, StoreError
from lexgraph.store.oxigraph import OxigraphStore

G1 = "https://w3id.org/lexgraph/graph/doc/a"
G2 = "https://w3id.org/lexgraph/graph/doc/b"
DATA1 = '<http://x/s> <http://x/p> "één" .\n<http://x/s> <http://x/q> <http://x/o> .\n'.encode()
DATA2 = b"<http://x/t> <http://x/p> <http://x/o> .\n"
BACKENDS = ["oxigraph", "virtuoso-gsp", "virtuoso-update"]


@pytest.fixture(params=BACKENDS)
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], GraphStore]:
    """A function that opens (or re-opens) one empty store of the backend under test."""
    if request.param == "oxigraph":
        return lambda: OxigraphStore(tmp_path / "store")
    from lexgraph.store.remote import RemoteStore

    virtuoso: Virtuoso = request.getfixturevalue("virtuoso")
    overrides = {"sparql_gsp_url": None} if request.param == "virtuoso-update" else {}
    settings = virtuoso.settings(**overrides)
    clear_lexgraph_graphs(settings)
    return lambda: RemoteStore(settings)


@pytest.fixture
def store(open_store: Callable[[], GraphStore]) -> Iterator[GraphStore]:
    s = open_store()
    s.replace_graph(G1, DATA1)
    s.replace_graph(G2, DATA2)
    yield s
    s.close()


def test_union_default_graph_and_bindings(store: GraphStore) -> None:
    res = store.select("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef("http://x/s")})
    assert {b["o"]["value"] for b in res["results"]["bindings"]} == {"één", "http://x/o"}
    res = store.select("SELECT ?s ?o WHERE { ?s <http://x/p> ?o }", {"o": Literal("één")})
    assert [b["s"]["value"] for b in res["results"]["bindings"]] == ["http://x/s"]
    assert store.select("ASK { <http://x/t> ?p ?o }") == {"head": {}, "boolean": True}


def test_replace_is_whole_and_idempotent(store: GraphStore) -> None:
    store.replace_graph(G1, DATA2)
    store.replace_graph(G1, DATA2)
    assert store.count(G1) == 1
    assert store.count() == 2
    assert store.graph_names() == sorted([G1, G2])


def test_malformed_write_leaves_graph_unchanged(store: GraphStore) -> None:
    before = store.dump_nquads()
    with pytest.raises(StoreError):
        store.replace_graph(G1, b"<http://x/s> <http://x/p> not-a-term .\n")
    with pytest.raises(ValueError):
        store.replace_graph("not an iri", DATA2)
    assert store.dump_nquads() == before


def test_delete_graph(store: GraphStore) -> None:
    assert store.delete_graph(G2) is True
    assert store.delete_graph(G2) is False
    assert store.graph_names() == [G1]


def test_has_graph(store: GraphStore) -> None:
    assert store.has_graph(G1) and store.has_graph(G2)
    store.delete_graph(G2)
    assert not store.has_graph(G2)
    assert not store.has_graph(G2 + "-never-written")
    with pytest.raises(ValueError):
        store.has_graph("not an iri")


def test_raw_results_in_each_format(store: GraphStore) -> None:
    q = "SELECT ?o WHERE { <http://x/s> <http://x/p> ?o }"
    as_json = json.loads(store.query_raw(q, "application/sparql-results+json").body)
    assert as_json["results"]["bindings"][0]["o"]["value"] == "één"
    assert store.query_raw(q, "text/csv").body.decode() == "o\r\néén\r\n"
    assert b"<sparql" in store.query_raw(q, "application/sparql-results+xml").body
    ttl = store.query_raw("CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle").body
    assert b"<http://x/t>" in ttl
    only_b = store.query_raw("SELECT ?s WHERE { ?s ?p ?o }", "text/csv", default_graph_uris=[G2])
    assert only_b.body.decode().split() == ["s", "http://x/t"]


def test_persists_across_reopen(store: GraphStore, open_store: Callable[[], GraphStore]) -> None:
    store.close()
    again = open_store()
    assert again.count() == 3
    assert again.dump_nquads().count(b"\n") == 3
    again.close()


def test_bindings_are_terms_never_query_text(store: GraphStore) -> None:
    nasty = 'x" } } ; DROP ALL ; SELECT * { ?s ?p "\\ \n\t'
    q = "SELECT ?s ?o WHERE { ?s <http://x/p> ?o }"
    assert store.select(q, {"o": Literal(nasty)})["results"]["bindings"] == []
    assert store.select(q, {"o": Literal("één", lang="nl")})["results"]["bindings"] == []
    with pytest.raises(ValueError):
        store.select(q, {"o": URIRef("http://x/> } ; DROP ALL ; <http://x/")})
    assert store.count() == 3


def test_bound_variables_must_be_projected(store: GraphStore) -> None:
    with pytest.raises((ValueError, RuntimeError)):
        store.select("SELECT ?o WHERE { ?s <http://x/p> ?o }", {"s": URIRef("http://x/s")})


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
