"""Concept IRIs of the SKOS schemes in ``ontology/vocab/``.

The schemes are data (Turtle files); these constants let code name a concept without building
IRIs by hand, and fail loudly (``KeyError``) on a misspelt notation. Nothing is read from disk at
import; ``tests/ontology`` checks that every constant here is a concept of its scheme and that
every label in ``document-type.ttl`` resolves through :func:`document_type`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from rdflib import URIRef

from lexgraph.extract.model import CITATION_TYPES as _EXTRACTOR_TYPES
from lexgraph.namespaces import LKG, VOCAB


class UnknownConcept(ValueError):
    """A label or notation that names no concept of the scheme."""


def _scheme(name: str, notations: tuple[str, ...]) -> Mapping[str, URIRef]:
    return MappingProxyType({n: VOCAB[f"{name}/{n}"] for n in notations})


#: Scheme IRIs, keyed by the file name in ``ontology/vocab/`` (without ``.ttl``).
SCHEMES: Mapping[str, URIRef] = MappingProxyType(
    {
        name: VOCAB[name]
        for name in (
            "document-type",
            "commitment-status",
            "tk-commitment-status",
            "answer-kind",
            "motion-appreciation",
            "verification",
            "passage-kind",
            "citation-type",
        )
    }
)

DOCUMENT_TYPE = _scheme(
    "document-type",
    (
        "letter",
        "parliamentary-letter",
        "decision-note",
        "kamerstuk",
        "handelingen",
        "aanhangsel-handelingen",
        "written-questions",
        "answers-to-written-questions",
        "woo-answer",
        "motion",
        "committee-report",
        "bill",
        "other",
    ),
)
COMMITMENT_STATUS = _scheme(
    "commitment-status",
    ("open", "fulfilled", "partly-fulfilled", "closed", "partly-closed", "lapsed"),
)
#: The Tweede Kamer's own statuses; each ``COMMITMENT_STATUS`` concept maps to one (exact or close).
TK_COMMITMENT_STATUS = _scheme(
    "tk-commitment-status",
    ("openstaand", "voldaan", "deels-voldaan", "afgedaan", "deels-afgedaan", "vervallen"),
)
ANSWER_KIND = _scheme(
    "answer-kind", ("fulfils", "partly-fulfils", "declines", "defers", "reports-progress")
)
APPRECIATION = _scheme(
    "motion-appreciation",
    (
        "ontraden",
        "oordeel-kamer",
        "ondersteuning-van-beleid",
        "overgenomen",
        "ontijdig",
        "verzoek-aanhouden",
        "aangehouden",
        "ingetrokken",
    ),
)
VERIFICATION = _scheme("verification", ("confirmed", "pattern", "unknown"))

#: Literal values of ``lkg:passageKind`` and ``lkg:citationType`` (notations of their schemes).
PASSAGE_KINDS: tuple[str, ...] = (
    "section",
    "heading",
    "paragraph",
    "list-item",
    "footnote",
    "table",
    "question",
    "answer",
)
CITATION_TYPES: tuple[str, ...] = _EXTRACTOR_TYPES  # the extractor's contract is the source

#: The lkg class a document of each type carries beside ``lkg:Document`` (rdfs:seeAlso in the
#: scheme). Types without an own class map to nothing.
DOCUMENT_CLASS: Mapping[URIRef, URIRef] = MappingProxyType(
    {
        DOCUMENT_TYPE["letter"]: LKG.Letter,
        DOCUMENT_TYPE["parliamentary-letter"]: LKG.ParliamentaryLetter,
        DOCUMENT_TYPE["decision-note"]: LKG.DecisionNote,
        DOCUMENT_TYPE["kamerstuk"]: LKG.Kamerstuk,
        DOCUMENT_TYPE["handelingen"]: LKG.Handelingen,
        DOCUMENT_TYPE["aanhangsel-handelingen"]: LKG.AanhangselHandelingen,
        DOCUMENT_TYPE["answers-to-written-questions"]: LKG.AnswersToWrittenQuestions,
        DOCUMENT_TYPE["woo-answer"]: LKG.WooAnswer,
        DOCUMENT_TYPE["motion"]: LKG.Motion,
    }
)

# Labels (skos:prefLabel and skos:altLabel, Dutch and English) of document-type.ttl; a test keeps
# this list and the scheme in step. Keys are normalised with _norm.
_DOCUMENT_TYPE_LABELS: dict[str, tuple[str, ...]] = {
    "letter": ("brief", "letter"),
    "parliamentary-letter": ("Kamerbrief", "parliamentary letter"),
    "decision-note": ("beslisnota", "decision note", "nota"),
    "kamerstuk": ("Kamerstuk", "parliamentary paper", "Kamerstukken"),
    "handelingen": ("Handelingen", "Proceedings"),
    "aanhangsel-handelingen": (
        "Aanhangsel van de Handelingen",
        "Appendix to the Proceedings",
        "Aanhangsel Handelingen",
        "aanhangsel",
    ),
    "written-questions": ("schriftelijke vragen", "written questions", "Kamervragen"),
    "answers-to-written-questions": (
        "antwoorden op Kamervragen",
        "answers to written questions",
        "antwoorden Kamervragen",
        "beantwoording Kamervragen",
        "beantwoording schriftelijke vragen",
        "answers to parliamentary questions",
    ),
    "woo-answer": (
        "Woo-besluit",
        "Woo answer",
        "informatieverzoek",
        "antwoord op informatieverzoek",
        "Woo-verzoek",
        "information request answer",
        "information request",
    ),
    "motion": ("motie", "motion"),
    "committee-report": (
        "verslag",
        "committee report",
        "verslag commissiedebat",
        "verslag van een commissiedebat",
    ),
    "bill": ("wetsvoorstel", "bill"),
    "other": ("overig", "other"),
}


def _norm(label: str) -> str:
    """Case-, hyphen- and whitespace-insensitive key: "Decision-Note" == "decision note"."""
    return re.sub(r"[\s_\-]+", " ", label).strip().casefold()


_DOCUMENT_TYPE_INDEX: dict[str, URIRef] = {}
for _notation, _labels in _DOCUMENT_TYPE_LABELS.items():
    for _label in (_notation, *_labels):
        _DOCUMENT_TYPE_INDEX[_norm(_label)] = DOCUMENT_TYPE[_notation]


def document_type(label: str) -> URIRef:
    """The document-type concept for a notation or a Dutch/English label, case-insensitive.

    Metadata files and ingest requests name a type the way people write it; this maps all of
    those spellings to one concept.

    >>> str(document_type("Beslisnota"))
    'https://w3id.org/lexgraph/vocab/document-type/decision-note'
    >>> document_type("decision note") == document_type("decision-note")
    True
    """
    try:
        return _DOCUMENT_TYPE_INDEX[_norm(label)]
    except KeyError:
        raise UnknownConcept(f"unknown document type {label!r}") from None


def document_type_labels() -> Mapping[str, tuple[str, ...]]:
    """Every label :func:`document_type` accepts, by notation (for tests and error messages)."""
    return MappingProxyType(_DOCUMENT_TYPE_LABELS)
