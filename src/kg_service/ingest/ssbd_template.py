"""Reader for the SSBD metadata template (sheets `common` and `dataset`), driven by a mapping file.

Which template Item goes to which model slot lives in `loaders/ssbd_template.yaml`, so curators
can follow template changes without touching code; this module only knows how to read each
*kind* of value (text, e-mail, licence, labelled ontology terms, scales, URL patterns...).

The `common` sheet holds project items and the defaults for every dataset; each row of the
`dataset` sheet is one dataset and its cells override those defaults. Every value that cannot be
used becomes a Finding that names file, sheet, row, column and item; nothing is dropped silently.

Ids: the project is `project_id(ssbd_project_key(Project name))`; a dataset is
`dataset_id(key, "<LocalID>-<File or Folder>")` because an image row and its quantitative row
share one LocalID (the template asks for that); sub-records hang off their owner via `part_id`
(`.../contact/1`, `.../contact/1/affiliation`, `.../biosample`, `.../image-acquisition/instrument`,
`.../image-data/physical-size-x`, `.../file-source`).
"""

from __future__ import annotations

import csv
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, slug, ssbd_project_key
from kg_service.model import (
    AnalysedData,
    Biosample,
    DataFile,
    Dataset,
    ImageAcquisition,
    ImageData,
    Instrument,
    Organization,
    Person,
    Project,
    Publication,
    Quantity,
)
from kg_service.normalize import (
    OBO,
    ParsedQuantity,
    is_plausible_iri,
    license_iri,
    parse_quantity,
    pubmed_id,
    split_labelled_terms,
    term_iri,
    unit_dimension,
)
from kg_service.paths import knowledge_dir

MAPPING_FILE = "ssbd_template.yaml"

PROJECT_RECORDS = frozenset({"project", "contact", "organization", "contributor", "publication"})
DATASET_RECORDS = frozenset({"dataset", "biosample", "acquisition", "instrument", "scales", "file"})
KINDS = frozenset(
    {
        "text",
        "text_list",
        "name_list",
        "email_list",
        "url",
        "url_list",
        "license",
        "pubmed_url",
        "labelled_terms",
        "enum",
        "scale_xyz",
        "scale_t",
        "url_pattern",
        "choice",
        "ignore",
    }
)

Slot = tuple[str, str]  # (record kind, slot name)


# --- the mapping file ----------------------------------------------------------------------


def _key(label: str) -> str:
    """Compare labels the way people type them: case, extra spaces and padding do not matter."""
    return " ".join(label.split()).casefold()


def _slot(text: str) -> Slot:
    record, _, slot = text.partition(".")
    return record.strip(), slot.strip()


@dataclass(frozen=True)
class ItemSpec:
    """How one template Item (or `dataset` column) is read and where its value goes."""

    label: str
    targets: tuple[Slot, ...]
    kind: str
    required: Severity | None
    invalid: Severity
    options: Mapping[str, Any]

    @property
    def record(self) -> str:
        return self.targets[0][0] if self.targets else "none"

    @property
    def per_dataset(self) -> bool:
        """Dataset-scope items may be overridden per row of the `dataset` sheet."""
        return self.record in DATASET_RECORDS


@dataclass(frozen=True)
class TemplateMapping:
    """The parsed `loaders/ssbd_template.yaml`."""

    source_repository: str
    tier: str
    placeholders: frozenset[str]
    common_sheet: str
    item_header: str
    value_header: str
    dataset_sheet: str
    fallbacks: Mapping[Slot, Slot]
    scale_records: Mapping[str, str]
    items: Mapping[str, ItemSpec]

    def spec(self, label: str) -> ItemSpec | None:
        return self.items.get(_key(label))

    def is_placeholder(self, text: str) -> bool:
        return _key(text) in self.placeholders


def _severity(value: Any, default: Severity | None) -> Severity | None:
    return Severity(str(value)) if value else default


def _item_spec(label: str, raw: Mapping[str, Any]) -> ItemSpec:
    target = raw.get("target", "none")
    targets = [target] if isinstance(target, str) else list(target)
    slots = tuple(_slot(t) for t in targets if t != "none")
    for record, _ in slots:
        if record not in PROJECT_RECORDS | DATASET_RECORDS:
            raise ValueError(f"{MAPPING_FILE}: item {label!r} targets unknown record {record!r}")
    kind = str(raw.get("kind", "text"))
    if kind not in KINDS:
        raise ValueError(f"{MAPPING_FILE}: item {label!r} has unknown kind {kind!r}")
    required = _severity(raw.get("required"), None)
    default_invalid = Severity.VIOLATION if required is Severity.VIOLATION else Severity.WARNING
    invalid = _severity(raw.get("invalid"), default_invalid) or default_invalid
    options = {k: v for k, v in raw.items() if k not in {"target", "kind", "required", "invalid"}}
    return ItemSpec(label, slots, kind, required, invalid, options)


