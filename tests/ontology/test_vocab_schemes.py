"""The SKOS schemes parse and are complete, and lexgraph.vocab names exactly their concepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from lexgraph import vocab
from lexgraph.namespaces import VOCAB

VOCAB_DIR = Path(__file__).resolve().parents[2] / "ontology" / "vocab"
SCHEME_FILES = sorted(VOCAB_DIR.glob("*.ttl"))


@pytest.fixture(scope="module")
def schemes() -> dict[str, Graph]:
    return {f.stem: Graph().parse(f, format="turtle") for f in SCHEME_FILES}


def concepts(g: Graph) -> set[URIRef]:
    return {c for c in g.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}


def test_one_file_per_scheme_listed_in_vocab_module(schemes: dict[str, Graph]) -> None:
    assert set(schemes) == set(vocab.SCHEMES)
    for name, g in schemes.items():
        assert (vocab.SCHEMES[name], RDF.type, SKOS.ConceptScheme) in g


@pytest.mark.parametrize("path", SCHEME_FILES, ids=lambda p: p.stem)
def test_every_concept_is_complete(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    scheme = VOCAB[path.stem]
    found = concepts(g)
    assert found, "scheme without concepts"
    for c in found:
        assert str(c).startswith(f"{scheme}/"), c
        assert g.value(c, SKOS.inScheme) == scheme, c
        notation = g.value(c, SKOS.notation)
        assert notation == Literal(str(c).rsplit("/", 1)[1]), c
        langs = {label.language for label in g.objects(c, SKOS.prefLabel)}
        assert langs == {"nl", "en"}, c
        assert g.value(c, SKOS.definition) is not None, c
    assert set(g.objects(scheme, SKOS.hasTopConcept)) == found


@pytest.mark.parametrize(
    ("name", "constants"),
    [
        ("document-type", vocab.DOCUMENT_TYPE),
        ("commitment-status", vocab.COMMITMENT_STATUS),
        ("tk-commitment-status", vocab.TK_COMMITMENT_STATUS),
        ("answer-kind", vocab.ANSWER_KIND),
        ("motion-appreciation", vocab.APPRECIATION),
        ("verification", vocab.VERIFICATION),
    ],
)
def test_constants_are_exactly_the_concepts(
    schemes: dict[str, Graph], name: str, constants: dict[str, URIRef]
) -> None:
    assert set(constants.values()) == concepts(schemes[name])


def test_literal_lists_are_the_notations(schemes: dict[str, Graph]) -> None:
    for name, values in (
        ("passage-kind", vocab.PASSAGE_KINDS),
        ("citation-type", vocab.CITATION_TYPES),
    ):
        notations = {str(n) for n in schemes[name].objects(None, SKOS.notation)}
        assert notations == set(values)


def test_commitment_status_maps_each_tweede_kamer_status(schemes: dict[str, Graph]) -> None:
    g = schemes["commitment-status"]
    targets = [
        o
        for c in vocab.COMMITMENT_STATUS.values()
        for p in (SKOS.exactMatch, SKOS.closeMatch)
        for o in g.objects(c, p)
    ]
    assert sorted(targets) == sorted(vocab.TK_COMMITMENT_STATUS.values()), "each matched once"
    assert (
        vocab.COMMITMENT_STATUS["open"],
        SKOS.exactMatch,
        vocab.TK_COMMITMENT_STATUS["openstaand"],
    ) in g
    tk = schemes["tk-commitment-status"]
    tk_labels = {
        str(lbl)
        for c in concepts(tk)
        for lbl in tk.objects(c, SKOS.prefLabel)
        if lbl.language == "nl"
    }
    assert tk_labels == {
        "Openstaand",
        "Voldaan",
        "Deels voldaan",
        "Vervallen",
        "Afgedaan",
        "Deels afgedaan",
    }


def test_every_document_type_label_resolves(schemes: dict[str, Graph]) -> None:
    g = schemes["document-type"]
    in_scheme: dict[URIRef, set[str]] = {}
    for c in concepts(g):
        labels = {str(x) for p in (SKOS.prefLabel, SKOS.altLabel) for x in g.objects(c, p)}
        in_scheme[c] = labels
        for label in labels:
            assert vocab.document_type(label) == c, label
            assert vocab.document_type(label.upper()) == c, label
    in_module = {
        vocab.DOCUMENT_TYPE[n]: set(labels) for n, labels in vocab.document_type_labels().items()
    }
    assert in_module == in_scheme


@pytest.mark.parametrize(
    ("label", "notation"),
    [
        ("beslisnota", "decision-note"),
        ("Decision note", "decision-note"),
        ("decision_note", "decision-note"),
        ("  KAMERBRIEF ", "parliamentary-letter"),
        ("woo-answer", "woo-answer"),
        ("informatieverzoek", "woo-answer"),
        ("Aanhangsel  Handelingen", "aanhangsel-handelingen"),
    ],
)
def test_document_type_spellings(label: str, notation: str) -> None:
    assert vocab.document_type(label) == vocab.DOCUMENT_TYPE[notation]


def test_unknown_document_type_is_refused() -> None:
    with pytest.raises(vocab.UnknownConcept, match="memo"):
        vocab.document_type("memo")


def test_document_classes_match_see_also(schemes: dict[str, Graph]) -> None:
    g = schemes["document-type"]
    see_also = URIRef("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    assert dict(vocab.DOCUMENT_CLASS) == {c: g.value(c, see_also) for c in g.subjects(see_also)}


def test_docstring_examples_run() -> None:
    import doctest

    result = doctest.testmod(vocab, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
