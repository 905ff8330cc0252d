"""Commitments and motions as plain JSON for the REST API and the web page.

One SPARQL query per resource kind; rows are grouped here so that a commitment carries all its
answering passages (document id, quote, offsets, kind of answer) in one object.
"""

from __future__ import annotations

import re
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

#: the passage anchoring each of the given nodes (VALUES is filled with IRIs read from the store)
ANCHORS = """
SELECT ?n ?DocId ?Start ?End ?Quote
WHERE {
  VALUES ?n { %s }
  ?n oa:hasSource ?doc ; oa:hasSelector ?pos , ?q .
  ?pos oa:start ?Start ; oa:end ?End .
  ?q oa:exact ?Quote .
  OPTIONAL { ?doc lkg:documentId ?DocId }
}
ORDER BY ?n ?DocId ?Start ?End
"""

# The anchors are read by a second query for the nodes found: pyoxigraph plans a query with
# nested OPTIONAL anchors badly (seconds on the seed graph, against milliseconds for the parts).
# People, bodies, debates, documents and motions are described again in every document that
# mentions them, and the union default graph matches such a description once per graph: their
# names, titles and identifiers are read once each through DISTINCT subqueries before the joins.
# A subquery in an OPTIONAL nested in another OPTIONAL was evaluated again for every solution
# on its left (seconds at 1,000 documents): such descriptions are read for the distinct nodes
# first, in one subquery.
COMMITMENTS = (
    PREFIXES
    + """
SELECT DISTINCT ?c ?text ?madeBy ?madeTo ?madeOn ?deadline ?debate ?debateTitle ?status
WHERE {
  ?c a lkg:Commitment .
  OPTIONAL { ?c dcterms:description ?text }
  OPTIONAL {
    ?c lkg:madeBy ?by .
    { SELECT DISTINCT ?by ?madeBy WHERE { ?by foaf:name ?madeBy } }
  }
  OPTIONAL {
    ?c lkg:madeTo ?to .
    { SELECT DISTINCT ?to ?madeTo WHERE { ?to foaf:name ?madeTo } }
  }
  OPTIONAL { ?c lkg:madeOn ?madeOn }
  OPTIONAL { ?c lkg:deadline ?deadline }
  OPTIONAL {
    ?c lkg:madeDuring ?debate .
    {
      SELECT DISTINCT ?debate ?debateTitle WHERE {
        { SELECT DISTINCT ?debate WHERE { ?any lkg:madeDuring ?debate } }
        OPTIONAL { ?debate dcterms:title ?debateTitle }
      }
    }
  }
  OPTIONAL { ?c lkg:status ?st . BIND(REPLACE(STR(?st), "^.*/", "") AS ?status) }
}
ORDER BY ?c
"""
)

COMMITMENT_ANSWERS = (
    PREFIXES
    + """
SELECT DISTINCT ?c ?r ?kind ?answeredIn ?answeredBy
WHERE {
  ?c a lkg:Commitment .
  ?r lkg:respondsTo ?c ; lkg:answerKind ?k .
  BIND(REPLACE(STR(?k), "^.*/", "") AS ?kind)
  OPTIONAL {
    ?r lkg:answeredIn ?answeredIn .
    {
      SELECT DISTINCT ?answeredIn ?answeredBy WHERE {
        { SELECT DISTINCT ?answeredIn WHERE { ?any lkg:answeredIn ?answeredIn } }
        OPTIONAL { ?answeredIn lkg:documentId ?aid }
        OPTIONAL { ?answeredIn dcterms:identifier ?aident }
        BIND(COALESCE(?aid, REPLACE(STR(?aident), "^kst:", "kst-"),
                      REPLACE(STR(?answeredIn), "^.*/", "")) AS ?answeredBy)
      }
    }
  }
}
ORDER BY ?c ?r
"""
)

MOTIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?m ?motionId ?title ?asks
WHERE {
  { SELECT DISTINCT ?m WHERE { ?m a lkg:Motion } }
  { SELECT DISTINCT ?m ?motionId WHERE { ?m dcterms:identifier ?motionId } }
  OPTIONAL { { SELECT DISTINCT ?m ?title WHERE { ?m dcterms:title ?title } } }
  OPTIONAL { { SELECT DISTINCT ?m ?asks WHERE { ?m lkg:asks ?asks } } }
}
ORDER BY ?motionId ?m
"""
)

MOTION_SUBMITTERS = (
    PREFIXES
    + """
