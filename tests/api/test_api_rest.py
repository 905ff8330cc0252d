"""REST resources over the fixture graph: health, documents, instruments, provenance, export."""

from __future__ import annotations

import json
from pathlib import Path

import fixture_graph as fx
import pyoxigraph as ox
import pytest
from conftest import make_settings
from fastapi.testclient import TestClient
from rdflib import Dataset

from lexgraph import iris
from lexgraph.api.app import create_app

CIT_RTB, CIT_QD, CIT_APD = (str(c) for c in fx.citation_iris())


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["store"]["open"] is True
    assert body["store"]["triples"] > 50
    assert str(iris.REGISTER_GRAPH) in body["store"]["graphs"]


def test_health_fails_closed_on_a_broken_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.write_text("not a store directory")  # a file where the store directory should be
    with TestClient(create_app(make_settings(tmp_path))) as c:
        r = c.get("/health")
        assert r.status_code == 503
        assert r.json()["status"] == "unavailable"
        assert r.json()["store"]["error"]
        q = c.get("/sparql", params={"query": "ASK {}"})
        assert q.status_code == 503
        assert q.json()["error"]["code"] == "store_unavailable"
        assert c.get("/documents").status_code == 503


# --- documents ----------------------------------------------------------------------------------


def test_document_list(client: TestClient) -> None:
    r = client.get("/documents")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1
    assert body["next"] is None
    (doc,) = body["items"]
    assert doc["documentId"] == fx.DOC_ID
    assert doc["@id"] == str(iris.document_iri(fx.DOC_ID))
    assert doc["date"] == "2026-07-02"
    assert doc["href"] == f"/documents/{fx.DOC_ID}"


@pytest.mark.parametrize("params", [{"limit": "0"}, {"limit": "x"}, {"offset": "-1"}])
def test_document_list_bad_paging_is_400(client: TestClient, params: dict[str, str]) -> None:
    r = client.get("/documents", params=params)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_parameter"


def test_document_detail(client: TestClient) -> None:
    r = client.get(f"/documents/{fx.DOC_ID}")
    assert r.status_code == 200
    doc = r.json()
    assert doc["@context"]["start"]["@id"] == "oa:start"
    assert doc["title"] == fx.TITLE
    assert doc["text"] == fx.TEXT
    assert len(doc["passages"]) == len(fx.PASSAGES)
    for p in doc["passages"]:
        assert fx.TEXT[p["start"] : p["end"]] in fx.PASSAGES
    assert [c["citedId"] for c in doc["citations"]] == [fx.RTB, fx.QD, fx.APD]
    qd = doc["citations"][1]
    assert qd["exact"] == fx.TEXT[qd["start"] : qd["end"]]
    assert qd["pinpoint"] == "art. 15(c)"
    assert qd["citedEntity"] == "http://data.europa.eu/eli/dir/2011/95/oj"
    assert qd["provisions"] == [str(p) for p in iris.provision_iris(fx.QD, "art. 15(c)")]
    assert qd["instrument"] == "/instruments/celex:32011L0095"
    # the JSON-LD reading of the answer is RDF a processor can load
    g = Dataset().parse(data=json.dumps(doc), format="json-ld")
    assert len(g) > 10


