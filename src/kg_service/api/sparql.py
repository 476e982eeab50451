"""SPARQL 1.1 Protocol endpoint: query via GET, POST form and POST sparql-query; admin updates.

This module only maps HTTP to `SparqlService` and errors to problem documents. Every answer,
errors included, carries open CORS headers so browser editors (YASGUI, SIB's sparql-editor) can
read it; OPTIONS answers the preflight a POST with `application/sparql-query` triggers.
Queries never run on the event loop: they run in worker processes (for the hard time limit),
and the handlers are `async def` that await the worker's reply, which saves the two thread
hops a `def` handler costs (bench/bench_sparql.py). Work that does block (the rdflib parse of a
SERVICE query, the service description, updates) goes to the thread pool.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import cast
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from kg_service.api.middleware import ASGIApp, Receive, Scope, Send
from kg_service.api.negotiation import (
    GRAPH_TYPES,
    RESULTS_TYPES,
    choose_graph_type,
    choose_results_type,
    require,
)
from kg_service.api.problems import PROBLEM
from kg_service.query_cache import CachedAnswer
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
ANSWER_HEADERS = {**CORS, "Vary": "Accept"}
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


def get_service(request: Request) -> SparqlService:
    """The app's SparqlService (created on first use if the app factory did not).

    A plain call, not a FastAPI dependency: the endpoint's budget is a fraction of a
    millisecond and dependency solving is a measurable share of it.
    """
    state = request.app.state
    service: SparqlService | None = getattr(state, "sparql", None)
    if service is None:
        service = state.sparql = SparqlService(state.store, state.settings)
    return service


def _problem_for(error: BaseException) -> Response | None:
    """The problem document for a known failure, None for anything else."""
    if isinstance(error, ProtocolError):
        return problem(error.status, "bad SPARQL protocol request", str(error))
    for kind, status, title in ERRORS:
        if isinstance(error, kind):
            return problem(status, title, str(error))
    return None


KNOWN: tuple[type[BaseException], ...] = (ProtocolError, *(kind for kind, _, _ in ERRORS))


def _guarded(work: Callable[[], Response]) -> Response:
    """Run `work`, turning every known failure into a problem document with CORS headers."""
    try:
        return work()
    except KNOWN as error:
        return cast(Response, _problem_for(error))


async def _guarded_async(work: Awaitable[Response]) -> Response:
    """`_guarded` for a coroutine."""
    try:
        return await work
    except KNOWN as error:
        return cast(Response, _problem_for(error))


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


def _query_request(request: Request, params: list[tuple[str, str]], query: str) -> QueryRequest:
    accept = _accept(request, params)
    results_type, graph_type = choose_results_type(accept), choose_graph_type(accept)
    if results_type is None and graph_type is None:
        offered = ", ".join(RESULTS_TYPES + GRAPH_TYPES)
        raise NotAcceptable(f"cannot produce any of: {accept}; available: {offered}")
    return QueryRequest(
        query,
        results_type,
        graph_type,
        _graph_params(params, "default-graph-uri"),
        _graph_params(params, "named-graph-uri"),
    )


def _response(answer: CachedAnswer) -> Response:
    return Response(answer.body, media_type=answer.media_type, headers=ANSWER_HEADERS)


async def _answer_query(
    service: SparqlService, request: Request, params: list[tuple[str, str]], query: str
) -> Response:
    return _response(await service.query_async(_query_request(request, params, query)))


def _query_params(request: Request) -> list[tuple[str, str]]:
    return parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True)


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


async def _post(
    service: SparqlService, request: Request, content_type: str, body: bytes
) -> Response:
    """Dispatch a POST by content type; queries stay on the loop, updates go to a thread."""
    params = _query_params(request)
    if content_type == SPARQL_QUERY:
        return await _answer_query(service, request, params, _decode(body))
    if content_type == SPARQL_UPDATE:
        return await run_in_threadpool(_run_update, service, request, _decode(body))
    if content_type != FORM:
        raise ProtocolError(415, f"unsupported content type {content_type or '(none)'!r}")
    form = parse_qsl(_decode(body), keep_blank_values=True)
    query, update = _single(form, "query"), _single(form, "update")
    if query is not None and update is not None:
        raise ProtocolError(400, "send either 'query' or 'update', not both")
    if update is not None:
        return await run_in_threadpool(_run_update, service, request, update)
    if not query:
        raise ProtocolError(400, "missing 'query' parameter")
    return await _answer_query(service, request, params + form, query)


async def _get(service: SparqlService, request: Request) -> Response:
    params = _query_params(request)
    if _single(params, "update") is not None:
        raise ProtocolError(400, "SPARQL Update must be sent with POST")
    query = _single(params, "query")
    if query is None:
        return await run_in_threadpool(_description, service, request)
    if not query.strip():
        raise ProtocolError(400, "empty 'query' parameter")
    return await _answer_query(service, request, params, query)


async def sparql_get(request: Request) -> Response:
    """Run the `query` parameter; without one, return the service description."""
    return await _guarded_async(_get(get_service(request), request))


async def sparql_post(request: Request) -> Response:
    """Run a query (form field or body) or, with the admin token, an update."""
    service = get_service(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        body = await _read_body(request, service.settings.max_request_bytes)
    except ProtocolError as error:
        return problem(error.status, "bad SPARQL protocol request", str(error))
    return await _guarded_async(_post(service, request, content_type, body))


class SparqlFastPath:
    """ASGI shortcut: SPARQL queries go straight to their handlers, past FastAPI's routing.

    Routing, dependency solving and query-parameter parsing over this app's hundred routes
    cost more than the rest of a cached answer (~155 us of ~200 us per request, measured with
    direct ASGI calls). The handlers are the same functions the routes below use (those stay
    for the OpenAPI description and for everything not intercepted here). Install it inside
    the request-id middleware so ids, access log and security headers still apply. A GET
    without `query` (the service description, which may raise HTTPException) takes the
    normal route.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql":
            method = scope["method"]
            if method == "POST" or (method == "GET" and b"query=" in scope["query_string"]):
                request = Request(scope, receive)
                handler = sparql_post if method == "POST" else sparql_get
                response = await handler(request)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def sparql_router() -> APIRouter:
    router = APIRouter(tags=["sparql"])
    # `async def` on purpose: the engine runs in worker processes (awaited, see
    # QueryExecutor.run_async), so the loop never blocks on it and no thread hop is paid
    router.add_api_route("/sparql", sparql_get, methods=["GET"])
    router.add_api_route("/sparql", sparql_post, methods=["POST"])

    @router.options("/sparql")
    def sparql_preflight() -> Response:
        """CORS preflight (browsers send it before a POST with application/sparql-query)."""
        return Response(status_code=204, headers=PREFLIGHT)

    @router.get("/.well-known/void")
    def void_document(request: Request) -> Response:
        """The precomputed VoID description (SIB convention), same graph as the description."""
        return _guarded(lambda: _description(get_service(request), request))

    return router
