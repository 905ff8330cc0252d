"""Every seed document, validated as ingest validates it (with the store's descriptions of the
shared nodes it references), conforms: the store is the real seed build."""

from __future__ import annotations

from rdflib import RDF, Graph

from lexgraph import iris
from lexgraph.namespaces import LKG
from lexgraph.store import GraphStore
from lexgraph.validate import load_shapes, referenced_descriptions, validate

from .harness import ROOT


def test_every_seed_document_passes_with_what_it_references(built_store: GraphStore) -> None:
    """One seed document anchors a motion the register also describes; its provenance is
    stated in both graphs and must not be merged (one generating activity per graph)."""
    shapes = load_shapes(ROOT / "ontology")
    prefix = str(iris.GRAPH["doc/"])
    documents = [g for g in built_store.graph_names() if g.startswith(prefix)]
    assert len(documents) >= 5
    shared_motions = 0
    for name in documents:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
        body = built_store.query_raw(query, "application/n-triples").body
        doc = Graph().parse(data=body, format="nt")
        context = referenced_descriptions(built_store, doc)
        report = validate(doc, shapes, context=context)
        assert report.conforms, f"{name}: {report.as_text()}"
        shared_motions += sum(
            1 for m in doc.subjects(RDF.type, LKG.Motion) if (m, None, None) in context
        )
    assert shared_motions > 0
