"""Each hand-written constraint in shapes/tiers/ fails on a minimal bad example and passes on
a good one (database tier, over a real in-memory graph plus its ontology slice)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg_service.findings import Severity
from kg_service.validation.shacl import Tier, validate_graph

BASE = "http://kg.test/"
GOOD = """
@prefix kg: <https://w3id.org/bioimage-kg/vocab/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix schema: <http://schema.org/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix p: <http://kg.test/projects/> .
@prefix d: <http://kg.test/datasets/> .

p:x a kg:Project ; dcterms:title "T" ; dcterms:description "D" ;
  dcterms:identifier "x" ;
  dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
  dcterms:issued "2024-05-01"^^xsd:date ; dcterms:dateSubmitted "2024-04-01"^^xsd:date ;
  kg:contact <http://kg.test/projects/x/person/1> ; dcterms:hasPart d:x-1 ;
  schema:citation <http://kg.test/projects/x/publication/1> .
<http://kg.test/projects/x/person/1> a kg:Person ; schema:name "A B" ;
  schema:email "a@b.org" ; schema:affiliation <http://kg.test/projects/x/org/1> ;
  kg:orcid <https://orcid.org/0000-0002-1825-0097> .
<https://creativecommons.org/licenses/by/4.0/> a dcterms:LicenseDocument .
<http://creativecommons.org/licenses/by/4.0/> a dcterms:LicenseDocument .
<http://kg.test/projects/x/org/1> a kg:Organization ; schema:name "RIKEN" .
<http://kg.test/projects/x/publication/1> a kg:Publication ;
  kg:doi <https://doi.org/10.1038/s41592-019-0582-9> .
d:x-1 a kg:Dataset ; dcterms:title "S" ; dcterms:identifier "x-1" ; kg:fileFormat "tif" ;
  kg:biosample <http://kg.test/datasets/x-1/biosample/1> ;
  kg:imageAcquisition <http://kg.test/datasets/x-1/acquisition/1> ;
  kg:imageData <http://kg.test/datasets/x-1/image-data> ;
  dcat:distribution <http://kg.test/datasets/x-1/file/1> .
<http://kg.test/datasets/x-1/biosample/1> a kg:Biosample ;
  obo:RO_0002162 obo:NCBITaxon_6239 ; kg:strain <https://cgc.umn.edu/strain/N2> ;
  kg:goMolecularFunction obo:GO_0005515 ; kg:goBiologicalProcess obo:GO_0000278 ;
  kg:goCellularComponent obo:GO_0005739 .
<http://kg.test/datasets/x-1/acquisition/1> a kg:ImageAcquisition ;
  kg:imagingMethod obo:FBbi_00000251 .
<http://kg.test/datasets/x-1/image-data> a kg:ImageData ;
  kg:physicalSizeX <http://kg.test/datasets/x-1/image-data/x> ;
  kg:physicalSizeY <http://kg.test/datasets/x-1/image-data/y> ;
  kg:timeInterval <http://kg.test/datasets/x-1/image-data/t> .
<http://kg.test/datasets/x-1/image-data/x> a kg:Quantity ; schema:value 0.1 ;
  schema:unitCode obo:UO_0000017 .
<http://kg.test/datasets/x-1/image-data/y> a kg:Quantity ; schema:value 0.1 ;
  schema:unitCode obo:UO_0000017 .
<http://kg.test/datasets/x-1/image-data/t> a kg:Quantity ; schema:value 40.0 ;
  schema:unitCode obo:UO_0000010 .
<http://kg.test/datasets/x-1/file/1> a kg:DataFile ; schema:name "a.tif" ;
  dcat:downloadURL <https://example.org/a.tif> ; dcat:byteSize 10 ;
  kg:sha256 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" .
