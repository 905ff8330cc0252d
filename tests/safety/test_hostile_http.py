"""Every row of the hostile-input list (HOSTILE.md, "What a public legal-KG service must survive"),
sent to a real ``lexgraph serve`` on 127.0.0.1.

Each case asserts the status, the error code, that the body carries no traceback, that the store
is unchanged (quad count and a hash of the full N-Quads export), that the server is still alive,
and that a loopback listener the hostile input points at never received a connection. Rows whose
point is a sequence (keep serving while a query is killed, idempotent retry, one writer, fail
closed on a broken store) have their own test below the table, each naming its row.
kill -9 between validation and commit is ``test_crash.py``.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import live_server as ls
import pytest
from conftest import DOC_GRAPH, Listener, fill

pytestmark = pytest.mark.integration

# --- the rows of HOSTILE.md ---------------------------------------------------------------------
Q_SERVICE = "query: any SERVICE clause"
Q_FROM = "query: FROM/FROM NAMED/default-graph-uri naming a URL or file"
Q_UPDATE = "query: update forms on the query endpoint"
Q_DEEP = "query: deeply nested query"
Q_EXPENSIVE = "query: expensive query"
Q_CRASH = "query: engine crash on a query"
Q_CAP = "query: backend hits its own row cap or timeout"
Q_HUGE = "query: huge result"
Q_OVERSIZE = "query: oversized body or URL"
Q_PROTOCOL = "query: protocol misuse"
Q_TEXT = "query: invalid UTF-8, NUL bytes, lone surrogates"
Q_ACCEPT = "query: missing or unsupported Accept"
Q_SLOW = "query: many concurrent slow clients"
I_TOKEN = "ingest: missing/invalid token"
I_BODY = "ingest: oversized or compressed-bomb body"
I_FORMATS = "ingest: RDF/XML with a DTD or entities; JSON-LD with remote contexts"
I_DEEP = "ingest: deeply nested payloads"
I_TERMS = "ingest: invalid IRIs, relative IRIs, javascript:/file: schemes, ill-typed literals, bad language tags"  # noqa: E501
I_GRAPH = "ingest: a document writing outside its own named graph"
I_SHACL = "ingest: SHACL violation"
I_SLOW = "ingest: slow validation"
I_RETRY = "ingest: retry of the same document"
I_CONCURRENT = "ingest: concurrent writes to the same document"
I_CORRUPT = "ingest: corrupted or unwritable store at start"

#: One client for the module: a new httpx client costs ~0.1 s (its TLS context).
HTTP = httpx.Client(timeout=60)
QUERY_TIMEOUT = 1.5
RESULT_CAP = 50
MAX_BODY = 100_000
AUTH = {"Authorization": f"Bearer {ls.TOKEN}"}
TEXT = (
    "Geachte voorzitter,\n\nHierbij informeer ik uw Kamer over de Richtlijn 2001/55/EG. De "
    "Vreemdelingenwet 2000 blijft onverkort van toepassing.\n"
)
META = {"title": "Brief", "date": "2026-07-10", "type": "Kamerbrief", "reference": "9990001"}
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HUNGRY = "SELECT ?a ?b ?c WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z } ORDER BY ?x ?y ?z LIMIT 1"
DEEP_GROUPS = "SELECT * WHERE " + "{" * 5000 + "}" * 5000


@dataclass(frozen=True)
class Case:
    """One hostile request; ``{listener}`` in any string is the loopback listener's URL."""

    row: str
    id: str
    method: str
    path: str
    status: int
    code: str | None
    params: list[tuple[str, str]] = field(default_factory=list)
    content: bytes | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    expect_headers: dict[str, str] = field(default_factory=dict)
    names: str | None = None  # must appear in the error message or report
    absent: tuple[str, ...] = ()  # must not appear anywhere in the body


