"""Faceted dataset search with ontology expansion, over an index built from the store.

Why an index beside the store: at 100,000 datasets a SPARQL facet count takes ~0.5 s and a
CONTAINS keyword search ~1.2 s (../shared/notes/perf.md). The index keeps, per facet, the
(dataset, value) pairs as numpy arrays and the ancestor closure of every value as a sparse
"roll-up" relation, so a filter is a gather over the pairs and the counts of every node of a
facet tree are two `bincount`s: values counted over the selection, then rolled up the
hierarchy. Rolling up sums would double-count a dataset with two values under one ancestor;
those (rare) value combinations carry a precomputed correction, so counts stay distinct.
The keyword part is an inverted index whose page is picked by partial sort, not a full sort.

The store stays the source of truth: `build` reads it with a few streaming scans (one per
predicate), `refresh` re-reads the named graphs a write touched. Values from users never
reach SPARQL; the only bound values are predicates and a graph IRI.
"""

from __future__ import annotations

import heapq
import logging
import math
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyoxigraph as ox
from rdflib import URIRef

from kg_service.ingest.identifiers import chebi_iri, gene_iri, pubchem_iri
from kg_service.store import Store
from kg_service.terms.index import TermIndex

KG = "https://w3id.org/bioimage-kg/vocab/"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
SDO = "http://schema.org/"
OBO = "http://purl.obolibrary.org/obo/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
HIERARCHICAL = ("organism", "go", "imaging_method", "mesh", "cell", "phenotype")
FLAT = ("license", "kind", "format", "year", "source", "gene", "compound", "sirna", "antibody")
FACETS = HIERARCHICAL + FLAT
SORTS = ("relevance", "date", "title")
FACET_LIMIT = 100  # default number of nodes per facet tree (most frequent first)

# A step from a node to the next: a predicate, "^" in front for the inverse direction.
Path = tuple[str, ...]
_PART_OF_PROJECT = f"^{DCT}hasPart"
# facet -> paths from a dataset to its values (each path in one named graph)
_PATHS: dict[str, tuple[Path, ...]] = {
    "organism": ((f"{KG}biosample", f"{OBO}RO_0002162"),),
    "go": tuple(
        (f"{KG}biosample", f"{KG}go{branch}")
        for branch in ("MolecularFunction", "BiologicalProcess", "CellularComponent")
    ),
    "imaging_method": ((f"{KG}imageAcquisition", f"{KG}imagingMethod"),),
    "mesh": ((f"{KG}biosample", f"{KG}meshTerm"), (f"{KG}imageAcquisition", f"{KG}meshTerm")),
    "cell": (
        (f"{KG}biosample", f"{KG}cellLine"),
        (f"{KG}biosample", f"{KG}cellType"),
        (f"{KG}imageGroup", f"{KG}cellLine"),
    ),
    # issue 16: image-level annotations (IDR), counted in datasets and in images
    "phenotype": (
        (f"{KG}imageGroup", f"{KG}phenotype"),
        (f"{KG}scoredPhenotype", f"{KG}phenotypeTerm"),
    ),
    "gene": ((f"{KG}imageGroup", f"{KG}gene"),),
    "compound": ((f"{KG}imageGroup", f"{KG}compound"),),
    "sirna": ((f"{KG}imageGroup", f"{KG}sirna"),),
    "antibody": ((f"{KG}imageGroup", f"{KG}antibody"),),
    "license": ((f"{DCT}license",), (_PART_OF_PROJECT, f"{DCT}license")),
    "kind": ((f"{KG}dataKind",),),
    "format": ((f"{KG}fileFormat",), (f"{DCAT}distribution", f"{DCAT}mediaType")),
    "source": ((_PART_OF_PROJECT, f"{KG}sourceRepository"),),
}
# date paths in order of preference: the dataset's own release, its project's, submission
_DATE_PATHS: tuple[Path, ...] = (
    (f"{DCT}issued",),
    (_PART_OF_PROJECT, f"{DCT}issued"),
    (_PART_OF_PROJECT, f"{DCT}dateSubmitted"),
)
_TEXT_PATHS: tuple[Path, ...] = ((f"{DCT}description",), (f"{SDO}keywords",))
_LABELS = {f"{KG}ImageDataKind": "image data", f"{KG}QuantitativeDataKind": "quantitative data"}
_TOKEN = re.compile(r"[a-z0-9]+")
_WEIGHTS = {"title": 3.0, "label": 2.0, "text": 1.0}

