"""The store interface every backend implements (embedded Oxigraph now, remote SPARQL later).

The API and pipeline only talk to this Protocol, so swapping the engine never touches them.
Values from users reach queries only as `bindings` (variable -> RDF term), never pasted in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from rdflib.term import Literal, Node, URIRef

Term = URIRef | Literal
Triple = tuple[Node, Node, Node]
Row = dict[str, Node]


class StoreError(RuntimeError):
    """The store failed (I/O, corruption): an internal error, not the user's fault."""


class StoreBusy(StoreError):
    """Another process holds the store's lock (one process per embedded store)."""


class UserQueryError(ValueError):
    """A query the user sent cannot run (syntax error, unsupported form)."""


class QueryKind(StrEnum):
    SELECT = "select"
    ASK = "ask"
    CONSTRUCT = "construct"
    DESCRIBE = "describe"


@dataclass(frozen=True)
class GraphResult:
    """A serialised query answer: body bytes, media type and what kind of query made it."""

    body: bytes
    media_type: str
    kind: QueryKind


class Store(Protocol):
    """Quads in named graphs (one per project); the SPARQL default graph is their union."""

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        """Replace the whole content of `graph_iri` with `triples` in one transaction."""

    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> None:
        """Replace several named graphs at once: all are replaced, or none."""

    def delete_graph(self, graph_iri: str) -> bool:
        """Remove a named graph; True when it existed."""

    def graph_names(self) -> list[str]:
        """IRIs of the named graphs."""

    def triples(self, graph_iri: str) -> list[Triple]:
        """Every triple of one named graph."""

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT over the union graph with pre-bound variables."""

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        """Run a CONSTRUCT/DESCRIBE over the union graph with pre-bound variables."""

    def sparql(self, query: str, results_media_type: str, graph_media_type: str) -> GraphResult:
        """Run a user's query and serialise it in the media type fitting its kind."""

    def quad_count(self) -> int:
        """Number of quads in all named graphs."""

    def close(self) -> None:
        """Release the store (flush, unlock)."""
