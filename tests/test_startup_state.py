"""What a restart keeps: VoID statistics when nothing was written since (issue 14: start-up).

Recomputing them takes about a minute at 100,000 datasets; a restart on an unchanged store
must not, and any write in any process (a `kg-service load`, an update) must make the next
start recompute them.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from kg_service.config import Settings
from kg_service.sparql.service import SparqlService
from kg_service.sparql.void import is_current, refresh, void_graph
from kg_service.store.oxigraph_store import OxigraphStore

BASE = "http://localhost:8000/"
KG = "https://w3id.org/bioimage-kg/vocab/"
TRIPLE = (URIRef(f"{BASE}datasets/a"), URIRef(f"{KG}title"), URIRef(f"{BASE}x"))


def _stored(path: Path) -> OxigraphStore:
    store = OxigraphStore(path)
    store.replace_graph(f"{BASE}graph/one", [TRIPLE])
    refresh(store, BASE)
    return store


def test_statistics_stay_current_across_a_restart(tmp_path: Path) -> None:
    _stored(tmp_path / "store").close()
    reopened = OxigraphStore(tmp_path / "store")
    assert is_current(reopened, BASE)
    reopened.close()


def test_a_write_by_another_process_makes_them_stale(tmp_path: Path) -> None:
    _stored(tmp_path / "store").close()
    loader = OxigraphStore(tmp_path / "store")  # e.g. `kg-service load` while no server runs
    loader.bulk_add(
        f"<{BASE}datasets/b> <{KG}title> <{BASE}y> <{BASE}graph/two> .\n".encode(),
        [f"{BASE}graph/two"],
    )
    loader.close()
    reopened = OxigraphStore(tmp_path / "store")
    assert not is_current(reopened, BASE)
    reopened.close()


def test_a_write_during_the_computation_leaves_them_unmarked(tmp_path: Path) -> None:
    store = _stored(tmp_path / "store")
    generation = store.generation
    store.delete_graph(f"{BASE}graph/one")
    assert not store.mark_current(void_graph(BASE), generation)
    assert not is_current(store, BASE)
    store.close()


def test_a_server_start_on_an_unchanged_store_skips_the_recomputation(tmp_path: Path) -> None:
    _stored(tmp_path / "store").close()
    store = OxigraphStore(tmp_path / "store")
    service = SparqlService(store, Settings(store_path=None, base_iri=BASE, query_workers=0))
    try:
        service.publish_at_start()  # rewrites the example queries: still current
        assert is_current(store, BASE)
        assert service.void.wait_idle(0)  # nothing was requested
        store.replace_graph(f"{BASE}graph/one", [])
        assert not is_current(store, BASE)
        assert service.void.wait_idle(30)
        assert is_current(store, BASE)  # recomputed after the write, marked again
    finally:
        service.close()
        store.close()


def test_checkpoints_left_by_a_killed_server_are_removed(tmp_path: Path) -> None:
    from kg_service.sparql.snapshots import Snapshots

    store = _stored(tmp_path / "store")
    leftover = tmp_path / ".store.snapshots-999999999" / "g3"
    leftover.mkdir(parents=True)
    snapshots = Snapshots(store)
    try:
        assert not leftover.parent.exists()
        assert snapshots.folder.is_dir()
    finally:
        snapshots.close()
        store.close()
