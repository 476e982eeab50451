"""Reader for IDR study files (`idrNNNN-study.txt`) and a summary of IDR annotation CSVs.

A study file is an ISA-Tab-like table: column 1 is a key, columns 2..n hold one value each
(several persons, organisms or methods go in adjacent columns, aligned across rows). Ontology
fields come as triplets (`X`, `X Term Source REF`, `X Term Accession`). Real files mix CRLF,
LF and bare CR, carry quoted multi-line cells and stray quotes, and write accessions as
`FBbi_00000246`, `FBbi:00000336`, bare `00000222` or bare taxon numbers, so parsing is lenient
and every value that is not stored becomes a located finding (file + line + key).

Which key goes where is declared in `loaders/idr_study.yaml`. Ids: `projects/idrNNNN`, one
dataset per screen/experiment, `datasets/idrNNNN-experimentA` (from the IDR component name).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.identifiers import ebi_term_iri
from kg_service.ingest.idr_annotations import (
    ANNOTATION_NAME,
    annotation_files,
    image_groups,
    read_annotation_file,
    study_file_for,
)
from kg_service.ingest.ids import dataset_id, key_of, part_id, project_id, slug
from kg_service.ingest.peer_common import Collector, is_placeholder, repair_terms, split_values
from kg_service.model import (
    Biosample,
    Dataset,
    ImageAcquisition,
    Organization,
    Person,
    Phenotype,
    Project,
    Protocol,
    Publication,
)
from kg_service.normalize import doi_iri, is_plausible_iri, orcid_iri
from kg_service.paths import knowledge_dir

MAPPING_FILE = "idr_study.yaml"
IDR_STUDY_PAGE = "https://idr.openmicroscopy.org/study/"
# records read one per value column of a component (several protocols side by side)
_COLUMN_RECORDS = frozenset({"protocol", "phenotype"})
# slots a repeated row adds to (a phenotype's second term), rather than starting a record
_ADDED_SLOTS = frozenset({"terms", "term_names"})
_COMPONENT_START = re.compile(r"^(screen|experiment) number$", re.IGNORECASE)
_COMPONENT_PREFIX = re.compile(r"^(screen|experiment)\s+", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _norm(key: str) -> str:
    return " ".join(key.split()).casefold()


@dataclass(frozen=True)
class KeySpec:
    """How one study-file key is read (see loaders/idr_study.yaml)."""

    target: str | None = None
    kind: str = "text"
    label: str | None = None
    default_source: str = ""
    ignore: bool = False
    # kind "accession": an accession row read with the nearest rows above it that hold its
    # source and its term name (IDR repeats the Phenotype Term triplet for second terms)
    source_key: str = ""
    name_key: str = ""
    name_target: str | None = None


@dataclass(frozen=True)
class IdrMapping:
    study: Mapping[str, KeySpec]
    component: Mapping[str, KeySpec]
    other_keys: frozenset[str] = frozenset()

    @property
    def known(self) -> frozenset[str]:
        """Every key of the format, normalised (component keys with both prefixes)."""
        keys = set(self.study) | set(self.other_keys)
        for key in self.component:
            keys |= {key, f"screen {key}", f"experiment {key}"}
        return frozenset(keys)


def _specs(raw: Mapping[str, Any]) -> dict[str, KeySpec]:
    return {_norm(key): KeySpec(**(value or {})) for key, value in raw.items()}


@lru_cache(maxsize=2)
def load_mapping(path: Path | None = None) -> IdrMapping:
    """Read the key mapping (default: loaders/idr_study.yaml of this checkout)."""
    path = path or knowledge_dir("loaders") / MAPPING_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    others = frozenset(_norm(k) for k in data.get("other_keys", []))
    return IdrMapping(_specs(data["study"]), _specs(data["component"]), others)


# --- rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    column: int  # 1-based spreadsheet column of the value (the key is column 1)
    text: str


@dataclass(frozen=True)
class Row:
    key: str
    cells: tuple[Cell, ...]
    line: int
    spilled: bool = False  # the row was found inside another row's quoted cell


def parse_rows(text: str, known: frozenset[str] = frozenset()) -> list[Row]:
    """Split a study file into key rows, keeping the line each row starts on.

    Bare CR and CRLF become LF first (several real files mix them). Quoted cells may span
    lines; cells starting with `#` are template hints, not values. A quoted cell that
    swallowed the following rows (an unbalanced quote) is cut where a line starts with a
    known key, and those lines are read as the rows they are (see `repairs`).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    rows: list[Row] = []
    for record, line in _records(text):
        if not record or not record[0].strip() or record[0].lstrip().startswith("#"):
            continue
        values, spilled = _cut_at_known_key(record[1:], known)
        cells = tuple(
            Cell(index + 2, value.strip())
            for index, value in enumerate(values)
            if value.strip() and not value.strip().startswith("#")
        )
        rows.append(Row(" ".join(record[0].split()), cells, line))
        if spilled:
            rows += [
                replace(row, line=line + row.line - 1, spilled=True)
                for row in parse_rows(spilled, known)
            ]
    return rows


