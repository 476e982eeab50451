"""`GET /search`: keyword and faceted dataset search over the index kept in app.state.

The interface is stable (see issue 4): q, one repeatable parameter per facet and its `not_`
twin, page, size, sort; the answer has total, results [{id, title, url}] and facets. Term ids,
ontology IRIs and an exact term name in `q` become filters (issue 14), reported in
`interpreted` ({q: the words left, filters: facet -> CURIEs}); `words=1` turns that off. Facet
trees keep the `facet_limit` (default 100) largest nodes down to `facet_depth` levels; a node
whose children were cut says how many in `more`, and `expand=<term>` (repeatable) opens it;
`facets=<name>` (repeatable) picks the trees to compute, `facets=none` skips them all.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from kg_service.search import FACET_LIMIT, FACETS, SearchError, SearchIndex
from kg_service.search import Query as SearchQuery


def get_search_index(request: Request) -> SearchIndex:
    """The app's search index, or 503 (with Retry-After) while it is still being built."""
    index: SearchIndex | None = getattr(request.app.state, "search_index", None)
    if index is None:
        raise HTTPException(503, "the search index is not built")
    require_ready(index)
    return index


def require_ready(index: SearchIndex) -> None:
    if index.state == "building":
        raise HTTPException(
            503, "the search index is being built; try again shortly", {"Retry-After": "10"}
        )
    if index.state == "failed":
        raise HTTPException(503, f"the search index could not be built: {index.failure}")


SearchDep = Annotated[SearchIndex, Depends(get_search_index)]
_PLAIN = {"q", "page", "size", "sort", "facets", "facet_limit", "facet_depth", "expand", "words"}


def _parse(index: SearchIndex, request: Request, page: int, size: int, sort: str) -> SearchQuery:
    params = request.query_params
    unknown = {
        k
        for k in params
        if k not in _PLAIN and k not in FACETS and not (k.startswith("not_") and k[4:] in FACETS)
    }
    if unknown:
        raise SearchError(f"unknown parameter(s): {', '.join(sorted(unknown))}", FACETS)
    query = SearchQuery(q=params.get("q", ""), page=page, size=size, sort=sort)
    query.words = params.get("words", "") not in {"", "0", "false"}
    wanted = [name for value in params.getlist("facets") for name in value.split(",") if name]
    if wanted:
        query.facets = [] if wanted == ["none"] else wanted
    query.facet_limit = _positive(params.get("facet_limit"), FACET_LIMIT)
    query.facet_depth = _positive(params.get("facet_depth"), None)
    query.expand = [_term(index, value) for value in params.getlist("expand") if value]
    for facet in FACETS:
        values = [v for v in params.getlist(facet) if v]
        if values:
            query.filters[facet] = [index.parse_value(facet, v) for v in values]
        negated = [v for v in params.getlist(f"not_{facet}") if v]
        if negated:
            query.exclude[facet] = [index.parse_value(facet, v) for v in negated]
    return query


def _positive(value: str | None, default: int | None) -> int | None:
    """A positive int parameter; "all" (or 0) lifts the limit."""
    if value is None or value == "":
        return default
    if value in {"all", "0"}:
        return None
    if not value.isdigit():
        raise SearchError(f"expected a positive integer or 'all', got {value!r}")
    return int(value)


def _term(index: SearchIndex, value: str) -> str:
    return index.terms.to_iri(value) or value


def search_router() -> APIRouter:
    router = APIRouter(tags=["search"])

    @router.get("/search")
    def search(
        request: Request,
        index: SearchDep,
        q: str = "",
        page: Annotated[int, Query(ge=1)] = 1,
        size: Annotated[int, Query(ge=1, le=200)] = 20,
        sort: str = "relevance",
    ) -> dict[str, Any]:
        """Datasets matching a keyword query and facet filters (terms expand to descendants).

        Keywords: English word forms, "quoted phrases", -excluded words, typos in words of
        5+ letters, the last word completed as a prefix, ids kept whole; term ids, IRIs and
        exact term names become filters (see `interpreted`; `words=1` keeps them words).
        Facet parameters (repeatable, OR within a facet, AND across): organism, go,
        imaging_method, mesh, cell, license, kind, format, year, source; `not_<facet>` negates.
        Facet trees: facets, facet_limit (default 100, "all"), facet_depth, expand.
        """
        del q  # read with the facets from the raw parameters
        try:
            return index.search(_parse(index, request, page, size, sort))
        except SearchError as error:
            hint = f" (did you mean: {'; '.join(error.suggestions)})" if error.suggestions else ""
            raise HTTPException(400, f"{error}{hint}") from error

    return router
