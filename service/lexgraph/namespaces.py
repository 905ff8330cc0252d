"""Namespaces of the lexgraph graph.

``LKG`` is closed (``_fail = True``): a misspelt term raises instead of minting a new IRI. The
terms listed here and the ones declared in ``ontology/lexgraph.ttl`` must agree; a test checks it.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.term import URIRef

BASE = "https://w3id.org/lexgraph/"
ONTOLOGY_IRI = BASE + "ontology"

ELI = Namespace("http://data.europa.eu/eli/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

#: Data (instances minted by lexgraph), named graphs and SKOS vocabularies.
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
VOCAB = Namespace(BASE + "vocab/")


class LKG(DefinedNamespace):
    """The lexgraph ontology (``lkg:``)."""

    _fail = True
    _NS = Namespace(BASE + "ontology#")

    # --- documents ---------------------------------------------------------------------------
    Document: URIRef
    Letter: URIRef
    ParliamentaryLetter: URIRef
    DecisionNote: URIRef
    Kamerstuk: URIRef
    Handelingen: URIRef
    AanhangselHandelingen: URIRef
    AnswersToWrittenQuestions: URIRef
    WooAnswer: URIRef
    Dossier: URIRef

    documentId: URIRef  # the id users see: reference number, else official id, else slug
    reference: URIRef  # "Onze referentie"
    officialIdentifier: URIRef  # e.g. "kst-19637-3338"
    documentType: URIRef  # -> skos:Concept in the document-type scheme
    sender: URIRef
    addressee: URIRef
    text: URIRef  # the full source text, byte-for-byte after UTF-8 decoding
    sha256: URIRef
    sourceFile: URIRef

    # --- passages ----------------------------------------------------------------------------
    Passage: URIRef
    passageKind: URIRef  # section | heading | paragraph | list-item | footnote | table | ...
    label: URIRef  # "4.1", "a", "Vraag 1", footnote "7"
    order: URIRef

    # --- instruments and provisions ----------------------------------------------------------
    LegalInstrument: URIRef
    EUAct: URIRef
    EUProposal: URIRef
    DutchAct: URIRef
    DutchRegulation: URIRef
    PolicyRule: URIRef
    Treaty: URIRef
    CaseLaw: URIRef
    Provision: URIRef
    OfficialIdentifier: URIRef

    hasIdentifier: URIRef
    scheme: URIRef
    verificationStatus: URIRef
    celex: URIRef
    eli: URIRef
    bwb: URIRef
    ecli: URIRef
    comNumber: URIRef
    kstId: URIRef
    pinpoint: URIRef

    # --- citations (cito:Citation) -----------------------------------------------------------
    citationType: URIRef
    citedId: URIRef
    citesProvision: URIRef
    boundPassage: URIRef  # body passage carrying the footnote marker of a footnote citation

    # --- policy knowledge ----------------------------------------------------------------------
    PolicyPoint: URIRef
    Commitment: URIRef
    CommitmentResponse: URIRef
    Motion: URIRef
    MotionAppreciation: URIRef
    Question: URIRef
    Answer: URIRef
    Debate: URIRef
    ProtectionPeriod: URIRef
    EndDateStatement: URIRef

    groundedBy: URIRef
    explainedIn: URIRef
    madeBy: URIRef
    madeTo: URIRef
    madeDuring: URIRef
    madeOn: URIRef
    status: URIRef
    deadline: URIRef
    respondsTo: URIRef
    answerKind: URIRef
    submittedBy: URIRef
    asks: URIRef
    appreciationOf: URIRef
    appreciation: URIRef
    followUpOf: URIRef
    answers: URIRef
    questionNumber: URIRef
    askedBy: URIRef
    startDate: URIRef
    endDate: URIRef
    establishedBy: URIRef
    statedEndDate: URIRef
    about: URIRef
    party: URIRef
    citesInstrumentNoLongerInForce: URIRef
    answeredIn: URIRef  # the document that gives a response (may differ from the quoted one)

    # --- provenance --------------------------------------------------------------------------
    CurationRecord: URIRef
    quote: URIRef
    recordId: URIRef
    note: URIRef
    softwareVersion: URIRef