def _records(text: str) -> list[tuple[list[str], int]]:
    reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=False)
    found: list[tuple[list[str], int]] = []
    start = 1
    for record in reader:
        found.append((record, start))
        start = reader.line_num + 1
    return found


def _cut_at_known_key(values: list[str], known: frozenset[str]) -> tuple[list[str], str]:
    """Values up to the first embedded line that starts with a known key, and the rest."""
    for index, value in enumerate(values):
        lines = value.split("\n")
        for number, line in enumerate(lines[1:], start=1):
            if _norm(line.split("\t", 1)[0]) in known:
                kept = [*values[:index], "\n".join(lines[:number])]
                rest = "\n".join(lines[number:])
                tail = values[index + 1 :]
                return kept, rest + ("\t" + "\t".join(tail) if tail else "")
    return values, ""


# --- building ----------------------------------------------------------------------------


@dataclass
class _Component:
    """The values of one screen/experiment (or of the study itself), per record kind."""

    number: int
    line: int
    kind: str = ""  # "screen" or "experiment" (empty for the study block)
    values: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    # protocols and phenotypes: one per value column, and a new one when a block of their
    # rows is repeated under the first (idr0148), e.g. columns["protocol"][3][1]["name"]
    columns: dict[str, dict[int, list[dict[str, list[Any]]]]] = field(default_factory=dict)

    def put(self, target: str, value: Any, column: int = 0) -> None:
        record, _, slot = target.partition(".")
        if record in _COLUMN_RECORDS:
            stack = self.columns.setdefault(record, {}).setdefault(column, [])
            free = [g for g in stack if slot not in g]
            if slot in _ADDED_SLOTS and stack:
                group = stack[-1]
            elif free:
                group = free[0]
            else:
                group = {}
                stack.append(group)
            group.setdefault(slot, []).append(value)
            return
        self.values.setdefault(record, {}).setdefault(slot, []).append(value)

    def get(self, record: str) -> dict[str, list[Any]]:
        return self.values.get(record, {})


@dataclass
class _State:
    file: Path
    mapping: IdrMapping
    out: Collector
    study: _Component
    components: list[_Component] = field(default_factory=list)
    persons: dict[int, dict[str, Any]] = field(default_factory=dict)
    kind_name: str = "component"


def _convert(kind: str, key: str, cell: Cell, where: Location, state: _State) -> list[Any]:
    text = cell.text
    if kind == "list":
        return split_values(text)
    if kind == "date":
        if _DATE.match(text):
            return [text]
        state.out.add(Severity.WARNING, f"{key!r} is not a YYYY-MM-DD date", where, value=text)
        return []
    if kind in ("doi", "orcid"):
        found = doi_iri(text) if kind == "doi" else orcid_iri(text)
        if found is None:
            state.out.add(
                Severity.WARNING, f"{key!r} is not a valid {kind.upper()}", where, value=text
            )
        return [found] if found else []
    if kind == "license":
        iri = state.out.license(key, text, where)
        return [iri] if iri else []
    if kind == "link" and not is_plausible_iri(text):
        state.out.unmapped(key, text, where)
        return []
    if kind in ("iri", "link"):
        iri = state.out.iri(key, text, where)
        return [iri] if iri else []
    return [text]


