"""Reader for BD5 (HDF5) quantitative data: a summary for the graph plus located findings.

BD5 files hold tracked objects (points, lines, faces, circles, spheres) per time point. The graph
only needs a summary (dimension, scales, counts, tracks), but submitters need to know exactly
*where* a file breaks the format, so every problem becomes a `Finding` carrying the HDF5 path
(and column or row where it applies) instead of an exception.

Real files differ in ways the spec allows, so the reader never relies on layout details:
compound columns are read by field name (there are padding gaps), numeric columns may be stored
as strings, tables may be shaped (N, 1), PyTables attributes and a stray `/__db__` group are
ignored, and time groups ("0", "1", ...) are sorted numerically. Which columns and entities a
dimension allows is declarative (loaders/bd5_rules.yaml, from bd5lint's rules table).

Speed: each table is read whole with one HDF5 call and handled as numpy columns; cross-table
checks (track links, feature rows) use sorted unique arrays, not per-row Python loops.
Memory: a table whose declared size exceeds `MAX_TABLE_BYTES` is reported, never read.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, cast

import h5py
import numpy as np
import yaml
from numpy.typing import NDArray

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import ReadResult, SourceMap, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, slug
from kg_service.model import AnalysedData, DataFile, Dataset, Project, Quantity
from kg_service.normalize import unit
from kg_service.paths import knowledge_dir

MEDIA_TYPE = "application/x-hdf5"
DATA_FORMAT = "BD5"
# A table declaring more bytes than this is not read (a malformed or hostile file can declare
# a huge extent backed by almost no storage). Real BD5 tables are kilobytes.
MAX_TABLE_BYTES = 256 * 1024 * 1024
LABEL_SAMPLE_SIZE = 20
# Per-row findings (dangling track links) are listed up to this many, then summarised.
MAX_LISTED_ROWS = 20

_DATA = "data"
_IGNORED_ROOT_MEMBERS = frozenset({"__db__"})  # h5serv bookkeeping in the bd5lint fixtures
_DATA_TABLES = ("scaleUnit", "objectDef", "featureDef", "trackInfo")
_REQUIRED_DATA_TABLES = ("scaleUnit", "objectDef")
_NUMERIC_OBJECT_COLUMNS = ("t", "x", "y", "z", "radius", "sID")
_SCALE_COLUMNS = ("xScale", "yScale", "zScale", "tScale")
_FEATURE_COLUMNS = ("ID", "fID", "value")
_NEAR_MISS_CUTOFF = 0.75

Column = NDArray[Any]


# --- rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRule:
    """Which columns of one table are required, optional or not applicable."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    not_applicable: tuple[str, ...]


@dataclass(frozen=True)
class DimensionRule:
    """What one `dimension` value (e.g. "3D+T") allows."""

    entities: frozenset[str]
    scale_unit: ColumnRule
    object: ColumnRule


@dataclass(frozen=True)
class Bd5Rules:
    """The whole rules table (loaders/bd5_rules.yaml)."""

    entity_kinds: tuple[str, ...]
    object_required: tuple[str, ...]
    object_optional: tuple[str, ...]
    entity_columns: Mapping[str, tuple[str, ...]]
    dimensions: Mapping[str, DimensionRule]

    def known_object_columns(self) -> frozenset[str]:
        """Every object column some rule mentions; anything else is foreign to BD5."""
        names = set(self.object_required) | set(self.object_optional)
        for columns in self.entity_columns.values():
            names.update(columns)
        for rule in self.dimensions.values():
            names.update(rule.object.required + rule.object.optional)
            names.update(rule.object.not_applicable)
        return frozenset(names)


def _column_rule(data: Mapping[str, Any]) -> ColumnRule:
    return ColumnRule(
        required=tuple(data.get("required") or ()),
        optional=tuple(data.get("optional") or ()),
        not_applicable=tuple(data.get("not_applicable") or ()),
    )


def load_rules(path: Path | None = None) -> Bd5Rules:
    """Parse a rules file; without `path`, the curated loaders/bd5_rules.yaml."""
    source = path or knowledge_dir("loaders") / "bd5_rules.yaml"
    with source.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    dimensions = {
        str(name): DimensionRule(
            entities=frozenset(spec.get("entities") or ()),
            scale_unit=_column_rule(spec["scale_unit"]),
            object=_column_rule(spec["object"]),
        )
        for name, spec in data["dimensions"].items()
    }
    return Bd5Rules(
        entity_kinds=tuple(data["entity_kinds"]),
        object_required=tuple(data["object_common"]["required"]),
        object_optional=tuple(data["object_common"].get("optional") or ()),
        entity_columns={k: tuple(v) for k, v in (data.get("entity_columns") or {}).items()},
        dimensions=dimensions,
    )


@cache
def default_rules() -> Bd5Rules:
    """The curated rules, parsed once per process (the reader runs per upload)."""
    return load_rules()


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureDef:
    """One row of /data/featureDef."""

    name: str
    unit: str | None


@dataclass
class Bd5Summary:
    """What a BD5 file contains, as counts and scales (never the coordinates themselves)."""

    dimension: str | None = None
    x_scale: float | None = None
    y_scale: float | None = None
    z_scale: float | None = None
    space_unit: str | None = None
    t_scale: float | None = None
    time_unit: str | None = None
    # Scale values as written (e.g. "0.24"), so quantities keep the file's precision.
    scale_texts: dict[str, str] = field(default_factory=dict)
    object_defs: dict[int, str] = field(default_factory=dict)
    feature_defs: dict[int, FeatureDef] = field(default_factory=dict)
    time_points: int = 0
    # Objects are distinct IDs per table: a face or line spans several rows (one per vertex).
    objects_per_entity: dict[str, int] = field(default_factory=dict)
    object_count: int = 0
    row_count: int = 0
    label_count: int = 0
    label_sample: list[str] = field(default_factory=list)
    track_link_count: int = 0
    division_count: int = 0
    size_bytes: int = 0
    sha256: str = ""