def q(row: str, id: str, query: str, status: int, code: str | None, **kw: Any) -> Case:
    return Case(row, id, "GET", "/sparql", status, code, params=[("query", query)], **kw)


def post_q(row: str, id: str, body: bytes, status: int, code: str | None, **kw: Any) -> Case:
    headers = {"Content-Type": "application/sparql-query", **kw.pop("headers", {})}
    return Case(row, id, "POST", "/sparql", status, code, content=body, headers=headers, **kw)


def ingest(row: str, id: str, status: int, code: str | None, **kw: Any) -> Case:
    headers = {**AUTH, **kw.pop("headers", {})}
    return Case(row, id, "POST", "/documents", status, code, headers=headers, **kw)


def meta(**changes: Any) -> dict[str, Any]:
    return {k: v for k, v in {**META, **changes}.items() if v is not None}


def nested(depth: int) -> bytes:
    return b'{"text": "a", "metadata": {"title": ' + b"[" * depth + b"]" * depth + b"}}"


RETRY = {"Retry-After": ""}  # present, any value

# fmt: off
CASES = [
    # ---- public query endpoint ----
    q(Q_SERVICE, "service", "SELECT * WHERE { SERVICE <{listener}> { ?s ?p ?o } }", 400,
      "service_forbidden"),
    post_q(Q_SERVICE, "service-silent-nested",
           b"SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <{listener}sparql> "
           b"{ ?s ?q ?r } } }",
           400, "service_forbidden"),
    q(Q_SERVICE, "service-variable",
      "SELECT * WHERE { BIND(<{listener}> AS ?e) SERVICE ?e { ?s ?p ?o } }", 400,
      "service_forbidden"),
    q(Q_FROM, "from-file", "SELECT ?o FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", 400,
      "dataset_forbidden", absent=("root:",)),
    q(Q_FROM, "from-loopback", "SELECT ?o FROM <{listener}data.ttl> WHERE { ?s ?p ?o }", 400,
      "dataset_forbidden"),
    q(Q_FROM, "from-named-loopback",
      "SELECT ?o FROM NAMED <{listener}g> WHERE { GRAPH ?g { ?s ?p ?o } }", 400,
      "dataset_forbidden"),
    Case(Q_FROM, "default-graph-uri-file", "GET", "/sparql", 400, "dataset_forbidden",
         params=[("query", "SELECT ?o WHERE { ?s ?p ?o }"),
                 ("default-graph-uri", "file:///etc/passwd")], absent=("root:",)),
    Case(Q_FROM, "named-graph-uri-loopback", "GET", "/sparql", 400, "dataset_forbidden",
         params=[("query", "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"),
                 ("named-graph-uri", "{listener}g")]),
    q(Q_UPDATE, "insert-data", "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }", 403,
      "read_only"),
    q(Q_UPDATE, "delete-where", "DELETE WHERE { ?s ?p ?o }", 403, "read_only"),
    q(Q_UPDATE, "load-loopback", "LOAD <{listener}data.ttl>", 403, "read_only"),
    q(Q_UPDATE, "clear-all", "CLEAR ALL", 403, "read_only"),
    q(Q_UPDATE, "drop-graph", f"DROP GRAPH <{DOC_GRAPH}>", 403, "read_only"),
    Case(Q_UPDATE, "update-parameter", "POST", "/sparql", 403, "read_only",
         content=b"update=DROP%20ALL",
         headers={"Content-Type": "application/x-www-form-urlencoded"}),
    post_q(Q_UPDATE, "sparql-update-type", b"CLEAR ALL", 403, "read_only",
           headers={"Content-Type": "application/sparql-update"}),
    q(Q_DEEP, "5000-groups", DEEP_GROUPS, 400, "query_too_deep"),
    post_q(Q_DEEP, "5000-parentheses",
           b"SELECT * WHERE { ?s ?p ?o FILTER(" + b"(" * 5000 + b"1" + b")" * 5000 + b") }",
           400, "query_too_deep"),
    q(Q_EXPENSIVE, "cartesian", CARTESIAN, 503, "query_timeout", expect_headers=RETRY),
    q(Q_EXPENSIVE, "unbounded-path",
      "SELECT (COUNT(*) AS ?n) WHERE "
      "{ ?a !<http://e/x>* ?b . ?c !<http://e/x>* ?d . ?e !<http://e/x>* ?f }",
      503, "query_timeout", expect_headers=RETRY),
    q(Q_CRASH, "heap-exhaustion", HUNGRY, 503, "engine_crashed", expect_headers=RETRY),
    q(Q_CAP, "row-cap-marked", "SELECT ?s ?o WHERE { ?s ?p ?o }", 200, None,
      expect_headers={"X-Lexgraph-Truncated": "true"}),
    Case(Q_HUGE, "construct-capped", "GET", "/sparql", 200, None,
         params=[("query", "CONSTRUCT WHERE { ?s ?p ?o }")],
         headers={"Accept": "application/n-triples"},
         expect_headers={"X-Lexgraph-Truncated": "true"}),
    post_q(Q_OVERSIZE, "body-over-cap", b"ASK {}" + b" " * (MAX_BODY + 10), 413,
           "payload_too_large"),
    post_q(Q_OVERSIZE, "query-over-length", b"ASK {}" + b" " * 25_000, 413, "query_too_long"),
    Case(Q_PROTOCOL, "two-queries", "GET", "/sparql", 400, "multiple_queries",
         params=[("query", "ASK {}"), ("query", "ASK {}")]),
    Case(Q_PROTOCOL, "query-and-update", "GET", "/sparql", 400, "query_and_update",
         params=[("query", "ASK {}"), ("update", "CLEAR ALL")]),
    Case(Q_PROTOCOL, "post-without-type", "POST", "/sparql", 400, "missing_content_type",
         content=b"query=ASK%20%7B%7D"),
    post_q(Q_PROTOCOL, "wrong-type", b"ASK {}", 400, "unsupported_media_type",
           headers={"Content-Type": "text/plain"}),
    post_q(Q_PROTOCOL, "utf16-charset", "ASK {}".encode("utf-16"), 400, "unsupported_charset",
           headers={"Content-Type": "application/sparql-query; charset=UTF-16"}),
    Case(Q_PROTOCOL, "put", "PUT", "/sparql", 405, "method_not_allowed",
         params=[("query", "ASK {}")]),
    post_q(Q_TEXT, "invalid-utf8", b"ASK { \xff }", 400, "invalid_encoding"),
    post_q(Q_TEXT, "nul", b"ASK { \x00 }", 400, "invalid_encoding"),
    post_q(Q_TEXT, "lone-surrogate", b"ASK { \xed\xa0\x80 }", 400, "invalid_encoding"),
    Case(Q_TEXT, "url-invalid-utf8", "GET", "/sparql?query=ASK%20%7B%FF%7D", 400,
         "invalid_encoding"),
    Case(Q_TEXT, "url-nul", "GET", "/sparql?query=ASK%20%7B%00%7D", 400, "invalid_encoding"),
    q(Q_ACCEPT, "no-accept", "ASK { ?s ?p ?o }", 200, None,
      expect_headers={"Content-Type": "application/sparql-results+json"}),
    Case(Q_ACCEPT, "unservable-accept", "GET", "/sparql", 406, "not_acceptable",
         params=[("query", "ASK {}")], headers={"Accept": "image/png"}),
    Case(Q_ACCEPT, "select-as-turtle", "GET", "/sparql", 406, "not_acceptable",
         params=[("query", "SELECT * WHERE { ?s ?p ?o }")], headers={"Accept": "text/turtle"}),
    # ---- authenticated ingest ----
    Case(I_TOKEN, "no-token", "POST", "/documents", 401, "unauthorized",
         json={"text": TEXT, "metadata": META}),
    Case(I_TOKEN, "wrong-token", "POST", "/documents", 403, "forbidden",
         json={"text": TEXT, "metadata": META}, headers={"Authorization": "Bearer nope"}),
    Case(I_TOKEN, "basic-auth", "POST", "/documents", 401, "unauthorized",
         json={"text": TEXT, "metadata": META}, headers={"Authorization": "Basic dTpw"}),
    Case(I_TOKEN, "delete-wrong-token", "DELETE", "/documents/9990001", 403, "forbidden",
         headers={"Authorization": "Bearer nope"}),
    ingest(I_BODY, "over-cap", 413, "payload_too_large",
           json={"text": "x" * (MAX_BODY + 10), "metadata": META}),
    ingest(I_BODY, "gzip-bomb", 415, "unsupported_media_type",
           content=gzip.compress(b'{"text": "' + b"x" * 5_000_000 + b'"}'),
           headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}),
    ingest(I_FORMATS, "rdfxml-entities", 415, "unsupported_media_type",
           content=b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;'
           b'&a;&a;">]><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&b;'
           b"</rdf:RDF>",
           headers={"Content-Type": "application/rdf+xml"}),
    ingest(I_FORMATS, "jsonld-remote-context", 415, "unsupported_media_type",
           content=b'{"@context": "{listener}context.jsonld", "@id": "http://e/x"}',
           headers={"Content-Type": "application/ld+json"}),
    ingest(I_FORMATS, "json-with-context", 422, "invalid_ingest", names="@context",
           json={"@context": "{listener}context.jsonld", "text": TEXT, "metadata": META}),
    ingest(I_FORMATS, "json-with-import", 422, "invalid_metadata",
           json={"text": TEXT, "metadata": {**META, "@context": {"@import": "{listener}c"}}}),
    ingest(I_FORMATS, "turtle", 415, "unsupported_media_type",
           content=b"@prefix e: <{listener}> . e:s e:p e:o .",
           headers={"Content-Type": "text/turtle"}),
    ingest(I_DEEP, "5000-arrays", 400, "invalid_ingest", content=b"[" * 5000 + b"]" * 5000,
           headers={"Content-Type": "application/json"}),
    ingest(I_DEEP, "5000-deep-metadata", 400, "invalid_ingest", content=nested(5000),
           headers={"Content-Type": "application/json"}),
    ingest(I_DEEP, "40-deep-metadata", 400, "invalid_ingest", content=nested(40),
           headers={"Content-Type": "application/json"}),
    ingest(I_DEEP, "3-deep-metadata-passes-the-precheck", 422, "invalid_metadata",
           content=nested(3), headers={"Content-Type": "application/json"}),
    ingest(I_TERMS, "javascript-identifier", 422, "shacl_violation", names="javascript:alert(1)",
           json={"text": TEXT, "metadata": meta(identifier="javascript:alert(1)")}),
    ingest(I_TERMS, "file-identifier", 422, "invalid_metadata", names="file:///etc/passwd",
           json={"text": TEXT, "metadata": meta(reference=None, identifier="file:///etc/passwd")}),
    ingest(I_TERMS, "url-identifier", 422, "shacl_violation", names="{listener}x",
           json={"text": TEXT, "metadata": meta(identifier="{listener}x")}),
    ingest(I_TERMS, "relative-reference", 422, "invalid_metadata", names="../register",
           json={"text": TEXT, "metadata": meta(reference="../register")}),
    ingest(I_TERMS, "iri-breaking-reference", 422, "invalid_metadata",
           json={"text": TEXT, "metadata": meta(reference="a> <http://e/p> <http://e/o")}),
    ingest(I_TERMS, "ill-typed-date", 422, "invalid_metadata", names="date",
           json={"text": TEXT, "metadata": meta(date="2026-02-30")}),
    ingest(I_TERMS, "date-not-a-date", 422, "invalid_metadata", names="date",
           json={"text": TEXT, "metadata": meta(date="10 juli 2026")}),
    ingest(I_TERMS, "bad-language-tag", 422, "invalid_metadata", names="language",
           json={"text": TEXT, "metadata": meta(language="nl-!!")}),
    ingest(I_TERMS, "scheme-as-type", 422, "invalid_metadata", names="javascript:x",
           json={"text": TEXT, "metadata": meta(type="javascript:x")}),
    ingest(I_GRAPH, "names-a-graph", 422, "invalid_ingest", names="graph",
           json={"text": TEXT, "metadata": META,
                 "graph": "https://w3id.org/lexgraph/graph/register"}),
    ingest(I_GRAPH, "carries-quads", 422, "invalid_ingest", names="@graph",
           json={"text": TEXT, "metadata": META,
                 "@graph": [{"@id": "http://e/s", "http://e/p": "o"}]}),
    ingest(I_GRAPH, "graph-in-metadata", 422, "invalid_metadata", names="graph",
           json={"text": TEXT, "metadata": {**META, "graph": DOC_GRAPH}}),
    ingest(I_SHACL, "violation-with-report", 422, "shacl_violation", names="officialIdentifier",
           json={"text": TEXT, "metadata": meta(reference=None, identifier="not-an-official-id")}),
]
# fmt: on


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ls.LiveServer]:
    """A store with a 300-subject document graph (enough for a query that never finishes)."""
    root = tmp_path_factory.mktemp("hostile")
    fill(root / "store")
    server = ls.start(
        root / "store",
        root / "server.log",
        {
            **ls.NO_QUOTAS,
            "query_timeout": QUERY_TIMEOUT,
            "result_cap": RESULT_CAP,
            "max_body_bytes": MAX_BODY,
            "worker_memory_mb": 192,
        },
    )
    yield server
    ls.stop(server)


