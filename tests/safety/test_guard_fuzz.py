"""Property-based fuzzing of the query guard: every input ends in a result or a QueryRejected.

``bench/fuzz.py`` runs the same strategies for tens of thousands of cases.
"""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from strategies import mutated_query, sparql_input

from lexgraph.errors import QueryRejected
from lexgraph.guard import check_query

CODES = {
    "invalid_text",
    "query_too_long",
    "query_too_deep",
    "malformed_query",
    "read_only",
    "service_forbidden",
    "dataset_forbidden",
}


def _check(query: str | bytes) -> None:
    started = time.perf_counter()
    try:
        checked = check_query(query, max_length=20_000, max_depth=64)
    except QueryRejected as exc:
        assert exc.code in CODES, exc.code
        assert 400 <= exc.status < 500
        assert "Traceback" not in exc.message
    else:
        assert checked.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
        assert checked.depth <= 64
        assert "\x00" not in checked.text
        for iri in (*checked.default_graphs, *checked.named_graphs):
            assert not iri.lower().startswith("file:")
    assert time.perf_counter() - started < 5.0


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(sparql_input())
def test_guard_never_raises_anything_but_query_rejected(query: str | bytes) -> None:
    _check(query)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_query())
def test_accepted_mutations_contain_no_service(query: str) -> None:
    try:
        checked = check_query(query, max_length=20_000, max_depth=64)
    except QueryRejected:
        return
    from rdflib.plugins.sparql.parser import parseQuery

    assert "ServiceGraphPattern" not in repr(parseQuery(checked.text))