@dataclass
class Bd5Result:
    """Everything `read_bd5` produced; model objects are None when the file is not BD5."""

    summary: Bd5Summary | None = None
    analysed_data: AnalysedData | None = None
    data_file: DataFile | None = None
    findings: list[Finding] = field(default_factory=list)
    source_map: SourceMap = field(default_factory=dict)


# --- findings ------------------------------------------------------------------------------


@dataclass
class _Entry:
    severity: Severity
    message: str
    path: str
    column: str | None
    row: int | None
    value: str | None
    fix: str | None
    count: int = 1


class _Report:
    """Collects findings, merging repeats of one defect into one finding.

    A defect copied into every time point (a misplaced z column in 100 tables) is one thing for
    the submitter to fix, so it is reported once at its first place, with the number of places.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self._entries: dict[Hashable, _Entry] = {}

    def add(
        self,
        severity: Severity,
        message: str,
        path: str,
        *,
        column: str | None = None,
        row: int | None = None,
        value: str | None = None,
        fix: str | None = None,
        key: Hashable | None = None,
    ) -> None:
        entry_key = key if key is not None else (path, message, column, row)
        existing = self._entries.get(entry_key)
        if existing is not None:
            existing.count += 1
            return
        self._entries[entry_key] = _Entry(severity, message, path, column, row, value, fix)

    def findings(self) -> list[Finding]:
        result: list[Finding] = []
        for entry in self._entries.values():
            message = entry.message
            if entry.count > 1:
                message += f" (same in {entry.count} places; the first is shown)"
            location = Location(
                file=self.file, hdf5_path=entry.path, column=entry.column, row=entry.row
            )
            result.append(Finding(entry.severity, message, location, entry.value, entry.fix))
        return result


# --- small value helpers -------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as clean text: bytes decoded, NUL padding and whitespace stripped."""
    if isinstance(value, bytes | np.bytes_):
        return bytes(value).decode("utf-8", "replace").strip("\x00 \t\r\n")
    if isinstance(value, np.floating):
        return np.format_float_positional(value, trim="-")
    return str(value).strip()


def _float(value: Any) -> float | None:
    """A finite number, whether stored as a number or as text ("0.24"); else None."""
    if isinstance(value, np.integer | np.floating | int | float):
        number = float(value)
    else:
        try:
            number = float(_text(value))
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def _bytes_column(column: Column) -> NDArray[np.bytes_]:
    """A column of identifiers as one fixed-width bytes array, so ID sets compare directly.

    IDs are S-strings in practice, but the spec allows other types; converting everything to
    bytes keeps `np.isin`/`np.unique` working across tables written by different tools.
    """
    kind = column.dtype.kind
    if kind == "S":
        return cast(NDArray[np.bytes_], column)
    if kind == "U":
        return np.char.encode(column, "utf-8")
    if kind == "O":  # variable-length strings
        items = [v if isinstance(v, bytes) else str(v).encode("utf-8") for v in column]
        return np.array(items, dtype=bytes) if items else np.array([], dtype="S1")
    return column.astype(str).astype(bytes)


def _first_non_number(column: Column) -> int | None:
    """Index of the first cell of a text column that is not a number, or None if all are.

    The vectorised conversion succeeds on valid data; only a failing column is scanned cell
    by cell to find the row to report.
    """
    try:
        column.astype(np.float64)
    except (ValueError, TypeError):
        for index, cell in enumerate(column):
            if _float(cell) is None:
                return index
    return None


def _union(chunks: list[NDArray[np.bytes_]]) -> NDArray[np.bytes_]:
    """Sorted unique union of already-unique ID arrays (one array needs no work)."""
    if not chunks:
        return np.array([], dtype="S1")
    if len(chunks) == 1:
        return chunks[0]
    return np.unique(np.concatenate(chunks))


def _near_miss(expected: str, names: Iterable[str]) -> str | None:
    """A member whose name looks like a typo of `expected` ("data1" for "data")."""
    candidates = [n for n in names if n != expected]
    prefixed = [n for n in candidates if n.lower().startswith(expected.lower())]
    if prefixed:
        return prefixed[0]
    close = difflib.get_close_matches(expected, candidates, n=1, cutoff=_NEAR_MISS_CUTOFF)
    return close[0] if close else None


def _file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of the file, read in blocks so memory stays flat for large files."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


# --- reading tables ------------------------------------------------------------------------


class _Context:
    """State shared while walking one file: rules, findings and running totals."""

    def __init__(self, report: _Report, rules: Bd5Rules) -> None:
        self.report = report
        self.rules = rules
        self.summary = Bd5Summary()
        self.dimension_rule: DimensionRule | None = None
        self.object_tables: set[str] | None = None  # None: objectDef unusable, skip the check
        self.feature_tables: set[str] | None = None
        self.entity_objects: Counter[str] = Counter()
        self.id_chunks: list[NDArray[np.bytes_]] = []
        self.label_chunks: list[NDArray[np.bytes_]] = []
        self.known_object_columns = rules.known_object_columns()


