"""Reader for BioImage Archive submissions in BioStudies PageTab JSON.

A PageTab study is a tree of sections (`type`, `attributes[{name, value, valqual}]`,
`subsections` that may nest in lists). REMBI components do not use ids: a Study Component's
`Associations` name its Biosample and Image acquisition sections by their *Title text*.
Submitters' spelling drifts (`Image acquisition`/`Image Acquisition`, `organisation`/
`organization`, `E-mail`/`Email`, `Keyword`/`Keywords`), so section types and attribute names
are compared in a folded form. Placeholders such as "TBD" are reported and never stored, and
every attribute that has no place in the model becomes an INFO finding at its JSON pointer.

Ids: `projects/{accno}` (e.g. projects/S-BIAD1043), `datasets/{accno}-{component name}`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg_service.findings import Location, Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, slug
from kg_service.ingest.peer_common import Collector, is_placeholder, read_json
from kg_service.model import (
    Biosample,
    Dataset,
    Grant,
    ImageAcquisition,
    Instrument,
    Organization,
    Person,
    Project,
    Protocol,
    Publication,
)
from kg_service.normalize import doi_iri, orcid_iri, pubmed_id, taxon_iri
from kg_service.terms.index import taxon_from_text

BIA_STUDY_PAGE = "https://www.ebi.ac.uk/biostudies/bioimages/studies/"

# folded section type -> canonical type
_SECTION_TYPES = {
    "study": "study",
    "author": "author",
    "organisation": "organisation",
    "organization": "organisation",
    "publication": "publication",
    "funding": "funding",
    "biosample": "biosample",
    "organism": "organism",
    "specimen": "specimen",
    "image acquisition": "image acquisition",
    "imaging method": "imaging method",
    "study component": "study component",
    "associations": "associations",
    "association": "associations",
}
# folded attribute name -> canonical name
_ATTRIBUTE_NAMES = {
    "keyword": "keywords",
    "keywords": "keywords",
    "e-mail": "email",
    "email": "email",
    "affiliation": "affiliation",
    "pubmed id": "pubmed id",
    "pubmedid": "pubmed id",
    "grant_id": "grant id",
    "grant id": "grant id",
}


def _fold(text: str) -> str:
    return " ".join(str(text).replace("_", " ").split()).casefold()


def section_type(raw: str) -> str:
    """Canonical section type (`Image Acquisition` -> `image acquisition`, `Annotations` -> ...)."""
    folded = _fold(raw)
    return _SECTION_TYPES.get(folded, _SECTION_TYPES.get(folded.rstrip("s"), folded))


def attribute_name(raw: str) -> str:
    folded = _fold(raw)
    return _ATTRIBUTE_NAMES.get(folded.replace(" ", "_"), _ATTRIBUTE_NAMES.get(folded, folded))


@dataclass
class Attr:
    name: str  # canonical
    raw_name: str
    value: str
    pointer: str
    valqual: dict[str, str] = field(default_factory=dict)
    reference: bool = False


@dataclass
class Section:
    type: str
    raw_type: str
    accno: str | None
    attrs: list[Attr]
    pointer: str
    children: list[Section]

    def values(self, name: str) -> list[Attr]:
        return [a for a in self.attrs if a.name == name]


def _attrs(raw: Any, pointer: str) -> list[Attr]:
    found: list[Attr] = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict) or "name" not in item:
            continue
        valqual = {
            _fold(q.get("name", "")): str(q.get("value", ""))
            for q in item.get("valqual") or []
            if isinstance(q, dict)
        }
        value = item.get("value")
        found.append(
            Attr(
                attribute_name(str(item["name"])),
                str(item["name"]),
                "" if value is None else str(value).strip(),
                f"{pointer}/{index}",
                valqual,
                bool(item.get("reference")),
            )
        )
    return found


def _sections(raw: Any, pointer: str) -> Iterator[Section]:
    """Sections under `raw`, flattening the nested lists PageTab allows."""
    if isinstance(raw, list):
        for index, item in enumerate(raw):
            yield from _sections(item, f"{pointer}/{index}")
        return
    if not isinstance(raw, dict):
        return
    children = list(_sections(raw.get("subsections") or [], f"{pointer}/subsections"))
    raw_type = str(raw.get("type", ""))
    yield Section(
        section_type(raw_type),
        raw_type,
        raw.get("accno"),
        _attrs(raw.get("attributes"), f"{pointer}/attributes"),
        pointer,
        children,
    )


def _walk(section: Section) -> Iterator[Section]:
    yield section
    for child in section.children:
        yield from _walk(child)


# --- reading -----------------------------------------------------------------------------


@dataclass
class _Reader:
    out: Collector
    accno: str
    used: set[str] = field(default_factory=set)  # JSON pointers of attributes stored or reported

    def take(self, attr: Attr) -> str | None:
        """The attribute's value, or None (with a finding) when it is a placeholder."""
        self.used.add(attr.pointer)
        if not attr.value:
            return None
        if is_placeholder(attr.value):
            self.out.placeholder(attr.raw_name, attr.value, self.at(attr))
            return None
        return attr.value

    def first(self, section: Section, name: str) -> str | None:
        values = [v for v in (self.take(a) for a in section.values(name)) if v]
        return values[0] if values else None

    def all(self, section: Section, name: str) -> list[str]:
        return [v for v in (self.take(a) for a in section.values(name)) if v]

    def at(self, attr: Attr) -> Location:
        return self.out.at(json_pointer=attr.pointer, field=attr.raw_name)

    def converted(self, section: Section, name: str, convert: Any, what: str) -> str | None:
        for attr in section.values(name):
            value = self.take(attr)
            if value is None:
                continue
            found = convert(value)
            if found:
                return str(found)
            self.out.add(
                Severity.WARNING,
                f"{attr.raw_name!r} is not a valid {what}",
                self.at(attr),
                value=value,
            )
        return None


