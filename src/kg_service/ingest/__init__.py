"""Readers: one module per source format, each turning a file into model objects plus findings.

Every reader returns a `ReadResult`. Values that could not be used become findings that name
the exact place in the source (see `kg_service.findings.Location`); `source_map` remembers
where each stored value came from so that later stages (SHACL) can point back to it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

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

    def extend(self, other: ReadResult) -> None:
        self.projects.extend(other.projects)
        self.findings.extend(other.findings)
        self.source_map.update(other.source_map)


class UnsupportedFormat(ValueError):
    """The file is of a kind no reader handles."""


def read_path(path: Path) -> ReadResult:
    """Pick the reader for `path` by its name and read it."""
    name = path.name.lower()
    if name.endswith((".ttl", ".nt", ".owl", ".rdf", ".jsonld", ".nq", ".trig")):
        from kg_service.ingest.ssbd_ontology import read_ssbd_rdf

        return read_ssbd_rdf(path)
    if name.endswith((".xlsx", ".xlsm")):
        from kg_service.ingest.ssbd_template import read_ssbd_template

        return read_ssbd_template(path)
    if name.endswith((".h5", ".hdf5", ".bd5")):
        from kg_service.ingest.bd5 import read_bd5_result

        return read_bd5_result(path)
    result = ReadResult()
    result.findings.append(
        Finding(
            Severity.VIOLATION,
            "no reader for this kind of file (expected SSBD template .xlsx, SSBD RDF or BD5 .h5)",
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
