"""Submissions through the real app and an on-disk store: tokens, scopes, all-or-nothing,
history, diff, withdrawal, and the per-project lock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg_service.api import create_app
from kg_service.cli.main import main
from kg_service.config import Settings
from kg_service.pipeline import prepare
from kg_service.store import OxigraphStore
from kg_service.submissions.tokens import TokenStore
from tests.conftest import BASE, EXAMPLE_SSBD

OTHER = "http://other.example/"


@pytest.fixture(scope="module")
def project_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SSBD project (ssbd-2) as Turtle in our own vocabulary, as another instance writes it."""
    report = prepare([EXAMPLE_SSBD], OTHER)
    graph = next(p.graph for p in report.projects if p.project_id == "projects/ssbd-2")
    path = tmp_path_factory.mktemp("sub") / "ssbd-2.ttl"
    graph.serialize(path, format="turtle")
    return path


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[TestClient, OxigraphStore, str]]:
    store = OxigraphStore(tmp_path / "store")
    settings = Settings(store_path=tmp_path / "store", base_iri=BASE)
    _token, secret = TokenStore(tmp_path / "tokens.json").create(["ssbd-2"], "test")
    with TestClient(create_app(settings, store)) as client:
        yield client, store, secret
    store.close()


def auth(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


def upload(path: Path, text: str | None = None) -> dict[str, tuple[str, bytes, str]]:
    return {"files": (path.name, (text or path.read_text()).encode(), "text/turtle")}


def quads(store: OxigraphStore) -> set[tuple[str, ...]]:
    return {(g, *map(str, t)) for g in store.graph_names() for t in store.triples(g)}


def test_submit_history_diff_and_withdraw(
    env: tuple[TestClient, OxigraphStore, str], project_file: Path
) -> None:
    client, _store, secret = env
    first = client.post("/submissions", files=upload(project_file), headers=auth(secret))
    assert first.status_code == 201, first.text
    assert first.json()["projects"][0]["version"] == 1
    changed = project_file.read_text().replace("RNAi", "RNA interference", 1)
    second = client.put(
        "/projects/ssbd-2", files=upload(project_file, changed), headers=auth(secret)
    )
    assert second.status_code == 201, second.text
    versions = client.get("/projects/ssbd-2/versions").json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert (
        versions[1]["files"][0]["name"] == "ssbd-2.ttl"
        and len(versions[1]["files"][0]["sha256"]) == 64
    )
    assert versions[1]["agent"] and versions[1]["tier"] == "declared"
    diff = client.get("/projects/ssbd-2/diff", params={"from": 1, "to": 2}).json()
    assert any("RNA interference" in line for line in diff["added"])
    assert any("RNA interference" not in line and "RNAi" in line for line in diff["removed"])
    old = client.get("/projects/ssbd-2/versions/1", headers={"accept": "text/turtle"})
    assert old.status_code == 200 and "RNA interference" not in old.text
    gone = client.delete("/projects/ssbd-2", headers=auth(secret))
    assert gone.status_code == 200 and gone.json()["version"] == 3
    assert client.get("/projects/ssbd-2", headers={"accept": "text/html"}).status_code == 410
    assert client.get("/projects/ssbd-2/versions").json()["versions"][-1]["withdrawn"] is True


def test_a_refused_submission_leaves_the_store_unchanged(
    env: tuple[TestClient, OxigraphStore, str], project_file: Path
) -> None:
    client, store, secret = env
    assert (
        client.post("/submissions", files=upload(project_file), headers=auth(secret)).status_code
        == 201
    )
    before = quads(store)
    broken = project_file.read_text().replace("NCBITaxon_6239", "NCBITaxonX_6239")
    refused = client.post(
        "/submissions",
        params={"tier": "database"},
        files=upload(project_file, broken),
        headers=auth(secret),
    )
    assert refused.status_code == 422
    assert refused.json()["stored"] is False and refused.json()["ok"] is False
    assert quads(store) == before


def test_tokens_and_scopes(
    env: tuple[TestClient, OxigraphStore, str], project_file: Path, tmp_path: Path
) -> None:
    client, store, secret = env
    assert client.post("/submissions", files=upload(project_file)).status_code == 401
    assert (
        client.post(
            "/submissions", files=upload(project_file), headers=auth("kgt_nope")
        ).status_code
        == 401
    )
    _t, other = TokenStore(tmp_path / "tokens.json").create(["ssbd-48"], "another project")
    before = quads(store)
    assert (
        client.post("/submissions", files=upload(project_file), headers=auth(other)).status_code
        == 403
    )
    assert client.delete("/projects/ssbd-2", headers=auth(other)).status_code == 403
    assert quads(store) == before
    text = (tmp_path / "tokens.json").read_text()
    assert secret not in text and other not in text  # only hashes are stored


def test_a_second_writer_of_the_same_project_gets_409(
    env: tuple[TestClient, OxigraphStore, str], project_file: Path
) -> None:
    client, store, secret = env
    locks = client.app.state.project_locks  # type: ignore[attr-defined]
    with locks.hold(["ssbd-2"]):  # a submission of ssbd-2 is being stored
        busy = client.post("/submissions", files=upload(project_file), headers=auth(secret))
    assert busy.status_code == 409
    assert store.triples(f"{BASE}graph/ssbd-2") == []
    assert (
        client.post("/submissions", files=upload(project_file), headers=auth(secret)).status_code
        == 201
    )


def test_token_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "t.json")
    assert main(["tokens", "create", "--tokens", path, "--note", "x"]) == 2  # no scope: refused
    assert main(["tokens", "create", "--tokens", path, "--project", "projects/ssbd-2"]) == 0
    secret = capsys.readouterr().out.strip()
    token = TokenStore(Path(path)).authenticate(secret)
    assert token is not None and token.projects == ["ssbd-2"]
    assert main(["tokens", "revoke", "--tokens", path, token.id]) == 0
    assert TokenStore(Path(path)).authenticate(secret) is None
    assert main(["tokens", "list", "--tokens", path]) == 0
    assert secret not in capsys.readouterr().out
