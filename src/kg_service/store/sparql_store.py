"""A `Store` on any SPARQL 1.1 server (Oxigraph server, Virtuoso, QLever, GraphDB ...).

It speaks standard protocols only: SPARQL 1.1 Query and Update over HTTP, and the Graph Store
HTTP Protocol where a whole graph is fetched. Engine differences stay in this module.

Atomic project replacement: a project graph is replaced by one SPARQL Update request
(`DROP SILENT GRAPH g ; INSERT DATA { GRAPH g { ... } }`), which Oxigraph, Jena/Fuseki and
GraphDB apply as one transaction. Virtuoso commits each operation of a request on its own, so
for engines flagged `atomic_requests=False` the new content is first written to a staging graph
and then swapped in with a single `MOVE` operation: readers see the old or the new graph, and a
crash leaves at most a stray staging graph, never a half-written project graph.

Bound values: the service's queries receive values as an inline `VALUES` block inserted at the
start of the WHERE group, every term written by `sparql_term`, the single escaping helper.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import requests
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg_service.rdf_convert import ntriples
from kg_service.store.base import (
    GraphResult,
    QueryKind,
    Row,
    StoreError,
    Term,
    Triple,
    UserQueryError,
)

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_KINDS = {
    "application/sparql-results+json": QueryKind.SELECT,
    "application/sparql-results+xml": QueryKind.SELECT,
    "text/csv": QueryKind.SELECT,
    "text/tab-separated-values": QueryKind.SELECT,
}


def sparql_term(term: Node) -> str:
    """Write an RDF term as SPARQL text, refusing IRIs that could break out of `<...>`.

    >>> sparql_term(URIRef("http://example.org/a"))
    '<http://example.org/a>'
    >>> sparql_term(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    """
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise ValueError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype:
            return f'"{text}"^^{sparql_term(URIRef(str(term.datatype)))}'
        return f'"{text}"'
    raise ValueError(f"cannot bind {term!r}")


def bind(query: str, bindings: Mapping[str, Term] | None) -> str:
    """Insert `VALUES (?a ?b) { (x y) }` at the start of the query's WHERE group."""
    if not bindings:
        return query
    names = sorted(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"bad variable name {name!r}")
    match = _WHERE.search(query)
    if match is None:
        raise ValueError("query has no WHERE group to bind values in")
    row = " ".join(sparql_term(bindings[name]) for name in names)
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }} "
    return query[: match.end()] + values + query[match.end() :]


def _term_from_json(value: dict[str, Any]) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


@dataclass(frozen=True)
class SparqlEndpoints:
    """Where the server listens; credentials come from the environment via Settings."""

    query_url: str
    update_url: str
    graph_store_url: str | None = None
    username: str | None = None
    password: str | None = None
    atomic_requests: bool = True
    timeout: float = 60.0


CHANGES_GRAPH = "urn:kg-service:changes"
_VERSION = "https://w3id.org/bioimage-kg/vocab/graphVersion"


