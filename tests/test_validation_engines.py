"""Differential test: the fast SHACL path (pyshacl-turbo) against pyshacl, the reference.

Identical results (focus node, path, severity, shape, component, value, message) and identical
findings, on every real input file and on synthetic projects with injected defects, in the
default (generated shapes) and both tier configurations. The full run over 1,000 defective
projects is `bench/bench_validate.py --differential`.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import Graph

from kg_service.ingest import read_path
from kg_service.pipeline import rebase_graph
from kg_service.rdf import project_graph
from kg_service.synthetic_sources import write_source_files
from kg_service.validation.differential import compare, with_defects
from kg_service.validation.shacl import Tier
from tests.conftest import SHARED_DATA

BASE = "http://kg.test/"
REPO = Path(__file__).resolve().parents[1]
TIERS = (None, Tier.REPOSITORY, Tier.DATABASE)
# the database tier runs every shape of the repository tier too: enough for the big corpus
QUICK_TIERS = (None, Tier.DATABASE)
SKIP = {".md", ".yml", ".tif", ".obo", ".xsd", ".rq", ".srx", ".srj", ".py"}
SAMPLE = 12  # defective synthetic projects in CI (the bench runs 1,000)


def graphs_of(path: Path) -> list[Graph]:
    read = read_path(path)
    mapped = [project_graph(p, BASE)[0] for p in read.projects]
    return mapped + [rebase_graph(g, BASE) for _, g in read.graphs]


def files_under(*roots: Path) -> list[Path]:
    return sorted(
        p
        for root in roots
        if root.is_dir()
        for p in root.rglob("*")
        if p.is_file() and p.suffix not in SKIP and "sparql" not in p.parts
    )


def assert_same(graphs: list[Graph], tiers: tuple[Tier | None, ...] = TIERS) -> None:
    problems = [p for graph in graphs for tier in tiers for p in compare(graph, tier, BASE)]
    assert not problems, problems[:5]


@pytest.mark.parametrize(
    "path",
    files_under(
        REPO / "examples", REPO / "tests" / "data" / "bia", REPO / "tests" / "data" / "bdml"
    ),
    ids=lambda p: p.name,
)
def test_engines_agree_on_repository_files(path: Path) -> None:
    assert_same(graphs_of(path))


@pytest.mark.corpus
def test_engines_agree_on_every_shared_corpus_file() -> None:
    files = files_under(SHARED_DATA / "peers", SHARED_DATA / "ssbd")
    assert len(files) > 90
    graphs = [g for path in files for g in graphs_of(path)]
    assert len(graphs) > 50
    assert_same(graphs, QUICK_TIERS)


def test_engines_agree_on_defective_synthetic_projects(tmp_path: Path) -> None:
    rng = random.Random(15)
    paths = list(write_source_files(tmp_path, SAMPLE * 3, datasets_per_project=3))
    graphs = [with_defects(g, rng) for path in paths for g in graphs_of(path)]
    assert len(graphs) == SAMPLE
    assert_same(graphs)


def test_engines_agree_where_the_fast_path_cannot_take_text(tmp_path: Path) -> None:
    """A literal where an ORCID IRI belongs (slice facts about a literal) and a blank node."""
    from rdflib import BNode, Literal, URIRef

    path = next(iter(write_source_files(tmp_path, 2, datasets_per_project=2)))
    graph = graphs_of(path)[0]
    person = next(s for s in graph.subjects() if "/person/" in str(s))
    orcid = URIRef("https://w3id.org/bioimage-kg/vocab/orcid")
    graph.set((person, orcid, Literal("https://orcid.org/0000-0002-1825-0097")))
    graph.add((person, URIRef("https://w3id.org/bioimage-kg/vocab/affiliation"), BNode()))
    assert_same([graph])
