"""The W3C SPARQL query-evaluation suites: manifests, data, expected results, comparison.

Read by tests/test_w3c_sparql.py, which runs every test twice: on the bare engine (a fresh
in-memory pyoxigraph store per test, as a suite runner would) and through our /sparql over
HTTP. Both answers go through the same parsing and comparison here, so any leniency of this
runner applies to both sides alike; what differs is only the endpoint in between.

How the suite says to compare: SELECT answers as multisets of solutions, blank nodes up to a
consistent renaming, in order when the query has ORDER BY; ASK by its boolean; CONSTRUCT
graphs by isomorphism; the CSV/TSV format tests by their text (rows as a multiset, blank
node labels renamed). Syntax tests by whether the parser accepts the query.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.query import Result
from rdflib.term import Node

from tests.conftest import REPO

SUITE = REPO / "tests" / "data" / "w3c-sparql" / "sparql"
FOLDERS = [
    "sparql11/aggregates", "sparql11/bind", "sparql11/bindings", "sparql11/cast",
    "sparql11/construct", "sparql11/csv-tsv-res", "sparql11/exists", "sparql11/functions",
    "sparql11/grouping", "sparql11/json-res", "sparql11/negation",
    "sparql11/project-expression", "sparql11/property-path", "sparql11/subquery",
    "sparql11/syntax-query", "sparql10/dataset",
]  # fmt: skip
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".rdf": ox.RdfFormat.RDF_XML,
               ".nt": ox.RdfFormat.N_TRIPLES}  # fmt: skip
RESULT_PARSERS = {".srx": "xml", ".srj": "json", ".tsv": "tsv"}
EMPTY_GRAPH = "urn:w3c-runner:empty"  # a graph IRI nothing is loaded into


@dataclass(frozen=True)
class Case:
    """One manifest entry."""

    name: str
    kind: str  # QueryEvaluationTest, CSVResultFormatTest, Positive/NegativeSyntaxTest11
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None
    from_graphs: tuple[Path, ...] = field(default=(), compare=False)

    @property
    def syntax(self) -> bool:
        return "Syntax" in self.kind

    def query_text(self) -> str:
        return self.query.read_text(encoding="utf-8")


def _path(node: Node) -> Path:
    return Path(str(node).removeprefix("file://"))


def cases() -> list[Case]:
    """Every entry of every manifest in FOLDERS, in manifest order."""
    found = []
    for folder in FOLDERS:
        manifest = SUITE / folder / "manifest.ttl"
        graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        for head in graph.objects(None, MF.entries):
            for entry in Collection(graph, head):
                found.append(_case(graph, entry, manifest.parent))
    return found


def _case(graph: Graph, entry: Node, folder: Path) -> Case:
    kind = str(graph.value(entry, RDF.type)).rsplit("#", 1)[-1]
    name = f"{folder.name}/{graph.value(entry, MF.name)}"
    action = graph.value(entry, MF.action)
    result = graph.value(entry, MF.result)
    if isinstance(action, URIRef):  # syntax tests: the action is the query file
        return Case(name, kind, _path(action))
    query = _path(graph.value(action, QT.query))  # type: ignore[arg-type]
    data = tuple(sorted(_path(d) for d in graph.objects(action, QT.data)))
    graph_data = tuple(sorted(_path(d) for d in graph.objects(action, QT.graphData)))
    case = Case(name, kind, query, data, graph_data, _path(result) if result else None)
    if not data and not graph_data:  # the query's FROM clauses name files of its folder
        sources = tuple(
            sorted(
                p
                for p in folder.iterdir()
                if p.name.startswith("data-") and p.suffix in RDF_FORMATS
            )
        )
        return Case(name, kind, query, result=case.result, from_graphs=sources)
    return case


def data_files(all_cases: Sequence[Case]) -> list[Path]:
    """Every file some test loads, each once."""
    files = {p for c in all_cases for p in (*c.data, *c.graph_data, *c.from_graphs)}
    return sorted(files)


def load(store: ox.Store, path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> None:
    store.load(path=str(path), format=RDF_FORMATS[path.suffix], base_iri=path.as_uri(),
               to_graph=graph)  # fmt: skip


def declares_from(query: str) -> bool:
    """Whether the query has FROM / FROM NAMED clauses (read by rdflib's parser)."""
    try:
        return bool(dict.get(parseQuery(query)[1], "datasetClause"))
    except Exception:  # a query rdflib cannot read: assume none
        return False


# ---- answers -------------------------------------------------------------------------


@dataclass
class Answer:
    """What one engine said: solutions, a boolean, a graph or text; `error` when it failed."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] | None = None
    boolean: bool | None = None
    graph: Graph | None = None
    text: str | None = None
    error: str | None = None


def from_results(body: bytes, fmt: str) -> Answer:
    """An answer from a SPARQL results document (json, xml, tsv), parsed by rdflib."""
    result = Result.parse(io.BytesIO(body), format=fmt)
    if result.type == "ASK":
        return Answer(boolean=bool(result.askAnswer))
    variables = [str(v) for v in result.vars or []]
    rows = [{str(k): v for k, v in row.asdict().items()} for row in result]  # type: ignore[union-attr]
    return Answer(variables, rows)


def from_graph(body: bytes, fmt: str) -> Answer:
    return Answer(graph=Graph().parse(data=body.decode("utf-8"), format=fmt))


def expected(case: Case, query_form: str) -> Answer:
    """The answer the suite expects, read from `case.result`."""
    assert case.result is not None
    path = case.result
    if path.suffix in RESULT_PARSERS:
        if path.suffix == ".tsv":
            return Answer(text=path.read_text(encoding="utf-8"))
        return from_results(path.read_bytes(), RESULT_PARSERS[path.suffix])
    if path.suffix == ".csv":
        return Answer(text=path.read_text(encoding="utf-8"))
    graph = Graph().parse(path, format="turtle" if path.suffix == ".ttl" else "xml",
                          publicID=path.as_uri())  # fmt: skip
    if query_form in ("CONSTRUCT", "DESCRIBE"):
        return Answer(graph=graph)
    return _result_set(graph)


def _result_set(graph: Graph) -> Answer:
    """An answer from the suite's RDF result-set vocabulary (rs:ResultSet)."""
    result_set = next(graph.subjects(RDF.type, RS.ResultSet))
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return Answer(boolean=bool(boolean.toPython()))
    variables = [str(v) for v in graph.objects(result_set, RS.resultVariable)]
    indexed = []
    for solution in graph.objects(result_set, RS.solution):
        row = {
            str(graph.value(b, RS.variable)): graph.value(b, RS.value)
            for b in graph.objects(solution, RS.binding)
        }
        index = graph.value(solution, RS.index)
        indexed.append((int(index) if index is not None else 0, row))
    indexed.sort(key=lambda pair: pair[0])
    return Answer(variables, [row for _, row in indexed])  # type: ignore[misc]


# ---- comparison ----------------------------------------------------------------------


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {f"{XSD}{name}" for name in ("integer", "decimal", "double", "float")}


def _term_key(term: Node) -> str:
    """A term as compared: blank nodes alike, numbers by value ("1.0" and "1" decimals agree),
    the canonical form of the value being what the suite's own results disagree on."""
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and str(term.datatype) in NUMERIC:
        try:
            value = Decimal(str(term)) if "INF" not in str(term).upper() else str(term)
        except InvalidOperation:
            return term.n3()
        number = value.normalize() if isinstance(value, Decimal) else value
        return f"{number}^^{term.datatype}"
    return term.n3()


def _shape(row: dict[str, Node]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, _term_key(v)) for k, v in row.items()))


