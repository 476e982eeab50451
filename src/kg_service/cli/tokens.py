"""`kg-service tokens create|revoke|list`: bearer tokens for the submissions API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg_service.config import Settings
from kg_service.submissions.tokens import TokenError, TokenStore, default_tokens_path


def _tokens(args: argparse.Namespace) -> TokenStore:
    settings = Settings()
    store_path = args.store_path or settings.store_path
    path = args.tokens or default_tokens_path(store_path, settings.tokens_path)
    if path is None:
        raise TokenError("no token file: give --tokens, --store or KG_TOKENS_PATH")
    return TokenStore(Path(path))


def cmd_create(args: argparse.Namespace) -> int:
    try:
        token, secret = _tokens(args).create(args.project or [], args.note or "")
    except TokenError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    print(secret)
    print(f"token {token.id} for {', '.join(token.projects)} (shown once)", file=sys.stderr)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    try:
        token = _tokens(args).revoke(args.id)
    except TokenError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    print(f"revoked {token.id}", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    try:
        tokens = _tokens(args).list()
    except TokenError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    print(json.dumps([t.public() for t in tokens], indent=2))
    return 0


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser, bool], None]) -> None:
    tokens = sub.add_parser("tokens", help="bearer tokens for submissions (stored as hashes)")
    tsub = tokens.add_subparsers(dest="tokens_command", required=True)
    for name, func, text in (
        ("create", cmd_create, "create a token scoped to projects; prints the secret once"),
        ("revoke", cmd_revoke, "revoke a token by id"),
        ("list", cmd_list, "list tokens (ids, scopes, notes; never secrets)"),
    ):
        parser = tsub.add_parser(name, help=text)
        common(parser, True)
        parser.add_argument("--tokens", type=Path, help="token file (KG_TOKENS_PATH)")
        parser.set_defaults(func=func)
        if name == "create":
            parser.add_argument("--project", action="append", help="project key (repeatable)")
            parser.add_argument("--note", help="who or what the token is for")
        if name == "revoke":
            parser.add_argument("id")
