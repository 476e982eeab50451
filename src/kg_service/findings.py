"""One finding type for every stage (readers, term checks, SHACL), so reports look the same.

Submitters need to know *where* a problem is, so every finding carries a source location
that names the file and, depending on the format, sheet/row/column, line, HDF5 path or
JSON pointer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a finding is: a violation refuses the submission, the others are reported."""

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """Where in the source a value came from. Only the fields that apply are set."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    hdf5_path: str | None = None
    json_pointer: str | None = None
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.hdf5_path:
            parts.append(f"HDF5 {self.hdf5_path}")
        if self.json_pointer is not None:
            parts.append(f"JSON {self.json_pointer or '/'}")
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts) or "(unknown location)"

    def to_dict(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies, and reports of a bulk load hold 10^5 of these
        return {name: v for name in _LOCATION_FIELDS if (v := getattr(self, name)) is not None}


_LOCATION_FIELDS = tuple(f.name for f in fields(Location))


@dataclass(frozen=True)
class Finding:
    """A problem (or remark) about one value of one source, with a suggested fix where known."""

    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    value: str | None = None
    fix: str | None = None
    source: str = "reader"
    shape: str | None = None  # IRI of the SHACL shape that failed (SHACL findings only)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.to_dict(),
            "where": str(self.location),
            "source": self.source,
        }
        if self.value is not None:
            data["value"] = self.value
        if self.fix is not None:
            data["fix"] = self.fix
        if self.shape is not None:
            data["shape"] = self.shape
        return data

    def __str__(self) -> str:
        text = f"{self.severity.value.upper()}: {self.location}: {self.message}"
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f" - {self.fix}"
        return text


def has_violations(findings: list[Finding]) -> bool:
    """True when any finding would refuse a submission."""
    return any(f.severity is Severity.VIOLATION for f in findings)
