"""`kg-service serve` with lookup fronts: real processes, a real store, real HTTP.

The fronts answer SPARQL lookups from the newest checkpoint and forward everything else to
the process that owns the store (api/front.py). These tests check what a client sees: the
same answers as the app's own, its own writes at once, lookups while the app's process is
frozen, and every other kind of request (pages, errors, uploads, HEAD) passed through.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from tests.conftest import EXAMPLE_SSBD
from tests.servers import free_port, load_example, start_serve, wait_until_up

pytestmark = pytest.mark.e2e
TOKEN = "front-test-admin-token"
JSON = "application/sparql-results+json"
DATASET = "datasets/ssbd-2-wt_N2_030303_01"


@dataclass(frozen=True)
class Served:
    root: str
    process: subprocess.Popen[bytes]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("front") / "store"
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    load_example(store, root, EXAMPLE_SSBD)
    env = {**os.environ, "KG_LOOKUP_WORKERS": "2", "KG_ADMIN_TOKEN": TOKEN}
    process = start_serve(store, port, env)
    try:
        wait_until_up(f"{root}/health", process, timeout=90)
        yield Served(root, process)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(root: str, query: str, accept: str = JSON, **params: str) -> requests.Response:
    return requests.get(
        f"{root}/sparql", params={"query": query, **params}, headers={"accept": accept}, timeout=10
    )


def _rows(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    bindings = response.json()["results"]["bindings"]
    return sorted(json.dumps(row, sort_keys=True) for row in bindings)


def test_front_lookups_answer_as_the_app_does(served: Served) -> None:
    """Each lookup against the same query made a non-lookup (FILTER(true)), which the fronts
    forward: the app's query worker answers it."""
    subject = f"<{served.root}/{DATASET}>"
    lookup = f"SELECT ?p ?o WHERE {{ {subject} ?p ?o }}"
    forwarded = f"SELECT ?p ?o WHERE {{ {subject} ?p ?o FILTER(true) }}"
    assert len(_rows(_get(served.root, lookup))) > 5
    assert _rows(_get(served.root, lookup)) == _rows(_get(served.root, forwarded))
    # another results type, chosen by the format parameter
    as_csv = _get(served.root, lookup, accept="*/*", format="text/csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    count = len(_rows(_get(served.root, lookup)))
    assert len(list(csv.reader(io.StringIO(as_csv.text)))) == count + 1  # and a header
    # CONSTRUCT in Turtle and ASK in XML
    graph = _get(served.root, f"CONSTRUCT WHERE {{ {subject} ?p ?o }}", accept="text/turtle")
    assert graph.status_code == 200 and graph.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(graph.content, format=ox.RdfFormat.TURTLE))
    assert len(triples) == len(_rows(_get(served.root, lookup)))
    ask = _get(served.root, f"ASK {{ {subject} ?p ?o }}", accept="application/sparql-results+xml")
    assert ask.status_code == 200 and b"<boolean>true</boolean>" in ask.content
    # the headers every SPARQL answer carries
    for name in ("access-control-allow-origin", "vary", "x-request-id", "x-content-type-options"):
        assert name in _get(served.root, lookup).headers


def test_a_form_post_lookup_is_answered(served: Served) -> None:
    query = f"SELECT ?o WHERE {{ <{served.root}/{DATASET}> a ?o }}"
    response = requests.post(
        f"{served.root}/sparql", data={"query": query}, headers={"accept": JSON}, timeout=10
    )
    assert _rows(response) == _rows(_get(served.root, query))


def test_each_write_is_seen_by_the_next_lookup(served: Served) -> None:
    """Read-your-writes: the update goes to the app, the next lookup to a front."""
    auth = {"authorization": f"Bearer {TOKEN}", "content-type": "application/sparql-update"}
    for n in range(10):
        subject = f"http://example.org/front-test/{n}"
        triple = f'<{subject}> <http://example.org/p> "{n}"'
        update = f"INSERT DATA {{ GRAPH <http://example.org/g> {{ {triple} }} }}"
        written = requests.post(f"{served.root}/sparql", data=update, headers=auth, timeout=10)
        assert written.status_code == 204, written.text
        for _ in range(4):  # each of the 8 connections may reach either front
            response = _get(served.root, f"SELECT ?o WHERE {{ <{subject}> ?p ?o }}")
            assert [json.loads(row)["o"]["value"] for row in _rows(response)] == [str(n)]


