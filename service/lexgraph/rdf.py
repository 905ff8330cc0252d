"""RDF with provenance: a document's passages and citations, and the register's instruments.

Every fact node is anchored (``oa:hasSource`` + a TextPositionSelector and a TextQuoteSelector on
the document's text) and says how it was made (``prov:wasGeneratedBy``). No blank nodes, and no
wall-clock times: building twice gives the same triples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from lexgraph import iris
from lexgraph.extract.model import Citation
from lexgraph.namespaces import CITO, ELI, ID, LKG, OA, PROV
from lexgraph.passages import Passage, innermost
from lexgraph.sources import SourceDocument
from lexgraph.vocab import DOCUMENT_CLASS, DOCUMENT_TYPE, VERIFICATION

#: Citation type → the class of the cited resource (beside lkg:LegalInstrument).
CITED_CLASS = {
    "eu-act": LKG.EUAct,
    "eu-proposal": LKG.EUProposal,
    "nl-act": LKG.DutchAct,
    "nl-regulation": LKG.DutchRegulation,
    "nl-policy-rule": LKG.PolicyRule,
    "treaty": LKG.Treaty,
    "case-law": LKG.CaseLaw,
    "kamerstuk": LKG.Kamerstuk,
    "handelingen": LKG.Handelingen,
    "aanhangsel-handelingen": LKG.AanhangselHandelingen,
    "motion": LKG.Motion,
}
#: Passage kinds the graph keeps; page furniture (running headers, page markers) is left out.
GRAPH_KINDS = frozenset(
    ("section", "heading", "paragraph", "list-item", "footnote", "table", "question", "answer")
)


def _date_time(day: str) -> Literal:
    return Literal(f"{day}T00:00:00Z", datatype=XSD.dateTime)


def agent_iri(name: str, version: str) -> URIRef:
    return ID[f"agent/{name}/{version}"]


def add_agent(g: Graph, name: str, version: str, label: str) -> URIRef:
    agent = agent_iri(name, version)
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(label, lang="en")))
    g.add((agent, LKG.softwareVersion, Literal(version)))
    return agent


def anchor_text(
    g: Graph, fact: URIRef, doc: URIRef, text: str, start: int, end: int, activity: URIRef
) -> None:
    """Tie a fact to ``text[start:end]`` of document ``doc``, and to the activity that made it.

    Offsets are not checked here: a bad span is left for the SHACL gate to report.
    """
    pos, quote = iris.position_selector(fact), iris.quote_selector(fact)
    g.add((fact, OA.hasSource, doc))
    g.add((fact, OA.hasSelector, pos))
    g.add((fact, OA.hasSelector, quote))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(start, datatype=XSD.integer)))
    g.add((pos, OA.end, Literal(end, datatype=XSD.integer)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(text[start:end])))
    g.add((fact, PROV.wasGeneratedBy, activity))


def anchor(
    g: Graph, fact: URIRef, doc: SourceDocument, start: int, end: int, activity: URIRef
) -> None:
    anchor_text(g, fact, doc.iri, doc.text, start, end, activity)


def extraction_activity(g: Graph, doc: SourceDocument, name: str, version: str) -> URIRef:
    """The activity that read the document; its time is the document's ``added`` date."""
    activity = ID[f"activity/extract/{doc.document_id}"]
    agent = add_agent(g, name, version, "lexgraph citation extractor")
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((activity, PROV.used, doc.iri))
    g.add((activity, PROV.endedAtTime, _date_time(doc.meta.get("added") or doc.meta["date"])))
    return activity