"""


def failing_shapes(turtle: str) -> dict[str, tuple[Severity, str | None, str | None]]:
    """Hand-written shape name -> (severity, offending value, fix) of its findings."""
    report = validate_graph(Graph().parse(data=turtle, format="turtle"), BASE, None, Tier.DATABASE)
    out = {}
    for finding in report.findings:
        if finding.shape and "/shapes/" in finding.shape:
            out[finding.shape.rsplit("/", 1)[-1]] = (finding.severity, finding.value, finding.fix)
    return out


def test_the_good_example_passes_every_hand_written_shape() -> None:
    assert failing_shapes(GOOD) == {}


CASES = [
    (
        "obo:GO_0005515 ; kg:goBiologicalProcess",
        "obo:GO_0005739 ; kg:goBiologicalProcess",
        "GoMolecularFunction",
        "GO:0005739 mitochondrion is a cellular component term",
    ),
    (
        "kg:goBiologicalProcess obo:GO_0000278",
        "kg:goBiologicalProcess obo:GO_0005515",
        "GoBiologicalProcess",
        "molecular function term",
    ),
    (
        "kg:goCellularComponent obo:GO_0005739",
        "kg:goCellularComponent obo:GO_0000278",
        "GoCellularComponent",
        "GO:0000278 mitotic cell cycle is a biological process term",
    ),
    ("obo:NCBITaxon_6239", "<http://example.org/worm>", "OrganismIsTaxon", "NCBITaxon"),
    (
        "kg:imagingMethod obo:FBbi_00000251",
        "kg:imagingMethod obo:FBbi_00000032",
        "ImagingMethodNotObsolete",
        "obsolete",
    ),
    (
        "kg:imagingMethod obo:FBbi_00000251",
        "kg:imagingMethod obo:GO_0005739",
        "ImagingMethodIsFbbi",
        "not an FBbi imaging method",
    ),
    (
        "0000-0002-1825-0097",
        "0000-0002-1825-0098",
        "OrcidCheckDigit",
        "ORCID check digit should be 7",
    ),
    (
        "<https://doi.org/10.1038/s41592-019-0582-9>",
        "<https://doi.org/https://doi.org/10.1038/x>",
        "DoiSyntax",
        "write it as https://doi.org/10.1038/x",
    ),
    (
        "<https://creativecommons.org/licenses/by/4.0/>",
        "<http://creativecommons.org/licenses/by/4.0/>",
        "LicenceKnown",
        "write it as https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "schema:value 0.1 ;\n  schema:unitCode obo:UO_0000017 .\n<http://kg.test/datasets/x-1/image-data/y>",
        "schema:value -0.1 ;\n  schema:unitCode obo:UO_0000017 .\n<http://kg.test/datasets/x-1/image-data/y>",
        "ScaleX",
        None,
    ),
    (
        "schema:value 40.0 ;\n  schema:unitCode obo:UO_0000010",
        "schema:value 40.0 ;\n  schema:unitCode obo:UO_0000017",
        "ScaleT",
        None,
    ),
    ('kg:sha256 "', 'kg:sha256x "', "FileChecksum", None),
    ("dcat:byteSize 10 ;", "", "FileSize", None),
    (
        'dcterms:issued "2024-05-01"^^xsd:date',
        'dcterms:issued "2024-13-45"^^xsd:date',
        "ReleaseDateValid",
        None,
    ),
    ('schema:email "a@b.org" ;', "", "ContactEmail", None),
]


@pytest.mark.parametrize(("good", "bad", "shape", "fix"), CASES, ids=[c[2] for c in CASES])
def test_each_constraint_fails_on_a_minimal_bad_example(
    good: str, bad: str, shape: str, fix: str | None
) -> None:
    assert good in GOOD
    found = failing_shapes(GOOD.replace(good, bad, 1))
    assert shape in found, found
    severity, _value, suggested = found[shape]
    assert severity is Severity.VIOLATION
    if fix is not None:
        assert suggested is not None and fix in suggested


def test_an_unknown_taxon_is_only_a_warning_that_it_could_not_be_checked() -> None:
    found = failing_shapes(GOOD.replace("obo:NCBITaxon_6239", "obo:NCBITaxon_999999999"))
    assert "OrganismIsTaxon" not in found
    assert found["OrganismKnown"][0] is Severity.WARNING


def test_advisory_mode_turns_tier_violations_into_warnings() -> None:
    bad = GOOD.replace("0000-0002-1825-0097", "0000-0002-1825-0098")
    graph = Graph().parse(data=bad, format="turtle")
    strict = validate_graph(graph, BASE, None, Tier.DATABASE)
    advisory = validate_graph(graph, BASE, None, Tier.DATABASE, advisory=True)
    assert not strict.conforms and advisory.conforms
    assert [
        f.severity for f in advisory.findings if f.shape and f.shape.endswith("CheckDigit")
    ] == [Severity.WARNING]


def test_repository_tier_does_not_ask_for_files() -> None:
    bare = GOOD.replace("dcat:byteSize 10 ;", "")
    report = validate_graph(Graph().parse(data=bare, format="turtle"), BASE, None, Tier.REPOSITORY)
    assert report.conforms
