"""Dump/restore identity and crash safety of the embedded store (real processes, SIGKILL)."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import EXAMPLE_SSBD

CLI = [sys.executable, "-m", "kg_service.cli"]
TITLE = "http://purl.org/dc/terms/title"


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], capture_output=True, timeout=300, check=False)


def quads(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(store_dir))
    return {str(q) for q in store}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("backup") / "store"
    assert run("load", "--store", str(store), str(EXAMPLE_SSBD)).returncode == 0
    return store


@pytest.mark.parametrize("name", ["dump.nq", "dump.nq.gz"])
def test_dump_then_restore_is_quad_for_quad_identical(
    loaded: Path, tmp_path: Path, name: str
) -> None:
    dump_file = tmp_path / name
    assert run("dump", "--store", str(loaded), "-o", str(dump_file)).returncode == 0
    if name.endswith(".gz"):
        with gzip.open(dump_file) as handle:
            assert handle.read(1)
    restored = tmp_path / "restored"
    result = run("restore", "--store", str(restored), str(dump_file))
    assert result.returncode == 0, result.stderr
    original = quads(loaded)
    assert len(original) > 3000
    assert quads(restored) == original
    assert not list(tmp_path.glob("restored.restoring-*"))


def test_dump_to_standard_output(loaded: Path) -> None:
    result = run("dump", "--store", str(loaded))
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert len(lines) == len(quads(loaded))
    assert all(line.endswith(" .") for line in lines)


def test_restore_refuses_a_store_that_is_not_empty(loaded: Path, tmp_path: Path) -> None:
    dump_file = tmp_path / "d.nq"
    run("dump", "--store", str(loaded), "-o", str(dump_file))
    result = run("restore", "--store", str(loaded), str(dump_file))
    assert result.returncode == 2
    assert b"not empty" in result.stderr


def changed_copy(tmp_path: Path) -> Path:
    """The example with every title changed, so old and new versions are easy to tell."""
    text = EXAMPLE_SSBD.read_text(encoding="utf-8")
    text = text.replace('has_dataset_title "', 'has_dataset_title "NEW ')
    path = tmp_path / "changed.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def project_states(store_dir: Path) -> dict[str, str]:
    """Per project graph: 'old', 'new' or 'mixed', judged by its titles."""
    store = ox.Store.read_only(str(store_dir))
    states: dict[str, str] = {}
    for graph in store.named_graphs():
        if not str(graph.value).startswith("http://localhost:8000/graph/"):
            continue
        titles = [
            q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(TITLE), None, graph)
        ]
        new = {t.startswith("NEW ") for t in titles}
        states[graph.value] = "mixed" if len(new) > 1 else ("new" if new == {True} else "old")
    return states


def kill_after(args: list[str], delay: float) -> None:
    process = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.mark.parametrize("delay", [0.8, 1.2, 1.6, 2.0])
def test_sigkill_during_a_submission_leaves_each_project_old_or_new(
    tmp_path: Path, delay: float
) -> None:
    store = tmp_path / "store"
    assert run("load", "--store", str(store), str(EXAMPLE_SSBD)).returncode == 0
    kill_after(["load", "--store", str(store), str(changed_copy(tmp_path))], delay)
    states = project_states(store)  # the store opens after the crash
    assert len(states) == 7
    assert "mixed" not in states.values()
    assert len(set(states.values())) == 1  # one submission, one transaction: all or nothing


@pytest.mark.parametrize("delay", [0.5, 1.0])
def test_sigkill_during_a_restore_leaves_no_half_store(
    loaded: Path, tmp_path: Path, delay: float
) -> None:
    dump_file = tmp_path / "d.nq"
    run("dump", "--store", str(loaded), "-o", str(dump_file))
    target = tmp_path / "target"
    kill_after(["restore", "--store", str(target), str(dump_file)], delay)
    if target.exists():  # finished before the kill: then it is complete
        assert quads(target) == quads(loaded)
    else:  # killed: nothing at the target, a restart restores cleanly
        leftovers = list(tmp_path.glob("target.restoring-*"))
        for stale in leftovers:
            assert stale.is_dir()
        assert run("restore", "--store", str(target), str(dump_file)).returncode == 0
        assert quads(target) == quads(loaded)
