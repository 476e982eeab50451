"""The SPARQL page's results: SPARQL JSON results (or a graph as Turtle) as a table for people.

The page runs queries through the same SparqlService as the /sparql endpoint (same policy,
timeout, row cap and cache), asks it for application/sparql-results+json and draws the
answer server-side, so it works with JavaScript off and needs no editor library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

RESULTS_JSON = "application/sparql-results+json"
GRAPH_TURTLE = "text/turtle"
SHOWN_ROWS = 1000


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    datatype: str | None = None


@dataclass
class ResultTable:
    """A SELECT answer (columns, rows), an ASK answer (boolean) or a graph (turtle text)."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    boolean: bool | None = None
    turtle: str | None = None


def _cell(binding: dict[str, str] | None) -> Cell:
    if not binding:
        return Cell("")
    value = binding.get("value", "")
    if binding.get("type") == "uri":
        return Cell(value, href=value if value.startswith(("http://", "https://")) else None)
    if binding.get("type") == "bnode":
        return Cell(f"_:{value}")
    language = binding.get("xml:lang")
    return Cell(f"{value}@{language}" if language else value, datatype=binding.get("datatype"))


def result_table(body: bytes, media_type: str) -> ResultTable:
    """Parse the service's answer; graphs stay text (Turtle reads better than triples)."""
    if not media_type.startswith(RESULTS_JSON):
        return ResultTable(turtle=body.decode("utf-8", "replace"))
    document = json.loads(body)
    if "boolean" in document:
        return ResultTable(boolean=bool(document["boolean"]))
    columns = list(document.get("head", {}).get("vars", []))
    bindings = document.get("results", {}).get("bindings", [])
    rows = [[_cell(b.get(c)) for c in columns] for b in bindings[:SHOWN_ROWS]]
    return ResultTable(columns=columns, rows=rows, total=len(bindings))
