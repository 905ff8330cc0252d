"""Per-client query quotas, in the style of the Wikidata Query Service.

Why: a bounded worker pool protects the machine, but one client with a loop can still occupy
every worker. Each client (the caller passes the client IP as ``client_id``) gets, over a sliding
60-second window:

- a budget of *query-seconds* (wall-clock seconds its queries spent evaluating, counting queries
  still running, so parallel requests cannot overdraw it);
- a budget of *errors* (refused, malformed, timed-out or crashed queries);
- a cap on queries running at the same time.

Over any budget → 429 ``quota_exceeded`` with ``Retry-After`` saying when the budget frees up.
The state is in-process (one API process per deployment unit); a limit of 0 disables it.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from lexgraph.errors import LexgraphError

WINDOW_SECONDS = 60.0
#: Clients tracked at most; the least recently seen are forgotten first (bounded memory).
MAX_CLIENTS = 100_000


class QuotaExceeded(LexgraphError):
    status = 429
    code = "quota_exceeded"


@dataclass
class _Client:
    seconds: deque[tuple[float, float]] = field(default_factory=deque)  # (finished_at, seconds)
    errors: deque[float] = field(default_factory=deque)  # times of errors
    running: dict[int, float] = field(default_factory=dict)  # ticket -> started_at


@dataclass(frozen=True)
class Ticket:
    """Proof of admission; hand it back to :meth:`ClientQuotas.finish`."""

    client_id: str
    number: int
    started_at: float


class ClientQuotas:
    """Sliding-window budgets per client; thread-safe, O(entries in the window) per call."""

    def __init__(
        self,
        *,
        query_seconds_per_minute: float,
        errors_per_minute: int,
        concurrent_queries: int,
        window: float = WINDOW_SECONDS,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.query_seconds = query_seconds_per_minute
        self.errors = errors_per_minute
        self.concurrent = concurrent_queries
        self.window = window
        self.max_clients = max_clients
        self._clock = clock
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._lock = threading.Lock()
        self._next = 0

    def _client(self, client_id: str, now: float) -> _Client:
        client = self._clients.get(client_id)
        if client is None:
            client = self._clients[client_id] = _Client()
            while len(self._clients) > self.max_clients:
                self._clients.popitem(last=False)
        else:
            self._clients.move_to_end(client_id)
        horizon = now - self.window
        while client.seconds and client.seconds[0][0] <= horizon:
            client.seconds.popleft()
        while client.errors and client.errors[0] <= horizon:
            client.errors.popleft()
        return client

    def _retry_after_seconds(self, client: _Client, now: float) -> float:
        """When enough recorded query-seconds leave the window to get back under the budget."""
        running = sum(now - start for start in client.running.values())
        used = sum(s for _, s in client.seconds) + running
        for finished_at, seconds in client.seconds:
            used -= seconds
            if used < self.query_seconds:
                return finished_at + self.window - now
        return self.window  # only running queries count: try again after a window

    def admit(self, client_id: str) -> Ticket:
        """Admit one query or raise :class:`QuotaExceeded` with ``Retry-After``."""
        now = self._clock()
        with self._lock:
            client = self._client(client_id, now)
            if self.errors > 0 and len(client.errors) >= self.errors:
                wait = client.errors[0] + self.window - now
                raise _exceeded(
                    f"too many failed queries: {len(client.errors)} in the last "
                    f"{self.window:.0f} s (limit {self.errors})",
                    wait,
                )
            if self.concurrent > 0 and len(client.running) >= self.concurrent:
                raise _exceeded(
                    f"too many queries at once: {len(client.running)} running "
                    f"(limit {self.concurrent}); wait for one to finish",
                    1.0,
                )
            if self.query_seconds > 0:
                running = sum(now - start for start in client.running.values())
                used = sum(s for _, s in client.seconds) + running
                if used >= self.query_seconds:
                    raise _exceeded(
                        f"query-time budget used: {used:.1f} s of evaluation in the last "
                        f"{self.window:.0f} s (limit {self.query_seconds:g} s)",
                        self._retry_after_seconds(client, now),
                    )
            self._next += 1
            ticket = Ticket(client_id, self._next, now)
            client.running[ticket.number] = now
            return ticket

    def finish(self, ticket: Ticket, *, error: bool, seconds: float | None = None) -> None:
        """Record how long the query ran (default: since admission) and whether it failed."""
        now = self._clock()
        with self._lock:
            client = self._client(ticket.client_id, now)
            client.running.pop(ticket.number, None)
            spent = now - ticket.started_at if seconds is None else seconds
            if spent > 0:
                client.seconds.append((now, spent))
            if error:
                client.errors.append(now)

    def record_error(self, client_id: str) -> None:
        """Count a query refused before admission work started (e.g. by the guard)."""
        now = self._clock()
        with self._lock:
            self._client(client_id, now).errors.append(now)


def _exceeded(message: str, wait: float) -> QuotaExceeded:
    retry = max(1, math.ceil(wait))
    return QuotaExceeded(f"{message}; retry after {retry} s", headers={"Retry-After": str(retry)})
