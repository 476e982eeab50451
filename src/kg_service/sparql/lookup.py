"""Single-triple-pattern queries, answered in the server process without the worker hop.

The hop to a killable worker process (needed because pyoxigraph cannot stop a query) costs
more than a lookup itself. Yet lookups are most of what an open endpoint receives: federated
engines check sources with `ASK { pattern }` and fetch with one pattern per request (FedX,
Comunica), linked-data browsers ask for one resource's triples. Such a query cannot run away:
oxigraph streams its answer straight off one index range, one stored triple per answer row, so
capping the answer's size caps the work. A query qualifies only when its text is, token by
token, a prologue of PREFIXes and one triple pattern with distinct variables, answered as
SELECT (no DISTINCT), ASK or CONSTRUCT WHERE, with optional LIMIT and a small OFFSET. Anything
else (comments, FILTER, paths, joins, DISTINCT, ORDER BY, aggregates, SERVICE...) does not
tokenise here and goes to the workers, and so does an answer that outgrows the in-process
budget (the worker then runs it under the time limit and row cap as usual).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial

import pyoxigraph as ox

from kg_service.sparql.worker import MIN_ROW_BYTES, QueryJob, QueryReply, dataset_options, run
from kg_service.store.oxigraph_store import GRAPH_FORMATS, RESULTS_FORMATS

BUDGET_ROWS = 2_000  # rows or triples: a few milliseconds of serialising at most
MAX_OFFSET = 10_000  # skipped rows are work too

# A strict subset of SPARQL's tokens; anything else (comments, operators, brackets, escapes)
# falls to `other`, which no rule below accepts.
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>"[^"\\\r\n]*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?)
  | (?P<typed>\^\^)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<prefix>[A-Za-z][A-Za-z0-9_-]*:(?![A-Za-z0-9_]))
  | (?P<pname>[A-Za-z][A-Za-z0-9_-]*:[A-Za-z0-9_][A-Za-z0-9_-]*)
  | (?P<int>[0-9]+)
  | (?P<word>[A-Za-z]+)
  | (?P<punct>[{}.*])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Each token becomes one letter, and the grammar below is a regular expression over the
# letters: I iri, N prefixed name, X bare prefix (also a term), V variable, S string,
# ^ datatype marker, D integer, a rdf:type; keywords P PREFIX, s SELECT, k ASK,
# c CONSTRUCT, w WHERE, L LIMIT, O OFFSET; punctuation as itself; ! anything else.
_KEYWORDS = {
    "PREFIX": "P",
    "SELECT": "s",
    "ASK": "k",
    "CONSTRUCT": "c",
    "WHERE": "w",
    "LIMIT": "L",
    "OFFSET": "O",
}
_LETTERS = {"iri": "I", "pname": "N", "prefix": "X", "var": "V", "string": "S", "typed": "^"}
_PATTERN = r"\{[INXV][INXVa](?:[INXVD]|S(?:\^[INX])?)\.?\}"
_GRAMMAR = re.compile(
    rf"""
    (?:PXI)*                                        # PREFIX declarations
    (?: s(?:\*|V+)w?(?P<select>{_PATTERN})          # SELECT, no DISTINCT or REDUCED
      | kw?(?P<ask>{_PATTERN})                      # ASK
      | c(?:w|(?P<template>{_PATTERN})w?)(?P<construct>{_PATTERN})
    )
    (?:LD(?:O(?P<offset>D))?|O(?P<offset_first>D)(?:LD)?)?   # LIMIT, OFFSET, either order
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Lookup:
    """A query `parse` accepted: its prologue and pattern as written, and its modifiers."""

    prologue: str
    pattern: str
    form: str  # select, ask or construct
    limit: int | None
    offset: int
    limit_span: tuple[int, int] | None  # where the LIMIT's number is in the query text


def _spell(query: str) -> tuple[str, list[str], list[tuple[int, int]]]:
    """The query's tokens as one letter each, their texts and their spans (whitespace dropped)."""
    letters: list[str] = []
    texts: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "ws":
            continue
        text = match.group()
        if kind in _LETTERS:
            letter = _LETTERS[kind]
        elif kind == "word":
            letter = "a" if text == "a" else _KEYWORDS.get(text.upper(), "!")
        elif kind == "int":
            letter = "D"
        elif kind == "punct":
            letter = text
        else:
            letter = "!"
        letters.append(letter)
        texts.append(text)
        spans.append(match.span())
    return "".join(letters), texts, spans


def is_lookup(query: str) -> bool:
    """True when `query` is one triple pattern that the server process may answer itself.

    >>> is_lookup("SELECT ?p ?o WHERE { <http://x/d1> ?p ?o } LIMIT 50")
    True
    >>> is_lookup("ASK { ?s a <http://x/Dataset> }")
    True
    >>> is_lookup("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")  # scans everything for a few rows
    False
    >>> is_lookup("SELECT * WHERE { ?s ?p ?s }")  # a repeated variable filters the range
    False
    """
    return parse(query) is not None


