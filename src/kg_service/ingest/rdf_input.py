"""Reader for RDF already in the service's own vocabulary (Turtle, N-Triples, RDF/XML, JSON-LD).

Such files come from another instance of the service or from tools that write our model
directly, so they are taken as triples rather than rebuilt as model objects: each kg:Project
with its datasets and the nodes they own becomes one submission graph, rebased from the
file's base IRI onto ours, and then goes through the same SHACL gate as every other input.
Triples that belong to no project are reported, not stored. RDF in the SSBD ontology's
vocabulary goes to the SSBD reader instead. JSON-LD remote contexts are never fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from kg_service.findings import Finding, Location, Severity
from kg_service.ingest import ReadResult
from kg_service.rdf_convert import from_ox

KG = "https://w3id.org/bioimage-kg/vocab/"
SSBD_PROJECT = "http://ssbd.riken.jp/ontology/SSBD_Project"
HAS_PART = URIRef("http://purl.org/dc/terms/hasPart")
PROJECT = URIRef(KG + "Project")
RDF_TYPE = str(RDF.type)
FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
# the one placeholder base every input is rebased from; the pipeline resolves it
INPUT_BASE = "urn:kg-input:"


def _parse(path: Path) -> list[ox.Quad]:
    """The file's statements as pyoxigraph quads: cheap, and an rdflib graph is only built
    when the file turns out to be in our vocabulary (issue 15: SSBD files were parsed twice,
    once into rdflib just to learn their kind, which cost twice the SSBD reader itself)."""
    fmt = FORMATS[path.suffix.lower()]
    return list(ox.parse(path=str(path), format=fmt))


def _graph_of(quads: list[ox.Quad]) -> Graph:
    graph = Graph()
    for quad in quads:
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def _has_type(quads: list[ox.Quad], class_iri: str) -> bool:
    return any(q.predicate.value == RDF_TYPE and q.object == ox.NamedNode(class_iri) for q in quads)


def _base_of(project: str) -> str | None:
    """The base IRI a project IRI was minted under (`.../projects/key` -> `.../`)."""
    marker = project.rfind("/projects/")
    return project[: marker + 1] if marker > 0 else None


def _owned(graph: Graph, root: str) -> Iterator[str]:
    """The record and the nodes under its IRI that it links to (biosamples, files ...)."""
    seen = {root}
    todo = [root]
    while todo:
        node = todo.pop()
        yield node
        for obj in graph.objects(URIRef(node), None):
            text = str(obj)
            if isinstance(obj, URIRef) and text.startswith(root + "/") and text not in seen:
                seen.add(text)
                todo.append(text)


def _rebase(term: Node, old: str) -> Node:
    if isinstance(term, URIRef) and str(term).startswith(old):
        return URIRef(INPUT_BASE + str(term)[len(old) :])
    return term


class ModelRdfReader:
    """Splits a file in our vocabulary into one graph per project."""

    def __init__(self, path: Path, graph: Graph) -> None:
        self.path = path
        self.graph = graph
        self.result = ReadResult()

    def finding(self, severity: Severity, message: str, record: str | None = None) -> None:
        where = Location(file=str(self.path), record=record)
        self.result.findings.append(Finding(severity, message, where))

    def read(self) -> ReadResult:
        claimed: set[str] = set()
        for project in sorted(str(p) for p in self.graph.subjects(RDF.type, PROJECT)):
            base = _base_of(project)
            if base is None:
                self.finding(Severity.VIOLATION, "project IRI has no /projects/{id} form", project)
                continue
            nodes = list(_owned(self.graph, project))
            for dataset in sorted(str(d) for d in self.graph.objects(URIRef(project), HAS_PART)):
                nodes.extend(_owned(self.graph, dataset))
            claimed.update(nodes)
            self.result.graphs.append((self._project_id(project, base), self._graph(nodes, base)))
        self._report_unclaimed(claimed)
        return self.result

    def _project_id(self, project: str, base: str) -> str:
        return project[len(base) :]

    def _graph(self, nodes: list[str], base: str) -> Graph:
        out = Graph()
        for node in nodes:
            for _s, predicate, obj in self.graph.triples((URIRef(node), None, None)):
                out.add((_rebase(URIRef(node), base), predicate, _rebase(obj, base)))
                if predicate == URIRef("http://purl.org/dc/terms/license"):
                    for typed in self.graph.triples((obj, RDF.type, None)):
                        out.add(typed)
        return out

    def _report_unclaimed(self, claimed: set[str]) -> None:
        licences = {
            str(o) for o in self.graph.objects(None, URIRef("http://purl.org/dc/terms/license"))
        }
        for subject in sorted({str(s) for s in self.graph.subjects()} - claimed - licences):
            self.finding(
                Severity.WARNING,
                "triples about this node belong to no kg:Project; not stored",
                subject,
            )


def read_rdf(path: Path) -> ReadResult:
    """Read RDF: our own vocabulary here, SSBD ontology individuals via the SSBD reader."""
    try:
        quads = _parse(path)
    except (SyntaxError, ValueError, OSError) as error:
        result = ReadResult()
        message = f"cannot parse RDF: {error}"
        result.findings.append(Finding(Severity.VIOLATION, message, Location(file=str(path))))
        return result
    if _has_type(quads, str(PROJECT)):
        return ModelRdfReader(path, _graph_of(quads)).read()
    if _has_type(quads, SSBD_PROJECT):
        from kg_service.ingest.ssbd_ontology import read_ssbd_rdf

        return read_ssbd_rdf(path)
    result = ReadResult()
    result.findings.append(
        Finding(
            Severity.VIOLATION,
            "RDF holds neither kg:Project records nor SSBD ontology projects: nothing to load",
            Location(file=str(path)),
            value=str(len(quads)) + " triples",
        )
    )
    return result
