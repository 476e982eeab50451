"""`kg-service load` at archive scale: many files, both cores, one writer, bounded memory.

Why a second path beside `pipeline.submit`: a submission holds every project in memory and
writes them in one SPARQL update, which is right for one upload and wrong for 100,000 files.
Here the files stream through worker processes that read, map and validate them exactly as
`pipeline.prepare` does (same readers, same shapes, same findings) and hand back each
accepted project as N-Quads text; the one writer, this process, stores them in batches.

The all-or-nothing rule is per source file, as for a submission: a file whose reading or any
of whose projects has a violation stores nothing, and every other file is stored whole.
Graphs the store does not hold yet go in through `bulk_load` (no transaction), marked pending
in `PENDING_GRAPH` first, so a crash never leaves half a project: the next load removes what
the crash left. Graphs that already exist are replaced in one transaction per batch, never
splitting a file. Memory is bounded by the window of files in flight and the batch size.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib import RDF, URIRef

from kg_service.findings import Finding, Location, Severity, has_violations
from kg_service.ingest.idr_annotations import annotation_files, study_file_for
from kg_service.pipeline import (
    META_GRAPH,
    check_base_iri,
    meta_triples,
    prepare,
    stored_base_iri,
)
from kg_service.rdf_convert import ntriples
from kg_service.store import OxigraphStore
from kg_service.validation.shacl import Tier

PENDING_GRAPH = "urn:kg-service:pending"
_PENDING = "https://w3id.org/bioimage-kg/vocab/pendingGraph"
_DATASET = URIRef("https://w3id.org/bioimage-kg/vocab/Dataset")
READABLE = (
    ".ttl", ".nt", ".owl", ".rdf", ".nq", ".trig", ".xlsx", ".xlsm", ".h5", ".hdf5", ".bd5",
    ".xml", ".ome", ".json", ".jsonld", ".csv", ".tsv", ".txt",
)  # fmt: skip
FILES_PER_TASK = 4  # one task per few files: less inter-process traffic, still fine-grained
BATCH_QUADS = 500_000  # the writer stores this many quads at a time (~75 MB of text)
SERIAL_BELOW = 4  # fewer files than this: no worker processes (their start costs seconds)


@dataclass
class ProjectPayload:
    """One accepted project as the writer needs it."""

    project_id: str
    graph_iri: str
    ntriples: str
    triples: int
    datasets: int
    parsed: bool = False  # `ntriples` already went through a strict parser (SHACL's)


@dataclass
class FileOutcome:
    """What reading, mapping and validating one file gave."""

    path: str
    findings: list[Finding]
    projects: list[ProjectPayload]

    @property
    def ok(self) -> bool:
        return not has_violations(self.findings)


@dataclass
class LoadSummary:
    files: int = 0
    files_refused: int = 0
    projects: int = 0
    datasets: int = 0
    quads: int = 0
    findings: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    refused: list[str] = field(default_factory=list)  # the first refused files, for the summary
    repaired: int = 0  # graphs an interrupted earlier load left, removed first

    @property
    def ok(self) -> bool:
        return self.files_refused == 0

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "files": self.files,
            "files_refused": self.files_refused,
            "projects_stored": self.projects,
            "datasets_stored": self.datasets,
            "quads_stored": self.quads,
            "finding_counts": self.findings,
            "repaired_graphs": self.repaired,
        }


def source_files(paths: Sequence[Path]) -> list[Path]:
    """Files named, and readable files under folders named (recursive, sorted, no hidden)."""
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        for root, folders, names in os.walk(path):
            folders[:] = sorted(f for f in folders if not f.startswith("."))
            out.extend(
                Path(root, name)
                for name in sorted(names)
                if not name.startswith(".") and name.lower().endswith(READABLE)
            )
    return _without_companions(out)


def _without_companions(files: list[Path]) -> list[Path]:
    """The files less those another file of the load reads with it (issue 16).

    An IDR study file reads its annotation files, and an annotation file its study file, so
    each alone stores the whole study; loaded together they would be the same project twice.
    The study file is kept and reads the annotation files with it.
    """
    named = {path.resolve() for path in files}
    companions: set[Path] = set()
    for path in files:
        study = study_file_for(path) if path.name.endswith("-annotation.csv") else None
        if study and study.resolve() in named and path.resolve() in annotation_files(study):
            companions.add(path.resolve())
    return [path for path in files if path.resolve() not in companions]


def prepare_file(path: str, base_iri: str, tier: Tier | None) -> FileOutcome:
    """Read, map and validate one file (in a worker); accepted projects as N-Triples text."""
    report = prepare([Path(path)], base_iri, tier)
    projects = []
    if report.ok:
        for project in report.projects:
            text = project.ntriples or ntriples(project.graph)
            projects.append(
                ProjectPayload(
                    project.project_id,
                    project.graph_iri,
                    text,
                    len(project.graph),
                    sum(1 for _ in project.graph.subjects(RDF.type, _DATASET)),
                    parsed=project.ntriples is not None,
                )
            )
    return FileOutcome(path, report.findings, projects)


def _prepare_files(paths: list[str], base_iri: str, tier: Tier | None) -> list[FileOutcome]:
    return [prepare_file(path, base_iri, tier) for path in paths]


def _warm(tier: Tier | None) -> None:
    """Load the term index and compile shapes once per worker, before the first file."""
    from kg_service.terms.index import shipped_term_index
    from kg_service.validation.engine import compile_shapes
    from kg_service.validation.shacl import TIER_FILES, shapes_graph, tier_shapes_graph

    shipped_term_index()
    compile_shapes(shapes_graph())
    for each in TIER_FILES if tier is None else (tier,):
        compile_shapes(tier_shapes_graph(each))


def _chunks(items: list[Path], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield [str(p) for p in items[start : start + size]]


def outcomes(
    files: list[Path], base_iri: str, tier: Tier | None, workers: int
) -> Iterator[FileOutcome]:
    """Each file's outcome, in file order, from `workers` processes (none for tiny loads).

    At most a fixed window of tasks is in flight, so memory does not grow with the number of
    files even when the writer is slower than the workers.
    """
    if workers <= 1 or len(files) < SERIAL_BELOW:
        for path in files:
            yield prepare_file(str(path), base_iri, tier)
        return
    # forkserver: workers start clean (RocksDB and native thread pools do not survive fork)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["kg_service.bulk"])
    window: deque[Future[list[FileOutcome]]] = deque()
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_warm, initargs=(tier,)
    ) as pool:
        for chunk in _chunks(files, FILES_PER_TASK):
            window.append(pool.submit(_prepare_files, chunk, base_iri, tier))
            if len(window) >= workers * 4:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


class Writer:
    """The one writer: batches accepted files and stores them from its own thread.

    pyoxigraph releases the GIL while it writes, so a batch is stored while this process goes
    on collecting the workers' results; without that the workers sat idle during each write.
    The queue holds at most two batches, which bounds memory when the store is the slower.
    """

    def __init__(self, store: OxigraphStore, batch_quads: int = BATCH_QUADS) -> None:
        self.store = store
        self.batch_quads = batch_quads
        self.batch: list[ProjectPayload] = []
        self.quads = 0
        self.bulk_loaded = 0
        self._queue: queue.Queue[list[ProjectPayload] | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-writer", daemon=True)
        self._thread.start()

    def add(self, outcome: FileOutcome) -> None:
        self.batch.extend(outcome.projects)
        self.quads += sum(p.triples for p in outcome.projects)
        if self.quads >= self.batch_quads:
            self.flush()

    def flush(self) -> None:
        if self._error is not None:
            raise self._error
        if self.batch:
            self._queue.put(self.batch)
        self.batch, self.quads = [], 0

    def close(self) -> None:
        """Store what is left and wait for the writer thread; re-raise its error."""
        self.flush()
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (projects := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._store(projects)
                except BaseException as error:  # handed to the main thread by flush/close
                    self._error = error

    def _store(self, projects: list[ProjectPayload]) -> None:
        existing = {p.graph_iri for p in projects if self.store.has_graph(p.graph_iri)}
        replace = {p.graph_iri: p.ntriples for p in projects if p.graph_iri in existing}
        if replace:
            self.store.replace_graphs_ntriples(replace)
        new = [p for p in projects if p.graph_iri not in existing]
        if new:
            graphs = [p.graph_iri for p in new]
            self._mark_pending(graphs)  # (ox.NamedNode checks each graph IRI)
            # text SHACL's strict parser has read needs no second IRI check (~12 % of the load)
            self.store.bulk_add(_nquads(new), graphs, lenient=all(p.parsed for p in new))
            self.store.delete_graph(PENDING_GRAPH)
            self.bulk_loaded += sum(p.triples for p in new)

    def _mark_pending(self, graphs: list[str]) -> None:
        lines = "".join(f"<{PENDING_GRAPH}> <{_PENDING}> {ox.NamedNode(g)} .\n" for g in graphs)
        self.store.replace_graphs_ntriples({PENDING_GRAPH: lines})


def _nquads(projects: Iterable[ProjectPayload]) -> bytes:
    """N-Triples text into N-Quads: N-Triples escapes newlines inside literals, so every
    " .\\n" ends a statement."""
    parts = [p.ntriples.replace(" .\n", f" <{p.graph_iri}> .\n") for p in projects]
    return "".join(parts).encode("utf-8")


def repair(store: OxigraphStore) -> int:
    """Remove the graphs an interrupted bulk load left pending; how many were removed."""
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH <{PENDING_GRAPH}> {{ ?s <{_PENDING}> ?g }} }}")
    for row in rows:
        store.delete_graph(str(row["g"]))
    store.delete_graph(PENDING_GRAPH)
    return len(rows)


class ReportWriter:
    """Streams every finding into a JSON file: {"findings": [...], "summary": {...}}."""

    def __init__(self, stream: IO[str] | None) -> None:
        self.stream = stream
        self.first = True
        if stream is not None:
            stream.write('{"findings": [\n')

    def write(self, findings: Iterable[Finding]) -> None:
        if self.stream is None:
            return
        for finding in findings:
            self.stream.write(("" if self.first else ",\n") + json.dumps(finding.to_dict()))
            self.first = False

    def close(self, summary: LoadSummary) -> None:
        if self.stream is not None:
            self.stream.write(f'\n], "summary": {json.dumps(summary.to_dict())}}}\n')


def _duplicate(outcome: FileOutcome, seen: set[str]) -> None:
    """A project that an earlier file of the same load already held refuses this file."""
    for project in outcome.projects:
        if project.project_id in seen:
            outcome.findings.append(
                Finding(
                    Severity.VIOLATION,
                    "the same project appears twice in one load",
                    Location(file=outcome.path, record=project.project_id),
                )
            )
    if outcome.ok:
        seen.update(p.project_id for p in outcome.projects)


@dataclass
class LoadOptions:
    tier: Tier | None = None
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    report: IO[str] | None = None
    on_file: Callable[[FileOutcome, LoadSummary], None] | None = None  # progress, printing
    optimize_above: int = 1_000_000  # bulk-loaded quads after which the store is compacted


def load_files(
    paths: Sequence[Path], store: OxigraphStore, base_iri: str, options: LoadOptions
) -> LoadSummary:
    """Validate and store every file; see the module docstring for the rules."""
    check_base_iri(store, base_iri)
    summary = LoadSummary(repaired=repair(store))
    if stored_base_iri(store) is None:
        store.replace_graphs({META_GRAPH: meta_triples(base_iri)})
    files = source_files(paths)
    writer = Writer(store)
    report = ReportWriter(options.report)
    seen: set[str] = set()
    for outcome in outcomes(files, base_iri, options.tier, options.workers):
        _duplicate(outcome, seen)
        _count(summary, outcome)
        report.write(outcome.findings)
        if outcome.ok:
            writer.add(outcome)
        if options.on_file is not None:
            options.on_file(outcome, summary)
    writer.close()
    if writer.bulk_loaded >= options.optimize_above:
        store.optimize()
    report.close(summary)
    return summary


def _count(summary: LoadSummary, outcome: FileOutcome) -> None:
    summary.files += 1
    for finding in outcome.findings:
        summary.findings[finding.severity.value] += 1
    if not outcome.ok:
        summary.files_refused += 1
        if len(summary.refused) < 20:
            summary.refused.append(outcome.path)
        return
    summary.projects += len(outcome.projects)
    summary.datasets += sum(p.datasets for p in outcome.projects)
    summary.quads += sum(p.triples for p in outcome.projects)