Mask = np.ndarray[Any, np.dtype[np.bool_]]
Ints = np.ndarray[Any, np.dtype[np.int64]]
Floats = np.ndarray[Any, np.dtype[np.float64]]


log = logging.getLogger("kg_service.search")


class SearchError(ValueError):
    """A search request the user must fix (unknown facet value, bad paging), with hints."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass
class Query:
    """A parsed search request: facet -> IRIs or literals (OR within, AND across).

    `facets` names the facet trees to compute (None: all); each tree holds at most
    `facet_limit` nodes (most datasets first; None: all) down to `facet_depth` levels
    (None: any), and always the path to and the children of the `expand` terms, so a UI
    can open a node the limit left closed.
    """

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    facets: Sequence[str] | None = None
    facet_limit: int | None = FACET_LIMIT
    facet_depth: int | None = None
    expand: Sequence[str] = ()


@dataclass
class Doc:
    iri: str
    graph: str
    title: str = ""
    date: str = ""
    values: dict[str, set[str]] = field(default_factory=dict)
    words: dict[str, float] = field(default_factory=dict)
    images: dict[str, dict[str, int]] = field(default_factory=dict)  # facet -> value -> images


# --- reading the store ------------------------------------------------------------------------


def _raw_oxigraph(store: Store) -> ox.Store | None:
    """The pyoxigraph store behind an OxigraphStore, to read rows without rdflib (or None).

    Why reach behind the Protocol: `select` turns every term into an rdflib node, which costs
    more than the query itself when 100k datasets come back several times at start-up.
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


def _rows(store: Store, pattern: str, graph: str | None) -> Iterator[tuple[str, ...]]:
    """(?g,) ?d ?v rows of `pattern`: over the union graph, or inside the bound graph ?g.

    Joins run in the engine (one query per path, about one row per dataset), which reads
    far less than following each predicate in Python.
    """
    names: tuple[str, ...]
    if graph is None:
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


# issue 16: a path whose first step reaches image groups (nodes with kg:imageCount) also
# gives the number of images per (dataset, value); facets show it beside the dataset count
_IMAGE_GROUP = f"{KG}imageGroup"
_IMAGE_COUNT = f"{KG}imageCount"


def _image_counts(store: Store, path: Path, graph: str | None) -> Iterator[tuple[str, str, int]]:
    """(dataset, value, images) along a path through image groups (one query per path)."""
    pattern = f"{_pattern(path)} ?x0 <{_IMAGE_COUNT}> ?n ."
    scoped, keys = (
        (pattern, "?d ?v") if graph is None else (f"GRAPH ?g {{ {pattern} }}", "?g ?d ?v")
    )
    query = f"SELECT {keys} (SUM(?n) AS ?c) WHERE {{ {scoped} }} GROUP BY {keys}"
    raw = _raw_oxigraph(store)
    if raw is None:
        for row in store.select(query, {"g": URIRef(graph)} if graph else None):
            yield str(row["d"]), str(row["v"]), int(str(row["c"]))
        return
    for solution in _raw_select(raw, query, graph):
        yield solution["d"].value, solution["v"].value, int(solution["c"].value)


