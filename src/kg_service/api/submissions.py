"""Submissions: POST /submissions, PUT and DELETE /projects/{key}, versions and diffs.

Writes need a bearer token (submissions/tokens.py) whose scope names the project. Every write goes
through `pipeline.submit` (validate, then one transaction with its history version), guarded
by the app's per-project locks, so a second concurrent writer of a project gets 409.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from rdflib import DCTERMS, RDF, Graph, Namespace, URIRef

from kg_service.api.deps import SettingsDep, StoreDep
from kg_service.api.negotiation import require
from kg_service.api.problems import FieldProblem, RequestProblem
from kg_service.config import Settings
from kg_service.pipeline import (
    ProjectLocks,
    ScopeError,
    SubmissionConflict,
    SubmitOptions,
    submit,
    validator_name,
)
from kg_service.publish import tombstones
from kg_service.rdf import graph_iri
from kg_service.store import Store
from kg_service.submissions.history import (
    VersionInfo,
    diff,
    history_graph,
    latest_version,
    list_versions,
    read_version,
    version_triples,
)
from kg_service.submissions.tokens import Token, TokenStore, default_tokens_path
from kg_service.submissions.uploads import UploadError, UploadLimits, discard, receive
from kg_service.validation.shacl import SHAPES_VERSION, Tier

KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
GRAPH_TYPES = ["text/turtle", "application/n-triples", "application/ld+json"]
_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


_KEY = re.compile(r"^[A-Za-z0-9._~-]{1,200}$")  # the characters ingest/ids.py mints


def checked_key(key: str) -> str:
    """A project key as ids.py mints it; anything else names no project (404)."""
    if not _KEY.match(key):
        raise HTTPException(404, "no such project")
    return key


def limits_of(settings: Settings) -> UploadLimits:
    return UploadLimits(
        max_bytes=settings.max_upload_bytes,
        max_zip_members=settings.max_zip_members,
        max_unpacked_bytes=settings.max_unpacked_bytes,
    )


def token_store(settings: Settings) -> TokenStore | None:
    path = default_tokens_path(settings.store_path, settings.tokens_path)
    return TokenStore(path) if path is not None else None


def bearer(request: Request, settings: SettingsDep) -> Token:
    """The token of the request; 401 when missing, unknown or revoked."""
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    tokens = token_store(settings)
    token = tokens.authenticate(secret.strip()) if tokens and scheme.lower() == "bearer" else None
    if token is None:
        problem = "is missing" if not header else "does not carry a known, unrevoked token"
        raise RequestProblem(
            401,
            "a valid bearer token is needed",
            [
                FieldProblem(
                    "Authorization",
                    "header",
                    problem,
                    "Bearer <token>",
                    "send Authorization: Bearer <token>; `kg-service tokens create "
                    "--project KEY` prints one",
                )
            ],
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token


TokenDep = Annotated[Token, Depends(bearer)]
Files = Annotated[list[UploadFile], File(description="source files, or a zip of several")]


def run_upload(
    request: Request,
    files: list[UploadFile],
    options: SubmitOptions,
    store: Store,
    settings: Settings,
) -> JSONResponse:
    """Receive, validate and store; the JSON report with 201, or the right error status."""
    folder = Path(tempfile.mkdtemp(prefix="kg-upload-"))
    try:
        paths = receive(
            ((f.filename or "upload", f.file) for f in files), folder, limits_of(settings)
        )
        options.locks = request.app.state.project_locks
        report = submit(paths, store, settings.base_iri, options)
        report.hide_folder(folder)
    except UploadError as error:
        raise HTTPException(error.status, str(error)) from error
    except ScopeError as error:
        raise HTTPException(403, str(error)) from error
    except SubmissionConflict as error:
        raise HTTPException(409, str(error)) from error
    finally:
        discard(folder)
    if not report.stored:
        status = 422 if not report.ok else 400
        return JSONResponse(report.to_dict(), status_code=status)
    _after_write(request, store, [p.graph_iri for p in report.projects])
    for project in report.projects:
        _restore_marks(store, project.graph)
    return JSONResponse(report.to_dict(), status_code=201)


def _after_write(request: Request, store: Store, graphs: list[str]) -> None:
    """Keep the search index current (the SPARQL cache listens to the store itself)."""
    index = getattr(request.app.state, "search_index", None)
    if index is not None:
        index.refresh(store, graphs)


def _restore_marks(store: Store, graph: Graph) -> None:
    """A re-submitted record is live again: drop its withdrawal marks."""
    for subject in _records(graph):
        if tombstones.find(store, subject) is not None:
            tombstones.restore(store, subject)


def submissions_router() -> APIRouter:
    router = APIRouter(tags=["submissions"])

    @router.post("/submissions", status_code=201)
    def post_submission(
        request: Request,
        files: Files,
        token: TokenDep,
        store: StoreDep,
        settings: SettingsDep,
        tier: Tier | None = None,
    ) -> JSONResponse:
        """Validate and store new or changed projects, all or nothing (422 with the report)."""
        options = SubmitOptions(
            tier=tier, agent=token.id, allowed=token.allows, record_history=True
        )
        return run_upload(request, files, options, store, settings)

    @router.put("/projects/{key}", status_code=201)
    def put_project(
        key: str,
        request: Request,
        files: Files,
        token: TokenDep,
        store: StoreDep,
        settings: SettingsDep,
        tier: Tier | None = None,
    ) -> JSONResponse:
        """Replace one project; the files must hold exactly that project."""
        checked_key(key)
        options = SubmitOptions(
            tier=tier, agent=token.id, allowed=token.allows, only_project=key, record_history=True
        )
        return run_upload(request, files, options, store, settings)

    @router.delete("/projects/{key}")
    def delete_project(
        key: str,
        request: Request,
        token: TokenDep,
        store: StoreDep,
        settings: SettingsDep,
        reason: str | None = None,
    ) -> JSONResponse:
        """Withdraw a project: tombstones (410 pages) for it and its datasets, a history
        version marked withdrawn, and the data graph removed."""
        checked_key(key)
        if not token.allows(key):
            raise HTTPException(403, f"the token may not write {key}")
        locks: ProjectLocks = request.app.state.project_locks
        graph = graph_iri(f"projects/{key}", settings.base_iri)
        try:
            with locks.hold([key]):
                number = _withdraw(store, settings.base_iri, key, graph, token.id, reason)
        except SubmissionConflict as error:
            raise HTTPException(409, str(error)) from error
        _after_write(request, store, [graph])
        return JSONResponse({"withdrawn": f"projects/{key}", "version": number})

    @router.get("/projects/{key}/versions")
    def versions(key: str, store: StoreDep, settings: SettingsDep) -> JSONResponse:
        """Every stored version of a project, oldest first."""
        checked_key(key)
        found = list_versions(store, settings.base_iri, key)
        if not found:
            raise HTTPException(404, f"no versions of projects/{key}")
        return JSONResponse(
            {"project": f"projects/{key}", "versions": [v.to_dict() for v in found]}
        )

    @router.get("/projects/{key}/versions/{number}")
    def version(
        key: str, number: int, request: Request, store: StoreDep, settings: SettingsDep
    ) -> Response:
        """One version's triples (Turtle, N-Triples or JSON-LD by Accept)."""
        checked_key(key)
        media = require(
            request.query_params.get("format") or request.headers.get("accept"), GRAPH_TYPES
        )
        found = read_version(store, settings.base_iri, key, number)
        if found is None:
            raise HTTPException(404, f"projects/{key} has no version {number}")
        body = found[1].serialize(format=_FORMATS[media])
        return Response(body, media_type=media)

    @router.get("/projects/{key}/diff")
    def version_diff(
        key: str,
        store: StoreDep,
        settings: SettingsDep,
        older: Annotated[int, Query(alias="from")],
        newer: Annotated[int, Query(alias="to")],
    ) -> JSONResponse:
        """Triples added and removed from version `from` to version `to` (N-Triples lines)."""
        checked_key(key)
        first = read_version(store, settings.base_iri, key, older)
        second = read_version(store, settings.base_iri, key, newer)
        if first is None or second is None:
            raise HTTPException(
                404, f"projects/{key} has no version {older if first is None else newer}"
            )
        body = {
            "project": f"projects/{key}",
            "from": older,
            "to": newer,
            **diff(first[1], second[1]).to_dict(),
        }
        return JSONResponse(body)

    return router


