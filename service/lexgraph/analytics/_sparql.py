"""The SPARQL that selects the parts of the graph the analytics read, and a row helper.

Every query is fixed text; user input only ever reaches the store as a bound value. Each query
selects one kind of fact (citations, grounds, responses, ...) rather than every triple, so the
networks below are built from a few hundred rows, not from the whole store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lexgraph.store.base import GraphStore

PREFIXES = """\
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX cito: <http://purl.org/spar/cito/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

Row = dict[str, str]

DOCUMENTS = """
SELECT DISTINCT ?doc ?id ?title ?date WHERE {
  ?doc a lkg:Document ; lkg:documentId ?id .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:date ?date }
}
ORDER BY ?id
"""

#: Anything a citation, ground or response can point at, with its names and validity.
INSTRUMENTS = """
SELECT DISTINCT ?i ?cid ?label ?lang ?motion ?repealedBy ?repealedById ?noLongerInForce WHERE {
  ?i a lkg:LegalInstrument ; dcterms:identifier ?cid .
  OPTIONAL { ?i skos:prefLabel|dcterms:title ?label . BIND (LANG(?label) AS ?lang) }
  OPTIONAL { ?i a lkg:Motion . BIND ("true" AS ?motion) }  # EXISTS reads as 1/0 on Virtuoso
  OPTIONAL {
    ?i eli:repealed_by ?repealedBy .
    OPTIONAL { ?repealedBy dcterms:identifier ?repealedById }
  }
  OPTIONAL { ?i eli:date_no_longer_in_force ?noLongerInForce }
}
ORDER BY ?cid
"""

#: The last day of temporary protection each decision set (an extension "expires" after it).
PERIOD_ENDS = """
SELECT ?i (MAX(?end) AS ?ends) WHERE {
  ?period a lkg:ProtectionPeriod ; lkg:establishedBy ?i ; lkg:endDate ?end .
}
GROUP BY ?i
"""

PROVISIONS = """
SELECT DISTINCT ?prov ?i ?pinpoint WHERE {
  ?prov a lkg:Provision ; eli:is_part_of ?i .
  OPTIONAL { ?prov lkg:pinpoint ?pinpoint }
}
ORDER BY ?prov
"""

#: Every citation with its span, the passage it sits in, the body passage a footnote citation is
#: bound to, the instrument and (one row each) the provisions its pinpoint designates.
CITATIONS = """
SELECT DISTINCT ?citation ?doc ?passage ?bound ?target ?cid ?provision ?quote ?start ?end WHERE {
  ?citation a cito:Citation ; oa:hasSource ?doc ; cito:hasCitedEntity ?target ;
            lkg:citedId ?cid ; oa:hasSelector ?q , ?pos .
  ?q oa:exact ?quote .
  ?pos oa:start ?start ; oa:end ?end .
  OPTIONAL { ?citation cito:hasCitingEntity ?passage }
  OPTIONAL { ?citation lkg:boundPassage ?bound }
  OPTIONAL { ?citation lkg:citesProvision ?provision }
}
ORDER BY ?doc ?start ?provision
"""

#: Passages with their spans (the first 300 characters of their text suffice for an edge quote).
PASSAGES = """
SELECT DISTINCT ?passage ?doc ?start ?end ?kind ?label ?snippet WHERE {
  ?passage a lkg:Passage ; oa:hasSource ?doc ; oa:hasSelector ?pos , ?q .
  ?pos oa:start ?start ; oa:end ?end .
  ?q oa:exact ?text .
  BIND (SUBSTR(?text, 1, 300) AS ?snippet)
  OPTIONAL { ?passage lkg:passageKind ?kind }
  OPTIONAL { ?passage lkg:label ?label }
}
ORDER BY ?doc ?start
"""

POLICY_POINTS = """
SELECT DISTINCT ?point ?doc ?label ?text ?start ?end ?explanation WHERE {
  ?point a lkg:PolicyPoint ; oa:hasSource ?doc ; oa:hasSelector ?q , ?pos .
  ?q oa:exact ?text .
  ?pos oa:start ?start ; oa:end ?end .
  OPTIONAL { ?point lkg:label ?label }
  OPTIONAL { ?point lkg:explainedIn ?explanation }
}
ORDER BY ?doc ?start
"""

GROUNDS = """
SELECT DISTINCT ?point ?ground WHERE { ?point a lkg:PolicyPoint ; lkg:groundedBy ?ground . }
ORDER BY ?point ?ground
"""

