"""The "done when" crawl: a real server, read only with tools nobody here wrote.

extruct pulls the JSON-LD out of each landing page, pyld expands it (schema.org context from
a local file), the `signposting` package reads Link headers and linksets, rdflib parses
every RDF format. Nothing here uses the service's own parsing code.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from xml.etree import ElementTree

import extruct
import pytest
import requests
import signposting
from rdflib import Graph
from rdflib.compare import isomorphic

from kg_service.queries import service_query
from tests.conftest import EXAMPLE_SSBD
from tests.fair_tools import expand, profile_results, to_graph, typed_nodes
from tests.servers import free_port, wait_until_up

pytestmark = pytest.mark.e2e
S = "http://schema.org/"
MINIMUM = [f"{S}name", f"{S}description", f"{S}identifier", f"{S}keywords", f"{S}license",
           f"{S}url", "http://purl.org/dc/terms/conformsTo"]  # fmt: skip
RDF_TYPES = {"application/ld+json": "json-ld", "text/turtle": "turtle",
             "application/n-triples": "nt", "application/rdf+xml": "xml"}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("crawl") / "store"
    cli = [sys.executable, "-m", "kg_service.cli"]
    port = free_port()
    root = f"http://127.0.0.1:{port}/"
    load = [*cli, "load", "--store", str(store), "--base-iri", root, str(EXAMPLE_SSBD)]
    subprocess.run(load, check=True, timeout=120, capture_output=True)
    serve = [*cli, "serve", "--store", str(store), "--port", str(port), "--base-iri", root,
             "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"{root}health", process)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def pages(server: str) -> list[str]:
    robots = requests.get(f"{server}robots.txt", timeout=10).text
    sitemap_url = next(
        line.split(": ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap:")
    )
    root = ElementTree.fromstring(requests.get(sitemap_url, timeout=10).content)
    found = [
        loc.text or "" for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert len(found) == 73
    return found


def values(node: dict[str, object], key: str) -> list[dict[str, str]]:
    found = node.get(key, [])
    assert isinstance(found, list)
    return found


def test_every_page_carries_the_bioschemas_minimum(server: str, pages: list[str]) -> None:
    failures = []
    with requests.Session() as session:
        for page in pages:
            response = session.get(page, timeout=10)
            assert response.status_code == 200 and "text/html" in response.headers["content-type"]
            data = extruct.extract(response.text, base_url=page, syntaxes=["json-ld"])["json-ld"]
            datasets = [n for d in data for n in expand(d) if f"{S}Dataset" in n.get("@type", [])]
            if len(datasets) != 1:
                failures.append((page, "no single Dataset"))
                continue
            node = datasets[0]
            missing = [key for key in MINIMUM if not values(node, key)]
            if node["@id"] != page or missing:
                failures.append((page, missing))
            description = values(node, f"{S}description")[0]["@value"]
            name = values(node, f"{S}name")[0]["@value"]
            if not 50 <= len(description) <= 5000 or not 0 < len(name) <= 500:
                failures.append((page, f"name {len(name)} / description {len(description)} chars"))
    assert failures == []


def test_signposting_on_every_page(server: str, pages: list[str]) -> None:
    for page in pages[::6]:
        signs = signposting.find_signposting_http(page)
        assert str(signs.citeAs.target) == page
        assert {str(t.target) for t in signs.types} >= {"https://schema.org/Dataset"}
        assert {str(d.type) for d in signs.describedBy} >= set(RDF_TYPES)
        assert signs.license is not None
        linkset_url = str(next(iter(signs.linksets)).target)  # type: ignore[attr-defined]
        level2 = signposting.find_signposting_linkset(linkset_url).for_context(page)
        assert str(level2.citeAs.target) == page
        assert {str(d.target) for d in level2.describedBy} >= {
            str(d.target) for d in signs.describedBy
        }


def test_content_negotiation_round_trips(server: str, pages: list[str]) -> None:
    with requests.Session() as session:
        for page in pages[::4]:
            query = service_query("record").replace("?record", f"<{page}>")
            headers = {"content-type": "application/sparql-query",
                       "accept": "application/n-triples"}  # fmt: skip
            stored = session.post(f"{server}sparql", data=query, timeout=10, headers=headers)
            assert stored.status_code == 200, stored.text
            expected = Graph().parse(data=stored.text, format="nt")
            assert len(expected) > 5
            for media_type, rdflib_format in RDF_TYPES.items():
                response = session.get(page, headers={"accept": media_type}, timeout=10)
                assert response.headers["content-type"].startswith(media_type)
                assert response.headers["vary"] == "Accept"
                graph = Graph().parse(data=response.text, format=rdflib_format)
                assert isomorphic(graph, expected), (page, media_type)


def page_graph(session: requests.Session, url: str) -> Graph:
    """All JSON-LD of a page (as extruct finds it) read into one graph by pyld."""
    response = session.get(url, timeout=10)
    assert response.status_code == 200, url
    graph = Graph()
    for document in extruct.extract(response.text, base_url=url, syntaxes=["json-ld"])["json-ld"]:
        graph += to_graph(document)
    return graph


def test_every_node_of_every_page_meets_its_bioschemas_profile(
    server: str, pages: list[str]
) -> None:
    """pyshacl with the profiles' shapes: each node typed Dataset or DataCatalog, nested or
    not, on every sitemap page, the catalogue root and every RO-Crate export."""
    violations, checked = [], {"Dataset": 0, "DataCatalog": 0}
    with requests.Session() as session:
        graphs = [(page, page_graph(session, page)) for page in [server, *pages]]
        for page in pages:
            if "/projects/" in page:
                crate = session.get(f"{page}/ro-crate-metadata.json", timeout=10).json()
                graphs.append((f"{page}/ro-crate-metadata.json", to_graph(crate)))
    for url, graph in graphs:
        for kind in checked:
            checked[kind] += len(typed_nodes(graph, kind))
        violations += [(url, *r) for r in profile_results(graph) if r[0] == "Violation"]
    assert violations == []
    assert checked["DataCatalog"] >= len(pages) + 1  # every page embeds the catalogue
    assert checked["Dataset"] == len(pages) + 7  # one per page, one per RO-Crate root


def test_profile_shapes_catch_an_incomplete_nested_dataset() -> None:
    """The check can fail: a nested Dataset with only a name violates the profile."""
    document = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": "http://x/d",
        "name": "d",
        "isPartOf": {"@type": "Dataset", "@id": "http://x/p", "name": "p"},
    }
    found = {(focus, message) for severity, focus, message in profile_results(to_graph(document))
             if severity == "Violation"}  # fmt: skip
    assert ("http://x/p", "Dataset: license is minimum in the Bioschemas profile") in found
    assert len({focus for focus, _ in found}) == 2
