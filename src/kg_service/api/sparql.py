"""SPARQL 1.1 Protocol endpoint: query via GET, POST form and POST sparql-query; admin updates.

This module only maps HTTP to `SparqlService` and errors to problem documents. Every answer,
errors included, carries open CORS headers so browser editors (YASGUI, SIB's sparql-editor) can
read it; OPTIONS answers the preflight a POST with `application/sparql-query` triggers.
Queries run in worker processes (for the hard time limit) and are awaited, never waited for
in a thread; single-pattern lookups, whose work is bounded, are answered on the loop itself
(sparql/lookup.py). Work that does block (the rdflib parse of a SERVICE query, the service
description, updates) goes to the thread pool.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kg_service.api.middleware import Receive, Scope, Send
from kg_service.api.negotiation import (
    GRAPH_TYPES,
    RESULTS_TYPES,
    choose,
    sparql_types,
)
from kg_service.api.problems import PROBLEM, FieldProblem, problem_body
from kg_service.rdf_convert import to_ox
from kg_service.sparql.executor import QueryTimeout
from kg_service.sparql.guard import QueryRefused, QueryUnchecked
from kg_service.sparql.service import (
    DatasetUnsupported,
    NotAcceptable,
    QueryFailed,
    QueryRequest,
    SparqlService,
    TooManyRows,
    UpdateForbidden,
)
from kg_service.sparql.void import service_description, void_graph
from kg_service.store import UserQueryError
from kg_service.store.base import Triple
from kg_service.store.oxigraph_store import GRAPH_FORMATS

log = logging.getLogger("kg_service.api")
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Content-Type, Content-Length",
}
ANSWER_HEADERS = {**CORS, "Vary": "Accept"}
RAW_CORS = [(name.lower().encode(), value.encode()) for name, value in ANSWER_HEADERS.items()]
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
    "Access-Control-Max-Age": "86400",
}
QUAD_TYPES = ("application/n-quads", "application/trig")
DESCRIPTION_PREFIXES = {
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
    "void-ext": "http://ldf.fi/void-ext#",
    "formats": "http://www.w3.org/ns/formats/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# (status, title) per error; the exception text becomes the problem's detail
ERRORS: list[tuple[type[BaseException], int, str]] = [
    (UserQueryError, 400, "invalid SPARQL query"),
    (QueryUnchecked, 400, "invalid SPARQL query"),
    (DatasetUnsupported, 400, "dataset not supported"),
    (TooManyRows, 400, "result too large"),
    (QueryRefused, 403, "query not allowed"),
    (UpdateForbidden, 403, "update not allowed"),
    (NotAcceptable, 406, "not acceptable"),
    (QueryTimeout, 503, "query timed out"),
    (QueryFailed, 500, "query failed"),
]


class ProtocolError(ValueError):
    """A malformed protocol request: status and message for the client, and the part at fault."""

    def __init__(self, status: int, message: str, part: FieldProblem | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.part = part


QUERY_FIX = (
    "send the SPARQL query as the parameter 'query' (GET ?query=..., or a form POST with "
    "Content-Type: application/x-www-form-urlencoded), or as the POST body with "
    "Content-Type: application/sparql-query"
)


@dataclass(frozen=True)
class Reply:
    """One protocol answer, independent of the web framework that sends it."""

    status: int
    media_type: str
    body: bytes

    def raw_headers(self) -> list[tuple[bytes, bytes]]:
        headers = [*RAW_CORS, (b"content-length", str(len(self.body)).encode())]
        if self.media_type:
            headers.append((b"content-type", self.media_type.encode()))
        return headers

    def response(self) -> Response:
        return Response(
            self.body, self.status, media_type=self.media_type or None, headers=ANSWER_HEADERS
        )


def problem_reply(
    status: int, title: str, detail: str, parts: list[FieldProblem] | None = None
) -> Reply:
    body = problem_body(status, title, detail or None, parts)
    return Reply(status, PROBLEM, json.dumps(body).encode())


def get_service(app: Any) -> SparqlService:
    """The app's SparqlService (created on first use if the app factory did not)."""
    state = app.state
    service: SparqlService | None = getattr(state, "sparql", None)
    if service is None:
        service = state.sparql = SparqlService(state.store, state.settings)
    return service


