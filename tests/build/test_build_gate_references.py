"""The build validates each document as ingest does: with the register's and the curation layer's
descriptions of what it references, taken from the graphs the build makes (no store).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import DCTERMS, Dataset, Graph, Literal, URIRef

from lexgraph import build as build_module
from lexgraph import iris
from lexgraph.settings import get_settings
from lexgraph.store.oxigraph import OxigraphStore
from lexgraph.validate import (
    SHARED_GRAPHS,
    load_shapes,
    referenced_descriptions,
    referenced_descriptions_in,
)

ROOT = Path(__file__).resolve().parents[2]
QD = URIRef("http://data.europa.eu/eli/dir/2011/95/oj")  # the Qualification Directive


def _graph(nquads: bytes, graph_iri: str) -> Graph:
    graph = Graph()
    graph += Dataset().parse(data=nquads, format="nquads").graph(URIRef(graph_iri))
    return graph


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Graph]:
    """The register and curation graphs exactly as the build makes them."""
    data = tmp_path_factory.mktemp("gate") / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    settings = get_settings(store=data.parent / "store", data_dir=data)
    graphs: dict[str, Graph] = {}
    for checked in build_module.check_graphs(settings):
        assert checked.violations is None, checked.violations
        if checked.graph_iri in {str(g) for g in SHARED_GRAPHS} or checked.name.startswith(
            "document "
        ):
            graphs[checked.graph_iri] = _graph(checked.nquads, checked.graph_iri)
    return graphs


def test_references_in_memory_are_the_stores(shared: dict[str, Graph], tmp_path: Path) -> None:
    """For every seed document, the build's lookup (in memory) gives the triples ingest's
    lookup (store queries) gives over a store holding the same shared graphs."""
    store = OxigraphStore(tmp_path / "store")
    try:
        names = {str(g) for g in SHARED_GRAPHS}
        for name in names:
            store.replace_graph(name, shared[name].serialize(format="nt", encoding="utf-8"))
        in_memory = [shared[name] for name in names]
        documents = [g for name, g in shared.items() if name not in names]
        assert len(documents) == 5
        for doc in documents:
            from_store = referenced_descriptions(store, doc)
            built = referenced_descriptions_in(in_memory, doc)
            assert len(built) > 0
            assert set(built) == set(from_store)
    finally:
        store.close()


def test_the_build_gate_sees_what_a_document_references(shared: dict[str, Graph]) -> None:
    """A document that gives a register instrument a second identifier passes alone and is
    refused by the build's gate, as ingest refuses it."""
    shapes = load_shapes(ROOT / "ontology")
    register = shared[str(iris.REGISTER_GRAPH)]
    assert register.value(QD, DCTERMS.identifier) is not None
    conflicting = Graph()
    conflicting += register
    conflicting.add((QD, DCTERMS.identifier, Literal("celex:32011L0096")))
    data = ROOT / "graph_data"
    source = data / "sources" / "001_5eaab51baa93c604.txt"
    state = build_module._Worker(build_module.load_register_if_any(data), data, shapes)
    build_module._WORKER = state
    try:
        state.shared = [register, shared[str(iris.CURATION_GRAPH)]]
        assert build_module._check_document(source).violations is None
        # the same document, when the shared graphs say more about an instrument it cites
        state.shared = [conflicting, shared[str(iris.CURATION_GRAPH)]]
        built = build_module._check_document(source)
    finally:
        build_module._WORKER = None
    doc = _graph(built.nquads, built.graph_iri)
    assert (None, None, QD) in doc  # the seed cites the directive
    assert built.violations is not None
    assert "InstrumentHasOneCitationId" in built.violations
