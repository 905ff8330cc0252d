"""The /analytics endpoints through the real app, over the session's built store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app
from lexgraph.api.deps import get_store
from lexgraph.settings import get_settings
from lexgraph.store import GraphStore

from .conftest import DOC_7747653, ID, ROOT


@pytest.fixture(scope="module")
def client(store: GraphStore) -> Iterator[TestClient]:
    app = create_app(get_settings(queries_dir=ROOT / "queries", data_dir=ROOT / "graph_data"))
    app.dependency_overrides[get_store] = lambda: store
    yield TestClient(app)


def test_most_cited(client: TestClient) -> None:
    body = client.get("/analytics/most-cited", params={"limit": 2}).json()
    assert [(i["cid"], i["in_degree"]) for i in body["items"]] == [
        ("celex:32001L0055", 3),
        ("bwb:BWBR0046503", 2),
    ]
    body = client.get("/analytics/most-cited?scope=policy_point&kind=provision").json()
    assert [(i["cid"], i["pinpoint"], i["in_degree"]) for i in body["items"]] == [
        ("celex:32011L0095", "art. 15(c)", 3)
    ]


def test_path(client: TestClient) -> None:
    body = client.get("/analytics/path", params={"iri": DOC_7747653 + "/point/a"}).json()
    assert body["found"] is True
    (step,) = body["steps"]
    assert step["to_iri"] == ID + "provision/celex-32011L0095/art_15/pnt_c"
    assert step["passage"] == DOC_7747653 + "/passage/603-897"
    body = client.get("/analytics/path", params={"iri": DOC_7747653 + "/point/c"}).json()
    assert body == {
        "start": DOC_7747653 + "/point/c",
        "to": "eu_article",
        "found": False,
        "steps": [],
    }


def test_impact(client: TestClient) -> None:
    body = client.get("/analytics/impact/celex:32013L0032?as_of=2026-12-01").json()
    assert body["repealed"] is True and body["inactive"] is True
    assert body["no_longer_in_force"] == "2026-06-12"
    assert body["count"] == 3
    assert all(d["via_repealed"] for d in body["dependents"])
    encoded = client.get("/analytics/impact/celex%3A32013L0032?as_of=2026-06-01").json()
    assert encoded["repealed"] is False


def test_clusters_and_timeline(client: TestClient) -> None:
    body = client.get("/analytics/clusters?min_weight=2").json()
    assert [[m["cid"] for m in c["members"]] for c in body["clusters"]] == [
        ["treaty:echr", "treaty:iccpr"]
    ]
    body = client.get("/analytics/timeline").json()
    assert body["conflicts"] == 1
    assert body["count"] == 11  # five periods, six end-date statements
    assert max(i["end"] for i in body["items"] if i["kind"] == "period") == "2027-03-04"


def test_network(client: TestClient) -> None:
    body = client.get("/analytics/network", params={"iri": DOC_7747653 + "/point/a"}).json()
    assert len(body["nodes"]) == 5
    assert {n["kind"] for n in body["nodes"]} == {
        "policy_point",
        "document",
        "passage",
        "instrument",
        "provision",
    }
    assert all({"source", "target", "relation"} <= set(link) for link in body["links"])
    assert "grounds" in body["relations"]
    whole = client.get("/analytics/network").json()
    assert len(whole["nodes"]) > 100


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/analytics/most-cited?scope=passage", 400, "invalid_parameter"),
        ("/analytics/most-cited?limit=0", 400, "invalid_parameter"),
        ("/analytics/path", 400, "invalid_parameter"),
        ("/analytics/path?iri=https://example.org/x", 404, "unknown_iri"),
        (f"/analytics/path?iri={DOC_7747653}", 400, "invalid_start"),
        ("/analytics/path?iri=x&to=nowhere", 400, "invalid_parameter"),
        ("/analytics/impact/nonsense", 400, "invalid_id"),
        ("/analytics/impact/celex:39999L0001", 404, "unknown_id"),
        ("/analytics/impact/celex:32013L0032?as_of=yesterday", 400, "invalid_parameter"),
        ("/analytics/clusters?min_weight=0", 400, "invalid_parameter"),
        ("/analytics/clusters?level=sentence", 400, "invalid_parameter"),
        ("/analytics/network?iri=https://example.org/x", 404, "unknown_iri"),
        ("/analytics/network?radius=9", 400, "invalid_parameter"),
    ],
)
def test_errors(client: TestClient, url: str, status: int, code: str) -> None:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
