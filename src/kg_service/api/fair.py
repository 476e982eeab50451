"""Findability: the catalogue page, sitemap, robots.txt, linksets, exports, link report.

Search engines find landing pages through /sitemap.xml (one <url> per project and dataset,
with lastmod; a sitemap index once there are more URLs than one sitemap may hold) and read
the catalogue's DataCatalog markup at /. Signposting level 2 linksets and the per-project
RO-Crate and DataCite exports hang under each record IRI.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from kg_service.api.deps import SettingsDep, StoreDep
from kg_service.api.pages import home_context
from kg_service.api.records import COMMON_HEADERS, KEY_PATTERN, KINDS, exports_of, record_exists
from kg_service.publish import exports
from kg_service.publish.bioschemas import (
    CATALOG_DESCRIPTION,
    bioschemas_document,
    bioschemas_triples,
    catalog_triples,
    script_text,
)
from kg_service.publish.links import broken_report
from kg_service.publish.signposts import LINKSET_TYPE, Link, linkset, signposts
from kg_service.queries import service_query
from kg_service.store import Store
from kg_service.web import render, stylesheet

SITEMAP_LIMIT = 50_000
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


_SITEMAP_CACHE: dict[tuple[int, int], list[tuple[str, str | None]]] = {}


def sitemap_entries(store: Store, base_iri: str) -> list[tuple[str, str | None]]:
    """(landing page, lastmod) for every project and dataset under this service's base,
    sorted; computed once per store state (the store's generation changes on every write)."""
    key = (id(store), int(getattr(store, "generation", -1)))
    cached = _SITEMAP_CACHE.get(key)
    if cached is not None and key[1] >= 0:
        return cached
    own = {
        str(row["record"]): str(row["lastmod"])[:10]
        for row in store.select(service_query("sitemap_dates"))
        if "lastmod" in row
    }
    parent = {
        str(row["record"]): str(row["project"])
        for row in store.select(service_query("sitemap_parts"))
    }
    entries = []
    for row in store.select(service_query("sitemap")):
        iri = str(row["record"])
        if not iri.startswith(base_iri):
            continue
        dates = [d for d in (own.get(iri), own.get(parent.get(iri, ""))) if d]
        entries.append((iri, max(dates) if dates else None))
    entries.sort()
    _SITEMAP_CACHE.clear()
    _SITEMAP_CACHE[key] = entries
    return entries


def urlset(entries: list[tuple[str, str | None]]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    for loc, lastmod in entries:
        modified = f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{modified}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_index(base_iri: str, pages: int) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    lines += [
        f"<sitemap><loc>{base_iri}sitemap-{n}.xml</loc></sitemap>" for n in range(1, pages + 1)
    ]
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"


def catalog_document(base_iri: str, projects: list[dict[str, str]]) -> dict[str, Any]:
    """Bioschemas DataCatalog (0.3-RELEASE), the same node the landing pages embed, with
    its projects as references."""
    document = bioschemas_document(base_iri, catalog_triples(base_iri))
    document["dataset"] = [{"@id": p["iri"]} for p in projects]
    return document


def fair_router(sitemap_limit: int = SITEMAP_LIMIT) -> APIRouter:
    """Routes that make records findable; `sitemap_limit` is the URLs per sitemap file."""
    router = APIRouter(tags=["fair"])

    @router.get("/", response_class=HTMLResponse)
    def catalog(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
        """The catalogue root: a DataCatalog page with counts and the newest projects."""
        base = settings.base_iri
        context = home_context(request, store, base)  # counts, trees, newest projects
        # the newest projects stand for the catalogue's datasets in its markup: Bioschemas
        # advises against listing every dataset on a catalogue page (10,000 projects at 100k)
        projects = [{"iri": p.iri, "title": p.title} for p in context["recent"]]
        page = render(
            "catalog.html",
            base=base,
            description=CATALOG_DESCRIPTION,
            jsonld_script=script_text(catalog_document(base, projects)),
            **context,
        )
        return HTMLResponse(page)

    @router.get("/robots.txt", response_class=PlainTextResponse)
    def robots(settings: SettingsDep) -> str:
        """Crawling is welcome; the sitemap says where the pages are."""
        return f"User-agent: *\nAllow: /\nSitemap: {settings.base_iri}sitemap.xml\n"

    @router.get("/sitemap.xml")
    def sitemap(store: StoreDep, settings: SettingsDep) -> Response:
        """Every landing page with lastmod; an index of sitemap files past the limit."""
        entries = sitemap_entries(store, settings.base_iri)
        if len(entries) <= sitemap_limit:
            return Response(urlset(entries), media_type="application/xml")
        pages = -(-len(entries) // sitemap_limit)
        return Response(sitemap_index(settings.base_iri, pages), media_type="application/xml")

    @router.get("/sitemap-{number}.xml")
    def sitemap_part(number: int, store: StoreDep, settings: SettingsDep) -> Response:
        """One file of the sitemap index (1-based)."""
        entries = sitemap_entries(store, settings.base_iri)
        chunk = entries[(number - 1) * sitemap_limit : number * sitemap_limit]
        if number < 1 or not chunk:
            raise HTTPException(404, f"no sitemap file {number}")
        return Response(urlset(chunk), media_type="application/xml")

    @router.get("/static/kg.css")
    def css() -> Response:
        return Response(stylesheet(), media_type="text/css")

    def bioschemas(store: Store, collection: str, key: str, base: str) -> dict[str, Any]:
        path, class_name = KINDS[collection]
        iri = f"{base}{path}/{key}"
        if not KEY_PATTERN.match(key) or not record_exists(store, iri, class_name):
            raise HTTPException(404, f"no {path} {key!r}")
        return bioschemas_document(iri, bioschemas_triples(store, iri, base))

    def linkset_response(collection: str, key: str, store: Store, base: str) -> Response:
        document = bioschemas(store, collection, key, base)
        iri = str(document["@id"])
        extra = [Link(u, "describedby", t) for _, u, t in exports_of(collection, iri)]
        body = linkset(iri, signposts(iri, document, extra))
        return Response(json.dumps(body, indent=1), media_type=LINKSET_TYPE, headers=COMMON_HEADERS)

    @router.api_route("/projects/{key}/linkset", methods=["GET", "HEAD"])
    def project_linkset(key: str, store: StoreDep, settings: SettingsDep) -> Response:
        """FAIR Signposting level 2: every link of the project, as application/linkset+json."""
        return linkset_response("projects", key, store, settings.base_iri)

    @router.api_route("/datasets/{key}/linkset", methods=["GET", "HEAD"])
    def dataset_linkset(key: str, store: StoreDep, settings: SettingsDep) -> Response:
        """FAIR Signposting level 2: every link of the dataset, as application/linkset+json."""
        return linkset_response("datasets", key, store, settings.base_iri)

    @router.get("/projects/{key}/ro-crate-metadata.json")
    def ro_crate(key: str, store: StoreDep, settings: SettingsDep) -> JSONResponse:
        """The project as a GIDE-profile RO-Crate metadata file."""
        document = bioschemas(store, "projects", key, settings.base_iri)
        return JSONResponse(exports.ro_crate(document), media_type="application/ld+json")

    @router.get("/projects/{key}/datacite.json")
    def datacite_json(key: str, store: StoreDep, settings: SettingsDep) -> JSONResponse:
        """DataCite kernel-4 metadata as JSON."""
        document = bioschemas(store, "projects", key, settings.base_iri)
        return JSONResponse(
            exports.datacite(document), media_type="application/vnd.datacite.datacite+json"
        )

    @router.get("/projects/{key}/datacite.xml")
    def datacite_xml(key: str, store: StoreDep, settings: SettingsDep) -> Response:
        """DataCite kernel-4 metadata as XML."""
        document = bioschemas(store, "projects", key, settings.base_iri)
        body = exports.datacite_xml(exports.datacite(document))
        return Response(body, media_type="application/vnd.datacite.datacite+xml")

    @router.get("/links/report")
    def link_report(store: StoreDep) -> dict[str, Any]:
        """Broken data links from the last `kg-service links check`, with their records."""
        broken = broken_report(store)
        return {"broken": len(broken), "links": broken}

    return router
