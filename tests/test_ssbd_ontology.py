"""The SSBD ontology instance reader on the real SSBD release (shipped under examples/)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from kg_service.findings import Severity
from kg_service.ingest.ssbd_ontology import read_ssbd_rdf
from tests.conftest import EXAMPLE_SSBD

OBO = "http://purl.obolibrary.org/obo/"


def source_counts_per_organism() -> Counter[str]:
    """Datasets per organism as the source file itself says (its own vocabulary), for
    datasets that belong to a project; the Dictyostelium biosamples use IAO 'is about'."""
    store = ox.Store()
    store.load(path=str(EXAMPLE_SSBD), format=ox.RdfFormat.TURTLE)
    query = """
    PREFIX ssbd: <http://ssbd.riken.jp/ontology/>
    PREFIX obo: <http://purl.obolibrary.org/obo/>
    SELECT ?org (COUNT(DISTINCT ?d) AS ?n) WHERE {
      ?p ssbd:has_dataset_output ?d . ?d ssbd:has_biosample_information ?b .
      { ?b ssbd:is_about_organism ?org } UNION { ?b obo:IAO_0000136 ?org }
    } GROUP BY ?org"""
    return Counter({row["org"].value: int(row["n"].value) for row in store.query(query)})


def test_reads_all_projects_and_datasets() -> None:
    result = read_ssbd_rdf(EXAMPLE_SSBD)
    assert len(result.projects) == 7
    assert sum(len(p.datasets) for p in result.projects) == 66
    keys = sorted(str(p.id) for p in result.projects)
    assert "projects/ssbd-2" in keys and "projects/ssbd-199" in keys
    assert not [f for f in result.findings if f.severity is Severity.VIOLATION]


def test_organisms_match_the_source() -> None:
    result = read_ssbd_rdf(EXAMPLE_SSBD)
    ours: Counter[str] = Counter()
    for project in result.projects:
        for dataset in project.datasets:
            for organism in {o for b in dataset.biosamples for o in b.organisms}:
                ours[str(organism)] += 1
    assert ours == source_counts_per_organism()
    assert ours[f"{OBO}NCBITaxon_10090"] == 46
    assert ours[f"{OBO}NCBITaxon_6239"] == 3


def test_quirks_are_reported_not_hidden() -> None:
    findings = read_ssbd_rdf(EXAMPLE_SSBD).findings
    orphan = [f for f in findings if "belongs to no project" in f.message]
    assert len(orphan) == 1
    assert orphan[0].location.record is not None
    assert orphan[0].location.record.endswith("ssbd-dataset-test_instance169-Fig1a")
    misspelt = [f for f in findings if "has_imaging_mehod_recorded_type" in (f.value or "")]
    assert misspelt and all(f.severity is Severity.INFO for f in misspelt)
    unmapped = [f for f in findings if "not mapped" in f.message]
    assert unmapped and all(f.value for f in unmapped)


def test_scales_dimensions_and_zarr_links() -> None:
    result = read_ssbd_rdf(EXAMPLE_SSBD)
    datasets = {str(d.id): d for p in result.projects for d in p.datasets}
    fig2 = datasets["datasets/ssbd-199-Fig2_BrainSliceRGB"]
    image = next(iter(fig2.image_data))
    assert str(image.ome_zarr_url).endswith("Fig2_BrainSliceRGB.zarr")
    assert image.viewer_url and "vizarr" in str(image.viewer_url)
    assert any(str(f.url) == str(image.ome_zarr_url) for f in fig2.files)
    wt = datasets["datasets/ssbd-2-wt_N2_030303_01"]
    scales = next(iter(wt.image_data))
    assert scales.physical_size_x is not None
    assert scales.physical_size_x.unit == f"{OBO}UO_0000017"
    assert scales.size_x and scales.size_t


def test_broken_rdf_gives_a_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://a> <http://b> .", encoding="utf-8")
    result = read_ssbd_rdf(bad)
    assert result.projects == []
    assert result.findings[0].severity is Severity.VIOLATION
    assert result.findings[0].location.file == str(bad)
