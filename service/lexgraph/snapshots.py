"""Immutable read-only snapshots of the embedded store, for the query worker processes.

Why: user queries run in separate processes (so a crash or a runaway query can be killed), and
pyoxigraph documents that opening a store read-only while another process writes it is
undefined behaviour. So workers never open the live store. After each committed write the
writer publishes a RocksDB checkpoint (``Store.backup``: hard links on the same file system,
so it costs milliseconds) as a new *generation*:

    <store>.snapshots/
        CURRENT          the newest generation number (replaced atomically)
        000007/          checkpoint of generation 7 (never modified after publication)
        000007.lock      flock(LOCK_SH) by every worker that has generation 7 open

Workers read ``CURRENT`` before each query and reopen when it changed. A generation older than
CURRENT is deleted once nobody holds its lock (an exclusive non-blocking flock succeeds); a
killed worker's lock is released by the kernel, so nothing leaks.

The publisher also remembers a fingerprint of the live store's files, so
:meth:`SnapshotPublisher.refresh` (called before queries are dispatched) republishes when the
store changed without an explicit :meth:`~SnapshotPublisher.publish` call.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CURRENT = "CURRENT"


def snapshot_root(store_path: Path) -> Path:
    """The snapshot folder that sits beside a store folder."""
    return store_path.parent / f"{store_path.name}.snapshots"


def generation_dir(root: Path, generation: int) -> Path:
    return root / f"{generation:06d}"


def lock_path(root: Path, generation: int) -> Path:
    return root / f"{generation:06d}.lock"


def read_current(root: Path) -> int | None:
    """The newest published generation, or None if nothing was published yet."""
    try:
        text = (root / CURRENT).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return int(text) if text.isdigit() else None


def _fingerprint(store_path: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of the live store's files: changes on every committed write."""
    entries = []
    with os.scandir(store_path) as it:
        for entry in it:
            with contextlib.suppress(FileNotFoundError):
                st = entry.stat()
                entries.append((entry.name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(entries))


def _existing_generations(root: Path) -> list[int]:
    gens = []
    for entry in root.iterdir():
        if entry.is_dir() and entry.name.isdigit():
            gens.append(int(entry.name))
    return sorted(gens)


class SnapshotPublisher:
    """Publishes checkpoints of one live pyoxigraph store and removes unused old ones.

    ``store_getter`` returns the live ``pyoxigraph.Store`` (or None once it is closed); the
    publisher keeps no reference of its own, so closing the store really releases RocksDB's lock.
    """

    def __init__(self, store_getter: Callable[[], Any], store_path: Path) -> None:
        self._get_store = store_getter
        self.store_path = Path(store_path)
        self.root = snapshot_root(self.store_path)
        self._lock = threading.Lock()
        self._fingerprint: tuple[tuple[str, int, int], ...] | None = None

    def publish(self) -> int:
        """Checkpoint the store as a new generation, make it CURRENT, prune old generations."""
        with self._lock:
            generation = self._publish_locked()
        self.prune()
        return generation

    def _publish_locked(self) -> int:
        store = self._get_store()
        if store is None:
            raise FileNotFoundError(f"the store at {self.store_path} is closed")
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".publish.lock", "a+") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)  # one publisher per folder across processes
            for entry in self.root.glob(".staging-*"):  # left by a killed publisher
                shutil.rmtree(entry, ignore_errors=True)
            existing = _existing_generations(self.root)
            current = read_current(self.root) or 0
            generation = max([current, *existing]) + 1
            # Flush first so the checkpoint itself does not change the live files; then a
            # fingerprint taken *before* the checkpoint misses nothing: any write after it
            # changes the files, and the next refresh republishes.
            with contextlib.suppress(AttributeError):
                store.flush()
            before = _fingerprint(self.store_path)
            staging = self.root / f".staging-{generation:06d}-{uuid.uuid4().hex}"
            store.backup(str(staging))
            lock_path(self.root, generation).touch()
            os.rename(staging, generation_dir(self.root, generation))
            tmp = self.root / f".{CURRENT}.{uuid.uuid4().hex}"
            tmp.write_text(f"{generation}\n", encoding="ascii")
            os.replace(tmp, self.root / CURRENT)
            self._fingerprint = before
        log.debug("published store snapshot generation %d", generation)
        return generation

    def refresh(self) -> int:
        """Publish if the live store changed since the last publication; return CURRENT."""
        current = read_current(self.root)
        if current is not None and self._fingerprint == _fingerprint(self.store_path):
            return current
        with self._lock:  # re-check: a concurrent request may have just published
            current = read_current(self.root)
            if current is None or self._fingerprint != _fingerprint(self.store_path):
                current = self._publish_locked()
        self.prune()
        return current

    def prune(self) -> None:
        current = read_current(self.root)
        if current is not None:
            self._prune(current)

    def _prune(self, keep: int) -> None:
        """Delete generations older than ``keep`` that no worker holds."""
        for generation in _existing_generations(self.root):
            if generation >= keep:
                continue
            path = lock_path(self.root, generation)
            try:
                fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue  # a worker still reads it
            try:
                shutil.rmtree(generation_dir(self.root, generation), ignore_errors=True)
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            finally:
                os.close(fd)


class SnapshotReader:
    """The worker side: the newest generation opened read-only, with its lock held."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.generation: int | None = None
        self.store: Any = None
        self._lock_fd: int | None = None

    def current_store(self) -> Any:
        """The store of the newest generation (reopened when CURRENT moved)."""
        import pyoxigraph

        for _ in range(20):
            newest = read_current(self.root)
            if newest is None:
                raise FileNotFoundError(f"no snapshot published in {self.root}")
            if newest == self.generation and self.store is not None:
                return self.store
            try:
                fd = os.open(lock_path(self.root, newest), os.O_RDONLY)
            except FileNotFoundError:
                continue  # pruned between reading CURRENT and locking: read CURRENT again
            fcntl.flock(fd, fcntl.LOCK_SH)
            folder = generation_dir(self.root, newest)
            if not folder.is_dir():
                os.close(fd)
                continue
            store = pyoxigraph.Store.read_only(str(folder))
            self._release()
            self.store, self.generation, self._lock_fd = store, newest, fd
            return store
        raise FileNotFoundError(f"could not open a stable snapshot in {self.root}")

    def _release(self) -> None:
        self.store = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
