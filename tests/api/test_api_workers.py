"""``lexgraph serve --workers 2`` on the embedded store: the workers read published snapshots.

Over the real seed build: a two-worker server answers from both worker processes exactly as a
one-worker server over a copy of the same store (every named-query case of
``queries/golden/cases.toml``, provenance, documents, user SPARQL through the sandbox), refuses
HTTP writes with 403 ``read_only_server``, and shows a document that ``lexgraph ingest`` adds to
the live store while it runs, from both workers.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lexgraph.build import run_build
from lexgraph.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "workers-test-token-5d2e"
CASES = tomllib.loads((ROOT / "queries" / "golden" / "cases.toml").read_text("utf-8"))["case"]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
LETTER = "Geachte voorzitter,\n\nDe Richtlijn 2001/55/EG blijft van toepassing.\n"
LETTER_META = (
    'title = "Werkersbrief"\ndate = 2026-07-10\ntype = "Kamerbrief"\nreference = "9990077"\n'
)


def lexgraph(*args: str) -> list[str]:
    return [sys.executable, "-c", "from lexgraph.cli import main; main()", *args]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path
    store: Path

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.base + path, timeout=60, **kwargs)


def env_for(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEXGRAPH_")}
    env.update(
        {
            "LEXGRAPH_STORE": str(store),
            "LEXGRAPH_INGEST_TOKEN": TOKEN,
            "LEXGRAPH_QUERY_TIMEOUT": "20",
            "LEXGRAPH_POOL_WORKERS": "1",
            "LEXGRAPH_QUOTA_QUERY_SECONDS_PER_MINUTE": "0",
            "LEXGRAPH_QUOTA_ERRORS_PER_MINUTE": "0",
            "LEXGRAPH_QUOTA_CONCURRENT_QUERIES": "0",
        }
    )
    return env


def start(store: Path, workers: int, log: Path) -> Live:
    port = free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            lexgraph(*args),
            env=env_for(store),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    live = Live(f"http://127.0.0.1:{port}", proc, log, store)
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        try:
            if live.get("/health").status_code == 200:
                return live
        except httpx.HTTPError:
            pass
        time.sleep(0.3)


def stop(live: Live) -> None:
    os.killpg(live.proc.pid, signal.SIGTERM)
    try:
        live.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(live.proc.pid, signal.SIGKILL)
        live.proc.wait()


def worker_pids(live: Live) -> set[int]:
    """The uvicorn worker processes (spawned children of the supervisor)."""
    pid = live.proc.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(c) for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()}


def answers_by_worker(live: Live, path: str, params: Any = None) -> dict[int, httpx.Response]:
    """One answer from each worker: parallel requests on fresh connections until both answered."""
    seen: dict[int, httpx.Response] = {}
    with ThreadPoolExecutor(4) as pool:
        for _ in range(50):
            for response in pool.map(lambda _: live.get(path, params=params), range(4)):
                seen.setdefault(int(response.headers["x-lexgraph-worker"]), response)
            if len(seen) >= 2:
                return seen
    raise AssertionError(f"only workers {sorted(seen)} answered {path}")


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("workers-build")
    data = tmp / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    assert run_build(get_settings(store=tmp / "store", data_dir=data), if_needed=False) == 0
    return tmp / "store"


@pytest.fixture(scope="module")
def one(seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("one-worker")
    live = start(Path(shutil.copytree(seed, tmp / "store")), 1, tmp / "server.log")
    yield live
    stop(live)


@pytest.fixture(scope="module")
def two(seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    tmp = tmp_path_factory.mktemp("two-workers")
    live = start(Path(shutil.copytree(seed, tmp / "store")), 2, tmp / "server.log")
    yield live
    stop(live)


def test_both_workers_answer_and_name_themselves(two: Live) -> None:
    pids = worker_pids(two)
    assert len(pids) == 2
    answered = answers_by_worker(two, "/health")
    assert set(answered) == pids
    assert all(r.json()["status"] == "ok" for r in answered.values())


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_named_queries_answer_as_one_worker_does(one: Live, two: Live, case: Any) -> None:
    path, params = f"/queries/{case['query']}", case.get("params", {})
    expected = one.get(path, params=params)
    assert expected.status_code == 200, expected.text
    for response in answers_by_worker(two, path, params).values():
        assert response.status_code == 200, response.text
        assert response.json() == expected.json()


@pytest.mark.parametrize(
    "path,params",
    [
        ("/provenance", {"iri": "http://data.europa.eu/eli/dir/2001/55/oj"}),
        ("/provenance", {"iri": "https://w3id.org/lexgraph/id/doc/7747653/point/a"}),
        ("/documents", {"limit": "50"}),
        ("/documents/7747653", {}),
        ("/commitments", {}),
    ],
)
def test_rest_answers_as_one_worker_does(
    one: Live, two: Live, path: str, params: dict[str, str]
) -> None:
    expected = one.get(path, params=params)
    assert expected.status_code == 200, expected.text
    for response in answers_by_worker(two, path, params).values():
        assert response.json() == expected.json()


def test_user_sparql_runs_in_the_sandbox_of_each_worker(one: Live, two: Live) -> None:
    expected = one.get("/sparql", params={"query": COUNT}).json()
    assert int(expected["results"]["bindings"][0]["n"]["value"]) > 5000
    for response in answers_by_worker(two, "/sparql", {"query": COUNT}).values():
        assert response.status_code == 200, response.text
        assert response.json() == expected
    refused = two.get("/sparql", params={"query": "DROP ALL"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"


def test_http_writes_are_refused_with_the_way_to_ingest(two: Live) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    body = {"text": LETTER, "metadata": {"title": "Werkersbrief", "date": "2026-07-10"}}
    posted = httpx.post(two.base + "/documents", json=body, headers=auth, timeout=60)
    deleted = httpx.delete(two.base + "/documents/7747653", headers=auth, timeout=60)
    for response in (posted, deleted):
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "read_only_server"
        assert "lexgraph ingest" in error["message"] and "--workers 1" in error["message"]
    assert two.get("/documents/7747653").status_code == 200
    assert "they refuse HTTP writes (add documents with lexgraph ingest" in two.log.read_text()


def test_an_ingest_beside_the_server_reaches_every_worker(two: Live, tmp_path: Path) -> None:
    before = int(
        two.get("/sparql", params={"query": COUNT}).json()["results"]["bindings"][0]["n"]["value"]
    )
    assert two.get("/documents/9990077").status_code == 404
    (tmp_path / "letter.txt").write_text(LETTER, encoding="utf-8")
    (tmp_path / "letter.toml").write_text(LETTER_META, encoding="utf-8")
    done = subprocess.run(
        lexgraph("ingest", str(tmp_path / "letter.txt"), "--meta", str(tmp_path / "letter.toml")),
        env=env_for(two.store),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    for response in answers_by_worker(two, "/documents/9990077").values():
        assert response.status_code == 200
        assert response.json()["title"] == "Werkersbrief"
    for response in answers_by_worker(two, "/sparql", {"query": COUNT}).values():
        after = int(response.json()["results"]["bindings"][0]["n"]["value"])
        assert after > before
    # Old generations go once no worker reads them; the newest stays.
    root = two.store.with_name(two.store.name + ".snapshots")
    current = int((root / "CURRENT").read_text())
    assert (root / f"{current:06d}").is_dir()
