"""The ingest gate validates a document with the store's descriptions of what it references.

A real Oxigraph store holds the real register graph (and, where a test needs it, another
document's graph); documents are built from text by the real pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, Namespace

from lexgraph import iris
from lexgraph.build import REGISTER_REVIEWED, document_graph_for_ingest, load_register_if_any
from lexgraph.ingest import IngestMetadata, ShaclViolation, WriteGate, ingest_sync
from lexgraph.namespaces import LKG
from lexgraph.rdf import register_graph
from lexgraph.settings import Settings
from lexgraph.store.oxigraph import OxigraphStore
from lexgraph.validate import (
    SHAPES_NS,
    Shapes,
    load_shapes,
    referenced_descriptions,
    referenced_iris,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
ELI = Namespace("http://data.europa.eu/eli/ontology#")
QD = URIRef("http://data.europa.eu/eli/dir/2011/95/oj")  # the Qualification Directive
TEXT = (
    "Geachte voorzitter,\n\n"
    "Gelet op artikel 15, aanhef en onder c, van Richtlijn 2011/95/EU wijs ik de aanvraag af.\n"
)
META = IngestMetadata(title="Besluit kwalificatie", date="2026-07-01", reference="ref-qd-1")


def register() -> Graph:
    reg = load_register_if_any(ROOT / "graph_data")
    assert reg is not None
    return register_graph(reg, "graph_data/register/instruments.toml", REGISTER_REVIEWED)


def open_store(path: Path, register_graph_: Graph) -> OxigraphStore:
    store = OxigraphStore(path)
    body = register_graph_.serialize(format="nt", encoding="utf-8")
    store.replace_graph(str(iris.REGISTER_GRAPH), body)
    return store


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(ROOT / "ontology")


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(store=tmp_path_factory.mktemp("s") / "store", data_dir=ROOT / "graph_data")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = open_store(tmp_path_factory.mktemp("refs") / "store", register())
    yield store
    store.close()


@pytest.fixture(scope="module")
def doc(settings: Settings) -> Graph:
    built = document_graph_for_ingest(settings, TEXT, META.model_dump(), "ref-qd-1")
    graph: Graph = built.graph
    assert (None, URIRef("http://purl.org/spar/cito/hasCitedEntity"), QD) in graph
    return graph


def test_references_are_shared_nodes_not_the_documents_own(doc: Graph) -> None:
    refs = referenced_iris(doc)
    assert QD in refs
    assert not [r for r in refs if r.startswith(str(iris.document_iri("ref-qd-1")) + "/")]
    assert LKG.Document not in refs  # classes are not references


def test_the_cited_instrument_is_described_from_the_register(
    store: OxigraphStore, doc: Graph, shapes: Shapes
) -> None:
    context = referenced_descriptions(store, doc)
    assert (QD, DCTERMS.identifier, Literal("celex:32011L0095")) in context
    # followed inside the register: the identifier nodes and the instrument that repealed it
    identifiers = list(context.objects(QD, LKG.hasIdentifier))
    assert identifiers
    for node in identifiers:
        assert (node, RDF.type, LKG.OfficialIdentifier) in context
    successor = context.value(QD, ELI.repealed_by)
    assert successor is not None and context.value(successor, DCTERMS.identifier) is not None
    # provenance stays with the graph that states it
    assert not list(context.triples((None, PROV.wasGeneratedBy, None)))
    # the stored description violates nothing, so the document passes with it
    report = validate(doc, shapes, context=context)
    assert report.conforms, report.as_text()
    assert validate(doc, shapes, context=context, timeout=60) == report


def test_a_shape_on_the_cited_instrument_needs_its_description(
    store: OxigraphStore, doc: Graph, shapes: Shapes
) -> None:
    """A document that types the instrument it cites makes it a target of the instrument
    shapes; its identifier is in the register, so only the referenced description lets it pass."""
    typed = Graph()
    typed += doc
    typed.add((QD, RDF.type, LKG.EUAct))
    alone = validate(typed, shapes)
    assert [(r.shape, r.focus_node) for r in alone.results] == [
        (str(SHAPES_NS.InstrumentHasOneCitationId), str(QD))
    ]
    assert validate(typed, shapes, context=referenced_descriptions(store, typed)).conforms


def test_a_conflicting_identifier_shows_only_with_the_description(
    store: OxigraphStore, doc: Graph, shapes: Shapes
) -> None:
    """A document that gives a register instrument another identifier passes on its own and
    fails with the register's description beside it (one identifier per instrument)."""
    other = Graph()
    other += doc
    other.add((QD, DCTERMS.identifier, Literal("celex:32011L0096")))
    assert validate(other, shapes).conforms
    report = validate(other, shapes, context=referenced_descriptions(store, other))
    assert [(r.shape, r.focus_node) for r in report.results] == [
        (str(SHAPES_NS.InstrumentHasOneCitationId), str(QD))
    ]


def test_other_documents_graphs_are_not_read(tmp_path: Path, doc: Graph, shapes: Shapes) -> None:
    store = open_store(tmp_path / "store", register())
    try:
        bad = Graph()
        bad.add((QD, DCTERMS.identifier, Literal("not an identifier")))
        store.replace_graph(
            str(iris.document_graph("other")), bad.serialize(format="nt", encoding="utf-8")
        )
        context = referenced_descriptions(store, doc)
        assert (QD, DCTERMS.identifier, Literal("not an identifier")) not in context
        assert validate(doc, shapes, context=context).conforms
    finally:
        store.close()


def test_ingest_refuses_a_document_whose_referenced_description_is_broken(
    tmp_path: Path, settings: Settings
) -> None:
    """The same document is committed over a sound register and refused (422, nothing written)
    when the register's description of the instrument it cites breaks a shape."""
    good = open_store(tmp_path / "good", register())
    try:
        result = ingest_sync(settings, good, TEXT, META, WriteGate())
        assert good.has_graph(result.graph)
    finally:
        good.close()
    broken_register = register()
    broken_register.remove((QD, DCTERMS.identifier, None))
    broken = open_store(tmp_path / "broken", broken_register)
    try:
        with pytest.raises(ShaclViolation) as info:
            ingest_sync(settings, broken, TEXT, META, WriteGate())
        results = info.value.report["results"]
        assert {(r["shape"], r["focus_node"]) for r in results} == {
            (str(SHAPES_NS.InstrumentHasOneCitationId), str(QD))
        }
        assert not broken.has_graph(str(iris.document_graph("ref-qd-1")))
    finally:
        broken.close()
