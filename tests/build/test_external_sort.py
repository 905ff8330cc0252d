"""The build sorts the dump externally: sorted runs on disk, merged into ``lexgraph.nq``.

The dump must be the bytes of the in-memory sort (:func:`lexgraph.build.sorted_dump`) however
many runs it is made of, and the run files never outlive the build, whether it succeeds or not.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import shutil
from pathlib import Path

import pytest

from lexgraph import build as build_module
from lexgraph.build import SortedRuns, sorted_dump
from lexgraph.settings import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
TINY_MB = 0.01  # about 10 KB a run: every document's graph ends a run


def _settings(tmp: Path, **overrides: object) -> Settings:
    data = tmp / "graph_data"
    if not data.exists():
        shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    return get_settings(data_dir=data, **{"store": tmp / "store", **overrides})


def _leftovers(settings: Settings) -> list[str]:
    """Anything in the build folder besides the dump and the store."""
    keep = {"lexgraph.nq", "store", "store.fingerprint"}
    return sorted(p.name for p in settings.build_dir.iterdir() if p.name not in keep)


@pytest.fixture(scope="module")
def tiny_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    settings = _settings(tmp_path_factory.mktemp("tiny"), build_sort_mb=TINY_MB)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert build_module.run_build(settings, progress=True) == 0
    return settings, err.getvalue()


def test_many_runs_give_the_in_memory_dump(tiny_runs: tuple[Settings, str]) -> None:
    settings, log = tiny_runs
    runs = re.search(r"sorted ([\d,]+) quads into ([\d,]+) runs on disk", log)
    assert runs is not None, log
    assert int(runs[2].replace(",", "")) >= 8  # five documents, register, curation, ontology
    assert re.search(r"merged [\d,]+ runs into [\d,]+ quads in [\d.]+ s", log)
    graphs, _ = build_module.build_lines(settings)
    dump = (settings.build_dir / "lexgraph.nq").read_bytes()
    assert dump == sorted_dump(graphs)
    assert _leftovers(settings) == []


def test_merge_keeps_one_copy_of_lines_shared_by_runs(
    tiny_runs: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, _ = tiny_runs
    lines = (settings.build_dir / "lexgraph.nq").read_bytes().splitlines(keepends=True)
    rng = random.Random(7)
    chunks = [b"".join(rng.sample(lines, 40)) for _ in range(300)]  # lines in several runs
    chunks += [b"\n \n", b"".join(lines[:5]).replace(b"\n", b"\n\n")]  # blank lines are dropped
    runs = SortedRuns(tmp_path, run_bytes=20_000)
    for chunk in chunks:
        runs.add(chunk)
    merged = tmp_path / "merged.nq"
    count = runs.merge(merged)
    assert len(runs.runs) > 50
    expected = sorted_dump({str(i): chunk for i, chunk in enumerate(chunks)})
    assert merged.read_bytes() == expected
    assert count == expected.count(b"\n")
    assert len(set(expected.splitlines())) == count  # each line once


def test_merge_of_nothing_is_the_in_memory_result(tmp_path: Path) -> None:
    runs = SortedRuns(tmp_path, run_bytes=10)
    runs.add(b"\n")
    assert runs.merge(tmp_path / "dump.nq") == 0
    assert (tmp_path / "dump.nq").read_bytes() == sorted_dump({}) == b"\n"


def test_refused_build_leaves_no_run_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path, build_sort_mb=TINY_MB)
    register = settings.data_dir / "register" / "instruments.toml"
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace('celex = "32011L0095"', 'celex = "3201L95"'), encoding="utf-8")
    assert build_module.run_build(settings) == 1
    assert "refused" in capsys.readouterr().err
    assert _leftovers(settings) == []
    assert not (settings.build_dir / "lexgraph.nq").exists()
    assert not settings.store.exists()


def test_store_that_cannot_be_written_leaves_no_temporary_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be\n")
    settings = _settings(tmp_path, build_sort_mb=TINY_MB, store=blocker / "store")
    assert build_module.run_build(settings) == 2
    err = capsys.readouterr().err
    # the runs were written and merged before the store failed
    assert re.search(r"merged ([2-9]|\d\d+) runs into", err), err
    assert "lexgraph build: " in err and "Traceback" not in err
    assert _leftovers(settings) == []
    assert not (settings.build_dir / "lexgraph.nq").exists()
