"""`lexgraph extract` as a user runs it: JSON Lines per input, one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEXGRAPH = str(Path(sys.executable).parent / "lexgraph")
SEEDS = sorted((ROOT / "graph_data" / "sources").glob("*.txt"))


def _run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [LEXGRAPH, "extract", *args], input=stdin, capture_output=True, timeout=60
    )


def test_seeds_as_json_lines() -> None:
    proc = _run(*map(str, SEEDS))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 5
    found = {}
    for line, path in zip(lines, SEEDS, strict=True):
        obj = json.loads(line)
        assert list(obj) == ["file", "citations"]
        assert obj["file"] == str(path)
        text = path.read_text(encoding="utf-8")
        for c in obj["citations"]:
            assert list(c) == ["start", "end", "text", "type", "id", "pinpoint"]
            assert text[c["start"] : c["end"]] == c["text"]
            found[c["text"]] = (c["id"], c["pinpoint"])
    assert found["artikel 15, onder c, van de Kwalificatierichtlijn"] == (
        "celex:32011L0095",
        "art. 15(c)",
    )
    assert found["Kamerstukken II, 2024-2025,19 637, nr. 3338"] == ("kst:19637-3338", None)
    assert found["COM/2025/650 final"] == ("com:2025:650", None)


def test_stdin() -> None:
    proc = _run("-", stdin=b"Zie Richtlijn 2013/32/EU.")
    assert proc.returncode == 0
    obj = json.loads(proc.stdout)
    assert obj["file"] == "-"
    assert [(c["id"], c["text"]) for c in obj["citations"]] == [
        ("celex:32013L0032", "Richtlijn 2013/32/EU")
    ]


def test_bad_inputs_fail_alone_with_one_line_each(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Artikel 3 EVRM geldt ook hier: één".encode("latin-1"))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"EVRM\x00\x01\x02")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    good = SEEDS[2]
    proc = _run(str(latin1), str(binary), str(empty), str(tmp_path), "missing.txt", str(good))
    assert proc.returncode == 1
    errors = proc.stderr.decode().splitlines()
    assert len(errors) == 5
    assert all(e.startswith("lexgraph extract: ") for e in errors)
    assert "Traceback" not in proc.stderr.decode()
    out = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [o["file"] for o in out] == [str(good)]
