"""SPARQL 1.1 Protocol cases: methods, graphs, formats, negotiation, errors, CORS, policy."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.store import OxigraphStore
from tests.conftest import BASE
from tests.sparql_support import sparql_store

__all__ = ["sparql_store"]
KG = "https://w3id.org/bioimage-kg/vocab/"
COUNT_DATASETS = f"SELECT (COUNT(?d) AS ?n) WHERE {{ ?d a <{KG}Dataset> }}"
PROJECTS = f"CONSTRUCT {{ ?p a <{KG}Project> }} WHERE {{ ?p a <{KG}Project> }}"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def client(sparql_store: OxigraphStore) -> Iterator[TestClient]:
    settings = Settings(store_path=None, base_iri=BASE, max_query_rows=500, max_request_bytes=5000)
    app = create_app(settings, store=sparql_store)
    yield TestClient(app)
    app.state.sparql.close()


def count(response: object) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])  # type: ignore[attr-defined]


def test_get_post_form_and_post_body_agree(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": COUNT_DATASETS})
    by_form = client.post("/sparql", data={"query": COUNT_DATASETS})
    by_body = client.post(
        "/sparql", content=COUNT_DATASETS, headers={"content-type": "application/sparql-query"}
    )
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(JSON)
        assert count(response) == 68  # 66 demo datasets + 2 fixture datasets


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (JSON, JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
        (None, JSON),
    ],
)
def test_select_formats(client: TestClient, accept: str | None, media_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": COUNT_DATASETS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "68" in response.text


def test_csv_and_tsv_follow_the_specs(client: TestClient) -> None:
    query = f"SELECT ?d ?t WHERE {{ ?d a <{KG}Dataset> ; <http://purl.org/dc/terms/title> ?t }}"
    text = client.get("/sparql", params={"query": query, "format": "csv"}).text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["d", "t"] and len(rows) == 69
    tsv = client.get("/sparql", params={"query": query, "format": "tsv"}).text.splitlines()
    assert tsv[0] == "?d\t?t" and tsv[1].startswith("<http")


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
        ("*/*", "turtle"),
    ],
)
def test_construct_formats_parse_back(client: TestClient, accept: str, rdflib_format: str) -> None:
    response = client.get("/sparql", params={"query": PROJECTS}, headers={"accept": accept})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert len(set(graph.subjects())) == 8  # 7 SSBD projects + the fixture project


def test_ask(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": f"ASK {{ ?d a <{KG}Dataset> }}"})
    assert response.status_code == 200 and response.json()["boolean"] is True


def test_default_and_named_graph_parameters(client: TestClient) -> None:
    graph = f"{BASE}graph/fixture"
    restricted = client.get("/sparql", params={"query": COUNT_DATASETS, "default-graph-uri": graph})
    assert count(restricted) == 2
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": [graph, f"{BASE}graph/terms-fixture"],
        },
    )
    assert count(named) == 2


COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


def test_from_names_the_default_graph(client: TestClient) -> None:
    """SPARQL 1.1 Query §13: FROM makes the default graph; the union only without a dataset."""
    graph = f"{BASE}graph/ssbd-163"
    own = count(
        client.get(
            "/sparql",
            params={"query": COUNT_TRIPLES.format(**{"from": ""}), "default-graph-uri": graph},
        )
    )
    union = count(client.get("/sparql", params={"query": COUNT_TRIPLES.format(**{"from": ""})}))
    by_from = client.get(
        "/sparql", params={"query": COUNT_TRIPLES.format(**{"from": f"FROM <{graph}>"})}
    )
    assert 0 < own < union and count(by_from) == own
    prefixed = f"PREFIX g: <{BASE}graph/> " + COUNT_TRIPLES.format(**{"from": "FROM g:ssbd-163"})
    assert count(client.post("/sparql", data={"query": prefixed})) == own
    both = COUNT_TRIPLES.format(**{"from": f"FROM <{graph}> FROM <{BASE}graph/fixture>"})
    assert own < count(client.get("/sparql", params={"query": both})) < union


def test_from_named_alone_leaves_the_default_graph_empty(client: TestClient) -> None:
    graph = f"{BASE}graph/ssbd-163"
    named_only = COUNT_TRIPLES.format(**{"from": f"FROM NAMED <{graph}>"})
    assert count(client.get("/sparql", params={"query": named_only})) == 0
    assert (
        count(
            client.get(
                "/sparql", params={"query": GRAPHS.format(**{"from": f"FROM NAMED <{graph}>"})}
            )
        )
        == 1
    )
    # FROM without FROM NAMED: no named graphs at all
    assert (
        count(client.get("/sparql", params={"query": GRAPHS.format(**{"from": f"FROM <{graph}>"})}))
        == 0
    )
    # without a dataset every graph is named
    assert count(client.get("/sparql", params={"query": GRAPHS.format(**{"from": ""})})) > 3


def test_protocol_graphs_replace_from(client: TestClient) -> None:
    """Protocol §2.1.4: default-graph-uri / named-graph-uri win over the query's FROM."""
    query = COUNT_DATASETS.replace("WHERE", f"FROM <{BASE}graph/ssbd-163> WHERE")
    response = client.get(
        "/sparql", params={"query": query, "default-graph-uri": f"{BASE}graph/fixture"}
    )
    assert count(response) == 2
    only_named = client.get(
        "/sparql", params={"query": COUNT_DATASETS, "named-graph-uri": f"{BASE}graph/fixture"}
    )
    assert count(only_named) == 0  # no default-graph-uri: an empty default graph


