"""Application factory: builds the store from settings and wires the routers."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request

from kg_service import __version__
from kg_service.api import problems
from kg_service.api.deps import StoreDep
from kg_service.api.fair import fair_router
from kg_service.api.middleware import (
    ASGIApp,
    Receive,
    RequestContextMiddleware,
    Scope,
    Send,
)
from kg_service.api.pages import pages_router, warm_home_summary
from kg_service.api.records import records_router
from kg_service.api.search import search_router
from kg_service.api.sparql import is_protocol_request, sparql_endpoint, sparql_router
from kg_service.api.submissions import submissions_router
from kg_service.api.terms import terms_router
from kg_service.api.validate import validate_router
from kg_service.config import Settings
from kg_service.ops.change_watch import ChangeWatcher
from kg_service.pipeline import ProjectLocks, check_base_iri
from kg_service.search import SearchIndex
from kg_service.search.lifecycle import index_path, open_index
from kg_service.sparql.service import SparqlService
from kg_service.store import Store
from kg_service.store.factory import open_store
from kg_service.store.sparql_store import SparqlHttpStore
from kg_service.terms.index import shipped_term_index

SMALL_STORE = 10_000  # datasets: up to this, a start waits for the VoID statistics too


def health_router() -> APIRouter:
    router = APIRouter(tags=["service"])

    @router.get("/health")
    def health(request: Request, store: StoreDep) -> dict[str, object]:
        """Liveness, a cheap sign that the store answers, and the search index's state
        (`search_index_on_disk`: false when this process keeps it in memory;
        `search_index_reopened`: served from disk at start rather than built)."""
        index: SearchIndex | None = getattr(request.app.state, "search_index", None)
        return {
            "status": "ok",
            "version": __version__,
            "graphs": len(store.graph_names()),
            "search_index": index.state if index is not None else "absent",
            "search_index_on_disk": index is not None and index.path is not None,
            "search_index_reopened": index is not None and index.reopened,
        }

    return router


class KnowledgeGraphApp(FastAPI):
    """FastAPI with one shortcut: SPARQL protocol requests go straight to their endpoint.

    A lookup's whole budget is about 0.2 ms of server time, and FastAPI's per-request
    telemetry check plus Starlette's middleware layers cost a tenth of it (measured with
    direct ASGI calls), so GET and POST on /sparql enter the protocol endpoint directly,
    wrapped only in the request-id layer (ids, access log, security headers).
    """

    sparql_front: ASGIApp = RequestContextMiddleware(sparql_endpoint)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_protocol_request(scope):
            scope["app"] = self
            await self.sparql_front(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _watch_shared_store(app: FastAPI, store: Store, settings: Settings) -> ChangeWatcher | None:
    """On a server shared with other API instances, follow their writes (issue 8)."""
    if not isinstance(store, SparqlHttpStore):
        return None
    index = app.state.search_index
    store.add_change_listener(lambda graphs: index.refresh(store, graphs))
    watcher = ChangeWatcher(store, settings.change_poll_seconds)
    watcher.start()
    return watcher


def _search_index(settings: Settings, store: Store, owned: bool) -> SearchIndex:
    """Open (or start building) the search index and have it follow the store's writes.

    A remote store's writes reach it through the change watcher (any instance's writes);
    the embedded store the app opened tells its listeners itself (an injected store is the
    caller's to follow). The submissions API also refreshes it after each submission.
    """
    path = index_path(settings) if owned or settings.search_index_path else None
    index = open_index(settings, shipped_term_index(), path)
    index.start(store)
    listen = getattr(store, "add_change_listener", None)
    if owned and listen is not None and not isinstance(store, SparqlHttpStore):
        listen(lambda graphs: index.refresh(store, graphs))
    return index


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the app; the store is opened from settings unless one is passed (tests, tools)."""
    settings = settings or Settings()
    owned = store is None
    the_store: Store = store if store is not None else open_store(settings)
    check_base_iri(the_store, settings.base_iri)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        watcher = _watch_shared_store(app, the_store, settings)
        yield
        if watcher is not None:
            watcher.stop()
        app.state.sparql.close()
        if owned:
            the_store.close()  # first: a restart waits for the store's lock, not the index's
        app.state.search_index.close()

    app = KnowledgeGraphApp(
        title="Bioimage knowledge graph",
        version=__version__,
        description="SSBD/IDR/BIA-style bioimage metadata as linked data: SPARQL and JSON-LD.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = the_store
    problems.install(app)
    app.add_middleware(RequestContextMiddleware)  # issue 8: request ids, access log, headers
    app.include_router(health_router())
    app.include_router(sparql_router())
    # issue 5: SPARQL service (cache, query worker pool); an app that opened its own store
    # publishes the example queries and VoID into it (injected stores are the caller's)
    app.state.sparql = SparqlService(the_store, settings)
    if owned:
        app.state.sparql.publish_at_start()
    app.include_router(records_router())
    app.include_router(fair_router())  # issue 6: /, sitemap, robots, linksets, exports
    app.include_router(pages_router())  # issue 9: /browse, /query, /static/kg.js
    warm_home_summary(app.state, the_store, settings.base_iri)  # issue 17: a fast first /
    # issue 4: term index (shared, immutable); issue 14: the search index on disk beside the
    # store (in memory for an injected store unless a folder is set), following every write
    app.state.term_index = shipped_term_index()
    app.state.search_index = _search_index(settings, the_store, owned)
    app.include_router(terms_router())
    app.include_router(search_router())
    # issue 7: validation (no account) and token-guarded submissions with history
    app.state.project_locks = ProjectLocks()
    app.include_router(validate_router())
    app.include_router(submissions_router())
    _wait_for_background_work(app, settings.startup_wait_s)
    return app


def _wait_for_background_work(app: FastAPI, wait_s: float) -> None:
    """Give the search index and the VoID statistics `wait_s` in all to finish.

    Small stores are then complete when the app starts serving; a large one (minutes of
    work at 100k datasets) serves at once while they finish, both running side by side.
    The statistics are waited for only on a store of at most `SMALL_STORE` datasets (by
    the search index's count, known once it is ready): on a larger one they take a minute
    or more, so waiting would only hold back a start that is otherwise ready.
    """
    deadline = time.monotonic() + wait_s
    index = app.state.search_index
    if not index.ready.wait(max(0.0, deadline - time.monotonic())):
        return
    if index.usable and index.snapshot().dataset_count() > SMALL_STORE:
        return
    app.state.sparql.void.wait_idle(max(0.0, deadline - time.monotonic()))