def _row_map(rows: list[Row]) -> dict[str, Row]:
    return {_norm(row.key): row for row in rows}


def _term_rows(key: str, rows: Mapping[str, Row]) -> tuple[Row | None, Row | None]:
    """The REF and accession rows of a triplet (IDR also writes "Screen Technology Term ...")."""
    stems = [key, re.sub(r"\s+type$", "", key, flags=re.IGNORECASE)]
    for stem in stems:
        ref = rows.get(_norm(f"{stem} Term Source REF"))
        acc = rows.get(_norm(f"{stem} Term Accession"))
        if ref or acc:
            return ref, acc
    return None, None


def _accession_iris(key: str, text: str, source: str, where: Location, state: _State) -> list[str]:
    """IRIs of one accession cell; comma-joined or space-broken ones repaired with a warning."""
    found = repair_terms(text, lambda part: ebi_term_iri(part, source))
    at = replace(where, field=f"{key} Term Accession")
    if found.repair == "invalid":
        state.out.add(
            Severity.WARNING,
            f"{key!r}: term accession not recognised (source {source or '?'}); not stored",
            at,
            value=text,
        )
    elif found.repair:
        how = (
            "two accessions joined by a comma, split"
            if found.repair == "split"
            else ("an accession broken by a space, joined")
        )
        state.out.add(Severity.WARNING, f"{key!r}: {how}", at, value=text)
    return found.iris


def _cell_at(row: Row | None, column: int) -> Cell | None:
    if row is None:
        return None
    return next((cell for cell in row.cells if cell.column == column), None)


def _read_term(
    spec: KeySpec, row: Row, rows: Mapping[str, Row], comp: _Component, state: _State
) -> set[str]:
    """Read a term triplet; returns the normalised keys of the rows it consumed."""
    ref_row, acc_row = _term_rows(row.key, rows)
    columns = sorted({c.column for r in (row, ref_row, acc_row) if r for c in r.cells})
    for column in columns:
        label, ref, acc = (_cell_at(r, column) for r in (row, ref_row, acc_row))
        if label and spec.label:
            comp.put(spec.label, label.text, column)
        source = ref.text if ref else spec.default_source
        if acc is None:
            if label and spec.target:
                state.out.add(
                    Severity.WARNING,
                    f"{row.key!r}: no term accession; kept as a label only",
                    state.out.at(line=row.line, column=str(column), field=row.key),
                    value=label.text,
                    fix=f"add the ontology id in '{row.key} Term Accession'",
                )
            continue
        where = state.out.at(line=acc_row.line if acc_row else row.line, column=str(column))
        iris = _accession_iris(row.key, acc.text, source, where, state)
        for iri in iris:
            if spec.target:
                comp.put(spec.target, iri, column)
            else:
                state.out.unmapped(f"{row.key} Term Accession", acc.text, where)
    return {_norm(r.key) for r in (ref_row, acc_row) if r}


# slots that take one value per row; further columns are reported, not silently dropped
_MULTI_VALUED = frozenset({"project.keywords", "dataset.external_links", "person.roles"})


def _read_plain(spec: KeySpec, row: Row, comp: _Component, state: _State) -> None:
    assert spec.target is not None
    record = spec.target.partition(".")[0]
    single = (
        record not in ("person", "organization", *_COLUMN_RECORDS)
        and spec.target not in _MULTI_VALUED
    )
    for index, cell in enumerate(row.cells):
        where = state.out.at(line=row.line, column=str(cell.column), field=row.key)
        if single and index > 0:
            state.out.add(
                Severity.WARNING,
                f"{row.key!r} takes one value; this extra column is not stored",
                where,
                value=cell.text,
            )
            continue
        if is_placeholder(cell.text):
            state.out.placeholder(row.key, cell.text, where)
            continue
        for value in _convert(spec.kind, row.key, cell, where, state):
            if record in ("person", "organization"):
                person = state.persons.setdefault(cell.column, {})
                person.setdefault(spec.target, []).append(value)
            else:
                comp.put(spec.target, value, cell.column)


