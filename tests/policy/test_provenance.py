"""Every anchored fact in the built graph has a provenance row (the named query) whose quote is
the source text's slice at the fact's offsets."""

from __future__ import annotations

from typing import Any

from lexgraph.named_queries import load_queries, run_query

from .harness import ROOT, rows

FACTS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
SELECT DISTINCT ?fact ?doc WHERE { ?fact oa:hasSelector ?sel ; oa:hasSource ?doc . }
"""
TEXTS = """
PREFIX lkg: <https://w3id.org/lexgraph/ontology#>
SELECT ?doc ?text WHERE { ?doc a lkg:Document ; lkg:text ?text . }
"""


def test_every_fact_has_provenance_quoting_its_source(built_store: Any) -> None:
    queries = load_queries(ROOT / "queries")
    texts = {r["doc"]: r["text"] for r in rows(built_store.select(TEXTS))}
    facts = rows(built_store.select(FACTS))
    assert len(facts) > 100
    methods = set()
    for f in facts:
        found = rows(run_query(built_store, queries, "provenance", {"iri": f["fact"]}))
        assert len(found) == 1, f["fact"]
        row = found[0]
        text = texts[f["doc"]]
        assert row["quote"] == text[int(row["start"]) : int(row["end"])], f["fact"]
        assert row["document"] == f["doc"]
        assert row["method"] in {"extracted", "detected", "curated"}
        assert row["agent"]
        methods.add(row["method"])
    assert {"detected", "curated"} <= methods


def test_provenance_of_an_unknown_iri_is_empty(built_store: Any) -> None:
    queries = load_queries(ROOT / "queries")
    result = run_query(built_store, queries, "provenance", {"iri": "https://example.org/none"})
    assert result["results"]["bindings"] == []
