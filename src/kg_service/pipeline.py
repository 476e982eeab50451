"""The one place where read -> map -> validate -> store is sequenced (CLI and API alike).

A submission is all-or-nothing: if any file or project has a violation, nothing is stored;
otherwise all its projects replace their named graphs in a single store transaction, together
with one PROV history version per project (submissions/history.py).

Tiers (issue 7): `tier=None` (what `kg-service load` uses) runs the generated shapes strictly
and the hand-written checks of the tier each project *declares* (kg:tier, else repository) as
warnings, so the real SSBD data loads and its problems are still reported. An explicit tier
runs that tier's shapes strictly. Concurrent submissions of one project are serialised with a
per-project lock (`ProjectLocks`); the loser gets `SubmissionConflict` (HTTP 409).
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg_service.findings import Finding, Location, Severity, has_violations
from kg_service.ingest import ReadResult, read_path
from kg_service.rdf import graph_iri, project_graph_parts
from kg_service.store import Store
from kg_service.store.base import Triple
from kg_service.submissions.history import (
    SourceFile,
    VersionInfo,
    history_graph,
    latest_version,
    version_triples,
)
from kg_service.validation.engine import engine_label
from kg_service.validation.shacl import SHAPES_VERSION, ShaclReport, Tier, validate_graph

KG_TIER = URIRef("https://w3id.org/bioimage-kg/vocab/tier")


@dataclass
class PreparedProject:
    """A project mapped to RDF and validated, ready to store."""

    project_id: str
    graph_iri: str
    graph: Graph
    ntriples: str | None = None  # the graph as N-Triples when validation produced it anyway


@dataclass
class SubmissionReport:
    """What happened to a submission; `stored` is False when it was refused."""

    findings: list[Finding] = field(default_factory=list)
    projects: list[PreparedProject] = field(default_factory=list)
    stored: bool = False
    tier: str = "declared"
    versions: dict[str, int] = field(default_factory=dict)  # project id -> stored version
    shacl: list[ShaclReport] = field(default_factory=list)

    @property
    def shacl_reports(self) -> list[Graph]:
        """The standard SHACL report graphs (built on demand: most callers never read them)."""
        return [result.report_graph for result in self.shacl]

    @property
    def ok(self) -> bool:
        return not has_violations(self.findings)

    def hide_folder(self, folder: Path) -> None:
        """Name uploaded files as the submitter did, not by the server's temporary folder."""
        prefix = str(folder).rstrip("/") + "/"
        for index, finding in enumerate(self.findings):
            file = finding.location.file
            if file and file.startswith(prefix):
                location = dataclasses.replace(finding.location, file=file[len(prefix) :])
                self.findings[index] = dataclasses.replace(finding, location=location)

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "stored": self.stored,
            "tier": self.tier,
            "projects": [
                {
                    "id": p.project_id,
                    "graph": p.graph_iri,
                    "triples": len(p.graph),
                    **(
                        {"version": self.versions[p.project_id]}
                        if p.project_id in self.versions
                        else {}
                    ),
                }
                for p in self.projects
            ],
            "findings": [f.to_dict() for f in self.findings],
        }


def read_all(paths: Sequence[Path]) -> ReadResult:
    combined = ReadResult()
    for path in paths:
        combined.extend(read_path(path))
    return combined


def declared_tier(graph: Graph) -> Tier:
    """The tier a project says it targets (kg:tier), repository when it says none."""
    for value in graph.objects(None, KG_TIER):
        if str(value) in {t.value for t in Tier}:
            return Tier(str(value))
    return Tier.REPOSITORY


def check_project(
    graph: Graph, base_iri: str, read: ReadResult, tier: Tier | None, report: SubmissionReport
) -> str | None:
    """SHACL for one project graph: `tier` strictly, or its declared tier as warnings."""
    strict = tier is not None
    chosen = tier if tier is not None else declared_tier(graph)
    shacl = validate_graph(graph, base_iri, read.source_map, chosen, advisory=not strict)
    report.findings.extend(shacl.findings)
    report.shacl.append(shacl)
    return shacl.data_ntriples


def _add_project(
    report: SubmissionReport,
    seen: set[str],
    project_id: str,
    graph: Graph,
    base_iri: str,
    ntriples: str | None = None,
) -> None:
    """Add a prepared project; one submission may not carry the same project twice."""
    if project_id in seen:
        report.findings.append(
            Finding(
                Severity.VIOLATION,
                "the same project appears twice in one submission",
                Location(record=project_id),
            )
        )
    seen.add(project_id)
    iri = graph_iri(project_id, base_iri)
    report.projects.append(PreparedProject(project_id, iri, graph, ntriples))


