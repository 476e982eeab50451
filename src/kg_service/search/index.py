"""The search index: keyword relevance from tantivy, facet counts from numpy, kept on disk.

Life cycle. The index lives in a folder beside the store (`KG_SEARCH_INDEX_PATH`, default
`<store>.search`) and is a cache of the store. A server that finds a usable index opens it
and serves at once (its facet arrays are read back from the engine in well under a second
at 100,000 datasets); without one it builds it in the background, answering 503 meanwhile.
Every write reaches `refresh(store, graph_iris)` (the store's change listener, and the
submissions API), which re-reads those graphs and commits, before the write's 2xx. An index
left by a process that died while writing is served and rebuilt in the background.

Queries run on a snapshot (the engine's searcher and the arrays for it), replaced whole after
every commit, so a query never sees half a write and never waits for one.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import tantivy
from tantivy import Occur, Order
from tantivy import Query as Engine

from kg_service.ingest.identifiers import chebi_iri, gene_iri, pubchem_iri
from kg_service.search.engine import FORMAT, TextIndex, hit_mask, next_ord, ords
from kg_service.search.facets import (
    FACET_LIMIT,
    FacetData,
    Ints,
    Mask,
    Pairs,
    TreeShape,
    facet_data,
)
from kg_service.search.query import Query, Reading, SearchError, check, read_terms
from kg_service.search.reading import Doc, read_docs
from kg_service.search.table import FACETS, HIERARCHICAL, IMAGE_FACETS, KG, table_fingerprint
from kg_service.search.text import (
    IMAGES_MARK,
    QueryBuilder,
    TermNames,
    document,
    facet_token,
    read_images,
    split_query,
)
from kg_service.store import Store
from kg_service.terms.index import TermIndex, terms_dir

log = logging.getLogger("kg_service.search")
MASKS = 64  # keyword masks kept per snapshot
TREES = 512  # facet trees kept per snapshot (15 per distinct selection; ~100 nodes each)
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def fingerprint(source: str = "") -> str:
    """The store the documents come from, and the facet table and term files they depend
    on (labels, lineage)."""
    digest = hashlib.sha256(f"{source}\n{table_fingerprint()}".encode())
    for path in sorted(terms_dir().glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- snapshots --------------------------------------------------------------------------------


@dataclass
class Facts:
    """What the facet arrays are made of: live dataset numbers and (dataset, value) pairs."""

    live: Mask
    pairs: dict[str, Pairs]

    @property
    def n(self) -> int:
        return int(self.live.size)

    def changed(self, removed: Ints, added: Sequence[tuple[int, Doc]]) -> Facts:
        """A new Facts after a write (the old one stays valid for queries running on it)."""
        size = max([self.n, *(number + 1 for number, _ in added)])
        live = np.zeros(size, dtype=bool)
        live[: self.n] = self.live
        live[removed] = False
        pairs = {}
        for facet, old in self.pairs.items():
            docs = [number for number, doc in added for _ in doc.values.get(facet, ())]
            values = [v for _, doc in added for v in sorted(doc.values.get(facet, ()))]
            images = [
                (number, value, n)
                for number, doc in added
                for value, n in sorted(doc.images.get(facet, {}).items())
            ]
            pairs[facet] = old.extended(docs, values, images) if docs else old
        for number, _ in added:
            live[number] = True
        return Facts(live, pairs)


def read_facts(searcher: tantivy.Searcher, schema: tantivy.Schema) -> Facts:
    """The facet pairs read back from the engine: one term query per facet value, and the
    image counts stored with the documents that have them."""
    numbers = ords(searcher, Engine.all_query())
    live = np.zeros(int(numbers.max()) + 1 if numbers.size else 0, dtype=bool)
    live[numbers] = True
    pairs: dict[str, Pairs] = {}
    for facet in FACETS:
        found = Pairs()
        docs: list[Ints] = []
        values: list[Ints] = []
        prefix = facet_token(facet, "")
        for token, frequency in searcher.terms_with_prefix("facet", prefix):
            hits = ords(searcher, Engine.term_query(schema, "facet", token), frequency)
            if hits.size:
                docs.append(hits)
                values.append(np.full(hits.size, found.value_id(token[len(prefix) :])))
        if docs:
            found.doc, found.value = np.concatenate(docs), np.concatenate(values)
        pairs[facet] = found.by_doc()
    for facet, images in read_image_counts(searcher, schema).items():
        if facet in pairs:
            pairs[facet].add_images(images)
    return Facts(live, pairs)


def read_image_counts(
    searcher: tantivy.Searcher, schema: tantivy.Schema
) -> dict[str, list[tuple[int, str, int]]]:
    """facet -> (dataset number, value, images), from the stored `images` fields: one read
    per document that has image counts (those marked IMAGES_MARK)."""
    found: dict[str, list[tuple[int, str, int]]] = {}
    marked = searcher.doc_freq("facet", IMAGES_MARK)  # deleted documents included: enough
    if not marked:
        return found
    query = Engine.term_query(schema, "facet", IMAGES_MARK)
    for _score, address in searcher.search(query, marked, count=False).hits:
        stored = searcher.doc(address)
        number = stored.get_first("ord")
        if not isinstance(number, int):  # every document has one; for the type checker
            continue
        for facet, counted in read_images(stored.get_first("images")).items():
            found.setdefault(facet, []).extend((number, v, n) for v, n in counted.items())
    return found


class Snapshot:
    """A consistent view for queries: a searcher and the facet arrays of the same commit."""

    def __init__(self, searcher: tantivy.Searcher, facts: Facts, terms: TermIndex) -> None:
        self.searcher = searcher
        self.facts = facts
        self.terms = terms
        self.tree_cache: OrderedDict[tuple[Any, ...], list[dict[str, Any]]] = OrderedDict()
        self._facets: dict[str, FacetData] = {}
        self._masks: OrderedDict[str, Mask] = OrderedDict()
        self._lock = threading.Lock()

    def facet(self, name: str) -> FacetData:
        with self._lock:
            data = self._facets.get(name)
            if data is None:
                hierarchical = name in HIERARCHICAL
                pairs = self.facts.pairs[name]
                images = name in IMAGE_FACETS
                data = facet_data(
                    pairs, self.terms, hierarchical, self.facts.n, images, self.facts.live
                )
                self._facets[name] = data
            return data

    def keyword_mask(self, q: str, find: Callable[[], Mask]) -> Mask:
        """Datasets matching the words `q` (`find` gives their mask). The last MASKS masks
        are kept: paging and facet clicks repeat the words of the search before."""
        key = " ".join(q.split())
        with self._lock:
            hit = self._masks.get(key)
            if hit is not None:
                self._masks.move_to_end(key)
                return hit
        mask = find()
        with self._lock:
            self._masks[key] = mask
            if len(self._masks) > MASKS:
                self._masks.popitem(last=False)
        return mask

    def cached_tree(self, key: tuple[Any, ...]) -> list[dict[str, Any]] | None:
        """A facet tree kept by `keep_tree` (shared: callers must not change it)."""
        with self._lock:
            tree = self.tree_cache.get(key)
            if tree is not None:
                self.tree_cache.move_to_end(key)
            return tree

    def keep_tree(self, key: tuple[Any, ...], tree: list[dict[str, Any]]) -> None:
        """Keep `tree` for its selection (the last TREES trees are kept)."""
        with self._lock:
            self.tree_cache[key] = tree
            if len(self.tree_cache) > TREES:
                self.tree_cache.popitem(last=False)

    def forget(self) -> None:
        """Drop the query caches (for benchmarks of the uncached path)."""
        with self._lock:
            self._masks.clear()
            self.tree_cache.clear()

    def warm(self) -> Snapshot:
        """Compute every facet's arrays and whole counts now, so that no query pays for them."""
        for name in FACETS:
            self.facet(name).prepare()
        return self

    def dataset_count(self) -> int:
        """How many datasets the index holds."""
        return int(np.count_nonzero(self.facts.live))

    def total(self, facet: str, iri: str) -> int:
        """Datasets at or below `iri` in one facet, over the whole index."""
        data = self.facet(facet)
        node = data.ids.get(iri)
        return int(data.whole()[node]) if node is not None else 0