def _read_table(obj: Any, path: str, ctx: _Context, *, kind: str) -> NDArray[Any] | None:
    """Read one compound table whole, as a flat record array, or report why it cannot be.

    `kind` groups the findings of tables of the same role (e.g. all object tables named "0").
    """
    report = ctx.report
    if not isinstance(obj, h5py.Dataset):
        report.add(
            Severity.VIOLATION,
            "expected a table (compound dataset) but found a group",
            path,
            key=("not-a-table", kind),
        )
        return None
    dtype = obj.dtype  # h5py rebuilds the dtype on every access
    if dtype.names is None:
        report.add(
            Severity.VIOLATION,
            f"expected a table with named columns, found a plain {dtype} array",
            path,
            key=("not-compound", kind),
        )
        return None
    declared = int(obj.size) * int(dtype.itemsize)
    if declared > MAX_TABLE_BYTES:
        report.add(
            Severity.VIOLATION,
            f"table declares shape {obj.shape} ({declared / 2**20:,.0f} MiB), beyond the "
            f"reader's limit of {MAX_TABLE_BYTES / 2**20:,.0f} MiB; not read",
            path,
            value=str(obj.shape),
            key=("too-large", path),
        )
        return None
    try:
        data = np.asarray(obj[()])
    except (OSError, ValueError, TypeError) as exc:
        report.add(Severity.VIOLATION, f"table could not be read: {exc}", path)
        return None
    return data.reshape(-1)  # (N, 1)-shaped tables written from numpy read like (N,)


def _check_columns(
    columns: Iterable[str],
    rule: ColumnRule,
    path: str,
    ctx: _Context,
    *,
    table: str,
    scope: str,
    not_applicable_severity: Severity = Severity.VIOLATION,
) -> None:
    """Report required columns that are missing and not-applicable columns that are present.

    `scope` says whose rule it is ("for dimension 2D+T", "in every object table").
    """
    present = set(columns) - {""}
    report = ctx.report
    for name in rule.required:
        if name not in present:
            report.add(
                Severity.VIOLATION,
                f"column '{name}' is missing; it is required {scope}",
                path,
                column=name,
                key=("missing-column", table, name),
            )
    for name in rule.not_applicable:
        if name in present:
            report.add(
                not_applicable_severity,
                f"column '{name}' is not applicable {scope}",
                path,
                column=name,
                fix=f"drop '{name}' or declare a dimension that has it",
                key=("not-applicable-column", table, name),
            )


def _read_scale_unit(data: Any, ctx: _Context) -> None:
    """Read /data/scaleUnit: the dimension decides every later column and entity check."""
    path = "/data/scaleUnit"
    table = _read_table(data["scaleUnit"], path, ctx, kind="scaleUnit")
    if table is None:
        return
    report = ctx.report
    if len(table) == 0:
        report.add(Severity.VIOLATION, "scaleUnit has no row", path)
        return
    if len(table) > 1:
        report.add(
            Severity.WARNING, f"scaleUnit has {len(table)} rows; only the first is used", path
        )
    row = table[0]
    columns = [n for n in table.dtype.names or () if n]
    summary = ctx.summary
    if "dimension" not in columns:
        report.add(Severity.VIOLATION, "column 'dimension' is missing", path, column="dimension")
    else:
        _set_dimension(_text(row["dimension"]), path, ctx)
    rule = ctx.dimension_rule
    if rule is not None and summary.dimension is not None:
        _check_columns(
            columns,
            rule.scale_unit,
            path,
            ctx,
            table="scaleUnit",
            scope=f"for dimension {summary.dimension}",
            not_applicable_severity=Severity.WARNING,
        )
    _read_scales(row, columns, path, ctx)


def _set_dimension(text: str, path: str, ctx: _Context) -> None:
    key = text.upper().replace(" ", "")
    if key in ctx.rules.dimensions:
        ctx.summary.dimension = key
        ctx.dimension_rule = ctx.rules.dimensions[key]
        return
    ctx.report.add(
        Severity.VIOLATION,
        "unknown dimension; later column and entity checks that depend on it are skipped",
        path,
        column="dimension",
        value=text,
        fix="one of " + ", ".join(ctx.rules.dimensions),
    )


def _read_scales(row: Any, columns: list[str], path: str, ctx: _Context) -> None:
    """Scale values and units; numbers may be stored as text (140911 writes "0.24")."""
    summary = ctx.summary
    for name in _SCALE_COLUMNS:
        if name not in columns:
            continue
        raw = row[name]
        number = _float(raw)
        if number is None:
            ctx.report.add(
                Severity.VIOLATION, f"'{name}' is not a number", path, column=name, value=_text(raw)
            )
            continue
        summary.scale_texts[name] = _text(raw)
        setattr(summary, f"{name[0]}_scale", number)
        if number <= 0:
            ctx.report.add(
                Severity.WARNING, f"'{name}' is not positive", path, column=name, value=_text(raw)
            )
    for name, slot in (("sUnit", "space_unit"), ("tUnit", "time_unit")):
        if name in columns:
            text = _text(row[name])
            setattr(summary, slot, text or None)
            if text and unit(text) is None:
                ctx.report.add(
                    Severity.WARNING,
                    "unit not recognised; kept as text without a UO term",
                    path,
                    column=name,
                    value=text,
                )


