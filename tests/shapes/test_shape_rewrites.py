"""Shapes rewritten for speed give the verdicts of the forms they replace.

``lkg-shape:ActivityHasAgent`` checked each agent with an ``sh:or`` of seven ``sh:class``
alternatives; it now checks one ``sh:class lkg-shape:AgentClass``, the superclass the shapes file
gives the seven classes (the validator puts the shapes' ``rdfs:subClassOf`` triples beside the
data). Each graph here is validated, merged with ``cases/_base.ttl``, against the shipped shapes
and against the same shapes with the ``sh:or`` put back; conformance and every result's shape,
focus node, path and value must be the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from lexgraph.validate import SHAPES_NS, Shapes, load_shapes, validate

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"
AGENT = "https://w3id.org/lexgraph/id/agent/"

NEW_AGENT = "    sh:class lkg-shape:AgentClass ;\n"
OLD_AGENT = """    sh:or (
        [ sh:class prov:Agent ]
        [ sh:class prov:SoftwareAgent ]
        [ sh:class prov:Person ]
        [ sh:class prov:Organization ]
        [ sh:class foaf:Agent ]
        [ sh:class foaf:Person ]
        [ sh:class org:Organization ]
    ) ;
"""

PREFIXES = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix lkg:  <https://w3id.org/lexgraph/ontology#> .
"""


def activity(*agents: str) -> str:
    """An activity associated with ``agents`` (already described, or not, by the caller)."""
    names = " , ".join(agents)
    return (
        "<https://w3id.org/lexgraph/id/activity/extract/other-doc> a prov:Activity ;\n"
        f"    prov:wasAssociatedWith {names} ;\n"
        '    prov:endedAtTime "2026-07-01T00:00:00Z"^^xsd:dateTime .\n'
    )


AGENT_CLASSES = [
    "prov:Agent",
    "prov:SoftwareAgent",
    "prov:Person",
    "prov:Organization",
    "foaf:Agent",
    "foaf:Person",
    "org:Organization",
]

A, B, C = (f"<{AGENT}{x}>" for x in "abc")

GRAPHS = {
    **{
        f"agent is {c}": activity(A) + f'{A} a {c} ; lkg:softwareVersion "1" .\n'
        for c in AGENT_CLASSES
    },
    "untyped agent": activity(A),
    "agent of a wrong class": activity(A) + f"{A} a lkg:Document .\n",
    "agent of a subclass the data declares": activity(A)
    + f"lkg:Clerk rdfs:subClassOf foaf:Person .\n{A} a lkg:Clerk .\n",
    "agent of a class under a wrong class": activity(A)
    + f"lkg:Clerk rdfs:subClassOf lkg:Document .\n{A} a lkg:Clerk .\n",
    "one good and two bad agents": activity(A, B, C)
    + f"{A} a foaf:Person .\n{B} a lkg:Document .\n",
    "literal agent": activity('"the curator"'),
    "no agent": (
        "<https://w3id.org/lexgraph/id/activity/extract/other-doc> a prov:Activity ;\n"
        '    prov:endedAtTime "2026-07-01T00:00:00Z"^^xsd:dateTime .\n'
    ),
}


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(ROOT / "ontology")


@pytest.fixture(scope="module")
def old_shapes(tmp_path_factory: pytest.TempPathFactory) -> Shapes:
    """The shipped shapes with ``lkg-shape:ActivityHasAgent``'s ``sh:or`` put back."""
    ontology = tmp_path_factory.mktemp("old") / "ontology"
    shutil.copytree(ROOT / "ontology", ontology)
    path = ontology / "shapes" / "provenance.ttl"
    text = path.read_text(encoding="utf-8")
    assert text.count(NEW_AGENT) == 1
    path.write_text(text.replace(NEW_AGENT, OLD_AGENT), encoding="utf-8")
    return load_shapes(ontology)


def _path(path: str | None) -> str:
    """A result path; a blank-node path (a sequence, say) differs in id between shapes graphs."""
    return "" if path is None else "(blank node)" if path.startswith("_:") else path


def rows(graph: Graph, shapes: Shapes) -> tuple[bool, set[tuple[str, str, str, str]]]:
    report = validate(graph, shapes)
    found = {(r.shape, r.focus_node, _path(r.path), r.value or "") for r in report.results}
    return report.conforms, found


def test_the_old_form_is_really_put_back(old_shapes: Shapes, shapes: Shapes) -> None:
    assert len(old_shapes) > len(shapes)  # the sh:or list and its seven blank shapes


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_agent_check_gives_the_same_results(name: str, shapes: Shapes, old_shapes: Shapes) -> None:
    g = Graph().parse(CASES / "_base.ttl", format="turtle")
    g.parse(data=PREFIXES + GRAPHS[name], format="turtle")
    new = rows(g, shapes)
    assert new == rows(g, old_shapes)
    agent_results = {r for r in new[1] if r[0] == str(SHAPES_NS["ActivityHasAgent"])}
    good = name.startswith("agent is") or name == "agent of a subclass the data declares"
    assert new[0] == good, new
    assert bool(agent_results) == (not good)
    if name == "one good and two bad agents":  # one result per agent that fails, none for a
        assert {r[3] for r in agent_results} == {  # good one
            "https://w3id.org/lexgraph/id/agent/b",
            "https://w3id.org/lexgraph/id/agent/c",
        }


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.glob("*.ttl")))
def test_every_shape_case_gives_the_same_results(
    case: str, shapes: Shapes, old_shapes: Shapes
) -> None:
    g = Graph().parse(CASES / "_base.ttl", format="turtle")
    g.parse(CASES / case, format="turtle")
    assert rows(g, shapes) == rows(g, old_shapes)
