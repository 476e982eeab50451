"""Search at scale: the tantivy-backed index against the in-memory index it replaced.

Usage: .venv/bin/python bench/bench_search.py [N ...] [--workdir DIR] [--runs R] [--before REF]
(default N = 100000; DIR defaults to .cache/bench, git-ignored; a store loaded for N there
is reused, since generating and loading 1,000,000 datasets takes many minutes). With
`--before REF`, the package as it was at commit REF also runs the new index's cases, on the
same index folder, in the same run: a before/after of a change to the package.

Both indexes run in the same run on the same store, each in its own process (so their
memory can be measured), on the same rotated queries:
  keyword   one or two words (a page of 20 and every facet counted over the hits),
  filters   two hierarchical filters (organism x imaging method) + all facet trees,
  combined  both at once.
The baseline is the search module as it was before issue 14 (read from git, commit
BASELINE), which rebuilds its index in memory at every start. Caches that would answer a
repeated query (its per-word cache, unfiltered trees) are emptied before each timed query.
Also printed: build time, disk and RAM size, start-up to ready (a fresh process: imports,
term index, open, facet arrays), and how long a write takes to become searchable.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path
from types import ModuleType
from typing import Any

STARTED = time.perf_counter()

import pyoxigraph as ox  # noqa: E402
from rdflib import Literal, URIRef  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BASELINE = "0071f83"  # the last commit with the in-memory search module (src/kg_service/search.py)
BASE = "http://localhost:8000/"
OBO = "http://purl.obolibrary.org/obo/"
TAXA = ["40674", "7742", "2759", "10090", "117571", "33208"]  # Mammalia ... Metazoa
METHODS = ["00000246", "00000251", "00000345", "00000243", "00000369", "00000222"]
FILTERS = [
    {"organism": [f"{OBO}NCBITaxon_{t}"], "imaging_method": [f"{OBO}FBbi_{m}"]}
    for t, m in zip(TAXA, METHODS, strict=True)
]
KEYWORDS = [
    "embryos",
    "migration",
    "confocal microscopy",
    "nuclei tracking",
    "Danio rerio",
    "membrane dynamics",
    "segmentation",
    "fluorescent reporter",
    "mutant",
    "knockdown expression",
    "Drosophila",
    "volume",
]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def folder_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def timed(fn: Callable[[int], object], runs: int) -> dict[str, float]:
    fn(0)  # warm-up (first touch of the arrays and the engine's files)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i + 1)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return {"median": statistics.median(samples), "p95": p95}


# --- preparing the store ----------------------------------------------------------------------


def prepare(n: int, folder: Path) -> Path:
    """Generate the corpus, bulk load it with the term graphs and optimise the store."""
    from kg_service.synthetic import write_synthetic_nquads
    from kg_service.terms.index import shipped_term_index
    from kg_service.terms.ops import term_graph_iri, term_triples

    store_path = folder / "store"
    if (folder / f"ready-{n}").exists():
        print(f"reusing the store loaded for {n} datasets in {folder}")
        return store_path
    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    quads = write_synthetic_nquads(folder / "corpus.nq", n, BASE)
    print(f"generated {n} datasets, {quads} quads in {time.perf_counter() - start:.1f} s")
    terms = shipped_term_index()
    raw = ox.Store(str(store_path))
    start = time.perf_counter()
    raw.bulk_load(path=str(folder / "corpus.nq"), format=ox.RdfFormat.N_QUADS)
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
    (folder / "corpus.nq").unlink()
    (folder / f"ready-{n}").touch()
    return store_path


def _ox(term: object) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.Literal(str(term))


# --- the two indexes, each in a child process --------------------------------------------------


def baseline_module(folder: Path) -> ModuleType:
    """The search module of commit BASELINE, loaded from git into `folder`."""
    source = subprocess.run(
        ["git", "show", f"{BASELINE}:src/kg_service/search.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = folder / "search_baseline.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("search_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_baseline"] = module
    spec.loader.exec_module(module)
    return module


def query_cases(
    make: Callable[..., Any], reset: Callable[[], None], search: Callable[[Any], Any]
) -> dict[str, Callable[[int], None]]:
    """The cases as functions of the run number (inputs rotate with it). Every case but
    "keyword, cached" empties the caches first; that one repeats the 12 searches (as paging
    and facet clicks do), so after the first round each word is cached."""
    words, filters, again = cycle(KEYWORDS), cycle(FILTERS), cycle(KEYWORDS)

    def keyword(_i: int) -> None:
        reset()
        search(make(q=next(words)))

    def keyword_cached(_i: int) -> None:
        search(make(q=next(again)))

    def filtered(_i: int) -> None:
        reset()
        search(make(filters=dict(next(filters))))

    def combined(_i: int) -> None:
        reset()
        search(make(q=next(words), filters=dict(next(filters))))

    return {
        "keyword": keyword,
        "filters": filtered,
        "combined": combined,
        "keyword, cached": keyword_cached,
    }


def writes_become_searchable(store: Any, index: Any, make: Callable[..., Any]) -> float:
    """ms from replacing one project graph until a search finds the change (then undone)."""
    graph = f"{BASE}graph/syn-00003"
    original = store.triples(graph)
    title = URIRef("http://purl.org/dc/terms/title")
    changed = [(s, p, Literal(f"{o} zyxwvut") if p == title else o) for s, p, o in original]
    start = time.perf_counter()
    store.replace_graph(graph, changed)
    index.refresh(store, [graph])
    found = index.search(make(q="zyxwvut"))["total"]
    elapsed = (time.perf_counter() - start) * 1000
    store.replace_graph(graph, original)
    index.refresh(store, [graph])
    assert found == 10, found
    return elapsed


def child_old(store_path: Path, folder: Path, runs: int) -> dict[str, Any]:
    from kg_service.store import OxigraphStore
    from kg_service.terms.index import shipped_term_index

    module = baseline_module(folder)
    terms = shipped_term_index()
    store = OxigraphStore(store_path)
    gc.collect()
    before = rss_mib()
    start = time.perf_counter()
    index = module.SearchIndex(terms, BASE)
    index.build(store)
    index.derived()
    out: dict[str, Any] = {"build_s": time.perf_counter() - start}
    out["rss_mib"] = rss_mib() - before
    out["ready_s"] = out["build_s"]  # it rebuilds at every start

    def reset() -> None:
        derived = index.derived()
        derived.word_cache.clear()
        derived.tree_cache.clear()

    cases = query_cases(module.Query, reset, index.search)
    out["cases"] = {name: timed(fn, runs) for name, fn in cases.items()}
    out["total"] = index.search(module.Query(size=1))["total"]
    out["refresh_ms"] = writes_become_searchable(store, index, module.Query)
    store.close()
    return out


def served_as(store_path: Path) -> str:
    """The store identity `kg-service serve` gives the index, so the server and the other
    benches reopen the index built here instead of rebuilding it."""
    from kg_service.config import Settings
    from kg_service.search.lifecycle import store_identity

    return store_identity(Settings(store_path=store_path, base_iri=BASE))


def child_build(store_path: Path, folder: Path) -> dict[str, Any]:
    from kg_service.search import SearchIndex
    from kg_service.store import OxigraphStore
    from kg_service.terms.index import shipped_term_index

    terms = shipped_term_index()
    store = OxigraphStore(store_path)
    index_path = folder / "store.search"
    gc.collect()
    before = rss_mib()
    start = time.perf_counter()
    index = SearchIndex(terms, BASE, index_path, served_as(store_path))
    index.build(store)
    out = {"build_s": time.perf_counter() - start, "build_rss_mib": rss_mib() - before}
    index.close()
    out["disk_mib"] = folder_mib(index_path)
    store.close()
    return out


def child_new(store_path: Path, folder: Path, runs: int) -> dict[str, Any]:
    """A fresh process: time from its start to a ready index, then the queries."""
    from kg_service.search import Query, SearchIndex
    from kg_service.store import OxigraphStore
    from kg_service.terms.index import shipped_term_index

    terms = shipped_term_index()
    store = OxigraphStore(store_path)
    gc.collect()
    before = rss_mib()
    index = SearchIndex(terms, BASE, folder / "store.search", served_as(store_path))
    assert index.usable
    index.snapshot()  # what the server's start does before /health says ready
    out: dict[str, Any] = {"ready_s": time.perf_counter() - STARTED}
    out["rss_mib"] = rss_mib() - before

    def make(**fields: Any) -> Query:
        return Query(words=True, **fields)

    def reset() -> None:
        index.snapshot().forget()

    cases = query_cases(make, reset, index.search)
    out["cases"] = {name: timed(fn, runs) for name, fn in cases.items()}
    out["facet_counting"] = facet_counting(index, runs)
    out["total"] = index.search(Query(size=1))["total"]
    out["refresh_ms"] = writes_become_searchable(store, index, make)
    index.close()
    store.close()
    return out


def facet_counting(index: Any, runs: int) -> dict[str, dict[str, float]]:
    """Why the facet arrays stay: the per-value counts of every facet over a keyword and two
    filters, by the engine (one `terms_with_prefix` over the facet field with the selection as
    filter query, per facet) against the arrays (mask + bincounts + roll-up, per facet)."""
    from tantivy import Occur
    from tantivy import Query as Engine

    from kg_service.search import FACETS
    from kg_service.search.engine import ords
    from kg_service.search.text import facet_token, split_query

    snap = index.snapshot()
    words, filters = cycle(KEYWORDS), cycle(FILTERS)

    def selection() -> tuple[Any, dict[str, list[str]]]:
        keyword = index.queries.build(split_query(next(words)))
        return keyword, next(filters)

    def engine(_i: int) -> None:
        keyword, chosen = selection()
        clauses = [(Occur.Must, keyword)]
        clauses += [(Occur.Must, index._values_query(snap, f, v)) for f, v in chosen.items()]
        query = Engine.boolean_query(clauses)
        for facet in FACETS:
            snap.searcher.terms_with_prefix("facet", facet_token(facet, ""), filter_query=query)

    def arrays(_i: int) -> None:
        keyword, chosen = selection()
        mask = snap.facts.live.copy()
        mask[:] = False
        mask[ords(snap.searcher, keyword)] = True
        for facet, values in chosen.items():
            mask &= snap.facet(facet).below(values)
        for facet in FACETS:
            snap.facet(facet).counts(mask)

    return {"engine": timed(engine, runs), "arrays": timed(arrays, runs)}


def package_at(ref: str, folder: Path) -> Path:
    """The checkout as it was at commit `ref` (the package reads its ontology and queries
    from there), unpacked under `folder`; its src goes on PYTHONPATH, which comes before the
    editable install on sys.path."""
    target = folder / f"checkout-{ref}"
    if not target.exists():
        archive = subprocess.run(
            ["git", "archive", ref], cwd=REPO, capture_output=True, check=True
        ).stdout
        target.mkdir(parents=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def run_child(
    kind: str, store_path: Path, folder: Path, runs: int, source: Path | None = None
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, str(store_path), str(folder), str(runs)]
    env = {**os.environ, "PYTHONPATH": str(source)} if source else None
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def built_index(store_path: Path, folder: Path, runs: int, reuse: bool) -> dict[str, Any]:
    """Build the index (its figures kept in build.json), or with `reuse` take the one an
    earlier run built, with that run's figures."""
    saved = folder / "build.json"
    if reuse and saved.exists() and (folder / "store.search").is_dir():
        print(f"reusing the index built earlier in {folder}")
        result: dict[str, Any] = json.loads(saved.read_text())
        return result
    build = run_child("build", store_path, folder, runs)
    saved.write_text(json.dumps(build))
    return build


