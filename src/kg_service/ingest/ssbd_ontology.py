"""Reader for SSBD ontology instance data (RDF) into the service model.

SSBD publishes its database tier as OWL individuals (projects, datasets, biosamples, imaging
methods, dimensions, OME-NGFF nodes). The predicate-to-slot mapping is declarative
(loaders/ssbd_ontology.yaml); this module only walks the links between nodes and converts
values. Known quirks of the real data (misspelt predicates, organism under IAO "is about",
a dataset outside any project) come back as findings rather than being fixed silently.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from kg_service import model, normalize
from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, ssbd_project_key
from kg_service.paths import knowledge_dir

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


@cache
def mapping() -> dict[str, Any]:
    """The declarative mapping, loaded once per process."""
    path = knowledge_dir("loaders") / "ssbd_ontology.yaml"
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@dataclass
class Node:
    """One SSBD individual: its IRI, types and outgoing values."""

    iri: str
    types: set[str] = field(default_factory=set)
    values: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]] = field(
        default_factory=lambda: defaultdict(list)
    )


@dataclass
class Converted:
    """A node's values after mapping: slot -> python values, links -> target IRIs."""

    slots: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    second: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    where: dict[str, Location] = field(default_factory=dict)

    def one(self, slot: str) -> Any:
        values = self.slots.get(slot) or []
        return values[0] if values else None

    def all(self, slot: str) -> list[Any]:
        return list(dict.fromkeys(self.slots.get(slot) or []))


