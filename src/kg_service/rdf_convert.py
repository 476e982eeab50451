"""RDF terms between rdflib and pyoxigraph, for any module that hands terms from one to the other.

Readers parse with pyoxigraph (fast) but build rdflib graphs; the store keeps rdflib terms at
its interface. Keeping the conversion here means a reader needs no import of the store.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Literal, Node, URIRef


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """rdflib term -> pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def from_ox(term: object) -> Node:
    """pyoxigraph term -> rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def ntriples(graph: Iterable[tuple[Node, Node, Node]]) -> str:
    """The triples as N-Triples text, the same text rdflib's "nt" serializer writes.

    Written here because a project's graph is serialised for every validation and every
    stored project, and rdflib checks and formats each IRI again in every triple it appears
    in; the IRIs of a project repeat (predicates, classes, ontology terms), so each is
    formatted once per call: two thirds of the time of rdflib's serializer on SSBD projects
    (1.0 vs 1.6 ms each). Literals are not cached: rdflib counts literals equal that print
    differently (language tags differing in case).
    """
    seen: dict[Node, str] = {}

    def text(term: Node) -> str:
        found = seen.get(term)
        if found is None:
            found = seen[term] = term.n3()
        return found

    return "".join(
        f"{text(s)} {text(p)} {_literal_text(o) if isinstance(o, Literal) else text(o)} .\n"
        for s, p, o in graph
    )


def _literal_text(literal: Literal) -> str:
    """A literal as N-Triples writes it (rdflib's escaping: backslash, newline, quote, CR)."""
    quoted = '"{}"'.format(
        literal.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    )
    if literal.language:
        if literal.datatype:  # as rdflib's writer: no such literal in RDF
            raise ValueError(f"literal {literal!r} has both a language and a datatype")
        return f"{quoted}@{literal.language}"
    if literal.datatype:
        return f"{quoted}^^<{literal.datatype}>"
    return quoted
