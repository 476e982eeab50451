"""SHACL validation of one submission's graph, with results turned into located findings.

Shapes are read once per process from shapes/ (the generated file plus hand-written ones).
Following the measurements in ../shared/notes/perf.md we validate the small in-memory rdflib
graph of the submission, never the store, with inference off.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import SourceMap
from kg_service.paths import knowledge_dir
from kg_service.rdf import slot_rules

SH = Namespace("http://www.w3.org/ns/shacl#")
_SEVERITY = {
    SH.Violation: Severity.VIOLATION,
    SH.Warning: Severity.WARNING,
    SH.Info: Severity.INFO,
}
VOCAB = "https://w3id.org/bioimage-kg/vocab/"


@cache
def shapes_graph() -> Graph:
    """All SHACL files under shapes/, parsed once."""
    graph = Graph()
    for path in sorted(knowledge_dir("shapes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool
    findings: list[Finding]
    report_graph: Graph


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


def validate_graph(data: Graph, base_iri: str, source_map: SourceMap | None = None) -> ShaclReport:
    """Run the shapes over `data`; each result becomes a Finding pointing at its source."""
    conforms, report, _text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)
    findings = []
    # top-level results only: pyshacl also types nested sh:detail results as results
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        message = report.value(result, SH.resultMessage)
        severity_iri = report.value(result, SH.resultSeverity)
        severity = _SEVERITY.get(URIRef(str(severity_iri)), Severity.VIOLATION)
        focus_class = _class_name(data, focus) if focus is not None else None
        slot = _slot_name(focus_class, path)
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
            )
        )
    findings.sort(key=lambda f: (f.location.record or "", f.location.field or "", f.message))
    return ShaclReport(bool(conforms), findings, report)


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


def term_uri(text: str) -> URIRef:
    return URIRef(text)
