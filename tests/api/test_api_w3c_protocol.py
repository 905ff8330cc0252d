"""The W3C SPARQL 1.1 Protocol suite (tests/data/w3c-protocol/manifest.ttl) against a real server.

Query-side tests must pass as the manifest says (status class, result format, boolean).
Update-side tests must be refused the way a read-only public endpoint refuses: where the suite
expects success of an update, we expect 403 ``read_only`` and do not run the follow-up query
(it checks the update's effect); where it expects a 4xx, any 4xx passes.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from conftest import W3C_DIR, Server
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
CNT = Namespace("http://www.w3.org/2011/content#")

RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/n-quads",
    "application/rdf+xml",
}


@dataclass
class Exchange:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx", ...
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    label: str
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return "update" in self.name


def _status_class(node: URIRef) -> str:
    m = re.search(r"StatusCode(\dxx)$", str(node))
    assert m, node
    return m[1]


def load_manifest(path: Path) -> list[ProtocolTest]:
    g = Graph()
    g.parse(path, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    entries = Collection(g, g.value(manifest, MF.entries))
    tests = []
    for entry in entries:
        test = ProtocolTest(str(entry).rsplit("#", 1)[-1], str(g.value(entry, MF.name)))
        action = g.value(entry, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):
            headers = {}
            hlist = g.value(req, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = None
            bnode = g.value(req, HT.body)
            if bnode is not None:
                encoding = str(g.value(bnode, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(bnode, CNT.chars)).encode(encoding.lower())
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            path = str(g.value(req, HT.absolutePath))
            assert path.startswith("/sparql/")
            test.exchanges.append(
                Exchange(
                    method=str(g.value(req, HT.methodName)),
                    path="/sparql" + path[len("/sparql/") :],
                    headers=headers,
                    body=body,
                    statuses={_status_class(s) for s in g.objects(resp, MF.expectedStatus)},
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        tests.append(test)
    return tests


TESTS = load_manifest(W3C_DIR / "manifest.ttl")


def test_manifest_has_all_34_exchanges() -> None:
    assert len(TESTS) == 34
    assert sum(not t.is_update for t in TESTS) == 20
    assert sum(t.is_update for t in TESTS) == 14


def _boolean(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    assert media == "application/sparql-results+xml", media
    root = ET.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None
    return node.text == "true"


def run(server: Server, test: ProtocolTest) -> None:
    for exchange in test.exchanges:
        response = httpx.request(
            exchange.method,
            server.url(exchange.path),
            headers=exchange.headers,
            content=exchange.body,
            timeout=30,
        )
        got = f"{response.status_code // 100}xx"
        if test.is_update:
            assert got == "4xx", (test.name, response.status_code, response.text)
            if exchange.statuses & {"2xx", "3xx"}:
                assert response.status_code == 403
                assert response.json()["error"]["code"] == "read_only"
            return  # later exchanges check the effect of the refused update
        assert got in exchange.statuses, (test.name, response.status_code, response.text)
        if got != "2xx":
            assert response.json()["error"]["code"]
            continue
        media = response.headers["content-type"].split(";")[0]
        if exchange.expected_format == "boolean":
            assert media in ("application/sparql-results+json", "application/sparql-results+xml")
        elif exchange.expected_format == "tabular":
            assert media in RESULT_TYPES
        elif exchange.expected_format == "RDF":
            assert media in RDF_TYPES
            Graph().parse(data=response.content, format=media)
        if exchange.expected_boolean is not None:
            assert _boolean(response) is exchange.expected_boolean, test.name


@pytest.mark.integration
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(w3c_server: Server, test: ProtocolTest) -> None:
    run(w3c_server, test)
