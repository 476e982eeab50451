"""Faceted search at scale: the search index against naive SPARQL on the same on-disk store.

Usage: .venv/bin/python bench/bench_search.py [N_DATASETS=100000] [WORKDIR]
(a WORKDIR that already holds a store loaded for the same N is reused: generating and
loading 100k datasets takes minutes).
Prints build times, then median/p95 (ms) for (a) two hierarchical facet filters plus all
facet counts and (b) a keyword-only page of 20, for the index and for SPARQL with
`rdfs:subClassOf*` over the term graphs, and their ratio.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg_service.search import Query, SearchIndex
from kg_service.store import OxigraphStore
from kg_service.synthetic import write_synthetic_nquads
from kg_service.terms.index import shipped_term_index
from kg_service.terms.ops import term_graph_iri, term_triples

BASE = "http://localhost:8000/"
OBO = "http://purl.obolibrary.org/obo/"
MAMMALIA, FLUORESCENCE = f"{OBO}NCBITaxon_40674", f"{OBO}FBbi_00000246"
NAIVE_FILTERED = """PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node (COUNT(DISTINCT ?d) AS ?n) WHERE {
  ?d kg:biosample/obo:RO_0002162/rdfs:subClassOf* obo:NCBITaxon_40674 .
  ?d kg:imageAcquisition/kg:imagingMethod/rdfs:subClassOf* obo:FBbi_00000246 .
  ?d kg:biosample/FACET_PATH ?v . ?v rdfs:subClassOf* ?node .
} GROUP BY ?node"""
FACET_PATHS = {
    "organism": "obo:RO_0002162",
    "go": "kg:goBiologicalProcess",
    "imaging_method": "^kg:biosample/kg:imageAcquisition/kg:imagingMethod",
}
NAIVE_KEYWORD = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX kg: <https://w3id.org/bioimage-kg/vocab/>
SELECT ?d ?title WHERE { ?d a kg:Dataset ; dcterms:title ?title .
  FILTER(CONTAINS(LCASE(?title), "confocal")) } ORDER BY ?title LIMIT 20"""


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def prepare(n: int, tmp: Path) -> None:
    """Generate the corpus, bulk load it with the term graphs and optimise the store."""
    marker = tmp / f"ready-{n}"
    if marker.exists():
        print(f"reusing the store loaded for {n} datasets in {tmp}")
        return
    start = time.perf_counter()
    quads = write_synthetic_nquads(tmp / "corpus.nq", n, BASE)
    print(f"generated {n} datasets, {quads} quads in {time.perf_counter() - start:.1f} s")
    terms = shipped_term_index()
    raw = ox.Store(str(tmp / "store"))
    start = time.perf_counter()
    raw.bulk_load(path=str(tmp / "corpus.nq"), format=ox.RdfFormat.N_QUADS)
    for name in ("ncbitaxon", "go", "fbbi"):
        graph = ox.NamedNode(term_graph_iri(name))
        raw.bulk_extend(
            ox.Quad(ox.NamedNode(str(s)), ox.NamedNode(str(p)), _ox(o), graph)
            for s, p, o in term_triples(terms, name)
        )
    raw.optimize()
    print(f"bulk load + optimize: {time.perf_counter() - start:.1f} s, {len(raw)} quads")
    raw.flush()
    del raw
    marker.touch()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    tmp = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="bench_search_"))
    tmp.mkdir(parents=True, exist_ok=True)
    prepare(n, tmp)
    terms = shipped_term_index()
    store = OxigraphStore(tmp / "store")
    index = SearchIndex(terms, BASE)
    start = time.perf_counter()
    index.build(store)
    index.derived()
    print(f"search index build: {time.perf_counter() - start:.1f} s")

    filtered = Query(  # facet trees trimmed to the default facet_limit
        filters={"organism": [MAMMALIA], "imaging_method": [FLUORESCENCE]}
    )
    keyword = Query(q="confocal", size=20)
    fast_f = timed(lambda: index.search(filtered), 30)
    fast_k = timed(lambda: index.search(keyword), 30)
    # every node of every facet tree in the answer (the default keeps the 100 largest)
    full = Query(filters=filtered.filters, facet_limit=None)
    fast_full = timed(lambda: index.search(full), 10)

    def naive_filtered() -> None:
        for path in FACET_PATHS.values():
            store.select(NAIVE_FILTERED.replace("FACET_PATH", path))

    slow_f = timed(naive_filtered, 3)
    slow_k = timed(lambda: store.select(NAIVE_KEYWORD), 5)
    print(f"{'case':<44}{'median ms':>10}{'p95 ms':>10}")
    for label, (med, p95) in (
        ("index: 2 hierarchical filters + all facets", fast_f),
        ("index: same, untrimmed facet trees", fast_full),
        ("naive SPARQL subClassOf*: same, 3 facets", slow_f),
        ("index: keyword page of 20", fast_k),
        ("naive SPARQL CONTAINS + ORDER BY", slow_k),
    ):
        print(f"{label:<44}{med:>10.1f}{p95:>10.1f}")
    print(f"ratio filtered (naive/index, median): x{slow_f[0] / fast_f[0]:.1f}")
    print(f"ratio keyword  (naive/index, median): x{slow_k[0] / fast_k[0]:.1f}")
    print(f"filtered p95 < 100 ms: {fast_f[1] < 100}; keyword p95 < 50 ms: {fast_k[1] < 50}")
    store.close()


def _ox(term: object) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.Literal(str(term))


if __name__ == "__main__":
    main()
