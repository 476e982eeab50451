"""The embedded store: pyoxigraph (RocksDB) on disk, or in memory when no path is given.

Notes from measurements (../shared/notes/perf.md): queries release the GIL, so handlers that call
this from FastAPI's thread pool use both cores; a whole project is replaced through one SPARQL
update, which Oxigraph applies as a single transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from kg_service.rdf_convert import from_ox, ntriples, to_ox
from kg_service.store.base import (
    GraphResult,
    QueryKind,
    Row,
    StoreBusy,
    StoreError,
    Term,
    Triple,
    UserQueryError,
)

# marks a derived graph (VoID statistics) as still matching the store: see `mark_current`
_CURRENT = ox.NamedNode("https://w3id.org/bioimage-kg/vocab/derivedFromCurrentStore")

RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def _as_graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _bytes(data: bytes | None) -> bytes:
    return data or b""


class OxigraphStore:
    """`Store` on pyoxigraph. One instance per process holds the RocksDB lock."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as error:
            kind = StoreBusy if "lock" in str(error).lower() else StoreError  # RocksDB's LOCK file
            raise kind(f"cannot open store at {path}: {error}") from error
        self.path = path
        self.read_only = read_only
        self.generation = 0
        self._listeners: list[Callable[[frozenset[str]], None]] = []
        self._marked = any(self._store.quads_for_pattern(None, _CURRENT, None, None))

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store itself, for the SPARQL service's in-process lookups (reads)."""
        return self._store

    # --- change notification (caches, VoID, query workers follow the store) ----------------

    def add_change_listener(self, listener: Callable[[frozenset[str]], None]) -> None:
        """Call `listener(changed graph IRIs)` after every committed write."""
        self._listeners.append(listener)

    def _changed(self, graphs: Iterable[str]) -> None:
        self.generation += 1
        changed = frozenset(graphs)
        for listener in list(self._listeners):
            listener(changed)

    def update(self, update: str) -> None:
        """Run a SPARQL Update (admin only: the API checks the token before calling this).

        :raises UserQueryError: the update does not parse.
        """
        self._before_write()
        try:
            self._store.update(update)
        except SyntaxError as error:
            raise UserQueryError(str(error)) from error
        except OSError as error:
            raise StoreError(str(error)) from error
        self._changed(["*"])

    # --- derived graphs (VoID statistics) that stay valid until the next write --------------

    def mark_current(self, graph_iri: str, generation: int) -> bool:
        """Record that `graph_iri` was derived from the store as of `generation`, so a later
        process need not derive it again; any write (by any process) clears the mark.

        Returns False, marking nothing, when the store was written since `generation`.
        """
        if generation != self.generation:
            return False
        name = ox.NamedNode(graph_iri)
        self._store.add(ox.Quad(name, _CURRENT, ox.Literal(True), name))
        self._marked = True
        return True

    def _before_write(self) -> None:
        """Unmark derived graphs before a write starts (a crash mid-write leaves no mark)."""
        if self._marked:
            for quad in list(self._store.quads_for_pattern(None, _CURRENT, None, None)):
                self._store.remove(quad)
            self._marked = False

    def is_current(self, graph_iri: str) -> bool:
        """Whether `graph_iri` was marked current and nothing was written since."""
        name = ox.NamedNode(graph_iri)
        return any(self._store.quads_for_pattern(name, _CURRENT, None, name))

    # --- writes ----------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        self.replace_graphs({graph_iri: triples})

    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> None:
        """Replace several named graphs in one SPARQL update, i.e. one transaction."""
        texts = {}
        for graph_iri, triples in graphs.items():
            graph = triples if isinstance(triples, Graph) else _as_graph(triples)
            texts[graph_iri] = ntriples(graph)
        self.replace_graphs_ntriples(texts)

    def replace_graphs_ntriples(self, graphs: Mapping[str, str]) -> None:
        """Like `replace_graphs`, from each graph's N-Triples text (the bulk loader's form)."""
        operations = []
        for graph_iri, body in graphs.items():
            name = ox.NamedNode(graph_iri)  # validates the IRI
            operations.append(f"DROP SILENT GRAPH {name}")
            operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
        if not operations:
            return
        self._before_write()
        try:
            self._store.update(" ;\n".join(operations))
        except OSError as error:
            raise StoreError(f"cannot replace graphs {sorted(graphs)}: {error}") from error
        self._changed(graphs)

    def bulk_add(self, nquads: bytes, graphs: Iterable[str], *, lenient: bool = False) -> None:
        """Add N-Quads of graphs the store does not hold yet, without a transaction.

        ~8x cheaper than `replace_graphs` (../shared/notes/perf.md), but a crash can leave a
        part of them: the bulk loader (bulk.py) marks them pending first and removes what a
        crash left before its next run. `lenient` skips the engine's IRI checks: only for text
        a strict parser has already read.
        """
        self._before_write()
        try:
            self._store.bulk_load(input=nquads, format=ox.RdfFormat.N_QUADS, lenient=lenient)
        except (OSError, SyntaxError) as error:
            raise StoreError(f"cannot bulk-load graphs: {error}") from error
        self._changed(graphs)

    def has_graph(self, graph_iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph_iri))

    def optimize(self) -> None:
        """Compact after a bulk load: scan queries were ~3x slower without it (perf.md)."""
        self._store.optimize()

    def delete_graph(self, graph_iri: str) -> bool:
        try:
            name = ox.NamedNode(graph_iri)
        except ValueError:
            return False
        if not self._store.contains_named_graph(name):
            return False
        self._before_write()
        self._store.update(f"DROP GRAPH {name}")
        self._changed([graph_iri])
        return True

    # --- reads -----------------------------------------------------------------------------

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def checkpoint(self, target: Path) -> None:
        """A consistent, independent copy of the store at `target` (hard links where possible)."""
        try:
            self._store.backup(str(target))
        except OSError as error:
            raise StoreError(f"cannot checkpoint the store into {target}: {error}") from error

    def triples(self, graph_iri: str) -> list[Triple]:
        try:
            name = ox.NamedNode(graph_iri)
        except ValueError:  # not an IRI, so certainly not a graph of this store
            return []
        quads = self._store.quads_for_pattern(None, None, None, name)
        return [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads]

    def quad_count(self) -> int:
        return len(self._store)

    def _run(self, query: str, bindings: Mapping[str, Term] | None) -> object:
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
        substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                query, use_default_graph_as_union=True, substitutions=substitutions or None
            )
        except SyntaxError as error:
            raise UserQueryError(str(error)) from error
        except OSError as error:
            raise StoreError(str(error)) from error

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise UserQueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows: list[Row] = []
        for solution in result:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = from_ox(value)
            rows.append(row)
        return rows

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        result = self._run(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise UserQueryError("expected a CONSTRUCT or DESCRIBE query")
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)) for t in result]

    def sparql(self, query: str, results_media_type: str, graph_media_type: str) -> GraphResult:
        result = self._run(query, None)
        if isinstance(result, ox.QueryBoolean):
            fmt = RESULTS_FORMATS[results_media_type]
            return GraphResult(
                _bytes(result.serialize(format=fmt)), results_media_type, QueryKind.ASK
            )
        if isinstance(result, ox.QuerySolutions):
            fmt = RESULTS_FORMATS[results_media_type]
            return GraphResult(
                _bytes(result.serialize(format=fmt)), results_media_type, QueryKind.SELECT
            )
        if isinstance(result, ox.QueryTriples):
            rdf_format = GRAPH_FORMATS[graph_media_type]
            body = _bytes(result.serialize(format=rdf_format))
            return GraphResult(body, graph_media_type, QueryKind.CONSTRUCT)
        raise UserQueryError("unsupported query form")

    def close(self) -> None:
        with contextlib.suppress(OSError, AttributeError):
            self._store.flush()
        del self._store
