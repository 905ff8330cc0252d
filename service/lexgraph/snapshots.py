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

Several processes share one snapshot folder (``lexgraph serve --workers N`` on the embedded
store, a ``lexgraph ingest`` beside it). Only a read-write handle of the live store publishes,
and RocksDB lets one process at a time hold one, so there is one publisher at a time; the
``.publish.lock`` flock serialises publication and the clean-up of staging folders across
processes anyway, and generation numbers are taken under it from what is on disk. A publisher
given a read-only handle (a snapshot, or the live store opened read-only) never publishes: a
checkpoint of it would present old data as the newest generation. Pruning is safe from any
process (a generation goes only when its exclusive flock succeeds).
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
        #: Set once the handle turned out to be read-only: then this publisher only reads CURRENT.
        self.read_only = False

    def publish(self) -> int:
        """Checkpoint the store as a new generation, make it CURRENT, prune old generations.

        With a read-only handle nothing is published and the newest generation is returned.
        """
        with self._lock:
            generation = self._publish_locked()
        self.prune()
        return generation

    def _current_or_missing(self) -> int:
        current = read_current(self.root)
        if current is None:
            raise FileNotFoundError(
                f"no snapshot of {self.store_path} is published and this process holds the "
                "store read-only, so it cannot publish one"
            )
        return current

    def _publish_locked(self) -> int:
        if self.read_only:
            return self._current_or_missing()
        store = self._get_store()
        if store is None:
            raise FileNotFoundError(f"the store at {self.store_path} is closed")
        # Flush first so the checkpoint itself does not change the live files; then a
        # fingerprint taken *before* the checkpoint misses nothing: any write after it changes
        # the files, and the next refresh republishes. Only a read-write handle can flush.
        try:
            store.flush()
        except AttributeError:
            pass
        except RuntimeError:  # "Flush is only possible on read-write instances"
            self.read_only = True
            return self._current_or_missing()
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".publish.lock", "a+") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)  # one publisher per folder across processes
            for entry in self.root.glob(".staging-*"):  # left by a killed publisher
                shutil.rmtree(entry, ignore_errors=True)
            existing = _existing_generations(self.root)
            current = read_current(self.root) or 0
            generation = max([current, *existing]) + 1
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
        if self.read_only:
            return self._current_or_missing()
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
        prune_generations(self.root, keep)


def prune_generations(root: Path, keep: int) -> None:
    """Delete generations older than ``keep`` that no process holds (safe from any process)."""
    for generation in _existing_generations(root):
        if generation >= keep:
            continue
        path = lock_path(root, generation)
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
            shutil.rmtree(generation_dir(root, generation), ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        finally:
            os.close(fd)


class Generation:
    """One published generation opened read-only, with its shared flock held while it lives.

    The lock keeps pruning away from it; it is released by :meth:`close` or when the object is
    collected, so a generation stays on disk exactly as long as someone reads it.
    """

    def __init__(self, number: int, store: Any, lock_fd: int) -> None:
        self.number = number
        self.store = store
        self._lock_fd: int | None = lock_fd

    def close(self) -> None:
        self.store = None
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def open_newest(root: Path, *, unless: int | None = None) -> Generation | None:
    """Open the newest published generation read-only (None when it is ``unless``).

    Pruning may delete a generation between reading CURRENT and locking it; then CURRENT is
    read again.
    """
    import pyoxigraph

    for _ in range(20):
        newest = read_current(root)
        if newest is None:
            raise FileNotFoundError(f"no snapshot published in {root}")
        if newest == unless:
            return None
        try:
            fd = os.open(lock_path(root, newest), os.O_RDONLY)
        except FileNotFoundError:
            continue  # pruned between reading CURRENT and locking: read CURRENT again
        fcntl.flock(fd, fcntl.LOCK_SH)
        folder = generation_dir(root, newest)
        if not folder.is_dir():
            os.close(fd)
            continue
        try:
            store = pyoxigraph.Store.read_only(str(folder))
        except BaseException:
            os.close(fd)
            raise
        return Generation(newest, store, fd)
    raise FileNotFoundError(f"could not open a stable snapshot in {root}")


class SnapshotReader:
    """The worker side: the newest generation opened read-only, with its lock held."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._open: Generation | None = None

    @property
    def generation(self) -> int | None:
        return self._open.number if self._open is not None else None

    @property
    def store(self) -> Any:
        return self._open.store if self._open is not None else None

    def current_store(self) -> Any:
        """The store of the newest generation (reopened when CURRENT moved)."""
        fresh = open_newest(self.root, unless=self.generation if self.store is not None else None)
        if fresh is not None:
            old, self._open = self._open, fresh
            if old is not None:
                old.close()
        return self.store


def publish_store(store_path: Path, *, wait: float = 10.0) -> int:
    """Open the live store read-write, publish a generation, close it; return the generation.

    For a process that serves snapshots only (``lexgraph serve --workers N``): it publishes
    what is on disk now and then leaves the store to whoever writes next. Waits up to ``wait``
    seconds for another process (an ingest) to release the store.
    """
    import time

    import pyoxigraph

    store_path = Path(store_path)
    if not (store_path / "CURRENT").is_file():
        raise FileNotFoundError(f"no store at {store_path} (run lexgraph build first)")
    deadline = time.monotonic() + wait
    while True:
        try:
            store = pyoxigraph.Store(str(store_path))
            break
        except OSError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.2)
    holder = [store]
    try:
        return SnapshotPublisher(lambda: holder[0], store_path).publish()
    finally:
        store.flush()
        holder.clear()
        del store
