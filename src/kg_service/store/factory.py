"""Pick the store implementation from settings: embedded Oxigraph, or a remote SPARQL server.

`KG_STORE=oxigraph` (default) opens `KG_STORE_PATH`. `KG_STORE=sparql+http://host:port/base`
talks to a SPARQL 1.1 server; by default its endpoints follow Oxigraph server's layout
(`/query`, `/update`, `/store`) and `KG_STORE_QUERY_URL`, `KG_STORE_UPDATE_URL`,
`KG_STORE_GRAPH_STORE_URL` override them (Virtuoso: `/sparql` and `/sparql-graph-crud-auth`).
"""

from __future__ import annotations

from kg_service.config import Settings
from kg_service.store.base import Store
from kg_service.store.oxigraph_store import OxigraphStore
from kg_service.store.sparql_store import SparqlEndpoints, SparqlHttpStore


def remote_endpoints(settings: Settings) -> SparqlEndpoints:
    """Endpoints of a `sparql+http(s)://` store setting."""
    root = settings.store.removeprefix("sparql+").rstrip("/")
    return SparqlEndpoints(
        query_url=settings.store_query_url or f"{root}/query",
        update_url=settings.store_update_url or f"{root}/update",
        graph_store_url=settings.store_graph_store_url or f"{root}/store",
        username=settings.store_username,
        password=settings.store_password.get_secret_value() if settings.store_password else None,
        atomic_requests=settings.store_atomic_requests,
    )


def open_store(settings: Settings, *, read_only: bool = False) -> Store:
    """The store the settings describe."""
    if settings.store.startswith(("sparql+http://", "sparql+https://")):
        return SparqlHttpStore(remote_endpoints(settings))
    if settings.store != "oxigraph":
        raise ValueError(f"unknown KG_STORE {settings.store!r} (oxigraph or sparql+http://...)")
    return OxigraphStore(settings.store_path, read_only=read_only)