def _read_docs(store: Store, graph: str | None) -> dict[str, Doc]:
    """Every dataset of the scope with its title, date and facet values (no text yet)."""
    docs: dict[str, Doc] = {}
    pattern = f"?d <{RDF_TYPE}> <{KG}Dataset> . BIND(?d AS ?v)"
    query = f"SELECT ?g ?d ?v WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    raw = _raw_oxigraph(store)
    for g, d in _graphs_of_datasets(store, raw, query, graph):
        docs.setdefault(d, Doc(d, g))
    for dataset, title in _follow(store, (f"{DCT}title",), graph):
        if dataset in docs:
            docs[dataset].title = docs[dataset].title or title
    for facet, paths in _PATHS.items():
        for path in paths:
            for dataset, value in _follow(store, path, graph):
                if dataset in docs:
                    docs[dataset].values.setdefault(facet, set()).add(value)
            if len(path) == 2 and path[0] == _IMAGE_GROUP:
                for dataset, value, images in _image_counts(store, path, graph):
                    if dataset in docs:
                        counted = docs[dataset].images.setdefault(facet, {})
                        counted[value] = counted.get(value, 0) + images
    best: dict[str, tuple[int, str]] = {}
    for rank, path in enumerate(_DATE_PATHS):
        for dataset, date in _follow(store, path, graph):
            if dataset in docs and (dataset not in best or (rank, date) < best[dataset]):
                best[dataset] = (rank, date)
    for dataset, (_rank, date) in best.items():
        docs[dataset].date = date
        docs[dataset].values["year"] = {date[:4]}
    for path in _TEXT_PATHS:
        for dataset, text in _follow(store, path, graph):
            if dataset in docs:
                _count(docs[dataset].words, tokens(text), _WEIGHTS["text"])
    return docs


def _graphs_of_datasets(
    store: Store, raw: ox.Store | None, query: str, graph: str | None
) -> Iterator[tuple[str, str]]:
    """(named graph, dataset IRI) of every dataset in scope."""
    if raw is None:
        bindings = {"g": URIRef(graph)} if graph else None
        for row in store.select(query, bindings):
            yield str(row["g"]), str(row["d"])
        return
    for solution in _raw_select(raw, query, graph):
        yield solution["g"].value, solution["d"].value


def _count(target: dict[str, float], words: list[str], weight: float) -> None:
    for word in words:
        target[word] = target.get(word, 0.0) + weight


# --- the index --------------------------------------------------------------------------------


