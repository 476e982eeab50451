"""Every real input file, loaded on its own as `kg-service load FILE` would (issue 16).

Per file: reading never raises; a file that holds published records (SSBD, IDR, BIA, GIDE)
is *stored* (the submission has no violation), with counts taken from the file itself
(datasets, annotated images, organisms, phenotypes); a file that holds no record (schemas,
contexts, documentation, images, blank templates, bd5lint's deliberately broken fixtures,
fragments of the SSBD instance graph) is refused with a located finding that says why.
`prepare` runs the same read -> map -> SHACL steps as `load` without a store.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, read_path
from kg_service.ingest.bdml import read_bdml
from kg_service.ingest.identifiers import CMPO
from kg_service.ingest.idr_annotations import load_rules
from kg_service.model import Project
from kg_service.pipeline import SubmissionReport, prepare
from kg_service.rdf import project_graph
from tests.conftest import SHARED_DATA

DATA = Path(__file__).parent / "data"
PEERS = SHARED_DATA / "peers"
BASE = "http://kg.test/"

# Files that hold no record, with a fragment of the reason `load` gives (relative paths).
NOT_RECORDS = {
    r"SOURCES\.md$|profile\.md$": "no reader",
    r"\.xsd$": "no reader",
    r"\.tif$": "no reader",
    r"gide-search-profile-schema\.json$": "no reader",
    r"(gide-search-context|bia_ro_crate_context)\.jsonld$": "",
    r"bia_ontology\.ttl$|hierarchy_subset\.ttl$|ssbd_core\.owl$": "nothing to load",
    r"ssbd-metadata\.ttl$": "nothing to load",
    r"ssbd/instance/SSBD_(biosample|dataset|dimension|genetic)\.ttl$": "nothing to load",
    r"ssbd/instance/SSBD_(imaging_method|instrument|reagent|zarr)\.ttl$": "nothing to load",
    r"idr/templates/idr0000-study_(HCS|nonHCS)\.txt$": "blank IDR study template",
    r"rembi/REMBI-template_CAi_VF(_AS)?\.xlsx$": "no 'common' sheet",
    r"bd5/lint/dimension_entity\.xlsx$": "no 'common' sheet",
    r"bd5/samples/sample_worm\.csv$": "no 'Item' header",
    # bd5lint's own failing fixtures: each must fail here too, at its HDF5 path
    r"bd5/lint/testbd5_data1\.h5$": "no /data group",
    r"bd5/lint/testbd5_data_0_object_t1\.h5$": "not an oID declared",
    r"bd5/lint/testbd5_dim_2t_bd5\.h5$": "not applicable for dimension 2D+T",
    r"bd5/lint/testbd5_object1\.h5$": "where BD5 requires 'object'",
    r"bd5/lint/testbd5_objectDef1\.h5$": "/data/objectDef is missing",
}


def _files() -> list[Path]:
    roots = [PEERS, SHARED_DATA / "ssbd"]
    return sorted(p for r in roots if r.is_dir() for p in r.rglob("*") if p.is_file())


def _relative(path: Path) -> str:
    return path.relative_to(SHARED_DATA).as_posix()


def _not_a_record(path: Path) -> str | None:
    rel = _relative(path)
    return next((why for rx, why in NOT_RECORDS.items() if re.search(rx, rel)), None)


# --- counts taken from the files themselves ----------------------------------------------------


def _idr_components(path: Path) -> int:
    text = path.read_text(encoding="utf-8", errors="replace")
    return len(re.findall(r"^(Screen|Experiment) Number\t", text, re.MULTILINE)) or 1


def _annotation_rows(path: Path) -> tuple[int, set[str], Counter[str]]:
    """Data rows, CMPO accessions and non-empty cells per column of an annotation CSV."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    header, body = rows[0], rows[1:]
    phenotypes = {
        CMPO + c.strip()
        for r in body
        for h, c in zip(header, r, strict=False)
        if re.match(r"Phenotype \d+ Term Accession", h) and c.strip()
    }
    filled = Counter(h.strip() for r in body for h, c in zip(header, r, strict=False) if c.strip())
    return len(body), phenotypes, filled


def _pagetab_components(data: object) -> int:
    found = 0
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if str(node.get("type", "")).casefold() == "study component":
                found += 1
            stack.extend(v for v in node.values() if isinstance(v, list | dict))
    return found


def _crate_components(data: dict[str, object]) -> int:
    ids = {str(e.get("@id")) for e in data["@graph"] if isinstance(e, dict)}  # type: ignore[attr-defined,union-attr]
    numbered = {m.group(1, 2) for i in ids if (m := re.match(r"#(screen|experiment)-\w+-(\d+)", i))}
    return len(numbered) or 1


