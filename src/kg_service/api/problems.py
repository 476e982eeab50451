"""Errors as RFC 9457 problem documents: user errors say what is wrong, internal ones do not."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg_service.store import StoreError, UserQueryError

log = logging.getLogger("kg_service.api")
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None) -> JSONResponse:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into problem documents."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = str(error.detail) if error.detail else "error"
        response = problem(error.status_code, title)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        return problem(400, "invalid request", "; ".join(str(e.get("msg")) for e in error.errors()))

    @app.exception_handler(UserQueryError)
    async def bad_query(_request: Request, error: UserQueryError) -> JSONResponse:
        return problem(400, "invalid SPARQL query", str(error))

    @app.exception_handler(StoreError)
    async def store_failed(_request: Request, error: StoreError) -> JSONResponse:
        log.exception("store error", exc_info=error)
        return problem(500, "internal error")

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=error)
        return problem(500, "internal error")
