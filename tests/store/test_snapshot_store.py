"""Reading the embedded store from several processes: published snapshots, one publisher.

Why: RocksDB lets one process open the store read-write; a read-only open is a static view that
never sees later commits (checked below) and is undefined while another process writes. So
several server processes read immutable snapshots, and only a read-write handle publishes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from lexgraph.snapshots import SnapshotPublisher, publish_store, read_current, snapshot_root
from lexgraph.store import StoreError
from lexgraph.store.oxigraph import OxigraphSnapshotStore, OxigraphStore

G = "https://w3id.org/lexgraph/graph/doc/a"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def triples(n: int) -> bytes:
    return "".join(f'<http://e/s{i}> <http://e/p> "{i}" .\n' for i in range(n)).encode()


def count(store: OxigraphStore) -> int:
    return int(store.select(COUNT)["results"]["bindings"][0]["n"]["value"])


def generations(root: Path) -> list[int]:
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())


def test_a_read_only_open_does_not_see_later_commits(tmp_path: Path) -> None:
    live = OxigraphStore(tmp_path / "store")
    live.replace_graph(G, triples(2))
    live.close()
    frozen = OxigraphStore(tmp_path / "store", read_only=True)  # nobody writes: a clean open
    live = OxigraphStore(tmp_path / "store")  # a writer beside it, as in a server and an ingest
    live.replace_graph(G, triples(5))
    # Never the new state: the old one, or an outright failure when the writer's compaction
    # deleted files the frozen view names (seen here: "Corruption: ... No such file").
    try:
        seen = count(frozen)
    except RuntimeError as exc:
        assert "No such file" in str(exc)
    else:
        assert seen == 2
    live.close()
    assert count(OxigraphStore(tmp_path / "store", read_only=True)) == 5


def test_workers_read_one_generation_per_request_and_move_on(tmp_path: Path) -> None:
    path = tmp_path / "store"
    live = OxigraphStore(path)
    live.replace_graph(G, triples(3))
    live.close()
    assert publish_store(path) == 1
    reader = OxigraphSnapshotStore(path)
    assert count(reader) == 3

    writer = OxigraphStore(path)  # a reader of snapshots holds no lock on the live store
    writer.replace_graph(G, triples(7))
    with reader.pinned() as generation:
        assert generation == 1
        writer.close()  # publishes generation 2: the snapshot folder exists
        assert read_current(snapshot_root(path)) == 2
        assert count(reader) == 3  # the request keeps its generation
    assert count(reader) == 7 and reader.generation == 2
    assert generations(snapshot_root(path)) == [2]  # generation 1 went once unread
    reader.close()


def test_snapshot_readers_never_publish(tmp_path: Path) -> None:
    """Each server process starts a query pool whose publisher gets that process's handle: a
    snapshot handle must not be checkpointed as a newer generation."""
    path = tmp_path / "store"
    live = OxigraphStore(path)
    live.replace_graph(G, triples(3))
    live.close()
    publish_store(path)
    reader = OxigraphSnapshotStore(path)
    writer = OxigraphStore(path)
    writer.replace_graph(G, triples(9))  # the live files change; nothing is published yet
    writer.flush()
    publisher = SnapshotPublisher(lambda: reader._handle, path)
    assert publisher.refresh() == 1
    assert publisher.publish() == 1
    assert publisher.read_only
    assert generations(snapshot_root(path)) == [1]
    writer.close()
    assert publisher.refresh() == 2  # published by the writer, read by everyone
    reader.close()


def test_snapshot_store_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    OxigraphStore(path).close()
    publish_store(path)
    reader = OxigraphSnapshotStore(path)
    with pytest.raises(StoreError, match="lexgraph ingest"):
        reader.replace_graph(G, triples(1))
    with pytest.raises(StoreError, match="cannot write"):
        reader.delete_graph(G)
    reader.close()
    reader.close()


def test_writers_publish_only_for_servers_and_only_after_writes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    live = OxigraphStore(path)
    live.replace_graph(G, triples(1))
    live.close()
    assert not snapshot_root(path).exists()  # nobody serves snapshots: nothing is published
    publish_store(path)
    OxigraphStore(path).close()  # opened, nothing written
    assert read_current(snapshot_root(path)) == 1
    with pytest.raises(StoreError, match="no snapshot"):
        OxigraphSnapshotStore(tmp_path / "other")


def test_publishing_waits_for_a_writer_in_another_process(tmp_path: Path) -> None:
    path = tmp_path / "store"
    OxigraphStore(path).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
            "print('open', flush=True); time.sleep(1.5)",
            str(path),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
    with pytest.raises(OSError, match=r"(?i)lock"):
        publish_store(path, wait=0.2)
    assert publish_store(path, wait=30) == 1  # once the other process let go
    holder.wait(10)
    assert ox.Store.read_only(str(snapshot_root(path) / "000001")) is not None
