"""Application factory: builds the store from settings and wires the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from kg_service import __version__
from kg_service.api import problems
from kg_service.api.deps import StoreDep
from kg_service.api.records import records_router
from kg_service.api.sparql import sparql_router
from kg_service.config import Settings
from kg_service.pipeline import check_base_iri
from kg_service.store import OxigraphStore, Store


def health_router() -> APIRouter:
    router = APIRouter(tags=["service"])

    @router.get("/health")
    def health(store: StoreDep) -> dict[str, object]:
        """Liveness plus a cheap sign that the store answers."""
        return {"status": "ok", "version": __version__, "graphs": len(store.graph_names())}

    return router


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; the store is opened from settings unless one is passed (tests, tools)."""
    settings = settings or Settings()
    owned = store is None
    the_store: Store = store if store is not None else OxigraphStore(settings.store_path)
    check_base_iri(the_store, settings.base_iri)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            the_store.close()

    app = FastAPI(
        title="Bioimage knowledge graph",
        version=__version__,
        description="SSBD/IDR/BIA-style bioimage metadata as linked data: SPARQL and JSON-LD.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = the_store
    problems.install(app)
    app.include_router(health_router())
    app.include_router(sparql_router())
    app.include_router(records_router())
    return app
