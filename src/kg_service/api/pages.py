"""HTML pages for people: dataset search (/browse), the SPARQL page (/query), the home extras.

Everything is rendered on the server from the same search index, term index and SPARQL
service the JSON API uses, so each page works with JavaScript off; /static/kg.js only adds
term autocomplete and keyboard shortcuts. Handlers are plain `def` (they call pyoxigraph).
The catalogue root `/` stays in fair.py (DataCatalog JSON-LD); `home_context` gives it the
counts, the search box and the recent projects.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from kg_service.api.deps import SettingsDep, StoreDep
from kg_service.api.problems import FieldProblem, RequestProblem
from kg_service.api.search import require_ready
from kg_service.api.sparql import ERRORS
from kg_service.publish.jsonld import PREFIXES
from kg_service.queries import service_query
from kg_service.search import FACETS, HIERARCHICAL, SearchError, SearchIndex
from kg_service.search import Query as SearchQuery
from kg_service.sparql.examples import Example, read_examples
from kg_service.sparql.service import QueryRequest
from kg_service.store import Store
from kg_service.terms.index import TermIndex
from kg_service.web import (
    VENDOR_FILES,
    editor_available,
    page_script,
    query_script,
    render,
    vendor_file,
)
from kg_service.web.cards import ProjectRow, card, recent_projects
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

log = logging.getLogger("kg_service.api")
BROWSE = "/browse"
HOME_FACETS = ("organism", "imaging_method", "kind")
EDITOR_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
EDITOR_PREFIXES = {
    **PREFIXES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "prov": "http://www.w3.org/ns/prov#",
    "NCBITaxon": "http://purl.obolibrary.org/obo/NCBITaxon_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "FBbi": "http://purl.obolibrary.org/obo/FBbi_",
    "up": "http://purl.uniprot.org/core/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
}
QUERY_LIMIT = 20_000  # characters of SPARQL the page accepts in a URL


def _indexes(request: Request) -> tuple[SearchIndex, TermIndex]:
    index: SearchIndex | None = getattr(request.app.state, "search_index", None)
    terms: TermIndex | None = getattr(request.app.state, "term_index", None)
    if index is None or terms is None:
        raise HTTPException(503, "the search index is not built")
    require_ready(index)
    return index, terms


@dataclass(frozen=True)
class HomeSummary:
    """What `/` shows that comes from the store: counts and the newest projects.

    At 100,000 datasets these take about half a second together (the newest projects group
    10,000 projects by date), so they are computed once per store state (the store's
    generation changes on every write) and reused; the app warms them at start-up.
    """

    generation: int
    projects: int
    datasets: int
    recent: list[ProjectRow]


def _count(store: Store, name: str) -> int:
    rows = store.select(service_query(name))
    return int(str(rows[0]["n"])) if rows else 0


def home_summary(state: Any, store: Store, base_iri: str) -> HomeSummary:
    """The summary for `/`: computed here only when there is none yet; after a write the
    previous one is served while a background thread computes the new one (stale for about
    a second at 100,000 datasets, never a slow page)."""
    generation = int(getattr(store, "generation", -1))
    cached: HomeSummary | None = getattr(state, "home_summary", None)
    if cached is None or generation < 0:
        return _compute_summary(state, store, base_iri)
    if cached.generation != generation:
        warm_home_summary(state, store, base_iri)
    return cached


def _compute_summary(state: Any, store: Store, base_iri: str) -> HomeSummary:
    summary = HomeSummary(
        int(getattr(store, "generation", -1)),
        _count(store, "count_projects"),
        _count(store, "count_datasets"),
        recent_projects(store, base_iri),
    )
    state.home_summary = summary
    return summary


_WARMING = threading.Lock()


def warm_home_summary(state: Any, store: Store, base_iri: str) -> None:
    """Compute the summary in a background thread (start-up, after writes); one at a time."""
    if not _WARMING.acquire(blocking=False):
        return  # one is running; the next request after it checks again

    def work() -> None:
        try:
            _compute_summary(state, store, base_iri)
        except Exception:  # the page computes it itself then; never break the service
            log.exception("could not compute the home page summary")
        finally:
            _WARMING.release()

    threading.Thread(target=work, name="home-summary", daemon=True).start()


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
    summary = home_summary(request.app.state, store, base_iri)
    return {
        "home_trees": trees,
        "recent": summary.recent,
        "project_count": summary.projects,
        "dataset_count": summary.datasets,
        "search_path": BROWSE,
    }


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
        editor=editor_available(),
        examples=examples,
        chosen=chosen,
        query=query or (examples[0].query if examples else ""),
        table=table,
        error=error,
        ran=run and bool(query.strip()),
    )
    # YASGUI sets inline styles (column widths, its resizer's style element): this page allows
    # inline styles; scripts stay limited to this service's own files everywhere
    headers = {"Content-Security-Policy": EDITOR_CSP} if editor_available() else None
    return HTMLResponse(page, status_code=400 if error else 200, headers=headers)


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

    @router.get("/static/query.js")
    def editor_script() -> Response:
        """The SPARQL page's editor set-up (YASGUI over the plain form)."""
        return Response(query_script(), media_type="text/javascript")

    @router.get("/static/vendor/{name}")
    def vendor(name: str) -> Response:
        """The bundled SPARQL editor (YASGUI), served here so the page asks no other host."""
        body = vendor_file(name)
        if body is None:
            raise RequestProblem(
                404,
                f"no bundled file {name!r}",
                [
                    FieldProblem(
                        "name",
                        "path",
                        f"is {name!r}",
                        ", ".join(VENDOR_FILES),
                        "run `make install` to bundle the editor, or use one of them",
                    )
                ],
            )
        return Response(
            body, media_type=VENDOR_FILES[name], headers={"Cache-Control": "public, max-age=86400"}
        )

    @router.get("/query/prefixes.json")
    def prefixes() -> dict[str, str]:
        """Prefixes the editor completes after PREFIX (prefix.cc's format, this service's own)."""
        return EDITOR_PREFIXES

    @router.get("/static/kg.js")
    def script() -> Response:
        """The page script (small, vanilla, optional: every page works without it)."""
        return Response(page_script(), media_type="text/javascript")

    return router
