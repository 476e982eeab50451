"""`kg-service serve`: the app under Granian, with lookup fronts on an embedded store.

Process layout with fronts (the default on an embedded store, `KG_LOOKUP_WORKERS`):
this process runs Granian for the fronts (api/front.py) on the public port, and starts the
app's process (`serve --uds`), whose Granian worker owns the store and serves the whole app
on a private Unix socket. Every process stops when its parent dies, even by SIGKILL.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg_service.config import Settings
from kg_service.pipeline import BaseIriMismatch
from kg_service.store.base import Store, StoreBusy

if TYPE_CHECKING:
    import subprocess

    from fastapi import FastAPI

LOCK_WAIT_S = 10.0  # how long `serve` waits for a store another process is letting go of


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser, bool], None],
    settings: Callable[[argparse.Namespace], Settings],
) -> None:
    serve = sub.add_parser("serve", help="run the HTTP API")
    common(serve, True)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--log-level", default="info")
    # internal: the app's process behind the lookup fronts (see `_serve_with_fronts`)
    serve.add_argument("--uds", type=Path, help=argparse.SUPPRESS)
    serve.add_argument("--parent", type=int, default=0, help=argparse.SUPPRESS)
    serve.set_defaults(func=lambda args: cmd_serve(args, settings(args)))


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve with Granian, whose HTTP layer is native code.

    Measured on SPARQL lookups (bench/bench_sparql.py): uvicorn's Python HTTP layer cost as
    much CPU per request as the query itself, which kept the endpoint near half the engine
    server's throughput. Granian runs the app in a worker process. That process is spawned,
    not forked: RocksDB's threads and locks do not survive a fork (a checkpoint hung), so the
    store is only checked here, closed, and opened again in the worker.

    With lookup workers (the default on an embedded store), that worker listens on a private
    Unix socket and `lookup_workers` front processes take the public port (api/front.py).
    """
    from kg_service.pipeline import check_base_iri

    if args.uds is not None:  # the app's process behind the fronts: the parent checked
        _end_with(args.parent)
        _run_granian(_server(settings, args.log_level, uds=args.uds), settings)
        return 0
    store = _open_when_free(settings)
    try:
        check_base_iri(store, settings.base_iri)
    except BaseIriMismatch as error:
        print(f"cannot serve: {error}", file=sys.stderr)
        return 2
    finally:
        store.close()
    root = f"http://{settings.host}:{settings.port}"
    print(f"SPARQL endpoint:  {root}/sparql")
    print(f"Projects:         {root}/projects")
    print(f"Datasets:         {root}/datasets")
    print(f"API docs:         {root}/docs", flush=True)
    if settings.lookup_workers > 0 and settings.store == "oxigraph" and settings.store_path:
        return _serve_with_fronts(settings, args.log_level)
    _run_granian(_server(settings, args.log_level), settings)
    return 0


def _server(
    settings: Settings,
    log_level: str,
    *,
    uds: Path | None = None,
    fronts: int = 0,
) -> Any:
    """Granian for the whole app (on the public port, or on a Unix socket behind fronts), or
    with `fronts`, for that many lookup fronts on the public port (RSGI, api/front.py)."""
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    return Server(
        "kg_service.api.front:create_front" if fronts else "kg_service.api:create_app",
        address=settings.host,
        port=settings.port,
        uds=uds,
        interface=Interfaces.RSGI if fronts else Interfaces.ASGI,
        workers=max(1, fronts),
        http=HTTPModes.http1,  # no HTTP/2 sniffing and no websockets: neither is used
        websockets=False,
        log_level=LogLevels(log_level.lower()),
    )


def _run_granian(server: Any, settings: Settings) -> None:
    import multiprocessing

    multiprocessing.set_start_method("spawn", force=True)
    server.serve(target_loader=partial(_worker_app, settings, os.getpid()))


