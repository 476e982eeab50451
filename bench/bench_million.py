"""The whole service on one large store, measured from outside: issue 15's 1 M table.

Usage: .venv/bin/python bench/bench_million.py [N] [--workdir DIR] [--parts ...] [--seconds S]
(default N = 1,000,000; the store and its search index are the ones bench_search.py prepares
in DIR/1m, reused; `bench/bench_startup.py N` computes the VoID statistics if they are stale).

Parts, in this order, one run, the same store:
  disk      the store and the search index on disk;
  startup   `kg-service serve` from launch to /health "ready" (statistics current: a restart);
  http      with that server up, over HTTP from this process, a different record per request
            (random datasets of all N): landing page (HTML), JSON-LD, /search with one or two
            words, two hierarchical filters, both; p50/p95 and the server's RSS;
  sparql    bench_sparql.py's rotating lookup mix and aggregate cells: our endpoint (Granian,
            one worker, read-only view) beside `oxigraph serve-read-only` on the same store,
            and the ceiling of a Python endpoint (query + serialise only, 1 and 2 processes);
  dump      `kg-service dump` beside `oxigraph dump` (the engine's own CLI), same store;
  restore   `kg-service restore` of that dump beside `oxigraph load` of it (new stores).
Every figure with an engine counterpart is printed with its ratio to it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BASE = "http://localhost:8000/"
OBO = "http://purl.obolibrary.org/obo/"
KG_SERVICE = Path(sys.executable).with_name("kg-service")
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
REQUESTS = 400  # per HTTP case, each a different record or query


def _module(name: str) -> ModuleType:
    """A sibling bench script as a module (its helpers are shared, not copied)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (the server's worker processes)."""
    return float(_module("bench_ingest")._sample(pid, {})) / 2**20


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def timed_get(port: int, target: str, accept: str) -> float:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{target}", headers={"accept": accept})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as answer:
        answer.read()
        assert answer.status == 200, target
    return (time.perf_counter() - start) * 1000


def dataset_paths(n: int, count: int, rng: random.Random) -> list[str]:
    """Paths of `count` random datasets among the N (synthetic.py's naming)."""
    picks = rng.sample(range(n), count)
    return [f"/datasets/syn-{i // 10:05d}-{i:06d}" for i in picks]


def search_targets(count: int, rng: random.Random) -> dict[str, list[str]]:
    """Rotating /search requests: word pairs drawn from the synthetic vocabulary (distinct
    combinations, though single words repeat and their masks may be cached), filter pairs
    drawn from bench_search's organism x method lists, and both."""
    from kg_service.synthetic import _WORDS

    search = _module("bench_search")
    words = sorted({w for w in _WORDS if len(w) > 3})
    filters = [
        (t, m)
        for t in search.TAXA
        for m in search.METHODS  # 36 pairs: each repeats, its trees may be cached
    ]

    def keyword() -> str:
        return " ".join(rng.sample(words, rng.choice((1, 2))))

    def filtered() -> dict[str, str]:
        taxon, method = rng.choice(filters)
        return {"organism": f"NCBITaxon:{taxon}", "imaging_method": f"FBbi:{method}"}

    def url(params: dict[str, str]) -> str:
        return "/search?" + urllib.parse.urlencode(params)

    return {
        "search: words": [url({"q": keyword()}) for _ in range(count)],
        "search: 2 filters": [url(filtered()) for _ in range(count)],
        "search: both": [url({"q": keyword(), **filtered()}) for _ in range(count)],
    }


def start_server(store: Path) -> tuple[subprocess.Popen[bytes], int, float]:
    startup = _module("bench_startup")
    port = startup._free_port()
    env = {**os.environ, "KG_STORE_PATH": str(store), "KG_PORT": str(port), "KG_BASE_IRI": BASE}
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(KG_SERVICE), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while True:
        health = startup._health(port)
        if health is not None and health.get("search_index") == "ready":
            return server, port, time.perf_counter() - started
        if server.poll() is not None or time.perf_counter() - started > 1800:
            raise SystemExit(f"the server did not become ready (exit {server.returncode})")
        time.sleep(0.05)


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGINT)  # a clean stop: the index is reopened next time
    server.wait(300)


def part_http(store: Path, n: int, out: dict[str, Any]) -> None:
    """Start-up to ready, then pages and searches over HTTP on the real server."""
    rng = random.Random(15)
    server, port, ready = start_server(store)
    out["startup to ready (statistics current), s"] = ready
    try:
        out["server RSS after start, MiB"] = tree_rss_mib(server.pid)
        cases: dict[str, tuple[list[str], str]] = {
            "landing page (HTML)": (dataset_paths(n, REQUESTS, rng), "text/html"),
            "JSON-LD": (dataset_paths(n, REQUESTS, rng), "application/ld+json"),
        }
        for name, targets in search_targets(REQUESTS, rng).items():
            cases[name] = (targets, "application/json")
        for name, (targets, accept) in cases.items():
            for target in targets[:5]:
                timed_get(port, target, accept)  # warm-up
            times = [timed_get(port, target, accept) for target in targets[5:]]
            p50, p95 = percentiles(times)
            out[f"{name} p50, ms"], out[f"{name} p95, ms"] = p50, p95
        out["server RSS after requests, MiB"] = tree_rss_mib(server.pid)
    finally:
        stop_server(server)


