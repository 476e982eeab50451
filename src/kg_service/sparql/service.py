"""The public SPARQL service: policy check, cache, time-limited execution, admin updates.

Kept apart from the HTTP router so the protocol layer only maps requests and errors, and the
same service can be driven by tools and tests. It follows the store: a write clears the cache
at once, has the query workers move to a new checkpoint, and asks for the VoID graph to be
recomputed in the background (when the endpoint metadata was published into this store).
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, replace

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from kg_service.config import Settings
from kg_service.ops.refresher import Refresher
from kg_service.sparql.cache import CachedAnswer, QueryCache
from kg_service.sparql.dataset import explicit, names_dataset, resolve
from kg_service.sparql.examples import publish_examples
from kg_service.sparql.executor import QueryExecutor
from kg_service.sparql.guard import ServicePolicy, check_query, may_federate
from kg_service.sparql.lookup import answer as answer_lookup
from kg_service.sparql.lookup import parse as parse_lookup
from kg_service.sparql.snapshots import Snapshots
from kg_service.sparql.void import (
    examples_graph,
    is_current,
    mark_current,
    refresh,
    service_description,
    void_graph,
)
from kg_service.sparql.worker import QueryJob, QueryReply, execute
from kg_service.store import OxigraphStore, Store, UserQueryError
from kg_service.store.sparql_store import SparqlHttpStore

log = logging.getLogger("kg_service.sparql")
_VOLATILE = ("now(", "rand(", "uuid(", "struuid(", "bnode(")


class NotAcceptable(ValueError):
    """The query's result form cannot be written in any type the client accepts (406)."""


class TooManyRows(ValueError):
    """The answer has more rows than the configured cap."""


class QueryFailed(RuntimeError):
    """The engine failed while running the query (500, message shown: it is the user's query)."""


class UpdateForbidden(PermissionError):
    """SPARQL Update without the admin token (403)."""


class DatasetUnsupported(ValueError):
    """`default-graph-uri` / `named-graph-uri` sent to a service over a remote store (400)."""


