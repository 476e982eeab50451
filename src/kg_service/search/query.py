"""A search request, its checks, and how `q` turns ontology terms into filters.

A biologist who types "GO:0009790", an ontology IRI, or the exact name of a term
("Mammalia", "mitosis", "worm") means the term, not the characters: no title says "Mammalia",
but every mouse and human dataset is one. Such a `q` becomes that term's filter (the term and
everything below it); ids and IRIs anywhere in `q` do, names only when they are all of `q`.
A name becomes a filter only when datasets sit under it; otherwise the words are searched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg_service.search.facets import FACET_LIMIT
from kg_service.search.table import FACETS, ONTOLOGY_FACETS
from kg_service.search.text import split_query
from kg_service.terms.index import TermIndex

SORTS = ("relevance", "date", "title")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class SearchError(ValueError):
    """A search request the user must fix (unknown facet value, bad paging), with hints."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


@dataclass
class Query:
    """A parsed search request: facet -> IRIs or literals (OR within, AND across).

    `facets` names the facet trees to compute (None: all); each tree holds at most
    `facet_limit` nodes (most datasets first; None: all) down to `facet_depth` levels
    (None: any), and always the path to and the children of the `expand` terms, so a UI
    can open a node the limit left closed. `words` keeps `q` as words: no term in it
    becomes a filter.
    """

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    facets: Sequence[str] | None = None
    facet_limit: int | None = FACET_LIMIT
    facet_depth: int | None = None
    expand: Sequence[str] = ()
    words: bool = False


def check(query: Query) -> None:
    if query.sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}", SORTS)
    if query.page < 1 or not 1 <= query.size <= 200:
        raise SearchError("page must be >= 1 and size between 1 and 200")
    unknown = set(query.facets or ()) - set(FACETS)
    if unknown:
        raise SearchError(f"unknown facet(s): {', '.join(sorted(unknown))}", FACETS)
    if (query.facet_limit is not None and query.facet_limit < 1) or (
        query.facet_depth is not None and query.facet_depth < 1
    ):
        raise SearchError("facet_limit and facet_depth must be >= 1")


@dataclass
class Reading:
    """What `q` was taken to mean: the words left, and the terms that became filters."""

    q: str
    filters: dict[str, list[str]] = field(default_factory=dict)

    def terms(self) -> list[str]:
        return [iri for iris in self.filters.values() for iri in iris]


def read_terms(q: str, terms: TermIndex, count: Callable[[str, str], int]) -> Reading:
    """Turn term ids, IRIs and an exact term name in `q` into filters (see the module doc).

    `count(facet, iri)` tells how many datasets sit at or below a term in a facet.
    """
    reading = Reading(q)
    kept: list[str] = []
    for part in split_query(q):
        facet, iri = _term_of_id(part.text, terms) if not part.negated else (None, None)
        if facet is not None and iri is not None:
            reading.filters.setdefault(facet, []).append(iri)
        else:
            text = f'"{part.text}"' if part.phrase else part.text
            kept.append(f"-{text}" if part.negated else text)
    if reading.filters:
        reading.q = " ".join(kept)
        return reading
    name = q.strip().strip('"').strip()
    if name and len(name) <= 200:
        for facet, iris in _exact_names(name, terms).items():
            with_data = [iri for iri in iris if count(facet, iri)]
            if with_data:
                return Reading("", {facet: with_data})
    return reading


def _term_of_id(text: str, terms: TermIndex) -> tuple[str | None, str | None]:
    """(facet, IRI) when `text` is a known term's CURIE or IRI (any common spelling)."""
    if ":" not in text and "_" not in text:
        return None, None
    iri = terms.to_iri(text)
    if iri is None and _IRI.match(text):
        return None, None
    if iri is None:
        return None, None
    facet = ONTOLOGY_FACETS.get(terms.terms[iri].ontology)
    return (facet, iri) if facet else (None, None)


def _exact_names(name: str, terms: TermIndex) -> dict[str, list[str]]:
    """Facet -> terms whose label, synonym or everyday name is exactly `name`, best first.

    Labels and curated names come before synonyms; among facets, the first that has a
    label match wins (so "mouse" is the organism, not a MeSH heading's synonym).
    """
    found: dict[str, list[str]] = {}
    for iri in terms.exact_matches(name):
        facet = ONTOLOGY_FACETS.get(terms.terms[iri].ontology)
        if facet is not None:
            found.setdefault(facet, []).append(iri)
    return found
