"""Landing-page cost against the plain JSON-LD record, measured in the same run.

Loads the shipped SSBD example into a temporary on-disk store and requests every dataset
through the real ASGI app (TestClient, no network). Prints medians in ms and the ratio to
the baseline (the JSON-LD record, which is what the API served before landing pages).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.api.records import record_exists, record_triples
from kg_service.bioschemas import bioschemas_triples
from kg_service.config import Settings
from kg_service.jsonld import record_document
from kg_service.pipeline import submit
from kg_service.store import OxigraphStore

REPO = Path(__file__).resolve().parents[1]
BASE = "http://bench.test/"
ROUNDS = 3


def median_ms(action: Callable[[str], object], items: list[str]) -> float:
    for item in items[:5]:
        action(item)  # warm-up
    times = []
    for _ in range(ROUNDS):
        for item in items:
            start = time.perf_counter()
            action(item)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Path(folder) / "store")
        submit([REPO / "examples" / "ssbd" / "SSBD_all_instances.ttl"], store, BASE)
        client = TestClient(create_app(Settings(store_path=None, base_iri=BASE), store=store))
        paths = [r["iri"].replace(BASE, "/") for r in client.get("/datasets").json()["results"]]

        def get(accept: str) -> Callable[[str], object]:
            return lambda path: client.get(path, headers={"accept": accept}).content

        def old_handler(path: str) -> object:
            """What GET /datasets/{id} did before landing pages: type check + triples + JSON-LD."""
            iri = BASE + path.strip("/")
            record_exists(store, iri, "Dataset")
            return json.dumps(record_document(iri, record_triples(store, iri)))

        cases = {
            "old JSON-LD handler, no HTTP (baseline)": old_handler,
            "Bioschemas CONSTRUCT only": lambda path: bioschemas_triples(
                store, BASE + path.strip("/"), BASE
            ),
            "HTTP JSON-LD record": get("application/ld+json"),
            "HTTP Turtle record": get("text/turtle"),
            "HTTP HTML landing page": get("text/html"),
            "HTTP linkset": lambda path: client.get(f"{path}/linkset").content,
        }
        baseline = None
        print(f"{len(paths)} datasets x {ROUNDS} rounds, medians:")
        for name, action in cases.items():
            ms = median_ms(action, paths)
            baseline = baseline or ms
            print(f"  {name:42s} {ms:7.2f} ms   x{ms / baseline:.2f}")
        sitemap = median_ms(lambda _: client.get("/sitemap.xml").content, ["x"] * 20)
        print(f"  {'HTTP sitemap.xml (73 URLs)':42s} {sitemap:7.2f} ms   x{sitemap / baseline:.2f}")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
