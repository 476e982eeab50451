"""A small pool of query worker processes with a per-query time limit.

A query that runs past the limit has its worker killed (the only way to stop pyoxigraph) and a
fresh worker takes its place, so one cartesian product costs one process restart, while other
requests keep being answered by the remaining workers. Workers start lazily, one at a time, up
to `size`: an app that never gets a query never forks.

The hop to a worker is the largest fixed cost of a sub-millisecond lookup, so it has two doors
onto the same pool: `run_async` for the event loop (write the job, await the reply through the
loop's fd watcher: no thread switch at all) and `run` for threads (select on the pipe). Both
read replies with `os.read` on a non-blocking pipe into the same frame decoder.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import pickle
import select
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO, cast

from kg_service.sparql.worker import HEADER, QueryJob, QueryReply

# imported rather than run with -m, so pickled classes keep their module name on both sides
_WORKER_MAIN = "from kg_service.sparql.worker import main; main()"
_CHUNK = 1 << 16


class QueryTimeout(TimeoutError):
    """The query ran past the time limit and was stopped."""


class WorkerFailed(RuntimeError):
    """A worker died or answered garbage: an internal error."""


class _Frames:
    """Reassembles one length-prefixed reply from the chunks a pipe delivers."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, chunk: bytes) -> QueryReply | None:
        self._buffer += chunk
        if len(self._buffer) < HEADER.size:
            return None
        size = HEADER.size + int(HEADER.unpack_from(self._buffer)[0])
        if len(self._buffer) < size:
            return None
        reply = pickle.loads(self._buffer[HEADER.size : size])
        del self._buffer[:size]
        if not isinstance(reply, QueryReply):
            raise WorkerFailed("query worker answered something that is not a reply")
        return reply


