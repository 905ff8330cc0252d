"""The policy graph of every seed and test letter passes the build's SHACL gate (all shapes in
ontology/shapes), merged with a document node as the build writes it."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import RDF, XSD, Graph, Literal

from lexgraph import iris
from lexgraph.namespaces import ID, LKG, PROV, VOCAB
from lexgraph.policy import curation_graph, policy_graph
from lexgraph.validate import load_shapes, validate

from .harness import ROOT, SEED_IDS, Doc, sample, seed

DOCS = [*SEED_IDS, "antwoorden-kamervragen", "bijlage-vragenlijst", "brief-toezegging"]
DOCS.append("brief-motie-oordeel")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "ontology")


def with_document(doc: Doc) -> Graph:
    """The document node and its extraction activity, as in the contract's RDF model."""
    from rdflib.namespace import DCTERMS

    g = Graph()
    node = iris.document_iri(doc.document_id)
    act = ID[f"activity/extract/{doc.document_id}"]
    agent = ID["agent/lexgraph-extract/test"]
    g.add((node, RDF.type, LKG.Document))
    g.add((node, LKG.documentId, Literal(doc.document_id)))
    g.add((node, DCTERMS.date, Literal("2026-07-01", datatype=XSD.date)))
    g.add((node, LKG.documentType, VOCAB["document-type/letter"]))
    g.add((node, LKG.text, Literal(doc.text)))
    g.add((node, LKG.sha256, Literal(hashlib.sha256(doc.text.encode()).hexdigest())))
    g.add((node, LKG.sourceFile, Literal(f"sources/{doc.document_id}.txt")))
    g.add((node, PROV.wasGeneratedBy, act))
    g.add((act, RDF.type, PROV.Activity))
    g.add((act, PROV.wasAssociatedWith, agent))
    g.add((act, PROV.endedAtTime, Literal("2026-11-01T00:00:00Z", datatype=XSD.dateTime)))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, LKG.softwareVersion, Literal("test")))
    return g


@pytest.mark.parametrize("name", DOCS)
def test_document_policy_graph_conforms(shapes: Graph, name: str) -> None:
    doc = seed(name) if name in SEED_IDS else sample(name)
    doc.meta = {"added": "2026-11-01"}
    g = with_document(doc) + policy_graph(doc, [], [], ROOT / "graph_data")
    report = validate(g, shapes)
    assert report.conforms, report.as_text()
    assert report.results == []


def test_curation_graph_conforms(shapes: Graph) -> None:
    report = validate(curation_graph(ROOT / "graph_data"), shapes)
    assert report.conforms, report.as_text()
