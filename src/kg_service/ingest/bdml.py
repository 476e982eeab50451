"""Reader for BDML (Biological Dynamics Markup Language) 3.0 and 0.18 documents.

BDML describes one quantitative dataset: `info` (id, title, release, licence), `summary`
(description, organism, basedon, contributors, PMID), `contact`, `methods` and then either
inline data (0.18: `data/scaleUnit`...) or, in 3.0, an `extfile/bd5File` reference to a BD5
(HDF5) file. We parse with a hardened lxml parser (no entity expansion, no DTD, no network),
validate against the XSD of the document's version when it is available (`loaders/bdml/`,
or a folder passed in), and follow `bd5File` to a BD5 file next to the document through
`kg_service.ingest.bd5.read_bd5`. A missing BD5 file is a WARNING, not a crash.

Ids: `projects/bdml-{localID or bdmlID}` with one Dataset `datasets/bdml-{key}-{localID}`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg_service.findings import Severity
from kg_service.ingest import ReadResult, build_record
from kg_service.ingest.bd5 import read_bd5
from kg_service.ingest.ids import dataset_id, part_id, project_id, slug
from kg_service.ingest.peer_common import Collector, is_placeholder, parse_xml, quantity, xml_path
from kg_service.model import (
    AnalysedData,
    Biosample,
    Dataset,
    Organization,
    Person,
    Project,
    Publication,
)
from kg_service.normalize import orcid_iri, parse_quantity, pubmed_id
from kg_service.paths import knowledge_dir
from kg_service.terms.index import taxon_from_text

NS = "http://ssbd.qbic.riken.jp/bdml"
XSD_NAMES = {"3.0": "bdml3.0.xsd", "0.18": "bdml0.18.xsd"}


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _text(parent: Any, path: str) -> str | None:
    found = parent.find("/".join(_q(p) for p in path.split("/")))
    if found is None or not (found.text or "").strip():
        return None
    return str(found.text).strip()


def _where(out: Collector, element: Any) -> Any:
    return out.at(line=element.sourceline, field=xml_path(element))


def _version(root: Any) -> str:
    version = (root.get("version") or "").strip()
    if version.startswith("3"):
        return "3.0"
    return "0.18" if version.startswith("0.") else version


def find_schema(version: str, schema_dirs: list[Path]) -> Path | None:
    """The XSD for `version` from the given folders, then loaders/bdml/ of this checkout."""
    name = XSD_NAMES.get(version)
    if name is None:
        return None
    for folder in [*schema_dirs, knowledge_dir("loaders") / "bdml"]:
        if (folder / name).is_file():
            return folder / name
    return None


def _validate(tree: Any, version: str, schema_dirs: list[Path], out: Collector) -> None:
    from lxml import etree

    xsd = find_schema(version, schema_dirs)
    if xsd is None:
        out.add(
            Severity.INFO,
            f"no XSD shipped for BDML {version or '?'}; structure checked by the reader only",
            out.at(line=1),
        )
        return
    schema = etree.XMLSchema(etree.parse(str(xsd), _xsd_parser()))
    if schema.validate(tree):
        return
    for error in schema.error_log:
        out.add(
            Severity.VIOLATION,
            f"BDML {version} schema: {error.message}",
            out.at(line=error.line, field=error.path),
        )


def _xsd_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _person(element: Any, record_id: str) -> Person:
    first, last = _text(element, "first-name"), _text(element, "last-name")
    middle = _text(element, "middle-name")
    name = " ".join(p for p in (first, middle, last) if p) or _text(element, "name")
    affiliation = element.find(_q("affiliation"))
    org = None
    if affiliation is not None:
        org = build_record(
            Organization,
            id=part_id(record_id, "affiliation"),
            name=_text(affiliation, "organization"),
            department=_text(affiliation, "department"),
            laboratory=_text(affiliation, "laboratory"),
            address=_text(affiliation, "address"),
        )
    orcid = _text(element, "ORCID")
    return build_record(
        Person,
        id=record_id,
        name=name,
        given_name=first,
        family_name=last,
        email=_text(affiliation, "E-mail") if affiliation is not None else _text(element, "E-mail"),
        orcid=orcid_iri(orcid) if orcid else None,
        affiliation=org,
    )


def _people(parent: Any, path: str, pid: str, kind: str) -> list[Person]:
    container = parent.find(_q(path)) if parent is not None else None
    if container is None:
        return []
    persons = container.findall(_q("person"))
    return [_person(p, part_id(pid, kind, i)) for i, p in enumerate(persons, start=1)]


def _scales(root: Any, record_id: str, out: Collector) -> dict[str, Any]:
    """Inline `data/scaleUnit` (BDML 0.18 and inline 3.0) as physical sizes."""
    scale = root.find(f"{_q('data')}/{_q('scaleUnit')}")
    if scale is None:
        return {}
    found: dict[str, Any] = {}
    unit = _text(scale, "xyzUnit") or ""
    for axis in "xyz":
        value = _text(scale, f"{axis}Scale")
        parsed = parse_quantity(f"{value} {unit}") if value else None
        if value and parsed is None:
            out.add(
                Severity.WARNING,
                f"{axis}Scale/xyzUnit not usable",
                _where(out, scale),
                value=f"{value} {unit}",
            )
        elif parsed:
            found[f"physical_size_{axis}"] = quantity(
                part_id(record_id, f"physical-size-{axis}"), parsed
            )
    t_value, t_unit = _text(scale, "tScale"), _text(scale, "tUnit")
    parsed = parse_quantity(f"{t_value} {t_unit}") if t_value and t_unit else None
    if parsed:
        found["time_interval"] = quantity(part_id(record_id, "time-interval"), parsed)
    return found


def _bd5(root: Any, path: Path, did: str, out: Collector) -> tuple[list[Any], list[Any]]:
    """Follow `extfile/bd5File`: analysed data + data file, or a missing-file warning."""
    element = root.find(f"{_q('extfile')}/{_q('bd5File')}")
    if element is None or not (element.text or "").strip():
        return [], []
    name = element.text.strip()
    target = (path.parent / name).resolve()
    if path.parent.resolve() not in target.parents:
        out.add(
            Severity.VIOLATION,
            "bd5File must name a file next to the BDML document",
            _where(out, element),
            value=name,
        )
        return [], []
    if not target.is_file():
        out.add(
            Severity.WARNING,
            "the referenced BD5 data file is missing; its metadata are not included",
            _where(out, element),
            value=name,
            fix=f"put {name} next to {path.name}",
        )
        return [], []
    result = read_bd5(target, part_id(did, "analysed-data"))
    out.findings.extend(result.findings)
    out.source_map.update(result.source_map)
    analysed = [result.analysed_data] if result.analysed_data else []
    files = [result.data_file] if result.data_file else []
    return analysed, files


def _license(text: str | None, root: Any, out: Collector) -> str | None:
    if not text:
        return None
    element = root.find(f"{_q('info')}/{_q('license')}")
    return out.license("license", text, _where(out, element))


def read_bdml(path: Path, schema_dirs: list[Path] | None = None) -> ReadResult:
    """Read a BDML document (3.0 or 0.18) into one Project with one quantitative Dataset."""
    out = Collector(str(path))
    tree = parse_xml(path, out)
    if tree is None:
        return ReadResult(findings=out.findings)
    root = tree.getroot()
    if root.tag != _q("bdml"):
        out.add(
            Severity.VIOLATION,
            f"root element is {root.tag}, not BDML's <bdml> in {NS}",
            out.at(line=root.sourceline),
        )
        return ReadResult(findings=out.findings)
    version = _version(root)
    _validate(tree, version, schema_dirs or [], out)
    return ReadResult([_project(root, path, version, out)], out.findings, out.source_map)


def _project(root: Any, path: Path, version: str, out: Collector) -> Project:
    info, summary = root.find(_q("info")), root.find(_q("summary"))
    local = (
        (_text(summary, "localID") if summary is not None else None)
        or (_text(info, "bdmlID") if info is not None else None)
        or path.stem
    )
    key = f"bdml-{slug(local)}"
    pid = project_id(key)
    did = dataset_id(key, local)
    title = _text(info, "title") if info is not None else None
    analysed, files = _bd5(root, path, did, out)
    scales = _scales(root, part_id(did, "analysed-data"), out)
    if scales and not analysed:
        analysed = [
            build_record(
                AnalysedData, id=part_id(did, "analysed-data"), data_format="BDML", **scales
            )
        ]
    description = _text(summary, "description") if summary is not None else None
    pmid = _text(summary, "PMID") if summary is not None else None
    organism = _text(summary, "organism") if summary is not None else None
    taxon = taxon_from_text(organism) if organism else None
    if organism and taxon:
        out.add(
            Severity.INFO,
            f"BDML organism read as {taxon.rsplit('/', 1)[-1].replace('_', ':')} "
            "(exact name in NCBI Taxonomy or a curated alias)",
            out.at(field="/bdml/summary/organism"),
            value=organism,
        )
    elif organism:
        out.add(
            Severity.WARNING,
            "BDML organism is free text that names no NCBI taxon exactly; kept in the dataset "
            "description, not as a taxon",
            out.at(field="/bdml/summary/organism"),
            value=organism,
            fix="use the scientific name, e.g. Caenorhabditis elegans",
        )
    basedon = (_text(summary, "basedon") or "").lower() if summary is not None else ""
    methods = _text(root, "methods/summary")
    dataset = build_record(
        Dataset,
        id=did,
        title=title,
        description="; ".join(
            p
            for p in (description, f"organism: {organism}" if organism and not taxon else None)
            if p
        )
        or None,
        biosamples=[build_record(Biosample, id=part_id(did, "biosample"), organisms=[taxon])]
        if taxon
        else [],
        kind="quantitative",
        based_on=basedon if basedon in ("experiment", "simulation") else None,
        datatype=_text(summary, "datatype") if summary is not None else None,
        release_date=_text(info, "release") if info is not None else None,
        analysed_data=analysed,
        files=files,
    )
    out.stored(did, "title", out.at(field="/bdml/info/title"))
    out.stored(pid, "title", out.at(field="/bdml/info/title"))
    license_text = _text(info, "license") if info is not None else None
    return build_record(
        Project,
        id=pid,
        title=title,
        description=description,
        accession=_text(info, "bdmlID") if info is not None else None,
        license=_license(
            None if license_text is None or is_placeholder(license_text) else license_text,
            root,
            out,
        ),
        release_date=_text(info, "release") if info is not None else None,
        method_summary=methods,
        source_repository="SSBD",
        project_type=f"BDML {version}",
        contacts=_people(root, "contact", pid, "contact"),
        contributors=_people(summary, "contributors", pid, "contributor"),
        publications=[
            build_record(Publication, id=part_id(pid, "publication", 1), pubmed_id=pubmed_id(pmid))
        ]
        if pmid and pubmed_id(pmid)
        else [],
        datasets=[dataset],
    )
