"""Helpers for the findability tests: offline JSON-LD processing with pyld."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pyshacl
from pyld import jsonld
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import BNode, Node

from tests.conftest import REPO

SCHEMA_CONTEXT = REPO / "tests" / "data" / "fair" / "schemaorg-context.jsonld"
SCHEMA_CONTEXT_URLS = ("https://schema.org", "http://schema.org")
ROCRATE_CONTEXT = REPO / "tests" / "data" / "fair" / "rocrate-context.jsonld"
BIOSCHEMAS_SHAPES = REPO / "tests" / "data" / "fair" / "bioschemas-profiles.ttl"
SH = "http://www.w3.org/ns/shacl#"


def offline_loader(url: str, _options: dict[str, Any] | None = None) -> dict[str, Any]:
    """pyld document loader: schema.org's context from a local file, nothing from the network."""
    if url.rstrip("/") in SCHEMA_CONTEXT_URLS or url.startswith("https://schema.org/docs/"):
        document = json.loads(SCHEMA_CONTEXT.read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": document}
    if url.startswith("https://w3id.org/ro/crate/"):
        document = json.loads(ROCRATE_CONTEXT.read_text(encoding="utf-8"))
        return {"contextUrl": None, "documentUrl": url, "document": document}
    raise jsonld.JsonLdError(f"offline: refusing to load {url}", "loading document failed")


def expand(document: dict[str, Any]) -> list[dict[str, Any]]:
    expanded: list[dict[str, Any]] = jsonld.expand(document, {"documentLoader": offline_loader})
    return expanded


def _term(value: dict[str, Any]) -> Node:
    if value["type"] == "IRI":
        return URIRef(value["value"])
    if value["type"] == "blank node":
        return BNode(value["value"][2:])
    if value.get("language"):
        return Literal(value["value"], lang=value["language"])
    if value["datatype"] == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value["value"])  # RDF 1.1: a simple literal is an xsd:string
    return Literal(value["value"], datatype=URIRef(value["datatype"]))


def to_graph(document: dict[str, Any]) -> Graph:
    """The RDF a JSON-LD processor reads from `document` (pyld's toRdf, local context)."""
    dataset = jsonld.to_rdf(document, {"documentLoader": offline_loader})
    graph = Graph()
    for quad in dataset["@default"]:
        graph.add((_term(quad["subject"]), _term(quad["predicate"]), _term(quad["object"])))
    return graph


@cache
def bioschemas_shapes() -> Graph:
    return Graph().parse(BIOSCHEMAS_SHAPES, format="turtle")


def profile_results(graph: Graph) -> list[tuple[str, str, str]]:
    """(severity, focus node, message) of each Bioschemas profile result for `graph`.

    pyshacl validates every node typed Dataset or DataCatalog, nested ones included.
    """
    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=bioschemas_shapes(), inference="none", advanced=False
    )
    assert isinstance(report, Graph)
    results = []
    for result in report.subjects(RDF.type, URIRef(f"{SH}ValidationResult")):
        if (None, URIRef(f"{SH}detail"), result) in report:
            continue  # nested details repeat their parent result
        severity = str(report.value(result, URIRef(f"{SH}resultSeverity"))).rsplit("#", 1)[-1]
        focus = str(report.value(result, URIRef(f"{SH}focusNode")))
        results.append((severity, focus, str(report.value(result, URIRef(f"{SH}resultMessage")))))
    return sorted(results)


def typed_nodes(graph: Graph, kind: str) -> list[str]:
    return sorted(str(s) for s in graph.subjects(RDF.type, URIRef(f"http://schema.org/{kind}")))
