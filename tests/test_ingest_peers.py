"""Peer-format readers on real copied files and on small inputs written here for one quirk each.

Copied files: tests/data/{bia,ome,bdml} (see their SOURCES.md). Unlicensed real files are walked
by tests/test_corpus.py instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kg_service.findings import Finding, Severity
from kg_service.ingest import read_path
from kg_service.ingest.bdml import read_bdml
from kg_service.ingest.idr import read_idr_text
from kg_service.ingest.omexml import read_ome_xml
from kg_service.ingest.pagetab import read_pagetab
from kg_service.rdf import project_graph

DATA = Path(__file__).parent / "data"
BD5 = DATA / "bd5" / "081505_L1_bd5.h5"
BDML = DATA / "bdml" / "140911_DiR_x1_worm1_bdml3.0.xml"
OBO = "http://purl.obolibrary.org/obo/"


def _by(findings: list[Finding], severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity is severity]


# --- IDR study files -----------------------------------------------------------------------

STUDY = (
    "Comment[IDR Study Accession]\tidr0999\r\n"
    "Study Title\tA test study\r"
    "Study Organism\tMus musculus\tDanio rerio\n"
    "Study Organism Term Source REF\tNCBITaxon\tNCBITaxon\n"
    "Study Organism Term Accession\tNCBITaxon_010090\t7955\n"
    "Study License\tCC BY 4.0\n"
    "Study Person Last Name\tDoe\tRoe\n"
    "Study Person First Name\tJane\tRichard\n"
    "Study Person ORCID\t0000-0002-1825-009X\tnot-an-orcid\n"
    "Experiment Number\t1\n"
    "Comment[IDR Experiment Name]\tidr0999-doe-test/experimentA\n"
    "Experiment Imaging Method\tconfocal microscopy\tSTORM\n"
    "Experiment Imaging Method Term Source REF\tFbbi\tFBbi\n"
    "Experiment Imaging Method Term Accession\t00000251\tFBbi:00000336\n"
    "Experiment Mystery Key\tsomething\n"
)


def test_idr_study_mixed_newlines_triplets_and_columns() -> None:
    result = read_idr_text(STUDY, Path("idr0999-study.txt"))
    (project,) = result.projects
    assert project.id == "projects/idr0999"
    (dataset,) = project.datasets
    assert dataset.id == "datasets/idr0999-experimentA"
    assert dataset.biosamples[0].organisms == [f"{OBO}NCBITaxon_10090", f"{OBO}NCBITaxon_7955"]
    acquisition = dataset.image_acquisitions[0]
    assert acquisition.imaging_methods == [f"{OBO}FBbi_00000251", f"{OBO}FBbi_00000336"]
    assert [p.name for p in project.contacts] == ["Jane Doe", "Richard Roe"]
    assert project.contacts[0].orcid == "https://orcid.org/0000-0002-1825-009X"
    bad_orcid = [f for f in result.findings if f.value == "not-an-orcid"]
    assert bad_orcid and bad_orcid[0].location.line == 9 and bad_orcid[0].location.column == "3"
    mystery = [f for f in result.findings if f.value == "something"]
    assert mystery and mystery[0].severity is Severity.INFO and mystery[0].location.line == 15


def test_idr_placeholder_and_bad_accession_are_reported_not_stored() -> None:
    text = STUDY.replace("Study Title\tA test study", "Study Title\tTBD").replace(
        "FBbi:00000336", "FBbi_ 336x"
    )
    result = read_idr_text(text, Path("idr0999-study.txt"))
    project = result.projects[0]
    assert project.title is None
    assert any(f.value == "TBD" and f.severity is Severity.WARNING for f in result.findings)
    assert any(f.value == "FBbi_ 336x" for f in result.findings)
    graph, problems = project_graph(project, "http://kg.test/")
    assert not problems
    assert "336x" not in graph.serialize(format="nt")


# --- BIA PageTab ---------------------------------------------------------------------------


def test_pagetab_components_link_biosamples_by_title() -> None:
    result = read_pagetab(DATA / "bia" / "pagetab" / "S-BIAD1043.json")
    (project,) = result.projects
    assert project.id == "projects/S-BIAD1043"
    assert project.license == "https://creativecommons.org/licenses/by/4.0/"
    assert len(project.datasets) == 3 and len(project.grants) == 3 and len(project.contacts) == 9
    assert all(len(d.biosamples) == 2 for d in project.datasets)
    assert project.datasets[0].image_acquisitions[0].imaging_method_names == [
        "spinning disk confocal microscopy"
    ]
    organism = [f for f in result.findings if f.location.field == "Organism"]
    assert organism and organism[0].location.json_pointer is not None


def test_pagetab_tbd_placeholders_are_reported_at_their_pointer() -> None:
    result = read_pagetab(DATA / "bia" / "pagetab" / "S-BIAD2235.json")
    project = result.projects[0]
    assert project.description is None
    tbd = {f.location.json_pointer for f in result.findings if f.value == "TBD"}
    assert tbd == {"/section/attributes/2", "/section/subsections/0/attributes/2"}


def test_pagetab_dangling_association_title_is_a_located_warning() -> None:
    result = read_pagetab(DATA / "bia" / "pagetab" / "S-BIAD2808.json")
    dangling = [f for f in result.findings if "does not exist" in f.message]
    assert len(dangling) == 4
    assert all(
        f.location.json_pointer and f.location.json_pointer.startswith("/section/subsections/")
        for f in dangling
    )


# --- OME-XML -------------------------------------------------------------------------------


def test_ome_xml_sizes_units_and_instrument() -> None:
    result = read_ome_xml(DATA / "ome" / "simple.ome.xml")
    (project,) = result.projects
    assert len(project.datasets) == 8
    image = project.datasets[0].image_data[0]
    assert (image.size_x, image.size_y) == (256, 256)
    assert image.physical_size_x.unit == f"{OBO}UO_0000017"
    instrument = project.datasets[0].image_acquisitions[0].instrument
    assert "NominalMagnification 10.0" in instrument.objective
    assert not _by(result.findings, Severity.WARNING)


def test_ome_xml_tiff_default_resolution_in_metres_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "tiff.ome.xml"
    path.write_text(
        '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0">\n'
        '<Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="10" SizeY="10" SizeZ="1"'
        ' SizeC="1" SizeT="1" PhysicalSizeX="0.000352777" PhysicalSizeXUnit="m"'
        ' PhysicalSizeY="1.1e-7" PhysicalSizeYUnit="m"/></Image></OME>'
    )
    result = read_path(path)
    warnings = _by(result.findings, Severity.WARNING)
    assert len(warnings) == 1 and "1/72 inch" in warnings[0].message
    assert (
        warnings[0].location.line == 2
        and warnings[0].location.field == "/OME/Image/Pixels/@PhysicalSizeX"
    )
    size_y = result.projects[0].datasets[0].image_data[0].physical_size_y
    assert size_y.unit == f"{OBO}UO_0000008"


# --- BDML ----------------------------------------------------------------------------------


def test_bdml_missing_bd5_file_is_a_warning() -> None:
    result = read_bdml(BDML)
    (project,) = result.projects
    assert project.id == "projects/bdml-140911_DiR_x1_worm1"
    assert (
        len(project.contributors) == 10 and project.contacts[0].email == "ytoyo@bs.s.u-tokyo.ac.jp"
    )
    assert project.publications[0].pubmed_id == "27271939"
    missing = [f for f in result.findings if "missing" in f.message]
    assert len(missing) == 1 and missing[0].severity is Severity.WARNING
    assert missing[0].location.field == "/bdml/extfile/bd5File" and missing[0].location.line == 79
    assert not _by(result.findings, Severity.VIOLATION)


def test_bdml_follows_bd5_file_next_to_it(tmp_path: Path) -> None:
    shutil.copy(BD5, tmp_path / BD5.name)
    text = BDML.read_text(encoding="utf-8").replace("140911_DiR_x1_worm1_bd5.h5", BD5.name)
    (tmp_path / "doc.xml").write_text(text, encoding="utf-8")
    result = read_path(tmp_path / "doc.xml")
    dataset = result.projects[0].datasets[0]
    assert dataset.analysed_data[0].object_count == 23980
    assert dataset.files[0].name == BD5.name


def test_bdml_refuses_entities_and_escaping_paths(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE bdml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<bdml xmlns="http://ssbd.qbic.riken.jp/bdml" version="3.0">'
        "<info><title>&b;</title></info></bdml>"
    )
    result = read_bdml(bomb)
    assert not result.projects and "entities" in result.findings[0].message
    escape = tmp_path / "escape.xml"
    escape.write_text(
        BDML.read_text(encoding="utf-8").replace("140911_DiR_x1_worm1_bd5.h5", "../../etc/passwd")
    )
    assert any("next to" in f.message for f in read_bdml(escape).findings)


def test_bdml_018_inline_scales_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.xml"
    path.write_text(
        '<bdml xmlns="http://ssbd.qbic.riken.jp/bdml" version="0.18"><info><bdmlID>x</bdmlID>'
        "<title>Old</title></info><data><scaleUnit><xScale>0.5</xScale><yScale>0.5</yScale>"
        "<zScale>1</zScale><xyzUnit>micrometer</xyzUnit><tScale>30</tScale><tUnit>second</tUnit>"
        "</scaleUnit></data></bdml>"
    )
    result = read_bdml(path)
    analysed = result.projects[0].datasets[0].analysed_data[0]
    assert str(analysed.physical_size_x.value) == "0.5"
    assert analysed.time_interval.unit == f"{OBO}UO_0000010"
    schema_errors = _by(result.findings, Severity.VIOLATION)
    assert schema_errors and all(f.location.line for f in schema_errors)


def test_not_xml_is_a_located_violation(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text("<bdml>\n<info>\n</bdml>")
    findings = read_path(path).findings
    assert findings[0].severity is Severity.VIOLATION and findings[0].location.line == 3


def test_free_text_organisms_become_taxa_only_on_an_exact_name() -> None:
    from kg_service.terms.index import taxon_from_text

    assert (
        taxon_from_text("Homo sapiens (human)") == "http://purl.obolibrary.org/obo/NCBITaxon_9606"
    )
    assert (
        taxon_from_text("Caenorhabditis elegans") == "http://purl.obolibrary.org/obo/NCBITaxon_6239"
    )
    assert taxon_from_text("Homo sapien") is None  # a near miss is never guessed
    assert taxon_from_text("Beads") is None and taxon_from_text("simulated data") is None
