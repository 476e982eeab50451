"""Shared pieces of the SPARQL tests: a published store, stand-in endpoints, a served app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from kg_service.config import Settings
from kg_service.pipeline import submit
from kg_service.sparql.service import SparqlService
from kg_service.store import OxigraphStore
from tests.conftest import BASE, EXAMPLE_SSBD, REPO
from tests.servers import free_port, wait_until_up

DATA = REPO / "tests" / "data"
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
REAL_ENDPOINTS = {
    "uniprot": "https://sparql.uniprot.org/sparql",
    "wikidata": "https://query.wikidata.org/sparql",
    "ssbd": "https://ssbd.riken.jp/sparql",
}


def wait_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll `url` until it answers below 500; fail at once if the process died."""
    wait_until_up(url, process, timeout)


def load_fixtures(store: OxigraphStore) -> None:
    """Add the team-authored term slice and the two extra datasets to a demo store."""
    for name, graph_iri in (("fixture.ttl", "graph/terms-fixture"), ("extra.ttl", "graph/fixture")):
        graph = Graph().parse(DATA / "sparql" / name, format="turtle", publicID=BASE)
        store.replace_graph(BASE + graph_iri, list(graph))


# Test modules import these session fixtures, and pytest then registers one copy per module;
# this cache makes the copies share one store and one set of servers per session.
_SHARED: dict[str, object] = {}


@pytest.fixture(scope="session")
def sparql_store(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> OxigraphStore:
    """Demo data + fixtures + published examples and VoID, on disk (workers read it)."""
    if "store" not in _SHARED:
        store = OxigraphStore(tmp_path_factory.mktemp("sparql") / "store")
        report = submit([EXAMPLE_SSBD], store, BASE)
        assert report.stored
        load_fixtures(store)
        SparqlService(store, Settings(store_path=None, base_iri=BASE)).publish()
        _SHARED["store"] = store
        request.addfinalizer(store.close)
    shared = _SHARED["store"]
    assert isinstance(shared, OxigraphStore)
    return shared


def start_oxigraph(folder: Path, files: list[Path]) -> tuple[str, subprocess.Popen[bytes]]:
    """`oxigraph serve-read-only` over `files`: a stand-in for a remote endpoint."""
    location = folder / "db"
    load = [OXIGRAPH, "load", "--location", str(location)]
    for path in files:
        load += ["--file", str(path)]
    subprocess.run(load, check=True, capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    wait_up(f"http://127.0.0.1:{port}/", process)
    return url, process


@pytest.fixture(scope="session")
def stand_ins(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, str]:
    """Local UniProt (real RDF), Wikidata (team-authored) and SSBD (SSBD's own RDF) servers."""
    if "stand_ins" not in _SHARED:
        sources = {
            "uniprot": sorted((DATA / "federation" / "uniprot").glob("*.ttl")),
            "wikidata": [DATA / "sparql" / "wikidata.ttl"],
            "ssbd": [EXAMPLE_SSBD],
        }
        urls, processes = {}, []

        def stop() -> None:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)

        request.addfinalizer(stop)
        for name, files in sources.items():
            url, process = start_oxigraph(tmp_path_factory.mktemp(name), files)
            urls[name] = url
            processes.append(process)
        _SHARED["stand_ins"] = urls
    shared = _SHARED["stand_ins"]
    assert isinstance(shared, dict)
    return shared


def localise(query: str, stand_in_urls: dict[str, str]) -> str:
    """Point a published query's SERVICE IRIs at the local stand-ins."""
    for name, real in REAL_ENDPOINTS.items():
        query = query.replace(real, stand_in_urls[name])
    return query


def serve(store_path: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`kg-service serve` as a real `kg-service serve` (Granian) with extra KG_ settings."""
    root = f"http://127.0.0.1:{port}"
    cli = [sys.executable, "-m", "kg_service.cli"]
    process = subprocess.Popen(
        [*cli, "serve", "--store", str(store_path), "--port", str(port), "--base-iri", f"{root}/"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **env},
    )
    wait_up(f"{root}/health", process)
    return process
