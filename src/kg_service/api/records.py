"""Record IRIs are landing pages: one IRI, a page for people and RDF for machines.

`GET /projects/{id}` and `/datasets/{id}` negotiate: `?format=` wins, then `Accept`; HTML is
the default. JSON-LD is exactly the record's stored triples (`record_triples`), as are
Turtle, N-Triples and RDF/XML. Every answer carries FAIR Signposting `Link` headers and
`Vary: Accept`. Unknown ids give 404; withdrawn ones (see kg_service.publish.tombstones) 410.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from rdflib import URIRef

from kg_service.api.deps import SettingsDep, StoreDep
from kg_service.api.negotiation import choose, not_acceptable
from kg_service.publish import tombstones
from kg_service.publish.bioschemas import (
    bioschemas_document,
    bioschemas_triples,
    script_text,
    split_parts,
)
from kg_service.publish.jsonld import PREFIXES, record_document
from kg_service.publish.links import statuses
from kg_service.publish.signposts import (
    RDF_FORMATS,
    Link,
    link_header,
    metadata_link_header,
    signposts,
)
from kg_service.queries import service_query
from kg_service.rdf import class_uri
from kg_service.rdf_convert import to_ox
from kg_service.store import Store
from kg_service.web import render
from kg_service.web.view import page_context

HTML = "text/html"
RECORD_TYPES = [HTML, "application/ld+json", "text/turtle", "application/n-triples",
                "application/rdf+xml"]  # fmt: skip
FORMAT_NAMES = {"html": HTML, "json": "application/ld+json", "turtle": "text/turtle",
                "ntriples": "application/n-triples", "xml": "application/rdf+xml",
                **RDF_FORMATS}  # fmt: skip
ACCEPT_ALIASES = {"application/json": "application/ld+json", "application/xhtml+xml": HTML}
OX_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
              "application/rdf+xml": ox.RdfFormat.RDF_XML}  # fmt: skip
DATACITE_JSON = "application/vnd.datacite.datacite+json"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9._~-]{1,200}$")
KINDS = {"projects": ("projects", "Project"), "datasets": ("datasets", "Dataset")}
COMMON_HEADERS = {"Vary": "Accept", "Access-Control-Expose-Headers": "Link"}


def record_triples(store: Store, iri: str) -> list[Any]:
    return store.construct(service_query("record"), {"record": URIRef(iri)})


def negotiate(request: Request) -> str:
    """`?format=` (a short name or a media type) wins over Accept; 406 when nothing fits."""
    wanted = request.query_params.get("format")
    if wanted:
        media = FORMAT_NAMES.get(wanted.lower(), wanted.lower())
        chosen = media if media in RECORD_TYPES else None
    else:
        chosen = choose(request.headers.get("accept"), RECORD_TYPES, ACCEPT_ALIASES)
    if chosen is None:
        raise not_acceptable(wanted or request.headers.get("accept"), RECORD_TYPES, COMMON_HEADERS)
    return chosen


def render_rdf(iri: str, triples: list[Any], media_type: str) -> bytes:
    if media_type == "application/ld+json":
        return json.dumps(record_document(iri, triples), ensure_ascii=False, indent=1).encode()
    # Oxigraph's writers keep each literal's lexical form ("40"^^xsd:decimal stays "40"),
    # so every format is exactly the stored triples; rdflib's Turtle writer would not.
    ox_triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]  # type: ignore[arg-type]
    body = ox.serialize(ox_triples, format=OX_FORMATS[media_type], prefixes=PREFIXES)
    return body or b""


def exports_of(collection: str, iri: str) -> list[tuple[str, str, str]]:
    """(label, url, media type) of the per-project exports."""
    if collection != "projects":
        return []
    return [
        ("RO-Crate", f"{iri}/ro-crate-metadata.json", "application/ld+json"),
        ("DataCite JSON", f"{iri}/datacite.json", DATACITE_JSON),
        ("DataCite XML", f"{iri}/datacite.xml", "application/vnd.datacite.datacite+xml"),
    ]


def record_exists(store: Store, iri: str, class_name: str) -> bool:
    types = store.select(service_query("record_type"), {"record": URIRef(iri)})
    return any(str(row.get("type")) == str(class_uri(class_name)) for row in types)


def gone(store: Store, iri: str, media_type: str, base_iri: str) -> Response:
    stone = tombstones.find(store, iri)
    if stone is None:
        raise HTTPException(404, f"no record {iri}", COMMON_HEADERS)
    if media_type == HTML:
        page = render("tombstone.html", stone=stone, base=base_iri)
        return HTMLResponse(page, status_code=410, headers=COMMON_HEADERS)
    cite = f"{stone.title or stone.identifier or iri}. {iri} (withdrawn {stone.withdrawn})"
    raise HTTPException(410, f"record withdrawn: {cite}", COMMON_HEADERS)


def term_labels(request: Request, document: dict[str, Any]) -> dict[str, str]:
    """Readable labels for the page's terms from the shipped term index, when the app has one.

    Only the HTML uses them; the JSON-LD keeps to what the store says (labels appear there
    once term graphs with rdfs:label are loaded).
    """
    index = getattr(request.app.state, "term_index", None)
    if index is None:
        return {}
    labels = {}
    for key in ("about", "measurementTechnique"):
        value = document.get(key)
        for term in value if isinstance(value, list) else [value] if value else []:
            iri = str(term.get("@id", ""))
            label = index.label(iri)
            if label and label != iri:
                labels[iri] = str(label)
    return labels


def landing_page(
    collection: str, key: str, request: Request, store: Store, base_iri: str
) -> Response:
    path, class_name = KINDS[collection]
    media_type = negotiate(request)
    if not KEY_PATTERN.match(key):
        raise HTTPException(404, f"no {path} {key!r}", COMMON_HEADERS)
    iri = f"{base_iri}{path}/{key}"
    if not record_exists(store, iri, class_name):
        return gone(store, iri, media_type, base_iri)
    triples = record_triples(store, iri)
    if media_type != HTML:
        # A metadata representation: it points at what it describes and at the linkset;
        # the full level-1 set belongs to the landing page (and would cost a CONSTRUCT).
        headers = {**COMMON_HEADERS, "Link": metadata_link_header(iri)}
        return Response(render_rdf(iri, triples, media_type), media_type=media_type,
                        headers=headers)  # fmt: skip
    published = bioschemas_triples(store, iri, base_iri)
    document = bioschemas_document(iri, published)
    exports = exports_of(collection, iri)
    # the header names the DataCite record among the metadata; the linkset lists every export
    datacite = [Link(u, "describedby", t) for _, u, t in exports if t == DATACITE_JSON]
    links = signposts(iri, document, datacite)
    headers = {**COMMON_HEADERS, "Link": link_header(iri, links)}
    context = page_context(iri, class_name, triples, document, {})
    urls = [f.url for f in context["files"] if f.url]
    for image in context["images"]:
        urls += [*image.ome_zarr, *image.viewers, *([image.thumbnail] if image.thumbnail else [])]
    context["links"] = statuses(store, urls)
    context["labels"] = term_labels(request, document)
    page = render(
        "record.html",
        **context,
        base=base_iri,
        jsonld_script=script_text(document),
        formats=list(RDF_FORMATS.items()),
        exports=[(label, url) for label, url, _ in exports],
        sparql_url=f"{base_iri}sparql?query=DESCRIBE%20%3C{iri}%3E",
        part_names=split_parts(iri, published)[1],
    )
    return HTMLResponse(page, headers=headers)


def records_router() -> APIRouter:
    router = APIRouter(tags=["records"])

    def listing(collection: str, store: Store, base_iri: str) -> dict[str, Any]:
        path, class_name = KINDS[collection]
        rows = store.select(
            service_query("list_records"), {"type": URIRef(str(class_uri(class_name)))}
        )
        items = []
        for row in rows:
            iri = str(row["record"])
            if not iri.startswith(f"{base_iri}{path}/"):
                continue
            key = iri[len(f"{base_iri}{path}/") :]
            items.append({"id": key, "iri": iri, "title": str(row.get("title", "")), "url": iri})
        return {"total": len(items), "results": items}

    @router.get("/projects")
    def list_projects(store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
        """All projects with their titles."""
        return listing("projects", store, settings.base_iri)

    @router.get("/datasets")
    def list_datasets(store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
        """All datasets with their titles."""
        return listing("datasets", store, settings.base_iri)

    @router.api_route("/projects/{key}", methods=["GET", "HEAD"])
    def get_project(key: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        """A project's landing page: HTML (default), JSON-LD, Turtle, N-Triples or RDF/XML."""
        return landing_page("projects", key, request, store, settings.base_iri)

    @router.api_route("/datasets/{key}", methods=["GET", "HEAD"])
    def get_dataset(key: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        """A dataset's landing page, with its biosamples, acquisition, image data and files."""
        return landing_page("datasets", key, request, store, settings.base_iri)

    return router
