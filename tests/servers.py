"""Start real servers for tests (Oxigraph server, Virtuoso) on free loopback ports."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import requests

from kg_service.store import Store
from kg_service.store.sparql_store import SparqlEndpoints, SparqlHttpStore

CLI = [sys.executable, "-m", "kg_service.cli"]


def load_example(store: Path, root: str, example: Path) -> None:
    """`kg-service load` of one example file into `store`, for a server at `root`."""
    command = [*CLI, "load", "--store", str(store), "--base-iri", f"{root}/", str(example)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)


def start_serve(
    store: Path, port: int, env: dict[str, str] | None = None, output: int | None = None
) -> subprocess.Popen[bytes]:
    """`kg-service serve` of `store` on `port` (base IRI: that address)."""
    root = f"http://127.0.0.1:{port}"
    command = [*CLI, "serve", "--store", str(store), "--port", str(port), "--base-iri", f"{root}/"]
    stream = subprocess.DEVNULL if output is None else output
    return subprocess.Popen(command, env=env, stdout=stream, stderr=subprocess.STDOUT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll `url` until it answers (any status below 500), or fail if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout} s")


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = {isql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {dir}
[HTTPServer]
ServerPort = {http_port}
ServerRoot = {dir}
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def start_virtuoso(tmp: Path) -> Iterator[Store]:
    """A throwaway Virtuoso with SPARQL Update allowed on /sparql for the test user."""
    data = tmp / "virtuoso"
    data.mkdir()
    isql_port, http_port = free_port(), free_port()
    ini = data / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=data, isql_port=isql_port, http_port=http_port))
    process = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(ini)],
        cwd=data,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{http_port}"
    try:
        wait_until_up(f"{root}/sparql?query=ASK%7B%7D", process, timeout=120)
        grant = textwrap.dedent(
            """\
            GRANT SPARQL_UPDATE TO "SPARQL";
            DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);
            """
        )
        subprocess.run(
            ["isql-vt", str(isql_port), "dba", "dba"],
            input=grant.encode(),
            check=True,
            capture_output=True,
            timeout=60,
            env={**os.environ},
        )
        store = SparqlHttpStore(
            SparqlEndpoints(f"{root}/sparql", f"{root}/sparql", None, atomic_requests=False)
        )
        yield store
        store.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def oxigraph_server(location: Path) -> Iterator[str]:
    """A real `oxigraph serve` (PyPI `oxigraph`) with the union default graph; yields its root."""
    import sys

    binary = Path(sys.executable).parent / "oxigraph"
    port = free_port()
    process = subprocess.Popen(
        [
            str(binary),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{root}/query?query=ASK%7B%7D", process)
        yield root
    finally:
        process.terminate()
        process.wait(timeout=10)


def api_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """`kg-service serve` in its own process with the given KG_ settings; yields its root."""
    import sys

    port = free_port()
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg_service.cli", "serve", "--port", str(port)],
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    root = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{root}/health", process, timeout=120)
        yield root
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
