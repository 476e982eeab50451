"""`kg-service ontology check`: classify our OWL, its alignments and the term subsets it uses.

Why a reasoner: an alignment such as "kg:Dataset equivalent to X" plus a disjointness
elsewhere can make a class unsatisfiable, which no SHACL shape or unit test notices. owlready2
bundles HermiT (needs Java); we hand it one merged N-Triples file so the run is a single JVM
start (a few seconds) and fail on any unsatisfiable class or an inconsistent ontology.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from kg_service.paths import knowledge_dir
from kg_service.terms.index import TermIndex

LINKML = "https://w3id.org/linkml/"
# LinkML's types as the OWL 2 datatypes HermiT knows (it refuses any other datatype)
_LINKML_TYPES = {
    "String": XSD.string,
    "Integer": XSD.integer,
    "Date": XSD.dateTime,  # xsd:date is not in the OWL 2 datatype map
    "Datetime": XSD.dateTime,
    "Decimal": XSD.decimal,
    "Float": XSD.double,
    "Double": XSD.double,
    "Boolean": XSD.boolean,
    "Uri": XSD.anyURI,
    "Uriorcurie": XSD.anyURI,
}


def _owl2_datatypes(graph: Graph) -> Graph:
    """Replace LinkML type IRIs in object position by their XSD equivalents."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, URIRef) and str(o).startswith(LINKML):
            o = _LINKML_TYPES.get(str(o)[len(LINKML) :], o)
        out.add((s, p, o))
    return out


@dataclass
class CheckResult:
    """Unsatisfiable class IRIs, or the reasoner's inconsistency message."""

    unsatisfiable: list[str] = field(default_factory=list)
    inconsistent: str | None = None
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unsatisfiable and self.inconsistent is None


def default_files() -> list[Path]:
    """The generated OWL plus every hand-written alignment in ontology/ (Turtle)."""
    folder = knowledge_dir("ontology")
    files = [folder / "kg_model.owl.ttl"]
    files += sorted(p for p in folder.glob("*.ttl") if p.name != "kg_model.owl.ttl")
    files += (
        sorted((folder / "alignments").glob("*.ttl")) if (folder / "alignments").is_dir() else []
    )
    return files


def term_subset(index: TermIndex, ontologies: Iterable[str]) -> Graph:
    """The term subsets as OWL classes (label, subClassOf), small enough for HermiT."""
    graph = Graph()
    for term in index.terms.values():
        if term.ontology not in ontologies:
            continue
        node = URIRef(term.iri)
        graph.add((node, RDF.type, OWL.Class))
        graph.add((node, RDFS.label, Literal(term.label)))
        for parent in term.parents:
            graph.add((node, RDFS.subClassOf, URIRef(parent)))
    return graph


def check(files: Sequence[Path], extra: Graph | None = None) -> CheckResult:
    """Merge `files` (+ `extra`), run HermiT through owlready2 and collect problems."""
    import owlready2

    merged = Graph()
    for path in files:
        merged.parse(path)
    if extra is not None:
        merged += extra
    merged = _owl2_datatypes(merged)
    result = CheckResult(files=[str(p) for p in files])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "merged.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            result.inconsistent = str(error) or "the ontology is inconsistent"
            return result
        result.unsatisfiable = sorted(
            str(c.iri) for c in world.inconsistent_classes() if str(c.iri) != str(OWL.Nothing)
        )
    return result