def test_document_html_escapes_and_links(client: TestClient) -> None:
    r = client.get(f"/documents/{fx.DOC_ID}", params={"format": "html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "&lt;RTB&gt; &amp;" in r.text  # title escaped
    assert "<RTB>" not in r.text
    assert (
        '<a class="citation" href="/instruments/celex:32001L0055" title="celex:32001L0055" '
        'data-type="eu-act">Richtlijn 2001/55/EG (RTB)</a>'
    ) in r.text
    assert r.text.count('class="citation"') == 3


@pytest.mark.parametrize(("path", "status"), [("/documents/nope", 404), ("/documents/a%20b", 400)])
def test_document_errors(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.json()["error"]["code"] in ("not_found", "invalid_id")


# --- instruments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/instruments/celex:32001L0055", "/instruments/celex%3A32001L0055"]
)
def test_instrument(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["iri"] == "http://data.europa.eu/eli/dir/2001/55/oj"
    assert {"value": "Richtlijn tijdelijke bescherming", "lang": "nl"} in body["names"]
    assert "RTB" in {a["value"] for a in body["aliases"]}
    cw = body["crosswalk"]
    assert cw["celex"] == "32001L0055"
    assert cw["eli"] == "http://data.europa.eu/eli/dir/2001/55/oj"
    assert cw["eurLex"] == "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32001L0055"
    assert body["identifiers"][0]["status"].endswith("verification/confirmed")
    assert body["citationCount"] == 1


def test_instrument_validity_and_provisions(client: TestClient) -> None:
    apd = client.get("/instruments/celex:32013L0032").json()
    assert apd["validity"]["noLongerInForce"] == "2026-06-12"
    assert apd["validity"]["repealedById"] == fx.APD_RECAST
    qd = client.get("/instruments/celex:32011L0095").json()
    assert [p["pinpoint"] for p in qd["provisions"]] == ["art. 15(c)"]


def test_instrument_citations(client: TestClient) -> None:
    r = client.get("/instruments/celex:32011L0095/citations")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == 1
    (c,) = body["items"]
    assert c["@id"] == CIT_QD
    assert c["documentId"] == fx.DOC_ID
    assert c["exact"] == fx.TEXT[c["start"] : c["end"]]
    recast = client.get("/instruments/celex:32024R1348/citations").json()
    assert recast["total"] == 0 and recast["items"] == []


def test_instrument_crosswalk_by_rule() -> None:
    from lexgraph.api.routers.instruments import crosswalk

    assert (
        crosswalk("bwb:BWBR0011823", {}).wettenOverheid == "https://wetten.overheid.nl/BWBR0011823"
    )
    assert (
        crosswalk("kst:19637-3338", {}).officieleBekendmakingen
        == "https://zoek.officielebekendmakingen.nl/kst-19637-3338"
    )
    assert (
        crosswalk("ah:TK:2021-2022:3441", {}).officieleBekendmakingen
        == "https://zoek.officielebekendmakingen.nl/ah-tk-20212022-3441"
    )
    ecli = crosswalk("ecli:ECLI:NL:RVS:2025:1473", {})
    assert ecli.rechtspraak == "https://uitspraken.rechtspraak.nl/details?id=ECLI:NL:RVS:2025:1473"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/instruments/celex:39999L9999", 404),
        ("/instruments/treaty:echr", 404),
        ("/instruments/not-an-id", 400),
        ("/instruments/foo:bar", 400),
        ("/instruments/ah:TK:bad:1", 400),
        ("/instruments/not-an-id/citations", 400),
        ("/instruments/celex:39999L9999/citations", 404),
    ],
)
def test_instrument_errors(client: TestClient, path: str, status: int) -> None:
    r = client.get(path)
    assert r.status_code == status
    assert r.json()["error"]["code"] in ("not_found", "invalid_id")


# --- provenance ---------------------------------------------------------------------------------


def test_provenance_of_a_citation(client: TestClient) -> None:
    r = client.get("/provenance", params={"iri": CIT_RTB})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    body = r.json()
    assert body["@id"] == CIT_RTB
    assert body["hasSource"] == {
        "@id": str(iris.document_iri(fx.DOC_ID)),
        "documentId": fx.DOC_ID,
        "title": fx.TITLE,
    }
    selectors = {s["@type"]: s for s in body["hasSelector"]}
    pos, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
    assert quote["exact"] == fx.TEXT[pos["start"] : pos["end"]] == "Richtlijn 2001/55/EG (RTB)"
    activity = body["wasGeneratedBy"]
    assert activity["@id"] == str(fx.ACTIVITY)
    assert activity["endedAtTime"] == "2026-07-02T00:00:00Z"
    assert activity["wasAssociatedWith"]["softwareVersion"] == "9.9.9"
    assert body["graph"] == [str(iris.document_graph(fx.DOC_ID))]
    # it is JSON-LD: the quote reads back as oa:exact
    g = Dataset().parse(data=json.dumps(body), format="json-ld")
    exact = {str(o) for o in g.objects(None, ox_term("http://www.w3.org/ns/oa#exact"))}
    assert "Richtlijn 2001/55/EG (RTB)" in exact


def ox_term(iri: str):  # type: ignore[no-untyped-def]
    from rdflib import URIRef

    return URIRef(iri)


def test_provenance_of_a_curated_fact(client: TestClient) -> None:
    fact = str(fx.ID["statement/T-0001-end-date"])
    body = client.get("/provenance", params={"iri": fact}).json()
    used = body["wasGeneratedBy"]["used"][0]
    assert used["@type"] == "lkg:CurationRecord"
    assert used["recordId"] == fx.RECORD_ID
    assert used["quote"] == "blijft van toepassing tot 4 maart 2027"
    assert body["graph"] == [str(iris.CURATION_GRAPH)]


def test_provenance_of_a_register_fact(client: TestClient) -> None:
    body = client.get("/provenance", params={"iri": str(iris.instrument_iri(fx.RTB))}).json()
    assert body["graph"] == [str(iris.REGISTER_GRAPH)]
    assert "https://w3id.org/lexgraph/ontology#EUAct" in body["@type"]


@pytest.mark.parametrize(
    ("iri", "status"),
    [("https://w3id.org/lexgraph/id/nothing", 404), ("not an iri", 400), ("<x>", 400)],
)
def test_provenance_errors(client: TestClient, iri: str, status: int) -> None:
    r = client.get("/provenance", params={"iri": iri})
    assert r.status_code == status
    assert r.json()["error"]["code"] in ("not_found", "invalid_iri")
    assert client.get("/provenance").status_code == 400  # iri is required


# --- export -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "media", "ox_format"),
    [
        ("nquads", "application/n-quads", ox.RdfFormat.N_QUADS),
        ("trig", "application/trig", ox.RdfFormat.TRIG),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_export(
    client: TestClient,
    fixture_graphs: dict[str, bytes],
    fmt: str,
    media: str,
    ox_format: ox.RdfFormat,
) -> None:
    r = client.get("/export", params={"format": fmt})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    quads = list(ox.parse(r.content, format=ox_format))
    expected = sum(
        len(list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))) for nt in fixture_graphs.values()
    )
    assert len(quads) == expected
    assert {q.graph_name.value for q in quads} == set(fixture_graphs)


def test_export_unknown_format_is_400(client: TestClient) -> None:
    assert client.get("/export", params={"format": "xml"}).status_code == 400


def test_openapi_documents_every_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/health",
        "/sparql",
        "/documents",
        "/documents/{document_id}",
        "/provenance",
        "/export",
    ):
        assert path in spec["paths"], path
    for path, ops in spec["paths"].items():
        for op in ops.values():
            assert op.get("summary"), path


def test_instrument_id_pattern_is_the_shapes_pattern() -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SH

    from lexgraph.api.routers.instruments import CITATION_ID_PATTERN
    from lexgraph.settings import Settings

    shapes = Graph().parse(Settings().ontology_dir / "shapes" / "identifiers.ttl")
    shape = URIRef("https://w3id.org/lexgraph/shapes#InstrumentHasOneCitationId")
    assert str(shapes.value(shape, SH.pattern)) == CITATION_ID_PATTERN


@pytest.mark.parametrize(
    "cid", ["ecli:garbage", "celex:32001l0055", "kst:19637 3338", "treaty:ECHR", "bwb:BWBR1"]
)
def test_malformed_instrument_ids_are_400(client: TestClient, cid: str) -> None:
    r = client.get(f"/instruments/{cid}")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid_id"