def _problem_for(error: BaseException) -> Reply:
    """The problem document for a known failure (`KNOWN`)."""
    if isinstance(error, ProtocolError):
        parts = [error.part] if error.part else None
        return problem_reply(error.status, "bad SPARQL protocol request", str(error), parts)
    status, title = next((s, t) for kind, s, t in ERRORS if isinstance(error, kind))
    return problem_reply(status, title, str(error))


KNOWN: tuple[type[BaseException], ...] = (ProtocolError, *(kind for kind, _, _ in ERRORS))


def _header(scope: Scope, name: bytes) -> str | None:
    """One request header (names arrive lower-cased in ASGI)."""
    for key, value in scope["headers"]:
        if key == name:
            return cast(bytes, value).decode("latin-1")
    return None


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise ProtocolError(
            400,
            f"the parameter '{name}' is given {len(values)} times: expected it once; "
            f"send a single '{name}'",
            FieldProblem(
                name,
                "query",
                f"is given {len(values)} times",
                "one value",
                f"send a single '{name}'",
            ),
        )
    return values[0] if values else None


def _graph_params(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    return tuple(value for key, value in params if key == name)


def _query_request(scope: Scope, params: list[tuple[str, str]], query: str) -> QueryRequest:
    """`?format=` (a media type or alias) overrides the Accept header."""
    accept = _single(params, "format") or _header(scope, b"accept")
    results_type, graph_type = sparql_types(accept)
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


async def _answer_query(
    service: SparqlService, scope: Scope, params: list[tuple[str, str]], query: str
) -> Reply:
    answer = await service.query_async(_query_request(scope, params, query))
    return Reply(200, answer.media_type, answer.body)


def _query_params(scope: Scope) -> list[tuple[str, str]]:
    return parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)


def _description(service: SparqlService, accept: str | None) -> Reply:
    """Service description + VoID from the store's precomputed graph (static part if absent).

    Every RDF syntax the endpoint writes is offered, quad syntaxes included (N-Quads and
    TriG, as federation engines such as Comunica ask for them first): the description is
    then written in the default graph. A browser's Accept gets Turtle.
    """
    media_type = choose(accept or "text/turtle", [*GRAPH_TYPES, "text/html"])
    if media_type is None:
        offered = ", ".join(GRAPH_TYPES)
        raise NotAcceptable(
            f"the Accept header {accept!r} admits none of the RDF types the service "
            f"description is written in; send Accept: {offered}"
        )
    if media_type == "text/html":
        media_type = "text/turtle"
    base = service.settings.base_iri
    triples = service.store.triples(void_graph(base)) or service_description(base)
    return Reply(200, media_type, serialize_description(triples, media_type))


def serialize_description(triples: list[Triple], media_type: str) -> bytes:
    """The description in `media_type`, written by Oxigraph (quad syntaxes: default graph)."""
    converted = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples]  # type: ignore[arg-type]
    statements: list[ox.Triple] | list[ox.Quad] = converted
    if media_type in QUAD_TYPES:
        graph = ox.DefaultGraph()
        statements = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in converted]
    body = ox.serialize(statements, format=GRAPH_FORMATS[media_type], prefixes=DESCRIPTION_PREFIXES)
    return body or b""


def _run_update(service: SparqlService, scope: Scope, update: str) -> Reply:
    auth = _header(scope, b"authorization") or ""
    token = auth[7:] if auth.lower().startswith("bearer ") else None
    service.update(update, token)
    return Reply(204, "", b"")


