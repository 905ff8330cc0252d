"""The public query path end to end at the library level: execute_user_query on a real store.

One test per row of the "Public query endpoint" table that can be exercised without HTTP.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import DOC_GRAPH, N_SUBJECTS, OTHER_GRAPH, Listener

from lexgraph import query_exec
from lexgraph.errors import LexgraphError
from lexgraph.query_pool import QueryPool, reply_to_result
from lexgraph.settings import Settings
from lexgraph.store.base import RawResult

JSON = "application/sparql-results+json"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
#: 300^4 = 8.1e9 combinations: never finishes within a second.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def run(
    settings: Settings,
    store: Any,
    query: str,
    media_type: str = JSON,
    default: list[str] | None = None,
    named: list[str] | None = None,
    client: str = "192.0.2.1",
) -> RawResult:
    return asyncio.run(
        query_exec.execute_user_query(
            settings, store, query, media_type, default or [], named or [], client
        )
    )


def refused(settings: Settings, store: Any, query: str, **kwargs: Any) -> LexgraphError:
    with pytest.raises(LexgraphError) as info:
        run(settings, store, query, **kwargs)
    error = info.value
    assert "Traceback" not in error.message
    return error


def count(settings: Settings, store: Any) -> int:
    body = json.loads(run(settings, store, COUNT_ALL).body)
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_a_plain_query_works_and_uses_the_union_default_graph(
    settings: Settings, store: Any
) -> None:
    assert count(settings, store) == N_SUBJECTS + 1


def test_service_is_refused_and_nothing_connects(
    settings: Settings, store: Any, listener: Listener
) -> None:
    for query in (
        f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{listener.url}sparql> {{}} }} }}",
    ):
        error = refused(settings, store, query)
        assert (error.status, error.code) == (400, "service_forbidden")
    assert listener.connections == 0


def test_from_urls_and_files_are_never_dereferenced(
    settings: Settings, store: Any, listener: Listener
) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        (f"SELECT * FROM <{listener.url}x> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT * FROM NAMED <{listener.url}x> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", {}),
        ("SELECT ?o WHERE { ?s ?p ?o }", {"default": ["file:///etc/passwd"]}),
        ("SELECT ?o WHERE { ?s ?p ?o }", {"named": [listener.url + "g"]}),
    ]
    for query, kwargs in cases:
        error = refused(settings, store, query, **kwargs)
        assert (error.status, error.code) == (400, "dataset_forbidden"), query
        assert "root:" not in error.message
    assert listener.connections == 0


def test_graph_names_select_local_graphs(settings: Settings, store: Any) -> None:
    only_other = f"SELECT ?s FROM <{OTHER_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert b"http://example.org/other" in run(settings, store, only_other).body
    body = json.loads(run(settings, store, COUNT_ALL, default=[DOC_GRAPH]).body)
    assert body["results"]["bindings"][0]["n"]["value"] == str(N_SUBJECTS)
    # An unknown (but harmless) name is an empty graph by default ...
    assert run(settings, store, "ASK { ?s ?p ?o }", default=["http://example.org/none"]).body == (
        b'{"head":{},"boolean":false}'
    )
    # ... and refused when strict graph names are configured.
    strict = settings.model_copy(update={"strict_graph_names": True})
    error = refused(strict, store, "ASK { ?s ?p ?o }", default=["http://example.org/none"])
    assert error.code == "dataset_forbidden"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        f"DROP GRAPH <{DOC_GRAPH}>",
        "CLEAR ALL",
        "LOAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_update_forms_are_refused_and_the_store_is_unchanged(
    settings: Settings, store: Any, update: str
) -> None:
    before = count(settings, store)
    error = refused(settings, store, update)
    assert (error.status, error.code) == (403, "read_only")
    assert count(settings, store) == before


def test_five_thousand_nested_groups_give_400_and_service_continues(
    settings: Settings, store: Any
) -> None:
    error = refused(settings, store, "SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    assert (error.status, error.code) == (400, "query_too_deep")
    assert count(settings, store) == N_SUBJECTS + 1


def test_expensive_query_hits_the_deadline_and_the_next_query_succeeds(
    settings: Settings, store: Any
) -> None:
    count(settings, store)  # workers warm
    started = time.monotonic()
    error = refused(settings, store, CARTESIAN)
    elapsed = time.monotonic() - started
    assert (error.status, error.code) == (503, "query_timeout")
    assert int(error.headers["Retry-After"]) >= 1
    assert elapsed < settings.query_timeout + 2.0
    assert count(settings, store) == N_SUBJECTS + 1


def test_other_clients_are_served_while_an_expensive_query_runs(
    settings: Settings, store: Any
) -> None:
    count(settings, store)

    async def scenario() -> tuple[BaseException | RawResult, list[float]]:
        slow = asyncio.create_task(
            query_exec.execute_user_query(settings, store, CARTESIAN, JSON, [], [], "10.0.0.1")
        )
        await asyncio.sleep(0.1)
        latencies = []
        for _ in range(5):
            t0 = time.monotonic()
            await query_exec.execute_user_query(settings, store, "ASK {}", JSON, [], [], "10.0.0.2")
            latencies.append(time.monotonic() - t0)
        results = await asyncio.gather(slow, return_exceptions=True)
        return results[0], latencies

    slow_result, latencies = asyncio.run(scenario())
    assert isinstance(slow_result, LexgraphError) and slow_result.code == "query_timeout"
    assert max(latencies) < 0.5


def test_engine_crash_fails_one_request_and_the_pool_recovers(tmp_path: Path) -> None:
    """A 5,000-deep query sent straight to a worker (bypassing the guard) segfaults pyoxigraph."""
    import pyoxigraph as ox

    from lexgraph.snapshots import SnapshotPublisher, snapshot_root

    live = ox.Store(str(tmp_path / "store"))
    live.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    pool = QueryPool(
        snapshot_root(tmp_path / "store"),
        2,
        publisher=SnapshotPublisher(lambda: live, tmp_path / "store"),
    )
    pool.start()
    try:
        assert pool.wait_ready(60)

        def job(query: str) -> dict[str, Any]:
            return {
                "query": query,
                "media_type": JSON,
                "default": None,
                "named": None,
                "query_has_dataset": False,
                "check_graphs": [],
                "row_cap": 10,
                "byte_cap": 100_000,
            }

        with pytest.raises(LexgraphError) as info:
            pool.run(job("SELECT * WHERE " + "{" * 5000 + "}" * 5000), timeout=10)
        assert (info.value.status, info.value.code) == (503, "engine_crashed")
        assert "Retry-After" in info.value.headers
        assert pool.stats.crashes == 1
        for _ in range(4):
            assert reply_to_result(pool.run(job("ASK { ?s ?p ?o }"), timeout=10)).body == (
                b'{"head":{},"boolean":true}'
            )
        # A worker killed from outside while idle is replaced too.
        assert pool.wait_ready(60)
        victim = pool._idle[0].process.pid
        os.kill(victim, signal.SIGKILL)
        time.sleep(0.2)
        for _ in range(4):
            reply_to_result(pool.run(job("ASK {}"), timeout=10))
        assert victim not in pool._all
    finally:
        pool.close()


def test_row_cap_truncates_with_an_explicit_flag(settings: Settings, store: Any) -> None:
    everything = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    for media_type in (
        JSON,
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ):
        result = run(settings, store, everything, media_type)
        assert result.truncated is True
    rows = json.loads(run(settings, store, everything).body)["results"]["bindings"]
    assert len(rows) == settings.result_cap
    lines = run(settings, store, everything, "text/csv").body.decode().splitlines()
    assert len(lines) == settings.result_cap + 1
    graph = run(settings, store, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert graph.truncated is True
    assert len(graph.body.decode().splitlines()) == settings.result_cap
    within = run(settings, store, everything + " LIMIT 7")
    assert within.truncated is False
    assert len(json.loads(within.body)["results"]["bindings"]) == 7


def test_byte_cap_truncates_with_an_explicit_flag(settings: Settings, store: Any) -> None:
    small = settings.model_copy(update={"max_result_bytes": 2_000, "result_cap": 10_000})
    result = run(small, store, "SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert result.truncated is True
    assert len(result.body) <= 2_000
    assert json.loads(result.body)["results"]["bindings"]  # still a valid, non-empty document
    graph = run(small, store, "CONSTRUCT WHERE { ?s ?p ?o }", "text/turtle")
    assert graph.truncated is True and len(graph.body) <= 2_000


@pytest.mark.parametrize("query", ["SELECT * {}\x00", "SELECT ?x { ?x <p> '\ud800' }"])
def test_invalid_text_is_400(settings: Settings, store: Any, query: str) -> None:
    assert refused(settings, store, query).code == "invalid_text"


def test_form_and_media_type_must_match(settings: Settings, store: Any) -> None:
    error = refused(settings, store, "CONSTRUCT WHERE { ?s ?p ?o }", media_type=JSON)
    assert (error.status, error.code) == (406, "not_acceptable")
    ok = run(settings, store, "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/ld+json")
    assert json.loads(ok.body)


def test_malformed_query_reports_position(settings: Settings, store: Any) -> None:
    error = refused(settings, store, "SELECT ?x WHERE { ?x ?p }")
    assert error.code == "malformed_query" and "column" in error.message


def test_writes_become_visible_to_the_workers(settings: Settings, store: Any) -> None:
    assert count(settings, store) == N_SUBJECTS + 1
    store.replace_graph(
        "https://w3id.org/lexgraph/graph/doc/new",
        b'<http://example.org/new> <http://example.org/p> "fresh" .\n',
    )
    assert count(settings, store) == N_SUBJECTS + 2
    ask = 'ASK { <http://example.org/new> ?p "fresh" }'
    assert run(settings, store, ask).body == b'{"head":{},"boolean":true}'


def test_quota_errors_then_429_with_retry_after(settings: Settings, store: Any) -> None:
    limited = settings.model_copy(update={"quota_errors_per_minute": 3})
    for _ in range(3):
        refused(limited, store, "SELECT nonsense", client="198.51.100.7")
    error = refused(limited, store, "ASK {}", client="198.51.100.7")
    assert (error.status, error.code) == (429, "quota_exceeded")
    assert int(error.headers["Retry-After"]) > 0
    run(limited, store, "ASK {}", client="198.51.100.8")  # another client is fine


def test_quota_query_seconds(settings: Settings, store: Any) -> None:
    limited = settings.model_copy(update={"quota_query_seconds_per_minute": 1.5})
    refused(limited, store, CARTESIAN, client="203.0.113.9")  # ~1 s
    refused(limited, store, CARTESIAN, client="203.0.113.9")  # ~2 s in total now
    error = refused(limited, store, "ASK {}", client="203.0.113.9")
    assert (error.status, error.code) == (429, "quota_exceeded")
    assert "query-time budget" in error.message


def test_memory_hungry_query_fails_alone(settings: Settings, store: Any) -> None:
    """Sorting a 27-million-row product needs gigabytes: the worker's heap cap stops it."""
    capped = settings.model_copy(update={"worker_memory_mb": 192, "query_timeout": 20.0})
    assert count(capped, store) == N_SUBJECTS + 1
    hungry = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?x ?y ?z LIMIT 1"
    started = time.monotonic()
    error = refused(capped, store, hungry)
    assert (error.status, error.code) == (503, "engine_crashed")
    assert time.monotonic() - started < 15
    assert count(capped, store) == N_SUBJECTS + 1