def prepare(paths: Sequence[Path], base_iri: str, tier: Tier | None = None) -> SubmissionReport:
    """Read, map and validate without touching any store (what `validate` runs)."""
    read = read_all(paths)
    report = SubmissionReport(findings=list(read.findings), tier=tier.value if tier else "declared")
    seen: set[str] = set()
    for project in read.projects:
        project_id = str(project.id)
        graph, prechecked, rdf_findings = project_graph_parts(project, base_iri)
        report.findings.extend(rdf_findings)
        text = check_project(graph, base_iri, read, tier, report)
        if len(prechecked):  # issue 16: image groups, checked by the reader, stored unshaped
            graph += prechecked
            text = None  # the validated text lacks them; the writer serialises the whole graph
        _add_project(report, seen, project_id, graph, base_iri, text)
    for project_id, input_graph in read.graphs:
        graph = rebase_graph(input_graph, base_iri)
        text = check_project(graph, base_iri, read, tier, report)
        _add_project(report, seen, project_id, graph, base_iri, text)
    return report


def rebase_graph(graph: Graph, base_iri: str) -> Graph:
    """Move IRIs from the readers' placeholder base onto the service base IRI."""
    from kg_service.ingest.rdf_input import INPUT_BASE

    def move(term: Node) -> Node:
        text = str(term)
        if isinstance(term, URIRef) and text.startswith(INPUT_BASE):
            return URIRef(base_iri + text[len(INPUT_BASE) :])
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    return out


class BaseIriMismatch(ValueError):
    """The store holds records minted under another base IRI."""


META_GRAPH = "urn:kg-service:meta"
_META_NODE = URIRef("urn:kg-service:store")
_BASE_IRI = URIRef("https://w3id.org/bioimage-kg/vocab/baseIri")


def meta_triples(base_iri: str) -> list[Triple]:
    """The service-metadata graph: the base IRI the store's records are minted under."""
    return [(_META_NODE, _BASE_IRI, Literal(base_iri))]


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


class SubmissionConflict(RuntimeError):
    """Another submission of the same project is in progress or landed first (HTTP 409)."""


class ScopeError(PermissionError):
    """The submitter may not write one of the submission's projects (HTTP 403)."""


class ProjectLocks:
    """Per-project locks of one store: writers of one project never overlap; the second
    writer is refused at once (409) rather than queued behind a slow validation."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held: set[str] = set()

    @contextmanager
    def hold(self, keys: Sequence[str]) -> Iterator[None]:
        with self._guard:
            busy = sorted(set(keys) & self._held)
            if busy:
                raise SubmissionConflict(f"another submission of {', '.join(busy)} is in progress")
            self._held.update(keys)
        try:
            yield
        finally:
            with self._guard:
                self._held.difference_update(keys)


def project_key(project_id: str) -> str:
    return project_id.split("/", 1)[1] if "/" in project_id else project_id


def file_checksums(paths: Sequence[Path]) -> list[SourceFile]:
    return [SourceFile(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]


def validator_name() -> str:
    return engine_label()


@dataclass
class SubmitOptions:
    """Who submits and how strictly; `allowed` says which project keys they may write."""

    tier: Tier | None = None
    agent: str = "cli"
    locks: ProjectLocks | None = None
    allowed: Callable[[str], bool] | None = None
    only_project: str | None = None  # PUT /projects/{key}: the submission must be that project
    # the API always records history; plain `submit(paths, store, base)` callers (tests, the
    # demo loader) keep the store to exactly the project graphs unless they ask for it
    record_history: bool = False


def submit(
    paths: Sequence[Path],
    store: Store,
    base_iri: str,
    options: SubmitOptions | None = None,
) -> SubmissionReport:
    """Validate everything, then store all projects in one transaction, or nothing."""
    options = options or SubmitOptions()
    check_base_iri(store, base_iri)
    report = prepare(paths, base_iri, options.tier)
    keys = [project_key(p.project_id) for p in report.projects]
    _check_scope(keys, options)
    if not report.ok or not report.projects:
        return report
    seen = {key: latest_version(store, key) for key in keys}
    with (options.locks or ProjectLocks()).hold(keys):
        for key, number in seen.items():
            if latest_version(store, key) != number:
                raise SubmissionConflict(f"{key} changed while this submission was validated")
        # the prepared graphs themselves: a copy of 400,000 triples costs seconds (issue 16)
        graphs: dict[str, Iterable[Triple]] = {p.graph_iri: p.graph for p in report.projects}
        graphs[META_GRAPH] = meta_triples(base_iri)
        info = VersionInfo(
            agent=options.agent,
            tier=report.tier,
            validator=validator_name(),
            shapes_version=SHAPES_VERSION,
            files=file_checksums(paths),
        )
        for project, key in zip(report.projects, keys, strict=True):
            if not options.record_history:
                break
            number = seen[key] + 1
            graphs[history_graph(key, number)] = version_triples(
                base_iri, key, number, list(project.graph), info
            )
            report.versions[project.project_id] = number
        store.replace_graphs(graphs)
    report.stored = True
    return report


def _check_scope(keys: list[str], options: SubmitOptions) -> None:
    if options.only_project is not None and keys != [options.only_project]:
        raise ScopeError(
            f"this request replaces {options.only_project}; "
            f"the files hold {', '.join(keys) or 'no project'}"
        )
    if options.allowed is not None:
        refused = [k for k in keys if not options.allowed(k)]
        if refused:
            raise ScopeError(f"the token may not write {', '.join(refused)}")