class SsbdReader:
    """Turns the triples of one SSBD RDF file into projects and findings."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.map = mapping()
        self.ns: str = self.map["namespace"]
        self.nodes: dict[str, Node] = {}
        self.result = ReadResult()

    # --- parsing ---------------------------------------------------------------------------

    def parse(self) -> bool:
        fmt = _FORMATS.get(self.path.suffix.lower())
        if fmt is None:
            self._finding(Severity.VIOLATION, "unknown RDF file extension", Location())
            return False
        try:
            for triple in ox.parse(path=str(self.path), format=fmt):
                subject = triple.subject
                if not isinstance(subject, ox.NamedNode):
                    continue
                node = self.nodes.setdefault(subject.value, Node(subject.value))
                if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
                    node.types.add(triple.object.value)
                else:
                    node.values[triple.predicate.value].append(triple.object)
        except (SyntaxError, ValueError, OSError) as error:
            self._finding(Severity.VIOLATION, f"cannot parse RDF: {error}", Location())
            return False
        return True

    # --- generic conversion ----------------------------------------------------------------

    def _finding(
        self, severity: Severity, message: str, where: Location, value: str | None = None
    ) -> None:
        where = Location(
            file=str(self.path), record=where.record, field=where.field, line=where.line
        )
        self.result.findings.append(Finding(severity, message, where, value=value))

    def _class_of(self, node: Node) -> str | None:
        for type_iri in sorted(node.types):
            if type_iri.startswith(self.ns) and type_iri[len(self.ns) :] in self.map["classes"]:
                return type_iri[len(self.ns) :]
        return None

    def convert(self, node: Node, class_name: str) -> Converted:
        """Apply the class mapping to every value of `node`, reporting what cannot be used."""
        rules: dict[str, Any] = self.map["classes"][class_name]
        aliases: dict[str, str] = rules.get("aliases", {})
        ignored = set(self.map["ignore"])
        out = Converted()
        for predicate, objects in sorted(node.values.items()):
            if predicate in ignored:
                continue
            local = predicate[len(self.ns) :] if predicate.startswith(self.ns) else predicate
            where = Location(record=node.iri, field=predicate)
            if predicate in aliases:
                local = aliases[predicate]
                self._finding(
                    Severity.INFO,
                    f"non-standard predicate read as ssbd:{local}",
                    where,
                    value=predicate,
                )
            rule = rules.get(local)
            if rule is None or local == "aliases":
                for obj in objects:
                    self._finding(
                        Severity.WARNING,
                        f"predicate is not mapped for {class_name}; value not stored",
                        where,
                        value=obj.value,
                    )
                continue
            if "duplicate_of" in rule:
                continue
            if "link" in rule:
                for obj in objects:
                    if isinstance(obj, ox.NamedNode):
                        out.links[rule["link"]].append(obj.value)
                continue
            target = out.second if rule.get("second") else out.slots
            for obj in objects:
                value = self._value(obj, rule["kind"], where)
                if value is not None:
                    target[rule["slot"]].append(value)
                    out.where.setdefault(rule["slot"], where)
        return out

    def _value(
        self, obj: ox.NamedNode | ox.BlankNode | ox.Literal, kind: str, where: Location
    ) -> Any:
        text = obj.value.strip()
        converted = _CONVERTERS[kind](text)
        if converted is None:
            # an organism is required knowledge for every biosample: refuse rather than guess
            severity = Severity.VIOLATION if kind == "taxon" else Severity.WARNING
            self._finding(severity, f"value is not a valid {kind}; not stored", where, obj.value)
        elif kind == "license" and converted[1]:
            self._finding(Severity.INFO, "licence version not stated; 4.0 assumed", where, text)
        if kind == "license" and converted is not None:
            return converted[0]
        return converted

    # --- assembly --------------------------------------------------------------------------

    def build(self) -> ReadResult:
        projects = [n for n in self.nodes.values() if self._class_of(n) == "SSBD_Project"]
        claimed: set[str] = set()
        for node in sorted(projects, key=lambda n: n.iri):
            project = self._project(node, claimed)
            if project is not None:
                self.result.projects.append(project)
        for node in self.nodes.values():
            if self._class_of(node) == "SSBD_dataset" and node.iri not in claimed:
                self._finding(
                    Severity.WARNING,
                    "dataset belongs to no project (no ssbd:has_dataset_output points to it); "
                    "not stored",
                    Location(record=node.iri),
                )
        return self.result

    def _remember(self, record_id: str, converted: Converted) -> None:
        for slot, where in converted.where.items():
            self.result.source_map[(record_id, slot)] = Location(
                file=str(self.path), record=where.record, field=where.field
            )

    def _linked(self, iri: str, expected: str, owner: Node) -> Node | None:
        node = self.nodes.get(iri)
        if node is None or self._class_of(node) != expected:
            self._finding(
                Severity.WARNING,
                f"link to {iri} does not reach an ssbd:{expected}; not stored",
                Location(record=owner.iri),
                value=iri,
            )
            return None
        return node

    def _project(self, node: Node, claimed: set[str]) -> model.Project | None:
        data = self.convert(node, "SSBD_Project")
        name = data.one("accession") or node.iri.rsplit("/", 1)[-1]
        key = ssbd_project_key(name)
        pid = project_id(key)
        self._remember(pid, data)
        datasets = []
        for iri in sorted(data.links["datasets"]):
            target = self._linked(iri, "SSBD_dataset", node)
            if target is not None:
                claimed.add(iri)
                datasets.append(self._dataset(target, key))
        contacts = [
            self._person(target, part_id(pid, "person", index))
            for index, iri in enumerate(sorted(data.links["contacts"]), start=1)
            if (target := self._linked(iri, "SSBD_person", node)) is not None
        ]
        publications = [
            self._publication(target, part_id(pid, "publication", index))
            for index, iri in enumerate(sorted(data.links["publications"]), start=1)
            if (target := self._linked(iri, "SSBD_paper_information", node)) is not None
        ]
        title = data.one("title")
        return build_record(
            model.Project,
            id=pid,
            title=title,
            description=data.one("description"),
            accession=name,
            license=data.one("license"),
            landing_page=data.one("landing_page"),
            project_type=data.one("project_type"),
            release_date=data.one("release_date"),
            submission_date=data.one("submission_date"),
            update_date=data.one("update_date"),
            source_repository=self.map["source_repository"],
            tier=self.map["tier"],
            contacts=contacts,
            publications=publications,
            datasets=datasets,
        )

    def _person(self, node: Node, pid: str) -> model.Person:
        data = self.convert(node, "SSBD_person")
        self._remember(pid, data)
        parts = [data.one("given_name"), data.one("middle_name"), data.one("family_name")]
        organization = None
        if data.one("organization") or data.one("department"):
            organization = build_record(
                model.Organization,
                id=part_id(pid, "affiliation"),
                name=data.one("organization"),
                department=data.one("department"),
                address=data.one("address"),
            )
        return build_record(
            model.Person,
            id=pid,
            name=" ".join(p for p in parts if p),
            given_name=data.one("given_name"),
            family_name=data.one("family_name"),
            email=data.one("email"),
            orcid=data.one("orcid"),
            roles=data.all("roles"),
            affiliation=organization,
        )

    def _publication(self, node: Node, pid: str) -> model.Publication:
        data = self.convert(node, "SSBD_paper_information")
        self._remember(pid, data)
        return build_record(
            model.Publication,
            id=pid,
            doi=data.one("doi"),
            pubmed_id=data.one("pubmed_id"),
            pmc_id=data.one("pmc_id"),
            citation_text=data.one("citation_text"),
            url=data.one("url"),
        )

    def _dataset(self, node: Node, project_key: str) -> model.Dataset:
        data = self.convert(node, "SSBD_dataset")
        local = data.one("folder_name") or node.iri.rsplit("/", 1)[-1]
        did = dataset_id(project_key, local)
        self._remember(did, data)
        biosamples = [
            self._biosample(target, part_id(did, "biosample", index))
            for index, iri in enumerate(sorted(data.links["biosamples"]), start=1)
            if (target := self._linked(iri, "SSBD_biosample_information", node)) is not None
        ]
        acquisitions = [
            self._acquisition(target, part_id(did, "acquisition", index), data)
            for index, iri in enumerate(sorted(data.links["image_acquisitions"]), start=1)
            if (target := self._linked(iri, "SSBD_imaging_method_information", node)) is not None
        ]
        image_data, files = self._image_data(node, data, did)
        return build_record(
            model.Dataset,
            id=did,
            title=data.one("title"),
            accession=local,
            figure=data.one("figure"),
            folder_name=data.one("folder_name"),
            file_formats=data.all("file_formats"),
            kind="image" if image_data else None,
            biosamples=biosamples,
            image_acquisitions=acquisitions,
            image_data=image_data,
            files=files,
        )

    def _biosample(self, node: Node, bid: str) -> model.Biosample:
        data = self.convert(node, "SSBD_biosample_information")
        self._remember(bid, data)
        genetic = [
            self._genetic(target, part_id(bid, "genetic", index))
            for index, iri in enumerate(sorted(data.links["genetic_information"]), start=1)
            if (target := self._linked(iri, "SSBD_genetic_information", node)) is not None
        ]
        reagents: list[model.Reagent] = []
        for iri in sorted(data.links["reagents"]):
            target = self._linked(iri, "SSBD_reagent_information", node)
            if target is not None:
                reagents.extend(self._reagents(target, bid, len(reagents)))
        return build_record(
            model.Biosample,
            id=bid,
            description=data.one("description"),
            organisms=data.all("organisms"),
            strains=data.all("strains"),
            cell_lines=data.all("cell_lines"),
            cell_types=data.all("cell_types"),
            anatomical_entities=data.all("anatomical_entities"),
            go_molecular_functions=data.all("go_molecular_functions"),
            go_biological_processes=data.all("go_biological_processes"),
            go_cellular_components=data.all("go_cellular_components"),
            extrinsic_variables=data.all("extrinsic_variables"),
            genetic_information=genetic,
            reagents=reagents,
        )

    def _genetic(self, node: Node, gid: str) -> model.GeneticInformation:
        data = self.convert(node, "SSBD_genetic_information")
        self._remember(gid, data)
        return build_record(
            model.GeneticInformation,
            id=gid,
            gene_names=data.all("gene_names"),
            protein_names=data.all("protein_names"),
            tags=data.all("tags"),
            tag_names=data.all("tag_names"),
            method_name=data.one("method_name"),
            method=data.one("method"),
        )

    def _reagents(self, node: Node, bid: str, offset: int) -> list[model.Reagent]:
        data = self.convert(node, "SSBD_reagent_information")
        reagents: list[model.Reagent] = []
        for values in (data.slots, data.second):
            if not values:
                continue
            rid = part_id(bid, "reagent", offset + len(reagents) + 1)
            self._remember(rid, data)
            reagents.append(
                build_record(
                    model.Reagent,
                    id=rid,
                    name=_first(values, "name"),
                    term=_first(values, "term"),
                    concentration=_first(values, "concentration"),
                    concentration_unit=_first(data.slots, "concentration_unit"),
                    fold_dilution=_first(values, "fold_dilution"),
                )
            )
        return reagents

    def _acquisition(self, node: Node, aid: str, dataset: Converted) -> model.ImageAcquisition:
        data = self.convert(node, "SSBD_imaging_method_information")
        self._remember(aid, data)
        instrument = None
        links = data.links["instrument"] or dataset.links["instrument"]
        for iri in sorted(set(links))[:1]:
            target = self._linked(iri, "SSBD_imaging_instruments", node)
            if target is not None:
                instrument = self._instrument(target, part_id(aid, "instrument"))
        return build_record(
            model.ImageAcquisition,
            id=aid,
            imaging_methods=data.all("imaging_methods"),
            detection_methods=data.all("detection_methods"),
            illumination_methods=data.all("illumination_methods"),
            contrast_methods=data.all("contrast_methods"),
            resolution_methods=data.all("resolution_methods"),
            visualization_methods=data.all("visualization_methods"),
            mesh_term_names=data.all("mesh_term_names"),
            instrument=instrument,
        )

    def _instrument(self, node: Node, iid: str) -> model.Instrument:
        data = self.convert(node, "SSBD_imaging_instruments")
        self._remember(iid, data)
        return build_record(
            model.Instrument,
            id=iid,
            microscope=data.one("microscope"),
            objective=data.one("objective"),
            detector=data.one("detector"),
            light_source=data.one("light_source"),
            module=data.one("module"),
        )

    def _image_data(
        self, owner: Node, dataset: Converted, did: str
    ) -> tuple[list[model.ImageData], list[model.DataFile]]:
        """Merge the dimension node and the OME-NGFF node of a dataset into one ImageData."""
        merged = Converted()
        for link, class_name in (("dimension", "SSBD_dimension_data"), ("ome_zarr", None)):
            for iri in sorted(set(dataset.links[link])):
                expected = class_name or "SSBD_OME-NGFF-ZARR_information"
                target = self._linked(iri, expected, owner)
                if target is None:
                    continue
                data = self.convert(target, expected)
                for slot, values in data.slots.items():
                    merged.slots[slot].extend(values)
                    merged.where.setdefault(slot, data.where[slot])
        if not merged.slots:
            return [], []
        iid = part_id(did, "image-data")
        self._remember(iid, merged)
        sizes = _dimension_sizes(merged.one("dimensions"))
        quantities = {
            slot: _quantity(part_id(iid, slot.replace("_", "-")), merged.one(slot))
            for slot in ("physical_size_x", "physical_size_y", "physical_size_z", "time_interval")
        }
        image = build_record(
            model.ImageData,
            id=iid,
            dimensions=merged.one("dimensions"),
            size_x=merged.one("size_x") or sizes.get("x"),
            size_y=merged.one("size_y") or sizes.get("y"),
            size_z=merged.one("size_z") or sizes.get("z"),
            size_c=merged.one("size_c") or sizes.get("c"),
            size_t=merged.one("size_t") or sizes.get("t"),
            axes=merged.one("axes"),
            ome_zarr_url=merged.one("ome_zarr_url"),
            viewer_url=merged.one("viewer_url"),
            thumbnail_url=merged.one("thumbnail_url"),
            **quantities,
        )
        files = []
        if image.ome_zarr_url:
            files.append(
                build_record(
                    model.DataFile,
                    id=part_id(did, "file", 1),
                    name=str(image.ome_zarr_url).rstrip("/").rsplit("/", 1)[-1],
                    url=image.ome_zarr_url,
                    media_type="application/vnd.ome.zarr",
                    role="OME-Zarr image",
                )
            )
        return [image], files


def _first(values: dict[str, list[Any]], slot: str) -> Any:
    found = values.get(slot) or []
    return found[0] if found else None


def _quantity(qid: str, parsed: normalize.ParsedQuantity | None) -> model.Quantity | None:
    if parsed is None:
        return None
    return build_record(
        model.Quantity,
        id=qid,
        value=parsed.value,
        unit=parsed.unit_iri,
        unit_label=parsed.unit_label,
        source_text=parsed.source_text,
    )


def _dimension_sizes(text: str | None) -> dict[str, int]:
    """ "600x600x66x1x180" (X x Y x Z x C x T) -> sizes; empty when the text has another shape."""
    if not text:
        return {}
    parts = re.split(r"\s*[x×]\s*", text.strip())
    if len(parts) != 5 or not all(p.isdigit() for p in parts):
        return {}
    return dict(zip("xyzct", (int(p) for p in parts), strict=True))


def _orcid(text: str) -> str | None:
    match = re.search(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", text)
    return f"https://orcid.org/{match.group(1)}" if match else None


def _doi(text: str) -> str | None:
    match = re.search(r"(10\.\d{4,9}/\S+)$", text)
    return f"https://doi.org/{match.group(1)}" if match else None


def _date(text: str) -> str | None:
    return text if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def _integer(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _count(text: str) -> int | None:
    match = re.match(r"^(\d+)\b", text)
    return int(match.group(1)) if match else None


def _iri(text: str) -> str | None:
    return text if normalize.is_plausible_iri(text) else None


def _term(text: str) -> str | None:
    return normalize.term_iri(text) or _iri(text)


_CONVERTERS: dict[str, Any] = {
    "text": lambda text: text or None,
    "iri": _iri,
    "taxon": lambda text: normalize.taxon_iri(text) or _iri(text),
    "term": _term,
    "license": normalize.license_iri,
    "date": _date,
    "integer": _integer,
    "quantity": normalize.parse_quantity,
    "orcid": _orcid,
    "doi": _doi,
    "count": _count,
}


def read_ssbd_rdf(path: Path) -> ReadResult:
    """Read an SSBD ontology instance file (Turtle, RDF/XML, ...) into projects and findings."""
    reader = SsbdReader(path)
    if not reader.parse():
        return reader.result
    return reader.build()
