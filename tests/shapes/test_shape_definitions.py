"""The shapes files use only real SHACL terms, document every shape, and agree with the
vocabularies and with the identifier forms of CITATIONS.md and REGISTER.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from lexgraph import vocab
from lexgraph.validate import SHAPES_NS

ROOT = Path(__file__).resolve().parents[2]
SHAPE_FILES = sorted((ROOT / "ontology" / "shapes").glob("*.ttl"))
SH_NS = str(SH)

# rdflib's SH is a closed DefinedNamespace generated from the W3C shacl.ttl vocabulary; its
# keyword-named terms (sh:in, sh:class, sh:or, ...) are listed in _extras.
SHACL_TERMS = set(SH.__annotations__) | set(SH._extras)


def non_shacl_terms(g: Graph) -> set[str]:
    used = {str(t) for triple in g for t in triple if isinstance(t, URIRef)}
    return {t[len(SH_NS) :] for t in used if t.startswith(SH_NS)} - SHACL_TERMS


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    for f in SHAPE_FILES:
        g.parse(f, format="turtle")
    return g


def top_shapes(g: Graph) -> list[URIRef]:
    found = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    return sorted(s for s in found if isinstance(s, URIRef))


def test_shacl_term_list_is_complete_enough() -> None:
    core = [
        "NodeShape",
        "PropertyShape",
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "path",
        "class",
        "datatype",
        "nodeKind",
        "IRI",
        "Literal",
        "BlankNode",
        "minCount",
        "maxCount",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "languageIn",
        "uniqueLang",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
        "not",
        "and",
        "or",
        "xone",
        "node",
        "property",
        "qualifiedValueShape",
        "qualifiedMinCount",
        "qualifiedMaxCount",
        "closed",
        "ignoredProperties",
        "hasValue",
        "in",
        "name",
        "description",
        "message",
        "severity",
        "Violation",
        "Warning",
        "Info",
        "sparql",
        "select",
        "SPARQLConstraint",
        "prefixes",
        "declare",
        "prefix",
        "namespace",
        "deactivated",
        "sourceShape",
        "focusNode",
    ]
    assert set(core) <= SHACL_TERMS


def test_misspelt_shacl_term_is_detected() -> None:
    g = Graph().parse(
        data="@prefix sh: <http://www.w3.org/ns/shacl#> . <urn:x> sh:minCunt 1 ; sh:in () .",
        format="turtle",
    )
    assert non_shacl_terms(g) == {"minCunt"}


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_only_real_shacl_terms(path: Path) -> None:
    assert non_shacl_terms(Graph().parse(path, format="turtle")) == set()


def test_shapes_split_by_concern() -> None:
    assert {p.name for p in SHAPE_FILES} >= {
        "identifiers.ttl",
        "provenance.ttl",
        "citations.ttl",
        "parliament.ttl",
    }


def test_every_shape_is_documented(shapes: Graph) -> None:
    problems = []
    for s in top_shapes(shapes):
        if not str(s).startswith(str(SHAPES_NS)):
            problems.append(f"{s}: not in the lkg-shape namespace")
        for prop in (SH.name, SH.description, SH.message):
            if not isinstance(shapes.value(s, prop), Literal):
                problems.append(f"{s}: no {prop}")
        if shapes.value(s, SH.severity) != SH.Violation:
            problems.append(f"{s}: severity is not sh:Violation")
        targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        if not any(shapes.value(s, t) is not None for t in targets):
            problems.append(f"{s}: no target")
    assert problems == []
    assert len(top_shapes(shapes)) >= 40


def test_every_pattern_compiles(shapes: Graph) -> None:
    for pattern in shapes.objects(None, SH.pattern):
        re.compile(str(pattern))


def in_list(g: Graph, shape: str) -> set[object]:
    head = g.value(SHAPES_NS[shape], SH["in"])
    assert head is not None, shape
    return {t.toPython() if isinstance(t, Literal) else t for t in Collection(g, head)}


@pytest.mark.parametrize(
    ("shape", "allowed"),
    [
        ("DocumentHasKnownType", set(vocab.DOCUMENT_TYPE.values())),
        ("CommitmentHasKnownStatus", set(vocab.COMMITMENT_STATUS.values())),
        ("ResponseHasKnownAnswerKind", set(vocab.ANSWER_KIND.values())),
        ("AppreciationHasKnownValue", set(vocab.APPRECIATION.values())),
        ("OfficialIdentifierHasVerificationStatus", set(vocab.VERIFICATION.values())),
        ("PassageHasKnownKind", set(vocab.PASSAGE_KINDS)),
        ("CitationHasKnownType", set(vocab.CITATION_TYPES)),
    ],
)
def test_allowed_values_are_the_vocabulary(shapes: Graph, shape: str, allowed: set[object]) -> None:
    assert in_list(shapes, shape) == allowed


def pattern(g: Graph, shape: str) -> re.Pattern[str]:
    value = g.value(SHAPES_NS[shape], SH.pattern)
    assert value is not None, shape
    return re.compile(str(value))


def test_citation_id_patterns_are_one_pattern(shapes: Graph) -> None:
    assert pattern(shapes, "InstrumentHasOneCitationId") == pattern(
        shapes, "CitedIdHasCitationForm"
    )


# Every example identifier of CITATIONS.md and REGISTER.md must pass; near misses must not.
CITATION_IDS = [
    "celex:32001L0055",
    "celex:32011L0095",
    "celex:32022D0382",
    "celex:32013R0604",
    "celex:32003R0343",
    "celex:52025PC0650",
    "celex:32025H05129",
    "celex:32024R1347",
    "com:2025:650",
    "kst:19637-3338",
    "kst:36600-XX-22",
    "kst:21501-20-1829",
    "kst:30573-J",
    "kst:19637-2834",
    "kst:36394",
    "kst:29689-1283",
    "ah:TK:2021-2022:3441",
    "h:TK:2023-2024:12",
    "h:EK:2023-2024:12",
    "tk-zaak:2022Z04076",
    "tk-doc:2024D51943",
    "bwb:BWBR0011823",
    "bwb:BWBV0001000",
    "nl-act:wet-inburgering-2021",
    "nl-act:wbv-2018-14",
    "treaty:echr",
    "treaty:iccpr",
    "treaty:refugee-convention",
    "treaty:rome-statute",
    "treaty:tfeu",
    "treaty:charter-fundamental-rights-eu",
    "ecli:ECLI:NL:RVS:2025:1473",
    "cjeu-case:C-662/23",
    "ljn:BP7855",
    "motion:piri",
    "motion:podt-boswijk",
    "commitment:TZ202409-123",
]
BAD_CITATION_IDS = [
    "celex:3201L0055",
    "CELEX:32001L0055",
    "celex:32001l0055",
    "com:2025:0650",
    "com:2025",
    "kst:36600-xx-22",
    "ah:TK:2021-22:3441",
    "ah:tk:2021-2022:3441",
    "bwb:BWBR001182",
    "bwb:BWBX0011823",
    "treaty:ECHR",
    "ecli:NL:RVS:2025:1473",
    "ljn:BP78",
    "motion:Piri",
    "tk-zaak:2022X04076",
    "eu:32001L0055",
    "kst:19 637-3338",
    "celex:32001L0055 ",
    "",
]


@pytest.mark.parametrize("cid", CITATION_IDS)
def test_citation_id_form_accepts(shapes: Graph, cid: str) -> None:
    assert pattern(shapes, "InstrumentHasOneCitationId").search(cid)


@pytest.mark.parametrize("cid", BAD_CITATION_IDS)
def test_citation_id_form_rejects(shapes: Graph, cid: str) -> None:
    assert not pattern(shapes, "InstrumentHasOneCitationId").search(cid)


LITERAL_FORMS = {
    "CelexLiteralForm": (
        [
            "32001L0055",
            "52025PC0650",
            "32025H05129",
            "52025DC0651",
            "32022D0382",
            "32001L0055R(01)",
        ],
        ["3201L0055", "COM(2025)650", "celex:32001L0055", "32001l0055", "2001/55/EC"],
    ),
    "EliLiteralForm": (
        [
            "http://data.europa.eu/eli/dir/2001/55/oj",
            "http://data.europa.eu/eli/dec_impl/2022/382/oj",
            "http://data.europa.eu/eli/C/2025/5129/oj",
            "http://data.europa.eu/eli/reg/2024/1347/oj",
        ],
        ["https://data.europa.eu/eli/dir/2001/55/oj", "http://data.europa.eu/eli/dir/55/oj"],
    ),
    "BwbLiteralForm": (
        ["BWBR0011823", "BWBV0001000", "BWBR0046503"],
        ["BWBR011823", "bwbr0011823", "BWBX0011823", "bwb:BWBR0011823"],
    ),
    "EcliLiteralForm": (
        ["ECLI:NL:RVS:2025:1473", "ECLI:EU:C:2020:123", "ECLI:NL:HR:2019:2006"],
        ["ECLI:NL:RVS:25:1473", "ecli:NL:RVS:2025:1473", "ECLI:NLD:RVS:2025:1473"],
    ),
    "KstIdLiteralForm": (
        ["kst-19637-3338", "kst-36600-XX-22", "kst-21501-20-1829", "kst-30573-J"],
        ["kst:19637-3338", "19637-3338", "kst-19 637-3338"],
    ),
    "ComNumberLiteralForm": (
        ["COM(2025) 650", "COM(2025) 650 final", "COM/2025/650 final", "COM(2025)651"],
        ["2025/650", "com(2025) 650", "COM(2025) 0650"],
    ),
}


@pytest.mark.parametrize("shape", sorted(LITERAL_FORMS))
def test_literal_forms(shapes: Graph, shape: str) -> None:
    good, bad = LITERAL_FORMS[shape]
    rx = pattern(shapes, shape)
    assert [g for g in good if not rx.search(g)] == []
    assert [b for b in bad if rx.search(b)] == []


def test_instrument_iri_pattern_accepts_every_minted_iri(shapes: Graph) -> None:
    from lexgraph.iris import instrument_iri

    rx = pattern(shapes, "InstrumentIriFollowsScheme")
    minted = [str(instrument_iri(cid)) for cid in CITATION_IDS]
    minted.append(
        str(instrument_iri("celex:32022D0382", "http://data.europa.eu/eli/dec_impl/2022/382/oj"))
    )
    assert [iri for iri in minted if not rx.search(iri)] == []
    for bad in (
        "https://eur-lex.europa.eu/legal-content/NL/TXT/?uri=CELEX:32001L0055",
        "http://example.org/act",
        "https://w3id.org/lexgraph/id/doc/7747653",
    ):
        assert not rx.search(bad), bad
