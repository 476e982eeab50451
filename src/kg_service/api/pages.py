"""HTML pages for people: dataset search (/browse), the SPARQL page (/query), the home extras.

Everything is rendered on the server from the same search index, term index and SPARQL
service the JSON API uses, so each page works with JavaScript off; /static/kg.js only adds
term autocomplete and keyboard shortcuts. Handlers are plain `def` (they call pyoxigraph).
The catalogue root `/` stays in fair.py (DataCatalog JSON-LD); `home_context` gives it the
counts, the search box and the recent projects.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from kg_service.api.deps import SettingsDep, StoreDep
from kg_service.api.search import require_ready
from kg_service.api.sparql import ERRORS
from kg_service.search import FACETS, HIERARCHICAL, SearchError, SearchIndex
from kg_service.search import Query as SearchQuery
from kg_service.sparql.examples import Example, read_examples
from kg_service.sparql.service import QueryRequest
from kg_service.store import Store
from kg_service.terms.index import TermIndex
from kg_service.web import page_script, render
from kg_service.web.cards import card, recent_projects
from kg_service.web.search_view import (
    FACET_TITLES,
    PAGE_SIZES,
    PageState,
    chips,
    facet_nodes,
    page_numbers,
    read_state,
    search_query,
    term_state,
)
from kg_service.web.sparql_view import GRAPH_TURTLE, RESULTS_JSON, result_table

BROWSE = "/browse"
HOME_FACETS = ("organism", "imaging_method", "kind")
QUERY_LIMIT = 20_000  # characters of SPARQL the page accepts in a URL


def _indexes(request: Request) -> tuple[SearchIndex, TermIndex]:
    index: SearchIndex | None = getattr(request.app.state, "search_index", None)
    terms: TermIndex | None = getattr(request.app.state, "term_index", None)
    if index is None or terms is None:
        raise HTTPException(503, "the search index is not built")
    require_ready(index)
    return index, terms


def home_context(request: Request, store: Store, base_iri: str) -> dict[str, Any]:
    """Counts by organism, imaging method and data kind (as trees), and the newest projects."""
    index: SearchIndex | None = getattr(request.app.state, "search_index", None)
    trees: list[tuple[str, str, list[Any]]] = []
    if index is not None and index.ready.is_set():  # the home page never waits for it
        answer = index.search(SearchQuery(size=1, facets=HOME_FACETS))
        state, path = PageState(), f"{base_iri}browse"
        for facet in HOME_FACETS:
            nodes = facet_nodes(answer["facets"][facet], state, facet, path, open_depth=3)
            trees.append((facet, FACET_TITLES[facet], nodes))
    return {"home_trees": trees, "recent": recent_projects(store, base_iri), "search_path": BROWSE}


def _search_page(request: Request, store: Store, base_iri: str) -> Response:
    index, terms = _indexes(request)
    state = read_state(list(request.query_params.multi_items()))
    if "words" not in request.query_params:
        found = term_state(index, state)
        if found is not None:  # terms named in q: filter by them (and what is under them)
            extra = [("from", state.q)] + ([("words", "1")] if found.q else [])
            target = found.href(BROWSE, [*found.params(), *extra])
            return RedirectResponse(target, status_code=303)
    try:
        answer = index.search(search_query(index, state))
    except SearchError as error:
        hint = f" Did you mean: {'; '.join(error.suggestions)}?" if error.suggestions else ""
        page = render(
            "search.html", base=base_iri, state=state, error=f"{error}.{hint}", answer=None
        )
        return HTMLResponse(page, status_code=400)
    last = max(1, -(-answer["total"] // state.size))
    if state.page > last:  # a shared link outlived its results: go to the last page
        return RedirectResponse(state.at_page(BROWSE, last), status_code=303)
    facets = [
        (f, FACET_TITLES[f], f in HIERARCHICAL, facet_nodes(answer["facets"][f], state, f, BROWSE))
        for f in FACETS
    ]
    page = render(
        "search.html",
        base=base_iri,
        state=state,
        answer=answer,
        error=None,
        cards=[card(store, terms, r, base_iri) for r in answer["results"]],
        facets=facets,
        chips=chips(state, terms, index, BROWSE),
        pages=page_numbers(min(state.page, last), last),
        last_page=last,
        browse=BROWSE,
        came_from=request.query_params.get("from", ""),
        page_sizes=PAGE_SIZES,
        sorts=("relevance", "date", "title"),
    )
    return HTMLResponse(page)


def _run_query(request: Request, query: str) -> tuple[Any, str | None]:
    """(table, error message) for the SPARQL page; errors are the user's to read."""
    service = request.app.state.sparql
    try:
        answer = service.query(QueryRequest(query, RESULTS_JSON, GRAPH_TURTLE))
    except tuple(kind for kind, _, _ in ERRORS) as error:
        title = next(t for k, _, t in ERRORS if isinstance(error, k))
        return None, f"{title}: {error}"
    return result_table(answer.body, answer.media_type), None


@lru_cache(maxsize=8)
def _examples(base_iri: str) -> list[Example]:
    """The endpoint's example queries (package files, fixed while the app runs; parsing all
    of them costs ~10 ms, so once per base IRI)."""
    return read_examples(base_iri)


def _example(examples: list[Example], name: str | None) -> Example | None:
    return next((e for e in examples if e.name == name), None)


def _query_page(request: Request, base_iri: str) -> Response:
    examples = _examples(base_iri)
    chosen = _example(examples, request.query_params.get("example"))
    query = request.query_params.get("query") or (chosen.query if chosen else "")
    if len(query) > QUERY_LIMIT:
        raise HTTPException(414, f"queries on this page are limited to {QUERY_LIMIT} characters")
    run = bool(request.query_params.get("query")) or bool(chosen and not chosen.federates_with)
    table, error = _run_query(request, query) if run and query.strip() else (None, None)
    page = render(
        "query.html",
        base=base_iri,
        examples=examples,
        chosen=chosen,
        query=query or (examples[0].query if examples else ""),
        table=table,
        error=error,
        ran=run and bool(query.strip()),
    )
    return HTMLResponse(page, status_code=400 if error else 200)


def pages_router() -> APIRouter:
    router = APIRouter(tags=["pages"])

    @router.get(BROWSE, response_class=HTMLResponse)
    def browse(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        """Dataset search for people: keyword, facet trees, chips, paging; state in the URL."""
        return _search_page(request, store, settings.base_iri)

    @router.get("/query", response_class=HTMLResponse)
    def query_page(request: Request, settings: SettingsDep) -> Response:
        """The SPARQL page: an editor, the endpoint's example queries, results as a table."""
        return _query_page(request, settings.base_iri)

    @router.get("/static/kg.js")
    def script() -> Response:
        """The page script (small, vanilla, optional: every page works without it)."""
        return Response(page_script(), media_type="text/javascript")

    return router
