"""Reader for GIDE RO-Crates (`*-ro-crate-metadata.json`), as published by IDR, BIA and SSBD.

The GIDE profile fixes the compact keys (schema.org + Darwin Core), so the `@graph` is read as
plain JSON by those keys; no JSON-LD processing happens and remote `@context` URLs are never
fetched. Compact IRIs (`obo:FBbi_00000253`, as the BIA crates write them) are expanded with
the prefixes the crate's own inline `@context` declares, offline. Reading the JSON ourselves
also lets us see what a JSON-LD loader would silently drop: `@id`s with spaces
(`FBbi_ 00000245`) are repaired when the parts make one valid term, two IRIs joined by a comma
are split when each part is one, always with a warning; anything else is reported at its JSON
pointer and not stored. Term IRIs go through `normalize.term_iri`, so NCBI taxonomy web URLs
become OBO PURLs.

Ids: `projects/{identifier}` (SSBD numbers as in the template reader: `ssbd-212`). IDR crates
number their screens and experiments (`#screen-biosample-2`, `#experiment-protocol-1-0`): each
becomes its own Dataset, `datasets/idr0013-screenB`, the id the IDR study-file reader gives
the same component. Other crates give one Dataset `datasets/{key}-{identifier}` for the root.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.identifiers import ebi_term_iri
from kg_service.ingest.ids import dataset_id, part_id, project_id, ssbd_project_key
from kg_service.ingest.peer_common import Collector, read_json, repair_terms
from kg_service.model import (
    Biosample,
    Dataset,
    ImageAcquisition,
    ImageData,
    Organization,
    Person,
    Project,
    Protocol,
    Publication,
)
from kg_service.normalize import (
    OBO,
    doi_iri,
    is_plausible_iri,
    orcid_iri,
    pubmed_id,
    repository_name,
    term_iri,
)

# OBO prefix of a normalised term -> Biosample slot
_ABOUT_SLOTS = {
    "NCBITaxon": "organisms",
    "CL": "cell_types",
    "CLO": "cell_lines",
    "UBERON": "anatomical_entities",
    "GO": "go_terms",
}
_COMPACT = re.compile(r"^(?P<prefix>[A-Za-z][\w.-]*):(?P<local>(?!//)\S.*)$")
_METHOD_KEYS = frozenset({"measurementMethod", "measurementTechnique"})
# "#screen-biosample-2", "#experiment-protocol-1-0": the IDR crates' component numbering
_COMPONENT = re.compile(r"^#(?P<kind>screen|experiment)-(?:biosample|protocol)-(?P<n>\d+)")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _ref(value: Any) -> str | None:
    if isinstance(value, dict):
        ref = value.get("@id")
        return str(ref) if ref is not None else None
    return str(value) if isinstance(value, str) else None


def _types(entity: dict[str, Any]) -> set[str]:
    return {str(t) for t in _as_list(entity.get("@type"))}


def context_prefixes(context: Any) -> dict[str, str]:
    """Prefixes the crate's inline `@context` declares (`"obo": "http://purl...obo/"`).

    Remote context URLs are not fetched: only what the file itself says is used.
    """
    prefixes: dict[str, str] = {}
    for item in _as_list(context):
        if not isinstance(item, dict):
            continue
        for name, value in item.items():
            iri = value.get("@id") if isinstance(value, dict) else value
            if isinstance(iri, str) and iri.endswith(("/", "#", "_")) and "://" in iri:
                prefixes[name] = iri
    return prefixes


def _term(text: str) -> str | None:
    """A normalised ontology term IRI (OBO, CMPO/EFO, NCBI taxonomy URLs, Cellosaurus)."""
    return term_iri(text) or ebi_term_iri(text)


class _Crate:
    def __init__(self, data: dict[str, Any], out: Collector) -> None:
        self.out = out
        self.prefixes = context_prefixes(data.get("@context"))
        self.graph = [e for e in _as_list(data.get("@graph")) if isinstance(e, dict)]
        self.index = {str(e.get("@id")): (i, e) for i, e in enumerate(self.graph)}

    def expand(self, ref: str) -> str:
        """`obo:FBbi_00000253` -> the full IRI, when the crate's context declares `obo`."""
        match = _COMPACT.match(ref)
        if match and match["prefix"] in self.prefixes:
            return self.prefixes[match["prefix"]] + match["local"]
        return ref

    def entity(self, ref: str | None) -> tuple[int, dict[str, Any]] | None:
        if not ref:
            return None
        return self.index.get(ref) or self.index.get(self.expand(ref))

    def root(self) -> tuple[int, dict[str, Any]] | None:
        for entity in self.graph:
            if str(entity.get("@id", "")).endswith("ro-crate-metadata.json"):
                return self.entity(_ref(entity.get("about")))
        return None

    def pointer(self, index: int, key: str, item: int | None = None) -> str:
        return f"/@graph/{index}/{key}" + (f"/{item}" if item is not None else "")

    def terms(self, ref: str, where_key: str, index: int, item: int | None) -> list[str]:
        """Term IRIs of one `@id`, repairing comma-joined and space-broken ones (warned)."""
        where = self.out.at(json_pointer=self.pointer(index, where_key, item))
        expanded = self.expand(ref)
        if not _term(expanded) and is_plausible_iri(expanded) and expanded.startswith("http"):
            return [expanded]  # an IRI of another vocabulary (strain pages, Wikidata ...)
        bare = re.match(r"^#?(\d{8})$", ref)
        if bare and where_key in _METHOD_KEYS:
            self.out.add(
                Severity.WARNING,
                f"{where_key!r} holds a bare number; read as the FBbi term it has the form of",
                where,
                value=ref,
                fix="give the full FBbi IRI",
            )
            return [f"{OBO}FBbi_{bare.group(1)}"]
        found = repair_terms(ref, lambda text: _term(self.expand(text)))
        if found.repair == "invalid":
            self.out.add(
                Severity.WARNING,
                f"{where_key!r} holds no valid term IRI (spaces, commas or no scheme);"
                " it is not stored",
                where,
                value=ref,
                fix="give one well-formed IRI per @id",
            )
        elif found.repair:
            how = (
                "two IRIs joined by a comma, split"
                if found.repair == "split"
                else ("an IRI broken by a space, joined")
            )
            self.out.add(
                Severity.WARNING,
                f"{where_key!r} holds {how}: {', '.join(found.iris)}",
                where,
                value=ref,
                fix="give one well-formed IRI per @id",
            )
        return found.iris


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
        given_name=entity.get("givenName"),
        family_name=entity.get("familyName"),
        email=entity.get("email"),
        orcid=orcid_iri(ref) if "orcid.org" in ref else None,
        affiliation=affiliation,
    )


