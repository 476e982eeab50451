"""Many readers while a writer replaces projects: no errors, never a half-replaced project.

Bounded: a fixed number of write rounds on loopback-free, in-process threads over a real
on-disk store and the real app (SPARQL, records, search). Latency figures are printed.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from httpx import Response

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.pipeline import prepare, submit
from kg_service.store import OxigraphStore
from tests.conftest import BASE, EXAMPLE_SSBD

ROUNDS = 12
READERS = 4
TITLES_PER_GRAPH = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g (COUNT(?t) AS ?all) (SUM(IF(STRSTARTS(?t, "NEW "), 1, 0)) AS ?new)
WHERE { GRAPH ?g { ?s dcterms:title ?t } } GROUP BY ?g
"""


def changed_copy(tmp_path: Path) -> Path:
    text = EXAMPLE_SSBD.read_text(encoding="utf-8")
    path = tmp_path / "changed.ttl"
    path.write_text(text.replace('has_dataset_title "', 'has_dataset_title "NEW '), "utf-8")
    return path


def test_readers_never_see_a_half_replaced_project(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    submit([EXAMPLE_SSBD], store, BASE)
    versions = [
        {p.graph_iri: list(p.graph) for p in prepare([source], BASE).projects}
        for source in (EXAMPLE_SSBD, changed_copy(tmp_path))
    ]
    app = create_app(Settings(store_path=None, base_iri=BASE), store=store)
    problems: list[str] = []
    latencies: dict[str, list[float]] = {"sparql": [], "record": [], "search": []}
    done = threading.Event()

    def timed(kind: str, call: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = call()
        latencies[kind].append(time.perf_counter() - started)
        return result

    def reader(client: TestClient) -> None:
        while not done.is_set():
            answer = timed(
                "sparql", lambda: client.get("/sparql", params={"query": TITLES_PER_GRAPH})
            )
            assert isinstance(answer, Response)
            for row in answer.json()["results"]["bindings"]:
                new, total = int(row["new"]["value"]), int(row["all"]["value"])
                if new not in (0, total):
                    problems.append(f"{row['g']['value']}: {new} of {total} titles new")
            record = timed(
                "record",
                lambda: client.get(
                    "/datasets/ssbd-2-wt_N2_030303_01", headers={"accept": "application/ld+json"}
                ),
            )
            if getattr(record, "status_code", 500) != 200:
                problems.append(f"record answered {getattr(record, 'status_code', None)}")
            search = timed("search", lambda: client.get("/search", params={"q": "mouse"}))
            if getattr(search, "status_code", 500) != 200:
                problems.append(f"search answered {getattr(search, 'status_code', None)}")

    with TestClient(app) as client:
        threads = [threading.Thread(target=reader, args=(client,)) for _ in range(READERS)]
        for thread in threads:
            thread.start()
        try:
            for round_number in range(ROUNDS):
                store.replace_graphs(versions[round_number % 2])
                time.sleep(0.05)
        finally:
            done.set()
            for thread in threads:
                thread.join(timeout=60)
    store.close()
    assert problems == [], problems[:10]
    assert all(latencies[kind] for kind in latencies)
    for kind, values in latencies.items():
        ordered = sorted(values)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(
            f"{kind}: n={len(values)} median={statistics.median(values) * 1000:.1f} ms "
            f"p95={p95 * 1000:.1f} ms"
        )
