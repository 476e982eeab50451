"""SSBD metadata template reader: the real filled template plus small generated workbooks."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from kg_service.findings import Finding, Severity
from kg_service.ingest import ReadResult
from kg_service.ingest.ids import dataset_id, project_id
from kg_service.ingest.ssbd_template import (
    load_mapping,
    read_ssbd_template,
    read_ssbd_template_csv,
)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TEMPLATES = SHARED_DATA / "ssbd" / "templates"
AZUMA = TEMPLATES / "20-Azuma-WormMembrane.xlsx"
FBBI_OBO = SHARED_DATA / "ontologies" / "fbbi" / "fbbi.obo"

OBO = "http://purl.obolibrary.org/obo/"
PER_DATASET = "Different by every dataset (refer to dataset sheet)"

# The real layout: common sheet rows (Item, Description, Class), then a dataset sheet.
COMMON: list[tuple[str, str]] = [
    ("Project name", "99-Example-Worm"),
    ("Project URL", "https://example.org/project/99/"),
    ("Project title", "Worm embryo test project"),
    ("Contact name", "Ann Example"),
    ("E-mail", "ann@example.org"),
    ("Organization", "Example Institute"),
    ("License", "CC BY 4.0"),
    ("Contributors", "Ann Example, Bo Example"),
    ("Method summary", "Imaged worms."),
    ("PubMed URL", "https://www.ncbi.nlm.nih.gov/pubmed/28629355"),
    ("File or Folder", PER_DATASET),
    ("Kind", PER_DATASET),
    ("Title", PER_DATASET),
    ("Description", "NA"),
    ("Organism", "C. elegans (NCBITaxon:6239)"),
    ("Strain", "N2"),
    ("Datatype", "cellular dynamics"),
    ("Basedon", "Experiment"),
    ("LocalID", PER_DATASET),
    ("XYZ-scale", PER_DATASET),
    ("T-scale", PER_DATASET),
    ("Source", "http://ssbd.qbic.riken.jp/data/(Project name)/source/(LocalID).zip"),
    ("BDML", "http://ssbd.qbic.riken.jp/data/(Project name)/bdml/(LocalID)_bdml3.0.zip"),
    ("Microscope type", "ConfocalMicroscope"),
]
DATASET_HEADER = ("File or Folder", "Kind", "Title", "LocalID", "XYZ-scale", "T-scale")
GOOD_ROW = (
    "wt.tif",
    "Image data",
    "Time-lapse images of a worm embryo",
    "wt",
    "XY: 0.5 micrometer/pixel, Z: 2 micrometer/slice",
    "10 second for each time interval",
)


def make_template(
    folder: Path,
    changes: dict[str, str | None] | None = None,
    rows: Sequence[Sequence[str]] | None = None,
) -> Path:
    """Write a small template; `changes` replaces item values (None removes the item row)."""
    changes = changes or {}
    workbook = Workbook()
    common = workbook.active
    assert common is not None
    common.title = "common"
    common.append(["Item", "Description", "Class", "Description Notes"])
    for label, value in COMMON:
        if label in changes and changes[label] is None:
            continue
        common.append([label, changes.get(label, value), "Required", None])
    for label, extra in changes.items():
        if extra is not None and label not in dict(COMMON):
            common.append([label, extra, "Option", None])
    dataset = workbook.create_sheet("dataset")
    dataset.append(list(DATASET_HEADER))
    for row in [GOOD_ROW] if rows is None else rows:
        dataset.append(list(row))
    path = folder / "99-Example-Worm.xlsx"
    workbook.save(path)
    return path


def common_row(label: str) -> int:
    """Spreadsheet row of an item in the generated common sheet (header is row 1)."""
    return [lbl for lbl, _ in COMMON].index(label) + 2


def findings_at(result: ReadResult, severity: Severity, field: str) -> list[Finding]:
    return [f for f in result.findings if f.severity is severity and f.location.field == field]


# --- the real filled template ------------------------------------------------------------


@pytest.mark.corpus
def test_real_template_project() -> None:
    result = read_ssbd_template(AZUMA)
    assert len(result.projects) == 1
    project = result.projects[0]
    assert project.id == project_id("ssbd-20")
    assert project.accession == "20-Azuma-WormMembrane"
    assert project.title == "Digitized cellular dynamics of a C. elegans embryo"
    assert project.license == "https://creativecommons.org/licenses/by-nc-sa/4.0/"
    assert project.landing_page == "http://ssbd.qbic.riken.jp/set/20170301/"
    assert str(project.tier) == "database"
    assert project.source_repository == "SSBD"
    contact = project.contacts[0]
    assert (contact.name, contact.email) == ("Shuichi Onami", "sonami@riken.jp")
    assert contact.affiliation.name == "RIKEN"
    assert contact.affiliation.laboratory == "Laboratory for Developmental Dynamics"
    assert [p.name for p in project.contributors] == ["Yusuke Azuma", "Shuichi Onami"]
    assert project.publications[0].pubmed_id == "28629355"


@pytest.mark.corpus
def test_real_template_datasets() -> None:
    project = read_ssbd_template(AZUMA).projects[0]
    image, quantitative = project.datasets
    assert [str(d.kind) for d in project.datasets] == ["image", "quantitative"]
    assert image.id == dataset_id("ssbd-20", "Membrane-Fig1-A.tif")
    assert quantitative.id == dataset_id("ssbd-20", "Membrane-Fig1-A.csv")
    assert image.description == image.title  # Description "NA" means same as Title
    assert image.biosamples[0].organisms == [f"{OBO}NCBITaxon_6239"]
    assert [f.url for f in image.files] == [
        "http://ssbd.qbic.riken.jp/data/20-Azuma-WormMembrane/source/Membrane.zip"
    ]
    assert [(f.url, f.role) for f in quantitative.files] == [
        ("http://ssbd.qbic.riken.jp/data/20-Azuma-WormMembrane/bdml/Membrane_bdml3.0.zip", "BDML")
    ]
    acquisition = image.image_acquisitions[0]
    assert f"{OBO}FBbi_00000251" in acquisition.imaging_methods  # confocal microscopy
    assert acquisition.instrument.microscope == "Olympus FluoView FV10i"
    assert not image.image_data  # the scales are placeholders


@pytest.mark.corpus
def test_real_template_findings() -> None:
    result = read_ssbd_template(AZUMA)
    assert not any(f.severity is Severity.VIOLATION for f in result.findings)
    scale_places = {
        (f.location.sheet, f.location.row, f.location.column)
        for f in result.findings
        if f.severity is Severity.WARNING and "scale is not a number" in f.message
    }
    assert scale_places == {("dataset", row, column) for row in (2, 3) for column in ("E", "F")}
    licence = findings_at(result, Severity.INFO, "License")
    assert licence and licence[0].location.row == 11 and licence[0].value == "CC BY-NC-SA"
    where = result.source_map[(project_id("ssbd-20"), "title")]
    assert (where.sheet, where.row, where.column) == ("common", 4, "B")


@pytest.mark.corpus
def test_blank_template_items_are_all_mapped() -> None:
    result = read_ssbd_template(TEMPLATES / "Metadata_template.xlsx")
    assert not [f for f in result.findings if "unknown" in f.message]


@pytest.mark.corpus
def test_mapped_fbbi_terms_exist_and_are_current() -> None:
    text = FBBI_OBO.read_text(encoding="utf-8")
    current = {
        match.group(1)
        for stanza in text.split("[Term]")
        if "is_obsolete: true" not in stanza
        for match in [re.search(r"^id: (FBbi:\d{8})$", stanza, re.MULTILINE)]
        if match
    }
    mapped = {
        str(term["term"])
        for spec in load_mapping().items.values()
        for term in spec.options.get("terms", {}).values()
        if term
    }
    assert mapped and mapped <= current


# --- generated workbooks -----------------------------------------------------------------


def test_good_template_reads_cleanly(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path))
    assert not [f for f in result.findings if f.severity is not Severity.INFO]
    dataset = result.projects[0].datasets[0]
    assert dataset.id == dataset_id("ssbd-99", "wt-wt.tif")
    assert dataset.biosamples[0].strain_names == ["N2"]
    assert [f.name for f in dataset.files] == ["wt.zip"]


def test_missing_project_title_is_located(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path, {"Project title": ""}))
    [finding] = findings_at(result, Severity.VIOLATION, "Project title")
    assert finding.location.sheet == "common"
    assert finding.location.row == common_row("Project title")
    assert finding.location.column == "B"


def test_missing_item_row_is_reported(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path, {"License": None}))
    [finding] = findings_at(result, Severity.VIOLATION, "License")
    assert finding.location.sheet == "common" and finding.location.row is None


def test_organism_without_taxon_id_is_a_violation(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path, {"Organism": "worm"}))
    [finding] = findings_at(result, Severity.VIOLATION, "Organism")
    assert finding.value == "worm"
    assert (finding.location.row, finding.location.column) == (common_row("Organism"), "B")
    assert not result.projects[0].datasets[0].biosamples[0].organisms


def test_several_organisms(tmp_path: Path) -> None:
    organisms = "C. elegans (NCBITaxon:6239), M. musculus (NCBITaxon:10090)"
    result = read_ssbd_template(make_template(tmp_path, {"Organism": organisms}))
    assert result.projects[0].datasets[0].biosamples[0].organisms == [
        f"{OBO}NCBITaxon_6239",
        f"{OBO}NCBITaxon_10090",
    ]


def test_scales_become_quantities(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path))
    dataset = result.projects[0].datasets[0]
    image_data = dataset.image_data[0]
    micrometer, second = f"{OBO}UO_0000017", f"{OBO}UO_0000010"
    got = {
        slot: (getattr(image_data, slot).value, getattr(image_data, slot).unit)
        for slot in ("physical_size_x", "physical_size_y", "physical_size_z", "time_interval")
    }
    assert got == {
        "physical_size_x": (Decimal("0.5"), micrometer),
        "physical_size_y": (Decimal("0.5"), micrometer),
        "physical_size_z": (Decimal("2"), micrometer),
        "time_interval": (Decimal("10"), second),
    }
    where = result.source_map[(image_data.physical_size_z.id, "value")]
    assert (where.sheet, where.row, where.column) == ("dataset", 2, "E")


def test_pixel_is_not_a_physical_size(tmp_path: Path) -> None:
    row = (*GOOD_ROW[:4], "XY: 1 pixel, Z: NA", "NA")
    result = read_ssbd_template(make_template(tmp_path, rows=[row]))
    [finding] = findings_at(result, Severity.WARNING, "XYZ-scale")
    assert "length" in finding.message and finding.location.column == "E"
    assert not result.projects[0].datasets[0].image_data


def test_rows_sharing_a_local_id_get_their_own_ids_and_files(tmp_path: Path) -> None:
    rows = [GOOD_ROW, ("wt.csv", "Quantitative data", "Nuclear tracks", "wt", "NA", "NA")]
    project = read_ssbd_template(make_template(tmp_path, rows=rows)).projects[0]
    image, numbers = project.datasets
    assert image.id != numbers.id
    assert [f.role for f in image.files] == ["source images"]
    assert [f.url for f in numbers.files] == [
        "http://ssbd.qbic.riken.jp/data/99-Example-Worm/bdml/wt_bdml3.0.zip"
    ]


def test_missing_title_in_dataset_row_is_located(tmp_path: Path) -> None:
    row = (GOOD_ROW[0], GOOD_ROW[1], "", *GOOD_ROW[3:])
    result = read_ssbd_template(make_template(tmp_path, rows=[row]))
    [finding] = findings_at(result, Severity.VIOLATION, "Title")
    assert (finding.location.sheet, finding.location.row, finding.location.column) == (
        "dataset",
        2,
        "C",
    )


def test_unknown_item_is_a_warning(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path, {"Favourite colour": "blue"}))
    [finding] = findings_at(result, Severity.WARNING, "Favourite colour")
    assert finding.value == "blue" and finding.location.column == "A"


def test_bad_kind_and_email_are_violations(tmp_path: Path) -> None:
    row = (GOOD_ROW[0], "Movie", *GOOD_ROW[2:])
    result = read_ssbd_template(make_template(tmp_path, {"E-mail": "ann at example"}, [row]))
    assert findings_at(result, Severity.VIOLATION, "Kind")[0].location.column == "B"
    assert findings_at(result, Severity.VIOLATION, "E-mail")[0].value == "ann"


def test_not_an_xlsx_file_is_a_violation(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    result = read_ssbd_template(path)
    assert not result.projects
    [finding] = result.findings
    assert finding.severity is Severity.VIOLATION and finding.location.file == str(path)


def test_workbook_without_common_sheet_is_a_violation(tmp_path: Path) -> None:
    workbook = Workbook()
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    [finding] = read_ssbd_template(path).findings
    assert finding.severity is Severity.VIOLATION and "common" in finding.message


def test_csv_sheets_read_like_the_workbook(tmp_path: Path) -> None:
    common_path, dataset_path = tmp_path / "common.csv", tmp_path / "dataset.tsv"
    rows: list[Any] = [("Item", "Description", "Class"), *COMMON]
    with common_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    with dataset_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter="\t").writerows([DATASET_HEADER, GOOD_ROW])
    result = read_ssbd_template_csv(common_path, dataset_path)
    project = result.projects[0]
    assert project.title == "Worm embryo test project"
    assert project.datasets[0].image_data[0].time_interval.value == Decimal("10")


def test_duplicate_dataset_row_is_a_violation_not_a_crash(tmp_path: Path) -> None:
    result = read_ssbd_template(make_template(tmp_path, rows=[GOOD_ROW, GOOD_ROW]))
    [finding] = findings_at(result, Severity.VIOLATION, "LocalID")
    assert finding.location.row == 3
    assert len(result.projects[0].datasets) == 1
    where = result.source_map[(result.projects[0].datasets[0].id, "title")]
    assert where.row == 2