SELECT DISTINCT ?m ?submitter ?party
WHERE {
  { SELECT DISTINCT ?m WHERE { ?m a lkg:Motion } }
  { SELECT DISTINCT ?m ?s WHERE { ?m lkg:submittedBy ?s } }
  { SELECT DISTINCT ?s ?submitter WHERE { ?s foaf:name ?submitter } }
  OPTIONAL {
    { SELECT DISTINCT ?s ?partyNode WHERE { ?s lkg:party ?partyNode } }
    { SELECT DISTINCT ?partyNode ?party WHERE { ?partyNode skos:prefLabel ?party } }
  }
}
ORDER BY ?m ?submitter ?party
"""
)

MOTION_APPRECIATIONS = (
    PREFIXES
    + """
SELECT DISTINCT ?m ?a ?appreciation
WHERE {
  { SELECT DISTINCT ?m WHERE { ?m a lkg:Motion } }
  ?a lkg:appreciationOf ?m ; lkg:appreciation ?ap .
  BIND(REPLACE(STR(?ap), "^.*/", "") AS ?appreciation)
}
ORDER BY ?m ?a
"""
)

MOTION_FOLLOW_UPS = (
    PREFIXES
    + """
SELECT DISTINCT ?m ?f ?kind
WHERE {
  { SELECT DISTINCT ?m WHERE { ?m a lkg:Motion } }
  ?f lkg:respondsTo ?m .
  OPTIONAL { ?f lkg:answerKind ?k . BIND(REPLACE(STR(?k), "^.*/", "") AS ?kind) }
}
ORDER BY ?m ?f
"""
)


def _rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    result = store.select(sparql)
    return [
        {k: v["value"] for k, v in row.items()}
        for row in result.get("results", {}).get("bindings", [])
    ]


#: characters that cannot occur in an IRI written between angle brackets
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _anchored(store: GraphStore, rows: list[dict[str, str]], node: str, p: str) -> None:
    """Add the first anchor of each row's ``node`` to the row, as ``{p}DocId``, ``{p}Start``,
    ``{p}End`` and ``{p}Quote``."""
    iris = sorted({r[node] for r in rows if node in r and not _NOT_IN_IRI.search(r[node])})
    if not iris:
        return
    first: dict[str, dict[str, str]] = {}
    for a in _rows(store, PREFIXES + ANCHORS % " ".join(f"<{i}>" for i in iris)):
        first.setdefault(a["n"], a)
    for r in rows:
        anchor = first.get(r.get(node, ""))
        if anchor:
            r.update({p + k: v for k, v in anchor.items() if k != "n"})


def _grouped(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        out.setdefault(r[key], []).append(r)
    return out


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
    rows = _rows(store, COMMITMENTS)
    answers = _rows(store, COMMITMENT_ANSWERS)
    _anchored(store, rows, "c", "c")
    _anchored(store, answers, "r", "r")
    by_commitment = _grouped(answers, "c")
    # one row per commitment and answer, as a single query with OPTIONAL answers would give
    joined = [{**row, **a} for row in rows for a in by_commitment.get(row["c"], [{}])]
    for row in joined:
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
    appreciations = _rows(store, MOTION_APPRECIATIONS)
    follow_ups = _rows(store, MOTION_FOLLOW_UPS)
    _anchored(store, appreciations, "a", "a")
    _anchored(store, follow_ups, "f", "f")
    parts = [
        _grouped(_rows(store, MOTION_SUBMITTERS), "m"),
        _grouped(appreciations, "m"),
        _grouped(follow_ups, "m"),
    ]
    joined = [{**row, **extra} for row in _rows(store, MOTIONS) for extra in _extras(row, parts)]
    for row in joined:
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


def _extras(
    row: dict[str, str], parts: list[dict[str, list[dict[str, str]]]]
) -> list[dict[str, str]]:
    """The rows of each part for this motion, one after another (each is read on its own)."""
    out = [extra for part in parts for extra in part.get(row["m"], [])]
    return out or [{}]
