"""Errors as RFC 9457 problem documents: user errors say what is wrong, internal ones do not.

A client error names the part of the request at fault, what was expected and how to fix
it: `detail` says it in one sentence, and the `errors` extension lists each faulty part as
`{"name", "in", "pointer", "problem", "expected", "fix"}` (`in` is query, path, header, body
or form; `pointer` a JSON pointer into the request for body and form fields, as RFC 9457's
own example does). FastAPI's validation errors are translated here from the route's
declared parameters, so every route gets the same wording without repeating it.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg_service.store import StoreError, UserQueryError

log = logging.getLogger("kg_service.api")
PROBLEM = "application/problem+json"
_PLACES = {
    "query": "query parameter",
    "path": "path segment",
    "header": "header",
    "cookie": "cookie",
    "body": "form field",
    "form": "form field",
}


@dataclass(frozen=True)
class FieldProblem:
    """One faulty part of a request: its name, where it goes, what was wrong, how to fix it."""

    name: str
    where: str  # query, path, header, body or form
    problem: str
    expected: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        body = asdict(self)
        body["in"] = body.pop("where")
        if self.where in ("body", "form"):
            body["pointer"] = f"#/{self.name}"
        return body

    def sentence(self) -> str:
        return (
            f"{_PLACES.get(self.where, self.where)} '{self.name}' {self.problem}: "
            f"expected {self.expected}; {self.fix}"
        )


class RequestProblem(StarletteHTTPException):
    """A 4xx about named parts of the request (rendered with the `errors` extension)."""

    def __init__(
        self,
        status: int,
        title: str,
        problems: list[FieldProblem],
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, title, headers)
        self.problems = problems


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    problems: list[FieldProblem] | None = None,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, title, detail, problems), status_code=status, media_type=PROBLEM
    )


def problem_body(
    status: int,
    title: str,
    detail: str | None = None,
    problems: list[FieldProblem] | None = None,
) -> dict[str, object]:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if problems and not detail:
        detail = " ".join(p.sentence() for p in problems)
    if detail:
        body["detail"] = detail
    if problems:
        body["errors"] = [p.to_dict() for p in problems]
    return body


def _declared(request: Request) -> dict[tuple[str, str], Any]:
    """The route's declared parameters by (place, name), to say what each one expects."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return {}
    found: dict[tuple[str, str], Any] = {}
    stack = [dependant]
    while stack:
        current = stack.pop()
        stack.extend(current.dependencies)
        for place, fields in (
            ("query", current.query_params),
            ("path", current.path_params),
            ("header", current.header_params),
            ("body", current.body_params),
        ):
            for field in fields:
                found[(place, field.alias)] = field.field_info
    return found


_TYPE_WORDS: dict[Any, str] = {
    int: "an integer",
    float: "a number",
    bool: "true or false",
    str: "a text value",
}


def _type_words(annotation: Any) -> str:
    text = str(annotation)
    if "UploadFile" in text:
        return "one or more files" if "list" in text else "a file"
    if annotation in _TYPE_WORDS:
        return _TYPE_WORDS[annotation]
    enum_values = getattr(annotation, "__members__", None)
    if enum_values:
        return "one of " + ", ".join(str(v.value) for v in enum_values.values())
    return "a value"


def _expected(info: Any) -> str:
    """Words for what a declared parameter takes (type and constraints)."""
    if info is None:
        return "a value"
    words = _type_words(getattr(info, "annotation", None))
    limits = []
    for item in getattr(info, "metadata", []):
        for attr, text in (
            ("ge", "at least {}"),
            ("gt", "more than {}"),
            ("le", "at most {}"),
            ("lt", "less than {}"),
            ("min_length", "at least {} characters"),
            ("max_length", "at most {} characters"),
        ):
            value = getattr(item, attr, None)
            if value is not None:
                limits.append(text.format(value))
    return words + (f" ({', '.join(limits)})" if limits else "")


def _fix(name: str, where: str, missing: bool) -> str:
    if where == "query":
        return f"{'add' if missing else 'correct'} ?{name}=... in the URL"
    if where == "header":
        return f"send the header {name}: ..."
    if where in ("body", "form"):
        return (
            f"send '{name}' as a multipart/form-data field "
            f"(curl -F {name}=@FILE or -F {name}=VALUE)"
        )
    return f"correct the {name} segment of the path"


def validation_problems(request: Request, error: RequestValidationError) -> list[FieldProblem]:
    """FastAPI's validation errors as named problems, with what the route expects."""
    declared = _declared(request)
    found = []
    for item in error.errors():
        location = [str(part) for part in item.get("loc", ())]
        where = location[0] if location else "request"
        name = location[1] if len(location) > 1 else where
        missing = item.get("type") == "missing"
        given = item.get("input")
        shown = "" if missing or isinstance(given, (dict, list, UploadFile)) else f" ({given!r})"
        problem_text = "is missing" if missing else f"is not valid{shown}: {item.get('msg')}"
        found.append(
            FieldProblem(
                name=name,
                where=where,
                problem=problem_text,
                expected=_expected(declared.get((where, name))),
                fix=_fix(name, where, missing),
            )
        )
    return found


def install(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into problem documents."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        title = str(error.detail) if error.detail else "error"
        if isinstance(error, RequestProblem):
            response = problem(error.status_code, title, problems=error.problems)
        else:
            response = problem(error.status_code, title)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return problem(400, "invalid request", problems=validation_problems(request, error))

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
