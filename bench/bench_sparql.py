"""Benchmark the SPARQL endpoint against the engine's own HTTP server, in one run.

Run with `python bench/bench_sparql.py [--datasets 100000] [--seconds 8] [--repeat 3]` (not
part of the test suite; at 100k datasets about 20 minutes: generating and loading 5 M quads,
VoID, starting the servers, then each cell for `--seconds` per server and repeat). `--store DIR`
keeps the generated stores in DIR and reuses them on the next run; `--cells lookup` and
`--servers engine,granian:1` narrow a run down while profiling.

Why: the endpoint adds a Python layer and a policy check to every query, and a hop to a
killable worker process to every query that is not a bounded lookup. The issue's targets are
>= 60 % of `oxigraph serve-read-only`'s throughput on a lookup, >= 90 % on an aggregate, p99
within 2x, and repeated identical queries served faster than the engine. So the same store
copy, the same queries and the same load generator (threads, keep-alive, 8 concurrent clients
on loopback) are used for the engine (`oxigraph serve-read-only --union-default-graph`) and
our endpoint served by Granian (what `kg-service serve` uses) with 1 and 2 workers and by
uvicorn with 1, for comparison (all over a read-only store view). The servers run side by side
and are measured in turn, repeat after repeat, so noise on this shared machine hits them alike;
the report gives medians, and ratios taken within each repeat. Lookups use a different dataset
IRI per request, and aggregates a different trailing comment per request, so our cache cannot
help them; the "repeated" cell sends one identical aggregate, where it can.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI

BASE = "http://localhost:8000/"
KG = "https://w3id.org/bioimage-kg/vocab/"
LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
AGGREGATE = (
    f"SELECT ?organism (COUNT(?d) AS ?n) WHERE {{{{ ?d <{KG}biosample>/"
    "<http://purl.obolibrary.org/obo/RO_0002162> ?organism }} GROUP BY ?organism #{tag}"
)
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))


def read_only_app() -> FastAPI:
    """uvicorn --factory target: the service over a read-only view (several workers can)."""
    from kg_service.api import create_app
    from kg_service.config import Settings
    from kg_service.store import OxigraphStore

    store = OxigraphStore(Path(os.environ["BENCH_STORE"]), read_only=True)
    return create_app(Settings(store_path=None, base_iri=BASE), store=store)


def build_store(folder: Path, datasets: int) -> Path:
    """Synthetic corpus -> bulk load -> optimize -> VoID/examples published -> a copy."""
    from kg_service.config import Settings
    from kg_service.sparql.service import SparqlService
    from kg_service.store import OxigraphStore
    from kg_service.synthetic import write_synthetic_nquads

    nquads = folder / "corpus.nq"
    started = time.perf_counter()
    quads = write_synthetic_nquads(nquads, datasets, BASE, seed=0)
    store = ox.Store(str(folder / "ours"))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    del store
    ours = OxigraphStore(folder / "ours")
    SparqlService(ours, Settings(store_path=None, base_iri=BASE)).publish()
    ours.close()
    shutil.copytree(folder / "ours", folder / "engine")
    took = time.perf_counter() - started
    print(f"corpus: {datasets} datasets, {quads} quads, built in {took:.0f} s")
    return folder


def reuse_or_build(folder: Path, datasets: int) -> Path:
    """A folder holding both store copies from an earlier run is reused as it is."""
    if (folder / "ours").is_dir() and (folder / "engine").is_dir():
        print(f"reusing the stores in {folder}")
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    return build_store(folder, datasets)


def wait_up(
    url: str, process: subprocess.Popen[bytes], timeout: float = 900, expect: bytes = b""
) -> None:
    """Poll `url` until it answers (and its body contains `expect`)."""
    deadline = time.monotonic() + timeout
    parsed = urllib.parse.urlparse(url)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection(parsed.netloc, timeout=2)
            connection.request("GET", parsed.path)
            response = connection.getresponse()
            if response.status < 500 and expect in response.read():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


def start_engine(store: Path, port: int) -> subprocess.Popen[bytes]:
    command = [OXIGRAPH, "serve-read-only", "--location", str(store)]
    command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def start_ours(
    store: Path, port: int, workers: int, server: str = "uvicorn"
) -> subprocess.Popen[bytes]:
    target = "bench.bench_sparql:read_only_app"
    if server == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", target]
        command += ["--http", "1", "--no-ws"]  # as `kg-service serve` runs it
    else:
        command = [sys.executable, "-m", "uvicorn", "--factory", target]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    path = os.pathsep.join(p for p in (str(Path.cwd()), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "BENCH_STORE": str(store), "PYTHONPATH": path}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


_QUERY_NUMBERS = itertools.count()


def load(
    port: int, path: str, make_query: Callable[[int], str], seconds: float, clients: int
) -> list[float]:
    """Closed-loop load: `clients` threads, keep-alive, GET ?query=; returns latencies (s)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = _QUERY_NUMBERS  # shared by every load: no text repeats one a cache has seen

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while time.monotonic() < stop:
            query = urllib.parse.quote(make_query(next(counter)))
            started = time.perf_counter()
            connection.request(
                "GET",
                f"{path}?query={query}",
                headers={"Accept": "application/sparql-results+json"},
            )
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} from port {port}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def summary(latencies: list[float], seconds: float) -> tuple[float, float, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return len(ordered) / seconds, statistics.median(ordered) * 1000, p99 * 1000


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


Server = tuple[str, Callable[[int], subprocess.Popen[bytes]], str]


def _starter(store: Path, workers: int, server: str) -> Callable[[int], subprocess.Popen[bytes]]:
    return lambda port: start_ours(store, port, workers, server)


def chosen_servers(folder: Path, names: list[str]) -> list[Server]:
    """The engine first (the baseline of every ratio), then ours per SERVER:WORKERS entry."""
    servers: list[Server] = []
    if "engine" in names:
        servers.append(
            ("oxigraph serve-read-only", lambda p: start_engine(folder / "engine", p), "/query")
        )
    for name in names:
        server, _, count_text = name.rpartition(":")
        if count_text.isdigit():
            count = int(count_text)
            server = server or "granian"
            label = f"ours, {server} x{count}"
            servers.append((label, _starter(folder / "ours", count, server), "/sparql"))
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="measurements per cell and server")
    parser.add_argument(
        "--store",
        type=Path,
        help="folder to build the stores in and reuse on later runs (default: a temporary one)",
    )
    parser.add_argument(
        "--cells", default="lookup,aggregate,repeated aggregate", help="comma-separated cells"
    )
    parser.add_argument(
        "--servers",
        default="engine,uvicorn:1,granian:1,granian:2",
        help="engine, and SERVER:WORKERS entries for ours (granian or uvicorn)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        folder = reuse_or_build(args.store or Path(tmp), args.datasets)
        rng = random.Random(1)
        lookups = ox.Store.read_only(str(folder / "ours")).query(
            f"SELECT ?d WHERE {{ GRAPH ?g {{ ?d a <{KG}Dataset> }} }} LIMIT 5000"
        )
        iris = [s["d"].value for s in lookups]  # type: ignore[union-attr]
        rng.shuffle(iris)
        every: dict[str, Callable[[int], str]] = {
            "lookup": lambda i: LOOKUP.format(iri=iris[i % len(iris)]),
            "aggregate": lambda i: AGGREGATE.format(tag=i),
            "repeated aggregate": lambda i: AGGREGATE.format(tag="same"),
        }
        cells = {name: every[name] for name in args.cells.split(",")}
        servers = chosen_servers(folder, args.servers.split(","))
        runs = measure(servers, cells, args)
        report(runs, [s[0] for s in servers], list(cells), args)


Figures = tuple[float, float, float]  # req/s, p50 ms, p99 ms


def measure(
    servers: list[Server], cells: dict[str, Callable[[int], str]], args: argparse.Namespace
) -> list[dict[tuple[str, str], Figures]]:
    """All servers run side by side (idle ones cost nothing); each repeat measures every
    cell on every server in turn, so machine noise hits all of them alike."""
    started = []
    try:
        for name, start, path in servers:
            port = free_port()
            started.append((name, start(port), port, path))
        for _name, process, port, path in started:
            if path == "/query":
                wait_up(f"http://127.0.0.1:{port}/", process)
            else:  # the search index builds in the background: measure once it is done
                ready = b'"search_index":"ready"'
                wait_up(f"http://127.0.0.1:{port}/health", process, expect=ready)
        runs: list[dict[tuple[str, str], Figures]] = []
        for repeat in range(args.repeat):
            results: dict[tuple[str, str], Figures] = {}
            for cell, make in cells.items():
                for name, _process, port, path in started:
                    if repeat == 0:
                        load(port, path, make, min(2.0, args.seconds), args.clients)  # warm-up
                    latencies = load(port, path, make, args.seconds, args.clients)
                    results[name, cell] = summary(latencies, args.seconds)
            runs.append(results)
        return runs
    finally:
        for _name, process, _port, _path in started:
            process.terminate()
            process.wait(timeout=30)


def report(
    runs: list[dict[tuple[str, str], Figures]],
    servers: list[str],
    cells: list[str],
    args: argparse.Namespace,
) -> None:
    """Medians over the repeats; ratios are taken within each repeat, then their median."""
    engine = servers[0]
    print(
        f"\n{args.datasets} datasets, {args.clients} clients, {args.seconds:g} s per cell, "
        f"median of {len(runs)} repeats"
    )
    header = f"{'server':26} {'query':20} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9}"
    print(f"{header} {'req/s vs engine':>16} {'p99 vs engine':>14}  per repeat")
    for cell in cells:
        for server in servers:
            rate, p50, p99 = (
                statistics.median(run[server, cell][i] for run in runs) for i in range(3)
            )
            ratios = [run[server, cell][0] / run[engine, cell][0] for run in runs]
            p99s = [run[server, cell][2] / run[engine, cell][2] for run in runs]
            each = " ".join(f"{r:.0%}" for r in ratios)
            print(
                f"{server:26} {cell:20} {rate:9.1f} {p50:9.2f} {p99:9.2f} "
                f"{statistics.median(ratios):15.0%} {statistics.median(p99s):13.2f}x  {each}"
            )


if __name__ == "__main__":
    main()
