"""The HTTP API through TestClient over a real on-disk store loaded with the SSBD example."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg_service.api import create_app
from kg_service.api.records import record_triples
from kg_service.config import Settings
from kg_service.store import OxigraphStore
from tests.conftest import BASE
from tests.test_ssbd_ontology import source_counts_per_organism

JSONLD = {"accept": "application/ld+json"}  # record IRIs default to HTML landing pages

PER_ORGANISM = """
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
SELECT ?organism (COUNT(DISTINCT ?dataset) AS ?datasets) WHERE {
  ?dataset a kg:Dataset ; kg:biosample/obo:RO_0002162 ?organism .
} GROUP BY ?organism
"""


@pytest.fixture(scope="module")
def client(demo_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    with TestClient(app) as test_client:
        yield test_client


def counts(payload: dict[str, object]) -> dict[str, int]:
    bindings = payload["results"]["bindings"]  # type: ignore[index]
    return {b["organism"]["value"]: int(b["datasets"]["value"]) for b in bindings}


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["graphs"] == 8  # 7 projects + service metadata


def test_sparql_get_counts_match_the_source(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": PER_ORGANISM})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert counts(response.json()) == dict(source_counts_per_organism())


def test_sparql_post_form_and_direct(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": PER_ORGANISM})
    direct = client.post(
        "/sparql", content=PER_ORGANISM, headers={"content-type": "application/sparql-query"}
    )
    assert form.status_code == direct.status_code == 200
    assert counts(form.json()) == counts(direct.json())


def test_sparql_construct_as_turtle(client: TestClient) -> None:
    query = "CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5"
    response = client.get("/sparql", params={"query": query}, headers={"accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.text, format="turtle")) == 5


def test_sparql_errors(client: TestClient) -> None:
    bad = client.get("/sparql", params={"query": "SELEC ?x"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert "1:" in bad.json()["detail"]
    # issue 5: a GET without a query is the SPARQL Service Description, not an error
    assert client.get("/sparql").headers["content-type"].startswith("text/turtle")
    assert client.get("/sparql", params={"query": " "}).status_code == 400
    wrong_type = client.post("/sparql", content="x", headers={"content-type": "text/plain"})
    assert wrong_type.status_code == 415


def test_listing(client: TestClient) -> None:
    datasets = client.get("/datasets").json()
    assert datasets["total"] == 66
    projects = client.get("/projects").json()
    assert {p["id"] for p in projects["results"]} >= {"ssbd-2", "ssbd-48", "ssbd-199"}


@pytest.mark.parametrize(
    "path", ["/datasets/ssbd-199-Fig2_BrainSliceRGB", "/datasets/ssbd-2-wt_N2_030303_01"]
)
def test_dataset_jsonld_is_exactly_the_stored_triples(
    client: TestClient, demo_store: OxigraphStore, path: str
) -> None:
    response = client.get(path, headers=JSONLD)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    parsed = Graph().parse(data=json.dumps(document), format="json-ld")
    iri = BASE + path.strip("/")
    stored = Graph()
    for triple in record_triples(demo_store, iri):
        stored.add(triple)
    assert len(stored) > 10
    assert isomorphic(parsed, stored)
    assert (URIRef(iri), None, None) in parsed


def test_dataset_points_to_its_data_files(client: TestClient) -> None:
    document = client.get("/datasets/ssbd-199-Fig2_BrainSliceRGB", headers=JSONLD).json()
    files = document["files"]
    files = files if isinstance(files, list) else [files]
    assert any(f["url"]["@id"].endswith(".zarr") for f in files)


def test_project_in_turtle(client: TestClient) -> None:
    response = client.get("/projects/ssbd-2", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(BASE + "projects/ssbd-2"), None, None) in graph


def test_unknown_and_malformed_ids(client: TestClient) -> None:
    assert client.get("/datasets/nope").status_code == 404
    assert client.get("/projects/ssbd-2-wt_N2_030303_01").status_code == 404  # a dataset id
    assert client.get("/datasets/a%20b").status_code == 404
    assert (
        client.get("/datasets/ssbd-2-wt_N2_030303_01", headers={"accept": "image/png"}).status_code
        == 406
    )
