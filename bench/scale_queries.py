"""Every named query on a built store: lexgraph over HTTP, lexgraph in-process, raw pyoxigraph
on the same store (the limit) and, optionally, plain rdflib on the same data (the baseline).

    .venv/bin/python bench/scale_queries.py /tmp/scale/c1k --rdflib
    .venv/bin/python bench/scale_queries.py /tmp/scale/c10k

``DIR`` is a data folder built by ``lexgraph build --data-dir DIR --store DIR/build/store``
(``bench/scale_build.py`` does that). Parameters are picked from the data (a decision note with
point "a", an answers document, a question IRI, the most cited EU acts). Per query the modes run
in rotation (raw, in-process, HTTP; ``--repeats`` rounds after one warm-up round), so a change of
machine load hits them alike; the median (and the minimum) of each is reported in milliseconds of
wall time, with the median CPU time next to it (this process's for raw and in-process, the server
process's, from ``/proc/<pid>/task/*/schedstat``, for HTTP):

- ``raw``: ``pyoxigraph.Store.query`` with the parameters substituted, results written as SPARQL
  JSON (what any answer costs at least);
- ``inproc``: :func:`lexgraph.named_queries.run_query_json` on the embedded store (parameter
  checks, document resolution, query, SPARQL JSON without the parameter columns: the bytes the
  endpoint sends); ``inproc_dict`` is :func:`~lexgraph.named_queries.run_query` (the same, parsed);
- ``http``: ``GET /queries/{name}`` on ``lexgraph serve`` (one worker, loopback, one client with
  a kept-alive connection), serving a copy of the store (the server opens it read-write; the
  copy is made first and removed at the end);
- ``rdflib``: the same query text prepared once with ``rdflib.plugins.sparql.prepareQuery`` and
  evaluated on an in-memory ``rdflib.Dataset`` (union default graph) loaded from the build's
  N-Quads dump, with the parameters as ``initBindings`` (median of 3 runs, no warm-up: nothing
  is cached); a run is cut off after ``--rdflib-limit`` seconds.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from lexgraph.named_queries import bind_parameters, load_queries, run_query, run_query_json
from lexgraph.settings import Settings
from lexgraph.store.oxigraph import OxigraphStore, to_oxigraph, with_values

ROOT = Path(__file__).resolve().parents[1]
LKG = "https://w3id.org/lexgraph/ontology#"


def pick_parameters(store: OxigraphStore) -> dict[str, dict[str, str]]:
    """One realistic parameter set per named query, found in the data."""

    def one(sparql: str) -> str:
        rows = store.select(sparql)["results"]["bindings"]
        if not rows:
            raise SystemExit(f"no data for: {sparql}")
        return str(rows[0]["v"]["value"])

    note = one(
        f"PREFIX lkg: <{LKG}> SELECT ?v WHERE {{ ?d a lkg:DecisionNote ; lkg:documentId ?v }} "
        "ORDER BY ?v LIMIT 1"
    )
    answers = one(
        f"PREFIX lkg: <{LKG}> SELECT ?v WHERE {{ ?d a lkg:AnswersToWrittenQuestions ; "
        "lkg:documentId ?v } ORDER BY ?v LIMIT 1"
    )
    question = f"https://w3id.org/lexgraph/id/doc/{answers}/question/1"
    return {
        "policy-point-grounds": {"document": note, "point": "a"},
        "citations-of": {"id": "celex:32011L0095"},
        "commitments": {},
        "motions": {},
        "questions-answers": {"document": answers},
        "protection-periods": {},
        "end-date-conflicts": {},
        "provenance": {"iri": question},
        "dependents-of": {"id": "celex:32013L0032"},
    }


def server_cpu_ms(pid: int) -> float:
    """CPU time of every thread of process ``pid`` so far, in ms (nanosecond schedstat)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):  # a thread that just ended
            total += int((task / "schedstat").read_text().split()[0])
    return total / 1e6


def rotated(modes: dict[str, Callable[[], Any]], repeats: int) -> dict[str, dict[str, float]]:
    """Run the modes in turn, one warm-up round and ``repeats`` rounds (3 when a warm-up run took
    over two seconds); median wall and CPU milliseconds per mode. A mode's function returns its
    own CPU milliseconds for the run, or None to have this process's CPU time counted."""
    slow = False
    for fn in modes.values():
        started = time.perf_counter()
        fn()
        slow = slow or time.perf_counter() - started > 2
    rounds = min(repeats, 3) if slow else repeats
    wall: dict[str, list[float]] = {m: [] for m in modes}
    cpu: dict[str, list[float]] = {m: [] for m in modes}
    for _ in range(rounds):
        for mode, fn in modes.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            own = fn()
            wall[mode].append((time.perf_counter() - started) * 1000)
            cpu[mode].append(own if own is not None else (time.process_time() - cpu_started) * 1000)
    return {
        m: {
            "ms": statistics.median(wall[m]),
            "min_ms": min(wall[m]),
            "cpu_ms": statistics.median(cpu[m]),
        }
        for m in modes
    }