def report_new(n: int, build: dict[str, Any], new: dict[str, Any]) -> None:
    """The new index's figures alone (no baseline run)."""
    print(f"\n=== {n} datasets (index total {new['total']}) ===")
    print(f"{'case':<16}{'median':>10}{'p95':>10}")
    for case in ("keyword", "filters", "combined", "keyword, cached"):
        w = new["cases"][case]
        print(f"{case:<16}{w['median']:>10.1f}{w['p95']:>10.1f}")
    print(f"build: {build['build_s']:.1f} s, {build['build_rss_mib']:.0f} MiB RSS")
    print(f"start-up to ready: {new['ready_s']:.2f} s; RAM after ready: {new['rss_mib']:.0f} MiB")
    print(f"disk: {build['disk_mib']:.0f} MiB; write -> searchable: {new['refresh_ms']:.0f} ms")
    target = 50 if n <= 100_000 else 200
    worst = max(new["cases"][c]["p95"] for c in ("keyword", "filters", "combined"))
    print(f"p95 < {target} ms: {worst < target} (worst {worst:.1f} ms)")


def report(n: int, old: dict[str, Any], build: dict[str, Any], new: dict[str, Any]) -> None:
    print(f"\n=== {n} datasets (old index total {old['total']}, new {new['total']}) ===")
    print(f"{'case':<16}{'old med':>10}{'old p95':>10}{'new med':>10}{'new p95':>10}{'x med':>8}")
    for case in ("keyword", "filters", "combined", "keyword, cached"):
        o, w = old["cases"][case], new["cases"][case]
        ratio = o["median"] / w["median"]
        row = f"{o['median']:>10.1f}{o['p95']:>10.1f}{w['median']:>10.1f}{w['p95']:>10.1f}"
        print(f"{case:<16}{row}{ratio:>7.1f}x")
    print(f"build: old {old['build_s']:.1f} s (at every start), new {build['build_s']:.1f} s")
    print(f"start-up to ready: old {old['ready_s']:.1f} s, new {new['ready_s']:.2f} s")
    print(f"RAM after ready: old {old['rss_mib']:.0f} MiB, new {new['rss_mib']:.0f} MiB")
    print(f"disk: new {build['disk_mib']:.0f} MiB (the old index has none)")
    print(f"write -> searchable: old {old['refresh_ms']:.0f} ms, new {new['refresh_ms']:.0f} ms")
    counting = new["facet_counting"]
    print(
        "facet counts over keyword + 2 filters, median ms: engine terms_with_prefix "
        f"{counting['engine']['median']:.1f}, arrays {counting['arrays']['median']:.1f}"
    )
    target = 50 if n <= 100_000 else 200
    worst = max(new["cases"][c]["p95"] for c in ("keyword", "filters", "combined"))
    print(f"new p95 < {target} ms: {worst < target} (worst {worst:.1f} ms)")


