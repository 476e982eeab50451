"""IDR annotation files (`idrNNNN-screenA-annotation.csv`): image-level annotations as groups.

One row per image (or per plate well) with biosample characteristics (organism, cell line,
organism part, genotype ...), perturbations (gene, siRNA, antibody, compound, dose) and
scored phenotypes (CMPO). IDR's own search ("mapr") indexes exactly these columns.

The rows become `ImageGroup` records: the images of a component that share every stored
value, with their count. Groups partition the images, so image counts add up per value and
two values of one group were seen in the same images ("gene X knocked down, phenotype Y
scored"). Triples grow with the distinct annotation combinations, not with the rows; what
identifies a single image (plate, well, file name) is counted, not stored per image
(bench/bench_annotations.py measures both designs).

Which column goes where is declared in `loaders/idr_annotations.yaml`. Every column that is
not stored gets one INFO finding with its number of values; unrecognised accessions get one
warning per distinct value (with its first line and how often it occurs), never one per row.

An annotation file belongs to a study: the reader finds the study file next to it (same
folder, the folder above, or a sibling folder such as `study/`) and the study reader attaches
every annotation file it finds the same way, so loading either file stores the same graph.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg_service.findings import Severity
from kg_service.ingest import build_record
from kg_service.ingest.identifiers import (
    chebi_iri,
    ebi_term_iri,
    entrez_iri,
    gene_iri,
    pubchem_iri,
)
from kg_service.ingest.ids import part_id
from kg_service.ingest.peer_common import Collector
from kg_service.model import ImageGroup
from kg_service.normalize import taxon_iri
from kg_service.paths import knowledge_dir

MAPPING_FILE = "idr_annotations.yaml"
ANNOTATION_NAME = re.compile(r"^(?P<study>idr\d{4})-(?P<component>[^-]+)-annotation\.csv$", re.I)
# Slots of ImageGroup that hold sets of values (the group key is made of them)
_SET_SLOTS = (
    "organisms",
    "cell_lines",
    "cell_line_names",
    "anatomical_entities",
    "genes",
    "gene_symbols",
    "sirnas",
    "antibodies",
    "compounds",
    "compound_names",
    "phenotypes",
    "phenotype_names",
    "intrinsic_variables",
    "extrinsic_variables",
)
# Slots merged into the group rather than splitting it: in a screen every well has its own
# siRNA (three per gene), so keying groups by siRNA would make one group per well. The
# group's images share every other value and used these reagents; per-reagent image
# counts are not kept (see bench/bench_annotations.py for the sizes).
_MERGED_SLOTS = frozenset({"sirnas", "antibodies", "gene_symbols", "cell_line_names"})
_ACCESSION_PARSERS: dict[str, Callable[[str, str], str | None]] = {
    "term": lambda text, ref: ebi_term_iri(text, ref),
    "taxon": lambda text, ref: taxon_iri(text) or ebi_term_iri(text, ref or "NCBITaxon"),
    "gene": lambda text, _ref: gene_iri(text),
    "entrez": lambda text, _ref: entrez_iri(text),
    "pubchem": lambda text, _ref: pubchem_iri(text),
    "chebi": lambda text, _ref: chebi_iri(text),
}


# --- the declarative column table -------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRule:
    """How the columns whose header matches `pattern` are read (loaders/idr_annotations.yaml)."""

    pattern: re.Pattern[str]
    slot: str | None = None  # ImageGroup slot for the value
    parse: str | None = None  # accession parser; None keeps the text
    term_slot: str | None = None  # slot for the term of the "Term Source N Accession" after it
    term_parse: str = "term"
    label: bool = False  # store "Header: value" (free characteristics and conditions)
    identity: bool = False  # identifies one image: counted, not stored


@lru_cache(maxsize=2)
def load_rules(path: Path | None = None) -> tuple[ColumnRule, ...]:
    path = path or knowledge_dir("loaders") / MAPPING_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for item in data["columns"]:
        spec = dict(item)
        pattern = re.compile(spec.pop("match"), re.IGNORECASE)
        rules.append(ColumnRule(pattern=pattern, **spec))
    return tuple(rules)


@dataclass
class _Column:
    index: int
    header: str
    rule: ColumnRule | None
    term_index: int | None = None  # the "Term Source N Accession" column that follows
    ref_index: int | None = None  # the "Term Source N REF" column that follows


def _plan(header: list[str], rules: tuple[ColumnRule, ...]) -> list[_Column]:
    """Match each header to a rule; attach the term source columns that follow a value."""
    plan: list[_Column] = []
    for index, name in enumerate(header):
        name = " ".join(name.replace("\ufeff", "").split())
        if re.match(r"^Term Source \d+ (REF|Accession)$", name, re.IGNORECASE):
            owner = next((c for c in reversed(plan) if c.term_index is None), None)
            if owner is not None and owner.index >= index - 2:
                if name.lower().endswith("ref"):
                    owner.ref_index = index
                else:
                    owner.term_index = index
                continue
        rule = next((r for r in rules if r.pattern.match(name)), None)
        plan.append(_Column(index, name, rule))
    return plan


# --- reading ------------------------------------------------------------------------------------


@dataclass
class AnnotationSet:
    """The groups of one annotation file, and its counts."""

    component: str
    rows: int = 0
    groups: Counter[tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=Counter)
    merged: dict[tuple[tuple[str, tuple[str, ...]], ...], dict[str, set[str]]] = field(
        default_factory=dict
    )


@dataclass
class _Problems:
    """Unrecognised values, counted per (column, value): one finding each, not one per row."""

    first_line: dict[tuple[str, str], int] = field(default_factory=dict)
    count: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, column: str, value: str, line: int) -> None:
        key = (column, value)
        self.count[key] += 1
        self.first_line.setdefault(key, line)


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    text = path.read_bytes().decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
    for record in reader:
        yield reader.line_num, record


def _cell(record: list[str], index: int | None) -> str:
    if index is None or index >= len(record):
        return ""
    return record[index].strip()


def _value_of(
    column: _Column, record: list[str], line: int, problems: _Problems
) -> Iterator[tuple[str, str]]:
    """(slot, value) pairs a row gives for one column."""
    rule = column.rule
    value = _cell(record, column.index)
    if rule is None or rule.identity or not value:
        return
    if rule.slot and rule.parse:
        parsed = _ACCESSION_PARSERS[rule.parse](value, "")
        if parsed:
            yield rule.slot, parsed
        else:
            problems.add(column.header, value, line)
    elif rule.slot:
        yield rule.slot, f"{_label(column.header)}: {value}" if rule.label else value
    accession = _cell(record, column.term_index)
    if accession and rule.term_slot:
        parsed = _ACCESSION_PARSERS[rule.term_parse](accession, _cell(record, column.ref_index))
        if parsed:
            yield rule.term_slot, parsed
        else:
            header = f"{column.header} (Term Source Accession)"
            problems.add(header, accession, line)


def _label(header: str) -> str:
    """`Characteristics [Developmental Stage]` -> `Developmental Stage`."""
    found = re.search(r"\[([^\]]+)\]", header)
    return found.group(1).strip() if found else header


def read_annotation_file(
    path: Path, out: Collector, *, per_image: bool = False
) -> AnnotationSet | None:
    """Group the rows of one annotation CSV; findings go to `out` (bound to this file).

    `per_image` keeps one group per row (the image's identity columns join the key): the
    one-record-per-image design, kept for bench/bench_annotations.py to compare against.
    """
    match = ANNOTATION_NAME.match(path.name)
    result = AnnotationSet(match["component"] if match else path.stem)
    problems = _Problems()
    filled: Counter[int] = Counter()
    try:
        rows = _rows(path)
        _line, header = next(rows, (0, []))
        plan = _plan(header, load_rules())
        for line, record in rows:
            if not any(cell.strip() for cell in record):
                continue
            result.rows += 1
            values: dict[str, set[str]] = {}
            for column in plan:
                if _cell(record, column.index):
                    filled[column.index] += 1
                if per_image and column.rule is not None and column.rule.identity:
                    values.setdefault("image", set()).add(_cell(record, column.index))
                for slot, value in _value_of(column, record, line, problems):
                    values.setdefault(slot, set()).add(value)
            merged = {s: values.pop(s) for s in _MERGED_SLOTS & values.keys()}
            key = tuple(sorted((s, tuple(sorted(v))) for s, v in values.items()))
            result.groups[key] += 1
            if merged:
                into = result.merged.setdefault(key, {})
                for slot, found in merged.items():
                    into.setdefault(slot, set()).update(found)
    except (OSError, csv.Error) as exc:
        out.add(Severity.VIOLATION, f"file cannot be read as CSV: {exc}", out.at())
        return None
    _report_columns(plan, filled, out)
    _report_problems(problems, out)
    return result


def _report_columns(plan: list[_Column], filled: Counter[int], out: Collector) -> None:
    for column in plan:
        count = filled[column.index]
        if not count or (column.rule is not None and column.rule.slot):
            continue
        why = (
            "identifies single images: counted, not stored per image"
            if column.rule is not None and column.rule.identity
            else "has no place in the model yet; its values are not stored"
        )
        out.add(
            Severity.INFO,
            f"column {column.header!r} ({count} values) {why}",
            out.at(column=column.header),
        )


def _report_problems(problems: _Problems, out: Collector) -> None:
    for (column, value), count in sorted(problems.count.items()):
        out.add(
            Severity.WARNING,
            f"{column!r}: not a recognised identifier in {count} row(s); not stored",
            out.at(column=column, line=problems.first_line[(column, value)]),
            value=value,
        )


def image_groups(annotations: AnnotationSet, dataset_id: str) -> list[ImageGroup]:
    """Model records for the groups, with ids derived from their values (stable on reload)."""
    records: list[ImageGroup] = []
    for key, count in sorted(annotations.groups.items()):
        values: dict[str, Any] = dict(key)
        values.update({s: tuple(sorted(v)) for s, v in annotations.merged.get(key, {}).items()})
        digest = hashlib.sha1(repr(key).encode("utf-8")).hexdigest()[:16]
        control = values.pop("control_type", ())
        image = values.pop("image", ())  # per-image design only: the image's name
        records.append(
            build_record(
                ImageGroup,
                id=part_id(dataset_id, "images", None) + f"/{digest}",
                image_count=count,
                control_type=control[0] if control else None,
                label=" / ".join(image) or None,
                **{slot: list(values.get(slot, ())) for slot in _SET_SLOTS},
            )
        )
    return records


# --- finding the files of one study ---------------------------------------------------------------


def _nearby(path: Path) -> Iterable[Path]:
    """Folders to look in: this one, its subfolders, the one above, and the ones beside it."""
    here = path.parent
    yield here
    yield from (p for p in sorted(here.iterdir()) if p.is_dir())
    yield here.parent
    yield from (p for p in sorted(here.parent.iterdir()) if p.is_dir() and p != here)


def annotation_files(study_file: Path) -> list[Path]:
    """The annotation files of a study file's study, found around it: one per component,
    the nearest one (same folder, then subfolders, then folders beside it) when a copy of
    the same component's file lies further away."""
    match = re.match(r"(idr\d{4})", study_file.name, re.IGNORECASE)
    if not match:
        return []
    found: dict[str, Path] = {}
    for folder in _safe(_nearby(study_file)):
        for candidate in sorted(folder.glob(f"{match.group(1)}-*-annotation.csv")):
            name = ANNOTATION_NAME.match(candidate.name)
            component = name["component"] if name else candidate.name
            found.setdefault(component.lower(), candidate.resolve())
    return list(found.values())


def study_file_for(annotation_file: Path) -> Path | None:
    """The study file next to an annotation file, if there is one."""
    match = ANNOTATION_NAME.match(annotation_file.name)
    if not match:
        return None
    for folder in _safe(_nearby(annotation_file)):
        candidate = folder / f"{match['study']}-study.txt"
        if candidate.is_file():
            return candidate
    return None


def _safe(folders: Iterable[Path]) -> Iterator[Path]:
    try:
        yield from folders
    except OSError:
        return


def summary_values(annotations: AnnotationSet, slot: str) -> Counter[str]:
    """Images per value of one slot (for findings and tests)."""
    counts: Counter[str] = Counter()
    for key, count in annotations.groups.items():
        values = dict(key).get(slot, ()) or annotations.merged.get(key, {}).get(slot, ())
        for value in values:
            counts[value] += count
    return counts
