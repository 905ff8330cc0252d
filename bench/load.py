"""Load test: a bounded asyncio/httpx load generator against ``lexgraph serve`` on 127.0.0.1.

    .venv/bin/python bench/load.py                      # build graph_data, 2 x 60 s
    .venv/bin/python bench/load.py --duration 20 --concurrency 16

The server runs over a store built from (a copy of) graph_data with two sandboxed query worker
processes (``pool_workers=2``; the API itself is one process, see ``lexgraph.api.server``) and
quotas off, so the generator can saturate it from one address. Closed-loop clients send a mix of
named queries (``/queries/...``), provenance lookups (``/provenance?iri=...``) and document pages
(``/documents/{id}``) as fast as the server answers; in the first run a few more clients send
deliberately expensive user SPARQL (cartesian products, ORDER BY over them) to ``/sparql``.
The second run is the same without them, to compare the cheap endpoints' p99.

Each run stops by itself after ``--duration`` seconds or ``--max-requests`` requests. Printed:
throughput, p50/p99 per endpoint, errors by status, the server's RSS (API process and query
workers) over time. Exit status 1 on any 5xx other than a deliberate 503/504 on an expensive
query, or when the cheap endpoints' p99 with expensive queries is over twice that without.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "safety"))

import httpx  # noqa: E402
import live_server as ls  # noqa: E402

EXPENSIVE = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:x:p>|!<urn:x:p>)* ?b . ?c ?d ?e }",
)
DELIBERATE = {503, 504}
NAMED = (
    "/queries/commitments",
    "/queries/motions",
    "/queries/protection-periods",
    "/queries/policy-point-grounds?document=7747653&point=a",
    "/queries/citations-of?id=celex:32013L0032",
)


@dataclass
class Targets:
    """Cheap requests, grouped by endpoint label."""

    by_label: dict[str, list[str]] = field(default_factory=dict)

    def pick(self, rng: random.Random) -> tuple[str, str]:
        label = rng.choice(sorted(self.by_label))
        return label, rng.choice(self.by_label[label])


async def discover(client: httpx.AsyncClient) -> Targets:
    """Document ids, citation IRIs and cited ids from the server itself; every request kept
    answered 200 once."""
    docs = (await client.get("/documents", params={"limit": 100})).json()["items"]
    pages = [f"/documents/{d['documentId']}" for d in docs]
    provenance: list[str] = []
    cited: set[str] = set()
    for page in pages[:20]:
        detail = (await client.get(page)).json()
        for citation in detail["citations"][:20]:
            provenance.append(str(httpx.URL("/provenance", params={"iri": citation["@id"]})))
            if citation.get("citedId"):
                cited.add(citation["citedId"])
    candidates = list(NAMED) + [
        str(httpx.URL("/queries/citations-of", params={"id": c})) for c in sorted(cited)[:10]
    ]
    # only requests the graph can answer (an example's document may not be in this store)
    named = [url for url in candidates if (await client.get(url)).status_code == 200]
    targets = Targets({"named query": named, "provenance": provenance, "document": pages})
    return Targets({k: v for k, v in targets.by_label.items() if v})


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    statuses: dict[str, collections.Counter[str]] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )
    rss: list[tuple[float, int, int]] = field(default_factory=list)  # t, API kB, workers kB

    @property
    def requests(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())

    def unexpected_5xx(self) -> int:
        bad = 0
        for label, counter in self.statuses.items():
            for status, n in counter.items():
                if not status.isdigit():
                    bad += n  # no HTTP answer at all
                elif int(status) >= 500:
                    deliberate = label == "expensive" and int(status) in DELIBERATE
                    bad += 0 if deliberate else n
        return bad

    def cheap_p99(self) -> float:
        values = [v for k, vs in self.latencies.items() if k != "expensive" for v in vs]
        return percentile(values, 0.99)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def tree_rss(pid: int) -> tuple[int, int]:
    """RSS in kB of the process and of all its descendants."""

    def rss(p: int) -> int:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children[ppid].append(int(entry.name))
    below, stack = 0, list(children[pid])
    while stack:
        p = stack.pop()
        below += rss(p)
        stack.extend(children[p])
    return rss(pid), below


async def load(
    base: str,
    targets: Targets,
    *,
    name: str,
    duration: float,
    max_requests: int,
    concurrency: int,
    expensive_clients: int,
    server_pid: int | None = None,
    seed: int = 1,
) -> Run:
    run = Run(name)
    rng = random.Random(seed)
    deadline = time.monotonic() + duration
    budget = [max_requests]
    limits = httpx.Limits(max_connections=concurrency + expensive_clients + 4)

    async def one(client: httpx.AsyncClient, label: str, url: str) -> None:
        started = time.monotonic()
        try:
            r = await client.get(url)
            status = str(r.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        run.latencies[label].append(time.monotonic() - started)
        run.statuses[label][status] += 1

    async def cheap(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            await one(client, *targets.pick(rng))

    async def expensive(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline and budget[0] > 0:
            budget[0] -= 1
            query = rng.choice(EXPENSIVE)
            await one(client, "expensive", str(httpx.URL("/sparql", params={"query": query})))

    async def sample() -> None:
        t0 = time.monotonic()
        while server_pid is not None and time.monotonic() < deadline and budget[0] > 0:
            api, workers = await asyncio.to_thread(tree_rss, server_pid)
            run.rss.append((time.monotonic() - t0, api, workers))
            await asyncio.sleep(1.0)

    started = time.monotonic()
    timeout = httpx.Timeout(60.0)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        tasks = [cheap(client) for _ in range(concurrency)]
        tasks += [expensive(client) for _ in range(expensive_clients)]
        await asyncio.gather(sample(), *tasks)
    run.seconds = time.monotonic() - started
    return run


def report(run: Run) -> None:
    print(f"\n== {run.name}: {run.requests} requests in {run.seconds:.1f} s "
          f"({run.requests / run.seconds:.1f}/s)")  # fmt: skip
    print(f"{'endpoint':14} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for label in sorted(run.statuses):
        lat = [v * 1000 for v in run.latencies[label]]
        counter = run.statuses[label]
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(counter.items()))
        print(
            f"{label:14} {len(lat):8} {len(lat) / run.seconds:7.1f} "
            f"{percentile(lat, 0.5):8.1f} {percentile(lat, 0.99):8.1f}  {statuses}"
        )
    print(f"cheap endpoints together: p99 {run.cheap_p99() * 1000:.1f} ms")
    print(f"unexpected 5xx (or no answer): {run.unexpected_5xx()}")
    if run.rss:
        step = max(1, len(run.rss) // 6)
        points = run.rss[::step] + ([run.rss[-1]] if (len(run.rss) - 1) % step else [])
        series = ", ".join(f"{t:.0f}s {a / 1024:.0f}+{w / 1024:.0f}" for t, a, w in points)
        peak_api = max(a for _, a, _ in run.rss) / 1024
        peak_all = max(a + w for _, a, w in run.rss) / 1024
        print(f"RSS MB (API + query workers) over time: {series}")
        print(f"RSS peak: API {peak_api:.0f} MB, API + workers {peak_all:.0f} MB")


def build_store(workdir: Path) -> Path:
    from lexgraph.build import run_build
    from lexgraph.settings import get_settings

    data = workdir / "graph_data"
    shutil.copytree(ROOT / "graph_data", data, ignore=shutil.ignore_patterns("build"))
    settings = get_settings(store=workdir / "store", data_dir=data)
    if run_build(settings, if_needed=False) != 0:
        raise SystemExit("lexgraph build failed")
    return workdir / "store"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--max-requests", type=int, default=200_000, help="per run")
    parser.add_argument("--concurrency", type=int, default=32, help="cheap clients")
    parser.add_argument("--expensive-clients", type=int, default=4)
    parser.add_argument("--query-timeout", type=float, default=5.0)
    parser.add_argument("--store", type=Path, help="a built store (default: build graph_data)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        store = args.store or build_store(workdir)
        settings: dict[str, Any] = {
            **ls.NO_QUOTAS,
            "pool_workers": 2,
            "query_timeout": args.query_timeout,
        }
        server = ls.start(store, workdir / "server.log", settings)
        try:

            async def both() -> tuple[Run, Run]:
                async with httpx.AsyncClient(base_url=server.base, timeout=60) as c:
                    targets = await discover(c)
                print({k: len(v) for k, v in targets.by_label.items()}, "distinct requests")
                common = {
                    "duration": args.duration,
                    "max_requests": args.max_requests,
                    "concurrency": args.concurrency,
                    "server_pid": server.proc.pid,
                }
                mixed = await load(
                    server.base,
                    targets,
                    name="with expensive queries",
                    expensive_clients=args.expensive_clients,
                    **common,
                )
                cheap = await load(
                    server.base, targets, name="cheap only", expensive_clients=0, **common
                )
                return mixed, cheap

            mixed, cheap = asyncio.run(both())
        finally:
            ls.stop(server)
    report(mixed)
    report(cheap)
    ratio = mixed.cheap_p99() / cheap.cheap_p99() if cheap.cheap_p99() else float("inf")
    print(f"\ncheap p99 with / without expensive queries: {ratio:.2f} (target <= 2)")
    failed = mixed.unexpected_5xx() + cheap.unexpected_5xx() > 0 or ratio > 2
    print("FAIL" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
