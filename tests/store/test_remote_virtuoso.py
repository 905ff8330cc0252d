"""The whole service on the remote backend, against a real Virtuoso 7 (see conftest.py).

The seed graph is built into Virtuoso by the README's ``lexgraph build`` (over a copy of
graph_data) and, for comparison, into an embedded store; then: the same quads, every named query
against its golden result, the REST API answering as on the embedded store, ``lexgraph serve``
with two workers (README) serving /documents, /queries and /sparql and reading an ingest made
through either worker, and clear errors when the server is unreachable or refuses.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import time
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from conftest import (
    ROOT,
    Virtuoso,
    free_port,
    lexgraph_command,
    readme_lines,
    server_env,
)
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app
from lexgraph.build import DUMP_NAME, run_build
from lexgraph.named_queries import load_queries, run_query
from lexgraph.settings import Settings
from lexgraph.store import StoreError, StoreTimeout, open_store
from lexgraph.store.remote import GRAPH_NAMESPACE, RemoteStore

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GOLDEN = ROOT / "queries" / "golden"
CASES = tomllib.loads((GOLDEN / "cases.toml").read_text(encoding="utf-8"))["case"]
QUERIES = load_queries(ROOT / "queries")
TOKEN = "remote-test-token-51c2"
#: Columns that are "; "-joined sets (as in tests/policy/test_golden.py).
SET_COLUMNS = {"submitters"}


def normalise(result: dict[str, Any]) -> dict[str, Any]:
    """Rows as a sorted list of {column: value}, as the golden files hold them."""
    rows = [
        {
            k: "; ".join(sorted(v["value"].split("; "))) if k in SET_COLUMNS else v["value"]
            for k, v in sorted(row.items())
        }
        for row in result["results"]["bindings"]
    ]
    rows.sort(key=lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True))
    return {"vars": result["head"]["vars"], "rows": rows}


def canonical(nquads: bytes) -> set[ox.Quad]:
    """Quads as stored values (an Oxigraph store writes each literal in canonical form)."""
    store = ox.Store()
    store.load(nquads, ox.RdfFormat.N_QUADS)
    return set(store)


@dataclass
class Seeded:
    virtuoso: Virtuoso
    remote: Settings
    embedded: Settings
    dump: bytes
    build_log: str


@pytest.fixture(scope="module")
def seeded(virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    """The seed graph built into Virtuoso by the README's command, and into an embedded store."""
    tmp = tmp_path_factory.mktemp("remote-build")
    data = tmp / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    # a stale lexgraph graph on the server, which the build must drop
    stale = virtuoso.settings()
    store = RemoteStore(stale)
    store.replace_graph(
        GRAPH_NAMESPACE + "doc/stale", b"<http://x/s> <http://x/p> <http://x/o> .\n"
    )
    store.close()
    (command,) = readme_lines("lexgraph build")
    env = server_env({**virtuoso.env, "LEXGRAPH_DATA_DIR": str(data)})
    done = subprocess.run(
        lexgraph_command(*shlex.split(command)[1:]),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    dump = (data / "build" / DUMP_NAME).read_bytes()
    embedded = Settings(store=tmp / "store", data_dir=data)
    assert run_build(embedded) == 0
    return Seeded(virtuoso, virtuoso.settings(data_dir=data), embedded, dump, done.stderr)


def test_build_loads_the_same_quads(seeded: Seeded) -> None:
    assert "dropped " + GRAPH_NAMESPACE + "doc/stale" in seeded.build_log
    remote = open_store(seeded.remote)
    embedded = open_store(seeded.embedded, read_only=True)
    try:
        assert remote.graph_names() == embedded.graph_names()
        assert len(remote.graph_names()) == 8
        assert remote.count() == embedded.count() == seeded.dump.count(b"\n")
        assert canonical(remote.dump_nquads()) == canonical(seeded.dump)
    finally:
        remote.close()
        embedded.close()


@pytest.mark.parametrize("case", CASES, ids=[c["file"].removesuffix(".json") for c in CASES])
def test_named_queries_give_the_golden_results(seeded: Seeded, case: dict[str, Any]) -> None:
    store = open_store(seeded.remote)
    try:
        got = normalise(run_query(store, QUERIES, case["query"], case.get("params", {})))
    finally:
        store.close()
    expected = json.loads((GOLDEN / case["file"]).read_text(encoding="utf-8"))
    assert got == expected


#: REST reads compared between the two backends (JSON bodies, equal after sorting lists).
REST_PATHS = [
    "/documents?limit=50",
    "/documents/6511548",
    "/documents/7747653",
    "/documents/2025-07-beslisnota-verzamelbrief-opvang-oekraine",
    "/instruments/celex:32001L0055",
    "/instruments/celex:32001L0055/citations?limit=100",
    "/instruments/celex:32011L0095/citations?limit=100",
    "/commitments",
    "/commitments/appreciatie-motie-piri",
    "/motions",
    "/motions/piri",
    "/queries",
    "/queries/motions",
    "/queries/citations-of?id=celex:32013L0032",
    "/provenance?iri=https://w3id.org/lexgraph/id/commitment/appreciatie-motie-piri",
    "/documents/no-such-document",
    "/instruments/celex:not-an-id",
]


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def test_rest_api_answers_as_on_the_embedded_store(seeded: Seeded) -> None:
    with (
        TestClient(create_app(seeded.embedded)) as local,
        TestClient(create_app(seeded.remote)) as remote,
    ):
        for path in REST_PATHS:
            a, b = local.get(path), remote.get(path)
            assert a.status_code == b.status_code, path
            assert _sorted(a.json()) == _sorted(b.json()), path
        health = remote.get("/health").json()
        assert health["store"]["backend"] == "sparql"
        assert health["store"]["triples"] == seeded.dump.count(b"\n")
        exported = remote.get("/export?format=nquads")
        assert canonical(exported.content) == canonical(seeded.dump)


# --- a live server: two uvicorn workers over one store ---------------------------------------
@dataclass
class Live:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def live(seeded: Seeded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The README's ``lexgraph serve --workers 2`` on a free loopback port."""
    (command,) = readme_lines("lexgraph serve")
    port = free_port()
    log = tmp_path_factory.mktemp("live") / "server.log"
    env = server_env(
        {
            **seeded.virtuoso.env,
            "LEXGRAPH_DATA_DIR": str(seeded.remote.data_dir),
            "LEXGRAPH_INGEST_TOKEN": TOKEN,
            "LEXGRAPH_QUERY_TIMEOUT": "5",
        }
    )
    args = [*shlex.split(command)[1:], "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            lexgraph_command(*args),
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Live(f"http://127.0.0.1:{port}", proc, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(server.base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        yield server
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _workers(proc: subprocess.Popen[bytes]) -> list[int]:
    """Process ids of the uvicorn workers (children of the supervisor, which runs the app)."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    workers = []
    for pid in children:  # not multiprocessing's resource tracker
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"spawn_main" in cmdline:
            workers.append(int(pid))
    return workers


def test_live_server_answers_documents_queries_and_sparql(live: Live, seeded: Seeded) -> None:
    health = httpx.get(live.base + "/health", timeout=30).json()
    assert health["status"] == "ok" and health["store"]["backend"] == "sparql"
    documents = httpx.get(live.base + "/documents", timeout=30).json()
    assert documents["total"] == 5
    motions = httpx.get(live.base + "/queries/motions", timeout=30).json()
    assert normalise(motions) == json.loads((GOLDEN / "motions.json").read_text("utf-8"))
    count = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{GRAPH_NAMESPACE}")) }}'
    )
    answer = httpx.get(live.base + "/sparql", params={"query": count}, timeout=30)
    assert answer.status_code == 200
    assert answer.json() == {
        "head": {"vars": ["n"]},
        "results": {
            "bindings": [
                {
                    "n": {
                        "type": "literal",
                        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                        "value": str(seeded.dump.count(b"\n")),
                    }
                }
            ]
        },
    }
    csv = httpx.post(
        live.base + "/sparql",
        data={"query": "SELECT ?d WHERE { ?d a <https://w3id.org/lexgraph/ontology#Document> }"},
        headers={"Accept": "text/csv"},
        timeout=30,
    )
    assert csv.status_code == 200 and csv.text.startswith("d\r\n")
    assert len(csv.text.strip().splitlines()) == 6
    capped = httpx.get(
        live.base + "/sparql",
        params={"query": "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 20000"},
        timeout=30,
    )
    assert capped.headers.get("x-lexgraph-truncated") == "true"  # over the 10,000-row cap
    assert len(capped.json()["results"]["bindings"]) == 10_000


def test_live_server_keeps_the_guard_and_reports_server_refusals(live: Live) -> None:
    def sparql(query: str) -> httpx.Response:
        return httpx.get(live.base + "/sparql", params={"query": query}, timeout=30)

    refused = sparql("DROP ALL")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"
    service = sparql("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    assert service.json()["error"]["code"] == "service_forbidden"
    # SPARQL makes 1/0 an unbound value; Virtuoso refuses the query: a clear 400, not a 5xx
    division = sparql("SELECT (1/0 AS ?x) WHERE {}")
    assert division.status_code == 400, division.text
    assert division.json()["error"]["code"] == "evaluation_failed"


def test_two_workers_serve_one_store_after_an_ingest(live: Live) -> None:
    assert len(_workers(live.proc)) == 2
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {
        "text": "Geachte voorzitter,\n\nDe Richtlijn 2001/55/EG blijft van toepassing.\n",
        "metadata": {"title": "Schaalbrief", "date": "2026-07-10", "reference": "9990042"},
    }
    for round_ in range(2):  # the second post replaces the graph, through whichever worker
        posted = httpx.post(live.base + "/documents", json=body, headers=auth, timeout=60)
        assert posted.status_code == 201, posted.text
        assert posted.json()["replaced"] is (round_ == 1)
        for _ in range(12):  # a new connection each time: the kernel picks the worker
            got = httpx.get(live.base + "/documents/9990042", timeout=30)
            assert got.status_code == 200
            assert got.json()["title"] == "Schaalbrief"
            listed = httpx.get(live.base + "/documents?limit=50", timeout=30).json()
            assert listed["total"] == 6
    deleted = httpx.delete(live.base + "/documents/9990042", headers=auth, timeout=60)
    assert deleted.status_code == 200
    for _ in range(12):
        assert httpx.get(live.base + "/documents/9990042", timeout=30).status_code == 404
    assert httpx.get(live.base + "/documents", timeout=30).json()["total"] == 5
    assert len(_workers(live.proc)) == 2


# --- failures are clear ------------------------------------------------------------------------
def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    dead = Settings(
        backend="sparql",
        sparql_query_url=f"http://127.0.0.1:{free_port()}/sparql",
        data_dir=ROOT / "graph_data",
        store=tmp_path / "unused",
    )
    store = RemoteStore(dead)
    with pytest.raises(StoreError, match="cannot reach the SPARQL server"):
        store.count()
    store.close()
    with TestClient(create_app(dead)) as client:
        answer = client.get("/documents")
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "store_unavailable"
        assert answer.headers["retry-after"]
        assert client.get("/health").status_code == 503
    with pytest.raises(StoreError, match="LEXGRAPH_SPARQL_QUERY_URL"):
        open_store(Settings(backend="sparql"))


def test_wrong_password_and_slow_queries_are_clear_errors(seeded: Seeded) -> None:
    wrong = RemoteStore(seeded.virtuoso.settings(sparql_password="not-the-password"))
    with pytest.raises(StoreError, match="401"):
        wrong.replace_graph(GRAPH_NAMESPACE + "doc/x", b"")
    wrong.close()
    slow = RemoteStore(seeded.virtuoso.settings(query_timeout=1.0))
    started = time.monotonic()
    with pytest.raises(StoreTimeout):
        slow.query_raw(
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "application/sparql-results+json",
        )
    assert time.monotonic() - started < 10
    slow.close()


def test_bindings_with_quotes_reach_the_server_as_one_literal(seeded: Seeded) -> None:
    store = RemoteStore(seeded.remote)
    try:
        for value in ['6511548" } UNION { ?doc ?p ?o } #', "6511548\\", "65'11548"]:
            with pytest.raises(Exception, match="no document with identifier"):
                run_query(store, QUERIES, "questions-answers", {"document": value})
        assert store.count() == seeded.dump.count(b"\n")
    finally:
        store.close()
