"""`make run` — the README's first command — builds the graph and serves it over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FIVE = {
    "6511548",
    "7747653",
    "7753121",
    "2022-11-07-antwoorden-van-dijk-mobilisatie-rusland",
    "2025-07-beslisnota-verzamelbrief-opvang-oekraine",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_make_run_serves_the_five_documents(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "LEXGRAPH_STORE": str(tmp_path / "store")}
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        query = (
            "PREFIX lkg: <https://w3id.org/lexgraph/ontology#> "
            "SELECT ?id WHERE { ?d a lkg:Document ; lkg:documentId ?id }"
        )
        r = httpx.get(f"{base}/sparql", params={"query": query}, timeout=30)
        assert r.status_code == 200
        ids = {b["id"]["value"] for b in r.json()["results"]["bindings"]}
        assert ids == FIVE
        count = httpx.get(
            f"{base}/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE {?s ?p ?o}"},
            timeout=30,
        ).json()
        assert int(count["results"]["bindings"][0]["n"]["value"]) > 5000
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