def _organisations(reader: _Reader, sections: list[Section], pid: str) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for index, section in enumerate((s for s in sections if s.type == "organisation"), start=1):
        key = section.accno or f"org{index}"
        orgs[key] = build_record(
            Organization,
            id=part_id(pid, "organisation", index),
            name=reader.first(section, "name"),
            address=reader.first(section, "address"),
            ror=reader.converted(
                section,
                "rorid",
                lambda v: v if v.startswith("http") else f"https://ror.org/{v}",
                "ROR id",
            ),
        )
    return orgs


def _authors(
    reader: _Reader, sections: list[Section], pid: str, orgs: dict[str, Organization]
) -> list[Person]:
    people: list[Person] = []
    for index, section in enumerate((s for s in sections if s.type == "author"), start=1):
        affiliation = None
        for attr in section.values("affiliation"):
            ref = reader.take(attr)
            if ref and ref in orgs:
                affiliation = affiliation or orgs[ref]
            elif ref:
                reader.out.add(
                    Severity.WARNING,
                    "affiliation names no organisation section",
                    reader.at(attr),
                    value=ref,
                )
        people.append(
            build_record(
                Person,
                id=part_id(pid, "author", index),
                name=reader.first(section, "name"),
                email=reader.first(section, "email"),
                orcid=reader.converted(section, "orcid", orcid_iri, "ORCID"),
                roles=reader.all(section, "role"),
                affiliation=affiliation,
            )
        )
    return people


def _publications(reader: _Reader, sections: list[Section], pid: str) -> list[Publication]:
    found: list[Publication] = []
    for index, section in enumerate((s for s in sections if s.type == "publication"), start=1):
        found.append(
            build_record(
                Publication,
                id=part_id(pid, "publication", index),
                title=reader.first(section, "title"),
                citation_text=reader.first(section, "authors"),
                doi=reader.converted(section, "doi", doi_iri, "DOI"),
                pubmed_id=reader.converted(section, "pubmed id", pubmed_id, "PubMed id"),
                pmc_id=reader.first(section, "pmc id"),
            )
        )
    return found


def _grants(reader: _Reader, sections: list[Section], pid: str) -> list[Grant]:
    return [
        build_record(
            Grant,
            id=part_id(pid, "grant", index),
            funder=reader.first(section, "agency"),
            grant_id=reader.first(section, "grant id"),
        )
        for index, section in enumerate((s for s in sections if s.type == "funding"), start=1)
    ]


def _organisms(reader: _Reader, section: Section) -> list[str]:
    """Taxon IRIs of a biosample: from MIFA `Organism` subsections or resolvable free text."""
    iris: list[str] = []
    for child in section.children:
        if child.type == "organism":
            iri = reader.converted(child, "ncbi taxon id", taxon_iri, "NCBI taxon id")
            iris += [iri] if iri else []
            for attr in child.attrs:
                if attr.pointer not in reader.used and reader.take(attr):
                    reader.out.unmapped(attr.raw_name, attr.value, reader.at(attr))
    for attr in section.values("organism"):
        value = reader.take(attr)
        if value is None:
            continue
        iri = taxon_iri(value)
        named = None if iri else taxon_from_text(value)
        if iri:
            iris.append(iri)
        elif named:
            iris.append(named)
            reader.out.add(
                Severity.INFO,
                f"organism given as a name; read as {named.rsplit('/', 1)[-1].replace('_', ':')}"
                " (exact name in NCBI Taxonomy)",
                reader.at(attr),
                value=value,
            )
        else:
            reader.out.add(
                Severity.WARNING,
                "organism is free text, not an NCBI taxon id; kept in the biosample description",
                reader.at(attr),
                value=value,
                fix="give the NCBI taxon id (e.g. NCBITaxon:9606)",
            )
    return iris