def _records(graph: Graph) -> list[str]:
    """IRIs of the records that have landing pages (projects and datasets)."""
    found = set(graph.subjects(RDF.type, KG.Project)) | set(graph.subjects(RDF.type, KG.Dataset))
    return sorted(str(s) for s in found)


def _withdraw(
    store: Store, base_iri: str, key: str, graph: str, agent: str, reason: str | None
) -> int:
    """Marks first, then data and history in one transaction: a crash in between leaves a
    live record (which wins over its mark), never a silently missing one."""
    triples = store.triples(graph)
    if not triples:
        raise HTTPException(404, f"projects/{key} is not stored")
    data = Graph()
    for triple in triples:
        data.add(triple)
    for subject in _records(data):
        title = data.value(URIRef(subject), DCTERMS.title)
        identifier = data.value(URIRef(subject), DCTERMS.identifier)
        tombstones.withdraw(
            store,
            subject,
            title=str(title) if title else None,
            identifier=str(identifier) if identifier else None,
            reason=reason,
        )
    number = latest_version(store, key) + 1
    info = VersionInfo(agent, "withdrawn", validator_name(), SHAPES_VERSION, [], True, reason)
    store.replace_graphs(
        {graph: [], history_graph(key, number): version_triples(base_iri, key, number, [], info)}
    )
    return number