class SearchIndex:
    """Facet postings and an inverted keyword index over the stored datasets."""

    def __init__(self, terms: TermIndex, base_iri: str = "") -> None:
        self.terms = terms
        self.base_iri = base_iri
        self._lock = threading.RLock()
        self._term_words: dict[str, list[str]] = {}
        # set while the index may be used; cleared during a background build
        self.ready = threading.Event()
        self.ready.set()
        self.failure: str | None = None
        self._pending: set[str] = set()  # graphs written during a background build
        self._pending_lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.docs: list[Doc | None] = []
        self.by_iri: dict[str, int] = {}
        self.by_graph: dict[str, list[int]] = {}
        self.postings: dict[str, dict[str, set[int]]] = {f: {} for f in FACETS}
        self.words: dict[str, dict[int, float]] = {}
        self._derived: Derived | None = None

    # --- building ----------------------------------------------------------------------------

    def build(self, store: Store) -> None:
        """Index every dataset in the store (replaces whatever the index held)."""
        with self._lock:
            self._reset()
            self._ingest(store, None)

    def build_in_background(self, store: Store) -> threading.Thread:
        """Build in a thread (`ready.wait()` waits for it).

        Reading 100k datasets takes about 90 s, and the rest of the service (SPARQL, records,
        pages) need not wait for it. Until the build ends `ready` is clear, search answers
        503, and writes are queued and applied right after the build.
        """
        self.ready.clear()
        self.failure = None
        thread = threading.Thread(
            target=self._build_then_catch_up, args=(store,), name="search-index", daemon=True
        )
        thread.start()
        return thread

    def _build_then_catch_up(self, store: Store) -> None:
        try:
            self.build(store)
            while True:
                with self._pending_lock:
                    graphs, self._pending = self._pending, set()
                    if not graphs:
                        self.ready.set()
                        return
                self._refresh_now(store, graphs)
        except Exception as error:  # the service goes on; search reports why it cannot answer
            log.exception("building the search index failed")
            self.failure = f"{type(error).__name__}: {error}"

    @property
    def state(self) -> str:
        """ready, building or failed (for /health and the 503 answers)."""
        if self.ready.is_set():
            return "ready"
        return "failed" if self.failure else "building"

    def refresh(self, store: Store, graph_iris: Iterable[str]) -> None:
        """Re-read the given named graphs after a write (replace or delete) in the store."""
        with self._pending_lock:
            if not self.ready.is_set():  # the background build applies them when it is done
                self._pending.update(graph_iris)
                return
        self._refresh_now(store, graph_iris)

    def _refresh_now(self, store: Store, graph_iris: Iterable[str]) -> None:
        with self._lock:
            for graph in graph_iris:
                for doc_id in self.by_graph.pop(graph, []):
                    self._remove(doc_id)
                self._ingest(store, graph)
            self._derived = None

    def _remove(self, doc_id: int) -> None:
        doc = self.docs[doc_id]
        if doc is None:
            return
        for facet, values in doc.values.items():
            for value in values:
                self.postings[facet].get(value, set()).discard(doc_id)
        for word in doc.words:
            self.words.get(word, {}).pop(doc_id, None)
        del self.by_iri[doc.iri]
        self.docs[doc_id] = None

    def _ingest(self, store: Store, graph: str | None) -> None:
        fresh = _read_docs(store, graph)
        for doc in fresh.values():
            if doc.iri in self.by_iri:  # the same dataset in another graph: keep one
                continue
            _count(doc.words, tokens(doc.title), _WEIGHTS["title"])
            for facet in HIERARCHICAL:
                for value in doc.values.get(facet, ()):
                    _count(doc.words, self._words_of_term(value), _WEIGHTS["label"])
            self._add(doc)
        self._derived = None

    def _words_of_term(self, iri: str) -> list[str]:
        hit = self._term_words.get(iri)
        if hit is None:
            term = self.terms.terms.get(iri)
            names = (
                [term.label, *term.synonyms[:5], *self.terms.aliases.get(iri, [])] if term else []
            )
            hit = self._term_words[iri] = tokens(" ".join(names))
        return hit

    def _add(self, doc: Doc) -> None:
        doc_id = len(self.docs)
        self.docs.append(doc)
        self.by_iri[doc.iri] = doc_id
        self.by_graph.setdefault(doc.graph, []).append(doc_id)
        for facet, values in doc.values.items():
            for value in values:
                self.postings[facet].setdefault(value, set()).add(doc_id)
        for word, weight in doc.words.items():
            self.words.setdefault(word, {})[doc_id] = weight

    # --- derived structures (rebuilt lazily after a change) -----------------------------------

    def derived(self) -> Derived:
        with self._lock:
            if self._derived is None:
                self._derived = Derived.compute(self)
            return self._derived

    # --- querying ------------------------------------------------------------------------------

    def parse_value(self, facet: str, value: str) -> str:
        """A filter value -> the IRI or literal the index holds; SearchError when unknown."""
        if facet not in FACETS:
            raise SearchError(f"unknown facet {facet!r}", FACETS)
        if facet in HIERARCHICAL or facet == "license":
            iri = self.terms.to_iri(value)
            if iri:
                return iri
            if value in self.postings[facet] or re.match(r"^https?://[^\s<>\"{}|\\^`]+$", value):
                return value
            hints = [f"{t.curie} {t.label}" for t in self.terms.suggest(value, limit=5)]
            raise SearchError(f"{facet}: {value!r} is not a known term IRI or CURIE", hints)
        if facet in _ANNOTATION_IDS:  # issue 16: `gene=ENSG...`, `compound=CID:679`
            return _ANNOTATION_IDS[facet](value) or value
        if facet == "kind" and ":" not in value:
            return f"{KG}{value.capitalize()}DataKind"
        return value

    def search(self, query: Query) -> dict[str, Any]:
        """Run a query: total, one page of results, and facet trees with rolled-up counts."""
        _check(query)
        d = self.derived()
        base = d.live
        scores: Floats | None = None
        words = tokens(query.q)
        if words:
            base, scores = d.keyword(self, words, base)
        include = {f: d.facets[f].below(v) for f, v in query.filters.items() if v}
        for facet, values in query.exclude.items():
            if values:
                base = base & ~d.facets[facet].below(values)
        result = base
        for bits in include.values():
            result = result & bits
        page = d.page(result, scores, query)
        return {
            "total": int(np.count_nonzero(result)),
            "page": query.page,
            "size": query.size,
            "sort": query.sort,
            "results": [self._result(i) for i in page],
            "facets": self._facets(d, query, base, include),
        }

    def _facets(
        self, d: Derived, query: Query, base: Mask, include: dict[str, Mask]
    ) -> dict[str, list[dict[str, Any]]]:
        """Each facet counted over the selection of every other filter (multi-select)."""
        wanted = FACETS if query.facets is None else [f for f in FACETS if f in query.facets]
        shape = (query.facet_limit, query.facet_depth, tuple(sorted(query.expand)))
        unfiltered = not include and base is d.live
        trees = {}
        for facet in wanted:
            cache_key = (facet, *shape)
            if unfiltered and cache_key in d.tree_cache:
                trees[facet] = d.tree_cache[cache_key]
                continue
            selection = base
            for other, bits in include.items():
                if other != facet:
                    selection = selection & bits
            data = d.facets[facet]
            trees[facet] = data.tree(self, data.counts(selection), query, data.images(selection))
            if unfiltered and len(d.tree_cache) < 256:
                d.tree_cache[cache_key] = trees[facet]
        return trees

    def _result(self, doc_id: int) -> dict[str, str]:
        doc = self.docs[doc_id]
        assert doc is not None
        record_id = doc.iri[len(self.base_iri) :] if doc.iri.startswith(self.base_iri) else doc.iri
        return {"id": record_id, "title": doc.title, "url": doc.iri}

    def count_at_or_below(self, iri: str) -> int:
        """Distinct datasets annotated with `iri` or any of its descendants, in any facet."""
        d = self.derived()
        bits = np.zeros(d.n, dtype=bool)
        for facet in (*HIERARCHICAL, "license"):
            bits |= d.facets[facet].below([iri])
        return int(np.count_nonzero(bits & d.live))


