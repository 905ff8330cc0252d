"""SPARQL 1.1 Protocol at ``/sparql``: query via GET, form POST and direct POST; read-only.

This router only speaks the protocol: it decodes the request strictly, rejects protocol misuse
with the 4xx the W3C protocol suite expects, negotiates the result format, and hands the query to
:func:`lexgraph.query_exec.execute_user_query`, which owns every safety check (forbidden forms,
``SERVICE``, limits, timeouts). Updates are refused here with 403 ``read_only``.

A GET without a query returns the SPARQL Service Description (Turtle by default), or the query
page when the client prefers HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import RDF, Graph, Literal, URIRef
from starlette.concurrency import run_in_threadpool

from lexgraph.api import negotiation as neg
from lexgraph.api.deps import ClientIdDep, SettingsDep, get_store
from lexgraph.api.limits import refuse_encoded_body
from lexgraph.errors import LexgraphError
from lexgraph.namespaces import SD
from lexgraph.settings import Settings
from lexgraph.store.base import GraphStore

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
TRUNCATED_HEADER = "X-Lexgraph-Truncated"

#: W3C format IRIs (https://www.w3.org/ns/formats/) for the service description.
FORMAT_IRIS = {
    neg.SPARQL_JSON: "SPARQL_Results_JSON",
    neg.SPARQL_XML: "SPARQL_Results_XML",
    neg.CSV: "SPARQL_Results_CSV",
    neg.TSV: "SPARQL_Results_TSV",
    neg.TURTLE: "Turtle",
    neg.JSON_LD: "JSON-LD",
    neg.N_TRIPLES: "N-Triples",
    neg.N_QUADS: "N-Quads",
    neg.RDF_XML: "RDF_XML",
}
SD_TYPES = (neg.TURTLE, neg.HTML, neg.JSON_LD, neg.N_TRIPLES, neg.RDF_XML)
_RDFLIB_FORMATS = {
    neg.TURTLE: "turtle",
    neg.JSON_LD: "json-ld",
    neg.N_TRIPLES: "nt",
    neg.RDF_XML: "xml",
}


class ProtocolError(LexgraphError):
    """A request the SPARQL 1.1 Protocol does not allow (W3C suite: 4xx)."""

    status = 400
    code = "bad_protocol_request"


class ReadOnly(LexgraphError):
    status = 403
    code = "read_only"


READ_ONLY_MESSAGE = (
    "this endpoint is read-only: SPARQL Update is not accepted; "
    "new documents are added with an authenticated POST /documents"
)


@dataclass
class Operation:
    """The protocol parameters of one request, every value decoded strictly as UTF-8."""

    queries: list[str] = field(default_factory=list)
    updates: list[str] = field(default_factory=list)
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)

    def add(self, pairs: list[tuple[str, str]]) -> None:
        for name, value in pairs:
            if name == "query":
                self.queries.append(value)
            elif name == "update":
                self.updates.append(value)
            elif name == "default-graph-uri":
                self.default_graphs.append(value)
            elif name == "named-graph-uri":
                self.named_graphs.append(value)


def decode_utf8(raw: bytes, what: str) -> str:
    """Strict UTF-8 (no lone surrogates), no NUL characters: otherwise 400."""
    try:
        text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(
            f"{what} is not valid UTF-8 (byte {exc.start})", code="invalid_encoding"
        ) from None
    if "\x00" in text:
        raise ProtocolError(f"{what} contains a NUL character", code="invalid_encoding")
    return text


def parse_urlencoded(raw: bytes, what: str) -> list[tuple[str, str]]:
    """``application/x-www-form-urlencoded`` pairs, percent-decoded then strictly UTF-8 decoded."""
    pairs: list[tuple[str, str]] = []
    for chunk in raw.split(b"&"):
        if not chunk:
            continue
        name, _, value = chunk.partition(b"=")
        pairs.append(
            (
                decode_utf8(unquote_to_bytes(name.replace(b"+", b" ")), what),
                decode_utf8(unquote_to_bytes(value.replace(b"+", b" ")), what),
            )
        )
    return pairs


def _media_type(header: str | None) -> tuple[str, str | None]:
    """``(type/subtype, charset)`` of a Content-Type header, lower-cased."""
    if not header:
        return "", None
    main, *params = header.split(";")
    charset = None
    for p in params:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return main.strip().lower(), charset


def _check_charset(charset: str | None) -> None:
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(
            f"charset {charset} is not supported; send UTF-8", code="unsupported_charset"
        )


async def _operation_from_post(request: Request) -> Operation:
    op = Operation()
    op.add(parse_urlencoded(request.scope.get("query_string") or b"", "the query string"))
    media_type, charset = _media_type(request.headers.get("content-type"))
    if not media_type:
        raise ProtocolError(
            "POST needs a Content-Type: application/x-www-form-urlencoded or "
            "application/sparql-query",
            code="missing_content_type",
        )
    if media_type == SPARQL_UPDATE:
        raise ReadOnly(READ_ONLY_MESSAGE)
    refuse_encoded_body(request)
    if media_type not in (FORM, SPARQL_QUERY):
        raise ProtocolError(
            f"unsupported Content-Type {media_type}; use application/x-www-form-urlencoded "
            "or application/sparql-query",
            code="unsupported_media_type",
        )
    _check_charset(charset)
    body = await request.body()
    if media_type == FORM:
        op.add(parse_urlencoded(body, "the form body"))
    else:
        if op.queries:
            raise ProtocolError(
                "a direct POST carries the query in the body; do not also pass query=",
                code="multiple_queries",
            )
        op.queries.append(decode_utf8(body, "the query"))
    return op


def _check(op: Operation) -> str | None:
    """The query to run, None for 'no query' (service description); protocol misuse raises."""
    if op.updates and op.queries:
        raise ProtocolError(
            "a request carries either query= or update=, not both", code="query_and_update"
        )
    if len(op.updates) > 1:
        raise ProtocolError("more than one update= parameter", code="multiple_updates")
    if op.updates:
        raise ReadOnly(READ_ONLY_MESSAGE)
    if len(op.queries) > 1:
        raise ProtocolError("more than one query= parameter", code="multiple_queries")
    if not op.queries:
        return None
    if not op.queries[0].strip():
        raise ProtocolError("the query is empty", code="empty_query")
    return op.queries[0]


#: ``<…>`` that does not start with a scheme: a relative IRI reference (or harmless noise).
_RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.\-]*:)[^<>\s\"{}|\\^`]*>")


def with_base(query: str, endpoint: str) -> str:
    """Resolve relative IRIs against the endpoint URL, the service-defined base the protocol
    allows. A leading ``BASE`` is added only when a relative reference may occur, and a later
    ``BASE`` in the query still wins."""
    if not _RELATIVE_IRI.search(query):
        return query
    return f"BASE <{endpoint}>\n{query}"


async def _execute(
    request: Request, settings: Settings, client_id: str, op: Operation, query: str
) -> Response:
    from lexgraph.query_exec import execute_user_query

    store = get_store(request)
    media_type = neg.result_media_type(query, request.headers.get("accept"))
    endpoint = str(request.url.replace(query="", fragment=""))
    result = await execute_user_query(
        settings,
        store,
        with_base(query, endpoint),
        media_type,
        op.default_graphs,
        op.named_graphs,
        client_id,
    )
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = "true"
    return Response(result.body, media_type=result.media_type, headers=headers)


_QUERY_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "Query results: SPARQL results (JSON, XML, CSV, TSV) for SELECT/ASK, RDF "
        "(Turtle, JSON-LD, N-Triples, N-Quads, RDF/XML) for CONSTRUCT/DESCRIBE; without a "
        "query, the SPARQL Service Description or the query page.",
        "content": {m: {} for m in (*neg.RESULT_TYPES, *neg.GRAPH_TYPES, neg.HTML)},
    },
    400: {"description": "protocol misuse or a malformed/refused query"},
    403: {"description": "an update request (the endpoint is read-only)"},
    406: {"description": "no acceptable result format"},
    413: {"description": "request body too large"},
    503: {"description": "query timed out or the store is unavailable"},
}


_GET_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "SPARQL query; without it: the service description or the query page",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "named graph(s) forming the default graph (repeatable)",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "named graph(s) of the dataset (repeatable)",
    },
]


@router.get(
    "/sparql",
    summary="SPARQL query (GET) or service description",
    responses=_QUERY_RESPONSES,
    response_class=Response,
    openapi_extra={"parameters": _GET_PARAMETERS},
)
async def sparql_get(request: Request, settings: SettingsDep, client_id: ClientIdDep) -> Response:
    """``?query=`` (+ ``default-graph-uri``, ``named-graph-uri``, repeatable). Without a query:
    the service description, or the query page for browsers."""
    op = Operation()
    op.add(parse_urlencoded(request.scope.get("query_string") or b"", "the query string"))
    query = _check(op)
    if query is None:
        return await _describe(request)
    return await _execute(request, settings, client_id, op, query)


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    responses=_QUERY_RESPONSES,
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["query"],
                    }
                },
                SPARQL_QUERY: {"schema": {"type": "string"}},
            },
        }
    },
)
async def sparql_post(request: Request, settings: SettingsDep, client_id: ClientIdDep) -> Response:
    """Form-encoded ``query=`` or a direct ``application/sparql-query`` body; dataset parameters
    may also come in the URL."""
    op = await _operation_from_post(request)
    query = _check(op)
    if query is None:
        raise ProtocolError("POST needs a query", code="missing_query")
    return await _execute(request, settings, client_id, op, query)


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})


async def _describe(request: Request) -> Response:
    media_type = neg.negotiate(request.headers.get("accept"), SD_TYPES, {})
    if media_type == neg.HTML:
        from lexgraph.api.query_page import render_query_page

        return await render_query_page(request)
    store: GraphStore | None = request.app.state.store
    graphs = await run_in_threadpool(store.graph_names) if store is not None else []
    endpoint = str(request.url.replace(query="", fragment=""))
    graph = service_description(endpoint, sorted(graphs))
    body = graph.serialize(format=_RDFLIB_FORMATS[media_type], encoding="utf-8")
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})


def service_description(endpoint: str, named_graphs: list[str]) -> Graph:
    """SPARQL 1.1 Service Description of this endpoint (query language, formats, dataset)."""
    g = Graph()
    g.bind("sd", SD)
    fmt = "http://www.w3.org/ns/formats/"
    g.bind("formats", fmt)
    service = URIRef(endpoint + "#service")
    dataset = URIRef(endpoint + "#dataset")
    default_graph = URIRef(endpoint + "#default-graph")
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, URIRef(endpoint)))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for iri in FORMAT_IRIS.values():
        g.add((service, SD.resultFormat, URIRef(fmt + iri)))
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    for i, name in enumerate(named_graphs):
        node = URIRef(f"{endpoint}#named-graph-{i}")
        g.add((dataset, SD.namedGraph, node))
        g.add((node, RDF.type, SD.NamedGraph))
        g.add((node, SD.name, URIRef(name)))
    g.add(
        (
            service,
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                "Read-only SPARQL 1.1 query endpoint of lexgraph. The default graph is the "
                "union of all named graphs. SPARQL Update, LOAD and SERVICE are refused.",
                lang="en",
            ),
        )
    )
    return g
