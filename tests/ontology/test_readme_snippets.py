"""Every Turtle, SPARQL and Python block of ontology/README.md parses; the worked example conforms
to the shapes; and every competency query returns rows on it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.sparql import prepareQuery

from lexgraph.validate import load_shapes, validate

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
README = (ONTOLOGY_DIR / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```$", README, re.S | re.M)


SPARQL = blocks("sparql")
TURTLE = blocks("turtle")


def test_readme_has_the_blocks() -> None:
    assert len(SPARQL) == 8, "one query per competency question"
    assert len(TURTLE) >= 1
    fences = re.findall(r"^```(\w*)$", README, re.M)
    assert set(fences) <= {"sparql", "turtle", "python", ""}, "a block no test reads"


@pytest.fixture(scope="module")
def example() -> Graph:
    g = Graph()
    for block in TURTLE:
        g.parse(data=block, format="turtle")
    return g


def test_python_blocks_parse() -> None:
    for block in blocks("python"):
        ast.parse(block)


def test_example_conforms_to_the_shapes(example: Graph) -> None:
    report = validate(example, load_shapes(ONTOLOGY_DIR))
    assert report.conforms, report.as_text()


def test_example_quotes_are_the_text_at_their_offsets(example: Graph) -> None:
    oa = "http://www.w3.org/ns/oa#"
    rows = example.query(
        f"""SELECT ?text ?s ?e ?exact WHERE {{
            ?fact <{oa}hasSource> ?doc ; <{oa}hasSelector> ?p , ?q .
            ?doc <https://w3id.org/lexgraph/ontology#text> ?text .
            ?p <{oa}start> ?s ; <{oa}end> ?e . ?q <{oa}exact> ?exact }}"""
    )
    checked = 0
    for text, s, e, exact in rows:  # type: ignore[misc]
        assert str(text)[s.toPython() : e.toPython()] == str(exact)
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("number", range(1, len(SPARQL) + 1))
def test_competency_query_parses_and_answers(example: Graph, number: int) -> None:
    query = prepareQuery(SPARQL[number - 1])
    data = Graph()
    data += example
    for f in sorted((ONTOLOGY_DIR / "vocab").glob("*.ttl")):
        data.parse(f, format="turtle")
    rows = list(data.query(query))
    assert rows, f"competency question {number} returns nothing on the worked example"


def test_contradicting_end_dates_are_both_reported(example: Graph) -> None:
    rows = list(example.query(prepareQuery(SPARQL[5])))
    flags = {(str(r.statedEnd), r.contradicts.toPython()) for r in rows}  # type: ignore[union-attr]
    assert flags == {("2027-03-05", True), ("2027-03-04", False)}


def test_provenance_query_says_curated(example: Graph) -> None:
    (row,) = list(example.query(prepareQuery(SPARQL[6])))
    assert str(row.method) == "curated"  # type: ignore[union-attr]
    assert row.agent == URIRef("https://w3id.org/lexgraph/id/agent/curator/policy-team")  # type: ignore[union-attr]