def _biosample(reader: _Reader, section: Section, record_id: str) -> Biosample:
    organisms = _organisms(reader, section)
    free_organisms = [
        a.value
        for a in section.values("organism")
        if a.value and not taxon_iri(a.value) and not taxon_from_text(a.value)
    ]
    parts = [reader.first(section, "description"), reader.first(section, "biological entity")]
    parts += [f"organism: {o}" for o in free_organisms if not is_placeholder(o)]
    return build_record(
        Biosample,
        id=record_id,
        organisms=organisms,
        description="; ".join(p for p in parts if p) or None,
        intrinsic_variables=reader.all(section, "intrinsic variable"),
        extrinsic_variables=reader.all(section, "extrinsic variable"),
    )


def _acquisition(reader: _Reader, section: Section, record_id: str) -> ImageAcquisition:
    names = reader.all(section, "imaging method")
    for child in section.children:
        if child.type == "imaging method":
            names += reader.all(child, "ontology value")
    microscope = reader.first(section, "imaging instrument")
    instrument = (
        build_record(Instrument, id=part_id(record_id, "instrument"), microscope=microscope)
        if microscope
        else None
    )
    return build_record(
        ImageAcquisition, id=record_id, imaging_method_names=names, instrument=instrument
    )


# PageTab specimen attributes that are protocols, with their EFO protocol type
_SPECIMEN_PROTOCOLS = {
    "growth protocol": ("growth protocol", "http://www.ebi.ac.uk/efo/EFO_0003789"),
    "sample preparation protocol": ("sample preparation protocol", None),
}


def _specimen_protocols(
    reader: _Reader, section: Section, did: str, already: int
) -> list[Protocol]:
    found: list[Protocol] = []
    for name, (label, efo) in _SPECIMEN_PROTOCOLS.items():
        for text in reader.all(section, name):
            found.append(
                build_record(
                    Protocol,
                    id=part_id(did, "protocol", already + len(found) + 1),
                    name=label,
                    description=text,
                    protocol_type=efo,
                    protocol_type_name=label,
                )
            )
    return found


def _by_title(sections: list[Section], kind: str) -> dict[str, Section]:
    """Sections of `kind` by folded Title: the link key of PageTab associations."""
    return {_fold(a.value): s for s in sections if s.type == kind for a in s.values("title")[:1]}


def _mark_link_titles(reader: _Reader, sections: list[Section]) -> None:
    """Titles of linkable sections are identifiers, not facts: used, not reported as unmapped."""
    for section in sections:
        if section.type in ("biosample", "specimen", "image acquisition"):
            reader.used.update(a.pointer for a in section.values("title"))


def _component(reader: _Reader, section: Section, sections: list[Section], index: int) -> Dataset:
    name = reader.first(section, "name") or reader.first(section, "title") or f"component-{index}"
    did = dataset_id(reader.accno, name)
    biosamples: list[Biosample] = []
    acquisitions: list[ImageAcquisition] = []
    protocols: list[Protocol] = []
    targets = {
        "biosample": _by_title(sections, "biosample"),
        "image acquisition": _by_title(sections, "image acquisition"),
        "specimen": _by_title(sections, "specimen"),
    }
    for assoc in (c for c in section.children if c.type == "associations"):
        for attr in assoc.attrs:
            if attr.name not in targets:
                continue
            title = reader.take(attr)
            target = targets[attr.name].get(_fold(title or ""))
            if title and target is None:
                reader.out.add(
                    Severity.WARNING,
                    f"association names a {attr.name} section title that does not exist",
                    reader.at(attr),
                    value=title,
                    fix="use the exact Title of an existing section",
                )
            elif target is not None and attr.name == "specimen":
                protocols += _specimen_protocols(reader, target, did, len(protocols))
            elif target is not None and attr.name == "biosample":
                biosamples.append(
                    _biosample(reader, target, part_id(did, "biosample", len(biosamples) + 1))
                )
            elif target is not None:
                acquisitions.append(
                    _acquisition(
                        reader, target, part_id(did, "image-acquisition", len(acquisitions) + 1)
                    )
                )
    reader.out.stored(did, "title", reader.out.at(json_pointer=section.pointer))
    return build_record(
        Dataset,
        id=did,
        title=name,
        description=reader.first(section, "description"),
        kind="image",
        biosamples=biosamples,
        image_acquisitions=acquisitions,
        protocols=protocols,
    )


