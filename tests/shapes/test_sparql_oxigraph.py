"""The gate's SPARQL constraints decided by pyoxigraph give the reports pySHACL alone gives.

:func:`lexgraph.validate.validate` lets pyoxigraph decide whether a shape's SPARQL constraints
have any solution and lets pySHACL check the other constraints; when one has a solution, pySHACL
validates against all the shapes. Each test runs both ways — that, and pySHACL alone with every
shape (``_run(..., oxigraph=False)``, the gate as it was) — over the same graphs and compares
the report rows: the seed documents with what they reference, every shape case, and graphs that
break each SPARQL constraint on purpose, including literals the two SPARQL engines read
differently (untyped and ill-typed offsets, language-tagged and astral-plane text, escapes).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import SH

from lexgraph.build import (
    REGISTER_REVIEWED,
    BuiltDocument,
    build_document,
    load_register_if_any,
)
from lexgraph.namespaces import LKG, OA
from lexgraph.policy import curation_graph
from lexgraph.rdf import register_graph
from lexgraph.sources import load_source
from lexgraph.validate import (
    SHAPES_NS,
    Shapes,
    ValidationReport,
    _finish,
    _gate_graph,
    _ntriples,
    _report,
    _run,
    _sparql_found,
    _split,
    load_shapes,
    referenced_descriptions_in,
    validate,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "graph_data"
CASES = Path(__file__).resolve().parent / "cases"
CITO = "http://purl.org/spar/cito/"
SPARQL_SHAPES = {"CitationInsideCitingPassage", "QuoteIsSourceText"}


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(ROOT / "ontology")


@pytest.fixture(scope="module")
def shared() -> list[Graph]:
    reg = load_register_if_any(DATA)
    assert reg is not None
    record = "graph_data/register/instruments.toml"
    return [register_graph(reg, record, REGISTER_REVIEWED), curation_graph(DATA)]


@pytest.fixture(scope="module")
def seeds() -> list[BuiltDocument]:
    reg = load_register_if_any(DATA)
    return [build_document(load_source(p), reg, DATA) for p in sorted(DATA.glob("sources/*.txt"))]


def pyshacl_only(data: Graph, shapes: Shapes, context: Graph | None = None) -> ValidationReport:
    """The gate without pyoxigraph: pySHACL over every shape."""
    return _report(shapes, *_run(_gate_graph(data, context, shapes), shapes, oxigraph=False))


def both_ways(
    data: Graph, shapes: Shapes, context: Graph | None = None
) -> tuple[bool, ValidationReport]:
    """Whether pyoxigraph found a solution, and the report; asserts it is pySHACL's own."""
    found = _sparql_found(_gate_graph(data, context, shapes), _split(shapes).checks)
    report = validate(data, shapes, context=context)
    try:
        expected = pyshacl_only(data, shapes, context)
    except TypeError:
        # rdflib's SUBSTR fails on decimal offsets (a slice index must be an int), so pySHACL
        # alone raises; pyoxigraph finds no solution and the core shapes refuse the graph.
        assert not found and not report.conforms
        return found, report
    assert report == expected, f"{report.as_text()}\n---\n{expected.as_text()}"
    sparql_rows = {r for r in expected.results if r.shape[len(SHAPES_NS) :] in SPARQL_SHAPES}
    # never a missed solution: pyoxigraph says "none" only where rdflib finds none
    assert found or not sparql_rows
    return found, report


def test_the_shapes_sparql_constraints_are_the_ones_moved(shapes: Shapes) -> None:
    split = _split(shapes)
    moved = {str(shape.node)[len(SHAPES_NS) :] for shape, _ in split.checks}
    assert moved == SPARQL_SHAPES
    assert {str(s)[len(SHAPES_NS) :] for s in shapes.subjects(SH.sparql, None)} == moved
    assert next(split.core.triples((None, SH.sparql, None)), None) is None
    assert len(split.core) == len(shapes) - len(moved)
    assert _split(shapes) is split  # made once


def test_seed_documents_with_their_references(
    shapes: Shapes, seeds: list[BuiltDocument], shared: list[Graph]
) -> None:
    for built in seeds:
        context = referenced_descriptions_in(shared, built.graph)
        found, report = both_ways(built.graph, shapes, context)
        assert not found, built.document.document_id
        assert report.conforms, report.as_text()
        before = len(built.graph)
        assert validate(built.graph, shapes, context=context, timeout=120) == report
        assert len(built.graph) == before


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.glob("*.ttl")))
def test_shape_cases(shapes: Shapes, case: str) -> None:
    graph = Graph().parse(CASES / "_base.ttl", format="turtle")
    graph.parse(CASES / case, format="turtle")
    found, report = both_ways(graph, shapes)
    if case.split(".")[0] in SPARQL_SHAPES and case.endswith(".invalid.ttl"):
        assert found and not report.conforms


