"""bench/corpus.py keeps producing documents that the real build accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.build import run_build
from lexgraph.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
LKG = "https://w3id.org/lexgraph/ontology#"


def _corpus(out: Path, count: int) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), str(count), str(out)],
        check=True,
        capture_output=True,
    )


def test_generated_corpus_is_deterministic(tmp_path: Path) -> None:
    _corpus(tmp_path / "a", 6)
    _corpus(tmp_path / "b", 3)
    a = sorted((tmp_path / "a" / "sources").iterdir())
    b = sorted((tmp_path / "b" / "sources").iterdir())
    assert len(a) == 12 and len(b) == 6
    # document i depends on the seed and i only: a smaller corpus is a prefix of a larger one
    assert [p.name for p in a[:6]] == [p.name for p in b]
    assert all(p.read_bytes() == q.read_bytes() for p, q in zip(a, b, strict=False))


def test_generated_corpus_builds_in_worker_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "corpus"
    _corpus(data, 4)
    settings = get_settings(data_dir=data, store=tmp_path / "store", build_workers=2)
    assert run_build(settings, progress=True) == 0
    err = capsys.readouterr().err
    assert "build: 4/4 documents" in err and "2 processes" in err
    dump = (data / "build" / "lexgraph.nq").read_bytes()
    # the same bytes as a build in one process
    again = get_settings(data_dir=data, store=tmp_path / "again", build_workers=1)
    assert run_build(again) == 0
    assert (data / "build" / "lexgraph.nq").read_bytes() == dump

    store = ox.Store.read_only(str(tmp_path / "store"))

    def count(cls: str) -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a <{LKG}{cls}> }}"
        row = next(iter(store.query(query, use_default_graph_as_union=True)))  # type: ignore[arg-type]
        return int(row["n"].value)

    assert count("Document") == 4
    # every family of facts the generator writes is found in the four documents
    for cls in ("Passage", "Question", "Answer", "EUAct", "Kamerstuk", "CaseLaw", "Motion"):
        assert count(cls) > 0, cls
    assert dump.count(b"\n") > 1500
