"""Every published example query runs: local ones on the demo data, federated ones against
local stand-ins (real UniProt RDF, SSBD's own RDF, a team-authored Wikidata slice)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.sparql.examples import Example, read_examples
from kg_service.store import OxigraphStore
from tests.conftest import BASE
from tests.sparql_support import localise, sparql_store, stand_ins

__all__ = ["sparql_store", "stand_ins"]
OBO = "http://purl.obolibrary.org/obo/"
EXAMPLES = read_examples(BASE)
LOCAL = [e for e in EXAMPLES if not e.federates_with]
FEDERATED = [e for e in EXAMPLES if e.federates_with]
Rows = list[dict[str, str]]

# name -> (number of rows, values expected in the first row)
EXPECTED_LOCAL: dict[str, tuple[int, dict[str, str]]] = {
    "01-datasets-per-organism": (6, {"organism": f"{OBO}NCBITaxon_10090", "datasets": "47"}),
    "02-datasets-in-taxon-subtree": (4, {"organism": f"{OBO}NCBITaxon_10090", "datasets": "47"}),
    "03-datasets-by-go-descendants": (10, {"term": f"{OBO}GO_0005743"}),
    "04-image-links": (
        2,
        {"omeZarr": "https://ssbd.riken.jp/100118-dcacbb41/zarr/v0.4/Fig3a_FIB-SEM_synapse.zarr"},
    ),
    "05-quantitative-data-scales": (
        1,
        {
            "format": "BD5",
            "xSize": "0.105",
            "xUnit": f"{OBO}UO_0000017",
            "timeUnit": f"{OBO}UO_0000010",
        },
    ),
    "06-datasets-per-imaging-method": (6, {"method": f"{OBO}FBbi_00000251", "datasets": "28"}),
    "07-projects-and-dataset-counts": (8, {"project": f"{BASE}projects/ssbd-48", "datasets": "27"}),
    "08-contacts-with-orcid": (6, {"orcid": "https://orcid.org/0000-0003-1216-8890"}),
    "09-project-publications": (7, {"doi": "https://doi.org/10.1093/jmicro/dfy128"}),
    "10-pixel-sizes-in-micrometres": (49, {"pixelSize": "0.0122189"}),
    "11-projects-per-licence": (2, {"license": "https://creativecommons.org/licenses/by/4.0/"}),
    "12-time-lapse-datasets": (10, {"frames": "1922"}),
    "13-void-class-partition": (15, {"class": "https://w3id.org/bioimage-kg/vocab/Quantity"}),
    # issue 16: the SSBD demo store holds no image annotations (IDR); tests/test_ingest_peers.py
    # runs this example on a real IDR study
    "18-gene-knockdown-and-phenotype": (0, {}),
    "14-example-catalogue": (
        len(EXAMPLES),
        {"example": f"{BASE}.well-known/sparql-examples/01-datasets-per-organism"},
    ),
}


def rows(response: object) -> Rows:
    document = response.json()  # type: ignore[attr-defined]
    return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]


@pytest.fixture(scope="module")
def client(sparql_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=sparql_store)
    yield TestClient(app)
    app.state.sparql.close()


def test_there_are_enough_examples_of_each_kind() -> None:
    assert len(EXAMPLES) >= 15
    assert {e.name for e in LOCAL} == set(EXPECTED_LOCAL)
    assert {f for e in FEDERATED for f in e.federates_with} == {
        "https://sparql.uniprot.org/sparql",
        "https://query.wikidata.org/sparql",
        "https://ssbd.riken.jp/sparql",
    }


@pytest.mark.parametrize("example", LOCAL, ids=lambda e: e.name)
def test_local_example(client: TestClient, example: Example) -> None:
    response = client.post("/sparql", data={"query": example.query})
    assert response.status_code == 200, response.text
    found = rows(response)
    size, first = EXPECTED_LOCAL[example.name]
    assert len(found) == size
    assert {k: found[0].get(k) for k in first} == first


@pytest.fixture(scope="module")
def federating_client(
    sparql_store: OxigraphStore, stand_ins: dict[str, str]
) -> Iterator[TestClient]:
    settings = Settings(
        store_path=None, base_iri=BASE, sparql_service_allowlist=list(stand_ins.values())
    )
    app = create_app(settings, store=sparql_store)
    yield TestClient(app)
    app.state.sparql.close()


def run_federated(client: TestClient, name: str, urls: dict[str, str]) -> Rows:
    example = next(e for e in FEDERATED if e.name == name)
    response = client.post("/sparql", data={"query": localise(example.query, urls)})
    assert response.status_code == 200, response.text
    return rows(response)


def test_uniprot_proteins_with_the_same_go_terms(
    federating_client: TestClient, stand_ins: dict[str, str]
) -> None:
    found = run_federated(federating_client, "15-uniprot-proteins-same-go-terms", stand_ins)
    # the fixture's brain-development biosample (GO:0007420) meets both EPOR entries
    assert {(r["go"], r["mnemonic"]) for r in found} == {
        (f"{OBO}GO_0007420", "EPOR_HUMAN"),
        (f"{OBO}GO_0007420", "EPOR_MOUSE"),
    }


def test_wikidata_taxon_names(federating_client: TestClient, stand_ins: dict[str, str]) -> None:
    found = run_federated(federating_client, "16-wikidata-taxon-names", stand_ins)
    names = {r["name"]: int(r["datasets"]) for r in found}
    assert names == {
        "Mus musculus": 47,
        "Homo sapiens": 12,
        "Caenorhabditis elegans": 4,
        "Canis lupus familiaris": 2,
    }


def test_ssbd_records(federating_client: TestClient, stand_ins: dict[str, str]) -> None:
    found = run_federated(federating_client, "17-ssbd-records", stand_ins)
    assert len(found) >= 60
    worm = next(r for r in found if r["dataset"].endswith("ssbd-2-wt_N2_030303_01"))
    assert worm["ssbdRecord"] == "http://ssbd.riken.jp/ontology/ssbd-dataset-2-wt_N2_030303_01"


def test_published_federated_examples_are_refused_when_not_allowlisted(
    client: TestClient, stand_ins: dict[str, str]
) -> None:
    for example in FEDERATED:
        response = client.post("/sparql", data={"query": localise(example.query, stand_ins)})
        assert response.status_code == 403
