"""Project and dataset records as JSON-LD (or Turtle / N-Triples), built from stored triples."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from rdflib import Graph, URIRef

from kg_service.api.deps import SettingsDep, StoreDep
from kg_service.api.negotiation import require
from kg_service.jsonld import record_document
from kg_service.queries import service_query
from kg_service.rdf import class_uri
from kg_service.store import Store

RECORD_TYPES = ["application/ld+json", "text/turtle", "application/n-triples"]
_KEY = re.compile(r"^[A-Za-z0-9._~-]{1,200}$")
KINDS = {"projects": ("projects", "Project"), "datasets": ("datasets", "Dataset")}


def record_triples(store: Store, iri: str) -> list[Any]:
    return store.construct(service_query("record"), {"record": URIRef(iri)})


def render(iri: str, triples: list[Any], media_type: str) -> Response:
    if media_type == "application/ld+json":
        body = json.dumps(record_document(iri, triples), ensure_ascii=False, indent=1)
        return Response(body, media_type=media_type, headers={"Vary": "Accept"})
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    fmt = "turtle" if media_type == "text/turtle" else "nt"
    return Response(graph.serialize(format=fmt), media_type=media_type, headers={"Vary": "Accept"})


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

    def one(collection: str, key: str, request: Request, store: Store, base_iri: str) -> Response:
        path, class_name = KINDS[collection]
        if not _KEY.match(key):
            raise HTTPException(404, f"no {path} {key!r}")
        media_type = require(request.headers.get("accept") or "application/ld+json", RECORD_TYPES)
        iri = f"{base_iri}{path}/{key}"
        types = store.select(service_query("record_type"), {"record": URIRef(iri)})
        if not any(str(row.get("type")) == str(class_uri(class_name)) for row in types):
            raise HTTPException(404, f"no {path} {key!r}")
        return render(iri, record_triples(store, iri), media_type)

    @router.get("/projects")
    def list_projects(store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
        """All projects with their titles."""
        return listing("projects", store, settings.base_iri)

    @router.get("/datasets")
    def list_datasets(store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
        """All datasets with their titles."""
        return listing("datasets", store, settings.base_iri)

    @router.get("/projects/{key}")
    def get_project(key: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        """One project as JSON-LD (default), Turtle or N-Triples."""
        return one("projects", key, request, store, settings.base_iri)

    @router.get("/datasets/{key}")
    def get_dataset(key: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        """One dataset, with its biosamples, acquisition, image data and data files."""
        return one("datasets", key, request, store, settings.base_iri)

    return router