def parse_mapping(data: Mapping[str, Any]) -> TemplateMapping:
    """Turn the YAML document into a TemplateMapping, refusing unknown records and kinds."""
    sheets = data.get("sheets", {})
    common = sheets.get("common", {})
    items = {_key(label): _item_spec(label, raw or {}) for label, raw in data["items"].items()}
    return TemplateMapping(
        source_repository=str(data.get("source_repository", "SSBD")),
        tier=str(data.get("tier", "database")),
        placeholders=frozenset(_key(str(p)) for p in data.get("placeholders", [""])),
        common_sheet=str(common.get("name", "common")),
        item_header=str(common.get("item_header", "Item")),
        value_header=str(common.get("value_header", "Description")),
        dataset_sheet=str(sheets.get("dataset", {}).get("name", "dataset")),
        fallbacks={_slot(k): _slot(v) for k, v in data.get("fallbacks", {}).items()},
        scale_records=dict(data.get("scale_records", {"default": "image_data"})),
        items=items,
    )


@lru_cache(maxsize=4)
def load_mapping(path: Path | None = None) -> TemplateMapping:
    """Read the mapping file (default: loaders/ssbd_template.yaml of this checkout)."""
    path = path or knowledge_dir("loaders") / MAPPING_FILE
    with path.open(encoding="utf-8") as handle:
        return parse_mapping(yaml.safe_load(handle))


# --- sheets as text tables -----------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """One sheet as trimmed text; `rows[0]` is spreadsheet row 1, so locations match Excel."""

    file: str
    sheet: str | None
    rows: list[list[str]]

    def text(self, row: int, col: int) -> str:
        cells = self.rows[row - 1] if 0 < row <= len(self.rows) else []
        return cells[col] if col < len(cells) else ""

    def location(self, row: int | None, col: int | None, item: str | None = None) -> Location:
        column = get_column_letter(col + 1) if col is not None else None
        return Location(file=self.file, sheet=self.sheet, row=row, column=column, field=item)


def cell_text(value: object) -> str:
    """Spreadsheet cell as text: 2.0 -> "2", dates as ISO, None -> ""; padding removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _sheet_named(names: list[str], wanted: str) -> str | None:
    """Find a sheet by name, forgiving case and padding (people rename tabs)."""
    if wanted in names:
        return wanted
    return next((n for n in names if _key(n) == _key(wanted)), None)


def _load_xlsx(path: Path, mapping: TemplateMapping) -> tuple[Table | None, Table | None, str]:
    """Both sheets of the workbook as tables, or an error text when it cannot be read."""
    with warnings.catch_warnings():
        # openpyxl warns about data-validation extensions it drops; they carry no metadata.
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for damaged or non-xlsx files
            return None, None, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"
        try:
            tables: list[Table | None] = []
            for wanted in (mapping.common_sheet, mapping.dataset_sheet):
                name = _sheet_named(workbook.sheetnames, wanted)
                if name is None:
                    tables.append(None)
                    continue
                sheet = workbook[name]
                sheet.reset_dimensions()  # stored dimensions are often wrong; read every cell
                rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
                tables.append(Table(str(path), name, rows))
        except Exception as exc:  # a damaged sheet part must become a finding, not a traceback
            return None, None, f"workbook could not be read ({type(exc).__name__}: {exc})"
        finally:
            workbook.close()
    return tables[0], tables[1], ""


def _load_delimited(path: Path) -> Table:
    delimiter = "\t" if path.suffix.lower() in {".tsv", ".tab"} else ","
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [[cell.strip() for cell in row] for row in csv.reader(handle, delimiter=delimiter)]
    return Table(str(path), None, rows)


# --- reading cells into slot values -------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A template value and where it was read; `from_row` marks a `dataset` sheet override."""

    text: str
    location: Location
    from_row: bool = False


@dataclass(frozen=True)
class Stored:
    value: Any
    location: Location


@dataclass(frozen=True)
class FileSpec:
    """A download URL expanded from a template URL pattern."""

    url: str
    role: str | None
    media_type: str | None


@dataclass
class _Context:
    """What the value readers need: the mapping, a finding sink and a lookup for other items."""

    mapping: TemplateMapping
    findings: list[Finding]
    lookup: Callable[[str], Cell | None]
    values: dict[Slot, Stored] = field(default_factory=dict)

    def report(
        self, severity: Severity, message: str, cell: Cell, value: str | None = None, fix: str = ""
    ) -> None:
        text = cell.text if value is None else value
        self.findings.append(Finding(severity, message, cell.location, text, fix or None))

    def put(self, spec: ItemSpec, value: Any, cell: Cell) -> None:
        for target in spec.targets:
            self.put_slot(target, value, cell.location)

    def put_slot(self, target: Slot, value: Any, location: Location) -> None:
        if isinstance(value, list):
            old = self.values.get(target)
            if old is not None:
                self.values[target] = Stored([*old.value, *value], old.location)
                return
        self.values[target] = Stored(value, location)

    def get(self, record: str, slot: str) -> Any:
        stored = self.values.get((record, slot))
        return stored.value if stored else None