COMMITMENTS = """
SELECT DISTINCT ?c ?key ?text ?doc ?quote ?start ?end WHERE {
  ?c a lkg:Commitment .
  OPTIONAL { ?c dcterms:identifier ?key }
  OPTIONAL { ?c dcterms:description ?text }
  OPTIONAL {
    ?c oa:hasSource ?doc ; oa:hasSelector ?q , ?pos .
    ?q oa:exact ?quote .
    ?pos oa:start ?start ; oa:end ?end .
  }
}
ORDER BY ?c
"""

#: Motions are instruments (see INSTRUMENTS); this adds the span that records them.
MOTION_ANCHORS = """
SELECT DISTINCT ?m ?doc ?quote ?start ?end WHERE {
  ?m a lkg:Motion ; oa:hasSource ?doc ; oa:hasSelector ?q , ?pos .
  ?q oa:exact ?quote .
  ?pos oa:start ?start ; oa:end ?end .
}
ORDER BY ?m
"""

#: Answers to commitments and motions, and the cabinet's appreciations of motions.
RESPONSES = """
SELECT DISTINCT ?r ?relation ?target ?kind ?answeredIn ?doc ?quote ?start ?end WHERE {
  {
    ?r lkg:respondsTo ?target .
    OPTIONAL { ?r lkg:answerKind ?k }
    OPTIONAL { ?r lkg:answeredIn ?answeredIn }
    BIND ("answers" AS ?relation)
  } UNION {
    ?r lkg:appreciationOf ?target .
    OPTIONAL { ?r lkg:appreciation ?k }
    BIND ("appreciates" AS ?relation)
  }
  BIND (REPLACE(STR(?k), "^.*/", "") AS ?kind)
  ?r oa:hasSource ?doc ; oa:hasSelector ?q , ?pos .
  ?q oa:exact ?quote .
  ?pos oa:start ?start ; oa:end ?end .
}
ORDER BY ?r
"""

PROTECTION_PERIODS = """
SELECT DISTINCT ?period ?start ?end ?decision ?decisionId ?docId ?quote ?qstart WHERE {
  ?period a lkg:ProtectionPeriod ; lkg:endDate ?end .
  OPTIONAL { ?period lkg:startDate ?start }
  OPTIONAL {
    ?period lkg:establishedBy ?decision .
    OPTIONAL { ?decision dcterms:identifier ?decisionId }
  }
  OPTIONAL {
    ?period oa:hasSource ?doc ; oa:hasSelector ?q , ?pos .
    ?q oa:exact ?quote .
    ?pos oa:start ?qstart .
    ?doc lkg:documentId ?docId .
  }
}
ORDER BY ?end
"""

END_DATE_STATEMENTS = """
SELECT DISTINCT ?statement ?stated ?period ?docId ?quote ?qstart WHERE {
  ?statement a lkg:EndDateStatement ; lkg:statedEndDate ?stated ;
             oa:hasSource ?doc ; oa:hasSelector ?q , ?pos .
  ?q oa:exact ?quote .
  ?pos oa:start ?qstart .
  ?doc lkg:documentId ?docId .
  OPTIONAL { ?statement lkg:about ?period }
}
ORDER BY ?stated ?docId ?qstart
"""

#: Every query of the package, by name (the tests parse each one).
ALL_QUERIES: dict[str, str] = {
    "DOCUMENTS": DOCUMENTS,
    "INSTRUMENTS": INSTRUMENTS,
    "PERIOD_ENDS": PERIOD_ENDS,
    "PROVISIONS": PROVISIONS,
    "CITATIONS": CITATIONS,
    "PASSAGES": PASSAGES,
    "POLICY_POINTS": POLICY_POINTS,
    "GROUNDS": GROUNDS,
    "COMMITMENTS": COMMITMENTS,
    "MOTION_ANCHORS": MOTION_ANCHORS,
    "RESPONSES": RESPONSES,
    "PROTECTION_PERIODS": PROTECTION_PERIODS,
    "END_DATE_STATEMENTS": END_DATE_STATEMENTS,
}


def rows(store: GraphStore, query: str, bindings: Mapping[str, Any] | None = None) -> list[Row]:
    """The rows of a fixed SELECT (prefixes prepended) as variable -> lexical value."""
    result = store.select(PREFIXES + query, bindings)
    out: list[Row] = []
    for binding in result.get("results", {}).get("bindings", []):
        out.append({name: term["value"] for name, term in binding.items()})
    return out
