"""Faceted search on the real SSBD demo data: expansion, rolled-up counts, API, refresh."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.pipeline import submit
from kg_service.search import Query, SearchError, SearchIndex
from kg_service.store import OxigraphStore
from kg_service.terms.index import shipped_term_index
from tests.conftest import BASE, EXAMPLE_SSBD

OBO = "http://purl.obolibrary.org/obo/"
MAMMALS = {f"{OBO}NCBITaxon_{t}" for t in (10090, 9606, 9615, 9483)}


@pytest.fixture(scope="module")
def index(demo_store: OxigraphStore) -> SearchIndex:
    built = SearchIndex(shipped_term_index(), BASE)
    built.build(demo_store)
    return built


def _organisms(index: SearchIndex, results: list[dict[str, str]]) -> set[str]:
    found: set[str] = set()
    for result in results:
        doc = index.docs[index.by_iri[result["url"]]]
        assert doc is not None
        found |= doc.values["organism"]
    return found


def _find(tree: list[dict[str, object]], term: str) -> dict[str, object] | None:
    for node in tree:
        if node["term"] == term:
            return node
        hit = _find(node["children"], term)  # type: ignore[arg-type]
        if hit:
            return hit
    return None


def test_mammalia_returns_exactly_the_mammal_datasets(index: SearchIndex) -> None:
    answer = index.search(Query(filters={"organism": [f"{OBO}NCBITaxon_40674"]}, size=200))
    assert answer["total"] == 61  # mouse 46 + human 12 + dog 2 + marmoset 1
    assert _organisms(index, answer["results"]) == MAMMALS


def test_fluorescence_microscopy_includes_confocal(index: SearchIndex) -> None:
    fluorescence = index.parse_value("imaging_method", "FBbi:00000246")
    answer = index.search(Query(filters={"imaging_method": [fluorescence]}, size=200))
    confocal = index.search(Query(filters={"imaging_method": [f"{OBO}FBbi_00000251"]}, size=200))
    assert confocal["total"] > 0
    assert {r["id"] for r in confocal["results"]} <= {r["id"] for r in answer["results"]}
    assert answer["total"] > confocal["total"]


def test_parent_count_is_distinct_datasets_not_sum_of_children(index: SearchIndex) -> None:
    facets = index.search(Query())["facets"]
    mammalia = _find(facets["organism"], "NCBITaxon:40674")
    assert mammalia is not None and mammalia["count"] == 61
    light = _find(facets["imaging_method"], "FBbi:00000345")  # light microscopy
    assert light is not None
    fluorescence = _find(facets["imaging_method"], "FBbi:00000246")
    assert fluorescence is not None
    # a dataset with two methods under one parent is counted once at the parent
    light_ids = index.search(Query(filters={"imaging_method": [f"{OBO}FBbi_00000345"]}, size=200))
    assert light["count"] == light_ids["total"]


def test_negation_keyword_and_stable_paging(index: SearchIndex) -> None:
    not_mouse = index.search(Query(exclude={"organism": [f"{OBO}NCBITaxon_10090"]}, size=200))
    assert not_mouse["total"] == 66 - 46
    worm = index.search(Query(q="worm"))
    assert worm["total"] == 3
    pages = [index.search(Query(sort="title", page=p, size=7))["results"] for p in (1, 2, 3)]
    ids = [r["id"] for page in pages for r in page]
    assert len(ids) == len(set(ids)) == 21
    again = index.search(Query(sort="title", page=2, size=7))["results"]
    assert again == pages[1]


def test_unknown_term_is_refused_with_suggestions(index: SearchIndex) -> None:
    with pytest.raises(SearchError) as error:
        index.parse_value("organism", "Caenorhabditis elegan")
    assert any("6239" in s for s in error.value.suggestions)


def test_refresh_follows_replace_and_delete(store: OxigraphStore) -> None:
    assert submit([EXAMPLE_SSBD], store, BASE).stored
    index = SearchIndex(shipped_term_index(), BASE)
    index.build(store)
    assert index.search(Query())["total"] == 66
    graph = f"{BASE}graph/ssbd-141"
    store.delete_graph(graph)
    index.refresh(store, [graph])
    assert index.search(Query())["total"] == 66 - 17
    assert index.search(Query(q="worm"))["total"] == 3  # the worms live in other projects
    assert sum(n["count"] for n in index.search(Query())["facets"]["source"]) == 66 - 17
    assert submit([EXAMPLE_SSBD], store, BASE).stored
    index.refresh(store, [graph])
    mammals = index.search(Query(filters={"organism": [f"{OBO}NCBITaxon_40674"]}))
    assert mammals["total"] == 61
    mammalia = _find(index.search(Query())["facets"]["organism"], "NCBITaxon:40674")
    assert mammalia is not None and mammalia["count"] == 61
    assert index.count_at_or_below(f"{OBO}NCBITaxon_40674") == 61


@pytest.fixture(scope="module")
def client(demo_store: OxigraphStore) -> Iterator[TestClient]:
    settings = Settings(base_iri=BASE, store_path=Path("unused"))
    with TestClient(create_app(settings, store=demo_store)) as test_client:
        yield test_client


def test_search_api(client: TestClient) -> None:
    answer = client.get("/search", params={"organism": "NCBITaxon:40674", "size": 5}).json()
    assert answer["total"] == 61 and len(answer["results"]) == 5
    assert set(answer["results"][0]) == {"id", "title", "url"}
    assert {"organism", "go", "imaging_method", "license", "year"} <= set(answer["facets"])
    both = client.get(
        "/search", params=[("organism", "NCBITaxon:9606"), ("organism", "NCBITaxon:9615")]
    ).json()
    assert both["total"] == 14
    bad = client.get("/search", params={"organism": "not a term ' } DROP ALL"})
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert client.get("/search", params={"colour": "red"}).status_code == 400
    assert client.get("/search", params={"facets": "none"}).json()["facets"] == {}
    limited = client.get("/search", params={"facets": "organism", "facet_limit": 2}).json()
    assert set(limited["facets"]) == {"organism"} and len(limited["facets"]["organism"]) == 1
    assert client.get("/search", params={"facet_limit": "many"}).status_code == 400


def test_terms_api(client: TestClient) -> None:
    found = client.get("/terms", params={"q": "worm"}).json()
    assert found["results"][0]["id"] == "NCBITaxon:6239"
    only_go = client.get("/terms", params={"q": "cell cycle", "ontology": "go"}).json()
    assert only_go["results"][0]["id"] == "GO:0007049"
    mammalia = client.get("/terms/NCBITaxon:40674").json()
    assert mammalia["label"] == "Mammalia" and mammalia["datasets"] == 61
    assert any(c["id"] == "NCBITaxon:32525" for c in mammalia["children"])  # Theria
    assert client.get("/terms/NCBITaxon:99999999999").status_code == 404


def _nodes(tree: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in tree:
        yield node
        yield from _nodes(node["children"])


def test_every_rolled_up_count_is_distinct_datasets(index: SearchIndex) -> None:
    """The roll-up with over-count corrections equals counting datasets node by node."""
    facets = index.search(Query(facet_limit=None))["facets"]
    for facet, tree in facets.items():
        for node in _nodes(tree):
            iri = index.terms.to_iri(node["term"]) or node["term"]
            expected = sum(
                1
                for doc in index.docs
                if doc is not None
                and any(
                    v == iri or iri in index.terms.ancestors(v) for v in doc.values.get(facet, ())
                )
            )
            assert node["count"] == expected, (facet, node["term"])


def test_facet_trees_are_trimmed_and_expandable(index: SearchIndex) -> None:
    trimmed = index.search(Query(facet_limit=3))["facets"]["organism"]
    assert len(list(_nodes(trimmed))) == 3
    cut = next(node for node in _nodes(trimmed) if node.get("more"))
    opened = index.search(Query(facet_limit=3, expand=[index.terms.to_iri(cut["term"]) or ""]))
    shown = next(n for n in _nodes(opened["facets"]["organism"]) if n["term"] == cut["term"])
    assert len(shown["children"]) == len(cut["children"]) + cut["more"]
    assert "more" not in shown
    shallow = index.search(Query(facet_depth=1, facet_limit=None))["facets"]["go"]
    assert shallow and all(not node["children"] for node in shallow)
    assert index.search(Query(facets=["year"]))["facets"].keys() == {"year"}


class ProtocolOnlyStore:
    """The store seen through the `Store` Protocol only (as a remote SPARQL store would be)."""

    def __init__(self, store: OxigraphStore) -> None:
        self.select = store.select


def test_index_read_through_sparql_equals_the_fast_path(
    index: SearchIndex, demo_store: OxigraphStore
) -> None:
    slow = SearchIndex(shipped_term_index(), BASE)
    slow.build(ProtocolOnlyStore(demo_store))  # type: ignore[arg-type]
    assert sorted(slow.by_iri) == sorted(index.by_iri)
    for iri, doc_id in index.by_iri.items():
        fast_doc, slow_doc = index.docs[doc_id], slow.docs[slow.by_iri[iri]]
        assert fast_doc is not None and slow_doc is not None
        assert (slow_doc.title, slow_doc.date, slow_doc.values, slow_doc.words) == (
            fast_doc.title,
            fast_doc.date,
            fast_doc.values,
            fast_doc.words,
        )


def test_a_slow_index_build_does_not_hold_up_the_service(demo_store: OxigraphStore) -> None:
    """While the index is (re)built in the background, search answers 503 with Retry-After,
    the rest of the service answers, and writes do not wait; then search catches up."""
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    index: SearchIndex = app.state.search_index
    client = TestClient(app)
    total = client.get("/search").json()["total"]
    with index._lock:  # the build below cannot start reading until this block ends
        index.build_in_background(demo_store)
        busy = client.get("/search")
        assert busy.status_code == 503 and busy.headers["retry-after"] == "10"
        assert client.get("/health").json()["search_index"] == "building"
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ask.status_code == 200 and ask.json()["boolean"] is True
        assert client.get("/").status_code == 200  # the home page leaves its counts out
        writer = threading.Thread(target=index.refresh, args=(demo_store, [f"{BASE}graph/x"]))
        writer.start()
        writer.join(timeout=10)
        assert not writer.is_alive()  # queued for after the build, not waiting for it
    assert index.ready.wait(60)
    assert client.get("/health").json()["search_index"] == "ready"
    assert client.get("/search").json()["total"] == total
    app.state.sparql.close()