def _check(query: Query) -> None:
    if query.sort not in SORTS:
        raise SearchError(f"sort must be one of {', '.join(SORTS)}", SORTS)
    if query.page < 1 or not 1 <= query.size <= 200:
        raise SearchError("page must be >= 1 and size between 1 and 200")
    unknown = set(query.facets or ()) - set(FACETS)
    if unknown:
        raise SearchError(f"unknown facet(s): {', '.join(sorted(unknown))}", FACETS)
    if (query.facet_limit is not None and query.facet_limit < 1) or (
        query.facet_depth is not None and query.facet_depth < 1
    ):
        raise SearchError("facet_limit and facet_depth must be >= 1")


# --- per-facet arrays -------------------------------------------------------------------------


@dataclass
class FacetData:
    """One facet as arrays over node ids (a node is a value or an ancestor of one).

    pairs (pair_doc[i], pair_node[i]): dataset has value; roll-up (up_node, up_value): the
    value lies at or below the node; below_ptr/below_value: that relation grouped by node;
    overlap (ov_doc, ov_key) with (fix_node, fix_key, fix_weight): datasets whose values share
    ancestors, and by how much a plain roll-up over-counts them at each shared ancestor.
    """

    names: list[str]
    ids: dict[str, int]
    pair_doc: Ints
    pair_node: Ints
    up_node: Ints
    up_value: Ints
    below_ptr: Ints
    below_value: Ints
    ov_doc: Ints
    ov_key: Ints
    fix_node: Ints
    fix_key: Ints
    fix_weight: Floats
    n_keys: int
    tree_parent: list[int]
    kids: list[list[int]]
    roots: list[int]
    n_docs: int
    pair_images: Floats | None = None  # images per pair, for facets of image annotations

    def images(self, selection: Mask) -> Ints | None:
        """Images of the selected datasets at or below every node (None: not counted).

        An image scored with two values under one node counts once per value there.
        """
        if self.pair_images is None:
            return None
        keep = selection[self.pair_doc]
        size = len(self.names)
        per_value = np.bincount(
            self.pair_node[keep], weights=self.pair_images[keep], minlength=size
        )
        rolled = np.bincount(self.up_node, weights=per_value[self.up_value], minlength=size)
        return np.rint(rolled).astype(np.int64)

    def below(self, values: Iterable[str]) -> Mask:
        """Datasets with a value at or below any of `values` (OR)."""
        hit = np.zeros(len(self.names), dtype=bool)
        for value in values:
            node = self.ids.get(value)
            if node is not None:
                hit[self.below_value[self.below_ptr[node] : self.below_ptr[node + 1]]] = True
        mask = np.zeros(self.n_docs, dtype=bool)
        mask[self.pair_doc[hit[self.pair_node]]] = True
        return mask

    def counts(self, selection: Mask) -> Ints:
        """Distinct selected datasets at or below every node."""
        size = len(self.names)
        per_value = np.bincount(self.pair_node[selection[self.pair_doc]], minlength=size)
        rolled = np.bincount(self.up_node, weights=per_value[self.up_value], minlength=size)
        if self.n_keys:
            per_key = np.bincount(self.ov_key[selection[self.ov_doc]], minlength=self.n_keys)
            fix = self.fix_weight * per_key[self.fix_key]
            rolled -= np.bincount(self.fix_node, weights=fix, minlength=size)
        return np.rint(rolled).astype(np.int64)

    def tree(
        self, index: SearchIndex, counts: Ints, query: Query, images: Ints | None = None
    ) -> list[dict[str, Any]]:
        """The nodes with a count as a tree, most datasets first, within the limits asked.

        Each node sits under its first parent present in the facet (an ancestor of a counted
        node is counted too), so the tree stays as small as the node set in a DAG.
        """
        forced = self._forced(counts, query.expand)
        limit = query.facet_limit
        heap: list[tuple[bool, int, str, int, int, dict[str, Any] | None]] = []
        for root in self.roots:
            self._push(heap, counts, forced, root, 1, None)
        roots: list[dict[str, Any]] = []
        emitted: list[tuple[dict[str, Any], int]] = []
        while heap and (limit is None or len(emitted) < limit or not heap[0][0]):
            _free, _neg, _name, node, depth, parent = heapq.heappop(heap)
            entry = self._entry(index, node, int(counts[node]))
            if images is not None:
                entry["images"] = int(images[node])
            (roots if parent is None else parent["children"]).append(entry)
            open_kids = [k for k in self.kids[node] if counts[k]]
            emitted.append((entry, len(open_kids)))
            if query.facet_depth is None or depth < query.facet_depth or node in forced:
                for kid in open_kids:
                    self._push(heap, counts, forced, kid, depth + 1, entry)
        for entry, n_open in emitted:
            entry["children"].sort(key=lambda e: (-e["count"], e["_name"]))
            if n_open > len(entry["children"]):
                entry["more"] = n_open - len(entry["children"])
        for entry, _n in emitted:
            del entry["_name"]
        roots.sort(key=lambda e: (-e["count"], e.get("_name", "")))
        return roots

    def _forced(self, counts: Ints, expand: Sequence[str]) -> set[int]:
        """Nodes shown whatever the limits: paths to expanded nodes and their children."""
        forced: set[int] = set()
        for value in expand:
            node = self.ids.get(value)
            if node is None or not counts[node]:
                continue
            forced.update(k for k in self.kids[node] if counts[k])
            while node >= 0:
                forced.add(node)
                node = self.tree_parent[node]
        return forced

    def _push(
        self,
        heap: list[tuple[bool, int, str, int, int, dict[str, Any] | None]],
        counts: Ints,
        forced: set[int],
        node: int,
        depth: int,
        parent: dict[str, Any] | None,
    ) -> None:
        if counts[node]:
            item = (node not in forced, -int(counts[node]), self.names[node], node, depth, parent)
            heapq.heappush(heap, item)

    def _entry(self, index: SearchIndex, node: int, count: int) -> dict[str, Any]:
        name = self.names[node]
        return {
            "term": index.terms.curie(name),
            "label": _LABELS.get(name) or index.terms.label(name),
            "count": count,
            "children": [],
            "_name": name,
        }


