"""Search on the real SSBD demo data: expansion, exact rolled-up counts, keywords, the API,
refresh after writes, and the index on disk (reopened, not rebuilt; rebuilt when stale)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from kg_service.api import create_app
from kg_service.config import Settings
from kg_service.pipeline import submit
from kg_service.search import Query, SearchError, SearchIndex
from kg_service.search.engine import META, hit_mask, ords
from kg_service.search.lifecycle import open_index
from kg_service.search.reading import read_docs
from kg_service.search.text import split_query
from kg_service.store import OxigraphStore
from kg_service.terms.index import shipped_term_index
from tests.conftest import BASE, EXAMPLE_SSBD

OBO = "http://purl.obolibrary.org/obo/"
KG = "https://w3id.org/bioimage-kg/vocab/"
MAMMALS = {f"{OBO}NCBITaxon_{t}" for t in (10090, 9606, 9615, 9483)}


@pytest.fixture(scope="module")
def index(demo_store: OxigraphStore) -> SearchIndex:
    built = SearchIndex(shipped_term_index(), BASE)
    built.build(demo_store)
    return built


@pytest.fixture(scope="module")
def values(demo_store: OxigraphStore) -> dict[str, dict[str, set[str]]]:
    """Dataset IRI -> facet -> values, read from the store (the truth the index must match)."""
    return {iri: doc.values for iri, doc in read_docs(demo_store, None).items()}


def _ids(answer: dict[str, Any]) -> list[str]:
    return [r["id"] for r in answer["results"]]


def _find(tree: list[dict[str, Any]], term: str) -> dict[str, Any] | None:
    for node in tree:
        if node["term"] == term:
            return node
        hit = _find(node["children"], term)
        if hit:
            return hit
    return None


def _nodes(tree: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in tree:
        yield node
        yield from _nodes(node["children"])


def test_mammalia_returns_exactly_the_mammal_datasets(
    index: SearchIndex, values: dict[str, dict[str, set[str]]]
) -> None:
    answer = index.search(Query(filters={"organism": [f"{OBO}NCBITaxon_40674"]}, size=200))
    assert answer["total"] == 61  # mouse 46 + human 12 + dog 2 + marmoset 1
    found = {v for r in answer["results"] for v in values[r["url"]]["organism"]}
    assert found == MAMMALS


def test_fluorescence_microscopy_includes_confocal(index: SearchIndex) -> None:
    fluorescence = index.parse_value("imaging_method", "FBbi:00000246")
    answer = index.search(Query(filters={"imaging_method": [fluorescence]}, size=200))
    confocal = index.search(Query(filters={"imaging_method": [f"{OBO}FBbi_00000251"]}, size=200))
    assert confocal["total"] > 0
    assert set(_ids(confocal)) <= set(_ids(answer))
    assert answer["total"] > confocal["total"]


def test_every_rolled_up_count_is_distinct_datasets(
    index: SearchIndex, values: dict[str, dict[str, set[str]]]
) -> None:
    """The roll-up with over-count corrections equals counting datasets node by node, with
    and without a selection (a keyword and a filter)."""
    terms = index.terms
    for query in (Query(facet_limit=None), Query(q="mouse brain", facet_limit=None, words=True)):
        answer = index.search(query)
        selected = (
            set(values)
            if not query.q
            else {r["url"] for r in index.search(Query(q=query.q, size=200, words=True))["results"]}
        )
        for facet, tree in answer["facets"].items():
            for node in _nodes(tree):
                iri = terms.to_iri(node["term"]) or node["term"]
                expected = sum(
                    1
                    for dataset in selected
                    if any(
                        v == iri or iri in terms.ancestors(v)
                        for v in values[dataset].get(facet, ())
                    )
                )
                assert node["count"] == expected, (query.q, facet, node["term"])


def test_parent_count_is_distinct_datasets_not_sum_of_children(index: SearchIndex) -> None:
    facets = index.search(Query())["facets"]
    mammalia = _find(facets["organism"], "NCBITaxon:40674")
    assert mammalia is not None and mammalia["count"] == 61
    light = _find(facets["imaging_method"], "FBbi:00000345")  # light microscopy
    assert light is not None
    light_ids = index.search(Query(filters={"imaging_method": [f"{OBO}FBbi_00000345"]}, size=200))
    assert light["count"] == light_ids["total"]


def test_negation_keyword_and_stable_paging(index: SearchIndex) -> None:
    not_mouse = index.search(Query(exclude={"organism": [f"{OBO}NCBITaxon_10090"]}, size=200))
    assert not_mouse["total"] == 66 - 46
    assert index.search(Query(q="worm"))["total"] == 3
    pages = [index.search(Query(sort="title", page=p, size=7))["results"] for p in (1, 2, 3)]
    ids = [r["id"] for page in pages for r in page]
    assert len(ids) == len(set(ids)) == 21
    assert index.search(Query(sort="title", page=2, size=7))["results"] == pages[1]
    titles = [r["title"].casefold() for page in pages for r in page]
    assert titles == sorted(titles)


def test_keyword_word_forms_hyphens_typos_prefixes_and_phrases(index: SearchIndex) -> None:
    def total(q: str) -> int:
        return int(index.search(Query(q=q, words=True, facets=[]))["total"])

    assert total("embryo") == total("embryos") > 0  # stemming
    assert total("timelapse") == total("time-lapse") > 0  # hyphenated or joined
    assert total("mitochondral") == total("mitochondrial") > 0  # typos in 5+ letter words
    assert 0 < total("fluorescense") <= total("fluorescence")  # (not via ancestor names)
    assert total("brian") == total("brain") > 0  # a swap of two letters is one typo
    assert total("bran ") == 0  # ... but words under 5 letters must be right
    assert total("embr") >= total("embryo")  # the word being typed completes as a prefix
    assert total("embr ") == 0  # ... not once a space follows it
    assert 0 < total('"mouse brain"') < total("mouse brain")  # a phrase, then any order
    assert total("mouse -brain") == total("mouse") - total("mouse brain")


def test_title_ranks_above_description(index: SearchIndex) -> None:
    """Field boosts: datasets naming the word in their title come before those that have it
    only in their description, their project's text or their terms' names."""
    for word in ("brain", "membrane", "dynamics", "cells"):
        answer = index.search(Query(q=word, words=True, size=200, facets=[]))
        in_title = [word[:4] in r["title"].lower() for r in answer["results"]]
        assert in_title[0] and not in_title[-1], word
        assert in_title == sorted(in_title, reverse=True), word


def test_term_ids_and_names_in_q_become_filters(index: SearchIndex) -> None:
    by_id = index.search(Query(q="NCBITaxon:6239"))
    assert by_id["interpreted"] == {"q": "", "filters": {"organism": ["NCBITaxon:6239"]}}
    by_iri = index.search(Query(q=f"{OBO}NCBITaxon_6239"))
    by_name = index.search(Query(q="Caenorhabditis elegans"))
    assert _ids(by_id) and set(_ids(by_id)) == set(_ids(by_iri)) == set(_ids(by_name))
    mammals = index.search(Query(q="Mammalia"))
    assert mammals["total"] == 61
    # as words, through the names of the organisms' ancestors (ranked below own names)
    assert index.search(Query(q="Mammalia", words=True))["total"] == 61
    with_words = index.search(Query(q="GO:0009790 F58B6.3", size=50))
    assert with_words["interpreted"]["q"] == "F58B6.3"
    assert 0 < with_words["total"] < index.search(Query(q="GO:0009790"))["total"]


def test_unknown_term_is_refused_with_suggestions(index: SearchIndex) -> None:
    with pytest.raises(SearchError) as error:
        index.parse_value("organism", "Caenorhabditis elegan")
    assert any("6239" in s for s in error.value.suggestions)


def test_the_page_is_the_selection_the_counts_describe(index: SearchIndex) -> None:
    """Totals come from the facet arrays, pages from the engine: both select the same."""
    cases = [
        Query(q="mouse", words=True, filters={"imaging_method": [f"{OBO}FBbi_00000246"]}),
        Query(filters={"organism": [f"{OBO}NCBITaxon_40674"]}, exclude={"kind": [f"{KG}x"]}),
        Query(q="images -brain", words=True, exclude={"organism": [f"{OBO}NCBITaxon_9606"]}),
    ]
    for query in cases:
        query.size = 200
        for sort in ("relevance", "date", "title"):
            query.sort = sort
            answer = index.search(query)
            assert len(answer["results"]) == answer["total"] > 0, (query, sort)


def test_the_words_mask_is_the_same_read_from_either_side(index: SearchIndex) -> None:
    """The words' mask is read from the hits or, for most of the index, from the rest."""
    snap = index.snapshot()
    shares = []
    for q in ("mouse", "images", "worm", "embryo -brain", "zzzzq"):
        keyword = index.queries.build(split_query(q))
        assert keyword is not None
        expected = np.zeros(snap.facts.n, dtype=bool)
        expected[ords(snap.searcher, keyword)] = True
        for share in (0.0, 1.0, None):
            found = hit_mask(snap.searcher, keyword, snap.facts.n, share) & snap.facts.live
            assert np.array_equal(found, expected), (q, share)
        counted = index.search(Query(q=q, words=True))["total"]
        assert (
            counted
            == int(expected.sum())
            == index.search(Query(q=q, words=True, facets=[]))["total"]
        )
        shares.append(expected.sum() / snap.facts.live.sum())
    assert max(shares) > 0.5 and min(shares) == 0  # both sides were read


