"""SPARQL 1.1 Protocol endpoint: query via GET, POST form and POST sparql-query; admin updates.

This module only maps HTTP to `SparqlService` and errors to problem documents. Every answer,
errors included, carries open CORS headers so browser editors (YASGUI, SIB's sparql-editor) can
read it; OPTIONS answers the preflight a POST with `application/sparql-query` triggers.
Handlers around the engine are plain `def` (thread pool): `async def` was measured 4x slower.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from kg_service.api.negotiation import (
    GRAPH_TYPES,
    RESULTS_TYPES,
    choose_graph_type,
    choose_results_type,
    require,
)
from kg_service.api.problems import PROBLEM
from kg_service.query_executor import QueryTimeout
from kg_service.sparql_guard import QueryRefused, QueryUnchecked
from kg_service.sparql_service import (
    NotAcceptable,
    QueryFailed,
    QueryRequest,
    SparqlService,
    TooManyRows,
    UpdateForbidden,
)
from kg_service.store import UserQueryError
from kg_service.void import service_description, void_graph

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length",
}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Max-Age": "86400",
}
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
}
# (status, title) per error; the exception text becomes the problem's detail
ERRORS: list[tuple[type[BaseException], int, str]] = [
    (UserQueryError, 400, "invalid SPARQL query"),
    (QueryUnchecked, 400, "invalid SPARQL query"),
    (TooManyRows, 400, "result too large"),
    (QueryRefused, 403, "query not allowed"),
    (UpdateForbidden, 403, "update not allowed"),
    (NotAcceptable, 406, "not acceptable"),
    (QueryTimeout, 503, "query timed out"),
    (QueryFailed, 500, "query failed"),
]


class ProtocolError(ValueError):
    """A malformed protocol request: status and message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def problem(status: int, title: str, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=CORS)


async def get_service(request: Request) -> SparqlService:
    """The app's SparqlService (created on first use if the app factory did not).

    `async` on purpose: FastAPI runs plain `def` dependencies in the thread pool, and three
    extra thread hops per request were a measurable share of a sub-millisecond lookup.
    """
    state = request.app.state
    service: SparqlService | None = getattr(state, "sparql", None)
    if service is None:
        service = state.sparql = SparqlService(state.store, state.settings)
    return service


ServiceDep = Annotated[SparqlService, Depends(get_service)]


def _guarded(work: Callable[[], Response]) -> Response:
    """Run `work`, turning every known failure into a problem document with CORS headers."""
    try:
        return work()
    except ProtocolError as error:
        return problem(error.status, "bad SPARQL protocol request", str(error))
    except tuple(kind for kind, _, _ in ERRORS) as error:
        status, title = next((s, t) for k, s, t in ERRORS if isinstance(error, k))
        return problem(status, title, str(error))


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter")
    return values[0] if values else None


def _graph_params(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return tuple(value for key, value in params if key == name)


def _accept(request: Request, params: list[tuple[str, str]]) -> str | None:
    """`?format=` (a media type or alias) overrides the Accept header."""
    return _single(params, "format") or request.headers.get("accept")


def _answer_query(
    service: SparqlService, request: Request, params: list[tuple[str, str]], query: str
) -> Response:
    accept = _accept(request, params)
    results_type, graph_type = choose_results_type(accept), choose_graph_type(accept)
    if results_type is None and graph_type is None:
        offered = ", ".join(RESULTS_TYPES + GRAPH_TYPES)
        raise NotAcceptable(f"cannot produce any of: {accept}; available: {offered}")
    answer = service.query(
        QueryRequest(
            query,
            results_type,
            graph_type,
            _graph_params(params, "default-graph-uri"),
            _graph_params(params, "named-graph-uri"),
        )
    )
    return Response(answer.body, media_type=answer.media_type, headers={**CORS, "Vary": "Accept"})


def _description(service: SparqlService, request: Request) -> Response:
    """Service description + VoID from the store's precomputed graph (static part if absent)."""
    media_type = require(
        request.headers.get("accept") or "text/turtle", [*GRAPH_TYPES, "text/html"]
    )
    if media_type == "text/html":
        media_type = "text/turtle"
    base = service.settings.base_iri
    triples = service.store.triples(void_graph(base)) or service_description(base)
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    body = graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")
    return Response(body, media_type=media_type, headers={**CORS, "Vary": "Accept"})


def _run_update(service: SparqlService, request: Request, update: str) -> Response:
    auth = request.headers.get("authorization", "")
    token = auth[7:] if auth.lower().startswith("bearer ") else None
    service.update(update, token)
    return Response(status_code=204, headers=CORS)


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, "the request body is not UTF-8") from error


def _post(service: SparqlService, request: Request, content_type: str, body: bytes) -> Response:
    """Dispatch a POST by content type (runs in the thread pool)."""
    params = parse_qsl(request.url.query, keep_blank_values=True)
    if content_type == SPARQL_QUERY:
        return _answer_query(service, request, params, _decode(body))
    if content_type == SPARQL_UPDATE:
        return _run_update(service, request, _decode(body))
    if content_type != FORM:
        raise ProtocolError(415, f"unsupported content type {content_type or '(none)'!r}")
    form = parse_qsl(_decode(body), keep_blank_values=True)
    query, update = _single(form, "query"), _single(form, "update")
    if query is not None and update is not None:
        raise ProtocolError(400, "send either 'query' or 'update', not both")
    if update is not None:
        return _run_update(service, request, update)
    if not query:
        raise ProtocolError(400, "missing 'query' parameter")
    return _answer_query(service, request, params + form, query)


def sparql_router() -> APIRouter:
    router = APIRouter(tags=["sparql"])

    @router.get("/sparql")
    def sparql_get(request: Request, service: ServiceDep) -> Response:
        """Run the `query` parameter; without one, return the service description."""

        def work() -> Response:
            params = parse_qsl(request.url.query, keep_blank_values=True)
            if _single(params, "update") is not None:
                raise ProtocolError(400, "SPARQL Update must be sent with POST")
            query = _single(params, "query")
            if query is None:
                return _description(service, request)
            if not query.strip():
                raise ProtocolError(400, "empty 'query' parameter")
            return _answer_query(service, request, params, query)

        return _guarded(work)

    @router.post("/sparql")
    async def sparql_post(request: Request, service: ServiceDep) -> Response:
        """Run a query (form field or body) or, with the admin token, an update."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            body = await _read_body(request, service.settings.max_request_bytes)
        except ProtocolError as error:
            return problem(error.status, "bad SPARQL protocol request", str(error))
        return await run_in_threadpool(
            _guarded, lambda: _post(service, request, content_type, body)
        )

    @router.options("/sparql")
    def sparql_preflight() -> Response:
        """CORS preflight (browsers send it before a POST with application/sparql-query)."""
        return Response(status_code=204, headers=PREFLIGHT)

    @router.get("/.well-known/void")
    def void_document(request: Request, service: ServiceDep) -> Response:
        """The precomputed VoID description (SIB convention), same graph as the description."""
        return _guarded(lambda: _description(service, request))

    return router