def _read_object_defs(data: Any, ctx: _Context) -> None:
    """Read /data/objectDef: object tables must be named after one of its oIDs."""
    path = "/data/objectDef"
    table = _read_table(data["objectDef"], path, ctx, kind="objectDef")
    if table is None:
        return
    names = table.dtype.names or ()
    if not _has_columns(names, ("oID", "name"), path, ctx):
        return
    definitions: dict[int, str] = {}
    for index, (raw_id, raw_name) in enumerate(zip(table["oID"], table["name"], strict=True)):
        number = _float(raw_id)
        if number is None or number != int(number):
            ctx.report.add(
                Severity.VIOLATION,
                "oID is not a whole number",
                path,
                column="oID",
                row=index,
                value=_text(raw_id),
            )
            continue
        if int(number) in definitions:
            ctx.report.add(
                Severity.VIOLATION,
                "duplicate oID",
                path,
                column="oID",
                row=index,
                value=_text(raw_id),
            )
        definitions[int(number)] = _text(raw_name)
    ctx.summary.object_defs = definitions
    ctx.object_tables = {str(oid) for oid in definitions}


def _read_feature_defs(data: Any, ctx: _Context) -> None:
    """Read /data/featureDef (optional): feature tables must be named after an fID."""
    path = "/data/featureDef"
    table = _read_table(data["featureDef"], path, ctx, kind="featureDef")
    if table is None:
        return
    names = table.dtype.names or ()
    if not _has_columns(names, ("fID", "name"), path, ctx):
        return
    units = table["fUnit"] if "fUnit" in names else [None] * len(table)
    definitions: dict[int, FeatureDef] = {}
    for index, (raw_id, raw_name, raw_unit) in enumerate(
        zip(table["fID"], table["name"], units, strict=True)
    ):
        number = _float(raw_id)
        if number is None or number != int(number):
            ctx.report.add(
                Severity.VIOLATION,
                "fID is not a whole number",
                path,
                column="fID",
                row=index,
                value=_text(raw_id),
            )
            continue
        unit_text = _text(raw_unit) if raw_unit is not None else ""
        definitions[int(number)] = FeatureDef(_text(raw_name), unit_text or None)
    ctx.summary.feature_defs = definitions
    ctx.feature_tables = {str(fid) for fid in definitions}


def _has_columns(names: Iterable[str], required: Iterable[str], path: str, ctx: _Context) -> bool:
    present = set(names)
    missing = [name for name in required if name not in present]
    for name in missing:
        ctx.report.add(Severity.VIOLATION, f"column '{name}' is missing", path, column=name)
    return not missing


# --- time points ---------------------------------------------------------------------------


def _read_time_point(group: Any, name: str, ctx: _Context) -> None:
    """One time group: its object tables, then its feature tables (checked against them)."""
    path = f"/data/{name}"
    report = ctx.report
    if not isinstance(group, h5py.Group):
        report.add(Severity.VIOLATION, "time point must be a group", path, key=("tp-not-group",))
        return
    members = list(group.keys())
    object_ids: list[NDArray[np.bytes_]] = []
    misnamed: str | None = None
    if "object" in members:
        object_ids = _read_object_group(group["object"], f"{path}/object", ctx)
    else:
        misnamed = _report_missing_member(members, "object", path, ctx)
    if "feature" in members:
        _read_feature_group(group["feature"], f"{path}/feature", object_ids, ctx)
    for member in members:
        if member not in ("object", "feature", misnamed):
            report.add(
                Severity.WARNING,
                f"unexpected member '{member}' in a time point; ignored",
                f"{path}/{member}",
                key=("tp-unexpected", member),
            )


def _report_missing_member(
    members: list[str], expected: str, path: str, ctx: _Context
) -> str | None:
    """Report a missing member; returns the misnamed member that explains it, if any."""
    near = _near_miss(expected, [m for m in members if m != "feature"])
    if near is not None:
        ctx.report.add(
            Severity.VIOLATION,
            f"time point has '{near}' where BD5 requires '{expected}'; its tables are not read",
            f"{path}/{near}",
            fix=f"rename '{near}' to '{expected}'",
            key=("misnamed-member", expected, near),
        )
        return near
    ctx.report.add(
        Severity.WARNING,
        f"time point has no '{expected}' group",
        path,
        key=("no-member", expected),
    )
    return None


def _read_object_group(group: Any, path: str, ctx: _Context) -> list[NDArray[np.bytes_]]:
    """All object tables of one time point; returns their ID columns for the feature check."""
    if not isinstance(group, h5py.Group):
        ctx.report.add(Severity.VIOLATION, "'object' must be a group", path, key=("obj-not-group",))
        return []
    ids: list[NDArray[np.bytes_]] = []
    for table_name, table in group.items():
        table_path = f"{path}/{table_name}"
        if ctx.object_tables is not None and table_name not in ctx.object_tables:
            declared = ", ".join(sorted(ctx.object_tables)) or "none"
            ctx.report.add(
                Severity.VIOLATION,
                f"object table '{table_name}' is not an oID declared in /data/objectDef "
                f"(declared: {declared})",
                table_path,
                value=table_name,
                fix="name each object table after its oID in /data/objectDef",
                key=("undeclared-object-table", table_name),
            )
        found = _read_object_table(table, table_path, table_name, ctx)
        if found is not None:
            ids.append(found)
    return ids


