"""Two API processes over one SPARQL server: stateless API tier (issue 8).

A submission through one instance becomes visible through the other, records and search
included, within a bounded delay: each instance follows the server's write stamps. Each
instance keeps its search index in its own folder (issue 14); one restarted after writes
by another reopens it and re-reads only the graphs written meanwhile.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from kg_service.pipeline import prepare
from kg_service.submissions.tokens import TokenStore
from tests.conftest import BASE, EXAMPLE_SSBD
from tests.servers import api_server, oxigraph_server

POLL_SECONDS = 0.5
BOUND_SECONDS = 15.0


@dataclass
class Cluster:
    first: str
    second: str
    secret: str
    env: dict[str, str]
    folder: Path


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("scale")
    _token, secret = TokenStore(folder / "tokens.json").create(
        ["ssbd-2", "ssbd-141"], "scale-out test"
    )
    for engine in oxigraph_server(folder / "engine"):
        env = {
            "KG_STORE": f"sparql+{engine}",
            "KG_BASE_IRI": BASE,
            "KG_TOKENS_PATH": str(folder / "tokens.json"),
            "KG_CHANGE_POLL_SECONDS": str(POLL_SECONDS),
            "KG_QUERY_WORKERS": "1",
        }
        a_env = {**env, "KG_SEARCH_INDEX_PATH": str(folder / "a.search")}
        b_env = {**env, "KG_SEARCH_INDEX_PATH": str(folder / "b.search")}
        for first in api_server(a_env, folder / "a.log"):
            for second in api_server(b_env, folder / "b.log"):
                yield Cluster(first, second, secret, env, folder)


@pytest.fixture(scope="module")
def two_instances(cluster: Cluster) -> tuple[str, str, str]:
    return cluster.first, cluster.second, cluster.secret


def project_file(tmp_path: Path, key: str = "ssbd-2") -> Path:
    graph = next(
        p.graph for p in prepare([EXAMPLE_SSBD], BASE).projects if p.project_id == f"projects/{key}"
    )
    path = tmp_path / f"{key}.ttl"
    graph.serialize(path, format="turtle")
    return path


def wait_for(check: Callable[[], bool], bound: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < bound:
        if check():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"not visible within {bound} s")


def test_a_submission_through_one_instance_is_seen_by_the_other(
    two_instances: tuple[str, str, str], tmp_path: Path
) -> None:
    first, second, secret = two_instances
    record = "/datasets/ssbd-2-wt_N2_030303_01"
    json_ld = {"accept": "application/ld+json"}
    assert requests.get(second + record, headers=json_ld, timeout=10).status_code == 404
    before = requests.get(second + "/search", params={"organism": "NCBITaxon:6239"}, timeout=10)
    assert before.json()["total"] == 0

    path = project_file(tmp_path)
    response = requests.post(
        first + "/submissions",
        files={"files": (path.name, path.read_bytes(), "text/turtle")},
        headers={"authorization": f"Bearer {secret}"},
        timeout=120,
    )
    assert response.status_code == 201, response.text

    def visible() -> bool:
        found = requests.get(second + record, headers=json_ld, timeout=10).status_code == 200
        search = requests.get(second + "/search", params={"organism": "NCBITaxon:6239"}, timeout=10)
        return found and search.json()["total"] == 3

    delay = wait_for(visible, BOUND_SECONDS)
    print(f"visible through the second instance after {delay:.2f} s")
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?d a <https://w3id.org/bioimage-kg/vocab/Dataset> }"
    counts = [
        requests.get(root + "/sparql", params={"query": query}, timeout=30).json()
        for root in (first, second)
    ]
    assert counts[0] == counts[1]
    assert counts[1]["results"]["bindings"][0]["n"]["value"] == "3"


def test_a_restarted_instance_reopens_its_index_and_catches_up(
    cluster: Cluster, two_instances: tuple[str, str, str], tmp_path: Path
) -> None:
    """Instance C is stopped while A takes a submission; restarted, C serves its index from
    disk at once (not rebuilt from the store) and has re-read the graph written meanwhile."""
    env = {**cluster.env, "KG_SEARCH_INDEX_PATH": str(cluster.folder / "c.search")}
    for third in api_server(env, cluster.folder / "c1.log"):
        health = requests.get(third + "/health", timeout=10).json()
        assert health["search_index"] == "ready" and health["search_index_on_disk"]
        assert health["search_index_reopened"] is False  # a first start builds it
        before = requests.get(third + "/search", params={"q": "FIB-SEM"}, timeout=10).json()
    path = project_file(tmp_path, "ssbd-141")
    response = requests.post(
        cluster.first + "/submissions",
        files={"files": (path.name, path.read_bytes(), "text/turtle")},
        headers={"authorization": f"Bearer {cluster.secret}"},
        timeout=120,
    )
    assert response.status_code == 201, response.text
    for third in api_server(env, cluster.folder / "c2.log"):
        health = requests.get(third + "/health", timeout=10).json()
        assert health["search_index"] == "ready" and health["search_index_reopened"] is True
        after = requests.get(third + "/search", params={"q": "FIB-SEM"}, timeout=10).json()
        assert before["total"] == 0 and after["total"] == 17
    meta = json.loads((cluster.folder / "c.search" / "kg-search.json").read_text())
    assert f"{BASE}graph/ssbd-141" in meta["markers"] and meta["clean"] is True
