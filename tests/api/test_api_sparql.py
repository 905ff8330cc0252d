"""SPARQL 1.1 Protocol details through the in-process client: formats, negotiation, service
description, query page, CORS and refusals."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import load_store, make_settings
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import Namespace

from lexgraph import iris
from lexgraph.api.app import create_app

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
RES = "{http://www.w3.org/2005/sparql-results#}"
SELECT = "SELECT ?c ?cid WHERE { ?c <https://w3id.org/lexgraph/ontology#citedId> ?cid } ORDER BY ?c"
ASK = "ASK { ?c <https://w3id.org/lexgraph/ontology#citedId> 'celex:32001L0055' }"
CONSTRUCT = (
    "CONSTRUCT { ?c <http://example.org/cites> ?cid } "
    "WHERE { ?c <https://w3id.org/lexgraph/ontology#citedId> ?cid }"
)
DESCRIBE = f"DESCRIBE <{iris.document_iri('T-0001')}>"


def get(client: TestClient, query: str, accept: str | None = None, **params: str):  # type: ignore[no-untyped-def]
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


# --- result formats -------------------------------------------------------------------------


def test_select_defaults_to_sparql_json(client: TestClient) -> None:
    r = get(client, SELECT)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    body = r.json()
    assert body["head"]["vars"] == ["c", "cid"]
    assert len(body["results"]["bindings"]) == 3


def test_select_as_xml(client: TestClient) -> None:
    r = get(client, SELECT, "application/sparql-results+xml")
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    results = ET.fromstring(r.content).findall(f"{RES}results/{RES}result")
    assert len(results) == 3


@pytest.mark.parametrize(
    ("media", "delimiter"), [("text/csv", ","), ("text/tab-separated-values", "\t")]
)
def test_select_as_csv_and_tsv(client: TestClient, media: str, delimiter: str) -> None:
    r = get(client, SELECT, media)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    rows = list(csv.reader(io.StringIO(r.text), delimiter=delimiter))
    assert len(rows) == 4  # header + 3
    assert "celex:32001L0055" in r.text


def test_q_values_pick_the_preferred_format(client: TestClient) -> None:
    r = get(client, SELECT, "application/sparql-results+json;q=0.2, text/csv;q=0.9")
    assert r.headers["content-type"].startswith("text/csv")
    r = get(client, SELECT, "text/csv;q=0, */*;q=0.1")
    assert r.headers["content-type"].startswith("application/sparql-results+json")


def test_generic_json_accept_gets_sparql_json(client: TestClient) -> None:
    r = get(client, SELECT, "application/json")
    assert r.status_code == 200
    assert r.json()["head"]["vars"] == ["c", "cid"]


@pytest.mark.parametrize(
    "media", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask(client: TestClient, media: str) -> None:
    r = get(client, ASK, media)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    if media.endswith("json"):
        assert r.json()["boolean"] is True
    else:
        assert ET.fromstring(r.content).find(f"{RES}boolean").text == "true"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("media", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/n-quads", "nquads"),
        ("application/rdf+xml", "xml"),
    ],
)
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_results_in_every_rdf_format(
    client: TestClient, media: str, rdflib_format: str, query: str
) -> None:
    r = get(client, query, media)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    g = Graph()
    g.parse(data=r.content, format=rdflib_format)
    assert len(g) >= 3


def test_graph_results_default_to_turtle(client: TestClient) -> None:
    r = get(client, CONSTRUCT)
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=r.text, format="turtle")) == 3


@pytest.mark.parametrize(("query", "accept"), [(SELECT, "text/turtle"), (CONSTRUCT, "text/csv")])
def test_unservable_accept_is_406(client: TestClient, query: str, accept: str) -> None:
    r = get(client, query, accept)
    assert r.status_code == 406
    assert r.json()["error"]["code"] == "not_acceptable"


def test_post_form_and_direct(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": SELECT})
    direct = client.post(
        "/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json() == get(client, SELECT).json()


def test_protocol_dataset_restricts_the_default_graph(client: TestClient) -> None:
    register = str(iris.REGISTER_GRAPH)
    r = get(client, SELECT, **{"default-graph-uri": register})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []  # citations live in the document graph


# --- service description and query page -------------------------------------------------------


def test_service_description(client: TestClient) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    service = next(g.subjects(SD.endpoint, None))
    assert g.value(service, SD.endpoint) == URIRef("http://testserver/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    formats = {str(o) for o in g.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    dataset = g.value(service, SD.defaultDataset)
    names = {g.value(n, SD.name) for n in g.objects(dataset, SD.namedGraph)}
    assert iris.document_graph("T-0001") in names
    assert iris.REGISTER_GRAPH in names


@pytest.fixture
def page_client(tmp_path: Path, fixture_graphs: dict[str, bytes]) -> Iterator[TestClient]:
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "cited-instruments.rq").write_text(
        "# title: Cited <instruments> & counts\n# description: how often\n"
        "SELECT ?cid (COUNT(*) AS ?n) WHERE { ?c <https://w3id.org/lexgraph/ontology#citedId> "
        "?cid } GROUP BY ?cid\n",
        encoding="utf-8",
    )
    load_store(tmp_path / "store", fixture_graphs)
    with TestClient(create_app(make_settings(tmp_path, queries_dir=queries))) as c:
        yield c


def test_query_page_for_browsers(page_client: TestClient) -> None:
    r = page_client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert '<script src="/static/yasgui/yasgui.min.js"' in r.text
    assert "Cited &lt;instruments&gt; &amp; counts" in r.text  # escaped title
    assert "<instruments>" not in r.text.split('id="lexgraph-config">')[0]
    config = r.text.split('id="lexgraph-config">')[1].split("</script>")[0]
    data = json.loads(config)
    assert data["examples"][0]["name"] == "cited-instruments"
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text)  # nothing off-site
    js = page_client.get("/static/yasgui/yasgui.min.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert page_client.get("/static/lexgraph-query.js").status_code == 200


# --- CORS ---------------------------------------------------------------------------------------


def test_cors_simple_and_preflight(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ASK}, headers={"Origin": "https://yasgui.example"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "POST" in pre.headers["access-control-allow-methods"]
    plain = client.options("/sparql")
    assert plain.status_code == 204 and "POST" in plain.headers["allow"]
    docs = client.get("/documents", headers={"Origin": "https://x.example"})
    assert docs.headers["access-control-allow-origin"] == "*"


# --- refusals -----------------------------------------------------------------------------------


def _error(r) -> dict[str, str]:  # type: ignore[no-untyped-def]
    body = r.json()["error"]
    assert body["message"] and "Traceback" not in body["message"]
    return body  # type: ignore[no-any-return]


def test_update_parameter_is_read_only(client: TestClient) -> None:
    r = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert r.status_code == 403
    assert _error(r)["code"] == "read_only"
    r = client.post("/sparql", data={"update": "INSERT DATA { <a:b> <a:c> <a:d> }"})
    assert r.status_code == 403 and _error(r)["code"] == "read_only"
    r = client.post(
        "/sparql",
        content=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 403 and _error(r)["code"] == "read_only"


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ",
    ],
    ids=["insert-data", "load", "service", "malformed"],
)
def test_refused_queries(client: TestClient, query: str) -> None:
    before = client.get("/health").json()["store"]["triples"]
    r = get(client, query)
    assert 400 <= r.status_code < 500, r.text
    _error(r)
    assert client.get("/health").json()["store"]["triples"] == before


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, "multiple_queries"),
        ({"params": [("query", "ASK {}"), ("update", "CLEAR ALL")]}, "query_and_update"),
        ({"params": {"query": "  "}}, "empty_query"),
    ],
)
def test_get_protocol_misuse(client: TestClient, kwargs: dict, code: str) -> None:  # type: ignore[type-arg]
    r = client.get("/sparql", **kwargs)
    assert r.status_code == 400
    assert _error(r)["code"] == code


@pytest.mark.parametrize(
    ("content", "headers", "code"),
    [
        (b"query=ASK%20%7B%7D", {}, "missing_content_type"),
        (b"ASK {}", {"Content-Type": "text/plain"}, "unsupported_media_type"),
        (
            "ASK {}".encode("utf-16"),
            {"Content-Type": "application/sparql-query; charset=UTF-16"},
            "unsupported_charset",
        ),
        (b"ASK { \xff }", {"Content-Type": "application/sparql-query"}, "invalid_encoding"),
        (b"ASK { \xed\xa0\x80 }", {"Content-Type": "application/sparql-query"}, "invalid_encoding"),
        (b"ASK { \x00 }", {"Content-Type": "application/sparql-query"}, "invalid_encoding"),
        (
            b"query=ASK%20%7B%FF%7D",
            {"Content-Type": "application/x-www-form-urlencoded"},
            "invalid_encoding",
        ),
        (
            b"default-graph-uri=x",
            {"Content-Type": "application/x-www-form-urlencoded"},
            "missing_query",
        ),
    ],
    ids=[
        "no-type",
        "text-plain",
        "utf16",
        "bad-utf8",
        "lone-surrogate",
        "nul",
        "form-bad-utf8",
        "no-query",
    ],
)
def test_post_protocol_misuse(
    client: TestClient, content: bytes, headers: dict[str, str], code: str
) -> None:
    r = client.post("/sparql", content=content, headers=headers)
    assert r.status_code == 400, r.text
    assert _error(r)["code"] == code


def test_query_in_url_and_body_is_two_queries(client: TestClient) -> None:
    r = client.post(
        "/sparql?query=ASK%20%7B%7D",
        content=b"ASK {}",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert r.status_code == 400 and _error(r)["code"] == "multiple_queries"


def test_other_methods_are_405(client: TestClient) -> None:
    r = client.put("/sparql", params={"query": "ASK {}"})
    assert r.status_code == 405
    assert _error(r)["code"] == "method_not_allowed"


def test_body_cap_is_413_and_long_url_414(tmp_path: Path, fixture_graphs: dict[str, bytes]) -> None:
    load_store(tmp_path / "store", fixture_graphs)
    settings = make_settings(tmp_path, max_body_bytes=1000, max_query_length=500)
    with TestClient(create_app(settings)) as c:
        r = c.get("/sparql", params={"query": "ASK {}" + " " * 10_000})
        assert r.status_code == 414
        assert _error(r)["code"] == "uri_too_long"

        r = c.post(
            "/sparql",
            content=b"ASK {}" + b" " * 2000,
            headers={"Content-Type": "application/sparql-query"},
        )
        assert r.status_code == 413
        assert _error(r)["code"] == "payload_too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted on the stream
            for _ in range(10):
                yield b" " * 500

        r = c.post(
            "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
        )
        assert r.status_code == 413


def test_result_cap_marks_truncation(tmp_path: Path, fixture_graphs: dict[str, bytes]) -> None:
    load_store(tmp_path / "store", fixture_graphs)
    with TestClient(create_app(make_settings(tmp_path, result_cap=2))) as c:
        r = get(c, SELECT)
        assert r.status_code == 200, r.text
        assert r.headers["x-lexgraph-truncated"] == "true"
        assert len(r.json()["results"]["bindings"]) == 2
        small = get(c, ASK)
        assert "x-lexgraph-truncated" not in small.headers


def test_openapi_documents_the_protocol_parameters(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()["paths"]["/sparql"]
    names = {p["name"] for p in spec["get"]["parameters"]}
    assert names == {"query", "default-graph-uri", "named-graph-uri"}
    assert set(spec["post"]["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/sparql-query",
    }


def test_settings_travel_to_worker_processes() -> None:
    from lexgraph.api.server import settings_env
    from lexgraph.settings import Settings

    original = Settings(port=9999, workers=3, ingest_token="t", result_cap=7)
    env = settings_env(original)
    assert env["LEXGRAPH_WORKERS"] == "3"
    rebuilt = Settings(**{k.removeprefix("LEXGRAPH_").lower(): v for k, v in env.items()})
    assert rebuilt == original


def test_query_page_offers_every_named_query() -> None:
    """The project's own queries/ folder: every .rq is an example on the page."""
    from lexgraph.api.query_page import named_queries, page_html
    from lexgraph.settings import Settings

    queries_dir = Settings().queries_dir
    examples = named_queries(queries_dir)
    assert {e.name for e in examples} == {p.stem for p in queries_dir.glob("*.rq")}
    assert all(e.title != e.name for e in examples)  # each has a "# title:" header
    page = page_html(examples, "http://127.0.0.1:8000/sparql", with_yasgui=True)
    for e in examples:
        assert html.escape(e.title) in page


def test_several_workers_need_a_built_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Several workers read snapshots of the embedded store (tests/api/test_api_workers.py);
    without a store to publish one from, serve stops with a message, not a traceback."""
    from lexgraph.api.server import serve
    from lexgraph.settings import Settings

    assert serve(Settings(workers=2, backend="oxigraph", port=1, store=tmp_path / "none")) == 2
    assert "lexgraph build" in capsys.readouterr().err
    assert not (tmp_path / "none.snapshots").exists()
