"""A real `kg-service serve`: runaway queries are stopped while the server keeps answering, and
a federated query from a client nobody here wrote (rdflib's SERVICE) joins our endpoint with a
second local endpoint."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from rdflib import Graph

from tests.conftest import EXAMPLE_SSBD, REPO
from tests.sparql_support import free_port, serve, stand_ins

__all__ = ["stand_ins"]
pytestmark = pytest.mark.e2e
TIMEOUT_S = 3
CLI = [sys.executable, "-m", "kg_service.cli"]
KG = "https://w3id.org/bioimage-kg/vocab/"
OBO = "http://purl.obolibrary.org/obo/"
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, stand_ins: dict[str, str]) -> Iterator[str]:
    store = tmp_path_factory.mktemp("sparql-e2e") / "store"
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    subprocess.run(
        [*CLI, "load", "--store", str(store), "--base-iri", f"{root}/", str(EXAMPLE_SSBD)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    env = {
        "KG_QUERY_TIMEOUT_S": str(TIMEOUT_S),
        "KG_SPARQL_SERVICE_ALLOWLIST": json.dumps(list(stand_ins.values())),
    }
    process = serve(store, port, env)
    try:
        yield f"{root}/sparql"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_cartesian_product_is_stopped_while_others_are_served(endpoint: str) -> None:
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        response = requests.get(endpoint, params={"query": CARTESIAN}, timeout=60)
        outcome["status"], outcome["seconds"] = response.status_code, time.monotonic() - started
        outcome["type"] = response.headers["content-type"]

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)  # the runaway query is now busy in a worker
    for _ in range(5):
        started = time.monotonic()
        small = requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert small.status_code == 200 and small.json()["boolean"] is True
        assert time.monotonic() - started < 2
        assert requests.get(endpoint.replace("/sparql", "/health"), timeout=5).ok
    thread.join(timeout=60)
    assert outcome["status"] == 503 and outcome["type"] == "application/problem+json"
    assert TIMEOUT_S <= float(outcome["seconds"]) < TIMEOUT_S + 5  # type: ignore[arg-type]
    # the killed worker was replaced: the endpoint still answers
    after = requests.get(endpoint, params={"query": "ASK { ?s ?p ?o }"}, timeout=10)
    assert after.status_code == 200


def test_rdflib_federates_our_endpoint_with_uniprot(
    endpoint: str, stand_ins: dict[str, str]
) -> None:
    query = f"""
    PREFIX up: <http://purl.uniprot.org/core/>
    SELECT DISTINCT ?organism ?mnemonic WHERE {{
      SERVICE <{stand_ins["uniprot"]}> {{
        ?protein up:organism ?taxon ; up:mnemonic ?mnemonic .
        BIND(IRI(CONCAT("{OBO}NCBITaxon_", STRAFTER(STR(?taxon), "taxonomy/"))) AS ?organism)
      }}
      SERVICE <{endpoint}> {{ ?d a <{KG}Dataset> ; <{KG}biosample>/<{OBO}RO_0002162> ?organism }}
    }}"""
    # rdflib sends each SERVICE body with VALUES for the solutions so far and rebuilds rows
    # from the answer alone, so the shared ?organism is computed at the UniProt side and our
    # block uses full IRIs (rdflib drops the query's PREFIXes there)
    client = Graph()
    client.bind("up", "http://purl.uniprot.org/core/")
    answer = client.query(query)
    found = {(str(r[0]).rsplit("_", 1)[-1], str(r[1])) for r in answer}
    assert found == {
        ("9606", "EPOR_HUMAN"),
        ("10090", "EPOR_MOUSE"),
        ("10090", "EPO_MOUSE"),
    }


COMUNICA = REPO / ".cache" / "node" / "node_modules" / ".bin" / "comunica-sparql"


def test_comunica_federates_our_endpoint_with_uniprot(
    endpoint: str, stand_ins: dict[str, str]
) -> None:
    """Comunica 4 (installed by `make install-dev`) plans the join over both endpoints itself."""
    query = f"""
    PREFIX up: <http://purl.uniprot.org/core/>
    SELECT DISTINCT ?organism ?mnemonic WHERE {{
      ?protein up:organism ?taxon ; up:mnemonic ?mnemonic .
      BIND(IRI(CONCAT("{OBO}NCBITaxon_", STRAFTER(STR(?taxon), "taxonomy/"))) AS ?organism)
      ?biosample <{OBO}RO_0002162> ?organism .
    }}"""
    sources = [str(COMUNICA), f"sparql@{endpoint}", f"sparql@{stand_ins['uniprot']}"]
    result = subprocess.run(
        [*sources, "-q", query, "-t", "application/sparql-results+json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    bindings = json.loads(result.stdout)["results"]["bindings"]
    found = {(b["organism"]["value"].rsplit("_", 1)[-1], b["mnemonic"]["value"]) for b in bindings}
    assert found == {("9606", "EPOR_HUMAN"), ("10090", "EPOR_MOUSE"), ("10090", "EPO_MOUSE")}
    # its first request (the service description, asked in quad formats) and every later one
    # succeed: Comunica logs nothing about our endpoint (a 500 there was logged as a warning)
    ours = [line for line in result.stderr.splitlines() if endpoint.rsplit("/", 1)[0] in line]
    warnings = [line for line in result.stderr.splitlines() if "WARN" in line.upper()]
    assert ours == [] and warnings == [], result.stderr[-2000:]
