"""Which RDF dataset a query runs on, as SPARQL 1.1 Query §13 and the Protocol §2.1.4 say.

The service's default graph is the union of all graphs, but only when the request names no
dataset. A request names one in the protocol (`default-graph-uri`, `named-graph-uri`, which
win over the query text) or in the query (`FROM`, `FROM NAMED`). Then the default graph is
the merge of the graphs named for it (none named: an empty default graph) and the named
graphs are exactly those listed (none listed: no named graphs).

The engine (pyoxigraph) would honour FROM itself, but asking it for the union default graph
overrides the query's dataset, and an empty list of graphs means "all graphs" to the query
workers. So the service resolves the dataset here and always hands the workers explicit
lists, using `NO_GRAPH`, an IRI the service never stores anything in, where SPARQL wants
nothing. Reading FROM clauses needs a parser (prefixed names, BASE): rdflib's, run only when
the text holds the keyword outside strings, IRIs and comments (about 5 ms a query).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery

from kg_service.store import UserQueryError

NO_GRAPH = "urn:kg-service:no-graph"
_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_FROM = re.compile(r"(?<![\w:?$.-])from(?![\w:-])", re.IGNORECASE)


@dataclass(frozen=True)
class Dataset:
    """Graphs for the default graph and the named graphs; both empty: the union, all graphs."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def is_union(self) -> bool:
        return not self.default_graphs and not self.named_graphs


UNION = Dataset()


def names_dataset(query: str) -> bool:
    """True when the query text has a FROM keyword (outside strings, IRIs and comments).

    `\\u` escapes may spell a keyword, so they count as a possible FROM too.

    >>> names_dataset("SELECT * FROM <http://x/g> { ?s ?p ?o }")
    True
    >>> names_dataset('SELECT * { ?s <http://x/from> "from" } # from')
    False
    """
    if "\\u" in query or "\\U" in query:
        return True
    if not _FROM.search(query):
        return False
    return _FROM.search(_SKIPPED.sub(" ", query)) is not None


def query_dataset(query: str, base_iri: str | None) -> Dataset:
    """The dataset the query's own FROM / FROM NAMED clauses describe (UNION if none).

    :raises UserQueryError: the query has a FROM keyword but its clauses cannot be read.

    >>> query_dataset("PREFIX g: <http://x/> SELECT * FROM NAMED g:1 { ?s ?p ?o }", None)
    Dataset(default_graphs=('urn:kg-service:no-graph',), named_graphs=('http://x/1',))
    """
    if not names_dataset(query):
        return UNION
    try:
        parsed = parseQuery(query)
        prologue = translatePrologue(parsed[0], base_iri)
        clauses = dict.get(parsed[1], "datasetClause") or []  # CompValue.get is not dict.get
        defaults = [str(prologue.absolutize(c["default"])) for c in clauses if "default" in c]
        named = [str(prologue.absolutize(c["named"])) for c in clauses if "named" in c]
    except Exception as error:  # pyparsing and rdflib raise many types
        raise UserQueryError(f"the query's FROM clauses could not be read: {error}") from error
    if not defaults and not named:
        return UNION
    return explicit(defaults, named)


def explicit(defaults: list[str] | tuple[str, ...], named: list[str] | tuple[str, ...]) -> Dataset:
    """A named dataset: graphs as given, NO_GRAPH standing for an empty list."""
    return Dataset(
        tuple(dict.fromkeys(defaults)) or (NO_GRAPH,), tuple(dict.fromkeys(named)) or (NO_GRAPH,)
    )


def resolve(
    query: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...], base_iri: str | None
) -> Dataset:
    """The request's dataset: the protocol's graphs if any, else the query's, else the union."""
    if default_graphs or named_graphs:
        return explicit(default_graphs, named_graphs)
    return query_dataset(query, base_iri)
