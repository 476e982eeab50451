"""Readers: one module per source format, each turning a file into model objects plus findings.

Every reader returns a `ReadResult`. Values that could not be used become findings that name
the exact place in the source (see `kg_service.findings.Location`); `source_map` remembers
where each stored value came from so that later stages (SHACL) can point back to it too.

May import: model, rdf, rdf_convert, terms.index, findings, normalize, paths. Readers never
write: nothing here imports the store, the pipeline, the API or the web pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from rdflib import Graph

from kg_service.findings import Finding, Location, Severity
from kg_service.model import Project, Record

RecordT = TypeVar("RecordT", bound=Record)

# (record id, slot name) -> where the value was read
SourceMap = dict[tuple[str, str], Location]


@dataclass
class ReadResult:
    """What a reader produced from one source file."""

    projects: list[Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source_map: SourceMap = field(default_factory=dict)
    # projects read as ready-made RDF (our own vocabulary): (project id, graph whose IRIs are
    # under `rdf_input.INPUT_BASE`, rebased onto the service base IRI by the pipeline)
    graphs: list[tuple[str, Graph]] = field(default_factory=list)

    def extend(self, other: ReadResult) -> None:
        """Add another file's result. A project read whole a second time (an IDR study file
        and its annotation file both read the study with all its annotations) is kept once,
        with its findings once, rather than refused as the same project twice."""
        repeated = [p for p in other.projects if p in self.projects]
        if repeated:
            seen = set(self.findings)
            self.findings.extend(f for f in other.findings if f not in seen)
        else:
            self.findings.extend(other.findings)
        self.projects.extend(p for p in other.projects if p not in repeated)
        self.graphs.extend(other.graphs)
        self.source_map.update(other.source_map)


def read_path(path: Path) -> ReadResult:
    """Pick the reader for `path` by its name, sniffing content where names are ambiguous.

    `.json` may be PageTab, a GIDE RO-Crate or JSON-LD; `.xml` may be BDML or OME-XML; `.txt`
    is an IDR study file. Every reader turns bad input into findings, never a traceback.
    """
    from kg_service.ingest.dispatch import reader_for

    reader = reader_for(path)
    if reader is not None:
        return reader(path)
    result = ReadResult()
    result.findings.append(
        Finding(
            Severity.VIOLATION,
            "no reader for this kind of file (expected SSBD template .xlsx/.csv, SSBD RDF, BD5 .h5,"
            " BDML/OME-XML, IDR study .txt or annotation .csv, BIA PageTab or RO-Crate .json)",
            Location(file=str(path)),
        )
    )
    return result


_PLACEHOLDER = "\x00missing"


def build_record(cls: type[RecordT], **values: object) -> RecordT:
    """Construct a model object even when required values are missing.

    The generated classes refuse to exist without their required slots, but a reader should
    not decide that: the SHACL stage reports every missing value with its record, field and
    source location, in the same report as everything else. So missing required values are
    filled with a placeholder for construction and then set back to None.
    """
    missing = [name for name in required_slots(cls.__name__) if values.get(name) in (None, "", [])]
    record: RecordT = cls(**{**values, **dict.fromkeys(missing, _PLACEHOLDER)})
    for name in missing:
        setattr(record, name, None)
    return record


def required_slots(class_name: str) -> list[str]:
    from kg_service.rdf import required_slot_names

    return required_slot_names(class_name)
