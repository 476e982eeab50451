"""`kg-service load FILE|FOLDER...`: validate and store, streamed through worker processes.

Each source file is all-or-nothing: a file with a violation stores nothing, the others are
stored (bulk.py). A progress line is drawn on a terminal only; `--report FILE` receives every
finding as JSON; stdout lists the violations and a summary. `--history` (a PROV version per
project) keeps the one-transaction submission path of the API.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import IO

from kg_service.bulk import FileOutcome, LoadOptions, LoadSummary, load_files, source_files
from kg_service.config import Settings
from kg_service.findings import Severity
from kg_service.ops.progress import Progress
from kg_service.pipeline import BaseIriMismatch, SubmitOptions, submit
from kg_service.store import OxigraphStore, Store
from kg_service.validation.shacl import Tier

SHOW_STORED = 20  # name each stored project when a load holds at most this many


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser, bool], None],
    settings: Callable[[argparse.Namespace], Settings],
) -> None:
    load = sub.add_parser(
        "load", help="validate and store files or folders (per file: all or nothing)"
    )
    load.add_argument("paths", nargs="+", help="files, or folders read recursively")
    load.add_argument("--json", action="store_true", help="print every finding as JSON")
    load.add_argument("--tier", choices=[t.value for t in Tier], help="check a tier strictly")
    load.add_argument("--history", action="store_true", help="record a PROV history version")
    load.add_argument("--report", type=Path, help="write every finding to this JSON file")
    load.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    common(load, True)
    load.set_defaults(func=lambda args: cmd_load(args, settings(args)))


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from kg_service.store.factory import open_store

    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    tier = Tier(args.tier) if args.tier else None
    from kg_service.search.lifecycle import follow_writes

    store = open_store(settings)
    index = follow_writes(store, settings)  # issue 14: keep the on-disk search index current
    try:
        if args.history or not isinstance(store, OxigraphStore):
            return _submit(paths, store, settings.base_iri, tier, args)
        return _bulk(paths, store, settings.base_iri, tier, args)
    except BaseIriMismatch as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    finally:
        if index is not None:
            index.close()
        store.close()


def _submit(
    paths: list[Path], store: Store, base_iri: str, tier: Tier | None, args: argparse.Namespace
) -> int:
    """One submission, one transaction: what the API does, with a history version."""
    from kg_service.cli.main import _print_report

    report = submit(
        source_files(paths),
        store,
        base_iri,
        SubmitOptions(tier=tier, record_history=args.history),
    )
    _print_report(report, args.json)
    if not report.ok:
        print("refused: nothing was stored", file=sys.stderr)
        return 1
    return 0


def _bulk(
    paths: list[Path],
    store: OxigraphStore,
    base_iri: str,
    tier: Tier | None,
    args: argparse.Namespace,
) -> int:
    files = source_files(paths)
    progress = Progress("load", total=len(files), unit="files")
    collected: list[dict[str, object]] = []
    stored: list[str] = []

    def on_file(outcome: FileOutcome, summary: LoadSummary) -> None:
        if args.json:
            collected.extend(f.to_dict() for f in outcome.findings)
        else:
            for finding in outcome.findings:
                if finding.severity is Severity.VIOLATION:
                    print(finding)
        if outcome.ok and len(stored) <= SHOW_STORED:
            stored.extend(f"stored {p.project_id}: {p.triples} triples" for p in outcome.projects)
        progress.advance(detail=_detail(summary, progress))

    report_file: IO[str] | nullcontext[None]
    report_file = args.report.open("w", encoding="utf-8") if args.report else nullcontext()
    with report_file as stream:
        options = LoadOptions(tier=tier, report=stream, on_file=on_file)
        if args.workers:
            options.workers = args.workers
        summary = load_files(files, store, base_iri, options)
    progress.finish()
    _print_summary(summary, stored, args.json, collected)
    if not summary.ok:
        shown = ", ".join(summary.refused[:5]) + (" ..." if summary.files_refused > 5 else "")
        print(
            f"refused {summary.files_refused} file(s) with violations; "
            f"nothing was stored from them: {shown}",
            file=sys.stderr,
        )
        return 1
    return 0


def _detail(summary: LoadSummary, progress: Progress) -> str:
    found = summary.findings
    return (
        f"{summary.datasets:,} datasets ({progress.rate_of(summary.datasets):,.0f}/s), "
        f"{found['violation']:,} violations, {found['warning']:,} warnings"
    )


def _print_summary(
    summary: LoadSummary, stored: list[str], as_json: bool, collected: list[dict[str, object]]
) -> None:
    if as_json:
        print(
            json.dumps({**summary.to_dict(), "findings": collected}, indent=2, ensure_ascii=False)
        )
        return
    if len(stored) <= SHOW_STORED:
        print("\n".join(stored))
    if summary.repaired:
        print(f"removed {summary.repaired} graph(s) an interrupted load had left half-stored")
    found = summary.findings
    print(
        f"{summary.files} file(s), {summary.projects} project(s) and {summary.datasets} "
        f"dataset(s) stored, {summary.files_refused} file(s) refused; "
        f"{found['violation']} violation(s), {found['warning']} warning(s), {found['info']} info"
    )
