"""Which SHACL engine runs our shapes, with the shapes compiled once per process.

Why two engines: pyshacl is the reference implementation the team's shape tests were written
against, but on our shapes it spends ~9 ms per dataset, most of it in rdflib triple lookups
inside its per-shape Python objects, which it rebuilds from the shapes graph on every call
(profiled in issue 15). pyshacl-turbo runs the same SHACL Core semantics in Rust from shapes
compiled once, and gives the same report graph (focus nodes, paths, values, severities,
source shapes and messages) on every corpus file and on synthetic projects with injected
defects (tests/test_validation_engines.py; bench/bench_validate.py --differential runs the
full comparison). pyrudof was measured unfit (../shared/notes/perf.md: false positives on
xsd:nonNegativeInteger and 5 GiB at 10k datasets).

`KG_SHACL_ENGINE=pyshacl` switches the whole process back to the reference engine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from importlib.metadata import version as package_version
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace
from rdflib.term import Node

from kg_service.rdf_convert import from_ox, ntriples
from kg_service.validation.slice import Fact

ENGINE_VARIABLE = "KG_SHACL_ENGINE"
SH = Namespace("http://www.w3.org/ns/shacl#")
_SH = str(SH)
_RESULT = _SH + "result"


class Engine(StrEnum):
    """A SHACL implementation; both are called with inference off and warnings allowed."""

    TURBO = "pyshacl-turbo"
    PYSHACL = "pyshacl"


def default_engine() -> Engine:
    """The engine this process uses unless a caller names one (KG_SHACL_ENGINE)."""
    return Engine(os.environ.get(ENGINE_VARIABLE, Engine.TURBO.value))


def engine_label(engine: Engine | None = None) -> str:
    """Name and version, as recorded in submission history."""
    chosen = engine or default_engine()
    return f"{chosen.value} {package_version(chosen.value)}"


@dataclass(frozen=True)
class Result:
    """One top-level SHACL validation result, the fields our findings are made of."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str | None
    shape: Node | None
    severity: Node | None
    component: Node | None


class Outcome:
    """What one validation gave: conformance, top-level results, the report graph on demand.

    pyshacl-turbo hands back its report as N-Triples text; turning that into an rdflib graph
    cost more than validating (25 KB per 10-dataset project), so results are read from the
    text with pyoxigraph and the graph is only built when someone asks for it (the API).
    """

    def __init__(self, conforms: bool, results: list[Result], graph: Callable[[], Graph]) -> None:
        self.conforms = conforms
        self.results = results
        self._graph = graph
        self.data_ntriples: str | None = None  # the data as validated, when sent as text

    @cached_property
    def graph(self) -> Graph:
        return self._graph()


@cache
def _compiled(shapes: Graph) -> Any:
    """pyshacl-turbo's compiled program for one shapes graph (the graphs are cached too)."""
    from pyshacl_turbo import compile_shapes

    return compile_shapes(shapes, advanced=True)  # type: ignore[no-untyped-call]


def compile_shapes(shapes: Graph) -> None:
    """Compile `shapes` now, so worker processes pay it before their first project."""
    if default_engine() is Engine.TURBO:
        _compiled(shapes)


