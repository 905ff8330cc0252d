"""The remote backend: any SPARQL 1.1 server, over the Query, Update and Graph Store protocols.

Configured by ``LEXGRAPH_BACKEND=sparql`` and ``LEXGRAPH_SPARQL_QUERY_URL`` (plus, optionally,
``LEXGRAPH_SPARQL_UPDATE_URL`` (defaults to the query URL), ``LEXGRAPH_SPARQL_GSP_URL``,
``LEXGRAPH_SPARQL_USER`` and ``LEXGRAPH_SPARQL_PASSWORD``; HTTP Basic or Digest, whichever the
server asks for). Nothing is kept in process memory: every call asks the server, so several
API processes (uvicorn workers, replicas) can serve one store.

How the embedded store's semantics are kept:

- **Union default graph.** lexgraph's queries join across named graphs in the default graph
  (a citation in a document graph with the instrument in the register graph), so the default
  graph must be the union of the named graphs. Queries are sent without a dataset and rely on
  the server's default graph being that union: Virtuoso, GraphDB and QLever do this out of the
  box; Fuseki needs ``tdb2:unionDefaultGraph true``, Oxigraph server ``--union-default-graph``.
  (Rewriting every query into ``GRAPH ?g`` patterns would change the meaning of queries that
  join across graphs; listing every graph as ``default-graph-uri`` grows with the corpus.)
- **lexgraph's graphs.** A server may hold other data (Virtuoso keeps its own system graphs),
  so this store manages only the named graphs under :data:`GRAPH_NAMESPACE`:
  :meth:`graph_names`, :meth:`count` and :meth:`dump_nquads` see those and nothing else.
- **Bound parameters.** ``bindings`` are serialised as SPARQL terms (IRIs checked, literals
  escaped) in an inline ``VALUES`` block, first in the query's top-level WHERE group, so they
  are bound before the group is evaluated, as pyoxigraph's substitution binds them. (A trailing
  ``VALUES`` clause would do in SPARQL 1.1, but Virtuoso 7.2 ignores it in queries with
  subqueries or ``GRAPH ?g``.) A bound variable must be projected, on both backends.
- **Results.** SELECT/ASK results are read as SPARQL JSON and normalised (Virtuoso writes
  ``typed-literal``, ``xsd:string`` datatypes and ``1``/``0`` for booleans); user queries are
  re-serialised by :mod:`lexgraph.result_writers` with the same row and byte caps as the
  embedded store's workers, so both backends answer in the same bytes.
- **Atomic writes.** A graph is replaced by one HTTP request: a Graph Store Protocol ``PUT``
  when a GSP URL is configured, else one SPARQL Update ``DROP SILENT GRAPH <g> ; INSERT DATA {
  GRAPH <g> { ... } }``. The server runs one request as one transaction. Virtuoso refuses blank
  nodes in ``INSERT DATA``, so a graph with blank nodes (lexgraph's graphs have none) is written
  with ``INSERT { ... } WHERE {}``, which Virtuoso compiles to SQL of bounded size: a few
  hundred triples at most; configure the GSP URL for such graphs.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Generator, Iterable, Mapping
from functools import lru_cache
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from lexgraph import result_writers
from lexgraph.namespaces import GRAPH
from lexgraph.settings import Settings
from lexgraph.store.base import RawResult, SparqlJson, StoreError, StoreTimeout
from lexgraph.store.values import insert_values

#: The named graphs this store manages: everything lexgraph writes lives under this namespace.
GRAPH_NAMESPACE = str(GRAPH)
#: Seconds to connect, and to wait for a trusted read or a write.
CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 60.0
WRITE_TIMEOUT = 300.0
#: Rows per request when a graph is dumped (Virtuoso caps a result at ResultSetMaxRows).
DUMP_PAGE = 10_000

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
XSD_STRING = str(XSD.string)
XSD_BOOLEAN = str(XSD.boolean)
_LANG_RE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_IRI_FORBIDDEN = frozenset('<>"{}|^`\\ \n\r\t')
_VAR_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def check_iri(iri: str) -> str:
    """An absolute IRI that can be written between ``<`` and ``>``; ValueError otherwise."""
    if not iri or ":" not in iri or any(c in _IRI_FORBIDDEN or ord(c) < 0x20 for c in iri):
        raise ValueError(f"not an absolute IRI: {iri!r}")
    return iri


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ECHAR:
            out.append(_ECHAR[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def sparql_term(value: Any) -> str:
    """An rdflib term or a plain Python value written as a SPARQL term, escaped."""
    if isinstance(value, ox.NamedNode):
        value = URIRef(value.value)
    elif isinstance(value, ox.Literal):
        lang = value.language
        value = Literal(
            value.value, lang=lang, datatype=None if lang else URIRef(value.datatype.value)
        )
    if isinstance(value, URIRef):
        return f"<{check_iri(str(value))}>"
    if isinstance(value, BNode | ox.BlankNode):
        raise TypeError("a blank node cannot be bound as a query parameter")
    if isinstance(value, Literal):
        if value.language:
            if not _LANG_RE.match(value.language):
                raise ValueError(f"not a language tag: {value.language!r}")
            return f"{_string(str(value))}@{value.language}"
        datatype = str(value.datatype or XSD_STRING)
        if datatype == XSD_STRING:
            return _string(str(value))
        return f"{_string(str(value))}^^<{check_iri(datatype)}>"
    if isinstance(value, bool):
        return f'"{"true" if value else "false"}"^^<{XSD_BOOLEAN}>'
    if isinstance(value, int):
        return f'"{value}"^^<{XSD.integer}>'
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"cannot bind a {type(value).__name__} as a SPARQL term")


@lru_cache(maxsize=256)
def _projection(sparql: str) -> frozenset[str] | None:
    """The projected variables of a SELECT (None for ``SELECT *`` and other forms)."""
    from rdflib.plugins.sparql import prepareQuery

    try:
        algebra = prepareQuery(sparql).algebra
    except Exception:  # the server reports the syntax error
        return None
    if algebra.name != "SelectQuery" or not algebra.get("PV"):
        return None
    return frozenset(str(v) for v in algebra["PV"])


def with_values(sparql: str, bindings: Mapping[str, Any]) -> str:
    """``sparql`` with an inline ``VALUES`` block, first in its top-level WHERE group.

    The block binds each variable to its term before the rest of the group is evaluated, as
    the embedded store's substitution does; every bound variable must be projected (as
    pyoxigraph requires too), so both stores accept the same queries.
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not _VAR_RE.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    projected = _projection(sparql)
    missing = [n for n in names if projected is not None and n not in projected]
    if missing:
        raise ValueError(
            f"bound variable(s) {', '.join('?' + n for n in missing)} must be projected"
        )
    return insert_values(sparql, names, [sparql_term(bindings[n]) for n in names])


