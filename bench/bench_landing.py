"""Landing-page cost on the small demo store and on a large synthetic store, side by side.

A landing page must cost the same whatever the store holds: every query behind it starts
from the record. This bench requests the same kinds of page through the real ASGI app
(TestClient, no network) on two stores and prints the medians in ms and their ratio
(large ÷ small), the figure that matters; a ratio near 1 means no scan. The catalogue
root `/` is timed beside a dataset landing page in one loop (p50 and p95), once the search
index is built, and again with no summary computed yet (its only slow path).

- small: the shipped SSBD example plus the BD5 record (75 records), loaded fresh;
- large: `write_synthetic_nquads` (default 100,000 datasets, ~5 M quads), bulk-loaded and
  optimized once into a folder that later runs reuse (default `.cache/bench/`;
  `python bench/bench_landing.py N FOLDER` picks the size and the folder).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.pipeline import submit
from kg_service.publish.bioschemas import bioschemas_triples
from kg_service.store import OxigraphStore
from kg_service.synthetic import write_synthetic_nquads

REPO = Path(__file__).resolve().parents[1]
BASE = "http://bench.test/"
RUNS = 5  # rounds over the sample records
SAMPLE = 12  # records of each kind per store
CATALOGUE_RUNS = 60  # `/` and a landing page, alternately
Timed = Callable[[str], object]


def median_ms(action: Timed, items: list[str], runs: int = RUNS) -> float:
    for item in items[:3]:
        action(item)  # warm-up
    times = []
    for _ in range(runs):
        for item in items:
            start = time.perf_counter()
            action(item)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def small_store(folder: Path) -> OxigraphStore:
    store = OxigraphStore(folder / "small")
    examples = [
        REPO / "examples" / "ssbd" / "SSBD_all_instances.ttl",
        REPO / "examples" / "bd5" / "081505_L1_bd5.ttl",
    ]
    assert submit(examples, store, BASE).stored
    return store


def large_store(folder: Path, n: int) -> OxigraphStore:
    """The synthetic store in `folder`, built (bulk_load + optimize) only when missing."""
    path, done = folder / f"synthetic-{n}", folder / f"synthetic-{n}.done"
    if not done.exists():
        start = time.perf_counter()
        folder.mkdir(parents=True, exist_ok=True)
        corpus = folder / f"synthetic-{n}.nq"
        write_synthetic_nquads(corpus, n, BASE)
        raw = ox.Store(str(path))
        raw.bulk_load(path=str(corpus), format=ox.RdfFormat.N_QUADS)
        raw.optimize()
        raw.flush()
        del raw
        corpus.unlink()
        done.touch()
        print(f"built {n} synthetic datasets in {time.perf_counter() - start:.0f} s: {path}")
    return OxigraphStore(path)


def sample(client: TestClient, collection: str) -> list[str]:
    """Up to SAMPLE record paths spread over the whole listing."""
    rows = client.get(f"/{collection}").json()["results"]
    step = max(1, len(rows) // SAMPLE)
    return [str(r["iri"]).replace(BASE, "/") for r in rows[::step][:SAMPLE]]


def cases(client: TestClient, store: OxigraphStore) -> dict[str, tuple[Timed, str]]:
    """Name -> (action on a record path, which sample it runs over)."""

    def get(accept: str) -> Timed:
        return lambda path: client.get(path, headers={"accept": accept}).content

    def construct(path: str) -> object:
        return bioschemas_triples(store, BASE + path.strip("/"), BASE)

    table: dict[str, tuple[Timed, str]] = {}
    for kind in ("datasets", "projects"):
        table[f"{kind}: Bioschemas CONSTRUCT"] = (construct, kind)
        table[f"{kind}: HTML page"] = (get("text/html"), kind)
        table[f"{kind}: JSON-LD"] = (get("application/ld+json"), kind)
        table[f"{kind}: Turtle"] = (get("text/turtle"), kind)
        table[f"{kind}: linkset"] = (lambda p: client.get(f"{p}/linkset").content, kind)
    table["/sitemap.xml"] = (lambda _: client.get("/sitemap.xml").content, "once")
    return table


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def catalogue(client: TestClient, app: FastAPI, pages: list[str]) -> dict[str, float]:
    """`/` p50/p95 (the summary reused, as between writes) beside a dataset landing page in
    the same loop, and `/` with no summary computed yet (after a write the previous one is
    served while a new one is computed), median of 5."""
    home, landing = [], []
    for round_ in range(CATALOGUE_RUNS):
        for target, times in (("/", home), (pages[round_ % len(pages)], landing)):
            start = time.perf_counter()
            assert client.get(target).status_code == 200
            times.append((time.perf_counter() - start) * 1000)
    cold = []
    for _ in range(5):
        app.state.home_summary = None  # as on a fresh start before the warm-up finished
        start = time.perf_counter()
        client.get("/")
        cold.append((time.perf_counter() - start) * 1000)
    home_p50, home_p95 = percentiles(home)
    page_p50, page_p95 = percentiles(landing)
    return {
        "/ (catalogue) p50": home_p50,
        "/ (catalogue) p95": home_p95,
        "dataset page p50 (same loop)": page_p50,
        "dataset page p95 (same loop)": page_p95,
        "/ with no summary yet (computed)": statistics.median(cold),
    }


def measure(store: OxigraphStore) -> tuple[dict[str, float], int]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=store)
    app.state.search_index.ready.wait(900)  # start-up work done before measuring
    client = TestClient(app)
    samples = {kind: sample(client, kind) for kind in ("datasets", "projects")}
    samples["once"] = ["/"] * 3
    table = cases(client, store)
    figures = {name: median_ms(act, samples[kind]) for name, (act, kind) in table.items()}
    figures.update(catalogue(client, app, samples["datasets"]))
    return figures, store.quad_count()


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    large_folder = Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / ".cache" / "bench"
    large_folder = large_folder / "kg-bench-landing"
    with tempfile.TemporaryDirectory() as name:
        store = small_store(Path(name))
        small, small_quads = measure(store)
        store.close()
    store = large_store(large_folder, n)
    large, large_quads = measure(store)
    store.close()
    print(f"medians in ms; small = demo ({small_quads:,} quads), large = {n:,} synthetic "
          f"datasets ({large_quads:,} quads)")  # fmt: skip
    print(f"  {'case':34s} {'small':>9s} {'large':>9s} {'large/small':>12s}")
    for name in small:
        ratio = large[name] / small[name]
        print(f"  {name:34s} {small[name]:9.2f} {large[name]:9.2f} {ratio:11.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