def _bijection(left: list[dict[str, Node]], right: list[dict[str, Node]]) -> bool:
    """Is there a one-to-one renaming of blank nodes that makes the row lists equal?"""

    def extend(i: int, used: set[int], mapping: dict[Node, Node]) -> bool:
        if i == len(left):
            return True
        for j, candidate in enumerate(right):
            if j in used or _shape(candidate) != _shape(left[i]):
                continue
            trial = dict(mapping)
            if all(_map(trial, left[i][k], candidate[k]) for k in left[i]) and extend(
                i + 1, used | {j}, trial
            ):
                return True
        return False

    return extend(0, set(), {})


def _map(mapping: dict[Node, Node], a: Node, b: Node) -> bool:
    if not isinstance(a, BNode):
        return _term_key(a) == _term_key(b)
    if a in mapping:
        return mapping[a] == b
    if b in mapping.values():
        return False
    mapping[a] = b
    return True


def same_rows(got: list[dict[str, Node]], want: list[dict[str, Node]], ordered: bool) -> bool:
    if len(got) != len(want) or Counter(map(_shape, got)) != Counter(map(_shape, want)):
        return False
    has_bnodes = any(isinstance(v, BNode) for row in want for v in row.values())
    if ordered and not has_bnodes:
        return [_shape(r) for r in got] == [_shape(r) for r in want]
    return not has_bnodes or _bijection(got, want)


