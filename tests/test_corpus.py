"""Walk every real input file (copied into tests/data and unlicensed ones in ../shared/data).

Per file: `read_path` must return (never raise), and the result must match what we know about
the file: how many projects/datasets it yields, or which located finding it must produce.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, read_path
from kg_service.ingest.bdml import read_bdml
from kg_service.rdf import project_graph
from tests.conftest import SHARED_DATA

DATA = Path(__file__).parent / "data"
PEERS = SHARED_DATA / "peers"
SKIP_SUFFIXES = {".md", ".yml", ".xlsx", ".tif", ".obo", ".xsd"}

# file name -> (projects, datasets in the first project)
EXPECTED_COUNTS = {
    "idr0001-study.txt": (1, 1),
    "idr0013-study.txt": (1, 2),
    "idr0038-study.txt": (1, 3),
    "idr0148-study.txt": (1, 1),
    "S-BIAD1043.json": (1, 3),
    "S-BIAD1982.json": (1, 6),
    "S-BIAD2808.json": (1, 8),
    "S-BIAD15.json": (1, 0),
    "simple.ome.xml": (1, 8),
    "MBLipOverviewBee1.companion.ome": (1, 1),
    "140911_DiR_x1_worm1_bdml3.0.xml": (1, 1),
    "212-Kajikawa-GeckoEmbryos-ro-crate-metadata.json": (1, 1),
    "idr0038-ro-crate-metadata.json": (1, 1),
}
# file name -> (severity, message fragment, location attribute that must be set)
EXPECTED_FINDINGS = {
    "idr0032-study.txt": (Severity.WARNING, "no licence", "field"),
    "idr0001-study.txt": (Severity.WARNING, "not a valid IRI", "line"),
    "S-BIAD2235.json": (Severity.WARNING, "placeholder", "json_pointer"),
    "140911_DiR_x1_worm1_bdml3.0.xml": (Severity.WARNING, "BD5 data file is missing", "line"),
    "212-Kajikawa-GeckoEmbryos-ro-crate-metadata.json": (
        Severity.WARNING,
        "invalid IRI",
        "json_pointer",
    ),
    "131-Wen-NeuronalNucDyn-ro-crate-metadata.json": (
        Severity.WARNING,
        "invalid IRI",
        "json_pointer",
    ),
    "bia-study-metadata.json": (Severity.VIOLATION, "no reader for this kind of file", "file"),
}


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in SKIP_SUFFIXES)


def _check(path: Path, result: ReadResult) -> None:
    assert isinstance(result, ReadResult)
    for project in result.projects:
        _, problems = project_graph(project, "http://kg.test/")
        assert not problems, [str(p) for p in problems]
    if path.name in EXPECTED_COUNTS:
        projects, datasets = EXPECTED_COUNTS[path.name]
        assert len(result.projects) == projects
        assert len(result.projects[0].datasets) == datasets
    if path.name in EXPECTED_FINDINGS:
        severity, fragment, attribute = EXPECTED_FINDINGS[path.name]
        hits = [f for f in result.findings if f.severity is severity and fragment in f.message]
        assert hits, [str(f) for f in result.findings][:10]
        assert all(getattr(f.location, attribute) is not None for f in hits)
    assert all(f.location.file == str(path) or f.source != "reader" for f in result.findings[:1])


@pytest.mark.parametrize(
    "path",
    _files(DATA / "bia") + _files(DATA / "ome") + _files(DATA / "bdml"),
    ids=lambda p: p.name,
)
def test_copied_corpus_file(path: Path) -> None:
    _check(path, read_path(path))


@pytest.mark.corpus
def test_shared_corpus_files() -> None:
    """Every unlicensed real file in ../shared/data/peers and ssbd/bdml (one test, many files)."""
    files = _files(PEERS) + _files(SHARED_DATA / "ssbd" / "bdml")
    assert len(files) > 90
    seen = set()
    for path in files:
        _check(path, read_path(path))
        seen.add(path.name)
    assert {n for n in EXPECTED_COUNTS if n in seen} and {n for n in EXPECTED_FINDINGS if n in seen}


@pytest.mark.corpus
def test_bdml30_validates_against_shared_xsd() -> None:
    bdml = SHARED_DATA / "ssbd" / "bdml"
    result = read_bdml(bdml / "140911_DiR_x1_worm1_bdml3.0.xml", schema_dirs=[bdml])
    assert not [f for f in result.findings if f.severity is Severity.VIOLATION]
    assert not [f for f in result.findings if "no XSD" in f.message]
    broken = (bdml / "140911_DiR_x1_worm1_bdml3.0.xml").read_text(encoding="utf-8")
    assert "<release>" in broken
