"""The fast SHACL path checked against pyshacl, the reference: same results, same findings.

Used by tests/test_validation_engines.py (every corpus file, a sample of defective synthetic
projects) and bench/bench_validate.py --differential (1,000 defective projects). Defects are
injected into mapped project graphs by seeded, shape-agnostic mutations (drop a value, add a
second one, an unknown predicate, a malformed or wrongly typed literal, a negative number, a
literal where a node belongs, an IRI from elsewhere, a wrong class), so every constraint kind
of the shapes gets failing input without the test knowing the shapes, and the test keeps
holding when `make generate` changes them.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg_service.validation.engine import Engine, Result, run_shacl
from kg_service.validation.shacl import Tier, shapes_graph, tier_shapes_graph, validate_graph

VOCAB = "https://w3id.org/bioimage-kg/vocab/"
Key = tuple[str, ...]


def _term(node: Node | None) -> str:
    """A result field for comparison; blank nodes (complex paths, property shapes) differ in
    label between engines, so they compare as their kind only."""
    if node is None:
        return "-"
    if isinstance(node, BNode):
        return "_:"
    return node.n3()


def result_key(result: Result, messages: bool = True) -> Key:
    """Everything of a result; its message only when `messages` (pyshacl-turbo words the
    shapes' default messages its own way, which `run_shacl` replaces by pyshacl's)."""
    return (
        _term(result.focus),
        _term(result.path),
        _term(result.severity),
        _term(result.shape),
        _term(result.component),
        _term(result.value),
        (result.message or "") if messages else "",
    )


def compare(data: Graph, tier: Tier | None, base_iri: str) -> list[str]:
    """Differences between the engines on `data` (empty when they agree); results and the
    findings made from them are both compared."""
    from kg_service.terms.index import shipped_term_index
    from kg_service.validation.slice import slice_facts

    shapes = shapes_graph() if tier is None else tier_shapes_graph(tier)
    facts = [] if tier is None else list(slice_facts(data, shipped_term_index()))
    reference = run_shacl(data, shapes, Engine.PYSHACL, facts).results
    raw = run_shacl(data, shapes, Engine.TURBO, facts, reference_messages=False).results
    keys = {
        Engine.PYSHACL: Counter(result_key(r, messages=False) for r in reference),
        Engine.TURBO: Counter(result_key(r, messages=False) for r in raw),
    }
    hybrid = Counter(map(result_key, run_shacl(data, shapes, Engine.TURBO, facts).results))
    if hybrid != Counter(map(result_key, reference)):
        keys = {Engine.PYSHACL: Counter(map(result_key, reference)), Engine.TURBO: hybrid}
    problems = [
        f"{tier}: only {engine.value}: {key}"
        for engine, other in ((Engine.TURBO, Engine.PYSHACL), (Engine.PYSHACL, Engine.TURBO))
        for key in (keys[engine] - keys[other])
    ]
    findings = {
        engine: [
            f.to_dict() for f in validate_graph(data, base_iri, None, tier, engine=engine).findings
        ]
        for engine in Engine
    }
    if findings[Engine.TURBO] != findings[Engine.PYSHACL]:
        problems.append(f"{tier}: findings differ")
    return problems


def _drop(graph: Graph, rng: random.Random) -> None:
    graph.remove(rng.choice(sorted(graph)))


def _second_value(graph: Graph, rng: random.Random) -> None:
    s, p, o = rng.choice(sorted(t for t in graph if t[1] != RDF.type))
    graph.add((s, p, Literal(f"{o} again") if isinstance(o, Literal) else URIRef(f"{o}-again")))


def _unknown_predicate(graph: Graph, rng: random.Random) -> None:
    subject = rng.choice(sorted({s for s in graph.subjects() if isinstance(s, URIRef)}))
    graph.add((subject, URIRef(VOCAB + "notInTheModel"), Literal("x")))


def _retype_literal(graph: Graph, rng: random.Random) -> None:
    literals = sorted(t for t in graph if isinstance(t[2], Literal))
    s, p, o = rng.choice(literals)
    graph.remove((s, p, o))
    choice = rng.choice(
        [
            Literal("not a number", datatype=XSD.integer),
            Literal(str(o)),
            Literal("-5", datatype=XSD.integer),
            Literal("2020-13-45", datatype=XSD.date),
            Literal(f"{o} ", lang="en"),
        ]
    )
    graph.add((s, p, choice))


def _literal_for_node(graph: Graph, rng: random.Random) -> None:
    links = sorted(t for t in graph if isinstance(t[2], URIRef) and t[1] != RDF.type)
    s, p, o = rng.choice(links)
    graph.remove((s, p, o))
    graph.add((s, p, Literal(str(o))))


def _foreign_iri(graph: Graph, rng: random.Random) -> None:
    links = sorted(t for t in graph if isinstance(t[2], URIRef) and t[1] != RDF.type)
    s, p, o = rng.choice(links)
    graph.remove((s, p, o))
    graph.add((s, p, URIRef(f"http://example.org/elsewhere/{rng.randrange(1000)}")))


def _wrong_class(graph: Graph, rng: random.Random) -> None:
    typed = sorted(t for t in graph.triples((None, RDF.type, None)))
    s, p, o = rng.choice(typed)
    graph.remove((s, p, o))
    graph.add((s, p, URIRef(VOCAB + rng.choice(["Dataset", "Person", "Project", "Unknown"]))))


MUTATIONS: tuple[Callable[[Graph, random.Random], None], ...] = (
    _drop,
    _second_value,
    _unknown_predicate,
    _retype_literal,
    _literal_for_node,
    _foreign_iri,
    _wrong_class,
)


def with_defects(graph: Graph, rng: random.Random, count: int = 3) -> Graph:
    """A copy of `graph` with `count` seeded mutations."""
    out = Graph()
    out += graph
    for _ in range(count):
        rng.choice(MUTATIONS)(out, rng)
    return out
