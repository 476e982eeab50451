"""What a landing page shows, gathered from the record's triples and its Bioschemas view.

The page reads the same two sources the machine formats serve, so a person and a harvester
never see different facts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from kg_service.publish.jsonld import as_list
from kg_service.publish.signposts import authors, cite_as
from kg_service.store.base import Triple
from kg_service.web.plots import bar_chart, line_chart

KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
SCHEMA = Namespace("http://schema.org/")
SCALES = (("X", KG.physicalSizeX), ("Y", KG.physicalSizeY), ("Z", KG.physicalSizeZ))


@dataclass
class FileRow:
    name: str
    url: str | None
    media_type: str | None
    size: int | None
    sha256: str | None
    role: str | None


@dataclass
class ImageRow:
    axes: str | None
    sizes: dict[str, str]
    scales: list[tuple[str, str, str | None, str | None]]
    ome_zarr: list[str] = field(default_factory=list)
    viewers: list[str] = field(default_factory=list)
    thumbnail: str | None = None


@dataclass
class AnalysisRow:
    """Quantitative (BD5-style) data of a dataset: counts, and the charts drawn from them."""

    description: str | None
    data_format: str | None
    dimension: str | None
    counts: list[tuple[str, int]]
    per_time_point: list[int]
    curve_svg: str = ""
    counts_svg: str = ""


def _text(graph: Graph, node: Node, predicate: URIRef) -> str | None:
    value = graph.value(node, predicate)
    return None if value is None else str(value)


def files(graph: Graph, record: URIRef) -> list[FileRow]:
    rows = []
    for node in sorted(graph.objects(record, DCAT.distribution), key=str):
        size = graph.value(node, DCAT.byteSize)
        rows.append(
            FileRow(
                name=_text(graph, node, SCHEMA.name) or str(node).rsplit("/", 1)[-1],
                url=_text(graph, node, DCAT.downloadURL),
                media_type=_text(graph, node, DCAT.mediaType),
                size=int(str(size)) if size is not None else None,
                sha256=_text(graph, node, KG.sha256),
                role=_text(graph, node, KG.fileRole),
            )
        )
    return rows


def images(graph: Graph, record: URIRef) -> list[ImageRow]:
    rows = []
    for node in sorted(graph.objects(record, KG.imageData), key=str):
        sizes = {
            axis: str(graph.value(node, KG[f"size{axis}"]))
            for axis in "XYZCT"
            if graph.value(node, KG[f"size{axis}"]) is not None
        }
        scales = []
        for axis, predicate in (*SCALES, ("T", KG.timeInterval)):
            quantity = graph.value(node, predicate)
            if quantity is not None:
                scales.append(
                    (
                        axis,
                        _text(graph, quantity, SCHEMA.value) or "",
                        _text(graph, quantity, SCHEMA.unitText),
                        _text(graph, quantity, SCHEMA.unitCode),
                    )
                )
        rows.append(
            ImageRow(
                axes=_text(graph, node, KG.axes),
                sizes=sizes,
                scales=scales,
                ome_zarr=sorted(str(o) for o in graph.objects(node, KG.omeZarr)),
                viewers=sorted(str(o) for o in graph.objects(node, KG.viewer)),
                thumbnail=_text(graph, node, SCHEMA.thumbnailUrl),
            )
        )
    return rows


def _int(graph: Graph, node: Node, predicate: URIRef) -> int | None:
    value = graph.value(node, predicate)
    try:
        return None if value is None else int(str(value))
    except ValueError:
        return None


def _series(graph: Graph, node: Node) -> list[int]:
    """kg:objectsPerTimePoint: a JSON array of counts (time point 0, 1, ...); [] if unusable."""
    value = graph.value(node, KG.objectsPerTimePoint)
    try:
        data = json.loads(str(value)) if value is not None else []
    except ValueError:
        return []
    ok = isinstance(data, list) and all(isinstance(n, int) and n >= 0 for n in data)
    return data if ok else []


def analyses(graph: Graph, record: URIRef) -> list[AnalysisRow]:
    """Each kg:analysedData node, with a proliferation curve when counts per time point exist."""
    rows = []
    for i, node in enumerate(sorted(graph.objects(record, KG.analysedData), key=str)):
        counts = [
            (label, n)
            for label, predicate in (
                ("objects", KG.objectCount),
                ("track links", KG.trackCount),
                ("divisions", KG.divisionCount),
            )
            if (n := _int(graph, node, predicate)) is not None
        ]
        series = _series(graph, node)
        row = AnalysisRow(
            description=_text(graph, node, DCTERMS.description),
            data_format=_text(graph, node, KG.dataFormat),
            dimension=_text(graph, node, KG.spatialDimension),
            counts=counts,
            per_time_point=series,
        )
        row.curve_svg = line_chart(
            series,
            title="Objects per time point",
            x_label="Time point",
            y_label="Objects",
            chart_id=f"curve-{i}",
        )
        row.counts_svg = bar_chart(counts, title="Object, track and division counts",
                                   chart_id=f"counts-{i}")  # fmt: skip
        rows.append(row)
    return rows


def citation_text(iri: str, document: dict[str, Any], catalog_name: str) -> str:
    """A human "cite this" line from what exists: creators, year, title, catalogue, PID."""
    names = [c.get("name") for c in as_list(document.get("creator")) if c.get("name")]
    year = ""
    for key in ("datePublished", "dateModified", "dateCreated"):  # what exists, best first
        value = document.get(key)
        year = year or str((value.get("@value") if isinstance(value, dict) else value) or "")
    parts = [", ".join(sorted(str(n) for n in names)) or "Anonymous"]
    parts.append(f"({year[:4]})" if year else "(n.d.)")
    return (
        f"{' '.join(parts)}. {document.get('name', iri)}. {catalog_name}. {cite_as(iri, document)}"
    )


@dataclass
class AnnotatedValue:
    """A gene or phenotype of a dataset's image annotations, with its images (issue 16)."""

    iri: str
    name: str
    images: int


