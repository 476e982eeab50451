"""The W3C SPARQL 1.1 query-evaluation suites (and SPARQL 1.0 dataset) through our /sparql.

One real `kg-service serve` holds every test's data in one store, each data file as a named
graph under its file IRI; each test's dataset is then named in the request as the protocol
allows (`default-graph-uri` for qt:data, `named-graph-uri` for qt:graphData), or by the
query's own FROM / FROM NAMED clauses (the dataset suite), with relative IRIs resolved
against the query file as the suite reads them (a `BASE` line). The same test also runs on
the bare engine, a fresh in-memory pyoxigraph store loaded as a suite runner would. Every
test the bare engine passes must pass through the endpoint; the outcome of every test is
written to test-artifacts/w3c-sparql.json.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import REPO
from tests.sparql_support import free_port, serve
from tests.w3c_suite import (
    EMPTY_GRAPH,
    Answer,
    Case,
    agrees,
    cases,
    data_files,
    declares_from,
    expected,
    from_graph,
    from_results,
    load,
    ordered,
    with_base,
)

pytestmark = pytest.mark.e2e
ARTIFACT = REPO / "test-artifacts" / "w3c-sparql.json"
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
TEXT_TYPES = {".csv": "text/csv", ".tsv": "text/tab-separated-values"}
OX_TEXT = {".csv": ox.QueryResultsFormat.CSV, ".tsv": ox.QueryResultsFormat.TSV}


@pytest.fixture(scope="module")
def suite() -> list[Case]:
    return cases()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, suite: list[Case]) -> Iterator[str]:
    """Every data file as a named graph of one on-disk store, served by `kg-service serve`."""
    location = tmp_path_factory.mktemp("w3c") / "store"
    store = ox.Store(str(location))
    for path in data_files(suite):
        load(store, path, ox.NamedNode(path.as_uri()))
    store.flush()
    del store
    gc.collect()  # release the RocksDB lock before the server opens the store
    port = free_port()
    process = serve(location, port, {"KG_QUERY_TIMEOUT_S": "20"})
    try:
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, as the bare engine answers it."""
    result = ox.Store().query(query)
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT"
    return "ASK" if isinstance(result, ox.QueryBoolean) else "SELECT"


def bare(case: Case) -> Answer:
    """The test on a fresh in-memory pyoxigraph store, loaded as the manifest says."""
    store = ox.Store()
    for path in case.data:
        load(store, path, ox.DefaultGraph())
    for path in (*case.graph_data, *case.from_graphs):
        load(store, path, ox.NamedNode(path.as_uri()))
    options: dict[str, object] = {}
    if (case.data or case.graph_data) and not declares_from(case.query_text()):
        named = [ox.NamedNode(p.as_uri()) for p in case.graph_data]
        options = {"default_graph": [ox.DefaultGraph()], "named_graphs": named}
    try:
        result = store.query(case.query_text(), base_iri=case.query.as_uri(), **options)  # type: ignore[arg-type]
        suffix = case.result.suffix if case.result else ""
        if suffix in OX_TEXT and isinstance(result, ox.QuerySolutions):
            return Answer(text=(result.serialize(format=OX_TEXT[suffix]) or b"").decode())
        if isinstance(result, ox.QueryTriples):
            return from_graph(result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"", "nt")
        body = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
        return from_results(body, "json")
    except (SyntaxError, OSError, ValueError, RuntimeError) as error:
        return Answer(error=str(error))


def _dataset_params(case: Case, query: str) -> list[tuple[str, str]]:
    """The protocol's dataset for the test (none when the query's FROM clauses name it)."""
    if declares_from(query):
        return []
    if case.data or case.graph_data:
        defaults = [p.as_uri() for p in case.data] or [EMPTY_GRAPH]
        return [("default-graph-uri", g) for g in defaults] + [
            ("named-graph-uri", p.as_uri()) for p in case.graph_data
        ]
    return [("default-graph-uri", EMPTY_GRAPH)]