def _read_object_table(
    obj: Any, path: str, table_name: str, ctx: _Context
) -> NDArray[np.bytes_] | None:
    """Validate and count one object table; returns its ID column as bytes."""
    table = _read_table(obj, path, ctx, kind=f"object/{table_name}")
    if table is None:
        return None
    columns = [n for n in table.dtype.names or () if n]
    entities, inverse = _entities(table, columns, path, table_name, ctx)
    _check_object_columns(columns, set(entities), path, table_name, ctx)
    _check_numeric_columns(table, columns, path, table_name, ctx)
    _check_column_types(table, columns, path, table_name, ctx)
    ctx.summary.row_count += len(table)
    ids = _bytes_column(table["ID"]) if "ID" in columns else np.array([], dtype="S1")
    if "ID" not in columns:
        unique_ids, first = ids, np.arange(len(table))
    elif len(entities) > 1:  # which entity each object has needs its first row
        unique_ids, first = np.unique(ids, return_index=True)
    else:
        unique_ids = np.unique(ids)
        first = np.arange(len(unique_ids))
    _count_objects(entities, inverse, first, ctx)
    if "label" in columns:  # made unique once at the end: one sort instead of one per table
        ctx.label_chunks.append(_bytes_column(table["label"]))
    ctx.id_chunks.append(unique_ids)
    return ids


def _entities(
    table: NDArray[Any], columns: list[str], path: str, table_name: str, ctx: _Context
) -> tuple[list[str], NDArray[np.intp]]:
    """Distinct entity names of a table and, per row, the index of its entity.

    Checks each distinct value once (not per row) against the dimension's allowed entities.
    """
    if "entity" not in columns or len(table) == 0:
        return [], np.zeros(len(table), dtype=np.intp)
    column = table["entity"]
    if bool((column == column[0]).all()):  # the usual case: one entity per table, no sort
        values, inverse = column[:1], np.zeros(len(column), dtype=np.intp)
    else:
        values, inverse = np.unique(column, return_inverse=True)
    names = [_text(v).lower() for v in values]
    rules, rule = ctx.rules, ctx.dimension_rule
    dimension = ctx.summary.dimension
    for name in names:
        if name not in rules.entity_kinds:
            ctx.report.add(
                Severity.VIOLATION,
                f"unknown entity '{name}'",
                path,
                column="entity",
                value=name,
                fix="one of " + ", ".join(rules.entity_kinds),
                key=("unknown-entity", name),
            )
        elif rule is not None and name not in rule.entities:
            allowed = ", ".join(e for e in rules.entity_kinds if e in rule.entities) or "none"
            ctx.report.add(
                Severity.VIOLATION,
                f"entity '{name}' is not allowed for dimension {dimension} (allowed: {allowed})",
                path,
                column="entity",
                value=name,
                key=("entity-not-allowed", name),
            )
    return names, inverse.reshape(-1).astype(np.intp)


def _check_object_columns(
    columns: list[str], entities: set[str], path: str, table_name: str, ctx: _Context
) -> None:
    """Columns against the rules: common, per dimension, per entity (radius), and unknown."""
    rules, rule = ctx.rules, ctx.dimension_rule
    dimension = ctx.summary.dimension or "?"
    common = ColumnRule(rules.object_required, rules.object_optional, ())
    _check_columns(columns, common, path, ctx, table=table_name, scope="in every object table")
    if rule is not None:
        scope = f"for dimension {dimension}"
        _check_columns(columns, rule.object, path, ctx, table=table_name, scope=scope)
    present = set(columns)
    for entity in sorted(entities):
        for name in rules.entity_columns.get(entity, ()):
            if name not in present:
                ctx.report.add(
                    Severity.VIOLATION,
                    f"column '{name}' is missing; '{entity}' rows need it",
                    path,
                    column=name,
                    key=("entity-column-missing", table_name, entity, name),
                )
    needed_by_entities = {c for e in entities for c in rules.entity_columns.get(e, ())}
    not_applicable = set(rule.object.not_applicable) if rule else set()
    for name in columns:
        if name in not_applicable:
            continue
        if name not in ctx.known_object_columns:
            message = f"column '{name}' is not a BD5 object column; ignored"
        elif (
            name in {c for cols in rules.entity_columns.values() for c in cols}
            and name not in needed_by_entities
            and entities
        ):
            message = f"column '{name}' is present but no row's entity uses it; ignored"
        else:
            continue
        ctx.report.add(
            Severity.WARNING, message, path, column=name, key=("extra-column", table_name, name)
        )


# bd5lint's type lists: these columns must be text, these integers (coordinates and scales may
# be numbers or text, checked by `_check_numeric_columns`)
_TEXT_COLUMNS = ("ID", "entity", "label", "name", "dimension", "sUnit", "tUnit", "from", "to")
_INTEGER_COLUMNS = ("oID", "sID", "fID")


def _check_column_types(
    table: NDArray[Any], columns: list[str], path: str, table_name: str, ctx: _Context
) -> None:
    """bd5lint's column types: text columns hold text, ID-like numbers integers (warnings:
    the values still read correctly, but bd5lint rejects the file)."""
    for name in columns:
        kind = table[name].dtype.kind
        wrong = (name in _TEXT_COLUMNS and kind not in "SUO") or (
            name in _INTEGER_COLUMNS and kind not in "iu"
        )
        if wrong:
            expected = "text" if name in _TEXT_COLUMNS else "integers"
            ctx.report.add(
                Severity.WARNING,
                f"column '{name}' holds {table[name].dtype} values; BD5 (and bd5lint) expect"
                f" {expected}",
                path,
                column=name,
                key=("column-type", table_name, name),
            )


def _check_numeric_columns(
    table: NDArray[Any], columns: list[str], path: str, table_name: str, ctx: _Context
) -> None:
    """Coordinates stored as text (allowed by the spec) must still parse as numbers."""
    for name in _NUMERIC_OBJECT_COLUMNS:
        if name not in columns:
            continue
        column = table[name]
        if column.dtype.kind in "biuf":
            continue
        bad = _first_non_number(column)
        if bad is not None:
            ctx.report.add(
                Severity.VIOLATION,
                f"column '{name}' holds a value that is not a number",
                path,
                column=name,
                row=bad,
                value=_text(column[bad]),
                key=("not-a-number", table_name, name),
            )


