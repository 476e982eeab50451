"""SHACL validation of one submission's graph, with results turned into located findings.

Shapes are read once per process from shapes/ (the generated file plus hand-written ones).
Following the measurements in ../shared/notes/perf.md we validate the small in-memory rdflib
graph of the submission, never the store, with inference off.

Tiers (issue 7): with a `Tier` the hand-written shapes of shapes/tiers/ run too, over the
submission plus its ontology slice (slice.py). `advisory=True` reports their
violations as warnings: that is how `kg-service load` accepts the real SSBD data, which breaks
the strict tiers, while still telling the curator what is wrong.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from functools import cache

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import SourceMap
from kg_service.paths import knowledge_dir
from kg_service.rdf import slot_rules
from kg_service.terms.index import TermIndex, shipped_term_index
from kg_service.validation.engine import SH, Engine, Outcome, Result, run_shacl
from kg_service.validation.fixes import SHAPES, fix_for
from kg_service.validation.slice import Fact, full_taxonomy_installed, slice_facts

_SEVERITY = {
    SH.Violation: Severity.VIOLATION,
    SH.Warning: Severity.WARNING,
    SH.Info: Severity.INFO,
}
VOCAB = "https://w3id.org/bioimage-kg/vocab/"


SHAPES_VERSION = "1"  # bump when a hand-written shape changes meaning (recorded in history)


class Tier(StrEnum):
    """SSBD's two metadata tiers, selectable per submission."""

    REPOSITORY = "repository"
    DATABASE = "database"


# constraint families that only check values which are present run in both tiers; the tier
# files (and complete file lists) decide what must be present
_FAMILIES = (
    "organism.ttl",
    "go_branches.ttl",
    "imaging_method.ttl",
    "identifiers.ttl",
    "licence.ttl",
    "scales.ttl",
    "dates.ttl",
)
TIER_FILES: dict[Tier, tuple[str, ...]] = {
    Tier.REPOSITORY: ("repository.ttl", *_FAMILIES),
    Tier.DATABASE: ("repository.ttl", "database.ttl", "data_files.ttl", *_FAMILIES),
}


