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
uvicorn with 1, for comparison (all over a read-only store view), and `kg-service serve`
itself on its own copy of the store (`serve:N`: N lookup fronts before the app's process).
The servers run side by side and are measured in turn, repeat after repeat, so noise on this
shared machine hits them alike; the report gives medians, and ratios taken within each
repeat. Lookups use a different dataset IRI per request, and aggregates a different trailing
comment per request, so our cache cannot help them; the "repeated" cell sends one identical
aggregate, where it can.

The "mix" cell is issue 15's real mix: ~8,600 different one-pattern requests about 2,000 nodes
(resources of 2 to ~20 triples in six shapes, ontology terms with 3 to 500 users), shuffled and
cycled, so no request comes back within 8,000 others (the cache holds 1,024). Before timing,
200 of them are sent to every server and the answers compared with the engine's. The load comes
from wrk when installed (one thread, pre-formatted requests), else from Python threads.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi import FastAPI

BASE = "http://localhost:8000/"
KG = "https://w3id.org/bioimage-kg/vocab/"
LOOKUP = "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
AGGREGATE = (
    f"SELECT ?organism (COUNT(?d) AS ?n) WHERE {{{{ ?d <{KG}biosample>/"
    "<http://purl.obolibrary.org/obo/RO_0002162> ?organism }} GROUP BY ?organism #{tag}"
)
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
WRK = shutil.which("wrk")
JSON = "application/sparql-results+json"
COMUNICA = "application/sparql-results+json;q=1.0,application/sparql-results+xml;q=0.7"
TURTLE = "text/turtle"
FORM = "application/x-www-form-urlencoded"
DCT = "http://purl.org/dc/terms/"
# how each kind of subject is reached from its dataset (None: the dataset itself)
SUBJECT_KINDS: dict[str, tuple[str, ...] | None] = {
    "dataset": None,
    "biosample": (f"{KG}biosample",),
    "acquisition": (f"{KG}imageAcquisition",),
    "image data": (f"{KG}imageData",),
    "file": ("http://www.w3.org/ns/dcat#distribution",),
    "quantity": (f"{KG}imageData", f"{KG}physicalSizeX"),
}
# term nodes: the reverse lookup `?s <p> <term>` answers as many rows as the term has uses
TERM_PREDICATES = (
    "http://purl.obolibrary.org/obo/RO_0002162",
    f"{KG}goBiologicalProcess",
    f"{KG}goMolecularFunction",
    f"{KG}goCellularComponent",
    f"{KG}meshTerm",
    f"{KG}imagingMethod",
)


def read_only_app() -> FastAPI:
    """uvicorn --factory target: the service over a read-only view (several workers can)."""
    from kg_service.api import create_app
    from kg_service.config import Settings
    from kg_service.store import OxigraphStore

    store = OxigraphStore(Path(os.environ["BENCH_STORE"]), read_only=True)
    # the search index on disk, so a later run reopens it (a second worker builds its own)
    index = Path(os.environ["BENCH_INDEX"])
    return create_app(
        Settings(store_path=None, base_iri=BASE, search_index_path=index), store=store
    )


async def hello_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The ceiling of any Python endpoint: a bare ASGI app that answers a fixed small body."""
    if scope["type"] != "http":
        return
    headers = [(b"content-type", JSON.encode()), (b"content-length", b"40")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"head":{},"boolean":true}'.ljust(40)})


def bare_app() -> Callable[..., Any]:
    """The ceiling with the engine: read `query`, run it, let pyoxigraph write JSON or Turtle.

    No policy, no dataset, no negotiation beyond JSON-or-Turtle: what is left is the HTTP
    server, the ASGI call, the query and the serialisation.
    """
    store = ox.Store.read_only(os.environ["BENCH_STORE"])

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        if scope["method"] == "POST":
            message = await receive()
            text = message.get("body", b"").decode()
        else:
            text = scope["query_string"].decode()
        query = urllib.parse.parse_qs(text).get("query", ["ASK {}"])[0]
        result = store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            media, body = TURTLE, result.serialize(format=ox.RdfFormat.TURTLE)
        else:
            media, body = JSON, result.serialize(format=ox.QueryResultsFormat.JSON)
        headers = [(b"content-type", media.encode()), (b"content-length", b"%d" % len(body))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


class BareRsgi:
    """`bare_app` as an RSGI app (Granian's native interface: what the lookup fronts use)."""

    def __init__(self) -> None:
        self.store = ox.Store.read_only(os.environ["BENCH_STORE"])

    async def __rsgi__(self, scope: Any, protocol: Any) -> None:
        text = (await protocol()).decode() if scope.method == "POST" else scope.query_string
        query = urllib.parse.parse_qs(text).get("query", ["ASK {}"])[0]
        result = self.store.query(query, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryTriples):
            media, body = TURTLE, result.serialize(format=ox.RdfFormat.TURTLE)
        else:
            media, body = JSON, result.serialize(format=ox.QueryResultsFormat.JSON)
        protocol.response_bytes(200, [("content-type", media)], body)


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


def _objects(store: ox.Store, subject: str, predicate: str) -> list[str]:
    quads = store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)
    return sorted(q.object.value for q in quads if isinstance(q.object, ox.NamedNode))


def _reach(store: ox.Store, dataset: str, path: tuple[str, ...] | None, rng: random.Random) -> str:
    """The node `path` leads to from `dataset` (a random one where there are several)."""
    node = dataset
    for predicate in path or ():
        node = rng.choice(_objects(store, node, predicate))
    return node


def _subjects(store: ox.Store, count: int, rng: random.Random) -> list[str]:
    """`count` nodes spread over the kinds the store has, each from another random dataset."""
    datasets = [
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(KG + "Dataset"))
    ]
    chosen = rng.sample(sorted(datasets), count)
    kinds = [*SUBJECT_KINDS.values(), "project"]
    found = []
    for number, dataset in enumerate(chosen):
        kind = kinds[number % len(kinds)]
        if kind == "project":
            parts = store.quads_for_pattern(
                None, ox.NamedNode(DCT + "hasPart"), ox.NamedNode(dataset)
            )
            found.append(next(iter(parts)).subject.value)
        else:
            found.append(_reach(store, dataset, kind, rng))  # type: ignore[arg-type]
    return list(dict.fromkeys(found))