@dataclass(frozen=True)
class Snapshot:
    quads: int
    digest: str


def snapshot(server: ls.LiveServer) -> Snapshot:
    health = HTTP.get(server.url("/health"), timeout=30)
    assert health.status_code == 200, health.text
    export = HTTP.get(server.url("/export"), params={"format": "nquads"}, timeout=60)
    assert export.status_code == 200
    lines = sorted(line for line in export.content.splitlines() if line.strip())
    return Snapshot(
        int(health.json()["store"]["triples"]), hashlib.sha256(b"\n".join(lines)).hexdigest()
    )


def fill_in(value: Any, url: str) -> Any:
    if isinstance(value, str):
        return value.replace("{listener}", url)
    if isinstance(value, bytes):
        return value.replace(b"{listener}", url.encode())
    if isinstance(value, list):
        return [fill_in(v, url) for v in value]
    if isinstance(value, tuple):
        return tuple(fill_in(v, url) for v in value)
    if isinstance(value, dict):
        return {fill_in(k, url): fill_in(v, url) for k, v in value.items()}
    return value


def send(server: ls.LiveServer, case: Case, url: str) -> httpx.Response:
    return HTTP.request(
        case.method,
        server.url(case.path),
        params=fill_in(case.params, url) or None,
        content=fill_in(case.content, url),
        json=fill_in(case.json, url),
        headers=fill_in(case.headers, url),
        timeout=60,
    )