def test_errors_and_other_requests_pass_through(served: Served) -> None:
    bad = _get(served.root, "SELECT ?p WHERE { <x> ?p }")  # not a lookup: the app words it
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    twice = requests.get(
        f"{served.root}/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")], timeout=10
    )
    assert twice.status_code == 400  # a repeated parameter: forwarded, the app explains
    record = requests.get(
        f"{served.root}/{DATASET}", headers={"accept": "application/ld+json"}, timeout=10
    )
    assert record.status_code == 200 and record.json()["@id"] == f"{served.root}/{DATASET}"
    page = requests.get(f"{served.root}/", timeout=10)
    assert page.status_code == 200 and "content-security-policy" in page.headers
    head = requests.head(f"{served.root}/{DATASET}", headers={"accept": "text/html"}, timeout=10)
    assert head.status_code == 200 and "link" in head.headers  # signposting, as on GET
    with EXAMPLE_SSBD.open("rb") as upload:
        report = requests.post(
            f"{served.root}/validate",
            files={"files": (EXAMPLE_SSBD.name, upload)},
            headers={"accept": "application/json"},
            timeout=60,
        )
    assert report.status_code == 200 and "findings" in report.json()
    missing = requests.get(f"{served.root}/datasets/no-such-dataset", timeout=10)
    assert missing.status_code == 404


def test_a_front_forwards_what_it_does_not_answer_itself(served: Served) -> None:
    """Lookups the front must leave to the app: a repeated parameter, a form body that is
    not UTF-8; and a path whose escapes must reach the app still escaped."""
    lookup = f"ASK {{ <{served.root}/{DATASET}> ?p ?o }}"
    twice = requests.get(
        f"{served.root}/sparql", params=[("query", lookup), ("query", lookup)], timeout=10
    )
    assert twice.status_code == 400 and "given 2 times" in twice.json()["detail"]
    body = f"query={requests.utils.quote(lookup)}&note=%FF".encode() + b"\xff"
    form = {"content-type": "application/x-www-form-urlencoded", "accept": JSON}
    not_utf8 = requests.post(f"{served.root}/sparql", data=body, headers=form, timeout=10)
    assert not_utf8.status_code == 400 and "UTF-8" in not_utf8.json()["detail"]
    escaped = requests.get(f"{served.root}/{DATASET}%3Fx", timeout=10)
    assert escaped.status_code == 404  # not /datasets/...?x, which is the dataset itself


def test_fronts_answer_lookups_while_the_app_process_is_frozen(served: Served) -> None:
    """With the app's processes stopped (SIGSTOP), lookups still come back: the fronts
    answer them alone; a forwarded request waits until the app runs again."""
    app = _app_processes(served.process.pid)
    assert app, "no app process found behind the fronts"
    lookup = f"ASK {{ <{served.root}/{DATASET}> ?p ?o }}"
    for pid in app:
        os.kill(pid, signal.SIGSTOP)
    try:
        for _ in range(6):
            response = _get(served.root, lookup)
            assert response.status_code == 200 and response.json()["boolean"] is True
        # a SELECT and a CONSTRUCT past the byte floor take the probe, still in the front
        subject = f"<{served.root}/{DATASET}>"
        rows = _get(served.root, f"SELECT * WHERE {{ {subject} ?p ?o }}")
        assert rows.status_code == 200 and len(rows.json()["results"]["bindings"]) > 5
        graph = _get(served.root, f"CONSTRUCT WHERE {{ {subject} ?p ?o }}", accept="text/turtle")
        assert graph.status_code == 200 and graph.content
        with pytest.raises(requests.Timeout):
            requests.get(f"{served.root}/health", timeout=1)
    finally:
        for pid in app:
            os.kill(pid, signal.SIGCONT)
    deadline = time.monotonic() + 20
    while requests.get(f"{served.root}/health", timeout=10).status_code != 200:
        assert time.monotonic() < deadline


def _app_processes(main: int) -> list[int]:
    """The `serve --uds` process under `main` and all its descendants."""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(entry.name)] = (entry / "cmdline").read_text().replace("\0", " ")
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    roots = [pid for pid in children.get(main, []) if "--uds" in commands.get(pid, "")]
    found, queue = [], list(roots)
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found