def parse(query: str) -> Lookup | None:
    """The lookup `query` is, or None when it is not one (see `is_lookup`)."""
    letters, texts, spans = _spell(query)
    match = _GRAMMAR.fullmatch(letters)
    if match is None:
        return None
    form = next(name for name in ("select", "ask", "construct") if match.group(name))
    first, end = match.start(form), match.end(form)
    pattern = texts[first:end]
    # a repeated variable (?x or $x alike) would filter the index range, row by row
    variables = [text[1:] for text in pattern if text[0] in "?$"]
    if len(set(variables)) != len(variables):
        return None
    # another CONSTRUCT template could map many solutions onto one triple, which the engine
    # deduplicates by scanning on
    if match.group("template") and texts[match.start("template") : match.end("template")] != (
        pattern
    ):
        return None
    offset_at = max(match.start("offset"), match.start("offset_first"))
    offset = int(texts[offset_at]) if offset_at >= 0 else 0
    if offset > MAX_OFFSET:
        return None
    limit_at = letters.find("L", end)
    limit = int(texts[limit_at + 1]) if limit_at >= 0 else None
    limit_span = spans[limit_at + 1] if limit_at >= 0 else None
    prologue = query[: spans[0][0]] if letters[0] != "P" else query[: _prologue_end(letters, spans)]
    pattern_text = query[spans[first][0] : spans[end - 1][1]]
    return Lookup(prologue, pattern_text, form, limit, offset, limit_span)


def _prologue_end(letters: str, spans: list[tuple[int, int]]) -> int:
    """Where the PREFIX declarations end (each is three tokens: PREFIX, name, IRI)."""
    count = 0
    while letters.startswith("PXI", count):
        count += 3
    return spans[count - 1][1]


def answer(store: ox.Store, job: QueryJob, lookup: Lookup | None = None) -> QueryReply | None:
    """Answer a lookup here, or None when the answer outgrows the budget (use a worker).

    Call only for queries `is_lookup` accepts (`lookup`: its parse, if already made).
    Errors come back as replies, as from a worker.

    The answer is written by the native writer in one call, from the lookup run with its
    LIMIT lowered to one row past the budget (the engine's work is bounded whatever the
    pattern matches). A SELECT answer too short in bytes to hold that many rows is within
    the budget; a longer one, and any CONSTRUCT, is checked by the engine too, with a probe
    for a solution past the budget (`_over_budget`). Counting rows in Python instead, or
    writing into a bounded Python sink, calls back into Python for every row or piece, and
    in a server each call takes the GIL back from the server's own threads: measured with
    bench_sparql.py, that cost ~110 us more per lookup under load, while a loop in one
    process, with no thread to contend with, shows a few.
    """
    lookup = lookup or parse(job.query)
    if lookup is None:
        return None
    written, graph = partial(_written, job=job), partial(_graph, job=job)
    if lookup.form == "ask":
        return run(store, job, written, graph)
    wanted = job.results_type if lookup.form == "select" else job.graph_type
    if not wanted:
        return None  # the worker words the 406
    budget = min(BUDGET_ROWS, job.max_rows)  # past the row cap, the worker says "too many"
    if lookup.limit is not None and lookup.limit <= budget:
        return run(store, job, written, graph)
    reply = run(store, replace(job, query=_limited(job.query, lookup, budget + 1)), written, graph)
    if reply is None or reply.status != "ok":
        return None  # the worker runs the client's own text and words any error
    # a SELECT answer has a row per solution, so its bytes bound its rows; a CONSTRUCT
    # merges solutions that give the same triple (one stored in several graphs of the union),
    # so a short answer may stand for many solutions: only the probe can tell
    if lookup.form == "select" and len(reply.body) < (budget + 1) * MIN_ROW_BYTES[wanted]:
        return reply
    try:
        return None if _over_budget(store, job, lookup) else reply
    except (SyntaxError, OSError, ValueError, RuntimeError):
        return None


def _limited(query: str, lookup: Lookup, rows: int) -> str:
    """The query with its LIMIT set to `rows` (an integer of ours, never client text)."""
    if lookup.limit_span is None:
        return f"{query} LIMIT {rows}"
    start, end = lookup.limit_span
    return f"{query[:start]}{rows}{query[end:]}"


def _over_budget(store: ox.Store, job: QueryJob, lookup: Lookup) -> bool:
    """Whether the answer has more rows than the in-process budget (and the row cap).

    The probe is the lookup's own pattern, as the client wrote it, asked whether a row
    exists past the budget: the engine skips at most that many index entries.
    """
    budget = min(BUDGET_ROWS, job.max_rows)
    probe = (
        f"{lookup.prologue} ASK {{ {{ SELECT * WHERE {lookup.pattern} "
        f"OFFSET {lookup.offset + budget} LIMIT 1 }} }}"
    )
    result = store.query(probe, **dataset_options(job))  # type: ignore[arg-type]
    return bool(result)


def _written(result: ox.QuerySolutions, job: QueryJob) -> QueryReply:
    body = result.serialize(format=RESULTS_FORMATS[job.results_type]) or b""
    return QueryReply("ok", body, job.results_type, "select")


def _graph(result: ox.QueryTriples, job: QueryJob) -> QueryReply:
    body = result.serialize(format=GRAPH_FORMATS[job.graph_type]) or b""
    return QueryReply("ok", body, job.graph_type, "construct")
