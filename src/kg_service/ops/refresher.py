"""Recompute something slow in the background, as often as asked but never twice at once.

The VoID statistics of the endpoint take about a minute to compute at 100,000 datasets. Doing
that inside each write (or before serving at start-up) would stall submitters and restarts;
instead a write asks for a refresh and returns. Requests that arrive while a refresh runs are
coalesced into one more run after it, so the last write is always covered.

After a run, the next one waits as long as that run took (`rest`): at 1,000,000 datasets
the statistics take 15 minutes, and a stream of submissions would otherwise keep one of the
machine's two cores busy with them all the time; so they take at most half of it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("kg_service.ops.refresher")


class Refresher:
    """One daemon thread running `work` whenever `request()` was called since its last run."""

    def __init__(self, work: Callable[[], None], name: str, rest: float = 1.0) -> None:
        """`rest`: the pause before a run, as a share of how long the run before took."""
        self._work = work
        self._name = name
        self._rest = rest
        self._pause = 0.0
        self._changed = threading.Condition()
        self._wanted = False
        self._running = False
        self._stopping = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        """Ask for a run (returns at once)."""
        with self._changed:
            self._wanted = True
            if self._thread is None and not self._stopping:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no run is running or wanted; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: not (self._wanted or self._running), timeout)

    def close(self) -> None:
        """Stop after the current run, if any (not waited for)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()

    def _loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._wanted or self._stopping)
                self._changed.wait_for(lambda: self._stopping, self._pause)
                if self._stopping:
                    self._wanted = False
                    self._changed.notify_all()
                    return
                self._wanted, self._running = False, True
            started = time.monotonic()
            try:
                self._work()
            except Exception:  # the next request tries again; the service goes on
                log.exception("background refresh %s failed", self._name)
            finally:
                with self._changed:
                    self._running = False
                    self._pause = (time.monotonic() - started) * self._rest
                    self._changed.notify_all()