def _read_block(
    rows: list[Row], specs: Mapping[str, KeySpec], comp: _Component, state: _State
) -> None:
    by_key = _row_map(rows)
    consumed: set[str] = set()
    consumed_lines: set[int] = set()
    is_study = comp is state.study
    for index, row in enumerate(rows):
        spec = specs.get(_block_key(row, is_study))
        if spec is not None and spec.kind == "term":
            consumed |= _read_term(spec, row, by_key, comp, state)
        elif spec is not None and spec.kind == "accession":
            consumed_lines |= _read_accession(spec, rows, index, comp, state)
    for row in rows:
        spec = specs.get(_block_key(row, is_study))
        if row.line in consumed_lines or _norm(row.key) in consumed:
            continue
        if spec and (spec.ignore or spec.kind in ("term", "accession")):
            continue
        if spec is None or spec.target is None:
            for cell in row.cells:
                where = state.out.at(line=row.line, column=str(cell.column), field=row.key)
                state.out.unmapped(row.key, cell.text, where)
            continue
        _read_plain(spec, row, comp, state)


def _block_key(row: Row, is_study: bool) -> str:
    return _norm(row.key) if is_study else _norm(_COMPONENT_PREFIX.sub("", row.key))


def _nearest_above(rows: list[Row], index: int, key: str) -> Row | None:
    """The closest row named `key` among the three above `index` (a triplet's other rows)."""
    for row in reversed(rows[max(0, index - 3) : index]):
        if _norm(row.key) == _norm(key):
            return row
    return None


def _read_accession(
    spec: KeySpec, rows: list[Row], index: int, comp: _Component, state: _State
) -> set[int]:
    """One accession row with its source and name rows; returns the lines it consumed."""
    row = rows[index]
    source_row = _nearest_above(rows, index, spec.source_key) if spec.source_key else None
    name_row = _nearest_above(rows, index, spec.name_key) if spec.name_key else None
    for cell in row.cells:
        ref = _cell_at(source_row, cell.column)
        source = ref.text if ref else spec.default_source
        where = state.out.at(line=row.line, column=str(cell.column))
        key = row.key.removesuffix(" Term Accession").removesuffix(" Accession")
        for iri in _accession_iris(key, cell.text, source, where, state):
            comp.put(str(spec.target), iri, cell.column)
    if name_row is not None and spec.name_target:
        for cell in name_row.cells:
            comp.put(spec.name_target, cell.text, cell.column)
    return {r.line for r in (row, source_row, name_row) if r is not None}


def _split_components(rows: list[Row]) -> tuple[list[Row], list[list[Row]]]:
    study: list[Row] = []
    blocks: list[list[Row]] = []
    for row in rows:
        if _COMPONENT_START.match(row.key):
            blocks.append([])
        (blocks[-1] if blocks else study).append(row)
    return study, blocks


def _project_key(file: Path, study: _Component) -> str:
    accession = study.get("project").get("accession")
    if accession:
        return slug(str(accession[0]))
    match = re.match(r"(idr\d{4})", file.name, re.IGNORECASE)
    return match.group(1).lower() if match else slug(file.stem)


def _component_key(comp: _Component, project_key: str, kind: str) -> str:
    titles = comp.get("dataset").get("title") or []
    if titles:
        return str(titles[0]).rsplit("/", 1)[-1]
    return f"{kind}{comp.number}"


def _component_title(study: _Component, name: str | None, local: str) -> str:
    """A readable title for a screen or experiment: the study's title and the part's name.

    IDR names them like "idr0038-held-kidneylightsheet/experimentA", an identifier that says
    little on a landing page or in a search result; it is kept as the accession.
    """
    study_title = _first(study.get("project"), "title")
    return f"{study_title} ({local})" if study_title else name or local


def _first(values: Mapping[str, list[Any]], slot: str) -> Any:
    found = values.get(slot) or []
    return found[0] if found else None


def _persons(state: _State, pid: str) -> list[Person]:
    people: list[Person] = []
    for index, column in enumerate(sorted(state.persons), start=1):
        values = state.persons[column]
        given = _first(values, "person.given_name")
        family = _first(values, "person.family_name")
        name = " ".join(str(v) for v in (given, family) if v) or None
        person_id = part_id(pid, "contact", index)
        address = _first(values, "organization.address")
        affiliation = (
            build_record(Organization, id=part_id(person_id, "affiliation"), address=address)
            if address
            else None
        )
        people.append(
            build_record(
                Person,
                id=person_id,
                name=name,
                given_name=given,
                family_name=family,
                email=_first(values, "person.email"),
                orcid=_first(values, "person.orcid"),
                roles=values.get("person.roles", []),
                affiliation=affiliation,
            )
        )
    return people