def _ints(values: Iterable[int]) -> Ints:
    return np.fromiter(values, dtype=np.int64)


def _facet_data(index: SearchIndex, facet: str, n: int) -> FacetData:
    """Arrays for one facet from the postings (see FacetData)."""
    hierarchical = facet in HIERARCHICAL
    terms = index.terms
    values = sorted(v for v, docs in index.postings[facet].items() if docs)
    closure: dict[str, list[str]] = {}
    for value in values:
        above = (
            sorted(a for a in terms.ancestors(value) if a in terms.terms) if hierarchical else []
        )
        closure[value] = [value, *above]
    names = sorted({node for nodes in closure.values() for node in nodes})
    ids = {name: i for i, name in enumerate(names)}
    pair_doc: list[int] = []
    pair_node: list[int] = []
    pair_images: list[float] = []
    for value in values:
        docs = index.postings[facet][value]
        pair_doc.extend(docs)
        pair_node.extend([ids[value]] * len(docs))
        pair_images.extend(_images_of(index, doc, facet, value) for doc in docs)
    up = sorted((ids[node], ids[value]) for value in values for node in closure[value])
    up_node = _ints(u for u, _v in up)
    up_value = _ints(v for _u, v in up)
    below_ptr = np.searchsorted(up_node, np.arange(len(names) + 1)).astype(np.int64)
    ov_doc, ov_key, fixes, n_keys = (
        _overlaps(index, facet, closure, ids)
        if hierarchical
        else (
            [],
            [],
            [],
            0,
        )
    )
    tree_parent = [-1] * len(names)
    kids: list[list[int]] = [[] for _ in names]
    if hierarchical:
        for name, node in ids.items():
            parent = next((p for p in terms.parents(name) if p in ids), None)
            if parent is not None:
                tree_parent[node] = ids[parent]
                kids[ids[parent]].append(node)
    data = FacetData(
        names=names,
        ids=ids,
        pair_doc=_ints(pair_doc),
        pair_node=_ints(pair_node),
        up_node=up_node,
        up_value=up_value,
        below_ptr=below_ptr,
        below_value=up_value,
        ov_doc=_ints(ov_doc),
        ov_key=_ints(ov_key),
        fix_node=_ints(f[0] for f in fixes),
        fix_key=_ints(f[1] for f in fixes),
        fix_weight=np.fromiter((f[2] for f in fixes), dtype=np.float64),
        n_keys=n_keys,
        tree_parent=tree_parent,
        kids=kids,
        roots=[node for node in range(len(names)) if tree_parent[node] < 0],
        n_docs=n,
        pair_images=np.array(pair_images, dtype=np.float64) if facet in _IMAGE_FACETS else None,
    )
    return data