def compare(ref: str, before: dict[str, Any], after: dict[str, Any]) -> None:
    """The new index's figures with the package at `ref` and with the working tree."""
    print(f"\n--- package at {ref} (before) and now (after), same index folder ---")
    print(f"{'case':<16}{'bef med':>10}{'bef p95':>10}{'aft med':>10}{'aft p95':>10}{'x med':>8}")
    for case in ("keyword", "filters", "combined", "keyword, cached"):
        b, a = before["cases"][case], after["cases"][case]
        row = f"{b['median']:>10.1f}{b['p95']:>10.1f}{a['median']:>10.1f}{a['p95']:>10.1f}"
        print(f"{case:<16}{row}{b['median'] / a['median']:>7.1f}x")
    print(f"start-up to ready: before {before['ready_s']:.2f} s, after {after['ready_s']:.2f} s")
    print(f"RAM after ready: before {before['rss_mib']:.0f} MiB, after {after['rss_mib']:.0f} MiB")
    refresh = f"before {before['refresh_ms']:.0f} ms, after {after['refresh_ms']:.0f} ms"
    print(f"write -> searchable: {refresh}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, store_path, folder, runs = sys.argv[2:6]
        args = (Path(store_path), Path(folder))
        if kind == "old":
            result = child_old(*args, int(runs))
        elif kind == "build":
            result = child_build(*args)
        else:
            result = child_new(*args, int(runs))
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--workdir", type=Path, default=REPO / ".cache" / "bench")
    parser.add_argument("--runs", type=int, default=0, help="default: 60 (30 from 1M)")
    parser.add_argument("--before", help="also run the package of this commit (new index)")
    parser.add_argument(
        "--reuse-index", action="store_true", help="keep an index built by an earlier run"
    )
    parser.add_argument(
        "--skip-old", action="store_true", help="leave out the in-memory baseline (minutes at 1M)"
    )
    args = parser.parse_args()
    for n in args.sizes:
        folder = args.workdir / (f"{n // 1_000_000}m" if n >= 1_000_000 else f"{n // 1000}k")
        store_path = prepare(n, folder)
        runs = args.runs or (60 if n < 1_000_000 else 30)
        build = built_index(store_path, folder, runs, args.reuse_index)
        before = None
        if args.before:  # next to the run of the working tree, so that both see the same load
            before = run_child("new", store_path, folder, runs, package_at(args.before, folder))
        new = run_child("new", store_path, folder, runs)
        if args.skip_old:
            report_new(n, build, new)
        else:
            report(n, run_child("old", store_path, folder, runs), build, new)
        if before is not None:
            compare(str(args.before), before, new)


if __name__ == "__main__":
    main()
