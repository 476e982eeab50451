"""The one place where read -> map -> validate -> store is sequenced (CLI and API alike).

A submission is all-or-nothing: if any file or project has a violation, nothing is stored;
otherwise all its projects replace their named graphs in a single store transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg_service.findings import Finding, Location, Severity, has_violations
from kg_service.ingest import ReadResult, read_path
from kg_service.rdf import graph_iri, project_graph
from kg_service.store import Store
from kg_service.validate import validate_graph


@dataclass
class PreparedProject:
    """A project mapped to RDF and validated, ready to store."""

    project_id: str
    graph_iri: str
    graph: Graph


@dataclass
class SubmissionReport:
    """What happened to a submission; `stored` is False when it was refused."""

    findings: list[Finding] = field(default_factory=list)
    projects: list[PreparedProject] = field(default_factory=list)
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not has_violations(self.findings)

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "stored": self.stored,
            "projects": [
                {"id": p.project_id, "graph": p.graph_iri, "triples": len(p.graph)}
                for p in self.projects
            ],
            "findings": [f.to_dict() for f in self.findings],
        }


def read_all(paths: Sequence[Path]) -> ReadResult:
    combined = ReadResult()
    for path in paths:
        combined.extend(read_path(path))
    return combined


def prepare(paths: Sequence[Path], base_iri: str) -> SubmissionReport:
    """Read, map and validate without touching any store (what `validate` runs)."""
    read = read_all(paths)
    report = SubmissionReport(findings=list(read.findings))
    seen: set[str] = set()
    for project in read.projects:
        project_id = str(project.id)
        graph, rdf_findings = project_graph(project, base_iri)
        report.findings.extend(rdf_findings)
        shacl = validate_graph(graph, base_iri, read.source_map)
        report.findings.extend(shacl.findings)
        if project_id in seen:
            report.findings.append(
                Finding(
                    Severity.VIOLATION,
                    "the same project appears twice in one submission",
                    Location(record=project_id),
                )
            )
        seen.add(project_id)
        report.projects.append(PreparedProject(project_id, graph_iri(project_id, base_iri), graph))
    return report


def submit(paths: Sequence[Path], store: Store, base_iri: str) -> SubmissionReport:
    """Validate everything, then store all projects in one transaction, or nothing."""
    report = prepare(paths, base_iri)
    if not report.ok or not report.projects:
        return report
    store.replace_graphs(
        {p.graph_iri: list(p.graph.triples((None, None, None))) for p in report.projects}
    )
    report.stored = True
    return report