def _smallest(seeds: list[BuiltDocument]) -> BuiltDocument:
    return min(seeds, key=lambda b: len(b.graph))


def _citation(graph: Graph) -> tuple[URIRef, URIRef, URIRef]:
    """A citation, its position selector and its quote selector."""
    cit = min(graph.subjects(RDF.type, URIRef(CITO + "Citation")), key=str)
    assert isinstance(cit, URIRef)
    position = quote = None
    for sel in graph.objects(cit, OA.hasSelector):
        if (sel, RDF.type, OA.TextPositionSelector) in graph:
            position = sel
        else:
            quote = sel
    assert isinstance(position, URIRef) and isinstance(quote, URIRef)
    return cit, position, quote


def _set(graph: Graph, s: URIRef, p: URIRef, o: Literal | URIRef) -> None:
    graph.remove((s, p, None))
    graph.add((s, p, o))


def _shift_span(g: Graph) -> None:  # the citation's span leaves its passage
    _, position, _ = _citation(g)
    _set(g, position, OA.start, Literal(10**6))
    _set(g, position, OA.end, Literal(10**6 + 5))


def _other_passage(g: Graph) -> None:  # the citing passage belongs to another document
    cit, _, _ = _citation(g)
    passage = g.value(cit, URIRef(CITO + "hasCitingEntity"))
    assert isinstance(passage, URIRef)
    other = URIRef("https://w3id.org/lexgraph/id/document/other")
    g.add((other, RDF.type, LKG.Document))
    _set(g, passage, OA.hasSource, other)


def _wrong_quote(g: Graph) -> None:
    _, _, quote = _citation(g)
    _set(g, quote, OA.exact, Literal("niet de tekst"))


def _quote_with_escapes(g: Graph) -> None:
    _, _, quote = _citation(g)
    _set(g, quote, OA.exact, Literal('a "quote" \\ with\nnewline\r\tand tab'))


def _untyped_offsets(g: Graph) -> None:  # "3" and "9", plain literals: compared as strings
    _, position, _ = _citation(g)
    start, end = g.value(position, OA.start), g.value(position, OA.end)
    _set(g, position, OA.start, Literal(str(start)))
    _set(g, position, OA.end, Literal(str(end)))


def _decimal_offsets(g: Graph) -> None:
    _, position, _ = _citation(g)
    start, end = g.value(position, OA.start), g.value(position, OA.end)
    _set(g, position, OA.start, Literal(f"{start}.0", datatype=XSD.decimal))
    _set(g, position, OA.end, Literal(f"{end}.0", datatype=XSD.decimal))


def _ill_typed_offset(g: Graph) -> None:
    _, position, _ = _citation(g)
    _set(g, position, OA.start, Literal("drie", datatype=XSD.integer))


def _start_after_end(g: Graph) -> None:
    _, position, _ = _citation(g)
    start, end = g.value(position, OA.start), g.value(position, OA.end)
    _set(g, position, OA.start, Literal(int(str(end))))
    _set(g, position, OA.end, Literal(int(str(start))))


def _document(g: Graph) -> URIRef:
    doc = g.value(_citation(g)[0], OA.hasSource)
    assert isinstance(doc, URIRef)
    return doc


def _astral_text(g: Graph) -> None:  # a character past U+FFFF first: one code point, 2 in UTF-16
    doc = _document(g)
    _set(g, doc, LKG.text, Literal("\U0001f600" + str(g.value(doc, LKG.text))))
    for p in (OA.start, OA.end):
        for sel, offset in list(g.subject_objects(p)):
            _set(g, sel, p, Literal(int(str(offset)) + 1))  # type: ignore[arg-type]


def _tagged_text(g: Graph) -> None:  # the text in a language: SUBSTR keeps the tag, STR drops it
    doc = _document(g)
    _set(g, doc, LKG.text, Literal(str(g.value(doc, LKG.text)), lang="nl"))


def _blank_selector(g: Graph) -> None:  # a blank-node quote selector with the wrong text
    cit, _, quote = _citation(g)
    g.remove((cit, OA.hasSelector, quote))
    node = BNode()
    g.add((cit, OA.hasSelector, node))
    for p, o in list(g.predicate_objects(quote)):
        g.add((node, p, o))
    _set(g, node, OA.exact, Literal("anders"))  # type: ignore[arg-type]