def assert_clean(response: httpx.Response) -> None:
    for marker in ("Traceback", 'File "/', "site-packages", ".py:", '.py", line'):
        assert marker not in response.text, response.text[:500]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.row.split(':')[0]}-{c.id}" for c in CASES])
def test_hostile_row(srv: ls.LiveServer, listener: Listener, case: Case) -> None:
    before = snapshot(srv)
    response = send(srv, case, listener.url)
    assert response.status_code == case.status, (case.row, response.text[:500])
    assert_clean(response)
    if case.code is not None:
        error = response.json()["error"]
        assert error["code"] == case.code, (case.row, error)
        assert error["message"]
    for name, value in case.expect_headers.items():
        assert name in response.headers, (case.row, dict(response.headers))
        assert response.headers[name].startswith(value), (name, response.headers[name])
    if case.names is not None:
        assert fill_in(case.names, listener.url) in response.text, (case.row, response.text)
    for secret in case.absent:
        assert secret not in response.text
    assert srv.alive(), srv.log_text()[-2000:]
    assert snapshot(srv) == before, case.row
    assert listener.connections == 0, (case.row, listener.received)


# --- rows that are sequences ---------------------------------------------------------------------


def test_oversized_url_is_414_before_parsing(srv: ls.LiveServer) -> None:
    """Row: query: oversized body or URL (httpx refuses to build such a URL: raw socket)."""
    target = b"/sparql?query=ASK%7B%7D" + b"+" * 70_000
    with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 414"), reply[:200]
    assert b'"uri_too_long"' in reply
    assert srv.alive()