def _publications(crate: _Crate, root: dict[str, Any], pid: str) -> list[Publication]:
    found: list[Publication] = []
    for ref in (_ref(v) for v in _as_list(root.get("seeAlso"))):
        entity = crate.entity(ref)
        if ref is None or entity is None or "ScholarlyArticle" not in _types(entity[1]):
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


def _root_terms(crate: _Crate, index: int, root: dict[str, Any], key: str) -> list[str]:
    """Term IRIs listed directly on the root (`about`, `measurementMethod`), not `#` nodes."""
    iris: list[str] = []
    values = _as_list(root.get(key))
    for item, value in enumerate(values):
        ref = _ref(value)
        if ref is None or ref.startswith("#"):
            continue
        iris += crate.terms(ref, key, index, item if len(values) > 1 else None)
    return iris


def _local_nodes(crate: _Crate, root: dict[str, Any], key: str, kind: str) -> Iterator[str]:
    """`#` node ids of type `kind` listed under `key` of the root."""
    for value in _as_list(root.get(key)):
        ref = _ref(value)
        found = crate.entity(ref)
        if ref and ref.startswith("#") and found and kind in _types(found[1]):
            yield ref


def _component_of(ref: str) -> str:
    """`#screen-protocol-2-1` -> `screenB`; other node ids -> "" (the root component)."""
    match = _COMPONENT.match(ref)
    if not match:
        return ""
    number = int(match["n"])
    letter = chr(ord("A") + number - 1) if 1 <= number <= 26 else str(number)
    return f"{match['kind']}{letter}"


def _about_slots(crate: _Crate, index: int, iris: list[str]) -> dict[str, list[str]]:
    slots: dict[str, list[str]] = {}
    for iri in iris:
        prefix = iri[len(OBO) :].split("_")[0] if iri.startswith(OBO) else ""
        slot = _ABOUT_SLOTS.get(prefix)
        if slot == "go_terms":
            continue  # GO terms in `about` carry no branch here; kept as keywords below
        if slot:
            slots.setdefault(slot, []).append(iri)
        else:
            crate.out.unmapped(
                "about", iri, crate.out.at(json_pointer=crate.pointer(index, "about"))
            )
    return slots


def _biosample(crate: _Crate, ref: str, record_id: str, extra: dict[str, list[str]]) -> Biosample:
    index, entity = crate.entity(ref) or (0, {})
    organisms = [
        iri
        for item, value in enumerate(_as_list(entity.get("taxonomicRange")))
        for iri in crate.terms(_ref(value) or "", "taxonomicRange", index, item)
    ]
    lines = [
        iri
        for item, value in enumerate(_as_list(entity.get("hasCellLine")))
        for iri in crate.terms(_ref(value) or "", "hasCellLine", index, item)
    ]
    parts = [str(entity[k]) for k in ("name", "description") if entity.get(k)]
    return build_record(
        Biosample,
        id=record_id,
        description=": ".join(dict.fromkeys(parts)) or None,
        # the root's `about` terms describe the study: a biosample that names its own taxa
        # keeps them, one that names none gets the study's
        organisms=list(dict.fromkeys(organisms or extra.get("organisms", []))),
        cell_lines=list(dict.fromkeys(lines or extra.get("cell_lines", []))),
        cell_types=extra.get("cell_types", []),
        anatomical_entities=extra.get("anatomical_entities", []),
    )


