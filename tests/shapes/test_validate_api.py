"""lexgraph.validate: the report the build and ingest print or return, and the guarantees they
rely on (shapes never mutated, no dereferencing, a time box, fast enough for per-document use)."""

from __future__ import annotations

import copy
import http.server
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from lexgraph.namespaces import CITO, LKG, OA, PROV
from lexgraph.validate import (
    SHAPES_NS,
    ValidationReport,
    ValidationResult,
    ValidationTimeout,
    load_shapes,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
DOC = URIRef("https://w3id.org/lexgraph/id/doc/test-doc")
ACT = URIRef("https://w3id.org/lexgraph/id/activity/extract/test-doc")
PAS = URIRef("https://w3id.org/lexgraph/id/doc/test-doc/passage/0-94")
QD = URIRef("http://data.europa.eu/eli/dir/2011/95/oj")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "ontology")


def base() -> Graph:
    return Graph().parse(CASES / "_base.ttl", format="turtle")


def broken() -> Graph:
    """The base graph plus one citation whose span ends before it starts."""
    g = base()
    c = URIRef(f"{DOC}/citation/60-9-eu-act")
    pos, quo = URIRef(f"{c}#position"), URIRef(f"{c}#quote")
    for t in (
        (c, RDF.type, CITO.Citation),
        (c, OA.hasSource, DOC),
        (c, OA.hasSelector, pos),
        (c, OA.hasSelector, quo),
        (c, PROV.wasGeneratedBy, ACT),
        (c, CITO.hasCitingEntity, PAS),
        (c, CITO.hasCitedEntity, QD),
        (c, LKG.citationType, Literal("eu-act")),
        (c, LKG.citedId, Literal("celex:32011L0095")),
        (pos, RDF.type, OA.TextPositionSelector),
        (pos, OA.start, Literal(60)),
        (pos, OA.end, Literal(9)),
        (quo, RDF.type, OA.TextQuoteSelector),
        (quo, OA.exact, Literal("x")),
    ):
        g.add(t)
    return g


def big(n: int = 110) -> Graph:
    """About 1,600 triples: the base graph and n more citations."""
    g = base()
    for i in range(n):
        c = URIRef(f"{DOC}/citation/{i}")
        pos, quo = URIRef(f"{c}#position"), URIRef(f"{c}#quote")
        for t in (
            (c, RDF.type, CITO.Citation),
            (c, OA.hasSource, DOC),
            (c, OA.hasSelector, pos),
            (c, OA.hasSelector, quo),
            (c, PROV.wasGeneratedBy, ACT),
            (c, CITO.hasCitingEntity, PAS),
            (c, CITO.hasCitedEntity, QD),
            (c, LKG.citationType, Literal("eu-act")),
            (c, LKG.citedId, Literal("celex:32011L0095")),
            (pos, RDF.type, OA.TextPositionSelector),
            (pos, OA.start, Literal(9)),
            (pos, OA.end, Literal(68)),
            (quo, RDF.type, OA.TextQuoteSelector),
            (quo, OA.exact, Literal("artikel 15, aanhef en onder c, van de Kwalificatierichtlijn")),
        ):
            g.add(t)
    return g


def test_report_names_shape_focus_path_value_and_message(shapes: Graph) -> None:
    report = validate(broken(), shapes)
    assert not report.conforms
    assert report.results == [
        ValidationResult(
            shape=str(SHAPES_NS.PositionSelectorStartBeforeEnd),
            shape_name="start offset before end offset",
            focus_node=f"{DOC}/citation/60-9-eu-act#position",
            path=str(OA.start),
            value="60",
            message="oa:start must be less than oa:end.",
            severity="Violation",
        ),
    ]


def test_as_text_is_one_line_per_result(shapes: Graph) -> None:
    text = validate(broken(), shapes).as_text()
    head, *lines = text.splitlines()
    assert head == "Does not conform: 1 result(s)"
    assert lines == [
        "[Violation] lkg-shape:PositionSelectorStartBeforeEnd (start offset before end offset): "
        f"focus <{DOC}/citation/60-9-eu-act#position> path <{OA.start}> value '60': "
        "oa:start must be less than oa:end."
    ]
    assert validate(base(), shapes).as_text() == "Conforms: no SHACL violations."


