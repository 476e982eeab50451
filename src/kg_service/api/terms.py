"""`GET /terms` (ranked autocomplete) and `GET /terms/{curie}` (one term with its neighbours)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from kg_service.api.problems import FieldProblem, RequestProblem
from kg_service.search import SearchIndex
from kg_service.terms.index import ONTOLOGIES, TermIndex


def get_term_index(request: Request) -> TermIndex:
    index: TermIndex | None = getattr(request.app.state, "term_index", None)
    if index is None:
        raise HTTPException(503, "the term index is not loaded")
    return index


TermsDep = Annotated[TermIndex, Depends(get_term_index)]


def _brief(index: TermIndex, iri: str) -> dict[str, str]:
    return {"id": index.curie(iri), "iri": iri, "label": index.label(iri)}


def terms_router() -> APIRouter:
    router = APIRouter(tags=["terms"])

    @router.get("/terms")
    def find_terms(
        index: TermsDep,
        q: Annotated[str, Query(min_length=1, max_length=200)],
        ontology: str | None = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
    ) -> dict[str, Any]:
        """Terms whose id, label or synonym matches `q`, best first (exact, then prefix)."""
        if ontology is not None and ontology not in ONTOLOGIES:
            raise RequestProblem(
                400,
                f"unknown ontology {ontology!r}",
                [
                    FieldProblem(
                        "ontology",
                        "query",
                        f"is {ontology!r}",
                        ", ".join(ONTOLOGIES),
                        "use one of them, or leave the parameter out",
                    )
                ],
            )
        matches = index.search(q, ontology, limit)
        results = [m.term.to_dict() | {"score": round(m.score, 3)} for m in matches]
        body: dict[str, Any] = {"total": len(results), "results": results}
        if not results:
            body["suggestions"] = [t.to_dict() for t in index.suggest(q, ontology)]
        return body

    @router.get("/terms/{curie:path}")
    def one_term(request: Request, index: TermsDep, curie: str) -> dict[str, Any]:
        """Label, synonyms, parents, children and datasets annotated at or below the term."""
        iri = index.to_iri(curie)
        if iri is None:
            hints = ", ".join(t.curie for t in index.suggest(curie))
            raise HTTPException(
                404, f"no term {curie!r}" + (f" (did you mean {hints})" if hints else "")
            )
        term = index.terms[iri]
        search: SearchIndex | None = getattr(request.app.state, "search_index", None)
        return term.to_dict() | {
            "parents": [_brief(index, p) for p in index.parents(iri) if p in index.terms],
            "children": [_brief(index, c) for c in sorted(index.child_terms(iri))],
            "datasets": (
                search.count_at_or_below(iri)
                if search is not None and search.ready.is_set()
                else None
            ),
        }

    return router
