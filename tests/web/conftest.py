"""The web pages over the real seed build: one ``lexgraph build`` per session into tmp, an
in-process client over one copy of the store and a live ``lexgraph serve`` over another (an
embedded store is opened by one process at a time)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from lexgraph.api.app import create_app
from lexgraph.build import run_build
from lexgraph.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("web-build")
    data = tmp / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    settings = get_settings(store=tmp / "store", data_dir=data)
    assert run_build(settings, if_needed=False) == 0
    return tmp / "store"


def copy_store(seed_store: Path, target: Path) -> Path:
    shutil.copytree(seed_store, target)
    return target


@pytest.fixture(scope="session")
def client(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = copy_store(seed_store, tmp_path_factory.mktemp("web-client") / "store")
    with TestClient(create_app(Settings(store=store))) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(seed_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``lexgraph serve`` on a free loopback port over a copy of the seed build; its base URL."""
    root = tmp_path_factory.mktemp("web-server")
    store = copy_store(seed_store, root / "store")
    port = free_port()
    env = dict(os.environ, LEXGRAPH_STORE=str(store))
    cmd = [sys.executable, "-c", "from lexgraph.cli import main; main()", "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port)]
    log = root / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()}")
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not become healthy:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
