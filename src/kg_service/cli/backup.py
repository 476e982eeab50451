"""`kg-service dump` and `kg-service restore`: whole-store backups as N-Quads."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg_service.config import Settings
from kg_service.store.backup import BackupError, dump_to_path, restore


def _store_dir(args: argparse.Namespace) -> Path:
    path = args.store_path or Settings().store_path
    if path is None:
        raise BackupError("no store folder given (--store or KG_STORE_PATH)")
    return Path(path)


def cmd_dump(args: argparse.Namespace) -> int:
    try:
        count = dump_to_path(_store_dir(args), args.output)
    except BackupError as error:
        print(f"dump failed: {error}", file=sys.stderr)
        return 2
    if args.output is not None:
        what = f"{count} quads" if count is not None else f"{args.output.stat().st_size} bytes"
        print(f"wrote {what} to {args.output}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    try:
        restore(_store_dir(args), args.file)
    except BackupError as error:
        print(f"restore failed: {error}", file=sys.stderr)
        return 2
    print(f"restored {args.file} into {_store_dir(args)}", file=sys.stderr)
    return 0


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser, bool], None]) -> None:
    dump = sub.add_parser("dump", help="write the whole store as N-Quads (.gz: gzip)")
    common(dump, True)
    dump.add_argument("-o", "--output", type=Path, help="file; standard output when omitted")
    dump.set_defaults(func=cmd_dump)

    restore_parser = sub.add_parser("restore", help="load an N-Quads dump into a new store")
    common(restore_parser, True)
    restore_parser.add_argument("file", type=Path)
    restore_parser.set_defaults(func=cmd_restore)