def probe(store_path: Path, sparql: str, subs: dict[Any, Any], limit: float) -> float | None:
    """Seconds of one raw run in a forked child, or None when it ran past ``limit`` (killed):
    an in-process pyoxigraph query cannot be interrupted."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        store = ox.Store.read_only(str(store_path))
        started = time.perf_counter()
        for _ in store.query(sparql, use_default_graph_as_union=True, substitutions=subs):  # type: ignore[union-attr]
            pass
        send.send(time.perf_counter() - started)

    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    try:
        return float(receive.recv()) if receive.poll(limit) else None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()


def rows_of(result: dict[str, Any]) -> int:
    return len(result.get("results", {}).get("bindings", []))


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(store: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "LEXGRAPH_STORE": str(store),
            "LEXGRAPH_QUOTA_QUERY_SECONDS_PER_MINUTE": "0",
            "LEXGRAPH_QUOTA_ERRORS_PER_MINUTE": "0",
            "LEXGRAPH_QUOTA_CONCURRENT_QUERIES": "0",
        }
    )
    log = open(tempfile.mktemp(prefix="lexgraph-serve-", suffix=".log"), "wb")  # noqa: SIM115
    cmd = [str(ROOT / ".venv" / "bin" / "lexgraph"), "serve", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 600  # a just-copied store of millions of quads opens slowly
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"lexgraph serve exited; see {log.name}")
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("lexgraph serve did not start")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Cutoff(Exception):
    pass


def rdflib_times(
    dump: Path, plans: dict[str, tuple[str, dict[str, Any]]], repeats: int, limit: float
) -> tuple[dict[str, Any], float]:
    """Median ms per query on an rdflib Dataset loaded from the dump (None past ``limit``)."""
    from rdflib import Dataset
    from rdflib.plugins.sparql import prepareQuery

    started = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(dump, format="nquads")
    load_s = time.perf_counter() - started
    print(f"rdflib: loaded {dump} in {load_s:.0f} s", file=sys.stderr, flush=True)

    def alarm(signum: int, frame: Any) -> None:
        raise Cutoff

    signal.signal(signal.SIGALRM, alarm)
    out: dict[str, Any] = {}
    for name, (sparql, bindings) in plans.items():
        prepared = prepareQuery(sparql)
        times: list[float] = []
        rows = 0
        try:
            for _ in range(repeats):
                signal.setitimer(signal.ITIMER_REAL, limit)
                t = time.perf_counter()
                rows = len(list(ds.query(prepared, initBindings=bindings)))
                times.append((time.perf_counter() - t) * 1000)
                signal.setitimer(signal.ITIMER_REAL, 0)
            out[name] = {"ms": round(statistics.median(times), 2), "rows": rows}
        except Cutoff:
            out[name] = {"ms": None, "over_s": limit}
        print(f"rdflib: {name}: {out[name]}", file=sys.stderr, flush=True)
    signal.setitimer(signal.ITIMER_REAL, 0)
    return out, load_s


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rdflib", action="store_true", help="also run the rdflib baseline")
    parser.add_argument("--rdflib-limit", type=float, default=120.0)
    parser.add_argument(
        "--limit", type=float, default=60.0, help="skip queries whose raw run takes longer"
    )
    args = parser.parse_args()
    store_path = args.data_dir / "build" / "store"
    dump = args.data_dir / "build" / "lexgraph.nq"
    settings = Settings(store=store_path, data_dir=args.data_dir)
    queries = load_queries(settings.queries_dir)
    load_before = os.getloadavg()[0]

    # raw and in-process on one read-only handle; the server on a copy it opens read-write
    store = OxigraphStore(store_path, read_only=True)
    raw_store: ox.Store = store.store
    quads = store.count()
    params = pick_parameters(store)
    plans: dict[str, tuple[str, dict[str, Any]]] = {}
    results: dict[str, dict[str, Any]] = {}
    served = Path(tempfile.mkdtemp(prefix="lexgraph-bench-")) / "store"
    shutil.copytree(store_path, served)
    proc, base = start_server(served)
    client = httpx.Client(base_url=base, timeout=300)
    try:
        for name, given in params.items():
            query = queries[name]
            bindings = bind_parameters(store, query, given)
            plans[name] = (query.sparql, bindings)
            subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
            # the raw run gets the parameters as lexgraph passes them: substituted and written in
            # a VALUES block, which pyoxigraph's planner sees as constants
            raw_sparql = with_values(query.sparql, {k: to_oxigraph(v) for k, v in bindings.items()})
            first = probe(store_path, raw_sparql, subs, args.limit)
            if first is None:
                results[name] = {"params": given, "raw_over_s": args.limit}
                print(
                    f"{name}: raw run over {args.limit:g} s; skipped", file=sys.stderr, flush=True
                )
                continue

            def raw(sparql: str = raw_sparql, subs: dict[Any, Any] = subs) -> None:
                solutions = raw_store.query(
                    sparql, use_default_graph_as_union=True, substitutions=subs
                )
                assert isinstance(solutions, ox.QuerySolutions)
                out = io.BytesIO()
                solutions.serialize(out, ox.QueryResultsFormat.JSON)

            def inproc(name: str = name, given: dict[str, str] = given) -> None:
                run_query_json(store, queries, name, given)

            def inproc_dict(name: str = name, given: dict[str, str] = given) -> None:
                run_query(store, queries, name, given)

            def http(name: str = name, given: dict[str, str] = given) -> float:
                before = server_cpu_ms(proc.pid)
                response = client.get(f"/queries/{name}", params=given)
                response.raise_for_status()
                return server_cpu_ms(proc.pid) - before

            timings = rotated(
                {"raw": raw, "inproc": inproc, "inproc_dict": inproc_dict, "http": http},
                args.repeats,
            )
            answer = client.get(f"/queries/{name}", params=given).json()
            results[name] = {"params": given, "rows": rows_of(answer)}
            for mode, t in timings.items():
                results[name][f"{mode}_ms"] = round(t["ms"], 3)
                results[name][f"{mode}_min_ms"] = round(t["min_ms"], 3)
                results[name][f"{mode}_cpu_ms"] = round(t["cpu_ms"], 3)
            print(f"{name}: {results[name]}", file=sys.stderr, flush=True)
    finally:
        client.close()
        stop_server(proc)
        store.close()
        shutil.rmtree(served.parent, ignore_errors=True)

    rdflib_load_s = None
    if args.rdflib:
        plans = {k: v for k, v in plans.items() if "raw_ms" in results[k]}
        timings, rdflib_load_s = rdflib_times(dump, plans, 3, args.rdflib_limit)
        for name, t in timings.items():
            results[name]["rdflib_ms"] = t["ms"]
            if t["ms"] is None:
                results[name]["rdflib_over_s"] = t["over_s"]

    measured = {k: r for k, r in results.items() if "raw_ms" in r}
    for r in measured.values():
        r["inproc_vs_raw"] = round(r["inproc_ms"] / r["raw_ms"], 2)
        r["http_minus_raw_ms"] = round(r["http_ms"] - r["raw_ms"], 2)
        r["http_min_minus_raw_min_ms"] = round(r["http_min_ms"] - r["raw_min_ms"], 2)
        r["http_cpu_minus_raw_cpu_ms"] = round(r["http_cpu_ms"] - r["raw_cpu_ms"], 2)
        if r.get("rdflib_ms") is not None:
            r["rdflib_vs_inproc"] = round(r["rdflib_ms"] / r["inproc_ms"], 4)
    summary: dict[str, Any] = {
        "geomean_inproc_vs_raw": round(geomean([r["inproc_vs_raw"] for r in measured.values()]), 3),
        "median_http_minus_raw_ms": round(
            statistics.median(r["http_minus_raw_ms"] for r in measured.values()), 2
        ),
        "queries_measured": len(measured),
    }
    speedups = [r["rdflib_vs_inproc"] for r in measured.values() if "rdflib_vs_inproc" in r]
    if speedups:
        summary["geomean_rdflib_vs_inproc"] = round(geomean(speedups), 3)
        summary["rdflib_queries_measured"] = len(speedups)
    print(
        json.dumps(
            {
                "date": time.strftime("%Y-%m-%d %H:%M"),
                "machine": f"{os.cpu_count()} cores, {platform.machine()}",
                "python": platform.python_version(),
                "pyoxigraph": ox.__version__,
                "quads": quads,
                "repeats": args.repeats,
                "load_average_before": round(load_before, 2),
                "load_average_after": round(os.getloadavg()[0], 2),
                "rdflib_load_s": rdflib_load_s,
                "summary": summary,
                "queries": results,
            }
        )
    )


if __name__ == "__main__":
    main()
