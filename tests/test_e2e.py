"""End to end: the CLI loads a real store, a real `kg-service serve` serves it over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import EXAMPLE_SSBD
from tests.servers import free_port, load_example, start_serve, wait_until_up

pytestmark = pytest.mark.e2e
JSONLD = {"accept": "application/ld+json"}  # record IRIs default to HTML landing pages


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("e2e") / "store"
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    load_example(store, root, EXAMPLE_SSBD)
    process = start_serve(store, port, output=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{root}/health", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"server did not start: {output}")
            time.sleep(0.2)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sparql_over_http(server: str) -> None:
    query = (
        "PREFIX obo: <http://purl.obolibrary.org/obo/> "
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b obo:RO_0002162 obo:NCBITaxon_6239 }"
    )
    response = requests.get(f"{server}/sparql", params={"query": query}, timeout=10)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_dataset_record_over_http(server: str) -> None:
    response = requests.get(f"{server}/datasets/ssbd-2-wt_N2_030303_01", headers=JSONLD, timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["@id"] == f"{server}/datasets/ssbd-2-wt_N2_030303_01"
    # the record's IRI dereferences to the record itself
    again = requests.get(document["@id"], headers=JSONLD, timeout=10)
    assert again.status_code == 200 and again.json()["@id"] == document["@id"]


def test_sparql_post_over_http(server: str) -> None:
    response = requests.post(
        f"{server}/sparql",
        data="ASK { ?s ?p ?o }",
        headers={"content-type": "application/sparql-query"},
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_killing_the_main_process_frees_the_store(tmp_path: Path) -> None:
    """`serve` answers from a worker process; SIGKILL on the main one must not leave that
    worker holding the port and the store's lock, or the next start would fail."""
    store = tmp_path / "store"
    cli = [sys.executable, "-m", "kg_service.cli", "serve", "--store", str(store)]
    first_port, second_port = free_port(), free_port()
    first = subprocess.Popen(
        [*cli, "--port", str(first_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{first_port}/health", first)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _answers(first_port):
            time.sleep(0.2)
        assert not _answers(first_port)  # the orphaned worker went away
        second = subprocess.Popen(
            [*cli, "--port", str(second_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{second_port}/health", second)
            response = requests.get(
                f"http://127.0.0.1:{second_port}/sparql",
                params={"query": "ASK { ?s ?p ?o }"},
                timeout=10,
            )
            assert response.status_code == 200  # it opened the store: the lock was free
        finally:
            second.terminate()
            second.wait(timeout=15)
    finally:
        if first.poll() is None:
            first.kill()


def _answers(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok
    except requests.RequestException:
        return False


HOLD = """
import sys, time
from pathlib import Path
from kg_service.store import OxigraphStore
store = OxigraphStore(Path(sys.argv[1]))
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
store.close()
"""


def test_serve_waits_for_a_store_another_process_is_letting_go_of(tmp_path: Path) -> None:
    """A restart right after a crash may find the old process still holding the store's lock
    for a moment: `serve` waits for it (up to 10 s) instead of exiting."""
    store = tmp_path / "store"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store), "3"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    port = free_port()
    cli = [sys.executable, "-m", "kg_service.cli", "serve", "--store", str(store)]
    server = subprocess.Popen(
        [*cli, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", server)
        assert holder.poll() is not None  # it came up only once the lock was free
    finally:
        server.terminate()
        server.wait(timeout=30)
        holder.wait(timeout=10)