def _terms(store: ox.Store, count: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """(predicate, term, uses) of `count` terms used 1..500 times, as evenly spread as they come."""
    found = []
    for predicate in TERM_PREDICATES:
        query = f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ ?s <{predicate}> ?o }} GROUP BY ?o"
        for row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            uses = int(row["n"].value)  # type: ignore[index,union-attr]
            if uses <= 500:
                found.append((predicate, row["o"].value, uses))  # type: ignore[index,union-attr]
    return rng.sample(sorted(found), min(count, len(found)))


def _subject_requests(store: ox.Store, subject: str, rng: random.Random) -> list[Request]:
    """The one-pattern shapes federation engines send about one subject."""
    quads = list(store.quads_for_pattern(ox.NamedNode(subject), None, None, None))
    predicate = rng.choice(quads).predicate.value
    linked = [q for q in quads if isinstance(q.object, ox.NamedNode)]
    reverse = rng.choice(linked) if linked else rng.choice(quads)
    shapes = [
        Request("GET", f"SELECT ?p ?o WHERE {{ <{subject}> ?p ?o }}", COMUNICA),
        Request("GET", f"SELECT ?o WHERE {{ <{subject}> <{predicate}> ?o }}", JSON),
        Request("GET", f"ASK {{ <{subject}> <{predicate}> ?o }}", COMUNICA),
        Request("GET", f"ASK {{ <{subject}> ?p ?o }}", JSON),
        Request(
            "GET",
            f"SELECT ?s WHERE {{ ?s <{reverse.predicate.value}> {reverse.object} }} LIMIT 100",
            COMUNICA,
        ),
        Request("GET", f"CONSTRUCT WHERE {{ <{subject}> ?p ?o }}", TURTLE),
    ]
    return shapes