def document_node(g: Graph, doc: SourceDocument, activity: URIRef) -> None:
    meta = doc.meta
    node = doc.iri
    dtype = DOCUMENT_TYPE[meta["type"]]
    g.add((node, RDF.type, LKG.Document))
    if dtype in DOCUMENT_CLASS:
        g.add((node, RDF.type, DOCUMENT_CLASS[dtype]))
    g.add((node, LKG.documentId, Literal(doc.document_id)))
    g.add((node, LKG.documentType, dtype))
    g.add((node, DCTERMS.title, Literal(meta["title"], lang=meta.get("language") or "nl")))
    g.add((node, DCTERMS.date, Literal(meta["date"], datatype=XSD.date)))
    for key, prop in (
        ("reference", LKG.reference),
        ("identifier", LKG.officialIdentifier),
        ("sender", LKG.sender),
        ("addressee", LKG.addressee),
        ("subject", DCTERMS.subject),
    ):
        if meta.get(key):
            g.add((node, prop, Literal(meta[key])))
    if meta.get("language"):
        g.add((node, DCTERMS.language, Literal(meta["language"])))
    if doc.path is not None:
        g.add((node, LKG.sourceFile, Literal(doc.path.name)))
    g.add((node, LKG.text, Literal(doc.text)))
    g.add((node, LKG.sha256, Literal(doc.sha256)))
    g.add((node, PROV.wasGeneratedBy, activity))


def passage_nodes(
    g: Graph, doc: SourceDocument, passages: Sequence[Passage], activity: URIRef
) -> list[Passage]:
    """Add the passages the graph keeps; returns them (citations are bound to these only)."""
    kept = [p for p in passages if p.kind in GRAPH_KINDS]
    kept_ids = {p.order for p in kept}
    for p in kept:
        node = p.iri
        g.add((node, RDF.type, LKG.Passage))
        g.add((node, RDF.type, OA.SpecificResource))
        anchor(g, node, doc, p.start, p.end, activity)
        g.add((node, LKG.passageKind, Literal(p.kind)))
        g.add((node, LKG.order, Literal(p.order, datatype=XSD.integer)))
        if p.label:
            g.add((node, LKG.label, Literal(p.label)))
        if p.parent is not None and p.parent in kept_ids:
            g.add((node, DCTERMS.isPartOf, passages[p.parent].iri))
    return kept


def instrument_iri(cid: str, register: Any | None) -> URIRef:
    if register is not None:
        iri: URIRef = register.iri(cid)
        return iri
    return iris.instrument_iri(cid)


def _rule_instrument(g: Graph, cid: str, ctype: str, iri: URIRef) -> None:
    """A cited resource the register does not know, typed and identified by rule only."""
    g.add((iri, RDF.type, LKG.LegalInstrument))
    if ctype in CITED_CLASS:
        g.add((iri, RDF.type, CITED_CLASS[ctype]))
    g.add((iri, DCTERMS.identifier, Literal(cid)))
    scheme, _, value = cid.partition(":")
    if scheme == "celex":
        g.add((iri, LKG.celex, Literal(value)))
    elif scheme == "bwb":
        g.add((iri, LKG.bwb, Literal(value)))
    elif scheme == "ecli":
        g.add((iri, LKG.ecli, Literal(value)))


def citation_nodes(
    g: Graph,
    doc: SourceDocument,
    passages: Sequence[Passage],
    citations: Iterable[Citation],
    activity: URIRef,
    register: Any | None,
) -> None:
    for c in citations:
        citing = innermost(list(passages), c.start, c.end)
        if citing is None:
            continue  # only in page furniture: not a citation of the document's content
        node = iris.citation_iri(doc.document_id, c.start, c.end, c.type)
        cited = instrument_iri(c.id, register)
        g.add((node, RDF.type, CITO.Citation))
        g.add((node, RDF.type, OA.SpecificResource))
        anchor(g, node, doc, c.start, c.end, activity)
        g.add((node, CITO.hasCitingEntity, citing.iri))
        g.add((node, CITO.hasCitedEntity, cited))
        g.add((node, CITO.hasCitationCharacterisation, CITO.cites))
        g.add((node, LKG.citationType, Literal(c.type)))
        g.add((node, LKG.citedId, Literal(c.id)))
        if register is None or register.get(c.id) is None:
            _rule_instrument(g, c.id, c.type, cited)
        if c.pinpoint:
            g.add((node, LKG.pinpoint, Literal(c.pinpoint)))
            for prov_iri in iris.provision_iris(c.id, c.pinpoint):
                g.add((node, LKG.citesProvision, prov_iri))
                g.add((prov_iri, RDF.type, LKG.Provision))
                g.add((prov_iri, RDF.type, ELI.LegalResourceSubdivision))
                g.add((prov_iri, ELI.is_part_of, cited))
        for m_start, m_end in c.markers:
            body = innermost(list(passages), m_start, m_end)
            if body is not None and body.iri != citing.iri:
                g.add((node, LKG.boundPassage, body.iri))


