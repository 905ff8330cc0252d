"""Ordinary SPARQL clients against a real ``lexgraph serve`` on 127.0.0.1: curl, SPARQLWrapper
(JSON, XML, CSV) and rdflib's SPARQLStore get the same rows as a direct query of the same data."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import fixture_graph as fx
import httpx
import pyoxigraph as ox
import pytest
from conftest import Server
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, XML, SPARQLWrapper

pytestmark = pytest.mark.integration

QUERY = (
    "PREFIX lkg: <https://w3id.org/lexgraph/ontology#>\n"
    "SELECT ?c ?cid ?doc WHERE { ?c lkg:citedId ?cid ; <http://www.w3.org/ns/oa#hasSource> ?doc }"
    " ORDER BY ?c"
)


@pytest.fixture(scope="module")
def direct_rows(fixture_graphs: dict[str, bytes]) -> list[tuple[str, ...]]:
    """The rows a direct query of the same graphs gives (union default graph, as served)."""
    store = ox.Store()
    for iri, nt in fixture_graphs.items():
        store.load(nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(iri))
    solutions = store.query(QUERY, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = [tuple(s[v].value for v in ("c", "cid", "doc")) for s in solutions]
    assert len(rows) == 3
    return rows


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["curl", "-s", "-S", "--max-time", "20", *args],
        capture_output=True,
        text=True,
        check=True,
    )


def test_curl_csv_example(server: Server) -> None:
    """The example of the README's "Querying" section."""
    out = curl(
        "-H",
        "Accept: text/csv",
        "--data-urlencode",
        "query=SELECT ?d WHERE {?d a ?t} LIMIT 3",
        server.url("/sparql"),
    )
    rows = list(csv.reader(io.StringIO(out.stdout)))
    assert rows[0] == ["d"]
    assert len(rows) == 4


def test_curl_count_example(server: Server) -> None:
    """``-g`` is needed: without it curl treats ``{...}`` as a URL glob and drops the braces."""
    out = curl("-g", server.url("/sparql?query=SELECT+(COUNT(*)+AS+?n)+WHERE+{?s+?p+?o}"))
    n = int(json.loads(out.stdout)["results"]["bindings"][0]["n"]["value"])
    assert n == httpx.get(server.url("/health")).json()["store"]["triples"]


def test_curl_provenance_quote_is_the_source_slice(server: Server) -> None:
    cit = str(fx.citation_iris()[1])
    out = curl("-G", "--data-urlencode", f"iri={cit}", server.url("/provenance"))
    body = json.loads(out.stdout)
    sel = {s["@type"]: s for s in body["hasSelector"]}
    start, end = sel["TextPositionSelector"]["start"], sel["TextPositionSelector"]["end"]
    assert sel["TextQuoteSelector"]["exact"] == fx.TEXT[start:end]


def test_sparqlwrapper_json(server: Server, direct_rows: list[tuple[str, ...]]) -> None:
    sw = SPARQLWrapper(server.url("/sparql"))
    sw.setQuery(QUERY)
    sw.setReturnFormat(JSON)
    result = sw.query().convert()
    assert isinstance(result, dict)
    rows = [
        tuple(b[v]["value"] for v in ("c", "cid", "doc")) for b in result["results"]["bindings"]
    ]
    assert rows == direct_rows


def test_sparqlwrapper_xml(server: Server, direct_rows: list[tuple[str, ...]]) -> None:
    sw = SPARQLWrapper(server.url("/sparql"))
    sw.setQuery(QUERY)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    rows = []
    for result in doc.getElementsByTagName("result"):  # type: ignore[union-attr]
        values = {}
        for binding in result.getElementsByTagName("binding"):
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            values[binding.getAttribute("name")] = node.firstChild.data
        rows.append(tuple(values[v] for v in ("c", "cid", "doc")))
    assert rows == direct_rows


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_csv(server: Server, direct_rows: list[tuple[str, ...]], method: str) -> None:
    sw = SPARQLWrapper(server.url("/sparql"))
    sw.setQuery(QUERY)
    sw.setReturnFormat(CSV)
    sw.setMethod(method)
    data = sw.query().convert()
    assert isinstance(data, bytes)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["c", "cid", "doc"]
    assert [tuple(r) for r in rows[1:]] == direct_rows


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_rdflib_sparqlstore(
    server: Server, direct_rows: list[tuple[str, ...]], method: str
) -> None:
    store = SPARQLStore(query_endpoint=server.url("/sparql"), method=method)
    graph = Graph(store=store)
    rows = [tuple(str(v) for v in row) for row in graph.query(QUERY)]  # type: ignore[union-attr]
    assert rows == direct_rows
    construct = graph.query(
        "CONSTRUCT { ?c <http://example.org/cites> ?cid } "
        "WHERE { ?c <https://w3id.org/lexgraph/ontology#citedId> ?cid }"
    )
    assert len(construct.graph) == 3  # type: ignore[arg-type]
    store.close()


def _triples(server: Server) -> int:
    return int(httpx.get(server.url("/health")).json()["store"]["triples"])


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "DROP ALL",
    ],
    ids=["service", "insert-data", "load", "drop"],
)
def test_refusals_end_to_end(server: Server, query: str) -> None:
    before = _triples(server)
    for response in (
        httpx.get(server.url("/sparql"), params={"query": query}),
        httpx.post(server.url("/sparql"), data={"query": query}),
    ):
        assert 400 <= response.status_code < 500, response.text
        error = response.json()["error"]
        assert error["code"] and error["message"]
    refused = httpx.post(server.url("/sparql"), data={"update": query})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "read_only"
    assert _triples(server) == before
    assert server.proc.poll() is None