def _normalise(term: dict[str, Any]) -> dict[str, Any]:
    """A SPARQL JSON term as the W3C format (and pyoxigraph) writes it."""
    kind = term.get("type")
    if kind in ("literal", "typed-literal"):
        out: dict[str, Any] = {"type": "literal", "value": term.get("value", "")}
        if "xml:lang" in term:
            out["xml:lang"] = term["xml:lang"]
        elif term.get("datatype") and term["datatype"] != XSD_STRING:
            out["datatype"] = term["datatype"]
            if term["datatype"] == XSD_BOOLEAN and out["value"] in ("0", "1"):
                out["value"] = "true" if out["value"] == "1" else "false"
        return out
    if kind == "bnode":
        value = str(term.get("value", ""))
        return {"type": "bnode", "value": _bnode_label(value)}
    return {"type": kind, "value": term.get("value", "")}


def _bnode_label(value: str) -> str:
    """A blank-node label usable in N-Triples (Virtuoso writes ``nodeID://b10001``)."""
    label = value.removeprefix("nodeID://").removeprefix("_:")
    return re.sub(r"[^A-Za-z0-9]", "_", label) or "b"


def normalise_results(doc: SparqlJson) -> SparqlJson:
    """SPARQL JSON results in the W3C form: one shape whichever server answered."""
    if "boolean" in doc:
        return {"head": {}, "boolean": bool(doc["boolean"])}
    head = {"vars": list(doc.get("head", {}).get("vars", []))}
    rows = [
        {var: _normalise(term) for var, term in row.items()}
        for row in doc.get("results", {}).get("bindings", [])
    ]
    return {"head": head, "results": {"bindings": rows}}


