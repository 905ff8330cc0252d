"""Build throughput at scale: ``lexgraph build`` over a synthetic corpus, beside pyoxigraph's raw
bulk load of the same N-Quads dump.

    .venv/bin/python bench/corpus.py 1000 /tmp/scale/c1k
    .venv/bin/python bench/scale_build.py /tmp/scale/c1k --workers 2

Runs the real command (``lexgraph build --data-dir DIR --store DIR/build/store --progress``) as a
subprocess, reads its phase lines (documents checked, sorted runs, merge, store load) and its peak
memory (the largest resident set among the building process and its workers; also sampled every
0.2 s from /proc per phase: the building process while it checks, merges and loads, and its
largest worker), then bulk-loads the dump it wrote (from the file, as the build does) into a fresh
pyoxigraph store three times (the raw rate; median). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]


def load_average() -> float:
    return os.getloadavg()[0]


def rss_mb(pid: int) -> float:
    """Resident set of a process in MB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(match[1]) / 1024 if match else 0.0


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class RssSampler(threading.Thread):
    """The largest resident set of the build process per phase, and of its largest worker."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.phase, self.stop = pid, "check", threading.Event()
        self.peaks: dict[str, float] = {}

    def run(self) -> None:
        while not self.stop.wait(0.2):
            main = rss_mb(self.pid)
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), main)
            worker = max((rss_mb(c) for c in children(self.pid)), default=0.0)
            self.peaks["worker"] = max(self.peaks.get("worker", 0.0), worker)


def raw_bulk_load(dump: Path, repeats: int = 3) -> float:
    """Median seconds for ``Store.bulk_load`` of the dump file into a fresh on-disk store."""
    times = []
    for _ in range(repeats):
        folder = Path(tempfile.mkdtemp(prefix="lexgraph-raw-"))
        try:
            started = time.perf_counter()
            store = ox.Store(str(folder / "store"))
            store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
            store.flush()
            times.append(time.perf_counter() - started)
            del store
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument(
        "--raw-repeats",
        type=int,
        default=3,
        help="raw bulk loads of the dump to time (0: none; one takes as long as the load step)",
    )
    args = parser.parse_args()
    store = args.data_dir / "build" / "store"
    docs = len(list((args.data_dir / "sources").glob("*.txt")))
    cmd = [
        str(ROOT / ".venv" / "bin" / "lexgraph"),
        "build",
        "--data-dir",
        str(args.data_dir),
        "--store",
        str(store),
        "--progress",
        "--workers",
        str(args.workers),
    ]
    load_before = load_average()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    sampler = RssSampler(proc.pid)
    sampler.start()
    log: list[str] = []
    phases = {"sorted": "merge", "merged": "load", "loaded": "finish"}
    for line in proc.stderr:
        log.append(line.rstrip("\n"))
        sampler.phase = phases.get(line.split(" ", 1)[0], sampler.phase)
        if line.startswith(("build:", "checked", "sorted", "merge", "loaded", "built")):
            print(line.rstrip("\n"), file=sys.stderr, flush=True)
    _, status, usage = os.wait4(proc.pid, 0)
    sampler.stop.set()
    sampler.join()
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("\n".join(log[-30:]))
    text = "\n".join(log)
    checked = re.search(r"checked ([\d,]+) documents, ([\d,]+) triples in ([\d.]+) s", text)
    loaded = re.search(r"loaded ([\d,]+) quads in ([\d.]+) s", text)
    runs = re.search(r"sorted [\d,]+ quads into ([\d,]+) runs? on disk in ([\d.]+) s", text)
    merged = re.search(r"merged [\d,]+ runs? into [\d,]+ quads in ([\d.]+) s", text)
    assert checked and loaded and runs and merged, text[-2000:]
    quads = int(loaded[1].replace(",", ""))
    check_s, load_s = float(checked[3]), float(loaded[2])
    dump = args.data_dir / "build" / "lexgraph.nq"
    raw_s = raw_bulk_load(dump, args.raw_repeats) if args.raw_repeats else None
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}",
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__,
        "documents": docs,
        "quads": quads,
        "wall_s": round(wall, 1),
        "documents_per_s": round(docs / wall, 2),
        "triples_per_s": round(quads / wall),
        "check_s": check_s,
        "check_documents_per_s": round(docs / check_s, 2),
        "sorted_runs": int(runs[1].replace(",", "")),
        "sort_s": float(runs[2]),
        "merge_s": float(merged[1]),
        "load_s": load_s,
        "load_quads_per_s": round(quads / load_s),
        "raw_bulk_load_s": round(raw_s, 2) if raw_s else None,
        "raw_quads_per_s": round(quads / raw_s) if raw_s else None,
        "load_vs_raw": round(raw_s / load_s, 2) if raw_s else None,
        # wait4's ru_maxrss: the largest resident set of the build process and its workers
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        # sampled: the building process per phase, and its largest worker
        "sampled_rss_mb": {k: round(v) for k, v in sampler.peaks.items()},
        # CPU seconds of the build and its workers: comparable when the machine is shared
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "cpu_ms_per_document": round(1000 * (usage.ru_utime + usage.ru_stime) / docs),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_average(), 2),
        "workers": args.workers,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