def _publication(study: _Component, pid: str) -> list[Publication]:
    values = study.get("publication")
    if not values:
        return []
    return [
        build_record(
            Publication,
            id=part_id(pid, "publication", 1),
            title=_first(values, "title"),
            url=_first(values, "url"),
            doi=_first(values, "doi"),
            pubmed_id=_first(values, "pubmed_id"),
            pmc_id=_first(values, "pmc_id"),
            citation_text=_first(values, "citation_text"),
        )
    ]


def _column_groups(comp: _Component, record: str) -> list[dict[str, list[Any]]]:
    """Column by column, block by block: the order a reader of the file sees them."""
    columns = comp.columns.get(record, {})
    return [g for _column, stack in sorted(columns.items()) for g in stack]


def _protocols(comp: _Component, did: str) -> list[Protocol]:
    return [
        build_record(
            Protocol,
            id=part_id(did, "protocol", index),
            name=_first(values, "name"),
            description=_first(values, "description"),
            protocol_type=_first(values, "protocol_type"),
            protocol_type_name=_first(values, "protocol_type_name"),
        )
        for index, values in enumerate(_column_groups(comp, "protocol"), start=1)
    ]


def _phenotypes(comp: _Component, did: str) -> list[Phenotype]:
    return [
        build_record(
            Phenotype,
            id=part_id(did, "phenotype", index),
            name=_first(values, "name"),
            description=_first(values, "description"),
            score_type=_first(values, "score_type"),
            terms=list(dict.fromkeys(values.get("terms", []))),
            term_names=list(dict.fromkeys(values.get("term_names", []))),
        )
        for index, values in enumerate(_column_groups(comp, "phenotype"), start=1)
    ]


def _dataset(comp: _Component, study: _Component, project_key: str, state: _State) -> Dataset:
    local = _component_key(comp, project_key, comp.kind or state.kind_name)
    did = dataset_id(project_key, local)
    values = comp.get("dataset")
    organisms = comp.get("biosample").get("organisms") or study.get("biosample").get(
        "organisms", []
    )
    sample = comp.get("biosample")
    biosample = build_record(
        Biosample,
        id=part_id(did, "biosample"),
        organisms=list(dict.fromkeys(organisms)),
        description=_first(sample, "description"),
    )
    acq = comp.get("acquisition")
    acquisition = build_record(
        ImageAcquisition,
        id=part_id(did, "image-acquisition"),
        imaging_methods=list(dict.fromkeys(acq.get("imaging_methods", []))),
        imaging_method_names=list(dict.fromkeys(acq.get("imaging_method_names", []))),
        experiment_types=list(dict.fromkeys(acq.get("experiment_types", []))),
    )
    state.out.stored(did, "title", state.out.at(line=comp.line))
    name = _first(values, "title")  # IDR's name of the screen or experiment, an identifier
    return build_record(
        Dataset,
        id=did,
        title=_component_title(study, name, local),
        accession=name,
        description=_first(values, "description"),
        landing_page=_first(values, "landing_page"),
        data_doi=_first(values, "data_doi"),
        kind="image",
        component_type=comp.kind or None,
        external_links=values.get("external_links", []),
        biosamples=[biosample],
        image_acquisitions=[acquisition],
        protocols=_protocols(comp, did),
        phenotypes=_phenotypes(comp, did),
    )


