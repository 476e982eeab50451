"""Findability in-process: Bioschemas view, catalogue root, sitemap, robots, signposting."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
import signposting
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from kg_service.api import create_app
from kg_service.api.fair import fair_router
from kg_service.config import Settings
from kg_service.publish.bioschemas import (
    CONFORMS_TO,
    PROFILE,
    bioschemas_document,
    bioschemas_triples,
    missing_minimum,
    split_parts,
)
from kg_service.store import OxigraphStore
from tests.conftest import BASE
from tests.fair_tools import expand, to_graph

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
DATASET = BASE + "datasets/ssbd-199-Fig2_BrainSliceRGB"


@pytest.fixture(scope="module")
def client(demo_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    with TestClient(app) as test_client:
        yield test_client


def locs(xml: str) -> list[str]:
    return [e.text or "" for e in ElementTree.fromstring(xml).iter(f"{SITEMAP}loc")]


def normalised(graph: Graph) -> Graph:
    """xsd:boolean/strings compared by value: JSON `true` and "true"^^xsd:boolean are one."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype == XSD.boolean:
            o = Literal(str(o).lower(), datatype=XSD.boolean)
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("iri", [DATASET, BASE + "projects/ssbd-2"])
def test_bioschemas_jsonld_reads_back_as_the_constructed_triples(
    demo_store: OxigraphStore, iri: str
) -> None:
    triples = bioschemas_triples(demo_store, iri, BASE)
    constructed = Graph()
    for triple in split_parts(iri, triples)[0]:  # parts are published as references only
        constructed.add(triple)
    document = bioschemas_document(iri, triples)
    assert isomorphic(normalised(to_graph(document)), normalised(constructed))
    # and each constructed statement about the record traces to stored data
    assert (URIRef(iri), URIRef("http://schema.org/url"), URIRef(iri)) in constructed


def test_every_record_carries_the_bioschemas_minimum(client: TestClient) -> None:
    sitemap = client.get("/sitemap.xml").text
    pages = locs(sitemap)
    assert len(pages) == 73  # 7 projects + 66 datasets
    for page in pages[::9]:
        html = client.get(page.replace(BASE, "/")).text
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert script, page
        document = json.loads(script.group(1))
        assert missing_minimum(document) == [], page
        assert document[CONFORMS_TO] == {"@id": PROFILE}
        expanded = expand(document)[0]
        assert expanded["@type"] == ["http://schema.org/Dataset"]


def test_sitemap_lists_every_landing_page_with_lastmod(client: TestClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    root = ElementTree.fromstring(response.text)
    urls = list(root.iter(f"{SITEMAP}url"))
    assert len(urls) == 73
    lastmods = {u.find(f"{SITEMAP}loc").text: u.find(f"{SITEMAP}lastmod") for u in urls}  # type: ignore[union-attr]
    assert lastmods[BASE + "datasets/ssbd-2-wt_N2_030303_01"].text == "2020-02-03"  # type: ignore[union-attr]
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\d", m.text or "") for m in lastmods.values() if m is not None
    )


def test_sitemap_becomes_an_index_past_its_limit(demo_store: OxigraphStore) -> None:
    app = FastAPI()
    app.state.store = demo_store
    app.state.settings = Settings(store_path=None, base_iri=BASE)
    app.include_router(fair_router(sitemap_limit=20))
    client = TestClient(app)
    index = ElementTree.fromstring(client.get("/sitemap.xml").text)
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text or "" for loc in index.iter(f"{SITEMAP}loc")]
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in range(1, 5)]
    seen = [url for part in parts for url in locs(client.get(part.replace(BASE, "/")).text)]
    assert len(seen) == len(set(seen)) == 73
    assert client.get("/sitemap-5.xml").status_code == 404


def test_robots_allows_crawling_and_names_the_sitemap(client: TestClient) -> None:
    text = client.get("/robots.txt").text
    assert "Allow: /" in text and f"Sitemap: {BASE}sitemap.xml" in text
    assert "Disallow: /\n" not in text


def test_catalogue_root_is_a_datacatalog(client: TestClient) -> None:
    html = client.get("/").text
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script
    catalog = expand(json.loads(script.group(1)))[0]
    assert catalog["@type"] == ["http://schema.org/DataCatalog"]
    for prop in ("name", "description", "keywords", "provider", "url"):
        assert f"http://schema.org/{prop}" in catalog, prop
    assert html.count(f'href="{BASE}projects/') == 7


def test_signposting_level_one_headers(client: TestClient) -> None:
    response = client.get("/projects/ssbd-2")
    assert response.headers["access-control-expose-headers"] == "Link"
    signs = signposting.find_signposting_http_link([response.headers["link"]], BASE)
    assert str(signs.citeAs.target) == BASE + "projects/ssbd-2"
    assert {str(t.target) for t in signs.types} == {
        "https://schema.org/Dataset",
        "https://schema.org/AboutPage",
    }
    described = {str(d.type) for d in signs.describedBy}
    assert {"application/ld+json", "text/turtle", "application/n-triples"} <= described
    assert {str(a.target) for a in signs.authors} == {"https://orcid.org/0000-0002-8255-1724"}
    assert str(signs.license.target) == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert str(signs.linksets.pop().target) == BASE + "projects/ssbd-2/linkset"  # type: ignore[attr-defined]


def test_dataset_items_point_to_data_files(client: TestClient) -> None:
    response = client.get(DATASET.replace(BASE, "/"))
    signs = signposting.find_signposting_http_link([response.headers["link"]], BASE)
    items = {(str(i.target), str(i.type)) for i in signs.items}
    url = "https://ssbd.riken.jp/100118-dcacbb41/zarr/v0.4/Fig2_BrainSliceRGB.zarr"
    assert items == {(url, "application/vnd.ome.zarr")}


def test_rdf_formats_point_back_to_the_landing_page(client: TestClient) -> None:
    response = client.get(DATASET.replace(BASE, "/"), headers={"accept": "text/turtle"})
    assert response.headers["access-control-expose-headers"] == "Link"
    assert f'<{DATASET}>; rel="describes"; type="text/html"' in response.headers["link"]
    assert f'<{DATASET}/linkset>; rel="linkset"' in response.headers["link"]


def test_linkset_level_two(client: TestClient) -> None:
    response = client.get("/datasets/ssbd-199-Fig2_BrainSliceRGB/linkset")
    assert response.headers["content-type"].startswith("application/linkset+json")
    entries = response.json()["linkset"]
    landing = next(e for e in entries if e["anchor"] == DATASET)
    assert landing["cite-as"] == [{"href": DATASET}]
    assert any(e.get("collection") == [{"href": DATASET, "type": "text/html"}] for e in entries)
    assert client.get("/datasets/nope/linkset").status_code == 404


def test_doctests() -> None:
    import doctest

    from kg_service.publish import bioschemas

    result = doctest.testmod(bioschemas)
    assert result.attempted > 0 and result.failed == 0