def annotation_summary(graph: Graph, record: URIRef) -> dict[str, list[AnnotatedValue]]:
    """Genes and phenotypes of the record's image groups, most images first (50 each)."""
    found: dict[str, dict[str, AnnotatedValue]] = {"genes": {}, "phenotypes": {}}
    for group in graph.objects(record, KG.imageGroup):
        images = _int(graph, group, KG.imageCount) or 0
        symbols = [str(s) for s in graph.objects(group, KG.geneSymbol)]
        for kind, predicate in (("genes", KG.gene), ("phenotypes", KG.phenotype)):
            values = [str(v) for v in graph.objects(group, predicate)]
            for value in values:
                name = symbols[0] if kind == "genes" and len(values) == len(symbols) == 1 else ""
                row = found[kind].setdefault(value, AnnotatedValue(value, name, 0))
                row.images += images
    return {
        kind: sorted(rows.values(), key=lambda r: (-r.images, r.iri))[:50]
        for kind, rows in found.items()
    }


def _is_taxon(term: dict[str, Any]) -> bool:
    return str(term.get("@id", "")).startswith("http://purl.obolibrary.org/obo/NCBITaxon_")


def page_context(
    iri: str,
    kind: str,
    triples: list[Triple],
    document: dict[str, Any],
    link_status: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """Everything the record template needs, in plain values."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    record = URIRef(iri)
    terms = [t for t in as_list(document.get("about")) if isinstance(t, dict)]
    catalog = document.get("includedInDataCatalog") or {}
    catalog_name = (
        catalog.get("name", "Bioimage knowledge graph") if isinstance(catalog, dict) else ""
    )
    return {
        "iri": iri,
        "kind": kind,
        "doc": document,
        "as_list": as_list,
        "organisms": [t for t in terms if _is_taxon(t)],
        "others": [t for t in terms if not _is_taxon(t)],
        "types": sorted(str(t) for t in graph.objects(record, RDF.type)),
        "files": files(graph, record),
        "images": images(graph, record),
        "analyses": analyses(graph, record),
        "annotated": annotation_summary(graph, record),
        "orcids": authors(document),
        "citation": citation_text(iri, document, catalog_name),
        "catalog_name": catalog_name,
        "links": link_status,
    }
