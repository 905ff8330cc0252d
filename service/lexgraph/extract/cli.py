"""``lexgraph extract FILE... | -``: one JSON line of citations per input (CITATIONS.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

from lexgraph.extract import extract
from lexgraph.sources import SourceError, decode_text


def _read(name: str, stdin: IO[bytes]) -> bytes:
    if name == "-":
        return stdin.read()
    path = Path(name)
    if path.is_dir():
        raise SourceError(f"{name}: is a directory")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{name}: no such file") from None
    except OSError as err:
        raise SourceError(f"{name}: cannot read ({err.strerror})") from None


def run(files: list[str], stdout: IO[str] | None = None, stdin: IO[bytes] | None = None) -> int:
    """Print each input's citations; bad inputs get a one-line error and exit status 1."""
    out = stdout or sys.stdout
    status = 0
    for name in files:
        try:
            text = decode_text(_read(name, stdin or sys.stdin.buffer), name)
        except SourceError as err:
            print(f"lexgraph extract: {err.message}", file=sys.stderr)
            status = 1
            continue
        citations = [c.as_json() for c in extract(text, name)]
        out.write(json.dumps({"file": name, "citations": citations}, ensure_ascii=False) + "\n")
        out.flush()
    return status