def test_as_json_round_trips(shapes: Graph) -> None:
    report = validate(broken(), shapes)
    data = json.loads(json.dumps(report.as_json()))
    assert data["conforms"] is False
    assert (
        ValidationReport(
            conforms=data["conforms"], results=[ValidationResult(**r) for r in data["results"]]
        )
        == report
    )


def test_graph_wide_constraint_reports_the_citation_as_value(shapes: Graph) -> None:
    g = Graph().parse(CASES / "_base.ttl").parse(CASES / "CitationInsideCitingPassage.invalid.ttl")
    (result,) = validate(g, shapes).results
    assert result.focus_node == str(SHAPES_NS.DataGraph)
    assert result.value == "https://w3id.org/lexgraph/id/doc/test-doc/citation/x"
    assert "passage/x" in result.message


def test_neither_shapes_nor_data_are_changed(shapes: Graph) -> None:
    shapes_before = copy.deepcopy(shapes)
    data = broken()
    data_before = copy.deepcopy(data)
    first = validate(data, shapes)
    second = validate(data, shapes)
    assert first == second
    assert isomorphic(shapes, shapes_before)
    assert isomorphic(data, data_before)


def test_concurrent_validations_share_one_shapes_graph(shapes: Graph) -> None:
    graphs = [broken() if i % 2 else base() for i in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda g: validate(g, shapes), graphs))
    assert [r.conforms for r in reports] == [i % 2 == 0 for i in range(8)]
    assert all(len(r.results) == (0 if r.conforms else 1) for r in reports)


def test_subclass_instances_are_targets_without_inference(shapes: Graph) -> None:
    """An instrument typed only lkg:Treaty is still checked as an lkg:LegalInstrument."""
    assert (LKG.Treaty, RDFS.subClassOf, LKG.LegalInstrument) in shapes
    g = base()
    g.add((URIRef("https://w3id.org/lexgraph/id/treaty/echr"), RDF.type, LKG.Treaty))
    report = validate(g, shapes)
    assert {r.shape for r in report.results} == {str(SHAPES_NS.InstrumentHasOneCitationId)}


def test_dataset_is_validated_as_the_union_of_its_graphs(shapes: Graph) -> None:
    ds = Dataset()
    part = ds.graph(URIRef("https://w3id.org/lexgraph/graph/doc/test-doc"))
    for t in base():
        part.add(t)
    # The broken selector sits in another named graph; only the union shows the problem.
    other = ds.graph(URIRef("https://w3id.org/lexgraph/graph/other"))
    pos = URIRef(f"{DOC}/sel/x")
    other.add((pos, RDF.type, OA.TextPositionSelector))
    other.add((pos, OA.start, Literal(5)))
    other.add((pos, OA.end, Literal(1)))
    report = validate(ds, shapes)
    assert [r.shape for r in report.results] == [str(SHAPES_NS.PositionSelectorStartBeforeEnd)]


def test_with_timeout_gives_the_same_report(shapes: Graph) -> None:
    assert validate(broken(), shapes, timeout=60) == validate(broken(), shapes)
    assert validate(base(), shapes, timeout=60).conforms


def test_timeout_expiry_raises(shapes: Graph) -> None:
    start = time.perf_counter()
    with pytest.raises(ValidationTimeout) as info:
        validate(big(400), shapes, timeout=0.01)
    assert info.value.status == 503
    assert info.value.code == "validation_timeout"
    assert time.perf_counter() - start < 5