def test_kept_trees_are_the_trees_of_their_selection(index: SearchIndex) -> None:
    """Trees are kept per selection: each query, asked again after the others, gets the
    trees it gets on an empty cache (words, filters, exclusions and shape all count)."""
    mouse, human = f"{OBO}NCBITaxon_10090", f"{OBO}NCBITaxon_9606"
    queries = [
        Query(q="mouse", words=True),
        Query(q="images", words=True),
        Query(filters={"organism": [mouse]}),
        Query(filters={"organism": [human]}),
        Query(filters={"organism": [mouse], "imaging_method": [f"{OBO}FBbi_00000246"]}),
        Query(exclude={"organism": [mouse]}),
        Query(q="mouse", words=True, facet_limit=3),
        Query(),
    ]
    fresh = []
    for query in queries:
        index.snapshot().forget()
        fresh.append(index.search(query)["facets"])
    for _ in range(2):
        for query, facets in zip(queries, fresh, strict=True):
            assert index.search(query)["facets"] == facets, query
    assert fresh[2]["imaging_method"] != fresh[3]["imaging_method"]


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
    assert index.search(Query(q="FIB-SEM", words=True))["total"] == 0
    assert sum(n["count"] for n in index.search(Query())["facets"]["source"]) == 66 - 17
    assert submit([EXAMPLE_SSBD], store, BASE).stored
    index.refresh(store, [graph])
    mammals = index.search(Query(filters={"organism": [f"{OBO}NCBITaxon_40674"]}))
    assert mammals["total"] == 61
    mammalia = _find(index.search(Query())["facets"]["organism"], "NCBITaxon:40674")
    assert mammalia is not None and mammalia["count"] == 61
    assert index.count_at_or_below(f"{OBO}NCBITaxon_40674") == 61
    assert index.search(Query(q="FIB-SEM", words=True))["total"] == 17