def part_sparql(
    store: Path, folder: Path, seconds: float, out: dict[str, Any], cell_names: list[str]
) -> None:
    """bench_sparql's cells on this store: a folder whose `ours` and `engine` are this store
    (both servers open it read-only) and whose search index is the store's own."""
    sparql = _module("bench_sparql")
    view = folder / "sparql-view"
    view.mkdir(exist_ok=True)
    for name in ("ours", "engine"):
        if not (view / name).exists():
            (view / name).symlink_to(store.resolve())
    relabelled_index(store.with_name("store.search"), view / "search-granian-1")
    args = argparse.Namespace(
        datasets=0, seconds=seconds, clients=8, repeat=3, driver="wrk" if sparql.WRK else "python"
    )
    cells = sparql.make_cells(view, cell_names, 2000)
    # our endpoint, and the ceiling of any Python endpoint on this engine: `bare` only reads
    # the query, runs it and lets pyoxigraph serialise (one and two processes)
    servers = sparql.chosen_servers(view, ["engine", "granian:1", "bare:1", "bare:2"])
    runs = sparql.measure(servers, cells, args)
    engine = servers[0][0]
    for cell in cells:
        for name, _start, _path in servers:
            label = "engine" if name == engine else name.replace("ceiling: ", "")
            rate = statistics.median(run[name, cell][0] for run in runs)
            p99 = statistics.median(run[name, cell][2] for run in runs)
            out[f"SPARQL {cell}, {label}: req/s"] = rate
            out[f"SPARQL {cell}, {label}: p99 ms"] = p99
            fair = [run for run in runs if run[engine, cell][0] and run[engine, cell][2]]
            if name != engine and fair:  # (a cell slower than its window answers nothing)
                rates = [run[name, cell][0] / run[engine, cell][0] for run in fair]
                p99s = [run[name, cell][2] / run[engine, cell][2] for run in fair]
                out[f"SPARQL {cell}, {label}: ours/engine req/s"] = statistics.median(rates)
                out[f"SPARQL {cell}, {label}: ours/engine p99"] = statistics.median(p99s)


def relabelled_index(index: Path, target: Path) -> None:
    """A copy of the store's search index for bench_sparql's read-only app, which names no
    store path (its store is handed in), so that its index identity is "": the copy says so
    in its meta file, else the app would rebuild it (18 minutes at 1 M)."""
    from kg_service.search.engine import META
    from kg_service.search.index import fingerprint

    if not target.exists():
        shutil.copytree(index, target)
    meta = json.loads((target / META).read_text(encoding="utf-8"))
    meta["fingerprint"] = fingerprint("")
    (target / META).write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")


def show(out: dict[str, Any], names: list[str]) -> None:
    """Print some figures now (a long run is not lost if a later part fails)."""
    for name in names:
        value = out[name]
        if "ours/engine" in name:
            shown = f"{value:.0%}" if "req/s" in name else f"x{value:.2f}"
        else:
            shown = f"{value:,.1f}"
        print(f"{name:<58}{shown:>14}", flush=True)


def _run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def part_dump(store: Path, folder: Path, out: dict[str, Any]) -> Path:
    ours, engine = folder / "dump-ours.nq", folder / "dump-engine.nq"
    for path in (ours, engine):
        path.unlink(missing_ok=True)
    out["dump, ours s"] = _run([str(KG_SERVICE), "dump", "--store", str(store), "-o", str(ours)])
    engine_cmd = [str(OXIGRAPH), "dump", "--location", str(store), "--file", str(engine)]
    engine_cmd += ["--format", "nq"]
    out["dump, engine s"] = _run(engine_cmd)
    out["dump: ours/engine time"] = out["dump, ours s"] / out["dump, engine s"]
    out["dump size, MiB"] = mib(ours)
    engine.unlink()
    return ours


def part_restore(dump: Path, folder: Path, out: dict[str, Any]) -> None:
    ours, engine = folder / "restored-ours", folder / "restored-engine"
    for path in (ours, engine):
        shutil.rmtree(path, ignore_errors=True)
    command = [str(KG_SERVICE), "restore", "--store", str(ours), str(dump)]
    out["restore, ours s"] = _run(command)
    engine_cmd = [str(OXIGRAPH), "load", "--location", str(engine), "--file", str(dump)]
    out["restore, engine s (oxigraph load, no optimize)"] = _run(engine_cmd)
    out["restore: ours/engine time"] = (
        out["restore, ours s"] / out["restore, engine s (oxigraph load, no optimize)"]
    )
    for path in (ours, engine):
        shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("size", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--parts", default="disk,http,sparql,dump,restore")
    parser.add_argument("--seconds", type=float, default=8.0, help="per SPARQL cell and repeat")
    parser.add_argument("--cells", default="mix,aggregate", help="SPARQL cells (bench_sparql)")
    args = parser.parse_args()
    n = args.size
    folder = args.workdir / (f"{n // 1_000_000}m" if n >= 1_000_000 else f"{n // 1000}k")
    store = folder / "store"
    if not (folder / f"ready-{n}").exists() or not (folder / "store.search").is_dir():
        raise SystemExit(f"no store with its index for {n} in {folder}: run bench_search.py")
    parts = args.parts.split(",")
    out: dict[str, Any] = {}
    print(f"=== the service at {n} datasets ===", flush=True)
    dump = folder / "dump-ours.nq"
    for part in parts:
        known = set(out)
        if part == "disk":
            out["store on disk, MiB"] = mib(store)
            out["search index on disk, MiB"] = mib(folder / "store.search")
        elif part == "http":
            part_http(store, n, out)
        elif part == "sparql":
            part_sparql(store, folder, args.seconds, out, args.cells.split(","))
        elif part == "dump":
            dump = part_dump(store, folder, out)
        elif part == "restore" and dump.exists():
            part_restore(dump, folder, out)
        show(out, [name for name in out if name not in known])
    dump.unlink(missing_ok=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
