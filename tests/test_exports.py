"""Per-project exports: GIDE RO-Crate and DataCite kernel 4 (JSON and XML)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from datacite import schema45
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.publish.bioschemas import bioschemas_document, bioschemas_triples
from kg_service.publish.exports import DATACITE_NS, datacite, datacite_xml
from kg_service.store import OxigraphStore
from tests.conftest import BASE, SHARED_DATA

PROJECTS = ["ssbd-2", "ssbd-48", "ssbd-199", "ssbd-9", "ssbd-27", "ssbd-62", "ssbd-101"]
GIDE_SCHEMA = SHARED_DATA / "peers" / "gide" / "gide-search-profile-schema.json"
NS = f"{{{DATACITE_NS}}}"


@pytest.fixture(scope="module")
def client(demo_store: OxigraphStore) -> Iterator[TestClient]:
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def project_keys(client: TestClient) -> list[str]:
    keys = [p["id"] for p in client.get("/projects").json()["results"]]
    assert len(keys) == 7
    return keys


@pytest.mark.corpus
def test_every_ro_crate_validates_against_the_gide_schema(
    client: TestClient, project_keys: list[str]
) -> None:
    schema = json.loads(GIDE_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    # The schema's anyOf lets any typed entity pass as "GenericEntity"; check the root
    # Dataset and the people against their own definitions too.
    root_validator = jsonschema.Draft7Validator({**schema, **schema["$defs"]["Dataset"]})
    person_validator = jsonschema.Draft7Validator({**schema, **schema["$defs"]["Person"]})
    for key in project_keys:
        response = client.get(f"/projects/{key}/ro-crate-metadata.json")
        assert response.status_code == 200
        crate: dict[str, Any] = response.json()
        assert list(validator.iter_errors(crate)) == [], key
        graph = {entity["@id"]: entity for entity in crate["@graph"]}
        root = graph[graph["ro-crate-metadata.json"]["about"]["@id"]]
        assert [e.message for e in root_validator.iter_errors(root)] == [], key
        for author in root["author"]:
            assert list(person_validator.iter_errors(graph[author["@id"]])) == [], key
        assert root["@id"] == f"{BASE}projects/{key}"


def test_datacite_json_follows_datacites_own_kernel_4_schema(
    client: TestClient, project_keys: list[str]
) -> None:
    for key in project_keys:
        data = client.get(f"/projects/{key}/datacite.json").json()
        assert schema45.validate(data), key
        assert data["publicationYear"].isdigit()


REQUIRED = ("creators/creator/creatorName", "titles/title", "publisher", "publicationYear")


def required_missing(xml: str) -> list[str]:
    """DataCite kernel-4 mandatory properties (identifier is checked separately)."""
    root = ElementTree.fromstring(xml)
    assert root.tag == f"{NS}resource"
    missing = []
    for path in REQUIRED:
        element = root.find("/".join(NS + step for step in path.split("/")))
        if element is None or not (element.text or "").strip():
            missing.append(path)
    resource_type = root.find(f"{NS}resourceType")
    if resource_type is None or not resource_type.get("resourceTypeGeneral"):
        missing.append("resourceType")
    return missing


def test_datacite_xml_has_every_required_kernel_4_field(
    client: TestClient, project_keys: list[str]
) -> None:
    for key in project_keys:
        response = client.get(f"/projects/{key}/datacite.xml")
        assert response.status_code == 200
        assert required_missing(response.text) == [], key


def test_a_doi_becomes_the_identifier(demo_store: OxigraphStore) -> None:
    iri = BASE + "projects/ssbd-2"
    document = bioschemas_document(iri, bioschemas_triples(demo_store, iri, BASE))
    xml = datacite_xml(datacite(document, doi="10.5072/example-2"))
    root = ElementTree.fromstring(xml)
    identifier = root.find(f"{NS}identifier")
    assert identifier is not None and identifier.get("identifierType") == "DOI"
    assert identifier.text == "10.5072/example-2"
    orcid = root.find(f"{NS}creators/{NS}creator/{NS}nameIdentifier")
    assert orcid is not None and orcid.text == "https://orcid.org/0000-0002-8255-1724"
    related = root.find(f"{NS}relatedIdentifiers/{NS}relatedIdentifier")
    assert related is not None and related.text == "10.1093/nar/gks1107"


def test_exports_are_per_project_only(client: TestClient) -> None:
    assert client.get("/projects/nope/datacite.json").status_code == 404
    assert client.get("/datasets/ssbd-2-wt_N2_030303_01/ro-crate-metadata.json").status_code == 404