def test_nested_groups_refused_and_the_server_keeps_serving(srv: ls.LiveServer) -> None:
    """Row: query: deeply nested query — 5,000 nested groups (a segfault in pyoxigraph)."""
    for _ in range(3):
        r = HTTP.get(srv.url("/sparql"), params={"query": DEEP_GROUPS}, timeout=30)
        assert (r.status_code, r.json()["error"]["code"]) == (400, "query_too_deep")
    r = HTTP.get(srv.url("/sparql"), params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.json() == {"head": {}, "boolean": True}
    assert srv.alive()


def test_expensive_query_does_not_hold_up_other_clients(srv: ls.LiveServer) -> None:
    """Row: query: expensive query — the others are served while it runs; it ends in 503."""
    outcome: dict[str, httpx.Response] = {}

    def slow() -> None:
        outcome["slow"] = HTTP.get(srv.url("/sparql"), params={"query": CARTESIAN}, timeout=60)

    thread = threading.Thread(target=slow)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)
    latencies = []
    for _ in range(5):
        t0 = time.monotonic()
        r = HTTP.get(srv.url("/sparql"), params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        latencies.append(time.monotonic() - t0)
        assert r.status_code == 200
        assert HTTP.get(srv.url("/documents"), timeout=30).status_code == 200
    thread.join(60)
    slow_response = outcome["slow"]
    assert slow_response.status_code == 503
    assert slow_response.json()["error"]["code"] == "query_timeout"
    assert int(slow_response.headers["Retry-After"]) >= 1
    assert time.monotonic() - started < QUERY_TIMEOUT + 5
    assert max(latencies) < 1.0, latencies


def test_ingest_never_fetches_what_a_document_names(srv: ls.LiveServer, listener: Listener) -> None:
    """Rows: ingest: JSON-LD with remote contexts / invalid IRIs — a valid document whose text
    and metadata point at the listener is stored as text; nothing is fetched."""
    before = snapshot(srv)
    text = (
        TEXT + f"Zie {listener.url}bijlage en <{listener.url}x> en "
        f'{{"@context": "{listener.url}context.jsonld", "@id": "{listener.url}"}}.\n'
    )
    metadata = {**META, "sender": f"<{listener.url}afzender>", "addressee": listener.url}
    r = HTTP.post(
        srv.url("/documents"), json={"text": text, "metadata": metadata}, headers=AUTH, timeout=60
    )
    assert r.status_code == 201, r.text
    try:
        detail = HTTP.get(srv.url("/documents/9990001"), timeout=30).json()
        assert detail["text"] == text and detail["sender"] == metadata["sender"]
        time.sleep(0.3)
        assert listener.connections == 0, listener.received
    finally:
        assert HTTP.delete(srv.url("/documents/9990001"), headers=AUTH).status_code == 200
    assert snapshot(srv) == before


def test_retry_is_idempotent(srv: ls.LiveServer) -> None:
    """Row: ingest: retry of the same document — replaces its graph; the store ends the same."""
    before = snapshot(srv)
    body = {"text": TEXT, "metadata": META}
    first = HTTP.post(srv.url("/documents"), json=body, headers=AUTH, timeout=60)
    assert first.status_code == 201 and first.json()["replaced"] is False
    once = snapshot(srv)
    assert once.quads == before.quads + first.json()["triples"]
    for _ in range(2):
        again = HTTP.post(srv.url("/documents"), json=body, headers=AUTH, timeout=60)
        assert again.status_code == 201 and again.json()["replaced"] is True
        assert snapshot(srv) == once
    assert HTTP.delete(srv.url("/documents/9990001"), headers=AUTH).status_code == 200
    assert snapshot(srv) == before


def test_concurrent_writes_to_one_document(srv: ls.LiveServer) -> None:
    """Row: ingest: concurrent writes to the same document — one writer, 409 for the others."""
    before = snapshot(srv)
    long_text = TEXT * 150  # a second or so through the pipeline
    body = {"text": long_text, "metadata": META}
    statuses: list[int] = []
    codes: list[str] = []
    lock = threading.Lock()
    go = threading.Barrier(6)

    def post() -> None:
        go.wait()
        r = HTTP.post(srv.url("/documents"), json=body, headers=AUTH, timeout=120)
        with lock:
            statuses.append(r.status_code)
            if r.status_code != 201:
                codes.append(r.json()["error"]["code"])

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert set(statuses) <= {201, 409}, statuses
    assert 201 in statuses and 409 in statuses, statuses
    assert set(codes) == {"write_in_progress"}
    after = snapshot(srv)
    single = HTTP.post(srv.url("/documents"), json=body, headers=AUTH, timeout=60)
    assert single.status_code == 201
    assert snapshot(srv) == after  # what the race left is exactly one whole document
    assert HTTP.delete(srv.url("/documents/9990001"), headers=AUTH).status_code == 200
    assert snapshot(srv) == before


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ls.LiveServer]:
    """Default-like quotas and a validation time box no document can meet."""
    root = tmp_path_factory.mktemp("strict")
    fill(root / "store")
    server = ls.start(
        root / "store",
        root / "server.log",
        {
            "query_timeout": QUERY_TIMEOUT,
            "pool_workers": 3,  # two slow queries of one client leave one worker for others
            "quota_concurrent_queries": 2,
            "quota_errors_per_minute": 3,
            "quota_query_seconds_per_minute": 600,
            "validation_timeout": 0.001,
            "read_timeout": 2,
        },
    )
    yield server
    ls.stop(server)


