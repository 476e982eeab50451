"""The search page's state: read from the URL, turned into a search query, written back as links.

Why the URL holds everything: a search must be bookmarkable and shareable and must work with
JavaScript off, so every control (facet node, chip, page, sort) is a plain link or GET form
whose target URL is the next state. Facet trees are shown with unbranched chains folded into
one node ("root … Eukaryota"): NCBITaxon puts 20 ranks between "root" and "Mammalia", and a
chain whose nodes all count the same datasets is one choice, not twenty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from kg_service.search import FACETS, HIERARCHICAL, SORTS, SearchError, SearchIndex
from kg_service.search import Query as SearchQuery
from kg_service.terms.index import TermIndex

PAGE_SIZES = (20, 50, 100)
FACET_TITLES = {
    "organism": "Organism",
    "go": "Gene Ontology",
    "imaging_method": "Imaging method",
    "mesh": "MeSH",
    "cell": "Cell",
    "license": "Licence",
    "kind": "Data kind",
    "format": "Format",
    "year": "Year",
    "source": "Source",
    # issue 16: image-level annotations (IDR)
    "phenotype": "Phenotype (CMPO)",
    "gene": "Gene",
    "compound": "Compound",
    "sirna": "siRNA",
    "antibody": "Antibody",
}
SELECTED_OPEN_DEPTH = 3  # levels shown open under a selected facet node

Params = list[tuple[str, str]]


@dataclass
class PageState:
    """What the URL says: keyword, filters (facet, value as written), paging, sort."""

    q: str = ""
    filters: Params = field(default_factory=list)
    excludes: Params = field(default_factory=list)
    expand: list[str] = field(default_factory=list)
    page: int = 1
    size: int = PAGE_SIZES[0]
    sort: str = "relevance"

    def params(self, *, page: int = 1) -> Params:
        """The URL parameters of this state (page 1 and defaults left out)."""
        out: Params = [("q", self.q)] if self.q else []
        out += self.filters
        out += [(f"not_{f}", v) for f, v in self.excludes]
        out += [("expand", v) for v in self.expand]
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.size != PAGE_SIZES[0]:
            out.append(("size", str(self.size)))
        if page > 1:
            out.append(("page", str(page)))
        return out

    def api_params(self) -> Params:
        """The same search for GET /search (which takes no `expand`)."""
        return [p for p in self.params(page=self.page) if p[0] != "expand"]

    def href(self, path: str, params: Params) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    def selected(self, facet: str, value: str) -> bool:
        return (facet, value) in self.filters

    def toggle(self, path: str, facet: str, value: str) -> str:
        """Link that adds the filter, or removes it when it is already on (back to page 1)."""
        pairs = [p for p in self.params() if p != (facet, value)]
        if not self.selected(facet, value):
            pairs.append((facet, value))
        return self.href(path, pairs)

    def without(self, path: str, key: str, value: str) -> str:
        return self.href(path, [p for p in self.params() if p != (key, value)])

    def at_page(self, path: str, page: int) -> str:
        return self.href(path, self.params(page=page))


def _int(text: str | None, default: int, allowed: Sequence[int] | None = None) -> int:
    try:
        value = int(text) if text else default
    except ValueError:
        return default
    if allowed is not None and value not in allowed:
        return default
    return max(value, 1)


def read_state(params: Sequence[tuple[str, str]]) -> PageState:
    """The page state from query parameters; unknown or malformed ones are ignored."""
    state = PageState()
    values: dict[str, str] = {}
    for key, value in params:
        value = value.strip()
        if not value:
            continue
        if key in FACETS:
            if (key, value) not in state.filters:
                state.filters.append((key, value))
        elif key.startswith("not_") and key[4:] in FACETS:
            state.excludes.append((key[4:], value))
        elif key == "expand":
            state.expand.append(value)
        else:
            values[key] = value
    state.q = values.get("q", "")[:500]
    state.page = _int(values.get("page"), 1)
    state.size = _int(values.get("size"), PAGE_SIZES[0], PAGE_SIZES)
    state.sort = values.get("sort", "relevance") if values.get("sort") in SORTS else "relevance"
    return state


def term_state(index: SearchIndex, state: PageState) -> PageState | None:
    """The state with the terms named in `q` (ids, IRIs, an exact term name) as filters, or
    None when `q` names none (see `kg_service.search.query`).

    A biologist typing "Mammalia" means the taxon, not the word: no title says "Mammalia",
    but every mouse, human and dog dataset is one.
    """
    if not state.q or len(state.q) > 200:
        return None
    reading = index.read_terms(state.q)
    if not reading.filters:
        return None
    filters = list(state.filters)
    for facet, iris in reading.filters.items():
        filters += [(facet, index.terms.curie(iri)) for iri in iris]
    return PageState(
        q=reading.q,
        filters=filters,
        excludes=list(state.excludes),
        size=state.size,
        sort=state.sort,
    )


def search_query(index: SearchIndex, state: PageState) -> SearchQuery:
    """The SearchIndex query for a state; raises SearchError for values it does not know."""
    query = SearchQuery(q=state.q, page=state.page, size=state.size, sort=state.sort, words=True)
    for facet, value in state.filters:
        query.filters.setdefault(facet, []).append(index.parse_value(facet, value))
    for facet, value in state.excludes:
        query.exclude.setdefault(facet, []).append(index.parse_value(facet, value))
    query.expand = [index.parse_value(f, v) for f, v in state.filters if f in HIERARCHICAL]
    for value in state.expand:
        for facet in HIERARCHICAL:
            try:
                query.expand = [*query.expand, index.parse_value(facet, value)]
                break
            except SearchError:
                continue
    return query


@dataclass
class FacetNode:
    """One (possibly folded) node of a facet tree, ready for the template."""

    label: str
    path_title: str
    value: str
    count: int
    selected: bool
    href: str
    images: int | None = None  # facets of image-level annotations also count images
    open: bool = False
    children: list[FacetNode] = field(default_factory=list)
    more: int = 0
    more_href: str = ""


def _fold(entry: Mapping[str, Any], state: PageState, facet: str) -> tuple[list[str], Any]:
    """Labels along an unbranched equal-count chain from `entry`, and the chain's last entry."""
    labels = [str(entry["label"])]
    node = entry
    while (
        len(node["children"]) == 1
        and not node.get("more")
        and node["children"][0]["count"] == node["count"]
        and not state.selected(facet, str(node["term"]))
        and not state.selected(facet, str(node["children"][0]["term"]))
    ):
        node = node["children"][0]
        labels.append(str(node["label"]))
    return labels, node