def _compound_iri(value: str) -> str | None:
    return chebi_iri(value) or pubchem_iri(value)


_ANNOTATION_IDS = {"gene": gene_iri, "compound": _compound_iri}
# facets with a path through image groups: their trees carry image counts
_IMAGE_FACETS = frozenset(
    f for f, paths in _PATHS.items() if any(p[0] == _IMAGE_GROUP for p in paths)
)


def _images_of(index: SearchIndex, doc_id: int, facet: str, value: str) -> float:
    doc = index.docs[doc_id]
    return float(doc.images.get(facet, {}).get(value, 0)) if doc is not None else 0.0


def _overlaps(
    index: SearchIndex, facet: str, closure: dict[str, list[str]], ids: dict[str, int]
) -> tuple[list[int], list[int], list[tuple[int, int, float]], int]:
    """Datasets whose values' closures intersect, grouped by value set, with the over-count
    (number of its values at or below the node, minus one) at every shared node."""
    keys: dict[frozenset[str], int] = {}
    ov_doc: list[int] = []
    ov_key: list[int] = []
    fixes: list[tuple[int, int, float]] = []
    n_keys = 0
    for doc_id, doc in enumerate(index.docs):
        values = doc.values.get(facet) if doc is not None else None
        if not values or len(values) < 2:
            continue
        value_set = frozenset(values)
        key = keys.get(value_set)
        if key is None:
            seen: dict[str, int] = {}
            for value in values:
                for node in closure[value]:
                    seen[node] = seen.get(node, 0) + 1
            shared = [(ids[node], k - 1) for node, k in seen.items() if k > 1]
            key = n_keys if shared else -1
            n_keys += bool(shared)
            keys[value_set] = key
            fixes.extend((node, key, float(extra)) for node, extra in shared)
        if key >= 0:
            ov_doc.append(doc_id)
            ov_key.append(key)
    return ov_doc, ov_key, fixes, n_keys


