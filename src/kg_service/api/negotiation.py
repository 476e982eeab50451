"""Content negotiation in one place: `?format=` wins over Accept, then q-values decide."""

from __future__ import annotations

from functools import lru_cache

from kg_service.api.problems import FieldProblem, RequestProblem

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
    "application/trig",
]
ALIASES = {
    "json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


def parse_accept(accept: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first; malformed entries are skipped.

    >>> parse_accept("text/turtle;q=0.5, application/ld+json, ;;, */*;q=0.1")
    [('application/ld+json', 1.0), ('text/turtle', 0.5), ('*/*', 0.1)]
    """
    ranges = sorted(_ranges(accept), key=lambda r: (-r[1], r[2]))
    return [(media, quality) for media, quality, _ in ranges if quality > 0]


def _ranges(accept: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) per entry of an Accept header, in the client's order.

    No header means anything. A q-value that is not a number in [0, 1] excludes its range
    (as RFC 9110 asks of a malformed weight); entries without a type are ignored.
    """
    if accept is None or not accept.strip():
        return [("*/*", 1.0, 0)]
    found = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0:
                    quality = 0.0
        found.append((media, quality, index))
    return found


def _match(candidate: str, media: str) -> int | None:
    """How specifically a media range names `candidate`: 2 exactly, 1 by family, 0 by */*."""
    if media == candidate:
        return 2
    if media == "*/*" or media == "*":
        return 0
    if media.endswith("/*") and candidate.startswith(media[:-1]):
        return 1
    return None


def choose(
    accept: str | None, offered: list[str], aliases: dict[str, str] | None = None
) -> str | None:
    """The offered type the Accept header weighs highest, or None when it admits none.

    Each offered type takes the q-value of the most specific range naming it (so
    `text/turtle;q=0, */*` excludes Turtle). Ties go to an exact range over a wildcard,
    then to the range the client listed first, then to the server's order of `offered`.

    >>> choose("text/turtle;q=0.1, */*;q=0.9", ["text/turtle", "application/ld+json"])
    'application/ld+json'
    >>> choose("application/n-quads, application/trig;q=0.95", ["text/turtle"]) is None
    True
    """
    ranges = [((aliases or {}).get(media, media), q, index) for media, q, index in _ranges(accept)]
    best: tuple[tuple[float, int, int, int], str] | None = None
    for position, candidate in enumerate(offered):
        matches = [
            (specific, q, index)
            for media, q, index in ranges
            if (specific := _match(candidate, media)) is not None
        ]
        if not matches:
            continue
        specific, quality, index = max(matches, key=lambda m: (m[0], m[1], -m[2]))
        if quality <= 0:
            continue
        key = (quality, specific, -index, -position)
        if best is None or key > best[0]:
            best = (key, candidate)
    return None if best is None else best[1]


def pick_results_type(accept: str | None) -> str:
    """Media type for SELECT/ASK answers; falls back to JSON for browsers' generic Accepts."""
    return choose(accept, RESULTS_TYPES, ALIASES) or RESULTS_TYPES[0]


def pick_graph_type(accept: str | None) -> str:
    return choose(accept, GRAPH_TYPES) or GRAPH_TYPES[0]


def require(accept: str | None, offered: list[str]) -> str:
    """The media type to answer in, or 406 naming the Accept header and what is offered."""
    chosen = choose(accept, offered)
    if chosen is None:
        raise not_acceptable(accept, offered)
    return chosen


def not_acceptable(
    accept: str | None, offered: list[str], headers: dict[str, str] | None = None
) -> RequestProblem:
    """406 that says which Accept (or `format`) value failed and which types would do."""
    return RequestProblem(
        406,
        f"cannot answer in {accept!r}",
        [
            FieldProblem(
                "Accept",
                "header",
                f"admits none of the types offered ({accept!r})",
                ", ".join(offered),
                "send Accept with one of them, or ?format= with one of them",
            )
        ],
        headers,
    )


GRAPH_ALIASES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "nquads": "application/n-quads",
    "trig": "application/trig",
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
