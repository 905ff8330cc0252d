"""The worker sandbox: no sockets (even from native code), no exec, no files outside its folder.

Each check runs in a fresh interpreter, because the sandbox cannot be removed once entered.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import Listener


def run_sandboxed(body: str, data_root: Path) -> dict[str, str]:
    """Run ``body`` after ``sandbox.enter``; it fills the dict ``out``; returns it."""
    code = (
        textwrap.dedent(
            f"""
        import json, sys
        import pyoxigraph
        import rdflib, rdflib.plugins.sparql
        from lexgraph import sandbox
        out = {{"seccomp": str(sandbox.enter([__import__("pathlib").Path({str(data_root)!r})]))}}
        def attempt(name, fn):
            try:
                out[name] = "ALLOWED: " + repr(fn())[:200]
            except BaseException as exc:
                out[name] = "refused: " + type(exc).__name__ + ": " + str(exc)[:200]
        """
        )
        + textwrap.dedent(body)
        + "\nsys.stdout.write(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, str] = json.loads(proc.stdout)
    return result


def test_network_exec_and_file_reads_are_refused(tmp_path: Path, listener: Listener) -> None:
    inside = tmp_path / "inside.txt"
    inside.write_text("ok", encoding="utf-8")
    out = run_sandboxed(
        f"""
        import socket, os, urllib.request
        attempt("connect", lambda: socket.create_connection(("127.0.0.1", {listener.port}), 2))
        attempt("urlopen", lambda: urllib.request.urlopen({listener.url!r}, timeout=2).read())
        attempt("passwd", lambda: open("/etc/passwd").read())
        attempt("write_tmp", lambda: open("/tmp/lexgraph-sandbox-probe", "w").write("x"))
        attempt("inside", lambda: open({str(inside)!r}).read())
        attempt("system", lambda: os.system("true"))
        attempt("service", lambda: list(pyoxigraph.Store().query(
            "SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")))
        """,
        tmp_path,
    )
    assert out["seccomp"] == "True"
    for name in ("connect", "urlopen", "passwd", "write_tmp", "system", "service"):
        assert out[name].startswith("refused"), (name, out[name])
    assert out["inside"] == "ALLOWED: 'ok'"
    assert listener.connections == 0
    assert not Path("/tmp/lexgraph-sandbox-probe").exists()


def test_native_sockets_are_refused_below_python(tmp_path: Path, listener: Listener) -> None:
    """pyoxigraph's SERVICE client is Rust: only the seccomp layer can stop it."""
    out = run_sandboxed(
        f"""
        sys.addaudithook  # the audit hook cannot see native sockets; seccomp must
        attempt("service", lambda: list(pyoxigraph.Store().query(
            "SELECT * {{ SERVICE <{listener.url}sparql> {{ ?s ?p ?o }} }}")))
        """,
        tmp_path,
    )
    assert "Operation not permitted" in out["service"]
    assert listener.connections == 0


def test_unhardened_rdflib_inside_the_sandbox_cannot_read_files(tmp_path: Path) -> None:
    """A regression that evaluated with rdflib (which dereferences FROM) fails, leaks nothing."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.ttl"
    secret.write_text('<http://e/s> <http://e/p> "SECRET" .\n', encoding="utf-8")
    root = tmp_path / "snapshots"
    root.mkdir()
    out = run_sandboxed(
        f"""
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = True
        for name, iri in (("secret", {secret.as_uri()!r}), ("passwd", "file:///etc/passwd")):
            attempt(name, lambda: [str(r) for r in rdflib.Dataset().query(
                "SELECT ?o FROM <" + iri + "> WHERE {{ ?s ?p ?o }}")])
        """,
        root,
    )
    for name in ("secret", "passwd"):
        assert out[name].startswith("refused"), out[name]
    assert "SECRET" not in json.dumps(out) and "root:" not in json.dumps(out)


def test_the_listener_does_count_connections(listener: Listener) -> None:
    """Zero connections above means something: a plain client is counted."""
    import socket

    with socket.create_connection(("127.0.0.1", listener.port), 2) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        conn.recv(100)
    assert listener.connections == 1
