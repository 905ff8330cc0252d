"""HTTP throughput and latency: ``/provenance`` and a named query on ``lexgraph serve`` beside a
do-nothing FastAPI endpoint served the same way (uvicorn, same worker count), in one run.

    .venv/bin/python bench/scale_http.py /tmp/scale/c1k --seconds 10 --workers 1

A bounded load generator (httpx, asyncio): ``--clients`` concurrent clients on kept-alive
loopback connections, each sending its next request when the last one was answered, for
``--seconds`` after a one-second warm-up. The generator runs on the same machine, so it takes
CPU from the server under test; it does so equally for every endpoint. Prints one JSON object,
with the server's CPU milliseconds per request (its whole process tree, from /proc), which
other users of the machine disturb less than requests/s.

With ``--workers 2`` on the embedded store the workers read published snapshots of it
(``lexgraph serve --workers N``); each answer names its worker (``X-Lexgraph-Worker``), and
``by_worker`` counts the answers each one gave.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_queries import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parents[1]


class _Skip(Exception):
    pass


async def _load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    by_worker: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        warm_until = time.perf_counter() + 1.0
        stop_at = warm_until + seconds

        async def one_client() -> None:
            nonlocal failures
            while True:
                started = time.perf_counter()
                if started >= stop_at:
                    return
                try:
                    response = await client.get(url)
                except httpx.HTTPError:  # a timeout counts as a failed request
                    failures += started >= warm_until
                    continue
                done = time.perf_counter()
                if started >= warm_until:
                    if response.status_code == 200:
                        latencies.append((done - started) * 1000)
                        worker = response.headers.get("x-lexgraph-worker")
                        if worker is not None:
                            by_worker[worker] = by_worker.get(worker, 0) + 1
                    else:
                        failures += 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
    latencies.sort()
    n = len(latencies)
    result: dict[str, Any] = {
        "requests": n,
        "failures": failures,
        "req_per_s": round(n / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 2) if n else None,
        "p99_ms": round(latencies[min(n - 1, int(n * 0.99))], 2) if n else None,
    }
    if by_worker:
        result["by_worker"] = dict(sorted(by_worker.items()))
    return result


def _tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and its living descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        todo.extend(int(c) for c in children)
    return total


def _measure(server_pid: int, url: str, clients: int, seconds: float) -> dict[str, Any]:
    """The load, plus the server's CPU milliseconds per answered request (whole run, warm-up
    included): a figure that other users of the machine disturb less than requests/s."""
    before = _tree_cpu_seconds(server_pid)
    result = asyncio.run(_load(url, clients, seconds))
    used = _tree_cpu_seconds(server_pid) - before
    answered = result["requests"] * (seconds + 1) / seconds  # the warm-up's share, estimated
    result["server_cpu_ms_per_request"] = round(used * 1000 / answered, 2) if answered else None
    return result


def start_noop(workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "noop_app:app",
        "--app-dir",
        str(ROOT / "bench"),
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--timeout-keep-alive",
        "5",
        "--no-server-header",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(base + "/noop", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the do-nothing server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--noop-only",
        action="store_true",
        help="only the do-nothing endpoint",
    )
    parser.add_argument(
        "--targets",
        type=lambda text: text.split(","),
        default=["provenance", "named-query provenance", "named-query questions-answers"],
        help="comma-separated endpoints to load: provenance, named-query provenance, "
        "named-query questions-answers",
    )
    args = parser.parse_args()
    store = args.data_dir / "build" / "store"
    load_before = os.getloadavg()[0]
    results: dict[str, Any] = {}

    proc, base = start_server(store, args.workers) if not args.noop_only else (None, "")
    try:
        if proc is None:
            raise _Skip
        doc = httpx.get(
            base + "/sparql",
            params={
                "query": "PREFIX lkg: <https://w3id.org/lexgraph/ontology#> SELECT ?v WHERE "
                "{ ?d a lkg:AnswersToWrittenQuestions ; lkg:documentId ?v } ORDER BY ?v LIMIT 1"
            },
            timeout=60,
        ).json()["results"]["bindings"][0]["v"]["value"]
        fact = f"https://w3id.org/lexgraph/id/doc/{doc}/question/1"
        targets = {
            "provenance": f"{base}/provenance?{httpx.QueryParams(iri=fact)}",
            "named-query provenance": f"{base}/queries/provenance?{httpx.QueryParams(iri=fact)}",
            "named-query questions-answers": f"{base}/queries/questions-answers?"
            f"{httpx.QueryParams(document=doc)}",
        }
        for label, url in targets.items():
            if label not in args.targets:
                continue
            httpx.get(url, timeout=60).raise_for_status()
            results[label] = _measure(proc.pid, url, args.clients, args.seconds)
            print(f"{label}: {results[label]}", file=sys.stderr, flush=True)
    except _Skip:
        pass
    finally:
        if proc is not None:
            stop_server(proc)

    noop, noop_base = start_noop(args.workers)
    try:
        results["do-nothing"] = _measure(noop.pid, noop_base + "/noop", args.clients, args.seconds)
        print(f"do-nothing: {results['do-nothing']}", file=sys.stderr, flush=True)
    finally:
        stop_server(noop)

    ceiling = results["do-nothing"]["req_per_s"]
    for label in ("provenance", "named-query provenance", "named-query questions-answers"):
        if label not in results:
            continue
        results[label]["vs_do_nothing"] = round(results[label]["req_per_s"] / ceiling, 3)
    print(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M"),
                "machine": f"{os.cpu_count()} cores, {platform.machine()}",
                "python": platform.python_version(),
                "workers": args.workers,
                "clients": args.clients,
                "seconds": args.seconds,
                "load_average_before": round(load_before, 2),
                "load_average_after": round(os.getloadavg()[0], 2),
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
