"""RDF building blocks of the policy layer: anchoring, provenance and the agents facts name.

Every fact node is anchored the same way as citations and passages (``oa:hasSource``, a
TextPositionSelector, a TextQuoteSelector whose ``oa:exact`` is the source slice, and
``prov:wasGeneratedBy``), so one provenance query serves all of them.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, SKOS

from lexgraph.namespaces import ID, LKG, ORG, PROV
from lexgraph.policy import terms
from lexgraph.policy.curation import Record
from lexgraph.policy.text import slug
from lexgraph.rdf import anchor_text


def anchor(
    g: Graph, fact: URIRef, doc: URIRef, text: str, start: int, end: int, activity: URIRef
) -> None:
    """Anchor ``fact`` to ``text[start:end]`` of ``doc``; detected spans must lie in the text."""
    if not (0 <= start < end <= len(text)):
        raise ValueError(f"bad span {start}-{end} for {fact}")
    anchor_text(g, fact, doc, text, start, end, activity)


def midnight(day: dt.date) -> Literal:
    """A date as xsd:dateTime at 00:00Z: builds are reproducible, never the wall clock."""
    return Literal(f"{day.isoformat()}T00:00:00Z", datatype=XSD.dateTime)


def date_literal(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def detection_activity(g: Graph, document_id: str, doc: URIRef, added: dt.date | None) -> URIRef:
    """The activity of the policy detector on one document, associated with its versioned agent."""
    activity = ID[f"activity/policy/{quote(document_id, safe='-._~:')}"]
    agent = terms.agent_iri()
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, agent))
    g.add((activity, PROV.used, doc))
    if added:
        g.add((activity, PROV.endedAtTime, midnight(added)))
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(terms.POLICY_AGENT_NAME)))
    g.add((agent, LKG.softwareVersion, Literal(terms.POLICY_AGENT_VERSION)))
    return activity


def curation_activity(g: Graph, record: Record) -> URIRef:
    """The record entity and the activity that used it; facts from the record point at it."""
    rec = ID[f"curation/{record.id}"]
    activity = ID[f"activity/curation/{record.id}"]
    g.add((rec, RDF.type, LKG.CurationRecord))
    g.add((rec, RDF.type, PROV.Entity))
    g.add((rec, LKG.recordId, Literal(record.id)))
    if record.quote is not None:
        g.add((rec, LKG.quote, Literal(record.quote)))
    g.add((rec, DCTERMS.created, date_literal(record.date)))
    g.add((rec, DCTERMS.creator, Literal(record.curator)))
    g.add((rec, LKG.note, Literal(record.note)))
    g.add((rec, DCTERMS.source, Literal(f"graph_data/curation/{record.path.name}")))
    curator = ID[f"agent/curator/{slug(record.curator)}"]
    g.add((curator, RDF.type, PROV.Agent))
    g.add((curator, RDFS.label, Literal(record.curator)))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, PROV.wasAssociatedWith, curator))
    g.add((activity, PROV.used, rec))
    g.add((activity, PROV.endedAtTime, midnight(record.date)))
    g.add((activity, RDFS.label, Literal(f"curation record {record.id}")))
    return activity


def person(key: str) -> URIRef:
    return ID[f"person/{slug(key)}"]


def organization(key: str) -> URIRef:
    return ID[f"organization/{slug(key)}"]


def debate(key: str) -> URIRef:
    return ID[f"debate/{slug(key)}"]


def office(name: str) -> URIRef:
    """An office holder named only by office ("de Minister van Buitenlandse Zaken")."""
    return ID[f"office/{slug(name)}"]


def party(name: str) -> URIRef:
    return ID[f"party/{slug(name)}"]


def add_party(g: Graph, member: URIRef, name: str) -> None:
    p = party(name)
    g.add((member, LKG.party, p))
    g.add((p, RDF.type, ORG.Organization))
    g.add((p, SKOS.prefLabel, Literal(name)))


def add_person(g: Graph, key: str, name: str, party_name: str | None = None) -> URIRef:
    p = person(key)
    g.add((p, RDF.type, FOAF.Person))
    g.add((p, FOAF.name, Literal(name)))
    if party_name:
        add_party(g, p, party_name)
    return p


def add_office(g: Graph, name: str) -> URIRef:
    o = office(name)
    g.add((o, RDF.type, FOAF.Agent))
    g.add((o, FOAF.name, Literal(name)))
    return o