def test_from_in_strings_and_comments_is_not_a_dataset(client: TestClient) -> None:
    query = 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "from <x>") } # FROM <x>'
    assert count(client.get("/sparql", params={"query": query})) > 3000


@pytest.mark.parametrize("path", ["/sparql", "/.well-known/void"])
@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
        ("application/n-quads,application/trig;q=0.95,text/turtle;q=0.6", "nquads"),
    ],
)
def test_description_in_quad_formats(
    client: TestClient, path: str, accept: str, rdflib_format: str
) -> None:
    """Comunica asks for quads first: the description comes in the default graph."""
    response = client.get(path, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == accept.split(",")[0]
    dataset = Dataset()
    dataset.parse(data=response.text, format=rdflib_format)
    assert len(dataset.graph(DATASET_DEFAULT_GRAPH_ID)) > 20
    assert [
        g for g in dataset.graphs() if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID
    ] == []


def test_syntax_error_is_400_with_line_and_column(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p "})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert "2:" in response.json()["detail"]  # "error at 2:8: expected ..."


def test_not_acceptable(client: TestClient) -> None:
    select_as_turtle = client.get(
        "/sparql", params={"query": COUNT_DATASETS}, headers={"accept": "text/turtle"}
    )
    assert select_as_turtle.status_code == 406
    assert select_as_turtle.headers["content-type"] == "application/problem+json"
    image = client.get("/sparql", params={"query": COUNT_DATASETS}, headers={"accept": "image/png"})
    assert image.status_code == 406


def test_unknown_content_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content="ASK {}", headers={"content-type": "text/plain"})
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "params",
    [
        {"query": ["ASK {}", "ASK {}"]},  # two queries
        {"update": "CLEAR ALL"},  # update over GET
        {"query": " "},
    ],
)
def test_malformed_requests_are_400(client: TestClient, params: dict[str, object]) -> None:
    response = client.get("/sparql", params=params)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_non_utf8_body_is_400(client: TestClient) -> None:
    response = client.post(
        "/sparql", content=b"ASK { \xff }", headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 400


def test_request_body_limit(client: TestClient) -> None:
    big = "ASK {} #" + "x" * 6000
    response = client.post(
        "/sparql", content=big, headers={"content-type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_row_cap(client: TestClient) -> None:
    capped = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert capped.status_code == 400 and "500 rows" in capped.json()["detail"]
    limited = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"})
    assert limited.status_code == 200
    assert len(limited.json()["results"]["bindings"]) == 500


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?e SERVICE ?e { ?a ?b ?c } }",
        "SELECT * WHERE { OPTIONAL { SERVICE\n<http://evil.example/> { ?s ?p ?o } } }",
    ],
)
def test_service_outside_allowlist_is_refused(client: TestClient, query: str) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["access-control-allow-origin"] == "*"


