"""Policy checks run on every public SPARQL query before the engine sees it.

The engine (pyoxigraph) follows any `SERVICE <iri>` it is given and cannot be told not to, so an
open endpoint would fetch arbitrary URLs for anyone (server-side request forgery). Here a query
may only federate with allowlisted endpoints, and `SERVICE ?var` is always refused.

Parsing with rdflib costs ~14 ms, so it only happens when the text could contain SERVICE:
the keyword must appear literally unless the query uses `\\u` escapes, which also trigger a parse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable


class QueryRefused(PermissionError):
    """The query is well formed but the endpoint's policy does not allow it (HTTP 403)."""


class QueryUnchecked(ValueError):
    """The query mentions SERVICE but could not be parsed to check it (HTTP 400)."""


@dataclass(frozen=True)
class ServicePolicy:
    """Which remote endpoints a query may call; IRIs compare without a trailing slash."""

    allowed: frozenset[str]

    @classmethod
    def of(cls, endpoints: Iterable[str]) -> ServicePolicy:
        return cls(frozenset(_norm(e) for e in endpoints))

    def allows(self, iri: str) -> bool:
        return _norm(iri) in self.allowed


def _norm(iri: str) -> str:
    return iri.rstrip("/")


def may_federate(query: str) -> bool:
    """Cheap screen: False means the text cannot contain a SERVICE clause.

    >>> may_federate("SELECT * { ?s ?p ?o }")
    False
    >>> may_federate("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    True
    """
    lowered = query.lower()
    return "service" in lowered or "\\u" in lowered


def service_targets(query: str) -> list[URIRef | Variable]:
    """IRIs (or variables) of every SERVICE clause in `query`.

    :raises QueryUnchecked: when rdflib cannot parse the query.
    """
    try:
        prepared = prepareQuery(query)
    except Exception as error:  # pyparsing and rdflib raise many types
        raise QueryUnchecked(f"query with SERVICE could not be checked: {error}") from error
    found: list[URIRef | Variable] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            found.append(node["term"])

    traverse(prepared.algebra, visitPre=visit)
    return found


def check_query(query: str, policy: ServicePolicy) -> None:
    """Refuse queries whose SERVICE clauses leave the allowlist.

    :raises QueryRefused: SERVICE with a variable or to an endpoint not allowlisted.
    :raises QueryUnchecked: the query mentions SERVICE but cannot be parsed.

    >>> check_query("SELECT * { ?s ?p ?o }", ServicePolicy.of([]))
    >>> try:
    ...     check_query("SELECT * { SERVICE ?e { ?s ?p ?o } }", ServicePolicy.of([]))
    ... except QueryRefused as error:
    ...     print(error)
    SERVICE with a variable endpoint is not allowed
    """
    if not may_federate(query):
        return
    for target in service_targets(query):
        if isinstance(target, Variable):
            raise QueryRefused("SERVICE with a variable endpoint is not allowed")
        if not policy.allows(str(target)):
            raise QueryRefused(f"SERVICE <{target}> is not an allowed endpoint")
