"""Nightly-style fuzzing of the user-query path; prints figures for bench/RESULTS.md.

    .venv/bin/python bench/fuzz.py                      # 10,000 guard cases + 1,000 evaluated
    .venv/bin/python bench/fuzz.py --cases 50000 --evaluate 5000

Part 1 feeds random and mutated SPARQL (the suite's strategies, tests/safety/strategies.py) to
``lexgraph.guard.check_query``: every case must end in a CheckedQuery or a QueryRejected.
Part 2 sends cases through ``lexgraph.query_exec.execute_user_query`` on a small temporary
store with the real worker pool: every outcome must be a result or a LexgraphError whose status
is 4xx, or 503 with a deliberate code (timeout, crash of a worker). Anything else is a failure.
Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "safety"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from strategies import mutated_query, sparql_input  # noqa: E402

from lexgraph.errors import LexgraphError, QueryRejected  # noqa: E402
from lexgraph.guard import check_query  # noqa: E402

DELIBERATE_503 = {"query_timeout", "engine_crashed", "busy"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def fuzz_guard(cases: int) -> int:
    outcomes: collections.Counter[str] = collections.Counter()
    timings: list[float] = []
    failures: list[str] = []

    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(sparql_input())
    def one(query: str | bytes) -> None:
        started = time.perf_counter()
        try:
            checked = check_query(query, max_length=20_000, max_depth=64)
            outcomes[f"accepted:{checked.form}"] += 1
        except QueryRejected as exc:
            outcomes[exc.code] += 1
        except BaseException as exc:  # the property under test
            failures.append(f"{type(exc).__name__}: {exc!s:.200} <- {query!r:.200}")
        timings.append(time.perf_counter() - started)

    one()
    total = sum(outcomes.values()) + len(failures)
    print(f"guard: {total} cases, {len(failures)} unhandled exceptions")
    for name, n in sorted(outcomes.items(), key=lambda kv: -kv[1]):
        print(f"  {name:24} {n:7}")
    ms = [t * 1000 for t in timings]
    print(
        f"  time per case: mean {statistics.mean(ms):.2f} ms, p50 {percentile(ms, 0.5):.2f} ms, "
        f"p99 {percentile(ms, 0.99):.2f} ms, max {max(ms):.2f} ms"
    )
    for failure in failures[:20]:
        print("  FAIL", failure)
    return len(failures)


def fuzz_evaluate(cases: int) -> int:
    import pyoxigraph as ox

    from lexgraph import query_exec
    from lexgraph.settings import Settings

    statuses: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store"
        store = ox.Store(str(path))
        graph = ox.NamedNode("https://w3id.org/lexgraph/graph/doc/fuzz")
        store.extend(
            ox.Quad(
                ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(i), graph
            )
            for i in range(200)
        )
        conf = Settings(
            store=path,
            query_timeout=1.0,
            result_cap=1000,
            pool_workers=2,
            quota_query_seconds_per_minute=0,
            quota_errors_per_minute=0,
            quota_concurrent_queries=0,
        )

        class Wrapper:  # the pool finds the pyoxigraph store inside any wrapper object
            def __init__(self) -> None:
                self._store = store

        wrapper = Wrapper()
        queries: list[str] = []

        @settings(
            max_examples=cases,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(mutated_query())
        def collect(query: str) -> None:
            queries.append(query)

        collect()

        async def run_all() -> None:
            for query in queries:
                try:
                    checked = check_query(query, max_length=20_000, max_depth=64)
                    graph = checked.returns_graph
                    media = "text/turtle" if graph else "application/sparql-results+json"
                except QueryRejected:
                    media = "application/sparql-results+json"
                try:
                    await query_exec.execute_user_query(conf, wrapper, query, media, [], [], "fuzz")
                    statuses["200"] += 1
                except LexgraphError as exc:
                    statuses[f"{exc.status} {exc.code}"] += 1
                    if exc.status >= 500 and exc.code not in DELIBERATE_503:
                        failures.append(f"{exc.status} {exc.code}: {query!r:.200}")
                except BaseException as exc:
                    failures.append(f"{type(exc).__name__}: {exc!s:.200} <- {query!r:.200}")

        started = time.monotonic()
        asyncio.run(run_all())
        elapsed = time.monotonic() - started
        query_exec.shutdown(wrapper)  # type: ignore[arg-type]
    print(f"evaluate: {len(queries)} cases in {elapsed:.1f} s, {len(failures)} failures")
    for name, n in sorted(statuses.items(), key=lambda kv: -kv[1]):
        print(f"  {name:32} {n:7}")
    for failure in failures[:20]:
        print("  FAIL", failure)
    return len(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="guard cases")
    parser.add_argument("--evaluate", type=int, default=1_000, help="cases evaluated end to end")
    args = parser.parse_args()
    check_query("ASK {}", max_length=100, max_depth=64)  # parser headroom before hypothesis runs
    failures = fuzz_guard(args.cases)
    if args.evaluate > 0:
        failures += fuzz_evaluate(args.evaluate)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