def _count_objects(
    entities: list[str], inverse: NDArray[np.intp], first: NDArray[np.intp], ctx: _Context
) -> None:
    """Count distinct objects per entity: an object's entity is that of its first row."""
    if not entities:
        ctx.entity_objects["(no entity)"] += len(first)
        return
    if len(entities) == 1:
        ctx.entity_objects[entities[0]] += len(first)
        return
    counts = np.bincount(inverse[first], minlength=len(entities))
    for name, count in zip(entities, counts.tolist(), strict=True):
        if count:
            ctx.entity_objects[name] += int(count)


def _read_feature_group(
    group: Any, path: str, object_ids: list[NDArray[np.bytes_]], ctx: _Context
) -> None:
    """Feature tables of one time point: declared fID, columns, rows pointing at objects."""
    if not isinstance(group, h5py.Group):
        ctx.report.add(Severity.VIOLATION, "'feature' must be a group", path, key=("ft-not-group",))
        return
    for table_name, obj in group.items():
        table_path = f"{path}/{table_name}"
        if ctx.feature_tables is None:
            ctx.report.add(
                Severity.VIOLATION,
                "feature tables are present but /data/featureDef is missing or unreadable",
                "/data/featureDef",
                key=("no-featureDef",),
            )
        elif table_name not in ctx.feature_tables:
            ctx.report.add(
                Severity.VIOLATION,
                f"feature table '{table_name}' is not an fID declared in /data/featureDef",
                table_path,
                value=table_name,
                key=("undeclared-feature-table", table_name),
            )
        table = _read_table(obj, table_path, ctx, kind=f"feature/{table_name}")
        if table is None:
            continue
        names = table.dtype.names or ()
        _check_columns(
            names,
            ColumnRule(_FEATURE_COLUMNS, (), ()),
            table_path,
            ctx,
            table=f"feature/{table_name}",
            scope="in every feature table",
        )
        if "ID" in names and len(table):
            _check_feature_ids(_bytes_column(table["ID"]), object_ids, table_path, ctx)


def _check_feature_ids(
    ids: NDArray[np.bytes_], object_ids: list[NDArray[np.bytes_]], path: str, ctx: _Context
) -> None:
    """Feature rows must name objects of the same time point.

    Writers list features in object order, so an element-wise comparison settles the usual
    case without sorting; otherwise fall back to a set test.
    """
    if any(len(col) == len(ids) and np.array_equal(col, ids) for col in object_ids):
        return
    known = _union([np.unique(col) for col in object_ids])
    missing = np.flatnonzero(~np.isin(ids, known))
    if missing.size:
        row = int(missing[0])
        ctx.report.add(
            Severity.VIOLATION,
            f"{missing.size} feature row(s) refer to object IDs not in this time point",
            path,
            column="ID",
            row=row,
            value=_text(ids[row]),
            key=("feature-dangling-id",),
        )


# --- tracks --------------------------------------------------------------------------------


def _read_tracks(data: Any, ctx: _Context) -> None:
    """trackInfo: count links and divisions, and check every link's IDs exist.

    bd5lint does not check the references; a file reusing IDs across time points has links
    pointing nowhere, which breaks lineage queries, so each such link is reported.
    """
    path = "/data/trackInfo"
    table = _read_table(data["trackInfo"], path, ctx, kind="trackInfo")
    if table is None:
        return
    names = table.dtype.names or ()
    if not _has_columns(names, ("from", "to"), path, ctx):
        return
    sources, targets = _bytes_column(table["from"]), _bytes_column(table["to"])
    summary = ctx.summary
    summary.track_link_count = len(table)
    if len(table):
        _, children = np.unique(sources, return_counts=True)
        summary.division_count = int(np.count_nonzero(children >= 2))
    if summary.dimension and "+T" not in summary.dimension and len(table):
        ctx.report.add(
            Severity.WARNING, f"track links in a dataset without time ({summary.dimension})", path
        )
    known = _union(ctx.id_chunks)
    _report_dangling(sources, targets, known, path, ctx)


def _report_dangling(
    sources: NDArray[np.bytes_],
    targets: NDArray[np.bytes_],
    known: NDArray[np.bytes_],
    path: str,
    ctx: _Context,
) -> None:
    bad_from = ~np.isin(sources, known)
    bad_to = ~np.isin(targets, known)
    rows = np.flatnonzero(bad_from | bad_to)
    for row in rows[:MAX_LISTED_ROWS].tolist():
        missing = [
            _text(ids[row])
            for ids, bad in ((sources, bad_from), (targets, bad_to))
            if bool(bad[row])
        ]
        ctx.report.add(  # bd5lint does not check links; a published sample has such links
            Severity.WARNING,
            "track link refers to object ID(s) found in no object table: " + ", ".join(missing),
            path,
            row=row,
            value=f"{_text(sources[row])} -> {_text(targets[row])}",
            fix="use the IDs of the linked objects (IDs must be unique across time points)",
        )
    if rows.size > MAX_LISTED_ROWS:
        ctx.report.add(
            Severity.WARNING,
            f"{rows.size - MAX_LISTED_ROWS} more track links refer to missing object IDs",
            path,
        )


# --- whole file ----------------------------------------------------------------------------


