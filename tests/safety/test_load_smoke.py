"""A 3-second run of ``bench/load.py`` against a real server: no 5xx other than the deliberate
503/504 of the expensive user queries, and every cheap endpoint answers 200."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
import live_server as ls
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load

pytestmark = pytest.mark.integration

TEXT = (
    "Geachte voorzitter,\n\nHierbij informeer ik uw Kamer over de Richtlijn 2001/55/EG (RTB) en "
    "artikel 8 van de Vreemdelingenwet 2000. Zie ook Kamerstuk 19637, nr. 3338.\n"
)


def test_three_seconds_of_load(tmp_path: Path) -> None:
    server = ls.start(
        tmp_path / "store",
        tmp_path / "server.log",
        {**ls.NO_QUOTAS, "pool_workers": 2, "query_timeout": 1.0},
    )
    try:
        meta = {"title": "Brief", "date": "2026-07-10", "type": "Kamerbrief", "reference": "777"}
        r = httpx.post(
            server.url("/documents"),
            json={"text": TEXT, "metadata": meta},
            headers={"Authorization": f"Bearer {ls.TOKEN}"},
            timeout=60,
        )
        assert r.status_code == 201, r.text

        async def go() -> load.Run:
            async with httpx.AsyncClient(base_url=server.base, timeout=60) as client:
                targets = await load.discover(client)
            assert set(targets.by_label) == {"named query", "provenance", "document"}
            return await load.load(
                server.base,
                targets,
                name="smoke",
                duration=3.0,
                max_requests=2_000,
                concurrency=4,
                expensive_clients=1,
                server_pid=server.proc.pid,
            )

        run = asyncio.run(go())
    finally:
        ls.stop(server)
    load.report(run)
    assert run.unexpected_5xx() == 0, dict(run.statuses)
    for label in ("named query", "provenance", "document"):
        assert run.statuses[label]["200"] > 0, (label, run.statuses[label])
        assert set(run.statuses[label]) == {"200"}, (label, run.statuses[label])
    assert run.statuses["expensive"], "the expensive client sent nothing"
    assert run.rss and run.rss[0][1] > 0