class SparqlHttpStore:
    """`Store` over the SPARQL 1.1 protocols. The server's default graph must be the union.

    Several API processes may share one server, so every write also stamps the graphs it
    changed with a fresh version in the graph `urn:kg-service:changes` (same request as the
    write). `poll_changes()` compares those stamps with the ones seen last and tells the
    listeners (query cache, search index, VoID) which graphs changed, whoever changed them.
    """

    def __init__(self, endpoints: SparqlEndpoints) -> None:
        self.endpoints = endpoints
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "kg-service (bioimage knowledge graph)"
        if endpoints.username is not None:
            self.session.auth = (endpoints.username, endpoints.password or "")
        self.generation = 0
        self._listeners: list[Callable[[frozenset[str]], None]] = []
        self._seen: dict[str, str] | None = None
        self._poll_lock = threading.Lock()

    # --- change notification across processes ------------------------------------------------

    def add_change_listener(self, listener: Callable[[frozenset[str]], None]) -> None:
        """Call `listener(changed graph IRIs)` when `poll_changes` finds a change."""
        self._listeners.append(listener)

    def change_markers(self) -> dict[str, str]:
        """Graph IRI -> version stamp of its last write."""
        name = sparql_term(URIRef(CHANGES_GRAPH))
        rows = self._rows(f"SELECT ?g ?v WHERE {{ GRAPH {name} {{ ?g <{_VERSION}> ?v }} }}")
        return {str(r["g"]): str(r["v"]) for r in rows if "g" in r and "v" in r}

    def poll_changes(self) -> frozenset[str]:
        """Find graphs written since the last poll (by any process) and notify listeners."""
        with self._poll_lock:
            markers = self.change_markers()
            if self._seen is None:
                self._seen = markers
                return frozenset()
            changed = frozenset(
                g for g in set(markers) | set(self._seen) if markers.get(g) != self._seen.get(g)
            )
            self._seen = markers
        if changed:
            self.generation += 1
            for listener in list(self._listeners):
                listener(changed)
        return changed

    def _stamp(self, graph_iris: Iterable[str]) -> list[str]:
        """Update operations that give each graph a new version stamp."""
        name = sparql_term(URIRef(CHANGES_GRAPH))
        operations = []
        for iri in graph_iris:
            graph = sparql_term(URIRef(iri))
            stamp = sparql_term(Literal(uuid.uuid4().hex))
            operations.append(f"DELETE WHERE {{ GRAPH {name} {{ {graph} <{_VERSION}> ?v }} }}")
            operations.append(f"INSERT DATA {{ GRAPH {name} {{ {graph} <{_VERSION}> {stamp} }} }}")
        return operations

    # --- HTTP ------------------------------------------------------------------------------

    def _post(self, url: str, field: str, text: str, accept: str | None = None) -> Any:
        """POST as an HTML form (`query=` / `update=`), the one encoding every engine accepts."""
        headers = {"Accept": accept} if accept else {}
        try:
            response = self.session.post(
                url, data={field: text}, headers=headers, timeout=self.endpoints.timeout
            )
        except requests.RequestException as error:
            raise StoreError(f"SPARQL server unreachable: {error}") from error
        if response.status_code == 400:
            raise UserQueryError(response.text[:2000])
        if response.status_code >= 300:
            raise StoreError(
                f"SPARQL server answered {response.status_code}: {response.text[:500]}"
            )
        return response

    def _query(self, query: str, accept: str) -> requests.Response:
        response: requests.Response = self._post(self.endpoints.query_url, "query", query, accept)
        return response

    def _update(self, update: str) -> None:
        self._post(self.endpoints.update_url, "update", update)

    # --- writes ----------------------------------------------------------------------------

    def replace_graph(self, graph_iri: str, triples: Iterable[Triple]) -> None:
        self.replace_graphs({graph_iri: triples})

    def replace_graphs(self, graphs: Mapping[str, Iterable[Triple]]) -> None:
        bodies = {iri: _ntriples(triples) for iri, triples in graphs.items()}
        for iri in bodies:
            sparql_term(URIRef(iri))  # refuse bad graph names before writing anything
        if self.endpoints.atomic_requests:
            operations = []
            for iri, body in bodies.items():
                name = sparql_term(URIRef(iri))
                operations.append(f"DROP SILENT GRAPH {name}")
                operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
            if operations:
                operations.extend(self._stamp(bodies))
                self._update(" ;\n".join(operations))
            return
        for iri, body in bodies.items():
            staging = sparql_term(URIRef(f"{iri}#staging"))
            self._update(f"DROP SILENT GRAPH {staging}")
            if body.strip():
                self._update(f"INSERT DATA {{ GRAPH {staging} {{\n{body}\n}} }}")
                self._update(f"MOVE SILENT GRAPH {staging} TO {sparql_term(URIRef(iri))}")
            else:
                self._update(f"DROP SILENT GRAPH {sparql_term(URIRef(iri))}")
        self._update(" ;\n".join(self._stamp(bodies)))

    def delete_graph(self, graph_iri: str) -> bool:
        existed = graph_iri in self.graph_names()
        if existed:
            operations = [f"DROP SILENT GRAPH {sparql_term(URIRef(graph_iri))}"]
            self._update(" ;\n".join(operations + self._stamp([graph_iri])))
        return existed

    # --- reads -----------------------------------------------------------------------------

    def _rows(self, query: str) -> list[Row]:
        payload = self._query(query, "application/sparql-results+json").json()
        rows: list[Row] = []
        for binding in payload.get("results", {}).get("bindings", []):
            rows.append({name: _term_from_json(value) for name, value in binding.items()})
        return rows

    def graph_names(self) -> list[str]:
        rows = self._rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r["g"]) for r in rows if isinstance(r.get("g"), URIRef))

    def triples(self, graph_iri: str) -> list[Triple]:
        name = sparql_term(URIRef(graph_iri))
        return self._graph(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")

    def _graph(self, query: str) -> list[Triple]:
        response = self._query(query, "application/n-triples")
        graph = Graph()
        graph.parse(BytesIO(response.content), format="nt")
        return list(graph)

    def quad_count(self) -> int:
        rows = self._rows("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(str(rows[0]["n"])) if rows else 0

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        return self._rows(bind(query, bindings))

    def construct(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Triple]:
        return self._graph(bind(query, bindings))

    def sparql(self, query: str, results_media_type: str, graph_media_type: str) -> GraphResult:
        kind = query_form(query)
        graph_kind = kind in (QueryKind.CONSTRUCT, QueryKind.DESCRIBE)
        # ask for one type only: engines (Virtuoso) disagree on mixed Accept headers
        response = self._query(query, graph_media_type if graph_kind else results_media_type)
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        body = _virtuoso_ask(response.content) if media_type.endswith("json") else response.content
        if kind is QueryKind.SELECT and _is_boolean_result(body, media_type):
            kind = QueryKind.ASK
        return GraphResult(body, media_type, kind)

    def close(self) -> None:
        self.session.close()


_PROLOGUE = re.compile(
    r"^\s*(?:(?:#[^\n]*\n)|(?:PREFIX\s+[^:\s]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>)|\s+)*",
    re.IGNORECASE,
)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> QueryKind:
    """The form of a query, read after its prologue (comments, PREFIX and BASE).

    >>> query_form("PREFIX ex: <http://e/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    <QueryKind.CONSTRUCT: 'construct'>
    """
    rest = query[_PROLOGUE.match(query).end() :]  # type: ignore[union-attr]
    match = _FORM.match(rest)
    return QueryKind(match.group(1).lower()) if match else QueryKind.SELECT


def _virtuoso_ask(body: bytes) -> bytes:
    """Virtuoso answers ASK as a one-row SELECT of `__ASK_RETVAL`; rewrite it to the standard."""
    if b"__ASK_RETVAL" not in body[:200]:
        return body
    try:
        rows = json.loads(body)["results"]["bindings"]
    except (ValueError, KeyError):
        return body
    value = bool(rows) and rows[0]["__ASK_RETVAL"]["value"] not in ("0", "false")
    return json.dumps({"head": {}, "boolean": value}).encode()


def _is_boolean_result(body: bytes, media_type: str) -> bool:
    """ASK answers come in the SELECT result formats; tell them apart by their content."""
    if media_type.endswith("json"):
        try:
            return "boolean" in json.loads(body)
        except ValueError:
            return False
    if media_type.endswith("xml"):
        return b"<boolean>" in body
    return False


def _ntriples(triples: Iterable[Triple]) -> str:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return ntriples(graph)