def seed_sized() -> Graph:
    """A seed document (20,000 characters) with a passage per paragraph and a citation in every
    third one, as extraction would anchor them: about 2,000 triples."""
    g = base()
    text = (ROOT / "graph_data" / "sources" / "001_5eaab51baa93c604.txt").read_text("utf-8")
    doc = URIRef("https://w3id.org/lexgraph/id/doc/7747653")
    for p, o in base().predicate_objects(DOC):
        g.add((doc, p, o))
    g.set((doc, LKG.documentId, Literal("7747653")))
    g.set((doc, LKG.text, Literal(text)))
    start, order = 0, 1
    for para in text.split("\n"):
        end = start + len(para)
        if para.strip():
            p = URIRef(f"{doc}/passage/{start}-{end}")
            c = URIRef(f"{doc}/citation/{start}-{end}-other")
            facts = (p, c) if order % 3 == 0 else (p,)
            for fact in facts:
                pos, quo = URIRef(f"{fact}#position"), URIRef(f"{fact}#quote")
                for t in (
                    (fact, OA.hasSource, doc),
                    (fact, OA.hasSelector, pos),
                    (fact, OA.hasSelector, quo),
                    (fact, PROV.wasGeneratedBy, ACT),
                    (pos, RDF.type, OA.TextPositionSelector),
                    (pos, OA.start, Literal(start)),
                    (pos, OA.end, Literal(end)),
                    (quo, RDF.type, OA.TextQuoteSelector),
                    (quo, OA.exact, Literal(para)),
                ):
                    g.add(t)
            g.add((p, RDF.type, LKG.Passage))
            g.add((p, LKG.passageKind, Literal("paragraph")))
            g.add((p, LKG.order, Literal(order)))
            if len(facts) == 2:
                g.add((c, RDF.type, CITO.Citation))
                g.add((c, CITO.hasCitingEntity, p))
                g.add((c, CITO.hasCitedEntity, QD))
                g.add((c, LKG.citationType, Literal("other")))
                g.add((c, LKG.citedId, Literal("celex:32011L0095")))
            order += 1
        start = end + 1
    return g


def test_quotes_of_a_real_text_are_checked_at_their_offsets(shapes: Graph) -> None:
    g = seed_sized()
    assert validate(g, shapes).conforms
    # shift one passage's quote by one character: exactly that fact is reported
    victim = next(iter(sorted(g.subjects(RDF.type, LKG.Passage))))
    quote = URIRef(f"{victim}#quote")
    exact = str(g.value(quote, OA.exact))
    g.set((quote, OA.exact, Literal(exact[1:] + " ")))
    report = validate(g, shapes)
    assert [(r.shape, r.value) for r in report.results] == [
        (str(SHAPES_NS.QuoteIsSourceText), str(victim))
    ]


def test_document_sized_graphs_validate_alone(shapes: Graph) -> None:
    """The gate validates one document-sized graph on its own, and twice the same way (its time
    is measured by the ingest benchmark in bench/, not here: timings flake on shared machines)."""
    for g in (big(), seed_sized()):
        assert 1400 < len(g) < 2600, len(g)
        first, second = validate(g, shapes), validate(g, shapes)
        assert first.conforms, first.as_text()
        assert second.conforms and len(second.results) == len(first.results) == 0


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b"<urn:x:a> <urn:x:b> <urn:x:c> ."
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()
        server.server_close()


def test_nothing_is_dereferenced(shapes: Graph, counting_server: tuple[str, list[str]]) -> None:
    url, hits = counting_server
    owl_imports = URIRef("http://www.w3.org/2002/07/owl#imports")
    g = base()
    g.add((DOC, owl_imports, URIRef(url + "data")))
    g.add((DOC, RDFS.seeAlso, URIRef(url + "seeAlso")))
    local_shapes = copy.deepcopy(shapes)
    local_shapes.add((URIRef("https://w3id.org/lexgraph/shapes/x"), owl_imports, URIRef(url + "s")))
    assert validate(g, local_shapes).conforms
    assert validate(g, local_shapes, timeout=60).conforms
    assert hits == []


def test_load_shapes_needs_shape_files(tmp_path: Path) -> None:
    (tmp_path / "shapes").mkdir()
    with pytest.raises(FileNotFoundError):
        load_shapes(tmp_path)
