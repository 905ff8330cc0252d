"""A server with ingest enabled gets ready to ingest at startup: the stages run once on a short
text and the process's objects are frozen out of the collector's full collections."""

from __future__ import annotations

import gc
from pathlib import Path

from conftest import TOKEN, load_store, make_settings
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app
from lexgraph.ingest import prepare_ingest

DOC = {
    "text": "Geachte voorzitter,\n\nZie Richtlijn 2011/95/EU.\n",
    "metadata": {"title": "T", "date": "2026-01-02"},
}


def test_prepare_ingest_freezes_what_the_process_holds(tmp_path: Path) -> None:
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        prepare_ingest(make_settings(tmp_path))
        assert gc.get_freeze_count() > 10_000  # the shapes and the register at least
    finally:
        gc.unfreeze()


def test_startup_warms_ingest_only_when_it_is_enabled(tmp_path: Path) -> None:
    load_store(tmp_path / "store", {})
    gc.unfreeze()
    try:
        with TestClient(create_app(make_settings(tmp_path, ingest_token=None))):
            assert gc.get_freeze_count() == 0
        with TestClient(create_app(make_settings(tmp_path))) as c:
            assert gc.get_freeze_count() > 0
            r = c.post("/documents", json=DOC, headers={"Authorization": f"Bearer {TOKEN}"})
            assert r.status_code == 201, r.text
            assert r.json()["citations"] == 1
            # the warm-up text left nothing in the store: only the ingested document
            listed = c.get("/documents").json()
            assert listed["total"] == 1
            assert listed["items"][0]["documentId"] == r.json()["documentId"]
    finally:
        gc.unfreeze()
