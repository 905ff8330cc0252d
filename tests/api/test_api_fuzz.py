"""Property-based requests over the OpenAPI document: whatever the input, never a 5xx other than
the documented 503s, and every error is the JSON error body.

schemathesis is not a dependency; hypothesis drives requests for every GET operation the
OpenAPI document lists (path and query parameters from its schema), plus the SPARQL POST forms
and the ingest endpoint with arbitrary bodies.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from conftest import TOKEN
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexgraph.api.app import create_app
from lexgraph.settings import Settings

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

texts = st.text(max_size=60)
values = st.one_of(
    texts,
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["", "0", "-1", "celex:32001L0055", "http://x/", "%00", "../../etc", "ä"]),
)


def check(response: Any) -> None:
    assert response.status_code < 500 or response.status_code == 503, (
        response.status_code,
        response.text[:500],
    )
    if response.status_code >= 400:
        body = response.json()
        assert set(body["error"]) >= {"code", "message"}


def get_operations() -> list[tuple[str, list[dict[str, Any]]]]:
    spec = create_app(Settings()).openapi()
    ops = []
    for path, item in spec["paths"].items():
        if "get" in item:
            ops.append((path, item["get"].get("parameters", [])))
    return ops


OPERATIONS = get_operations()


def test_openapi_lists_the_read_api() -> None:
    paths = {p for p, _ in OPERATIONS}
    assert {"/health", "/sparql", "/documents", "/provenance", "/export"} <= paths


@pytest.mark.slow
@pytest.mark.parametrize(("path", "params"), OPERATIONS, ids=[p for p, _ in OPERATIONS])
@FUZZ
@given(data=st.data())
def test_get_operations_never_fail(
    client: TestClient, path: str, params: list[dict[str, Any]], data: st.DataObject
) -> None:
    url = path
    query: dict[str, str] = {}
    for p in params:
        value = data.draw(values, label=p["name"])
        if p["in"] == "path":
            url = re.sub(r"\{" + p["name"] + r"(:path)?\}", quote(value, safe="") or "x", url)
        elif p["in"] == "query" and data.draw(st.booleans()):
            query[p["name"]] = value
    check(client.get(url, params=query))


@pytest.mark.slow
@FUZZ
@given(
    body=st.binary(max_size=300) | texts.map(str.encode),
    ctype=st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "application/sparql-update",
            "text/plain",
            "multipart/form-data; boundary=x",
            "",
        ]
    ),
    accept=st.sampled_from(["", "*/*", "text/csv", "text/turtle", "x/y;q=abc", ";;,"]),
)
def test_sparql_post_never_fails(client: TestClient, body: bytes, ctype: str, accept: str) -> None:
    headers = {k: v for k, v in (("Content-Type", ctype), ("Accept", accept)) if v}
    check(client.post("/sparql", content=body, headers=headers))


@pytest.mark.slow
@FUZZ
@given(query=texts, accept=st.sampled_from(["", "application/json", "text/html", "*/*;q=0"]))
def test_sparql_get_never_fails(client: TestClient, query: str, accept: str) -> None:
    headers = {"Accept": accept} if accept else {}
    check(client.get("/sparql", params={"query": query}, headers=headers))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=10,
)


@pytest.mark.slow
@FUZZ
@given(
    payload=st.fixed_dictionaries(
        {},
        optional={
            "text": json_values,
            "metadata": st.fixed_dictionaries(
                {}, optional={"title": json_values, "date": json_values, "type": json_values}
            ),
        },
    )
)
def test_ingest_rejects_garbage_cleanly(client: TestClient, payload: dict[str, Any]) -> None:
    # the session client's store is shared with read-only tests: only bodies that fail admission
    if isinstance(payload.get("text"), str) and isinstance(payload.get("metadata"), dict):
        payload["metadata"]["date"] = "not-a-date"
    r = client.post("/documents", json=payload, headers={"Authorization": f"Bearer {TOKEN}"})
    check(r)
    assert r.status_code in (400, 422)
