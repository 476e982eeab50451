"""Example queries (SIB `sh:SPARQLExecutable` pattern) from queries/examples/, put in the store.

Each file is Turtle with IRIs relative to the service's base IRI, so one set of files serves any
deployment. They go into the graph `{base}.well-known/sparql-examples`; because the default graph
is the union, editors find them with their GRAPH-less discovery query.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, Namespace

from kg_service.paths import knowledge_dir
from kg_service.sparql.void import examples_graph
from kg_service.store import Store
from kg_service.store.base import Triple

SH = Namespace("http://www.w3.org/ns/shacl#")
SCHEMA = Namespace("https://schema.org/")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")
QUERY_PREDICATES = (SH.select, SH.ask, SH.construct, SH.describe)


@dataclass(frozen=True)
class Example:
    """One example: its IRI, query text and the endpoints it federates with."""

    iri: str
    name: str
    query: str
    federates_with: tuple[str, ...]


def example_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or knowledge_dir("queries") / "examples").glob("*.ttl"))


def examples_graph_triples(base_iri: str, folder: Path | None = None) -> list[Triple]:
    """All example files parsed against `base_iri`."""
    graph = Graph()
    for path in example_files(folder):
        graph.parse(path, format="turtle", publicID=base_iri)
    return list(graph)


def read_examples(base_iri: str, folder: Path | None = None) -> list[Example]:
    """The executable examples, with their query text, for tests and tools."""
    graph = Graph()
    for path in example_files(folder):
        graph.parse(path, format="turtle", publicID=base_iri)
    examples = []
    for subject in sorted(set(graph.subjects(RDF.type, SH.SPARQLExecutable)), key=str):
        query = next(
            str(graph.value(subject, p)) for p in QUERY_PREDICATES if graph.value(subject, p)
        )
        federates = tuple(sorted(str(o) for o in graph.objects(subject, SPEX.federatesWith)))
        name = str(subject).rsplit("/", 1)[-1]
        examples.append(Example(str(subject), name, query, federates))
    return examples


def publish_examples(store: Store, base_iri: str, folder: Path | None = None) -> None:
    """Replace the examples graph with the files' current content."""
    store.replace_graph(examples_graph(base_iri), examples_graph_triples(base_iri, folder))


__all__ = ["Example", "publish_examples", "read_examples"]
