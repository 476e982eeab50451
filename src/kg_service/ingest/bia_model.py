"""BioImage Archive semantic-model JSON (bia-integrator objects) and the website export.

BIA publishes its curated records as typed objects (`model.type_name`: Study, Dataset,
BioSample, ImageAcquisitionProtocol, SpecimenImagingPreparationProtocol, Image ...):
one object per file in an export folder (`S-BIAD1492/study.json`, `dataset-images.json` ...),
or a whole catalogue as one JSON object keyed by accession (`bia-study-metadata.json`,
datasets and their protocols nested) with its images in `bia-image-metadata.json`.

A study becomes a Project, each Dataset object a Dataset with its biosamples, protocols and
image acquisition; images become the dataset's data files (their file URIs). An object that
is part of a study (a biosample, a protocol, an image file) is read with the study it belongs
to, found beside it, so loading any file of an export stores the same whole record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, slug
from kg_service.ingest.peer_common import Collector, read_json
from kg_service.model import (
    Biosample,
    DataFile,
    Dataset,
    Grant,
    ImageAcquisition,
    Organization,
    Person,
    Project,
    Protocol,
    Publication,
)
from kg_service.normalize import doi_iri, is_plausible_iri, orcid_iri, taxon_iri
from kg_service.terms.index import taxon_from_text

BIA_STUDY_PAGE = "https://www.ebi.ac.uk/biostudies/bioimages/studies/"
_PARTS = {"BioSample", "ImageAcquisitionProtocol", "SpecimenImagingPreparationProtocol"}
MAX_FILES_PER_DATASET = 1000  # image files listed per dataset; the rest are counted


def type_name(obj: Any) -> str:
    model = obj.get("model") if isinstance(obj, dict) else None
    return str(model.get("type_name", "")) if isinstance(model, dict) else ""


def is_bia_model(data: Any) -> bool:
    """A BIA object, or a catalogue of them keyed by accession/uuid."""
    if type_name(data):
        return True
    if isinstance(data, dict) and data:
        first = next(iter(data.values()))
        return bool(type_name(first))
    return isinstance(data, list) and bool(data) and bool(type_name(data[0]))


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- objects to records -----------------------------------------------------------------------


def _people(study: dict[str, Any], pid: str) -> list[Person]:
    people = []
    for index, author in enumerate(_list(study.get("author")), start=1):
        person_id = part_id(pid, "author", index)
        org = next(iter(_list(author.get("affiliation"))), None)
        people.append(
            build_record(
                Person,
                id=person_id,
                name=author.get("display_name"),
                email=author.get("contact_email"),
                orcid=orcid_iri(str(author["orcid"])) if author.get("orcid") else None,
                roles=[str(r) for r in _list(author.get("role"))],
                affiliation=build_record(
                    Organization,
                    id=part_id(person_id, "affiliation"),
                    name=org.get("display_name"),
                    address=org.get("address"),
                    ror=org.get("rorid")
                    if org.get("rorid") and is_plausible_iri(str(org["rorid"]))
                    else None,
                )
                if isinstance(org, dict)
                else None,
            )
        )
    return people


def _publications(study: dict[str, Any], pid: str) -> list[Publication]:
    return [
        build_record(
            Publication,
            id=part_id(pid, "publication", index),
            title=pub.get("title"),
            citation_text=pub.get("authors_name"),
            doi=doi_iri(str(pub["doi"])) if pub.get("doi") else None,
            pubmed_id=str(pub["pubmed_id"]) if pub.get("pubmed_id") else None,
        )
        for index, pub in enumerate(_list(study.get("related_publication")), start=1)
        if isinstance(pub, dict)
    ]


def _organisms(sample: dict[str, Any], where: str, out: Collector) -> list[str]:
    iris = []
    for taxon in _list(sample.get("organism_classification")):
        if not isinstance(taxon, dict):
            continue
        iri = taxon_iri(str(taxon["ncbi_id"])) if taxon.get("ncbi_id") else None
        iri = iri or taxon_from_text(str(taxon.get("scientific_name") or ""))
        if iri:
            iris.append(iri)
        else:
            out.add(
                Severity.WARNING,
                "organism is neither an NCBI taxon id nor an exact NCBI Taxonomy name; not stored",
                out.at(json_pointer=where),
                value=str(taxon.get("scientific_name")),
            )
    return iris


def _biosample(sample: dict[str, Any], record_id: str, where: str, out: Collector) -> Biosample:
    texts = [sample.get("title"), sample.get("biological_entity_description")]
    return build_record(
        Biosample,
        id=record_id,
        description="; ".join(str(t) for t in dict.fromkeys(texts) if t) or None,
        organisms=_organisms(sample, where, out),
        intrinsic_variables=[str(v) for v in _list(sample.get("intrinsic_variable_description"))],
        extrinsic_variables=[
            str(v)
            for key in ("extrinsic_variable_description", "experimental_variable_description")
            for v in _list(sample.get(key))
        ],
    )


def _protocol(obj: dict[str, Any], record_id: str) -> Protocol:
    kind = type_name(obj)
    label = (
        "image acquisition protocol"
        if kind == "ImageAcquisitionProtocol"
        else ("specimen imaging preparation protocol")
    )
    return build_record(
        Protocol,
        id=record_id,
        name=obj.get("title"),
        description=obj.get("protocol_description"),
        protocol_type_name=label,
    )


def _acquisition(objs: list[dict[str, Any]], record_id: str) -> ImageAcquisition:
    methods = [
        f"http://purl.obolibrary.org/obo/{str(f).replace(':', '_')}"
        for obj in objs
        for f in _list(obj.get("fbbi_id"))
        if str(f).replace(":", "_").startswith("FBbi_")
    ]
    return build_record(
        ImageAcquisition,
        id=record_id,
        imaging_methods=list(dict.fromkeys(methods)),
        imaging_method_names=[
            str(n) for obj in objs for n in _list(obj.get("imaging_method_name"))
        ],
    )


def _files(images: list[dict[str, Any]], did: str) -> list[DataFile]:
    files: list[DataFile] = []
    for image in images:
        for representation in _list(image.get("representation")):
            for uri in _list(
                representation.get("file_uri") if isinstance(representation, dict) else None
            ):
                if len(files) < MAX_FILES_PER_DATASET and is_plausible_iri(str(uri)):
                    files.append(
                        build_record(
                            DataFile,
                            id=part_id(did, "file", len(files) + 1),
                            url=str(uri),
                            name=image.get("label"),
                            media_type=representation.get("image_format"),
                            size_bytes=representation.get("total_size_in_bytes"),
                            role="image",
                        )
                    )
    return files


def _dataset(
    obj: dict[str, Any],
    key: str,
    parts: list[dict[str, Any]],
    images: list[dict[str, Any]],
    where: str,
    out: Collector,
) -> Dataset:
    did = dataset_id(key, str(obj.get("title") or obj.get("uuid")))
    nested = [
        *parts,
        *_list(obj.get("biological_entity")),
        *_list(obj.get("acquisition_process")),
        *_list(obj.get("specimen_imaging_preparation_protocol")),
    ]
    samples = [p for p in nested if type_name(p) == "BioSample"]
    acquisitions = [p for p in nested if type_name(p) == "ImageAcquisitionProtocol"]
    protocols = [p for p in nested if type_name(p) in _PARTS - {"BioSample"}]
    out.stored(did, "title", out.at(json_pointer=where))
    return build_record(
        Dataset,
        id=did,
        title=obj.get("title") or key,
        description=obj.get("description"),
        kind="image",
        image_count=obj.get("image_count"),
        biosamples=[
            _biosample(s, part_id(did, "biosample", i), where, out)
            for i, s in enumerate(samples, start=1)
        ],
        protocols=[
            _protocol(p, part_id(did, "protocol", i)) for i, p in enumerate(protocols, start=1)
        ],
        image_acquisitions=[_acquisition(acquisitions, part_id(did, "image-acquisition"))]
        if acquisitions
        else [],
        files=_files(images, did),
        external_links=[
            str(u) for u in _list(obj.get("example_image_uri")) if is_plausible_iri(str(u))
        ],
    )


def study_project(
    study: dict[str, Any],
    datasets: list[dict[str, Any]],
    parts: list[dict[str, Any]],
    images: dict[str, list[dict[str, Any]]],
    where: str,
    out: Collector,
) -> Project:
    """One Study object with its Dataset objects (nested or beside it) as a Project."""
    accession = str(study.get("accession_id") or study.get("uuid"))
    key = slug(accession)
    pid = project_id(key)
    licence = study.get("licence")
    out.stored(pid, "title", out.at(json_pointer=where))
    links = [
        str(s.get("link"))
        for s in _list(study.get("see_also"))
        if isinstance(s, dict) and is_plausible_iri(str(s.get("link")))
    ]
    doi = doi_iri(str(study["doi"])) if study.get("doi") else None
    project = build_record(
        Project,
        id=pid,
        title=study.get("title"),
        description=study.get("description"),
        accession=accession,
        keywords=[str(k) for k in _list(study.get("keyword"))],
        license=out.license("licence", str(licence), out.at(json_pointer=f"{where}/licence"))
        if licence
        else None,
        landing_page=f"{BIA_STUDY_PAGE}{accession}",
        data_doi=doi if doi and "10.6019/" in doi else None,
        release_date=str(study["release_date"])[:10] if study.get("release_date") else None,
        source_repository="BioImage Archive",
        contacts=_people(study, pid),
        publications=_publications(study, pid)
        + (
            [build_record(Publication, id=part_id(pid, "publication", 0), doi=doi)]
            if doi and "10.6019/" not in doi
            else []
        ),
        grants=[
            build_record(Grant, id=part_id(pid, "grant", i), grant_id=g.get("id"))
            for i, g in enumerate(_list(study.get("grant")), start=1)
            if isinstance(g, dict)
        ],
        datasets=[
            _dataset(d, key, parts, images.get(str(d.get("uuid")), []), where, out)
            for d in [*_list(study.get("dataset")), *datasets]
            if isinstance(d, dict)
        ],
    )
    for dataset in project.datasets:  # the study's links (IDR, EMPIAR ...) on its datasets
        dataset.external_links = [*dataset.external_links, *links]
    return project


# --- files --------------------------------------------------------------------------------------


def _objects(data: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(JSON pointer, object) for a single object, a list or a keyed catalogue."""
    if isinstance(data, dict) and type_name(data):
        yield "", data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict):
                yield f"/{key}", value
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, dict):
                yield f"/{index}", value


