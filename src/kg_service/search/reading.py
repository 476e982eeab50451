"""Reading datasets from the store for the search index: one streaming scan per path.

Joins run in the engine (one query per path, about one row per dataset), which reads far
less than following each predicate in Python. A scan covers the whole store (a rebuild) or
one named graph (a refresh after a write). Values from users never reach these queries: the
only bound value is a graph IRI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef

from kg_service.search.table import (
    DATE_PATHS,
    DCT,
    IMAGE_COUNT,
    IMAGE_GROUP,
    KG,
    PATHS,
    RDF_TYPE,
    TEXT_PATHS,
    Path,
)
from kg_service.store import Store


@dataclass
class Doc:
    """One dataset as the index sees it: title, date, facet values and free text, and for
    values reached through image groups the number of images per facet and value."""

    iri: str
    graph: str
    title: str = ""
    date: str = ""
    values: dict[str, set[str]] = field(default_factory=dict)
    text: dict[str, list[str]] = field(default_factory=dict)
    images: dict[str, dict[str, int]] = field(default_factory=dict)


def _raw_oxigraph(store: Store) -> ox.Store | None:
    """The pyoxigraph store behind an OxigraphStore, to read rows without rdflib (or None).

    Why reach behind the Protocol: `select` turns every term into an rdflib node, which costs
    more than the query itself when 100k datasets come back several times in a rebuild.
    """
    raw = getattr(store, "_store", None)
    return raw if isinstance(raw, ox.Store) else None


def _pattern(path: Path) -> str:
    """The triple patterns from ?d along `path` to ?v (predicates are ours, never user input)."""
    parts, subject = [], "?d"
    for step, predicate in enumerate(path):
        obj = "?v" if step == len(path) - 1 else f"?x{step}"
        if predicate.startswith("^"):
            parts.append(f"{obj} <{predicate[1:]}> {subject} .")
        else:
            parts.append(f"{subject} <{predicate}> {obj} .")
        subject = obj
    return " ".join(parts)


def _rows(
    store: Store, pattern: str, graph: str | None, *, named: bool = False
) -> Iterator[tuple[str, ...]]:
    """(?g,) ?d ?v rows of `pattern`: over the union graph, or inside a named graph ?g (bound
    to `graph` when given; `named` asks for ?g over the whole store)."""
    names: tuple[str, ...]
    if graph is None and not named:
        query, names = f"SELECT DISTINCT ?d ?v WHERE {{ {pattern} }}", ("d", "v")
    else:
        query = f"SELECT DISTINCT ?g ?d ?v WHERE {{ GRAPH ?g {{ {pattern} }} }}"
        names = ("g", "d", "v")
    raw = _raw_oxigraph(store)
    if raw is None:
        bindings = {"g": URIRef(graph)} if graph else None
        for row in store.select(query, bindings):
            yield tuple(str(row[name]) for name in names)
        return
    for solution in _raw_select(raw, query, graph):
        yield tuple(solution[name].value for name in names)


def _raw_select(raw: ox.Store, query: str, graph: str | None) -> ox.QuerySolutions:
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
    substitutions = {ox.Variable("g"): ox.NamedNode(graph)} if graph else {}
    solutions = raw.query(
        query, use_default_graph_as_union=True, substitutions=substitutions or None
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _follow(store: Store, path: Path, graph: str | None) -> Iterator[tuple[str, str]]:
    """(dataset candidate, value) pairs at the end of `path`."""
    for row in _rows(store, _pattern(path), graph):
        yield row[-2], row[-1]


def _image_counts(store: Store, path: Path, graph: str | None) -> Iterator[tuple[str, str, int]]:
    """(dataset, value, images) along a path whose first step reaches image groups (nodes
    with kg:imageCount): one grouped query per path."""
    pattern = f"{_pattern(path)} ?x0 <{IMAGE_COUNT}> ?n ."
    scoped, keys = (
        (pattern, "?d ?v") if graph is None else (f"GRAPH ?g {{ {pattern} }}", "?g ?d ?v")
    )
    query = f"SELECT {keys} (SUM(?n) AS ?c) WHERE {{ {scoped} }} GROUP BY {keys}"
    raw = _raw_oxigraph(store)
    if raw is None:
        for row in store.select(query, {"g": URIRef(graph)} if graph else None):
            if "c" in row:
                yield str(row["d"]), str(row["v"]), int(float(str(row["c"])))
        return
    for solution in _raw_select(raw, query, graph):
        total = solution["c"]  # unbound when a count is not a number
        if total is not None:
            yield solution["d"].value, solution["v"].value, int(float(total.value))


def read_docs(store: Store, graph: str | None) -> dict[str, Doc]:
    """Every dataset of the scope (one graph, or all when None) with what the index keeps."""
    docs: dict[str, Doc] = {}
    pattern = f"?d <{RDF_TYPE}> <{KG}Dataset> . BIND(?d AS ?v)"
    for row in _rows(store, pattern, graph, named=True):
        docs.setdefault(row[1], Doc(row[1], row[0]))
    for dataset, title in _follow(store, (f"{DCT}title",), graph):
        if dataset in docs:
            docs[dataset].title = docs[dataset].title or title
    for facet, paths in PATHS.items():
        for path in paths:
            for dataset, value in _follow(store, path, graph):
                if dataset in docs:
                    docs[dataset].values.setdefault(facet, set()).add(value)
            if len(path) == 2 and path[0] == IMAGE_GROUP:
                for dataset, value, images in _image_counts(store, path, graph):
                    if dataset in docs:
                        counted = docs[dataset].images.setdefault(facet, {})
                        counted[value] = counted.get(value, 0) + images
    best: dict[str, tuple[int, str]] = {}
    for rank, path in enumerate(DATE_PATHS):
        for dataset, date in _follow(store, path, graph):
            if dataset in docs and (dataset not in best or (rank, date) < best[dataset]):
                best[dataset] = (rank, date)
    for dataset, (_rank, date) in best.items():
        docs[dataset].date = date
        docs[dataset].values["year"] = {date[:4]}
    for name, paths in TEXT_PATHS.items():
        for path in paths:
            for dataset, text in _follow(store, path, graph):
                if dataset in docs:
                    docs[dataset].text.setdefault(name, []).append(text)
    return docs
