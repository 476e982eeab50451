"""Immutable checkpoints of the embedded store for the query worker processes.

pyoxigraph documents opening a store read-only while another process writes it as undefined
behaviour, so the workers never read the live store: after every write the server takes a
RocksDB checkpoint (hard links on the same file system, so cheap) and the workers reopen on it.
The last few checkpoints are kept for workers still finishing a query; older ones are removed.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from kg_service.store.oxigraph_store import OxigraphStore

KEEP = 3


class Snapshots:
    """Checkpoints of one store, named by the store generation they show."""

    def __init__(self, store: OxigraphStore) -> None:
        if store.path is None:
            raise ValueError("only an on-disk store can be checkpointed")
        self.store = store
        if not store.read_only:
            # this process holds the store's lock, so other processes' checkpoint folders are
            # leftovers of servers that were killed: remove them (hard links, but many files)
            for stale in store.path.parent.glob(f".{store.path.name}.snapshots-*"):
                shutil.rmtree(stale, ignore_errors=True)
        self.folder = store.path.parent / f".{store.path.name}.snapshots-{os.getpid()}"
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self._paths: dict[int, Path] = {}
        self._lock = threading.Lock()

    def refresh(self) -> None:
        """Checkpoint the store as it is now (call after each committed write)."""
        with self._lock:
            generation = self.store.generation
            if generation in self._paths:
                return
            target = self.folder / f"g{generation}"
            self.store.checkpoint(target)
            self._paths[generation] = target
            for old in sorted(self._paths)[:-KEEP]:
                shutil.rmtree(self._paths.pop(old), ignore_errors=True)

    def latest(self) -> tuple[int, Path]:
        with self._lock:
            generation = max(self._paths)
            return generation, self._paths[generation]

    def close(self) -> None:
        with self._lock:
            self._paths.clear()
            shutil.rmtree(self.folder, ignore_errors=True)
