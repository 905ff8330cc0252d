"""Ontology hygiene: lexgraph.ttl parses, every own term is labelled and defined, and the Python
namespace module declares exactly the terms the Turtle file declares."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from lexgraph.namespaces import LKG, ONTOLOGY_IRI

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
NS = str(LKG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "lexgraph.ttl", format="turtle")


def own_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_header_has_version_and_metadata(ontology: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) == URIRef(ONTOLOGY_IRI + "/0.1.0")
    assert ontology.value(onto, OWL.versionInfo) == Literal("0.1.0")
    dct = "http://purl.org/dc/terms/"
    for prop in ("title", "description", "created", "modified", "license", "creator"):
        assert ontology.value(onto, URIRef(dct + prop)) is not None, prop
    vann = "http://purl.org/vocab/vann/"
    assert str(ontology.value(onto, URIRef(vann + "preferredNamespaceUri"))) == NS
    assert str(ontology.value(onto, URIRef(vann + "preferredNamespacePrefix"))) == "lkg"


def test_python_namespace_and_turtle_agree(ontology: Graph) -> None:
    declared = {str(t)[len(NS) :] for t in own_terms(ontology)}
    listed = set(LKG.__annotations__)
    assert listed - declared == set(), "in namespaces.py but not in lexgraph.ttl"
    assert declared - listed == set(), "in lexgraph.ttl but not in namespaces.py"


def test_every_own_term_is_typed_labelled_and_defined(ontology: Graph) -> None:
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    problems = []
    for term in sorted(own_terms(ontology)):
        types = set(ontology.objects(term, RDF.type))
        if not types & kinds:
            problems.append(f"{term}: not an owl:Class/ObjectProperty/DatatypeProperty")
        langs = {lbl.language for lbl in ontology.objects(term, RDFS.label)}
        if not {"en", "nl"} <= langs:
            problems.append(f"{term}: labels in {langs}, need en and nl")
        defs = [d for d in ontology.objects(term, SKOS.definition) if d.language == "en"]
        if len(defs) != 1 or len(str(defs[0])) < 20:
            problems.append(f"{term}: needs one English skos:definition")
        if ontology.value(term, RDFS.isDefinedBy) != URIRef(ONTOLOGY_IRI):
            problems.append(f"{term}: rdfs:isDefinedBy missing")
    assert problems == []


def test_classes_reuse_standard_vocabularies(ontology: Graph) -> None:
    """Every class except the few without a fitting standard parent sits under a reused class."""
    reused = (
        "http://data.europa.eu/eli/ontology#",
        "http://purl.org/spar/cito/",
        "http://www.w3.org/ns/oa#",
        "http://www.w3.org/ns/prov#",
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/2006/time#",
        "http://www.w3.org/ns/adms#",
    )

    def reaches_standard(cls: URIRef, seen: frozenset[URIRef] = frozenset()) -> bool:
        for parent in ontology.objects(cls, RDFS.subClassOf):
            if str(parent).startswith(reused):
                return True
            if (
                isinstance(parent, URIRef)
                and parent not in seen
                and reaches_standard(parent, seen | {cls})
            ):
                return True
        return False

    classes = set(ontology.subjects(RDF.type, OWL.Class)) & own_terms(ontology)
    orphans = {c for c in classes if not reaches_standard(c)}
    assert orphans == {LKG.Debate}  # its definition says why it is not a prov:Activity
    assert (
        LKG.LegalInstrument,
        RDFS.subClassOf,
        URIRef("http://data.europa.eu/eli/ontology#LegalResource"),
    ) in ontology
    assert (
        LKG.Provision,
        RDFS.subClassOf,
        URIRef("http://data.europa.eu/eli/ontology#LegalResourceSubdivision"),
    ) in ontology
    assert (
        LKG.ProtectionPeriod,
        RDFS.subClassOf,
        URIRef("http://www.w3.org/2006/time#Interval"),
    ) in ontology


def test_domains_and_ranges_name_declared_or_reused_terms(ontology: Graph) -> None:
    for prop in (RDFS.domain, RDFS.range):
        for term, target in ontology.subject_objects(prop):
            if str(target).startswith(NS):
                assert (target, RDF.type, OWL.Class) in ontology, f"{term} {prop} {target}"


def test_main_classes_have_examples(ontology: Graph) -> None:
    for cls in (
        LKG.Document,
        LKG.Passage,
        LKG.LegalInstrument,
        LKG.Provision,
        LKG.PolicyPoint,
        LKG.Commitment,
        LKG.Motion,
        LKG.MotionAppreciation,
    ):
        assert ontology.value(cls, SKOS.example) is not None, cls