@dataclass(frozen=True)
class QueryRequest:
    """A protocol request reduced to what changes the answer (also the cache key).

    Empty graph lists mean the request names no dataset (the union default graph); the
    service replaces them by the dataset the request does name (see sparql/dataset.py).
    """

    query: str
    results_type: str | None
    graph_type: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class SparqlService:
    """One per app: owns the cache and the worker pool for its store."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.policy = ServicePolicy.of(settings.sparql_service_allowlist)
        self.cache = QueryCache(settings.query_cache_entries)
        self.executor: QueryExecutor | None = None
        self.snapshots: Snapshots | None = None
        if isinstance(store, OxigraphStore) and store.path is not None:
            # workers read checkpoints, never the live store (see snapshots.py)
            self.snapshots = Snapshots(store, settings.snapshot_folder)
            self.snapshots.refresh()
            self.executor = QueryExecutor(
                store.path, settings.query_workers, settings.query_timeout_s
            )
            store.add_change_listener(self._on_change)
        elif isinstance(store, SparqlHttpStore):  # writes by any API instance, seen by polling
            store.add_change_listener(self._on_change)
        self.void = Refresher(self._refresh_void, "void-statistics")

    @property
    def generation(self) -> int:
        """The store state answers come from: the newest checkpoint when workers are used."""
        if self.snapshots is not None:
            return self.snapshots.latest()[0]
        return int(getattr(self.store, "generation", 0))

    def _on_change(self, graphs: frozenset[str]) -> None:
        if self.snapshots is not None:
            self.snapshots.refresh()
        self.cache.clear()
        own = {void_graph(self.settings.base_iri), examples_graph(self.settings.base_iri)}
        if not graphs <= own:
            self.void.request()  # recomputed in the background, never inside the write

    def _refresh_void(self) -> None:
        """Recompute the VoID graph, if the endpoint metadata was published into this store."""
        if void_graph(self.settings.base_iri) in self.store.graph_names():
            refresh(self.store, self.settings.base_iri)

    def publish(self) -> None:
        """Write the example queries and the VoID/service description into the store."""
        publish_examples(self.store, self.settings.base_iri)
        refresh(self.store, self.settings.base_iri)

    def publish_at_start(self) -> None:
        """`publish` for a starting server: the statistics are computed in the background
        (`void.wait_idle()` waits for them).

        They take about a minute at 100,000 datasets. Until they are in, the service
        description shows the previous ones, or only its static part on a new store.
        """
        current = is_current(self.store, self.settings.base_iri)
        publish_examples(self.store, self.settings.base_iri)
        if current:  # the examples are not counted in the statistics: still current
            mark_current(self.store, self.settings.base_iri)
            return
        if void_graph(self.settings.base_iri) not in self.store.graph_names():
            self.store.replace_graph(
                void_graph(self.settings.base_iri), service_description(self.settings.base_iri)
            )
        self.void.request()

    def query(self, request: QueryRequest) -> CachedAnswer:
        """Check, then answer from the cache or a worker (waiting in this thread).

        :raises QueryRefused, QueryUnchecked: policy (403) or unparsable SERVICE query (400).
        :raises UserQueryError: syntax error (400); NotAcceptable (406); TooManyRows;
            QueryTimeout; QueryFailed.
        """
        looked_up = self._lookup_first(request)
        if looked_up is not None:
            return looked_up
        request = self._with_dataset(request)
        ready, generation, cacheable = self._early_answer(request)
        if ready is not None:
            return ready
        answer = self._execute(request, generation)
        if cacheable:
            self.cache.put(request, generation, answer)
        return answer

    async def query_async(self, request: QueryRequest) -> CachedAnswer:
        """`query` for the event loop, same checks and errors.

        The common case (no SERVICE to parse, a worker pool) never leaves the loop: a lookup is
        answered right here (its work is bounded, see lookup.py), any other query awaits
        the worker hop rather than waiting for it in a thread. The rest (rdflib parse of a
        SERVICE query, a store without workers) runs in the thread pool.
        """
        looked_up = self._lookup_first(request)
        if looked_up is not None:
            return looked_up
        if self.executor is None or may_federate(request.query) or names_dataset(request.query):
            return await run_in_threadpool(self.query, request)
        request = self._with_dataset(request)  # protocol graphs only here: instant
        ready, generation, cacheable = self._early_answer(request)  # no SERVICE: instant
        if ready is not None:
            return ready
        answer = _answer(await self.executor.run_async(self._job(request, generation)))
        if cacheable:
            self.cache.put(request, generation, answer)
        return answer

    def _lookup_first(self, request: QueryRequest) -> CachedAnswer | None:
        """A lookup answered here on the live store, before any other screening (None: not
        a lookup, or an answer over the in-process budget, left to the usual path).

        Not cached: it costs little more than a cache hit, and a crawler's thousands of
        distinct lookups would push the costly answers out of the cache.
        """
        if not isinstance(self.store, OxigraphStore):
            return None
        return lookup_answer(self.store.engine, request, self.settings)

    def _with_dataset(self, request: QueryRequest) -> QueryRequest:
        """The request with the dataset it names made explicit (SPARQL 1.1 Query §13).

        :raises UserQueryError: FROM clauses that cannot be read.
        :raises DatasetUnsupported: protocol graphs for a remote store (it takes none).
        """
        if isinstance(self.store, SparqlHttpStore):
            if request.default_graphs or request.named_graphs:
                raise DatasetUnsupported(
                    "default-graph-uri and named-graph-uri are not supported by this "
                    "deployment (remote store); name the graphs with FROM / FROM NAMED instead"
                )
            return request  # the remote engine reads FROM itself
        dataset = resolve(
            request.query, request.default_graphs, request.named_graphs, self.settings.base_iri
        )
        return replace(
            request, default_graphs=dataset.default_graphs, named_graphs=dataset.named_graphs
        )

    def _early_answer(self, request: QueryRequest) -> tuple[CachedAnswer | None, int, bool]:
        """The policy check (the one gate), then a cached answer if one serves.

        Otherwise (None, the store generation to answer from, whether to cache the answer).
        """
        check_query(request.query, self.policy)
        generation = self.generation
        cacheable = _cacheable(request.query)
        hit = self.cache.get(request, generation) if cacheable else None
        return hit, generation, cacheable

    def _job(self, request: QueryRequest, generation: int, source: str | None = None) -> QueryJob:
        chosen = self._source(generation) if source is None else source
        return _job(request, self.settings, generation, chosen)

    def _source(self, generation: int) -> str:
        """The newest checkpoint (at least as new as `generation`), for the worker to open."""
        if self.snapshots is None:
            return ""
        return str(self.snapshots.latest()[1])

    def _execute(self, request: QueryRequest, generation: int) -> CachedAnswer:
        if self.executor is None and isinstance(self.store, OxigraphStore):
            # an in-memory store: the worker's code, in this thread (no time limit to enforce)
            return _answer(execute(self.store.engine, self._job(request, generation, source="")))
        if self.executor is None:
            result = self.store.sparql(
                request.query,
                request.results_type or "application/sparql-results+json",
                request.graph_type or "text/turtle",
            )
            return CachedAnswer(result.body, result.media_type)
        return _answer(self.executor.run(self._job(request, generation)))

    def update(self, update: str, token: str | None) -> None:
        """Run a SPARQL Update when `token` matches the configured admin token."""
        expected = self.settings.admin_token
        if expected is None or token is None:
            raise UpdateForbidden("SPARQL Update needs the admin token")
        if not hmac.compare_digest(token.encode(), expected.get_secret_value().encode()):
            raise UpdateForbidden("SPARQL Update needs the admin token")
        run = getattr(self.store, "update", None)
        if run is None:
            raise UpdateForbidden("this store does not take SPARQL Update here")
        run(update)

    def close(self) -> None:
        self.void.close()
        if self.executor is not None:
            self.executor.close()
        if self.snapshots is not None:
            self.snapshots.close()


def lookup_answer(
    engine: ox.Store, request: QueryRequest, settings: Settings
) -> CachedAnswer | None:
    """The answer to a lookup (lookup.py) from `engine`, or None: not a lookup, or an
    answer over the in-process budget. Used by the service and by the lookup front.

    The lookup grammar admits neither SERVICE nor FROM nor escapes, so the policy has
    nothing to check and the dataset is the protocol's graphs or the union: the screens
    `query` runs (SERVICE and FROM scans, an rdflib parse when an IRI merely contains
    "service") would only repeat what the grammar already settled.

    :raises UserQueryError, TooManyRows, QueryFailed, NotAcceptable: as `SparqlService.query`.
    """
    lookup = parse_lookup(request.query)
    if lookup is None:
        return None
    if request.default_graphs or request.named_graphs:
        dataset = explicit(request.default_graphs, request.named_graphs)
        request = replace(
            request, default_graphs=dataset.default_graphs, named_graphs=dataset.named_graphs
        )
    reply = answer_lookup(engine, _job(request, settings, 0, ""), lookup)
    return None if reply is None else _answer(reply)


def _job(request: QueryRequest, settings: Settings, generation: int, source: str) -> QueryJob:
    return QueryJob(
        query=request.query,
        results_type=request.results_type or "",
        graph_type=request.graph_type or "",
        default_graphs=request.default_graphs,
        named_graphs=request.named_graphs,
        max_rows=settings.max_query_rows,
        base_iri=settings.base_iri,
        generation=generation,
        source=source,
    )


def _cacheable(query: str) -> bool:
    """Federated and volatile (NOW(), RAND()...) answers are never reused."""
    lowered = query.lower()
    return not may_federate(lowered) and not any(marker in lowered for marker in _VOLATILE)


def _answer(reply: QueryReply) -> CachedAnswer:
    if reply.status == "ok":
        return CachedAnswer(reply.body, reply.media_type)
    if reply.status == "syntax":
        raise UserQueryError(reply.message)
    if reply.status == "too_many":
        raise TooManyRows(f"the answer has more than {reply.message} rows; add a LIMIT")
    if reply.status == "not_acceptable":
        raise NotAcceptable(reply.message)
    raise QueryFailed(reply.message)
