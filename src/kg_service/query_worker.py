"""The process that runs users' SPARQL queries, so that a runaway query can be killed.

pyoxigraph has no query timeout and a query cannot be interrupted from another thread, so the
only reliable stop is ending the process running it. Each worker opens the store read-only
(RocksDB allows this next to the server's read-write handle) and reopens it when the server
says the store changed. Messages are length-prefixed pickles on stdin/stdout between two
processes of the same program, never from the network.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from dataclasses import dataclass
from itertools import islice
from typing import IO

import pyoxigraph as ox

from kg_service.sparql_results import write_solutions

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
}
_HEADER = struct.Struct(">I")


@dataclass(frozen=True)
class QueryJob:
    """One query to run: text, wanted media types, dataset, row cap, store generation."""

    query: str
    results_type: str
    graph_type: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000
    base_iri: str | None = None
    generation: int = 0


@dataclass(frozen=True)
class QueryReply:
    """What came back: `status` is ok, syntax, too_many or error; body only when ok."""

    status: str
    body: bytes = b""
    media_type: str = ""
    kind: str = ""
    message: str = ""


def write_frame(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def read_exact(stream: IO[bytes], size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(stream: IO[bytes]) -> object | None:
    header = read_exact(stream, _HEADER.size)
    if header is None:
        return None
    data = read_exact(stream, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _dataset(job: QueryJob) -> dict[str, object]:
    options: dict[str, object] = {"base_iri": job.base_iri}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    return options


def _refuse(kind: str, offered: str) -> QueryReply:
    return QueryReply("not_acceptable", message=f"{kind} answers are available as {offered}")


def _select(result: ox.QuerySolutions, job: QueryJob) -> QueryReply:
    if not job.results_type:
        return _refuse("SELECT", ", ".join(RESULTS_FORMATS))
    names = [v.value for v in result.variables]
    rows = [[solution[name] for name in names] for solution in islice(result, job.max_rows + 1)]
    if len(rows) > job.max_rows:
        return QueryReply("too_many", message=str(job.max_rows))
    body = write_solutions(names, rows, job.results_type)
    return QueryReply("ok", body, job.results_type, "select")


def _graph(result: ox.QueryTriples, job: QueryJob) -> QueryReply:
    if not job.graph_type:
        return _refuse("CONSTRUCT/DESCRIBE", ", ".join(GRAPH_FORMATS))
    triples = list(islice(result, job.max_rows + 1))
    if len(triples) > job.max_rows:
        return QueryReply("too_many", message=str(job.max_rows))
    body = ox.serialize(triples, format=GRAPH_FORMATS[job.graph_type]) or b""
    return QueryReply("ok", body, job.graph_type, "construct")


def execute(store: ox.Store, job: QueryJob) -> QueryReply:
    """Run one job; errors come back as replies so the worker keeps serving."""
    try:
        result = store.query(job.query, **_dataset(job))  # type: ignore[arg-type]
        if isinstance(result, ox.QuerySolutions):
            return _select(result, job)
        if isinstance(result, ox.QueryTriples):
            return _graph(result, job)
        if not job.results_type:
            return _refuse("ASK", ", ".join(RESULTS_FORMATS))
        body = result.serialize(format=RESULTS_FORMATS[job.results_type]) or b""
        return QueryReply("ok", body, job.results_type, "ask")
    except SyntaxError as error:
        return QueryReply("syntax", message=str(error))
    except (OSError, ValueError, RuntimeError) as error:
        return QueryReply("error", message=str(error))


def serve(store_path: str, inp: IO[bytes], out: IO[bytes]) -> None:
    """Answer jobs until stdin closes (the server went away)."""
    store: ox.Store | None = None
    generation: int | None = None
    while True:
        job = read_frame(inp)
        if not isinstance(job, QueryJob):
            return
        if store is None or job.generation != generation:
            store = None
            store = ox.Store.read_only(store_path)
            generation = job.generation
        write_frame(out, execute(store, job))


def main() -> None:
    """Entry point; stdout carries frames only, so stray prints go to stderr."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.argv[1], sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
