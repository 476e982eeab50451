"""POST /validate (no account): check files against a tier and return the report, nothing stored.

Formats: JSON by default; `text/plain` (the CLI's readable lines); `text/turtle` (the standard
SHACL validation reports, one per project, merged); `text/html` (the form page with the
report). `?format=` wins over Accept. GET /validate is the upload form for people.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import Graph

from kg_service.api.deps import SettingsDep
from kg_service.api.negotiation import require
from kg_service.api.problems import FieldProblem, RequestProblem
from kg_service.api.submissions import limits_of
from kg_service.findings import Severity
from kg_service.pipeline import SubmissionReport, prepare
from kg_service.submissions.uploads import UploadError, discard, receive
from kg_service.validation.shacl import Tier
from kg_service.web import render

REPORT_TYPES = ["application/json", "text/plain", "text/turtle", "text/html"]
_ALIASES = {
    "json": "application/json",
    "text": "text/plain",
    "turtle": "text/turtle",
    "html": "text/html",
}


def report_text(report: SubmissionReport) -> str:
    lines = [str(f) for f in report.findings]
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    lines.append(
        f"{len(report.projects)} project(s); {counts[Severity.VIOLATION]} violation(s), "
        f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info; "
        f"{'OK' if report.ok else 'REFUSED'}"
    )
    return "\n".join(lines) + "\n"


def report_turtle(report: SubmissionReport) -> str:
    merged = Graph()
    merged.bind("sh", "http://www.w3.org/ns/shacl#")
    for graph in report.shacl_reports:
        merged += graph
    return merged.serialize(format="turtle")


def _media(request: Request) -> str:
    wanted = request.query_params.get("format")
    accept = _ALIASES.get(wanted, wanted) if wanted else request.headers.get("accept")
    if accept in (None, "", "*/*"):
        return "application/json"
    return require(accept, REPORT_TYPES)


def validate_router() -> APIRouter:
    router = APIRouter(tags=["validation"])

    @router.get("/validate", response_class=HTMLResponse)
    def form(request: Request) -> HTMLResponse:
        """The upload form: pick files and a tier, read the report."""
        return HTMLResponse(render("validate.html", base=str(request.base_url), report=None))

    @router.post("/validate")
    def validate_upload(
        request: Request,
        files: Annotated[list[UploadFile], File()],
        settings: SettingsDep,
        tier: Annotated[str | None, Form()] = None,
    ) -> Response:
        """Validate uploaded files (or a zip of several) in a tier; 200 with the report."""
        media = _media(request)
        chosen = request.query_params.get("tier") or tier or None
        try:
            tier_value = Tier(chosen) if chosen else None
        except ValueError as error:
            raise RequestProblem(
                422,
                f"unknown tier {chosen!r}",
                [
                    FieldProblem(
                        "tier",
                        "form",
                        f"is {chosen!r}",
                        "repository or database",
                        "send tier=repository or tier=database, or leave it out",
                    )
                ],
            ) from error
        folder = Path(tempfile.mkdtemp(prefix="kg-validate-"))
        try:
            paths = receive(
                ((f.filename or "upload", f.file) for f in files), folder, limits_of(settings)
            )
            report = prepare(paths, settings.base_iri, tier_value)
            report.hide_folder(folder)
        except UploadError as error:
            raise HTTPException(error.status, str(error)) from error
        finally:
            discard(folder)
        if media == "text/plain":
            return Response(report_text(report), media_type="text/plain")
        if media == "text/turtle":
            return Response(report_turtle(report), media_type="text/turtle")
        if media == "text/html":
            page = render("validate.html", base=str(request.base_url), report=report.to_dict())
            return HTMLResponse(page)
        return JSONResponse(report.to_dict())

    return router