def _report_unused(reader: _Reader, sections: list[Section]) -> None:
    """Every attribute neither stored nor already reported gets an INFO: nothing silently lost."""
    for section in sections:
        for attr in section.attrs:
            if attr.pointer in reader.used or not attr.value or attr.reference:
                continue
            if is_placeholder(attr.value):
                reader.out.placeholder(attr.raw_name, attr.value, reader.at(attr))
            else:
                reader.out.unmapped(
                    f"{section.raw_type}: {attr.raw_name}", attr.value, reader.at(attr)
                )


def read_pagetab_data(data: Any, file: Path) -> ReadResult:
    """Read an already-parsed PageTab document."""
    out = Collector(str(file))
    if not isinstance(data, dict) or not isinstance(data.get("section"), dict):
        out.add(
            Severity.VIOLATION,
            "not a PageTab document (no 'section' object)",
            out.at(json_pointer=""),
        )
        return ReadResult(findings=out.findings)
    accno = str(data.get("accno") or file.stem.split(".")[0])
    reader = _Reader(out, slug(accno))
    root = next(_sections(data["section"], "/section"))
    everything = list(_walk(root))
    root_attrs = Section(
        "root", "root", accno, _attrs(data.get("attributes"), "/attributes"), "", []
    )
    pid = project_id(reader.accno)
    # Template versions put Title, ReleaseDate, License ... in the Study section (BioImages
    # v4), at the submission root (older submissions) or in both (v5): Study first, then root.
    study = Section("study", "Study", accno, root.attrs + root_attrs.attrs, root.pointer, [])
    license_iri_ = _license(reader, study)
    orgs = _organisations(reader, everything, pid)
    project = build_record(
        Project,
        id=pid,
        accession=accno,
        title=reader.first(study, "title"),
        description=reader.first(study, "description"),
        keywords=list(dict.fromkeys(reader.all(study, "keywords"))),
        license=license_iri_,
        landing_page=f"{BIA_STUDY_PAGE}{accno}" if re.match(r"^S-B[A-Z]*\d+$", accno) else None,
        data_doi=reader.converted(study, "doi", doi_iri, "DOI"),
        release_date=reader.converted(study, "releasedate", _date, "date")
        or reader.converted(study, "release date", _date, "date"),
        source_repository="BioImage Archive",
        contacts=_authors(reader, everything, pid, orgs),
        publications=_publications(reader, everything, pid),
        grants=_grants(reader, everything, pid),
        datasets=[
            _component(reader, s, everything, i)
            for i, s in enumerate((s for s in everything if s.type == "study component"), start=1)
        ],
    )
    _mark_repeats(reader, study)
    for attr in root_attrs.values("template") + root_attrs.values("attachto"):
        reader.used.add(attr.pointer)
    _mark_link_titles(reader, everything)
    _report_unused(reader, [*everything, root_attrs])
    out.stored(pid, "title", out.at(json_pointer="/section/attributes"))
    unique = list(dict.fromkeys(out.findings))  # a biosample shared by components warns once
    return ReadResult([project], unique, out.source_map)


def _mark_repeats(reader: _Reader, study: Section) -> None:
    """v5 writes Title and ReleaseDate at the root and in Study: a differing copy is reported."""
    for name in ("title", "description", "releasedate", "doi"):
        values = [a for a in study.values(name) if a.value]
        for attr in values[1:]:
            if attr.value.strip() != values[0].value.strip():
                reader.out.add(
                    Severity.WARNING,
                    f"a second, different {attr.raw_name!r}; the first one is kept",
                    reader.at(attr),
                    value=attr.value,
                )


def _date(text: str) -> str | None:
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else None


def _license(reader: _Reader, root: Section) -> str | None:
    for attr in root.values("license"):
        value = reader.take(attr)
        url = attr.valqual.get("url")
        if url:
            found = reader.out.license(attr.raw_name, url, reader.at(attr))
            if found:
                return found
        if value:
            return reader.out.license(attr.raw_name, value, reader.at(attr))
    return None


def read_pagetab(path: Path) -> ReadResult:
    """Read a BioStudies PageTab JSON file into one Project (REMBI components as Datasets)."""
    data, failed = read_json(path)
    if failed is not None:
        return failed
    return read_pagetab_data(data, path)
