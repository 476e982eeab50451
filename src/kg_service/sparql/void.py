"""VoID statistics and the SPARQL Service Description, computed when the store changes.

SIB's endpoints (UniProt, Bgee, Rhea) publish a VoID class/property partition inside the
endpoint so editors (sparql-editor, YASGUI) can autocomplete; it is too costly to compute per
request, so it is written into its own named graph after each store write and served as is at
`/.well-known/void` and on a GET of `/sparql` without a query.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from rdflib import RDF, XSD, Literal, Namespace, URIRef
from rdflib.term import Node

from kg_service.store import Store
from kg_service.store.base import Triple

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
VOID_EXT = Namespace("http://ldf.fi/void-ext#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
RESULT_FORMATS = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "TriG",
    "JSON-LD",
    "RDF_XML",
]


def void_graph(base_iri: str) -> str:
    return f"{base_iri}.well-known/void"


def examples_graph(base_iri: str) -> str:
    return f"{base_iri}.well-known/sparql-examples"


def endpoint_iri(base_iri: str) -> str:
    return f"{base_iri}sparql"


def service_description(base_iri: str) -> list[Triple]:
    """The static part: endpoint, language, formats, features, link to the default dataset."""
    root = void_graph(base_iri)
    service, dataset = URIRef(f"{root}#sparql-service"), URIRef(f"{root}#dataset")
    triples: list[Triple] = [
        (service, RDF.type, SD.Service),
        (service, SD.endpoint, URIRef(endpoint_iri(base_iri))),
        (service, SD.supportedLanguage, SD.SPARQL11Query),
        (service, SD.feature, SD.UnionDefaultGraph),
        (service, SD.feature, SD.BasicFederatedQuery),
        (service, SD.defaultDataset, dataset),
        (dataset, RDF.type, SD.Dataset),
        (dataset, SD.defaultGraph, URIRef(f"{root}#default-graph")),
        (URIRef(f"{root}#default-graph"), RDF.type, SD.Graph),
        (URIRef(f"{root}#default-graph"), RDF.type, VOID.Dataset),
    ]
    triples += [(service, SD.resultFormat, FORMATS[name]) for name in RESULT_FORMATS]
    return triples


def _excluded(base_iri: str) -> str:
    return f"<{void_graph(base_iri)}>, <{examples_graph(base_iri)}>"


def _node(graph: str, *parts: Node) -> URIRef:
    """A stable IRI per partition (same data, same IRIs), beside the VoID graph's own IRI."""
    digest = hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]
    return URIRef(f"{graph.split('#')[0]}#partition-{digest}")


def _count(value: Node) -> Literal:
    return Literal(int(str(value)), datatype=XSD.integer)


def _totals(store: Store, base_iri: str, graph: URIRef) -> list[Triple]:
    rows = store.select(
        "SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?g) AS ?graphs) "
        f"WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g NOT IN ({_excluded(base_iri)})) }}"
    )
    return [
        (graph, VOID.triples, _count(rows[0]["triples"])),
        (graph, DCTERMS.modified, Literal(datetime.now(UTC).isoformat(), datatype=XSD.dateTime)),
    ]


def _classes(store: Store, base_iri: str, graph: URIRef) -> list[Triple]:
    rows = store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
        f"FILTER(?g NOT IN ({_excluded(base_iri)})) }} GROUP BY ?c"
    )
    triples: list[Triple] = [(graph, VOID.classes, Literal(len(rows)))]
    for row in rows:
        part = _node(str(graph), row["c"])
        triples += [
            (graph, VOID.classPartition, part),
            (part, VOID["class"], row["c"]),
            (part, VOID.entities, _count(row["n"])),
        ]
    return triples


def _properties(store: Store, base_iri: str, graph: URIRef) -> list[Triple]:
    rows = store.select(
        "SELECT ?c ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c ; ?p ?o } "
        f"FILTER(?g NOT IN ({_excluded(base_iri)})) }} GROUP BY ?c ?p"
    )
    triples: list[Triple] = []
    for row in rows:
        part = _node(str(graph), row["c"], row["p"])
        triples += [
            (_node(str(graph), row["c"]), VOID.propertyPartition, part),
            (part, VOID.property, row["p"]),
            (part, VOID.triples, _count(row["n"])),
        ]
    return triples


def _targets(store: Store, base_iri: str, graph: URIRef) -> list[Triple]:
    """Object classes and literal datatypes per class/property (SIB's schema for editors)."""
    rows = store.select(
        "SELECT ?c ?p ?oc ?dt (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c ; ?p ?o "
        "OPTIONAL { ?o a ?oc } } FILTER(?g NOT IN ("
        + _excluded(base_iri)
        + ")) BIND(IF(isLiteral(?o), DATATYPE(?o), ?unbound) AS ?dt) "
        "FILTER(BOUND(?oc) || BOUND(?dt)) } GROUP BY ?c ?p ?oc ?dt"
    )
    triples: list[Triple] = []
    for row in rows:
        owner = _node(str(graph), row["c"], row["p"])
        if "oc" in row:
            part = _node(str(graph), row["c"], row["p"], row["oc"])
            triples += [
                (owner, VOID.classPartition, part),
                (part, VOID["class"], row["oc"]),
            ]
        else:
            part = _node(str(graph), row["c"], row["p"], row["dt"])
            triples += [
                (owner, VOID_EXT.datatypePartition, part),
                (part, VOID_EXT.datatype, row["dt"]),
            ]
        triples.append((part, VOID.triples, _count(row["n"])))
    return triples


def describe(store: Store, base_iri: str) -> list[Triple]:
    """Service description plus VoID statistics of every graph except our own metadata."""
    graph = URIRef(f"{void_graph(base_iri)}#default-graph")
    triples = service_description(base_iri)
    for part in (_totals, _classes, _properties, _targets):
        triples += part(store, base_iri, graph)
    return triples


def refresh(store: Store, base_iri: str) -> None:
    """Recompute and replace the VoID graph (called after each write to other graphs).

    An embedded store marks the graph current when no write came in while it was computed,
    so the next server start need not spend a minute (at 100,000 datasets) recomputing it.
    """
    generation = getattr(store, "generation", 0)
    store.replace_graph(void_graph(base_iri), describe(store, base_iri))
    mark_current(store, base_iri, generation + 1)


def mark_current(store: Store, base_iri: str, generation: int | None = None) -> None:
    """Mark the statistics current if the store is still at `generation` (default: now)."""
    mark = getattr(store, "mark_current", None)
    if mark is not None:
        at = getattr(store, "generation", 0) if generation is None else generation
        mark(void_graph(base_iri), at)


def is_current(store: Store, base_iri: str) -> bool:
    """Whether the stored statistics were computed from the store as it is now."""
    check = getattr(store, "is_current", None)
    return bool(check is not None and check(void_graph(base_iri)))
