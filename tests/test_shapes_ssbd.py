"""The real SSBD instance data gives the findings we expect from the database tier."""

from __future__ import annotations

from kg_service.findings import Severity
from kg_service.pipeline import prepare
from kg_service.validation.shacl import Tier
from tests.conftest import BASE, EXAMPLE_SSBD


def test_ssbd_data_in_the_database_tier() -> None:
    report = prepare([EXAMPLE_SSBD], BASE, Tier.DATABASE)
    assert not report.ok
    mf = [f for f in report.findings if f.shape and f.shape.endswith("/GoMolecularFunction")]
    assert len(mf) == 12  # GO:0005739/0005743/0030061 in is_about_GO_mf (ssbd.md)
    assert {f.value.rsplit("_", 1)[-1] for f in mf if f.value} == {"0005739", "0005743", "0030061"}
    assert all(f.fix and "move it to goCellularComponent" in f.fix for f in mf)
    assert all(f.location.file and f.location.record for f in mf)
    orphan = [f for f in report.findings if "test_instance169" in str(f.location)]
    assert orphan and orphan[0].severity is Severity.WARNING and "no project" in orphan[0].message
    misspelt = [f for f in report.findings if "has_imaging_mehod_recorded_type" in (f.value or "")]
    assert misspelt and all(f.severity is Severity.INFO for f in misspelt)


def test_default_mode_loads_ssbd_and_reports_tier_problems_as_warnings() -> None:
    report = prepare([EXAMPLE_SSBD], BASE)
    assert report.ok and report.tier == "declared"
    mf = [f for f in report.findings if f.shape and f.shape.endswith("/GoMolecularFunction")]
    assert len(mf) == 12 and {f.severity for f in mf} == {Severity.WARNING}
