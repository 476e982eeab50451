"""`links check` against a real local HTTP server that serves, redirects, refuses and fails."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from kg_service.api import create_app
from kg_service.cli.main import main
from kg_service.config import Settings
from kg_service.publish.links import LINK_GRAPH, CheckPolicy, check_store, check_urls, statuses
from kg_service.store import OxigraphStore
from tests.servers import free_port

KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
FAST = CheckPolicy(concurrency=3, timeout=2, retries=2, backoff=0.01)
BASE = "http://links.test/"


class Handler(BaseHTTPRequestHandler):
    """Routes: /ok.zarr, /moved (301 -> /ok.zarr), /missing (404), /nohead (HEAD 405,
    ranged GET 206), /flaky (503 once, then 200)."""

    seen_agents: ClassVar[list[str]] = []
    flaky_calls: ClassVar[int] = 0

    def log_message(self, *_args: object) -> None:
        pass

    def _answer(self, head: bool) -> None:
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/ok.zarr":
            self._send(200, {"Content-Type": "application/zip", "Content-Length": "1234"})
        elif self.path == "/moved":
            self._send(301, {"Location": "/ok.zarr", "Content-Length": "0"})
        elif self.path == "/nohead" and head:
            self._send(405, {"Content-Length": "0"})
        elif self.path == "/nohead":
            assert self.headers.get("Range") == "bytes=0-0"
            self._send(206, {"Content-Type": "image/tiff", "Content-Range": "bytes 0-0/5000",
                             "Content-Length": "1"}, b"x" if not head else b"")  # fmt: skip
        elif self.path == "/flaky":
            Handler.flaky_calls += 1
            status = 503 if Handler.flaky_calls == 1 else 200
            self._send(status, {"Content-Type": "text/html", "Content-Length": "0"})
        else:
            self._send(404, {"Content-Length": "0"})

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:  # http.server's naming
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)


@pytest.fixture
def web() -> Iterator[str]:
    Handler.seen_agents, Handler.flaky_calls = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_urls_classifies_each_case(web: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}/gone"  # nothing listens there
    urls = [f"{web}/ok.zarr", f"{web}/moved", f"{web}/missing", f"{web}/nohead", f"{web}/flaky",
            dead]  # fmt: skip
    results = {r.url: r for r in check_urls(urls, FAST)}
    ok = results[f"{web}/ok.zarr"]
    assert (ok.ok, ok.status, ok.media_type, ok.size) == (True, 200, "application/zip", 1234)
    moved = results[f"{web}/moved"]
    assert moved.ok and moved.final_url == f"{web}/ok.zarr"
    assert (results[f"{web}/missing"].ok, results[f"{web}/missing"].status) == (False, 404)
    no_head = results[f"{web}/nohead"]
    assert (no_head.ok, no_head.status, no_head.size) == (True, 206, 5000)
    assert results[f"{web}/flaky"].ok and Handler.flaky_calls == 2  # retried once
    assert not results[dead].ok and results[dead].status is None
    assert "ConnectionError" in (results[dead].error or "")
    assert all(agent.startswith("kg-service-linkcheck/") for agent in Handler.seen_agents)


def dataset_with_links(store: OxigraphStore, web: str) -> None:
    record = URIRef(BASE + "datasets/d1")
    image = URIRef(BASE + "datasets/d1/image-data")
    triples = [
        (record, RDF.type, KG.Dataset),
        (record, DCTERMS.title, Literal("A dataset with good and bad links")),
        (record, KG.imageData, image),
        (image, RDF.type, KG.ImageData),
        (image, KG.viewer, URIRef(f"{web}/moved")),
    ]
    for n, path in enumerate(["ok.zarr", "missing"], start=1):
        node = URIRef(f"{BASE}datasets/d1/file/{n}")
        triples += [
            (record, DCAT.distribution, node),
            (node, RDF.type, KG.DataFile),
            (node, DCAT.downloadURL, URIRef(f"{web}/{path}")),
        ]
    store.replace_graph(BASE + "graph/d1", triples)


def test_results_are_stored_and_shown(store: OxigraphStore, web: str) -> None:
    dataset_with_links(store, web)
    results = check_store(store, FAST)
    assert len(results) == 3 and LINK_GRAPH in store.graph_names()
    known = statuses(store, [f"{web}/ok.zarr", f"{web}/missing", "http://never.checked/"])
    assert known[f"{web}/ok.zarr"]["ok"] is True and known[f"{web}/ok.zarr"]["size"] == 1234
    assert known[f"{web}/missing"]["status"] == 404
    assert "http://never.checked/" not in known
    client = TestClient(create_app(Settings(store_path=None, base_iri=BASE), store=store))
    page = client.get("/datasets/d1").text
    assert "broken link (404)" in page and page.count('class="ok"') == 2
    report = client.get("/links/report").json()
    assert report["broken"] == 1
    assert report["links"][0]["url"] == f"{web}/missing"
    assert report["links"][0]["records"] == [BASE + "datasets/d1"]


def test_cli_links_check(tmp_path: Path, web: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    dataset_with_links(store, web)
    store.close()
    args = ["links", "check", "--store", str(path), "--base-iri", BASE, "--backoff", "0.01",
            "--json"]  # fmt: skip
    assert main(args) == 1  # one link is broken
    report = json.loads(capsys.readouterr().out)
    assert report["checked"] == 3 and report["ok"] == 2
    assert [b["url"] for b in report["broken"]] == [f"{web}/missing"]
    store = OxigraphStore(path)
    try:
        assert len(store.triples(LINK_GRAPH)) >= 3 * 3
    finally:
        store.close()
