"""The facts the hand-written shapes need next to a submission's own triples.

Why a slice: SHACL Core cannot walk GO's hierarchy without the hierarchy in the data graph,
and copying all of GO (47k terms) into every validation costs seconds (see
../shared/notes/perf.md). So for each term IRI a submission mentions we add only what its
shapes test, computed from the shipped term index that is loaded once per process:

* ``<term> rdfs:subClassOf <root>`` for each branch root it falls under (GO MF/BP/CC),
* ``<term> kgv:knownTerm "go"`` (the shipped ontology that knows it),
* ``<term> owl:deprecated true`` for obsolete terms,
* ``<unit> kgv:dimension "length"|"time"`` for UO units,
* ``<orcid> kgv:checkDigitValid true|false`` (ISO 7064 11,2 cannot be written in SHACL Core).

All of it lives in the vocabulary ``https://w3id.org/bioimage-kg/vocab/validation/`` and is
never stored: it only exists inside one validation run.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import OWL, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg_service.normalize import unit_dimension
from kg_service.terms.index import TermIndex

KGV = Namespace("https://w3id.org/bioimage-kg/vocab/validation/")
KG = Namespace("https://w3id.org/bioimage-kg/vocab/")
OBO = "http://purl.obolibrary.org/obo/"
GO_MF = URIRef(OBO + "GO_0003674")
GO_BP = URIRef(OBO + "GO_0008150")
GO_CC = URIRef(OBO + "GO_0005575")
BRANCH_ROOTS = frozenset({GO_MF, GO_BP, GO_CC})
ORCID_PREFIX = "https://orcid.org/"
# more NCBITaxon terms than taxslim ever ships means `kg-service terms update` installed
# the full taxonomy; then an unknown taxon is an error, not "could not be checked"
FULL_TAXONOMY_MIN_TERMS = 1_000_000
Fact = tuple[Node, URIRef, Node]


def orcid_check_digit(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 15 digits of an ORCID.

    >>> orcid_check_digit("000000021825009")
    '7'
    """
    total = 0
    for char in digits:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def orcid_digits(iri: str) -> str | None:
    """The 16 characters of an ORCID IRI without hyphens, or None when it is not one."""
    if not iri.startswith(ORCID_PREFIX):
        return None
    bare = iri[len(ORCID_PREFIX) :].replace("-", "")
    if len(bare) != 16 or not bare[:15].isdigit() or bare[15] not in "0123456789X":
        return None
    return bare


def full_taxonomy_installed(index: TermIndex) -> bool:
    count = sum(1 for term in index.terms.values() if term.ontology == "ncbitaxon")
    return count >= FULL_TAXONOMY_MIN_TERMS


def ontology_slice(data: Graph, index: TermIndex) -> Graph:
    """Facts about every IRI object of `data` that the hand-written shapes test."""
    out = Graph()
    for fact in slice_facts(data, index):
        out.add(fact)
    return out


def slice_facts(data: Graph, index: TermIndex) -> Iterator[Fact]:
    """The slice as triples, for engines that take N-Triples text (no rdflib graph needed:
    building one cost as much as the SHACL run itself, issue 15)."""
    objects = {o for o in data.objects() if isinstance(o, URIRef)}
    for node in objects:
        yield from _term_facts(node, index)
        dimension = unit_dimension(str(node))
        if dimension:
            yield (node, KGV.dimension, Literal(dimension))
    for orcid in set(data.objects(None, KG.orcid)):
        digits = orcid_digits(str(orcid))
        valid = digits is not None and orcid_check_digit(digits[:15]) == digits[15]
        yield (orcid, KGV.checkDigitValid, Literal(valid))


def _term_facts(node: URIRef, index: TermIndex) -> Iterator[Fact]:
    term = index.terms.get(str(node))
    if term is None:
        return
    yield (node, KGV.knownTerm, Literal(term.ontology))
    if term.obsolete:
        yield (node, OWL.deprecated, Literal(True))
    if term.ontology == "go":
        lineage = index.ancestors(term.iri) | {term.iri}
        for root in BRANCH_ROOTS:
            if str(root) in lineage:
                yield (node, RDFS.subClassOf, root)
