"""Term index, term graphs, `terms update` over HTTP, reasoner check, synthetic data."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg_service.cli.main import main
from kg_service.search import Query, SearchIndex
from kg_service.store import OxigraphStore
from kg_service.synthetic import write_synthetic_nquads
from kg_service.terms.index import TermIndex, read_records, shipped_term_index
from kg_service.terms.ontology_check import check, default_files
from kg_service.terms.ops import load_term_graphs

OBO = "http://purl.obolibrary.org/obo/"
DATA = Path(__file__).parent / "data" / "ontologies"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C. elegans", "NCBITaxon_6239"),
        ("Caenorhabditis elegans", "NCBITaxon_6239"),
        ("worm", "NCBITaxon_6239"),
        ("NCBITaxon:6239", "NCBITaxon_6239"),
        ("ncbitaxon_6239", "NCBITaxon_6239"),
        ("GO:0000278", "GO_0000278"),
        ("confocal", "FBbi_00000251"),
        ("FBbi:00000251", "FBbi_00000251"),
        ("http://purl.obolibrary.org/obo/GO_0007049", "GO_0007049"),
    ],
)
def test_resolves_text_and_curie_variants(text: str, expected: str) -> None:
    assert shipped_term_index().resolve(text) == OBO + expected


def test_hierarchy_synonyms_obsolete_and_near_misses() -> None:
    index = shipped_term_index()
    assert f"{OBO}NCBITaxon_40674" in index.ancestors(f"{OBO}NCBITaxon_10090")
    assert f"{OBO}NCBITaxon_40674" not in index.ancestors(f"{OBO}NCBITaxon_6239")
    assert f"{OBO}GO_0000278" in index.descendants(f"{OBO}GO_0007049")
    assert (
        index.resolve("Confocal Laser Scanning Microscopy") == "http://id.nlm.nih.gov/mesh/D018613"
    )
    assert index.terms[f"{OBO}GO_0000278"].namespace == "biological_process"
    obsolete = [t for t in index.terms.values() if t.obsolete and t.replaced_by]
    assert obsolete and all(t.replaced_by in index.terms for t in obsolete[:50])
    assert index.suggest("Caenorhabditis elegan")[0].curie == "NCBITaxon:6239"
    assert index.resolve("no such organism at all") is None


def test_term_graphs_support_sparql_hierarchy_joins(store: OxigraphStore) -> None:
    counts = load_term_graphs(store, TermIndex.load(["fbbi"]), ["fbbi"])
    assert counts["fbbi"] > 600
    rows = store.select(
        """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?m rdfs:subClassOf* <http://purl.obolibrary.org/obo/FBbi_00000246> ;
                              rdfs:label ?label }"""
    )
    assert "confocal microscopy" in {str(r["label"]) for r in rows}


@pytest.fixture
def http_folder() -> Iterator[str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(DATA))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_terms_update_downloads_and_rebuilds(http_folder: str, tmp_path: Path) -> None:
    code = main(
        ["terms", "update", "--only", "fbbi", "--out", str(tmp_path),
         "--url-template", http_folder + "/{file}"]
    )  # fmt: skip
    assert code == 0
    ids = {r["id"] for r in read_records(tmp_path / "fbbi.jsonl.gz")}
    assert "FBbi:00000251" in ids and len(ids) > 600
    missing = ["terms", "update", "--only", "go", "--out", str(tmp_path)]
    assert main([*missing, "--url-template", http_folder + "/missing/{file}"]) == 1


def test_ontology_check_passes_and_catches_unsatisfiable() -> None:
    assert check(default_files()).ok
    bad = Graph()
    a, b, c = (URIRef(f"https://example.org/{x}") for x in "ABC")
    for cls in (a, b, c):
        bad.add((cls, RDF.type, OWL.Class))
    bad.add((a, RDFS.subClassOf, b))
    bad.add((a, RDFS.subClassOf, c))
    bad.add((b, OWL.disjointWith, c))
    result = check(default_files(), bad)
    assert not result.ok and str(a) in result.unsatisfiable


def test_synthetic_corpus_is_deterministic_and_indexable(tmp_path: Path) -> None:
    first, second = tmp_path / "a.nq", tmp_path / "b.nq"
    quads = write_synthetic_nquads(first, 40, "http://kg.test/", seed=3)
    write_synthetic_nquads(second, 40, "http://kg.test/", seed=3)
    assert first.read_bytes() == second.read_bytes()
    assert 40 * 45 < quads < 40 * 60
    store = OxigraphStore(tmp_path / "store")
    store._store.load(path=str(first), format=ox.RdfFormat.N_QUADS)  # bulk path for speed
    assert len(store.graph_names()) == 5  # 4 projects + the meta graph
    index = SearchIndex(shipped_term_index(), "http://kg.test/")
    index.build(store)
    answer = index.search(Query())
    assert answer["total"] == 40
    assert answer["facets"]["organism"] and answer["facets"]["license"]
    store.close()