@cache
def shapes_graph() -> Graph:
    """All SHACL files under shapes/, parsed once."""
    graph = Graph()
    for path in sorted(knowledge_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@cache
def tier_shapes_graph(tier: Tier) -> Graph:
    """Generated shapes plus one tier's hand-written files, parsed once per process."""
    graph = Graph()
    graph += shapes_graph()
    folder = knowledge_dir("shapes") / "tiers"
    for name in TIER_FILES[tier]:
        graph.parse(folder / name, format="turtle")
    return graph


class ShaclReport:
    """Findings of one validation; the standard report graph is built only when read."""

    def __init__(self, conforms: bool, findings: list[Finding], outcome: Outcome) -> None:
        self.conforms = conforms
        self.findings = findings
        self._outcome = outcome

    @property
    def report_graph(self) -> Graph:
        return self._outcome.graph

    @property
    def data_ntriples(self) -> str | None:
        """The validated graph as N-Triples, when the engine took it as text (else None)."""
        return self._outcome.data_ntriples


def _slot_name(focus_class: str | None, path: Node | None) -> str | None:
    """Map a SHACL result path back to the schema slot name the submitter knows."""
    if path is None:
        return None
    if focus_class:
        for name, rule in slot_rules(focus_class).items():
            if rule.predicate == path:
                return name
    return str(path)


def _class_name(data: Graph, focus: Node) -> str | None:
    for type_iri in data.objects(focus, RDF.type):
        text = str(type_iri)
        if text.startswith(VOCAB):
            return text[len(VOCAB) :]
    return None


def validate_graph(
    data: Graph,
    base_iri: str,
    source_map: SourceMap | None = None,
    tier: Tier | None = None,
    *,
    advisory: bool = False,
    index: TermIndex | None = None,
    engine: Engine | None = None,
) -> ShaclReport:
    """Run the shapes over `data`; each result becomes a Finding pointing at its source.

    Without `tier` only the generated shapes run (the model's own constraints). With one,
    the tier's hand-written shapes run too, over `data` plus its ontology slice.
    """
    shapes = shapes_graph()
    facts: list[Fact] = []
    if tier is not None:
        index = index or shipped_term_index()
        shapes = tier_shapes_graph(tier)
        facts = list(slice_facts(data, index))
    outcome = run_shacl(data, shapes, engine, facts)
    findings = _findings(outcome.results, data, base_iri, source_map)
    conforms = outcome.conforms
    if tier is not None:
        assert index is not None
        findings = [_adjust(f, index, advisory) for f in findings]
        conforms = not any(f.severity is Severity.VIOLATION for f in findings)
    return ShaclReport(conforms, findings, outcome)


def _adjust(finding: Finding, index: TermIndex, advisory: bool) -> Finding:
    """Add the fix of a hand-written shape; apply the taxonomy and advisory severity rules."""
    shape = finding.shape or ""
    if not shape.startswith(SHAPES):
        return finding
    severity = finding.severity
    if shape.endswith("/OrganismKnown") and full_taxonomy_installed(index):
        severity = Severity.VIOLATION
    if advisory and severity is Severity.VIOLATION:
        severity = Severity.WARNING
    return replace(finding, severity=severity, fix=fix_for(shape, finding.value, index))


def _findings(
    results: list[Result], data: Graph, base_iri: str, source_map: SourceMap | None
) -> list[Finding]:
    """Top-level SHACL results as located findings, sorted by record and field."""
    findings = []
    for result in results:
        focus, path, value, shape = result.focus, result.path, result.value, result.shape
        message = result.message
        severity = _SEVERITY.get(URIRef(str(result.severity)), Severity.VIOLATION)
        focus_class = _class_name(data, focus) if focus is not None else None
        slot = (
            _slot_name(focus_class, path)
            if path is None or isinstance(path, URIRef)
            else _shape_name(shape)  # a path through several nodes: name the check instead
        )
        record = str(focus)[len(base_iri) :] if str(focus).startswith(base_iri) else str(focus)
        where = _source_of(source_map or {}, record, slot)
        location = Location(
            file=where.file if where else None,
            sheet=where.sheet if where else None,
            row=where.row if where else None,
            column=where.column if where else None,
            line=where.line if where else None,
            hdf5_path=where.hdf5_path if where else None,
            json_pointer=where.json_pointer if where else None,
            record=record,
            field=slot,
        )
        findings.append(
            Finding(
                severity,
                _plain_message(focus_class, slot, str(message) if message else "constraint failed"),
                location,
                value=str(value) if value is not None else None,
                source="shacl",
                shape=str(shape) if isinstance(shape, URIRef) else None,
            )
        )
    # a total order (value and shape break ties), so both engines list findings alike
    findings.sort(
        key=lambda f: (
            f.location.record or "",
            f.location.field or "",
            f.message,
            f.value or "",
            f.shape or "",
        )
    )
    return findings


def _shape_name(shape: Node | None) -> str | None:
    if isinstance(shape, URIRef) and str(shape).startswith(SHAPES):
        return str(shape)[len(SHAPES) :]
    return None


def _source_of(source_map: SourceMap, record: str, slot: str | None) -> Location | None:
    """Where the offending value came from; for a missing value, where its record came from."""
    found = source_map.get((record, slot or ""))
    if found is not None:
        return found
    for (record_id, _slot), location in source_map.items():
        if record_id == record:
            return Location(
                file=location.file, sheet=location.sheet, row=location.row, line=location.line
            )
    return None


def _plain_message(focus_class: str | None, slot: str | None, message: str) -> str:
    """Prefix the engine's message with what the submitter knows: the record kind and field."""
    subject = " ".join(p for p in (focus_class, slot) if p)
    return f"{subject}: {message}" if subject else message
