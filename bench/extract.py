"""Extractor throughput in MB/s at 1, 10 and 50 MB, beside one compiled-regex pass (the baseline).

The text is made from the seeds' lines and the gold passages, with the numbers in them varied
deterministically, so it has the density and the shapes of real citations.

    .venv/bin/python bench/extract.py            # 1, 10, 50 MB, medians of 3 runs
    .venv/bin/python bench/extract.py --sizes 1  # quick

Times are CPU time of this process (``time.process_time``), so other work on a shared machine
slows them less than wall time; the ratio of extractor to baseline, measured in the same runs,
is the figure to compare between machines and days.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import time
from pathlib import Path

from lexgraph.extract import extract
from lexgraph.register import load_register

ROOT = Path(__file__).resolve().parents[1]
BASELINE = re.compile(
    r"Kamerstukken|Handelingen|[Rr]ichtlijn|[Vv]erordening|[Bb]esluit|COM|ECLI|artikel|motie"
    r"|RTB|EVRM|ICCPR|Vw 2000|\d{4}/\d+/EU"
)


def corpus_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "graph_data" / "sources").glob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    gold = ROOT / "tests" / "data" / "gold" / "passages.jsonl"
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            lines += json.loads(line)["text"].splitlines()
    return lines


def make_text(megabytes: float, seed: int = 7) -> str:
    """Deterministic text of about ``megabytes`` MB (UTF-8), in paragraphs of corpus lines."""
    rng = random.Random(seed)
    lines = corpus_lines()
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0

    def vary(m: re.Match[str]) -> str:
        digits = m.group(0)
        return str(rng.randrange(10 ** (len(digits) - 1), 10 ** len(digits)))

    while size < target:
        para = "\n".join(rng.choice(lines) for _ in range(rng.randrange(2, 8)))
        if rng.random() < 0.5:
            para = re.sub(r"(?<![\d/])\d{3,4}(?![\d/])", vary, para)
        parts.append(para)
        size += len(para.encode("utf-8")) + 2
    return "\n\n".join(parts)


def measure(text: str, chunk: int = 200_000) -> tuple[float, float, int]:
    """CPU seconds for the extractor and for the baseline over ``text`` (in document-sized
    chunks)."""
    pieces = [text[i : i + chunk] for i in range(0, len(text), chunk)]
    start = time.process_time()
    found = sum(len(extract(p)) for p in pieces)
    extractor = time.process_time() - start
    start = time.process_time()
    for p in pieces:
        sum(1 for _ in BASELINE.finditer(p))
    baseline = time.process_time() - start
    return extractor, baseline, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per size; medians are printed (shared machines)"
    )
    args = parser.parse_args()
    load_register()  # parse the register once, outside the timing
    extract("warm-up: Richtlijn 2011/95/EU")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"python {platform.python_version()} on {platform.machine()}, one process, load {load}")
    print(
        f"{'MB':>6} {'citations':>10} {'extract s':>10} {'MB/s':>8}"
        f" {'baseline MB/s':>14} {'ratio':>6} {'ratio of fastest':>17}"
    )
    for mb in args.sizes:
        text = make_text(mb)
        size = len(text.encode("utf-8")) / 1_000_000
        runs = [measure(text) for _ in range(args.repeat)]
        ext = statistics.median(r[0] for r in runs)
        base = statistics.median(r[1] for r in runs)
        found = runs[0][2]
        # the fastest runs were slowed least by other work on the machine
        fastest = min(r[1] for r in runs) / min(r[0] for r in runs)
        print(
            f"{size:6.1f} {found:10d} {ext:10.2f} {size / ext:8.2f} {size / base:14.1f}"
            f" {base / ext:6.3f} {fastest:17.3f}"
        )


if __name__ == "__main__":
    main()