def _project(state: _State) -> Project:
    study = state.study
    key = _project_key(state.file, study)
    pid = project_id(key)
    values = study.get("project")
    components = state.components or [_Component(1, 1)]
    licenses = list(dict.fromkeys(values.get("license", [])))
    return build_record(
        Project,
        id=pid,
        title=_first(values, "title"),
        description=_first(values, "description"),
        accession=_first(values, "accession") or key,
        keywords=values.get("keywords", []),
        license=licenses[0] if licenses else None,
        landing_page=f"{IDR_STUDY_PAGE}{key}/" if re.match(r"^idr\d{4}$", key) else None,
        data_doi=_first(values, "data_doi"),
        release_date=_first(values, "release_date"),
        project_type=_first(values, "project_type"),
        source_repository="IDR",
        contacts=_persons(state, pid),
        publications=_publication(study, pid),
        datasets=[_dataset(c, study, key, state) for c in components],
    )


def read_idr_text(text: str, file: Path, mapping: IdrMapping | None = None) -> ReadResult:
    """Read the text of a study file (split out so tests and property tests skip the disk)."""
    mapping = mapping or load_mapping()
    state = _State(file, mapping, Collector(str(file)), _Component(0, 1))
    rows = _join_continuations(parse_rows(text, mapping.known), mapping.known, state.out)
    study_rows, blocks = _split_components(rows)
    _read_block(study_rows, mapping.study, state.study, state)
    for number, block in enumerate(blocks, start=1):
        state.kind_name = block[0].key.split()[0].lower()
        comp = _Component(number, block[0].line, state.kind_name)
        _read_block(block, mapping.component, comp, state)
        state.components.append(comp)
    project = _project(state)
    _check_project(project, state)
    return ReadResult([project], state.out.findings, state.out.source_map)


def _join_continuations(rows: list[Row], known: frozenset[str], out: Collector) -> list[Row]:
    """Put lines back where they belong, each with a warning.

    A row found inside another row's quoted cell is read as its own row. A line that is no
    key and holds no values, right after a known key, continues that row's last value: free
    text broken over several physical lines without quotes (idr0148's protocols), or a
    stray quoted line under an empty row (idr0038).
    """
    joined: list[Row] = []
    for row in rows:
        if row.spilled:
            out.add(
                Severity.WARNING,
                f"the key {row.key!r} was inside the quoted value above it (an unbalanced quote);"
                " read as its own row",
                out.at(line=row.line, field=row.key),
                fix="close the quote of the previous value",
            )
        previous = joined[-1] if joined else None
        if previous is None or _norm(row.key) in known or row.cells:
            joined.append(row)
            continue
        if _norm(previous.key) not in known:
            joined.append(row)
            continue
        joined[-1] = _continue(previous, row.key)
        out.add(
            Severity.WARNING,
            f"line {row.line} is no key: read as the continuation of {previous.key!r}"
            f" (line {previous.line})",
            out.at(line=row.line, field=previous.key),
            value=row.key[:80],
            fix="keep a value on one line, or quote it",
        )
    return joined


def _continue(row: Row, text: str) -> Row:
    text = text.strip().strip('"').strip()
    if not row.cells:
        return replace(row, cells=(Cell(2, text),))
    last = row.cells[-1]
    return replace(row, cells=(*row.cells[:-1], Cell(last.column, f"{last.text}\n{text}")))


def _check_project(project: Project, state: _State) -> None:
    if project.accession == "idr0000":
        state.out.add(
            Severity.VIOLATION,
            "this is the blank IDR study template (idr0000), not a study: nothing to store",
            state.out.at(field="Comment[IDR Study Accession]"),
            fix="fill in the template for your study and give it its IDR accession",
        )
    if project.license is None:
        state.out.add(
            Severity.WARNING,
            "the study states no licence ('Study License' row missing or empty)",
            state.out.at(field="Study License"),
            fix="add 'Study License' and 'Study License URL' rows",
        )
    if not project.title:
        state.out.stored(str(project.id), "title", state.out.at(field="Study Title"))


