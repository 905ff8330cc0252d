"""Crash test: ingest over HTTP while the server is killed with SIGKILL at random moments.

    .venv/bin/python bench/crash.py                 # 100 kills
    .venv/bin/python bench/crash.py --kills 10 --seed 7

``lexgraph serve`` runs on a free loopback port over an empty store. A client posts documents in
a loop (each document id has two versions of different size, posted in turn, so a replace that
was cut in half would show); after a random delay the server's whole process group gets
SIGKILL, and it is started again on the same store. At the end every document must be wholly
present or wholly absent:

- its named graph holds exactly the triples of one version (the counts come from a clean ingest
  of every version into a separate store), or nothing;
- a document whose last post was acknowledged (201) holds that version, unless a later post of
  it was cut off by a kill (then either version);
- a quarter of the kills fall in the first second after start-up (during the first, cold
  ingest), the others at a random moment up to ``--max-delay`` after the first answer;
- every document graph, and the union of them, passes SHACL validation (lexgraph.validate).

Exit status 1 when any document is partial or an acknowledged one is missing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "safety"))

import httpx  # noqa: E402
import live_server as ls  # noqa: E402

from lexgraph import iris  # noqa: E402
from lexgraph.settings import Settings  # noqa: E402

EXTRA = (
    "\n\nAanvullend wijs ik op artikel 5 van de Richtlijn 2001/55/EG en op de "
    "Vreemdelingenwet 2000.\n"
)


@dataclass(frozen=True)
class Doc:
    document_id: str
    versions: tuple[str, str]  # two texts of different size
    metadata: dict[str, str]

    def body(self, version: int) -> dict[str, Any]:
        return {"text": self.versions[version], "metadata": self.metadata}


@dataclass
class Outcome:
    kills: int = 0
    posts: int = 0
    acknowledged: int = 0
    cut_off: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    restart_seconds: list[float] = field(default_factory=list)
    acknowledged_missing: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    wrong_version: list[str] = field(default_factory=list)
    present: int = 0
    absent: int = 0
    shacl_documents_failing: list[str] = field(default_factory=list)
    shacl_union_conforms: bool = False
    final_triples: int = 0
    seconds: float = 0.0
    expected: dict[tuple[str, int], int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (
            self.acknowledged_missing
            or self.partial
            or self.wrong_version
            or self.shacl_documents_failing
            or not self.shacl_union_conforms
        )


def corpus(count: int) -> list[Doc]:
    """Documents from the seed texts: version 0 a prefix, version 1 the same plus a paragraph."""
    sources = sorted((ROOT / "graph_data" / "sources").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    docs = []
    for i in range(count):
        text = texts[i % len(texts)]
        cut = max(400, len(text) * (1 + i % 3) // 4)
        base = text[:cut].rstrip() + f"\n\nKenmerk crash-{i:03d}.\n"
        docs.append(
            Doc(
                f"crash-{i:03d}",
                (base, base + EXTRA),
                {
                    "title": f"Crashtest document {i}",
                    "date": "2026-07-10",
                    "type": "Kamerbrief",
                    "reference": f"crash-{i:03d}",
                },
            )
        )
    return docs


def expected_counts(docs: list[Doc], store_path: Path) -> dict[tuple[str, int], int]:
    """Triples per (document, version) from a clean ingest into a separate store."""
    from lexgraph.ingest import IngestMetadata, WriteGate, ingest_sync
    from lexgraph.store import open_store

    settings = Settings(store=store_path)
    store = open_store(settings)
    counts = {}
    try:
        for doc in docs:
            for version in (0, 1):
                meta = IngestMetadata.model_validate(doc.metadata)
                ingest_sync(settings, store, doc.versions[version], meta, WriteGate())
                graph = str(iris.document_graph(doc.document_id))
                counts[(doc.document_id, version)] = store.count(graph)
        for doc in docs:
            if counts[(doc.document_id, 0)] == counts[(doc.document_id, 1)]:
                raise SystemExit(f"{doc.document_id}: both versions have the same size")
    finally:
        store.close()
    return counts


class Client(threading.Thread):
    """Posts documents until the server goes away; records what was acknowledged."""

    def __init__(
        self, base: str, docs: list[Doc], rng: random.Random, state: dict[str, Any]
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.docs, self.rng, self.state = base, docs, rng, state
        self.posts = self.acknowledged = self.cut_off = 0
        self.refused: dict[int, int] = {}
        self.answered = threading.Event()  # the first response came back: the server is warm

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {ls.TOKEN}"}
        with httpx.Client(base_url=self.base, timeout=60) as client:
            while True:
                doc = self.rng.choice(self.docs)
                version = 1 - self.state["next"].get(doc.document_id, 1)
                self.state["next"][doc.document_id] = version
                self.state["in_flight"].setdefault(doc.document_id, set()).add(version)
                self.posts += 1
                try:
                    r = client.post("/documents", json=doc.body(version), headers=headers)
                except httpx.HTTPError:
                    self.cut_off += 1  # outcome unknown: the server was killed
                    return
                self.answered.set()
                self.state["in_flight"][doc.document_id].discard(version)
                if r.status_code == 201:
                    self.acknowledged += 1
                    self.state["acked"][doc.document_id] = version
                    # a version cut off earlier can no longer be the final state
                    self.state["in_flight"][doc.document_id].clear()
                else:
                    self.refused[r.status_code] = self.refused.get(r.status_code, 0) + 1


def check_store(
    store_path: Path, docs: list[Doc], counts: dict[tuple[str, int], int], state: dict[str, Any]
) -> Outcome:
    from rdflib import Graph

    from lexgraph.store import open_store
    from lexgraph.validate import load_shapes, validate

    out = Outcome()
    settings = Settings(store=store_path)
    store = open_store(settings)
    shapes = load_shapes(settings.ontology_dir)
    union = Graph()
    try:
        out.final_triples = store.count()
        for doc in docs:
            graph = str(iris.document_graph(doc.document_id))
            n = store.count(graph)
            sizes = {counts[(doc.document_id, v)]: v for v in (0, 1)}
            acked = state["acked"].get(doc.document_id)
            uncertain = state["in_flight"].get(doc.document_id, set())
            if n == 0:
                out.absent += 1
                if acked is not None:
                    out.acknowledged_missing.append(doc.document_id)
                continue
            out.present += 1
            if n not in sizes:
                out.partial.append(f"{doc.document_id}: {n} triples, versions {sorted(sizes)}")
                continue
            allowed = ({acked} if acked is not None else set()) | uncertain
            if sizes[n] not in allowed:
                out.wrong_version.append(f"{doc.document_id}: version {sizes[n]}, {allowed}")
            nt = store.query_raw(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
                "application/n-triples",
            ).body
            data = Graph().parse(data=nt.decode("utf-8"), format="nt")
            union += data
            if not validate(data, shapes).conforms:
                out.shacl_documents_failing.append(doc.document_id)
        out.shacl_union_conforms = validate(union, shapes).conforms
    finally:
        store.close()
    return out


def run(kills: int, n_docs: int, seed: int, max_delay: float, workdir: Path) -> Outcome:
    started = time.monotonic()
    rng = random.Random(seed)
    docs = corpus(n_docs)
    counts = expected_counts(docs, workdir / "reference-store")
    store = workdir / "store"
    settings = {**ls.NO_QUOTAS, "pool_workers": 1}
    state: dict[str, Any] = {"acked": {}, "in_flight": {}, "next": {}}
    restarts: list[float] = []
    posts = acknowledged = cut_off = 0
    refused: dict[int, int] = {}
    log = workdir / "server.log"
    for _ in range(kills):
        server = ls.spawn(store, log, settings)
        restarts.append(ls.wait_until(server, 200, timeout=120))
        client = Client(server.base, docs, rng, state)
        client.start()
        if rng.random() < 0.25:  # during start-up and the first, cold ingest
            time.sleep(rng.uniform(0.0, 1.0))
        else:  # at a random point of the following ingests
            client.answered.wait(60)
            time.sleep(rng.uniform(0.0, max_delay))
        ls.kill(server)
        client.join(60)
        posts += client.posts
        acknowledged += client.acknowledged
        cut_off += client.cut_off
        for status, n in client.refused.items():
            refused[status] = refused.get(status, 0) + n
    # one clean start on what the kills left: the store must open and serve
    server = ls.spawn(store, log, settings)
    restarts.append(ls.wait_until(server, 200, timeout=120))
    ls.stop(server)
    out = check_store(store, docs, counts, state)
    out.kills, out.posts, out.acknowledged, out.cut_off = kills, posts, acknowledged, cut_off
    out.refused, out.restart_seconds = refused, restarts
    out.seconds = time.monotonic() - started
    out.expected = counts
    return out


def report(out: Outcome) -> None:
    r = out.restart_seconds
    print(f"kills (SIGKILL of the server's process group): {out.kills}")
    print(f"posts: {out.posts}, acknowledged (201): {out.acknowledged}, cut off by a kill: "
          f"{out.cut_off}, refused: {out.refused or 'none'}")  # fmt: skip
    print(f"documents present: {out.present}, absent: {out.absent}")
    print(f"acknowledged but missing: {len(out.acknowledged_missing)} {out.acknowledged_missing}")
    print(f"partial documents: {len(out.partial)} {out.partial}")
    print(f"not the acknowledged version: {len(out.wrong_version)} {out.wrong_version}")
    print(f"SHACL: documents failing {len(out.shacl_documents_failing)}, "
          f"union conforms {out.shacl_union_conforms}")  # fmt: skip
    print(f"triples in the final store: {out.final_triples}")
    if r:
        print(
            f"restart to healthy: mean {statistics.mean(r):.2f} s, p50 "
            f"{statistics.median(r):.2f} s, max {max(r):.2f} s ({len(r)} starts)"
        )
    print(f"total time: {out.seconds:.0f} s -> {'OK' if out.ok else 'FAIL'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--docs", type=int, default=12, help="distinct document ids")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=2.0, help="seconds before a kill")
    parser.add_argument("--workdir", type=Path, help="keep the stores here (default: a temp dir)")
    args = parser.parse_args(argv)
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        out = run(args.kills, args.docs, args.seed, args.max_delay, args.workdir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = run(args.kills, args.docs, args.seed, args.max_delay, Path(tmp))
    report(out)
    return 0 if out.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
