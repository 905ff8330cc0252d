"""A throw-away Virtuoso Open Source 7 server for the remote-backend tests (once per session).

``virtuoso-t`` (Debian package ``virtuoso-opensource``) runs in the foreground on two free
loopback ports (SQL and HTTP) over a database directory in tmp; the README's Scale-out commands
create the lexgraph user with update rights. Without ``virtuoso-t`` the Virtuoso tests skip with
a message that says how to install it; the embedded-store tests run regardless.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from lexgraph.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: The ports the README's commands name (Virtuoso's defaults); tests substitute their own.
README_SQL_PORT = "1111"
README_HTTP_PORT = "8890"
STARTUP_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def scale_out_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Scale-out\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def readme_lines(prefix: str) -> list[str]:
    """The indented command lines of the Scale-out section that start with ``prefix``."""
    lines = scale_out_section().splitlines()
    return [line.strip() for line in lines if line.startswith("    " + prefix)]


def readme_environment(http_port: int) -> dict[str, str]:
    """The ``LEXGRAPH_*`` variables the README's ``export`` lines set, for this server's port."""
    env: dict[str, str] = {}
    for line in readme_lines("export "):
        for word in shlex.split(line)[1:]:
            name, _, value = word.partition("=")
            env[name] = value.replace(f":{README_HTTP_PORT}/", f":{http_port}/")
    return env


INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 10
MaxClientConnections = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 5
"""


@dataclass
class Virtuoso:
    """A running Virtuoso: its ports and the lexgraph settings the README gives for it."""

    http_port: int
    sql_port: int
    proc: subprocess.Popen[bytes]
    root: Path
    env: dict[str, str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def settings(self, **overrides: object) -> Settings:
        values: dict[str, object] = {
            name.removeprefix("LEXGRAPH_").lower(): value for name, value in self.env.items()
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    def isql(self, statements: str) -> str:
        done = subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0 and "Error" not in done.stdout, done.stdout + done.stderr
        return done.stdout


def _wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {proc.returncode}:\n{log.read_text()}")
        try:
            r = httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2)
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"virtuoso-t did not come up in {STARTUP_TIMEOUT:g} s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    binary = shutil.which("virtuoso-t")
    if binary is None or shutil.which("isql-vt") is None:
        pytest.skip(
            "Virtuoso is not installed (virtuoso-t / isql-vt not on PATH): the remote-backend "
            "tests need it; install it with 'apt-get install virtuoso-opensource' (.ci/run does)"
        )
    root = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    (root / "virtuoso.ini").write_text(
        INI.format(db=root, sql_port=sql_port, http_port=http_port), encoding="utf-8"
    )
    log = root / "stdout.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [binary, "-f", "-c", str(root / "virtuoso.ini")],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = Virtuoso(http_port, sql_port, proc, root, readme_environment(http_port))
    try:
        _wait_ready(server.base, proc, root / "virtuoso.log")
        for line in readme_lines("isql-vt "):  # the README's user and grants, run as written
            args = shlex.split(line)
            assert args[1] == README_SQL_PORT, line
            (statements,) = (a.removeprefix("exec=") for a in args if a.startswith("exec="))
            server.isql(statements)
        yield server
    finally:
        _stop(proc)


def clear_lexgraph_graphs(settings: Settings) -> None:
    """Drop every graph lexgraph manages on the server (a test's clean start)."""
    from lexgraph.store.remote import RemoteStore

    store = RemoteStore(settings)
    try:
        for name in store.graph_names():
            store.delete_graph(name)
    finally:
        store.close()


def lexgraph_command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from lexgraph.cli import main; main()", *args]


def server_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEXGRAPH_")}
    env.update(extra)
    return env
