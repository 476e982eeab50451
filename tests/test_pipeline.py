"""Validation before storage: broken submissions are refused whole, the store is unchanged."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.findings import Location, Severity
from kg_service.pipeline import BaseIriMismatch, prepare, submit
from kg_service.store import OxigraphStore
from tests.conftest import BASE, EXAMPLE_SSBD
from tests.test_store import all_quads

PROJECT_2_TITLE = 'ontology:has_dataset_title "Worm developmental dynamics database project" ;'
WT_ORGANISM = ("ontology:ssbd-biosample-2-wt_N2_030303_01 rdf:type owl:NamedIndividual ,",)


def broken_copy(tmp_path: Path) -> Path:
    """The real SSBD file with project 2's title removed and one organism replaced by a
    non-NCBITaxon IRI."""
    text = EXAMPLE_SSBD.read_text(encoding="utf-8")
    assert PROJECT_2_TITLE in text
    text = text.replace(PROJECT_2_TITLE, "", 1)
    pattern = re.compile(
        r"(ontology:ssbd-biosample-2-wt_N2_030303_01 .*?ontology:is_about_organism )"
        r"obo:NCBITaxon_6239",
        re.DOTALL,
    )
    text, count = pattern.subn(r"\1<http://example.org/taxon/worm>", text)
    assert count == 1
    path = tmp_path / "broken.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_data_is_accepted() -> None:
    report = prepare([EXAMPLE_SSBD], BASE)
    assert report.ok
    assert len(report.projects) == 7


def test_broken_input_is_refused_with_located_findings(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    try:
        submit([EXAMPLE_SSBD], store, BASE)
        before = all_quads(store)
        report = submit([broken_copy(tmp_path)], store, BASE)
        assert not report.ok and not report.stored
        violations = [f for f in report.findings if f.severity is Severity.VIOLATION]
        by_field = {(f.location.record, f.location.field) for f in violations}
        assert ("projects/ssbd-2", "title") in by_field
        organism = [f for f in violations if f.location.field == "organisms"]
        assert organism, [str(f) for f in violations]
        assert organism[0].location.record == "datasets/ssbd-2-wt_N2_030303_01/biosample/1"
        assert organism[0].value == "http://example.org/taxon/worm"
        assert organism[0].location.file and organism[0].location.file.endswith("broken.ttl")
        assert all_quads(store) == before  # nothing of the submission was stored
    finally:
        store.close()


def test_location_in_reports_keeps_only_the_fields_set() -> None:
    where = Location(file="a.xlsx", sheet="Dataset", row=0, column="C", field="title")
    assert where.to_dict() == {
        "file": "a.xlsx", "sheet": "Dataset", "row": 0, "column": "C", "field": "title"
    }  # fmt: skip
    assert list(where.to_dict()) == ["file", "sheet", "row", "column", "field"]  # field order
    assert Location().to_dict() == {}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg_service.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_cli_validate_exit_codes_and_json(tmp_path: Path) -> None:
    good = run_cli("validate", "--json", str(EXAMPLE_SSBD))
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["ok"] is True
    bad = run_cli("validate", "--json", str(broken_copy(tmp_path)))
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["ok"] is False
    finding = next(f for f in report["findings"] if f["severity"] == "violation")
    assert {"severity", "message", "location"} <= set(finding)
    text = run_cli("validate", str(broken_copy(tmp_path)))
    assert "VIOLATION" in text.stdout and "title" in text.stdout


def test_cli_load_refuses_and_leaves_store_unchanged(tmp_path: Path) -> None:
    store_dir = tmp_path / "cli-store"
    assert run_cli("load", "--store", str(store_dir), str(EXAMPLE_SSBD)).returncode == 0
    refused = run_cli("load", "--store", str(store_dir), str(broken_copy(tmp_path)))
    assert refused.returncode == 1
    assert "nothing was stored" in refused.stderr
    store = OxigraphStore(store_dir)
    try:
        assert len(store.graph_names()) == 8  # 7 projects + service metadata
        title = store.select(
            "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?t WHERE "
            "{ <http://localhost:8000/projects/ssbd-2> dcterms:title ?t }"
        )
        assert len(title) == 1
    finally:
        store.close()


def test_cli_missing_file() -> None:
    assert run_cli("validate", "does-not-exist.ttl").returncode == 2


def test_one_store_keeps_one_base_iri(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    try:
        submit([EXAMPLE_SSBD], store, BASE)
        before = all_quads(store)
        with pytest.raises(BaseIriMismatch, match="use the same KG_BASE_IRI"):
            submit([EXAMPLE_SSBD], store, "http://elsewhere.test/")
        with pytest.raises(BaseIriMismatch):
            create_app(Settings(store_path=None, base_iri="http://elsewhere.test/"), store=store)
        assert all_quads(store) == before
    finally:
        store.close()


@pytest.mark.corpus
def test_real_template_is_stored_and_points_to_its_files(tmp_path: Path, shared_data: Path) -> None:
    template = shared_data / "ssbd" / "templates" / "20-Azuma-WormMembrane.xlsx"
    store = OxigraphStore(tmp_path / "store")
    try:
        report = submit([template], store, BASE)
        assert report.stored, [str(f) for f in report.findings]
        rows = store.select(
            """PREFIX dcat: <http://www.w3.org/ns/dcat#>
            PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
            SELECT ?dataset ?kind ?url WHERE {
              ?dataset kg:dataKind ?kind ; dcat:distribution/dcat:downloadURL ?url }"""
        )
        urls = {str(r["url"]) for r in rows}
        assert urls == {
            "http://ssbd.qbic.riken.jp/data/20-Azuma-WormMembrane/source/Membrane.zip",
            "http://ssbd.qbic.riken.jp/data/20-Azuma-WormMembrane/bdml/Membrane_bdml3.0.zip",
        }
        assert {str(r["kind"]).rsplit("/", 1)[-1] for r in rows} == {
            "ImageDataKind",
            "QuantitativeDataKind",
        }
    finally:
        store.close()


def test_cli_validates_bd5_files() -> None:
    data = Path(__file__).parent / "data" / "bd5"
    assert run_cli("validate", str(data / "081505_L1_bd5.h5")).returncode == 0
    broken = run_cli("validate", "--json", str(data / "lint" / "testbd5_data_0_object_t1.h5"))
    assert broken.returncode == 1
    finding = json.loads(broken.stdout)["findings"][0]
    assert finding["location"]["hdf5_path"] == "/data/0/object/t1"
