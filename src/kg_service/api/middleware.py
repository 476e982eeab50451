"""Request ids, structured access logs and security headers, as plain ASGI middleware.

Plain ASGI (not BaseHTTPMiddleware) keeps the per-request cost small: the SPARQL endpoint's
budget is a fraction of a millisecond per lookup (../shared/notes/perf.md).
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("kg_service.access")
_ID_PREFIX = uuid.uuid4().hex[:20]
_ID_COUNTER = itertools.count(1)  # next() on a count is atomic under the GIL
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
ALWAYS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
}
HTML_ONLY = {
    # the only inline script allowed is the JSON-LD data block, which CSP does not execute
    b"content-security-policy": (
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:;"
        b" object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    b"x-frame-options": b"DENY",
}


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane), logs one JSON line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = _add_headers(list(message.get("headers", [])), request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if log.isEnabledFor(logging.INFO):  # skip building the line nobody reads
                log.info(
                    json.dumps(
                        {
                            "request_id": request_id,
                            "method": scope.get("method"),
                            "path": scope.get("path"),
                            "status": status,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                        }
                    )
                )


def new_request_id() -> str:
    """A fresh id: random per process plus a counter (uuid4 per request cost a syscall)."""
    return f"{_ID_PREFIX}{next(_ID_COUNTER):012x}"


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            return usable_request_id(value.decode("latin-1"))
    return None


def usable_request_id(text: str | None) -> str | None:
    """The client's X-Request-ID when it is safe to log and echo, else None."""
    return text if text is not None and _GOOD_ID.match(text) else None


def _add_headers(headers: list[tuple[bytes, bytes]], request_id: str) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers}
    content_type = next((v for n, v in headers if n.lower() == b"content-type"), b"")
    extra = dict(ALWAYS)
    if content_type.startswith(b"text/html"):
        extra.update(HTML_ONLY)
    headers.append((b"x-request-id", request_id.encode()))
    headers.extend((name, value) for name, value in extra.items() if name not in present)
    return headers
