"""Content negotiation in one place: `?format=` wins over Accept, then q-values decide."""

from __future__ import annotations

from functools import lru_cache

from fastapi import HTTPException

RESULTS_TYPES = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]
GRAPH_TYPES = [
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "application/n-quads",
]
ALIASES = {
    "json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def parse_accept(accept: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first."""
    if not accept:
        return [("*/*", 1.0)]
    ranges = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality, -index))
    ranges.sort(key=lambda r: (r[1], r[2]), reverse=True)
    return [(media, quality) for media, quality, _ in ranges if quality > 0]


def choose(
    accept: str | None, offered: list[str], aliases: dict[str, str] | None = None
) -> str | None:
    """The first offered type the Accept header admits, or None."""
    for media, _quality in parse_accept(accept):
        media = (aliases or {}).get(media, media)
        if media in offered:
            return media
        if media == "*/*":
            return offered[0]
        if media.endswith("/*"):
            family = media[:-1]
            for candidate in offered:
                if candidate.startswith(family):
                    return candidate
    return None


def pick_results_type(accept: str | None) -> str:
    """Media type for SELECT/ASK answers; falls back to JSON for browsers' generic Accepts."""
    return choose(accept, RESULTS_TYPES, ALIASES) or RESULTS_TYPES[0]


def pick_graph_type(accept: str | None) -> str:
    return choose(accept, GRAPH_TYPES) or GRAPH_TYPES[0]


def require(accept: str | None, offered: list[str]) -> str:
    chosen = choose(accept, offered)
    if chosen is None:
        raise HTTPException(
            406, f"cannot produce any of: {accept}; available: {', '.join(offered)}"
        )
    return chosen


GRAPH_ALIASES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "application/json": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "xml": "application/rdf+xml",
}


def choose_results_type(accept: str | None) -> str | None:
    """SELECT/ASK media type the Accept header (or a `format` alias) admits, else None."""
    return choose(accept, RESULTS_TYPES, ALIASES)


def choose_graph_type(accept: str | None) -> str | None:
    """CONSTRUCT/DESCRIBE media type the Accept header (or a `format` alias) admits, else None.

    >>> choose_graph_type("text/html,application/xhtml+xml,*/*;q=0.8")
    'text/turtle'
    >>> choose_graph_type("application/sparql-results+json") is None
    True
    """
    return choose(accept, GRAPH_TYPES, GRAPH_ALIASES)


@lru_cache(maxsize=256)
def sparql_types(accept: str | None) -> tuple[str | None, str | None]:
    """(SELECT/ASK type, CONSTRUCT/DESCRIBE type) for an Accept header or `format` value.

    Cached: clients repeat the same few Accept headers, and the SPARQL endpoint answers a
    lookup in about a tenth of a millisecond.
    """
    return choose_results_type(accept), choose_graph_type(accept)
