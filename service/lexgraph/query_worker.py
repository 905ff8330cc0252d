"""The query worker process: evaluates checked user queries on a read-only store snapshot.

Runs in a child process started by :mod:`lexgraph.query_pool`. It enters the sandbox (no
sockets, no exec, no file access outside the snapshot folder) before it opens anything, then
answers jobs from its pipe one at a time. It has no deadline of its own: the parent kills it.
Results are bounded here, where they are produced: at most ``row_cap`` rows/triples and about
``byte_cap`` bytes, with ``truncated`` set when anything was cut.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph

from lexgraph import result_writers, sandbox
from lexgraph.guard import LOCAL_GRAPH_NAMESPACE
from lexgraph.snapshots import SnapshotReader

log = logging.getLogger(__name__)

#: Reply shapes (plain tuples: cheap to pickle across the pipe).
#: ("ok", body: bytes, media_type: str, truncated: bool, generation: int | None)
#: ("error", status: int, code: str, message: str)
Reply = tuple[Any, ...]


def _error(status: int, code: str, message: str) -> Reply:
    return ("error", status, code, message)


def _dataset_kwargs(store: Any, job: dict[str, Any]) -> dict[str, Any] | Reply:
    """pyoxigraph dataset arguments; every named graph must exist in this snapshot."""
    for iri in job["check_graphs"]:
        if iri.startswith(LOCAL_GRAPH_NAMESPACE):
            continue
        if not store.contains_named_graph(pyoxigraph.NamedNode(iri)):
            return _error(
                400,
                "dataset_forbidden",
                f"<{iri}> names no graph of this store; lexgraph never fetches graphs "
                "from the web (list the graphs with SELECT DISTINCT ?g { GRAPH ?g {} })",
            )
    if job["default"] is not None or job["named"] is not None:
        return {
            "default_graph": [pyoxigraph.NamedNode(i) for i in job["default"] or []],
            "named_graphs": [pyoxigraph.NamedNode(i) for i in job["named"] or []],
        }
    if job["query_has_dataset"]:
        return {}  # the query's own FROM / FROM NAMED
    return {"use_default_graph_as_union": True}


def _select(result: Any, job: dict[str, Any]) -> tuple[bytes, bool]:
    variables = [v.value for v in result.variables]
    cap, byte_cap = job["row_cap"], job["byte_cap"]
    rows: list[list[Any]] = []
    size = 0
    truncated = False
    for solution in itertools.islice(result, cap + 1):
        row = list(solution)
        size += result_writers.estimate_size(row)
        if len(rows) >= cap or size > byte_cap:
            truncated = True
            break
        rows.append(row)
    body = result_writers.write_results(job["media_type"], variables, rows)
    while len(body) > byte_cap and rows:
        rows = rows[: len(rows) // 2]
        truncated = True
        body = result_writers.write_results(job["media_type"], variables, rows)
    return body, truncated


def _graph(result: Any, job: dict[str, Any]) -> tuple[bytes, bool]:
    cap, byte_cap = job["row_cap"], job["byte_cap"]
    fmt = pyoxigraph.RdfFormat.from_media_type(job["media_type"])
    triples: list[Any] = []
    size = 0
    truncated = False
    for triple in itertools.islice(result, cap + 1):
        size += result_writers.estimate_size((triple.subject, triple.predicate, triple.object))
        if len(triples) >= cap or size > byte_cap:
            truncated = True
            break
        triples.append(triple)
    body = pyoxigraph.serialize(triples, format=fmt) or b""
    while len(body) > byte_cap and triples:
        triples = triples[: len(triples) // 2]
        truncated = True
        body = pyoxigraph.serialize(triples, format=fmt) or b""
    return body, truncated


def run_job(reader: SnapshotReader, job: dict[str, Any]) -> Reply:
    """Evaluate one job; every failure becomes an error reply (the process stays usable)."""
    try:
        store = reader.current_store()
    except (FileNotFoundError, OSError) as exc:
        log.error("query worker cannot open a snapshot: %s", exc)
        return _error(503, "store_unavailable", "the store is not available; try again later")
    kwargs = _dataset_kwargs(store, job)
    if isinstance(kwargs, tuple):
        return kwargs
    try:
        result = store.query(job["query"], **kwargs)
        media_type = job["media_type"]
        if isinstance(result, pyoxigraph.QueryBoolean):
            fmt = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
            if fmt is None:
                return _error(406, "not_acceptable", f"an ASK result cannot be {media_type}")
            body, truncated = result.serialize(format=fmt) or b"", False
        elif isinstance(result, pyoxigraph.QuerySolutions):
            body, truncated = _select(result, job)
        else:
            body, truncated = _graph(result, job)
    except SyntaxError as exc:
        return _error(400, "malformed_query", f"malformed query: {exc}")
    except Exception as exc:  # evaluation errors: report the kind, keep internals private
        log.warning("query evaluation failed: %s: %s", type(exc).__name__, exc)
        return _error(
            400, "evaluation_failed", f"the query could not be evaluated ({type(exc).__name__})"
        )
    return ("ok", body, job["media_type"], truncated, reader.generation)


def limit_memory(megabytes: int) -> None:
    """Cap the heap (RLIMIT_DATA): a query that materialises too much aborts this process only."""
    if megabytes <= 0:
        return
    import resource

    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def worker_main(conn: Connection, snapshot_root: str, memory_mb: int = 0) -> None:
    """Process entry point: memory cap, sandbox, then serve jobs until the pipe closes."""
    limit_memory(memory_mb)
    root = Path(snapshot_root)
    seccomp = sandbox.enter([root])
    reader = SnapshotReader(root)
    try:
        reader.current_store()
    except (FileNotFoundError, OSError) as exc:  # reported per job; the parent publishes
        print(f"lexgraph query worker: no snapshot yet: {exc}", file=sys.stderr)
    conn.send(("ready", os.getpid(), seccomp))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_job(reader, job))


def main(argv: list[str] | None = None) -> int:
    """``python -m lexgraph.query_worker SNAPSHOT_ROOT FD [MEMORY_MB]``: serve socket ``FD``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3):
        print(
            "usage: python -m lexgraph.query_worker SNAPSHOT_ROOT FD [MEMORY_MB]", file=sys.stderr
        )
        return 2
    memory_mb = int(args[2]) if len(args) == 3 else 0
    worker_main(Connection(int(args[1])), args[0], memory_mb)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
