"""Landing pages: content negotiation, the HTML a person reads, 404/406/410, escaping."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF

from kg_service.api import create_app
from kg_service.api.records import record_triples
from kg_service.config import Settings
from kg_service.publish import tombstones
from kg_service.store import OxigraphStore
from tests.conftest import BASE

KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
DATASET = "/datasets/ssbd-199-Fig2_BrainSliceRGB"
PROJECT = "/projects/ssbd-2"
RDF_TYPES = {
    "application/ld+json": "json-ld",
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
FORMAT_NAMES = {"jsonld": "application/ld+json", "ttl": "text/turtle",
                "nt": "application/n-triples", "rdf": "application/rdf+xml"}  # fmt: skip


@pytest.fixture(scope="module")
def client(demo_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    with TestClient(app) as test_client:
        yield test_client


def stored_graph(store: OxigraphStore, iri: str) -> Graph:
    graph = Graph()
    for triple in record_triples(store, iri):
        graph.add(triple)
    return graph


def test_html_is_the_default(client: TestClient) -> None:
    for accept in (None, "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"):
        headers = {"accept": accept} if accept else {}
        response = client.get(DATASET, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize("path", [DATASET, PROJECT, "/datasets/ssbd-2-wt_N2_030303_01"])
@pytest.mark.parametrize("media_type", list(RDF_TYPES))
def test_every_rdf_format_is_the_stored_record(
    client: TestClient, demo_store: OxigraphStore, path: str, media_type: str
) -> None:
    response = client.get(path, headers={"accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    parsed = Graph().parse(data=response.text, format=RDF_TYPES[media_type])
    stored = stored_graph(demo_store, BASE + path.strip("/"))
    assert len(stored) > 10
    assert isomorphic(parsed, stored)


@pytest.mark.parametrize("name", list(FORMAT_NAMES))
def test_format_parameter_wins_over_accept(client: TestClient, name: str) -> None:
    response = client.get(f"{DATASET}?format={name}", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FORMAT_NAMES[name])


def test_unacceptable_unknown_and_malformed(client: TestClient) -> None:
    assert client.get(DATASET, headers={"accept": "image/png"}).status_code == 406
    assert client.get(f"{DATASET}?format=pdf").status_code == 406
    assert client.get("/datasets/nope").status_code == 404
    assert client.get("/projects/ssbd-2-wt_N2_030303_01").status_code == 404
    assert client.get("/datasets/a%20b").status_code == 404


def test_dataset_page_shows_what_a_person_needs(client: TestClient) -> None:
    html = client.get(DATASET).text
    assert "<h1>AMATERAS imaging of mouse brain slice.</h1>" in html
    assert 'href="http://purl.obolibrary.org/obo/NCBITaxon_10090">Mus musculus</a>' in html
    assert 'href="http://purl.obolibrary.org/obo/FBbi_00000246"' in html  # imaging method
    assert 'href="https://doi.org/10.1038/s41598-021-95930-7"' in html  # publication DOI
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/34400683/"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert "X 13264 × Y 9180" in html and "1.1 <a" in html  # dimensions and scale
    assert "Fig2_BrainSliceRGB.zarr</a>" in html  # file table download link
    assert "vizarr" in html  # OME-Zarr viewer
    assert "Cite this" in html and "Takeharu Nagai" in html
    for name in FORMAT_NAMES:
        assert f"{BASE}datasets/ssbd-199-Fig2_BrainSliceRGB?format={name}" in html
    assert f'<link rel="canonical" href="{BASE}datasets/ssbd-199-Fig2_BrainSliceRGB">' in html
    assert not re.search(r'(src|href)="https?://(?!kg\.test)[^"]*\.(css|js)"', html)


def test_project_page_cites_creators_with_orcid_and_lists_datasets(client: TestClient) -> None:
    html = client.get(PROJECT).text
    assert 'href="https://orcid.org/0000-0002-8255-1724"' in html
    assert "DOI 10.1093/nar/gks1107" in html and "PubMed 23172286" in html
    assert html.count(f'href="{BASE}datasets/ssbd-2-') == 3
    assert "Onami, Shuichi" not in html  # the cite line uses the stored display name
    assert "Shuichi Onami (2013)" in html
    assert f"{BASE}projects/ssbd-2/ro-crate-metadata.json" in html


EVIL = "</script><script>alert(1)</script><!--"


def evil_client(store: OxigraphStore) -> TestClient:
    base = "http://evil.test/"
    record = URIRef(base + "datasets/x")
    store.replace_graph(
        base + "graph/x",
        [
            (record, RDF.type, KG.Dataset),
            (record, DCTERMS.title, Literal(EVIL)),
            (record, DCTERMS.description, Literal("A description & more </SCRIPT >")),
        ],
    )
    return TestClient(create_app(Settings(store_path=None, base_iri=base), store=store))


def test_embedded_jsonld_cannot_break_out_of_its_script(store: OxigraphStore) -> None:
    html = evil_client(store).get("/datasets/x").text
    assert "<script>alert(1)" not in html
    opening = '<script type="application/ld+json">'
    start = html.index(opening) + len(opening)
    embedded = html[start : html.index("</script>", start)]
    document = json.loads(embedded)
    assert document["name"] == EVIL  # the value survives, escaped, intact
    assert document["description"] == "A description & more </SCRIPT >"
    assert "&lt;/script&gt;" in html  # and the visible title is HTML-escaped


def test_withdrawn_record_is_gone_with_a_tombstone(store: OxigraphStore) -> None:
    client = evil_client(store)
    iri = "http://evil.test/datasets/old"
    tombstones.withdraw(store, iri, title="An old study", identifier="old", reason="duplicate")
    response = client.get("/datasets/old")
    assert response.status_code == 410
    assert "An old study" in response.text and iri in response.text and "duplicate" in response.text
    machine = client.get("/datasets/old", headers={"accept": "text/turtle"})
    assert machine.status_code == 410
    assert client.get("/datasets/never").status_code == 404
    tombstones.restore(store, iri)
    assert client.get("/datasets/old").status_code == 404