def _tiny_project(store: OxigraphStore, name: str, title: str, go: str) -> str:
    """One dataset annotated with one GO term, written straight into its own graph."""
    graph, dataset = f"{BASE}graph/{name}", URIRef(f"{BASE}datasets/{name}")
    sample = URIRef(f"{dataset}/biosample/1")
    store.replace_graph(
        graph,
        [
            (dataset, RDF.type, URIRef(f"{KG}Dataset")),
            (dataset, DCTERMS.title, Literal(title)),
            (dataset, URIRef(f"{KG}biosample"), sample),
            (sample, URIRef(f"{KG}goBiologicalProcess"), URIRef(f"{OBO}{go}")),
        ],
    )
    return graph


def test_synonyms_of_the_shipped_ontologies_match(store: OxigraphStore) -> None:
    """'mitosis' finds a dataset annotated "mitotic cell cycle" (GO synonym), as a filter
    and as a word; 'cell cycle' finds it through the term's ancestors."""
    graph = _tiny_project(store, "spindle", "Spindle assembly in one-cell embryos", "GO_0000278")
    index = SearchIndex(shipped_term_index(), BASE)
    index.build(store)
    as_filter = index.search(Query(q="mitosis"))
    assert as_filter["interpreted"]["filters"] == {"go": ["GO:0000278"]}
    assert _ids(as_filter) == ["datasets/spindle"]
    assert _ids(index.search(Query(q="mitosis", words=True))) == ["datasets/spindle"]
    assert _ids(index.search(Query(q="mitotic", words=True))) == ["datasets/spindle"]
    assert _ids(index.search(Query(q='"cell cycle"', words=True))) == ["datasets/spindle"]
    store.delete_graph(graph)
    index.refresh(store, [graph])
    assert index.search(Query(q="mitosis"))["total"] == 0