def client_at(address: str) -> httpx.Client:
    """A client whose connections come from another loopback address (another quota holder)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=60)


def test_slow_validation_is_503_and_commits_nothing(strict: ls.LiveServer) -> None:
    """Row: ingest: slow validation — time-boxed; 503; nothing committed."""
    before = snapshot(strict)
    r = HTTP.post(
        strict.url("/documents"), json={"text": TEXT, "metadata": META}, headers=AUTH, timeout=60
    )
    assert r.status_code == 503, r.text
    assert r.json()["error"]["code"] == "validation_timeout"
    assert_clean(r)
    assert snapshot(strict) == before
    assert HTTP.get(strict.url("/documents/9990001")).status_code == 404


def test_concurrent_slow_clients_get_429_and_others_are_served(strict: ls.LiveServer) -> None:
    """Row: query: many concurrent slow clients — per-client quota with 429 + Retry-After."""
    results: list[httpx.Response] = []
    lock = threading.Lock()

    def slow() -> None:
        with client_at("127.0.0.3") as c:
            r = c.get(strict.url("/sparql"), params={"query": CARTESIAN})
        with lock:
            results.append(r)

    threads = [threading.Thread(target=slow) for _ in range(3)]
    for t in threads:
        t.start()
        time.sleep(0.2)
    with client_at("127.0.0.4") as other:
        r = other.get(strict.url("/sparql"), params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200, r.text
    for t in threads:
        t.join(60)
    refused = [r for r in results if r.status_code == 429]
    assert len(refused) == 1, [(r.status_code, r.text[:100]) for r in results]
    assert refused[0].json()["error"]["code"] == "quota_exceeded"
    assert int(refused[0].headers["Retry-After"]) >= 1
    # the timed-out queries count as failures: one more and the error budget (3) is spent
    with client_at("127.0.0.3") as c:
        c.get(strict.url("/sparql"), params={"query": "SELECT nonsense"})
        r = c.get(strict.url("/sparql"), params={"query": "ASK {}"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert strict.alive()


def test_a_client_that_never_finishes_its_request_is_cut_off(strict: ls.LiveServer) -> None:
    """Row: query: many concurrent slow clients — read timeouts (head and body)."""
    socks = []
    try:
        for partial in (
            b"",  # connects and says nothing
            b"GET /health HTTP/1.1\r\nHost: x\r\n",  # a head that never ends
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nASK",  # a body that stops
        ):
            sock = socket.create_connection(("127.0.0.1", strict.port), timeout=15)
            sock.sendall(partial)
            socks.append(sock)
        assert HTTP.get(strict.url("/health"), timeout=5).status_code == 200  # still served
        started = time.monotonic()
        for sock in socks:
            reply = b""
            while b"}}" not in reply and (chunk := sock.recv(4096)):
                reply += chunk
            assert reply.startswith(b"HTTP/1.1 408"), reply[:200]
            assert b'"request_timeout"' in reply
        assert time.monotonic() - started < 10
    finally:
        for sock in socks:
            sock.close()


def test_a_corrupted_store_fails_closed(tmp_path: Path) -> None:
    """Row: ingest: corrupted or unwritable store at start — health red (503), nothing served
    from or written to a half-opened store."""
    store = tmp_path / "store"
    fill(store)
    for name in sorted(p.name for p in store.iterdir()):
        if name.startswith("MANIFEST") or name == "CURRENT":
            (store / name).write_bytes(b"\x00garbage\xff" * 64)

    def data_files() -> dict[str, bytes]:  # RocksDB's own diagnostic LOG files aside
        return {p.name: p.read_bytes() for p in store.iterdir() if not p.name.startswith("LOG")}

    files_before = data_files()
    server = ls.start(store, tmp_path / "server.log", {**ls.NO_QUOTAS}, health=503)
    try:
        health = HTTP.get(server.url("/health"), timeout=10)
        assert health.json()["status"] == "unavailable"
        assert health.json()["store"]["open"] is False
        for method, path, kwargs in (
            ("GET", "/sparql", {"params": {"query": "ASK {}"}}),
            ("GET", "/documents", {}),
            ("POST", "/documents", {"json": {"text": TEXT, "metadata": META}, "headers": AUTH}),
        ):
            r = HTTP.request(method, server.url(path), timeout=30, **kwargs)
            assert r.status_code == 503, (path, r.text)
            assert r.json()["error"]["code"] == "store_unavailable"
            assert_clean(r)
        assert server.alive()
    finally:
        ls.stop(server)
    assert data_files() == files_before


def test_every_row_of_the_hostile_list_is_covered() -> None:
    """The table above plus the sequence tests name every row (a row added without a test fails)."""
    rows = {v for k, v in globals().items() if k[:2] in ("Q_", "I_") and isinstance(v, str)}
    in_table = {c.row for c in CASES}
    sequences = {Q_EXPENSIVE, Q_SLOW, I_SLOW, I_RETRY, I_CONCURRENT, I_CORRUPT, Q_OVERSIZE}
    assert rows - in_table <= sequences, rows - in_table - sequences
    assert len(rows) == 24  # HOSTILE.md: 13 query rows, 12 ingest rows (kill -9: test_crash.py)
