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
        # the README's named-query examples, against this server
        for command in _commands("Policy questions: the named queries", "curl "):
            url = command.split("'")[1].replace("http://127.0.0.1:8000", base)
            answer = httpx.get(url, timeout=30)
            assert answer.status_code == 200, command
            body = answer.json()
            if url.endswith("/queries"):
                listed = body if isinstance(body, list) else body.get("queries", [])
                assert len(listed) >= 8, body
            else:
                assert body["results"]["bindings"], command
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    return text[start : text.index("\n## ", start + 1)]


def _commands(title: str, prefix: str) -> list[str]:
    return [
        ln.strip() for ln in _readme_section(title).splitlines() if ln.startswith(f"    {prefix}")
    ]


def test_readme_command_line_examples_run(tmp_path: Path) -> None:
    commands = _commands("Command line", "lexgraph ")
    assert len(commands) == 3
    env = {**os.environ, "LEXGRAPH_DATA_DIR": str(ROOT / "graph_data")}
    binary = str(Path(os.sys.executable).parent / "lexgraph")
    for command in commands:
        args = command.split()[1:]
        args = [str(tmp_path / "store") if a == "/tmp/lexgraph-readme-store" else a for a in args]
        proc = subprocess.run([binary, *args], cwd=ROOT, env=env, capture_output=True, timeout=300)
        assert proc.returncode == 0, (command, proc.stderr.decode())
        assert proc.stdout or proc.stderr
