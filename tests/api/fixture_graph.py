"""A small graph in lexgraph's RDF model, built from a text so every offset is exact.

Used by the API tests: one document with passages and citations (anchored facts with
provenance), a register entry with its identifiers, and a curated assertion.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from lexgraph import iris
from lexgraph.namespaces import CITO, ELI, ID, LKG, OA, PROV, VOCAB
from lexgraph.rdf import anchor_text

DOC_ID = "T-0001"
TITLE = "Testbrief over de <RTB> & de Kwalificatierichtlijn"
TEXT = (
    "Geachte voorzitter,\n\n"
    "De Richtlijn 2001/55/EG (RTB) blijft van toepassing tot 4 maart 2027.\n\n"
    "Artikel 15, aanhef en onder c, van de Kwalificatierichtlijn is niet van toepassing; "
    "de Procedurerichtlijn 2013/32/EU is ingetrokken.\n"
)
ACTIVITY = ID[f"activity/extract/{DOC_ID}"]
AGENT = ID["agent/lexgraph-extract/9.9.9"]
RECORD_ID = "cur-0001"
RECORD = ID[f"curation/{RECORD_ID}"]
CURATION_ACTIVITY = ID[f"activity/curation/{RECORD_ID}"]

RTB = "celex:32001L0055"
QD = "celex:32011L0095"
APD = "celex:32013L0032"
APD_RECAST = "celex:32024R1348"


def span(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def anchor(g: Graph, fact: URIRef, doc: URIRef, start: int, end: int, activity: URIRef) -> None:
    """The uniform anchoring of a fact, as the build makes it."""
    anchor_text(g, fact, doc, TEXT, start, end, activity)


CITATIONS = (
    # (fragment, type, id, pinpoint)
    ("Richtlijn 2001/55/EG (RTB)", "eu-act", RTB, None),
    ("Artikel 15, aanhef en onder c, van de Kwalificatierichtlijn", "eu-act", QD, "art. 15(c)"),
    ("Procedurerichtlijn 2013/32/EU", "eu-act", APD, None),
)
PASSAGES = (
    "Geachte voorzitter,",
    "De Richtlijn 2001/55/EG (RTB) blijft van toepassing tot 4 maart 2027.",
    "Artikel 15, aanhef en onder c, van de Kwalificatierichtlijn is niet van toepassing; "
    "de Procedurerichtlijn 2013/32/EU is ingetrokken.",
)


def citation_iris() -> list[URIRef]:
    return [
        iris.citation_iri(DOC_ID, *span(fragment), ctype) for fragment, ctype, _, _ in CITATIONS
    ]


def build() -> Dataset:
    ds = Dataset()
    doc = iris.document_iri(DOC_ID)
    g = ds.graph(iris.document_graph(DOC_ID))
    g.add((doc, RDF.type, LKG.Document))
    g.add((doc, RDF.type, LKG.ParliamentaryLetter))
    g.add((doc, LKG.documentId, Literal(DOC_ID)))
    g.add((doc, DCTERMS.title, Literal(TITLE)))
    g.add((doc, DCTERMS.date, Literal("2026-07-02", datatype=XSD.date)))
    g.add((doc, LKG.reference, Literal(DOC_ID)))
    g.add((doc, LKG.documentType, VOCAB["document-type/parliamentary-letter"]))
    g.add((doc, LKG.text, Literal(TEXT)))
    g.add((doc, PROV.wasGeneratedBy, ACTIVITY))
    g.add((ACTIVITY, RDF.type, PROV.Activity))
    g.add((ACTIVITY, PROV.wasAssociatedWith, AGENT))
    g.add((ACTIVITY, PROV.used, doc))
    g.add((ACTIVITY, PROV.endedAtTime, Literal("2026-07-02T00:00:00Z", datatype=XSD.dateTime)))
    g.add((AGENT, RDF.type, PROV.SoftwareAgent))
    g.add((AGENT, RDFS.label, Literal("lexgraph-extract")))
    g.add((AGENT, LKG.softwareVersion, Literal("9.9.9")))
    passage_nodes = []
    for order, fragment in enumerate(PASSAGES):
        start, end = span(fragment)
        p = iris.passage_iri(DOC_ID, start, end)
        passage_nodes.append((p, start, end))
        g.add((p, RDF.type, LKG.Passage))
        g.add((p, RDF.type, OA.SpecificResource))
        g.add((p, LKG.passageKind, Literal("paragraph")))
        g.add((p, LKG.order, Literal(order, datatype=XSD.integer)))
        anchor(g, p, doc, start, end, ACTIVITY)
    for fragment, ctype, cid, pinpoint in CITATIONS:
        start, end = span(fragment)
        c = iris.citation_iri(DOC_ID, start, end, ctype)
        g.add((c, RDF.type, CITO.Citation))
        g.add((c, RDF.type, OA.SpecificResource))
        anchor(g, c, doc, start, end, ACTIVITY)
        citing = next(p for p, s, e in passage_nodes if s <= start and end <= e)
        g.add((c, CITO.hasCitingEntity, citing))
        g.add((c, CITO.hasCitedEntity, iris.instrument_iri(cid)))
        g.add((c, CITO.hasCitationCharacterisation, CITO.cites))
        g.add((c, LKG.citationType, Literal(ctype)))
        g.add((c, LKG.citedId, Literal(cid)))
        if pinpoint:
            g.add((c, LKG.pinpoint, Literal(pinpoint)))
            for prov in iris.provision_iris(cid, pinpoint):
                g.add((c, LKG.citesProvision, prov))
                g.add((prov, RDF.type, LKG.Provision))
                g.add((prov, ELI.is_part_of, iris.instrument_iri(cid)))
                g.add((prov, LKG.pinpoint, Literal(pinpoint)))

    reg = ds.graph(iris.REGISTER_GRAPH)
    for cid, kind, nl, en, aliases in (
        (
            RTB,
            LKG.EUAct,
            "Richtlijn tijdelijke bescherming",
            "Temporary Protection Directive",
            ["RTB", "Richtlijn Tijdelijke Bescherming"],
        ),
        (
            QD,
            LKG.EUAct,
            "Kwalificatierichtlijn",
            "Qualification Directive",
            ["Kwalificatierichtlijn"],
        ),
        (
            APD,
            LKG.EUAct,
            "Procedurerichtlijn",
            "Asylum Procedures Directive",
            ["Procedurerichtlijn"],
        ),
        (APD_RECAST, LKG.EUAct, "Procedureverordening", "Asylum Procedure Regulation", []),
    ):
        node = iris.instrument_iri(cid)
        celex = cid.split(":", 1)[1]
        reg.add((node, RDF.type, LKG.LegalInstrument))
        reg.add((node, RDF.type, kind))
        reg.add((node, DCTERMS.identifier, Literal(cid)))
        reg.add((node, SKOS.prefLabel, Literal(nl, lang="nl")))
        reg.add((node, SKOS.prefLabel, Literal(en, lang="en")))
        for alias in aliases:
            reg.add((node, SKOS.altLabel, Literal(alias, lang="nl")))
        reg.add((node, LKG.celex, Literal(celex)))
        reg.add((node, LKG.eli, Literal(str(node))))
        ident = ID[f"identifier/{cid}/celex"]
        reg.add((node, LKG.hasIdentifier, ident))
        reg.add((ident, RDF.type, LKG.OfficialIdentifier))
        reg.add((ident, LKG.scheme, Literal("celex")))
        reg.add((ident, RDF.value, Literal(celex)))
        reg.add((ident, LKG.verificationStatus, VOCAB["verification/confirmed"]))
    apd = iris.instrument_iri(APD)
    reg.add((apd, ELI.date_no_longer_in_force, Literal("2026-06-12", datatype=XSD.date)))
    reg.add((apd, ELI.repealed_by, iris.instrument_iri(APD_RECAST)))

    cur = ds.graph(iris.CURATION_GRAPH)
    cur.add((RECORD, RDF.type, LKG.CurationRecord))
    cur.add((RECORD, RDF.type, PROV.Entity))
    cur.add((RECORD, LKG.recordId, Literal(RECORD_ID)))
    cur.add((RECORD, LKG.quote, Literal("blijft van toepassing tot 4 maart 2027")))
    cur.add((RECORD, DCTERMS.created, Literal("2026-07-03", datatype=XSD.date)))
    cur.add((RECORD, DCTERMS.creator, Literal("policy team")))
    cur.add((CURATION_ACTIVITY, RDF.type, PROV.Activity))
    cur.add((CURATION_ACTIVITY, PROV.used, RECORD))
    fact = ID["statement/T-0001-end-date"]
    start, end = span("blijft van toepassing tot 4 maart 2027")
    cur.add((fact, RDF.type, LKG.EndDateStatement))
    anchor(cur, fact, doc, start, end, CURATION_ACTIVITY)
    return ds


def graphs() -> dict[str, bytes]:
    """Named graph IRI -> N-Triples, ready for ``GraphStore.replace_graph``."""
    ds = build()
    out = {}
    for g in ds.graphs():
        if len(g) and isinstance(g.identifier, URIRef):
            out[str(g.identifier)] = g.serialize(format="nt", encoding="utf-8")
    return out