def document_graph(
    doc: SourceDocument,
    passages: Sequence[Passage],
    citations: Sequence[Citation],
    register: Any | None,
    extractor: tuple[str, str],
) -> Graph:
    """The named graph of one document: document node, passages, citations, provenance."""
    g = Graph()
    activity = extraction_activity(g, doc, *extractor)
    document_node(g, doc, activity)
    kept = passage_nodes(g, doc, passages, activity)
    citation_nodes(g, doc, kept, citations, activity, register)
    return g


# --- the register ------------------------------------------------------------------------------

_IDENTIFIER_FIELDS = (
    ("celex", LKG.celex),
    ("eli", LKG.eli),
    ("bwb", LKG.bwb),
    ("ecli", LKG.ecli),
    ("com", LKG.comNumber),
    ("kst", LKG.kstId),
    ("bwbv", None),
)


def register_graph(register: Any, record: str, added: str) -> Graph:
    """The register's instruments with their identifiers, names, validity and provenance."""
    g = Graph()
    activity = ID["activity/register"]
    agent = ID["agent/register-curators"]
    entity = ID["curation/register"]
    g.add((agent, RDF.type, PROV.Agent))
    g.add((agent, RDFS.label, Literal("lexgraph register curators", lang="en")))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((activity, PROV.used, entity))
    g.add((activity, PROV.endedAtTime, _date_time(added)))
    g.add((entity, RDF.type, PROV.Entity))
    g.add((entity, RDFS.label, Literal(record)))
    for inst in register.instruments:
        iri = register.iri(inst.id)
        g.add((iri, RDF.type, LKG.LegalInstrument))
        if inst.type in CITED_CLASS:
            g.add((iri, RDF.type, CITED_CLASS[inst.type]))
        g.add((iri, DCTERMS.identifier, Literal(inst.id)))
        g.add((iri, PROV.wasGeneratedBy, activity))
        if inst.title_nl:
            g.add((iri, SKOS.prefLabel, Literal(inst.title_nl, lang="nl")))
        if inst.title_en:
            g.add((iri, SKOS.prefLabel, Literal(inst.title_en, lang="en")))
        for alias in inst.aliases:
            g.add((iri, SKOS.altLabel, Literal(alias, lang="nl")))
        statuses = dict(getattr(inst, "status", {}) or {})
        for field, prop in _IDENTIFIER_FIELDS:
            value = getattr(inst, field, None)
            if not value:
                continue
            if prop is not None:
                lit = Literal(value, datatype=XSD.anyURI) if field == "eli" else Literal(value)
                g.add((iri, prop, lit))
            ident = ID[f"identifier/{iris.quote_segment(inst.id)}/{field}"]
            g.add((iri, LKG.hasIdentifier, ident))
            g.add((ident, RDF.type, LKG.OfficialIdentifier))
            g.add((ident, LKG.scheme, Literal(field)))
            g.add((ident, RDF.value, Literal(value)))
            status = statuses.get(field, "unknown")
            g.add((ident, LKG.verificationStatus, VERIFICATION[status]))
        if getattr(inst, "date", None):
            g.add((iri, ELI.date_document, Literal(inst.date, datatype=XSD.date)))
        if getattr(inst, "repealed_from", None):
            g.add(
                (iri, ELI.date_no_longer_in_force, Literal(inst.repealed_from, datatype=XSD.date))
            )
        if getattr(inst, "repealed_by", None):
            g.add((iri, ELI.repealed_by, register.iri(inst.repealed_by)))
        if getattr(inst, "applies_from", None):
            g.add((iri, LKG.startDate, Literal(inst.applies_from, datatype=XSD.date)))
    return g