# --- derived structures -----------------------------------------------------------------------


@dataclass
class Derived:
    """Arrays computed from the postings; replaced wholesale on change (so caches go too)."""

    n: int
    live: Mask
    facets: dict[str, FacetData]
    orders: dict[str, Ints]
    word_cache: dict[str, tuple[Mask, Ints, Floats]]
    tree_cache: dict[tuple[Any, ...], list[dict[str, Any]]]

    @classmethod
    def compute(cls, index: SearchIndex) -> Derived:
        n = len(index.docs)
        live = np.fromiter((d is not None for d in index.docs), dtype=bool, count=n)
        facets = {facet: _facet_data(index, facet, n) for facet in FACETS}
        return cls(n, live, facets, _orders(index), {}, {})

    def keyword(self, index: SearchIndex, words: list[str], base: Mask) -> tuple[Mask, Floats]:
        """AND of the words' doc sets, and a tf-idf style score per doc."""
        scores = np.zeros(self.n, dtype=np.float64)
        live_count = max(int(np.count_nonzero(self.live)), 1)
        for word in words:
            bits, ids, weights = self._word(index, word)
            base = base & bits
            if ids.size:
                scores[ids] += weights * math.log(1 + live_count / ids.size)
        return base, scores

    def _word(self, index: SearchIndex, word: str) -> tuple[Mask, Ints, Floats]:
        hit = self.word_cache.get(word)
        if hit is None:
            postings = index.words.get(word, {})
            ids = np.fromiter(postings.keys(), dtype=np.int64, count=len(postings))
            weights = np.fromiter(postings.values(), dtype=np.float64, count=len(postings))
            mask = np.zeros(self.n, dtype=bool)
            mask[ids] = True
            hit = (mask, ids, weights)
            if len(self.word_cache) > 10_000:
                self.word_cache.clear()
            self.word_cache[word] = hit
        return hit

    def page(self, bits: Mask, scores: Floats | None, query: Query) -> list[int]:
        """Doc ids of the requested page; ties always broken by IRI for stable paging."""
        start = (query.page - 1) * query.size
        if query.sort == "relevance" and scores is not None:
            hits = np.flatnonzero(bits)
            best = _top(hits, scores[hits], self.orders["iri_rank"], start + query.size)
            return [int(i) for i in best[start:]]
        order = self.orders["title" if query.sort == "title" else "date"]
        ordered = order[bits[order]]
        return [int(i) for i in ordered[start : start + query.size]]


def _top(ids: Ints, score: Floats, rank: Ints, k: int) -> Ints:
    """The k best of `ids` by (score desc, rank asc), in order, without sorting them all."""
    if ids.size > k:
        kth = np.partition(score, ids.size - k)[ids.size - k]
        above = np.flatnonzero(score > kth)
        tied = np.flatnonzero(score == kth)
        need = k - above.size
        if tied.size > need:
            tied = tied[np.argpartition(rank[ids[tied]], need - 1)[:need]]
        keep = np.concatenate([above, tied])
        ids, score = ids[keep], score[keep]
    order = np.lexsort((rank[ids], -score))
    return ids[order][:k]


def _orders(index: SearchIndex) -> dict[str, Ints]:
    live = [(i, d) for i, d in enumerate(index.docs) if d is not None]
    by_iri = sorted(live, key=lambda item: item[1].iri)
    rank = np.zeros(len(index.docs), dtype=np.int64)
    for position, (i, _doc) in enumerate(by_iri):
        rank[i] = position
    by_title = sorted(live, key=lambda item: (item[1].title.lower(), item[1].iri))
    # newest first; undated last; IRI breaks ties
    dated = sorted((x for x in live if x[1].date), key=lambda x: x[1].iri)
    dated.sort(key=lambda x: x[1].date, reverse=True)
    undated = [x for x in by_iri if not x[1].date]
    return {
        "iri_rank": rank,
        "title": np.array([i for i, _ in by_title], dtype=np.int64),
        "date": np.array([i for i, _ in dated + undated], dtype=np.int64),
    }
