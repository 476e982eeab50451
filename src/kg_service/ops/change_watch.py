"""Keep per-process caches in step with a store shared by several API processes.

An embedded store has one owner process, which hears about every write directly. A SPARQL
server may be written by any API instance, so each instance polls the store's write stamps
(`SparqlHttpStore.poll_changes`) on a short period; listeners (query cache, VoID, search index)
then refresh. The delay before another instance's submission is visible is at most one period
plus the refresh itself.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

log = logging.getLogger("kg_service.changes")


class Pollable(Protocol):
    def poll_changes(self) -> frozenset[str]: ...


class ChangeWatcher:
    """A daemon thread calling `store.poll_changes()` every `period` seconds until stopped."""

    def __init__(self, store: Pollable, period: float) -> None:
        self.store = store
        self.period = period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kg-change-watch", daemon=True)

    def start(self) -> None:
        self.store.poll_changes()  # remember the state at start-up
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                self.store.poll_changes()
            except Exception:  # a failed poll must not end the watch; the next one retries
                log.exception("polling the store for changes failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