# --- the index on disk ------------------------------------------------------------------------


def test_index_on_disk_reopens_without_rebuilding(store: OxigraphStore, tmp_path: Path) -> None:
    assert submit([EXAMPLE_SSBD], store, BASE).stored
    folder = tmp_path / "index"
    first = SearchIndex(shipped_term_index(), BASE, folder)
    first.build(store)
    expected = first.search(Query(q="mouse brain", size=50))
    first.close()
    assert (folder / META).is_file()

    again = SearchIndex(shipped_term_index(), BASE, folder)
    assert again.usable and again.state == "ready"  # nothing to build
    assert again.search(Query(q="mouse brain", size=50)) == expected
    graph = _tiny_project(store, "spindle", "Spindle assembly in one-cell embryos", "GO_0000278")
    again.refresh(store, [graph])
    again.close()

    third = SearchIndex(shipped_term_index(), BASE, folder)
    assert _ids(third.search(Query(q="spindle"))) == ["datasets/spindle"]
    assert third.search(Query())["total"] == 67
    third.close()


def test_a_cleanly_closed_index_is_served_at_start_without_a_rebuild(
    store: OxigraphStore, tmp_path: Path
) -> None:
    """The server claims the writer before `start` (open_index): that must not make the
    index it finds look unclean (which rebuilt it in the background at every start)."""
    assert submit([EXAMPLE_SSBD], store, BASE).stored
    settings = Settings(store_path=None, base_iri=BASE, search_index_path=tmp_path / "index")
    first = open_index(settings, shipped_term_index(), settings.search_index_path)
    first.start(store)
    assert first.ready.wait(60) and first.engine.path is not None
    first.close()
    again = open_index(settings, shipped_term_index(), settings.search_index_path)
    again.start(store)
    assert again.reopened and not again.rebuilding
    assert again.search(Query())["total"] == first.search(Query())["total"] > 0
    again.close()


def test_a_stale_or_foreign_index_is_rebuilt(store: OxigraphStore, tmp_path: Path) -> None:
    """An index whose writer died is served and rebuilt in the background; one made from
    other tables is not used at all."""
    assert submit([EXAMPLE_SSBD], store, BASE).stored
    folder = tmp_path / "index"
    first = SearchIndex(shipped_term_index(), BASE, folder)
    first.build(store)
    first.engine.save_meta(clean=False)  # as if the process had been killed
    del first
    crashed = SearchIndex(shipped_term_index(), BASE, folder)
    crashed.start(store)
    assert crashed.state == "ready" and crashed.rebuilding
    assert crashed.search(Query())["total"] == 66  # served while it rebuilds
    assert crashed._thread is not None
    crashed._thread.join(60)
    assert not crashed.rebuilding
    crashed.close()

    crashed.engine.save_meta(fingerprint="other tables")
    foreign = SearchIndex(shipped_term_index(), BASE, folder)
    assert not foreign.usable and foreign.state == "building"
    foreign.start(store)
    assert foreign.ready.wait(60) and foreign.search(Query())["total"] == 66
    foreign.close()


def test_index_read_through_sparql_equals_the_fast_path(demo_store: OxigraphStore) -> None:
    class ProtocolOnlyStore:
        """The store seen through the `Store` Protocol only (as a remote store would be)."""

        def __init__(self, store: OxigraphStore) -> None:
            self.select = store.select

    fast = read_docs(demo_store, None)
    slow = read_docs(ProtocolOnlyStore(demo_store), None)  # type: ignore[arg-type]
    assert fast == slow and len(fast) == 66


# --- through the API --------------------------------------------------------------------------


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


def test_search_api_reads_terms_in_q(client: TestClient) -> None:
    by_id = client.get("/search", params={"q": "GO:0009790", "facets": "none"}).json()
    assert by_id["interpreted"] == {"q": "", "filters": {"go": ["GO:0009790"]}}
    assert by_id["total"] == 3
    words = client.get("/search", params={"q": "GO:0009790", "words": "1"}).json()
    assert "interpreted" not in words and words["total"] == 0
    for q in ('"unbalanced', "-", "---", "*", '""', "a:b:c", "(", "x" * 300):
        assert client.get("/search", params={"q": q}).status_code == 200, q