def run_shacl(
    data: Graph,
    shapes: Graph,
    engine: Engine | None = None,
    facts: Sequence[Fact] = (),
    *,
    reference_messages: bool = True,
) -> Outcome:
    """Validate `data` plus `facts` (an ontology slice) against `shapes`.

    `reference_messages=False` keeps pyshacl-turbo's own wording of default messages (the
    differential test compares everything else of its raw results).
    """
    chosen = engine or default_engine()
    if chosen is Engine.PYSHACL:
        from pyshacl import validate

        conforms, report, _text = validate(
            _merged(data, facts),
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
        assert isinstance(report, Graph)
        return Outcome(bool(conforms), graph_results(report), lambda: report)
    if any(isinstance(s, Literal) for s, _p, _o in facts):
        # a literal where an ORCID IRI belongs gets slice facts about the literal, which only
        # rdflib can hold (generalised RDF): the reference engine judges such a graph
        return run_shacl(data, shapes, Engine.PYSHACL, facts)
    outcome = _run_turbo(data, shapes, facts)
    if reference_messages and any(
        r.message not in declared_messages(shapes) for r in outcome.results
    ):
        # a shape without sh:message failed: the engines word their own messages differently,
        # so pyshacl (the reference) reports this graph; its verdict is the same (tested)
        text = outcome.data_ntriples
        outcome = run_shacl(data, shapes, Engine.PYSHACL, facts)
        outcome.data_ntriples = text
    return outcome


@cache
def declared_messages(shapes: Graph) -> frozenset[str]:
    """Every sh:message of a shapes graph: results carrying another one were worded by the
    engine itself."""
    return frozenset(str(message) for message in shapes.objects(None, SH.message))


def _run_turbo(data: Graph, shapes: Graph, facts: Sequence[Fact]) -> Outcome:
    data_text = ntriples(data)
    if _plain(data_text, facts):
        lines = "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in facts)
        try:
            outcome = _run_turbo_text(_compiled(shapes), data_text + lines)
        except ValueError:  # text a strict parser refuses (an IRI rdflib let through)
            pass
        else:
            outcome.data_ntriples = data_text
            return outcome
    # blank nodes (or a literal subject): the public API keeps their identity in the report
    conforms, report, _text = _compiled(shapes).validate(
        _merged(data, facts), inference="none", allow_warnings=True
    )
    return Outcome(bool(conforms), graph_results(report), lambda: report)


def _plain(data_text: str, facts: Sequence[Fact]) -> bool:
    """No blank node anywhere: then N-Triples text says it all.

    Looked for in the text (one scan in C) rather than term by term; a literal that merely
    contains "_:" takes the general path, which is slower but gives the same results.
    """
    if any(isinstance(s, BNode) or isinstance(o, BNode) for s, _p, o in facts):
        return False
    return "_:" not in data_text


def _run_turbo_text(program: Any, text: str) -> Outcome:
    """Validate N-Triples text with the compiled program; report read with pyoxigraph.

    This calls the program's native entry point with what its public `validate` passes for
    an N-Triples input (pyshacl-turbo 0.6): that skips re-parsing the report with rdflib.
    The differential test pins this to pyshacl's results, so a change in that call fails CI.
    """
    conforms, report, _text, _expanded, _warnings = program._native.validate(
        text, "nt", None, False, 100, 15, False, False, True, False, [], [], []
    )

    def graph() -> Graph:
        return Graph().parse(data=report, format="nt")

    return Outcome(bool(conforms), _text_results(report), graph)


def _text_results(report: str) -> list[Result]:
    nodes: dict[object, dict[str, object]] = {}
    roots = []
    for triple in ox.parse(report, format=ox.RdfFormat.N_TRIPLES):
        predicate = triple.predicate.value
        if predicate == _RESULT:
            roots.append(triple.object)
        elif predicate.startswith(_SH):
            nodes.setdefault(triple.subject, {})[predicate[len(_SH) :]] = triple.object
    return [_result({k: from_ox(v) for k, v in nodes.get(root, {}).items()}) for root in roots]


def graph_results(report: Graph) -> list[Result]:
    """Top-level results of a report graph (pyshacl also types nested sh:detail results)."""
    out = []
    for node in report.objects(None, SH.result):
        fields = {
            str(p)[len(_SH) :]: o
            for p, o in report.predicate_objects(node)
            if str(p).startswith(_SH)
        }
        out.append(_result(fields))
    return out


def _result(fields: dict[str, Any]) -> Result:
    message = fields.get("resultMessage")
    return Result(
        focus=fields["focusNode"],
        path=fields.get("resultPath"),
        value=fields.get("value"),
        message=str(message) if message is not None else None,
        shape=fields.get("sourceShape"),
        severity=fields.get("resultSeverity"),
        component=fields.get("sourceConstraintComponent"),
    )


def _merged(data: Graph, facts: Sequence[Fact]) -> Graph:
    """`data` plus `facts` in a graph pyshacl can take (it needs a context-aware store)."""
    if not facts and data.store.context_aware:
        return data
    target = Graph()
    target += data
    for fact in facts:
        target.add(fact)
    return target
