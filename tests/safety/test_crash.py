"""HOSTILE.md, ingest: kill -9 at any point between validation and commit — after a restart every
document is wholly present or wholly absent, and success was reported only after commit.

A short run of ``bench/crash.py`` (the full run does 100 kills; figures in bench/RESULTS.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import crash

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_kill_minus_nine_during_ingest_leaves_whole_documents(tmp_path: Path) -> None:
    out = crash.run(kills=4, n_docs=3, seed=3, max_delay=1.5, workdir=tmp_path)
    crash.report(out)
    assert out.kills == 4
    assert out.acknowledged > 0 and out.cut_off > 0  # the kills did land on ingests
    assert out.acknowledged_missing == []
    assert out.partial == []
    assert out.wrong_version == []
    assert out.shacl_documents_failing == [] and out.shacl_union_conforms
    assert len(out.restart_seconds) == 5
    assert out.ok

    # The check itself sees a half-written document: cut one graph down and look again.
    from lexgraph import iris
    from lexgraph.settings import Settings
    from lexgraph.store import open_store

    docs = crash.corpus(3)
    graph = str(iris.document_graph(docs[0].document_id))
    reference = open_store(Settings(store=tmp_path / "reference-store"))
    nt = reference.query_raw(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        "application/n-triples",
    ).body
    reference.close()
    assert len(nt.splitlines()) > 10
    store = open_store(Settings(store=tmp_path / "store"))
    store.replace_graph(graph, b"\n".join(nt.splitlines()[:10]) + b"\n")
    store.close()
    state = {"acked": {docs[0].document_id: 0}, "in_flight": {}}
    damaged = crash.check_store(tmp_path / "store", docs, out.expected, state)
    assert damaged.partial and docs[0].document_id in damaged.partial[0]
    assert not damaged.ok
