"""Immutable checkpoints of the embedded store for the query worker processes.

pyoxigraph documents opening a store read-only while another process writes it as undefined
behaviour, so the workers never read the live store: after every write the server takes a
RocksDB checkpoint (hard links on the same file system, so cheap) and the workers reopen on it.
The last few checkpoints are kept for workers still finishing a query; older ones are removed.

Processes that answer lookups in front of the server (api/front.py) follow the same
checkpoints: the newest generation is published in an 8-byte file they map into memory, so
each request learns in well under a microsecond whether a write has happened since the
checkpoint it has open (and then moves to the new one before answering).
"""

from __future__ import annotations

import mmap
import os
import shutil
import struct
import threading
from pathlib import Path

import pyoxigraph as ox

from kg_service.store.oxigraph_store import OxigraphStore

KEEP = 3
CURRENT = "current"  # the file holding the newest checkpoint's generation
_GENERATION = struct.Struct("<q")


class Snapshots:
    """Checkpoints of one store, named by the store generation they show."""

    def __init__(self, store: OxigraphStore, folder: Path | None = None) -> None:
        if store.path is None:
            raise ValueError("only an on-disk store can be checkpointed")
        self.store = store
        if not store.read_only:
            # this process holds the store's lock, so other processes' checkpoint folders are
            # leftovers of servers that were killed: remove them (hard links, but many files)
            for stale in store.path.parent.glob(f".{store.path.name}.snapshots-*"):
                shutil.rmtree(stale, ignore_errors=True)
        default = store.path.parent / f".{store.path.name}.snapshots-{os.getpid()}"
        self.folder = folder or default
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self._paths: dict[int, Path] = {}
        self._current: mmap.mmap | None = None
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Checkpoint the store as it is now (call after each committed write)."""
        with self._lock:
            generation = self.store.generation
            if generation in self._paths:
                return
            target = checkpoint_path(self.folder, generation)
            self.store.checkpoint(target)
            self._paths[generation] = target
            self._publish(generation)
            for old in sorted(self._paths)[:-KEEP]:
                shutil.rmtree(self._paths.pop(old), ignore_errors=True)

    def _publish(self, generation: int) -> None:
        """Write the newest generation where front processes read it (after its checkpoint)."""
        if self._current is None:
            path = self.folder / CURRENT
            path.write_bytes(_GENERATION.pack(generation))
            with path.open("r+b") as file:
                self._current = mmap.mmap(file.fileno(), _GENERATION.size)
        _GENERATION.pack_into(self._current, 0, generation)

    def latest(self) -> tuple[int, Path]:
        with self._lock:
            generation = max(self._paths)
            return generation, self._paths[generation]

    def close(self) -> None:
        with self._lock:
            self._paths.clear()
            if self._current is not None:
                self._current.close()
                self._current = None
            shutil.rmtree(self.folder, ignore_errors=True)


def checkpoint_path(folder: Path, generation: int) -> Path:
    """Where `Snapshots` keeps the checkpoint of `generation`."""
    return folder / f"g{generation}"


class SnapshotFollower:
    """Another process's view of a `Snapshots` folder: the newest checkpoint, opened read-only.

    `store()` is called per request: it reads the published generation from shared memory
    and reopens only when it moved (about 10 ms at 100,000 datasets), so an answer never
    comes from a state older than the last write the server had committed when the request
    arrived.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with (folder / CURRENT).open("rb") as file:
            self._current = mmap.mmap(file.fileno(), _GENERATION.size, access=mmap.ACCESS_READ)
        self.generation = -1
        self._store: ox.Store | None = None

    def published(self) -> int:
        """The newest checkpoint's generation, as the server last wrote it."""
        generation: int = _GENERATION.unpack_from(self._current, 0)[0]
        return generation

    def store(self) -> ox.Store:
        """The newest checkpoint, reopened if a write made another since the last call.

        :raises OSError: the checkpoint cannot be opened (the caller lets the server answer).
        """
        generation = self.published()
        if generation != self.generation or self._store is None:
            self._store = None  # let the old one go first (its files may be gone soon)
            self._store = ox.Store.read_only(str(checkpoint_path(self.folder, generation)))
            self.generation = generation
        return self._store
