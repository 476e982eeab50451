"""A small pool of query worker processes with a per-query time limit.

A query that runs past the limit has its worker killed (the only way to stop pyoxigraph) and a
fresh worker takes its place, so one cartesian product costs one process restart, while other
requests keep being answered by the remaining workers. Workers start lazily, one at a time, up
to `size`: an app that never gets a query never forks.
"""

from __future__ import annotations

import atexit
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, cast

from kg_service.query_worker import QueryJob, QueryReply, read_frame, write_frame

# imported rather than run with -m, so pickled classes keep their module name on both sides
_WORKER_MAIN = "from kg_service.query_worker import main; main()"


class QueryTimeout(TimeoutError):
    """The query ran past the time limit and was stopped."""


class WorkerFailed(RuntimeError):
    """A worker died or answered garbage: an internal error."""


class _Worker:
    """One query worker child process and its pipes."""

    def __init__(self, store_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN, str(store_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    @property
    def stdin(self) -> IO[bytes]:
        return cast(IO[bytes], self.process.stdin)

    @property
    def stdout(self) -> IO[bytes]:
        return cast(IO[bytes], self.process.stdout)

    def ask(self, job: QueryJob, timeout_s: float) -> QueryReply:
        write_frame(self.stdin, job)
        ready, _, _ = select.select([self.stdout], [], [], timeout_s)
        if not ready:
            raise QueryTimeout(f"query stopped after {timeout_s:g} s")
        reply = read_frame(self.stdout)
        if not isinstance(reply, QueryReply):
            raise WorkerFailed(f"query worker exited with {self.process.poll()}")
        return reply

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class QueryExecutor:
    """Runs `QueryJob`s in killable worker processes over a read-only view of the store."""

    def __init__(self, store_path: Path, size: int = 2, timeout_s: float = 30.0) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._started = 0
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        atexit.register(self.close)

    def _acquire(self, deadline: float) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._started < self.size:
                self._started += 1
                worker = _Worker(self.store_path)
                self._all.add(worker)
                return worker
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise QueryTimeout("no query worker became free within the time limit") from None

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)
            self._started -= 1

    def run(self, job: QueryJob) -> QueryReply:
        """Run one job within the time limit.

        :raises QueryTimeout: the limit passed; the worker was killed.
        :raises WorkerFailed: the worker crashed.
        """
        deadline = time.monotonic() + self.timeout_s
        worker = self._acquire(deadline)
        try:
            reply = worker.ask(job, max(0.0, deadline - time.monotonic()))
        except BaseException:
            self._discard(worker)
            raise
        self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker (also registered with atexit)."""
        with self._lock:
            workers = list(self._all)
            self._all.clear()
            self._started = 0
        while not self._idle.empty():
            self._idle.get_nowait()
        for worker in workers:
            worker.kill()
        atexit.unregister(self.close)