def _protocol(crate: _Crate, ref: str, record_id: str) -> tuple[Protocol, list[str]]:
    """A LabProtocol, and the FBbi imaging methods it names (its EFO type goes on the record)."""
    index, entity = crate.entity(ref) or (0, {})
    kinds: list[str] = []
    methods: list[str] = []
    for item, value in enumerate(_as_list(entity.get("measurementTechnique"))):
        for iri in crate.terms(_ref(value) or "", "measurementTechnique", index, item):
            (methods if "FBbi_" in iri else kinds).append(iri)
    kind_names = [
        str(found[1].get("name"))
        for found in map(crate.entity, kinds)
        if found and found[1].get("name")
    ]
    equipment = entity.get("labEquipment")
    description = "; ".join(str(x) for x in (entity.get("description"), equipment) if x)
    protocol = build_record(
        Protocol,
        id=record_id,
        name=entity.get("name"),
        description=description or None,
        protocol_type=kinds[0] if kinds else None,
        protocol_type_name=kind_names[0] if kind_names else None,
    )
    return protocol, methods


def _components(crate: _Crate, root: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Component key ("" for the root) -> its biosample and protocol node ids, in crate order."""
    parts: dict[str, dict[str, list[str]]] = {}
    for key, kind in (("about", "BioSample"), ("measurementMethod", "LabProtocol")):
        for ref in _local_nodes(crate, root, key, kind):
            parts.setdefault(_component_of(ref), {}).setdefault(kind, []).append(ref)
    return parts or {"": {}}


def _dataset(
    crate: _Crate,
    found: tuple[int, dict[str, Any]],
    key: str,
    component: str,
    nodes: dict[str, list[str]],
) -> Dataset:
    index, root = found
    identifier = str(_as_list(root.get("identifier"))[0]) if root.get("identifier") else key
    did = dataset_id(key, component or identifier)
    extra = _about_slots(crate, index, _root_terms(crate, index, root, "about"))
    methods = _root_terms(crate, index, root, "measurementMethod")
    protocols: list[Protocol] = []
    for number, ref in enumerate(nodes.get("LabProtocol", []), start=1):
        protocol, named = _protocol(crate, ref, part_id(did, "protocol", number))
        protocols.append(protocol)
        methods += named
    biosamples = [
        _biosample(crate, ref, part_id(did, "biosample", n), extra)
        for n, ref in enumerate(nodes.get("BioSample", []), start=1)
    ] or [build_record(Biosample, id=part_id(did, "biosample"), **extra)]
    methods = _imaging_methods(crate, index, methods)
    thumbnails = [
        t
        for t in (_ref(v) for v in _as_list(root.get("thumbnailUrl")))
        if t and is_plausible_iri(t)
    ]
    kind = re.match(r"[a-z]+", component)
    crate.out.stored(did, "title", crate.out.at(json_pointer=crate.pointer(index, "name")))
    return build_record(
        Dataset,
        id=did,
        title=f"{root.get('name')} ({component})"
        if component and root.get("name")
        else root.get("name"),
        description=root.get("description"),
        kind="image",
        component_type=kind.group(0) if kind else None,
        biosamples=biosamples,
        protocols=protocols,
        image_acquisitions=[
            build_record(
                ImageAcquisition,
                id=part_id(did, "image-acquisition"),
                imaging_methods=list(dict.fromkeys(methods)),
            )
        ],
        image_data=[
            build_record(ImageData, id=part_id(did, "image-data"), thumbnail_url=thumbnails[0])
        ]
        if thumbnails
        else [],
    )


def _imaging_methods(crate: _Crate, index: int, iris: list[str]) -> list[str]:
    """FBbi terms are imaging methods; other method terms (NCIT ...) are reported."""
    for iri in iris:
        if "/FBbi_" not in iri:
            crate.out.unmapped(
                "measurementMethod (not an FBbi term)",
                iri,
                crate.out.at(json_pointer=crate.pointer(index, "measurementMethod")),
            )
    return list(dict.fromkeys(i for i in iris if "/FBbi_" in i))


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
    pid = project_id(key)
    datasets = [
        _dataset(crate, found, key, component, nodes)
        for component, nodes in sorted(_components(crate, root).items())
    ]
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
        data_doi=doi_iri(landing) if "doi.org/" in landing else None,
        release_date=str(root.get("datePublished"))[:10] if root.get("datePublished") else None,
        source_repository=_publisher(crate, root),
        contacts=[p for p in people if p],
        publications=_publications(crate, root, pid),
        datasets=datasets,
    )
    return ReadResult([project], out.findings, out.source_map)


def _publisher(crate: _Crate, root: dict[str, Any]) -> str | None:
    entity = crate.entity(_ref(root.get("publisher")))
    name = entity[1].get("name") if entity else None
    return repository_name(str(name)) if name else None


def read_rocrate(path: Path) -> ReadResult:
    """Read a GIDE RO-Crate metadata file into one Project with a Dataset per component."""
    data, failed = read_json(path)
    if failed is not None:
        return failed
    return read_rocrate_data(data, path)
