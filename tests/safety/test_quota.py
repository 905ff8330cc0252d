"""Per-client quotas: query-seconds, errors and concurrency over a sliding window."""

from __future__ import annotations

import pytest

from lexgraph.quota import ClientQuotas, QuotaExceeded


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def quotas(clock: Clock, **limits: float) -> ClientQuotas:
    values = {"query_seconds_per_minute": 10.0, "errors_per_minute": 3, "concurrent_queries": 2}
    values.update(limits)
    return ClientQuotas(
        query_seconds_per_minute=values["query_seconds_per_minute"],
        errors_per_minute=int(values["errors_per_minute"]),
        concurrent_queries=int(values["concurrent_queries"]),
        clock=clock,
    )


def test_query_seconds_budget_gives_429_with_retry_after_until_it_frees() -> None:
    clock = Clock()
    book = quotas(clock)
    for _ in range(3):  # 3 queries of 4 s = 12 s > 10 s
        ticket = book.admit("1.2.3.4")
        clock.now += 4
        book.finish(ticket, error=False)
    with pytest.raises(QuotaExceeded) as info:
        book.admit("1.2.3.4")
    error = info.value
    assert (error.status, error.code) == (429, "quota_exceeded")
    # Dropping the first 4 s query (finished at t0+4) gets usage to 8 s < 10 s: at t0+64.
    assert error.headers["Retry-After"] == str(64 - 12)
    book.admit("5.6.7.8")  # other clients are unaffected
    clock.now += 52
    book.admit("1.2.3.4")


def test_running_queries_count_against_the_budget() -> None:
    clock = Clock()
    book = quotas(clock, concurrent_queries=10)
    book.admit("c")
    clock.now += 11  # still running after 11 s
    with pytest.raises(QuotaExceeded):
        book.admit("c")


def test_errors_budget() -> None:
    clock = Clock()
    book = quotas(clock)
    for _ in range(3):
        book.finish(book.admit("c"), error=True)
        clock.now += 1
    with pytest.raises(QuotaExceeded) as info:
        book.admit("c")
    assert "failed queries" in info.value.message
    assert info.value.headers["Retry-After"] == str(60 - 3)
    clock.now += 58
    book.admit("c")


def test_concurrency_cap() -> None:
    clock = Clock()
    book = quotas(clock)
    first = book.admit("c")
    book.admit("c")
    with pytest.raises(QuotaExceeded) as info:
        book.admit("c")
    assert info.value.headers["Retry-After"] == "1"
    book.finish(first, error=False)
    book.admit("c")


def test_zero_disables_a_limit() -> None:
    clock = Clock()
    book = quotas(clock, query_seconds_per_minute=0, errors_per_minute=0, concurrent_queries=0)
    for _ in range(100):
        ticket = book.admit("c")
        clock.now += 5
        book.finish(ticket, error=True)


def test_tracked_clients_are_bounded() -> None:
    clock = Clock()
    book = ClientQuotas(
        query_seconds_per_minute=1,
        errors_per_minute=1,
        concurrent_queries=1,
        max_clients=50,
        clock=clock,
    )
    for i in range(500):
        book.record_error(f"10.0.{i // 256}.{i % 256}")
    assert len(book._clients) == 50