def mix_requests(store_path: Path, subjects: int, seed: int = 2) -> tuple[list[Request], str]:
    """Requests about `subjects` different nodes, shuffled, and a line that describes them.

    About two thirds are resources (datasets, projects, biosamples, acquisitions, image data,
    files, quantities: 2 to ~20 triples each) asked in six one-pattern shapes, one third are
    ontology terms (3 to 500 uses) asked for their users without a LIMIT. A quarter of the
    requests are form POSTs (Comunica posts long queries). Every request differs from every
    other, so cycling through them never repeats one within a cache's reach.
    """
    rng = random.Random(seed)
    store = ox.Store.read_only(str(store_path))
    nodes = _subjects(store, subjects * 2 // 3, rng)
    terms = _terms(store, subjects - len(nodes), rng)
    requests = [r for node in nodes for r in _subject_requests(store, node, rng)]
    requests += [
        Request("GET", f"SELECT ?s WHERE {{ ?s <{p}> <{term}> }}", COMUNICA) for p, term, _ in terms
    ]
    rng.shuffle(requests)
    requests = [
        Request("POST", r.query, r.accept) if number % 4 == 3 else r
        for number, r in enumerate(requests)
    ]
    sizes = [len(list(store.quads_for_pattern(ox.NamedNode(n), None, None, None))) for n in nodes]
    sizes += [uses for _, _, uses in terms]
    sizes.sort()
    line = (
        f"mix: {len(requests)} distinct requests about {len(nodes)} resources and {len(terms)} "
        f"terms; triples per node min {sizes[0]}, median {statistics.median(sizes):g}, "
        f"p90 {sizes[len(sizes) * 9 // 10]}, max {sizes[-1]}"
    )
    return requests, line


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
            raise RuntimeError(f"{url}: server exited with {process.returncode} ({process.args})")
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
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


APPS = {
    "granian": "bench.bench_sparql:read_only_app",
    "before": "bench.bench_sparql:read_only_app",
    "uvicorn": "bench.bench_sparql:read_only_app",
    "bare": "bench.bench_sparql:bare_app",
    "hello": "bench.bench_sparql:hello_app",
    "rsgi": "bench.bench_sparql:BareRsgi",
}


def start_ours(
    store: Path, port: int, workers: int, server: str = "uvicorn"
) -> subprocess.Popen[bytes]:
    target = APPS[server]
    if server != "uvicorn":
        interface = "rsgi" if server == "rsgi" else "asgi"
        command = [sys.executable, "-m", "granian", "--interface", interface, target]
        command += [] if server == "hello" else ["--factory"]
        command += ["--http", "1", "--no-ws"]  # as `kg-service serve` runs it
    else:
        command = [sys.executable, "-m", "uvicorn", "--factory", target]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    # "before": the same app from an older source tree (`--before REV`), ahead of ours
    before = str(store.with_name("before") / "src") if server == "before" else None
    parts = (before, str(Path.cwd()), os.environ.get("PYTHONPATH"))
    path = os.pathsep.join(p for p in parts if p)
    index = store.with_name(f"search-{server}-{workers}")
    env = {**os.environ, "BENCH_STORE": str(store), "BENCH_INDEX": str(index), "PYTHONPATH": path}
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, killed whole if it hangs
    )


@dataclass(frozen=True)
class Request:
    """One protocol request: GET ?query= or a form POST, with the client's Accept header."""

    method: str
    query: str
    accept: str = JSON

    def target(self, path: str) -> str:
        if self.method == "GET":
            return f"{path}?{urllib.parse.urlencode({'query': self.query})}"
        return path

    def body(self) -> str:
        return urllib.parse.urlencode({"query": self.query}) if self.method == "POST" else ""

    def headers(self) -> dict[str, str]:
        headers = {"Accept": self.accept}
        if self.method == "POST":
            headers["Content-Type"] = FORM
        return headers


Make = Callable[[int], Request]
Figures = tuple[float, float, float]  # req/s, p50 ms, p99 ms
_OFFSETS: dict[int, int] = {}  # requests sent so far per cell: no text repeats one seen before


def load_python(port: int, path: str, make: Make, seconds: float, clients: int) -> Figures:
    """Closed-loop load from `clients` Python threads (keep-alive), when wrk is missing.

    It shares the GIL and the two cores with the servers, so it caps fast servers; wrk does not.
    """
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = itertools.count(_OFFSETS.get(id(make), 0))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine = []
        while time.monotonic() < stop:
            request = make(next(counter))
            started = time.perf_counter()
            body = request.body() or None
            connection.request(request.method, request.target(path), body, request.headers())
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
    _OFFSETS[id(make)] = next(counter)
    return summary(latencies, seconds)


