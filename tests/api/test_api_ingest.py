"""Ingest through the real pipeline: commit, idempotent replace, SHACL refusal with the store
unchanged, delete, one writer per document, and the same through the command line."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import TOKEN, Server, load_store, make_settings
from fastapi.testclient import TestClient

from lexgraph import iris
from lexgraph.api.app import create_app
from lexgraph.ingest import Conflict, IngestMetadata, WriteGate, document_id_for

TEXT = (
    "Geachte voorzitter,\n\n"
    "Hierbij informeer ik uw Kamer over de Richtlijn 2001/55/EG (RTB). De Vreemdelingenwet 2000 "
    "blijft onverkort van toepassing.\n\n"
    "De Staatssecretaris van Justitie en Veiligheid,\n"
)
META = {
    "title": "Brief over tijdelijke bescherming",
    "date": "2026-07-10",
    "type": "Kamerbrief",
    "reference": "9990001",
    "sender": "Staatssecretaris van Justitie en Veiligheid",
    "addressee": "Voorzitter van de Tweede Kamer",
}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def writable(tmp_path: Path, fixture_graphs: dict[str, bytes]) -> Iterator[TestClient]:
    load_store(tmp_path / "store", fixture_graphs)
    with TestClient(create_app(make_settings(tmp_path))) as c:
        yield c


def triples(c: TestClient | httpx.Client) -> int:
    return int(c.get("/health").json()["store"]["triples"])


def test_document_ids() -> None:
    assert document_id_for(IngestMetadata(title="T", date="2026-01-01", reference="123")) == "123"
    meta = IngestMetadata(title="T", date="2026-01-01", identifier="kst-19637-3338")
    assert document_id_for(meta) == "kst-19637-3338"
    meta = IngestMetadata(title="Beslisnota Verzamelbrief Oekraïne", date="2025-07-01")
    assert document_id_for(meta) == "2025-07-01-beslisnota-verzamelbrief-oekraine"


def test_write_gate_refuses_a_second_writer_for_the_same_document() -> None:
    gate = WriteGate()
    entered, release = threading.Event(), threading.Event()

    def first() -> None:
        with gate.document("d"):
            entered.set()
            release.wait(5)

    worker = threading.Thread(target=first)
    worker.start()
    entered.wait(5)
    with pytest.raises(Conflict) as info, gate.document("d"):
        pass
    assert info.value.status == 409
    release.set()
    worker.join()
    with gate.document("d"):  # free again
        pass


def test_ingest_commit_replace_delete(writable: TestClient) -> None:
    before = triples(writable)
    r = writable.post("/documents", json={"text": TEXT, "metadata": META}, headers=AUTH)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["documentId"] == "9990001"
    assert body["iri"] == str(iris.document_iri("9990001"))
    assert body["replaced"] is False
    assert isinstance(body["citations"], int)
    assert r.headers["location"] == "/documents/9990001"
    after = triples(writable)
    assert after > before

    listed = {d["documentId"] for d in writable.get("/documents").json()["items"]}
    assert "9990001" in listed
    detail = writable.get("/documents/9990001").json()
    assert detail["text"] == TEXT
    assert detail["title"] == META["title"]
    ask = writable.get(
        "/sparql",
        params={
            "query": f"ASK {{ <{body['iri']}> a <https://w3id.org/lexgraph/ontology#Document> }}"
        },
    )
    assert ask.json()["boolean"] is True

    again = writable.post("/documents", json={"text": TEXT, "metadata": META}, headers=AUTH)
    assert again.status_code == 201
    assert again.json()["replaced"] is True
    assert triples(writable) == after  # idempotent

    gone = writable.delete("/documents/9990001", headers=AUTH)
    assert gone.status_code == 200 and gone.json() == {"documentId": "9990001", "deleted": True}
    assert triples(writable) == before
    assert writable.get("/documents/9990001").status_code == 404
    assert writable.delete("/documents/9990001", headers=AUTH).status_code == 404


def test_multipart_ingest(writable: TestClient) -> None:
    fields = {k: v for k, v in META.items()}
    r = writable.post(
        "/documents",
        data=fields,
        files={"file": ("brief.txt", TEXT.encode("utf-8"), "text/plain")},
        headers=AUTH,
    )
    assert r.status_code == 201, r.text
    assert writable.get("/documents/9990001").json()["text"] == TEXT


def test_shacl_violation_is_422_and_commits_nothing(writable: TestClient) -> None:
    before = triples(writable)
    bad = {**META, "reference": None, "identifier": "not-an-official-id"}
    r = writable.post("/documents", json={"text": TEXT, "metadata": bad}, headers=AUTH)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "shacl_violation"
    assert error["report"]["conforms"] is False
    assert error["report"]["results"]
    assert any("officialIdentifier" in (res["path"] or "") for res in error["report"]["results"])
    assert triples(writable) == before
    assert writable.get("/documents/not-an-official-id").status_code == 404


def test_unknown_document_type_is_422(writable: TestClient) -> None:
    r = writable.post(
        "/documents",
        json={"text": TEXT, "metadata": {**META, "type": "Geen bestaand type"}},
        headers=AUTH,
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_metadata"


@pytest.mark.integration
def test_ingest_on_the_real_server(server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=60) as c:
        before = triples(c)
        bad = {**META, "reference": None, "identifier": "not-an-official-id"}
        refused = c.post("/documents", json={"text": TEXT, "metadata": bad}, headers=AUTH)
        assert refused.status_code == 422
        assert triples(c) == before
        r = c.post("/documents", json={"text": TEXT, "metadata": META}, headers=AUTH)
        assert r.status_code == 201, r.text
        try:
            ids = {d["documentId"] for d in c.get("/documents").json()["items"]}
            assert "9990001" in ids
            query = "SELECT ?id WHERE { ?d <https://w3id.org/lexgraph/ontology#documentId> ?id }"
            rows = c.get("/sparql", params={"query": query}).json()["results"]["bindings"]
            assert "9990001" in {row["id"]["value"] for row in rows}
        finally:
            assert c.delete("/documents/9990001", headers=AUTH).status_code == 200
        assert triples(c) == before


def test_cli_ingest(tmp_path: Path, fixture_graphs: dict[str, bytes]) -> None:
    from typer.testing import CliRunner

    from lexgraph.cli import app

    load_store(tmp_path / "store", fixture_graphs)
    (tmp_path / "brief.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "brief.toml").write_text(
        "\n".join(f'{k} = "{v}"' for k, v in META.items() if k != "date") + "\ndate = 2026-07-10\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    args = ["ingest", str(tmp_path / "brief.txt"), "--meta", str(tmp_path / "brief.toml")]
    result = runner.invoke(app, [*args, "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["documentId"] == "9990001"
    (tmp_path / "bad.json").write_text(json.dumps({"title": "T"}), encoding="utf-8")
    bad = runner.invoke(
        app, ["ingest", str(tmp_path / "brief.txt"), "--meta", str(tmp_path / "bad.json")]
    )
    assert bad.exit_code == 1
