"""Request ids, security headers and error bodies without internals."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.store import OxigraphStore
from tests.conftest import BASE


@pytest.fixture(scope="module")
def client(demo_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_every_response_has_a_request_id(client: TestClient) -> None:
    first = client.get("/health")
    second = client.get("/health")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    kept = client.get("/health", headers={"x-request-id": "abc-123"})
    assert kept.headers["x-request-id"] == "abc-123"
    hostile = client.get("/health", headers={"x-request-id": "y" * 100})
    assert hostile.headers["x-request-id"] != "y" * 100
    assert first.headers["x-content-type-options"] == "nosniff"


def test_html_pages_get_a_content_security_policy(client: TestClient) -> None:
    page = client.get("/datasets/ssbd-2-wt_N2_030303_01", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    data = client.get("/health")
    assert "content-security-policy" not in data.headers


def test_errors_never_show_internals(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT -1"})
    assert response.status_code == 400
    body = response.text
    assert "Traceback" not in body and 'File "' not in body