# wrk sends pre-formatted requests from a file in turn (one Lua state per wrk thread, each
# starting elsewhere in the list), and prints its figures as one JSON line
WRK_SCRIPT = r"""
local prepared, index = {}, 0
function setup(thread)
  thread:set("start", tostring(setup_count or 0))
  setup_count = (setup_count or 0) + 7919
end
function init(args)
  for line in io.lines(args[1]) do
    local method, target, accept, body = line:match("^(%u+)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {["Accept"] = accept}
    if method == "POST" then
      headers["Content-Type"] = "application/x-www-form-urlencoded"
    else
      body = nil
    end
    prepared[#prepared + 1] = wrk.format(method, target, headers, body)
  end
  index = tonumber(start or "0") % #prepared
end
function request()
  index = index % #prepared + 1
  return prepared[index]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"us":%d,"bad":%d,"p50":%d,"p99":%d}\n', summary.requests,
    summary.duration, e.status + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
WRK_WINDOW = 20_000  # distinct requests handed to wrk per run, cycled (>> the cache's 1,024)


def load_wrk(port: int, path: str, make: Make, seconds: float, clients: int) -> Figures:
    """Closed-loop load from wrk (one thread, `clients` keep-alive connections)."""
    offset = _OFFSETS.get(id(make), 0)
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script, requests = Path(tmp) / "mix.lua", Path(tmp) / "requests.tsv"
        script.write_text(WRK_SCRIPT)
        lines = []
        for i in range(offset, offset + WRK_WINDOW):
            request = make(i)
            lines.append(
                f"{request.method}\t{request.target(path)}\t{request.accept}\t{request.body()}"
            )
        requests.write_text("\n".join(lines) + "\n")
        command = [WRK, "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "120s"]
        command += ["-s", str(script), f"http://127.0.0.1:{port}{path}", "--", str(requests)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    if figures["bad"]:
        raise RuntimeError(f"{figures['bad']} failed requests from port {port}: {output}")
    _OFFSETS[id(make)] = offset + figures["requests"]
    rate = figures["requests"] / (figures["us"] / 1e6)
    return rate, figures["p50"] / 1000, figures["p99"] / 1000


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
    if server == "serve":
        return lambda port: start_serve(store, port, workers)
    return lambda port: start_ours(store, port, workers, server)


def start_serve(store: Path, port: int, lookup_workers: int) -> subprocess.Popen[bytes]:
    """`kg-service serve` itself, on its own copy of the store (it opens it for writing),
    with `lookup_workers` front processes (0: one process serves everything)."""
    copy = store.with_name(f"serve-{lookup_workers}")
    if not copy.is_dir():
        shutil.copytree(store, copy)
    command = [sys.executable, "-m", "kg_service.cli", "serve", "--store", str(copy)]
    command += ["--port", str(port), "--base-iri", BASE, "--log-level", "warning"]
    env = {
        **os.environ,
        "KG_LOOKUP_WORKERS": str(lookup_workers),
        "KG_SEARCH_INDEX_PATH": str(store.with_name(f"search-serve-{lookup_workers}")),
    }
    return subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


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
            if server == "before":
                label = f"ours before, granian x{count}"
            if server in ("bare", "hello", "rsgi"):
                label = f"ceiling: {server} granian x{count}"
            if server == "serve":
                label = f"kg-service serve, {count} fronts"
            servers.append((label, _starter(folder / "ours", count, server), "/sparql"))
    return servers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="measurements per cell and server")
    parser.add_argument("--subjects", type=int, default=2000, help="nodes the mix rotates over")
    parser.add_argument(
        "--store",
        type=Path,
        help="folder to build the stores in and reuse on later runs (default: a temporary one)",
    )
    parser.add_argument(
        "--cells", default="mix,lookup,aggregate,repeated aggregate", help="comma-separated cells"
    )
    parser.add_argument(
        "--servers",
        default="engine,granian:1,granian:2,uvicorn:1,bare:1,hello:1",
        help="engine, and SERVER:WORKERS entries for ours (granian, uvicorn: the app over a "
        "read-only view; serve: `kg-service serve` itself with WORKERS lookup fronts), or for "
        "the ceilings (bare: query and serialise only, ASGI; rsgi: the same on Granian's RSGI; "
        "hello: a fixed answer)",
    )
    parser.add_argument(
        "--before",
        default="main",
        help="git revision served by BEFORE:WORKERS entries (our endpoint before a change)",
    )
    parser.add_argument(
        "--driver",
        choices=["wrk", "python"],
        default="wrk" if WRK else "python",
        help="load generator (wrk: Debian package `wrk`; python: threads, caps fast servers)",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    with tempfile.TemporaryDirectory(prefix="bench-sparql-") as tmp:
        folder = reuse_or_build(args.store or Path(tmp), args.datasets)
        if any(name.startswith("before:") for name in args.servers.split(",")):
            export_source(args.before, folder / "before")
        cells = make_cells(folder, args.cells.split(","), args.subjects)
        servers = chosen_servers(folder, args.servers.split(","))
        runs = measure(servers, cells, args)
        report(runs, [s[0] for s in servers], list(cells), args)


def export_source(revision: str, folder: Path) -> None:
    """The repository at `revision` (16 MB), for the "before" server."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision],
        capture_output=True,
        check=True,  # src and its data
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)