def test_terms_api(client: TestClient) -> None:
    found = client.get("/terms", params={"q": "worm"}).json()
    assert found["results"][0]["id"] == "NCBITaxon:6239"
    only_go = client.get("/terms", params={"q": "cell cycle", "ontology": "go"}).json()
    assert only_go["results"][0]["id"] == "GO:0007049"
    mammalia = client.get("/terms/NCBITaxon:40674").json()
    assert mammalia["label"] == "Mammalia" and mammalia["datasets"] == 61
    assert any(c["id"] == "NCBITaxon:32525" for c in mammalia["children"])  # Theria
    assert client.get("/terms/NCBITaxon:99999999999").status_code == 404


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


def test_a_first_build_does_not_hold_up_the_service(demo_store: OxigraphStore) -> None:
    """While a first index is built in the background, search answers 503 with Retry-After,
    the rest of the service answers, and writes do not wait; then search catches up."""
    app = create_app(Settings(store_path=None, base_iri=BASE), store=demo_store)
    index: SearchIndex = app.state.search_index
    client = TestClient(app)
    total = client.get("/search").json()["total"]
    index.engine.save_meta(fingerprint="older tables")  # its documents no longer count
    with index._write:  # the build below cannot start reading until this block ends
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


def test_rolled_up_counts_are_exact_when_values_share_ancestors() -> None:
    """Datasets with up to four GO terms from one branch (so they share many ancestors), and
    random selections: every node's count equals the distinct datasets counted one by one."""
    import random

    import numpy as np

    from kg_service.search.facets import Pairs, facet_data

    terms = shipped_term_index()
    rng = random.Random(7)
    pool = sorted(terms.descendants(f"{OBO}GO_0007049"))[:300]  # below "cell cycle"
    values = [rng.sample(pool, rng.choice((1, 2, 2, 3, 4))) for _ in range(400)]
    docs = [d for d, vs in enumerate(values) for _ in vs]
    pairs = Pairs().extended(docs, [v for vs in values for v in vs])
    live = np.array([rng.random() < 0.9 for _ in values])  # some datasets were deleted
    data = facet_data(pairs, terms, True, len(values), live=live)
    assert data.n_keys > 0  # the case under test: value sets that over-count
    # sparse selections are read dataset by dataset, dense ones over every pair, and those
    # over half of the live datasets as the whole minus the rest: all must agree
    for share in (0.02, 0.08, 0.3, 0.6, 0.95, 1.0):
        selection = live & np.array([rng.random() < share for _ in values])
        counts = data.counts(selection)
        for node, name in enumerate(data.names):
            expected = sum(
                1
                for d, vs in enumerate(values)
                if selection[d] and any(v == name or name in terms.ancestors(v) for v in vs)
            )
            assert counts[node] == expected, (share, name)
    # pairs in any order (the engine hands them back value by value) count the same
    order = np.array(rng.sample(range(pairs.doc.size), pairs.doc.size))
    shuffled = Pairs(pairs.names, pairs.ids, pairs.doc[order], pairs.value[order])
    again = facet_data(shuffled, terms, True, len(values), live=live)
    assert (again.counts(selection) == counts).all()


def test_terms_under_each_other_count_once_and_make_a_tree() -> None:
    """MeSH puts Strabismus and Ocular Motility Disorders each under the other: walking up
    must end, neither is its own ancestor, and the facet tree and its counts stay sound."""
    import numpy as np

    from kg_service.search.facets import Pairs, TreeShape, facet_data

    terms = shipped_term_index()
    mesh = "http://id.nlm.nih.gov/mesh/"
    strabismus, motility = f"{mesh}D013285", f"{mesh}D015835"
    assert motility in terms.ancestors(strabismus) and strabismus in terms.ancestors(motility)
    assert strabismus not in terms.ancestors(strabismus)
    values = [[strabismus], [motility], [strabismus, motility]]
    docs = [d for d, vs in enumerate(values) for _ in vs]
    pairs = Pairs().extended(docs, [v for vs in values for v in vs])
    data = facet_data(pairs, terms, True, len(values))
    counts = data.counts(np.ones(len(values), dtype=bool))
    assert counts[data.ids[strabismus]] == 3 and counts[data.ids[motility]] == 3
    tree = data.tree(terms, counts, TreeShape(limit=None, expand=(strabismus, motility)))
    shown = []
    stack = list(tree)
    while stack:
        entry = stack.pop()
        shown.append(entry["term"])
        stack.extend(entry["children"])
    assert terms.curie(strabismus) in shown and terms.curie(motility) in shown