def test_service_description_on_get_without_query(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/t")
    graph = Graph().parse(data=response.text, format="turtle")
    service = next(graph.subjects(SD.endpoint, URIRef(f"{BASE}sparql")))
    assert (service, SD.feature, SD.BasicFederatedQuery) in graph
    assert len(list(graph.objects(service, SD.resultFormat))) == 10
    default_graph = graph.value(graph.value(service, SD.defaultDataset), SD.defaultGraph)
    assert int(graph.value(default_graph, VOID.triples)) > 3000
    browser = client.get("/sparql", headers={"accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 200 and browser.headers["content-type"].startswith("text/t")


def test_void_class_partition(client: TestClient) -> None:
    response = client.get("/.well-known/void", headers={"accept": "application/n-triples"})
    graph = Graph().parse(data=response.text, format="nt")
    partitions = {
        graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
        for p in graph.subjects(VOID.entities, None)
    }
    assert partitions[URIRef(f"{KG}Dataset")] == 68
    assert partitions[URIRef(f"{KG}Project")] == 8
    # property partitions with object classes, as SIB's editors expect
    dataset_part = next(
        p
        for p in graph.subjects(VOID["class"], URIRef(f"{KG}Dataset"))
        if graph.value(p, VOID.entities) is not None
    )
    properties = {
        graph.value(p, VOID.property) for p in graph.objects(dataset_part, VOID.propertyPartition)
    }
    assert URIRef(f"{KG}biosample") in properties


def test_void_and_examples_are_found_without_graph_clause(client: TestClient) -> None:
    query = (
        "PREFIX sh: <http://www.w3.org/ns/shacl#> PREFIX void: <http://rdfs.org/ns/void#> "
        "SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?q a sh:SPARQLExecutable ; sh:select ?text }"
    )
    assert count(client.get("/sparql", params={"query": query})) >= 15
    void_query = "SELECT (COUNT(*) AS ?n) WHERE { ?p <http://rdfs.org/ns/void#class> ?c }"
    assert count(client.get("/sparql", params={"query": void_query})) > 10


def test_cors_on_answers_and_preflight(client: TestClient) -> None:
    answer = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://yasgui.example"}
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "origin": "https://yasgui.example",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


@pytest.fixture
def small_app(tmp_path: Path) -> Iterator[tuple[TestClient, OxigraphStore]]:
    """A store of its own (updates change it) with an admin token configured."""
    store = OxigraphStore(tmp_path / "store")
    store.replace_graph(f"{BASE}graph/one", [])
    settings = Settings(store_path=None, base_iri=BASE, admin_token="s3cret")
    app = create_app(settings, store=store)
    app.state.sparql.publish()
    yield TestClient(app), store
    app.state.sparql.close()
    store.close()


def test_update_needs_the_admin_token(small_app: tuple[TestClient, OxigraphStore]) -> None:
    client, _store = small_app
    update = f"INSERT DATA {{ GRAPH <{BASE}graph/one> {{ <{BASE}datasets/x> a <{KG}Dataset> }} }}"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    wrong = {"authorization": "Bearer nope"}
    assert client.post("/sparql", data={"update": update}, headers=wrong).status_code == 403
    body = client.post(
        "/sparql", content=update, headers={"content-type": "application/sparql-update"}
    )
    assert body.status_code == 403
    assert count(client.get("/sparql", params={"query": COUNT_DATASETS})) == 0


def test_store_change_clears_cache_and_refreshes_void(
    small_app: tuple[TestClient, OxigraphStore],
) -> None:
    client, _store = small_app
    assert count(client.get("/sparql", params={"query": COUNT_DATASETS})) == 0  # now cached
    update = f"INSERT DATA {{ GRAPH <{BASE}graph/one> {{ <{BASE}datasets/x> a <{KG}Dataset> }} }}"
    ok = client.post("/sparql", data={"update": update}, headers={"authorization": "Bearer s3cret"})
    assert ok.status_code == 204
    assert count(client.get("/sparql", params={"query": COUNT_DATASETS})) == 1
    assert client.app.state.sparql.void.wait_idle(60)  # type: ignore[attr-defined]
    void = client.get("/.well-known/void", headers={"accept": "application/n-triples"}).text
    assert f"<{KG}Dataset>" in void


def test_results_are_json_parsable_with_language_and_datatypes(client: TestClient) -> None:
    query = f"SELECT ?n WHERE {{ ?d <{KG}sizeT> ?n }} LIMIT 1"
    binding = client.get("/sparql", params={"query": query}).json()["results"]["bindings"][0]
    assert binding["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert json.loads(json.dumps(binding)) == binding