def _images_by_dataset(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Image objects of a website export beside the study file, by their dataset uuid."""
    found: dict[str, list[dict[str, Any]]] = {}
    path = folder / "bia-image-metadata.json"
    if not path.is_file():
        return found
    data, failed = read_json(path)
    if failed is not None:
        return found
    for _where, image in _objects(data):
        if type_name(image) == "Image":
            found.setdefault(str(image.get("submission_dataset_uuid")), []).append(image)
    return found


def _folder_objects(folder: Path, skip: Path) -> list[dict[str, Any]]:
    """The other model objects of a one-object-per-file export folder."""
    found = []
    for path in sorted(folder.glob("*.json")):
        if path == skip:
            continue
        data, failed = read_json(path)
        if failed is None and isinstance(data, dict) and type_name(data):
            found.append(data)
    return found


def read_bia_model_data(data: Any, file: Path) -> ReadResult:
    out = Collector(str(file))
    studies = [(w, o) for w, o in _objects(data) if type_name(o) == "Study"]
    if not studies:
        return _read_part(data, file, out)
    siblings = _folder_objects(file.parent, file) if type_name(data) == "Study" else []
    own = [
        o
        for o in siblings
        if type_name(o) == "Dataset" and o.get("submitted_in_study_uuid") == data.get("uuid")
    ]
    parts = [o for o in siblings if type_name(o) in _PARTS]
    if parts:
        out.add(
            Severity.INFO,
            f"{len(parts)} biosample/protocol object(s) beside this study name no dataset;"
            " they are attached to every dataset of the study",
            out.at(),
        )
    images = _images_by_dataset(file.parent)
    projects = [study_project(s, own, parts, images, w, out) for w, s in studies]
    return ReadResult(projects, out.findings, out.source_map)


def _read_part(data: Any, file: Path, out: Collector) -> ReadResult:
    """An object that belongs to a study: read the study beside it (which reads this too)."""
    for candidate in (file.parent / "study.json", file.parent / "bia-study-metadata.json"):
        if candidate.is_file() and candidate != file:
            result = read_bia_model(candidate)
            note = Collector(str(file))
            note.add(
                Severity.INFO,
                f"part of a BIA study: read with {candidate.name} beside it",
                note.at(),
            )
            result.findings.extend(note.findings)
            return result
    kinds = sorted({type_name(o) for _w, o in _objects(data)} - {""}) or ["unknown"]
    out.add(
        Severity.VIOLATION,
        f"BIA model object(s) of type {', '.join(kinds)} without their Study: nothing to store",
        out.at(json_pointer=""),
        fix="load the study.json (or bia-study-metadata.json) of the same export",
    )
    return ReadResult(findings=out.findings)


def read_bia_model(path: Path) -> ReadResult:
    """Read a BIA semantic-model or website-export JSON file."""
    data, failed = read_json(path)
    if failed is not None:
        return failed
    return read_bia_model_data(data, path)