class _Worker:
    """One query worker child process and its pipes (replies read without blocking)."""

    def __init__(self, store_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_MAIN, str(store_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        self.reply_fd = cast(IO[bytes], self.process.stdout).fileno()
        os.set_blocking(self.reply_fd, False)
        self.frames = _Frames()

    def send(self, job: QueryJob) -> None:
        data = pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)
        stream = cast(IO[bytes], self.process.stdin)
        frame = memoryview(HEADER.pack(len(data)) + data)
        try:
            while frame:  # an unbuffered pipe may take a large job in several writes
                frame = frame[stream.write(frame) or 0 :]
        except OSError as error:
            raise WorkerFailed(f"query worker is gone: {error}") from error

    def read_available(self) -> QueryReply | None:
        """Drain what the pipe holds now; the reply once complete.

        :raises WorkerFailed: the worker closed its end (it died).
        """
        while True:
            try:
                chunk = os.read(self.reply_fd, _CHUNK)
            except BlockingIOError:
                return None
            if not chunk:
                raise WorkerFailed(f"query worker exited with {self.process.poll()}")
            reply = self.frames.feed(chunk)
            if reply is not None:
                return reply

    def ask(self, job: QueryJob, timeout_s: float) -> QueryReply:
        """Send `job` and wait for the reply in this thread."""
        deadline = time.monotonic() + timeout_s
        self.send(job)
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.reply_fd], [], [], max(0.0, left))
            if not ready:
                raise QueryTimeout(f"query stopped after {timeout_s:g} s")
            reply = self.read_available()
            if reply is not None:
                return reply

    async def ask_async(self, job: QueryJob, timeout_s: float) -> QueryReply:
        """Send `job` and await the reply on the running loop (no thread involved)."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[QueryReply] = loop.create_future()

        def readable() -> None:
            if done.done():
                return
            try:
                reply = self.read_available()
            except WorkerFailed as error:
                done.set_exception(error)
                return
            if reply is not None:
                done.set_result(reply)

        self.send(job)
        loop.add_reader(self.reply_fd, readable)
        try:
            return await asyncio.wait_for(done, timeout_s)
        except TimeoutError:
            raise QueryTimeout(f"query stopped after {timeout_s:g} s") from None
        finally:
            loop.remove_reader(self.reply_fd)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class _Waiter:
    """A caller queued for a worker: a thread (event) or a coroutine (future on its loop)."""

    def __init__(self, future: asyncio.Future[_Worker] | None = None) -> None:
        self.future = future
        self.loop = future.get_loop() if future is not None else None
        self.event = threading.Event()
        self.worker: _Worker | None = None

    def hand(self, worker: _Worker, pool: _Pool) -> None:
        """Give `worker` to this waiter (called under the pool lock)."""
        if self.future is None or self.loop is None:
            self.worker = worker
            self.event.set()
            return
        future = self.future

        def deliver() -> None:
            if future.done():  # timed out meanwhile: the worker goes back
                pool.release(worker)
            else:
                future.set_result(worker)

        self.loop.call_soon_threadsafe(deliver)


class _Pool:
    """Idle workers and queued callers; lock-protected so threads and the loop can share it."""

    def __init__(self, store_path: Path, size: int) -> None:
        self.store_path = store_path
        self.size = size
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.waiters: deque[_Waiter] = deque()
        self.started = 0
        self.every: set[_Worker] = set()

    def take(self, waiter: _Waiter) -> _Worker | None:
        """An idle or new worker, or None after queueing `waiter` for the next free one."""
        with self.lock:
            if self.idle:
                return self.idle.pop()
            if self.started >= self.size:
                self.waiters.append(waiter)
                return None
            self.started += 1
        return self._spawn()

    def _spawn(self) -> _Worker:
        try:
            worker = _Worker(self.store_path)
        except BaseException:
            with self.lock:
                self.started -= 1
            raise
        with self.lock:
            self.every.add(worker)
        return worker

    def forget(self, waiter: _Waiter) -> bool:
        """Remove a waiter that gave up; False when a worker was already handed to it."""
        with self.lock:
            try:
                self.waiters.remove(waiter)
            except ValueError:
                return False
            return True

    def release(self, worker: _Worker) -> None:
        with self.lock:
            if worker not in self.every:  # closed meanwhile
                return
            if self.waiters:
                self.waiters.popleft().hand(worker, self)
            else:
                self.idle.append(worker)

    def discard(self, worker: _Worker) -> None:
        """Kill `worker`; start a replacement at once if callers are queued."""
        worker.kill()
        with self.lock:
            if worker not in self.every:
                return
            self.every.discard(worker)
            self.started -= 1
            replace = bool(self.waiters)
            if replace:
                self.started += 1
        if replace:
            self.release(self._spawn())

    def close(self) -> list[_Worker]:
        with self.lock:
            workers = list(self.every)
            self.every.clear()
            self.idle.clear()
            self.started = 0
        return workers


class QueryExecutor:
    """Runs `QueryJob`s in killable worker processes over a read-only view of the store."""

    def __init__(self, store_path: Path, size: int = 2, timeout_s: float = 30.0) -> None:
        self.store_path = store_path
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self._pool = _Pool(store_path, self.size)
        atexit.register(self.close)

    def _acquire(self, deadline: float) -> _Worker:
        waiter = _Waiter()
        worker = self._pool.take(waiter)
        if worker is not None:
            return worker
        if waiter.event.wait(max(0.0, deadline - time.monotonic())) or not self._pool.forget(
            waiter
        ):
            waiter.event.wait()
            return cast(_Worker, waiter.worker)
        raise QueryTimeout("no query worker became free within the time limit")

    async def _acquire_async(self, deadline: float) -> _Worker:
        waiter = _Waiter(asyncio.get_running_loop().create_future())
        worker = self._pool.take(waiter)
        if worker is not None:
            return worker
        future = cast("asyncio.Future[_Worker]", waiter.future)
        try:
            return await asyncio.wait_for(future, max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            self._pool.forget(waiter)  # a worker handed meanwhile goes back (see `hand`)
            raise QueryTimeout("no query worker became free within the time limit") from None

    def run(self, job: QueryJob) -> QueryReply:
        """Run one job within the time limit, waiting in this thread.

        :raises QueryTimeout: the limit passed; the worker was killed.
        :raises WorkerFailed: the worker crashed.
        """
        deadline = time.monotonic() + self.timeout_s
        worker = self._acquire(deadline)
        try:
            reply = worker.ask(job, max(0.0, deadline - time.monotonic()))
        except BaseException:
            self._pool.discard(worker)
            raise
        self._pool.release(worker)
        return reply

    async def run_async(self, job: QueryJob) -> QueryReply:
        """`run` for the event loop: the loop keeps serving while the worker computes."""
        deadline = time.monotonic() + self.timeout_s
        worker = await self._acquire_async(deadline)
        try:
            reply = await worker.ask_async(job, max(0.0, deadline - time.monotonic()))
        except BaseException:  # timeout, crash or cancelled: its reply would be stale
            self._pool.discard(worker)
            raise
        self._pool.release(worker)
        return reply

    def close(self) -> None:
        """Stop every worker (also registered with atexit)."""
        for worker in self._pool.close():
            worker.kill()
        atexit.unregister(self.close)