# --- the index --------------------------------------------------------------------------------


@dataclass
class _Pending:
    graphs: set[str] = field(default_factory=set)
    everything: bool = False


class SearchIndex:
    """Keyword and faceted search over the datasets in the store (see the module doc)."""

    def __init__(
        self, terms: TermIndex, base_iri: str = "", path: Path | None = None, source: str = ""
    ) -> None:
        self.terms = terms
        self.base_iri = base_iri
        self.path = path
        self.engine = TextIndex(path)
        self.queries = QueryBuilder(self.engine.schema)
        self.names = TermNames(terms)
        self.fingerprint = fingerprint(source)
        self.ready = threading.Event()
        self.failure: str | None = None
        self._snapshot: Snapshot | None = None
        self._write = threading.RLock()
        self._pending_lock = threading.Lock()
        self._pending: _Pending | None = None  # set while a rebuild runs: writes wait in it
        self._thread: threading.Thread | None = None
        self.reopened = False  # served from disk at start, not built
        if self.usable:
            self.ready.set()

    # --- state --------------------------------------------------------------------------------

    @property
    def usable(self) -> bool:
        """The folder holds an index made by this code from these tables."""
        return self.engine.built_with(self.fingerprint)

    @property
    def state(self) -> str:
        """ready, building or failed (for /health and the 503 answers)."""
        if self.ready.is_set():
            return "ready"
        return "failed" if self.failure else "building"

    @property
    def rebuilding(self) -> bool:
        return self._pending is not None

    def snapshot(self) -> Snapshot:
        """The current view; read from the engine on first use."""
        snapshot = self._snapshot
        if snapshot is None:
            with self._write:
                if self._snapshot is None:
                    searcher = self.engine.searcher()
                    facts = read_facts(searcher, self.engine.schema)
                    self._snapshot = Snapshot(searcher, facts, self.terms)
                snapshot = self._snapshot
        return snapshot

    # --- building -----------------------------------------------------------------------------

    def start(self, store: Store) -> None:
        """At server start: serve the index on disk when usable, else build it (background).

        A usable index is also checked against the store: graphs written elsewhere since it
        was closed are re-read; an index whose last writer died, or whose dataset count
        disagrees with the store, is rebuilt in the background while it serves.
        """
        if not self.usable:
            self.build_in_background(store)
            return
        self.reopened = True
        clean = self.engine.closed_cleanly  # (the writer may be claimed already: see lifecycle)
        self.engine.writer()  # claim the folder (and note that it is open for writing)
        self.snapshot().warm()
        changed = _changed_since(store, self.engine.meta.get("markers", {}))
        if changed:
            self._refresh_now(store, changed)
        if not clean:
            log.warning("the search index was not closed cleanly: rebuilding it in the background")
            self.build_in_background(store)
        else:
            threading.Thread(
                target=self._check_count, args=(store,), name="search-check", daemon=True
            ).start()

    def _check_count(self, store: Store) -> None:
        """Rebuild when the store holds another number of datasets than the index (writes
        that bypassed the service, such as a bulk load or a restore)."""
        try:
            query = f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d a <{KG}Dataset> }}"
            rows = store.select(query)
            stored = int(str(rows[0]["n"])) if rows else 0
        except Exception:
            log.exception("could not count the datasets in the store")
            return
        indexed = int(np.count_nonzero(self.snapshot().facts.live))
        if stored != indexed and not self.rebuilding:
            log.warning("store has %d datasets, search index %d: rebuilding", stored, indexed)
            self.build_in_background(store)

    def build(self, store: Store) -> None:
        """Index every dataset in the store (replaces whatever the index held)."""
        with self._write:
            markers = _markers(store)
            docs = read_docs(store, None)
            writer = self.engine.writer()
            writer.delete_all_documents()
            for number, doc in enumerate(docs.values()):
                writer.add_document(document(doc, number, self.names))
            searcher = self.engine.commit()
            self.engine.save_meta(format=FORMAT, fingerprint=self.fingerprint, markers=markers)
            facts = read_facts(searcher, self.engine.schema)
            self._snapshot = Snapshot(searcher, facts, self.terms).warm()
        self.ready.set()

    def build_in_background(self, store: Store) -> threading.Thread:
        """Rebuild in a thread (`ready.wait()` waits for a first build).

        Reading 100k datasets from the store takes about a minute, and the rest of the
        service need not wait. An index already on disk keeps answering meanwhile; a first
        build answers 503. Writes meanwhile are applied right after the rebuild.
        """
        with self._pending_lock:
            if self._pending is not None and self._thread is not None:
                self._pending.everything = True  # already running: once more after it
                return self._thread
            self._pending = _Pending()
            if not self.usable:
                self.ready.clear()
            self.failure = None
            self._thread = threading.Thread(
                target=self._build_then_catch_up, args=(store,), name="search-index", daemon=True
            )
            self._thread.start()
            return self._thread

    def _build_then_catch_up(self, store: Store) -> None:
        try:
            self.build(store)
            while True:
                with self._pending_lock:
                    pending = self._pending or _Pending()
                    if not pending.graphs and not pending.everything:
                        self._pending = None
                        return
                    self._pending = _Pending()
                if pending.everything:
                    self.build(store)
                else:
                    self._refresh_now(store, pending.graphs)
        except Exception as error:  # the service goes on; search reports why it cannot answer
            log.exception("building the search index failed")
            self.failure = f"{type(error).__name__}: {error}"
            with self._pending_lock:
                self._pending = None

    def refresh(self, store: Store, graph_iris: Iterable[str]) -> None:
        """Re-read the given named graphs after a write (replace or delete) in the store.

        "*" (an arbitrary SPARQL update) rebuilds everything, in the background.
        """
        graphs = set(graph_iris)
        with self._pending_lock:
            if self._pending is not None:  # the rebuild applies them when it is done
                self._pending.graphs |= graphs
                self._pending.everything |= "*" in graphs
                return
        if "*" in graphs:
            self.build_in_background(store)
            return
        self._refresh_now(store, graphs)

    def _refresh_now(self, store: Store, graphs: Iterable[str]) -> None:
        todo = sorted(graphs)
        with self._write:
            markers = _markers(store)
            searcher = self.engine.searcher()
            writer = self.engine.writer()
            removed = [
                ords(searcher, Engine.term_query(self.engine.schema, "graph", g)) for g in todo
            ]
            gone = np.concatenate(removed) if removed else np.zeros(0, dtype=np.int64)
            for graph in todo:
                writer.delete_documents_by_term("graph", graph)
            number = next_ord(searcher)
            added: list[tuple[int, Doc]] = []
            for graph in todo:
                for doc in read_docs(store, graph).values():
                    if self._elsewhere(searcher, doc.iri, gone):
                        continue  # the same dataset in another graph: keep one
                    writer.add_document(document(doc, number, self.names))
                    added.append((number, doc))
                    number += 1
            searcher = self.engine.commit()
            known = dict(self.engine.meta.get("markers", {}))
            for graph in todo:
                if graph in markers:
                    known[graph] = markers[graph]
                else:
                    known.pop(graph, None)
            self.engine.save_meta(markers=known)
            if self._snapshot is not None:
                facts = self._snapshot.facts.changed(gone, added)
                self._snapshot = Snapshot(searcher, facts, self.terms).warm()

    def _elsewhere(self, searcher: tantivy.Searcher, iri: str, gone: Ints) -> bool:
        found = ords(searcher, Engine.term_query(self.engine.schema, "iri", iri), 4)
        return bool(np.setdiff1d(found, gone).size)

    def close(self) -> None:
        """Release the engine's writer (the index on disk is then marked clean)."""
        with self._write:
            self.engine.close()

    # --- querying -----------------------------------------------------------------------------

    def parse_value(self, facet: str, value: str) -> str:
        """A filter value -> the IRI or literal the index holds; SearchError when unknown."""
        if facet not in FACETS:
            raise SearchError(f"unknown facet {facet!r}", FACETS)
        if facet in HIERARCHICAL or facet == "license":
            iri = self.terms.to_iri(value)
            if iri:
                return iri
            if value in self.snapshot().facts.pairs[facet].ids or _IRI.match(value):
                return value
            hints = [f"{t.curie} {t.label}" for t in self.terms.suggest(value, limit=5)]
            raise SearchError(f"{facet}: {value!r} is not a known term IRI or CURIE", hints)
        if facet in _ANNOTATION_IDS:  # issue 16: `gene=ENSG...`, `compound=CID:679`
            return _ANNOTATION_IDS[facet](value) or value
        if facet == "kind" and ":" not in value:
            return f"{KG}{value.capitalize()}DataKind"
        return value

    def read_terms(self, q: str) -> Reading:
        """How `q` is read: term ids, IRIs and an exact term name become filters."""
        snap = self.snapshot()
        return read_terms(q, self.terms, snap.total)

    def search(self, query: Query) -> dict[str, Any]:
        """Run a query: total, one page of results, and facet trees with rolled-up counts."""
        check(query)
        snap = self.snapshot()
        filters = {f: list(v) for f, v in query.filters.items() if v}
        excluded = {f: list(v) for f, v in query.exclude.items() if v}
        q, interpreted = self._read_q(query, filters)
        keyword = self.queries.build(split_query(q))
        # a term name that became a filter still ranks: datasets whose text says it first
        ranking = self.queries.build(split_query(query.q)) if interpreted and not q else None
        engine_query = self._engine_query(snap, keyword, ranking, filters, excluded)
        rank = keyword or ranking
        answer: dict[str, Any] = {"page": query.page, "size": query.size, "sort": query.sort}
        if query.facets is not None and not query.facets:  # no trees: the engine counts
            answer["results"], answer["total"] = self._page(snap, engine_query, query, rank)
        else:
            answer.update(
                self._counted(snap, query, q, (keyword, engine_query, rank), filters, excluded)
            )
        answer.setdefault("facets", {})
        if interpreted is not None:
            answer["interpreted"] = interpreted
        return answer

    def _counted(
        self,
        snap: Snapshot,
        query: Query,
        q: str,
        engines: tuple[Engine | None, Engine, Engine | None],
        filters: dict[str, list[str]],
        excluded: dict[str, list[str]],
    ) -> dict[str, Any]:
        """Total, page and facet trees, counted over the arrays (see `_facets`).

        The page runs first: its count, over the datasets the filters leave, tells what part
        of them the words match, so the words' mask is read from the smaller side."""
        keyword, engine_query, rank = engines
        base = snap.facts.live
        for facet, values in excluded.items():
            base = base & ~snap.facet(facet).below(values)
        include = {f: snap.facet(f).below(v) for f, v in filters.items()}
        chosen = base
        for bits in include.values():
            chosen = chosen & bits
        results, count = self._page(snap, engine_query, query, rank)
        if keyword is not None:
            left = int(np.count_nonzero(chosen))
            share = count / left if left else None
            find = partial(hit_mask, snap.searcher, keyword, snap.facts.n, share)
            words = snap.keyword_mask(q, find)
            base, chosen = base & words, chosen & words
        total = int(np.count_nonzero(chosen))
        facets = self._facets(snap, query, (base, include), (q, filters, excluded))
        return {"total": total, "results": results if total else [], "facets": facets}

    def _read_q(self, query: Query, filters: dict[str, list[str]]) -> tuple[str, Any]:
        """The words of `q` left once its terms became filters (added to `filters`), and
        what was read, for the answer (None when nothing was)."""
        if not query.q.strip() or query.words:
            return query.q, None
        reading = self.read_terms(query.q)
        if not reading.filters:
            return query.q, None
        for facet, iris in reading.filters.items():
            filters[facet] = [*filters.get(facet, []), *iris]
        curies = {f: [self.terms.curie(i) for i in iris] for f, iris in reading.filters.items()}
        return reading.q, {"q": reading.q, "filters": curies}

    def _engine_query(
        self,
        snap: Snapshot,
        keyword: Engine | None,
        ranking: Engine | None,
        filters: dict[str, list[str]],
        excluded: dict[str, list[str]],
    ) -> Engine:
        """The selection as one engine query (the same the facet arrays make): the keyword
        must match (or, for a term name read as a filter, only ranks), filters as value sets."""
        clauses: list[tuple[Occur, Engine]] = []
        if keyword is not None:
            clauses.append((Occur.Must, keyword))
        elif ranking is not None:
            clauses.append((Occur.Should, ranking))
        for facet, values in filters.items():
            clauses.append((Occur.Must, self._values_query(snap, facet, values)))
        for facet, values in excluded.items():
            clauses.append((Occur.MustNot, self._values_query(snap, facet, values)))
        if not any(occur == Occur.Must for occur, _ in clauses):
            clauses.append((Occur.Must, Engine.all_query()))
        return Engine.boolean_query(clauses)

    def _page(
        self, snap: Snapshot, engine_query: Engine, query: Query, words: Engine | None
    ) -> tuple[list[dict[str, str]], int]:
        """One page in the order asked (relevance needs words; else newest first), and the
        engine's count of the selection."""
        start = (query.page - 1) * query.size
        if query.sort == "relevance" and words is not None:
            found = snap.searcher.search(engine_query, query.size, offset=start)
        else:
            key, order = (
                ("title_key", Order.Asc) if query.sort == "title" else ("date_key", Order.Desc)
            )
            found = snap.searcher.search(
                engine_query, query.size, offset=start, order_by_field=key, order=order
            )
        results = [self._result(snap.searcher.doc(address)) for _, address in found.hits]
        return results, int(getattr(found, "count", 0) or 0)  # (missing from the stubs)

    def _values_query(self, snap: Snapshot, facet: str, values: list[str]) -> Engine:
        below = snap.facet(facet).values_below(values)
        tokens = [facet_token(facet, v) for v in below]
        if not tokens:
            return Engine.term_query(self.engine.schema, "facet", facet_token(facet, "\x00none"))
        return Engine.term_set_query(self.engine.schema, "facet", tokens)

    def _result(self, stored: tantivy.Document) -> dict[str, str]:
        iri = str(stored.get_first("iri"))
        record_id = iri[len(self.base_iri) :] if iri.startswith(self.base_iri) else iri
        return {"id": record_id, "title": str(stored.get_first("title") or ""), "url": iri}

    def _facets(
        self,
        snap: Snapshot,
        query: Query,
        masks: tuple[Mask, dict[str, Mask]],
        selected: tuple[str, dict[str, list[str]], dict[str, list[str]]],
    ) -> dict[str, list[dict[str, Any]]]:
        """Each facet counted over the selection of every other filter (multi-select).

        Trees are kept per snapshot by what selects them (words, exclusions, the other
        facets' filters, the shape asked): paging, and a click on a value of one facet,
        recount only the facets whose selection changed."""
        base, include = masks
        words, filters, excluded = selected
        wanted = FACETS if query.facets is None else [f for f in FACETS if f in query.facets]
        shape = TreeShape(query.facet_limit, query.facet_depth, query.expand)
        shape_key = (query.facet_limit, query.facet_depth, tuple(sorted(query.expand)))
        common = (" ".join(words.split()), _frozen(excluded), shape_key)
        # whole trees (facet_limit=None) are kept for the unfiltered view alone: they are big
        small = query.facet_limit is not None and query.facet_limit <= FACET_LIMIT
        keep = small or not (words.strip() or filters or excluded)
        trees = {}
        for facet in wanted:
            others = _frozen({f: v for f, v in filters.items() if f != facet})
            cache_key = (facet, others, *common)
            cached = snap.cached_tree(cache_key)
            if cached is not None:
                trees[facet] = cached
                continue
            selection = base
            for other, bits in include.items():
                if other != facet:
                    selection = selection & bits
            data = snap.facet(facet)
            counts, images = data.counts_and_images(selection)
            trees[facet] = data.tree(self.terms, counts, shape, images)
            if keep:
                snap.keep_tree(cache_key, trees[facet])
        return trees

    def count_at_or_below(self, iri: str) -> int:
        """Distinct datasets annotated with `iri` or any of its descendants, in any facet."""
        snap = self.snapshot()
        bits = np.zeros(snap.facts.n, dtype=bool)
        for facet in (*HIERARCHICAL, "license"):
            bits |= snap.facet(facet).below([iri])
        return int(np.count_nonzero(bits & snap.facts.live))


def _frozen(values: dict[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Filters as a key: facet order and value order do not matter."""
    return tuple(sorted((facet, tuple(sorted(set(v)))) for facet, v in values.items() if v))


def _markers(store: Store) -> dict[str, str]:
    """Write stamps per graph, for stores that keep them (a SPARQL server shared by several
    API instances); empty for the embedded store, whose writes all pass through its owner."""
    markers = getattr(store, "change_markers", None)
    return dict(markers()) if callable(markers) else {}


def _changed_since(store: Store, known: dict[str, str]) -> list[str]:
    """Graphs whose write stamp differs from the one the index has read."""
    now = _markers(store)
    return sorted(g for g in set(now) | set(known) if now.get(g) != known.get(g))


def _compound_iri(value: str) -> str | None:
    return chebi_iri(value) or pubchem_iri(value)


# facets whose values may be typed as database ids (issue 16)
_ANNOTATION_IDS: dict[str, Callable[[str], str | None]] = {
    "gene": gene_iri,
    "compound": _compound_iri,
}
