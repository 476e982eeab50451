"""The embedded store on disk: graph replacement, idempotence, atomicity, bound queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from kg_service.pipeline import submit
from kg_service.store import OxigraphStore, UserQueryError
from tests.conftest import BASE, EXAMPLE_SSBD

G1 = "http://kg.test/graph/a"
G2 = "http://kg.test/graph/b"
S = URIRef("http://kg.test/s")
P = URIRef("http://kg.test/p")


def all_quads(store: OxigraphStore) -> set[tuple[str, str, str, str]]:
    return {
        (str(s), str(p), str(o), graph)
        for graph in store.graph_names()
        for s, p, o in store.triples(graph)
    }


def test_replace_graph_replaces_only_that_graph(store: OxigraphStore) -> None:
    store.replace_graph(G1, [(S, P, Literal("old"))])
    store.replace_graph(G2, [(S, P, Literal("other"))])
    store.replace_graph(G1, [(S, P, Literal("new"))])
    assert store.triples(G1) == [(S, P, Literal("new"))]
    assert store.triples(G2) == [(S, P, Literal("other"))]
    rows = store.select("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")
    assert [str(r["o"]) for r in rows] == ["new", "other"]  # default graph is the union


def test_failed_multi_graph_replace_changes_nothing(store: OxigraphStore) -> None:
    store.replace_graph(G1, [(S, P, Literal("kept"))])
    before = all_quads(store)
    with pytest.raises(ValueError):
        store.replace_graphs({G1: [(S, P, Literal("lost"))], "not an iri": []})
    assert all_quads(store) == before


def test_loading_twice_gives_the_same_quads(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "s")
    try:
        submit([EXAMPLE_SSBD], store, BASE)
        first = all_quads(store)
        submit([EXAMPLE_SSBD], store, BASE)
        assert all_quads(store) == first
        assert len(store.graph_names()) == 8  # 7 projects + service metadata
    finally:
        store.close()


def test_store_persists_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "persist"
    store = OxigraphStore(path)
    store.replace_graph(G1, [(S, P, Literal("x"))])
    store.close()
    reopened = OxigraphStore(path)
    try:
        assert reopened.triples(G1) == [(S, P, Literal("x"))]
    finally:
        reopened.close()


def test_bindings_are_values_not_query_text(store: OxigraphStore) -> None:
    store.replace_graph(G1, [(S, P, Literal("x"))])
    hostile = Literal('x" } UNION { ?s ?p ?o } #')
    assert store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": hostile}) == []
    assert len(store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": Literal("x")})) == 1


def test_delete_graph(store: OxigraphStore) -> None:
    store.replace_graph(G1, [(S, P, Literal("x"))])
    assert store.delete_graph(G1) is True
    assert store.delete_graph(G1) is False
    assert store.graph_names() == []


def test_syntax_error_is_a_user_error(store: OxigraphStore) -> None:
    with pytest.raises(UserQueryError):
        store.select("SELEC ?x WHERE {}")


def test_names_that_are_not_iris_are_no_graphs(store: OxigraphStore) -> None:
    assert store.triples("urn:kg-service:history:%zz:v1") == []
    assert store.delete_graph("not an iri") is False
