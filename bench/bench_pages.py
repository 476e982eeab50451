"""Server time per HTML page, against the JSON search answer measured in the same run.

Each page is requested through the real ASGI app (TestClient: the whole handler, template
and middleware, no network) on two stores: the shipped examples (SSBD + the BD5 record) and
a seeded synthetic corpus (default 10,000 datasets; `python bench/bench_pages.py 0` skips
it, `... 100000` is the full scale). Prints the median and p95 in ms and the ratio to the
baseline, GET /search (JSON) without filters, which does the same index work a page builds on.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.pipeline import submit
from kg_service.store import OxigraphStore
from kg_service.synthetic import write_synthetic_nquads

REPO = Path(__file__).resolve().parents[1]
BASE = "http://bench.test/"
RUNS = 20


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """(median, p95) in ms after two warm-up calls."""
    action()
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(runs - 1, int(0.95 * runs))]


def get(client: TestClient, path: str, expect: int = 200) -> Callable[[], object]:
    def action() -> object:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == expect, (path, response.status_code)
        return response.content

    return action


def first_dataset(client: TestClient) -> str:
    answer = client.get("/search", params={"size": 1}).json()
    return "/" + str(answer["results"][0]["id"])


def top_term(client: TestClient, facet: str) -> str:
    """The most specific value on the biggest branch of a facet (a realistic click)."""
    nodes = client.get("/search", params={"size": 1}).json()["facets"][facet]
    node = nodes[0]
    while node["children"] and node["children"][0]["count"] * 2 > node["count"]:
        node = node["children"][0]
    return str(node["term"])


def report(title: str, client: TestClient, extra: dict[str, str]) -> None:
    organism = top_term(client, "organism")
    pages = {
        "JSON /search (baseline)": "/search",
        "JSON /search?organism=": f"/search?organism={organism}",
        "/ (home)": "/",
        "/browse": "/browse",
        "/browse?organism=": f"/browse?organism={organism}",
        "/browse?q=microscopy&words=1": "/browse?q=microscopy&words=1",
        "/browse?q=<term> (303)": "/browse?q=Mammalia",
        "dataset landing page": first_dataset(client),
        "/query (editor)": "/query",
        "/query?example=01 (cached)": "/query?example=01-datasets-per-organism",
        "/validate (form)": "/validate",
        **extra,
    }
    print(f"\n{title}: {RUNS} runs per page, server time in ms")
    print(f"  {'page':34s} {'median':>8s} {'p95':>8s} {'ratio':>7s}")
    baseline = None
    for name, path in pages.items():
        expect = 303 if "(303)" in name else 200
        median, p95 = timed(get(client, path, expect))
        baseline = baseline or median
        print(f"  {name:34s} {median:8.2f} {p95:8.2f}   x{median / baseline:.2f}")


def real_store(folder: Path) -> OxigraphStore:
    store = OxigraphStore(folder / "real")
    examples = [
        REPO / "examples" / "ssbd" / "SSBD_all_instances.ttl",
        REPO / "examples" / "bd5" / "081505_L1_bd5.ttl",
    ]
    assert submit(examples, store, BASE).stored
    return store


def synthetic_store(folder: Path, n: int) -> OxigraphStore:
    start = time.perf_counter()
    corpus = folder / "corpus.nq"
    write_synthetic_nquads(corpus, n, BASE)
    raw = ox.Store(str(folder / "synthetic"))
    raw.bulk_load(path=str(corpus), format=ox.RdfFormat.N_QUADS)
    raw.optimize()
    raw.flush()
    del raw
    print(f"\nsynthetic corpus: {n} datasets loaded in {time.perf_counter() - start:.1f} s")
    return OxigraphStore(folder / "synthetic")


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        store = real_store(folder)
        with TestClient(create_app(Settings(base_iri=BASE), store)) as client:
            client.app.state.sparql.publish()  # type: ignore[attr-defined]
            bd5 = {"BD5 dataset page (SVG plots)": "/datasets/bd5-081505-L1"}
            report("shipped examples (67 datasets)", client, bd5)
        store.close()
        if n:
            store = synthetic_store(folder, n)
            with TestClient(create_app(Settings(base_iri=BASE), store)) as client:
                client.app.state.sparql.publish()  # type: ignore[attr-defined]
                report(f"synthetic corpus ({n} datasets)", client, {})
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
