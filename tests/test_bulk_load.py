"""`kg-service load` at scale: folders, worker processes, per-file all-or-nothing, report.

Real parts: generated SSBD instance files on disk, the CLI in a subprocess with two worker
processes, a real on-disk store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_service.bulk import PENDING_GRAPH, LoadOptions, load_files, prepare_file, repair
from kg_service.findings import Severity
from kg_service.pipeline import META_GRAPH, prepare
from kg_service.store import OxigraphStore
from kg_service.synthetic_sources import DEFECT, write_source_files
from kg_service.validation.engine import ENGINE_VARIABLE, Engine

BASE = "http://localhost:8000/"
CLI = [sys.executable, "-m", "kg_service.cli"]


def make_sources(folder: Path) -> list[Path]:
    paths = list(write_source_files(folder, 18, datasets_per_project=3, defect_rate=0.0))
    text = paths[2].read_text(encoding="utf-8")
    start = text.index("ssbd:is_about_organism <")
    end = text.index(">", start)
    broken = f'{text[:start]}ssbd:is_about_organism "{DEFECT}"{text[end + 1 :]}'
    paths[2].write_text(broken, encoding="utf-8")
    return paths


def test_folder_load_stores_each_valid_file_and_reports_every_finding(tmp_path: Path) -> None:
    paths = make_sources(tmp_path / "sources")
    store_dir, report_file = tmp_path / "store", tmp_path / "report.json"
    options = ["--workers", "2", "--report", str(report_file)]
    done = subprocess.run(
        [*CLI, "load", "--store", str(store_dir), *options, str(tmp_path / "sources")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "nothing was stored from them" in done.stderr and paths[2].name in done.stderr
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["summary"]["files"] == 6 and report["summary"]["files_refused"] == 1
    assert report["summary"]["datasets_stored"] == 15
    expected = []
    for path in paths:  # the same findings as validating each file on its own
        expected += [f.to_dict() for f in prepare([path], BASE).findings]
    assert sorted(map(json.dumps, report["findings"])) == sorted(map(json.dumps, expected))
    violation = next(f for f in report["findings"] if f["severity"] == Severity.VIOLATION)
    assert violation["location"]["file"] == str(paths[2])
    store = OxigraphStore(store_dir)
    try:
        graphs = store.graph_names()
        assert len([g for g in graphs if "/graph/" in g]) == 5
        assert PENDING_GRAPH not in graphs
        refused = prepare([paths[2]], BASE).projects[0].graph_iri
        assert refused not in graphs
    finally:
        store.close()


def test_a_crashed_bulk_load_is_removed_before_the_next(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    try:
        half = f"{BASE}graph/half"
        store.replace_graphs_ntriples(
            {
                half: f"<{BASE}projects/half> <urn:x:p> <urn:x:o> .\n",
                PENDING_GRAPH: f"<{PENDING_GRAPH}> <https://w3id.org/bioimage-kg/vocab/"
                f"pendingGraph> <{half}> .\n",
            }
        )
        assert repair(store) == 1
        assert store.graph_names() == []
    finally:
        store.close()


def test_a_study_and_its_annotation_file_in_one_load_are_one_study(tmp_path: Path) -> None:
    """Each reads the other, so loaded together (`make run` loads both folders) the study is
    stored once with its image groups, not refused as the same project twice."""
    from kg_service.bulk import source_files
    from tests.test_ingest_peers import _screen

    study, annotation = _screen(tmp_path / "idr")
    assert source_files([tmp_path / "idr"]) == [study]
    assert source_files([annotation]) == [annotation]  # alone, it brings its study
    done = subprocess.run(
        [*CLI, "load", "--store", str(tmp_path / "store"), str(annotation), str(study)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "0 file(s) refused" in done.stdout and "1 project(s)" in done.stdout
    store = OxigraphStore(tmp_path / "store")
    try:
        group = "<https://w3id.org/bioimage-kg/vocab/imageGroup>"
        rows = store.select(f"SELECT (COUNT(?g) AS ?n) WHERE {{ ?d {group} ?g }}")
        assert int(str(rows[0]["n"])) > 0
    finally:
        store.close()


def test_curated_sources_meet_the_database_tier_and_plain_copies_do_not(tmp_path: Path) -> None:
    """The ingest bench loads both tiers from curated copies of every real SSBD project: each
    must pass the database tier (else the tier's figure would time refusals), while the plain
    copies keep what the real files lack there (release dates, e-mails, file checksums)."""
    from kg_service.validation.shacl import Tier

    seven = 7 * 2  # every real SSBD project once (7 of them, 2 datasets each)
    options = {"datasets_per_project": 2, "defect_rate": 0.0}
    curated = write_source_files(tmp_path / "curated", seven, curated=True, **options)
    plain = list(write_source_files(tmp_path / "plain", seven, **options))
    for path in curated:
        report = prepare([path], BASE, Tier.DATABASE)
        violations = [f.message for f in report.findings if f.severity == Severity.VIOLATION]
        assert not violations, (path.name, violations)
    refused = [p for p in plain if not prepare([p], BASE, Tier.DATABASE).ok]
    assert refused


def test_text_the_shapes_parsed_is_bulk_loaded_leniently_with_the_same_quads(
    tmp_path: Path,
) -> None:
    """The writer skips the engine's IRI checks only for text SHACL's strict parser read;
    what it stores is, term for term, what a strict write of rdflib's own serialisation of
    the same projects stores."""
    paths = list(write_source_files(tmp_path / "src", 6, datasets_per_project=3, defect_rate=0.0))
    projects = [p for path in paths for p in prepare_file(str(path), BASE, None).projects]
    assert projects and all(project.parsed for project in projects)
    lenient, strict = OxigraphStore(tmp_path / "lenient"), OxigraphStore(tmp_path / "strict")
    calls: list[bool] = []
    bulk_add = lenient.bulk_add

    def spy(nquads: bytes, graphs: list[str], *, lenient: bool = False) -> None:
        calls.append(lenient)
        bulk_add(nquads, graphs, lenient=lenient)

    lenient.bulk_add = spy  # type: ignore[method-assign]
    try:
        summary = load_files([tmp_path / "src"], lenient, BASE, LoadOptions(workers=1))
        assert summary.projects == len(projects) and calls == [True]
        graphs = [p for path in paths for p in prepare([path], BASE).projects]
        strict.replace_graphs_ntriples(
            {p.graph_iri: p.graph.serialize(format="nt") for p in graphs}
        )
        meta = ox.NamedNode(META_GRAPH)
        assert {q for q in lenient.engine if q.graph_name != meta} == set(strict.engine)
    finally:
        lenient.close()
        strict.close()


def test_text_no_strict_parser_read_is_not_marked_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Image groups join the graph after validation, and pyshacl reads an rdflib graph: in
    both cases the stored text was never parsed strictly, so the writer checks it."""
    from tests.test_ingest_peers import _screen

    study, _annotation = _screen(tmp_path / "idr")
    assert [p.parsed for p in prepare_file(str(study), BASE, None).projects] == [False]
    (source,) = write_source_files(tmp_path / "src", 2, datasets_per_project=2, defect_rate=0.0)
    assert [p.parsed for p in prepare_file(str(source), BASE, None).projects] == [True]
    monkeypatch.setenv(ENGINE_VARIABLE, Engine.PYSHACL.value)
    assert [p.parsed for p in prepare_file(str(source), BASE, None).projects] == [False]
