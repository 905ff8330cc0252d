"""A real ``lexgraph serve`` in a subprocess on a free loopback port, for the hostile-input tests,
the crash test and the load generator (``bench/crash.py`` and ``bench/load.py`` import it too).

Settings travel as ``LEXGRAPH_*`` environment variables, exactly as an operator would set them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

TOKEN = "hostile-test-token-7c1e"
#: Quotas out of reach, for tests that send many refused queries from one address.
NO_QUOTAS = {
    "quota_errors_per_minute": 0,
    "quota_query_seconds_per_minute": 0,
    "quota_concurrent_queries": 0,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path
    store: Path
    port: int
    env: dict[str, str]

    def url(self, path: str) -> str:
        return self.base + path

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def server_env(store: Path, settings: dict[str, Any]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEXGRAPH_")}
    env["LEXGRAPH_STORE"] = str(store)
    env["LEXGRAPH_INGEST_TOKEN"] = TOKEN
    for key, value in settings.items():
        env[f"LEXGRAPH_{key.upper()}"] = str(value)
    return env


def spawn(
    store: Path, log: Path, settings: dict[str, Any] | None = None, port: int | None = None
) -> LiveServer:
    """Start ``lexgraph serve`` without waiting for it."""
    port = port or free_port()
    env = server_env(store, settings or {})
    cmd = [
        sys.executable,
        "-c",
        "from lexgraph.cli import main; main()",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    out = log.open("ab")
    proc = subprocess.Popen(
        cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    out.close()
    return LiveServer(f"http://127.0.0.1:{port}", proc, log, store, port, env)


def wait_until(server: LiveServer, status: int = 200, timeout: float = 60.0) -> float:
    """Seconds until ``/health`` answers ``status``; RuntimeError if it exits or never does."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if server.proc.poll() is not None:
            raise RuntimeError(f"server exited with {server.proc.returncode}:\n{server.log_text()}")
        try:
            if httpx.get(server.url("/health"), timeout=2).status_code == status:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    stop(server)
    raise RuntimeError(f"server did not answer /health with {status}:\n{server.log_text()}")


def start(
    store: Path, log: Path, settings: dict[str, Any] | None = None, health: int = 200
) -> LiveServer:
    server = spawn(store, log, settings)
    wait_until(server, health)
    return server


def kill(server: LiveServer) -> None:
    """SIGKILL the server and everything it started (query workers, validation children)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait()


def stop(server: LiveServer) -> None:
    if server.proc.poll() is not None:
        return
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill(server)
    else:  # the query workers follow their parent; make sure no straggler keeps the store open
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, signal.SIGKILL)
