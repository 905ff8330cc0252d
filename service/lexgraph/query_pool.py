"""A pool of sandboxed worker processes that evaluate user queries under a hard deadline.

Why processes: pyoxigraph has no query timeout and segfaults on some inputs, and a thread cannot
be stopped. A worker process can: on timeout the parent SIGKILLs it and starts a fresh one; a
worker that dies (segfault, OOM kill) fails only the request it was serving (503
``engine_crashed``) and is replaced. The API process never runs user SPARQL itself.

Workers read immutable snapshots of the store (:mod:`lexgraph.snapshots`), never the live
store, because a read-only open while another process writes is undefined behaviour.

Workers are fresh interpreters (``python -m lexgraph.query_worker``) talking over a socket pair:
nothing of the API process (threads, open store, event loop, ``__main__``) is inherited.

The pool is thread-based on the parent side (one blocking call per in-flight query, on the
pool's own bounded executor), so it works from any event loop and from plain threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from lexgraph.errors import LexgraphError, QueryTimeout, Unavailable
from lexgraph.snapshots import SnapshotPublisher, read_current
from lexgraph.store.base import RawResult

log = logging.getLogger(__name__)

#: How long a new worker may take to start and open its snapshot.
STARTUP_TIMEOUT = 60.0


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    seccomp: bool = False
    jobs: int = 0


@dataclass
class PoolStats:
    """Counters for health pages and tests."""

    started: int = 0
    timeouts: int = 0
    crashes: int = 0
    completed: int = 0
    busy_refusals: int = 0
    seccomp: bool | None = None
    pids: list[int] = field(default_factory=list)


class QueryPool:
    """``size`` sandboxed workers over the snapshots in ``snapshot_root``."""

    def __init__(
        self,
        snapshot_root: Path,
        size: int = 2,
        *,
        publisher: SnapshotPublisher | None = None,
        max_pending: int | None = None,
        queue_wait: float = 10.0,
        memory_mb: int = 0,
    ) -> None:
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        self.root = Path(snapshot_root)
        self.size = size
        self.publisher = publisher
        self.queue_wait = queue_wait
        self.memory_mb = memory_mb
        self.stats = PoolStats()
        self._cond = threading.Condition()
        self._idle: deque[_Worker] = deque()
        self._all: set[int] = set()
        self._starting = 0
        self._closed = False
        pending = max_pending if max_pending is not None else size * 8
        self._pending = threading.BoundedSemaphore(pending)
        self._executor = ThreadPoolExecutor(pending, thread_name_prefix="lexgraph-query")
        self._seen_generation: int | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Publish a snapshot if needed and start the workers (returns before they are ready)."""
        if self.publisher is not None:
            self.publisher.refresh()
        for _ in range(self.size):
            self._spawn()

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> bool:
        """Block until every worker is idle and ready (for tests and warm starts)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._idle) < self.size:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def close(self) -> None:
        """Stop every worker; in-flight requests fail with 503."""
        with self._cond:
            self._closed = True
            idle, self._idle = list(self._idle), deque()
            self._cond.notify_all()
        for worker in idle:
            self._stop(worker)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _spawn(self) -> None:
        with self._cond:
            if self._closed:
                return
            self._starting += 1
        try:
            parent, child = socket.socketpair()
            try:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "lexgraph.query_worker",
                        str(self.root),
                        str(child.fileno()),
                        str(self.memory_mb),
                    ],
                    pass_fds=(child.fileno(),),
                    stdin=subprocess.DEVNULL,
                    close_fds=True,
                )
            finally:
                child.close()
            conn = Connection(parent.detach())
        except Exception:
            with self._cond:
                self._starting -= 1
            raise
        self.stats.started += 1
        threading.Thread(
            target=self._await_ready, args=(_Worker(process, conn),), daemon=True
        ).start()

    def _await_ready(self, worker: _Worker) -> None:
        ok = False
        try:
            if worker.conn.poll(STARTUP_TIMEOUT):
                message = worker.conn.recv()
                ok = isinstance(message, tuple) and message[:1] == ("ready",)
                worker.seccomp = bool(message[2]) if ok else False
        except (EOFError, OSError):
            ok = False
        with self._cond:
            self._starting -= 1
            if ok and not self._closed:
                self.stats.seccomp = worker.seccomp
                self.stats.pids.append(worker.process.pid)
                self._all.add(worker.process.pid)
                self._idle.append(worker)
                self._cond.notify_all()
                return
            closed = self._closed
        if not closed:
            log.error("a query worker failed to start (exit code %s)", worker.process.poll())
        self._stop(worker)

    def _stop(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()
        with contextlib.suppress(Exception):
            worker.process.wait(5)
        with contextlib.suppress(Exception):
            worker.conn.close()
        with self._cond:
            self._all.discard(worker.process.pid)

    def _replace(self, worker: _Worker) -> None:
        self._stop(worker)
        if not self._closed:
            try:
                self._spawn()
            except Exception as exc:  # keep serving with fewer workers; next failure retries
                log.error("could not start a replacement query worker: %s", exc)

    # -- one query ---------------------------------------------------------------------------

    def _checkout(self) -> _Worker:
        deadline = time.monotonic() + self.queue_wait
        while True:
            with self._cond:
                while not self._idle:
                    if self._closed:
                        raise Unavailable("the query service is shutting down", code="unavailable")
                    if len(self._all) + self._starting < self.size:
                        break  # a worker died while idle: start one below
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.stats.busy_refusals += 1
                        raise Unavailable(
                            "all query workers are busy; try again shortly",
                            code="busy",
                            headers={"Retry-After": "2"},
                        )
                    self._cond.wait(remaining)
                # Oldest idle first (round robin), skipping workers that died while idle.
                dead = [w for w in self._idle if w.process.poll() is not None]
                for worker in dead:
                    self._idle.remove(worker)
                worker_or_none = self._idle.popleft() if self._idle else None
            for worker in dead:
                log.warning("idle query worker %s had died; replacing it", worker.process.pid)
                self._replace(worker)
            if worker_or_none is not None:
                return worker_or_none
            if not dead:
                self._spawn()

    def _checkin(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                closed = True
            else:
                closed = False
                self._idle.append(worker)
                self._cond.notify()
        if closed:
            self._stop(worker)

    def run(self, job: dict[str, Any], timeout: float) -> tuple[Any, ...]:
        """Evaluate ``job`` on one worker; returns the worker's reply or raises LexgraphError."""
        if not self._pending.acquire(blocking=False):
            self.stats.busy_refusals += 1
            raise Unavailable(
                "too many queries waiting; try again shortly",
                code="busy",
                headers={"Retry-After": "2"},
            )
        try:
            if self.publisher is not None:
                self.publisher.refresh()
            worker = self._checkout()
            try:
                worker.conn.send(job)
                if not worker.conn.poll(timeout):
                    self.stats.timeouts += 1
                    log.info(
                        "query exceeded %.1f s; killing worker %s", timeout, worker.process.pid
                    )
                    self._replace(worker)
                    retry = str(max(1, round(timeout)))
                    raise QueryTimeout(
                        f"the query did not finish within {timeout:g} s and was stopped; "
                        "add LIMIT, narrow the patterns or avoid unbounded property paths",
                        code="query_timeout",
                        headers={"Retry-After": retry},
                    )
                reply: tuple[Any, ...] = worker.conn.recv()
            except (EOFError, OSError):
                self.stats.crashes += 1
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.process.wait(1)
                log.warning(
                    "query worker %s died (exit code %s); replacing it",
                    worker.process.pid,
                    worker.process.returncode,
                )
                self._replace(worker)
                raise Unavailable(
                    "the query engine failed on this query (it crashed or exceeded its "
                    "memory limit) and was restarted; other queries are unaffected",
                    code="engine_crashed",
                    headers={"Retry-After": "5"},
                ) from None
            worker.jobs += 1
            self.stats.completed += 1
            self._checkin(worker)
            self._after_reply(reply)
            return reply
        finally:
            self._pending.release()

    def _after_reply(self, reply: tuple[Any, ...]) -> None:
        """When workers moved to a newer generation, older snapshots may be deletable."""
        if reply[0] != "ok" or self.publisher is None:
            return
        generation = reply[4]
        if generation != self._seen_generation:
            self._seen_generation = generation
            with contextlib.suppress(OSError):
                self.publisher.prune()

    async def run_async(self, job: dict[str, Any], timeout: float) -> tuple[Any, ...]:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self.run, job, timeout)
        except RuntimeError as exc:  # executor shut down
            raise Unavailable("the query service is shutting down", code="unavailable") from exc

    @property
    def current_generation(self) -> int | None:
        return read_current(self.root)


def reply_to_result(reply: tuple[Any, ...]) -> RawResult:
    """A worker reply as a RawResult, or the LexgraphError it carries."""
    if reply[0] == "ok":
        _, body, media_type, truncated, _generation = reply
        return RawResult(body=body, media_type=media_type, truncated=bool(truncated))
    _, status, code, message = reply
    raise LexgraphError(message, code=code, status=status)
