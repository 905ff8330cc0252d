"""Commitments and motions as plain JSON for the REST API and the web page.

One SPARQL query per resource kind; rows are grouped here so that a commitment carries all its
answering passages (document id, quote, offsets, kind of answer) in one object.
"""

from __future__ import annotations

from typing import Any

from lexgraph.namespaces import ID
from lexgraph.store.base import GraphStore

PREFIXES = """
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_ANCHOR = """
  OPTIONAL {{
    {node} oa:hasSource ?{p}Doc ; oa:hasSelector ?{p}Pos , ?{p}Q .
    ?{p}Pos oa:start ?{p}Start ; oa:end ?{p}End .
    ?{p}Q oa:exact ?{p}Quote .
    OPTIONAL {{ ?{p}Doc lkg:documentId ?{p}DocId }}
  }}
"""

COMMITMENTS = (
    PREFIXES
    + """
SELECT DISTINCT ?c ?text ?madeBy ?madeTo ?madeOn ?deadline ?debate ?debateTitle ?status
       ?cDocId ?cStart ?cEnd ?cQuote ?r ?kind ?answeredIn ?answeredBy ?rDocId ?rStart ?rEnd ?rQuote
WHERE {
  ?c a lkg:Commitment .
  OPTIONAL { ?c dcterms:description ?text }
  OPTIONAL { ?c lkg:madeBy/foaf:name ?madeBy }
  OPTIONAL { ?c lkg:madeTo/foaf:name ?madeTo }
  OPTIONAL { ?c lkg:madeOn ?madeOn }
  OPTIONAL { ?c lkg:deadline ?deadline }
  OPTIONAL { ?c lkg:madeDuring ?debate . OPTIONAL { ?debate dcterms:title ?debateTitle } }
  OPTIONAL { ?c lkg:status ?st . BIND(REPLACE(STR(?st), "^.*/", "") AS ?status) }
"""
    + _ANCHOR.format(node="?c", p="c")
    + """
  OPTIONAL {
    ?r lkg:respondsTo ?c ; lkg:answerKind ?k .
    BIND(REPLACE(STR(?k), "^.*/", "") AS ?kind)
    OPTIONAL {
      ?r lkg:answeredIn ?answeredIn .
      OPTIONAL { ?answeredIn lkg:documentId ?aid }
      OPTIONAL { ?answeredIn dcterms:identifier ?aident }
      BIND(COALESCE(?aid, REPLACE(STR(?aident), "^kst:", "kst-"),
                    REPLACE(STR(?answeredIn), "^.*/", "")) AS ?answeredBy)
    }
"""
    + _ANCHOR.format(node="?r", p="r")
    + """
  }
}
ORDER BY ?c ?r
"""
)

MOTIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?m ?motionId ?title ?asks ?submitter ?party ?a ?appreciation ?aDocId ?aStart ?aEnd
       ?aQuote ?f ?kind ?fDocId ?fStart ?fEnd ?fQuote
WHERE {
  ?m a lkg:Motion ; dcterms:identifier ?motionId .
  OPTIONAL { ?m dcterms:title ?title }
  OPTIONAL { ?m lkg:asks ?asks }
  OPTIONAL {
    ?m lkg:submittedBy ?s . ?s foaf:name ?submitter .
    OPTIONAL { ?s lkg:party/skos:prefLabel ?party }
  }
  OPTIONAL {
    ?a lkg:appreciationOf ?m ; lkg:appreciation ?ap .
    BIND(REPLACE(STR(?ap), "^.*/", "") AS ?appreciation)
"""
    + _ANCHOR.format(node="?a", p="a")
    + """
  }
  OPTIONAL {
    ?f lkg:respondsTo ?m .
    OPTIONAL { ?f lkg:answerKind ?k . BIND(REPLACE(STR(?k), "^.*/", "") AS ?kind) }
"""
    + _ANCHOR.format(node="?f", p="f")
    + """
  }
}
ORDER BY ?motionId ?a ?f
"""
)


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    result = store.select(sparql)
    return [
        {k: v["value"] for k, v in row.items()}
        for row in result.get("results", {}).get("bindings", [])
    ]


def commitment_key(iri: str) -> str:
    """URL key of a commitment: the curated key, or the detected fact's path under the id base."""
    rest = iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri
    return rest.removeprefix("commitment/")


def motion_key(cid: str) -> str:
    """URL key of a motion: "motion:piri" -> "piri", "kst:36600-XX-22" -> "kst-36600-XX-22"."""
    return cid.removeprefix("motion:").replace(":", "-")


def _passage(row: dict[str, str], p: str) -> dict[str, Any] | None:
    if f"{p}Quote" not in row:
        return None
    return {
        "documentId": row.get(f"{p}DocId"),
        "start": int(row[f"{p}Start"]),
        "end": int(row[f"{p}End"]),
        "quote": row[f"{p}Quote"],
    }


def commitments(store: GraphStore, key: str | None = None) -> list[dict[str, Any]]:
    """Commitments with who/when/status and their answers; one of them when ``key`` is given."""
    items: dict[str, dict[str, Any]] = {}
    for row in _rows(store, COMMITMENTS):
        ck = commitment_key(row["c"])
        if key is not None and key != ck:
            continue
        item = items.setdefault(
            row["c"],
            {
                "key": ck,
                "iri": row["c"],
                "text": row.get("text"),
                "madeBy": row.get("madeBy"),
                "madeTo": row.get("madeTo"),
                "madeOn": row.get("madeOn"),
                "deadline": row.get("deadline"),
                "debate": row.get("debateTitle") or row.get("debate"),
                "status": row.get("status"),
                "evidence": _passage(row, "c"),
                "answers": [],
            },
        )
        if "r" in row and not any(a["iri"] == row["r"] for a in item["answers"]):
            item["answers"].append(
                {
                    "iri": row["r"],
                    "answerKind": row.get("kind"),
                    "answeredBy": row.get("answeredBy"),
                    "passage": _passage(row, "r"),
                }
            )
    return list(items.values())


def motions(store: GraphStore, key: str | None = None) -> list[dict[str, Any]]:
    """Motions with submitters, the cabinet's appreciation and the follow-up passages."""
    items: dict[str, dict[str, Any]] = {}
    for row in _rows(store, MOTIONS):
        mk = motion_key(row["motionId"])
        if key is not None and key not in (mk, row["motionId"]):
            continue
        item = items.setdefault(
            row["m"],
            {
                "key": mk,
                "iri": row["m"],
                "motionId": row["motionId"],
                "title": row.get("title"),
                "asks": row.get("asks"),
                "submitters": [],
                "appreciations": [],
                "followUps": [],
            },
        )
        if "submitter" in row:
            sub = {"name": row["submitter"], "party": row.get("party")}
            if sub not in item["submitters"]:
                item["submitters"].append(sub)
        if "a" in row and not any(a["iri"] == row["a"] for a in item["appreciations"]):
            item["appreciations"].append(
                {
                    "iri": row["a"],
                    "appreciation": row["appreciation"],
                    "passage": _passage(row, "a"),
                }
            )
        if "f" in row and not any(f["iri"] == row["f"] for f in item["followUps"]):
            item["followUps"].append(
                {"iri": row["f"], "answerKind": row.get("kind"), "passage": _passage(row, "f")}
            )
    return list(items.values())
