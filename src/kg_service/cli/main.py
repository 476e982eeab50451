"""The `kg-service` command: load, validate, serve.

`validate` is a stable interface other tools rely on: exit 0 when there is no violation,
1 otherwise; `--json` prints {"ok": bool, "findings": [{"severity", "message", "location", ...}]}.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from kg_service.config import Settings
from kg_service.findings import Severity
from kg_service.pipeline import SubmissionReport, prepare
from kg_service.validation.shacl import Tier


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

    from kg_service.cli.serve import add_parser as add_serve_parser  # issues 5, 15

    add_serve_parser(sub, common, _settings)

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
