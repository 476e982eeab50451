"""RO-Crates merged into one RDF file (German-BioImaging/idr_study_crates: 138 IDR studies).

The merged Turtle holds every crate's metadata descriptor (`schema:about` its root Dataset)
and entities; a crate's own nodes (`#person-1`, `#screen-biosample-2`) became IRIs under the
root (`https://idr.openmicroscopy.org/study/idr0013/#person-1`). Each crate is turned back
into the JSON shape of a crate file, its own nodes made local again, and read by the RO-Crate
reader, so both forms of a study give the same records.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef

from kg_service.findings import Severity
from kg_service.ingest import ReadResult
from kg_service.ingest.peer_common import Collector
from kg_service.ingest.rocrate import read_rocrate_data

SDO = ("http://schema.org/", "https://schema.org/")
_NAMESPACES = (*SDO, "http://rs.tdwg.org/dwc/terms/", "http://rs.tdwg.org/dwc/iri/")
_ABOUT = [URIRef(base + "about") for base in SDO]
_CREATIVE_WORK = [URIRef(base + "CreativeWork") for base in SDO]
_DCT_CONFORMS = URIRef("http://purl.org/dc/terms/conformsTo")


def is_merged_crates(head: str) -> bool:
    """True for RDF text that declares RO-Crate metadata descriptors (peek at the start)."""
    return "w3id.org/ro/crate" in head and "conformsTo" in head


def _key(predicate: str) -> str:
    for base in _NAMESPACES:
        if predicate.startswith(base):
            return predicate[len(base) :]
    return predicate


def _entities(graph: Graph) -> dict[str, dict[str, Any]]:
    """Every subject as a JSON-LD-like dict with compact keys (schema.org, Darwin Core)."""
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for subject, predicate, obj in graph:
        entity = found[str(subject)]
        entity["@id"] = str(subject)
        if predicate == RDF.type:
            entity.setdefault("@type", []).append(_key(str(obj)))
            continue
        value: Any = {"@id": str(obj)} if isinstance(obj, URIRef) else str(obj)
        if isinstance(obj, Literal) and obj.datatype is None and obj.language is None:
            value = str(obj)
        entity.setdefault(_key(str(predicate)), []).append(value)
    return dict(found)


def _local(value: Any, root: str) -> Any:
    """References to the crate's own nodes (`{root}#x`) become `#x` again."""
    if isinstance(value, list):
        return [_local(v, root) for v in value]
    if isinstance(value, dict) and "@id" in value:
        ref = str(value["@id"])
        return {"@id": ref[len(root) :]} if ref.startswith(root + "#") else value
    return value


def _single(entity: dict[str, Any]) -> dict[str, Any]:
    """Lists of one value become the value, as crate files write them."""
    return {
        k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "@type" else v)
        for k, v in entity.items()
    }


def _crate(entities: dict[str, dict[str, Any]], descriptor: str, root: str) -> dict[str, Any]:
    own = [e for iri, e in entities.items() if iri == root or iri.startswith(root + "#")]
    others = [
        e for iri, e in entities.items() if "#" not in iri and iri != root and iri != descriptor
    ]
    graph = [{"@id": "ro-crate-metadata.json", "about": {"@id": root}}]
    for entity in [*own, *others]:
        local = {k: _local(v, root) for k, v in entity.items()}
        if local["@id"].startswith(root + "#"):
            local["@id"] = local["@id"][len(root) :]
        graph.append(_single(local))
    return {"@context": [], "@graph": graph}


def read_merged_crates(path: Path) -> ReadResult:
    """One project per crate of a merged RO-Crate RDF file."""
    out = Collector(str(path))
    graph = Graph()
    try:
        graph.parse(path, format="turtle" if path.suffix == ".ttl" else None)
    except Exception as exc:  # rdflib raises many types for bad RDF
        out.add(Severity.VIOLATION, f"cannot parse RDF: {exc}", out.at())
        return ReadResult(findings=out.findings)
    entities = _entities(graph)
    result = ReadResult()
    roots: dict[str, str] = {}
    for kind in _CREATIVE_WORK:
        for descriptor in graph.subjects(RDF.type, kind):
            for about in (o for p in _ABOUT for o in graph.objects(descriptor, p)):
                root = str(about)
                if (
                    str(descriptor).endswith("ro-crate-metadata.json")
                    and root in entities
                    and (descriptor, _DCT_CONFORMS, None) in graph
                ):
                    roots.setdefault(root, str(descriptor))
    for root, descriptor_iri in sorted(roots.items()):
        if "Dataset" not in entities[root].get("@type", []) or root.startswith("file:"):
            continue  # the index crate of the merge (a local folder) describes no study
        result.extend(read_rocrate_data(_crate(entities, descriptor_iri, root), path))
    if not result.projects:
        out.add(
            Severity.VIOLATION, "no RO-Crate root Dataset in this RDF: nothing to load", out.at()
        )
    result.findings.extend(out.findings)
    return result
