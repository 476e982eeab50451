"""Validation speed in the database tier: one realistic 50-dataset project, then batches,
with the fast engine (pyshacl-turbo) beside pyshacl, the reference, in the same run.

A "realistic project" is the SSBD CUBIC project (ssbd-48, 27 datasets, 1.5k triples) with its
datasets copied under new IRIs to 54 datasets (~3k triples). Prints medians, the split between
building the ontology slice and SHACL, and per-project time per batch size (linear means the
per-project figure stays flat). `--full` adds the 1,000-project batch.
`--differential [N]` compares the engines on N (default 1,000) synthetic projects with
injected defects, in all three tier configurations (tests/test_validation_engines.py runs a
sample of the same in CI).

    .venv/bin/python bench/bench_validate.py [--full] [--differential [N]]
"""

from __future__ import annotations

import statistics
import sys
import time
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from kg_service.pipeline import prepare
from kg_service.terms.index import shipped_term_index
from kg_service.validation.engine import Engine
from kg_service.validation.shacl import Tier, tier_shapes_graph, validate_graph
from kg_service.validation.slice import slice_facts

BASE = "http://bench.test/"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ssbd" / "SSBD_all_instances.ttl"


@cache
def source_project() -> Graph:
    report = prepare([EXAMPLE], BASE)
    return next(p.graph for p in report.projects if p.project_id == "projects/ssbd-48")


def _move(term: Node, seed: int, copy: int) -> Node:
    text = str(term)
    if isinstance(term, URIRef) and text.startswith(f"{BASE}datasets/ssbd-48-"):
        return URIRef(text.replace("ssbd-48-", f"ssbd-48-p{seed}c{copy}-", 1))
    if isinstance(term, URIRef) and text.startswith(f"{BASE}projects/ssbd-48"):
        return URIRef(text.replace("ssbd-48", f"ssbd-48-p{seed}", 1))
    return term


def project_50(seed: int = 0) -> Graph:
    """54 datasets: ssbd-48's 27, twice, under IRIs unique to `seed`."""
    out = Graph()
    for copy in range(2):
        for s, p, o in source_project():
            out.add((_move(s, seed, copy), p, _move(o, seed, copy)))
    return out


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main(full: bool) -> None:
    t0 = time.perf_counter()
    index = shipped_term_index()
    tier_shapes_graph(Tier.DATABASE)
    print(f"one-off per process: term index + shapes {time.perf_counter() - t0:.2f} s")
    graph = project_50()
    datasets = len(set(graph.subjects(URIRef("http://purl.org/dc/terms/identifier"), None))) - 1
    print(f"project: {datasets} datasets, {len(graph)} triples")
    medians = {}
    for engine in (Engine.PYSHACL, Engine.TURBO):
        validate_graph(graph, BASE, None, Tier.DATABASE, index=index, engine=engine)  # compile
        slice_t, total_t, generated_t = [], [], []
        for _ in range(7):
            t = time.perf_counter()
            list(slice_facts(graph, index))
            slice_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            validate_graph(graph, BASE, None, Tier.DATABASE, index=index, engine=engine)
            total_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            validate_graph(graph, BASE, engine=engine)
            generated_t.append(time.perf_counter() - t)
        medians[engine] = median_ms(total_t)
        print(
            f"{engine.value:14s} database tier, 1 project: median {median_ms(total_t):.0f} ms "
            f"= {median_ms(total_t) / datasets:.2f} ms/dataset (slice {median_ms(slice_t):.1f} ms;"
            f" generated shapes alone {median_ms(generated_t):.0f} ms)"
        )
    speedup = medians[Engine.PYSHACL] / medians[Engine.TURBO]
    print(f"pyshacl-turbo is x{speedup:.1f} faster than pyshacl on one project")
    sizes = [10, 100] + ([1000] if full else [])
    base_per = None
    for size in sizes:
        batch = [project_50(seed) for seed in range(size)]
        t = time.perf_counter()
        for item in batch:
            validate_graph(item, BASE, None, Tier.DATABASE, index=index)
        per = (time.perf_counter() - t) / size * 1000
        base_per = base_per or per
        print(
            f"pyshacl-turbo batch of {size:5d}: {per * size / 1000:7.1f} s, {per:.0f} ms/project, "
            f"{size * datasets / (per * size / 1000):,.0f} datasets/s (x{per / base_per:.2f} of "
            f"batch 10)"
        )


def differential(n: int) -> None:
    """Engines compared on `n` defective synthetic projects (3 datasets each), every tier."""
    import random
    import tempfile

    from kg_service.ingest import read_path
    from kg_service.rdf import project_graph
    from kg_service.synthetic_sources import write_source_files
    from kg_service.validation.differential import compare, with_defects

    rng = random.Random(1000)
    started = time.perf_counter()
    problems: list[str] = []
    checked = 0
    with tempfile.TemporaryDirectory() as folder:
        for path in write_source_files(Path(folder), n * 3, datasets_per_project=3):
            for project in read_path(path).projects:
                graph = with_defects(project_graph(project, BASE)[0], rng)
                for tier in (None, Tier.REPOSITORY, Tier.DATABASE):
                    problems += compare(graph, tier, BASE)
                    checked += 1
    print(
        f"differential: {n:,} defective projects x 3 tier configurations = {checked:,} "
        f"comparisons in {time.perf_counter() - started:.0f} s; differences: {len(problems)}"
    )
    for problem in problems[:10]:
        print("  ", problem[:300])


if __name__ == "__main__":
    if "--differential" in sys.argv:
        rest = sys.argv[sys.argv.index("--differential") + 1 :]
        differential(int(rest[0]) if rest and rest[0].isdigit() else 1000)
    else:
        main("--full" in sys.argv)