def _table(text: str, separator: str) -> tuple[list[str], Counter[tuple[str, ...]]]:
    """Header and rows of a CSV/TSV answer; blank node labels renamed in order of use."""
    labels: dict[str, str] = {}

    def rename(match: re.Match[str]) -> str:
        return labels.setdefault(match.group(), f"_:b{len(labels)}")

    text = re.sub(r"_:[A-Za-z0-9_.-]+", rename, text.replace("\r\n", "\n"))
    if separator == ",":
        lines = list(csv.reader(io.StringIO(text)))
    else:
        lines = [line.split("\t") for line in text.split("\n")]
    lines = [line for line in lines if line and line != [""]]
    return lines[0], Counter(tuple(line) for line in lines[1:])


def _same_table(got: str, want: str, separator: str) -> bool:
    """Equal tables; `SELECT *` may order its columns either way, so columns go by header."""
    got_head, got_rows = _table(got, separator)
    want_head, want_rows = _table(want, separator)
    if sorted(got_head) != sorted(want_head):
        return False
    order = [got_head.index(name) for name in want_head]
    moved = Counter({tuple(row[i] for i in order): n for row, n in got_rows.items()})
    return moved == want_rows


def agrees(got: Answer, want: Answer, ordered: bool, separator: str = ",") -> bool:
    """Does `got` match `want` the way the suite compares answers?"""
    if got.error is not None:
        return False
    if want.text is not None:
        return got.text is not None and _same_table(got.text, want.text, separator)
    if want.boolean is not None:
        return got.boolean == want.boolean
    if want.graph is not None:
        return got.graph is not None and same_graph(got.graph, want.graph)
    if got.rows is None or want.rows is None:
        return False
    return same_rows(got.rows, want.rows, ordered)


def _canonical(graph: Graph) -> set[str]:
    """The graph's triples after RDFC-1.0 blank node labelling (Oxigraph's implementation;
    rdflib's `isomorphic` ran for minutes on some of the suite's graphs)."""
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in ox.parse(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def same_graph(got: Graph, want: Graph) -> bool:
    """Isomorphic graphs, numbers compared by value as in solutions."""
    if len(got) != len(want):
        return False
    return _canonical(_numbers_by_value(got)) == _canonical(_numbers_by_value(want))


def _numbers_by_value(graph: Graph) -> Graph:
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and str(o.datatype) in NUMERIC:
            o = Literal(_term_key(o).split("^^")[0], datatype=o.datatype)
        out.add((s, p, o))
    return out


def ordered(query: str) -> bool:
    return re.search(r"\bORDER\s+BY\b", query, re.IGNORECASE) is not None


def with_base(case: Case) -> str:
    """The query as read from its file: relative IRIs resolve against the file's location."""
    return f"BASE <{case.query.as_uri()}>\n{case.query_text()}"


def iter_outcomes(results: dict[str, bool]) -> Iterator[str]:
    yield from sorted(name for name, passed in results.items() if passed)
