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

import pyoxigraph as ox

from kg_service.sparql.worker import (
    MIN_ROW_BYTES,
    QueryJob,
    QueryReply,
    run,
    solutions_within,
    triples_within,
)

BUDGET_BYTES = 256 * 1024  # a few milliseconds of serialising at most
BUDGET_TRIPLES = 2_000
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


def _spell(query: str) -> tuple[str, list[str]]:
    """The query's tokens as one letter each, and the tokens' texts (whitespace dropped)."""
    letters: list[str] = []
    texts: list[str] = []
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
    return "".join(letters), texts


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
    letters, texts = _spell(query)
    match = _GRAMMAR.fullmatch(letters)
    if match is None:
        return False
    where = next(name for name in ("select", "ask", "construct") if match.group(name))
    pattern = texts[match.start(where) : match.end(where)]
    # a repeated variable (?x or $x alike) would filter the index range, row by row
    variables = [text[1:] for text in pattern if text[0] in "?$"]
    if len(set(variables)) != len(variables):
        return False
    # another CONSTRUCT template could map many solutions onto one triple, which the engine
    # deduplicates by scanning on
    if match.group("template") and texts[match.start("template") : match.end("template")] != (
        pattern
    ):
        return False
    offset = max(match.start("offset"), match.start("offset_first"))
    return offset < 0 or int(texts[offset]) <= MAX_OFFSET


def answer(store: ox.Store, job: QueryJob) -> QueryReply | None:
    """Answer a lookup here, or None when the answer outgrows the budget (use a worker).

    Call only for queries `is_lookup` accepts. Errors come back as replies, as from a worker.
    """
    return run(store, job, lambda result: _select(result, job), lambda result: _graph(result, job))


def _select(result: ox.QuerySolutions, job: QueryJob) -> QueryReply | None:
    if not job.results_type:
        return None  # the worker words the 406
    # within the row cap for sure (see MIN_ROW_BYTES), and a few milliseconds of work
    budget = job.max_rows * MIN_ROW_BYTES[job.results_type]
    return solutions_within(result, job, min(BUDGET_BYTES, budget))


def _graph(result: ox.QueryTriples, job: QueryJob) -> QueryReply | None:
    if not job.graph_type:
        return None
    return triples_within(result, job, min(BUDGET_TRIPLES, job.max_rows))