def _check_counts(path: Path, projects: list[Project]) -> None:
    """What the file says against what was stored, for the formats with countable parts."""
    name = path.name
    datasets = sum(len(p.datasets) for p in projects)
    if re.match(r"idr\d{4}-study\.txt$", name):
        assert len(projects) == 1
        annotations = {str(d.id) for d in projects[0].datasets if d.image_groups}
        assert datasets >= _idr_components(path) and len(annotations) <= datasets
    elif name.endswith("-annotation.csv"):
        rows, phenotypes, _filled = _annotation_rows(path)
        component = name.split("-")[1]
        [dataset] = [d for p in projects for d in p.datasets if str(d.id).endswith(component)]
        assert dataset.image_count == rows
        assert sum(g.image_count for g in dataset.image_groups) == rows
        assert {p for g in dataset.image_groups for p in g.phenotypes} == phenotypes
    elif path.parent.name == "pagetab":
        assert datasets == _pagetab_components(json.loads(path.read_text(encoding="utf-8")))
    elif name.endswith("ro-crate-metadata.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert datasets == _crate_components(data)
        text = path.read_text(encoding="utf-8")
        taxa = set(re.findall(r"(?:NCBITaxon_|taxonomy/)(\d+)", text))
        stored = {
            o.rsplit("_", 1)[1]
            for p in projects
            for d in p.datasets
            for b in d.biosamples
            for o in b.organisms
        }
        assert stored <= {str(int(t)) for t in taxa}
    elif name == "bia-study-metadata.json":
        assert len(projects) == len(json.loads(path.read_text(encoding="utf-8")))
    elif path.suffix == ".h5":
        assert datasets == 1 and projects[0].datasets[0].analysed_data


def _annotation_columns_reported(path: Path, result: ReadResult) -> None:
    """0 values dropped without a finding: every filled column is stored or reported."""
    _rows, _phenotypes, filled = _annotation_rows(path)
    reported = " ".join(
        f.message for f in result.findings if str(path.name) in str(f.location.file)
    )
    rules = load_rules()
    for column in filled:
        name = " ".join(column.split())
        rule = next((r for r in rules if r.pattern.match(name)), None)
        if (rule is None or not rule.slot) and not re.match(r"Term Source \d+", name):
            assert repr(" ".join(column.split())) in reported, column


@pytest.mark.corpus
def test_every_shared_file_is_stored_or_says_why() -> None:
    files = _files()
    assert len(files) > 140
    stored: list[str] = []
    for path in files:
        report: SubmissionReport = prepare([path], BASE)  # never raises
        why = _not_a_record(path)
        violations = [f for f in report.findings if f.severity is Severity.VIOLATION]
        if why is None:
            assert report.ok and report.projects, (
                _relative(path),
                [str(v) for v in violations][:3],
            )
            stored.append(_relative(path))
        else:
            assert not (report.ok and report.projects), _relative(path)
            assert any(why in f.message for f in violations), (
                _relative(path),
                [str(v) for v in violations][:3],
            )
            assert all(f.location.file or f.location.record for f in violations)
    assert len(stored) >= 112, len(stored)


@pytest.mark.corpus
def test_shared_files_keep_their_counts_and_report_unused_values() -> None:
    for path in _files():
        if _not_a_record(path) is not None or path.suffix in {
            ".ttl",
            ".owl",
            ".xlsx",
            ".ome",
            ".xml",
        }:
            continue
        result = read_path(path)
        assert result.projects, _relative(path)
        for project in result.projects:
            _, problems = project_graph(project, BASE)
            assert not problems, [str(p) for p in problems]
        _check_counts(path, result.projects)
        if path.name.endswith("-annotation.csv"):
            _annotation_columns_reported(path, result)


@pytest.mark.corpus
def test_bia_ro_crates_expand_compact_iris_from_their_context() -> None:
    """All BIA crates write `obo:FBbi_...`; each must come out as the full FBbi IRI."""
    for path in sorted((PEERS / "bia" / "ro-crates").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        written = set(re.findall(r'"obo:(FBbi_\d{8})"', text))
        [project] = read_path(path).projects
        methods = {
            m for d in project.datasets for a in d.image_acquisitions for m in a.imaging_methods
        }
        assert {f"http://purl.obolibrary.org/obo/{w}" for w in written} <= methods, path.name


@pytest.mark.corpus
def test_idr_study_repairs_are_reported_where_they_happen() -> None:
    study = PEERS / "idr" / "study"
    spilled = read_path(study / "idr0027-study.txt")
    roles = [f for f in spilled.findings if "was inside the quoted value" in f.message]
    assert roles and roles[0].location.line == 34
    [project] = spilled.projects
    assert [p.roles for p in project.contacts if p.roles]  # the swallowed row was read
    continued = read_path(study / "idr0148-study.txt")
    assert any("continuation of 'Protocol Description'" in f.message for f in continued.findings)
    protocols = [p for d in continued.projects[0].datasets for p in d.protocols]
    assert any("Omero and PathViewer" in (p.description or "") for p in protocols)


@pytest.mark.corpus
def test_pagetab_title_at_the_root_is_read() -> None:
    [project] = read_path(PEERS / "bia" / "pagetab" / "S-BIAD590.json").projects
    assert project.title and project.title.startswith("A deep-learning classifier")


@pytest.mark.corpus
def test_bdml30_validates_against_shared_xsd() -> None:
    bdml = SHARED_DATA / "ssbd" / "bdml"
    result = read_bdml(bdml / "140911_DiR_x1_worm1_bdml3.0.xml", schema_dirs=[bdml])
    assert not [f for f in result.findings if f.severity is Severity.VIOLATION]
    assert not [f for f in result.findings if "no XSD" in f.message]


@pytest.mark.parametrize(
    "path",
    sorted(
        p
        for d in ("bia", "ome", "bdml")
        for p in (DATA / d).rglob("*")
        if p.suffix in {".json", ".xml", ".ome"}
    ),
    ids=lambda p: p.name,
)
def test_copied_corpus_file_is_stored(path: Path) -> None:
    report = prepare([path], BASE)
    assert report.ok and report.projects, [
        str(f) for f in report.findings if f.severity is Severity.VIOLATION
    ]