def _serve_with_fronts(settings: Settings, log_level: str) -> int:
    """The app's process on a private socket, `lookup_workers` fronts on the public port.

    The fronts exit with this process; this process exits when the app's process does.
    """
    import multiprocessing
    import shutil
    import subprocess
    import tempfile
    import threading

    assert settings.store_path is not None
    store_path = settings.store_path.resolve()
    snapshots = store_path.parent / f".{store_path.name}.snapshots-{os.getpid()}"
    private = Path(tempfile.mkdtemp(prefix="kg-service-"))
    socket = private / "app.sock"
    command = [sys.executable, "-m", "kg_service.cli", "serve", "--log-level", log_level]
    command += ["--uds", str(socket), "--parent", str(os.getpid())]
    overrides = {
        "KG_STORE_PATH": str(store_path),
        "KG_BASE_IRI": settings.base_iri,
        "KG_SNAPSHOT_FOLDER": str(snapshots),
    }
    app_process = subprocess.Popen(command, env={**os.environ, **overrides})
    stopping = threading.Event()

    def stop_with_app() -> None:
        app_process.wait()
        if not stopping.is_set():
            print("the app process ended: stopping", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGTERM)

    try:
        if not _wait_for_app(app_process, socket):
            return app_process.returncode or 1
        threading.Thread(target=stop_with_app, daemon=True).start()
        front = _server(settings, log_level, fronts=settings.lookup_workers)
        multiprocessing.set_start_method("spawn", force=True)
        front.serve(target_loader=partial(_front_app, settings, socket, snapshots, os.getpid()))
        return 0 if app_process.poll() is None else 1
    finally:
        stopping.set()
        app_process.terminate()
        try:
            app_process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app_process.kill()
            app_process.wait()
        shutil.rmtree(private, ignore_errors=True)


def _wait_for_app(process: subprocess.Popen[bytes], socket: Path) -> bool:
    """Wait until the app answers /health on `socket`; False if its process ended first."""
    import httpx

    transport = httpx.HTTPTransport(uds=str(socket))
    with httpx.Client(transport=transport, base_url="http://kg-service", timeout=30) as client:
        while process.poll() is None:
            if socket.exists():
                try:
                    if client.get("/health").status_code == 200:
                        return True
                except httpx.TransportError:
                    pass
            time.sleep(0.2)
    return False


def _front_app(
    settings: Settings, socket: Path, snapshots: Path, parent: int, _target: str
) -> Any:  # an RSGI app object, not the callable Granian's stubs expect
    """Builds a front inside its Granian worker process (see `_serve_with_fronts`)."""
    from kg_service.api.front import create_front

    _end_with(parent)
    return create_front(settings, socket, snapshots)


def _open_when_free(settings: Settings, wait_s: float = LOCK_WAIT_S) -> Store:
    """The store, waiting up to `wait_s` while another process still holds its lock.

    A restart right after a crash can find the old server's worker still exiting with the
    store's lock (it lets go of the port first): that start should wait, not fail.
    """
    from kg_service.store.factory import open_store

    deadline = time.monotonic() + wait_s
    while True:
        try:
            return open_store(settings)
        except StoreBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def _worker_app(settings: Settings, parent: int, _target: str) -> FastAPI:
    """Builds the app inside Granian's worker process (see `cmd_serve`)."""
    from kg_service.api import create_app

    _end_with(parent)
    return create_app(settings)


def _end_with(parent: int, signal_number: int = signal.SIGKILL) -> None:
    """Have Linux send this process `signal_number` when `parent` dies, even by SIGKILL.

    An orphaned worker would keep the port and the store's lock, and a restart would fail.
    SIGKILL, not SIGTERM: seen in the kill-and-restart test, a Granian worker given SIGTERM
    can hang in Granian's signal handler holding the GIL, and keep the store's lock until
    killed. The parent only dies before its workers when it crashed, and then the worker
    stops as in a crash too (a write in flight is committed whole or not at all).
    """
    if sys.platform.startswith("linux"):
        import ctypes

        set_parent_death_signal = 1  # PR_SET_PDEATHSIG in <sys/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal_number)
    if os.getppid() != parent:  # it died before the request above
        raise SystemExit("the server's main process is gone")
