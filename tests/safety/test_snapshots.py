"""Snapshots: writes become visible to readers as new generations; old ones go when unused."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from lexgraph.snapshots import SnapshotPublisher, SnapshotReader, read_current, snapshot_root

G = ox.NamedNode("https://w3id.org/lexgraph/graph/doc/a")


def quad(i: int) -> ox.Quad:
    return ox.Quad(
        ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i)), G
    )


def count(store: ox.Store) -> int:
    return len(list(store.quads_for_pattern(None, None, None, None)))


def generations(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and p.name.isdigit())


def test_publish_refresh_and_prune(tmp_path: Path) -> None:
    live = ox.Store(str(tmp_path / "store"))
    live.add(quad(1))
    publisher = SnapshotPublisher(lambda: live, tmp_path / "store")
    root = snapshot_root(tmp_path / "store")
    assert read_current(root) is None

    first = publisher.refresh()
    reader = SnapshotReader(root)
    assert count(reader.current_store()) == 1
    assert publisher.refresh() == first  # nothing changed: no new generation

    live.add(quad(2))  # a committed write, without an explicit publish call
    second = publisher.refresh()
    assert second > first
    # The reader still holds the first generation, so it survives pruning ...
    assert f"{first:06d}" in generations(root)
    assert count(reader.current_store()) == 2  # ... until the reader moves on
    assert reader.generation == second
    publisher.prune()
    assert generations(root) == [f"{second:06d}"]
    assert not (root / f"{first:06d}.lock").exists()


def test_snapshot_is_immutable_while_the_store_changes(tmp_path: Path) -> None:
    live = ox.Store(str(tmp_path / "store"))
    live.add(quad(1))
    publisher = SnapshotPublisher(lambda: live, tmp_path / "store")
    publisher.publish()
    pinned = ox.Store.read_only(str(snapshot_root(tmp_path / "store") / "000001"))
    live.extend(quad(i) for i in range(2, 500))
    live.remove(quad(1))
    assert count(pinned) == 1
    assert count(live) == 498


def test_closed_store_is_not_resurrected(tmp_path: Path) -> None:
    live: ox.Store | None = ox.Store(str(tmp_path / "store"))
    publisher = SnapshotPublisher(lambda: live, tmp_path / "store")
    publisher.publish()
    live = None
    reopened = ox.Store(str(tmp_path / "store"))  # the RocksDB lock was released
    reopened.add(quad(3))
    try:
        publisher.refresh()
    except FileNotFoundError as exc:
        assert "closed" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("refresh must not publish a closed store")
    assert os.path.isdir(snapshot_root(tmp_path / "store") / "000001")