def _data_group(handle: Any, report: _Report) -> Any | None:
    """The /data group, or a finding saying it is absent (or misnamed, e.g. /data1)."""
    members = [m for m in handle if m not in _IGNORED_ROOT_MEMBERS]
    if _DATA in members and isinstance(handle[_DATA], h5py.Group):
        return handle[_DATA]
    near = _near_miss(_DATA, members)
    if near is not None:
        report.add(
            Severity.VIOLATION,
            f"no /data group (found /{near}); BD5 keeps everything under /data",
            f"/{near}",
            fix=f"rename /{near} to /data",
        )
    else:
        report.add(
            Severity.VIOLATION,
            "no /data group: this HDF5 file is not BD5",
            "/data",
            value=", ".join(members) or None,
        )
    return None


def _time_group_names(data: Any, ctx: _Context) -> list[str]:
    """Members of /data that are time points, in numeric order; others are checked here."""
    members = list(data.keys())
    times = sorted((m for m in members if m.isdigit()), key=int)
    others = [m for m in members if not m.isdigit() and m not in _DATA_TABLES]
    explained: set[str] = set()
    for name in _REQUIRED_DATA_TABLES:
        if name in members:
            continue
        near = _near_miss(name, others)
        if near is not None:
            explained.add(near)
            ctx.report.add(
                Severity.VIOLATION,
                f"/data/{name} is missing (found /data/{near}); not read under the wrong name",
                f"/data/{near}",
                fix=f"rename /data/{near} to /data/{name}",
            )
        else:
            ctx.report.add(Severity.VIOLATION, f"/data/{name} is missing", f"/data/{name}")
    for name in others:
        if name not in explained:
            ctx.report.add(
                Severity.WARNING, f"unexpected member '{name}' in /data; ignored", f"/data/{name}"
            )
    _check_consecutive(times, ctx)
    return times


def _check_consecutive(times: list[str], ctx: _Context) -> None:
    numbers = [int(t) for t in times]
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        gaps = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
        shown = ", ".join(map(str, gaps[:10])) + (" ..." if len(gaps) > 10 else "")
        ctx.report.add(
            Severity.WARNING,
            f"time point groups are not consecutive (missing {shown})",
            "/data",
        )
    if not numbers:
        ctx.report.add(Severity.VIOLATION, "no time point groups (/data/0, /data/1, ...)", "/data")


def _summarise(handle: Any, report: _Report, rules: Bd5Rules) -> Bd5Summary | None:
    """Walk an open file: definitions first, then time points, then cross-table checks."""
    data = _data_group(handle, report)
    if data is None:
        return None
    ctx = _Context(report, rules)
    times = _time_group_names(data, ctx)
    members = set(data.keys())
    if "scaleUnit" in members:
        _read_scale_unit(data, ctx)
    if "objectDef" in members:
        _read_object_defs(data, ctx)
    if "featureDef" in members:
        _read_feature_defs(data, ctx)
    for name in times:
        _read_time_point(data[name], name, ctx)
    if "trackInfo" in members:
        _read_tracks(data, ctx)
    return _finish(ctx, len(times))


def _finish(ctx: _Context, time_points: int) -> Bd5Summary:
    summary = ctx.summary
    summary.time_points = time_points
    summary.objects_per_entity = dict(sorted(ctx.entity_objects.items()))
    summary.object_count = sum(ctx.entity_objects.values())
    if ctx.label_chunks:
        labels = np.unique(np.concatenate(ctx.label_chunks))
        labels = labels[labels != b""]
        summary.label_count = int(labels.size)
        summary.label_sample = [_text(v) for v in labels[:LABEL_SAMPLE_SIZE]]
    return summary


# --- model objects -------------------------------------------------------------------------