def make_cells(folder: Path, names: list[str], subjects: int) -> dict[str, Make]:
    """Each cell's request for the i-th call (rotating, so no cache answers but "repeated")."""
    cells: dict[str, Make] = {}
    for name in names:
        if name == "mix":
            mix, line = mix_requests(folder / "ours", subjects)
            print(line)
            cells[name] = lambda i, mix=mix: mix[i % len(mix)]  # type: ignore[misc]
        elif name == "lookup":
            rng = random.Random(1)
            lookups = ox.Store.read_only(str(folder / "ours")).query(
                f"SELECT ?d WHERE {{ GRAPH ?g {{ ?d a <{KG}Dataset> }} }} LIMIT 5000"
            )
            iris = [s["d"].value for s in lookups]  # type: ignore[union-attr]
            rng.shuffle(iris)
            cells[name] = lambda i, iris=iris: Request(
                "GET", LOOKUP.format(iri=iris[i % len(iris)])
            )  # type: ignore[misc]
        elif name == "aggregate":
            cells[name] = lambda i: Request("GET", AGGREGATE.format(tag=i))
        elif name == "repeated aggregate":
            cells[name] = lambda i: Request("GET", AGGREGATE.format(tag="same"))
        else:
            raise SystemExit(f"unknown cell {name!r}")
    return cells


def measure(
    servers: list[Server], cells: dict[str, Make], args: argparse.Namespace
) -> list[dict[tuple[str, str], Figures]]:
    """All servers run side by side (idle ones cost nothing); each repeat measures every
    cell on every server in turn, so machine noise hits all of them alike."""
    load = load_wrk if args.driver == "wrk" else load_python
    started = []
    try:
        for name, start, path in servers:
            port = free_port()
            started.append((name, start(port), port, path))
        for _name, process, port, path in started:
            if path == "/query" or _name.startswith("ceiling"):
                wait_up(f"http://127.0.0.1:{port}/", process)
            else:  # the search index builds in the background: measure once it is done
                ready = b'"search_index":"ready"'
                for _ in range(10):  # each new connection may reach another worker
                    wait_up(f"http://127.0.0.1:{port}/health", process, expect=ready)
        for cell, make in cells.items():
            check_answers([(n, port, path) for n, _, port, path in started], make, cell)
        runs: list[dict[tuple[str, str], Figures]] = []
        for repeat in range(args.repeat):
            results: dict[tuple[str, str], Figures] = {}
            for cell, make in cells.items():
                for name, _process, port, path in started:
                    if repeat == 0:
                        load(port, path, make, min(2.0, args.seconds), args.clients)  # warm-up
                    results[name, cell] = load(port, path, make, args.seconds, args.clients)
            runs.append(results)
        return runs
    finally:
        for _name, process, _port, _path in started:
            process.terminate()
        for _name, process, _port, _path in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker still finishing start-up work
                os.killpg(process.pid, signal.SIGKILL)  # the server and its workers
                process.wait()


def fetch(port: int, path: str, request: Request) -> tuple[str, object]:
    """One answer as something comparable: sorted JSON bindings, a boolean, or triples."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = request.body() or None
    connection.request(request.method, request.target(path), body, request.headers())
    response = connection.getresponse()
    data = response.read()
    media = response.getheader("content-type", "").split(";")[0]
    connection.close()
    if response.status != 200:
        return f"HTTP {response.status}", data
    if media == TURTLE:
        return media, sorted(str(t) for t in ox.parse(data, format=ox.RdfFormat.TURTLE))
    document = json.loads(data)
    if "boolean" in document:
        return media, document["boolean"]
    rows = document["results"]["bindings"]
    return media, sorted(json.dumps(row, sort_keys=True) for row in rows)


def check_answers(servers: list[tuple[str, int, str]], make: Make, cell: str) -> None:
    """Our endpoint must give the engine's answers (same type, same rows) before it is timed."""
    engine, port, path = servers[0]
    for i in range(200 if cell == "mix" else 5):
        request = make(i)
        expected = fetch(port, path, request)
        for name, other, other_path in servers[1:]:
            if name.startswith("ceiling: hello"):
                continue
            got = fetch(other, other_path, request)
            if got != expected:
                raise SystemExit(f"{name} and {engine} differ on {request}: {got} vs {expected}")


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
        f"median of {len(runs)} repeats, load from {args.driver}"
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