async def _read_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes before reading it all."""
    declared = _header(scope, b"content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"request body larger than {limit} bytes")
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ProtocolError(400, "the client went away before sending the whole body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise ProtocolError(413, f"request body larger than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, "the request body is not UTF-8") from error


async def _post(service: SparqlService, scope: Scope, receive: Receive) -> Reply:
    """Dispatch a POST by content type; queries stay on the loop, updates go to a thread."""
    content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    body = await _read_body(scope, receive, service.settings.max_request_bytes)
    params = _query_params(scope)
    if content_type == SPARQL_QUERY:
        return await _answer_query(service, scope, params, _decode(body))
    if content_type == SPARQL_UPDATE:
        return await run_in_threadpool(_run_update, service, scope, _decode(body))
    if content_type != FORM:
        raise ProtocolError(
            415,
            f"the Content-Type {content_type or '(none)'!r} is not one the endpoint reads: "
            f"expected {FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}",
            FieldProblem(
                "Content-Type",
                "header",
                f"is {content_type or 'missing'}",
                f"{FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}",
                "set Content-Type to one of them",
            ),
        )
    form = parse_qsl(_decode(body), keep_blank_values=True)
    query, update = _single(form, "query"), _single(form, "update")
    if query is not None and update is not None:
        raise ProtocolError(
            400,
            "the form has both 'query' and 'update': expected one of them; send them apart",
            FieldProblem(
                "update",
                "form",
                "is sent with 'query'",
                "either 'query' or 'update'",
                "send the query and the update in separate requests",
            ),
        )
    if update is not None:
        return await run_in_threadpool(_run_update, service, scope, update)
    if not query:
        raise _missing_query("form")
    return await _answer_query(service, scope, params + form, query)


def _missing_query(where: str, problem: str = "is missing") -> ProtocolError:
    part = FieldProblem("query", where, problem, "a SPARQL 1.1 query (or 'update')", QUERY_FIX)
    return ProtocolError(400, part.sentence(), part)


async def _get(service: SparqlService, scope: Scope) -> Reply:
    params = _query_params(scope)
    if _single(params, "update") is not None:
        raise ProtocolError(
            400,
            "the parameter 'update' came with GET: expected a POST; "
            "send SPARQL Update with POST (form field 'update' or application/sparql-update)",
            FieldProblem(
                "update",
                "query",
                "came with GET",
                "a POST request",
                "POST the update as the form field 'update' or with "
                "Content-Type: application/sparql-update",
            ),
        )
    query = _single(params, "query")
    if query is None:
        return await run_in_threadpool(_description, service, _header(scope, b"accept"))
    if not query.strip():
        raise _missing_query("query", "is empty")
    return await _answer_query(service, scope, params, query)


async def respond(service: SparqlService, scope: Scope, receive: Receive) -> Reply:
    """The whole protocol for one GET or POST on /sparql; known failures become problems."""
    try:
        if scope["method"] == "POST":
            return await _post(service, scope, receive)
        return await _get(service, scope)
    except KNOWN as error:
        return _problem_for(error)


async def sparql_get(request: Request) -> Response:
    """Run the `query` parameter; without one, return the service description."""
    return (await respond(get_service(request.app), request.scope, request.receive)).response()


async def sparql_post(request: Request) -> Response:
    """Run a query (form field or body) or, with the admin token, an update."""
    return (await respond(get_service(request.app), request.scope, request.receive)).response()


def is_protocol_request(scope: Scope) -> bool:
    """GET or POST on /sparql: what `sparql_endpoint` answers without FastAPI's routing."""
    return (
        scope["type"] == "http"
        and scope["path"] == "/sparql"
        and scope["method"] in ("GET", "POST")
    )


async def sparql_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The protocol as a plain ASGI app (`scope["app"]` is the FastAPI app holding the service).

    Routing, dependency solving, and Starlette's request and response objects cost about as
    much as a lookup itself (~75 us of ~200 us per request, measured with direct ASGI calls),
    so the app sends GET and POST on /sparql here (see `KnowledgeGraphApp`). The routes below
    run the same `respond`; they stay for the OpenAPI description.
    """
    try:
        reply = await respond(get_service(scope["app"]), scope, receive)
    except Exception as error:  # what FastAPI's last-resort handler would do
        log.exception("unexpected error", exc_info=error)
        reply = problem_reply(500, "internal error", "")
    start = {"type": "http.response.start", "status": reply.status}
    await send({**start, "headers": reply.raw_headers()})
    await send({"type": "http.response.body", "body": reply.body})


def sparql_router() -> APIRouter:
    router = APIRouter(tags=["sparql"])
    # `async def` on purpose: queries are awaited from worker processes (or are bounded
    # lookups, see sparql/lookup.py), so the loop never blocks long and no thread hop is paid
    router.add_api_route("/sparql", sparql_get, methods=["GET"])
    router.add_api_route("/sparql", sparql_post, methods=["POST"])

    @router.options("/sparql")
    def sparql_preflight() -> Response:
        """CORS preflight (browsers send it before a POST with application/sparql-query)."""
        return Response(status_code=204, headers=PREFLIGHT)

    @router.get("/.well-known/void")
    def void_document(request: Request) -> Response:
        """The precomputed VoID description (SIB convention), same graph as the description."""
        try:
            reply = _description(get_service(request.app), request.headers.get("accept"))
        except NotAcceptable as error:
            reply = _problem_for(error)
        return reply.response()

    return router
