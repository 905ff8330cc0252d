"""Every command and snippet of the README's "Querying" section runs against a real server."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TOKEN, Server, load_store, start_server, stop_server

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"
DOCUMENTED = "http://127.0.0.1:8000"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Querying\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def curl_commands() -> list[str]:
    return [line.strip() for line in section().splitlines() if line.startswith("    curl ")]


def python_snippets() -> list[str]:
    return re.findall(r"```python\n(.*?)```", section(), flags=re.DOTALL)


@pytest.fixture(scope="module")
def readme_server(
    tmp_path_factory: pytest.TempPathFactory, fixture_graphs: dict[str, bytes]
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("readme")
    load_store(root / "store", fixture_graphs)
    srv = start_server(root / "store", root / "server.log")
    yield srv
    stop_server(srv)


def test_the_section_has_examples() -> None:
    assert len(curl_commands()) >= 10
    assert len(python_snippets()) == 1


def test_w3c_pass_count_is_stated() -> None:
    from test_api_w3c_protocol import TESTS

    assert f"**{len(TESTS)} of {len(TESTS)} pass**" in section()


def test_curl_commands(readme_server: Server, tmp_path: Path) -> None:
    (tmp_path / "letter.txt").write_text(
        "Geachte voorzitter,\n\nDe Richtlijn 2001/55/EG blijft van toepassing.\n", encoding="utf-8"
    )
    env = {**os.environ, "LEXGRAPH_INGEST_TOKEN": TOKEN}
    for command in curl_commands():
        line = command.replace(DOCUMENTED, readme_server.base)
        line = line.replace("$LEXGRAPH_INGEST_TOKEN", TOKEN).replace(
            '"Authorization', "'Authorization"
        )
        line = line.replace(f'{TOKEN}"', f"{TOKEN}'")
        args = shlex.split(line)
        done = subprocess.run(
            [*args, "--max-time", "30", "-w", "\n%{http_code}"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )
        assert done.returncode == 0, (command, done.stderr)
        status = int(done.stdout.rsplit("\n", 1)[-1])
        expected = 200
        if "-X DELETE" in line:
            expected = 200
        elif "/documents" in line and ("-d " in line or "-F " in line):
            expected = 201
        assert status == expected, (command, status, done.stdout[:500])


def test_python_snippet(readme_server: Server) -> None:
    (snippet,) = python_snippets()
    namespace: dict[str, object] = {}
    exec(snippet.replace(DOCUMENTED, readme_server.base), namespace)
    assert namespace["rows"] and namespace["titles"]