def _oxigraph_term(term: dict[str, Any]) -> Any:
    kind = term["type"]
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind == "bnode":
        return ox.BlankNode(term["value"])
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    return ox.Literal(term["value"], datatype=ox.NamedNode(term.get("datatype", XSD_STRING)))


class _ServerAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server's first 401 challenge asks for."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenges = [h.lower() for h in response.headers.get_list("www-authenticate")]
        if any(c.startswith("digest") for c in challenges):
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already answered by this 401
            try:
                retry = flow.send(response)
                while True:
                    retry = flow.send((yield retry))
            except StopIteration:
                return
        if any(c.startswith("basic") for c in challenges):
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


class RemoteStore:
    """The :class:`~lexgraph.store.base.GraphStore` over a SPARQL 1.1 server."""

    def __init__(self, settings: Settings) -> None:
        if not settings.sparql_query_url:
            raise StoreError(
                "LEXGRAPH_BACKEND=sparql needs LEXGRAPH_SPARQL_QUERY_URL (the server's SPARQL "
                "query endpoint, e.g. http://127.0.0.1:8890/sparql)"
            )
        self.query_url = settings.sparql_query_url
        self.update_url = settings.sparql_update_url or settings.sparql_query_url
        self.gsp_url = settings.sparql_gsp_url
        self.query_timeout = settings.query_timeout
        self.row_cap = max(0, settings.result_cap)
        self.byte_cap = max(1, settings.max_result_bytes)
        auth: httpx.Auth | None = None
        if settings.sparql_user:
            auth = _ServerAuth(settings.sparql_user, settings.sparql_password or "")
        self.client = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=False,
            headers={"User-Agent": "lexgraph"},
        )

    # --- transport ---------------------------------------------------------------------------
    def _send(
        self, method: str, url: str, *, timeout: float = READ_TIMEOUT, **kwargs: Any
    ) -> httpx.Response:
        try:
            response = self.client.request(
                method, url, timeout=httpx.Timeout(timeout, connect=CONNECT_TIMEOUT), **kwargs
            )
        except httpx.TimeoutException as err:
            raise StoreTimeout(
                f"the SPARQL server at {url} did not answer within {timeout:g} s"
            ) from err
        except httpx.HTTPError as err:
            raise StoreError(
                f"cannot reach the SPARQL server at {url}: {type(err).__name__}: {err}"
            ) from err
        if response.status_code >= 400:
            raise RemoteQueryError(url, response)
        return response

    def _query(
        self,
        sparql: str,
        accept: str,
        *,
        default_graph_uris: Iterable[str] = (),
        named_graph_uris: Iterable[str] = (),
        timeout: float = READ_TIMEOUT,
    ) -> httpx.Response:
        form: dict[str, str | list[str]] = {"query": sparql}
        default = [check_iri(g) for g in default_graph_uris]
        named = [check_iri(g) for g in named_graph_uris]
        if default:
            form["default-graph-uri"] = default
        if named:
            form["named-graph-uri"] = named
        return self._send(
            "POST", self.query_url, data=form, headers={"Accept": accept}, timeout=timeout
        )

    def _update(self, update: str) -> None:
        self._send("POST", self.update_url, data={"update": update}, timeout=WRITE_TIMEOUT)

    def _json(self, response: httpx.Response) -> SparqlJson:
        try:
            doc = json.loads(response.content)
        except ValueError as err:
            raise StoreError(f"the SPARQL server sent no SPARQL JSON results: {err}") from err
        if not isinstance(doc, dict):
            raise StoreError("the SPARQL server sent no SPARQL JSON results")
        return normalise_results(doc)

    # --- reading -----------------------------------------------------------------------------
    def select(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> SparqlJson:
        query = with_values(sparql, bindings or {})
        return self._json(self._query(query, SPARQL_JSON))

    def select_json(
        self, sparql: str, bindings: Mapping[str, Any] | None = None, hide: Iterable[str] = ()
    ) -> bytes:
        """:meth:`select` written as SPARQL JSON (normalised), without the columns in ``hide``."""
        doc = result_writers.drop_columns(self.select(sparql, bindings), set(hide))
        return result_writers.json_document(doc)

    def query_raw(
        self,
        sparql: str,
        media_type: str,
        default_graph_uris: Iterable[str] = (),
        named_graph_uris: Iterable[str] = (),
    ) -> RawResult:
        """Evaluate on the server; results re-written here with the row and byte caps."""
        graphs = {"default_graph_uris": default_graph_uris, "named_graph_uris": named_graph_uris}
        if media_type in result_writers.WRITERS:
            response = self._query(sparql, SPARQL_JSON, timeout=self.query_timeout, **graphs)
            doc = self._json(response)
            if "boolean" in doc:
                body = _ask_body(media_type, bool(doc["boolean"]))
                return RawResult(body, media_type)
            return self._write_rows(doc, media_type)
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"cannot write a graph as {media_type}")
        response = self._query(sparql, N_TRIPLES, timeout=self.query_timeout, **graphs)
        try:
            triples = ox.parse(response.content, ox.RdfFormat.N_TRIPLES)
            kept = list(itertools.islice(triples, self.row_cap + 1))
        except SyntaxError as err:
            raise StoreError(f"the SPARQL server sent malformed N-Triples: {err}") from err
        truncated = len(kept) > self.row_cap
        kept = kept[: self.row_cap]
        body = ox.serialize(kept, format=fmt) or b""
        while len(body) > self.byte_cap and kept:
            kept = kept[: len(kept) // 2]
            truncated = True
            body = ox.serialize(kept, format=fmt) or b""
        return RawResult(body, media_type, truncated)

    def _write_rows(self, doc: SparqlJson, media_type: str) -> RawResult:
        variables = doc["head"]["vars"]
        rows: list[list[Any]] = []
        size = 0
        truncated = False
        for binding in doc["results"]["bindings"]:
            row = [_oxigraph_term(binding[v]) if v in binding else None for v in variables]
            size += result_writers.estimate_size(row)
            if len(rows) >= self.row_cap or size > self.byte_cap:
                truncated = True
                break
            rows.append(row)
        body = result_writers.write_results(media_type, variables, rows)
        while len(body) > self.byte_cap and rows:
            rows = rows[: len(rows) // 2]
            truncated = True
            body = result_writers.write_results(media_type, variables, rows)
        return RawResult(body, media_type, truncated)

    def graph_names(self) -> list[str]:
        rows = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), {_string(GRAPH_NAMESPACE)})) }}"
        )["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows if row["g"]["type"] == "uri")

    def has_graph(self, graph_iri: str) -> bool:
        result = self.select(f"ASK {{ GRAPH <{check_iri(graph_iri)}> {{ ?s ?p ?o }} }}")
        return bool(result.get("boolean"))

    def count(self, graph_iri: str | None = None) -> int:
        if graph_iri is None:
            query = (
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {_string(GRAPH_NAMESPACE)})) }}"
            )
        else:
            query = (
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{check_iri(graph_iri)}> {{ ?s ?p ?o }} }}"
            )
        rows = self.select(query)["results"]["bindings"]
        return int(rows[0]["n"]["value"]) if rows else 0

    def dump_nquads(self) -> bytes:
        """Every managed graph as N-Quads, read graph by graph (in pages for large graphs)."""
        quads: list[ox.Quad] = []
        for name in self.graph_names():
            graph = ox.NamedNode(name)
            size = self.count(name)
            pages = (
                [""]
                if size <= DUMP_PAGE
                else [
                    f" ORDER BY ?s ?p ?o LIMIT {DUMP_PAGE} OFFSET {offset}"
                    for offset in range(0, size, DUMP_PAGE)
                ]
            )
            for page in pages:
                query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}{page}"
                response = self._query(query, N_TRIPLES, timeout=WRITE_TIMEOUT)
                try:
                    for t in ox.parse(response.content, ox.RdfFormat.N_TRIPLES):
                        quads.append(ox.Quad(t.subject, t.predicate, t.object, graph))
                except SyntaxError as err:
                    raise StoreError(f"the SPARQL server sent malformed N-Triples: {err}") from err
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""

    # --- writing -----------------------------------------------------------------------------
    def _managed(self, graph_iri: str) -> str:
        g = check_iri(graph_iri)
        if not g.startswith(GRAPH_NAMESPACE):
            raise ValueError(f"lexgraph manages the graphs under {GRAPH_NAMESPACE}, not {g}")
        return g

    def replace_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Replace one named graph in one request (GSP PUT, or one SPARQL Update)."""
        g = self._managed(graph_iri)
        try:  # parse first, so that malformed input fails before anything is sent
            triples = list(ox.parse(ntriples, ox.RdfFormat.N_TRIPLES))
        except SyntaxError as err:
            raise StoreError(f"invalid N-Triples for {graph_iri}: {err}") from err
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        if self.gsp_url:
            self._send(
                "PUT",
                self.gsp_url,
                params={"graph": g},
                content=body,
                headers={"Content-Type": "text/turtle; charset=utf-8"},
                timeout=WRITE_TIMEOUT,
            )
            return
        text = body.decode("utf-8")
        if any(
            isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
            for t in triples
        ):
            insert = f"INSERT {{ GRAPH <{g}> {{\n{text}\n}} }} WHERE {{}}"
        else:
            insert = f"INSERT DATA {{ GRAPH <{g}> {{\n{text}\n}} }}"
        self._update(f"DROP SILENT GRAPH <{g}> ;\n{insert}")

    def delete_graph(self, graph_iri: str) -> bool:
        g = self._managed(graph_iri)
        if not self.select(f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}").get("boolean"):
            return False
        self._update(f"DROP SILENT GRAPH <{g}>")
        return True

    def close(self) -> None:
        self.client.close()


def _ask_body(media_type: str, value: bool) -> bytes:
    """An ASK result in ``media_type``, written by pyoxigraph as the embedded store does."""
    store = ox.Store()
    result = store.query("ASK {}" if value else "ASK { FILTER(false) }")
    if not isinstance(result, ox.QueryBoolean):
        raise TypeError("pyoxigraph answered ASK with something else")
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    if fmt is None:
        raise ValueError(f"an ASK result cannot be {media_type}")
    return result.serialize(format=fmt) or b""


class RemoteQueryError(StoreError):
    """The server answered a request with an HTTP error; ``status`` and its text are kept."""

    def __init__(self, url: str, response: httpx.Response) -> None:
        self.server_status = response.status_code
        text = response.text.strip().splitlines()
        self.server_message = (text[0] if text else response.reason_phrase)[:500]
        super().__init__(
            f"the SPARQL server at {url} answered {response.status_code}: {self.server_message}"
        )
