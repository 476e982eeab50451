"""Peer-format readers on real copied files and on small inputs written here for one quirk each.

Copied files: tests/data/{bia,ome,bdml} (see their SOURCES.md). Unlicensed real files are walked
by tests/test_corpus.py instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

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
EFO_HELA = "http://www.ebi.ac.uk/efo/EFO_0001185"


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


# --- issue 16: IDR annotation files, image groups, facets and the gene+phenotype query ------

ANNOTATION = (
    "Plate,Well,Characteristics [Organism],Term Source 1 REF,Term Source 1 Accession,"
    "Characteristics [Cell Line],Term Source 2 REF,Term Source 2 Accession,siRNA Identifier,"
    "Gene Identifier,Gene Symbol,Channels,Phenotype 1,Phenotype 1 Term Name,"
    "Phenotype 1 Term Accession\n"
    "p1,A1,Homo sapiens,NCBITaxon,NCBITaxon_9606,HeLa,EFO,EFO_0001185,s1,ENSG00000075239,"
    "ACAT1,DAPI,mito,protein localized in mitochondrion phenotype,CMPO_0000395\n"
    "p2,A1,Homo sapiens,NCBITaxon,NCBITaxon_9606,HeLa,EFO,EFO_0001185,s2,ENSG00000075239,"
    "ACAT1,DAPI,mito,protein localized in mitochondrion phenotype,CMPO_0000395\n"
    "p1,A2,Homo sapiens,NCBITaxon,NCBITaxon_9606,HeLa,EFO,EFO_0001185,s3,ENSG00000130402,"
    "ACTN4,DAPI,,,\n"
    "p1,A3,Homo sapiens,NCBITaxon,NCBITaxon_9606,HeLa,EFO,EFO_0001185,s4,not-a-gene,"
    "X,DAPI,,,\n"
)
STUDY_FOR_ANNOTATIONS = (
    "Comment[IDR Study Accession]\tidr0999\nStudy Title\tA screen\nStudy License\tCC BY 4.0\n"
    "Screen Number\t1\nComment[IDR Screen Name]\tidr0999-test/screenA\n"
    "Protocol Name\tgrowth\tsiRNA\nProtocol Type\tgrowth protocol\ttreatment protocol\n"
    "Protocol Type Term Source REF\tEFO\tEFO\n"
    "Protocol Type Term Accession\tEFO_0003789\tEFO_0003969\n"
    "Phenotype Name\tmito\nPhenotype Term Source REF\tCMPO\n"
    "Phenotype Term Name\tprotein localized in mitochondrion phenotype\n"
    "Phenotype Term Accession\tCMPO_0000395,CMPO_0000363\n"
)


def _screen(folder: Path, accession: str = "idr0999", rows: str = ANNOTATION) -> tuple[Path, Path]:
    """A study file in `study/` and its annotation file in `annotations/` beside it."""
    (folder / "study").mkdir(parents=True)
    (folder / "annotations").mkdir()
    study = folder / "study" / f"{accession}-study.txt"
    study.write_text(STUDY_FOR_ANNOTATIONS.replace("idr0999", accession), encoding="utf-8")
    annotation = folder / "annotations" / f"{accession}-screenA-annotation.csv"
    annotation.write_text(rows, encoding="utf-8")
    return study, annotation


def test_annotation_rows_become_counted_image_groups(tmp_path: Path) -> None:
    study, annotation = _screen(tmp_path)
    from_study, from_annotation = read_path(study), read_path(annotation)
    assert from_study.projects == from_annotation.projects  # either file stores the same
    [dataset] = from_study.projects[0].datasets
    assert dataset.image_count == 4 and dataset.component_type.code.text == "screen"
    groups = {tuple(g.genes): g for g in dataset.image_groups}
    acat1 = groups[("http://identifiers.org/ensembl/ENSG00000075239",)]
    assert acat1.image_count == 2 and sorted(acat1.sirnas) == ["s1", "s2"]  # wells merged
    assert acat1.phenotypes == ["http://www.ebi.ac.uk/cmpo/CMPO_0000395"]
    assert acat1.cell_lines == ["http://www.ebi.ac.uk/efo/EFO_0001185"]
    assert sum(g.image_count for g in dataset.image_groups) == 4
    findings = from_study.findings
    bad = [f for f in findings if f.value == "not-a-gene"]
    assert bad and bad[0].severity is Severity.WARNING and bad[0].location.line == 5
    assert any("'Channels' (4 values)" in f.message for f in findings)  # reported, not dropped
    [phenotype] = dataset.phenotypes  # the comma-joined accessions were split, with a warning
    assert len(phenotype.terms) == 2
    assert any("joined by a comma" in f.message for f in findings)
    assert [p.protocol_type for p in dataset.protocols] == [
        "http://www.ebi.ac.uk/efo/EFO_0003789",
        "http://www.ebi.ac.uk/efo/EFO_0003969",
    ]


def test_gene_phenotype_query_and_facets_on_stored_groups(tmp_path: Path) -> None:
    from kg_service.pipeline import submit
    from kg_service.search import Query, SearchIndex
    from kg_service.sparql.examples import read_examples
    from kg_service.store import OxigraphStore
    from kg_service.terms.index import shipped_term_index
    from kg_service.terms.ops import load_term_graphs

    study, annotation = _screen(tmp_path)
    store = OxigraphStore(tmp_path / "store")
    try:
        report = submit([study, annotation], store, "http://kg.test/")
        assert report.stored, [str(f) for f in report.findings if f.severity is Severity.VIOLATION]
        load_term_graphs(store, shipped_term_index(), ["cmpo"])
        [example] = [e for e in read_examples("http://kg.test/") if e.name.startswith("18-")]
        rows = list(store.select(example.query))
        assert [(str(r["title"]), int(r["imageCount"])) for r in rows] == [
            ("A screen (screenA)", 2)
        ]  # CMPO:0000395 is below the asked CMPO:0000363
        index = SearchIndex(shipped_term_index(), "http://kg.test/")
        index.build(store)
        gene = index.parse_value("gene", "ENSG00000130402")
        found = index.search(Query(filters={"gene": [gene]}, facets=["gene", "phenotype"]))
        assert found["total"] == 1
        genes = {e["term"]: (e["count"], e["images"]) for e in found["facets"]["gene"]}
        assert genes[gene] == (1, 1)
        [root] = found["facets"]["phenotype"]  # a CMPO tree rolled up to its root
        assert (root["term"], root["count"], root["images"]) == ("CMPO:0000003", 1, 2)
    finally:
        store.close()


def _image_facets(index: Any) -> dict[str, dict[str, tuple[int, int | None]]]:
    """facet -> term -> (datasets, images or None) over every node of every tree."""
    from kg_service.search import Query

    trees = index.search(Query(facet_limit=None))["facets"]
    out: dict[str, dict[str, tuple[int, int | None]]] = {}
    for facet, tree in trees.items():
        todo = list(tree)
        while todo:
            node = todo.pop()
            out.setdefault(facet, {})[node["term"]] = (node["count"], node.get("images"))
            todo += node["children"]
    return out


def test_image_counts_survive_a_restart_and_follow_a_later_screen(tmp_path: Path) -> None:
    """Image counts are kept in the index on disk: a reopened index (not rebuilt) shows
    them, a second screen written afterwards adds to them, and a second reopening still
    shows the sums."""
    from kg_service.pipeline import submit
    from kg_service.search import SearchIndex
    from kg_service.store import OxigraphStore
    from kg_service.terms.index import shipped_term_index

    genes = "http://identifiers.org/ensembl/"
    acat1, actn4, hela = f"{genes}ENSG00000075239", f"{genes}ENSG00000130402", EFO_HELA
    study, annotation = _screen(tmp_path / "a")
    rows = ANNOTATION.splitlines(keepends=True)  # ACTN4 in three wells, no ACAT1
    three_wells = rows[0] + "".join(rows[3].replace("A2", well) for well in ("A2", "B2", "C2"))
    later = _screen(tmp_path / "b", "idr0998", three_wells)
    store = OxigraphStore(tmp_path / "store")
    written: list[str] = []
    store.add_change_listener(written.extend)
    folder = tmp_path / "index"
    try:
        assert submit([study, annotation], store, "http://kg.test/").stored
        first = SearchIndex(shipped_term_index(), "http://kg.test/", folder)
        first.build(store)
        built = _image_facets(first)
        first.close()
        assert built["gene"][acat1] == (1, 2) and built["gene"][actn4] == (1, 1)
        assert built["phenotype"]["CMPO:0000003"] == (1, 2)
        assert built["cell"][hela] == (1, 4)
        assert all(images is None for _n, images in built["license"].values())  # not images

        again = SearchIndex(shipped_term_index(), "http://kg.test/", folder)
        assert again.usable  # read back from disk, not rebuilt
        assert _image_facets(again) == built
        written.clear()
        assert submit(list(later), store, "http://kg.test/").stored
        again.refresh(store, written)
        refreshed = _image_facets(again)
        assert refreshed["gene"][acat1] == (1, 2) and refreshed["gene"][actn4] == (2, 4)
        assert refreshed["cell"][hela] == (2, 7)
        again.close()

        third = SearchIndex(shipped_term_index(), "http://kg.test/", folder)
        assert _image_facets(third) == refreshed
        third.close()
    finally:
        store.close()


def test_ro_crate_compact_iris_and_repairs(tmp_path: Path) -> None:
    crate = {
        "@context": ["https://w3id.org/ro/crate/1.2/context", {"obo": OBO}],
        "@graph": [
            {"@id": "ro-crate-metadata.json", "about": {"@id": "https://x.org/S-1"}},
            {
                "@id": "https://x.org/S-1",
                "@type": "Dataset",
                "identifier": "S-1",
                "name": "A study",
                "measurementMethod": [{"@id": "obo:FBbi_00000253"}, {"@id": "obo:FBbi_ 00000246"}],
                "about": [{"@id": "obo:GO_0005739,obo:NCBITaxon_9606"}, {"@id": "obo:not a term"}],
            },
        ],
    }
    path = tmp_path / "S-1-ro-crate-metadata.json"
    path.write_text(__import__("json").dumps(crate), encoding="utf-8")
    result = read_path(path)
    [dataset] = result.projects[0].datasets
    assert dataset.image_acquisitions[0].imaging_methods == [
        f"{OBO}FBbi_00000253",
        f"{OBO}FBbi_00000246",
    ]
    assert dataset.biosamples[0].organisms == [f"{OBO}NCBITaxon_9606"]
    messages = [f.message for f in _by(result.findings, Severity.WARNING)]
    assert any("broken by a space, joined" in m for m in messages)
    assert any("joined by a comma, split" in m for m in messages)
    assert any("no valid term IRI" in m for m in messages)


def test_bd5lint_column_types_are_checked_with_their_hdf5_path(tmp_path: Path) -> None:
    """bd5lint's type rule: ID, entity, label ... are text; a numeric ID is reported there."""
    import h5py
    import numpy as np

    from kg_service.ingest.bd5 import read_bd5

    path = tmp_path / "numeric_id_bd5.h5"
    with h5py.File(path, "w") as handle:
        data = handle.create_group("data")
        scale = np.array(
            [(b"2D", 1.0, 1.0, b"micrometer")],
            dtype=[("dimension", "S8"), ("xScale", "f8"), ("yScale", "f8"), ("sUnit", "S16")],
        )
        data.create_dataset("scaleUnit", data=scale)
        data.create_dataset(
            "objectDef", data=np.array([(0, b"cell")], dtype=[("oID", "i4"), ("name", "S8")])
        )
        rows = np.array(
            [(7, b"point", 1.0, 2.0)],
            dtype=[("ID", "i4"), ("entity", "S8"), ("x", "f4"), ("y", "f4")],
        )
        data.create_group("0/object").create_dataset("0", data=rows)
    found = [f for f in read_bd5(path).findings if "BD5 (and bd5lint) expect text" in f.message]
    assert [(f.location.hdf5_path, f.location.column) for f in found] == [
        ("/data/0/object/0", "ID")
    ]


def test_dataset_page_lists_annotated_genes_and_phenotypes(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from kg_service.api import create_app
    from kg_service.config import Settings
    from kg_service.pipeline import submit
    from kg_service.store import OxigraphStore

    study, annotation = _screen(tmp_path)
    store = OxigraphStore(tmp_path / "store")
    app = create_app(Settings(store_path=None, base_iri="http://testserver/"), store=store)
    try:
        assert submit([study, annotation], store, "http://testserver/").stored
        page = TestClient(app).get("/datasets/idr0999-screenA").text
        assert '<a href="http://identifiers.org/ensembl/ENSG00000075239">ACAT1</a>' in page
        assert 'href="http://www.ebi.ac.uk/cmpo/CMPO_0000395"' in page
    finally:
        app.state.sparql.close()
        store.close()
