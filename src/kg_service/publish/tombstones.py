"""Withdrawn records: how a record is marked as gone, so its IRI answers 410, not 404.

Contract for whoever withdraws records (the submissions workflow): delete the record's data
as usual, then call `withdraw()`. The mark lives in its own named graph, TOMBSTONE_GRAPH,
one node per withdrawn record IRI:

    <record> kg:withdrawn "2026-11-25"^^xsd:date ;
             kg:withdrawalReason "..." ;            # optional, shown to readers
             dcterms:title "..." ; dcterms:identifier "..." .   # kept so the page still cites it

A record that is live again (re-submitted) should have its mark removed with `restore()`;
a live record always wins over a mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg_service.store.base import Store, Triple

TOMBSTONE_GRAPH = "urn:kg-service:tombstones"
KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
_QUERY = """
PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?record ?when ?reason ?title ?identifier WHERE {
  GRAPH <urn:kg-service:tombstones> {
    ?record kg:withdrawn ?when .
    OPTIONAL { ?record kg:withdrawalReason ?reason }
    OPTIONAL { ?record dcterms:title ?title }
    OPTIONAL { ?record dcterms:identifier ?identifier }
  }
}
"""


@dataclass(frozen=True)
class Tombstone:
    """What is still said about a withdrawn record."""

    iri: str
    withdrawn: str
    reason: str | None
    title: str | None
    identifier: str | None


def find(store: Store, iri: str) -> Tombstone | None:
    """The tombstone of `iri`, or None when the record was never withdrawn."""
    for row in store.select(_QUERY, {"record": URIRef(iri)}):
        return Tombstone(
            iri=iri,
            withdrawn=str(row["when"]),
            reason=str(row["reason"]) if "reason" in row else None,
            title=str(row["title"]) if "title" in row else None,
            identifier=str(row["identifier"]) if "identifier" in row else None,
        )
    return None


def withdraw(
    store: Store,
    iri: str,
    *,
    title: str | None = None,
    identifier: str | None = None,
    reason: str | None = None,
    when: date | None = None,
) -> None:
    """Mark `iri` as withdrawn (replacing an earlier mark for it)."""
    kept = [t for t in store.triples(TOMBSTONE_GRAPH) if str(t[0]) != iri]
    node = URIRef(iri)
    added: list[Triple] = [
        (node, KG.withdrawn, Literal((when or date.today()).isoformat(), datatype=XSD.date))
    ]
    if reason:
        added.append((node, KG.withdrawalReason, Literal(reason)))
    if title:
        added.append((node, DCTERMS.title, Literal(title)))
    if identifier:
        added.append((node, DCTERMS.identifier, Literal(identifier)))
    store.replace_graph(TOMBSTONE_GRAPH, [*kept, *added])


def restore(store: Store, iri: str) -> None:
    """Remove the mark of `iri` (the record is live again)."""
    kept = [t for t in store.triples(TOMBSTONE_GRAPH) if str(t[0]) != iri]
    store.replace_graph(TOMBSTONE_GRAPH, kept)
