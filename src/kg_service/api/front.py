"""SPARQL lookups answered by processes in front of the server; everything else forwarded.

Why: pyoxigraph holds the GIL while it evaluates and serialises a query, so one process
cannot overlap engine work with HTTP handling, and on a federation-style mix of one-pattern
lookups one process tops out well below the engine's own server (issue 15). A lookup needs
nothing the serving process has but the data, so `kg-service serve` runs several front
processes on the public port. Each answers lookups (sparql/lookup.py, the same code and
answers as the server) from the newest read-only checkpoint of the store
(sparql/snapshots.py), with as little Python around the engine call as it can: Granian's
RSGI interface, no framework. Everything else (pages, search, submissions, other queries,
lookups over the in-process budget, and every error, which the server words) goes unchanged
to the process that owns the store, over a private Unix socket.

Read-your-writes: that process checkpoints after each committed write, before it answers the
write, and publishes the checkpoint's generation; a front checks it on each lookup and moves
to the new checkpoint first, so a client that wrote and then reads sees its write.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx

from kg_service.api.middleware import ALWAYS, new_request_id, usable_request_id
from kg_service.api.negotiation import sparql_types
from kg_service.api.problems import PROBLEM, problem_body
from kg_service.api.sparql import ANSWER_HEADERS, FORM
from kg_service.config import Settings
from kg_service.sparql.service import QueryRequest, lookup_answer
from kg_service.sparql.snapshots import SnapshotFollower

log = logging.getLogger("kg_service.front")
access_log = logging.getLogger("kg_service.access")
# hop-by-hop headers (RFC 9110 §7.6.1) are the connection's, not the message's
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# Granian writes the length of a body it is given whole, and chunks a streamed one
RESPONSE_DROPPED = HOP_BY_HOP | {"content-length"}
INLINE_BYTES = 1 << 20  # answers up to this size are read whole, larger ones streamed
LOOKUP_HEADERS = [
    *ANSWER_HEADERS.items(),
    *((name.decode(), value.decode()) for name, value in ALWAYS.items()),
]
_PARAMETERS = frozenset({"query", "format", "default-graph-uri", "named-graph-uri"})


class LookupFront:
    """The RSGI app of one front process (see the module docstring)."""

    def __init__(self, settings: Settings, owner_socket: Path, snapshots: Path) -> None:
        self.settings = settings
        self.owner_socket = owner_socket
        self.follower = SnapshotFollower(snapshots)
        self._client: httpx.AsyncClient | None = None

    async def __rsgi__(self, scope: Any, protocol: Any) -> None:
        """Answer a lookup here, or forward the request to the serving process."""
        started = time.perf_counter()
        body: bytes | None = None
        if scope.proto == "http" and scope.path == "/sparql":
            if scope.method == "GET":
                if self._answer(scope, protocol, scope.query_string, started):
                    return
            elif scope.method == "POST" and self._is_small_form(scope):
                body = await protocol()
                form = _utf8(body)  # not UTF-8: the app words the 400
                if form is not None and self._answer(scope, protocol, form, started):
                    return
        await self._forward(scope, protocol, body)

    # --- lookups ---------------------------------------------------------------------------

    def _is_small_form(self, scope: Any) -> bool:
        """A form POST with no query string, small enough to read here (else: forwarded)."""
        headers = scope.headers
        kind = (headers.get("content-type") or "").split(";")[0].strip().lower()
        length = headers.get("content-length") or ""
        return (
            kind == FORM
            and not scope.query_string
            and length.isdigit()
            and int(length) <= self.settings.max_request_bytes
        )

    def _answer(self, scope: Any, protocol: Any, parameters: str, started: float) -> bool:
        """Send the lookup's answer and return True, or False when the server should answer."""
        request = _lookup_request(parameters, scope.headers.get("accept"))
        if request is None:
            return False
        try:
            answer = lookup_answer(self.follower.store(), request, self.settings)
        except OSError as error:  # a checkpoint that cannot be opened: the server answers
            log.warning("lookup front: checkpoint unreadable, forwarding: %s", error)
            return False
        except Exception:  # the server words every error, as it would have without us
            return False
        if answer is None:
            return False
        request_id = usable_request_id(scope.headers.get("x-request-id")) or new_request_id()
        headers = [*LOOKUP_HEADERS, ("content-type", answer.media_type)]
        headers.append(("x-request-id", request_id))
        protocol.response_bytes(200, headers, answer.body)
        if access_log.isEnabledFor(logging.INFO):
            line = {"request_id": request_id, "method": scope.method, "path": scope.path}
            line.update(status=200, ms=round((time.perf_counter() - started) * 1000, 2))
            access_log.info(json.dumps(line))
        return True

    # --- forwarding ------------------------------------------------------------------------

    def _owner(self) -> httpx.AsyncClient:
        if self._client is None:
            transport = httpx.AsyncHTTPTransport(uds=str(self.owner_socket))
            # no time limit and no connection cap here: the app enforces its own limits
            # (query time, upload size), and a capped pool would queue pages and writes
            # behind slow queries with no end
            self._client = httpx.AsyncClient(
                transport=transport,
                base_url="http://kg-service",
                timeout=None,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=32),
            )
        return self._client

    async def _forward(self, scope: Any, protocol: Any, body: bytes | None) -> None:
        """Pass the request to the serving process and its answer back, both unchanged."""
        headers = [(k, v) for k, v in scope.headers.items() if k.lower() not in HOP_BY_HOP]
        headers.append(("x-forwarded-for", scope.client.rpartition(":")[0] or scope.client))
        headers.append(("x-forwarded-proto", scope.scheme))
        content: bytes | AsyncIterator[bytes] | None = body
        if body is None and _has_body(scope.headers):
            content = _chunks(protocol)
        target = forward_target(scope.path, scope.query_string)
        client = self._owner()
        outgoing = client.build_request(scope.method, target, headers=headers, content=content)
        try:
            response = await client.send(outgoing, stream=True)
        except httpx.TransportError as error:
            log.error("lookup front: the serving process does not answer: %s", error)
            detail = "the service's main process is not answering; try again shortly"
            problem = json.dumps(problem_body(502, "bad gateway", detail, None)).encode()
            protocol.response_bytes(502, [("content-type", PROBLEM)], problem)
            return
        try:
            await _relay(scope, protocol, response)
        finally:
            await response.aclose()


