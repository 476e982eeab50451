"""POST /validate (no account) in JSON, text and SHACL Turtle; the form; upload limits."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Namespace

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.store import OxigraphStore
from kg_service.submissions.uploads import UploadError, UploadLimits, json_depth_exceeds, receive
from tests.conftest import BASE, EXAMPLE_SSBD

SH = Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("validate")
    store = OxigraphStore(folder / "store")
    with TestClient(create_app(Settings(store_path=folder / "store", base_iri=BASE), store)) as c:
        yield c
    store.close()


def ssbd_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(EXAMPLE_SSBD, EXAMPLE_SSBD.name)
    return buffer.getvalue()


def test_validate_json_in_the_database_tier(client: TestClient) -> None:
    files = {"files": ("ssbd.zip", ssbd_zip(), "application/zip")}
    response = client.post("/validate", params={"tier": "database"}, files=files)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False and body["stored"] is False and body["tier"] == "database"
    mf = [f for f in body["findings"] if f.get("shape", "").endswith("/GoMolecularFunction")]
    assert len(mf) == 12 and all(
        {"severity", "message", "location", "value", "fix"} <= f.keys() for f in mf
    )
    files_named = {f["location"]["file"] for f in body["findings"] if "file" in f["location"]}
    # named as uploaded (member of the zip), never by the server's temporary folder
    assert files_named == {f"ssbd_unzipped/{EXAMPLE_SSBD.name}"}


def test_validate_text_and_shacl_turtle(client: TestClient) -> None:
    files = {"files": (EXAMPLE_SSBD.name, EXAMPLE_SSBD.read_bytes(), "text/turtle")}
    text = client.post("/validate?tier=database&format=text", files=files)
    assert text.headers["content-type"].startswith("text/plain")
    assert "VIOLATION" in text.text and "REFUSED" in text.text
    ttl = client.post("/validate?tier=database", files=files, headers={"accept": "text/turtle"})
    report = Graph().parse(data=ttl.text, format="turtle")
    assert len(list(report.subjects(SH.conforms, None))) == 7  # one report per project


def test_form_page_and_html_report(client: TestClient) -> None:
    page = client.get("/validate")
    assert page.status_code == 200 and 'type="file"' in page.text
    files = {"files": (EXAMPLE_SSBD.name, EXAMPLE_SSBD.read_bytes(), "text/turtle")}
    html = client.post("/validate?format=html", files=files, data={"tier": "database"})
    assert "would be refused" in html.text and "move it to goCellularComponent" in html.text


def test_zip_bomb_and_deep_json_are_refused(client: TestClient) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.ttl", b"#" * 50_000_000)
    bomb = client.post(
        "/validate", files={"files": ("bomb.zip", buffer.getvalue(), "application/zip")}
    )
    assert bomb.status_code == 413 and "zip bomb" in bomb.json()["title"]
    deep = client.post(
        "/validate",
        files={"files": ("deep.json", b"[" * 10_000 + b"]" * 10_000, "application/json")},
    )
    assert deep.status_code == 422


def test_upload_limits(tmp_path: Path) -> None:
    limits = UploadLimits(max_bytes=100, max_zip_members=2)
    with pytest.raises(UploadError) as big:
        receive([("a.ttl", io.BytesIO(b"x" * 101))], tmp_path, limits)
    assert big.value.status == 413
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(3):
            archive.writestr(f"{n}.ttl", "x")
    (tmp_path / "z").mkdir()
    with pytest.raises(UploadError, match="holds 3 files"):
        receive(
            [("many.zip", io.BytesIO(buffer.getvalue()))],
            tmp_path / "z",
            UploadLimits(max_zip_members=2),
        )
    nested = tmp_path / "ok.json"
    nested.write_text('{"a": ["[[[[", {"b": 1}]}')
    assert not json_depth_exceeds(nested, 3) and json_depth_exceeds(nested, 2)


def test_xlsx_with_formulas_and_absurd_hdf5(tmp_path: Path) -> None:
    import h5py
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = 1
    book.active["A2"] = "=A1*2"
    book.save(tmp_path / "f.xlsx")
    (tmp_path / "u1").mkdir()
    with pytest.raises(UploadError, match="formulas") as formula:
        receive([("f.xlsx", (tmp_path / "f.xlsx").open("rb"))], tmp_path / "u1", UploadLimits())
    assert formula.value.status == 422
    with h5py.File(tmp_path / "h.h5", "w") as handle:
        handle.create_dataset("data/t", shape=(1 << 40,), dtype="f4", chunks=(1024,))
    (tmp_path / "u2").mkdir()
    with pytest.raises(UploadError, match="absurd") as absurd:
        receive([("h.h5", (tmp_path / "h.h5").open("rb"))], tmp_path / "u2", UploadLimits())
    assert absurd.value.status == 422
