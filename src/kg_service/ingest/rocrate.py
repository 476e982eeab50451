"""Reader for GIDE RO-Crates (`*-ro-crate-metadata.json`), as published by IDR, BIA and SSBD.

The GIDE profile fixes the compact keys (schema.org + Darwin Core), so the `@graph` is read as
plain JSON by those keys; no JSON-LD processing happens and remote `@context` URLs are never
fetched. That also lets us see what a JSON-LD loader would silently drop: `@id`s with spaces
(`FBbi_ 00000245`) or two IRIs joined by a comma are reported at their JSON pointer and not
stored. Term IRIs go through `normalize.term_iri`, so NCBI taxonomy web URLs become OBO PURLs.

Ids: `projects/{identifier}` (SSBD numbers as in the template reader: `ssbd-212`), one Dataset
`datasets/{key}-{identifier}` for the crate's root Dataset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.ids import dataset_id, part_id, project_id, ssbd_project_key
from kg_service.ingest.peer_common import Collector, read_json
from kg_service.model import (
    Biosample,
    Dataset,
    ImageAcquisition,
    ImageData,
    Organization,
    Person,
    Project,
    Publication,
)
from kg_service.normalize import (
    OBO,
    doi_iri,
    is_plausible_iri,
    orcid_iri,
    pubmed_id,
    term_iri,
)

# OBO prefix of a normalised term -> Biosample slot
_ABOUT_SLOTS = {
    "NCBITaxon": "organisms",
    "CL": "cell_types",
    "CLO": "cell_lines",
    "UBERON": "anatomical_entities",
}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _ref(value: Any) -> str | None:
    if isinstance(value, dict):
        ref = value.get("@id")
        return str(ref) if ref is not None else None
    return str(value) if isinstance(value, str) else None


class _Crate:
    def __init__(self, data: dict[str, Any], out: Collector) -> None:
        self.out = out
        self.graph = [e for e in _as_list(data.get("@graph")) if isinstance(e, dict)]
        self.index = {str(e.get("@id")): (i, e) for i, e in enumerate(self.graph)}

    def entity(self, ref: str | None) -> tuple[int, dict[str, Any]] | None:
        return self.index.get(ref) if ref else None

    def root(self) -> tuple[int, dict[str, Any]] | None:
        for entity in self.graph:
            if str(entity.get("@id", "")).endswith("ro-crate-metadata.json"):
                return self.entity(_ref(entity.get("about")))
        return None

    def pointer(self, index: int, key: str, item: int | None = None) -> str:
        return f"/@graph/{index}/{key}" + (f"/{item}" if item is not None else "")

    def term(self, ref: str, where_key: str, index: int, item: int) -> str | None:
        """A normalised term IRI, or None with a finding for an IRI that cannot be stored."""
        iri = term_iri(ref)
        if iri:
            return iri
        if is_plausible_iri(ref):
            return ref
        self.out.add(
            Severity.WARNING,
            f"{where_key!r} holds an invalid IRI (spaces or commas); it is not stored",
            self.out.at(json_pointer=self.pointer(index, where_key, item)),
            value=ref,
            fix="give one well-formed IRI per @id",
        )
        return None


def _person(crate: _Crate, ref: str, record_id: str) -> Person | None:
    found = crate.entity(ref)
    if found is None:
        return None
    _, entity = found
    orgs = [crate.entity(_ref(a)) for a in _as_list(entity.get("affiliation"))]
    org = next((o[1] for o in orgs if o), None)
    affiliation = (
        build_record(Organization, id=part_id(record_id, "affiliation"), name=org.get("name"))
        if org
        else None
    )
    return build_record(
        Person,
        id=record_id,
        name=entity.get("name"),
        email=entity.get("email"),
        orcid=orcid_iri(ref) if "orcid.org" in ref else None,
        affiliation=affiliation,
    )


def _publications(crate: _Crate, root: dict[str, Any], pid: str) -> list[Publication]:
    found: list[Publication] = []
    for ref in (_ref(v) for v in _as_list(root.get("seeAlso"))):
        entity = crate.entity(ref)
        if ref is None or entity is None or entity[1].get("@type") != "ScholarlyArticle":
            continue
        same = [pubmed_id(str(s)) for s in _as_list(entity[1].get("sameAs")) if "pubmed" in str(s)]
        found.append(
            build_record(
                Publication,
                id=part_id(pid, "publication", len(found) + 1),
                doi=doi_iri(ref),
                citation_text=entity[1].get("name"),
                pubmed_id=next((s for s in same if s), None),
            )
        )
    return found


def _terms(crate: _Crate, index: int, root: dict[str, Any], key: str) -> list[str]:
    iris: list[str] = []
    for item, value in enumerate(_as_list(root.get(key))):
        ref = _ref(value)
        if ref is None or ref.startswith("#"):
            continue
        iri = crate.term(ref, key, index, item)
        if iri:
            iris.append(iri)
    return iris


def _biosample(crate: _Crate, index: int, root: dict[str, Any], did: str) -> Biosample:
    slots: dict[str, list[str]] = {slot: [] for slot in _ABOUT_SLOTS.values()}
    for iri in _terms(crate, index, root, "about"):
        prefix = iri[len(OBO) :].split("_")[0] if iri.startswith(OBO) else ""
        slot = _ABOUT_SLOTS.get(prefix)
        if slot:
            slots[slot].append(iri)
        else:
            crate.out.unmapped(
                "about", iri, crate.out.at(json_pointer=crate.pointer(index, "about"))
            )
    return build_record(Biosample, id=part_id(did, "biosample"), **slots)


def read_rocrate_data(data: Any, file: Path) -> ReadResult:
    """Read an already-parsed GIDE RO-Crate metadata document."""
    out = Collector(str(file))
    crate = _Crate(data if isinstance(data, dict) else {}, out)
    found = crate.root()
    if found is None:
        out.add(
            Severity.VIOLATION,
            "no root Dataset (metadata descriptor 'about' missing)",
            out.at(json_pointer=""),
        )
        return ReadResult(findings=out.findings)
    index, root = found
    identifier = str(_as_list(root.get("identifier"))[0] if root.get("identifier") else file.stem)
    key = ssbd_project_key(identifier)
    pid, did = project_id(key), dataset_id(key, identifier)
    methods = _terms(crate, index, root, "measurementMethod")
    thumbnails = [
        t
        for t in (_ref(v) for v in _as_list(root.get("thumbnailUrl")))
        if t and is_plausible_iri(t)
    ]
    dataset = build_record(
        Dataset,
        id=did,
        title=root.get("name"),
        description=root.get("description"),
        kind="image",
        biosamples=[_biosample(crate, index, root, did)],
        image_acquisitions=[
            build_record(
                ImageAcquisition, id=part_id(did, "image-acquisition"), imaging_methods=methods
            )
        ],
        image_data=[
            build_record(ImageData, id=part_id(did, "image-data"), thumbnail_url=thumbnails[0])
        ]
        if thumbnails
        else [],
    )
    license_ref = _ref(root.get("license"))
    people = [
        _person(crate, ref, part_id(pid, "author", i))
        for i, ref in enumerate((_ref(a) for a in _as_list(root.get("author"))), start=1)
        if ref
    ]
    landing = str(root.get("@id", ""))
    out.stored(pid, "title", out.at(json_pointer=crate.pointer(index, "name")))
    project = build_record(
        Project,
        id=pid,
        title=root.get("name"),
        description=root.get("description"),
        accession=identifier,
        keywords=[str(k) for k in _as_list(root.get("keywords"))],
        license=out.license(
            "license", license_ref, out.at(json_pointer=crate.pointer(index, "license"))
        )
        if license_ref
        else None,
        landing_page=landing if is_plausible_iri(landing) else None,
        release_date=str(root.get("datePublished"))[:10] if root.get("datePublished") else None,
        source_repository=_publisher(crate, root),
        contacts=[p for p in people if p],
        publications=_publications(crate, root, pid),
        datasets=[dataset],
    )
    return ReadResult([project], out.findings, out.source_map)


def _publisher(crate: _Crate, root: dict[str, Any]) -> str | None:
    entity = crate.entity(_ref(root.get("publisher")))
    return str(entity[1].get("name")) if entity and entity[1].get("name") else None


def read_rocrate(path: Path) -> ReadResult:
    """Read a GIDE RO-Crate metadata file into one Project with its root Dataset."""
    data, failed = read_json(path)
    if failed is not None:
        return failed
    return read_rocrate_data(data, path)
