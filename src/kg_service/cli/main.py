"""The `kg-service` command: load, validate, serve.

`validate` is a stable interface other tools rely on: exit 0 when there is no violation,
1 otherwise; `--json` prints {"ok": bool, "findings": [{"severity", "message", "location", ...}]}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kg_service.config import Settings
from kg_service.findings import Severity
from kg_service.pipeline import BaseIriMismatch, SubmissionReport, prepare
from kg_service.store.base import Store, StoreBusy
from kg_service.validation.shacl import Tier

LOCK_WAIT_S = 10.0  # how long `serve` waits for a store another process is letting go of

if TYPE_CHECKING:
    from fastapi import FastAPI


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    for name in ("store_path", "base_iri", "host", "port"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    return Settings(**overrides)  # type: ignore[arg-type]


def _print_report(report: SubmissionReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    for finding in report.findings:
        print(finding)
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    print(
        f"{len(report.projects)} project(s); {counts[Severity.VIOLATION]} violation(s), "
        f"{counts[Severity.WARNING]} warning(s), {counts[Severity.INFO]} info"
    )


def _tier(args: argparse.Namespace) -> Tier | None:
    """--tier repository|database: strict; none: the declared tier, reported as warnings."""
    value = getattr(args, "tier", None)
    return Tier(value) if value else None


def _missing(paths: Sequence[Path]) -> list[Path]:
    return [p for p in paths if not p.is_file()]


def cmd_validate(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    missing = _missing(paths)
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    report = prepare(paths, _settings(args).base_iri, _tier(args))  # issue 7: --tier
    _print_report(report, args.json)
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with Granian, whose HTTP layer is native code.

    Measured on SPARQL lookups (bench/bench_sparql.py): uvicorn's Python HTTP layer cost as
    much CPU per request as the query itself, which kept the endpoint near half the engine
    server's throughput. Granian runs the app in a worker process. That process is spawned,
    not forked: RocksDB's threads and locks do not survive a fork (a checkpoint hung), so the
    store is only checked here, closed, and opened again in the worker.
    """
    import multiprocessing

    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    from kg_service.pipeline import check_base_iri

    settings = _settings(args)
    store = _open_when_free(settings)
    try:
        check_base_iri(store, settings.base_iri)
    except BaseIriMismatch as error:
        print(f"cannot serve: {error}", file=sys.stderr)
        return 2
    finally:
        store.close()
    root = f"http://{settings.host}:{settings.port}"
    print(f"SPARQL endpoint:  {root}/sparql")
    print(f"Projects:         {root}/projects")
    print(f"Datasets:         {root}/datasets")
    print(f"API docs:         {root}/docs", flush=True)
    server = Server(
        "kg_service.api:create_app",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        http=HTTPModes.http1,  # no HTTP/2 sniffing and no websockets: neither is used
        websockets=False,
        log_level=LogLevels(args.log_level.lower()),
    )
    multiprocessing.set_start_method("spawn", force=True)
    server.serve(target_loader=partial(_worker_app, settings, os.getpid()))
    return 0


def _open_when_free(settings: Settings, wait_s: float = LOCK_WAIT_S) -> Store:
    """The store, waiting up to `wait_s` while another process still holds its lock.

    A restart right after a crash can find the old server's worker still exiting with the
    store's lock (it lets go of the port first): that start should wait, not fail.
    """
    from kg_service.store.factory import open_store

    deadline = time.monotonic() + wait_s
    while True:
        try:
            return open_store(settings)
        except StoreBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def _worker_app(settings: Settings, parent: int, _target: str) -> FastAPI:
    """Builds the app inside Granian's worker process (see `cmd_serve`)."""
    from kg_service.api import create_app

    _end_with(parent)
    return create_app(settings)


def _end_with(parent: int) -> None:
    """Have Linux send this worker SIGTERM when Granian's main process dies, even by SIGKILL.

    An orphaned worker would keep the port and the store's lock, and a restart would fail.
    """
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        set_parent_death_signal = 1  # PR_SET_PDEATHSIG in <sys/prctl.h>
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the request above
        raise SystemExit("the server's main process is gone")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg-service", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, store: bool) -> None:
        if store:
            p.add_argument(
                "--store", dest="store_path", type=Path, help="store folder (KG_STORE_PATH)"
            )
        p.add_argument("--base-iri", dest="base_iri", help="base IRI of records (KG_BASE_IRI)")

    validate = sub.add_parser("validate", help="check files against the model and shapes")
    validate.add_argument("paths", nargs="+")
    validate.add_argument("--json", action="store_true", help="machine-readable report")
    validate.add_argument("--tier", choices=[t.value for t in Tier], help="check a tier strictly")
    common(validate, store=False)
    validate.set_defaults(func=cmd_validate)

    from kg_service.cli.load import add_parser as add_load_parser  # issue 15: at scale

    add_load_parser(sub, common, _settings)

    serve = sub.add_parser("serve", help="run the HTTP API")
    common(serve, store=True)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)

    from kg_service.cli.terms import add_parsers  # issue 4: terms, index, ontology

    add_parsers(sub, common, _open_store_from_args)
    from kg_service.cli.links import add_parser as add_links_parser  # issue 6: links check

    add_links_parser(sub, common, _open_store_from_args)
    from kg_service.cli.backup import add_parsers as add_backup_parsers  # issue 8

    add_backup_parsers(sub, common)
    from kg_service.cli.tokens import add_parsers as add_token_parsers  # issue 7

    add_token_parsers(sub, common)
    return parser


def _open_store_from_args(args: argparse.Namespace) -> object:
    from kg_service.store.factory import open_store

    return open_store(_settings(args))


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
