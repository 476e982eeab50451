"""Every route, every Accept header real clients send: no 5xx. Every required part missing: a
4xx that names it, says what was expected and how to fix it (RFC 9457 `errors`).

Routes come from the app's own OpenAPI description, so a new route is swept without
editing this file (and fails here if it needs a sample value nobody gave it).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.store import OxigraphStore
from kg_service.submissions.tokens import TokenStore
from tests.conftest import BASE, EXAMPLE_SSBD
from tests.sparql_support import sparql_store

__all__ = ["sparql_store"]
SAMPLES = {"key": "ssbd-2", "number": "1", "curie": "NCBITaxon:9606", "name": "yasgui.min.js"}
DATASET_KEY = "ssbd-199-Fig2_BrainSliceRGB"
# What real clients send: browsers, curl, RDF libraries, SPARQL clients, federation engines
ACCEPTS = [
    None,
    "*/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "application/json",
    "application/ld+json",
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
    # Comunica 4 (what it sends to an endpoint it federates over)
    "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
    "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,*/*;q=0.1",
    "application/sparql-results+json,*/*;q=0.9",  # YASGUI
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/*;q=0.5, application/*;q=0.4",
    "text/turtle;q=0, */*",
    "image/png",
    "garbage",
    ";;;,,",
    "text/turtle;q=banana",
    "application/ld+json;profile=http://www.w3.org/ns/json-ld#compacted",
    "*",
    "text/turtle; charset=utf-8; q=0.9",
]
SPARQL_QUERIES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 2",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2",
    f"DESCRIBE <{BASE}projects/ssbd-2>",
]


@pytest.fixture(scope="module")
def token_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tokens") / "tokens.json"


@pytest.fixture(scope="module")
def client(sparql_store: OxigraphStore, token_path: Path) -> Iterator[TestClient]:
    settings = Settings(store_path=None, base_iri=BASE, tokens_path=token_path)
    app = create_app(settings, store=sparql_store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.sparql.close()


@pytest.fixture(scope="module")
def secret(token_path: Path) -> str:
    """A real token for a project nobody writes here (so no request below stores anything)."""
    return TokenStore(token_path).create(["no-such-project"], note="sweep")[1]


def operations(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    return [
        (method.upper(), path, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]


def concrete(path: str) -> str:
    """The path with sample values (a dataset route gets a dataset key)."""
    for name, value in SAMPLES.items():
        if name == "key" and path.startswith("/datasets/"):
            value = DATASET_KEY
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, f"no sample value for a parameter of {path}: add one to SAMPLES"
    return path


def test_no_accept_header_gets_a_server_error(client: TestClient) -> None:
    targets = [(m, concrete(p)) for m, p, _ in operations(client) if m in ("GET", "HEAD")]
    targets += [("GET", f"/sparql?query={q}") for q in SPARQL_QUERIES]
    targets += [("GET", "/openapi.json"), ("GET", "/docs")]
    assert len(targets) > 35
    failures = []
    for method, path in targets:
        for accept in ACCEPTS:
            headers = {} if accept is None else {"accept": accept}
            response = client.request(method, path, headers=headers)
            if response.status_code >= 500:
                failures.append((method, path, accept, response.status_code, response.text[:200]))
            elif response.status_code == 406 and method == "GET":
                body = response.json()
                assert response.headers["content-type"] == "application/problem+json"
                assert "accept" in str(body).lower(), (path, accept, body)
    assert failures == []


def test_writes_with_any_accept_header_get_no_server_error(client: TestClient) -> None:
    """POST/PUT/DELETE without a body or token: client errors whatever the Accept."""
    targets = [(m, concrete(p)) for m, p, _ in operations(client) if m not in ("GET", "HEAD")]
    failures = []
    for method, path in targets:
        for accept in ACCEPTS[::3]:
            headers = {} if accept is None else {"accept": accept}
            response = client.request(method, path, headers=headers)
            if response.status_code >= 500:
                failures.append((method, path, accept, response.status_code))
    assert failures == []


def required_parts(operation: dict[str, Any], spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, name) of each part the operation's OpenAPI description marks required."""
    parts = [
        (p["in"], p["name"])
        for p in operation.get("parameters", [])
        if p.get("required") and p["in"] != "path"  # a path without it is another route
    ]
    body = operation.get("requestBody", {})
    for media in body.get("content", {}).values():
        schema = media["schema"]
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        parts += [("body", name) for name in schema.get("required", [])]
    return parts


# Parts checked by the handlers themselves (absent from the OpenAPI description)
MANUAL_PARTS = [
    ("POST", "/sparql", "form", "query"),
    ("POST", "/submissions", "header", "Authorization"),
    ("PUT", "/projects/{key}", "header", "Authorization"),
    ("DELETE", "/projects/{key}", "header", "Authorization"),
]


def _request(
    client: TestClient, method: str, path: str, parts: list[tuple[str, str]], secret: str
) -> Any:
    """The request with every part in `parts` given a valid sample value."""
    params: dict[str, str] = {}
    headers: dict[str, str] = {}
    files: list[tuple[str, tuple[str, io.BytesIO, str]]] = []
    data: dict[str, str] = {}
    for where, name in parts:
        if where == "query":
            params[name] = {"q": "mouse", "from": "1", "to": "1"}.get(name, "x")
        elif where == "header" and name == "Authorization":
            headers[name] = f"Bearer {secret}"
        elif where == "body" and name == "files":
            files.append(("files", (EXAMPLE_SSBD.name, io.BytesIO(b"# empty\n"), "text/turtle")))
        elif where in ("body", "form"):
            data[name] = "x"
    if method == "POST" and path == "/sparql":
        data.setdefault("default-graph-uri", f"{BASE}graph/fixture")  # a form without 'query'
    return client.request(
        method, concrete(path), params=params, headers=headers, files=files or None,
        data=data or None,
    )  # fmt: skip


def test_every_missing_required_part_is_named(client: TestClient, secret: str) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    cases = [
        (method, path, required_parts(operation, spec))
        for method, path, operation in operations(client)
    ]
    for method, path, where, name in MANUAL_PARTS:
        found = next(parts for m, p, parts in cases if (m, p) == (method, path))
        found.append((where, name))
    checked = 0
    for method, path, parts in cases:
        for missing in parts:
            others = [part for part in parts if part != missing]
            response = _request(client, method, path, others, secret)
            where, name = missing
            context = (method, path, missing, response.status_code, response.text[:300])
            assert 400 <= response.status_code < 500, context
            assert response.headers["content-type"] == "application/problem+json", context
            body = response.json()
            assert name in body["detail"], context
            named = [e for e in body.get("errors", []) if e["name"] == name]
            assert named, context
            assert named[0]["expected"] and named[0]["fix"], context
            if where in ("body", "form"):
                assert named[0]["pointer"] == f"#/{name}", context
            checked += 1
    assert checked >= 9  # q, from, to, files x3, Authorization x3, query


def test_validation_error_says_what_was_expected(client: TestClient) -> None:
    response = client.get("/terms", params={"q": "mouse", "limit": "0"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["name"] == "limit" and error["in"] == "query"
    assert error["expected"] == "an integer (at least 1, at most 100)"
    missing = client.post("/validate").json()
    assert "form field 'files' is missing" in missing["detail"]
    assert missing["errors"][0]["expected"] == "one or more files"