BREAKS: dict[str, tuple[Callable[[Graph], None], bool | None]] = {
    # name: (change, whether rdflib finds a SPARQL solution; None: either way, decided below)
    "span outside passage": (_shift_span, True),
    "passage of another document": (_other_passage, True),
    "wrong quote": (_wrong_quote, True),
    "quote with escapes": (_quote_with_escapes, True),
    "untyped offsets": (_untyped_offsets, None),
    "decimal offsets": (_decimal_offsets, None),
    "ill-typed offset": (_ill_typed_offset, None),
    "start after end": (_start_after_end, None),
    "astral text": (_astral_text, False),
    "tagged text": (_tagged_text, False),
    "blank selector": (_blank_selector, True),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_graphs_give_pyshacls_report(
    shapes: Shapes, seeds: list[BuiltDocument], shared: list[Graph], name: str
) -> None:
    change, violates = BREAKS[name]
    graph = Graph()
    graph += _smallest(seeds).graph
    change(graph)
    context = referenced_descriptions_in(shared, graph)
    if name == "ill-typed offset":
        # pyoxigraph is not asked (the engines may read "drie"^^xsd:integer differently), so the
        # gate is pySHACL alone, which fails on it in rdflib either way
        assert _sparql_found(_gate_graph(graph, context, shapes), _split(shapes).checks)
        with pytest.raises(RecursionError):
            pyshacl_only(graph, shapes, context)
        with pytest.raises(RecursionError):
            validate(graph, shapes, context=context)
        return
    found, report = both_ways(graph, shapes, context)
    sparql_rows = [r for r in report.results if r.shape[len(SHAPES_NS) :] in SPARQL_SHAPES]
    if violates is not None:
        assert bool(sparql_rows) is violates, report.as_text()
        assert found is violates
    if violates:
        assert not report.conforms
    # in a forked child, which validates its copy of the graph in place: the same report
    before = len(graph)
    assert validate(graph, shapes, context=context, timeout=120) == report
    assert len(graph) == before


def test_a_graph_sharing_its_store_is_validated_alone(
    shapes: Shapes, seeds: list[BuiltDocument], shared: list[Graph]
) -> None:
    """A graph of a Dataset shares its store with the others; the child copies it first."""
    data = Dataset()
    doc = data.graph(URIRef("urn:x:doc"))
    doc += _smallest(seeds).graph
    _wrong_quote(doc)
    data.graph(URIRef("urn:x:other")).add((URIRef("urn:x:s"), OA.exact, Literal(1)))
    expected = validate(doc, shapes)
    assert not expected.conforms
    assert validate(doc, shapes, timeout=120) == expected


def test_ntriples_writer_round_trips(seeds: list[BuiltDocument]) -> None:
    graph = Graph()
    graph += _smallest(seeds).graph
    odd = '"\\\n\r\t\b\x0c\x01 é \U0001f600'
    graph.add((BNode("b1"), OA.exact, Literal(odd)))
    graph.add((BNode("b1"), OA.exact, Literal("x", lang="nl-NL")))
    graph.add((BNode("b1"), OA.start, Literal("7", datatype=XSD.integer)))
    text = _ntriples(graph)
    assert text is not None
    parsed = list(ox.parse(text.encode("utf-8"), ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(graph)
    assert any(q.object.value == odd for q in parsed)
    plain = Graph().parse(
        data=text.replace("\\b", "\\u0008").replace("\\f", "\\u000C"), format="nt"
    )
    assert plain.isomorphic(graph)
    for bad in (
        (URIRef("urn:a> <urn:b> <urn:c"), OA.exact, Literal("x")),
        (URIRef("urn:a"), OA.exact, Literal("x", datatype=XSD.integer)),
        (BNode("not-a plain id"), OA.exact, Literal("x")),
    ):
        assert _ntriples(Graph().add(bad)) is None, bad


def test_undecidable_data_falls_back_to_pyshacl(shapes: Shapes) -> None:
    graph = Graph().parse(CASES / "_base.ttl", format="turtle")
    graph.add((URIRef("urn:a b"), OA.exact, Literal("x")))  # cannot be written as N-Triples
    assert _sparql_found(_gate_graph(graph, None, shapes), _split(shapes).checks)
    both_ways(graph, shapes)


def test_only_top_level_node_shapes_move() -> None:
    ttl = """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <urn:ex:> .
        ex:Top a sh:NodeShape ; sh:targetNode ex:n ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
        ex:Nested a sh:NodeShape ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
        ex:User a sh:NodeShape ; sh:targetNode ex:n ; sh:node ex:Nested .
        ex:Prop a sh:PropertyShape ; sh:targetNode ex:n ; sh:path ex:p ;
            sh:sparql [ a sh:SPARQLConstraint ;
                sh:select "SELECT $this WHERE { $this $PATH ?o }" ] .
        ex:Off a sh:NodeShape ; sh:targetNode ex:n ; sh:deactivated true ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
    """
    shapes = Shapes()
    shapes.parse(data=ttl, format="turtle")
    split = _split(_finish(shapes))
    assert [str(shape.node) for shape, _ in split.checks] == ["urn:ex:Top"]
    data = Graph().parse(data="<urn:ex:n> <urn:ex:p> 1 .", format="turtle")
    report = validate(data, shapes)
    assert report == _report(shapes, *_run(_gate_graph(data, None, shapes), shapes, oxigraph=False))
    shapes_hit = {r.shape for r in report.results}
    assert shapes_hit == {"urn:ex:Top", "urn:ex:User", "urn:ex:Nested", "urn:ex:Prop"}