def _quantity(
    record_id: str, slot: str, text: str | None, unit_text: str | None
) -> Quantity | None:
    """A scale as a Quantity with its UO unit; the written text is kept as provenance."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    found = unit(unit_text) if unit_text else None
    return Quantity(
        id=part_id(record_id, slot.replace("_", "-")),
        value=value,
        unit=found[0] if found else None,
        unit_label=found[1] if found else unit_text,
        source_text=f"{text} {unit_text}".strip() if unit_text else text,
    )


def _description(summary: Bd5Summary, name: str) -> str:
    kinds = ", ".join(f"{n:,} {e}" for e, n in summary.objects_per_entity.items()) or "no objects"
    return (
        f"BD5 file {name}: {summary.dimension or 'unknown dimension'}, "
        f"{summary.time_points} time point(s), {summary.object_count:,} objects ({kinds}), "
        f"{summary.track_link_count:,} track links"
    )


def _analysed_data(summary: Bd5Summary, record_id: str, name: str) -> AnalysedData:
    texts = summary.scale_texts
    return AnalysedData(
        id=record_id,
        description=_description(summary, name),
        data_format=DATA_FORMAT,
        spatial_dimension=summary.dimension,
        time_points=summary.time_points,
        object_count=summary.object_count,
        entity_types=list(summary.objects_per_entity),
        object_names=[summary.object_defs[k] for k in sorted(summary.object_defs)],
        feature_names=[summary.feature_defs[k].name for k in sorted(summary.feature_defs)],
        track_count=summary.track_link_count,
        division_count=summary.division_count,
        physical_size_x=_quantity(
            record_id, "physical_size_x", texts.get("xScale"), summary.space_unit
        ),
        physical_size_y=_quantity(
            record_id, "physical_size_y", texts.get("yScale"), summary.space_unit
        ),
        physical_size_z=_quantity(
            record_id, "physical_size_z", texts.get("zScale"), summary.space_unit
        ),
        time_interval=_quantity(record_id, "time_interval", texts.get("tScale"), summary.time_unit),
    )


def _source_map(record_id: str, file: str) -> SourceMap:
    """Where each AnalysedData slot was read, so later checks can point into the file."""
    scale = "/data/scaleUnit"
    places: dict[str, tuple[str, str | None]] = {
        "spatial_dimension": (scale, "dimension"),
        "physical_size_x": (scale, "xScale"),
        "physical_size_y": (scale, "yScale"),
        "physical_size_z": (scale, "zScale"),
        "time_interval": (scale, "tScale"),
        "object_names": ("/data/objectDef", "name"),
        "feature_names": ("/data/featureDef", "name"),
        "track_count": ("/data/trackInfo", None),
        "division_count": ("/data/trackInfo", "from"),
        "time_points": ("/data", None),
        "object_count": ("/data", None),
        "entity_types": ("/data", "entity"),
    }
    return {
        (record_id, slot): Location(file=file, hdf5_path=path, column=column)
        for slot, (path, column) in places.items()
    }


# --- public API ----------------------------------------------------------------------------


def read_bd5(
    path: Path,
    record_id: str = "analysed-data/bd5",
    *,
    url: str | None = None,
    rules: Bd5Rules | None = None,
) -> Bd5Result:
    """Summarise a BD5 file and check it against the BD5 rules; never raises for bad input.

    `url` is where the file is published (defaults to its file: URI). Model objects are None
    when the file is not BD5 at all (unreadable, not HDF5, or without /data).
    """
    path = Path(path)  # callers sometimes pass a str
    report = _Report(str(path))
    result = Bd5Result()
    try:
        size, digest = _file_digest(path)
    except OSError as exc:
        report.add(Severity.VIOLATION, f"file cannot be read: {exc.strerror or exc}", "/")
        result.findings = report.findings()
        return result
    summary = _read_hdf5(path, report, rules or default_rules())
    if summary is not None:
        summary.size_bytes, summary.sha256 = size, digest
        result.summary = summary
        result.analysed_data = _analysed_data(summary, record_id, path.name)
        result.data_file = DataFile(
            id=part_id(record_id, "file"),
            url=url or path.resolve().as_uri(),
            name=path.name,
            media_type=MEDIA_TYPE,
            size_bytes=size,
            sha256=digest,
            role=DATA_FORMAT,
        )
        result.source_map = _source_map(record_id, str(path))
    result.findings = report.findings()
    return result


def _read_hdf5(path: Path, report: _Report, rules: Bd5Rules) -> Bd5Summary | None:
    if not h5py.is_hdf5(str(path)):
        report.add(
            Severity.VIOLATION,
            "not an HDF5 file; BD5 files are HDF5",
            "/",
            fix="upload the .h5 BD5 file itself",
        )
        return None
    try:
        with h5py.File(path, "r") as handle:
            return _summarise(handle, report, rules)
    except Exception as exc:  # a damaged upload must become a finding, never a traceback
        report.add(Severity.VIOLATION, f"file could not be read as HDF5: {exc}", "/")
        return None


def read_bd5_result(path: Path) -> ReadResult:
    """A BD5 file loaded on its own: one project with one quantitative dataset.

    BD5 holds data, not study metadata, so the record's title is made from the file name
    (and reported); the file's own location is not stored (a local path means nothing to
    anyone else), its size and SHA-256 are, on the analysed data's description.
    """
    key = f"bd5-{slug(path.stem)}"
    did = dataset_id(key, path.stem)
    result = read_bd5(path, part_id(did, "analysed-data"))
    if result.analysed_data is None:
        return ReadResult(projects=[], findings=result.findings, source_map=result.source_map)
    note = Finding(
        Severity.WARNING,
        "a BD5 file carries no study title or licence: the record is titled after the file;"
        " describe the study with the SSBD template or BDML that points to this file",
        Location(file=str(path)),
    )
    dataset = Dataset(
        id=did,
        title=f"BD5 quantitative data: {path.name}",
        kind="quantitative",
        file_formats=[DATA_FORMAT],
        analysed_data=[result.analysed_data],
    )
    project = build_record(
        Project,
        id=project_id(key),
        title=f"BD5 quantitative data: {path.name}",
        accession=path.stem,
        datasets=[dataset],
    )
    return ReadResult(
        projects=[project], findings=[*result.findings, note], source_map=result.source_map
    )


def objects_per_time_point(path: Path) -> list[tuple[int, int]]:
    """(time point, distinct object IDs) for each numeric group of /data, in time order.

    The summary keeps only totals; a proliferation curve needs the count at every time point,
    so this reads just the ID columns again. Unreadable tables count as 0 (`read_bd5` reports
    why); a file without /data gives [].

    >>> from pathlib import Path
    >>> objects_per_time_point(Path("tests/data/bd5/081505_L1_bd5.h5"))[:3]
    [(0, 5), (1, 5), (2, 5)]
    """
    counts: list[tuple[int, int]] = []
    with h5py.File(path, "r") as handle:
        data = handle.get("data")
        if not isinstance(data, h5py.Group):
            return []
        for name in sorted((m for m in data if m.isdigit()), key=int):
            objects = data[name].get("object") if isinstance(data[name], h5py.Group) else None
            ids: set[bytes] = set()
            for table in objects.values() if isinstance(objects, h5py.Group) else ():
                if isinstance(table, h5py.Dataset) and "ID" in (table.dtype.names or ()):
                    ids.update(_bytes_column(table["ID"][()]).ravel().tolist())
            counts.append((int(name), len(ids)))
    return counts
