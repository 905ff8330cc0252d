"""bench/extract.py runs: its text generator and its measurement on a small size."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "extract.py"


def test_measure_small_text() -> None:
    spec = importlib.util.spec_from_file_location("bench_extract", SCRIPT)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    text = bench.make_text(0.05)
    assert text == bench.make_text(0.05)  # deterministic
    assert 50_000 <= len(text.encode("utf-8")) < 60_000
    extractor, baseline, found = bench.measure(text, chunk=20_000)
    assert found > 50  # the text is dense in citations
    assert extractor > 0 and baseline > 0
