"""`kg-service links check`: visit every URL the records point to and store the verdicts.

Prints a report of broken links (or JSON with --json); exits 1 when any link is broken,
so a scheduled job can alert on it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

from kg_service.publish.links import CheckPolicy, check_store, summary


def cmd_links_check(
    args: argparse.Namespace, open_store: Callable[[argparse.Namespace], Any]
) -> int:
    policy = CheckPolicy(
        concurrency=args.concurrency,
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
    )
    store = open_store(args)
    try:
        results = check_store(store, policy)
    finally:
        store.close()
    report = summary(results)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for item in report["broken"]:
            print(f"BROKEN {item['status'] or '-'} {item['url']} {item['error'] or ''}".rstrip())
        broken = len(report["broken"])
        print(f"{report['checked']} link(s) checked: {report['ok']} ok, {broken} broken")
    return 1 if report["broken"] else 0


def add_parser(
    sub: Any,
    common: Callable[[argparse.ArgumentParser, bool], None],
    open_store: Callable[[argparse.Namespace], Any],
) -> None:
    links = sub.add_parser("links", help="check the data links records point to")
    actions = links.add_subparsers(dest="links_command", required=True)
    check = actions.add_parser("check", help="HEAD/GET every data, OME-Zarr and viewer URL")
    common(check, True)
    defaults = CheckPolicy()
    check.add_argument("--concurrency", type=int, default=defaults.concurrency)
    check.add_argument(
        "--timeout", type=float, default=defaults.timeout, help="seconds per request"
    )
    check.add_argument("--retries", type=int, default=defaults.retries)
    check.add_argument(
        "--backoff", type=float, default=defaults.backoff, help="first retry delay (s)"
    )
    check.add_argument("--json", action="store_true", help="machine-readable report")
    check.set_defaults(func=lambda args: cmd_links_check(args, open_store))
