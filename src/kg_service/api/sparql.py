"""SPARQL 1.1 Protocol endpoint: GET and POST (form or application/sparql-query).

Handlers are plain `def` so pyoxigraph (which releases the GIL) runs in the thread pool;
`async def` around the engine was measured 4x slower on heavy queries.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from kg_service.api.deps import StoreDep
from kg_service.api.negotiation import pick_graph_type, pick_results_type

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"


def _run(store: StoreDep, query: str | None, accept: str | None) -> Response:
    if not query:
        raise HTTPException(400, "missing 'query' parameter")
    result = store.sparql(query, pick_results_type(accept), pick_graph_type(accept))
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


def sparql_router() -> APIRouter:
    router = APIRouter(tags=["sparql"])

    @router.get("/sparql")
    def sparql_get(request: Request, store: StoreDep, query: str | None = None) -> Response:
        """Run a SPARQL query given in the `query` parameter."""
        return _run(store, query, request.headers.get("accept"))

    @router.post("/sparql")
    async def sparql_post(request: Request, store: StoreDep) -> Response:
        """Run a SPARQL query sent as a form field or as the request body."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == SPARQL_QUERY:
            query: str | None = (await request.body()).decode("utf-8")
        elif content_type == FORM:
            form = await request.form()
            value = form.get("query")
            query = value if isinstance(value, str) else None
        else:
            raise HTTPException(415, f"unsupported content type {content_type!r}")
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_run, store, query, request.headers.get("accept"))

    return router
