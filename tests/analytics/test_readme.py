"""Every command and snippet of the README's "Analytics" section runs against the seed build:
the ``lexgraph analytics`` lines through the command line, the curl lines through the app (their
URL and ``-G --data-urlencode`` parameters, as curl would send them), the Python snippet as is."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lexgraph.api.app import create_app
from lexgraph.api.deps import get_store
from lexgraph.cli import app
from lexgraph.settings import get_settings

from .conftest import ROOT, Built

DOCUMENTED = "http://127.0.0.1:8000"


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Analytics\n")
    return text[start : text.index("\n## ", start + 1)]


def lines(prefix: str) -> list[str]:
    return [ln.strip() for ln in section().splitlines() if ln.startswith(f"    {prefix} ")]


@pytest.fixture(scope="module")
def client(built: Built) -> Iterator[TestClient]:
    api = create_app(get_settings(queries_dir=ROOT / "queries", data_dir=ROOT / "graph_data"))
    api.dependency_overrides[get_store] = lambda: built.store
    yield TestClient(api)


def test_the_section_has_examples() -> None:
    assert len(lines("lexgraph analytics")) >= 6
    assert len(lines("curl")) >= 6
    assert len(re.findall(r"```python\n(.*?)```", section(), flags=re.DOTALL)) == 1


def test_commands(built: Built) -> None:
    runner = CliRunner()
    for line in lines("lexgraph analytics"):
        args = [*shlex.split(line)[1:], "--store", str(built.path)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (line, result.stderr)
        assert result.stdout.strip(), line


def test_curl_commands(client: TestClient) -> None:
    for line in lines("curl"):
        args = shlex.split(line)[1:]
        params: list[tuple[str, str]] = []
        url = ""
        while args:
            arg = args.pop(0)
            if arg == "--data-urlencode":
                name, _, value = args.pop(0).partition("=")
                params.append((name, value))
            elif not arg.startswith("-"):
                url = arg
        assert url.startswith(DOCUMENTED), line
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(target, params=params or None)
        assert response.status_code == 200, (line, response.text)


def test_python_snippet(built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    (snippet,) = re.findall(r"```python\n(.*?)```", section(), flags=re.DOTALL)
    monkeypatch.setenv("LEXGRAPH_STORE", str(built.path))
    out = io.StringIO()
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(out):
        exec(snippet, namespace)
    printed = out.getvalue().splitlines()
    assert printed[0].startswith("[('celex:32001L0055', 3, ")
    assert "art_15/pnt_c" in printed[1]
    assert printed[2].startswith("True [('passage', 1, True)")