def read_idr_study(path: Path, annotations: Sequence[Path] = ()) -> ReadResult:
    """Read an `idrNNNN-study.txt` file into one Project with a Dataset per screen/experiment.

    The study's annotation files found around it (and `annotations`) are read too: their
    image groups go on the dataset of the component each file is named after.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        result = ReadResult()
        out = Collector(str(path))
        out.add(Severity.VIOLATION, f"file cannot be read: {exc.strerror or exc}", out.at())
        result.findings = out.findings
        return result
    text = raw.decode("utf-8", errors="replace")
    result = read_idr_text(text, path)
    if "\ufffd" in text:
        result.findings.append(_encoding_finding(path, text))
    given = [p.resolve() for p in annotations]
    named = {ANNOTATION_NAME.match(p.name) for p in given}
    components = {m["component"].lower() for m in named if m}
    found = [
        p
        for p in annotation_files(path)
        if not (m := ANNOTATION_NAME.match(p.name)) or m["component"].lower() not in components
    ]
    files = dict.fromkeys([*given, *found])
    for project in result.projects:
        for file in files:
            _attach_annotations(project, file, result)
    return result


def _attach_annotations(project: Project, file: Path, result: ReadResult) -> None:
    """Read one annotation file onto the dataset of its component (made if the study lacks it)."""
    out = Collector(str(file))
    annotations = read_annotation_file(file, out)
    result.findings.extend(out.findings)
    if annotations is None:
        return
    key = key_of(str(project.id))
    did = dataset_id(key, annotations.component)
    dataset = next((d for d in project.datasets if str(d.id) == did), None)
    if dataset is None:
        out.add(
            Severity.WARNING,
            f"the study names no component {annotations.component!r}: a dataset is made for"
            " these annotations",
            out.at(),
            fix="name the screen or experiment in the study file ('Comment[IDR ... Name]')",
        )
        result.findings.extend(out.findings[-1:])
        dataset = build_record(
            Dataset, id=did, title=f"{key} {annotations.component}", kind="image"
        )
        project.datasets.append(dataset)
    dataset.image_groups = image_groups(annotations, did)
    dataset.image_count = annotations.rows
    result.source_map[(did, "image_groups")] = out.at()


def read_idr_annotations(path: Path) -> ReadResult:
    """Read an annotation CSV with its study (found next to it), or alone with a warning.

    Alone, the project holds only what the file says: its title is made from the file name
    and reported, so a later load of the study file replaces it with the real one.
    """
    study = study_file_for(path)
    if study is not None:
        return read_idr_study(study, [path])
    match = ANNOTATION_NAME.match(path.name)
    key = match["study"].lower() if match else slug(path.stem)
    result = ReadResult()
    out = Collector(str(path))
    out.add(
        Severity.WARNING,
        f"no study file {key}-study.txt next to this file: the project holds the annotations"
        " only, under a title made from the file name",
        out.at(),
        fix=f"load {key}-study.txt with it (same folder, the folder above or beside it)",
    )
    project = build_record(
        Project,
        id=project_id(key),
        title=f"{key}: image annotations ({path.name})",
        accession=key,
        landing_page=f"{IDR_STUDY_PAGE}{key}/" if re.match(r"^idr\d{4}$", key) else None,
        source_repository="IDR",
        datasets=[
            build_record(
                Dataset,
                id=dataset_id(key, match["component"] if match else "annotations"),
                title=f"{key} {match['component'] if match else 'annotations'}",
                kind="image",
            )
        ],
    )
    result.projects.append(project)
    result.findings.extend(out.findings)
    _attach_annotations(project, path, result)
    return result


def _encoding_finding(path: Path, text: str) -> Finding:
    line = text[: text.index("\ufffd")].count("\n") + 1
    return Finding(
        Severity.WARNING,
        "the file is not valid UTF-8; undecodable bytes were replaced",
        Location(file=str(path), line=line),
        fix="save the file as UTF-8",
    )


def read_bulkmap_config(path: Path) -> ReadResult:
    """An IDR bulk-map config names the columns of the annotation file beside it: read that."""
    annotation = path.with_name(re.sub(r"-bulkmap-config\.ya?ml$", "-annotation.csv", path.name))
    out = Collector(str(path))
    if not annotation.is_file():
        out.add(
            Severity.VIOLATION,
            f"an IDR bulk-map config describes the columns of {annotation.name}, which is not"
            " next to it: nothing to store",
            out.at(),
            fix=f"load {annotation.name} (with its study file)",
        )
        return ReadResult(findings=out.findings)
    result = read_idr_annotations(annotation)
    out.add(
        Severity.INFO,
        f"the column configuration of {annotation.name}: that file was read with its study",
        out.at(),
    )
    result.findings.extend(out.findings)
    return result
