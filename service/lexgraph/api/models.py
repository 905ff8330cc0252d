"""Response models shared by the REST routers (JSON, with JSON-LD keys where they fit)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: JSON-LD context for document and citation resources: terms map to the graph's own properties,
#: so a JSON-LD processor reads the same facts the SPARQL endpoint serves.
DOCUMENT_CONTEXT: dict[str, object] = {
    "lkg": "https://w3id.org/lexgraph/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "cito": "http://purl.org/spar/cito/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "documentId": "lkg:documentId",
    "title": "dcterms:title",
    "date": {"@id": "dcterms:date", "@type": "xsd:date"},
    "reference": "lkg:reference",
    "officialIdentifier": "lkg:officialIdentifier",
    "documentType": {"@id": "lkg:documentType", "@type": "@id"},
    "sender": "lkg:sender",
    "addressee": "lkg:addressee",
    "text": "lkg:text",
    "start": {"@id": "oa:start", "@type": "xsd:integer"},
    "end": {"@id": "oa:end", "@type": "xsd:integer"},
    "exact": "oa:exact",
    "kind": "lkg:passageKind",
    "label": "lkg:label",
    "order": {"@id": "lkg:order", "@type": "xsd:integer"},
    "partOf": {"@id": "dcterms:isPartOf", "@type": "@id"},
    "citationType": "lkg:citationType",
    "citedId": "lkg:citedId",
    "pinpoint": "lkg:pinpoint",
    "citedEntity": {"@id": "cito:hasCitedEntity", "@type": "@id"},
    "citingEntity": {"@id": "cito:hasCitingEntity", "@type": "@id"},
    "provisions": {"@id": "lkg:citesProvision", "@type": "@id"},
    "passages": {"@reverse": "oa:hasSource"},
    "citations": {"@reverse": "oa:hasSource"},
}


class LDModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Passage(LDModel):
    iri: str = Field(serialization_alias="@id")
    kind: str | None = None
    label: str | None = None
    order: int | None = None
    start: int
    end: int
    partOf: str | None = None


class Citation(LDModel):
    iri: str = Field(serialization_alias="@id")
    start: int
    end: int
    exact: str | None = None
    citationType: str | None = None
    citedId: str | None = None
    pinpoint: str | None = None
    citedEntity: str | None = None
    citingEntity: str | None = None
    provisions: list[str] = []
    documentId: str | None = None
    instrument: str | None = Field(
        default=None, description="API path of the cited instrument (/instruments/{id})"
    )


class DocumentSummary(LDModel):
    iri: str = Field(serialization_alias="@id")
    documentId: str
    title: str | None = None
    date: str | None = None
    documentType: str | None = None
    reference: str | None = None
    officialIdentifier: str | None = None
    href: str


class DocumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = None
    items: list[DocumentSummary]


class DocumentDetail(LDModel):
    context: dict[str, object] = Field(serialization_alias="@context")
    iri: str = Field(serialization_alias="@id")
    types: list[str] = Field(default=[], serialization_alias="@type")
    documentId: str
    title: str | None = None
    date: str | None = None
    documentType: str | None = None
    reference: str | None = None
    officialIdentifier: str | None = None
    sender: str | None = None
    addressee: str | None = None
    graph: str
    text: str | None = None
    passages: list[Passage]
    citations: list[Citation]


class CitationPage(BaseModel):
    total: int
    limit: int
    offset: int
    next: str | None = None
    items: list[Citation]


class IngestResult(BaseModel):
    documentId: str
    iri: str
    graph: str
    citations: int
    triples: int
    replaced: bool
    href: str


class Deleted(BaseModel):
    documentId: str
    deleted: bool
