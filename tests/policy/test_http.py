"""The HTTP side: /queries (list, run, errors) and /commitments, /motions, through the real app
with the session's built store."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app
from lexgraph.named_queries import bind_parameters, load_queries
from lexgraph.result_writers import drop_columns, json_document
from lexgraph.settings import get_settings

from .harness import ROOT

REQUIRED = {
    "policy-point-grounds": ["document", "point"],
    "citations-of": ["id"],
    "commitments": [],
    "motions": [],
    "questions-answers": ["document"],
    "protection-periods": [],
    "provenance": ["iri"],
    "dependents-of": ["id"],
}


@pytest.fixture(scope="module")
def client(built_store: Any) -> Iterator[TestClient]:
    app = create_app(get_settings(queries_dir=ROOT / "queries", data_dir=ROOT / "graph_data"))
    app.state.store = built_store  # what the lifespan does (the routers read it from there)
    yield TestClient(app)


def bindings(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]


def test_list_names_titles_and_parameters(client: TestClient) -> None:
    body = client.get("/queries").json()
    listed = {q["name"]: q for q in body["queries"]}
    for name, params in REQUIRED.items():
        assert [p["name"] for p in listed[name]["parameters"]] == params
        assert listed[name]["title"] and listed[name]["question"]
    assert listed["commitments"]["columns"] == [
        "commitment", "text", "madeBy", "madeTo", "madeOn", "debate", "status",
        "answeredBy", "answerKind", "quote",
    ]  # fmt: skip


def test_unknown_query_is_404(client: TestClient) -> None:
    r = client.get("/queries/no-such-query")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "url",
    [
        "/queries/policy-point-grounds?document=7747653",
        "/queries/policy-point-grounds?document=7747653&point=a&extra=1",
        "/queries/citations-of?id=",
        "/queries/provenance?iri=not-an-iri",
        "/queries/questions-answers?document=no-such-document",
        "/queries/citations-of?id=a&id=b",
    ],
)
def test_missing_or_invalid_parameters_are_400(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"]


def test_a_value_is_bound_not_pasted(client: TestClient) -> None:
    evil = 'x" } UNION { ?s ?p ?o } #'
    assert bindings(client.get("/queries/citations-of", params={"id": evil})) == []


GOLDEN_CASES = tomllib.loads((ROOT / "queries" / "golden" / "cases.toml").read_text("utf-8"))


@pytest.mark.parametrize(
    "case", GOLDEN_CASES["case"], ids=[c["file"] for c in GOLDEN_CASES["case"]]
)
def test_response_bytes_are_the_parsed_result_written_again(
    client: TestClient, built_store: Any, case: dict[str, Any]
) -> None:
    """The endpoint sends the store's bytes without parsing them: they must be exactly what
    writing the parsed result without the parameter columns gives (what it sent before)."""
    query = load_queries(ROOT / "queries")[case["query"]]
    params = case.get("params", {})
    bound = bind_parameters(built_store, query, params)
    expected = json_document(drop_columns(built_store.select(query.sparql, bound), set(bound)))
    r = client.get(f"/queries/{case['query']}", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert r.content == expected
    assert json.loads(r.content)["head"]["vars"] == list(query.columns)


def test_document_parameter_takes_any_identifier(client: TestClient) -> None:
    by_id = bindings(client.get("/queries/questions-answers?document=6511548"))
    iri = "https://w3id.org/lexgraph/id/doc/6511548"
    assert bindings(client.get("/queries/questions-answers", params={"document": iri})) == by_id
    assert len(by_id) == 19
    assert by_id[0]["number"] == "1" and by_id[-1]["number"] == "B.2"


def test_done_when_commitments_lists_every_commitment(client: TestClient) -> None:
    rows = bindings(client.get("/queries/commitments"))
    by_key: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_key.setdefault(row["commitment"].rsplit("/", 1)[-1], []).append(row)
    for key in (
        "apb-2024-terugkeer-oekraiense-mannen",
        "podt-non-refoulement",
        "michon-derkzen-nederlandse-taal",
        "van-zanten-bevolkingscijfers",
        "bestuurlijke-overleggen",
        "appreciatie-motie-piri",
    ):
        assert key in by_key, key
        assert all(r["status"] and r["answeredBy"] and r["answerKind"] for r in by_key[key])
    apb = {
        (r["answeredBy"], r["answerKind"]) for r in by_key["apb-2024-terugkeer-oekraiense-mannen"]
    }
    assert apb == {("6511548", "reports-progress"), ("kst-19637-3338", "fulfils")}
    assert by_key["apb-2024-terugkeer-oekraiense-mannen"][0]["madeBy"] == "Dick Schoof"
    piri = by_key["appreciatie-motie-piri"][0]
    assert (piri["answeredBy"], piri["quote"]) == (
        "7753121",
        "Die toezegging doe ik hierbij gestand.",
    )


def test_done_when_motion_piri_is_ontraden_in_7753121(client: TestClient) -> None:
    rows = bindings(client.get("/queries/motions"))
    [piri] = [r for r in rows if r["motionId"] == "motion:piri"]
    assert (piri["appreciation"], piri["appreciatedIn"]) == ("ontraden", "7753121")
    assert piri["quote"] == "Gelet op het voorgaande ontraad ik de motie."
    assert piri["submitters"] == "Piri (Pro)"
    ids = {r["motionId"] for r in rows}
    assert {"kst:36600-XX-22", "kst:29689-1283"} <= ids


def test_done_when_point_a_rests_on_article_15c(client: TestClient) -> None:
    rows = bindings(client.get("/queries/policy-point-grounds?document=7747653&point=a"))
    hits = [r for r in rows if r["instrumentId"] == "celex:32011L0095"]
    assert any(r.get("pinpoint") == "art. 15(c)" for r in hits), rows
    assert all(r["pointText"].startswith("a. Een beleid op grond van artikel 15") for r in hits)
    assert any("artikel 15, onder c" in r["quote"] for r in hits)


def test_period_conflict_is_visible(client: TestClient) -> None:
    rows = bindings(client.get("/queries/protection-periods"))
    ends_2027 = {
        (r["end"], r["statedBy"]) for r in rows if r.get("decisionId") == "celex:32025D1460"
    }
    assert ("2027-03-05", "7747653") in ends_2027
    assert ("2027-03-04", "7747653") in ends_2027
    assert ("2027-03-04", "2025-07-beslisnota-verzamelbrief-opvang-oekraine") in ends_2027
    starts = sorted(r["start"] for r in rows if "statedBy" not in r or r.get("quote") is None)
    assert starts[:2] == ["2023-03-05", "2024-03-05"]  # the register-based periods


def test_commitment_resources(client: TestClient) -> None:
    body = client.get("/commitments").json()
    assert body["count"] == len(body["commitments"]) >= 6
    one = client.get("/commitments/appreciatie-motie-piri").json()
    assert one["status"] == "fulfilled"
    [answer] = one["answers"]
    assert answer["answerKind"] == "fulfils"
    assert answer["passage"]["documentId"] == "7753121"
    assert answer["passage"]["quote"] == "Die toezegging doe ik hierbij gestand."
    assert client.get("/commitments/no-such-commitment").status_code == 404


def test_motion_resources(client: TestClient) -> None:
    piri = client.get("/motions/piri").json()
    assert piri["motionId"] == "motion:piri"
    assert piri["submitters"] == [{"name": "Piri", "party": "Pro"}]
    [app] = piri["appreciations"]
    assert app["appreciation"] == "ontraden" and app["passage"]["documentId"] == "7753121"
    boomsma = client.get("/motions/kst-36600-XX-22").json()
    assert {f["answerKind"] for f in boomsma["followUps"]} == {"defers"}
    assert boomsma["followUps"][0]["passage"]["quote"].startswith("Naar aanleiding van de motie")
    assert client.get("/motions/nope").status_code == 404