def _lookup_request(parameters: str, accept: str | None) -> QueryRequest | None:
    """The protocol request in `parameters`, if the front may answer it (None: forward it).

    Anything unusual (a parameter given twice, an update, no acceptable type) is forwarded,
    so the server's wording of the problem is the only one.
    """
    seen: dict[str, str] = {}
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    for key, value in parse_qsl(parameters, keep_blank_values=True):
        if key == "default-graph-uri":
            default_graphs.append(value)
        elif key == "named-graph-uri":
            named_graphs.append(value)
        elif key in seen or key == "update":
            return None
        elif key in _PARAMETERS:
            seen[key] = value
    query = seen.get("query", "")
    if not query.strip():
        return None
    results_type, graph_type = sparql_types(seen.get("format") or accept)
    if results_type is None and graph_type is None:
        return None
    return QueryRequest(query, results_type, graph_type, tuple(default_graphs), tuple(named_graphs))


def forward_target(path: str, query_string: str) -> str:
    """The request target for the app: Granian hands RSGI apps the path percent-decoded, so
    it is encoded again (`?`, `#` and `%` in a path segment must not become syntax).

    >>> forward_target("/terms/owl:Thing#x?y", "a=1")
    '/terms/owl:Thing%23x%3Fy?a=1'
    """
    encoded = quote(path, safe="/:@!$&'()*+,;=-._~")
    return f"{encoded}?{query_string}" if query_string else encoded


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _has_body(headers: Any) -> bool:
    length = headers.get("content-length")
    return bool(headers.get("transfer-encoding")) or (length is not None and length != "0")


async def _chunks(protocol: Any) -> AsyncIterator[bytes]:
    """The request body as it arrives (uploads are not held whole in the front)."""
    async for chunk in protocol:
        yield chunk


async def _relay(scope: Any, protocol: Any, response: httpx.Response) -> None:
    """The server's answer to the client: read whole when small, else streamed."""
    headers = [(k, v) for k, v in response.headers.multi_items() if k not in RESPONSE_DROPPED]
    length = response.headers.get("content-length")
    if scope.method == "HEAD":
        if length is not None:
            headers.append(("content-length", length))
        protocol.response_empty(response.status_code, headers)
        return
    if length is not None and length.isdigit() and int(length) <= INLINE_BYTES:
        body = b"".join([chunk async for chunk in response.aiter_raw()])
        protocol.response_bytes(response.status_code, headers, body)
        return
    transport = protocol.response_stream(response.status_code, headers)
    async for chunk in response.aiter_raw():
        await transport.send_bytes(chunk)


def create_front(settings: Settings, owner_socket: Path, snapshots: Path) -> LookupFront:
    """The front app for one Granian worker (see `kg-service serve`)."""
    return LookupFront(settings, owner_socket, snapshots)
