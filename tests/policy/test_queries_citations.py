"""The citation-based named queries (policy-point-grounds, citations-of, dependents-of) on the
decision note of 30 June 2026 with its citations written as the build writes them (CITATIONS.md
and the contract's RDF model), so the SPARQL is checked whatever the extractor finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from lexgraph import iris
from lexgraph.extract.model import Citation
from lexgraph.named_queries import load_queries, run_query
from lexgraph.namespaces import CITO, LKG, OA, PROV
from lexgraph.policy import policy_graph
from lexgraph.store.oxigraph import OxigraphStore

from .harness import ROOT, rows, seed

NOTE = seed("001_5eaab51baa93c604")
ACTIVITY = URIRef("https://w3id.org/lexgraph/id/activity/extract/7747653")


def _cite(text: str, phrase: str, cid: str, pinpoint: str | None, nth: int = 0) -> Citation:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Citation(start, start + len(phrase), phrase, "eu-act", cid, pinpoint)


def _citation_triples(g: Graph, c: Citation, eli: str, passage: URIRef) -> URIRef:
    node = iris.citation_iri("7747653", c.start, c.end, c.type)
    doc = iris.document_iri("7747653")
    pos, quote = iris.position_selector(node), iris.quote_selector(node)
    g.add((node, RDF.type, CITO.Citation))
    g.add((node, OA.hasSource, doc))
    g.add((node, OA.hasSelector, pos))
    g.add((node, OA.hasSelector, quote))
    g.add((pos, OA.start, Literal(c.start, datatype=XSD.integer)))
    g.add((pos, OA.end, Literal(c.end, datatype=XSD.integer)))
    g.add((quote, OA.exact, Literal(c.text)))
    g.add((node, PROV.wasGeneratedBy, ACTIVITY))
    g.add((node, CITO.hasCitedEntity, URIRef(eli)))
    g.add((node, CITO.hasCitingEntity, passage))
    g.add((node, LKG.citedId, Literal(c.id)))
    if c.pinpoint:
        g.add((node, LKG.pinpoint, Literal(c.pinpoint)))
        for p in iris.provision_iris(c.id, c.pinpoint):
            g.add((node, LKG.citesProvision, p))
    return node


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    text = NOTE.text
    qd = "http://data.europa.eu/eli/dir/2011/95/oj"
    pd = "http://data.europa.eu/eli/dir/2013/32/oj"
    in_point_a = _cite(
        text, "artikel 15, onder c, van de Kwalificatierichtlijn", "celex:32011L0095", "art. 15(c)"
    )
    in_ad_b = _cite(
        text,
        "artikel 15, onder c, van de Kwalificatierichtlijn",
        "celex:32011L0095",
        "art. 15(c)",
        1,
    )
    procedure = _cite(text, "Richtlijn 2013/32/EU", "celex:32013L0032", None)
    g = Graph()
    doc = iris.document_iri("7747653")
    g.add((doc, RDF.type, LKG.Document))
    g.add((doc, LKG.documentId, Literal("7747653")))
    g.add((doc, DCTERMS.date, Literal("2026-06-30", datatype=XSD.date)))
    g.add((doc, LKG.text, Literal(text)))
    passage = iris.passage_iri("7747653", 0, len(text))
    for c, eli in ((in_point_a, qd), (in_ad_b, qd), (procedure, pd)):
        _citation_triples(g, c, eli, passage)
    g += policy_graph(NOTE, [], [in_point_a, in_ad_b, procedure], ROOT / "graph_data")
    s = OxigraphStore(tmp_path_factory.mktemp("citations") / "store")
    s.replace_graph(str(iris.document_graph("7747653")), g.serialize(format="nt", encoding="utf-8"))
    return s


QUERIES = load_queries(ROOT / "queries")


def test_point_a_rests_on_article_15c_with_its_quote(store: OxigraphStore) -> None:
    found = rows(
        run_query(store, QUERIES, "policy-point-grounds", {"document": "7747653", "point": "a"})
    )
    assert [(r["instrumentId"], r["pinpoint"], r["quote"]) for r in found] == [
        ("celex:32011L0095", "art. 15(c)", "artikel 15, onder c, van de Kwalificatierichtlijn")
    ]  # only the citation inside point a, not the one in "Ad b)"
    assert found[0]["pointText"].startswith("a. Een beleid op grond van artikel 15, onder c,")
    assert found[0]["instrument"] == "http://data.europa.eu/eli/dir/2011/95/oj"


def test_point_b_rests_on_the_citation_in_its_explanation(store: OxigraphStore) -> None:
    found = rows(
        run_query(store, QUERIES, "policy-point-grounds", {"document": "7747653", "point": "b"})
    )
    assert len(found) == 1 and found[0]["pinpoint"] == "art. 15(c)"
    assert int(NOTE.text.index("Ad b)")) < NOTE.text.index(
        found[0]["quote"], NOTE.text.index("Ad b)")
    )


def test_point_c_has_no_ground(store: OxigraphStore) -> None:
    assert (
        rows(
            run_query(store, QUERIES, "policy-point-grounds", {"document": "7747653", "point": "c"})
        )
        == []
    )


def test_citations_of_lists_both_passages(store: OxigraphStore) -> None:
    found = rows(run_query(store, QUERIES, "citations-of", {"id": "celex:32011L0095"}))
    assert [r["documentId"] for r in found] == ["7747653", "7747653"]
    assert int(found[0]["start"]) < int(found[1]["start"])


def test_dependents_of_the_qualification_directive(store: OxigraphStore) -> None:
    found = rows(run_query(store, QUERIES, "dependents-of", {"id": "celex:32011L0095"}))
    kinds = sorted((r["kind"], r["dependent"].rsplit("/", 1)[-1]) for r in found)
    assert kinds == [("document", "7747653"), ("policy point", "a"), ("policy point", "b")]


def test_dependents_of_the_procedures_directive(store: OxigraphStore) -> None:
    found = rows(run_query(store, QUERIES, "dependents-of", {"id": "celex:32013L0032"}))
    assert [(r["kind"], r["documentId"]) for r in found] == [("document", "7747653")]


def test_commitments_depend_on_what_their_answers_cite(tmp_path: Path) -> None:
    verzamel = seed("004_7ab7b858e0b64f93")
    text, doc_id = verzamel.text, verzamel.document_id
    start = text.index("RTB een nationaal verblijfsrecht")
    rtb = Citation(start, start + 3, "RTB", "eu-act", "celex:32001L0055")
    g = Graph()
    doc = iris.document_iri(doc_id)
    g.add((doc, RDF.type, LKG.Document))
    g.add((doc, LKG.documentId, Literal(doc_id)))
    node = iris.citation_iri(doc_id, rtb.start, rtb.end, rtb.type)
    pos = iris.position_selector(node)
    g.add((node, RDF.type, CITO.Citation))
    g.add((node, OA.hasSource, doc))
    g.add((node, OA.hasSelector, pos))
    g.add((pos, OA.start, Literal(rtb.start, datatype=XSD.integer)))
    g.add((pos, OA.end, Literal(rtb.end, datatype=XSD.integer)))
    g.add((node, LKG.citedId, Literal(rtb.id)))
    g.add((node, CITO.hasCitedEntity, URIRef("http://data.europa.eu/eli/dir/2001/55/oj")))
    g += policy_graph(verzamel, [], [rtb], ROOT / "graph_data")
    s = OxigraphStore(tmp_path / "store")
    s.replace_graph(str(iris.document_graph(doc_id)), g.serialize(format="nt", encoding="utf-8"))
    found = rows(run_query(s, QUERIES, "dependents-of", {"id": "celex:32001L0055"}))
    assert sorted((r["kind"], r["dependent"].rsplit("/", 1)[-1]) for r in found) == [
        ("commitment", "podt-non-refoulement"),
        ("document", doc_id),
    ]
    assert {r["via"] for r in found} == {str(node)}
