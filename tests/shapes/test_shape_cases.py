"""Every shape has a valid and an invalid example graph; the valid one conforms and the invalid
one fails with exactly that shape as sh:sourceShape.

Cases live in ``cases/<ShapeLocalName>.valid.ttl`` and ``cases/<ShapeLocalName>.invalid.ttl``;
each is validated merged with ``cases/_base.ttl`` (a small complete graph), the way the build
validates a document graph: through :func:`lexgraph.validate.validate`, which copies the shapes
per call and runs pySHACL without inference.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from lexgraph.validate import SHAPES_NS, load_shapes, validate

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(ROOT / "ontology")


def named_shapes() -> list[str]:
    g = Graph()
    for f in sorted((ROOT / "ontology" / "shapes").glob("*.ttl")):
        g.parse(f, format="turtle")
    names = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        for s in g.subjects(RDF.type, kind):
            assert isinstance(s, URIRef), "top-level shapes must be named"
            assert str(s).startswith(str(SHAPES_NS)), s
            names.add(str(s)[len(SHAPES_NS) :])
    return sorted(names)


SHAPES = named_shapes()


def case_graph(name: str) -> Graph:
    g = Graph().parse(CASES / "_base.ttl", format="turtle")
    return g.parse(CASES / name, format="turtle")


def test_base_graph_conforms(shapes: Graph) -> None:
    report = validate(Graph().parse(CASES / "_base.ttl", format="turtle"), shapes)
    assert report.conforms, report.as_text()
    assert report.results == []


def test_every_case_file_belongs_to_a_shape() -> None:
    files = {f.name for f in CASES.glob("*.ttl") if not f.name.startswith("_")}
    expected = {f"{s}.{kind}.ttl" for s in SHAPES for kind in ("valid", "invalid")}
    assert files == expected


@pytest.mark.parametrize("shape", SHAPES)
def test_valid_case_conforms(shapes: Graph, shape: str) -> None:
    report = validate(case_graph(f"{shape}.valid.ttl"), shapes)
    assert report.conforms, report.as_text()


@pytest.mark.parametrize("shape", SHAPES)
def test_invalid_case_fails_on_exactly_its_shape(shapes: Graph, shape: str) -> None:
    path = CASES / f"{shape}.invalid.ttl"
    statement = re.search(r"^# breaks: lkg-shape:(\w+) - (.+)$", path.read_text(), re.M)
    assert statement, "an invalid case states which shape and constraint it breaks"
    assert statement[1] == shape
    report = validate(case_graph(path.name), shapes)
    assert not report.conforms
    assert {r.shape for r in report.results} == {str(SHAPES_NS[shape])}, report.as_text()
    assert all(r.severity == "Violation" and r.message for r in report.results)