def _split(text: str, pattern: str = r"\s*[,;]\s*") -> list[str]:
    return [part.strip() for part in re.split(pattern, text) if part.strip()]


def _read_text(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    pattern = spec.options.get("pattern")
    if pattern and not re.match(str(pattern), cell.text):
        ctx.report(
            spec.invalid if spec.invalid is not Severity.VIOLATION else Severity.WARNING,
            f"{spec.label} has characters the template does not allow",
            cell,
            fix=f"use only characters matching {pattern}",
        )
    ctx.put(spec, cell.text, cell)


def _read_text_list(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    ctx.put(spec, _split(cell.text), cell)


_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


def _read_emails(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    good: list[str] = []
    for part in _split(cell.text, r"[\s,;]+"):
        if _EMAIL.match(part):
            good.append(part)
        else:
            ctx.report(spec.invalid, "not an e-mail address", cell, part)
    if good:
        ctx.put(spec, good, cell)


def _is_web_url(text: str) -> bool:
    return is_plausible_iri(text) and urlsplit(text).scheme in {"http", "https"}


def _read_url(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    if _is_web_url(cell.text):
        ctx.put(spec, cell.text, cell)
    else:
        ctx.report(spec.invalid, "not a web address (http or https URL)", cell)


def _read_url_list(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    good: list[str] = []
    for part in _split(cell.text, r"[\s,;]+"):
        if _is_web_url(part):
            good.append(part)
        else:
            ctx.report(spec.invalid, "not a web address (http or https URL)", cell, part)
    if good:
        ctx.put(spec, good, cell)


def _read_license(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    found = license_iri(cell.text)
    if found is None:
        ctx.report(
            spec.invalid,
            "licence not recognised",
            cell,
            fix='name a Creative Commons licence such as "CC BY 4.0" or give its IRI',
        )
        return
    iri, version_assumed = found
    if version_assumed:
        ctx.report(
            Severity.INFO,
            f"licence version not given; assumed {iri}",
            cell,
            fix="write the version, e.g. CC BY 4.0",
        )
    ctx.put(spec, iri, cell)


def _read_pubmed(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    papers: list[tuple[str, str]] = []
    for part in _split(cell.text, r"[\s,;]+"):
        pmid = pubmed_id(part)
        if pmid is None:
            ctx.report(spec.invalid, "not a PubMed URL or PMID", cell, part)
            continue
        url = part if _is_web_url(part) else f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
        papers.append((pmid, url))
    if papers:
        ctx.put(spec, papers, cell)


def _read_terms(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    prefix = str(spec.options.get("prefix", ""))
    severity = _severity(spec.options.get("unresolved"), spec.invalid) or spec.invalid
    iris: list[str] = []
    for label, iri in split_labelled_terms(cell.text):
        if iri is None:
            ctx.report(
                severity,
                f"{spec.label}: no recognisable {prefix} id",
                cell,
                label,
                fix=f'write "name ({prefix}:number)", e.g. "C. elegans (NCBITaxon:6239)"'
                if prefix == "NCBITaxon"
                else f'write "name ({prefix}:number)"',
            )
        elif prefix and not iri.startswith(f"{OBO}{prefix}_"):
            ctx.report(severity, f"{spec.label}: expected a {prefix} term", cell, label)
        elif iri not in iris:
            iris.append(iri)
    if iris:
        ctx.put(spec, iris, cell)


def _read_enum(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    values: Mapping[str, str] = spec.options.get("values", {})
    match = next((v for k, v in values.items() if _key(k) == _key(cell.text)), None)
    if match is None:
        ctx.report(
            spec.invalid,
            f"{spec.label} is not one of the template's choices",
            cell,
            fix="use one of: " + ", ".join(repr(k) for k in values),
        )
        return
    ctx.put(spec, match, cell)


_AXIS_PART = re.compile(r"^\s*(?P<axes>[XYZ]{1,3})\s*[:=]\s*(?P<value>.*?)\s*$", re.IGNORECASE)


def _scale_problem(quantity: ParsedQuantity | None, dimension: str) -> str | None:
    """Why a scale value cannot be stored, or None when it can."""
    if quantity is None:
        return "not a number with a unit"
    if unit_dimension(quantity.unit_iri) != dimension:
        return f"unit {quantity.unit_label!r} is not a {dimension} unit"
    return None


def _report_scale(ctx: _Context, cell: Cell, dimension: str, details: list[str], fix: str) -> None:
    ctx.report(
        Severity.WARNING,
        f"scale is not a number with a {dimension} unit ({'; '.join(details)}); not stored",
        cell,
        fix=fix,
    )


def _read_scale_xyz(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    """Read "XY: 0.5 micrometer/pixel, Z: 2 micrometer/slice"; a "Z: NA" part is allowed."""
    dimension = str(spec.options.get("unit_dimension", "length"))
    base = spec.targets[0][1]
    parsed: dict[str, ParsedQuantity] = {}
    problems: list[str] = []
    for part in _split(cell.text):
        match = _AXIS_PART.match(part)
        if match is None:
            problems.append(f"{part!r} does not start with an axis such as 'XY:'")
            continue
        if ctx.mapping.is_placeholder(match.group("value")):
            continue
        quantity = parse_quantity(match.group("value"))
        problem = _scale_problem(quantity, dimension)
        if problem or quantity is None:
            problems.append(f"{match.group('axes')} {match.group('value')!r}: {problem}")
            continue
        for axis in match.group("axes").lower():
            parsed[axis] = quantity
    if problems:
        fix = 'write e.g. "XY: 0.5 micrometer/pixel, Z: 2 micrometer/slice" (Z: NA for one slice)'
        _report_scale(ctx, cell, dimension, problems, fix)
        return
    for axis, quantity in sorted(parsed.items()):
        ctx.put_slot(("scales", f"{base}_{axis}"), quantity, cell.location)


def _read_scale_t(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    """Read "10 second for each time interval" into one Quantity."""
    dimension = str(spec.options.get("unit_dimension", "time"))
    quantity = parse_quantity(cell.text)
    problem = _scale_problem(quantity, dimension)
    if problem or quantity is None:
        fix = 'write e.g. "10 second for each time interval" (NA for a single time point)'
        _report_scale(ctx, cell, dimension, [f"{cell.text!r}: {problem}"], fix)
        return
    ctx.put(spec, quantity, cell)


_REFERENCE = re.compile(r"\(([^()]+)\)")


def _read_url_pattern(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    """Expand "(Project name)"-style references with this dataset's values into one file URL."""
    applies_to = [str(k) for k in spec.options.get("applies_to", [])]
    if not cell.from_row and applies_to and ctx.get("dataset", "kind") not in applies_to:
        return  # a common default meant for the other kind of dataset
    missing: list[str] = []

    def expand(match: re.Match[str]) -> str:
        ref = ctx.lookup(match.group(1))
        if ref is None or ctx.mapping.is_placeholder(ref.text):
            missing.append(match.group(1))
            return match.group(0)
        return ref.text

    url = _REFERENCE.sub(expand, cell.text)
    if missing:
        ctx.report(
            Severity.WARNING,
            f"{spec.label} URL pattern refers to items without a value: {', '.join(missing)}",
            cell,
        )
    elif not _is_web_url(url):
        ctx.report(Severity.WARNING, f"{spec.label} does not give a web address", cell, url)
    else:
        role, media = spec.options.get("role"), spec.options.get("media_type")
        ctx.put(spec, FileSpec(url, role and str(role), media and str(media)), cell)


def _read_choice(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    """Keep the chosen name and add the FBbi term the mapping gives for it."""
    terms: Mapping[str, Any] = spec.options.get("terms", {})
    by_key = {_key(k): (k, v) for k, v in terms.items()}
    names = _split(cell.text)
    for name in names:
        known = by_key.get(_key(name))
        if known is None:
            ctx.report(
                Severity.WARNING,
                f"{spec.label} is not one of the template's choices; kept as a name only",
                cell,
                name,
            )
            continue
        term = known[1]
        if not term:
            ctx.report(
                Severity.INFO, f"no FBbi term for this {spec.label}; kept as name", cell, name
            )
            continue
        iri = term_iri(str(term["term"]))
        if iri is None:
            raise ValueError(f"{MAPPING_FILE}: bad term {term['term']!r} for {spec.label}")
        ctx.put_slot(
            ("acquisition", str(term.get("slot", "imaging_methods"))), [iri], cell.location
        )
    ctx.put(spec, names, cell)


def _read_ignored(spec: ItemSpec, cell: Cell, ctx: _Context) -> None:
    reason = spec.options.get("reason", "the mapping does not store it")
    ctx.report(Severity.INFO, f"{spec.label} is not stored: {reason}", cell)


READERS: dict[str, Callable[[ItemSpec, Cell, _Context], None]] = {
    "text": _read_text,
    "text_list": _read_text_list,
    "name_list": _read_text_list,
    "email_list": _read_emails,
    "url": _read_url,
    "url_list": _read_url_list,
    "license": _read_license,
    "pubmed_url": _read_pubmed,
    "labelled_terms": _read_terms,
    "enum": _read_enum,
    "scale_xyz": _read_scale_xyz,
    "scale_t": _read_scale_t,
    "url_pattern": _read_url_pattern,
    "choice": _read_choice,
    "ignore": _read_ignored,
}


def _read_item(spec: ItemSpec, cell: Cell | None, missing_at: Location, ctx: _Context) -> None:
    """Read one item, or report it missing when required and empty/placeholder."""
    if cell is None or ctx.mapping.is_placeholder(cell.text):
        if spec.required is not None:
            location = cell.location if cell is not None else missing_at
            value = cell.text if cell is not None and cell.text else None
            ctx.findings.append(
                Finding(
                    spec.required,
                    f"required item {spec.label!r} has no value",
                    location,
                    value,
                    "fill in the cell" if cell is not None else "add the item to the template",
                )
            )
        return
    READERS[spec.kind](spec, cell, ctx)


# --- the two sheets -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sheets:
    """The template read into cells: `common` items by key, and one dict per dataset row."""

    common: dict[str, Cell]
    common_table: Table
    rows: list[dict[str, Cell]]


def _find_header(table: Table, header: str) -> tuple[int, int] | None:
    for row in range(1, min(len(table.rows), 10) + 1):
        for col, text in enumerate(table.rows[row - 1]):
            if _key(text) == _key(header):
                return row, col
    return None


def _read_common(
    table: Table, mapping: TemplateMapping, findings: list[Finding]
) -> dict[str, Cell]:
    header = _find_header(table, mapping.item_header)
    if header is None:
        findings.append(
            Finding(
                Severity.VIOLATION,
                f"no {mapping.item_header!r} header in the first rows of the common sheet",
                table.location(None, None),
            )
        )
        return {}
    header_row, item_col = header
    value_col = next(
        (
            c
            for c, t in enumerate(table.rows[header_row - 1])
            if _key(t) == _key(mapping.value_header)
        ),
        item_col + 1,
    )
    cells: dict[str, Cell] = {}
    for row in range(header_row + 1, len(table.rows) + 1):
        label, value = table.text(row, item_col), table.text(row, value_col)
        if not label:
            if value:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "value without an Item label; not stored",
                        table.location(row, value_col),
                        value,
                    )
                )
            continue
        spec = mapping.spec(label)
        if spec is None:
            findings.append(
                Finding(
                    Severity.WARNING,
                    f"unknown item {label!r}; not stored",
                    table.location(row, item_col, label),
                    value or None,
                    f"use an Item label of the SSBD template or extend {MAPPING_FILE}",
                )
            )
            continue
        if _key(spec.label) in cells:
            findings.append(
                Finding(
                    Severity.WARNING,
                    f"item {label!r} given twice; the first one is used",
                    table.location(row, value_col, label),
                    value or None,
                )
            )
            continue
        cells[_key(spec.label)] = Cell(value, table.location(row, value_col, spec.label))
    return cells


def _dataset_columns(
    table: Table, mapping: TemplateMapping, findings: list[Finding]
) -> tuple[int, dict[int, ItemSpec]]:
    """Header row number and the column -> item map of the `dataset` sheet."""
    header_row = next((r for r, row in enumerate(table.rows, 1) if any(row)), 0)
    columns: dict[int, ItemSpec] = {}
    for col, label in enumerate(table.rows[header_row - 1] if header_row else []):
        if not label:
            continue
        spec = mapping.spec(label)
        where = table.location(header_row, col, label)
        if spec is None:
            findings.append(
                Finding(Severity.WARNING, f"unknown column {label!r}; not stored", where, label)
            )
        elif not spec.per_dataset and spec.kind != "ignore":
            findings.append(
                Finding(
                    Severity.WARNING,
                    f"{label!r} is a project item and cannot differ per dataset; column not read",
                    where,
                    label,
                    "give it once on the common sheet",
                )
            )
        elif spec in columns.values():
            findings.append(
                Finding(Severity.WARNING, f"column {label!r} given twice; not read", where, label)
            )
        else:
            columns[col] = spec
    return header_row, columns


def _read_dataset_rows(
    table: Table, mapping: TemplateMapping, findings: list[Finding]
) -> list[dict[str, Cell]]:
    header_row, columns = _dataset_columns(table, mapping, findings)
    rows: list[dict[str, Cell]] = []
    for row in range(header_row + 1, len(table.rows) + 1) if header_row else []:
        texts = table.rows[row - 1]
        if not any(texts):
            continue
        for col, text in enumerate(texts):
            if text and col not in columns and not table.text(header_row, col):
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "value in a column without a header; not stored",
                        table.location(row, col),
                        text,
                    )
                )
        rows.append(
            {
                _key(spec.label): Cell(
                    table.text(row, col), table.location(row, col, spec.label), from_row=True
                )
                for col, spec in columns.items()
            }
        )
    return rows


# --- building the records -----------------------------------------------------------------


def _resolve(
    key: str, row: dict[str, Cell], common: dict[str, Cell], mapping: TemplateMapping
) -> Cell | None:
    """The value for one dataset: its own cell if filled, else the `common` default."""
    own = row.get(key)
    if own is not None and own.text:
        return own
    default = common.get(key)
    if default is not None and (own is None or not mapping.is_placeholder(default.text)):
        return default
    return own


def _record_kwargs(
    values: Mapping[Slot, Stored], record: str, record_id: str, source_map: dict[Slot, Location]
) -> dict[str, Any]:
    """Plain slot values of one record, remembering where each came from."""
    kwargs: dict[str, Any] = {}
    for (rec, slot), stored in values.items():
        if rec == record and not isinstance(stored.value, ParsedQuantity | FileSpec):
            kwargs[slot] = stored.value
            source_map[(record_id, slot)] = stored.location
    return kwargs


def _apply_fallbacks(ctx: _Context, record: str) -> None:
    for (rec, slot), (src_rec, src_slot) in ctx.mapping.fallbacks.items():
        source = ctx.values.get((src_rec, src_slot))
        if rec == record and (rec, slot) not in ctx.values and source is not None:
            ctx.values[(rec, slot)] = source


def _people(
    names: list[str], kind: str, owner: str, name_at: Location, source_map: dict[Slot, Location]
) -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = []
    for index, name in enumerate(names, 1):
        person_id = part_id(owner, kind, index)
        source_map[(person_id, "name")] = name_at
        people.append({"id": person_id, "name": name})
    return people


def _contacts(ctx: _Context, pid: str, source_map: dict[Slot, Location]) -> list[Person]:
    """Pair Contact name and E-mail by position; every contact gets the organisation."""
    names = ctx.values.get(("contact", "name"))
    emails = ctx.values.get(("contact", "email"))
    people = _people(names.value if names else [], "contact", pid, _loc(names), source_map)
    if emails and len(emails.value) != len(people):
        ctx.findings.append(
            Finding(
                Severity.WARNING,
                f"{len(emails.value)} e-mail address(es) for {len(people)} contact name(s); "
                "paired by position",
                emails.location,
                ", ".join(emails.value),
            )
        )
    has_org = any(rec == "organization" for rec, _ in ctx.values)
    if has_org and not people:
        ctx.findings.append(
            Finding(
                Severity.WARNING,
                "organisation given without a contact name; not stored",
                next(s.location for (r, _), s in ctx.values.items() if r == "organization"),
            )
        )
    for index, person in enumerate(people):
        if emails and index < len(emails.value):
            person["email"] = emails.value[index]
            source_map[(person["id"], "email")] = emails.location
        if has_org:
            org_id = part_id(person["id"], "affiliation")
            org = _record_kwargs(ctx.values, "organization", org_id, source_map)
            person["affiliation"] = Organization(id=org_id, **org)
    if people:
        source_map[(pid, "contacts")] = _loc(names)
    return [Person(**p) for p in people]


def _loc(stored: Stored | None) -> Location:
    return stored.location if stored else Location()


def _publications(ctx: _Context, pid: str, source_map: dict[Slot, Location]) -> list[Publication]:
    stored = ctx.values.get(("publication", "pubmed_id"))
    papers: list[Publication] = []
    for index, (pmid, url) in enumerate(stored.value if stored else [], 1):
        pub_id = part_id(pid, "publication", index)
        for slot in ("pubmed_id", "url"):
            source_map[(pub_id, slot)] = _loc(stored)
        papers.append(Publication(id=pub_id, pubmed_id=pmid, url=url))
    if papers:
        source_map[(pid, "publications")] = _loc(stored)
    return papers


def _quantity(quantity: ParsedQuantity, quantity_id: str) -> Quantity:
    return Quantity(
        id=quantity_id,
        value=quantity.value,
        unit=quantity.unit_iri,
        unit_label=quantity.unit_label,
        source_text=quantity.source_text,
    )


def _scales(ctx: _Context, did: str, source_map: dict[Slot, Location]) -> dict[str, Any]:
    """Dataset kwargs holding the scales: ImageData for images, AnalysedData for numbers."""
    found = {s: v for (r, s), v in ctx.values.items() if r == "scales"}
    if not found:
        return {}
    records = ctx.mapping.scale_records
    kind = ctx.get("dataset", "kind")
    record = records.get(str(kind), records.get("default", "image_data"))
    holder_id = part_id(did, record.replace("_", "-"))
    kwargs: dict[str, Any] = {"id": holder_id}
    for slot, stored in sorted(found.items()):
        quantity_id = part_id(holder_id, slot.replace("_", "-"))
        kwargs[slot] = _quantity(stored.value, quantity_id)
        source_map[(holder_id, slot)] = stored.location
        for qslot in ("value", "unit", "unit_label", "source_text"):
            source_map[(quantity_id, qslot)] = stored.location
    source_map[(did, record)] = next(iter(found.values())).location
    holder = AnalysedData(**kwargs) if record == "analysed_data" else ImageData(**kwargs)
    return {record: [holder]}


def _files(ctx: _Context, did: str, source_map: dict[Slot, Location]) -> list[DataFile]:
    files: list[DataFile] = []
    for (record, slot), stored in ctx.values.items():
        if record != "file":
            continue
        spec: FileSpec = stored.value
        file_id = part_id(did, f"file-{slug(slot)}")
        name = PurePosixPath(urlsplit(spec.url).path).name or None
        for fslot in ("url", "name", "role", "media_type"):
            source_map[(file_id, fslot)] = stored.location
        files.append(
            DataFile(
                id=file_id, url=spec.url, name=name, role=spec.role, media_type=spec.media_type
            )
        )
    if files:
        source_map[(did, "files")] = source_map[(files[0].id, "url")]
    return files


def _acquisition(
    ctx: _Context, did: str, source_map: dict[Slot, Location]
) -> list[ImageAcquisition]:
    acq_id = part_id(did, "image-acquisition")
    kwargs = _record_kwargs(ctx.values, "acquisition", acq_id, source_map)
    inst_id = part_id(acq_id, "instrument")
    instrument = _record_kwargs(ctx.values, "instrument", inst_id, source_map)
    if instrument:
        kwargs["instrument"] = Instrument(id=inst_id, **instrument)
        source_map[(acq_id, "instrument")] = next(
            iter(source_map[(inst_id, s)] for s in instrument)
        )
    if not kwargs:
        return []
    return [ImageAcquisition(id=acq_id, **kwargs)]


def _dataset_key(ctx: _Context, row_number: int | None) -> str:
    """`<LocalID>-<File or Folder>`: the image and quantitative rows share a LocalID."""
    parts = [ctx.get("dataset", "accession"), ctx.get("dataset", "folder_name")]
    local = "-".join(str(p) for p in parts if p)
    return local or f"row-{row_number or 0}"


def _build_dataset(
    ctx: _Context, key: str, row_number: int | None, source_map: dict[Slot, Location]
) -> Dataset:
    _apply_fallbacks(ctx, "dataset")
    did = dataset_id(key, _dataset_key(ctx, row_number))
    kwargs = _record_kwargs(ctx.values, "dataset", did, source_map)
    folder = kwargs.get("folder_name")
    suffix = PurePosixPath(str(folder)).suffix.lstrip(".").lower() if folder else ""
    if suffix:
        kwargs["file_formats"] = [suffix]
        source_map[(did, "file_formats")] = source_map[(did, "folder_name")]
    biosample_id = part_id(did, "biosample")
    biosample = _record_kwargs(ctx.values, "biosample", biosample_id, source_map)
    if biosample:
        kwargs["biosamples"] = [Biosample(id=biosample_id, **biosample)]
    kwargs["image_acquisitions"] = _acquisition(ctx, did, source_map)
    kwargs.update(_scales(ctx, did, source_map))
    kwargs["files"] = _files(ctx, did, source_map)
    return build_record(Dataset, id=did, **kwargs)


def _missing_at(spec: ItemSpec, sheets: Sheets) -> Location:
    """Where to point when an item has no cell at all: the common sheet, by item name."""
    table = sheets.common_table
    return Location(file=table.file, sheet=table.sheet, field=spec.label)


def _dataset_context(
    sheets: Sheets, row: dict[str, Cell], mapping: TemplateMapping, findings: list[Finding]
) -> _Context:
    def lookup(label: str) -> Cell | None:
        spec = mapping.spec(label)
        return _resolve(_key(spec.label), row, sheets.common, mapping) if spec else None

    ctx = _Context(mapping, findings, lookup)
    # Ignored items (Note) are reported per row only when the row has its own column.
    specs = [
        s
        for s in mapping.items.values()
        if s.per_dataset or (s.kind == "ignore" and _key(s.label) in row)
    ]
    # URL patterns need the row's kind and LocalID, so they are read last.
    for spec in sorted(specs, key=lambda s: s.kind == "url_pattern"):
        cell = row.get(_key(spec.label)) if not spec.per_dataset else None
        cell = cell or _resolve(_key(spec.label), row, sheets.common, mapping)
        _read_item(spec, cell, _missing_at(spec, sheets), ctx)
    return ctx


def _project_context(sheets: Sheets, mapping: TemplateMapping, findings: list[Finding]) -> _Context:
    ctx = _Context(mapping, findings, lambda label: sheets.common.get(_key(label)))
    for spec in mapping.items.values():
        if not spec.per_dataset:
            cell = sheets.common.get(_key(spec.label))
            _read_item(spec, cell, _missing_at(spec, sheets), ctx)
    return ctx


def _build_project(
    sheets: Sheets, mapping: TemplateMapping, fallback_name: str, result: ReadResult
) -> Project:
    ctx = _project_context(sheets, mapping, result.findings)
    _apply_fallbacks(ctx, "project")
    name = ctx.get("project", "accession") or fallback_name
    key = ssbd_project_key(str(name))
    pid = project_id(key)
    kwargs = _record_kwargs(ctx.values, "project", pid, result.source_map)
    kwargs["contacts"] = _contacts(ctx, pid, result.source_map)
    contributors = ctx.values.get(("contributor", "name"))
    kwargs["contributors"] = [
        Person(**p)
        for p in _people(
            contributors.value if contributors else [],
            "contributor",
            pid,
            _loc(contributors),
            result.source_map,
        )
    ]
    kwargs["publications"] = _publications(ctx, pid, result.source_map)
    return build_record(
        Project,
        id=pid,
        source_repository=mapping.source_repository,
        tier=mapping.tier,
        datasets=_datasets(sheets, mapping, key, result),
        **kwargs,
    )


def _datasets(
    sheets: Sheets, mapping: TemplateMapping, key: str, result: ReadResult
) -> list[Dataset]:
    """One Dataset per `dataset` row (or one from `common` alone when there are no rows)."""
    kept: dict[str, Dataset] = {}
    rows: list[dict[str, Cell]] = list(sheets.rows) or [{}]
    for row in rows:
        ctx = _dataset_context(sheets, row, mapping, result.findings)
        row_number = next((c.location.row for c in row.values()), None)
        source_map: dict[Slot, Location] = {}
        dataset = _build_dataset(ctx, key, row_number, source_map)
        if str(dataset.id) in kept:  # same LocalID and File or Folder: would merge two rows
            result.findings.append(
                Finding(
                    Severity.VIOLATION,
                    "another dataset row has the same LocalID and File or Folder; row not stored",
                    source_map.get((str(dataset.id), "accession"), Location()),
                    str(dataset.id),
                    "give each row its own File or Folder name",
                )
            )
            continue
        kept[str(dataset.id)] = dataset
        result.source_map.update(source_map)
    return list(kept.values())


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """A `common` default read once per dataset must be reported once, not once per row."""
    return list(dict.fromkeys(findings))


def read_sheets(
    common: Table | None,
    dataset: Table | None,
    fallback_name: str,
    mapping: TemplateMapping | None = None,
) -> ReadResult:
    """Build the project from already loaded tables (shared by the xlsx and CSV entry points)."""
    mapping = mapping or load_mapping()
    result = ReadResult()
    if common is None:
        return result
    cells = _read_common(common, mapping, result.findings)
    if not cells:
        return result
    if dataset is None:
        rows: list[dict[str, Cell]] = []
        result.findings.append(
            Finding(
                Severity.WARNING,
                f"no {mapping.dataset_sheet!r} sheet; one dataset is built from the common sheet",
                Location(file=common.file, sheet=mapping.dataset_sheet),
            )
        )
    else:
        rows = _read_dataset_rows(dataset, mapping, result.findings)
        if not rows:
            result.findings.append(
                Finding(
                    Severity.WARNING,
                    "the dataset sheet has no rows; one dataset is built from the common sheet",
                    Location(file=dataset.file, sheet=dataset.sheet),
                )
            )
    project = _build_project(Sheets(cells, common, rows), mapping, fallback_name, result)
    result.projects.append(project)
    result.findings = _dedupe(result.findings)
    return result


def read_ssbd_template(path: Path, mapping: TemplateMapping | None = None) -> ReadResult:
    """Read a filled SSBD metadata template (.xlsx) into one Project with its datasets."""
    mapping = mapping or load_mapping()
    common, dataset, error = _load_xlsx(path, mapping)
    if error or common is None:
        message = error or f"the workbook has no {mapping.common_sheet!r} sheet"
        sheet = None if error else mapping.common_sheet
        result = ReadResult()
        result.findings.append(
            Finding(
                Severity.VIOLATION,
                message,
                Location(file=str(path), sheet=sheet),
                fix="submit the SSBD metadata template as .xlsx with its common and dataset sheets",
            )
        )
        return result
    return read_sheets(common, dataset, path.stem, mapping)


def read_ssbd_template_csv(
    common_path: Path, dataset_path: Path | None = None, mapping: TemplateMapping | None = None
) -> ReadResult:
    """Read the two template sheets saved as CSV/TSV files (same layout, same findings)."""
    try:
        common = _load_delimited(common_path)
        dataset = _load_delimited(dataset_path) if dataset_path else None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        result = ReadResult()
        result.findings.append(
            Finding(
                Severity.VIOLATION,
                f"could not read the file ({type(exc).__name__}: {exc})",
                Location(file=str(getattr(exc, "filename", None) or common_path)),
            )
        )
        return result
    name = re.sub(r"[-_. ]*common$", "", common_path.stem, flags=re.IGNORECASE)
    return read_sheets(common, dataset, name or common_path.stem, mapping)
