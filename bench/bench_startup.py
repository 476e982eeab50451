"""Start-up to ready: a real `kg-service serve` on a large store, from launch to `/health`
answering with the search index ready.

Usage: .venv/bin/python bench/bench_startup.py [N] [--workdir DIR] [--runs R]
(default N = 100000; the store is the one bench_search.py loads into DIR/<N>k, reused).

Two kinds of start alternate on the same store, R times each:
  statistics stale    the VoID statistics do not match the store (after an offline load, and
                      at every start before they were kept across restarts): the server
                      recomputes them in the background and waits for them up to
                      KG_STARTUP_WAIT_S (10 s) before it serves;
  statistics current  a restart with nothing written since: nothing to recompute.
The search index is reopened from disk in both (it is built once, beforehand, and timed).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASE = "http://localhost:8000/"
KG_SERVICE = Path(sys.executable).with_name("kg-service")


def _bench_search() -> object:
    """bench_search.py's `prepare` (generate, bulk load, optimise), shared, not copied."""
    spec = importlib.util.spec_from_file_location("bench_search", REPO / "bench/bench_search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _health(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
            body: dict[str, object] = json.load(answer)
            return body
    except OSError:
        return None


def start_once(store: Path) -> float:
    """Seconds from launching the server to /health saying the search index is ready."""
    port = _free_port()
    env = {**os.environ, "KG_STORE_PATH": str(store), "KG_PORT": str(port), "KG_BASE_IRI": BASE}
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(KG_SERVICE), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            health = _health(port)
            if health is not None and health.get("search_index") == "ready":
                return time.perf_counter() - started
            if server.poll() is not None or time.perf_counter() - started > 600:
                raise SystemExit(f"the server did not become ready (exit {server.returncode})")
            time.sleep(0.02)
    finally:
        server.send_signal(signal.SIGINT)  # a clean stop: the index is reopened next time
        server.wait(120)


def set_statistics(store_path: Path, current: bool) -> None:
    """Mark the VoID statistics current (computing them if they are not), or unmark them as
    any write does. The data never changes here, so marking them again is truthful."""
    from kg_service.sparql.void import is_current, mark_current
    from kg_service.store.oxigraph_store import OxigraphStore

    store = OxigraphStore(store_path)
    try:
        if not current:
            store.update(f"CLEAR SILENT GRAPH <{BASE}graph/no-such-graph>")  # a write
        elif not is_current(store, BASE):
            mark_current(store, BASE)
    finally:
        store.close()


def compute_statistics(store_path: Path) -> None:
    """The VoID statistics, once, before any start is timed (about a minute at 100k)."""
    from kg_service.sparql.void import is_current, refresh
    from kg_service.store.oxigraph_store import OxigraphStore

    store = OxigraphStore(store_path)
    try:
        if not is_current(store, BASE):
            began = time.perf_counter()
            refresh(store, BASE)
            print(f"VoID statistics computed in {time.perf_counter() - began:.1f} s")
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("size", nargs="?", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    n = args.size
    folder = args.workdir / (f"{n // 1_000_000}m" if n >= 1_000_000 else f"{n // 1000}k")
    store = _bench_search().prepare(n, folder)  # type: ignore[attr-defined]
    index = store.with_name(f"{store.name}.search")
    if not index.is_dir():
        began = time.perf_counter()
        env = {**os.environ, "KG_STORE_PATH": str(store), "KG_BASE_IRI": BASE}
        subprocess.run([str(KG_SERVICE), "index", "rebuild"], env=env, check=True)
        print(f"search index built in {time.perf_counter() - began:.1f} s")
    compute_statistics(store)
    start_once(store)  # warm the page cache: both kinds then read the same files from memory
    times: dict[str, list[float]] = {"statistics stale": [], "statistics current": []}
    for _ in range(args.runs):
        set_statistics(store, current=False)
        times["statistics stale"].append(start_once(store))
        set_statistics(store, current=True)
        times["statistics current"].append(start_once(store))
    print(f"\n=== start-up to ready, {n} datasets, {args.runs} starts each ===")
    stale = statistics.median(times["statistics stale"])
    for kind, seconds in times.items():
        median = statistics.median(seconds)
        print(
            f"{kind:<20} median {median:6.2f} s  max {max(seconds):6.2f} s  x{stale / median:.1f}"
        )
    print(f"ready within 5 s: {statistics.median(times['statistics current']) < 5}")


if __name__ == "__main__":
    main()