def facet_nodes(
    entries: Sequence[Mapping[str, Any]],
    state: PageState,
    facet: str,
    path: str,
    open_depth: int = 1,
) -> list[FacetNode]:
    """The facet tree as template nodes: folded chains, toggle links, open where selected.

    The first `open_depth` levels start open; deeper ones open on the path to a selection.
    """
    nodes = []
    for entry in entries:
        labels, last = _fold(entry, state, facet)
        value = str(entry["term"])
        label = labels[0] if len(labels) == 1 else f"{labels[0]} … {labels[-1]}"
        selected = state.selected(facet, value)
        # under a selected term, show a few levels: what the filter includes
        below = SELECTED_OPEN_DEPTH if selected else open_depth - 1
        children = facet_nodes(last["children"], state, facet, path, below)
        node = FacetNode(
            label=label,
            path_title=" › ".join(labels),
            value=value,
            count=int(entry["count"]),
            images=int(entry["images"]) if "images" in entry else None,
            selected=selected,
            href=state.toggle(path, facet, value),
            children=children,
            more=int(last.get("more", 0)),
        )
        if node.more:
            node.more_href = state.href(path, [*state.params(), ("expand", str(last["term"]))])
        node.open = (
            open_depth > 0
            or any(c.selected or c.open for c in children)
            or str(last["term"]) in state.expand
        )
        nodes.append(node)
    return nodes


@dataclass
class Chip:
    """A selected filter shown above the results, with the link that removes it."""

    facet_title: str
    label: str
    remove_href: str
    negated: bool = False


def chips(state: PageState, terms: TermIndex, index: SearchIndex, path: str) -> list[Chip]:
    out = []
    for key, pairs in (("", state.filters), ("not_", state.excludes)):
        for facet, value in pairs:
            try:
                label = terms.label(index.parse_value(facet, value))
            except SearchError:
                label = value
            out.append(
                Chip(FACET_TITLES[facet], label, state.without(path, key + facet, value), bool(key))
            )
    if state.q:
        out.append(Chip("Words", state.q, state.without(path, "q", state.q)))
    return out


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """Page links to show (None = a gap): first, last and a window around the current page.

    >>> page_numbers(6, 12)
    [1, None, 4, 5, 6, 7, 8, None, 12]
    """
    shown = {1, last, *range(max(1, current - around), min(last, current + around) + 1)}
    out: list[int | None] = []
    previous = 0
    for number in sorted(shown):
        if number - previous > 1:
            out.append(None)
        out.append(number)
        previous = number
    return out
