"""The one place where read -> map -> validate -> store is sequenced (CLI and API alike).

A submission is all-or-nothing: if any file or project has a violation, nothing is stored;
otherwise all its projects replace their named graphs in a single store transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from kg_service.findings import Finding, Location, Severity, has_violations
from kg_service.ingest import ReadResult, read_path
from kg_service.rdf import graph_iri, project_graph
from kg_service.store import Store
from kg_service.store.base import Triple
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


class BaseIriMismatch(ValueError):
    """The store holds records minted under another base IRI."""


META_GRAPH = "urn:kg-service:meta"
_META_NODE = URIRef("urn:kg-service:store")
_BASE_IRI = URIRef("https://w3id.org/bioimage-kg/vocab/baseIri")


def stored_base_iri(store: Store) -> str | None:
    """The base IRI the store's records were minted under, if any were stored."""
    for _s, _p, value in store.triples(META_GRAPH):
        return str(value)
    return None


def check_base_iri(store: Store, base_iri: str) -> None:
    """Refuse to mix base IRIs in one store: records would exist twice under two names."""
    stored = stored_base_iri(store)
    if stored is not None and stored != base_iri:
        raise BaseIriMismatch(
            f"this store holds records under {stored}, not {base_iri}: "
            "use the same KG_BASE_IRI or another store"
        )


def submit(paths: Sequence[Path], store: Store, base_iri: str) -> SubmissionReport:
    """Validate everything, then store all projects in one transaction, or nothing."""
    check_base_iri(store, base_iri)
    report = prepare(paths, base_iri)
    if not report.ok or not report.projects:
        return report
    graphs: dict[str, list[Triple]] = {p.graph_iri: list(p.graph) for p in report.projects}
    graphs[META_GRAPH] = [(_META_NODE, _BASE_IRI, Literal(base_iri))]
    store.replace_graphs(graphs)
    report.stored = True
    return report
