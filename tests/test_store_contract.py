"""One contract for every Store implementation: the embedded store and real SPARQL servers.

Each backend is a real engine: pyoxigraph on disk, the `oxigraph` server (PyPI) started here,
and Virtuoso (Debian's virtuoso-opensource) started here when installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg_service.pipeline import submit
from kg_service.store import OxigraphStore, Store, UserQueryError
from kg_service.store.sparql_store import (
    CHANGES_GRAPH,
    SparqlEndpoints,
    SparqlHttpStore,
    bind,
    sparql_term,
)
from tests.conftest import BASE, EXAMPLE_SSBD
from tests.servers import free_port, oxigraph_server, start_virtuoso, virtuoso_available

G1 = "http://kg.test/graph/a"
G2 = "http://kg.test/graph/b"
S = URIRef("http://kg.test/s")
P = URIRef("http://kg.test/p")


def oxigraph_store(tmp: Path) -> Iterator[Store]:
    for root in oxigraph_server(tmp / "ox"):
        store = SparqlHttpStore(SparqlEndpoints(f"{root}/query", f"{root}/update", f"{root}/store"))
        yield store
        store.close()


BACKENDS = ["embedded", "oxigraph-server", "virtuoso"]


@pytest.fixture(params=BACKENDS)
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "embedded":
        store = OxigraphStore(tmp_path / "store")
        yield store
        store.close()
    elif request.param == "oxigraph-server":
        yield from oxigraph_store(tmp_path)
    else:
        if not virtuoso_available():
            if os.environ.get("CI"):
                pytest.fail("CI must have Virtuoso: make install-dev installs it with apt-get")
            pytest.skip("virtuoso-t not installed (make install-dev installs it where apt works)")
        yield from start_virtuoso(tmp_path)


def quads(store: Store) -> set[tuple[str, str, str, str]]:
    return {
        (str(s), str(p), str(o), g)
        for g in store.graph_names()
        if (g.startswith("http://kg.test/") or g.startswith("urn:kg-service"))
        and g != CHANGES_GRAPH  # write stamps: new on every write by design
        for s, p, o in store.triples(g)
    }


def test_replace_is_per_graph(any_store: Store) -> None:
    any_store.replace_graph(G1, [(S, P, Literal("old"))])
    any_store.replace_graph(G2, [(S, P, Literal("other"))])
    any_store.replace_graph(G1, [(S, P, Literal("new"))])
    assert any_store.triples(G1) == [(S, P, Literal("new"))]
    assert any_store.triples(G2) == [(S, P, Literal("other"))]
    rows = any_store.select(
        "SELECT ?o WHERE { <http://kg.test/s> <http://kg.test/p> ?o } ORDER BY ?o"
    )
    assert [str(r["o"]) for r in rows] == ["new", "other"]  # default graph = union


def test_bound_values_select_exactly(any_store: Store) -> None:
    any_store.replace_graph(G1, [(S, P, Literal("x")), (S, P, Literal('y" } #'))])
    query = "SELECT ?s ?o WHERE { ?s <http://kg.test/p> ?o }"
    assert len(any_store.select(query, {"o": Literal("x")})) == 1
    assert len(any_store.select(query, {"o": Literal('y" } #')})) == 1
    assert any_store.select(query, {"o": Literal("z")}) == []


def test_demo_submission_round_trip(any_store: Store) -> None:
    report = submit([EXAMPLE_SSBD], any_store, BASE)
    assert report.stored
    project = report.projects[0]
    stored = Graph()
    for triple in any_store.triples(project.graph_iri):
        stored.add(triple)
    assert isomorphic(stored, project.graph)
    assert len([g for g in any_store.graph_names() if g.startswith(BASE + "graph/")]) == 7
    before = quads(any_store)
    submit([EXAMPLE_SSBD], any_store, BASE)
    assert quads(any_store) == before  # loading twice changes nothing


def test_record_construct(any_store: Store) -> None:
    from kg_service.queries import service_query

    submit([EXAMPLE_SSBD], any_store, BASE)
    iri = URIRef(BASE + "datasets/ssbd-2-wt_N2_030303_01")
    triples = any_store.construct(service_query("record"), {"record": iri})
    subjects = {str(s) for s, _, _ in triples}
    assert str(iri) in subjects
    assert any(s.startswith(str(iri) + "/biosample") for s in subjects)
    assert all(s == str(iri) or s.startswith(str(iri) + "/") for s in subjects)


def test_delete_graph(any_store: Store) -> None:
    any_store.replace_graph(G1, [(S, P, Literal("x"))])
    assert any_store.delete_graph(G1) is True
    assert any_store.delete_graph(G1) is False
    assert G1 not in any_store.graph_names()


def test_syntax_errors_are_user_errors(any_store: Store) -> None:
    with pytest.raises(UserQueryError):
        any_store.select("SELEC ?x WHERE { ?x ?y ?z }")


def test_sparql_serialises_by_kind(any_store: Store) -> None:
    any_store.replace_graph(G1, [(S, P, Literal("x"))])
    select = any_store.sparql(
        "SELECT ?o WHERE { ?s ?p ?o }", "application/sparql-results+json", "text/turtle"
    )
    assert select.kind.value == "select" and b"bindings" in select.body
    ask = any_store.sparql("ASK { ?s ?p ?o }", "application/sparql-results+json", "text/turtle")
    assert ask.kind.value == "ask" and b"true" in ask.body
    graph = any_store.sparql(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "application/sparql-results+json",
        "application/n-triples",
    )
    assert graph.kind.value == "construct"
    parsed = Graph().parse(data=graph.body.decode(), format="nt")
    assert (S, P, Literal("x")) in parsed


def test_escaping_helper_refuses_breakout() -> None:
    with pytest.raises(ValueError):
        sparql_term(URIRef("http://x> } ; DROP ALL ; <http://y"))
    assert bind("SELECT ?a WHERE { ?a ?b ?c }", {"a": URIRef("http://x")}).startswith(
        "SELECT ?a WHERE { VALUES (?a) { (<http://x>) }"
    )


def test_unreachable_server_is_a_store_error() -> None:
    from kg_service.store import StoreError

    port = free_port()
    store = SparqlHttpStore(
        SparqlEndpoints(f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/update")
    )
    with pytest.raises(StoreError):
        store.graph_names()


def test_writes_reach_change_listeners(any_store: Store) -> None:
    """Caches and the search index follow the store: directly for the embedded store (one
    process owns it), through polled write stamps for a server shared by several processes."""
    seen: list[frozenset[str]] = []
    if isinstance(any_store, SparqlHttpStore):
        watcher = SparqlHttpStore(any_store.endpoints)  # a second API process, same server
        watcher.add_change_listener(seen.append)
        watcher.poll_changes()  # first poll remembers the current state
        any_store.replace_graph(G1, [(S, P, Literal("x"))])
        assert watcher.poll_changes() == frozenset({G1})
        assert watcher.poll_changes() == frozenset()  # nothing new since
        any_store.delete_graph(G1)
        assert watcher.poll_changes() == frozenset({G1})
        assert watcher.generation == 2
        watcher.close()
    else:
        assert isinstance(any_store, OxigraphStore)
        any_store.add_change_listener(seen.append)
        any_store.replace_graph(G1, [(S, P, Literal("x"))])
        any_store.delete_graph(G1)
    assert seen == [frozenset({G1}), frozenset({G1})]
