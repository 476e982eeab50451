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
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import IO, cast

import pyoxigraph as ox

from kg_service.sparql.results import write_solutions
from kg_service.store.oxigraph_store import GRAPH_FORMATS, RESULTS_FORMATS

HEADER = struct.Struct(">I")  # length prefix of every frame, both directions


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
    source: str = ""  # the read-only checkpoint to query; empty: the store path given at start


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
    stream.write(HEADER.pack(len(data)) + data)
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
    header = read_exact(stream, HEADER.size)
    if header is None:
        return None
    data = read_exact(stream, HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def dataset_options(job: QueryJob) -> dict[str, object]:
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


# Fewest bytes one row can take in each format (an all-unbound row: `{},`, `<result></result>`,
# an empty CSV line, an empty TSV line), so an answer written in at most
# max_rows * MIN_ROW_BYTES bytes has at most max_rows rows.
MIN_ROW_BYTES = {
    "application/sparql-results+json": 3,
    "application/sparql-results+xml": 17,
    "text/csv": 2,
    "text/tab-separated-values": 1,
}


class _Overflow(Exception):
    """The native writer went past the byte budget (raised through pyoxigraph)."""


class _BoundedSink:
    """A write target for pyoxigraph's serializer that stops it past `budget` bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.budget:
            raise _Overflow
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def solutions_within(result: ox.QuerySolutions, job: QueryJob, budget: int) -> QueryReply | None:
    """The native writer's answer, or None once it passes `budget` bytes (it stops there)."""
    sink = _BoundedSink(budget)
    try:
        # pyoxigraph only calls write/flush on the target
        result.serialize(cast(IO[bytes], sink), format=RESULTS_FORMATS[job.results_type])
    except _Overflow:
        return None
    return QueryReply("ok", b"".join(sink.parts), job.results_type, "select")


def triples_within(result: ox.QueryTriples, job: QueryJob, cap: int) -> QueryReply | None:
    """The graph written out, or None when it has more than `cap` triples (read no further)."""
    triples = list(islice(result, cap + 1))
    if len(triples) > cap:
        return None
    body = ox.serialize(triples, format=GRAPH_FORMATS[job.graph_type]) or b""
    return QueryReply("ok", body, job.graph_type, "construct")


def _select(
    result: ox.QuerySolutions, job: QueryJob, rerun: Callable[[], ox.QuerySolutions]
) -> QueryReply:
    """Native writer when the answer is small enough to be surely under the row cap.

    That is nearly every answer and costs a third of the Python writers; a bigger one is
    computed again and counted row by row (its cost is dominated by its size anyway).
    """
    if not job.results_type:
        return _refuse("SELECT", ", ".join(RESULTS_FORMATS))
    reply = solutions_within(result, job, job.max_rows * MIN_ROW_BYTES[job.results_type])
    if reply is not None:
        return reply
    result = rerun()
    names = [v.value for v in result.variables]
    rows = [[solution[name] for name in names] for solution in islice(result, job.max_rows + 1)]
    if len(rows) > job.max_rows:
        return QueryReply("too_many", message=str(job.max_rows))
    body = write_solutions(names, rows, job.results_type)
    return QueryReply("ok", body, job.results_type, "select")


def _graph(result: ox.QueryTriples, job: QueryJob) -> QueryReply:
    if not job.graph_type:
        return _refuse("CONSTRUCT/DESCRIBE", ", ".join(GRAPH_FORMATS))
    reply = triples_within(result, job, job.max_rows)
    return reply or QueryReply("too_many", message=str(job.max_rows))


def _solutions(store: ox.Store, job: QueryJob) -> ox.QuerySolutions:
    result = store.query(job.query, **dataset_options(job))  # type: ignore[arg-type]
    assert isinstance(result, ox.QuerySolutions)  # the same query answered solutions before
    return result


def run(
    store: ox.Store,
    job: QueryJob,
    select: Callable[[ox.QuerySolutions], QueryReply | None],
    graph: Callable[[ox.QueryTriples], QueryReply | None],
) -> QueryReply | None:
    """Run `job`, handing solutions and triples to the given writers (ASK is written here).

    Errors come back as replies, so a worker keeps serving.
    """
    try:
        result = store.query(job.query, **dataset_options(job))  # type: ignore[arg-type]
        if isinstance(result, ox.QuerySolutions):
            return select(result)
        if isinstance(result, ox.QueryTriples):
            return graph(result)
        if not job.results_type:
            return _refuse("ASK", ", ".join(RESULTS_FORMATS))
        body = result.serialize(format=RESULTS_FORMATS[job.results_type]) or b""
        return QueryReply("ok", body, job.results_type, "ask")
    except SyntaxError as error:
        return QueryReply("syntax", message=str(error))
    except (OSError, ValueError, RuntimeError) as error:
        return QueryReply("error", message=str(error))


def execute(store: ox.Store, job: QueryJob) -> QueryReply:
    """Run one job in full: the worker's answer, always a reply."""
    reply = run(
        store,
        job,
        lambda result: _select(result, job, lambda: _solutions(store, job)),
        lambda result: _graph(result, job),
    )
    assert reply is not None  # both writers above always answer
    return reply


def serve(store_path: str, inp: IO[bytes], out: IO[bytes]) -> None:
    """Answer jobs until stdin closes (the server went away)."""
    store: ox.Store | None = None
    opened: tuple[int, str] | None = None
    while True:
        job = read_frame(inp)
        if not isinstance(job, QueryJob):
            return
        if store is None or (job.generation, job.source) != opened:
            store = None
            store = ox.Store.read_only(job.source or store_path)
            opened = (job.generation, job.source)
        write_frame(out, execute(store, job))


def main() -> None:
    """Entry point; stdout carries frames only, so stray prints go to stderr."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.argv[1], sys.stdin.buffer, out)


if __name__ == "__main__":
    main()