def over_http(session: requests.Session, endpoint: str, case: Case) -> Answer:
    """The test through our endpoint: POST application/sparql-query, dataset in the URL."""
    query = with_base(case)
    suffix = case.result.suffix if case.result else ""
    response = session.post(
        endpoint,
        params=_dataset_params(case, case.query_text()),
        data=query.encode("utf-8"),
        headers={
            "content-type": "application/sparql-query",
            "accept": TEXT_TYPES.get(suffix, ACCEPT),
        },
        timeout=60,
    )
    if response.status_code != 200:
        return Answer(error=f"{response.status_code} {response.text[:300]}")
    media_type = response.headers["content-type"].split(";")[0]
    if media_type in TEXT_TYPES.values():
        return Answer(text=response.text)
    if media_type == "application/n-triples":
        return from_graph(response.content, "nt")
    return from_results(response.content, "json")


def syntax_outcome(case: Case, session: requests.Session | None, endpoint: str) -> bool:
    """Positive tests pass when the query is accepted, negative ones when it is refused.

    Accepted means parsed: an evaluation error (an unknown custom function) still counts,
    and over HTTP anything but 400 (the protocol's answer to a syntax error).
    """
    text = case.query_text()
    if session is None:
        try:
            ox.Store().query(text, base_iri=case.query.as_uri())
            accepted = True
        except SyntaxError:
            accepted = False
        except (OSError, ValueError, RuntimeError):
            accepted = True
    else:
        response = session.post(
            endpoint,
            params=[("default-graph-uri", EMPTY_GRAPH)],
            data=text.encode("utf-8"),
            headers={"content-type": "application/sparql-query", "accept": ACCEPT},
            timeout=60,
        )
        accepted = response.status_code != 400
    return accepted == case.kind.startswith("Positive")


def outcome(case: Case, session: requests.Session | None, endpoint: str) -> bool:
    return answer_of(case, session, endpoint)[0]


def answer_of(case: Case, session: requests.Session | None, endpoint: str) -> tuple[bool, str]:
    """(passed, what the engine said) for one test, on the bare engine or over HTTP."""
    if case.syntax:
        return syntax_outcome(case, session, endpoint), ""
    try:
        form = _form(with_base(case))
    except SyntaxError:
        form = "SELECT"
    want = expected(case, form)
    got = bare(case) if session is None else over_http(session, endpoint, case)
    separator = "\t" if case.result and case.result.suffix == ".tsv" else ","
    said = got.error or repr(got.rows if got.rows is not None else got.boolean or got.text)
    return agrees(got, want, ordered(case.query_text()), separator), said[:500]


def test_endpoint_passes_every_test_the_bare_engine_passes(
    endpoint: str, suite: list[Case]
) -> None:
    assert len(suite) == 350
    engine = {case.name: outcome(case, None, endpoint) for case in suite}
    with requests.Session() as session:
        answers = {case.name: answer_of(case, session, endpoint) for case in suite}
    ours = {name: passed for name, (passed, _) in answers.items()}
    lost = sorted(name for name in engine if engine[name] and not ours[name])
    gained = sorted(name for name in engine if ours[name] and not engine[name])
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "tests": len(suite),
        "bare_engine_passes": sum(engine.values()),
        "endpoint_passes": sum(ours.values()),
        "bare_engine_fails": sorted(n for n, ok in engine.items() if not ok),
        "fail_only_through_endpoint": {name: answers[name][1] for name in lost},
        "pass_only_through_endpoint": gained,
    }
    ARTIFACT.write_text(json.dumps(report, indent=1))
    assert sum(engine.values()) > 300  # the runner itself works: most tests pass bare
    assert lost == [], lost
    # the dataset suite exercises FROM / FROM NAMED, which the endpoint must honour
    dataset = [name for name in ours if name.startswith("dataset/")]
    assert len(dataset) == 12 and all(ours[name] for name in dataset if engine[name])


def test_runner_notices_a_wrong_answer(suite: list[Case]) -> None:
    """The comparison can fail: a test's answer checked against another test's result."""
    first = next(c for c in suite if c.name == "dataset/dataset-01")
    other = next(c for c in suite if c.name == "dataset/dataset-03")
    assert outcome(first, None, "")
    swapped = Case(first.name, first.kind, first.query, result=other.result,
                   from_graphs=first.from_graphs)  # fmt: skip
    assert not outcome(swapped, None, "")


def test_suite_files_are_in_the_repository() -> None:
    assert Path(REPO / "tests" / "data" / "w3c-sparql" / "SOURCES.md").is_file()
