"""The query worker pool: threads and the event loop share it; the time limit really stops work;
the native result writer never lets an answer past the row cap."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_service.sparql.executor import QueryExecutor, QueryTimeout
from kg_service.sparql.worker import QueryJob, QueryReply, execute

JSON = "application/sparql-results+json"
EX = "http://example.org/"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _fill(store: ox.Store, count: int, literal: str = "x") -> None:
    for n in range(count):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p"), ox.Literal(literal)))


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    store = ox.Store(str(tmp_path / "store"))
    _fill(store, 200)
    store.flush()
    del store
    return tmp_path / "store"


def _job(query: str, max_rows: int = 10_000) -> QueryJob:
    return QueryJob(query=query, results_type=JSON, graph_type="", max_rows=max_rows)


def _rows(reply: QueryReply) -> int:
    assert reply.status == "ok", reply.message
    return len(json.loads(reply.body)["results"]["bindings"])


def test_loop_and_threads_share_the_pool(store_path: Path) -> None:
    executor = QueryExecutor(store_path, size=2, timeout_s=30)
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7"
    try:
        from_thread: list[QueryReply] = []
        thread = threading.Thread(target=lambda: from_thread.append(executor.run(_job(query))))

        async def many() -> list[QueryReply]:
            thread.start()  # competes with the coroutines for the two workers
            return await asyncio.gather(*(executor.run_async(_job(query)) for _ in range(12)))

        replies = asyncio.run(many())
        thread.join(timeout=30)
        assert [_rows(reply) for reply in [*replies, *from_thread]] == [7] * 13
    finally:
        executor.close()


def test_async_time_limit_kills_the_worker_and_the_pool_recovers(store_path: Path) -> None:
    executor = QueryExecutor(store_path, size=1, timeout_s=1.0)
    try:

        async def scenario() -> tuple[float, int]:
            started = time.monotonic()
            with pytest.raises(QueryTimeout):
                await executor.run_async(_job(CARTESIAN))
            took = time.monotonic() - started
            return took, _rows(await executor.run_async(_job("SELECT ?s { ?s ?p ?o } LIMIT 3")))

        took, rows = asyncio.run(scenario())
        assert took < 5 and rows == 3
    finally:
        executor.close()


def test_a_small_answer_in_many_bytes_is_still_counted_exactly() -> None:
    """Long literals push 2 rows past the native writer's byte budget (max_rows * 3 bytes)."""
    store = ox.Store()
    _fill(store, 2, literal="y" * 500)
    assert _rows(execute(store, _job("SELECT ?s ?o { ?s ?p ?o }", max_rows=2))) == 2
    _fill(store, 3, literal="z")
    refused = execute(store, _job("SELECT ?s ?o { ?s ?p ?o }", max_rows=2))
    assert refused.status == "too_many"


@pytest.mark.parametrize(
    "media_type",
    [JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"],
)
def test_native_writer_respects_the_row_cap_in_every_format(media_type: str) -> None:
    store = ox.Store()
    _fill(store, 40)
    query = "SELECT ?s WHERE { ?s ?p ?o }"
    job = QueryJob(query=query, results_type=media_type, graph_type="", max_rows=39)
    assert execute(store, job).status == "too_many"
    fits = QueryJob(query=query, results_type=media_type, graph_type="", max_rows=40)
    answer = execute(store, fits)
    assert answer.status == "ok" and answer.media_type == media_type
    assert answer.body.count(f"{EX}s".encode()) == 40


def test_workers_read_checkpoints_not_the_live_store(tmp_path: Path) -> None:
    """pyoxigraph calls reading a store another process writes undefined: workers get
    checkpoints taken after each write, and old ones are cleaned up."""
    from rdflib import Literal, URIRef

    from kg_service.config import Settings
    from kg_service.sparql.service import QueryRequest, SparqlService
    from kg_service.store import OxigraphStore

    store = OxigraphStore(tmp_path / "store")
    service = SparqlService(store, Settings(store_path=tmp_path / "store"))
    try:
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        request = QueryRequest(query=query, results_type="text/csv", graph_type=None)
        first = service.query(request).body
        source = service._job(request, service.generation).source
        assert source and Path(source).is_dir() and Path(source) != store.path
        for n in range(5):
            store.replace_graph(
                "http://kg.test/g",
                [(URIRef("http://kg.test/s"), URIRef("http://kg.test/p"), Literal(n))],
            )
        assert service.query(request).body != first  # the write is visible to the workers
        kept = list(service.snapshots.folder.glob("g*"))  # type: ignore[union-attr]
        assert len(kept) <= 3
    finally:
        service.close()
        store.close()
    assert not service.snapshots.folder.exists()  # type: ignore[union-attr]


def test_a_follower_in_another_process_sees_each_write(tmp_path: Path) -> None:
    """The lookup fronts' view: the newest checkpoint, reopened when a write published one."""
    import subprocess
    import sys

    from rdflib import Literal, URIRef

    from kg_service.sparql.snapshots import Snapshots
    from kg_service.store import OxigraphStore

    store = OxigraphStore(tmp_path / "store")
    snapshots = Snapshots(store, tmp_path / "snapshots")
    store.add_change_listener(lambda _graphs: snapshots.refresh())
    snapshots.refresh()
    follower = subprocess.Popen(
        [sys.executable, "-c", FOLLOW, str(tmp_path / "snapshots")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert follower.stdin is not None and follower.stdout is not None
    try:
        for n in range(5):
            store.replace_graph(
                "http://kg.test/g",
                [(URIRef("http://kg.test/s"), URIRef("http://kg.test/p"), Literal(n))],
            )
            follower.stdin.write("?\n")
            follower.stdin.flush()
            assert follower.stdout.readline().split() == [str(n + 1), str(n)]
    finally:
        follower.stdin.close()
        follower.wait(timeout=10)
        snapshots.close()
        store.close()


FOLLOW = """
import sys
from pathlib import Path
import pyoxigraph as ox
from kg_service.sparql.snapshots import SnapshotFollower
follower = SnapshotFollower(Path(sys.argv[1]))
for _ in sys.stdin:
    rows = follower.store().query("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    values = [row["o"].value for row in rows]
    print(follower.generation, *values, flush=True)
"""
